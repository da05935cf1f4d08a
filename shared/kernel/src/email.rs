//! Email addresses as Accord accepts them: trimmed, lowercased, shaped like `local@domain.tld`,
//! and free of anything invisible (addresses are shown to approvers). Shared by every service
//! that takes an address (people in tenants, app owners in the registry).

use crate::error::field_error;

/// A normalized (trimmed, lowercased) email address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    /// Parses an address; `field` names it in the error.
    ///
    /// # Errors
    /// A message naming the field and the problem.
    pub fn parse(field: &str, raw: &str) -> Result<Self, String> {
        let s = raw.trim().to_lowercase();
        let bad = |why: &str| Err(field_error(field, why));
        if s.is_empty() {
            return bad("must not be empty");
        }
        if s.len() > 254 {
            return bad("must be at most 254 characters");
        }
        let Some((local, domain)) = s.split_once('@') else {
            return bad("is not an email address (missing @)");
        };
        if local.is_empty() || local.len() > 64 || domain.contains('@') {
            return bad("is not an email address");
        }
        if s.chars().any(|c| c.is_whitespace() || c.is_control() || "<>()[],;:\"\\".contains(c)) {
            return bad("is not an email address (contains a character not allowed)");
        }
        // Addresses are shown to approvers (app owners): nothing invisible or direction-changing.
        crate::text::visible(field, &s)?;
        let labels: Vec<&str> = domain.split('.').collect();
        if labels.len() < 2 || labels.iter().any(|l| l.is_empty() || l.starts_with('-') || l.ends_with('-')) {
            return bad("is not an email address (the domain needs a dot, like example.org)");
        }
        Ok(Self(s))
    }

    /// The address.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalized_and_bad_ones_name_the_field() {
        assert_eq!(Email::parse("email", "  Ada@Example.ORG ").unwrap().as_str(), "ada@example.org");
        for bad in [
            "",
            "ada",
            "ada@",
            "@example.org",
            "ada@example",
            "a b@example.org",
            "ada@@example.org",
            "ada@-x.org",
            "ada\u{202E}@example.org",
        ] {
            let e = Email::parse("email", bad).unwrap_err();
            assert!(e.starts_with("email: "), "{bad}: {e}");
        }
    }
}
