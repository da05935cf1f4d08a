//! Load program (not part of the server): the expiry sweep with 100,000 grants due at once.
//! It creates one real grant through the API, copies it (and its app) into 100,000 grants
//! (`accord_gateway::testing::clone_grants`), then times `run_expiry` — every grant EXPIRED
//! with its audit event and `grant.expired` — once with one worker, and again on a fresh set
//! with three workers at once (three `Services`, each with its own connection pools, as three
//! `accord worker` replicas would have). It checks that every grant expired exactly once and
//! that the audit chain verifies, and exits 1 otherwise.
//!
//! ```sh
//! ACCORD_BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres \
//!   cargo run --release -p accord-gateway --example expiry_load
//! # the embedded SQLite default
//! cargo run --release -p accord-gateway --example expiry_load
//! ```
//!
//! `ACCORD_EXPIRY_GRANTS` (default 100000) sizes the run.

// A load program reports on stdout.
#![allow(clippy::print_stdout)]

use accord_gateway::Application;
use accord_gateway::services::{Migrate, Services};
use accord_kernel::SystemClock;
use accord_kernel::config::Settings;
use anyhow::{Context as _, anyhow, bail};
use sea_orm::{ConnectionTrait, Database};
use secrecy::SecretString;
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Instant;

const PASSWORD: &str = "correct horse battery";

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let n: usize = env("ACCORD_EXPIRY_GRANTS").map_or(Ok(100_000), |v| v.parse()).context("ACCORD_EXPIRY_GRANTS")?;
    let dir = tempfile::tempdir()?;
    let mut settings = Settings::for_data_dir(dir.path());
    settings.bind = "127.0.0.1:0".into();
    settings.secret_key = Some(SecretString::from("load-test-secret-key-that-is-long-enough".to_owned()));
    settings.log_filter = env("RUST_LOG").unwrap_or_else(|| "warn".into());
    settings.signup_kinds = vec![accord_kernel::TenantKind::Developer, accord_kernel::TenantKind::Provider];
    let mut pg = None;
    if let Some(base) = env("ACCORD_BENCH_POSTGRES_URL") {
        let admin = Database::connect(&base).await.context("connect to ACCORD_BENCH_POSTGRES_URL")?;
        let name = format!("accord_bench_{}", uuid::Uuid::new_v4().simple());
        admin.execute_unprepared(&format!("CREATE DATABASE \"{name}\"")).await?;
        let (prefix, _) = base.rsplit_once('/').context("ACCORD_BENCH_POSTGRES_URL must end in /<database>")?;
        settings.database_url = Some(SecretString::from(format!("{prefix}/{name}")));
        pg = Some((admin, name));
    }
    let backend = if pg.is_some() { "PostgreSQL" } else { "SQLite (embedded default)" };
    let _telemetry = accord_kernel::telemetry::init(&settings);
    let app = Application::build(settings.clone(), Arc::new(SystemClock)).await?;
    let url = format!("http://127.0.0.1:{}/graphql", app.port());
    let state = app.state().clone();
    tokio::spawn(app.run_until_stopped());
    let result = run(&state, &settings, &url, n, backend).await;
    if let Some((admin, name)) = pg {
        state.db.clone().close().await.ok();
        admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")).await?;
    }
    result
}

async fn gql(url: &str, token: Option<&str>, query: &str, vars: Value) -> anyhow::Result<Value> {
    let mut req = reqwest::Client::new().post(url).json(&json!({ "query": query, "variables": vars }));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let body: Value = req.send().await?.json().await?;
    if body["errors"].is_array() {
        bail!("setup failed: {body}");
    }
    Ok(body["data"].clone())
}

/// One real grant through the API; returns its id.
async fn template(url: &str) -> anyhow::Result<String> {
    let sign_up = "mutation($i: SignUpInput!) { signUp(input: $i) { token user { tenant { id } } } }";
    let user = |org: &str, kind: &str| json!({ "i": { "organizationName": org, "kind": kind, "name": "P", "email": format!("{}@load.example", uuid::Uuid::new_v4().simple()), "password": PASSWORD } });
    let dev = gql(url, None, sign_up, user("Load Apps", "DEVELOPER")).await?;
    let holder = gql(url, None, sign_up, user("Load Hospital", "PROVIDER")).await?;
    let dev_token = dev["signUp"]["token"].as_str().context("dev token")?;
    let holder_token = holder["signUp"]["token"].as_str().context("holder token")?;
    let holder_id = holder["signUp"]["user"]["tenant"]["id"].as_str().context("holder id")?;
    let i = json!({ "name": "Load App", "kind": "PATIENT_FACING", "public": true, "redirectUris": ["https://app.example/cb"],
        "purpose": "Load testing", "businessOwnerEmail": "biz@load.example", "technicalOwnerEmail": "tech@load.example" });
    let app =
        gql(url, Some(dev_token), "mutation($i: RegisterAppInput!) { registerApp(input: $i) { app { id } } }", json!({ "i": i })).await?;
    let app_id = app["registerApp"]["app"]["id"].as_str().context("app id")?;
    let req = json!({ "i": { "appId": app_id, "dataHolderId": holder_id, "scopes": ["patient/Observation.rs"], "purpose": "Lab results", "durationDays": 30 } });
    let r = gql(url, Some(dev_token), "mutation($i: RequestAccessInput!) { requestAccess(input: $i) { id } }", req).await?;
    let rid = r["requestAccess"]["id"].as_str().context("request id")?;
    let a =
        gql(url, Some(holder_token), "mutation($id: ID!) { approveAccessRequest(id: $id) { grant { id } } }", json!({ "id": rid })).await?;
    Ok(a["approveAccessRequest"]["grant"]["id"].as_str().context("grant id")?.to_owned())
}

async fn count(db: &accord_db::Db, sql: &str) -> anyhow::Result<i64> {
    let row = db.query_one_raw(sea_orm::Statement::from_string(db.get_database_backend(), sql.to_owned())).await?.context("no row")?;
    Ok(row.try_get::<i64>("", "n")?)
}

async fn run(state: &accord_gateway::AppState, settings: &Settings, url: &str, n: usize, backend: &str) -> anyhow::Result<()> {
    let t = template(url).await?;
    let later = state.clock.now() + chrono::Duration::days(31);
    println!("backend: {backend}");

    // One worker.
    let seeded = Instant::now();
    accord_gateway::testing::clone_grants(&state.db, &t, n - 1).await;
    println!("seeded {n} grants in {:.1} s", seeded.elapsed().as_secs_f64());
    // The planner's statistics, as a live database has them (autovacuum analyzes a table
    // within a minute of a bulk change); without them the first sweep over freshly copied
    // rows runs on a plan made for an empty table, about five times slower.
    state.db.writer().execute_unprepared("ANALYZE").await?;
    let started = Instant::now();
    let report = state.lifecycle.run_expiry(later).await.map_err(|e| anyhow!(accord_kernel::gql::cause_chain(&e)))?;
    let one = started.elapsed();
    if report.items != n as u64 {
        bail!("one worker expired {} of {n}", report.items);
    }
    println!(
        "one worker:    {n} grants expired with their audit and grant.expired events in {:.2} s ({:.0} grants/s)",
        one.as_secs_f64(),
        n as f64 / one.as_secs_f64()
    );

    // Three workers at once on a fresh set (the template is expired now; copy it as it was).
    let t2 = template(url).await?;
    accord_gateway::testing::clone_grants(&state.db, &t2, n - 1).await;
    state.db.writer().execute_unprepared("ANALYZE").await?;
    let mut workers = Vec::new();
    for _ in 0..3 {
        workers.push(Services::build(settings.clone(), Arc::new(SystemClock), Migrate::No).await?);
    }
    let started = Instant::now();
    let runs = futures::future::join_all(workers.iter().map(|s| s.lifecycle.run_expiry(later))).await;
    let three = started.elapsed();
    let mut total = 0;
    for r in runs {
        total += r.map_err(|e| anyhow!(accord_kernel::gql::cause_chain(&e)))?.items;
    }
    if total != n as u64 {
        bail!("three workers expired {total} of {n}");
    }
    println!(
        "three workers: {n} grants expired in {:.2} s ({:.0} grants/s); each grant once",
        three.as_secs_f64(),
        n as f64 / three.as_secs_f64()
    );
    let events = count(&state.db, "SELECT COUNT(*) AS n FROM outbox_events WHERE event_type = 'grant.expired'").await?;
    if events != 2 * n as i64 {
        bail!("{events} grant.expired events for {} grants", 2 * n);
    }
    let verified = accord_db::audit::verify(&state.db).await?;
    if let Some(p) = verified.problem {
        bail!("audit chain broken: {p}");
    }
    println!("checked: {events} grant.expired events for {} grants, audit chain of {} events intact", 2 * n, verified.checked);
    Ok(())
}
