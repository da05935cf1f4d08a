//! Free text from people (names, purposes, reasons, comments): trimmed, non-empty, bounded,
//! and free of control characters, with errors that name the field.

use crate::error::field_error;

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
    Ok(s.to_owned())
}

/// One line of text (names, labels): no control characters at all.
///
/// # Errors
/// A message naming the field and the problem.
pub fn line(field: &str, raw: &str, max: usize) -> Result<String, String> {
    check(field, raw, max, false)
}

/// Prose (purposes, reasons, comments): line breaks and tabs allowed, other control
/// characters not.
///
/// # Errors
/// A message naming the field and the problem.
pub fn long_text(field: &str, raw: &str, max: usize) -> Result<String, String> {
    check(field, raw, max, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_trimmed_bounded_and_names_the_field() {
        assert_eq!(line("name", "  Ada  ", 10).unwrap(), "Ada");
        assert_eq!(line("name", "   ", 10).unwrap_err(), "name: must not be empty");
        assert_eq!(line("name", "abcdefghijk", 10).unwrap_err(), "name: must be at most 10 characters");
        assert!(line("name", "a\nb", 10).is_err());
        assert_eq!(long_text("reason", "line one\nline two", 100).unwrap(), "line one\nline two");
        assert!(long_text("reason", "bell\u{7}", 100).unwrap_err().starts_with("reason:"));
    }
}
