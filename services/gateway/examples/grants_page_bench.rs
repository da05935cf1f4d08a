//! Benchmark program (not part of the server): `grants(first: 50)` and `accessRequests(first:
//! 50)` with nested app, vendor and data holder on PostgreSQL with 100,000 grants (and as many
//! requests) over 20 data holders and 10,000 apps; `ACCORD_BENCH_GRANTS=1000000` for a million
//! (apps grow with them, one per ten grants; still 20 holders, so each holder's lists grow tenfold).
//!
//! ```sh
//! ACCORD_BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres \
//!   cargo run --release -p accord-gateway --example grants_page_bench
//! ```
//!
//! It creates a fresh database `accord_bench_<uuid>`, starts the real server on port 0 against
//! it, sets up a provider, a vendor, one app, one request and one grant through the API, then
//! bulk-seeds the rest with `INSERT … SELECT … FROM generate_series` copying the API-made rows,
//! measures two series of sequential requests (first page; the page after a cursor from the
//! middle), prints latency percentiles and the SQL statements per request, shows the
//! `EXPLAIN ANALYZE` of the page and count queries, and drops the database.
//!
//! `ACCORD_BENCH_GRANTS` sets the number of grants (a multiple of 20; default 100,000).
//! `ACCORD_BENCH_LAYOUT=oldest` seeds the measured holder's grants as the oldest twentieth instead
//! of spreading every holder's grants over time (the default, `interleaved`).
//! `ACCORD_BENCH_KEEP_DB=1` keeps the database for a look with `psql` afterwards.
//! `ACCORD_BENCH_VACUUM=0` skips the `VACUUM` after seeding (a freshly bulk-loaded table).

// A benchmark program reports on stdout.
#![allow(clippy::print_stdout)]

use accord_gateway::Application;
use accord_kernel::config::Settings;
use accord_kernel::{Actor, SystemClock, TenantKind};
use anyhow::{Context as _, anyhow, bail, ensure};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, Statement, Value as DbValue};
use secrecy::SecretString;
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

const PASSWORD: &str = "correct horse battery";
const VENDORS: i64 = 100;
const HOLDERS: i64 = 20;
const WARMUP: usize = 20;
const SAMPLES: usize = 300;
const SCOPES: [&str; 2] = ["launch/patient", "patient/Observation.rs"];

const PAGE: &str = "query($after: String) { grants(first: 50, after: $after) { totalCount edges { node { id status app { name clientId vendor { name } } dataHolder { name } scopeAnalysis { risk } } } pageInfo { hasNextPage endCursor } } }";
const REQUESTS: &str = "query($after: String) { accessRequests(first: 50, after: $after) { totalCount edges { node { id status app { name clientId vendor { name } } dataHolder { name } scopeAnalysis { risk } } } pageInfo { hasNextPage endCursor } } }";

/// How many grants (and approved requests) are seeded, the apps they belong to, and whether
/// the measured holder's grants are the oldest.
#[derive(Clone, Copy)]
struct Size {
    grants: i64,
    apps: i64,
    oldest: bool,
}

impl Size {
    fn from_env(oldest: bool) -> anyhow::Result<Self> {
        let grants = match std::env::var("ACCORD_BENCH_GRANTS") {
            Err(_) => 100_000,
            Ok(v) => v.replace(['_', ','], "").parse::<i64>().map_err(|_| anyhow!("ACCORD_BENCH_GRANTS: `{v}` is not a number"))?,
        };
        ensure!(grants >= 1_000 && grants % HOLDERS == 0, "ACCORD_BENCH_GRANTS must be a multiple of {HOLDERS}, at least 1,000");
        // Each app holds grants at half the holders: grants / (HOLDERS / 2) apps.
        Ok(Self { grants, apps: grants * 2 / HOLDERS, oldest })
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let Some(base) = std::env::var("ACCORD_BENCH_POSTGRES_URL").ok().filter(|v| !v.is_empty()) else {
        eprintln!(
            "grants_page_bench needs ACCORD_BENCH_POSTGRES_URL, e.g.\n  \
             ACCORD_BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres \
             cargo run --release -p accord-gateway --example grants_page_bench"
        );
        std::process::exit(2);
    };
    let (prefix, _) = base.rsplit_once('/').context("ACCORD_BENCH_POSTGRES_URL must end in /<database>")?;
    let name = format!("accord_bench_{}", uuid::Uuid::new_v4().simple());
    let admin = Database::connect(&base).await.context("connect to ACCORD_BENCH_POSTGRES_URL")?;
    admin.execute_unprepared(&format!("CREATE DATABASE \"{name}\"")).await?;
    println!("database: {name}");
    let result = run(&format!("{prefix}/{name}")).await;
    if std::env::var("ACCORD_BENCH_KEEP_DB").is_ok_and(|v| v == "1") {
        println!("kept {name} (ACCORD_BENCH_KEEP_DB=1); drop it yourself");
    } else {
        // The server's pool still holds connections: FORCE ends them (PostgreSQL 13+).
        admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")).await?;
        println!("dropped {name}");
    }
    admin.close().await.ok();
    result
}

struct Client {
    http: reqwest::Client,
    url: String,
}

impl Client {
    async fn gql(&self, token: Option<&str>, query: &str, variables: Value) -> anyhow::Result<Value> {
        let mut req = self.http.post(&self.url).json(&json!({ "query": query, "variables": variables }));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        Ok(req.send().await?.json().await?)
    }

    /// `data.<field>` of a response without errors.
    async fn ok(&self, token: Option<&str>, query: &str, variables: Value, field: &str) -> anyhow::Result<Value> {
        let r = self.gql(token, query, variables).await?;
        ensure!(r.get("errors").is_none(), "{field} failed: {r}");
        Ok(r["data"][field].clone())
    }
}

fn str_at<'a>(v: &'a Value, pointer: &str) -> anyhow::Result<&'a str> {
    v.pointer(pointer).and_then(Value::as_str).ok_or_else(|| anyhow!("no {pointer} in {v}"))
}

async fn run(database_url: &str) -> anyhow::Result<()> {
    let oldest = match std::env::var("ACCORD_BENCH_LAYOUT").as_deref() {
        Err(_) | Ok("" | "interleaved") => false,
        Ok("oldest") => true,
        Ok(other) => bail!("ACCORD_BENCH_LAYOUT: `{other}` is not `interleaved` or `oldest`"),
    };
    let size = Size::from_env(oldest)?;
    println!("size: {} grants and approved requests, {} apps, {HOLDERS} data holders", size.grants, size.apps);
    println!("layout: {}", if oldest { "oldest (the measured holder's grants are the oldest)" } else { "interleaved" });
    let dir = tempfile::tempdir()?;
    let mut settings = Settings::for_data_dir(dir.path());
    settings.bind = "127.0.0.1:0".into();
    settings.database_url = Some(SecretString::from(database_url.to_owned()));
    settings.secret_key = Some(SecretString::from("bench-secret-key-that-is-at-least-32-chars".to_owned()));
    settings.log_filter = "off".into();
    let _telemetry = accord_kernel::telemetry::init(&settings);
    let app = Application::build(settings, Arc::new(SystemClock)).await?;
    let state = app.state().clone();
    let client = Client { http: reqwest::Client::new(), url: format!("http://127.0.0.1:{}/graphql", app.port()) };
    tokio::spawn(app.run_until_stopped());

    // --- Through the API: a provider (the measured holder), a vendor, one app, one grant. ---
    let setup = Instant::now();
    let holder_email = "holder-admin@general.example";
    let (holder, _) = state
        .tenants
        .create_tenant(
            accord_tenants::NewTenant {
                name: "General Hospital".into(),
                kind: TenantKind::Provider,
                admin_name: "Holder Admin".into(),
                admin_email: holder_email.into(),
                admin_password: PASSWORD.into(),
            },
            &Actor::System,
            "tenant.created",
        )
        .await
        .map_err(|e| anyhow!("create_tenant: {e}"))?;
    let login = client
        .ok(
            None,
            "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }",
            json!({ "e": holder_email, "p": PASSWORD }),
            "login",
        )
        .await?;
    let holder_token = str_at(&login, "/token")?.to_owned();
    let signup = client
        .ok(
            None,
            "mutation($i: SignUpInput!) { signUp(input: $i) { token user { tenant { id } } } }",
            json!({ "i": { "organizationName": "Acme Health Apps", "kind": "DEVELOPER", "name": "Ada", "email": "ada@acme.example", "password": PASSWORD } }),
            "signUp",
        )
        .await?;
    let vendor_token = str_at(&signup, "/token")?.to_owned();
    let vendor_id = str_at(&signup, "/user/tenant/id")?.to_owned();
    client
        .ok(
            Some(&holder_token),
            "mutation { updateApprovalPolicy(input: { autoApproveLowRisk: true }) { autoApproveLowRisk } }",
            json!({}),
            "updateApprovalPolicy",
        )
        .await?;
    let reg = client
        .ok(
            Some(&vendor_token),
            "mutation($i: RegisterAppInput!) { registerApp(input: $i) { app { id clientId } } }",
            json!({ "i": {
                "name": "Lab Viewer", "kind": "PATIENT_FACING", "public": true, "redirectUris": ["https://app.example/callback"],
                "launchUrl": "https://app.example/launch", "description": "Shows patients their lab results",
                "purpose": "Shows patients their lab results", "businessOwnerEmail": "biz@acme.example", "technicalOwnerEmail": "tech@acme.example",
            } }),
            "registerApp",
        )
        .await?;
    let template_app = str_at(&reg, "/app/id")?.to_owned();
    let req = client
        .ok(
            Some(&vendor_token),
            "mutation($i: RequestAccessInput!) { requestAccess(input: $i) { id status grant { id } } }",
            json!({ "i": { "appId": template_app, "dataHolderId": holder.id, "scopes": SCOPES, "purpose": "Lab results for patients", "durationDays": 365 } }),
            "requestAccess",
        )
        .await?;
    let template_request = str_at(&req, "/id")?.to_owned();
    let template_grant = match req.pointer("/grant/id").and_then(Value::as_str) {
        Some(g) => g.to_owned(),
        None => {
            let a = client
                .ok(
                    Some(&holder_token),
                    "mutation($id: ID!) { approveAccessRequest(id: $id) { status grant { id } } }",
                    json!({ "id": template_request }),
                    "approveAccessRequest",
                )
                .await?;
            str_at(&a, "/grant/id")?.to_owned()
        }
    };
    println!("API setup (provider, vendor, app, request, grant): {:.1} s", setup.elapsed().as_secs_f64());

    // --- Bulk seed with SQL, copying the API-made rows. ---
    let db = Database::connect(database_url).await?;
    let seed = Instant::now();
    seed_sql(&db, &holder.id, &vendor_id, &template_app, &template_request, &template_grant, size).await?;
    println!("SQL seeding + ANALYZE: {:.1} s", seed.elapsed().as_secs_f64());
    for t in ["tenants", "apps", "access_requests", "grants", "partnerships"] {
        println!("  {t:16} {:>7} rows", count(&db, &format!("SELECT COUNT(*) AS n FROM {t}"), vec![]).await?);
    }
    let visible =
        count(&db, "SELECT COUNT(*) AS n FROM grants WHERE vendor_tenant_id = $1 OR holder_tenant_id = $1", vec![holder.id.clone().into()])
            .await?;
    println!("  grants visible to the measured holder: {visible}");

    // A cursor from the middle of the holder's grants (newest first, as the API orders them).
    let mid_row = db
        .query_one_raw(Statement::from_sql_and_values(
            db.get_database_backend(),
            "SELECT id FROM grants WHERE vendor_tenant_id = $1 OR holder_tenant_id = $1 ORDER BY id DESC OFFSET $2 LIMIT 1",
            vec![holder.id.clone().into(), (visible / 2).into()],
        ))
        .await?
        .context("no middle grant")?;
    let mid_id: String = mid_row.try_get("", "id")?;
    let cursor = accord_kernel::gql::encode_cursor(&mid_id);

    // --- Measure. ---
    let grants = ("grants", PAGE);
    let first = series(&client, &state, &holder_token, grants, None, visible).await?;
    let after = series(&client, &state, &holder_token, grants, Some(&cursor), visible).await?;
    let requests_visible =
        count(&db, "SELECT COUNT(*) AS n FROM access_requests WHERE holder_tenant_id = $1", vec![holder.id.clone().into()]).await?;
    let requests = series(&client, &state, &holder_token, ("accessRequests", REQUESTS), None, requests_visible).await?;
    println!();
    println!("{} sequential requests per series after {WARMUP} warm-up requests; client-side latency (ms):", SAMPLES);
    println!("| series | min | median | p95 | p99 | max | req/s | SQL statements / request |");
    println!("|---|---|---|---|---|---|---|---|");
    first.print("`grants(first: 50)` (first page)");
    after.print("`grants(first: 50, after: <middle cursor>)`");
    requests.print("`accessRequests(first: 50)` (first page)");

    // --- What PostgreSQL does for the two list statements (mirrors `page_desc`). ---
    println!();
    for (label, sql, values) in [
        (
            "count (as the server runs it for a data holder)",
            "EXPLAIN (ANALYZE, BUFFERS) SELECT COUNT(*) AS num_items FROM (SELECT grants.id FROM grants WHERE grants.holder_tenant_id = $1) AS sub",
            vec![holder.id.clone().into()],
        ),
        (
            "first page (as the server runs it: ids chosen from the holder index, then fetched)",
            "EXPLAIN (ANALYZE, BUFFERS) SELECT * FROM grants WHERE grants.id IN (SELECT grants.id FROM grants WHERE grants.holder_tenant_id = $1 ORDER BY grants.id DESC LIMIT 51) ORDER BY grants.id DESC",
            vec![holder.id.clone().into()],
        ),
        (
            "page after middle cursor (as the server runs it)",
            "EXPLAIN (ANALYZE, BUFFERS) SELECT * FROM grants WHERE grants.id IN (SELECT grants.id FROM grants WHERE grants.holder_tenant_id = $1 AND grants.id < $2 ORDER BY grants.id DESC LIMIT 51) ORDER BY grants.id DESC",
            vec![holder.id.clone().into(), mid_id.clone().into()],
        ),
    ] {
        println!("EXPLAIN ANALYZE ({label}):");
        for row in db.query_all_raw(Statement::from_sql_and_values(db.get_database_backend(), sql, values)).await? {
            let line: String = row.try_get_by_index(0)?;
            println!("  {line}");
        }
    }
    db.close().await.ok();
    Ok(())
}

async fn count(db: &DatabaseConnection, sql: &str, values: Vec<DbValue>) -> anyhow::Result<i64> {
    let row = db.query_one_raw(Statement::from_sql_and_values(db.get_database_backend(), sql, values)).await?.context("no row")?;
    Ok(row.try_get::<i64>("", "n")?)
}

async fn exec(db: &DatabaseConnection, label: &str, sql: &str, values: Vec<DbValue>) -> anyhow::Result<()> {
    let t = Instant::now();
    let r =
        db.execute_raw(Statement::from_sql_and_values(db.get_database_backend(), sql, values)).await.with_context(|| label.to_owned())?;
    println!("  {label:40} {:>7} rows  {:>6.2} s", r.rows_affected(), t.elapsed().as_secs_f64());
    Ok(())
}

/// A UUIDv7-shaped id whose timestamp is `ts` (a `timestamptz` expression), the rest derived from
/// `salt`, so seeded ids sort by creation time like the server's own.
fn v7(ts: &str, salt: &str) -> String {
    let ms = format!("lpad(to_hex((extract(epoch FROM {ts}) * 1000)::bigint), 12, '0')");
    let h = format!("md5({salt})");
    format!(
        "(substr({ms}, 1, 8) || '-' || substr({ms}, 9, 4) || '-7' || substr({h}, 1, 3) || '-' || '8' || substr({h}, 4, 3) || '-' || substr({h}, 7, 12))"
    )
}

async fn seed_sql(
    db: &DatabaseConnection,
    holder: &str,
    vendor: &str,
    template_app: &str,
    template_request: &str,
    template_grant: &str,
    size: Size,
) -> anyhow::Result<()> {
    let Size { grants, apps, oldest } = size;
    // The seeded world spans the 80 days before now; grant g is created at BASE + g minutes.
    const BASE: &str = "(now() - interval '80 days')";
    let vendor_id = v7(&format!("({BASE} - interval '1 day' + g * interval '1 second')"), "'bench-vendor-' || g");
    exec(
        db,
        "tenants: 100 vendors",
        &format!(
            "INSERT INTO tenants (id, name, slug, kind, status, created_at)
             SELECT {vendor_id}, 'Bench Vendor ' || lpad(g::text, 3, '0'), 'bench-vendor-' || lpad(g::text, 3, '0'), t.kind, t.status,
                    {BASE} - interval '1 day' + g * interval '1 second'
             FROM tenants t CROSS JOIN generate_series(0, {VENDORS} - 1) g WHERE t.id = $1"
        ),
        vec![vendor.into()],
    )
    .await?;
    let holder_id = v7(&format!("({BASE} - interval '2 days' + g * interval '1 second')"), "'bench-holder-' || g");
    exec(
        db,
        "tenants: 19 more data holders",
        &format!(
            "INSERT INTO tenants (id, name, slug, kind, status, created_at)
             SELECT {holder_id}, 'Bench Hospital ' || lpad(g::text, 2, '0'), 'bench-holder-' || lpad(g::text, 2, '0'), t.kind, t.status,
                    {BASE} - interval '2 days' + g * interval '1 second'
             FROM tenants t CROSS JOIN generate_series(1, {HOLDERS} - 1) g WHERE t.id = $1"
        ),
        vec![holder.into()],
    )
    .await?;
    let app_id = v7(&format!("({BASE} - interval '1 day' + g * interval '5 seconds')"), "'bench-app-' || g");
    exec(
        db,
        "apps",
        &format!(
            "WITH vendors AS (
                 SELECT id, row_number() OVER (ORDER BY slug) - 1 AS idx FROM tenants WHERE slug LIKE 'bench-vendor-%')
             INSERT INTO apps (id, vendor_tenant_id, name, description, kind, public, client_id, redirect_uris, launch_url, jwks_uri,
                               jwks, purpose, business_owner_email, technical_owner_email, status, status_reason, created_at, updated_at)
             SELECT {app_id}, v.id, 'Bench App ' || lpad(g::text, 5, '0'), a.description, a.kind, a.public,
                    'acc_' || left(translate(encode(sha256(('bench-client-' || g)::bytea), 'base64'), '+/=', '-_'), 32),
                    a.redirect_uris, a.launch_url, a.jwks_uri, a.jwks, a.purpose, a.business_owner_email, a.technical_owner_email,
                    'ACTIVE', NULL, {BASE} - interval '1 day' + g * interval '5 seconds', {BASE} - interval '1 day' + g * interval '5 seconds'
             FROM apps a CROSS JOIN generate_series(0, {apps} - 1) g JOIN vendors v ON v.idx = g % {VENDORS}
             WHERE a.id = $1"
        ),
        vec![template_app.into()],
    )
    .await?;
    // Each app gets grants at 10 of the 20 holders (those of its parity), never twice at one
    // (the partial unique index allows one live grant per pair): a twentieth of the grants per holder.
    // Holder index 0 is the measured one. `interleaved` (default): grant g is at holder g % 20,
    // so every holder's grants are spread over time. `oldest`: the measured holder's grants are
    // the oldest twentieth (grant g at holder 2 * (g / APPS) + parity), the worst case for a plan
    // that walks the primary key backwards.
    let (app_idx, holder_idx) = if oldest {
        (format!("g % {apps}"), format!("2 * (g / {apps}) + (g % {apps}) % 2"))
    } else {
        (format!("2 * (g / {HOLDERS}) + (g % {HOLDERS}) % 2"), format!("g % {HOLDERS}"))
    };
    let grant_ts = format!("({BASE} + g * interval '1 minute')");
    let request_ts = format!("({BASE} + g * interval '1 minute' - interval '1 hour')");
    let grant_id = v7(&grant_ts, "'bench-grant-' || g");
    let request_id = v7(&request_ts, "'bench-request-' || g");
    let shape = format!(
        "holders AS (
             SELECT id, row_number() OVER (ORDER BY (id = $2) DESC, slug) - 1 AS idx FROM tenants WHERE id = $2 OR slug LIKE 'bench-holder-%'),
         apps_i AS (
             SELECT id, vendor_tenant_id, row_number() OVER (ORDER BY name) - 1 AS idx FROM apps WHERE name LIKE 'Bench App %'),
         shape AS (
             SELECT g, a.id AS app_id, a.vendor_tenant_id, h.id AS holder_id
             FROM generate_series(0, {grants} - 1) g
             JOIN apps_i a ON a.idx = {app_idx}
             JOIN holders h ON h.idx = {holder_idx})"
    );
    exec(
        db,
        "access_requests (APPROVED)",
        &format!(
            "WITH {shape}
             INSERT INTO access_requests (id, app_id, vendor_tenant_id, holder_tenant_id, requested_scopes, proposed_scopes, purpose,
                 duration_days, proposed_duration_days, proposal_version, risk, required_approvals, requested_by, status,
                 replaces_grant_id, grant_id, decision_reason, decided_by, created_at, decided_at)
             SELECT {request_id}, s.app_id, s.vendor_tenant_id, s.holder_id, r.requested_scopes, r.proposed_scopes, r.purpose,
                    r.duration_days, r.proposed_duration_days, r.proposal_version, r.risk, r.required_approvals, r.requested_by, 'APPROVED',
                    NULL, {grant_id}, r.decision_reason, r.decided_by, {request_ts}, {grant_ts}
             FROM shape s CROSS JOIN access_requests r WHERE r.id = $1"
        ),
        vec![template_request.into(), holder.into()],
    )
    .await?;
    exec(
        db,
        "grants (ACTIVE)",
        &format!(
            "WITH {shape}
             INSERT INTO grants (id, app_id, vendor_tenant_id, holder_tenant_id, request_id, scopes, granted_at, expires_at, status,
                 status_reason, revoked_reason, revoked_at, last_reviewed_at, next_review_due, updated_at)
             SELECT {grant_id}, s.app_id, s.vendor_tenant_id, s.holder_id, {request_id}, t.scopes, {grant_ts},
                    {grant_ts} + interval '365 days', 'ACTIVE', NULL, NULL, NULL, NULL, {grant_ts} + interval '90 days', {grant_ts}
             FROM shape s CROSS JOIN grants t WHERE t.id = $1"
        ),
        vec![template_grant.into(), holder.into()],
    )
    .await?;
    exec(
        db,
        "partnerships (holder, vendor) with grants",
        &format!(
            "INSERT INTO partnerships (id, holder_tenant_id, vendor_tenant_id, status, since, ended_at, ended_reason)
             SELECT {}, p.holder_tenant_id, p.vendor_tenant_id, 'ACTIVE', p.since, NULL, NULL
             FROM (SELECT holder_tenant_id, vendor_tenant_id, min(granted_at) AS since, row_number() OVER () AS g
                   FROM grants GROUP BY holder_tenant_id, vendor_tenant_id) p
             ON CONFLICT (holder_tenant_id, vendor_tenant_id) DO NOTHING",
            v7("p.since", "'bench-partnership-' || p.g")
        ),
        vec![],
    )
    .await?;
    // The template grant's scopes are what the brief asks for; say so if the server stored others.
    let scopes = db
        .query_one_raw(Statement::from_sql_and_values(
            db.get_database_backend(),
            "SELECT scopes FROM grants WHERE id = $1",
            vec![template_grant.into()],
        ))
        .await?
        .context("template grant")?
        .try_get::<String>("", "scopes")?;
    println!("  grant scopes (copied from the API-made grant): {scopes}");
    // The steady state of a live database: autovacuum keeps statistics and the visibility map
    // current. `ACCORD_BENCH_VACUUM=0` measures the table as bulk-loaded (ANALYZE only, empty
    // visibility map), where the planner avoids index-only scans.
    let vacuum = std::env::var("ACCORD_BENCH_VACUUM").map_or(true, |v| v != "0");
    let stmt = if vacuum { "VACUUM ANALYZE" } else { "ANALYZE" };
    let t = Instant::now();
    db.execute_unprepared(stmt).await?;
    println!("  {stmt} {:.2} s", t.elapsed().as_secs_f64());
    Ok(())
}

struct Series {
    latencies: Vec<Duration>,
    statements: Vec<u64>,
    wall: Duration,
}

impl Series {
    fn pct(&self, p: f64) -> f64 {
        // Nearest rank on the sorted samples.
        let n = self.latencies.len();
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss, clippy::cast_precision_loss)]
        let rank = ((p / 100.0) * n as f64).ceil() as usize;
        ms(self.latencies[rank.clamp(1, n) - 1])
    }

    fn print(&self, label: &str) {
        #[allow(clippy::cast_precision_loss)]
        let rps = self.latencies.len() as f64 / self.wall.as_secs_f64();
        let (smin, smax) = (self.statements.iter().min().copied().unwrap_or(0), self.statements.iter().max().copied().unwrap_or(0));
        println!(
            "| {label} | {:.2} | **{:.2}** | {:.2} | **{:.2}** | {:.2} | {rps:.0} | {smin}–{smax} |",
            self.pct(0.0),
            self.pct(50.0),
            self.pct(95.0),
            self.pct(99.0),
            self.pct(100.0),
        );
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

async fn series(
    client: &Client,
    state: &accord_gateway::AppState,
    token: &str,
    (field, query): (&str, &str),
    after: Option<&str>,
    visible: i64,
) -> anyhow::Result<Series> {
    let vars = json!({ "after": after });
    for _ in 0..WARMUP {
        check(&client.gql(Some(token), query, vars.clone()).await?, field, visible)?;
    }
    let mut latencies = Vec::with_capacity(SAMPLES);
    let mut statements = Vec::with_capacity(SAMPLES);
    let wall = Instant::now();
    for _ in 0..SAMPLES {
        let before = state.statements.load(Ordering::SeqCst);
        let t = Instant::now();
        let r = client.gql(Some(token), query, vars.clone()).await?;
        latencies.push(t.elapsed());
        statements.push(state.statements.load(Ordering::SeqCst) - before);
        check(&r, field, visible)?;
    }
    let wall = wall.elapsed();
    latencies.sort();
    Ok(Series { latencies, statements, wall })
}

fn check(r: &Value, field: &str, visible: i64) -> anyhow::Result<()> {
    if r.get("errors").is_some() {
        bail!("errors in response: {r}");
    }
    let g = &r["data"][field];
    let edges = g["edges"].as_array().map_or(0, Vec::len);
    ensure!(edges == 50, "expected 50 edges, got {edges}: {r}");
    ensure!(g["totalCount"].as_i64() == Some(visible), "totalCount {} != {visible}", g["totalCount"]);
    ensure!(g["pageInfo"]["hasNextPage"].as_bool() == Some(true), "hasNextPage should be true");
    ensure!(g["edges"][0]["node"]["app"]["vendor"]["name"].is_string(), "no nested vendor: {r}");
    Ok(())
}
