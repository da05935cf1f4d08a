//! The building blocks the use cases share: reads scoped to what the caller may see, the
//! conditional state changes of requests, grants and partnerships (each recording its events),
//! the request row lock and the policy read. Every function takes the caller's connection or
//! transaction, so a use case reads and writes through one `tx` (docs/concurrency.md). Use-case
//! modules import these; they never import each other.

use crate::domain::{GrantStatus, MissedReviewAction, PartnershipStatus, Policy, RequestStatus, json_to_scopes, json_to_strings};
use crate::entities::{grant, partnership, policy, request};
use crate::error::{Error, Result};
use crate::events::{audit_only, record_grant};
use crate::records::{GrantRecord, PartnershipRecord, RequestRecord};
use accord_db::audit::AuditEntry;
use accord_db::events::EventType;
use accord_kernel::{Actor, Principal};
use accord_registry::{AppKind, AppRecord};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde_json::json;

fn live() -> [&'static str; 2] {
    GrantStatus::LIVE.map(GrantStatus::as_str)
}

/// A request the caller may see (one of the two parties), or `NotFound`.
pub(crate) async fn visible_request(db: &impl ConnectionTrait, ctx: &Principal, id: &str) -> Result<RequestRecord> {
    request::Entity::find_by_id(id.to_owned())
        .one(db)
        .await?
        .filter(|r| r.vendor_tenant_id == ctx.tenant_id || r.holder_tenant_id == ctx.tenant_id)
        .ok_or(Error::NotFound("access request"))?
        .try_into()
}

/// A grant the caller may see (one of the two parties), or `NotFound`.
pub(crate) async fn visible_grant(db: &impl ConnectionTrait, ctx: &Principal, id: &str) -> Result<GrantRecord> {
    grant::Entity::find_by_id(id.to_owned())
        .one(db)
        .await?
        .filter(|g| g.vendor_tenant_id == ctx.tenant_id || g.holder_tenant_id == ctx.tenant_id)
        .ok_or(Error::NotFound("grant"))?
        .try_into()
}

/// A grant by id, unscoped (the caller already sees the object that names it).
pub(crate) async fn grant_by_id(db: &impl ConnectionTrait, id: &str) -> Result<Option<GrantRecord>> {
    grant::Entity::find_by_id(id.to_owned()).one(db).await?.map(GrantRecord::try_from).transpose()
}

/// The refusal of a decision on a request that is no longer PENDING.
pub(crate) fn conflict_state(r: &RequestRecord, verb: &str) -> Error {
    Error::Conflict(format!("the access request is {}; only a PENDING request can be {verb}", r.status))
}

/// Locks a request row for the rest of the transaction (a no-op update, portable to SQLite,
/// where write transactions are already exclusive). Changes nothing, reveals nothing.
pub(crate) async fn lock_request(tx: &impl ConnectionTrait, id: &str) -> Result<()> {
    accord_db::lock_row::<request::Entity>(tx, request::Column::Status, request::Column::Id, id).await?;
    Ok(())
}

/// Moves a PENDING request to a final state (conditional, so a decision happens once).
pub(crate) async fn set_status(
    tx: &impl ConnectionTrait,
    r: RequestRecord,
    to: RequestStatus,
    now: DateTime<Utc>,
    by: &str,
    reason: Option<&str>,
    verb: &str,
) -> Result<RequestRecord> {
    let res = request::Entity::update_many()
        .col_expr(request::Column::Status, Expr::value(to.as_str()))
        .col_expr(request::Column::DecidedAt, Expr::value(now))
        .col_expr(request::Column::DecidedBy, Expr::value(by))
        .col_expr(request::Column::DecisionReason, Expr::value(reason.map(str::to_owned)))
        .filter(request::Column::Id.eq(r.id.clone()))
        .filter(request::Column::Status.eq(RequestStatus::Pending.as_str()))
        .exec(tx)
        .await?;
    if res.rows_affected != 1 {
        return Err(conflict_state(&r, verb));
    }
    Ok(RequestRecord {
        status: to,
        decided_at: Some(now),
        decided_by: Some(by.to_owned()),
        decision_reason: reason.map(str::to_owned),
        ..r
    })
}

/// The ACTIVE or SUSPENDED grant of a pair, if any.
pub(crate) async fn live_grant(tx: &impl ConnectionTrait, app_id: &str, holder_id: &str) -> Result<Option<GrantRecord>> {
    grant::Entity::find()
        .filter(grant::Column::AppId.eq(app_id))
        .filter(grant::Column::HolderTenantId.eq(holder_id))
        .filter(grant::Column::Status.is_in(live()))
        .one(tx)
        .await?
        .map(GrantRecord::try_from)
        .transpose()
}

/// The ACTIVE or SUSPENDED grants of an app at every data holder (enforcement's live view).
///
/// # Errors
/// A database failure, or a row that does not parse.
pub async fn live_grants_of_app(db: &impl ConnectionTrait, app_id: &str) -> Result<Vec<GrantRecord>> {
    grant::Entity::find()
        .filter(grant::Column::AppId.eq(app_id))
        .filter(grant::Column::Status.is_in(live()))
        .all(db)
        .await?
        .into_iter()
        .map(GrantRecord::try_from)
        .collect()
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
pub(crate) async fn expire(tx: &impl ConnectionTrait, g: GrantRecord, now: DateTime<Utc>) -> Result<bool> {
    let res = grant::Entity::update_many()
        .col_expr(grant::Column::Status, Expr::value(GrantStatus::Expired.as_str()))
        .col_expr(grant::Column::UpdatedAt, Expr::value(now))
        .filter(grant::Column::Id.eq(g.id.clone()))
        .filter(grant::Column::Status.is_in(live()))
        .filter(grant::Column::ExpiresAt.lte(now))
        .exec(tx)
        .await?;
    if res.rows_affected == 1 {
        let g = GrantRecord { status: GrantStatus::Expired, updated_at: now, ..g };
        record_grant(tx, now, &Actor::System, EventType::GrantExpired, &g, None, Some("expired")).await?;
    }
    Ok(res.rows_affected == 1)
}

/// Revokes a live grant (conditional) and records `grant.revoked` with the reason. Returns
/// the grant as it now is, or `None` when it was no longer live.
pub(crate) async fn end_grant(
    tx: &impl ConnectionTrait,
    now: DateTime<Utc>,
    actor: &Actor,
    g: GrantRecord,
    reason: &str,
    app: Option<&AppRecord>,
) -> Result<Option<GrantRecord>> {
    let res = grant::Entity::update_many()
        .col_expr(grant::Column::Status, Expr::value(GrantStatus::Revoked.as_str()))
        .col_expr(grant::Column::RevokedReason, Expr::value(reason))
        .col_expr(grant::Column::RevokedAt, Expr::value(now))
        .col_expr(grant::Column::UpdatedAt, Expr::value(now))
        .filter(grant::Column::Id.eq(g.id.clone()))
        .filter(grant::Column::Status.is_in(live()))
        .exec(tx)
        .await?;
    if res.rows_affected != 1 {
        return Ok(None);
    }
    let g =
        GrantRecord { status: GrantStatus::Revoked, revoked_reason: Some(reason.to_owned()), revoked_at: Some(now), updated_at: now, ..g };
    record_grant(tx, now, actor, EventType::GrantRevoked, &g, app, Some(reason)).await?;
    Ok(Some(g))
}

/// The partnership between two tenants, whichever side each is on.
///
/// # Errors
/// On database failure; `Corrupt` for an unreadable row.
pub async fn partnership_between(db: &impl ConnectionTrait, a: &str, b: &str) -> Result<Option<PartnershipRecord>> {
    let rows = partnership::Entity::find()
        .filter(partnership::Column::HolderTenantId.is_in([a, b]))
        .filter(partnership::Column::VendorTenantId.is_in([a, b]))
        .all(db)
        .await?;
    rows.into_iter()
        .find(|p| (p.holder_tenant_id == a && p.vendor_tenant_id == b) || (p.holder_tenant_id == b && p.vendor_tenant_id == a))
        .map(PartnershipRecord::try_from)
        .transpose()
}

/// Starts the partnership of a pair at its first approved grant, or starts an ENDED one again
/// (`partnership.started`, audited only). An ACTIVE one is left as it is.
pub(crate) async fn start_partnership(
    tx: &impl ConnectionTrait,
    now: DateTime<Utc>,
    actor: &Actor,
    holder: &str,
    vendor: &str,
) -> Result<()> {
    let existing = partnership::Entity::find()
        .filter(partnership::Column::HolderTenantId.eq(holder))
        .filter(partnership::Column::VendorTenantId.eq(vendor))
        .one(tx)
        .await?
        .map(PartnershipRecord::try_from)
        .transpose()?;
    let id = match existing {
        Some(p) if p.status == PartnershipStatus::Active => return Ok(()),
        Some(p) => {
            partnership::Entity::update_many()
                .col_expr(partnership::Column::Status, Expr::value(PartnershipStatus::Active.as_str()))
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
                status: Set(PartnershipStatus::Active.as_str().to_owned()),
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
            action: audit_only::PARTNERSHIP_STARTED,
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

/// Marks a partnership ENDED (conditional: ends once). Returns it as it now is, or `None`
/// when it was already ended.
///
/// # Errors
/// On database failure.
pub async fn end_partnership_row(
    tx: &impl ConnectionTrait,
    now: DateTime<Utc>,
    p: PartnershipRecord,
    reason: &str,
) -> Result<Option<PartnershipRecord>> {
    let res = partnership::Entity::update_many()
        .col_expr(partnership::Column::Status, Expr::value(PartnershipStatus::Ended.as_str()))
        .col_expr(partnership::Column::EndedAt, Expr::value(now))
        .col_expr(partnership::Column::EndedReason, Expr::value(reason))
        .filter(partnership::Column::Id.eq(p.id.clone()))
        .filter(partnership::Column::Status.eq(PartnershipStatus::Active.as_str()))
        .exec(tx)
        .await?;
    Ok((res.rows_affected == 1).then(|| PartnershipRecord {
        status: PartnershipStatus::Ended,
        ended_at: Some(now),
        ended_reason: Some(reason.to_owned()),
        ..p
    }))
}

/// The policy of `holder_id` (the SPEC §3 defaults when it never set one).
///
/// # Errors
/// On database failure; `Corrupt` when the stored policy names an unknown app kind or action.
pub async fn policy_for(db: &impl ConnectionTrait, holder_id: &str) -> Result<Policy> {
    let Some(m) = policy::Entity::find_by_id(holder_id.to_owned()).one(db).await? else {
        return Ok(Policy::default());
    };
    let corrupt = |field: &str| Error::Corrupt(format!("the approval policy of {holder_id} has an unreadable {field}"));
    let allowed_app_kinds = json_to_strings(&m.allowed_app_kinds)
        .iter()
        .map(|k| k.parse::<AppKind>())
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(|_| corrupt("allowed_app_kinds"))?;
    Ok(Policy {
        required_approvals: m.required_approvals,
        high_risk_required_approvals: m.high_risk_required_approvals,
        max_grant_days: m.max_grant_days,
        high_risk_max_grant_days: m.high_risk_max_grant_days,
        forbidden_scopes: json_to_scopes(&m.forbidden_scopes),
        allowed_app_kinds,
        review_interval_days: m.review_interval_days,
        auto_approve_low_risk: m.auto_approve_low_risk,
        on_missed_review: m.on_missed_review.parse::<MissedReviewAction>().map_err(|_| corrupt("on_missed_review"))?,
    })
}
