//! Building blocks of the scheduled jobs in `accord-lifecycle`: the expiry sweep in batches
//! (rows taken with `FOR UPDATE SKIP LOCKED` on PostgreSQL, each grant expired by a conditional
//! update, so several workers expire each grant exactly once), the grants reminders and reviews
//! look at, and the grant changes a review makes. Each takes the caller's transaction.

use crate::domain::GrantStatus;
use crate::entities::grant;
use crate::error::{Error, Result};
use crate::records::GrantRecord;
use accord_db::audit::AuditEntry;
use accord_db::events::{Event, EventType};
use accord_kernel::Actor;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, LockBehavior, LockType};
use sea_orm::{ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::{Value, json};

fn live() -> [&'static str; 2] {
    GrantStatus::LIVE.map(GrantStatus::as_str)
}

/// Where an expiry sweep has got to: the live status it is on and the last `(expiresAt, id)` it
/// took there. Each batch starts after it, so a sweep never walks again over the index entries
/// of the grants it has just expired (on PostgreSQL they stay in the index, dead, until vacuum:
/// restarting from the top made a 100,000-grant sweep quadratic).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExpiryCursor {
    status: usize,
    after: Option<(DateTime<Utc>, String)>,
}

impl ExpiryCursor {
    /// Whether every live status has been swept.
    #[must_use]
    pub fn done(&self) -> bool {
        self.status >= GrantStatus::LIVE.len()
    }
}

/// Expires up to `limit` grants whose `expiresAt` has passed, from `cursor` on, each with its
/// audit event and `grant.expired` (one multi-row write per batch). Returns the grants this
/// call expired and where the next batch starts (the caller keeps it once the batch commits);
/// rows another worker holds are skipped (that worker expires them), rows it already expired
/// no longer match.
///
/// # Errors
/// On database failure.
pub async fn expire_batch(
    tx: &impl ConnectionTrait,
    now: DateTime<Utc>,
    limit: u64,
    cursor: &ExpiryCursor,
) -> Result<(Vec<GrantRecord>, ExpiryCursor)> {
    let Some(status) = GrantStatus::LIVE.get(cursor.status) else { return Ok((Vec::new(), cursor.clone())) };
    let mut q = grant::Entity::find()
        .select_only()
        .column(grant::Column::Id)
        .column(grant::Column::ExpiresAt)
        .filter(grant::Column::Status.eq(status.as_str()))
        .filter(grant::Column::ExpiresAt.lte(now))
        .order_by_asc(grant::Column::ExpiresAt)
        .order_by_asc(grant::Column::Id)
        .limit(limit);
    if let Some((at, id)) = &cursor.after {
        // A row comparison, so the (status, expires_at, id) index seeks straight past it.
        let key = Expr::tuple([Expr::col(grant::Column::ExpiresAt), Expr::col(grant::Column::Id)]);
        q = q.filter(key.gt(Expr::tuple([Expr::value(*at), Expr::value(id.clone())])));
    }
    if tx.get_database_backend() == DbBackend::Postgres {
        q = q.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
    }
    let taken: Vec<(String, DateTime<Utc>)> = q.into_tuple().all(tx).await?;
    let Some((last_id, last_at)) = taken.last() else {
        return Ok((Vec::new(), ExpiryCursor { status: cursor.status + 1, after: None }));
    };
    let next = ExpiryCursor { status: cursor.status, after: Some((*last_at, last_id.clone())) };
    let ids: Vec<String> = taken.into_iter().map(|(id, _)| id).collect();
    let rows = grant::Entity::update_many()
        .col_expr(grant::Column::Status, Expr::value(GrantStatus::Expired.as_str()))
        .col_expr(grant::Column::UpdatedAt, Expr::value(now))
        .filter(grant::Column::Id.is_in(ids))
        .filter(grant::Column::Status.is_in(live()))
        .filter(grant::Column::ExpiresAt.lte(now))
        .exec_with_returning(tx)
        .await?;
    let grants = rows.into_iter().map(GrantRecord::try_from).collect::<Result<Vec<_>>>()?;
    let app_ids: Vec<String> = grants.iter().map(|g| g.app_id.clone()).collect();
    let apps = accord_registry::apps_by_ids(tx, &app_ids).await.map_err(Error::upstream)?;
    let actor = Actor::System;
    let changes = grants
        .iter()
        .map(|g| {
            let entry = AuditEntry {
                actor: &actor,
                action: EventType::GrantExpired.as_str(),
                target_type: "grant",
                target_id: &g.id,
                tenant_ids: vec![g.vendor_tenant_id.clone(), g.holder_tenant_id.clone()],
                details: json!({ "appId": g.app_id, "status": g.status.as_str(), "scopes": g.scopes, "expiresAt": g.expires_at, "reason": "expired" }),
            };
            (entry, Some(Event::new(EventType::GrantExpired, g.event_data(apps.get(&g.app_id), Some("expired")))))
        })
        .collect();
    accord_db::record_changes(tx, now, changes).await?;
    Ok((grants, next))
}

/// Live grants whose `expiresAt` is in `(now, until]`, after `after` in id order, at most
/// `limit` (the reminders job pages through them).
///
/// # Errors
/// On database failure.
pub async fn expiring_between(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
    after: Option<&str>,
    limit: u64,
) -> Result<Vec<GrantRecord>> {
    let mut q = grant::Entity::find()
        .filter(grant::Column::Status.is_in(live()))
        .filter(grant::Column::ExpiresAt.gt(now))
        .filter(grant::Column::ExpiresAt.lte(until))
        .order_by_asc(grant::Column::Id)
        .limit(limit);
    if let Some(a) = after {
        q = q.filter(grant::Column::Id.gt(a));
    }
    q.all(db).await?.into_iter().map(GrantRecord::try_from).collect()
}

/// Live grants whose next review is due by `until`, after `after` in id order, at most `limit`.
///
/// # Errors
/// On database failure.
pub async fn review_due_by(db: &impl ConnectionTrait, until: DateTime<Utc>, after: Option<&str>, limit: u64) -> Result<Vec<GrantRecord>> {
    let mut q = grant::Entity::find()
        .filter(grant::Column::Status.is_in(live()))
        .filter(grant::Column::NextReviewDue.lte(until))
        .order_by_asc(grant::Column::Id)
        .limit(limit);
    if let Some(a) = after {
        q = q.filter(grant::Column::Id.gt(a));
    }
    q.all(db).await?.into_iter().map(GrantRecord::try_from).collect()
}

/// A grant by id (the caller already sees what names it).
///
/// # Errors
/// On database failure.
pub async fn grant(db: &impl ConnectionTrait, id: &str) -> Result<Option<GrantRecord>> {
    crate::repo::grant_by_id(db, id).await
}

/// Grants by id.
///
/// # Errors
/// On database failure.
pub async fn grants_by_ids(db: &impl ConnectionTrait, ids: &[String]) -> Result<Vec<GrantRecord>> {
    grant::Entity::find()
        .filter(grant::Column::Id.is_in(ids.iter().cloned()))
        .all(db)
        .await?
        .into_iter()
        .map(GrantRecord::try_from)
        .collect()
}

/// Records an event about a grant that changes nothing of the grant itself (`grant.expiring`),
/// with `extra` fields merged into its `data` (e.g. `reminderDays`).
///
/// # Errors
/// On database failure.
pub async fn record_grant_notice(
    tx: &impl ConnectionTrait,
    now: DateTime<Utc>,
    event_type: EventType,
    g: &GrantRecord,
    extra: Value,
) -> Result<()> {
    let app = accord_registry::app_by_id(tx, &g.app_id).await.map_err(Error::upstream)?;
    let mut data = g.event_data(app.as_ref(), None);
    if let (Some(d), Some(x)) = (data.as_object_mut(), extra.as_object()) {
        d.extend(x.clone());
    }
    let entry = AuditEntry {
        actor: &Actor::System,
        action: event_type.as_str(),
        target_type: "grant",
        target_id: &g.id,
        tenant_ids: vec![g.vendor_tenant_id.clone(), g.holder_tenant_id.clone()],
        details: extra,
    };
    accord_db::record_change(tx, now, entry, Some(Event::new(event_type, data))).await?;
    Ok(())
}

/// Records that a grant passed a review: `lastReviewedAt` now, the next review due at `next`.
/// Conditional on the grant being live; returns it as it now is, or `None` if it no longer is.
///
/// # Errors
/// On database failure.
pub async fn certify(tx: &impl ConnectionTrait, now: DateTime<Utc>, grant_id: &str, next: DateTime<Utc>) -> Result<Option<GrantRecord>> {
    let res = grant::Entity::update_many()
        .col_expr(grant::Column::LastReviewedAt, Expr::value(now))
        .col_expr(grant::Column::NextReviewDue, Expr::value(next))
        .col_expr(grant::Column::UpdatedAt, Expr::value(now))
        .filter(grant::Column::Id.eq(grant_id))
        .filter(grant::Column::Status.is_in(live()))
        .exec(tx)
        .await?;
    if res.rows_affected != 1 {
        return Ok(None);
    }
    crate::repo::grant_by_id(tx, grant_id).await
}

/// Revokes a live grant with `reason` (audit + `grant.revoked`); `None` when it was no longer
/// live.
///
/// # Errors
/// On database failure.
pub async fn revoke(
    tx: &impl ConnectionTrait,
    now: DateTime<Utc>,
    actor: &Actor,
    g: GrantRecord,
    reason: &str,
) -> Result<Option<GrantRecord>> {
    crate::repo::end_grant(tx, now, actor, g, reason, None).await
}
