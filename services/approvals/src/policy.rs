//! A data holder's approval policy: read (defaults when never set) and update (ADMIN).

use crate::domain::{MissedReviewAction, Policy, RequestStatus, parse_scopes, scopes_to_json, strings_to_json};
use crate::entities::{policy, request};
use crate::error::{Error, Result};
use crate::events::audit_only;
use crate::repo::policy_for;
use crate::service::Approvals;
use accord_db::audit::AuditEntry;
use accord_kernel::{Principal, Role};
use accord_registry::AppKind;
use accord_scopes::Risk;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;

/// Fields to change; `None` keeps the current value.
#[derive(Debug, Default, Clone)]
pub struct PolicyPatch {
    /// Approvals for LOW/MEDIUM risk (1–10).
    pub required_approvals: Option<i32>,
    /// Approvals for HIGH risk (≥ requiredApprovals, ≤ 10).
    pub high_risk_required_approvals: Option<i32>,
    /// Longest grant (1–3650 days).
    pub max_grant_days: Option<i32>,
    /// Longest HIGH-risk grant (1–maxGrantDays).
    pub high_risk_max_grant_days: Option<i32>,
    /// Forbidden scope patterns.
    pub forbidden_scopes: Option<Vec<String>>,
    /// Accepted app kinds (at least one).
    pub allowed_app_kinds: Option<Vec<AppKind>>,
    /// Review cadence (30–730 days: longer than the 14-day notice).
    pub review_interval_days: Option<i32>,
    /// Grant LOW-risk requests without a human.
    pub auto_approve_low_risk: Option<bool>,
    /// What an overdue review does.
    pub on_missed_review: Option<MissedReviewAction>,
}

fn range(field: &str, v: i32, lo: i32, hi: i32) -> Result<i32> {
    if (lo..=hi).contains(&v) { Ok(v) } else { Err(Error::Invalid(format!("{field}: must be between {lo} and {hi}, got {v}"))) }
}

fn kind_names(kinds: &[AppKind]) -> Vec<String> {
    kinds.iter().map(|k| k.as_str().to_owned()).collect()
}

fn require_holder(ctx: &Principal) -> Result<()> {
    if ctx.tenant_kind.is_data_holder() {
        Ok(())
    } else {
        Err(Error::Forbidden("approval policies belong to data holders (providers and payers)".into()))
    }
}

impl Approvals {
    /// The caller's own policy (data holders).
    ///
    /// # Errors
    /// `Forbidden` for vendors.
    #[tracing::instrument(name = "approvals.policy", skip_all, fields(tenant_id = %ctx.tenant_id))]
    pub async fn policy(&self, ctx: &Principal) -> Result<Policy> {
        require_holder(ctx)?;
        policy_for(&self.db, &ctx.tenant_id).await
    }

    /// Changes the given fields of the caller's policy (ADMIN of a data holder). The result
    /// is checked as a whole, so no combination of fields leaves an inconsistent policy.
    ///
    /// # Errors
    /// `Forbidden`; `Invalid` / `InvalidScope` naming the field.
    #[tracing::instrument(name = "approvals.update_policy", skip_all, fields(tenant_id = %ctx.tenant_id))]
    pub async fn update_policy(&self, ctx: &Principal, patch: PolicyPatch) -> Result<Policy> {
        accord_db::retrying("update_policy", || self.update_policy_tx(ctx, &patch)).await
    }

    async fn update_policy_tx(&self, ctx: &Principal, patch: &PolicyPatch) -> Result<Policy> {
        require_holder(ctx)?;
        ctx.require(Role::Admin, "change a data holder's approval policy")?;
        let now = self.clock.now();
        let tx = accord_db::begin(&self.db).await?;
        let before = policy_for(&tx, &ctx.tenant_id).await?;
        let mut p = before.clone();
        if let Some(v) = patch.required_approvals {
            p.required_approvals = range("requiredApprovals", v, 1, 10)?;
        }
        if let Some(v) = patch.high_risk_required_approvals {
            p.high_risk_required_approvals = range("highRiskRequiredApprovals", v, 1, 10)?;
        }
        if let Some(v) = patch.max_grant_days {
            p.max_grant_days = range("maxGrantDays", v, 1, 3650)?;
        }
        if let Some(v) = patch.high_risk_max_grant_days {
            p.high_risk_max_grant_days = range("highRiskMaxGrantDays", v, 1, 3650)?;
        }
        if let Some(v) = patch.review_interval_days {
            p.review_interval_days = range("reviewIntervalDays", v, 30, 730)?;
        }
        if let Some(v) = &patch.forbidden_scopes {
            p.forbidden_scopes = if v.is_empty() {
                accord_scopes::ScopeSet::default()
            } else {
                parse_scopes("forbiddenScopes", v).map_err(Error::InvalidScope)?
            };
        }
        if let Some(kinds) = &patch.allowed_app_kinds {
            if kinds.is_empty() {
                return Err(Error::Invalid("allowedAppKinds: must name at least one app kind".into()));
            }
            // Stored sorted by name, as before the kinds were typed.
            let mut k = kinds.clone();
            k.sort_by_key(|kind| kind.as_str());
            k.dedup();
            p.allowed_app_kinds = k;
        }
        if let Some(v) = patch.auto_approve_low_risk {
            p.auto_approve_low_risk = v;
        }
        if let Some(v) = patch.on_missed_review {
            p.on_missed_review = v;
        }
        if p.high_risk_required_approvals < p.required_approvals {
            return Err(Error::Invalid(format!(
                "highRiskRequiredApprovals: must be at least requiredApprovals ({}), got {}",
                p.required_approvals, p.high_risk_required_approvals
            )));
        }
        if p.high_risk_max_grant_days > p.max_grant_days {
            return Err(Error::Invalid(format!(
                "highRiskMaxGrantDays: must not exceed maxGrantDays ({}), got {}",
                p.max_grant_days, p.high_risk_max_grant_days
            )));
        }
        let row = policy::ActiveModel {
            tenant_id: Set(ctx.tenant_id.clone()),
            required_approvals: Set(p.required_approvals),
            high_risk_required_approvals: Set(p.high_risk_required_approvals),
            max_grant_days: Set(p.max_grant_days),
            high_risk_max_grant_days: Set(p.high_risk_max_grant_days),
            forbidden_scopes: Set(scopes_to_json(&p.forbidden_scopes)),
            allowed_app_kinds: Set(strings_to_json(&kind_names(&p.allowed_app_kinds))),
            review_interval_days: Set(p.review_interval_days),
            auto_approve_low_risk: Set(p.auto_approve_low_risk),
            on_missed_review: Set(p.on_missed_review.as_str().to_owned()),
            updated_at: Set(now),
        };
        if policy::Entity::find_by_id(ctx.tenant_id.clone()).one(&tx).await?.is_some() {
            row.update(&tx).await?;
        } else {
            row.insert(&tx).await?;
        }
        // Pending requests are counted against the policy in force (SPEC §3), so the number
        // they show moves with it.
        for (high, n) in [(true, p.high_risk_required_approvals), (false, p.required_approvals)] {
            let risk = if high { request::Column::Risk.eq(Risk::High.as_str()) } else { request::Column::Risk.ne(Risk::High.as_str()) };
            request::Entity::update_many()
                .col_expr(request::Column::RequiredApprovals, Expr::value(n))
                .filter(request::Column::HolderTenantId.eq(ctx.tenant_id.clone()))
                .filter(request::Column::Status.eq(RequestStatus::Pending.as_str()))
                .filter(risk)
                .exec(&tx)
                .await?;
        }
        let snapshot = |p: &Policy| {
            json!({
                "requiredApprovals": p.required_approvals, "highRiskRequiredApprovals": p.high_risk_required_approvals,
                "maxGrantDays": p.max_grant_days, "highRiskMaxGrantDays": p.high_risk_max_grant_days,
                "forbiddenScopes": p.forbidden_scopes.to_strings(), "allowedAppKinds": kind_names(&p.allowed_app_kinds),
                "reviewIntervalDays": p.review_interval_days, "autoApproveLowRisk": p.auto_approve_low_risk,
                "onMissedReview": p.on_missed_review.as_str(),
            })
        };
        accord_db::record_change(
            &tx,
            now,
            AuditEntry {
                actor: &ctx.actor,
                action: audit_only::POLICY_UPDATED,
                target_type: "approval_policy",
                target_id: &ctx.tenant_id,
                tenant_ids: vec![ctx.tenant_id.clone()],
                details: json!({ "before": snapshot(&before), "after": snapshot(&p) }),
            },
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(p)
    }
}
