//! Free text from people (names, purposes, reasons, comments): trimmed, non-empty, bounded,
//! and free of control characters and of invisible or direction-changing characters, with
//! errors that name the field. The last rule matters because these strings end up on an
//! approver's screen: a right-to-left override (U+202E) or a zero-width character lets an app
//! name read as something it is not.

use crate::error::field_error;

/// Whether `c` is a bidirectional control or an invisible (zero-width) character: U+202A–U+202E
/// (embeddings and overrides), U+2066–U+2069 (isolates), U+200B–U+200F (zero-width space,
/// joiners, marks), U+061C (Arabic letter mark), U+2060–U+2064 (word joiner, invisible
/// operators), U+FEFF (zero-width no-break space) and U+180E (Mongolian vowel separator).
#[must_use]
pub fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{202A}'..='\u{202E}'
        | '\u{2066}'..='\u{2069}'
        | '\u{200B}'..='\u{200F}'
        | '\u{061C}'
        | '\u{2060}'..='\u{2064}'
        | '\u{FEFF}'
        | '\u{180E}')
}

/// Refuses a string containing an [invisible or direction-changing](is_invisible) character,
/// naming the field and the first such character.
///
/// # Errors
/// `"<field>: must not contain invisible or direction-changing characters (U+202E)"`.
pub fn visible(field: &str, s: &str) -> Result<(), String> {
    match s.chars().find(|c| is_invisible(*c)) {
        Some(c) => Err(field_error(field, format!("must not contain invisible or direction-changing characters (U+{:04X})", u32::from(c)))),
        None => Ok(()),
    }
}

fn check(field: &str, raw: &str, max: usize, allow_newlines: bool) -> Result<String, String> {
    let s = raw.trim();
    if s.is_empty() {
        return Err(field_error(field, "must not be empty"));
    }
    if s.chars().count() > max {
        return Err(field_error(field, format!("must be at most {max} characters")));
    }
    if s.chars().any(|c| c.is_control() && !(allow_newlines && matches!(c, '\n' | '\r' | '\t'))) {
        return Err(field_error(field, "must not contain control characters"));
    }
    visible(field, s)?;
    Ok(s.to_owned())
}

/// One line of text (names, labels): no control characters at all, nothing invisible or
/// direction-changing.
///
/// # Errors
/// A message naming the field and the problem.
pub fn line(field: &str, raw: &str, max: usize) -> Result<String, String> {
    check(field, raw, max, false)
}

/// Prose (purposes, reasons, comments): line breaks and tabs allowed, other control
/// characters and invisible or direction-changing ones not.
///
/// # Errors
/// A message naming the field and the problem.
pub fn long_text(field: &str, raw: &str, max: usize) -> Result<String, String> {
    check(field, raw, max, true)
}

/// The longest reason, comment or purpose a person may write (one rule for every service).
pub const MAX_REASON: usize = 2000;

/// A reason, comment or purpose: prose of at most [`MAX_REASON`] characters.
///
/// # Errors
/// A message naming the field and the problem.
pub fn reason(field: &str, raw: &str) -> Result<String, String> {
    long_text(field, raw, MAX_REASON)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reason_is_prose_of_at_most_two_thousand_characters() {
        assert_eq!(reason("reason", " contract ended\n ").unwrap(), "contract ended");
        assert!(reason("reason", &"x".repeat(MAX_REASON)).is_ok());
        assert_eq!(reason("reason", &"x".repeat(MAX_REASON + 1)).unwrap_err(), "reason: must be at most 2000 characters");
    }

    #[test]
    fn text_is_trimmed_bounded_and_names_the_field() {
        assert_eq!(line("name", "  Ada  ", 10).unwrap(), "Ada");
        assert_eq!(line("name", "   ", 10).unwrap_err(), "name: must not be empty");
        assert_eq!(line("name", "abcdefghijk", 10).unwrap_err(), "name: must be at most 10 characters");
        assert!(line("name", "a\nb", 10).is_err());
        assert_eq!(long_text("reason", "line one\nline two", 100).unwrap(), "line one\nline two");
        assert!(long_text("reason", "bell\u{7}", 100).unwrap_err().starts_with("reason:"));
    }

    #[test]
    fn a_right_to_left_override_is_refused_naming_the_field_and_the_character() {
        assert_eq!(
            line("name", "Safe App\u{202E}gnp.exe", 100).unwrap_err(),
            "name: must not contain invisible or direction-changing characters (U+202E)"
        );
        assert_eq!(
            long_text("purpose", "ok\n\u{2067}hidden", 100).unwrap_err(),
            "purpose: must not contain invisible or direction-changing characters (U+2067)"
        );
    }

    #[test]
    fn every_bidi_control_and_zero_width_character_is_refused_in_both_kinds_of_text() {
        let listed = ('\u{202A}'..='\u{202E}')
            .chain('\u{2066}'..='\u{2069}')
            .chain('\u{200B}'..='\u{200F}')
            .chain(['\u{061C}', '\u{FEFF}', '\u{180E}'])
            .chain('\u{2060}'..='\u{2064}');
        let mut n = 0;
        for c in listed {
            n += 1;
            let s = format!("Pay{c}Pal");
            let expected = format!("must not contain invisible or direction-changing characters (U+{:04X})", u32::from(c));
            assert_eq!(line("name", &s, 100).unwrap_err(), format!("name: {expected}"));
            assert_eq!(long_text("purpose", &s, 100).unwrap_err(), format!("purpose: {expected}"));
        }
        assert_eq!(n, 5 + 4 + 5 + 3 + 5);
    }

    #[test]
    fn ordinary_non_latin_text_and_emoji_are_still_welcome() {
        for ok in ["Ärztekammer Süd", "مستشفى الشفاء", "東京病院", "Café ☕", "Zoë's app — v2", "שלום"] {
            assert_eq!(line("name", ok, 100).unwrap(), ok);
        }
        // Leading/trailing BOMs are not whitespace to `trim`, so they are caught too.
        assert!(line("name", "\u{FEFF}Acme", 100).is_err());
    }
}
