//! Input that has been checked: once a value is one of these types, inner code never re-checks
//! it. Every parse error names the field it came from.

use accord_kernel::error::field_error;
use accord_kernel::{Role, RoleSet};
use std::fmt;
use std::str::FromStr;

/// Whether an organization works (SPEC §1). Accord itself writes only `ACTIVE` today; an
/// operator suspends an organization by setting `SUSPENDED` in the database. Any other value is
/// refused when read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TenantStatus {
    /// Its people can log in and act.
    Active,
    /// Shut out: nobody of it authenticates, and it is not in the directory.
    Suspended,
}

/// Whether a person can log in (SPEC §1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UserStatus {
    /// Can log in; sessions and tokens work.
    Active,
    /// Deactivated by an ADMIN: sessions and tokens stop working at once.
    Disabled,
}

macro_rules! fixed_names {
    ($ty:ident, $what:literal, $($variant:ident => $name:literal),+) => {
        impl $ty {
            /// Every value, in a stable order.
            pub const ALL: &'static [$ty] = &[$($ty::$variant),+];

            /// The fixed name, as stored.
            #[must_use]
            pub fn as_str(self) -> &'static str {
                match self {
                    $($ty::$variant => $name),+
                }
            }
        }

        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $ty {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                $ty::ALL.iter().copied().find(|v| v.as_str() == s).ok_or_else(|| format!(concat!("unknown ", $what, " `{}`"), s))
            }
        }
    };
}

fixed_names!(TenantStatus, "tenant status", Active => "ACTIVE", Suspended => "SUSPENDED");
fixed_names!(UserStatus, "user status", Active => "ACTIVE", Disabled => "DISABLED");

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
    fn statuses_read_back_exactly_and_unknown_ones_are_refused() {
        for s in TenantStatus::ALL {
            assert_eq!(s.as_str().parse::<TenantStatus>().unwrap(), *s);
        }
        for s in UserStatus::ALL {
            assert_eq!(s.as_str().parse::<UserStatus>().unwrap(), *s);
        }
        assert_eq!("DISABLED".parse::<TenantStatus>().unwrap_err(), "unknown tenant status `DISABLED`");
        assert!("active".parse::<UserStatus>().is_err());
    }

    #[test]
    fn slugs_are_url_safe() {
        assert_eq!(slugify("St. Mary's Hospital — North"), "st-mary-s-hospital-north");
        assert_eq!(slugify("!!!"), "org");
    }
}
