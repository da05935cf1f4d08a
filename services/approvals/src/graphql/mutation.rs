//! Approvals mutations.

use super::dto::{AccessRequest, ApprovalPolicy, Grant, MissedReviewAction};
use crate::policy::PolicyPatch;
use crate::requests::{ApproveInput, RequestAccessInput};
use crate::service::Approvals;
use accord_kernel::gql::{GqlResultExt, principal, service};
use accord_registry::AppKind;
use async_graphql::{Context, ID, InputObject, Object, Result};

/// `requestAccess` input (SPEC §5).
#[derive(InputObject, Debug)]
#[graphql(name = "RequestAccessInput")]
pub struct RequestAccessGql {
    /// Your app.
    pub app_id: ID,
    /// The provider or payer.
    pub data_holder_id: ID,
    /// The scopes, as you write them.
    pub scopes: Vec<String>,
    /// Why the app needs them.
    pub purpose: String,
    /// How long.
    pub duration_days: i32,
    /// The grant in force this renews, widens or narrows.
    pub replaces_grant_id: Option<ID>,
}

/// `approveAccessRequest` input (SPEC §5): narrowing only.
#[derive(InputObject, Debug, Default)]
#[graphql(name = "ApproveInput")]
pub struct ApproveGql {
    /// Narrower scopes than the current proposal.
    pub scopes: Option<Vec<String>>,
    /// A shorter duration than the current proposal.
    pub duration_days: Option<i32>,
    /// A note for the record.
    pub comment: Option<String>,
}

/// `updateApprovalPolicy` input: the ApprovalPolicy fields, all optional.
#[derive(InputObject, Debug, Default)]
#[graphql(name = "ApprovalPolicyInput")]
pub struct ApprovalPolicyGql {
    /// Approvals for LOW/MEDIUM risk (1–10).
    pub required_approvals: Option<i32>,
    /// Approvals for HIGH risk.
    pub high_risk_required_approvals: Option<i32>,
    /// Longest grant, in days.
    pub max_grant_days: Option<i32>,
    /// Longest HIGH-risk grant, in days.
    pub high_risk_max_grant_days: Option<i32>,
    /// Scope patterns no request may overlap.
    pub forbidden_scopes: Option<Vec<String>>,
    /// App kinds accepted.
    pub allowed_app_kinds: Option<Vec<AppKind>>,
    /// Re-certification cadence, in days.
    pub review_interval_days: Option<i32>,
    /// Grant LOW-risk requests without a human.
    pub auto_approve_low_risk: Option<bool>,
    /// What an overdue review does.
    pub on_missed_review: Option<MissedReviewAction>,
}

/// Mutations of the approvals service.
#[derive(Default)]
pub struct ApprovalsMutation;

#[Object]
impl ApprovalsMutation {
    /// Asks a data holder for scopes for your app (vendor DEVELOPER or ADMIN).
    async fn request_access(&self, ctx: &Context<'_>, input: RequestAccessGql) -> Result<AccessRequest> {
        let p = principal(ctx)?;
        let input = RequestAccessInput {
            app_id: input.app_id.to_string(),
            data_holder_id: input.data_holder_id.to_string(),
            scopes: input.scopes,
            purpose: input.purpose,
            duration_days: input.duration_days,
            replaces_grant_id: input.replaces_grant_id.map(|i| i.to_string()),
        };
        Ok(service::<Approvals>(ctx)?.request_access(p, input).await.gql(ctx)?.into())
    }

    /// Withdraws your pending request (vendor).
    async fn withdraw_access_request(&self, ctx: &Context<'_>, id: ID) -> Result<AccessRequest> {
        let p = principal(ctx)?;
        Ok(service::<Approvals>(ctx)?.withdraw(p, &id).await.gql(ctx)?.into())
    }

    /// Approves the current proposal, optionally narrowing it (data holder APPROVER or ADMIN).
    async fn approve_access_request(&self, ctx: &Context<'_>, id: ID, input: Option<ApproveGql>) -> Result<AccessRequest> {
        let p = principal(ctx)?;
        let i = input.unwrap_or_default();
        let input = ApproveInput { scopes: i.scopes, duration_days: i.duration_days, comment: i.comment };
        Ok(service::<Approvals>(ctx)?.approve(p, &id, input).await.gql(ctx)?.into())
    }

    /// Denies a pending request (data holder APPROVER or ADMIN).
    async fn deny_access_request(&self, ctx: &Context<'_>, id: ID, reason: String) -> Result<AccessRequest> {
        let p = principal(ctx)?;
        Ok(service::<Approvals>(ctx)?.deny(p, &id, &reason).await.gql(ctx)?.into())
    }

    /// Revokes a grant (data holder APPROVER or ADMIN); final.
    async fn revoke_grant(&self, ctx: &Context<'_>, id: ID, reason: String) -> Result<Grant> {
        let p = principal(ctx)?;
        let svc = service::<Approvals>(ctx)?;
        Ok(Grant::at(svc.revoke_grant(p, &id, &reason).await.gql(ctx)?, svc.clock.now()))
    }

    /// Suspends an active grant (data holder APPROVER or ADMIN).
    async fn suspend_grant(&self, ctx: &Context<'_>, id: ID, reason: String) -> Result<Grant> {
        let p = principal(ctx)?;
        let svc = service::<Approvals>(ctx)?;
        Ok(Grant::at(svc.suspend_grant(p, &id, &reason).await.gql(ctx)?, svc.clock.now()))
    }

    /// Resumes a suspended grant (data holder APPROVER or ADMIN).
    async fn resume_grant(&self, ctx: &Context<'_>, id: ID) -> Result<Grant> {
        let p = principal(ctx)?;
        let svc = service::<Approvals>(ctx)?;
        Ok(Grant::at(svc.resume_grant(p, &id).await.gql(ctx)?, svc.clock.now()))
    }

    /// Changes your approval policy; only the fields given change (data holder ADMIN).
    async fn update_approval_policy(&self, ctx: &Context<'_>, input: ApprovalPolicyGql) -> Result<ApprovalPolicy> {
        let p = principal(ctx)?;
        let patch = PolicyPatch {
            required_approvals: input.required_approvals,
            high_risk_required_approvals: input.high_risk_required_approvals,
            max_grant_days: input.max_grant_days,
            high_risk_max_grant_days: input.high_risk_max_grant_days,
            forbidden_scopes: input.forbidden_scopes,
            allowed_app_kinds: input.allowed_app_kinds,
            review_interval_days: input.review_interval_days,
            auto_approve_low_risk: input.auto_approve_low_risk,
            on_missed_review: input.on_missed_review.map(Into::into),
        };
        Ok(service::<Approvals>(ctx)?.update_policy(p, patch).await.gql(ctx)?.into())
    }
}
