//! Open invitations (ADMIN): listing and revoking them, and what makes one open — not accepted,
//! not revoked, not expired, and its inviter still an active ADMIN of the organization (SPEC
//! §2.9: an invitation is void once its inviter's authority is gone, without anyone having to
//! remember to revoke it).

use crate::domain::UserStatus;
use crate::entities::{invitation, user};
use crate::error::{Error, Result};
use crate::records::InvitationRecord;
use crate::service::Tenants;
use accord_db::audit::{self, AuditEntry};
use accord_db::page::{Order, keyset};
use accord_kernel::page::{Page, PageRequest};
use accord_kernel::{Principal, Role};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, Query, SelectStatement};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::json;
use tracing::instrument;

/// Whether an invitation is still usable on its own terms (its inviter is checked apart).
pub(crate) fn is_open(inv: &invitation::Model, now: DateTime<Utc>) -> bool {
    inv.accepted_at.is_none() && inv.revoked_at.is_none() && inv.expires_at > now
}

/// Matches a stored role list holding ADMIN (fixed names separated by commas; no other role
/// name contains "ADMIN").
const ADMIN_PATTERN: &str = "%ADMIN%";

/// The ids of a tenant's active ADMINs: the only people whose invitations still stand.
fn active_admins(tenant_id: &str) -> SelectStatement {
    Query::select()
        .column(user::Column::Id)
        .from(user::Entity)
        .and_where(user::Column::TenantId.eq(tenant_id))
        .and_where(user::Column::Status.eq(UserStatus::Active.as_str()))
        .and_where(user::Column::Roles.like(ADMIN_PATTERN))
        .to_owned()
}

/// Whether the person who issued `inv` is still an active ADMIN of its organization.
///
/// # Errors
/// On database failure.
pub(crate) async fn inviter_still_admin(conn: &impl ConnectionTrait, inv: &invitation::Model) -> Result<bool> {
    let n = user::Entity::find()
        .filter(user::Column::Id.eq(inv.invited_by.clone()))
        .filter(user::Column::TenantId.eq(inv.tenant_id.clone()))
        .filter(user::Column::Status.eq(UserStatus::Active.as_str()))
        .filter(user::Column::Roles.like(ADMIN_PATTERN))
        .count(conn)
        .await?;
    Ok(n == 1)
}

impl Tenants {
    /// The caller's organization's open invitations, newest first (ADMIN): not accepted, not
    /// revoked, not expired, and issued by someone who is still an active ADMIN.
    ///
    /// # Errors
    /// `Forbidden` for non-admins.
    #[instrument(skip_all, fields(tenant_id = %ctx.tenant_id))]
    pub async fn invitations(&self, ctx: &Principal, page: &PageRequest) -> Result<Page<InvitationRecord>> {
        ctx.require(Role::Admin, "list invitations")?;
        let now = self.clock.now();
        let q = accord_db::scoped(invitation::Entity::find(), invitation::Column::TenantId, ctx)
            .filter(invitation::Column::AcceptedAt.is_null())
            .filter(invitation::Column::RevokedAt.is_null())
            .filter(invitation::Column::ExpiresAt.gt(now))
            .filter(invitation::Column::InvitedBy.in_subquery(active_admins(&ctx.tenant_id)));
        let rows = keyset(&self.db, q, invitation::Column::Id, Order::NewestFirst, page).await?;
        Ok(rows.map(InvitationRecord::from))
    }

    /// Revokes an invitation of the caller's organization (ADMIN), so its token no longer
    /// works. Another organization's invitation answers exactly like an unknown id. Audited as
    /// `invitation.revoked` in the same transaction.
    ///
    /// # Errors
    /// `Forbidden` for non-admins; `NotFound`; `Conflict` when it was already accepted or
    /// revoked.
    #[instrument(skip_all, fields(tenant_id = %ctx.tenant_id, invitation_id = %id))]
    pub async fn revoke_invitation(&self, ctx: &Principal, id: &str) -> Result<InvitationRecord> {
        accord_db::retrying("revoke_invitation", || self.revoke_invitation_tx(ctx, id)).await
    }

    async fn revoke_invitation_tx(&self, ctx: &Principal, id: &str) -> Result<InvitationRecord> {
        ctx.require(Role::Admin, "revoke invitations")?;
        let now = self.clock.now();
        let tx = accord_db::begin(&self.db).await?;
        let inv = accord_db::scoped(invitation::Entity::find_by_id(id.to_owned()), invitation::Column::TenantId, ctx)
            .one(&tx)
            .await?
            .ok_or(Error::NotFound("invitation"))?;
        let conflict = |inv: &invitation::Model| {
            if inv.accepted_at.is_some() {
                Error::Conflict("the invitation was already accepted; deactivate the user instead".into())
            } else {
                Error::Conflict("the invitation is already revoked".into())
            }
        };
        if inv.accepted_at.is_some() || inv.revoked_at.is_some() {
            return Err(conflict(&inv));
        }
        // Conditional, so an accept racing this revoke wins or loses as a whole.
        let res = invitation::Entity::update_many()
            .col_expr(invitation::Column::RevokedAt, Expr::value(now))
            .filter(invitation::Column::Id.eq(inv.id.clone()))
            .filter(invitation::Column::AcceptedAt.is_null())
            .filter(invitation::Column::RevokedAt.is_null())
            .exec(&tx)
            .await?;
        if res.rows_affected != 1 {
            let current = invitation::Entity::find_by_id(inv.id.clone()).one(&tx).await?.unwrap_or(inv);
            return Err(conflict(&current));
        }
        audit::record(
            &tx,
            now,
            AuditEntry {
                actor: &ctx.actor,
                action: "invitation.revoked",
                target_type: "invitation",
                target_id: &inv.id,
                tenant_ids: vec![ctx.tenant_id.clone()],
                details: json!({ "email": inv.email, "roles": inv.roles, "invitedBy": inv.invited_by }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(InvitationRecord { revoked_at: Some(now), ..inv.into() })
    }
}
