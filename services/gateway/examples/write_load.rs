//! Load program (not part of the server): many concurrent writers against the real server for a
//! fixed time, on the embedded SQLite default or on PostgreSQL + Redis. It reports mutations per
//! second, latency percentiles and every error by code; any error makes it exit 1.
//!
//! ```sh
//! # SQLite default (a fresh data dir in a temp folder)
//! cargo run --release -p accord-gateway --example write_load
//! # PostgreSQL (a fresh database, dropped afterwards) and Redis
//! ACCORD_BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres \
//! ACCORD_BENCH_REDIS_URL=redis://127.0.0.1:6379 \
//!   cargo run --release -p accord-gateway --example write_load
//! ```
//!
//! `ACCORD_LOAD_WRITERS` (default 50) and `ACCORD_LOAD_SECONDS` (default 30) size the run.
//! Each writer owns one app and loops through a grant's life at one data holder, every step
//! a real mutation with its audit and outbox events: `requestAccess` (renewing the grant in
//! force) → `approveAccessRequest` (which supersedes it) → `suspendGrant` → `resumeGrant`.

// A load program reports on stdout.
#![allow(clippy::print_stdout)]

use accord_gateway::Application;
use accord_kernel::config::Settings;
use accord_kernel::{Actor, SystemClock, TenantKind};
use anyhow::{Context as _, anyhow};
use sea_orm::{ConnectionTrait, Database};
use secrecy::SecretString;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

const PASSWORD: &str = "correct horse battery";
const REQUEST: &str = "mutation($i: RequestAccessInput!) { requestAccess(input: $i) { id status } }";
const APPROVE: &str = "mutation($id: ID!) { approveAccessRequest(id: $id) { status grant { id } } }";
const SUSPEND: &str = "mutation($id: ID!) { suspendGrant(id: $id, reason: \"load test\") { status } }";
const RESUME: &str = "mutation($id: ID!) { resumeGrant(id: $id) { status } }";

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let writers: usize = env("ACCORD_LOAD_WRITERS").map_or(Ok(50), |v| v.parse()).context("ACCORD_LOAD_WRITERS")?;
    let seconds: u64 = env("ACCORD_LOAD_SECONDS").map_or(Ok(30), |v| v.parse()).context("ACCORD_LOAD_SECONDS")?;
    let dir = tempfile::tempdir()?;
    let mut settings = Settings::for_data_dir(dir.path());
    settings.bind = "127.0.0.1:0".into();
    settings.secret_key = Some(SecretString::from("load-test-secret-key-that-is-long-enough".to_owned()));
    settings.log_filter = env("RUST_LOG").unwrap_or_else(|| "warn".into());
    let mut pg = None;
    if let Some(base) = env("ACCORD_BENCH_POSTGRES_URL") {
        let admin = Database::connect(&base).await.context("connect to ACCORD_BENCH_POSTGRES_URL")?;
        let name = format!("accord_bench_{}", uuid::Uuid::new_v4().simple());
        admin.execute_unprepared(&format!("CREATE DATABASE \"{name}\"")).await?;
        let (prefix, _) = base.rsplit_once('/').context("ACCORD_BENCH_POSTGRES_URL must end in /<database>")?;
        settings.database_url = Some(SecretString::from(format!("{prefix}/{name}")));
        pg = Some((admin, name));
    }
    if let Some(redis) = env("ACCORD_BENCH_REDIS_URL") {
        settings.redis_url = Some(SecretString::from(redis));
        settings.redis_prefix = format!("accord_bench:{}:", uuid::Uuid::new_v4().simple());
    }
    let backend = if pg.is_some() { "PostgreSQL" } else { "SQLite (embedded default)" };
    let _telemetry = accord_kernel::telemetry::init(&settings);
    let app = Application::build(settings, Arc::new(SystemClock)).await?;
    let url = format!("http://127.0.0.1:{}/graphql", app.port());
    let state = app.state().clone();
    tokio::spawn(app.run_until_stopped());

    let result = run(&state, &url, writers, Duration::from_secs(seconds), backend).await;
    if let Some((admin, name)) = pg {
        state.db.clone().close().await.ok();
        admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")).await?;
    }
    result
}

#[derive(Clone)]
struct Client {
    http: reqwest::Client,
    url: String,
}

impl Client {
    /// The data of a GraphQL call, or the error code (`HTTP <status>` when there is none).
    async fn call(&self, token: &str, query: &str, variables: Value) -> Result<Value, String> {
        let res = self.http.post(&self.url).bearer_auth(token).json(&json!({ "query": query, "variables": variables })).send().await;
        let res = res.map_err(|e| format!("transport: {e}"))?;
        let status = res.status();
        let body: Value = res.json().await.map_err(|_| format!("HTTP {status}"))?;
        match body["errors"][0]["extensions"]["code"].as_str() {
            Some(code) => Err(format!("{code}: {}", body["errors"][0]["message"].as_str().unwrap_or_default())),
            None if status.is_success() => Ok(body["data"].clone()),
            None => Err(format!("HTTP {status}")),
        }
    }

    async fn setup(&self, token: Option<&str>, query: &str, variables: Value) -> anyhow::Result<Value> {
        let mut req = self.http.post(&self.url).json(&json!({ "query": query, "variables": variables }));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let body: Value = req.send().await?.json().await?;
        if body["errors"].is_array() {
            return Err(anyhow!("setup failed: {body}"));
        }
        Ok(body["data"].clone())
    }
}

async fn run(state: &accord_gateway::AppState, url: &str, writers: usize, length: Duration, backend: &str) -> anyhow::Result<()> {
    let client = Client { http: reqwest::Client::builder().pool_max_idle_per_host(writers).build()?, url: url.to_owned() };
    let holder_email = format!("approver.{}@load.example", uuid::Uuid::new_v4().simple());
    let (holder, _) = state
        .tenants
        .create_tenant(
            accord_tenants::NewTenant {
                name: "Load Hospital".into(),
                kind: TenantKind::Provider,
                admin_name: "Approver".into(),
                admin_email: holder_email.clone(),
                admin_password: PASSWORD.into(),
            },
            &Actor::System,
            "tenant.created",
        )
        .await
        .map_err(|e| anyhow!("{e}"))?;
    let login = "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }";
    let approver = client.setup(None, login, json!({ "e": holder_email, "p": PASSWORD })).await?["login"]["token"]
        .as_str()
        .context("approver token")?
        .to_owned();
    let sign_up = "mutation($i: SignUpInput!) { signUp(input: $i) { token } }";
    let vendor_email = format!("dev.{}@load.example", uuid::Uuid::new_v4().simple());
    let i = json!({ "organizationName": "Load Apps", "kind": "DEVELOPER", "name": "Dev", "email": vendor_email, "password": PASSWORD });
    let dev = client.setup(None, sign_up, json!({ "i": i })).await?["signUp"]["token"].as_str().context("vendor token")?.to_owned();
    let register = "mutation($i: RegisterAppInput!) { registerApp(input: $i) { app { id } } }";
    let mut apps = Vec::with_capacity(writers);
    for n in 0..writers {
        let i = json!({ "name": format!("Load App {n}"), "kind": "PATIENT_FACING", "public": true, "redirectUris": ["https://app.example/cb"],
            "purpose": "Load testing", "businessOwnerEmail": "biz@load.example", "technicalOwnerEmail": "tech@load.example" });
        apps.push(
            client.setup(Some(&dev), register, json!({ "i": i })).await?["registerApp"]["app"]["id"].as_str().context("app id")?.to_owned(),
        );
    }

    println!("{backend}: {writers} concurrent writers for {}s", length.as_secs());
    let start = Instant::now();
    let deadline = start + length;
    let tasks: Vec<_> = apps
        .into_iter()
        .map(|app| {
            let (client, dev, approver, holder) = (client.clone(), dev.clone(), approver.clone(), holder.id.clone());
            tokio::spawn(async move { writer(client, dev, approver, holder, app, deadline).await })
        })
        .collect();
    let mut latencies = Vec::new();
    let mut errors: BTreeMap<String, u64> = BTreeMap::new();
    for t in tasks {
        let (l, e) = t.await?;
        latencies.extend(l);
        for (k, v) in e {
            *errors.entry(k).or_default() += v;
        }
    }
    let took = start.elapsed().as_secs_f64();
    latencies.sort_unstable();
    let pct = |p: f64| latencies.get(((latencies.len() as f64 - 1.0) * p).round() as usize).copied().unwrap_or_default();
    let total = latencies.len() + errors.values().sum::<u64>() as usize;
    println!("mutations: {total} in {took:.1}s = {:.0}/s", total as f64 / took);
    println!(
        "latency ms: p50 {:.1}  p90 {:.1}  p99 {:.1}  max {:.1}",
        pct(0.50).as_secs_f64() * 1e3,
        pct(0.90).as_secs_f64() * 1e3,
        pct(0.99).as_secs_f64() * 1e3,
        latencies.last().copied().unwrap_or_default().as_secs_f64() * 1e3
    );
    println!("errors: {}", errors.values().sum::<u64>());
    for (e, n) in &errors {
        println!("  {n} × {e}");
    }
    if errors.is_empty() { Ok(()) } else { Err(anyhow!("{} mutations failed", errors.values().sum::<u64>())) }
}

async fn writer(
    client: Client,
    dev: String,
    approver: String,
    holder: String,
    app: String,
    deadline: Instant,
) -> (Vec<Duration>, BTreeMap<String, u64>) {
    let mut latencies = Vec::new();
    let mut errors: BTreeMap<String, u64> = BTreeMap::new();
    let mut grant: Option<String> = None;
    let timed = |latencies: &mut Vec<Duration>, errors: &mut BTreeMap<String, u64>, started: Instant, r: &Result<Value, String>| match r {
        Ok(_) => latencies.push(started.elapsed()),
        Err(e) => *errors.entry(e.clone()).or_default() += 1,
    };
    while Instant::now() < deadline {
        let t = Instant::now();
        let i = json!({ "appId": app, "dataHolderId": holder, "scopes": ["patient/Observation.rs", "launch/patient"],
            "purpose": "Load testing", "durationDays": 30, "replacesGrantId": grant });
        let r = client.call(&dev, REQUEST, json!({ "i": i })).await;
        timed(&mut latencies, &mut errors, t, &r);
        let Some(request) = r.ok().and_then(|d| d["requestAccess"]["id"].as_str().map(str::to_owned)) else { break };
        let t = Instant::now();
        let r = client.call(&approver, APPROVE, json!({ "id": request })).await;
        timed(&mut latencies, &mut errors, t, &r);
        grant = r.ok().and_then(|d| d["approveAccessRequest"]["grant"]["id"].as_str().map(str::to_owned));
        let Some(g) = grant.clone() else { break };
        for q in [SUSPEND, RESUME] {
            let t = Instant::now();
            let r = client.call(&approver, q, json!({ "id": g })).await;
            timed(&mut latencies, &mut errors, t, &r);
        }
    }
    (latencies, errors)
}
