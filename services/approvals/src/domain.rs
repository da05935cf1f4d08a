//! States, policies and the rules that need no IO: which transitions exist, what a grant's
//! status really is at a given instant, and how a policy judges a proposal.

use accord_scopes::{Risk, Scope, ScopeSet};
use chrono::{DateTime, Utc};

/// AccessRequest states (SPEC §1).
pub mod request_status {
    /// Waiting for decisions.
    pub const PENDING: &str = "PENDING";
    /// Approved; a grant exists.
    pub const APPROVED: &str = "APPROVED";
    /// Denied by an approver.
    pub const DENIED: &str = "DENIED";
    /// Withdrawn by the vendor.
    pub const WITHDRAWN: &str = "WITHDRAWN";
    /// Ended by offboarding or partnership end.
    pub const CANCELLED: &str = "CANCELLED";
}

/// Grant states (SPEC §1).
pub mod grant_status {
    /// In force.
    pub const ACTIVE: &str = "ACTIVE";
    /// Paused; can resume.
    pub const SUSPENDED: &str = "SUSPENDED";
    /// Past `expires_at` (final).
    pub const EXPIRED: &str = "EXPIRED";
    /// Ended (final).
    pub const REVOKED: &str = "REVOKED";
}

/// Partnership states.
pub mod partnership_status {
    /// At least one grant was approved and the partnership was not ended.
    pub const ACTIVE: &str = "ACTIVE";
    /// Ended by either side.
    pub const ENDED: &str = "ENDED";
}

/// A grant's status as of `now`: an ACTIVE or SUSPENDED grant past its expiry is EXPIRED,
/// whether or not the expiry sweep has run (SPEC §2.4).
#[must_use]
pub fn effective_grant_status(stored: &str, expires_at: DateTime<Utc>, now: DateTime<Utc>) -> &str {
    if (stored == grant_status::ACTIVE || stored == grant_status::SUSPENDED) && expires_at <= now { grant_status::EXPIRED } else { stored }
}

/// The revocation reason of a grant replaced by a newer one for the same app and data holder.
pub const SUPERSEDED: &str = "superseded";

/// What to do when a review is overdue.
pub const MISSED_REVIEW_ACTIONS: [&str; 2] = ["REVOKE", "ESCALATE"];
/// App kinds, by their fixed names.
pub const APP_KINDS: [&str; 3] = ["PATIENT_FACING", "PROVIDER_FACING", "BACKEND_SERVICE"];

/// A data holder's approval policy (SPEC §3), with its defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    /// Distinct approvals for LOW/MEDIUM risk.
    pub required_approvals: i32,
    /// Distinct approvals when any proposed scope is HIGH risk.
    pub high_risk_required_approvals: i32,
    /// Longest grant.
    pub max_grant_days: i32,
    /// Longest grant with any HIGH risk scope.
    pub high_risk_max_grant_days: i32,
    /// Patterns no request may overlap.
    pub forbidden_scopes: ScopeSet,
    /// App kinds accepted (fixed names).
    pub allowed_app_kinds: Vec<String>,
    /// How often a grant must be re-certified.
    pub review_interval_days: i32,
    /// Grant LOW-risk requests without a human.
    pub auto_approve_low_risk: bool,
    /// `REVOKE` or `ESCALATE`.
    pub on_missed_review: String,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            required_approvals: 1,
            high_risk_required_approvals: 2,
            max_grant_days: 365,
            high_risk_max_grant_days: 90,
            forbidden_scopes: ScopeSet::default(),
            allowed_app_kinds: APP_KINDS.iter().map(|k| (*k).to_owned()).collect(),
            review_interval_days: 180,
            auto_approve_low_risk: false,
            on_missed_review: "REVOKE".to_owned(),
        }
    }
}

impl Policy {
    /// Approvals needed for a proposal of this risk.
    #[must_use]
    pub fn required_for(&self, risk: Risk) -> i32 {
        if risk == Risk::High { self.high_risk_required_approvals } else { self.required_approvals }
    }

    /// The longest grant for a proposal of this risk.
    #[must_use]
    pub fn max_days_for(&self, risk: Risk) -> i32 {
        if risk == Risk::High { self.high_risk_max_grant_days.min(self.max_grant_days) } else { self.max_grant_days }
    }

    /// Checks a request against the policy; the message names the rule and the scope.
    ///
    /// # Errors
    /// The first rule broken.
    pub fn check(&self, app_kind: &str, scopes: &ScopeSet, duration_days: i32) -> Result<(), String> {
        if !self.allowed_app_kinds.iter().any(|k| k == app_kind) {
            return Err(format!(
                "allowedAppKinds: this data holder does not accept {app_kind} apps (it accepts {})",
                self.allowed_app_kinds.join(", ")
            ));
        }
        for s in scopes.iter() {
            if let Some(f) = self.forbidden_scopes.iter().find(|f| accord_scopes::overlaps(s, f)) {
                return Err(format!("forbiddenScopes: `{s}` overlaps the forbidden scope `{f}`"));
            }
        }
        let risk = scopes.risk();
        let max = self.max_days_for(risk);
        if duration_days > max {
            return Err(if risk == Risk::High && max < self.max_grant_days {
                let high: Vec<String> = scopes.iter().filter(|s| s.risk() == Risk::High).map(ToString::to_string).collect();
                format!(
                    "highRiskMaxGrantDays: {duration_days} days is longer than the {max} days allowed for HIGH risk scopes ({})",
                    high.join(", ")
                )
            } else {
                format!("maxGrantDays: {duration_days} days is longer than the {max} days this data holder allows")
            });
        }
        Ok(())
    }
}

/// Scopes as stored: a JSON array of strings.
#[must_use]
pub fn scopes_to_json(scopes: &ScopeSet) -> String {
    serde_json::to_string(&scopes.to_strings()).unwrap_or_else(|_| "[]".into())
}

/// Strings as stored: a JSON array.
#[must_use]
pub fn strings_to_json(v: &[String]) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "[]".into())
}

/// A stored JSON array of strings (malformed = empty, which grants nothing).
#[must_use]
pub fn json_to_strings(s: &str) -> Vec<String> {
    serde_json::from_str(s).unwrap_or_default()
}

/// Stored normalized scopes back into a set. Stored scopes were normalized on the way in, so
/// they parse; one that no longer parses (a newer engine is stricter) is dropped — that grants
/// less, never more.
#[must_use]
pub fn json_to_scopes(s: &str) -> ScopeSet {
    let parsed: Vec<Scope> = json_to_strings(s).iter().filter_map(|x| x.parse().ok()).collect();
    ScopeSet::from_scopes(parsed)
}

/// Parses a list of scopes given in field `field`.
///
/// # Errors
/// A message naming `field[index]` and the engine's reason.
pub fn parse_scopes(field: &str, raw: &[String]) -> Result<ScopeSet, String> {
    if raw.is_empty() {
        return Err(format!("{field}: at least one scope is required"));
    }
    ScopeSet::parse_all(raw).map_err(|e| match e {
        accord_scopes::ScopeSetError::Invalid { index, input, error } => format!("{field}[{index}]: `{input}`: {error}"),
        other => format!("{field}: {other}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(s: &[&str]) -> ScopeSet {
        ScopeSet::parse_all(s).unwrap()
    }

    #[test]
    fn expiry_is_read_at_decision_time() {
        let now = Utc::now();
        assert_eq!(effective_grant_status("ACTIVE", now, now), "EXPIRED");
        assert_eq!(effective_grant_status("SUSPENDED", now - chrono::Duration::seconds(1), now), "EXPIRED");
        assert_eq!(effective_grant_status("ACTIVE", now + chrono::Duration::seconds(1), now), "ACTIVE");
        assert_eq!(effective_grant_status("REVOKED", now - chrono::Duration::days(1), now), "REVOKED");
    }

    #[test]
    fn policy_names_the_rule_and_the_scope() {
        let mut p = Policy { forbidden_scopes: set(&["system/*.d"]), ..Policy::default() };
        let e = p.check("BACKEND_SERVICE", &set(&["system/Patient.rs", "system/Observation.cud"]), 30).unwrap_err();
        assert_eq!(e, "forbiddenScopes: `system/Observation.cud` overlaps the forbidden scope `system/*.d`");
        let e = p.check("PATIENT_FACING", &set(&["patient/Observation.rs"]), 366).unwrap_err();
        assert!(e.starts_with("maxGrantDays: 366 days"), "{e}");
        let e = p.check("PATIENT_FACING", &set(&["patient/Observation.cruds"]), 91).unwrap_err();
        assert!(e.starts_with("highRiskMaxGrantDays: 91 days") && e.contains("patient/Observation.cruds"), "{e}");
        p.allowed_app_kinds = vec!["PATIENT_FACING".into()];
        let e = p.check("BACKEND_SERVICE", &set(&["patient/Observation.rs"]), 30).unwrap_err();
        assert!(e.starts_with("allowedAppKinds:"), "{e}");
    }

    #[test]
    fn high_risk_needs_more_approvals_by_default() {
        let p = Policy::default();
        assert_eq!(p.required_for(Risk::Low), 1);
        assert_eq!(p.required_for(Risk::High), 2);
    }
}
