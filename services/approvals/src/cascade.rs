//! Building blocks for the cascades in `accord-lifecycle` (offboarding, partnership end): they
//! run inside the caller's transaction, so a cascade is all-or-nothing, and record one audit
//! and outbox event per grant and request they end.

use crate::domain::{GrantStatus, RequestStatus};
use crate::entities::{grant, request};
use crate::error::Result;
use crate::events::record_request;
use crate::records::{GrantRecord, RequestRecord, all};
use crate::repo::{end_grant, expire, set_status};

pub use crate::repo::{end_partnership_row, partnership_between};
use accord_db::events::EventType;
use accord_kernel::Actor;
use accord_registry::AppRecord;
use chrono::{DateTime, Utc};
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
    let q = grant::Entity::find().filter(grant::Column::Status.is_in(GrantStatus::LIVE.map(GrantStatus::as_str)));
    match scope {
        Scope::App(app) => q.filter(grant::Column::AppId.eq(*app)),
        Scope::Pair { holder, vendor } => {
            q.filter(grant::Column::HolderTenantId.eq(*holder)).filter(grant::Column::VendorTenantId.eq(*vendor))
        }
    }
}

fn requests_in(scope: &Scope<'_>) -> Select<request::Entity> {
    let q = request::Entity::find().filter(request::Column::Status.eq(RequestStatus::Pending.as_str()));
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
) -> Result<Vec<GrantRecord>> {
    let mut revoked = Vec::new();
    for g in all::<_, GrantRecord>(grants_in(scope).all(tx).await?)? {
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
) -> Result<Vec<RequestRecord>> {
    let by = actor.to_string();
    let mut cancelled = Vec::new();
    for r in all::<_, RequestRecord>(requests_in(scope).all(tx).await?)? {
        let r = set_status(tx, r, RequestStatus::Cancelled, now, &by, Some(reason), "cancelled").await?;
        record_request(tx, now, actor, EventType::AccessRequestCancelled, &r, app, Some(reason)).await?;
        cancelled.push(r);
    }
    Ok(cancelled)
}
