//! Identifiers: every entity id is a UUIDv7 string, so ids sort by creation time and can serve
//! as stable keyset-pagination cursors.

/// A fresh UUIDv7 as its canonical lowercase hyphenated string.
#[must_use]
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// Whether `s` is a syntactically valid UUID (any version). Used to answer malformed ids with
/// `NOT_FOUND` exactly like unknown ones, so probing ids reveals nothing.
#[must_use]
pub fn is_uuid(s: &str) -> bool {
    uuid::Uuid::parse_str(s).is_ok()
}
