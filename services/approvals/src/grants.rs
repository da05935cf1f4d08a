//! Grants, as the data holder's approvers change them: revoked (final), suspended and resumed.
//! A grant past its expiry is never treated as live, even before the sweep runs. Grants are
//! created by approvals (`requests`); the shared steps (`end_grant`, `expire`) live in `repo`.

use crate::domain::{GrantStatus, effective_grant_status, require_holder_approver};
use crate::entities::grant;
use crate::error::{Error, Result};
use crate::events::record_grant;
use crate::records::GrantRecord;
use crate::repo::{end_grant, visible_grant};
use crate::service::Approvals;
use accord_db::events::EventType;
use accord_kernel::Principal;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

fn reason_text(reason: &str) -> Result<String> {
    accord_kernel::text::reason("reason", reason).map_err(Error::Invalid)
}

fn not_live(g: &GrantRecord, now: DateTime<Utc>, verb: &str) -> Error {
    let status = effective_grant_status(g.status, g.expires_at, now);
    Error::Conflict(format!("the grant is {status}; it cannot be {verb}"))
}

impl Approvals {
    /// The holder's approver revokes a grant (final).
    ///
    /// # Errors
    /// `NotFound`, `Forbidden`, `Invalid`, `Conflict` (already expired or revoked).
    #[tracing::instrument(name = "approvals.revoke_grant", skip_all, fields(tenant_id = %ctx.tenant_id, grant_id = %id))]
    pub async fn revoke_grant(&self, ctx: &Principal, id: &str, reason: &str) -> Result<GrantRecord> {
        accord_db::retrying("revoke_grant", || self.revoke_grant_tx(ctx, id, reason)).await
    }

    async fn revoke_grant_tx(&self, ctx: &Principal, id: &str, reason: &str) -> Result<GrantRecord> {
        let reason = reason_text(reason)?;
        let now = self.clock.now();
        let tx = accord_db::begin(&self.db).await?;
        let g = visible_grant(&tx, ctx, id).await?;
        require_holder_approver(ctx, &g.holder_tenant_id, "revoke grants").map_err(Error::Forbidden)?;
        if g.expires_at <= now {
            return Err(not_live(&g, now, "revoked"));
        }
        let out = end_grant(&tx, now, &ctx.actor, g.clone(), &reason, None).await?.ok_or_else(|| not_live(&g, now, "revoked"))?;
        tx.commit().await?;
        Ok(out)
    }

    /// The holder's approver suspends an ACTIVE grant (it answers inactive until resumed).
    ///
    /// # Errors
    /// `NotFound`, `Forbidden`, `Invalid`, `Conflict`.
    #[tracing::instrument(name = "approvals.suspend_grant", skip_all, fields(tenant_id = %ctx.tenant_id, grant_id = %id))]
    pub async fn suspend_grant(&self, ctx: &Principal, id: &str, reason: &str) -> Result<GrantRecord> {
        let reason = reason_text(reason)?;
        let how = (EventType::GrantSuspended, "suspend", "suspended");
        let move_ = (GrantStatus::Active, GrantStatus::Suspended);
        accord_db::retrying("suspend_grant", || self.move_grant(ctx, id, move_, Some(reason.clone()), how)).await
    }

    /// The holder's approver resumes a SUSPENDED grant that has not expired.
    ///
    /// # Errors
    /// `NotFound`, `Forbidden`, `Conflict`.
    #[tracing::instrument(name = "approvals.resume_grant", skip_all, fields(tenant_id = %ctx.tenant_id, grant_id = %id))]
    pub async fn resume_grant(&self, ctx: &Principal, id: &str) -> Result<GrantRecord> {
        accord_db::retrying("resume_grant", || {
            self.move_grant(ctx, id, (GrantStatus::Suspended, GrantStatus::Active), None, (EventType::GrantResumed, "resume", "resumed"))
        })
        .await
    }

    async fn move_grant(
        &self,
        ctx: &Principal,
        id: &str,
        (from, to): (GrantStatus, GrantStatus),
        reason: Option<String>,
        (event_type, infinitive, verb): (EventType, &str, &str),
    ) -> Result<GrantRecord> {
        let now = self.clock.now();
        let tx = accord_db::begin(&self.db).await?;
        let g = visible_grant(&tx, ctx, id).await?;
        require_holder_approver(ctx, &g.holder_tenant_id, &format!("{infinitive} grants")).map_err(Error::Forbidden)?;
        if g.expires_at <= now {
            return Err(not_live(&g, now, verb));
        }
        let res = grant::Entity::update_many()
            .col_expr(grant::Column::Status, Expr::value(to.as_str()))
            .col_expr(grant::Column::StatusReason, Expr::value(reason.clone()))
            .col_expr(grant::Column::UpdatedAt, Expr::value(now))
            .filter(grant::Column::Id.eq(g.id.clone()))
            .filter(grant::Column::Status.eq(from.as_str()))
            .exec(&tx)
            .await?;
        if res.rows_affected != 1 {
            return Err(not_live(&g, now, verb));
        }
        let g = GrantRecord { status: to, status_reason: reason.clone(), updated_at: now, ..g };
        record_grant(&tx, now, &ctx.actor, event_type, &g, None, reason.as_deref()).await?;
        tx.commit().await?;
        Ok(g)
    }
}
