//! States, policies and the rules that need no IO: which transitions exist, what a grant's
//! status really is at a given instant, and how a policy judges a proposal.

use accord_kernel::{Principal, Role};
use accord_registry::AppKind;
use accord_scopes::{Risk, Scope, ScopeSet};
use chrono::{DateTime, Utc};

/// Declares a state enum stored as its fixed name, with `as_str`, `FromStr` and `ALL`.
macro_rules! stored_enum {
    ($(#[$doc:meta])* $name:ident, $what:literal { $($(#[$vdoc:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vdoc])* $variant),+
        }

        impl $name {
            /// Every value.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stored (and API) name.
            #[must_use]
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                $name::ALL.iter().copied().find(|v| v.as_str() == s).ok_or_else(|| format!(concat!("unknown ", $what, " `{}`"), s))
            }
        }
    };
}

stored_enum! {
    /// AccessRequest states (SPEC §1).
    RequestStatus, "access request status" {
        /// Waiting for decisions.
        Pending = "PENDING",
        /// Approved; a grant exists.
        Approved = "APPROVED",
        /// Denied by an approver.
        Denied = "DENIED",
        /// Withdrawn by the vendor.
        Withdrawn = "WITHDRAWN",
        /// Ended by offboarding or partnership end.
        Cancelled = "CANCELLED",
    }
}

stored_enum! {
    /// Grant states (SPEC §1).
    GrantStatus, "grant status" {
        /// In force.
        Active = "ACTIVE",
        /// Paused; can resume.
        Suspended = "SUSPENDED",
        /// Past `expires_at` (final).
        Expired = "EXPIRED",
        /// Ended (final).
        Revoked = "REVOKED",
    }
}

impl GrantStatus {
    /// ACTIVE or SUSPENDED: the states a grant can leave.
    pub const LIVE: [GrantStatus; 2] = [GrantStatus::Active, GrantStatus::Suspended];

    /// Whether the grant is still in force or paused (not final).
    #[must_use]
    pub fn is_live(self) -> bool {
        Self::LIVE.contains(&self)
    }
}

stored_enum! {
    /// Partnership states.
    PartnershipStatus, "partnership status" {
        /// At least one grant was approved and the partnership was not ended.
        Active = "ACTIVE",
        /// Ended by either side.
        Ended = "ENDED",
    }
}

stored_enum! {
    /// What to do when a review is overdue (SPEC §3 `onMissedReview`).
    MissedReviewAction, "missed review action" {
        /// The grant is revoked.
        Revoke = "REVOKE",
        /// The holder's admins are told; the review stays open.
        Escalate = "ESCALATE",
    }
}

/// A grant's status as of `now`: an ACTIVE or SUSPENDED grant past its expiry is EXPIRED,
/// whether or not the expiry sweep has run (SPEC §2.4).
#[must_use]
pub fn effective_grant_status(stored: GrantStatus, expires_at: DateTime<Utc>, now: DateTime<Utc>) -> GrantStatus {
    if stored.is_live() && expires_at <= now { GrantStatus::Expired } else { stored }
}

/// The revocation reason of a grant replaced by a newer one for the same app and data holder.
pub const SUPERSEDED: &str = "superseded";

/// Refuses unless the caller is an APPROVER (or ADMIN) of `holder_id` (SPEC §2.3).
///
/// # Errors
/// The client-safe refusal, naming `what`.
pub fn require_holder_approver(ctx: &Principal, holder_id: &str, what: &str) -> Result<(), String> {
    if ctx.tenant_id != holder_id {
        return Err(format!("only the data holder's APPROVER or ADMIN users may {what}"));
    }
    ctx.require(Role::Approver, what).map_err(|d| d.0)
}

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
    /// App kinds accepted.
    pub allowed_app_kinds: Vec<AppKind>,
    /// How often a grant must be re-certified.
    pub review_interval_days: i32,
    /// Grant LOW-risk requests without a human.
    pub auto_approve_low_risk: bool,
    /// What an overdue review does.
    pub on_missed_review: MissedReviewAction,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            required_approvals: 1,
            high_risk_required_approvals: 2,
            max_grant_days: 365,
            high_risk_max_grant_days: 90,
            forbidden_scopes: ScopeSet::default(),
            allowed_app_kinds: AppKind::ALL.to_vec(),
            review_interval_days: 180,
            auto_approve_low_risk: false,
            on_missed_review: MissedReviewAction::Revoke,
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
    pub fn check(&self, app_kind: AppKind, scopes: &ScopeSet, duration_days: i32) -> Result<(), String> {
        if !self.allowed_app_kinds.contains(&app_kind) {
            let accepted: Vec<&str> = self.allowed_app_kinds.iter().map(|k| k.as_str()).collect();
            return Err(format!("allowedAppKinds: this data holder does not accept {app_kind} apps (it accepts {})", accepted.join(", ")));
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
        assert_eq!(effective_grant_status(GrantStatus::Active, now, now), GrantStatus::Expired);
        assert_eq!(effective_grant_status(GrantStatus::Suspended, now - chrono::Duration::seconds(1), now), GrantStatus::Expired);
        assert_eq!(effective_grant_status(GrantStatus::Active, now + chrono::Duration::seconds(1), now), GrantStatus::Active);
        assert_eq!(effective_grant_status(GrantStatus::Revoked, now - chrono::Duration::days(1), now), GrantStatus::Revoked);
    }

    #[test]
    fn policy_names_the_rule_and_the_scope() {
        let mut p = Policy { forbidden_scopes: set(&["system/*.d"]), ..Policy::default() };
        let e = p.check(AppKind::BackendService, &set(&["system/Patient.rs", "system/Observation.cud"]), 30).unwrap_err();
        assert_eq!(e, "forbiddenScopes: `system/Observation.cud` overlaps the forbidden scope `system/*.d`");
        let e = p.check(AppKind::PatientFacing, &set(&["patient/Observation.rs"]), 366).unwrap_err();
        assert!(e.starts_with("maxGrantDays: 366 days"), "{e}");
        let e = p.check(AppKind::PatientFacing, &set(&["patient/Observation.cruds"]), 91).unwrap_err();
        assert!(e.starts_with("highRiskMaxGrantDays: 91 days") && e.contains("patient/Observation.cruds"), "{e}");
        p.allowed_app_kinds = vec![AppKind::PatientFacing];
        let e = p.check(AppKind::BackendService, &set(&["patient/Observation.rs"]), 30).unwrap_err();
        assert!(e.starts_with("allowedAppKinds:"), "{e}");
    }

    #[test]
    fn every_state_reads_back_from_its_stored_name_and_an_unknown_name_is_refused() {
        for s in RequestStatus::ALL {
            assert_eq!(s.as_str().parse::<RequestStatus>(), Ok(*s));
        }
        for s in GrantStatus::ALL {
            assert_eq!(s.as_str().parse::<GrantStatus>(), Ok(*s));
        }
        for s in PartnershipStatus::ALL {
            assert_eq!(s.as_str().parse::<PartnershipStatus>(), Ok(*s));
        }
        for s in MissedReviewAction::ALL {
            assert_eq!(s.as_str().parse::<MissedReviewAction>(), Ok(*s));
        }
        assert_eq!("pending".parse::<RequestStatus>(), Err("unknown access request status `pending`".to_owned()));
        assert!("".parse::<GrantStatus>().is_err());
        assert!("PAUSED".parse::<PartnershipStatus>().is_err());
        assert!("IGNORE".parse::<MissedReviewAction>().is_err());
    }

    #[test]
    fn high_risk_needs_more_approvals_by_default() {
        let p = Policy::default();
        assert_eq!(p.required_for(Risk::Low), 1);
        assert_eq!(p.required_for(Risk::High), 2);
    }
}
