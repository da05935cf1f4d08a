//! Real `accord jobs run` processes racing on one database (the test's: SQLite by default,
//! PostgreSQL + Redis in CI), one of them killed with SIGKILL mid-sweep: every due grant expired
//! once with one event, every reminder mailed once.

use crate::*;
use accord_gateway::testing::clone_grants;
use accord_testkit::smtp_sink::SmtpSink;
use sea_orm::ConnectionTrait;
use std::collections::HashSet;
use std::process::{Child, Command, Stdio};

/// The `accord` binary on the test's database, store and key.
fn accord(app: &TestApp) -> Command {
    let s = &app.settings;
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_accord"));
    cmd.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("RUST_LOG", "warn")
        .env("ACCORD_DATA_DIR", &s.data_dir)
        .env("ACCORD_REDIS_PREFIX", &s.redis_prefix)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(url) = &s.database_url {
        cmd.env("DATABASE_URL", secrecy::ExposeSecret::expose_secret(url));
    }
    if let Some(url) = &s.redis_url {
        cmd.env("REDIS_URL", secrecy::ExposeSecret::expose_secret(url));
    }
    if let Some(k) = &s.secret_key {
        cmd.env("ACCORD_SECRET_KEY", secrecy::ExposeSecret::expose_secret(k));
    }
    cmd
}

fn jobs_run(app: &TestApp, job: &str, now: DateTime<Utc>, smtp: Option<&str>) -> Child {
    let mut cmd = accord(app);
    cmd.args(["jobs", "run", job, "--now", &now.to_rfc3339()]);
    if let Some(smtp) = smtp {
        cmd.env("SMTP_URL", smtp);
    }
    cmd.spawn().unwrap()
}

/// Waits for a process off the test's runtime thread, so servers on that runtime (the SMTP
/// sink) keep answering it meanwhile.
async fn finish(child: Child) -> (bool, String) {
    let out = tokio::task::spawn_blocking(move || child.wait_with_output()).await.unwrap().unwrap();
    (out.status.success(), format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    let backend = app.db().get_database_backend();
    let row = app.db().query_one_raw(sea_orm::Statement::from_string(backend, sql.to_owned())).await.unwrap().unwrap();
    row.try_get::<i64>("", "n").unwrap()
}

#[tokio::test]
async fn three_racing_expiry_processes_one_killed_mid_sweep_expire_each_grant_once_with_one_event() {
    let w = crate::world::world().await;
    let app = &w.app;
    let template = w.grant(&w.app_id, &["patient/Observation.rs"], 30).await;
    let mut ids = clone_grants(app.db(), &template, 3000).await;
    ids.push(template);
    let later = app.clock.now() + days(31);

    let racers: Vec<Child> = (0..3).map(|_| jobs_run(app, "expiry", later, None)).collect();
    // Kill one while the sweep is under way (its open batch rolls back whole).
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let mut racers = racers.into_iter();
    let mut victim = racers.next().unwrap();
    let _ = victim.kill();
    let _ = victim.wait();
    for child in racers {
        let (ok, out) = finish(child).await;
        assert!(ok, "{out}");
    }
    // A restarted run finishes whatever is left.
    let (ok, out) = finish(jobs_run(app, "expiry", later, None)).await;
    assert!(ok, "{out}");

    let n = ids.len() as i64;
    assert_eq!(count(app, "SELECT COUNT(*) AS n FROM grants WHERE status = 'EXPIRED'").await, n);
    assert_eq!(count(app, "SELECT COUNT(*) AS n FROM outbox_events WHERE event_type = 'grant.expired'").await, n, "one event per grant");
    assert_eq!(count(app, "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'grant.expired'").await, n);
    let targets = count(app, "SELECT COUNT(DISTINCT target_id) AS n FROM audit_events WHERE action = 'grant.expired'").await;
    assert_eq!(targets, n, "each grant audited once");
    assert_eq!(accord_db::audit::verify(app.db()).await.unwrap().problem, None, "the chain holds across processes");
}

#[tokio::test]
async fn three_racing_reminder_processes_then_the_outbox_mail_each_reminder_once() {
    let sink = SmtpSink::start().await.unwrap();
    let w = crate::world::world().await;
    let app = &w.app;
    let template = w.grant(&w.app_id, &["patient/Observation.rs"], 20).await;
    let ids = clone_grants(app.db(), &template, 19).await;
    // The request and approval mails of the template go out first (to files; not counted).
    run(app, "outbox", app.clock.now()).await;
    let now = app.clock.now() + Duration::hours(1);

    let racers: Vec<Child> = (0..3).map(|_| jobs_run(app, "reminders", now, None)).collect();
    for child in racers {
        let (ok, out) = finish(child).await;
        assert!(ok, "{out}");
    }
    assert_eq!(count(app, "SELECT COUNT(*) AS n FROM outbox_events WHERE event_type = 'grant.expiring'").await, 20);
    let racers: Vec<Child> = (0..3).map(|_| jobs_run(app, "outbox", now, Some(&sink.url()))).collect();
    for child in racers {
        let (ok, out) = finish(child).await;
        assert!(ok, "{out}");
    }
    let mails = sink.wait_for(100, std::time::Duration::from_secs(10)).await;
    assert_eq!(mails.len(), 100, "20 reminders, each to two owners and three holder approvers");
    let keys: HashSet<(String, String)> = mails.iter().map(|m| (m.rcpt_to.join(","), m.header("X-Accord-Event-Id").unwrap())).collect();
    assert_eq!(keys.len(), 100, "no mail twice");
    let _ = ids;
}

/// Polls `url` until `done` holds for its body: waiting for another process, not for time.
async fn poll(url: &str, what: &str, done: impl Fn(u16, &str) -> bool) -> String {
    let client = reqwest::Client::new();
    for _ in 0..300 {
        if let Ok(r) = client.get(url).send().await {
            let status = r.status().as_u16();
            let body = r.text().await.unwrap_or_default();
            if done(status, &body) {
                return body;
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("{what}: not seen at {url} within 30 s");
}

#[tokio::test]
async fn a_worker_process_runs_the_expiry_on_its_schedule_reports_it_and_stops_cleanly_on_sigterm() {
    let w = crate::world::world().await;
    let app = &w.app;
    let g = w.grant(&w.app_id, &["patient/Observation.rs"], 30).await;
    // The worker reads the real clock: make the grant due by it.
    let backend = app.db().get_database_backend();
    let sql = match backend {
        sea_orm::DbBackend::Postgres => "UPDATE grants SET expires_at = $1 WHERE id = $2",
        _ => "UPDATE grants SET expires_at = ? WHERE id = ?",
    };
    let due = Utc::now() - Duration::minutes(1);
    app.db().execute_raw(sea_orm::Statement::from_sql_and_values(backend, sql, [due.into(), g.clone().into()])).await.unwrap();

    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let url = format!("http://127.0.0.1:{port}");
    let mut worker = accord(app)
        .env("ACCORD_BIND", format!("127.0.0.1:{port}"))
        .env("ACCORD_SCHEDULE_EXPIRY", "* * * * * *")
        .arg("worker")
        .spawn()
        .unwrap();
    poll(&format!("{url}/healthz"), "the worker's ops listener", |s, _| s == 200).await;
    let ready = poll(&format!("{url}/readyz"), "readiness", |s, _| s == 200).await;
    assert!(ready.contains(r#""jobs":"ok""#), "{ready}");
    let metrics = poll(&format!("{url}/metrics"), "the expiry run in the metrics", |_, b| {
        b.lines().any(|l| l.starts_with(r#"accord_job_items_total{job="expiry"}"#) && !l.ends_with(" 0"))
    })
    .await;
    assert!(metrics.contains(r#"accord_job_last_success_timestamp_seconds{job="expiry"}"#), "{metrics}");
    assert_eq!(count(app, "SELECT COUNT(*) AS n FROM grants WHERE status = 'EXPIRED'").await, 1);
    assert_eq!(count(app, "SELECT COUNT(*) AS n FROM outbox_events WHERE event_type = 'grant.expired'").await, 1);
    // The API is not served by a worker.
    let api = reqwest::Client::new().post(format!("{url}/graphql")).json(&json!({ "query": "{ __typename }" })).send().await.unwrap();
    assert_eq!(api.status().as_u16(), 404);

    let pid = i32::try_from(worker.id()).unwrap();
    // SIGTERM: the ops listener stops, the scheduler drains, the process exits 0.
    let status = Command::new("kill").args(["-TERM", &pid.to_string()]).status().unwrap();
    assert!(status.success());
    let out = tokio::task::spawn_blocking(move || {
        let status = worker.wait().unwrap();
        let mut err = String::new();
        std::io::Read::read_to_string(worker.stderr.as_mut().unwrap(), &mut err).unwrap();
        (status, err)
    })
    .await
    .unwrap();
    assert!(out.0.success(), "exit {:?}: {}", out.0, out.1);
    assert!(!out.1.contains("ERROR"), "{}", out.1);
    // Once, although it fired every second.
    assert_eq!(count(app, "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'grant.expired'").await, 1);
}
