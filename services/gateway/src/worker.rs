//! The scheduled side: the jobs on tokio-cron-scheduler (schedules from the settings) and the
//! continuous notifications relay. `accord worker` runs them with a small ops listener
//! (`/healthz`, `/readyz`, `/metrics`); `accord serve` runs them beside the API; `accord api`
//! never does. A lease per job in the store (Redis `SET NX PX`, or in-process) keeps replicas
//! from doing the same run twice, but correctness never depends on it: every job changes each
//! item once however many run it (see `accord_lifecycle::jobs`).

use crate::http::state::AppState;
use crate::jobs::run_job;
use accord_lifecycle::jobs::Job;
use actix_web::{App, HttpResponse, HttpServer, web};
use anyhow::Context as _;
use chrono::{DateTime, Duration, Utc};
use std::net::TcpListener;
use std::sync::Arc;
use tokio::sync::RwLock;

/// How long a stopping worker waits for the jobs in progress.
pub const SHUTDOWN_GRACE: std::time::Duration = std::time::Duration::from_secs(20);

/// The jobs on a schedule, with their cron expressions.
fn scheduled(state: &AppState) -> [(Job, String); 4] {
    let s = &state.settings.schedules;
    [
        (Job::Expiry, s.expiry.clone()),
        (Job::Reminders, s.reminders.clone()),
        (Job::Reviews, s.reviews.clone()),
        (Job::Credentials, s.credentials.clone()),
    ]
}

/// The time between two firings of a cron expression (the first two after `now`).
fn interval(cron: &str, now: DateTime<Utc>) -> Duration {
    let parsed = croner::parser::CronParser::builder().seconds(croner::parser::Seconds::Required).build().parse(cron);
    let Ok(c) = parsed else { return Duration::hours(1) };
    let mut it = c.iter_after(now);
    match (it.next(), it.next()) {
        (Some(a), Some(b)) => b - a,
        _ => Duration::hours(1),
    }
}

/// Starts the scheduler (and the relay): each job fires on its schedule, takes its lease, runs
/// at the clock's time and records the outcome in `state.jobs`.
///
/// # Errors
/// When the scheduler cannot start or a schedule does not parse.
pub async fn start(state: &AppState) -> anyhow::Result<Scheduled> {
    let sched = tokio_cron_scheduler::JobScheduler::new().await.context("cannot start the job scheduler")?;
    let running = Arc::new(RwLock::new(()));
    for (job, cron) in scheduled(state) {
        let lease = (interval(&cron, state.clock.now()) / 2).max(Duration::seconds(1));
        let st = state.clone();
        let running = running.clone();
        let task = tokio_cron_scheduler::Job::new_async(cron.as_str(), move |_id, _sched| {
            let st = st.clone();
            let running = running.clone();
            Box::pin(async move {
                // Stopping waits for runs holding this; none starts once it is closed.
                let Ok(_run) = running.try_read() else { return };
                tick(&st, job, lease).await;
            })
        })
        .with_context(|| format!("the {job} schedule `{cron}` does not parse"))?;
        sched.add(task).await.with_context(|| format!("cannot schedule the {job} job"))?;
    }
    sched.start().await.context("cannot start the job scheduler")?;
    let relay = state.notifications.spawn_relay();
    tracing::info!("scheduled jobs and the notifications relay started");
    Ok(Scheduled { sched, relay, running })
}

/// The running scheduler and relay, to stop them gracefully.
pub struct Scheduled {
    sched: tokio_cron_scheduler::JobScheduler,
    relay: tokio::task::JoinHandle<()>,
    running: Arc<RwLock<()>>,
}

impl Scheduled {
    /// Stops firing jobs and waits (up to `grace`) for the runs in progress: each commits its
    /// current batch or, cut off, rolls it back whole. The relay stops between deliveries
    /// (a claimed webhook or mail whose lease lapses is retried by another relay).
    pub async fn stop(mut self, grace: std::time::Duration) {
        let _ = self.sched.shutdown().await;
        match tokio::time::timeout(grace, self.running.write()).await {
            Ok(_closed) => tracing::info!("scheduled jobs stopped"),
            Err(_) => tracing::warn!(?grace, "a job was still running at shutdown: its open batch rolls back"),
        }
        self.relay.abort();
    }
}

/// One firing of a job.
async fn tick(state: &AppState, job: Job, lease: Duration) {
    let key = format!("job-lease:{job}");
    let ttl = lease.to_std().unwrap_or(std::time::Duration::from_secs(30));
    match state.store.set_nx(&key, "1", ttl).await {
        Ok(false) => {
            tracing::debug!(%job, "another worker holds this run's lease");
            return;
        }
        Ok(true) => {}
        // The lease only saves duplicate work: without the store, run anyway.
        Err(e) => tracing::warn!(%job, error = %e, "cannot take the job lease; running anyway"),
    }
    let now = state.clock.now();
    match run_job(state, job, now).await {
        Ok(ran) => {
            state.jobs.record(job, Some(ran.items), state.clock.now());
            tracing::info!(%job, items = ran.items, summary = %ran.summary, "job ran");
        }
        Err(e) => {
            state.jobs.record(job, None, state.clock.now());
            tracing::error!(%job, error = %format!("{e:#}"), "job failed; the next run picks its items up again");
        }
    }
}

/// The jobs that have not succeeded for three of their intervals (counted from the worker's
/// start when they never have).
#[must_use]
pub fn overdue(state: &AppState, now: DateTime<Utc>) -> Vec<String> {
    let readings = state.jobs.readings();
    scheduled(state)
        .into_iter()
        .filter_map(|(job, cron)| {
            let last = readings.iter().find(|r| r.job == job).and_then(|r| r.last_success).unwrap_or(state.started_at);
            let limit = interval(&cron, now) * 3;
            (now - last > limit).then(|| format!("{job}: no success since {}", last.to_rfc3339()))
        })
        .collect()
}

async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    let db = accord_db::ping(&state.db).await.is_ok();
    let overdue = overdue(&state, state.clock.now());
    let ok = db && overdue.is_empty();
    let body = serde_json::json!({
        "status": if ok { "ready" } else { "unavailable" },
        "database": if db { "ok" } else { "unreachable" },
        "jobs": if overdue.is_empty() { serde_json::json!("ok") } else { serde_json::json!(overdue) },
    });
    if ok { HttpResponse::Ok().json(body) } else { HttpResponse::ServiceUnavailable().json(body) }
}

/// `accord worker`: the jobs, the relay and an ops listener on `settings.bind` until the process
/// is stopped; then the scheduler stops (a job in its transaction commits or rolls back whole).
///
/// # Errors
/// When the listener cannot be bound or the scheduler cannot start.
pub async fn run(state: AppState) -> anyhow::Result<()> {
    let bind = state.settings.bind.clone();
    let listener = TcpListener::bind(&bind).with_context(|| format!("cannot listen on {bind}"))?;
    let scheduled = start(&state).await?;
    let data = web::Data::new(state);
    let server = HttpServer::new(move || {
        App::new()
            .app_data(data.clone())
            .route("/healthz", web::get().to(crate::http::ops::healthz))
            .route("/readyz", web::get().to(readyz))
            .route("/metrics", web::get().to(crate::http::ops::metrics))
    })
    .workers(1)
    .listen(listener)?
    .run();
    tracing::info!(address = %format!("http://{bind}"), "accord worker is running");
    // actix stops on SIGTERM or SIGINT; then the jobs drain.
    let served = server.await;
    scheduled.stop(SHUTDOWN_GRACE).await;
    served.context("the ops listener failed")
}
