//! Grants: created when a request is approved (superseding the grant it replaces), revoked,
//! suspended and resumed by the data holder, and expired — lazily at decision time, so a grant
//! past its expiry is never treated as live even before the sweep runs.

use crate::Approvals;
use crate::domain::{Policy, grant_status as gs, partnership_status as ps, request_status as rs};
use crate::entities::{grant, partnership, request};
use crate::error::{Error, Result};
use crate::events::grant_event;
use crate::requests::{record, set_status};
use accord_db::audit::AuditEntry;
use accord_kernel::{Actor, Principal, Role};
use accord_registry::AppRecord;
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde_json::json;

/// Refuses unless the caller is an APPROVER (or ADMIN) of `holder_id`.
pub(crate) fn require_holder_approver(ctx: &Principal, holder_id: &str, what: &str) -> Result<()> {
    if ctx.tenant_id == holder_id && ctx.allows(Role::Approver) {
        Ok(())
    } else {
        Err(Error::Forbidden(format!("only the data holder's APPROVER or ADMIN users may {what}")))
    }
}

/// The ACTIVE or SUSPENDED grant of a pair, if any.
pub(crate) async fn live_grant(tx: &impl ConnectionTrait, app_id: &str, holder_id: &str) -> Result<Option<grant::Model>> {
    Ok(grant::Entity::find()
        .filter(grant::Column::AppId.eq(app_id))
        .filter(grant::Column::HolderTenantId.eq(holder_id))
        .filter(grant::Column::Status.is_in([gs::ACTIVE, gs::SUSPENDED]))
        .one(tx)
        .await?)
}

/// Marks the pair's live grant EXPIRED if its time has passed (audit + `grant.expired`), so
/// the one-live-grant-per-pair rule holds before a new grant is created.
pub(crate) async fn expire_due(tx: &impl ConnectionTrait, app_id: &str, holder_id: &str, now: DateTime<Utc>) -> Result<()> {
    if let Some(g) = live_grant(tx, app_id, holder_id).await?.filter(|g| g.expires_at <= now) {
        expire(tx, g, now).await?;
    }
    Ok(())
}

/// Expires one grant whose time has passed (conditional: happens once).
///
/// # Errors
/// On database failure.
pub async fn expire(tx: &impl ConnectionTrait, g: grant::Model, now: DateTime<Utc>) -> Result<bool> {
    let res = grant::Entity::update_many()
        .col_expr(grant::Column::Status, Expr::value(gs::EXPIRED))
        .col_expr(grant::Column::UpdatedAt, Expr::value(now))
        .filter(grant::Column::Id.eq(g.id.clone()))
        .filter(grant::Column::Status.is_in([gs::ACTIVE, gs::SUSPENDED]))
        .filter(grant::Column::ExpiresAt.lte(now))
        .exec(tx)
        .await?;
    if res.rows_affected == 1 {
        let g = grant::Model { status: gs::EXPIRED.to_owned(), updated_at: now, ..g };
        record_grant(tx, now, &Actor::System, "grant.expired", &g, None, Some("expired")).await?;
    }
    Ok(res.rows_affected == 1)
}

/// Approves a request for good: supersedes the grant it replaces, creates the grant, starts
/// (or restarts) the partnership, and records every step.
pub(crate) async fn finalize(
    tx: &impl ConnectionTrait,
    now: DateTime<Utc>,
    actor: &Actor,
    r: request::Model,
    app: &AppRecord,
    policy: &Policy,
    days: i32,
) -> Result<request::Model> {
    expire_due(tx, &r.app_id, &r.holder_tenant_id, now).await?;
    if let Some(old_id) = &r.replaces_grant_id
        && let Some(old) = grant::Entity::find_by_id(old_id.clone()).one(tx).await?
    {
        end_grant(tx, now, actor, old, crate::domain::SUPERSEDED, Some(app)).await?;
    }
    let g = grant::ActiveModel {
        id: Set(accord_kernel::new_id()),
        app_id: Set(r.app_id.clone()),
        vendor_tenant_id: Set(r.vendor_tenant_id.clone()),
        holder_tenant_id: Set(r.holder_tenant_id.clone()),
        request_id: Set(r.id.clone()),
        scopes: Set(r.proposed_scopes.clone()),
        granted_at: Set(now),
        expires_at: Set(now + Duration::days(days.into())),
        status: Set(gs::ACTIVE.to_owned()),
        status_reason: Set(None),
        revoked_reason: Set(None),
        revoked_at: Set(None),
        last_reviewed_at: Set(None),
        next_review_due: Set(now + Duration::days(policy.review_interval_days.into())),
        updated_at: Set(now),
    }
    .insert(tx)
    .await?;
    let decided_by = match actor {
        Actor::User { user_id } | Actor::ApiToken { user_id, .. } => user_id.clone(),
        other => other.to_string(),
    };
    let r = set_status(tx, r, rs::APPROVED, now, &decided_by, None, "approved").await?;
    request::Entity::update_many()
        .col_expr(request::Column::GrantId, Expr::value(g.id.clone()))
        .filter(request::Column::Id.eq(r.id.clone()))
        .exec(tx)
        .await?;
    let r = request::Model { grant_id: Some(g.id.clone()), ..r };
    record(tx, now, actor, "access_request.approved", &r, Some(app), None).await?;
    record_grant(tx, now, actor, "grant.created", &g, Some(app), None).await?;
    start_partnership(tx, now, actor, &r.holder_tenant_id, &r.vendor_tenant_id).await?;
    Ok(r)
}

async fn start_partnership(tx: &impl ConnectionTrait, now: DateTime<Utc>, actor: &Actor, holder: &str, vendor: &str) -> Result<()> {
    let existing = partnership::Entity::find()
        .filter(partnership::Column::HolderTenantId.eq(holder))
        .filter(partnership::Column::VendorTenantId.eq(vendor))
        .one(tx)
        .await?;
    let id = match existing {
        Some(p) if p.status == ps::ACTIVE => return Ok(()),
        Some(p) => {
            partnership::Entity::update_many()
                .col_expr(partnership::Column::Status, Expr::value(ps::ACTIVE))
                .col_expr(partnership::Column::Since, Expr::value(now))
                .col_expr(partnership::Column::EndedAt, Expr::value(Option::<DateTime<Utc>>::None))
                .col_expr(partnership::Column::EndedReason, Expr::value(Option::<String>::None))
                .filter(partnership::Column::Id.eq(p.id.clone()))
                .exec(tx)
                .await?;
            p.id
        }
        None => {
            partnership::ActiveModel {
                id: Set(accord_kernel::new_id()),
                holder_tenant_id: Set(holder.to_owned()),
                vendor_tenant_id: Set(vendor.to_owned()),
                status: Set(ps::ACTIVE.to_owned()),
                since: Set(now),
                ended_at: Set(None),
                ended_reason: Set(None),
            }
            .insert(tx)
            .await?
            .id
        }
    };
    accord_db::record_change(
        tx,
        now,
        AuditEntry {
            actor,
            action: "partnership.started",
            target_type: "partnership",
            target_id: &id,
            tenant_ids: vec![holder.to_owned(), vendor.to_owned()],
            details: json!({ "holderId": holder, "vendorId": vendor }),
        },
        None,
    )
    .await?;
    Ok(())
}

/// Revokes a live grant (conditional) and records `grant.revoked` with the reason. Returns
/// the grant as it now is, or `None` when it was no longer live.
///
/// # Errors
/// On database failure.
pub async fn end_grant(
    tx: &impl ConnectionTrait,
    now: DateTime<Utc>,
    actor: &Actor,
    g: grant::Model,
    reason: &str,
    app: Option<&AppRecord>,
) -> Result<Option<grant::Model>> {
    let res = grant::Entity::update_many()
        .col_expr(grant::Column::Status, Expr::value(gs::REVOKED))
        .col_expr(grant::Column::RevokedReason, Expr::value(reason))
        .col_expr(grant::Column::RevokedAt, Expr::value(now))
        .col_expr(grant::Column::UpdatedAt, Expr::value(now))
        .filter(grant::Column::Id.eq(g.id.clone()))
        .filter(grant::Column::Status.is_in([gs::ACTIVE, gs::SUSPENDED]))
        .exec(tx)
        .await?;
    if res.rows_affected != 1 {
        return Ok(None);
    }
    let g = grant::Model {
        status: gs::REVOKED.to_owned(),
        revoked_reason: Some(reason.to_owned()),
        revoked_at: Some(now),
        updated_at: now,
        ..g
    };
    record_grant(tx, now, actor, "grant.revoked", &g, app, Some(reason)).await?;
    Ok(Some(g))
}

/// Audits a grant change and writes its outbox event.
pub(crate) async fn record_grant(
    tx: &impl ConnectionTrait,
    now: DateTime<Utc>,
    actor: &Actor,
    action: &str,
    g: &grant::Model,
    app: Option<&AppRecord>,
    reason: Option<&str>,
) -> Result<()> {
    accord_db::record_change(
        tx,
        now,
        AuditEntry {
            actor,
            action,
            target_type: "grant",
            target_id: &g.id,
            tenant_ids: vec![g.vendor_tenant_id.clone(), g.holder_tenant_id.clone()],
            details: json!({ "appId": g.app_id, "status": g.status, "scopes": crate::domain::json_to_strings(&g.scopes), "expiresAt": g.expires_at, "reason": reason }),
        },
        Some(grant_event(g, app, reason)),
    )
    .await?;
    Ok(())
}

/// A grant the caller may see (one of the two parties), or `NotFound`.
pub(crate) async fn visible_grant(tx: &impl ConnectionTrait, ctx: &Principal, id: &str) -> Result<grant::Model> {
    grant::Entity::find_by_id(id.to_owned())
        .one(tx)
        .await?
        .filter(|g| g.vendor_tenant_id == ctx.tenant_id || g.holder_tenant_id == ctx.tenant_id)
        .ok_or(Error::NotFound("grant"))
}

fn reason_text(reason: &str) -> Result<String> {
    accord_kernel::text::long_text("reason", reason, 2000).map_err(Error::Invalid)
}

fn not_live(g: &grant::Model, now: DateTime<Utc>, verb: &str) -> Error {
    let status = crate::domain::effective_grant_status(&g.status, g.expires_at, now);
    Error::Conflict(format!("the grant is {status}; it cannot be {verb}"))
}

impl Approvals {
    /// The holder's approver revokes a grant (final).
    ///
    /// # Errors
    /// `NotFound`, `Forbidden`, `Invalid`, `Conflict` (already expired or revoked).
    pub async fn revoke_grant(&self, ctx: &Principal, id: &str, reason: &str) -> Result<grant::Model> {
        accord_db::retrying("revoke_grant", || self.revoke_grant_tx(ctx, id, reason)).await
    }

    async fn revoke_grant_tx(&self, ctx: &Principal, id: &str, reason: &str) -> Result<grant::Model> {
        let reason = reason_text(reason)?;
        let now = self.clock.now();
        let tx = accord_db::begin(&self.db).await?;
        let g = visible_grant(&tx, ctx, id).await?;
        require_holder_approver(ctx, &g.holder_tenant_id, "revoke grants")?;
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
    pub async fn suspend_grant(&self, ctx: &Principal, id: &str, reason: &str) -> Result<grant::Model> {
        let reason = reason_text(reason)?;
        let how = ("grant.suspended", "suspend", "suspended");
        accord_db::retrying("suspend_grant", || self.move_grant(ctx, id, (gs::ACTIVE, gs::SUSPENDED), Some(reason.clone()), how)).await
    }

    /// The holder's approver resumes a SUSPENDED grant that has not expired.
    ///
    /// # Errors
    /// `NotFound`, `Forbidden`, `Conflict`.
    pub async fn resume_grant(&self, ctx: &Principal, id: &str) -> Result<grant::Model> {
        accord_db::retrying("resume_grant", || {
            self.move_grant(ctx, id, (gs::SUSPENDED, gs::ACTIVE), None, ("grant.resumed", "resume", "resumed"))
        })
        .await
    }

    async fn move_grant(
        &self,
        ctx: &Principal,
        id: &str,
        (from, to): (&str, &str),
        reason: Option<String>,
        (action, infinitive, verb): (&str, &str, &str),
    ) -> Result<grant::Model> {
        let now = self.clock.now();
        let tx = accord_db::begin(&self.db).await?;
        let g = visible_grant(&tx, ctx, id).await?;
        require_holder_approver(ctx, &g.holder_tenant_id, &format!("{infinitive} grants"))?;
        if g.expires_at <= now {
            return Err(not_live(&g, now, verb));
        }
        let res = grant::Entity::update_many()
            .col_expr(grant::Column::Status, Expr::value(to))
            .col_expr(grant::Column::StatusReason, Expr::value(reason.clone()))
            .col_expr(grant::Column::UpdatedAt, Expr::value(now))
            .filter(grant::Column::Id.eq(g.id.clone()))
            .filter(grant::Column::Status.eq(from))
            .exec(&tx)
            .await?;
        if res.rows_affected != 1 {
            return Err(not_live(&g, now, verb));
        }
        let g = grant::Model { status: to.to_owned(), status_reason: reason.clone(), updated_at: now, ..g };
        record_grant(&tx, now, &ctx.actor, action, &g, None, reason.as_deref()).await?;
        tx.commit().await?;
        Ok(g)
    }
}
