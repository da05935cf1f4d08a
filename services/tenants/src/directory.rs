//! Who is who: the caller, their organization's users (roles, deactivation), the directory of
//! data holders vendors can ask, and the organization's audit trail.

use crate::domain::{TenantStatus, UserStatus};
use crate::entities::{tenant, user};
use crate::error::{Error, Result};
use crate::records::{TenantRecord, UserRecord};
use crate::service::Tenants;
use accord_db::audit::{self, AuditEntry, AuditFilter, AuditRecord};
use accord_db::page::{Order, keyset};
use accord_kernel::error::field_error;
use accord_kernel::page::{Page, PageRequest};
use accord_kernel::{Principal, Role, RoleSet, TenantKind};
use sea_orm::sea_query::{Expr, Func};
use sea_orm::{ColumnTrait, EntityTrait, ExprTrait, PaginatorTrait, QueryFilter};
use serde_json::json;
use tracing::instrument;

impl Tenants {
    /// The caller and their organization.
    ///
    /// # Errors
    /// `Unauthenticated` if either vanished since authentication.
    #[instrument(skip_all, fields(tenant_id = %ctx.tenant_id, user_id = %ctx.user_id))]
    pub async fn me(&self, ctx: &Principal) -> Result<(UserRecord, TenantRecord)> {
        let u = crate::lookup::user_by_id(&self.db, &ctx.user_id).await?.ok_or(Error::Unauthenticated)?;
        let t = crate::lookup::tenant_by_id(&self.db, &ctx.tenant_id).await?.ok_or(Error::Unauthenticated)?;
        Ok((u, t))
    }

    /// The caller's organization's users, oldest first.
    ///
    /// # Errors
    /// On database failure.
    #[instrument(skip_all, fields(tenant_id = %ctx.tenant_id))]
    pub async fn users(&self, ctx: &Principal, page: &PageRequest) -> Result<Page<UserRecord>> {
        let q = accord_db::scoped(user::Entity::find(), user::Column::TenantId, ctx);
        records(keyset(&self.db, q, user::Column::Id, Order::OldestFirst, page).await?)
    }

    /// Changes a user's roles (ADMIN). Their sessions end at once; their tokens keep only the
    /// roles the user still holds. The organization always keeps an active ADMIN.
    ///
    /// # Errors
    /// `Forbidden`, `NotFound` (other organizations' users), `Invalid`, `Conflict`.
    #[instrument(skip_all, fields(tenant_id = %ctx.tenant_id, user_id = %user_id))]
    pub async fn set_user_roles(&self, ctx: &Principal, user_id: &str, wanted: &[Role]) -> Result<UserRecord> {
        ctx.require(Role::Admin, "change roles")?;
        let roles = crate::domain::roles("roles", wanted).map_err(Error::Invalid)?;
        self.change_user(ctx, user_id, Some(roles), None).await
    }

    /// Deactivates a user (ADMIN): sessions and tokens stop working at once.
    ///
    /// # Errors
    /// `Forbidden`, `NotFound`, `Conflict`.
    #[instrument(skip_all, fields(tenant_id = %ctx.tenant_id, user_id = %user_id))]
    pub async fn deactivate_user(&self, ctx: &Principal, user_id: &str) -> Result<UserRecord> {
        ctx.require(Role::Admin, "deactivate users")?;
        self.change_user(ctx, user_id, None, Some(UserStatus::Disabled)).await
    }

    async fn change_user(&self, ctx: &Principal, user_id: &str, roles: Option<RoleSet>, status: Option<UserStatus>) -> Result<UserRecord> {
        accord_db::retrying("change_user", || self.change_user_tx(ctx, user_id, roles.as_ref(), status)).await
    }

    async fn change_user_tx(
        &self,
        ctx: &Principal,
        user_id: &str,
        roles: Option<&RoleSet>,
        status: Option<UserStatus>,
    ) -> Result<UserRecord> {
        let now = self.clock.now();
        let tx = accord_db::begin(&self.db).await?;
        // Authority is live (SPEC §2.9): an admin demoted or deactivated by a write that
        // committed while this request was in flight no longer changes anyone.
        let me = crate::lookup::user_by_id(&tx, &ctx.user_id).await?;
        if !me.is_some_and(|m| m.is_active() && m.roles.contains(Role::Admin)) {
            return Err(Error::Forbidden("only an ADMIN of your organization may do this".into()));
        }
        let u = accord_db::scoped(user::Entity::find_by_id(user_id.to_owned()), user::Column::TenantId, ctx)
            .one(&tx)
            .await?
            .ok_or(Error::NotFound("user"))?;
        if u.status != UserStatus::Active.as_str() {
            return Err(Error::Conflict("the user is deactivated".into()));
        }
        let loses_admin = RoleSet::from_storage(&u.roles).contains(Role::Admin)
            && (status.is_some() || roles.as_ref().is_some_and(|r| !r.contains(Role::Admin)));
        if loses_admin {
            let admins = accord_db::scoped(user::Entity::find(), user::Column::TenantId, ctx)
                .filter(user::Column::Status.eq(UserStatus::Active.as_str()))
                .filter(user::Column::Roles.like("%ADMIN%"))
                .count(&tx)
                .await?;
            if admins <= 1 {
                return Err(Error::Conflict(field_error("roles", "the organization must keep at least one active ADMIN")));
            }
        }
        let mut upd = user::Entity::update_many()
            .col_expr(user::Column::SessionVersion, Expr::col(user::Column::SessionVersion).add(1))
            .col_expr(user::Column::UpdatedAt, Expr::value(now))
            .filter(user::Column::Id.eq(u.id.clone()));
        if let Some(r) = &roles {
            upd = upd.col_expr(user::Column::Roles, Expr::value(r.to_storage()));
        }
        if let Some(s) = status {
            upd = upd.col_expr(user::Column::Status, Expr::value(s.as_str()));
        }
        upd.exec(&tx).await?;
        let (action, details) = match (&roles, status) {
            (Some(r), _) => ("user.roles_changed", json!({ "from": u.roles, "to": r.to_storage() })),
            _ => ("user.deactivated", json!({ "email": u.email })),
        };
        audit::record(
            &tx,
            now,
            AuditEntry {
                actor: &ctx.actor,
                action,
                target_type: "user",
                target_id: &u.id,
                tenant_ids: vec![ctx.tenant_id.clone()],
                details,
            },
        )
        .await?;
        let updated = crate::lookup::user_by_id(&tx, &u.id).await?.ok_or(Error::NotFound("user"))?;
        tx.commit().await?;
        Ok(updated)
    }

    /// Active providers and payers, by name search (case-insensitive substring).
    ///
    /// # Errors
    /// On database failure.
    #[instrument(skip_all)]
    pub async fn data_holders(&self, search: Option<&str>, page: &PageRequest) -> Result<Page<TenantRecord>> {
        let mut q = tenant::Entity::find()
            .filter(tenant::Column::Kind.is_in([TenantKind::Provider.as_str(), TenantKind::Payer.as_str()]))
            .filter(tenant::Column::Status.eq(TenantStatus::Active.as_str()));
        if let Some(s) = search.map(str::trim).filter(|s| !s.is_empty()) {
            let pattern = format!("%{}%", s.to_lowercase().replace(['%', '_'], ""));
            q = q.filter(Expr::expr(Func::lower(Expr::col(tenant::Column::Name))).like(pattern));
        }
        records(keyset(&self.db, q, tenant::Column::Id, Order::OldestFirst, page).await?)
    }

    /// The caller's organization's audit trail, newest first (ADMIN and AUDITOR).
    ///
    /// # Errors
    /// `Forbidden` for other roles.
    #[instrument(skip_all, fields(tenant_id = %ctx.tenant_id))]
    pub async fn audit_events(&self, ctx: &Principal, filter: &AuditFilter, page: &PageRequest) -> Result<Page<AuditRecord>> {
        ctx.require(Role::Auditor, "read the audit trail")?;
        Ok(audit::list_for_tenant(&self.db, &ctx.tenant_id, filter, page).await?)
    }
}

/// A page of rows as records; a row that does not parse fails the whole page.
fn records<M, R: TryFrom<M, Error = Error>>(page: Page<M>) -> Result<Page<R>> {
    let items = page.items.into_iter().map(R::try_from).collect::<Result<Vec<_>>>()?;
    Ok(Page { items, has_next: page.has_next, total: page.total })
}
