//! The scheduled jobs (SPEC §7) as plain functions of a time: each does everything due at
//! `now` and returns what it did. Correctness never depends on a single runner: the expiry
//! sweep takes grants with `SKIP LOCKED` and expires each by a conditional update; reminders
//! and notices happen through a claim row keyed by (job, item, fire key) inserted in the same
//! transaction as their event, so two workers at the same instant produce one event. A
//! crashed worker's transaction rolls back whole; the next run picks the items up again.

use crate::entities::job_claim;
use crate::{Error, Lifecycle, Result};
use accord_approvals::sweeps;
use accord_db::audit::AuditEntry;
use accord_db::events::{Event, EventType};
use accord_kernel::Actor;
use chrono::{DateTime, Duration, Utc};
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait};
use serde_json::json;

/// Grants expired per transaction.
pub const EXPIRY_BATCH: u64 = 500;
/// Days before expiry at which owners and approvers are reminded (SPEC §6).
pub const REMINDER_DAYS: [i64; 3] = [30, 7, 1];
/// How far ahead credentials are announced before they expire.
pub const CREDENTIAL_NOTICE: Duration = Duration::days(14);

/// The jobs `accord jobs run` and the worker know (SPEC §9, fixed names).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Job {
    /// Grants past `expiresAt` become EXPIRED.
    Expiry,
    /// `grant.expiring` 30, 7 and 1 days before.
    Reminders,
    /// Reviews open 14 days before due; missed ones follow the holder's policy.
    Reviews,
    /// Dormant grants and unused scopes (needs usage data: enforcement).
    Stale,
    /// Client secrets and API tokens about to expire.
    Credentials,
    /// The notifications relay.
    Outbox,
}

impl Job {
    /// Every job, in the order the worker starts them.
    pub const ALL: [Job; 6] = [Job::Expiry, Job::Reminders, Job::Reviews, Job::Stale, Job::Credentials, Job::Outbox];

    /// The fixed name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Job::Expiry => "expiry",
            Job::Reminders => "reminders",
            Job::Reviews => "reviews",
            Job::Stale => "stale",
            Job::Credentials => "credentials",
            Job::Outbox => "outbox",
        }
    }
}

impl std::str::FromStr for Job {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        Job::ALL
            .into_iter()
            .find(|j| j.as_str() == s)
            .ok_or_else(|| format!("unknown job `{s}`; jobs: {}", Job::ALL.iter().map(|j| j.as_str()).collect::<Vec<_>>().join(", ")))
    }
}

impl std::fmt::Display for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What one run of a job did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobReport {
    /// The job.
    pub job: Job,
    /// Items it changed or events it emitted.
    pub items: u64,
    /// One line for operators.
    pub summary: String,
}

/// Inserts the claim (job, item, fire key); whether this call made it (the first one does).
pub(crate) async fn claim(tx: &impl ConnectionTrait, job: Job, item: &str, fire_key: &str, now: DateTime<Utc>) -> Result<bool> {
    let row = job_claim::ActiveModel {
        job: Set(job.as_str().to_owned()),
        item_id: Set(item.to_owned()),
        fire_key: Set(fire_key.to_owned()),
        claimed_at: Set(now),
    };
    let res = job_claim::Entity::insert(row)
        .on_conflict_do_nothing_on([job_claim::Column::Job, job_claim::Column::ItemId, job_claim::Column::FireKey])
        .exec_without_returning(tx)
        .await?;
    Ok(matches!(res, sea_orm::TryInsertResult::Inserted(1)))
}

/// The reminder a grant with `left` to run gets now: the nearest threshold at or above it
/// (a grant first seen 5 days before expiry gets the 7-day one only; the 30-day one is never
/// sent late).
#[must_use]
pub fn reminder_for(left: Duration) -> Option<i64> {
    REMINDER_DAYS.iter().rev().copied().find(|d| left <= Duration::days(*d))
}

impl Lifecycle {
    /// The expiry sweep: every live grant whose `expiresAt` has passed becomes EXPIRED, with
    /// its audit event and `grant.expired`, in batches of [`EXPIRY_BATCH`].
    ///
    /// # Errors
    /// On database failure (batches already committed stay committed).
    #[tracing::instrument(name = "jobs.expiry", skip_all)]
    pub async fn run_expiry(&self, now: DateTime<Utc>) -> Result<JobReport> {
        let mut total = 0u64;
        let mut cursor = sweeps::ExpiryCursor::default();
        while !cursor.done() {
            let (n, next) = accord_db::retrying("expiry_batch", || async {
                let tx = accord_db::begin(&self.db).await?;
                let (expired, next) = sweeps::expire_batch(&tx, now, EXPIRY_BATCH, &cursor).await?;
                tx.commit().await?;
                Ok::<_, Error>((expired.len(), next))
            })
            .await?;
            total += n as u64;
            cursor = next;
        }
        Ok(JobReport { job: Job::Expiry, items: total, summary: format!("{total} grants expired") })
    }

    /// Reminders: each live grant expiring within 30 days gets `grant.expiring` with
    /// `reminderDays` 30, 7 or 1 — the nearest one due, once per grant and threshold.
    ///
    /// # Errors
    /// On database failure.
    #[tracing::instrument(name = "jobs.reminders", skip_all)]
    pub async fn run_reminders(&self, now: DateTime<Utc>) -> Result<JobReport> {
        let until = now + Duration::days(REMINDER_DAYS[0]);
        let mut after: Option<String> = None;
        let mut sent = 0u64;
        loop {
            let page = sweeps::expiring_between(self.db.reader(), now, until, after.as_deref(), 500).await?;
            let Some(last) = page.last() else { break };
            after = Some(last.id.clone());
            sent += accord_db::retrying("reminders_page", || async {
                let tx = accord_db::begin(&self.db).await?;
                let mut n = 0;
                for g in &page {
                    let Some(days) = reminder_for(g.expires_at - now) else { continue };
                    if claim(&tx, Job::Reminders, &g.id, &days.to_string(), now).await? {
                        // The threshold keys the reminder; the days actually left go in the mail.
                        let left = (g.expires_at - now).num_hours().div_euclid(24) + i64::from((g.expires_at - now).num_hours() % 24 != 0);
                        let extra = json!({ "reminderDays": days, "daysLeft": left.max(1) });
                        sweeps::record_grant_notice(&tx, now, EventType::GrantExpiring, g, extra).await?;
                        n += 1;
                    }
                }
                tx.commit().await?;
                Ok::<_, Error>(n)
            })
            .await?;
        }
        Ok(JobReport { job: Job::Reminders, items: sent, summary: format!("{sent} expiry reminders") })
    }

    /// Credential notices: each live client secret and API token expiring within 14 days gets
    /// `credential.expiring` once (to the app's technical owner, or the token's owner).
    ///
    /// # Errors
    /// On database failure.
    #[tracing::instrument(name = "jobs.credentials", skip_all)]
    pub async fn run_credentials(&self, now: DateTime<Utc>) -> Result<JobReport> {
        let until = now + CREDENTIAL_NOTICE;
        let n = accord_db::retrying("credentials", || async {
            let tx = accord_db::begin(&self.db).await?;
            let mut n = 0u64;
            let creds = accord_registry::credentials_expiring(&tx, now, until).await?;
            let app_ids: Vec<String> = creds.iter().map(|c| c.app_id.clone()).collect();
            let apps = accord_registry::apps_by_ids(&tx, &app_ids).await?;
            for c in &creds {
                let (Some(app), Some(expires)) = (apps.get(&c.app_id), c.expires_at) else { continue };
                if !claim(&tx, Job::Credentials, &c.id, &expires.to_rfc3339(), now).await? {
                    continue;
                }
                let data = json!({
                    "credential": { "id": c.id, "kind": c.kind.as_str(), "expiresAt": expires },
                    "app": app.summary(), "vendor": { "id": app.vendor_tenant_id }, "reason": null,
                });
                notice(&tx, now, ("credential", &c.id), &app.vendor_tenant_id, data).await?;
                n += 1;
            }
            let tokens = accord_tenants::lookup::api_tokens_expiring(&tx, now, until).await?;
            let owner_ids: Vec<String> = tokens.iter().map(|t| t.user_id.clone()).collect();
            let owners = accord_tenants::lookup::users_by_ids(&tx, &owner_ids).await?;
            for t in &tokens {
                let Some(owner) = owners.get(&t.user_id).filter(|u| u.is_active()) else { continue };
                if !claim(&tx, Job::Credentials, &t.id, &t.expires_at.to_rfc3339(), now).await? {
                    continue;
                }
                let data = json!({
                    "apiToken": { "id": t.id, "name": t.name, "expiresAt": t.expires_at },
                    "owner": { "id": owner.id, "email": owner.email, "tenantId": owner.tenant_id }, "reason": null,
                });
                notice(&tx, now, ("api_token", &t.id), &t.tenant_id, data).await?;
                n += 1;
            }
            tx.commit().await?;
            Ok::<_, Error>(n)
        })
        .await?;
        Ok(JobReport { job: Job::Credentials, items: n, summary: format!("{n} credential expiry notices") })
    }
}

async fn notice(
    tx: &impl ConnectionTrait,
    now: DateTime<Utc>,
    (target_type, target_id): (&str, &str),
    tenant: &str,
    data: serde_json::Value,
) -> Result<()> {
    let details = json!({ "expiresAt": data.pointer("/credential/expiresAt").or_else(|| data.pointer("/apiToken/expiresAt")) });
    let entry = AuditEntry {
        actor: &Actor::System,
        action: EventType::CredentialExpiring.as_str(),
        target_type,
        target_id,
        tenant_ids: vec![tenant.to_owned()],
        details,
    };
    accord_db::record_change(tx, now, entry, Some(Event::new(EventType::CredentialExpiring, data))).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nearest_reminder_due_is_the_one_sent() {
        assert_eq!(reminder_for(Duration::days(31)), None);
        assert_eq!(reminder_for(Duration::days(30)), Some(30));
        assert_eq!(reminder_for(Duration::days(29)), Some(30));
        assert_eq!(reminder_for(Duration::days(8)), Some(30));
        assert_eq!(reminder_for(Duration::days(7)), Some(7));
        assert_eq!(reminder_for(Duration::days(5)), Some(7), "first seen 5 days out: only the 7-day one");
        assert_eq!(reminder_for(Duration::hours(23)), Some(1));
    }

    #[test]
    fn job_names_are_the_fixed_ones() {
        for j in Job::ALL {
            assert_eq!(j.as_str().parse::<Job>(), Ok(j));
        }
        assert!("sweep".parse::<Job>().is_err_and(|e| e.contains("expiry, reminders, reviews, stale, credentials, outbox")));
    }
}
