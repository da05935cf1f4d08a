//! Stopping without losing a request. On SIGTERM or SIGINT the listeners stop accepting, the
//! requests in flight finish (each answered with `Connection: close`), and only then do the
//! workers stop.
//!
//! actix's own graceful stop shuts each worker down as soon as *it* is idle. A worker's runtime
//! owns the sockets of the pooled database and Redis connections it opened, so an idle worker
//! stopping early broke the connections another worker's in-flight request then checked out
//! ("A Tokio 1.x context was found, but it is being shutdown": a 500 during a rolling
//! deploy, found by `enforcement::scale_out`). Here every worker stays up until nothing is in
//! flight anywhere in the process.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// The longest the requests in flight are waited for (Kubernetes' default grace is 30 s).
pub const DRAIN_LIMIT: Duration = Duration::from_secs(25);

/// Requests in flight in this process, and whether it is stopping.
#[derive(Debug, Default)]
pub struct Drain {
    in_flight: AtomicUsize,
    draining: AtomicBool,
}

/// One request in flight; counted until dropped.
#[derive(Debug)]
pub struct InFlight(Arc<Drain>);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::AcqRel);
    }
}

impl Drain {
    /// Counts a request until the guard is dropped.
    #[must_use]
    pub fn enter(self: &Arc<Self>) -> InFlight {
        self.in_flight.fetch_add(1, Ordering::AcqRel);
        InFlight(self.clone())
    }

    /// Whether the process is stopping (responses then close their connections).
    #[must_use]
    pub fn draining(&self) -> bool {
        self.draining.load(Ordering::Acquire)
    }

    /// Requests in flight now.
    #[must_use]
    pub fn in_flight(&self) -> usize {
        self.in_flight.load(Ordering::Acquire)
    }

    /// Marks the process as stopping and waits until nothing is in flight, at most `limit`.
    /// Returns whether it got there.
    pub async fn finish(&self, limit: Duration) -> bool {
        self.draining.store(true, Ordering::Release);
        let start = Instant::now();
        while self.in_flight() > 0 {
            if start.elapsed() >= limit {
                return false;
            }
            // Shutdown only: a short poll is simpler than a notification per request.
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        true
    }
}

/// Resolves on SIGTERM (orchestrators) or SIGINT (Ctrl-C).
pub async fn stop_requested() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = term.recv() => {}
                    _ = tokio::signal::ctrl_c() => {}
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot listen for SIGTERM; only Ctrl-C stops the server gracefully");
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn finishing_waits_for_the_requests_in_flight_and_no_longer() {
        let drain = Arc::new(Drain::default());
        let first = drain.enter();
        let second = drain.enter();
        assert_eq!(drain.in_flight(), 2);
        assert!(!drain.draining());
        assert!(!drain.finish(Duration::ZERO).await, "two still in flight");
        assert!(drain.draining());
        drop(first);
        let waiter = tokio::spawn({
            let drain = drain.clone();
            async move { drain.finish(Duration::from_secs(5)).await }
        });
        drop(second);
        assert!(waiter.await.unwrap(), "done once the last one ends");
        assert_eq!(drain.in_flight(), 0);
    }
}
