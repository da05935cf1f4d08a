//! Output types and loaders.

use super::scopes::{Risk, ScopeAnalysis, analysis_of};
use crate::domain::{self, Policy, effective_grant_status};
use crate::records::{ApprovalRecord, GrantRecord, PartnershipRecord, RequestRecord};
use crate::service::Approvals;
use accord_kernel::gql::{RequestMeta, classify_to_gql, service};
use accord_registry::AppKind;
use accord_registry::graphql::{App, load_app};
use accord_tenants::graphql::{Tenant, load_tenant};
use async_graphql::dataloader::{DataLoader, Loader};
use async_graphql::{ComplexObject, Context, Enum, ID, Result, SimpleObject};
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::sync::Arc;

/// AccessRequest states.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(name = "AccessRequestStatus")]
pub enum AccessRequestStatus {
    /// Waiting for decisions.
    Pending,
    /// Approved; see `grant`.
    Approved,
    /// Denied.
    Denied,
    /// Withdrawn by the vendor.
    Withdrawn,
    /// Ended by offboarding or partnership end.
    Cancelled,
}

impl From<domain::RequestStatus> for AccessRequestStatus {
    fn from(s: domain::RequestStatus) -> Self {
        match s {
            domain::RequestStatus::Pending => Self::Pending,
            domain::RequestStatus::Approved => Self::Approved,
            domain::RequestStatus::Denied => Self::Denied,
            domain::RequestStatus::Withdrawn => Self::Withdrawn,
            domain::RequestStatus::Cancelled => Self::Cancelled,
        }
    }
}

impl From<AccessRequestStatus> for domain::RequestStatus {
    fn from(s: AccessRequestStatus) -> Self {
        match s {
            AccessRequestStatus::Pending => Self::Pending,
            AccessRequestStatus::Approved => Self::Approved,
            AccessRequestStatus::Denied => Self::Denied,
            AccessRequestStatus::Withdrawn => Self::Withdrawn,
            AccessRequestStatus::Cancelled => Self::Cancelled,
        }
    }
}

/// Grant states.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(name = "GrantStatus")]
pub enum GrantStatus {
    /// In force.
    Active,
    /// Paused.
    Suspended,
    /// Past its expiry.
    Expired,
    /// Ended.
    Revoked,
}

impl From<domain::GrantStatus> for GrantStatus {
    fn from(s: domain::GrantStatus) -> Self {
        match s {
            domain::GrantStatus::Active => Self::Active,
            domain::GrantStatus::Suspended => Self::Suspended,
            domain::GrantStatus::Expired => Self::Expired,
            domain::GrantStatus::Revoked => Self::Revoked,
        }
    }
}

impl From<GrantStatus> for domain::GrantStatus {
    fn from(s: GrantStatus) -> Self {
        match s {
            GrantStatus::Active => Self::Active,
            GrantStatus::Suspended => Self::Suspended,
            GrantStatus::Expired => Self::Expired,
            GrantStatus::Revoked => Self::Revoked,
        }
    }
}

/// Partnership states.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(name = "PartnershipStatus")]
pub enum PartnershipStatus {
    /// In force.
    Active,
    /// Ended by either side.
    Ended,
}

impl From<domain::PartnershipStatus> for PartnershipStatus {
    fn from(s: domain::PartnershipStatus) -> Self {
        match s {
            domain::PartnershipStatus::Active => Self::Active,
            domain::PartnershipStatus::Ended => Self::Ended,
        }
    }
}

/// What happens when a review is overdue.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(name = "MissedReviewAction")]
pub enum MissedReviewAction {
    /// The grant is revoked.
    Revoke,
    /// The holder's admins are told; the review stays open.
    Escalate,
}

impl From<domain::MissedReviewAction> for MissedReviewAction {
    fn from(a: domain::MissedReviewAction) -> Self {
        match a {
            domain::MissedReviewAction::Revoke => Self::Revoke,
            domain::MissedReviewAction::Escalate => Self::Escalate,
        }
    }
}

impl From<MissedReviewAction> for domain::MissedReviewAction {
    fn from(a: MissedReviewAction) -> Self {
        match a {
            MissedReviewAction::Revoke => Self::Revoke,
            MissedReviewAction::Escalate => Self::Escalate,
        }
    }
}

/// One approver's yes on one version of the proposal.
#[derive(SimpleObject, Clone, Debug)]
pub struct Approval {
    /// Its id.
    pub id: ID,
    /// The approver's user id.
    pub approver_id: ID,
    /// The approver's name.
    pub approver_name: String,
    /// The approver's email.
    pub approver_email: String,
    /// The scopes approved.
    pub scopes: Vec<String>,
    /// The duration approved.
    pub duration_days: i32,
    /// Their note.
    pub comment: Option<String>,
    /// When.
    pub at: DateTime<Utc>,
    /// Which version of the proposal it approved.
    pub proposal_version: i32,
    /// Whether it counts toward the current proposal.
    pub current: bool,
}

/// A vendor's ask for scopes at one data holder.
#[derive(SimpleObject, Clone, Debug)]
#[graphql(complex)]
pub struct AccessRequest {
    /// Its id.
    pub id: ID,
    /// The scopes as the vendor sent them.
    pub requested_scopes: Vec<String>,
    /// The current proposal, normalized (v2, sorted).
    pub proposed_scopes: Vec<String>,
    /// Why the app needs access.
    pub purpose: String,
    /// The duration asked for.
    pub duration_days: i32,
    /// The duration currently proposed (an approver may shorten it).
    pub proposed_duration_days: i32,
    /// Where it stands.
    pub status: AccessRequestStatus,
    /// Approvals the current proposal needs (by its risk).
    pub required_approvals: i32,
    /// The proposal's risk.
    pub risk: Risk,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// When it was decided.
    pub decided_at: Option<DateTime<Utc>>,
    /// Why it was denied or cancelled.
    pub decision_reason: Option<String>,
    /// The current proposal's version (it grows when an approver narrows).
    pub proposal_version: i32,
    #[graphql(skip)]
    pub app_id: String,
    #[graphql(skip)]
    pub holder_id: String,
    #[graphql(skip)]
    pub vendor_id: String,
    #[graphql(skip)]
    pub grant_id: Option<String>,
    #[graphql(skip)]
    pub replaces_grant_id: Option<String>,
}

impl From<RequestRecord> for AccessRequest {
    fn from(r: RequestRecord) -> Self {
        Self {
            id: r.id.into(),
            requested_scopes: r.requested_scopes,
            proposed_scopes: r.proposed_scopes,
            purpose: r.purpose,
            duration_days: r.duration_days,
            proposed_duration_days: r.proposed_duration_days,
            status: r.status.into(),
            required_approvals: r.required_approvals,
            risk: r.risk.into(),
            created_at: r.created_at,
            decided_at: r.decided_at,
            decision_reason: r.decision_reason,
            proposal_version: r.proposal_version,
            app_id: r.app_id,
            holder_id: r.holder_tenant_id,
            vendor_id: r.vendor_tenant_id,
            grant_id: r.grant_id,
            replaces_grant_id: r.replaces_grant_id,
        }
    }
}

fn internal(ctx: &Context<'_>, e: &Arc<crate::Error>) -> async_graphql::Error {
    classify_to_gql(ctx.data_opt::<RequestMeta>(), e.as_ref())
}

/// Loads a grant through the request's dataloader (the caller already sees what names it).
///
/// # Errors
/// `INTERNAL` on database failure.
pub async fn load_grant(ctx: &Context<'_>, id: Option<&String>) -> Result<Option<Grant>> {
    let Some(id) = id else { return Ok(None) };
    service::<DataLoader<GrantLoader>>(ctx)?.load_one(id.clone()).await.map_err(|e| internal(ctx, &e))
}

#[ComplexObject]
impl AccessRequest {
    /// The app asking.
    async fn app(&self, ctx: &Context<'_>) -> Result<App> {
        load_app(ctx, &self.app_id).await
    }

    /// The provider or payer asked.
    async fn data_holder(&self, ctx: &Context<'_>) -> Result<Tenant> {
        load_tenant(ctx, &self.holder_id).await
    }

    /// The vendor asking.
    async fn vendor(&self, ctx: &Context<'_>) -> Result<Tenant> {
        load_tenant(ctx, &self.vendor_id).await
    }

    /// Every approval given, oldest first (`current` marks those that count now).
    async fn approvals(&self, ctx: &Context<'_>) -> Result<Vec<Approval>> {
        let all = service::<DataLoader<ApprovalsLoader>>(ctx)?.load_one(self.id.to_string()).await.map_err(|e| internal(ctx, &e))?;
        Ok(all
            .unwrap_or_default()
            .into_iter()
            .map(|a| Approval {
                id: a.id.into(),
                approver_id: a.approver_id.into(),
                approver_name: a.approver_name,
                approver_email: a.approver_email,
                scopes: a.scopes,
                duration_days: a.duration_days,
                comment: a.comment,
                at: a.at,
                current: a.proposal_version == self.proposal_version,
                proposal_version: a.proposal_version,
            })
            .collect())
    }

    /// The grant this request produced.
    async fn grant(&self, ctx: &Context<'_>) -> Result<Option<Grant>> {
        load_grant(ctx, self.grant_id.as_ref()).await
    }

    /// The grant this request renews, widens or narrows.
    async fn replaces_grant(&self, ctx: &Context<'_>) -> Result<Option<Grant>> {
        load_grant(ctx, self.replaces_grant_id.as_ref()).await
    }

    /// The engine's analysis of each proposed scope, for approvers.
    async fn scope_analysis(&self) -> Vec<ScopeAnalysis> {
        analysis_of(&self.proposed_scopes)
    }

    /// The engine's analysis of each scope as requested.
    async fn requested_scope_analysis(&self) -> Vec<ScopeAnalysis> {
        analysis_of(&self.requested_scopes)
    }
}

/// Access in force (or that was).
#[derive(SimpleObject, Clone, Debug)]
#[graphql(complex)]
pub struct Grant {
    /// Its id.
    pub id: ID,
    /// Normalized scopes (v2, sorted).
    pub scopes: Vec<String>,
    /// Its status now: EXPIRED as soon as `expiresAt` passes.
    pub status: GrantStatus,
    /// When it was granted.
    pub granted_at: DateTime<Utc>,
    /// When it ends.
    pub expires_at: DateTime<Utc>,
    /// Why it was revoked.
    pub revoked_reason: Option<String>,
    /// Why it is suspended.
    pub suspended_reason: Option<String>,
    /// When the next re-certification is due.
    pub next_review_due: Option<DateTime<Utc>>,
    /// When it was last re-certified.
    pub last_reviewed_at: Option<DateTime<Utc>>,
    #[graphql(skip)]
    pub app_id: String,
    #[graphql(skip)]
    pub holder_id: String,
    #[graphql(skip)]
    pub vendor_id: String,
    #[graphql(skip)]
    pub request_id: String,
}

impl Grant {
    /// The DTO as of `now` (status read at decision time).
    #[must_use]
    pub fn at(g: GrantRecord, now: DateTime<Utc>) -> Self {
        let status = GrantStatus::from(effective_grant_status(g.status, g.expires_at, now));
        Self {
            id: g.id.into(),
            scopes: g.scopes,
            status,
            granted_at: g.granted_at,
            expires_at: g.expires_at,
            revoked_reason: g.revoked_reason,
            suspended_reason: if status == GrantStatus::Suspended { g.status_reason } else { None },
            next_review_due: Some(g.next_review_due),
            last_reviewed_at: g.last_reviewed_at,
            app_id: g.app_id,
            holder_id: g.holder_tenant_id,
            vendor_id: g.vendor_tenant_id,
            request_id: g.request_id,
        }
    }
}

#[ComplexObject]
impl Grant {
    /// The app.
    async fn app(&self, ctx: &Context<'_>) -> Result<App> {
        load_app(ctx, &self.app_id).await
    }

    /// The provider or payer whose data it reaches.
    async fn data_holder(&self, ctx: &Context<'_>) -> Result<Tenant> {
        load_tenant(ctx, &self.holder_id).await
    }

    /// The vendor.
    async fn vendor(&self, ctx: &Context<'_>) -> Result<Tenant> {
        load_tenant(ctx, &self.vendor_id).await
    }

    /// The id of the request that produced it.
    async fn request_id(&self) -> ID {
        self.request_id.clone().into()
    }

    /// The engine's analysis of each scope, for approvers.
    async fn scope_analysis(&self) -> Vec<ScopeAnalysis> {
        analysis_of(&self.scopes)
    }
}

/// Batches grant lookups within one request.
pub struct GrantLoader(pub Approvals);

impl Loader<String> for GrantLoader {
    type Value = Grant;
    type Error = Arc<crate::Error>;

    async fn load(&self, keys: &[String]) -> std::result::Result<HashMap<String, Grant>, Self::Error> {
        let now = self.0.clock.now();
        let rows = self.0.grants_by_ids(keys).await.map_err(Arc::new)?;
        Ok(rows.into_iter().map(|(k, g)| (k, Grant::at(g, now))).collect())
    }
}

/// Batches approval lookups within one request.
pub struct ApprovalsLoader(pub Approvals);

impl Loader<String> for ApprovalsLoader {
    type Value = Vec<ApprovalRecord>;
    type Error = Arc<crate::Error>;

    async fn load(&self, keys: &[String]) -> std::result::Result<HashMap<String, Vec<ApprovalRecord>>, Self::Error> {
        self.0.approvals_of(keys).await.map_err(Arc::new)
    }
}

/// The relationship between a data holder and a vendor, seen from one side.
#[derive(SimpleObject, Clone, Debug)]
#[graphql(complex)]
pub struct Partnership {
    /// Its id.
    pub id: ID,
    /// Where it stands.
    pub status: PartnershipStatus,
    /// Since when.
    pub since: DateTime<Utc>,
    /// When it ended.
    pub ended_at: Option<DateTime<Utc>>,
    /// Why it ended.
    pub ended_reason: Option<String>,
    #[graphql(skip)]
    pub partner_id: String,
}

impl Partnership {
    /// The DTO as seen by `viewer_tenant`.
    #[must_use]
    pub fn seen_by(p: PartnershipRecord, viewer_tenant: &str) -> Self {
        let partner_id = if p.holder_tenant_id == viewer_tenant { p.vendor_tenant_id } else { p.holder_tenant_id };
        Self { id: p.id.into(), status: p.status.into(), since: p.since, ended_at: p.ended_at, ended_reason: p.ended_reason, partner_id }
    }
}

#[ComplexObject]
impl Partnership {
    /// The other side.
    async fn partner(&self, ctx: &Context<'_>) -> Result<Tenant> {
        load_tenant(ctx, &self.partner_id).await
    }
}

/// A data holder's approval policy (SPEC §3).
#[derive(SimpleObject, Clone, Debug)]
pub struct ApprovalPolicy {
    /// Approvals for LOW/MEDIUM risk.
    pub required_approvals: i32,
    /// Approvals when any proposed scope is HIGH risk.
    pub high_risk_required_approvals: i32,
    /// Longest grant.
    pub max_grant_days: i32,
    /// Longest grant with any HIGH risk scope.
    pub high_risk_max_grant_days: i32,
    /// Patterns no request may overlap.
    pub forbidden_scopes: Vec<String>,
    /// App kinds accepted.
    pub allowed_app_kinds: Vec<AppKind>,
    /// Re-certification cadence.
    pub review_interval_days: i32,
    /// Grant LOW-risk requests without a human.
    pub auto_approve_low_risk: bool,
    /// What an overdue review does.
    pub on_missed_review: MissedReviewAction,
}

impl From<Policy> for ApprovalPolicy {
    fn from(p: Policy) -> Self {
        Self {
            required_approvals: p.required_approvals,
            high_risk_required_approvals: p.high_risk_required_approvals,
            max_grant_days: p.max_grant_days,
            high_risk_max_grant_days: p.high_risk_max_grant_days,
            forbidden_scopes: p.forbidden_scopes.to_strings(),
            allowed_app_kinds: p.allowed_app_kinds,
            review_interval_days: p.review_interval_days,
            auto_approve_low_risk: p.auto_approve_low_risk,
            on_missed_review: p.on_missed_review.into(),
        }
    }
}
