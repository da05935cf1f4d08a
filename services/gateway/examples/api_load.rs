//! Benchmark program (not part of the server): the authenticated GraphQL path (issue #12's
//! baseline), against an actix-web stub in the same run.
//!
//! ```sh
//! cargo run --release -p accord-gateway --example api_load                          # SQLite
//! ACCORD_BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres \
//! ACCORD_BENCH_REDIS_URL=redis://127.0.0.1:6379 \
//!   cargo run --release -p accord-gateway --example api_load                        # PostgreSQL + Redis
//! ```
//!
//! It starts the real server (port 0, 2 workers) on a fresh database, signs up an organization
//! (a session token) and makes an API token, starts an actix-web stub (2 workers) that parses
//! the same GraphQL JSON POST, checks the bearer and answers from memory, then runs wrk
//! (`-t2 -c64 -d8s`, stub and Accord alternating, three rounds) on `{ analyzeScopes }` without
//! a token and on `{ me { … } }` with the session and with the API token. Needs `wrk` on PATH.
//! `ACCORD_BENCH_SECS` and `ACCORD_BENCH_ROUNDS` change the 8 s and the three rounds.

// A benchmark program reports on stdout.
#![allow(clippy::print_stdout)]

#[path = "support/wrk.rs"]
mod wrk;

use accord_gateway::Application;
use accord_kernel::config::Settings;
use accord_kernel::{SystemClock, TenantKind};
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use anyhow::{Context as _, bail};
use sea_orm::ConnectionTrait as _;
use secrecy::SecretString;
use serde_json::{Value, json};
use std::sync::Arc;

const ME: &str = "{ me { user { id email } tenant { name } } }";
const ANALYZE: &str = "{ analyzeScopes(scopes: [\"patient/Observation.rs\"]) { normalized risk } }";

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let mut settings = Settings::for_data_dir(dir.path());
    settings.bind = "127.0.0.1:0".into();
    settings.secret_key = Some(SecretString::from("bench-secret-key-that-is-at-least-32-chars".to_owned()));
    settings.log_filter = "off".into();
    settings.signup_kinds = vec![TenantKind::Developer];
    let mut admin = None;
    if let Some(base) = std::env::var("ACCORD_BENCH_POSTGRES_URL").ok().filter(|v| !v.is_empty()) {
        let (prefix, _) = base.rsplit_once('/').context("ACCORD_BENCH_POSTGRES_URL must end in /<database>")?;
        let name = format!("accord_bench_{}", uuid::Uuid::new_v4().simple());
        let conn = sea_orm::Database::connect(&base).await?;
        conn.execute_unprepared(&format!("CREATE DATABASE \"{name}\"")).await?;
        settings.database_url = Some(SecretString::from(format!("{prefix}/{name}")));
        admin = Some((conn, name));
    }
    if let Some(redis) = std::env::var("ACCORD_BENCH_REDIS_URL").ok().filter(|v| !v.is_empty()) {
        settings.redis_url = Some(SecretString::from(redis));
        settings.redis_prefix = format!("accord_bench:{}", uuid::Uuid::new_v4().simple());
    }
    println!(
        "backend: {}, store: {}",
        if admin.is_some() { "PostgreSQL" } else { "SQLite" },
        if settings.redis_url.is_some() { "Redis" } else { "in-process" }
    );
    let _telemetry = accord_kernel::telemetry::init(&settings);
    let result = run(settings).await;
    if let Some((conn, name)) = admin {
        conn.execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")).await?;
    }
    result
}

async fn gql(url: &str, token: Option<&str>, query: &str, vars: Value) -> anyhow::Result<Value> {
    let mut req = reqwest::Client::new().post(format!("{url}/graphql")).json(&json!({ "query": query, "variables": vars }));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let r: Value = req.send().await?.json().await?;
    if r.get("errors").is_some() {
        bail!("{query}: {r}");
    }
    Ok(r["data"].clone())
}

struct Stub {
    tokens: Vec<String>,
    me: Value,
}

async fn stub_graphql(data: web::Data<Stub>, req: HttpRequest, body: web::Json<Value>) -> HttpResponse {
    let query = body.get("query").and_then(Value::as_str).unwrap_or_default();
    if query.contains("analyzeScopes") {
        return HttpResponse::Ok()
            .json(json!({ "data": { "analyzeScopes": [{ "normalized": "patient/Observation.rs", "risk": "LOW" }] } }));
    }
    let bearer = req.headers().get("authorization").and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
    if !bearer.is_some_and(|b| data.tokens.iter().any(|t| t == b)) {
        return HttpResponse::Unauthorized().finish();
    }
    HttpResponse::Ok().json(json!({ "data": { "me": data.me } }))
}

async fn run(settings: Settings) -> anyhow::Result<()> {
    let db_url = match &settings.database_url {
        Some(u) => secrecy::ExposeSecret::expose_secret(u).to_owned(),
        None => format!("sqlite://{}", settings.sqlite_path().display()),
    };
    let app = Application::build(settings, Arc::new(SystemClock)).await?;
    let url = format!("http://127.0.0.1:{}", app.port());
    let state = app.state().clone();
    tokio::spawn(app.run_until_stopped());
    let s = gql(
        &url,
        None,
        "mutation($i: SignUpInput!) { signUp(input: $i) { token } }",
        json!({ "i": { "organizationName": "Acme Analytics", "kind": "DEVELOPER", "name": "Ada", "email": "ada@acme.example", "password": "correct horse battery" } }),
    )
    .await?;
    let session = s["signUp"]["token"].as_str().context("session")?.to_owned();
    let t = gql(&url, Some(&session), "mutation { createApiToken(name: \"load\", expiresInDays: 30) { token } }", json!({})).await?;
    let api_token = t["createApiToken"]["token"].as_str().context("api token")?.to_owned();
    let me = gql(&url, Some(&session), ME, json!({})).await?["me"].clone();
    breakdown(&state, &db_url, &url, &session, &api_token).await?;

    let data = web::Data::new(Stub { tokens: vec![session.clone(), api_token.clone()], me });
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    let stub = format!("http://127.0.0.1:{}/graphql", listener.local_addr()?.port());
    let server = HttpServer::new(move || App::new().app_data(data.clone()).route("/graphql", web::post().to(stub_graphql)))
        .workers(2)
        .listen(listener)?
        .run();
    tokio::spawn(server);

    let secs: u64 = std::env::var("ACCORD_BENCH_SECS").ok().and_then(|v| v.parse().ok()).unwrap_or(8);
    let rounds: usize = std::env::var("ACCORD_BENCH_ROUNDS").ok().and_then(|v| v.parse().ok()).unwrap_or(3);
    let body = |q: &str| json!({ "query": q }).to_string();
    let runs = [
        ("analyze", "{ analyzeScopes } (no token)", body(ANALYZE), None),
        ("me-session", "{ me } with a session", body(ME), Some(session.as_str())),
        ("me-api-token", "{ me } with an API token", body(ME), Some(api_token.as_str())),
    ];
    wrk::header(secs, rounds);
    let mut summary = vec![];
    for (name, label, body, bearer) in runs {
        let script = wrk::script(name, &body, "application/json", bearer)?;
        summary.push((label, wrk::compare(label, &stub, &format!("{url}/graphql"), &script, secs, rounds)?));
    }
    for (label, median) in summary {
        println!("\nmedian ratio `{label}`: **{median:.2}**");
    }
    Ok(())
}

/// One step of the breakdown: `n` sequential runs after a warm-up, median and p99 in µs, and
/// the SQL statements each run cost.
async fn step<F, Fut>(state: &accord_gateway::AppState, label: &str, n: usize, mut f: F) -> anyhow::Result<()>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<()>>,
{
    for _ in 0..n / 10 {
        f().await?;
    }
    let before = state.statements.load(std::sync::atomic::Ordering::SeqCst);
    let mut times = Vec::with_capacity(n);
    for _ in 0..n {
        let t = std::time::Instant::now();
        f().await?;
        times.push(t.elapsed());
    }
    let statements = state.statements.load(std::sync::atomic::Ordering::SeqCst) - before;
    times.sort();
    let us = |d: std::time::Duration| d.as_secs_f64() * 1e6;
    #[allow(clippy::cast_precision_loss)]
    let per = statements as f64 / n as f64;
    println!("| {label} | {:.1} | {:.1} | {per:.1} |", us(times[n / 2]), us(times[n * 99 / 100]));
    Ok(())
}

/// Where the time of one authenticated request goes, piece by piece, one request at a time
/// (no concurrency: latencies, not throughput). The pieces the request path no longer runs
/// (the database identity check and `me`'s own readings, on every request before issue #12)
/// are measured too, so the before and after are in the same run.
async fn breakdown(state: &accord_gateway::AppState, db_url: &str, url: &str, session: &str, api_token: &str) -> anyhow::Result<()> {
    use async_graphql::dataloader::DataLoader;
    const N: usize = 2_000;
    let names = state.operation_names.clone();
    let parse = |q: &str| async_graphql::parser::parse_query(q).map_err(|e| anyhow::anyhow!("{e}"));
    let identity = state.enforcement.identify(session).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    let execute = |query: &'static str| {
        let (state, identity) = (state.clone(), identity.clone());
        async move {
            let mut request = async_graphql::Request::new(query);
            state.prepared.prepare(&mut request, &state.operation_names).map_err(|e| anyhow::anyhow!("{}", e.message))?;
            let request = request
                .data(identity.principal.clone())
                .data(identity)
                .data(accord_kernel::gql::RequestMeta { request_id: accord_kernel::new_id(), client_ip: None })
                .data(DataLoader::new(accord_tenants::graphql::TenantLoader(state.tenants.clone()), tokio::spawn));
            let response = state.schema.execute(request).await;
            anyhow::ensure!(response.errors.is_empty(), "{:?}", response.errors);
            Ok::<_, anyhow::Error>(response)
        }
    };
    let http = reqwest::Client::new();
    let post = |token: Option<&str>, query: &str| {
        let mut req = http.post(format!("{url}/graphql")).json(&json!({ "query": query }));
        if let Some(t) = token {
            req = req.bearer_auth(t.to_owned());
        }
        async move {
            let r: Value = req.send().await?.json().await?;
            anyhow::ensure!(r.get("errors").is_none(), "{r}");
            Ok(())
        }
    };
    println!();
    println!("Breakdown, one request at a time ({N} runs each after {} warm-up):", N / 10);
    println!("| piece | median µs | p99 µs | SQL statements |");
    println!("|---|---|---|---|");
    step(state, "HTTP round trip: `me` with a session (whole request)", N, || post(Some(session), ME)).await?;
    step(state, "HTTP round trip: `me` with an API token", N, || post(Some(api_token), ME)).await?;
    step(state, "HTTP round trip: `analyzeScopes`, no token", N, || post(None, ANALYZE)).await?;
    step(state, "parse `me` (async-graphql parser)", N, || async { parse(ME).map(drop) }).await?;
    let doc = parse(ME)?;
    step(state, "inspect `me` (bounds, label)", N, || async {
        drop(accord_gateway::http::document::inspect(&doc, None, &names));
        Ok(())
    })
    .await?;
    step(state, "prepared document, cache hit (clone of the parsed `me`)", N, || async {
        let mut r = async_graphql::Request::new(ME);
        state.prepared.prepare(&mut r, &state.operation_names).map_err(|e| anyhow::anyhow!("{}", e.message))?;
        Ok(())
    })
    .await?;
    step(state, "validate + execute `me` from the identity (schema.execute)", N, || async { execute(ME).await.map(drop) }).await?;
    let response = execute(ME).await?;
    step(state, "serialize the `me` response (serde_json)", N, || async { serde_json::to_vec(&response).map(drop).map_err(Into::into) })
        .await?;
    step(state, "identity from the enforcement view (cache hit)", N, || async {
        state.enforcement.identify(session).await.map(drop).map_err(|e| anyhow::anyhow!("{e}"))
    })
    .await?;
    step(state, "before #12, every request: session checked in the database (Tenants::identify)", N, || async {
        state.tenants.identify(session).await.map(drop).map_err(|e| anyhow::anyhow!("{e}"))
    })
    .await?;
    step(state, "before #12, every request: API token checked in the database", N, || async {
        state.tenants.identify(api_token).await.map(drop).map_err(|e| anyhow::anyhow!("{e}"))
    })
    .await?;
    step(state, "before #12, every request: `me` read its user and organization (Tenants::me)", N, || async {
        state.tenants.me(&identity.principal).await.map(drop).map_err(|e| anyhow::anyhow!("{e}"))
    })
    .await?;
    let one = || async {
        state
            .db
            .query_one_raw(sea_orm::Statement::from_string(state.db.get_database_backend(), "SELECT 1"))
            .await
            .map(drop)
            .map_err(Into::into)
    };
    step(state, "one `SELECT 1` from the read pool (no ping: idle < 30 s)", N, one).await?;
    // sqlx's default pool pings every connection it hands out (what every statement paid
    // before #12).
    let mut options = sea_orm::ConnectOptions::new(db_url.to_owned());
    options.max_connections(2).sqlx_logging(false);
    let pinging = sea_orm::Database::connect(options).await?;
    step(state, "one `SELECT 1`, pool pinging every checkout (sqlx default, before #12)", N, || async {
        pinging
            .query_one_raw(sea_orm::Statement::from_string(pinging.get_database_backend(), "SELECT 1"))
            .await
            .map(drop)
            .map_err(Into::into)
    })
    .await?;
    pinging.close().await?;
    println!();
    Ok(())
}
