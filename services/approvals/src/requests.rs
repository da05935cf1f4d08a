//! Access requests and approvals (SPEC §3): asking, withdrawing, denying, and approving —
//! narrowing allowed, widening never, each approver counted once per proposal, the required
//! number computed on the proposal's risk.

use crate::domain::{
    SUPERSEDED, grant_status as gs, json_to_scopes, parse_scopes, partnership_status as ps, request_status as rs, scopes_to_json,
    strings_to_json,
};
use crate::entities::{approval, grant, request};
use crate::error::{Error, Result};
use crate::events::request_event;
use crate::grants::{self, require_holder_approver};
use crate::{Approvals, policy_for};
use accord_db::audit::AuditEntry;
use accord_kernel::{Actor, Principal, Role};
use accord_registry::{AppRecord, AppStatus};
use accord_scopes::Risk;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde_json::json;

/// A vendor's ask.
#[derive(Debug, Clone)]
pub struct RequestAccessInput {
    /// The vendor's app.
    pub app_id: String,
    /// The provider or payer asked.
    pub data_holder_id: String,
    /// Scopes as the vendor writes them (kept verbatim; normalized for the proposal).
    pub scopes: Vec<String>,
    /// Why the app needs them.
    pub purpose: String,
    /// How long.
    pub duration_days: i32,
    /// The grant in force this renews, widens or narrows.
    pub replaces_grant_id: Option<String>,
}

/// An approver's decision input; narrowing only.
#[derive(Debug, Clone, Default)]
pub struct ApproveInput {
    /// Narrower scopes than the current proposal.
    pub scopes: Option<Vec<String>>,
    /// A shorter duration than the current proposal.
    pub duration_days: Option<i32>,
    /// A note for the record.
    pub comment: Option<String>,
}

fn text(field: &str, raw: &str, max: usize) -> Result<String> {
    accord_kernel::text::long_text(field, raw, max).map_err(Error::Invalid)
}

/// A request the caller may see (one of the two parties), or `NotFound`.
pub(crate) async fn visible_request(tx: &impl ConnectionTrait, ctx: &Principal, id: &str) -> Result<request::Model> {
    request::Entity::find_by_id(id.to_owned())
        .one(tx)
        .await?
        .filter(|r| r.vendor_tenant_id == ctx.tenant_id || r.holder_tenant_id == ctx.tenant_id)
        .ok_or(Error::NotFound("access request"))
}

pub(crate) fn conflict_state(r: &request::Model, verb: &str) -> Error {
    Error::Conflict(format!("the access request is {}; only a PENDING request can be {verb}", r.status))
}

impl Approvals {
    /// A vendor asks a data holder for scopes for one of its apps (DEVELOPER or ADMIN of the
    /// vendor). The holder's policy is applied now; with `autoApproveLowRisk` a LOW-risk
    /// request is granted at once.
    ///
    /// # Errors
    /// `Forbidden`, `NotFound` (app or holder), `InvalidScope`, `Invalid`, `Policy`,
    /// `Conflict` (app not active; a grant in force or a pending request for the pair).
    pub async fn request_access(&self, ctx: &Principal, input: RequestAccessInput) -> Result<request::Model> {
        accord_db::retrying("request_access", || self.request_access_tx(ctx, &input)).await
    }

    async fn request_access_tx(&self, ctx: &Principal, input: &RequestAccessInput) -> Result<request::Model> {
        let scopes = parse_scopes("scopes", &input.scopes).map_err(Error::InvalidScope)?;
        let purpose = text("purpose", &input.purpose, 2000)?;
        if input.duration_days < 1 {
            return Err(Error::Invalid(format!("durationDays: must be at least 1, got {}", input.duration_days)));
        }
        let now = self.clock.now();
        let tx = accord_db::begin(&self.db).await?;
        let app = accord_registry::app_by_id(&tx, &input.app_id)
            .await
            .map_err(Error::upstream)?
            .filter(|a| a.vendor_tenant_id == ctx.tenant_id)
            .ok_or(Error::NotFound("app"))?;
        // Checked after the app lookup, so someone else's app is NOT_FOUND whoever asks.
        if ctx.tenant_kind != accord_kernel::TenantKind::Developer || !ctx.allows(Role::Developer) {
            return Err(Error::Forbidden("only DEVELOPER or ADMIN users of a vendor may request access".into()));
        }
        if app.status != AppStatus::Active {
            return Err(Error::Conflict(format!("app {} is {}; only an ACTIVE app may request access", app.id, app.status.as_str())));
        }
        // Read through the transaction, like every read of a write (docs/concurrency.md). A
        // holder that is no longer active is out of the directory, so it is not found either.
        let holder = accord_tenants::lookup::tenant_by_id(&tx, &input.data_holder_id)
            .await
            .map_err(Error::upstream)?
            .filter(|t| t.kind.is_data_holder() && t.is_active())
            .ok_or(Error::NotFound("data holder"))?;
        let policy = policy_for(&tx, &holder.id).await?;
        policy.check(app.kind.as_str(), &scopes, input.duration_days).map_err(Error::Policy)?;

        grants::expire_due(&tx, &app.id, &holder.id, now).await?;
        let live = grants::live_grant(&tx, &app.id, &holder.id).await?;
        match (&input.replaces_grant_id, &live) {
            (None, Some(g)) => {
                return Err(Error::Conflict(format!(
                    "replacesGrantId: grant {} is in force for this app at this data holder; name it in replacesGrantId to renew, widen or narrow it",
                    g.id
                )));
            }
            (Some(wanted), Some(g)) if *wanted != g.id => {
                return Err(Error::Conflict(format!(
                    "replacesGrantId: the grant in force for this app at this data holder is {}, not {wanted}",
                    g.id
                )));
            }
            (Some(_), None) => {
                return Err(Error::Conflict("replacesGrantId: no grant is in force for this app at this data holder".into()));
            }
            _ => {}
        }
        if let Some(p) = request::Entity::find()
            .filter(request::Column::AppId.eq(app.id.clone()))
            .filter(request::Column::HolderTenantId.eq(holder.id.clone()))
            .filter(request::Column::Status.eq(rs::PENDING))
            .one(&tx)
            .await?
        {
            return Err(Error::Conflict(format!("access request {} for this app at this data holder is still pending", p.id)));
        }
        let risk = scopes.risk();
        let r = request::ActiveModel {
            id: Set(accord_kernel::new_id()),
            app_id: Set(app.id.clone()),
            vendor_tenant_id: Set(ctx.tenant_id.clone()),
            holder_tenant_id: Set(holder.id.clone()),
            requested_scopes: Set(strings_to_json(&input.scopes)),
            proposed_scopes: Set(scopes_to_json(&scopes)),
            purpose: Set(purpose),
            duration_days: Set(input.duration_days),
            proposed_duration_days: Set(input.duration_days),
            proposal_version: Set(1),
            risk: Set(risk.as_str().to_owned()),
            required_approvals: Set(policy.required_for(risk)),
            requested_by: Set(ctx.user_id.clone()),
            status: Set(rs::PENDING.to_owned()),
            replaces_grant_id: Set(input.replaces_grant_id.clone()),
            grant_id: Set(None),
            decision_reason: Set(None),
            decided_by: Set(None),
            created_at: Set(now),
            decided_at: Set(None),
        }
        .insert(&tx)
        .await
        .map_err(|e| match e.sql_err() {
            // Another request for the same pair won the race (ux_requests_one_pending).
            Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => {
                Error::Conflict("another access request for this app at this data holder is already pending".into())
            }
            _ => Error::Db(e),
        })?;
        record(&tx, now, &ctx.actor, "access_request.created", &r, Some(&app), None).await?;
        let auto = policy.auto_approve_low_risk && risk == Risk::Low && routine(&tx, &app, &holder.id, live.as_ref()).await?;
        let r = if auto {
            let days = r.proposed_duration_days;
            grants::finalize(&tx, now, &Actor::System, r, &app, &policy, days).await?
        } else {
            r
        };
        tx.commit().await?;
        Ok(r)
    }

    /// The vendor withdraws its pending request (DEVELOPER or ADMIN of the vendor).
    ///
    /// # Errors
    /// `NotFound`, `Forbidden`, `Conflict`.
    pub async fn withdraw(&self, ctx: &Principal, id: &str) -> Result<request::Model> {
        accord_db::retrying("withdraw", || self.withdraw_tx(ctx, id)).await
    }

    async fn withdraw_tx(&self, ctx: &Principal, id: &str) -> Result<request::Model> {
        let now = self.clock.now();
        let tx = accord_db::begin(&self.db).await?;
        let r = visible_request(&tx, ctx, id).await?;
        if r.vendor_tenant_id != ctx.tenant_id || !ctx.allows(Role::Developer) {
            return Err(Error::Forbidden("only the vendor's DEVELOPER or ADMIN users may withdraw a request".into()));
        }
        let r = set_status(&tx, r, rs::WITHDRAWN, now, &ctx.user_id, None, "withdrawn").await?;
        record(&tx, now, &ctx.actor, "access_request.withdrawn", &r, None, None).await?;
        tx.commit().await?;
        Ok(r)
    }

    /// A holder's approver denies a pending request; the reason is kept and sent to the vendor.
    ///
    /// # Errors
    /// `NotFound`, `Forbidden`, `Invalid`, `Conflict`.
    pub async fn deny(&self, ctx: &Principal, id: &str, reason: &str) -> Result<request::Model> {
        accord_db::retrying("deny", || self.deny_tx(ctx, id, reason)).await
    }

    async fn deny_tx(&self, ctx: &Principal, id: &str, reason: &str) -> Result<request::Model> {
        let reason = text("reason", reason, 2000)?;
        let now = self.clock.now();
        let tx = accord_db::begin(&self.db).await?;
        let r = visible_request(&tx, ctx, id).await?;
        require_holder_approver(ctx, &r.holder_tenant_id, "deny requests")?;
        let r = set_status(&tx, r, rs::DENIED, now, &ctx.user_id, Some(&reason), "denied").await?;
        record(&tx, now, &ctx.actor, "access_request.denied", &r, None, Some(&reason)).await?;
        tx.commit().await?;
        Ok(r)
    }

    /// A holder's approver approves the current proposal, optionally narrowing it (fewer or
    /// narrower scopes, a shorter duration). A narrowing replaces the proposal and restarts
    /// the count at this approval. When the count reaches what the proposal's risk requires,
    /// the request is APPROVED and the grant created (superseding any grant it replaces).
    ///
    /// # Errors
    /// `NotFound`, `Forbidden` (wrong side or role, own request), `InvalidScope`, `Invalid`
    /// (widening, lengthening), `Conflict` (decided request, approving twice, app not active).
    pub async fn approve(&self, ctx: &Principal, id: &str, input: ApproveInput) -> Result<request::Model> {
        accord_db::retrying("approve", || self.approve_tx(ctx, id, &input)).await
    }

    async fn approve_tx(&self, ctx: &Principal, id: &str, input: &ApproveInput) -> Result<request::Model> {
        let comment = input.comment.as_deref().map(|c| text("comment", c, 2000)).transpose()?;
        let now = self.clock.now();
        let tx = accord_db::begin(&self.db).await?;
        // Take the request's row lock before reading it: two approvers approving at once are
        // serialized, so the second one counts the first one's approval (PostgreSQL READ
        // COMMITTED would otherwise let each see only its own and leave the request pending).
        lock_request(&tx, id).await?;
        let r = visible_request(&tx, ctx, id).await?;
        require_holder_approver(ctx, &r.holder_tenant_id, "approve requests")?;
        if r.status != rs::PENDING {
            return Err(conflict_state(&r, "approved"));
        }
        if r.requested_by == ctx.user_id {
            return Err(Error::Forbidden("nobody may approve a request they made".into()));
        }
        let current = json_to_scopes(&r.proposed_scopes);
        let proposal = match &input.scopes {
            None => current.clone(),
            Some(raw) => {
                let p = parse_scopes("scopes", raw).map_err(Error::InvalidScope)?;
                if let Err(wider) = accord_scopes::narrow(&current, &p) {
                    let names: Vec<String> = wider.iter().map(|s| format!("`{s}`")).collect();
                    return Err(Error::Invalid(format!(
                        "scopes: {} not within the current proposal ({}); an approver may narrow but never widen",
                        names.join(", "),
                        current
                    )));
                }
                p
            }
        };
        let days = match input.duration_days {
            None => r.proposed_duration_days,
            Some(d) if d < 1 => return Err(Error::Invalid(format!("durationDays: must be at least 1, got {d}"))),
            Some(d) if d > r.proposed_duration_days => {
                return Err(Error::Invalid(format!(
                    "durationDays: {d} days is longer than the {} days proposed; an approver may shorten but never lengthen",
                    r.proposed_duration_days
                )));
            }
            Some(d) => d,
        };
        let app = accord_registry::app_by_id(&tx, &r.app_id).await.map_err(Error::upstream)?.ok_or(Error::NotFound("app"))?;
        if app.status != AppStatus::Active {
            return Err(Error::Conflict(format!("app {} is {}; access cannot be approved for it", app.id, app.status.as_str())));
        }
        // The policy in force now rules (SPEC §3): a proposal it forbids stays PENDING, for a
        // narrowing approval or a deny; the count is against today's required number.
        let policy = policy_for(&tx, &r.holder_tenant_id).await?;
        policy
            .check(app.kind.as_str(), &proposal, days)
            .map_err(|e| Error::Policy(format!("{e}; the request stays PENDING: narrow it or deny it")))?;
        let changed = proposal != current || days != r.proposed_duration_days;
        let r = if changed { self.replace_proposal(&tx, r, &proposal, days, &policy).await? } else { r };
        let r = require_current_count(&tx, r, policy.required_for(proposal.risk())).await?;
        let already = approval::Entity::find()
            .filter(approval::Column::RequestId.eq(r.id.clone()))
            .filter(approval::Column::ProposalVersion.eq(r.proposal_version))
            .filter(approval::Column::ApproverId.eq(ctx.user_id.clone()))
            .count(&tx)
            .await?;
        if already > 0 {
            return Err(Error::Conflict("you have already approved this proposal; one approver counts once".into()));
        }
        let me = accord_tenants::lookup::user_by_id(&tx, &ctx.user_id).await.map_err(Error::upstream)?.ok_or(Error::NotFound("user"))?;
        approval::ActiveModel {
            id: Set(accord_kernel::new_id()),
            request_id: Set(r.id.clone()),
            proposal_version: Set(r.proposal_version),
            approver_id: Set(ctx.user_id.clone()),
            approver_name: Set(me.name),
            approver_email: Set(me.email),
            scopes: Set(scopes_to_json(&proposal)),
            duration_days: Set(days),
            comment: Set(comment.clone()),
            at: Set(now),
        }
        .insert(&tx)
        .await?;
        let count = approval::Entity::find()
            .filter(approval::Column::RequestId.eq(r.id.clone()))
            .filter(approval::Column::ProposalVersion.eq(r.proposal_version))
            .count(&tx)
            .await?;
        accord_db::record_change(
            &tx,
            now,
            AuditEntry {
                actor: &ctx.actor,
                action: "access_request.approval_added",
                target_type: "access_request",
                target_id: &r.id,
                tenant_ids: vec![r.vendor_tenant_id.clone(), r.holder_tenant_id.clone()],
                details: json!({
                    "proposalVersion": r.proposal_version, "narrowed": changed, "scopes": proposal.to_strings(),
                    "durationDays": days, "approvals": count, "required": r.required_approvals, "comment": comment,
                }),
            },
            None,
        )
        .await?;
        let r = if i64::try_from(count).unwrap_or(i64::MAX) >= i64::from(r.required_approvals) {
            grants::finalize(&tx, now, &ctx.actor, r, &app, &policy, days).await?
        } else {
            r
        };
        tx.commit().await?;
        Ok(r)
    }

    async fn replace_proposal(
        &self,
        tx: &impl ConnectionTrait,
        r: request::Model,
        proposal: &accord_scopes::ScopeSet,
        days: i32,
        policy: &crate::domain::Policy,
    ) -> Result<request::Model> {
        let risk = proposal.risk();
        let version = r.proposal_version + 1;
        // Conditional on the version read: two approvers narrowing at once cannot both win.
        let res = request::Entity::update_many()
            .col_expr(request::Column::ProposedScopes, Expr::value(scopes_to_json(proposal)))
            .col_expr(request::Column::ProposedDurationDays, Expr::value(days))
            .col_expr(request::Column::ProposalVersion, Expr::value(version))
            .col_expr(request::Column::Risk, Expr::value(risk.as_str()))
            .col_expr(request::Column::RequiredApprovals, Expr::value(policy.required_for(risk)))
            .filter(request::Column::Id.eq(r.id.clone()))
            .filter(request::Column::Status.eq(rs::PENDING))
            .filter(request::Column::ProposalVersion.eq(r.proposal_version))
            .exec(tx)
            .await?;
        if res.rows_affected != 1 {
            return Err(Error::Conflict("the proposal changed meanwhile; reload and decide again".into()));
        }
        Ok(request::Model {
            proposed_scopes: scopes_to_json(proposal),
            proposed_duration_days: days,
            proposal_version: version,
            risk: risk.as_str().to_owned(),
            required_approvals: policy.required_for(risk),
            ..r
        })
    }
}

/// Whether an auto-approval is the routine case SPEC §3 allows: it never replaces a grant that
/// is not ACTIVE, never starts an ENDED partnership again, and never follows a grant of the pair
/// revoked for any reason but `superseded`. Anything else waits for approvers.
async fn routine(tx: &impl ConnectionTrait, app: &AppRecord, holder_id: &str, live: Option<&grant::Model>) -> Result<bool> {
    if live.is_some_and(|g| g.status != gs::ACTIVE) {
        return Ok(false);
    }
    if crate::cascade::partnership_between(tx, holder_id, &app.vendor_tenant_id).await?.is_some_and(|p| p.status == ps::ENDED) {
        return Ok(false);
    }
    let latest = grant::Entity::find()
        .filter(grant::Column::AppId.eq(app.id.clone()))
        .filter(grant::Column::HolderTenantId.eq(holder_id))
        .order_by_desc(grant::Column::Id)
        .one(tx)
        .await?;
    Ok(!latest.is_some_and(|g| g.status == gs::REVOKED && g.revoked_reason.as_deref() != Some(SUPERSEDED)))
}

/// Brings a pending request's required number to what the policy in force asks now.
async fn require_current_count(tx: &impl ConnectionTrait, r: request::Model, required: i32) -> Result<request::Model> {
    if r.required_approvals == required {
        return Ok(r);
    }
    request::Entity::update_many()
        .col_expr(request::Column::RequiredApprovals, Expr::value(required))
        .filter(request::Column::Id.eq(r.id.clone()))
        .exec(tx)
        .await?;
    Ok(request::Model { required_approvals: required, ..r })
}

/// Locks a request row for the rest of the transaction (a no-op update, portable to SQLite,
/// where write transactions are already exclusive). Changes nothing, reveals nothing.
async fn lock_request(tx: &impl ConnectionTrait, id: &str) -> Result<()> {
    request::Entity::update_many()
        .col_expr(request::Column::Status, Expr::col(request::Column::Status))
        .filter(request::Column::Id.eq(id))
        .exec(tx)
        .await?;
    Ok(())
}

/// Moves a PENDING request to a final state (conditional, so a decision happens once).
pub(crate) async fn set_status(
    tx: &impl ConnectionTrait,
    r: request::Model,
    to: &str,
    now: DateTime<Utc>,
    by: &str,
    reason: Option<&str>,
    verb: &str,
) -> Result<request::Model> {
    let res = request::Entity::update_many()
        .col_expr(request::Column::Status, Expr::value(to))
        .col_expr(request::Column::DecidedAt, Expr::value(now))
        .col_expr(request::Column::DecidedBy, Expr::value(by))
        .col_expr(request::Column::DecisionReason, Expr::value(reason.map(str::to_owned)))
        .filter(request::Column::Id.eq(r.id.clone()))
        .filter(request::Column::Status.eq(rs::PENDING))
        .exec(tx)
        .await?;
    if res.rows_affected != 1 {
        return Err(conflict_state(&r, verb));
    }
    Ok(request::Model {
        status: to.to_owned(),
        decided_at: Some(now),
        decided_by: Some(by.to_owned()),
        decision_reason: reason.map(str::to_owned),
        ..r
    })
}

/// Audits a request change and writes its outbox event.
pub(crate) async fn record(
    tx: &impl ConnectionTrait,
    now: DateTime<Utc>,
    actor: &Actor,
    action: &str,
    r: &request::Model,
    app: Option<&AppRecord>,
    reason: Option<&str>,
) -> Result<()> {
    accord_db::record_change(
        tx,
        now,
        AuditEntry {
            actor,
            action,
            target_type: "access_request",
            target_id: &r.id,
            tenant_ids: vec![r.vendor_tenant_id.clone(), r.holder_tenant_id.clone()],
            details: json!({ "appId": r.app_id, "status": r.status, "proposedScopes": crate::domain::json_to_strings(&r.proposed_scopes), "reason": reason }),
        },
        Some(request_event(r, app, reason)),
    )
    .await?;
    Ok(())
}
