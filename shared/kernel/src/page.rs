//! Keyset pages: a validated request (`first` ≤ 100, an opaque cursor naming the last id
//! seen) and the page that answers it. No GraphQL here: the data layer builds pages, the
//! GraphQL layer (`gql::connection`) turns them into Relay connections.

use crate::{Classify, ErrorKind};
use base64::Engine as _;

/// The largest page a client may ask for.
pub const MAX_PAGE: u64 = 100;
/// The page size when `first` is not given.
pub const DEFAULT_PAGE: u64 = 20;

/// A validated page request: `limit` items after the item with id `after`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRequest {
    /// How many items to return.
    pub limit: u64,
    /// The id of the last item of the previous page.
    pub after: Option<String>,
}

/// Why a page request is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PageError {
    /// `first` out of range.
    #[error("first: must be between 1 and {MAX_PAGE}, got {0}")]
    First(i64),
    /// `after` is not a cursor this API issued.
    #[error("after: not a valid cursor")]
    After,
}

impl Classify for PageError {
    fn kind(&self) -> ErrorKind {
        ErrorKind::BadUserInput
    }
}

impl PageRequest {
    /// Validates `first` (1..=100, default 20) and decodes `after`.
    ///
    /// # Errors
    /// [`PageError`] naming the argument.
    pub fn parse(first: Option<i32>, after: Option<String>) -> Result<Self, PageError> {
        let limit = match first {
            None => DEFAULT_PAGE,
            Some(n) if (1..=MAX_PAGE as i64).contains(&i64::from(n)) => n.unsigned_abs().into(),
            Some(n) => return Err(PageError::First(n.into())),
        };
        let after = after.map(|c| decode_cursor(&c).ok_or(PageError::After)).transpose()?;
        Ok(Self { limit, after })
    }
}

/// The opaque cursor for an item id.
#[must_use]
pub fn encode_cursor(id: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("c1:{id}"))
}

fn decode_cursor(c: &str) -> Option<String> {
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(c).ok()?;
    let s = String::from_utf8(bytes).ok()?;
    let id = s.strip_prefix("c1:")?;
    crate::id::is_uuid(id).then(|| id.to_owned())
}

/// One page of items (fetched with `limit + 1` rows to learn whether a next page exists).
#[derive(Debug, Clone)]
pub struct Page<T> {
    /// The items, at most `limit`.
    pub items: Vec<T>,
    /// Whether more items follow.
    pub has_next: bool,
    /// How many items match in all.
    pub total: u64,
}

impl<T> Page<T> {
    /// Builds a page from up to `limit + 1` rows.
    #[must_use]
    pub fn from_rows(mut rows: Vec<T>, limit: u64, total: u64) -> Self {
        let has_next = rows.len() as u64 > limit;
        rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
        Self { items: rows, has_next, total }
    }

    /// Maps the items, keeping the paging facts.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page { items: self.items.into_iter().map(f).collect(), has_next: self.has_next, total: self.total }
    }
}
