//! The relay's two ways to run. [`Notifications::run_once`] does everything due at one instant
//! and returns (tests with a fixed clock, `accord jobs run outbox`); [`Notifications::spawn_relay`]
//! runs for ever inside `accord serve`, where each webhook and each mail is its own task under
//! a concurrency bound, so a slow or dead receiver holds one slot for at most its timeout and
//! never the others.

use crate::error::Result;
use crate::service::Notifications;
use chrono::{DateTime, Utc};
use futures::StreamExt as _;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;

/// Webhooks in flight at once per relay.
const WEBHOOK_CONCURRENCY: usize = 64;
/// Mails in flight at once per relay (each holds an SMTP connection from the pool).
const MAIL_CONCURRENCY: usize = 8;
/// Deliveries or mails claimed per round of [`Notifications::run_once`].
const ROUND: u64 = 256;

/// What one [`Notifications::run_once`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RelayReport {
    /// Outbox events fanned out.
    pub events: usize,
    /// Webhook attempts made.
    pub attempts: usize,
    /// Of which delivered.
    pub delivered: usize,
    /// Mails handed to SMTP (or written as files).
    pub mails: usize,
    /// Endpoints disabled because their owner left.
    pub endpoints_disabled: usize,
}

impl std::fmt::Display for RelayReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} events fanned out, {} webhook attempts ({} delivered), {} mails sent or retried, {} endpoints disabled",
            self.events, self.attempts, self.delivered, self.mails, self.endpoints_disabled
        )
    }
}

impl Notifications {
    /// Does everything due at `now`: disables endpoints whose owner left, fans out every
    /// waiting event, makes every due webhook attempt and sends every due mail, concurrently,
    /// and returns when all have settled. What fails is rescheduled after `now`, so this ends.
    ///
    /// # Errors
    /// On database failure (what was settled before stays settled).
    pub async fn run_once(&self, now: DateTime<Utc>) -> Result<RelayReport> {
        let mut report = RelayReport { endpoints_disabled: self.govern_endpoints(now).await?, ..RelayReport::default() };
        loop {
            let n = self.fan_out_batch(now).await?;
            report.events += n;
            if n == 0 {
                break;
            }
        }
        loop {
            let claimed = self.claim_deliveries(now, ROUND).await?;
            if claimed.is_empty() {
                break;
            }
            report.attempts += claimed.len();
            let results: Vec<Result<bool>> = futures::stream::iter(claimed)
                .map(|c| async move {
                    let outcome = self.post(&c, now).await;
                    self.settle(&c, &outcome, now).await?;
                    Ok(matches!(outcome, crate::webhooks::Outcome::Delivered(_)))
                })
                .buffer_unordered(WEBHOOK_CONCURRENCY)
                .collect()
                .await;
            for r in results {
                report.delivered += usize::from(r?);
            }
        }
        loop {
            let claimed = self.claim_mails(now, ROUND).await?;
            if claimed.is_empty() {
                break;
            }
            report.mails += claimed.len();
            let results: Vec<Result<()>> = futures::stream::iter(claimed)
                .map(|m| async move { self.send_mail(&m).await })
                .buffer_unordered(MAIL_CONCURRENCY)
                .collect()
                .await;
            results.into_iter().collect::<Result<Vec<()>>>()?;
        }
        Ok(report)
    }

    /// Starts the continuous relay on the runtime: it polls the outbox, deliveries and mails a
    /// few times a second, hands each webhook and mail to its own task (at most
    /// [`WEBHOOK_CONCURRENCY`] and [`MAIL_CONCURRENCY`] in flight), and keeps going through
    /// database failures (logged, retried after a pause). Several relays (replicas) share the
    /// work through their claims.
    pub fn spawn_relay(&self) -> tokio::task::JoinHandle<()> {
        let this = self.clone();
        tokio::spawn(async move { this.relay_loop().await })
    }

    async fn relay_loop(self) {
        let webhooks = Arc::new(Semaphore::new(WEBHOOK_CONCURRENCY));
        let mails = Arc::new(Semaphore::new(MAIL_CONCURRENCY));
        let mut last_governed: Option<DateTime<Utc>> = None;
        tracing::info!(mail = %self.mailer.describe(), "notifications relay started");
        loop {
            match self.relay_round(&webhooks, &mails, &mut last_governed).await {
                Ok(true) => tokio::task::yield_now().await,
                Ok(false) => tokio::time::sleep(Duration::from_millis(200)).await,
                Err(e) => {
                    tracing::error!(error = %accord_kernel::gql::cause_chain(&e), "notifications relay round failed; retrying in 2 s");
                    tokio::time::sleep(Duration::from_secs(2)).await;
                }
            }
        }
    }

    /// One round: returns whether it found work (then the next round starts at once).
    async fn relay_round(
        &self,
        webhooks: &Arc<Semaphore>,
        mails: &Arc<Semaphore>,
        last_governed: &mut Option<DateTime<Utc>>,
    ) -> Result<bool> {
        let now = self.clock.now();
        if last_governed.is_none_or(|t| now - t >= chrono::Duration::seconds(5)) {
            self.govern_endpoints(now).await?;
            *last_governed = Some(now);
        }
        let mut busy = self.fan_out_batch(now).await? > 0;
        let free = webhooks.available_permits() as u64;
        if free > 0 {
            for c in self.claim_deliveries(now, free).await? {
                busy = true;
                let Ok(permit) = webhooks.clone().acquire_owned().await else { break };
                let this = self.clone();
                tokio::spawn(async move {
                    let outcome = this.post(&c, this.clock.now()).await;
                    if let Err(e) = this.settle(&c, &outcome, this.clock.now()).await {
                        tracing::error!(delivery_id = %c.delivery.id, error = %accord_kernel::gql::cause_chain(&e), "could not record a webhook attempt; it is retried when its lease ends");
                    }
                    drop(permit);
                });
            }
        }
        let free = mails.available_permits() as u64;
        if free > 0 {
            for m in self.claim_mails(now, free).await? {
                busy = true;
                let Ok(permit) = mails.clone().acquire_owned().await else { break };
                let this = self.clone();
                tokio::spawn(async move {
                    if let Err(e) = this.send_mail(&m).await {
                        tracing::error!(mail_id = %m.id, error = %accord_kernel::gql::cause_chain(&e), "could not record a mail attempt; it is retried when its lease ends");
                    }
                    drop(permit);
                });
            }
        }
        Ok(busy)
    }
}
