//! Usage that gateways report (`POST /v1/usage`), kept in `usage_records` for the trail and
//! for the unused-scope and dormant-grant findings, beside Accord's own [`crate::access_log`].

use crate::access_log::{Entry, insert, row};
use crate::error::{Error, Result};
use crate::fhir::Interaction;
use crate::service::Enforcement;
use accord_kernel::Principal;
use chrono::{DateTime, Duration, Utc};
use serde::Deserialize;

/// The most records one `POST /v1/usage` may carry.
pub const MAX_USAGE_RECORDS: usize = 1_000;

/// One record of `POST /v1/usage`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UsageIn {
    /// The client.
    pub client_id: String,
    /// The resource type.
    pub resource_type: String,
    /// The interaction.
    pub interaction: String,
    /// What the gateway did (`allowed`, `denied`, `error`, or its own word, ≤ 32 characters).
    pub outcome: String,
    /// When.
    pub at: String,
}

impl Enforcement {
    /// Keeps what a gateway reported (≤ [`MAX_USAGE_RECORDS`], all or none).
    ///
    /// # Errors
    /// [`Error::Invalid`] naming the first bad record and field; [`Error::Unavailable`] when
    /// the database fails.
    pub async fn report_usage(&self, caller: &Principal, records: Vec<UsageIn>) -> Result<usize> {
        if records.is_empty() {
            return Err(Error::Invalid("records: at least one usage record is expected".into()));
        }
        if records.len() > MAX_USAGE_RECORDS {
            return Err(Error::Invalid(format!("records: at most {MAX_USAGE_RECORDS} per call ({} sent)", records.len())));
        }
        let now = self.inner.clock.now();
        let mut rows = Vec::with_capacity(records.len());
        for (i, r) in records.into_iter().enumerate() {
            let field = |f: &str, problem: &str| Error::Invalid(format!("records[{i}].{f}: {problem}"));
            let client_id = r.client_id.trim();
            if client_id.is_empty() || client_id.len() > 200 {
                return Err(field("clientId", "must be a client id (1 to 200 characters)"));
            }
            let resource_type = crate::fhir::resource_type(&r.resource_type).map_err(|e| field("resourceType", &e))?;
            let interaction = Interaction::parse(&r.interaction).map_err(|e| field("interaction", &e))?;
            let outcome = r.outcome.trim().to_ascii_lowercase();
            if outcome.is_empty() || outcome.len() > 32 || !outcome.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
                return Err(field("outcome", "must be a word such as allowed, denied or error (at most 32 letters, digits, - or _)"));
            }
            let at = DateTime::parse_from_rfc3339(r.at.trim()).map_err(|_| field("at", "must be an RFC 3339 time"))?.with_timezone(&Utc);
            if at > now + Duration::minutes(5) {
                return Err(field("at", "is in the future"));
            }
            let client = self.client(client_id).await?;
            let app_id = client.as_ref().map(|c| c.app.id.clone());
            let grant_id = client.as_ref().and_then(|c| c.grant_at(&caller.tenant_id)).map(|g| g.id.clone());
            let entry = Entry {
                holder_tenant_id: caller.tenant_id.clone(),
                client_id: client_id.to_owned(),
                app_id,
                grant_id,
                resource_type: Some(resource_type.name().to_owned()),
                interaction: Some(interaction.name()),
                scope: None,
                outcome,
                source: "reported",
            };
            rows.push(row(entry, at, 1, now));
        }
        let n = rows.len();
        insert(&self.inner.db, rows).await?;
        Ok(n)
    }
}
