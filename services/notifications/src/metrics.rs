//! What the relay did, counted in this process (Prometheus sums replicas). Plain atomics, so
//! this crate needs no metrics library; the gateway exports them with the outbox lag.

use std::sync::atomic::{AtomicU64, Ordering};

/// Counters of deliveries and mails by outcome.
#[derive(Debug, Default)]
pub struct RelayMetrics {
    delivered: AtomicU64,
    retrying: AtomicU64,
    failed: AtomicU64,
    mails_sent: AtomicU64,
    mails_retrying: AtomicU64,
    mails_failed: AtomicU64,
}

/// A reading of [`RelayMetrics`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RelaySnapshot {
    /// Webhook attempts answered 2xx.
    pub delivered: u64,
    /// Webhook attempts that failed and will be retried.
    pub retrying: u64,
    /// Deliveries given up on (`FAILED`).
    pub failed: u64,
    /// Mails the server accepted.
    pub mails_sent: u64,
    /// Mail attempts that failed transiently and will be retried.
    pub mails_retrying: u64,
    /// Mails given up on (`FAILED`).
    pub mails_failed: u64,
}

/// What one webhook attempt came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Count {
    Delivered,
    Retrying,
    Failed,
    MailSent,
    MailRetrying,
    MailFailed,
}

impl RelayMetrics {
    pub(crate) fn count(&self, c: Count) {
        let counter = match c {
            Count::Delivered => &self.delivered,
            Count::Retrying => &self.retrying,
            Count::Failed => &self.failed,
            Count::MailSent => &self.mails_sent,
            Count::MailRetrying => &self.mails_retrying,
            Count::MailFailed => &self.mails_failed,
        };
        counter.fetch_add(1, Ordering::Relaxed);
    }

    /// The counters now.
    #[must_use]
    pub fn snapshot(&self) -> RelaySnapshot {
        let r = |c: &AtomicU64| c.load(Ordering::Relaxed);
        RelaySnapshot {
            delivered: r(&self.delivered),
            retrying: r(&self.retrying),
            failed: r(&self.failed),
            mails_sent: r(&self.mails_sent),
            mails_retrying: r(&self.mails_retrying),
            mails_failed: r(&self.mails_failed),
        }
    }
}
