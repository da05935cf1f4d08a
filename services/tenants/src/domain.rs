//! Input that has been checked: once a value is one of these types, inner code never re-checks
//! it. Every parse error names the field it came from.

use accord_kernel::error::field_error;
use accord_kernel::{Role, RoleSet};

/// A password that meets the length rules. Never displayed or logged.
pub struct Password(String);

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(<redacted>)")
    }
}

/// Shortest password accepted (OWASP ASVS 6.2.1).
pub const MIN_PASSWORD: usize = 12;
/// Longest password accepted (bounds the hashing work an attacker can ask for).
pub const MAX_PASSWORD: usize = 1024;

impl Password {
    /// Checks the length rules.
    ///
    /// # Errors
    /// A message naming the field; it never repeats the password.
    pub fn parse(field: &str, raw: &str) -> Result<Self, String> {
        let n = raw.chars().count();
        if n < MIN_PASSWORD {
            return Err(field_error(field, format!("must be at least {MIN_PASSWORD} characters")));
        }
        if n > MAX_PASSWORD {
            return Err(field_error(field, format!("must be at most {MAX_PASSWORD} characters")));
        }
        Ok(Self(raw.to_owned()))
    }

    /// The clear text, for hashing only.
    #[must_use]
    pub fn expose(&self) -> &str {
        &self.0
    }
}

pub use accord_kernel::text::line as text;

/// A non-empty role set.
///
/// # Errors
/// A message naming the field.
pub fn roles(field: &str, raw: &[Role]) -> Result<RoleSet, String> {
    if raw.is_empty() {
        return Err(field_error(field, "must name at least one role"));
    }
    Ok(RoleSet::new(raw.iter().copied()))
}

/// A URL-safe slug from an organization name: lowercase ASCII letters, digits and dashes.
#[must_use]
pub fn slugify(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let s: String = out.trim_matches('-').chars().take(48).collect();
    let s = s.trim_end_matches('-').to_owned();
    if s.is_empty() { "org".into() } else { s }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_need_twelve_characters_and_are_never_echoed() {
        let e = Password::parse("password", "short-pw").unwrap_err();
        assert_eq!(e, "password: must be at least 12 characters");
        assert!(Password::parse("password", "correct horse battery").is_ok());
        assert_eq!(format!("{:?}", Password::parse("password", "correct horse battery").unwrap()), "Password(<redacted>)");
    }

    #[test]
    fn slugs_are_url_safe() {
        assert_eq!(slugify("St. Mary's Hospital — North"), "st-mary-s-hospital-north");
        assert_eq!(slugify("!!!"), "org");
    }
}
