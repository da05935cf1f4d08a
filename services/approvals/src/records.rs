//! What leaves this crate: typed records read from the rows. A row with a value the enums do
//! not know (or a scope list that is not a JSON array) is refused when read — it can only be
//! corruption, and failing closed is the only safe reading of it — never mapped to a default.

use crate::domain::{GrantStatus, PartnershipStatus, RequestStatus};
use crate::entities::{approval, grant, partnership, request};
use crate::error::Error;
use accord_scopes::{Risk, Scope, ScopeSet};
use chrono::{DateTime, Utc};

/// A vendor's ask for scopes at one data holder.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestRecord {
    /// Its id.
    pub id: String,
    /// The app asking.
    pub app_id: String,
    /// The vendor asking.
    pub vendor_tenant_id: String,
    /// The data holder asked.
    pub holder_tenant_id: String,
    /// What the vendor sent, verbatim.
    pub requested_scopes: Vec<String>,
    /// The current proposal, normalized (v2, sorted).
    pub proposed_scopes: Vec<String>,
    /// Why the app needs access.
    pub purpose: String,
    /// The duration asked for.
    pub duration_days: i32,
    /// The duration currently proposed.
    pub proposed_duration_days: i32,
    /// Bumped when an approver narrows the proposal; approvals count per version.
    pub proposal_version: i32,
    /// The proposal's risk.
    pub risk: Risk,
    /// Approvals the current proposal needs.
    pub required_approvals: i32,
    /// The user who asked.
    pub requested_by: String,
    /// Where it stands.
    pub status: RequestStatus,
    /// The grant in force this renews, widens or narrows.
    pub replaces_grant_id: Option<String>,
    /// The grant it produced.
    pub grant_id: Option<String>,
    /// Why it was denied or cancelled.
    pub decision_reason: Option<String>,
    /// Who decided it.
    pub decided_by: Option<String>,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// When it was decided.
    pub decided_at: Option<DateTime<Utc>>,
}

impl RequestRecord {
    /// The current proposal as a scope set. Stored scopes were normalized on the way in, so
    /// they parse; one that no longer parses (a newer engine is stricter) is dropped — that
    /// grants less, never more.
    #[must_use]
    pub fn proposal(&self) -> ScopeSet {
        let parsed: Vec<Scope> = self.proposed_scopes.iter().filter_map(|x| x.parse().ok()).collect();
        ScopeSet::from_scopes(parsed)
    }
}

/// Access in force (or that was).
#[derive(Debug, Clone, PartialEq)]
pub struct GrantRecord {
    /// Its id.
    pub id: String,
    /// The app.
    pub app_id: String,
    /// The vendor.
    pub vendor_tenant_id: String,
    /// The data holder.
    pub holder_tenant_id: String,
    /// The request that produced it.
    pub request_id: String,
    /// Normalized scopes (v2, sorted).
    pub scopes: Vec<String>,
    /// When it was granted.
    pub granted_at: DateTime<Utc>,
    /// When it ends.
    pub expires_at: DateTime<Utc>,
    /// The stored status (see [`crate::domain::effective_grant_status`] for the status now).
    pub status: GrantStatus,
    /// Why it is suspended (while SUSPENDED).
    pub status_reason: Option<String>,
    /// Why it was revoked.
    pub revoked_reason: Option<String>,
    /// When it was revoked.
    pub revoked_at: Option<DateTime<Utc>>,
    /// When it was last re-certified.
    pub last_reviewed_at: Option<DateTime<Utc>>,
    /// When the next re-certification is due.
    pub next_review_due: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

/// The relationship between a data holder and a vendor.
#[derive(Debug, Clone, PartialEq)]
pub struct PartnershipRecord {
    /// Its id.
    pub id: String,
    /// The data holder.
    pub holder_tenant_id: String,
    /// The vendor.
    pub vendor_tenant_id: String,
    /// Where it stands.
    pub status: PartnershipStatus,
    /// Since when (the last start).
    pub since: DateTime<Utc>,
    /// When it ended.
    pub ended_at: Option<DateTime<Utc>>,
    /// Why it ended.
    pub ended_reason: Option<String>,
}

/// One approver's yes on one version of a proposal.
#[derive(Debug, Clone, PartialEq)]
pub struct ApprovalRecord {
    /// Its id.
    pub id: String,
    /// The request approved.
    pub request_id: String,
    /// The version of the proposal approved.
    pub proposal_version: i32,
    /// The approver's user id.
    pub approver_id: String,
    /// The approver's name then.
    pub approver_name: String,
    /// The approver's email then.
    pub approver_email: String,
    /// The scopes approved.
    pub scopes: Vec<String>,
    /// The duration approved.
    pub duration_days: i32,
    /// Their note.
    pub comment: Option<String>,
    /// When.
    pub at: DateTime<Utc>,
}

fn corrupt(what: &str, id: &str, field: &str) -> Error {
    Error::Corrupt(format!("{what} {id} has an unreadable {field}"))
}

fn strings(what: &str, id: &str, field: &str, raw: &str) -> Result<Vec<String>, Error> {
    serde_json::from_str(raw).map_err(|_| corrupt(what, id, field))
}

fn risk(id: &str, raw: &str) -> Result<Risk, Error> {
    [Risk::Low, Risk::Medium, Risk::High].into_iter().find(|r| r.as_str() == raw).ok_or_else(|| corrupt("access request", id, "risk"))
}

impl TryFrom<request::Model> for RequestRecord {
    type Error = Error;

    fn try_from(m: request::Model) -> Result<Self, Error> {
        const WHAT: &str = "access request";
        Ok(Self {
            requested_scopes: strings(WHAT, &m.id, "requested_scopes", &m.requested_scopes)?,
            proposed_scopes: strings(WHAT, &m.id, "proposed_scopes", &m.proposed_scopes)?,
            risk: risk(&m.id, &m.risk)?,
            status: m.status.parse().map_err(|_| corrupt(WHAT, &m.id, "status"))?,
            id: m.id,
            app_id: m.app_id,
            vendor_tenant_id: m.vendor_tenant_id,
            holder_tenant_id: m.holder_tenant_id,
            purpose: m.purpose,
            duration_days: m.duration_days,
            proposed_duration_days: m.proposed_duration_days,
            proposal_version: m.proposal_version,
            required_approvals: m.required_approvals,
            requested_by: m.requested_by,
            replaces_grant_id: m.replaces_grant_id,
            grant_id: m.grant_id,
            decision_reason: m.decision_reason,
            decided_by: m.decided_by,
            created_at: m.created_at,
            decided_at: m.decided_at,
        })
    }
}

impl TryFrom<grant::Model> for GrantRecord {
    type Error = Error;

    fn try_from(m: grant::Model) -> Result<Self, Error> {
        Ok(Self {
            scopes: strings("grant", &m.id, "scopes", &m.scopes)?,
            status: m.status.parse().map_err(|_| corrupt("grant", &m.id, "status"))?,
            id: m.id,
            app_id: m.app_id,
            vendor_tenant_id: m.vendor_tenant_id,
            holder_tenant_id: m.holder_tenant_id,
            request_id: m.request_id,
            granted_at: m.granted_at,
            expires_at: m.expires_at,
            status_reason: m.status_reason,
            revoked_reason: m.revoked_reason,
            revoked_at: m.revoked_at,
            last_reviewed_at: m.last_reviewed_at,
            next_review_due: m.next_review_due,
            updated_at: m.updated_at,
        })
    }
}

impl TryFrom<partnership::Model> for PartnershipRecord {
    type Error = Error;

    fn try_from(m: partnership::Model) -> Result<Self, Error> {
        Ok(Self {
            status: m.status.parse().map_err(|_| corrupt("partnership", &m.id, "status"))?,
            id: m.id,
            holder_tenant_id: m.holder_tenant_id,
            vendor_tenant_id: m.vendor_tenant_id,
            since: m.since,
            ended_at: m.ended_at,
            ended_reason: m.ended_reason,
        })
    }
}

impl TryFrom<approval::Model> for ApprovalRecord {
    type Error = Error;

    fn try_from(m: approval::Model) -> Result<Self, Error> {
        Ok(Self {
            scopes: strings("approval", &m.id, "scopes", &m.scopes)?,
            id: m.id,
            request_id: m.request_id,
            proposal_version: m.proposal_version,
            approver_id: m.approver_id,
            approver_name: m.approver_name,
            approver_email: m.approver_email,
            duration_days: m.duration_days,
            comment: m.comment,
            at: m.at,
        })
    }
}

/// Reads rows into records, refusing the first unreadable one.
pub(crate) fn all<M, R: TryFrom<M, Error = Error>>(rows: Vec<M>) -> Result<Vec<R>, Error> {
    rows.into_iter().map(R::try_from).collect()
}

/// Reads a page of rows into a page of records, keeping the paging facts.
pub(crate) fn page<M, R: TryFrom<M, Error = Error>>(p: accord_kernel::gql::Page<M>) -> Result<accord_kernel::gql::Page<R>, Error> {
    Ok(accord_kernel::gql::Page { items: all(p.items)?, has_next: p.has_next, total: p.total })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grant_row(status: &str) -> grant::Model {
        let now = Utc::now();
        grant::Model {
            id: "g1".into(),
            app_id: "a".into(),
            vendor_tenant_id: "v".into(),
            holder_tenant_id: "h".into(),
            request_id: "r".into(),
            scopes: r#"["patient/Observation.rs"]"#.into(),
            granted_at: now,
            expires_at: now,
            status: status.into(),
            status_reason: None,
            revoked_reason: None,
            revoked_at: None,
            last_reviewed_at: None,
            next_review_due: now,
            updated_at: now,
        }
    }

    #[test]
    fn a_grant_row_with_an_unknown_status_is_refused_not_read_as_revoked() {
        let e = GrantRecord::try_from(grant_row("PAUSED")).unwrap_err();
        assert!(matches!(&e, Error::Corrupt(m) if m == "grant g1 has an unreadable status"), "{e:?}");
        assert_eq!(GrantRecord::try_from(grant_row("SUSPENDED")).unwrap().status, GrantStatus::Suspended);
    }

    #[test]
    fn a_request_row_with_an_unknown_status_or_risk_is_refused() {
        let now = Utc::now();
        let row = request::Model {
            id: "r1".into(),
            app_id: "a".into(),
            vendor_tenant_id: "v".into(),
            holder_tenant_id: "h".into(),
            requested_scopes: r#"["patient/Observation.read"]"#.into(),
            proposed_scopes: r#"["patient/Observation.rs"]"#.into(),
            purpose: "p".into(),
            duration_days: 30,
            proposed_duration_days: 30,
            proposal_version: 1,
            risk: "LOW".into(),
            required_approvals: 1,
            requested_by: "u".into(),
            status: "PENDING".into(),
            replaces_grant_id: None,
            grant_id: None,
            decision_reason: None,
            decided_by: None,
            created_at: now,
            decided_at: None,
        };
        assert_eq!(RequestRecord::try_from(row.clone()).unwrap().status, RequestStatus::Pending);
        let bad_status = request::Model { status: "LIMBO".into(), ..row.clone() };
        assert!(matches!(RequestRecord::try_from(bad_status), Err(Error::Corrupt(m)) if m.ends_with("unreadable status")));
        let bad_risk = request::Model { risk: "EXTREME".into(), ..row.clone() };
        assert!(matches!(RequestRecord::try_from(bad_risk), Err(Error::Corrupt(m)) if m.ends_with("unreadable risk")));
        let bad_scopes = request::Model { proposed_scopes: "patient/*.rs".into(), ..row };
        assert!(matches!(RequestRecord::try_from(bad_scopes), Err(Error::Corrupt(m)) if m.ends_with("unreadable proposed_scopes")));
    }

    #[test]
    fn a_partnership_row_with_an_unknown_status_is_refused() {
        let row = partnership::Model {
            id: "p1".into(),
            holder_tenant_id: "h".into(),
            vendor_tenant_id: "v".into(),
            status: "PAUSED".into(),
            since: Utc::now(),
            ended_at: None,
            ended_reason: None,
        };
        assert!(matches!(PartnershipRecord::try_from(row), Err(Error::Corrupt(m)) if m == "partnership p1 has an unreadable status"));
    }
}
