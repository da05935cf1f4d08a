//! API tokens: random, prefixed, shown once, stored as SHA-256, expiring in 1–365 days, with
//! roles no wider than their owner's.

use crate::accounts::require_admin;
use crate::credentials::{API_TOKEN_PREFIX, new_token};
use crate::domain::text;
use crate::entities::api_token;
use crate::error::{Error, Result};
use crate::service::Tenants;
use accord_db::audit::{self, AuditEntry};
use accord_kernel::error::field_error;
use accord_kernel::gql::{Page, PageRequest};
use accord_kernel::{Principal, Role};
use chrono::Duration;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::json;

/// The longest an API token may live.
pub const MAX_TOKEN_DAYS: i32 = 365;

impl Tenants {
    /// Mints an API token for the caller. `roles` defaults to the caller's roles and may not
    /// exceed them. The clear token is returned once.
    ///
    /// # Errors
    /// `Invalid` naming the field.
    pub async fn create_api_token(
        &self,
        ctx: &Principal,
        name: &str,
        expires_in_days: i32,
        wanted: Option<&[Role]>,
    ) -> Result<(api_token::Model, String)> {
        let name = text("name", name, 100).map_err(Error::Invalid)?;
        if !(1..=MAX_TOKEN_DAYS).contains(&expires_in_days) {
            return Err(Error::Invalid(field_error("expiresInDays", format!("must be between 1 and {MAX_TOKEN_DAYS}"))));
        }
        let roles = match wanted {
            None => ctx.roles.clone(),
            Some(r) => crate::domain::roles("roles", r).map_err(Error::Invalid)?,
        };
        if !roles.is_subset_of(&ctx.roles) {
            let extra: Vec<&str> = roles.as_slice().iter().filter(|r| !ctx.roles.contains(**r)).map(|r| r.as_str()).collect();
            return Err(Error::Invalid(field_error("roles", format!("a token cannot have roles you do not hold ({})", extra.join(", ")))));
        }
        let now = self.clock.now();
        let (clear, hash) = new_token(API_TOKEN_PREFIX);
        let tx = accord_db::begin(&self.db).await?;
        let tok = api_token::ActiveModel {
            id: Set(accord_kernel::new_id()),
            tenant_id: Set(ctx.tenant_id.clone()),
            user_id: Set(ctx.user_id.clone()),
            name: Set(name),
            token_hash: Set(hash),
            roles: Set(roles.to_storage()),
            expires_at: Set(now + Duration::days(expires_in_days.into())),
            last_used_at: Set(None),
            revoked_at: Set(None),
            created_at: Set(now),
            parent_token_id: Set(None),
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
                details: json!({ "name": tok.name, "roles": tok.roles, "expiresAt": tok.expires_at, "ownerId": tok.user_id }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok((tok, clear))
    }

    /// Revokes a token. Its owner or an ADMIN of its organization may; anyone else gets
    /// `NotFound`, exactly as for an id that does not exist.
    ///
    /// # Errors
    /// `NotFound`; `Conflict` when already revoked.
    pub async fn revoke_api_token(&self, ctx: &Principal, id: &str) -> Result<api_token::Model> {
        let tok = accord_db::scoped(api_token::Entity::find_by_id(id.to_owned()), api_token::Column::TenantId, ctx)
            .one(&self.db)
            .await?
            .filter(|t| t.user_id == ctx.user_id || require_admin(ctx).is_ok())
            .ok_or(Error::NotFound("api token"))?;
        let now = self.clock.now();
        let tx = accord_db::begin(&self.db).await?;
        let res = api_token::Entity::update_many()
            .col_expr(api_token::Column::RevokedAt, Expr::value(now))
            .filter(api_token::Column::Id.eq(tok.id.clone()))
            .filter(api_token::Column::RevokedAt.is_null())
            .exec(&tx)
            .await?;
        if res.rows_affected != 1 {
            return Err(Error::Conflict("the api token is already revoked".into()));
        }
        audit::record(
            &tx,
            now,
            AuditEntry {
                actor: &ctx.actor,
                action: "api_token.revoked",
                target_type: "api_token",
                target_id: &tok.id,
                tenant_ids: vec![ctx.tenant_id.clone()],
                details: json!({ "name": tok.name, "ownerId": tok.user_id }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(api_token::Model { revoked_at: Some(now), ..tok })
    }

    /// The caller's own tokens (an ADMIN sees the whole organization's), newest first.
    ///
    /// # Errors
    /// On database failure.
    pub async fn api_tokens(&self, ctx: &Principal, page: &PageRequest) -> Result<Page<api_token::Model>> {
        let mut q = accord_db::scoped(api_token::Entity::find(), api_token::Column::TenantId, ctx);
        if require_admin(ctx).is_err() {
            q = q.filter(api_token::Column::UserId.eq(ctx.user_id.clone()));
        }
        let total = q.clone().count(&self.db).await?;
        if let Some(after) = &page.after {
            q = q.filter(api_token::Column::Id.lt(after.clone()));
        }
        let rows = q.order_by_desc(api_token::Column::Id).limit(page.limit + 1).all(&self.db).await?;
        Ok(Page::from_rows(rows, page.limit, total))
    }
}
