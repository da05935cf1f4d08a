//! [`ScopeSet`]: a normalized set of scopes, the form in which Accord stores and compares
//! requests, proposals and grants. Its coverage shortcuts ([`ScopeSet::covers`], …) are in
//! `coverage`.

use std::fmt;
use std::str::FromStr;

use crate::error::ScopeSetError;
use crate::limits::MAX_SCOPES_PER_SET;
use crate::model::{ResourceScope, Scope};
use crate::risk::Risk;

/// A normalized set of scopes.
///
/// Normalization: every scope in v2 form (parsing already does that); resource scopes
/// with the same context, resource and query parameters (after each scope's own
/// parameters are sorted by name then value) merged into one scope carrying the union of
/// their letters (`patient/Observation.rs` + `patient/Observation.cud` →
/// `patient/Observation.cruds`); duplicates removed; members sorted by their normalized
/// text in byte order (so `patient/…` < `system/…` < `user/…`, and the order is the
/// same everywhere a set is printed or stored). Scopes are not otherwise minimized:
/// `patient/*.rs patient/Observation.r` stays as two members, because that is what was
/// asked or approved.
#[derive(Clone, PartialEq, Eq, Hash, Debug, Default)]
pub struct ScopeSet {
    scopes: Vec<Scope>,
}

impl ScopeSet {
    /// The empty set.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Normalizes already-parsed scopes into a set. No size limit applies here: the limit
    /// guards parsing of untrusted input.
    pub fn from_scopes(scopes: impl IntoIterator<Item = Scope>) -> Self {
        let mut resources: Vec<ResourceScope> = Vec::new();
        let mut others: Vec<Scope> = Vec::new();
        for scope in scopes {
            match scope {
                Scope::Resource(r) => resources.push(r),
                other => others.push(other),
            }
        }
        resources.sort_unstable_by(|a, b| (a.context, a.resource, &a.query).cmp(&(b.context, b.resource, &b.query)));
        let mut merged: Vec<ResourceScope> = Vec::with_capacity(resources.len());
        for r in resources {
            match merged.last_mut() {
                Some(last) if last.context == r.context && last.resource == r.resource && last.query == r.query => {
                    last.permissions = last.permissions.union(r.permissions);
                }
                _ => merged.push(r),
            }
        }
        let mut keyed: Vec<(String, Scope)> = merged.into_iter().map(Scope::Resource).chain(others).map(|s| (s.to_string(), s)).collect();
        keyed.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        keyed.dedup_by(|a, b| a.0 == b.0);
        Self { scopes: keyed.into_iter().map(|(_, s)| s).collect() }
    }

    /// Parses a list of scope strings into a normalized set.
    ///
    /// # Errors
    /// [`ScopeSetError::TooMany`] when more than [`MAX_SCOPES_PER_SET`] strings are given;
    /// otherwise [`ScopeSetError::Invalid`] for the first invalid one, with its index.
    pub fn parse_all<S: AsRef<str>>(inputs: &[S]) -> Result<Self, ScopeSetError> {
        if inputs.len() > MAX_SCOPES_PER_SET {
            return Err(ScopeSetError::TooMany { count: inputs.len() });
        }
        let mut scopes = Vec::with_capacity(inputs.len());
        for (index, input) in inputs.iter().enumerate() {
            let input = input.as_ref();
            match input.parse::<Scope>() {
                Ok(scope) => scopes.push(scope),
                Err(error) => {
                    return Err(ScopeSetError::Invalid { index, input: input.chars().take(100).collect(), error });
                }
            }
        }
        Ok(Self::from_scopes(scopes))
    }

    /// Parses an OAuth `scope` parameter: scopes separated by single spaces (RFC 6749
    /// §3.3). The empty string is the empty set.
    ///
    /// # Errors
    /// As [`ScopeSet::parse_all`]; a doubled, leading or trailing space yields an empty
    /// scope, which is refused.
    pub fn parse_space_delimited(text: &str) -> Result<Self, ScopeSetError> {
        if text.is_empty() {
            return Ok(Self::new());
        }
        let count = text.split(' ').count();
        if count > MAX_SCOPES_PER_SET {
            return Err(ScopeSetError::TooMany { count });
        }
        let parts: Vec<&str> = text.split(' ').collect();
        Self::parse_all(&parts)
    }

    /// The members, in set order.
    pub fn iter(&self) -> std::slice::Iter<'_, Scope> {
        self.scopes.iter()
    }

    /// The members as a slice.
    #[must_use]
    pub fn as_slice(&self) -> &[Scope] {
        &self.scopes
    }

    /// Number of members after merging.
    #[must_use]
    pub fn len(&self) -> usize {
        self.scopes.len()
    }

    /// Whether the set has no member.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.scopes.is_empty()
    }

    /// Whether `scope` is literally a member (not whether it is covered: see
    /// [`ScopeSet::covers`]).
    #[must_use]
    pub fn contains(&self, scope: &Scope) -> bool {
        self.scopes.contains(scope)
    }

    /// The normalized text of each member, in set order.
    #[must_use]
    pub fn to_strings(&self) -> Vec<String> {
        self.scopes.iter().map(ToString::to_string).collect()
    }

    /// The highest risk of any member ([`Risk::Low`] for the empty set).
    #[must_use]
    pub fn risk(&self) -> Risk {
        self.scopes.iter().map(Scope::risk).max().unwrap_or(Risk::Low)
    }
}

impl AsRef<[Scope]> for ScopeSet {
    fn as_ref(&self) -> &[Scope] {
        &self.scopes
    }
}

impl<'a> IntoIterator for &'a ScopeSet {
    type Item = &'a Scope;
    type IntoIter = std::slice::Iter<'a, Scope>;

    fn into_iter(self) -> Self::IntoIter {
        self.scopes.iter()
    }
}

impl IntoIterator for ScopeSet {
    type Item = Scope;
    type IntoIter = std::vec::IntoIter<Scope>;

    fn into_iter(self) -> Self::IntoIter {
        self.scopes.into_iter()
    }
}

impl FromIterator<Scope> for ScopeSet {
    fn from_iter<I: IntoIterator<Item = Scope>>(iter: I) -> Self {
        Self::from_scopes(iter)
    }
}

impl fmt::Display for ScopeSet {
    /// The members' normalized text joined by single spaces (an OAuth `scope` value).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for scope in &self.scopes {
            if !first {
                f.write_str(" ")?;
            }
            first = false;
            scope.fmt(f)?;
        }
        Ok(())
    }
}

impl FromStr for ScopeSet {
    type Err = ScopeSetError;

    /// Same as [`ScopeSet::parse_space_delimited`].
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse_space_delimited(s)
    }
}

impl serde::Serialize for ScopeSet {
    /// A JSON array of normalized scope strings.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.scopes.iter().map(ToString::to_string))
    }
}

impl<'de> serde::Deserialize<'de> for ScopeSet {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let texts = Vec::<String>::deserialize(deserializer)?;
        Self::parse_all(&texts).map_err(serde::de::Error::custom)
    }
}

impl TryFrom<&[String]> for ScopeSet {
    type Error = ScopeSetError;

    fn try_from(value: &[String]) -> Result<Self, Self::Error> {
        Self::parse_all(value)
    }
}
