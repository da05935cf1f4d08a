//! The service handle and authentication: turning a bearer credential into a [`Principal`].

use crate::credentials::{API_TOKEN_PREFIX, SessionKeys};
use crate::domain::{TenantStatus, UserStatus};
use crate::entities::{api_token, revoked_session};
use crate::error::{Error, Result};
use crate::records::{TenantRecord, UserRecord};
use accord_db::audit::{self, AuditEntry};
use accord_db::store::Store;
use accord_kernel::principal::SessionRef;
use accord_kernel::secret::token_hash;
use accord_kernel::{Actor, Principal, SharedClock, TenantKind};
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, TryInsertResult};
use serde_json::json;
use std::collections::HashMap;
use tracing::instrument;

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

/// Who a bearer credential speaks for, with their user and organization as they were when the
/// credential was checked (`me` answers from it), and when the credential stops working by
/// itself: a cache of identities must not outlive `until`.
#[derive(Debug, Clone)]
pub struct Identity {
    /// The caller.
    pub principal: Principal,
    /// Their user.
    pub user: UserRecord,
    /// Their organization.
    pub tenant: TenantRecord,
    /// The API token's or the session's expiry.
    pub until: DateTime<Utc>,
}

/// A logged-in user: the session token (shown once) and who it is for.
#[derive(Debug, Clone)]
pub struct Session {
    /// The session JWT.
    pub token: String,
    /// The user.
    pub user: UserRecord,
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
    /// change, or they log out; tokens when revoked, expired, or their owner is deactivated. A
    /// token's roles are intersected with the roles its owner currently holds or implies
    /// ([`RoleSet::implied`]: an ADMIN's AUDITOR-only token keeps AUDITOR only while its owner
    /// is an ADMIN or an AUDITOR).
    ///
    /// # Errors
    /// `Unauthenticated` for every defect (never which one); `Internal` on database failure.
    #[instrument(skip_all)]
    pub async fn authenticate(&self, bearer: &str) -> Result<Principal> {
        self.identify(bearer).await.map(|i| i.principal)
    }

    /// As [`Tenants::authenticate`], with the caller's user and organization and the time the
    /// credential stops working by itself (the API token's or the session's expiry).
    ///
    /// # Errors
    /// As [`Tenants::authenticate`].
    #[instrument(skip_all)]
    pub async fn identify(&self, bearer: &str) -> Result<Identity> {
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
                    // Through the writer pool: a write waits for its turn without holding a
                    // reader connection (docs/concurrency.md); one statement, unaudited metadata.
                    .exec(self.db.writer())
                    .await?;
            }
            let roles = accord_kernel::RoleSet::from_storage(&tok.roles).intersect(&owner.roles.implied(t.kind));
            let principal = Principal {
                tenant_kind: t.kind,
                tenant_id: t.id.clone(),
                user_id: owner.id.clone(),
                roles,
                actor: Actor::ApiToken { token_id: tok.id, user_id: owner.id.clone() },
                session: None,
            };
            return Ok(Identity { principal, user: owner, tenant: t, until: tok.expires_at });
        }
        let claims = self.sessions.verify(bearer, now)?;
        let until = DateTime::<Utc>::from_timestamp(claims.exp, 0).ok_or(Error::Unauthenticated)?;
        let (u, t) = self.active_user(&claims.sub).await?;
        if u.session_version != claims.sv || u.tenant_id != claims.tid {
            return Err(Error::Unauthenticated);
        }
        if revoked_session::Entity::find_by_id(claims.jti.clone()).one(&self.db).await?.is_some() {
            return Err(Error::Unauthenticated);
        }
        let principal = Principal {
            tenant_kind: t.kind,
            tenant_id: t.id.clone(),
            user_id: u.id.clone(),
            roles: u.roles.clone(),
            actor: Actor::User { user_id: u.id.clone() },
            session: Some(SessionRef { id: claims.jti, expires_at: until }),
        };
        Ok(Identity { principal, user: u, tenant: t, until })
    }

    /// Ends the caller's session (and only it: the user's other sessions keep working). The end
    /// is stored in the database, so it holds across restarts and replicas, until the session
    /// would have expired anyway. Audited as `session.ended`.
    ///
    /// # Errors
    /// `Forbidden` for an API token (those end with `revokeApiToken`); `Unauthenticated` when the
    /// session was ended meanwhile (a racing logout).
    #[instrument(skip_all, fields(tenant_id = %ctx.tenant_id, user_id = %ctx.user_id))]
    pub async fn logout(&self, ctx: &Principal) -> Result<()> {
        accord_db::retrying("logout", || self.logout_tx(ctx)).await
    }

    async fn logout_tx(&self, ctx: &Principal) -> Result<()> {
        let Some(session) = &ctx.session else {
            return Err(Error::Forbidden(
                "logout ends a session, and this call came with an API token: end a token with revokeApiToken instead".into(),
            ));
        };
        let now = self.clock.now();
        let tx = accord_db::begin(&self.db).await?;
        let row = revoked_session::ActiveModel {
            jti: Set(session.id.clone()),
            user_id: Set(ctx.user_id.clone()),
            tenant_id: Set(ctx.tenant_id.clone()),
            expires_at: Set(session.expires_at),
            revoked_at: Set(now),
        };
        let inserted = revoked_session::Entity::insert(row).on_conflict_do_nothing().exec_without_returning(&tx).await?;
        if !matches!(inserted, TryInsertResult::Inserted(1)) {
            return Err(Error::Unauthenticated);
        }
        audit::record(
            &tx,
            now,
            AuditEntry {
                actor: &ctx.actor,
                action: "session.ended",
                target_type: "user",
                target_id: &ctx.user_id,
                tenant_ids: vec![ctx.tenant_id.clone()],
                details: json!({ "sessionId": session.id }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Forgets ended sessions that have expired anyway (their JWTs no longer verify), so the
    /// table stays as small as the number of sessions ended within one session lifetime. Safe
    /// to run from any number of replicas at once.
    ///
    /// # Errors
    /// On database failure.
    #[instrument(skip_all)]
    pub async fn forget_expired_session_ends(&self, now: DateTime<Utc>) -> Result<u64> {
        accord_db::retrying("forget_expired_session_ends", || self.forget_expired_session_ends_tx(now)).await
    }

    async fn forget_expired_session_ends_tx(&self, now: DateTime<Utc>) -> Result<u64> {
        let tx = accord_db::begin(&self.db).await?;
        let res = revoked_session::Entity::delete_many().filter(revoked_session::Column::ExpiresAt.lte(now)).exec(&tx).await?;
        tx.commit().await?;
        Ok(res.rows_affected)
    }

    async fn active_user(&self, user_id: &str) -> Result<(UserRecord, TenantRecord)> {
        let u = crate::lookup::user_by_id(&self.db, user_id).await?.ok_or(Error::Unauthenticated)?;
        let t = crate::lookup::tenant_by_id(&self.db, &u.tenant_id).await?.ok_or(Error::Unauthenticated)?;
        if u.status != UserStatus::Active || t.status != TenantStatus::Active {
            return Err(Error::Unauthenticated);
        }
        Ok((u, t))
    }

    /// Tenants by id (for dataloaders and other services); unknown ids are absent.
    ///
    /// # Errors
    /// On database failure or a row that does not parse.
    #[instrument(skip_all, fields(count = ids.len()))]
    pub async fn tenants_by_ids(&self, ids: &[String]) -> Result<HashMap<String, TenantRecord>> {
        crate::lookup::tenants_by_ids(&self.db, ids).await
    }
}
