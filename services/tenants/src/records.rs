//! What other crates get from this one: records parsed from the rows, never the rows. A row
//! whose kind, status or roles do not parse is refused (`Internal`) when read — never mapped to
//! a default, since a silent default here would be an authorization decision.

use crate::domain::{TenantStatus, UserStatus};
use crate::entities::{api_token, invitation, tenant, user};
use crate::error::Error;
use accord_kernel::{RoleSet, TenantKind};
use chrono::{DateTime, Utc};

/// An organization.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenantRecord {
    /// Its id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// URL-safe unique name.
    pub slug: String,
    /// Provider, payer or developer.
    pub kind: TenantKind,
    /// Whether it works.
    pub status: TenantStatus,
    /// When it was created.
    pub created_at: DateTime<Utc>,
}

impl TenantRecord {
    /// Whether the organization works (its people can act; it is in the directory).
    #[must_use]
    pub fn is_active(&self) -> bool {
        self.status == TenantStatus::Active
    }
}

impl TryFrom<tenant::Model> for TenantRecord {
    type Error = Error;

    fn try_from(m: tenant::Model) -> Result<Self, Error> {
        let kind = m.kind.parse().map_err(|_| corrupt("tenant", &m.id, "kind"))?;
        let status = m.status.parse().map_err(|_| corrupt("tenant", &m.id, "status"))?;
        Ok(Self { id: m.id, name: m.name, slug: m.slug, kind, status, created_at: m.created_at })
    }
}

/// A person in one organization (never their password hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRecord {
    /// Its id.
    pub id: String,
    /// Their organization.
    pub tenant_id: String,
    /// Email address (unique across Accord).
    pub email: String,
    /// Display name.
    pub name: String,
    /// What they may do in their organization.
    pub roles: RoleSet,
    /// Whether they can log in.
    pub status: UserStatus,
    /// Bumped whenever their sessions must end (deactivation, role change).
    pub session_version: i32,
    /// When they joined.
    pub created_at: DateTime<Utc>,
    /// When they last changed.
    pub updated_at: DateTime<Utc>,
}

impl UserRecord {
    /// Whether they can log in.
    #[must_use]
    pub fn is_active(&self) -> bool {
        self.status == UserStatus::Active
    }
}

impl TryFrom<user::Model> for UserRecord {
    type Error = Error;

    fn try_from(m: user::Model) -> Result<Self, Error> {
        let status = m.status.parse().map_err(|_| corrupt("user", &m.id, "status"))?;
        Ok(Self {
            roles: RoleSet::from_storage(&m.roles),
            id: m.id,
            tenant_id: m.tenant_id,
            email: m.email,
            name: m.name,
            status,
            session_version: m.session_version,
            created_at: m.created_at,
            updated_at: m.updated_at,
        })
    }
}

/// An invitation (never its token's hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvitationRecord {
    /// Its id.
    pub id: String,
    /// The organization it invites into.
    pub tenant_id: String,
    /// Who is invited.
    pub email: String,
    /// The roles they will have.
    pub roles: RoleSet,
    /// Who issued it.
    pub invited_by: String,
    /// When it stops working.
    pub expires_at: DateTime<Utc>,
    /// When it was used.
    pub accepted_at: Option<DateTime<Utc>>,
    /// When it was issued.
    pub created_at: DateTime<Utc>,
    /// When it was revoked.
    pub revoked_at: Option<DateTime<Utc>>,
}

impl From<invitation::Model> for InvitationRecord {
    fn from(m: invitation::Model) -> Self {
        Self {
            roles: RoleSet::from_storage(&m.roles),
            id: m.id,
            tenant_id: m.tenant_id,
            email: m.email,
            invited_by: m.invited_by,
            expires_at: m.expires_at,
            accepted_at: m.accepted_at,
            created_at: m.created_at,
            revoked_at: m.revoked_at,
        }
    }
}

/// An API token (never its hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiTokenRecord {
    /// Its id.
    pub id: String,
    /// Its organization.
    pub tenant_id: String,
    /// Its owner.
    pub user_id: String,
    /// Label.
    pub name: String,
    /// The roles it carries.
    pub roles: RoleSet,
    /// When it stops working.
    pub expires_at: DateTime<Utc>,
    /// When it was last used (to the minute).
    pub last_used_at: Option<DateTime<Utc>>,
    /// When it was revoked.
    pub revoked_at: Option<DateTime<Utc>>,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// The token that minted it, if a token did.
    pub parent_token_id: Option<String>,
}

impl From<api_token::Model> for ApiTokenRecord {
    fn from(m: api_token::Model) -> Self {
        Self {
            roles: RoleSet::from_storage(&m.roles),
            id: m.id,
            tenant_id: m.tenant_id,
            user_id: m.user_id,
            name: m.name,
            expires_at: m.expires_at,
            last_used_at: m.last_used_at,
            revoked_at: m.revoked_at,
            created_at: m.created_at,
            parent_token_id: m.parent_token_id,
        }
    }
}

/// A row that does not parse: corruption, refused (the message is for the log only).
fn corrupt(table: &str, id: &str, what: &str) -> Error {
    Error::Internal(Box::new(std::io::Error::other(format!("{table} {id} has an unreadable {what}"))))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tenant_row(kind: &str, status: &str) -> tenant::Model {
        tenant::Model {
            id: "t1".into(),
            name: "Acme".into(),
            slug: "acme".into(),
            kind: kind.into(),
            status: status.into(),
            created_at: DateTime::<Utc>::UNIX_EPOCH,
        }
    }

    #[test]
    fn a_tenant_row_with_an_unknown_kind_is_refused_not_read_as_a_developer() {
        assert!(matches!(TenantRecord::try_from(tenant_row("HOSPITAL", "ACTIVE")), Err(Error::Internal(_))));
        assert!(matches!(TenantRecord::try_from(tenant_row("", "ACTIVE")), Err(Error::Internal(_))));
    }

    #[test]
    fn a_tenant_row_with_an_unknown_status_is_refused() {
        assert!(matches!(TenantRecord::try_from(tenant_row("PROVIDER", "MAYBE")), Err(Error::Internal(_))));
    }

    #[test]
    fn a_suspended_tenant_reads_as_not_active() {
        let t = TenantRecord::try_from(tenant_row("PROVIDER", "SUSPENDED")).unwrap();
        assert_eq!((t.status, t.is_active()), (TenantStatus::Suspended, false));
    }

    #[test]
    fn a_well_formed_tenant_row_reads_as_typed_values() {
        let t = TenantRecord::try_from(tenant_row("PAYER", "ACTIVE")).unwrap();
        assert_eq!((t.kind, t.status, t.is_active()), (TenantKind::Payer, TenantStatus::Active, true));
    }

    #[test]
    fn a_user_row_with_an_unknown_status_is_refused() {
        let row = user::Model {
            id: "u1".into(),
            tenant_id: "t1".into(),
            email: "ada@example.org".into(),
            name: "Ada".into(),
            password_hash: String::new(),
            roles: "ADMIN".into(),
            status: "SLEEPING".into(),
            session_version: 0,
            created_at: DateTime::<Utc>::UNIX_EPOCH,
            updated_at: DateTime::<Utc>::UNIX_EPOCH,
        };
        assert!(matches!(UserRecord::try_from(row.clone()), Err(Error::Internal(_))));
        let ok = UserRecord::try_from(user::Model { status: "DISABLED".into(), ..row }).unwrap();
        assert_eq!((ok.status, ok.is_active()), (UserStatus::Disabled, false));
    }
}
