//! The service handle and authentication: turning a bearer credential into a [`Principal`].

use crate::credentials::{API_TOKEN_PREFIX, SessionKeys, token_hash};
use crate::entities::{api_token, tenant, user};
use crate::error::{Error, Result};
use accord_db::store::Store;
use accord_kernel::{Actor, Principal, RoleSet, SharedClock, TenantKind};
use chrono::Duration;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use std::collections::HashMap;

/// Everything the tenants service needs, passed in explicitly (no globals). Cheap to clone.
#[derive(Clone, Debug)]
pub struct Tenants {
    /// The database.
    pub db: accord_db::Db,
    /// Shared counters (rate limits).
    pub store: Store,
    /// The clock.
    pub clock: SharedClock,
    /// Session signing.
    pub sessions: SessionKeys,
    /// Which kinds may sign up themselves (`ACCORD_SIGNUP_KINDS`).
    pub signup_kinds: Vec<TenantKind>,
}

/// A logged-in user: the session token (shown once) and who it is for.
#[derive(Debug, Clone)]
pub struct Session {
    /// The session JWT.
    pub token: String,
    /// The user.
    pub user: user::Model,
}

/// What an operator or a sign-up creates.
#[derive(Debug)]
pub struct NewTenant {
    /// Organization name.
    pub name: String,
    /// Organization kind.
    pub kind: TenantKind,
    /// The first admin's name.
    pub admin_name: String,
    /// The first admin's email.
    pub admin_email: String,
    /// The first admin's password.
    pub admin_password: String,
}

/// `last_used_at` is written at most this often per token, so a busy token does not turn every
/// read into a write.
const LAST_USED_GRANULARITY_SECS: i64 = 60;

impl Tenants {
    /// Resolves a bearer credential — an API token (`acc_pat_…`) or a session JWT — into the
    /// caller. Sessions stop working the moment their user is deactivated or their roles
    /// change; tokens when revoked, expired, or their owner is deactivated. A token's roles are
    /// intersected with its owner's current roles.
    ///
    /// # Errors
    /// `Unauthenticated` for every defect (never which one); `Internal` on database failure.
    pub async fn authenticate(&self, bearer: &str) -> Result<Principal> {
        let now = self.clock.now();
        if bearer.starts_with(API_TOKEN_PREFIX) {
            let tok = api_token::Entity::find()
                .filter(api_token::Column::TokenHash.eq(token_hash(bearer)))
                .one(&self.db)
                .await?
                .ok_or(Error::Unauthenticated)?;
            if tok.revoked_at.is_some() || tok.expires_at <= now {
                return Err(Error::Unauthenticated);
            }
            let (owner, t) = self.active_user(&tok.user_id).await?;
            if owner.tenant_id != tok.tenant_id {
                return Err(Error::Unauthenticated);
            }
            if tok.last_used_at.is_none_or(|at| now - at >= Duration::seconds(LAST_USED_GRANULARITY_SECS)) {
                api_token::Entity::update_many()
                    .col_expr(api_token::Column::LastUsedAt, Expr::value(now))
                    .filter(api_token::Column::Id.eq(tok.id.clone()))
                    .exec(&self.db)
                    .await?;
            }
            let roles = RoleSet::from_storage(&tok.roles).intersect(&RoleSet::from_storage(&owner.roles));
            return Ok(Principal {
                tenant_kind: kind_of(&t),
                tenant_id: t.id,
                user_id: owner.id.clone(),
                roles,
                actor: Actor::ApiToken { token_id: tok.id, user_id: owner.id },
            });
        }
        let claims = self.sessions.verify(bearer, now)?;
        let (u, t) = self.active_user(&claims.sub).await?;
        if u.session_version != claims.sv || u.tenant_id != claims.tid {
            return Err(Error::Unauthenticated);
        }
        Ok(Principal {
            tenant_kind: kind_of(&t),
            tenant_id: t.id,
            user_id: u.id.clone(),
            roles: RoleSet::from_storage(&u.roles),
            actor: Actor::User { user_id: u.id },
        })
    }

    async fn active_user(&self, user_id: &str) -> Result<(user::Model, tenant::Model)> {
        let u = user::Entity::find_by_id(user_id.to_owned()).one(&self.db).await?.ok_or(Error::Unauthenticated)?;
        let t = tenant::Entity::find_by_id(u.tenant_id.clone()).one(&self.db).await?.ok_or(Error::Unauthenticated)?;
        if u.status != USER_ACTIVE || t.status != TENANT_ACTIVE {
            return Err(Error::Unauthenticated);
        }
        Ok((u, t))
    }

    /// Tenants by id (for dataloaders and other services); unknown ids are absent.
    ///
    /// # Errors
    /// On database failure.
    pub async fn tenants_by_ids(&self, ids: &[String]) -> Result<HashMap<String, tenant::Model>> {
        crate::lookup::tenants_by_ids(&self.db, ids).await
    }
}

/// Status of a working user.
pub(crate) const USER_ACTIVE: &str = "ACTIVE";
/// Status of a deactivated user.
pub(crate) const USER_DISABLED: &str = "DISABLED";
/// Status of a working tenant.
pub(crate) const TENANT_ACTIVE: &str = "ACTIVE";

/// The kind column as an enum (rows are only ever written from the enum).
pub(crate) fn kind_of(t: &tenant::Model) -> TenantKind {
    t.kind.parse().unwrap_or(TenantKind::Developer)
}
