//! API tokens: random, prefixed, shown once, stored as SHA-256, expiring in 1–365 days, with
//! roles no wider than their owner's (an ADMIN's include the other roles of its organization's
//! kind, so an ADMIN can mint an AUDITOR-only token for a SIEM). A token minted by a token never
//! outlives or out-ranks its parent, and ends when its parent is revoked.

use crate::credentials::API_TOKEN_PREFIX;
use crate::domain::text;
use crate::entities::api_token;
use crate::error::{Error, Result};
use crate::records::ApiTokenRecord;
use crate::service::Tenants;
use accord_db::audit::{self, AuditEntry};
use accord_db::page::{Order, keyset};
use accord_kernel::error::field_error;
use accord_kernel::page::{Page, PageRequest};
use accord_kernel::secret::new_token;
use accord_kernel::{Actor, Principal, Role};
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::json;
use tracing::instrument;

/// The longest an API token may live.
pub const MAX_TOKEN_DAYS: i32 = 365;

impl Tenants {
    /// Mints an API token for the caller. `roles` defaults to the caller's roles and may not
    /// exceed what they hold or imply ([`accord_kernel::RoleSet::implied`]); a role the
    /// organization's kind does not have is refused. Minted with an API token, the new token is
    /// the caller's child: its roles stay within the parent's effective roles, it expires no
    /// later than the parent (a longer `expiresInDays` is capped), and revoking the parent
    /// revokes it. The clear token is returned once.
    ///
    /// # Errors
    /// `Invalid` naming the field; `Unauthenticated` when the parent token was revoked meanwhile.
    #[instrument(skip_all, fields(tenant_id = %ctx.tenant_id, user_id = %ctx.user_id))]
    pub async fn create_api_token(
        &self,
        ctx: &Principal,
        name: &str,
        expires_in_days: i32,
        wanted: Option<&[Role]>,
    ) -> Result<(ApiTokenRecord, String)> {
        accord_db::retrying("create_api_token", || self.create_api_token_tx(ctx, name, expires_in_days, wanted)).await
    }

    async fn create_api_token_tx(
        &self,
        ctx: &Principal,
        name: &str,
        expires_in_days: i32,
        wanted: Option<&[Role]>,
    ) -> Result<(ApiTokenRecord, String)> {
        let name = text("name", name, 100).map_err(Error::Invalid)?;
        if !(1..=MAX_TOKEN_DAYS).contains(&expires_in_days) {
            return Err(Error::Invalid(field_error("expiresInDays", format!("must be between 1 and {MAX_TOKEN_DAYS}"))));
        }
        let roles = match wanted {
            None => ctx.roles.clone(),
            Some(r) => crate::domain::roles("roles", r).map_err(Error::Invalid)?,
        };
        let allowed = ctx.roles.implied(ctx.tenant_kind);
        if !roles.is_subset_of(&allowed) {
            let kind = ctx.tenant_kind;
            let extra: Vec<String> = roles
                .as_slice()
                .iter()
                .filter(|r| !allowed.contains(**r))
                .map(|r| if kind.roles().contains(r) { r.to_string() } else { format!("{r}, which {kind} organizations do not have") })
                .collect();
            return Err(Error::Invalid(field_error("roles", format!("a token cannot have roles you do not hold ({})", extra.join("; ")))));
        }
        let now = self.clock.now();
        let mut expires_at = now + Duration::days(expires_in_days.into());
        let (clear, hash) = new_token(API_TOKEN_PREFIX);
        let tx = accord_db::begin(&self.db).await?;
        let parent_token_id = match &ctx.actor {
            Actor::ApiToken { token_id, .. } => {
                // Locked, so a revocation of the parent either sees this child or happens first.
                let parent = accord_db::scoped(api_token::Entity::find_by_id(token_id.clone()), api_token::Column::TenantId, ctx)
                    .lock_exclusive()
                    .one(&tx)
                    .await?
                    .filter(|p| p.revoked_at.is_none() && p.expires_at > now)
                    .ok_or(Error::Unauthenticated)?;
                expires_at = expires_at.min(parent.expires_at);
                Some(parent.id)
            }
            _ => None,
        };
        let tok = api_token::ActiveModel {
            id: Set(accord_kernel::new_id()),
            tenant_id: Set(ctx.tenant_id.clone()),
            user_id: Set(ctx.user_id.clone()),
            name: Set(name),
            token_hash: Set(hash),
            roles: Set(roles.to_storage()),
            expires_at: Set(expires_at),
            last_used_at: Set(None),
            revoked_at: Set(None),
            created_at: Set(now),
            parent_token_id: Set(parent_token_id),
        }
        .insert(&tx)
        .await?;
        audit::record(
            &tx,
            now,
            AuditEntry {
                actor: &ctx.actor,
                action: "api_token.created",
                target_type: "api_token",
                target_id: &tok.id,
                tenant_ids: vec![ctx.tenant_id.clone()],
                details: json!({ "name": tok.name, "roles": tok.roles, "expiresAt": tok.expires_at, "ownerId": tok.user_id, "parentTokenId": tok.parent_token_id }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok((tok.into(), clear))
    }

    /// Revokes a token, and with it every token minted by it (and by those, and so on): a
    /// child never outlives its parent. Its owner or an ADMIN of its organization may; anyone
    /// else gets `NotFound`, exactly as for an id that does not exist. Each token revoked is
    /// audited, the children with the parent named.
    ///
    /// # Errors
    /// `NotFound`; `Conflict` when already revoked.
    #[instrument(skip_all, fields(tenant_id = %ctx.tenant_id, api_token_id = %id))]
    pub async fn revoke_api_token(&self, ctx: &Principal, id: &str) -> Result<ApiTokenRecord> {
        accord_db::retrying("revoke_api_token", || self.revoke_api_token_tx(ctx, id)).await
    }

    async fn revoke_api_token_tx(&self, ctx: &Principal, id: &str) -> Result<ApiTokenRecord> {
        let tok = accord_db::scoped(api_token::Entity::find_by_id(id.to_owned()), api_token::Column::TenantId, ctx)
            .one(&self.db)
            .await?
            .filter(|t| t.user_id == ctx.user_id || ctx.allows(Role::Admin))
            .ok_or(Error::NotFound("api token"))?;
        let now = self.clock.now();
        let tx = accord_db::begin(&self.db).await?;
        if !revoke_one(&tx, ctx, &tok, now).await? {
            return Err(Error::Conflict("the api token is already revoked".into()));
        }
        // Parent before child, level by level: the same order every revocation locks in.
        let mut parents = vec![tok.id.clone()];
        while !parents.is_empty() {
            let children = accord_db::scoped(api_token::Entity::find(), api_token::Column::TenantId, ctx)
                .filter(api_token::Column::ParentTokenId.is_in(parents.clone()))
                .filter(api_token::Column::RevokedAt.is_null())
                .order_by_asc(api_token::Column::Id)
                .all(&tx)
                .await?;
            let mut next = Vec::with_capacity(children.len());
            for child in children {
                if !revoke_one(&tx, ctx, &child, now).await? {
                    continue;
                }
                next.push(child.id);
            }
            parents = next;
        }
        tx.commit().await?;
        Ok(ApiTokenRecord { revoked_at: Some(now), ..tok.into() })
    }

    /// The caller's own tokens (an ADMIN sees the whole organization's), newest first.
    ///
    /// # Errors
    /// On database failure.
    #[instrument(skip_all, fields(tenant_id = %ctx.tenant_id))]
    pub async fn api_tokens(&self, ctx: &Principal, page: &PageRequest) -> Result<Page<ApiTokenRecord>> {
        let mut q = accord_db::scoped(api_token::Entity::find(), api_token::Column::TenantId, ctx);
        if !ctx.allows(Role::Admin) {
            q = q.filter(api_token::Column::UserId.eq(ctx.user_id.clone()));
        }
        let rows = keyset(&self.db, q, api_token::Column::Id, Order::NewestFirst, page).await?;
        Ok(rows.map(ApiTokenRecord::from))
    }
}

/// Revokes one live token (conditional: once) and audits it, naming its parent when it has
/// one. Returns whether this call revoked it.
async fn revoke_one(tx: &impl ConnectionTrait, ctx: &Principal, tok: &api_token::Model, now: DateTime<Utc>) -> Result<bool> {
    let res = api_token::Entity::update_many()
        .col_expr(api_token::Column::RevokedAt, Expr::value(now))
        .filter(api_token::Column::Id.eq(tok.id.clone()))
        .filter(api_token::Column::RevokedAt.is_null())
        .exec(tx)
        .await?;
    if res.rows_affected != 1 {
        return Ok(false);
    }
    audit::record(
        tx,
        now,
        AuditEntry {
            actor: &ctx.actor,
            action: "api_token.revoked",
            target_type: "api_token",
            target_id: &tok.id,
            tenant_ids: vec![ctx.tenant_id.clone()],
            details: json!({ "name": tok.name, "ownerId": tok.user_id, "parentTokenId": tok.parent_token_id }),
        },
    )
    .await?;
    Ok(true)
}
