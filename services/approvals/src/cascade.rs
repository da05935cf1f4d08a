//! Building blocks for the cascades in `accord-lifecycle` (offboarding, partnership end): they
//! run inside the caller's transaction, so a cascade is all-or-nothing, and record one audit
//! and outbox event per grant and request they end.

use crate::domain::{grant_status as gs, partnership_status as ps, request_status as rs};
use crate::entities::{grant, partnership, request};
use crate::error::Result;
use crate::grants::{end_grant, expire};
use crate::requests::{record, set_status};
use accord_kernel::Actor;
use accord_registry::AppRecord;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Select};

/// Which grants and requests a cascade ends.
#[derive(Debug, Clone)]
pub enum Scope<'a> {
    /// Everything of one app, at every data holder.
    App(&'a str),
    /// Everything between a data holder and a vendor.
    Pair {
        /// The data holder.
        holder: &'a str,
        /// The vendor.
        vendor: &'a str,
    },
}

fn grants_in(scope: &Scope<'_>) -> Select<grant::Entity> {
    let q = grant::Entity::find().filter(grant::Column::Status.is_in([gs::ACTIVE, gs::SUSPENDED]));
    match scope {
        Scope::App(app) => q.filter(grant::Column::AppId.eq(*app)),
        Scope::Pair { holder, vendor } => {
            q.filter(grant::Column::HolderTenantId.eq(*holder)).filter(grant::Column::VendorTenantId.eq(*vendor))
        }
    }
}

fn requests_in(scope: &Scope<'_>) -> Select<request::Entity> {
    let q = request::Entity::find().filter(request::Column::Status.eq(rs::PENDING));
    match scope {
        Scope::App(app) => q.filter(request::Column::AppId.eq(*app)),
        Scope::Pair { holder, vendor } => {
            q.filter(request::Column::HolderTenantId.eq(*holder)).filter(request::Column::VendorTenantId.eq(*vendor))
        }
    }
}

/// Ends every live grant in scope: revoked with `reason`, or expired if its time has passed.
/// Returns the grants revoked.
///
/// # Errors
/// On database failure.
pub async fn revoke_live_grants(
    tx: &impl ConnectionTrait,
    now: DateTime<Utc>,
    actor: &Actor,
    scope: &Scope<'_>,
    reason: &str,
    app: Option<&AppRecord>,
) -> Result<Vec<grant::Model>> {
    let mut revoked = Vec::new();
    for g in grants_in(scope).all(tx).await? {
        if g.expires_at <= now {
            expire(tx, g, now).await?;
        } else if let Some(g) = end_grant(tx, now, actor, g, reason, app).await? {
            revoked.push(g);
        }
    }
    Ok(revoked)
}

/// Cancels every pending request in scope (`access_request.cancelled` each).
///
/// # Errors
/// On database failure.
pub async fn cancel_pending_requests(
    tx: &impl ConnectionTrait,
    now: DateTime<Utc>,
    actor: &Actor,
    scope: &Scope<'_>,
    reason: &str,
    app: Option<&AppRecord>,
) -> Result<Vec<request::Model>> {
    let by = actor.to_string();
    let mut cancelled = Vec::new();
    for r in requests_in(scope).all(tx).await? {
        let r = set_status(tx, r, rs::CANCELLED, now, &by, Some(reason), "cancelled").await?;
        record(tx, now, actor, "access_request.cancelled", &r, app, Some(reason)).await?;
        cancelled.push(r);
    }
    Ok(cancelled)
}

/// The partnership between two tenants, whichever side each is on.
///
/// # Errors
/// On database failure.
pub async fn partnership_between(db: &impl ConnectionTrait, a: &str, b: &str) -> Result<Option<partnership::Model>> {
    let rows = partnership::Entity::find()
        .filter(partnership::Column::HolderTenantId.is_in([a, b]))
        .filter(partnership::Column::VendorTenantId.is_in([a, b]))
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .find(|p| (p.holder_tenant_id == a && p.vendor_tenant_id == b) || (p.holder_tenant_id == b && p.vendor_tenant_id == a)))
}

/// Marks a partnership ENDED (conditional: ends once). Returns it as it now is, or `None`
/// when it was already ended.
///
/// # Errors
/// On database failure.
pub async fn end_partnership_row(
    tx: &impl ConnectionTrait,
    now: DateTime<Utc>,
    p: partnership::Model,
    reason: &str,
) -> Result<Option<partnership::Model>> {
    let res = partnership::Entity::update_many()
        .col_expr(partnership::Column::Status, Expr::value(ps::ENDED))
        .col_expr(partnership::Column::EndedAt, Expr::value(now))
        .col_expr(partnership::Column::EndedReason, Expr::value(reason))
        .filter(partnership::Column::Id.eq(p.id.clone()))
        .filter(partnership::Column::Status.eq(ps::ACTIVE))
        .exec(tx)
        .await?;
    Ok((res.rows_affected == 1).then(|| partnership::Model {
        status: ps::ENDED.to_owned(),
        ended_at: Some(now),
        ended_reason: Some(reason.to_owned()),
        ..p
    }))
}
