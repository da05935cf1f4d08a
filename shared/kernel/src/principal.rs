//! Who is calling: the tenant, the roles, and the actor recorded in the audit trail.

use chrono::{DateTime, Utc};
use std::fmt;
use std::str::FromStr;

/// What a user may do in their tenant (SPEC §1, fixed names).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, async_graphql::Enum)]
#[graphql(name = "Role")]
pub enum Role {
    /// Manages users, tokens, policy and endpoints; may do all the others may.
    Admin,
    /// Approves, denies, revokes and certifies at a data holder.
    Approver,
    /// Registers apps and requests access at a vendor.
    Developer,
    /// Reads the audit trail.
    Auditor,
}

impl Role {
    /// All roles, in a stable order.
    pub const ALL: [Role; 4] = [Role::Admin, Role::Approver, Role::Developer, Role::Auditor];

    /// The fixed name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "ADMIN",
            Role::Approver => "APPROVER",
            Role::Developer => "DEVELOPER",
            Role::Auditor => "AUDITOR",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| format!("unknown role `{s}` (expected ADMIN, APPROVER, DEVELOPER or AUDITOR)"))
    }
}

/// A set of roles, stored as a comma-separated list of the fixed names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RoleSet(Vec<Role>);

impl RoleSet {
    /// A set from any roles, deduplicated and sorted.
    #[must_use]
    pub fn new(roles: impl IntoIterator<Item = Role>) -> Self {
        let mut v: Vec<Role> = roles.into_iter().collect();
        v.sort();
        v.dedup();
        Self(v)
    }

    /// Whether the set holds `role` itself, or ADMIN (which may do all the others may).
    #[must_use]
    pub fn allows(&self, role: Role) -> bool {
        self.0.contains(&role) || self.0.contains(&Role::Admin)
    }

    /// Whether the set literally contains `role`.
    #[must_use]
    pub fn contains(&self, role: Role) -> bool {
        self.0.contains(&role)
    }

    /// Whether every role here is also in `other`.
    #[must_use]
    pub fn is_subset_of(&self, other: &RoleSet) -> bool {
        self.0.iter().all(|r| other.0.contains(r))
    }

    /// What this set may act as in an organization of `kind` (SPEC §2.9): its own roles, and for
    /// an ADMIN also every other role that kind has (a data holder's ADMIN is an APPROVER and an
    /// AUDITOR, a vendor's ADMIN a DEVELOPER and an AUDITOR). Never a role the kind lacks.
    #[must_use]
    pub fn implied(&self, kind: TenantKind) -> RoleSet {
        if self.contains(Role::Admin) { RoleSet::new(self.0.iter().copied().chain(kind.roles().iter().copied())) } else { self.clone() }
    }

    /// The roles in both sets.
    #[must_use]
    pub fn intersect(&self, other: &RoleSet) -> RoleSet {
        RoleSet(self.0.iter().copied().filter(|r| other.0.contains(r)).collect())
    }

    /// The roles as a slice.
    #[must_use]
    pub fn as_slice(&self) -> &[Role] {
        &self.0
    }

    /// Whether there is no role.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The storage form, e.g. `ADMIN,APPROVER`.
    #[must_use]
    pub fn to_storage(&self) -> String {
        self.0.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(",")
    }

    /// Reads the storage form; unknown names are dropped (they can only come from a newer
    /// version of Accord, and dropping grants less, never more).
    #[must_use]
    pub fn from_storage(s: &str) -> Self {
        Self::new(s.split(',').filter_map(|p| p.parse().ok()))
    }
}

/// The kind of organization (SPEC §1, fixed names).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, async_graphql::Enum)]
#[graphql(name = "TenantKind")]
pub enum TenantKind {
    /// A healthcare provider: a data holder.
    Provider,
    /// A payer: a data holder.
    Payer,
    /// An app vendor.
    Developer,
}

impl TenantKind {
    /// The fixed name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            TenantKind::Provider => "PROVIDER",
            TenantKind::Payer => "PAYER",
            TenantKind::Developer => "DEVELOPER",
        }
    }

    /// The roles an organization of this kind has: ADMIN and AUDITOR everywhere, APPROVER at
    /// data holders, DEVELOPER at vendors.
    #[must_use]
    pub fn roles(self) -> &'static [Role] {
        if self.is_data_holder() { &[Role::Admin, Role::Approver, Role::Auditor] } else { &[Role::Admin, Role::Developer, Role::Auditor] }
    }

    /// Providers and payers hold data; developers do not.
    #[must_use]
    pub fn is_data_holder(self) -> bool {
        matches!(self, TenantKind::Provider | TenantKind::Payer)
    }
}

impl fmt::Display for TenantKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for TenantKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_uppercase().as_str() {
            "PROVIDER" => Ok(TenantKind::Provider),
            "PAYER" => Ok(TenantKind::Payer),
            "DEVELOPER" => Ok(TenantKind::Developer),
            _ => Err(format!("unknown tenant kind `{s}` (expected PROVIDER, PAYER or DEVELOPER)")),
        }
    }
}

/// Who did something, as the audit trail records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// A person, through a session.
    User {
        /// The user's id.
        user_id: String,
    },
    /// A person's API token.
    ApiToken {
        /// The token's id.
        token_id: String,
        /// The owner's id.
        user_id: String,
    },
    /// A SMART app, by client id.
    App {
        /// The app's client id.
        client_id: String,
    },
    /// Accord itself (scheduler, cascades, operators' CLI).
    System,
}

impl fmt::Display for Actor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Actor::User { user_id } => write!(f, "user:{user_id}"),
            Actor::ApiToken { token_id, .. } => write!(f, "api_token:{token_id}"),
            Actor::App { client_id } => write!(f, "app:{client_id}"),
            Actor::System => f.write_str("system"),
        }
    }
}

/// An authenticated caller: the tenant context every repo and service function takes.
#[derive(Debug, Clone)]
pub struct Principal {
    /// The caller's tenant.
    pub tenant_id: String,
    /// The caller's tenant kind.
    pub tenant_kind: TenantKind,
    /// The user acting (directly or through their token).
    pub user_id: String,
    /// Effective roles (for a token: its roles intersected with the roles its owner currently
    /// holds or implies, see [`RoleSet::implied`]).
    pub roles: RoleSet,
    /// What the audit trail records.
    pub actor: Actor,
    /// The session the call came with; `None` for API tokens (and for callers that are not
    /// people). `logout` ends exactly this session.
    pub session: Option<SessionRef>,
}

/// A session JWT, as far as ending it needs: its id and when it would expire anyway.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRef {
    /// The JWT's `jti`.
    pub id: String,
    /// Its `exp`: after this, remembering that it ended is pointless.
    pub expires_at: DateTime<Utc>,
}

/// The name ARCHITECTURE.md uses for the caller's context.
pub type TenantCtx = Principal;

impl Principal {
    /// Whether the caller may act as `role` (ADMIN may act as any role).
    #[must_use]
    pub fn allows(&self, role: Role) -> bool {
        self.roles.allows(role)
    }

    /// The one role check: `Ok` when the caller may act as `role` (ADMIN may act as any role),
    /// else [`Denied`] whose message says who may do `what`, e.g.
    /// `require(Role::Admin, "offboard an app")` → "only an ADMIN may offboard an app".
    ///
    /// # Errors
    /// [`Denied`] (`FORBIDDEN`).
    pub fn require(&self, role: Role, what: &str) -> Result<(), Denied> {
        if self.allows(role) {
            Ok(())
        } else if role == Role::Admin {
            Err(Denied(format!("only an ADMIN may {what}")))
        } else {
            Err(Denied(format!("only {role} or ADMIN users may {what}")))
        }
    }
}

/// A role check that failed; the message says who may do it. Services map it to their
/// `Forbidden` error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Denied(pub String);

impl crate::Classify for Denied {
    fn kind(&self) -> crate::ErrorKind {
        crate::ErrorKind::Forbidden
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn require_names_who_may_and_admin_may_do_everything() {
        let p = |roles: &[Role]| Principal {
            tenant_id: "t".into(),
            tenant_kind: TenantKind::Provider,
            user_id: "u".into(),
            roles: RoleSet::new(roles.iter().copied()),
            actor: Actor::System,
            session: None,
        };
        assert_eq!(
            p(&[Role::Auditor]).require(Role::Approver, "approve requests").unwrap_err().0,
            "only APPROVER or ADMIN users may approve requests"
        );
        assert_eq!(p(&[Role::Approver]).require(Role::Admin, "change the policy").unwrap_err().0, "only an ADMIN may change the policy");
        assert!(p(&[Role::Admin]).require(Role::Approver, "approve requests").is_ok());
        assert!(p(&[Role::Approver]).require(Role::Approver, "approve requests").is_ok());
    }

    #[test]
    fn admin_allows_every_role_but_others_only_their_own() {
        let admin = RoleSet::new([Role::Admin]);
        assert!(Role::ALL.iter().all(|r| admin.allows(*r)));
        let dev = RoleSet::new([Role::Developer]);
        assert!(dev.allows(Role::Developer));
        assert!(!dev.allows(Role::Approver));
    }

    #[test]
    fn admin_implies_the_other_roles_of_its_kind_and_nothing_else() {
        let admin = RoleSet::new([Role::Admin]);
        let holder = RoleSet::new([Role::Admin, Role::Approver, Role::Auditor]);
        assert_eq!(admin.implied(TenantKind::Provider), holder);
        assert_eq!(admin.implied(TenantKind::Payer), holder);
        assert_eq!(admin.implied(TenantKind::Developer), RoleSet::new([Role::Admin, Role::Developer, Role::Auditor]));
        assert!(!admin.implied(TenantKind::Developer).contains(Role::Approver));
        let approver = RoleSet::new([Role::Approver]);
        assert_eq!(approver.implied(TenantKind::Provider), approver, "only ADMIN implies other roles");
    }

    #[test]
    fn role_storage_round_trips_and_drops_unknown_names() {
        let s = RoleSet::new([Role::Approver, Role::Admin, Role::Approver]);
        assert_eq!(s.to_storage(), "ADMIN,APPROVER");
        assert_eq!(RoleSet::from_storage("ADMIN,APPROVER,ROOT"), s);
    }
}
