//! The scheduled jobs as one dispatch (`accord jobs run <job>`, the worker, `accord serve`),
//! and what each has done in this process (for `/metrics` and the worker's `/readyz`).

use crate::services::Services;
use accord_lifecycle::jobs::Job;
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::sync::Mutex;

/// What one run did: items changed or sent, and a line for operators.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ran {
    /// Items the job changed, emitted or sent.
    pub items: u64,
    /// One line for operators.
    pub summary: String,
}

/// Runs one job once as if the clock read `now`, and says what it did.
///
/// # Errors
/// When the job fails (database), or is not available yet (`stale`).
pub async fn run_job(services: &Services, job: Job, now: DateTime<Utc>) -> anyhow::Result<Ran> {
    let chain = |e: &dyn std::error::Error| anyhow::anyhow!(accord_kernel::gql::cause_chain(e));
    let lifecycle = |r: accord_lifecycle::jobs::JobReport| Ran { items: r.items, summary: r.summary };
    Ok(match job {
        Job::Expiry => lifecycle(services.lifecycle.run_expiry(now).await.map_err(|e| chain(&e))?),
        Job::Reminders => lifecycle(services.lifecycle.run_reminders(now).await.map_err(|e| chain(&e))?),
        Job::Reviews => lifecycle(services.lifecycle.run_reviews(now).await.map_err(|e| chain(&e))?),
        Job::Credentials => lifecycle(services.lifecycle.run_credentials(now).await.map_err(|e| chain(&e))?),
        Job::Outbox => {
            let r = services.notifications.run_once(now).await.map_err(|e| chain(&e))?;
            Ran { items: (r.events + r.attempts + r.mails) as u64, summary: r.to_string() }
        }
        Job::Stale => {
            anyhow::bail!(
                "the stale-access job is not available yet: usage is now recorded (POST /v1/usage and the access log in usage_records), the dormant-grant and unused-scope findings come with their own issue"
            )
        }
    })
}

/// One job's record in this process.
#[derive(Debug, Default)]
struct JobRecord {
    last_success: Option<DateTime<Utc>>,
    items: u64,
    failures: u64,
}

/// What the scheduled jobs have done in this process.
#[derive(Debug, Default)]
pub struct JobStats {
    records: Mutex<HashMap<Job, JobRecord>>,
}

/// A reading of one job for metrics and readiness.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobReading {
    /// The job.
    pub job: Job,
    /// When it last succeeded.
    pub last_success: Option<DateTime<Utc>>,
    /// Items processed by its successful runs.
    pub items: u64,
    /// Runs that failed.
    pub failures: u64,
}

impl JobStats {
    /// Records a run's outcome: `Some(items)` when it succeeded.
    pub fn record(&self, job: Job, outcome: Option<u64>, at: DateTime<Utc>) {
        if let Ok(mut map) = self.records.lock() {
            let r = map.entry(job).or_default();
            match outcome {
                Some(items) => {
                    r.last_success = Some(at);
                    r.items += items;
                }
                None => r.failures += 1,
            }
        }
    }

    /// Every job's reading.
    #[must_use]
    pub fn readings(&self) -> Vec<JobReading> {
        let Ok(map) = self.records.lock() else { return Vec::new() };
        let mut out: Vec<JobReading> = map
            .iter()
            .map(|(job, r)| JobReading { job: *job, last_success: r.last_success, items: r.items, failures: r.failures })
            .collect();
        out.sort_by_key(|r| r.job.as_str());
        out
    }
}
