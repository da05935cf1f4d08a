//! Containment, overlap, narrowing and intersection of scopes.
//!
//! Query values are compared after percent-decoding (`%7C` and `|` are the same value to
//! a FHIR server), byte for byte, case-sensitively. Names are compared exactly.

use crate::model::{Permissions, Resource, ResourceScope, Scope};
use crate::set::ScopeSet;

/// Whether the granted scopes cover `requested`.
///
/// A resource scope is covered when, for each of its letters, some granted resource scope
/// *matches* it and carries that letter. A granted scope matches when it has the same
/// context (`patient/`, `user/` and `system/` never cover each other), the same resource
/// or `*`, and every one of its query parameters appears, with the same value, in the
/// requested scope (a restricted scope never covers an unrestricted one; extra parameters
/// on the requested side only narrow it, because FHIR ANDs parameters). Letters may come
/// from different members: `patient/*.r` + `patient/Observation.s` cover
/// `patient/Observation.rs`.
///
/// Any other scope (`openid`, `launch`, extensions, …) is covered only by an equal scope.
#[must_use]
pub fn covers<G: AsRef<[Scope]> + ?Sized>(granted: &G, requested: &Scope) -> bool {
    let granted = granted.as_ref();
    match requested {
        Scope::Resource(r) => granted_letters(granted, r).contains(r.permissions),
        other => granted.iter().any(|g| g == other),
    }
}

/// Whether the granted scopes cover every requested scope.
#[must_use]
pub fn covers_all<G, R>(granted: &G, requested: &R) -> bool
where
    G: AsRef<[Scope]> + ?Sized,
    R: AsRef<[Scope]> + ?Sized,
{
    requested.as_ref().iter().all(|r| covers(granted, r))
}

/// The requested scopes that the granted scopes do not cover, in the order given.
#[must_use]
pub fn uncovered<G, R>(granted: &G, requested: &R) -> Vec<Scope>
where
    G: AsRef<[Scope]> + ?Sized,
    R: AsRef<[Scope]> + ?Sized,
{
    requested.as_ref().iter().filter(|r| !covers(granted, r)).cloned().collect()
}

/// Checks that an approver's proposal stays within the request: every proposed scope is
/// covered by the requested set (least privilege: narrowing is allowed, widening never).
///
/// # Errors
/// The proposed scopes that the request does not cover, in the proposal's order.
pub fn narrow<R, P>(requested: &R, proposed: &P) -> Result<(), Vec<Scope>>
where
    R: AsRef<[Scope]> + ?Sized,
    P: AsRef<[Scope]> + ?Sized,
{
    let wider = uncovered(requested, proposed);
    if wider.is_empty() { Ok(()) } else { Err(wider) }
}

/// Whether some interaction on some resource type is allowed by both scopes (used for a
/// data holder's forbidden scopes).
///
/// Resource scopes overlap when they have the same context, their resources are equal or
/// either is `*`, and their letters intersect. Query parameters never rule an overlap
/// out: FHIR elements are often repeating (an Observation may carry both the
/// `laboratory` and the `vital-signs` category), string search matches prefixes and
/// dates take ranges, so two different restrictions can still select the same resource.
/// Erring towards "overlaps" means a forbidden pattern is never slipped past. Any other
/// scope overlaps only an equal scope.
#[must_use]
pub fn overlaps(a: &Scope, b: &Scope) -> bool {
    match (a, b) {
        (Scope::Resource(a), Scope::Resource(b)) => {
            a.context == b.context && a.resource.intersects(b.resource) && !a.permissions.intersection(b.permissions).is_empty()
        }
        (a, b) => a == b,
    }
}

/// What both sides allow: the scopes a token may carry when `requested` is asked for under
/// `granted`. Every member is covered by `granted` and by `requested`, and every scope
/// covered by both is covered by the result. Redundant members (covered by the others)
/// are dropped, so the result is as short as the inputs allow.
#[must_use]
pub fn intersection<G, R>(granted: &G, requested: &R) -> ScopeSet
where
    G: AsRef<[Scope]> + ?Sized,
    R: AsRef<[Scope]> + ?Sized,
{
    let granted = granted.as_ref();
    let mut out: Vec<Scope> = Vec::new();
    for r in requested.as_ref() {
        match r {
            Scope::Resource(r) => {
                for g in granted.iter().filter_map(Scope::as_resource) {
                    if let Some(both) = meet(g, r) {
                        out.push(Scope::Resource(both));
                    }
                }
            }
            other => {
                if granted.contains(other) {
                    out.push(other.clone());
                }
            }
        }
    }
    let mut set = ScopeSet::from_scopes(out).into_iter().collect::<Vec<_>>();
    // Drop members the rest still cover. Removing one at a time keeps coverage intact
    // (a removed member was covered by what remains, and covering is transitive).
    let mut i = 0;
    while i < set.len() {
        let candidate = set.remove(i);
        if covers(&set, &candidate) {
            continue;
        }
        set.insert(i, candidate);
        i += 1;
    }
    ScopeSet::from_scopes(set)
}

/// A human reason why `requested` is not covered, or `None` when it is.
#[must_use]
pub fn explain_uncovered<G: AsRef<[Scope]> + ?Sized>(granted: &G, requested: &Scope) -> Option<String> {
    let granted = granted.as_ref();
    let Scope::Resource(r) = requested else {
        return (!covers(granted, requested)).then(|| format!("'{requested}' is not granted"));
    };
    let have = granted_letters(granted, r);
    let missing = r.permissions.difference(have);
    if missing.is_empty() {
        return None;
    }
    let target = format!("{}/{}", r.context, r.resource);
    if !have.is_empty() {
        return Some(format!(
            "the granted scopes allow '{}' but not '{}' ({}) on {target}",
            have.intersection(r.permissions),
            missing,
            crate::describe::verbs(missing).to_lowercase(),
        ));
    }
    let same_target = |g: &&ResourceScope| g.context == r.context && g.resource.includes(r.resource) && !g.query.is_empty();
    if let Some(g) = granted.iter().filter_map(Scope::as_resource).find(same_target) {
        return Some(format!("the granted '{g}' is restricted by query parameters that the request does not carry with the same values"));
    }
    let other_context = granted
        .iter()
        .filter_map(Scope::as_resource)
        .find(|g| g.context != r.context && g.resource.includes(r.resource) && g.permissions.contains(r.permissions));
    if let Some(g) = other_context {
        return Some(format!("only '{g}' is granted, and patient/, user/ and system/ scopes never cover each other"));
    }
    Some(format!("no granted scope allows anything on {target}"))
}

impl Scope {
    /// Whether this single scope covers `requested` (see [`crate::covers`]).
    #[must_use]
    pub fn covers(&self, requested: &Self) -> bool {
        covers(std::slice::from_ref(self), requested)
    }

    /// Whether some interaction is allowed by both (see [`crate::overlaps`]).
    #[must_use]
    pub fn overlaps(&self, other: &Self) -> bool {
        overlaps(self, other)
    }
}

impl ScopeSet {
    /// Whether this set, taken as granted, covers `requested` (see [`crate::covers`]).
    #[must_use]
    pub fn covers(&self, requested: &Scope) -> bool {
        covers(self, requested)
    }

    /// Whether this set covers every member of `requested`.
    #[must_use]
    pub fn covers_all(&self, requested: &Self) -> bool {
        covers_all(self, requested)
    }

    /// The members of `requested` this set does not cover.
    #[must_use]
    pub fn uncovered(&self, requested: &Self) -> Vec<Scope> {
        uncovered(self, requested)
    }
}

/// Union of the letters of the granted resource scopes that match `requested`.
fn granted_letters(granted: &[Scope], requested: &ResourceScope) -> Permissions {
    let mut have = Permissions::NONE;
    for g in granted.iter().filter_map(Scope::as_resource) {
        if matches(g, requested) {
            have = have.union(g.permissions);
            if have.contains(requested.permissions) {
                break;
            }
        }
    }
    have
}

/// Same context, resource equal or `*`, and the granted query a subset of the requested.
fn matches(granted: &ResourceScope, requested: &ResourceScope) -> bool {
    granted.context == requested.context
        && granted.resource.includes(requested.resource)
        && granted.query.iter().all(|(gn, gv)| requested.query.iter().any(|(rn, rv)| gn == rn && value_eq(gv, rv)))
}

/// The scope allowed by both, if any: the narrower resource, the common letters and both
/// restrictions together.
fn meet(a: &ResourceScope, b: &ResourceScope) -> Option<ResourceScope> {
    if a.context != b.context || !a.resource.intersects(b.resource) {
        return None;
    }
    let permissions = a.permissions.intersection(b.permissions);
    if permissions.is_empty() {
        return None;
    }
    let resource = if a.resource == Resource::All { b.resource } else { a.resource };
    let mut query = a.query.clone();
    query.extend(b.query.iter().cloned());
    Some(ResourceScope::from_checked_parts(a.context, resource, permissions, query))
}

/// Percent-decoded, byte-exact equality.
fn value_eq(a: &str, b: &str) -> bool {
    if !a.contains('%') && !b.contains('%') {
        return a == b;
    }
    decoded(a).eq(decoded(b))
}

/// The bytes of `s` with each `%XX` replaced by the byte it encodes (a malformed escape,
/// which parsing refuses anyway, is kept literally).
fn decoded(s: &str) -> impl Iterator<Item = u8> + '_ {
    let bytes = s.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        let b = *bytes.get(i)?;
        if b == b'%'
            && let (Some(h), Some(l)) = (bytes.get(i + 1).and_then(|c| hex(*c)), bytes.get(i + 2).and_then(|c| hex(*c)))
        {
            i += 3;
            return Some(h * 16 + l);
        }
        i += 1;
        Some(b)
    })
}

fn hex(c: u8) -> Option<u8> {
    char::from(c).to_digit(16).and_then(|d| u8::try_from(d).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_decoding_makes_escaped_values_equal() {
        assert!(value_eq("a|b", "a%7Cb"));
        assert!(value_eq("a%7cb", "a%7Cb"));
        assert!(!value_eq("a|b", "a%7Db"));
        assert!(!value_eq("ab", "a%"));
        assert!(value_eq("%", "%"));
    }
}
