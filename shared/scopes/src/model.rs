//! The scope types. Every value is normalized by construction: parsing maps v1 permissions
//! to v2 letters and sorts query parameters, and the fields are private so no caller can
//! build a scope the parser would not produce. `Display` prints the normalized form, and
//! parsing that text gives back an equal value.
//!
//! This module depends on no other module of the crate but the resource-type list: the
//! behaviour of these types lives with the module that owns it, in `impl` blocks there —
//! parsing and checked construction (`FromStr`, `Deserialize`, [`ResourceScope::new`]) in
//! `parse`, coverage and overlap in `coverage`, risk in `risk`, descriptions in `describe`.

use std::fmt;

use crate::resource_types::ResourceType;

/// Whose data a resource scope reaches.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub enum Context {
    /// `patient/`: data about the single patient in context.
    Patient,
    /// `user/`: data the signed-in user may access.
    User,
    /// `system/`: data the client system may access, no user present.
    System,
}

impl Context {
    /// All three contexts.
    pub const ALL: [Self; 3] = [Self::Patient, Self::User, Self::System];

    /// The lowercase wire name: `patient`, `user` or `system`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Patient => "patient",
            Self::User => "user",
            Self::System => "system",
        }
    }
}

impl fmt::Display for Context {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The resource part of a resource scope: one concrete R4 type, or `*` (every type, now
/// and in future).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub enum Resource {
    /// `*`.
    All,
    /// A concrete R4 type.
    Type(ResourceType),
}

impl Resource {
    /// Whether this resource part includes `other` (`*` includes everything).
    #[must_use]
    pub fn includes(self, other: Self) -> bool {
        self == Self::All || self == other
    }

    /// Whether some resource type is named by both.
    #[must_use]
    pub fn intersects(self, other: Self) -> bool {
        self.includes(other) || other.includes(self)
    }
}

impl fmt::Display for Resource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::All => f.write_str("*"),
            Self::Type(t) => f.write_str(t.name()),
        }
    }
}

/// A set of SMART v2 permission letters (`c`, `r`, `u`, `d`, `s`), stored as a bitset.
/// Its text form is always in `cruds` order.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Permissions(u8);

/// Text of every permission set, indexed by its bits (`c`=1, `r`=2, `u`=4, `d`=8, `s`=16).
const LETTER_TABLE: [&str; 32] = [
    "", "c", "r", "cr", "u", "cu", "ru", "cru", "d", "cd", "rd", "crd", "ud", "cud", "rud", "crud", "s", "cs", "rs", "crs", "us", "cus",
    "rus", "crus", "ds", "cds", "rds", "crds", "uds", "cuds", "ruds", "cruds",
];

impl Permissions {
    /// No permission.
    pub const NONE: Self = Self(0);
    /// `c`: type-level create.
    pub const CREATE: Self = Self(1);
    /// `r`: read, vread, instance history.
    pub const READ: Self = Self(2);
    /// `u`: update (including upsert) and patch.
    pub const UPDATE: Self = Self(4);
    /// `d`: delete.
    pub const DELETE: Self = Self(8);
    /// `s`: search and type/system history.
    pub const SEARCH: Self = Self(16);
    /// `cruds`.
    pub const ALL: Self = Self(31);
    /// v1 `read` ⇒ `rs`.
    pub const V1_READ: Self = Self(2 | 16);
    /// v1 `write` ⇒ `cud`.
    pub const V1_WRITE: Self = Self(1 | 4 | 8);

    /// The five single letters, in `cruds` order, with their letter.
    pub const LETTERS: [(char, Self); 5] =
        [('c', Self::CREATE), ('r', Self::READ), ('u', Self::UPDATE), ('d', Self::DELETE), ('s', Self::SEARCH)];

    /// Builds a set from raw bits; bits above the five letters are dropped.
    #[must_use]
    pub const fn from_bits(bits: u8) -> Self {
        Self(bits & 31)
    }

    /// The raw bits (`c`=1, `r`=2, `u`=4, `d`=8, `s`=16).
    #[must_use]
    pub const fn bits(self) -> u8 {
        self.0
    }

    /// The single-letter permission for `letter`, if it is one of `cruds`.
    #[must_use]
    pub fn from_letter(letter: char) -> Option<Self> {
        Self::LETTERS.iter().find(|(l, _)| *l == letter).map(|(_, p)| *p)
    }

    /// The letters in `cruds` order, e.g. `"rs"`; empty for [`Permissions::NONE`].
    #[must_use]
    pub fn letters(self) -> &'static str {
        LETTER_TABLE.get(usize::from(self.0 & 31)).copied().unwrap_or("")
    }

    /// Whether no letter is set.
    #[must_use]
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Whether every letter of `other` is also in `self`.
    #[must_use]
    pub const fn contains(self, other: Self) -> bool {
        self.0 & other.0 == other.0
    }

    /// Letters in either.
    #[must_use]
    pub const fn union(self, other: Self) -> Self {
        Self(self.0 | other.0)
    }

    /// Letters in both.
    #[must_use]
    pub const fn intersection(self, other: Self) -> Self {
        Self(self.0 & other.0)
    }

    /// Letters in `self` but not in `other`.
    #[must_use]
    pub const fn difference(self, other: Self) -> Self {
        Self(self.0 & !other.0)
    }

    /// Whether any of `c`, `u`, `d` (a change to data) is set.
    #[must_use]
    pub const fn writes(self) -> bool {
        self.0 & Self::V1_WRITE.0 != 0
    }
}

impl fmt::Display for Permissions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.letters())
    }
}

impl fmt::Debug for Permissions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Permissions({:?})", self.letters())
    }
}

/// `context/Resource.letters[?name=value&…]`, normalized: v2 letters, at least one of
/// them, and query parameters sorted by (name, value) with exact duplicates removed
/// (FHIR ANDs repeated parameters, so order and repetition carry no meaning).
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct ResourceScope {
    pub(crate) context: Context,
    pub(crate) resource: Resource,
    pub(crate) permissions: Permissions,
    pub(crate) query: Vec<(String, String)>,
}

impl ResourceScope {
    /// Sorts and deduplicates an already-validated query.
    pub(crate) fn from_checked_parts(
        context: Context,
        resource: Resource,
        permissions: Permissions,
        mut query: Vec<(String, String)>,
    ) -> Self {
        query.sort_unstable();
        query.dedup();
        Self { context, resource, permissions, query }
    }

    /// `patient`, `user` or `system`.
    #[must_use]
    pub fn context(&self) -> Context {
        self.context
    }

    /// The resource type or `*`.
    #[must_use]
    pub fn resource(&self) -> Resource {
        self.resource
    }

    /// The v2 letters (never empty).
    #[must_use]
    pub fn permissions(&self) -> Permissions {
        self.permissions
    }

    /// The query restriction, sorted by (name, value); empty when unrestricted.
    #[must_use]
    pub fn query(&self) -> &[(String, String)] {
        &self.query
    }

    /// The same scope with other letters; `None` when `permissions` is empty.
    #[must_use]
    pub fn with_permissions(&self, permissions: Permissions) -> Option<Self> {
        (!permissions.is_empty()).then(|| Self { permissions, ..self.clone() })
    }
}

impl fmt::Display for ResourceScope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}.{}", self.context, self.resource, self.permissions)?;
        let mut sep = '?';
        for (name, value) in &self.query {
            write!(f, "{sep}{name}={value}")?;
            sep = '&';
        }
        Ok(())
    }
}

/// `launch/<lowercasetype>[?role=<uri>]`: asks for a resource of that type in the launch
/// context (the experimental `fhirContext` extension). `launch/patient` and
/// `launch/encounter` without a role are the dedicated [`Scope::LaunchPatient`] and
/// [`Scope::LaunchEncounter`] instead.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct LaunchType {
    pub(crate) resource_type: ResourceType,
    pub(crate) role: Option<String>,
}

impl LaunchType {
    /// The resource type asked for.
    #[must_use]
    pub fn resource_type(&self) -> ResourceType {
        self.resource_type
    }

    /// The `role` parameter, if any.
    #[must_use]
    pub fn role(&self) -> Option<&str> {
        self.role.as_deref()
    }
}

impl fmt::Display for LaunchType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "launch/{}", self.resource_type.name().to_ascii_lowercase())?;
        if let Some(role) = &self.role {
            write!(f, "?role={role}")?;
        }
        Ok(())
    }
}

/// An extension scope: `__name` or an absolute URI the server defines. Opaque: Accord
/// cannot tell what it allows, so it is covered only by an identical scope.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct Extension(pub(crate) String);

impl Extension {
    /// The scope text, exactly as given.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Extension {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One SMART on FHIR scope, normalized.
///
/// Parse with [`str::parse`] / [`std::str::FromStr`]; print with `Display` (the normalized
/// form, which parses back to an equal value). The accepted grammar and every rejection
/// are described in the crate documentation.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub enum Scope {
    /// `patient|user|system/Type|*.letters[?query]`.
    Resource(ResourceScope),
    /// `launch` (EHR launch).
    Launch,
    /// `launch/patient`.
    LaunchPatient,
    /// `launch/encounter`.
    LaunchEncounter,
    /// `launch/<lowercasetype>[?role=uri]`.
    LaunchType(LaunchType),
    /// `openid`.
    OpenId,
    /// `fhirUser`.
    FhirUser,
    /// `profile` (v1, deprecated in favour of `fhirUser`).
    Profile,
    /// `offline_access`.
    OfflineAccess,
    /// `online_access`.
    OnlineAccess,
    /// `__name` or an absolute URI.
    Extension(Extension),
}

impl Scope {
    /// The resource scope inside, if this is one.
    #[must_use]
    pub fn as_resource(&self) -> Option<&ResourceScope> {
        match self {
            Self::Resource(r) => Some(r),
            _ => None,
        }
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Resource(r) => r.fmt(f),
            Self::Launch => f.write_str("launch"),
            Self::LaunchPatient => f.write_str("launch/patient"),
            Self::LaunchEncounter => f.write_str("launch/encounter"),
            Self::LaunchType(l) => l.fmt(f),
            Self::OpenId => f.write_str("openid"),
            Self::FhirUser => f.write_str("fhirUser"),
            Self::Profile => f.write_str("profile"),
            Self::OfflineAccess => f.write_str("offline_access"),
            Self::OnlineAccess => f.write_str("online_access"),
            Self::Extension(e) => e.fmt(f),
        }
    }
}

impl From<ResourceScope> for Scope {
    fn from(r: ResourceScope) -> Self {
        Self::Resource(r)
    }
}

/// The normalized text (`Deserialize`, which parses, is in `parse`).
impl serde::Serialize for Scope {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letter_table_matches_the_bits() {
        for bits in 0u8..32 {
            let p = Permissions::from_bits(bits);
            let expected: String = Permissions::LETTERS.iter().filter(|(_, l)| p.contains(*l)).map(|(c, _)| *c).collect();
            assert_eq!(p.letters(), expected);
        }
    }

    #[test]
    fn set_operations_work_on_letters() {
        let rs = Permissions::V1_READ;
        let cud = Permissions::V1_WRITE;
        assert_eq!(rs.union(cud), Permissions::ALL);
        assert!(rs.intersection(cud).is_empty());
        assert_eq!(Permissions::ALL.difference(rs), cud);
        assert!(cud.writes());
        assert!(!rs.writes());
        assert_eq!(Permissions::from_bits(255), Permissions::ALL);
    }

    #[test]
    fn wildcard_resource_includes_every_type() {
        let obs = Resource::Type(ResourceType::from_name("Observation").unwrap());
        let pat = Resource::Type(ResourceType::from_name("Patient").unwrap());
        assert!(Resource::All.includes(obs));
        assert!(!obs.includes(Resource::All));
        assert!(obs.intersects(Resource::All));
        assert!(!obs.intersects(pat));
    }
}
