//! Access requests and approvals (SPEC §3): asking, withdrawing, denying, and approving —
//! narrowing allowed, widening never, each approver counted once per proposal, the required
//! number computed on the proposal's risk.

use crate::domain::{
    GrantStatus, PartnershipStatus, Policy, RequestStatus, SUPERSEDED, parse_scopes, require_holder_approver, scopes_to_json,
    strings_to_json,
};
use crate::entities::{approval, grant, request};
use crate::error::{Error, Result};
use crate::events::{audit_only, record_grant, record_request};
use crate::records::{GrantRecord, RequestRecord};
use crate::repo::{
    conflict_state, end_grant, expire_due, grant_by_id, live_grant, lock_request, partnership_between, policy_for, set_status,
    start_partnership, visible_request,
};
use crate::service::Approvals;
use accord_db::audit::AuditEntry;
use accord_db::events::EventType;
use accord_kernel::{Actor, Principal, Role};
use accord_registry::{AppRecord, AppStatus};
use accord_scopes::{Risk, ScopeSet};
use chrono::{DateTime, Duration, Utc};
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

fn text(field: &str, raw: &str) -> Result<String> {
    accord_kernel::text::reason(field, raw).map_err(Error::Invalid)
}

impl Approvals {
    /// A vendor asks a data holder for scopes for one of its apps (DEVELOPER or ADMIN of the
    /// vendor). The holder's policy is applied now; with `autoApproveLowRisk` a LOW-risk
    /// request is granted at once.
    ///
    /// # Errors
    /// `Forbidden`, `NotFound` (app or holder), `InvalidScope`, `Invalid`, `Policy`,
    /// `Conflict` (app not active; a grant in force or a pending request for the pair).
    #[tracing::instrument(name = "approvals.request_access", skip_all, fields(tenant_id = %ctx.tenant_id, app_id = %input.app_id, holder_id = %input.data_holder_id))]
    pub async fn request_access(&self, ctx: &Principal, input: RequestAccessInput) -> Result<RequestRecord> {
        accord_db::retrying("request_access", || self.request_access_tx(ctx, &input)).await
    }

    async fn request_access_tx(&self, ctx: &Principal, input: &RequestAccessInput) -> Result<RequestRecord> {
        let scopes = parse_scopes("scopes", &input.scopes).map_err(Error::InvalidScope)?;
        let purpose = text("purpose", &input.purpose)?;
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
        if ctx.tenant_kind != accord_kernel::TenantKind::Developer {
            return Err(Error::Forbidden("only vendors (developer organizations) request access".into()));
        }
        ctx.require(Role::Developer, "request access")?;
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
        policy.check(app.kind, &scopes, input.duration_days).map_err(Error::Policy)?;

        expire_due(&tx, &app.id, &holder.id, now).await?;
        let live = live_grant(&tx, &app.id, &holder.id).await?;
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
            .filter(request::Column::Status.eq(RequestStatus::Pending.as_str()))
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
            status: Set(RequestStatus::Pending.as_str().to_owned()),
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
        let r = RequestRecord::try_from(r)?;
        record_request(&tx, now, &ctx.actor, EventType::AccessRequestCreated, &r, Some(&app), None).await?;
        let auto = policy.auto_approve_low_risk && risk == Risk::Low && routine(&tx, &app, &holder.id, live.as_ref()).await?;
        let r = if auto {
            let days = r.proposed_duration_days;
            finalize(&tx, now, &Actor::System, r, &app, &policy, days).await?
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
    #[tracing::instrument(name = "approvals.withdraw", skip_all, fields(tenant_id = %ctx.tenant_id, request_id = %id))]
    pub async fn withdraw(&self, ctx: &Principal, id: &str) -> Result<RequestRecord> {
        accord_db::retrying("withdraw", || self.withdraw_tx(ctx, id)).await
    }

    async fn withdraw_tx(&self, ctx: &Principal, id: &str) -> Result<RequestRecord> {
        let now = self.clock.now();
        let tx = accord_db::begin(&self.db).await?;
        let r = visible_request(&tx, ctx, id).await?;
        if r.vendor_tenant_id != ctx.tenant_id {
            return Err(Error::Forbidden("only the vendor that made a request may withdraw it".into()));
        }
        ctx.require(Role::Developer, "withdraw a request")?;
        let r = set_status(&tx, r, RequestStatus::Withdrawn, now, &ctx.user_id, None, "withdrawn").await?;
        record_request(&tx, now, &ctx.actor, EventType::AccessRequestWithdrawn, &r, None, None).await?;
        tx.commit().await?;
        Ok(r)
    }

    /// A holder's approver denies a pending request; the reason is kept and sent to the vendor.
    ///
    /// # Errors
    /// `NotFound`, `Forbidden`, `Invalid`, `Conflict`.
    #[tracing::instrument(name = "approvals.deny", skip_all, fields(tenant_id = %ctx.tenant_id, request_id = %id))]
    pub async fn deny(&self, ctx: &Principal, id: &str, reason: &str) -> Result<RequestRecord> {
        accord_db::retrying("deny", || self.deny_tx(ctx, id, reason)).await
    }

    async fn deny_tx(&self, ctx: &Principal, id: &str, reason: &str) -> Result<RequestRecord> {
        let reason = text("reason", reason)?;
        let now = self.clock.now();
        let tx = accord_db::begin(&self.db).await?;
        let r = visible_request(&tx, ctx, id).await?;
        require_holder_approver(ctx, &r.holder_tenant_id, "deny requests").map_err(Error::Forbidden)?;
        let r = set_status(&tx, r, RequestStatus::Denied, now, &ctx.user_id, Some(&reason), "denied").await?;
        record_request(&tx, now, &ctx.actor, EventType::AccessRequestDenied, &r, None, Some(&reason)).await?;
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
    #[tracing::instrument(name = "approvals.approve", skip_all, fields(tenant_id = %ctx.tenant_id, request_id = %id))]
    pub async fn approve(&self, ctx: &Principal, id: &str, input: ApproveInput) -> Result<RequestRecord> {
        accord_db::retrying("approve", || self.approve_tx(ctx, id, &input)).await
    }

    async fn approve_tx(&self, ctx: &Principal, id: &str, input: &ApproveInput) -> Result<RequestRecord> {
        let comment = input.comment.as_deref().map(|c| text("comment", c)).transpose()?;
        let now = self.clock.now();
        let tx = accord_db::begin(&self.db).await?;
        // Take the request's row lock before reading it: two approvers approving at once are
        // serialized, so the second one counts the first one's approval (PostgreSQL READ
        // COMMITTED would otherwise let each see only its own and leave the request pending).
        lock_request(&tx, id).await?;
        let r = visible_request(&tx, ctx, id).await?;
        require_holder_approver(ctx, &r.holder_tenant_id, "approve requests").map_err(Error::Forbidden)?;
        if r.status != RequestStatus::Pending {
            return Err(conflict_state(&r, "approved"));
        }
        if r.requested_by == ctx.user_id {
            return Err(Error::Forbidden("nobody may approve a request they made".into()));
        }
        let current = r.proposal();
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
            .check(app.kind, &proposal, days)
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
                action: audit_only::APPROVAL_ADDED,
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
            finalize(&tx, now, &ctx.actor, r, &app, &policy, days).await?
        } else {
            r
        };
        tx.commit().await?;
        Ok(r)
    }

    async fn replace_proposal(
        &self,
        tx: &impl ConnectionTrait,
        r: RequestRecord,
        proposal: &ScopeSet,
        days: i32,
        policy: &Policy,
    ) -> Result<RequestRecord> {
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
            .filter(request::Column::Status.eq(RequestStatus::Pending.as_str()))
            .filter(request::Column::ProposalVersion.eq(r.proposal_version))
            .exec(tx)
            .await?;
        if res.rows_affected != 1 {
            return Err(Error::Conflict("the proposal changed meanwhile; reload and decide again".into()));
        }
        Ok(RequestRecord {
            proposed_scopes: proposal.to_strings(),
            proposed_duration_days: days,
            proposal_version: version,
            risk,
            required_approvals: policy.required_for(risk),
            ..r
        })
    }
}

/// Whether an auto-approval is the routine case SPEC §3 allows: it never replaces a grant that
/// is not ACTIVE, never starts an ENDED partnership again, and never follows a grant of the pair
/// revoked for any reason but `superseded`. Anything else waits for approvers.
async fn routine(tx: &impl ConnectionTrait, app: &AppRecord, holder_id: &str, live: Option<&GrantRecord>) -> Result<bool> {
    if live.is_some_and(|g| g.status != GrantStatus::Active) {
        return Ok(false);
    }
    if partnership_between(tx, holder_id, &app.vendor_tenant_id).await?.is_some_and(|p| p.status == PartnershipStatus::Ended) {
        return Ok(false);
    }
    let latest = grant::Entity::find()
        .filter(grant::Column::AppId.eq(app.id.clone()))
        .filter(grant::Column::HolderTenantId.eq(holder_id))
        .order_by_desc(grant::Column::Id)
        .one(tx)
        .await?
        .map(GrantRecord::try_from)
        .transpose()?;
    Ok(!latest.is_some_and(|g| g.status == GrantStatus::Revoked && g.revoked_reason.as_deref() != Some(SUPERSEDED)))
}

/// Brings a pending request's required number to what the policy in force asks now.
async fn require_current_count(tx: &impl ConnectionTrait, r: RequestRecord, required: i32) -> Result<RequestRecord> {
    if r.required_approvals == required {
        return Ok(r);
    }
    request::Entity::update_many()
        .col_expr(request::Column::RequiredApprovals, Expr::value(required))
        .filter(request::Column::Id.eq(r.id.clone()))
        .exec(tx)
        .await?;
    Ok(RequestRecord { required_approvals: required, ..r })
}

/// Approves a request for good: supersedes the grant it replaces, creates the grant, starts
/// (or restarts) the partnership, and records every step.
async fn finalize(
    tx: &impl ConnectionTrait,
    now: DateTime<Utc>,
    actor: &Actor,
    r: RequestRecord,
    app: &AppRecord,
    policy: &Policy,
    days: i32,
) -> Result<RequestRecord> {
    expire_due(tx, &r.app_id, &r.holder_tenant_id, now).await?;
    if let Some(old_id) = &r.replaces_grant_id
        && let Some(old) = grant_by_id(tx, old_id).await?
    {
        end_grant(tx, now, actor, old, SUPERSEDED, Some(app)).await?;
    }
    let g = grant::ActiveModel {
        id: Set(accord_kernel::new_id()),
        app_id: Set(r.app_id.clone()),
        vendor_tenant_id: Set(r.vendor_tenant_id.clone()),
        holder_tenant_id: Set(r.holder_tenant_id.clone()),
        request_id: Set(r.id.clone()),
        scopes: Set(strings_to_json(&r.proposed_scopes)),
        granted_at: Set(now),
        expires_at: Set(now + Duration::days(days.into())),
        status: Set(GrantStatus::Active.as_str().to_owned()),
        status_reason: Set(None),
        revoked_reason: Set(None),
        revoked_at: Set(None),
        last_reviewed_at: Set(None),
        next_review_due: Set(now + Duration::days(policy.review_interval_days.into())),
        updated_at: Set(now),
    }
    .insert(tx)
    .await?;
    let g = GrantRecord::try_from(g)?;
    let decided_by = match actor {
        Actor::User { user_id } | Actor::ApiToken { user_id, .. } => user_id.clone(),
        other => other.to_string(),
    };
    let r = set_status(tx, r, RequestStatus::Approved, now, &decided_by, None, "approved").await?;
    request::Entity::update_many()
        .col_expr(request::Column::GrantId, Expr::value(g.id.clone()))
        .filter(request::Column::Id.eq(r.id.clone()))
        .exec(tx)
        .await?;
    let r = RequestRecord { grant_id: Some(g.id.clone()), ..r };
    record_request(tx, now, actor, EventType::AccessRequestApproved, &r, Some(app), None).await?;
    record_grant(tx, now, actor, EventType::GrantCreated, &g, Some(app), None).await?;
    start_partnership(tx, now, actor, &r.holder_tenant_id, &r.vendor_tenant_id).await?;
    Ok(r)
}
