//! Benchmark program (not part of the server): the enforcement hot path.
//!
//! ```sh
//! cargo run --release -p accord-gateway --example enforcement_load                 # SQLite
//! ACCORD_BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres \
//! ACCORD_BENCH_REDIS_URL=redis://127.0.0.1:6379 \
//!   cargo run --release -p accord-gateway --example enforcement_load               # PostgreSQL + Redis
//! ```
//!
//! It starts the real server (port 0, 2 workers) on a fresh database, sets up a provider, a
//! vendor, a backend service and its grant through the API and gets an access token the way a
//! client does; starts beside it an actix-web stub (2 workers) that parses the same JSON and
//! form bodies and answers from memory; then, in one run:
//! 1. `wrk -t2 -c64 -d8s --latency` against `POST /v1/decisions` and `POST /oauth/introspect`
//!    of the stub and of Accord, alternating, three rounds (`ACCORD_BENCH_ROUNDS`), printing
//!    throughput, p50/p99, each round's ratio to the stub and the median ratio;
//! 2. token issuance per second on one core (`issue_token` in one task, assertions signed
//!    beforehand, ES384 and RS384);
//! 3. in-process decisions (`Enforcement::decide`) with 1,000 and 1,000,000 clients in the
//!    live view, p50 and p99 of single calls.
//!
//! Needs `wrk` on PATH (Debian package `wrk`). `ACCORD_BENCH_SECS` changes the 8 s.

// A benchmark program reports on stdout.
#![allow(clippy::print_stdout)]

#[path = "support/wrk.rs"]
mod wrk;

use accord_enforcement::{DecisionRequest, TokenForm};
use accord_gateway::Application;
use accord_kernel::config::Settings;
use accord_kernel::{Actor, SystemClock, TenantKind};
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use anyhow::{Context as _, anyhow, bail};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use p384::elliptic_curve::sec1::ToSec1Point as _;
use p384::pkcs8::EncodePrivateKey as _;
use rand::{Rng as _, RngCore as _};
use sea_orm::ConnectionTrait as _;
use secrecy::SecretString;
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

const PASSWORD: &str = "correct horse battery";
const PUBLIC: &str = "http://accord.bench";
const SCOPE: &str = "system/Observation.rs";

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let mut settings = Settings::for_data_dir(dir.path());
    settings.bind = "127.0.0.1:0".into();
    settings.public_url = PUBLIC.into();
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
    let backend = if admin.is_some() { "PostgreSQL" } else { "SQLite" };
    let store = if settings.redis_url.is_some() { "Redis" } else { "in-process" };
    println!("backend: {backend}, store: {store}");
    let _telemetry = accord_kernel::telemetry::init(&settings);
    let result = run(settings).await;
    if let Some((conn, name)) = admin {
        conn.execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")).await?;
    }
    result
}

struct Seeded {
    slug: String,
    api_token: String,
    client_id: String,
    access_token: String,
    key: (EncodingKey, EncodingKey),
}

async fn run(settings: Settings) -> anyhow::Result<()> {
    let app = Application::build(settings, Arc::new(SystemClock)).await?;
    let state = app.state().clone();
    let url = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    let s = seed(&state, &url).await?;

    // The stub: parses the same bodies, answers from memory.
    let stub_url = start_stub(&s).await?;
    let secs: u64 = std::env::var("ACCORD_BENCH_SECS").ok().and_then(|v| v.parse().ok()).unwrap_or(8);
    let decision = json!({ "clientId": s.client_id, "scopes": [SCOPE] }).to_string();
    let introspection = format!("token={}", s.access_token);
    let runs = [
        (
            "decisions",
            "POST /v1/decisions",
            format!("{url}/v1/decisions"),
            format!("{stub_url}/v1/decisions"),
            decision,
            "application/json",
        ),
        (
            "introspection",
            "POST /oauth/introspect",
            format!("{url}/t/{}/oauth/introspect", s.slug),
            format!("{stub_url}/oauth/introspect"),
            introspection,
            "application/x-www-form-urlencoded",
        ),
    ];
    let rounds: usize = std::env::var("ACCORD_BENCH_ROUNDS").ok().and_then(|v| v.parse().ok()).unwrap_or(3);
    wrk::header(secs, rounds);
    let mut summary = vec![];
    for (name, label, accord_url, stub, body, ctype) in runs {
        let script = wrk::script(name, &body, ctype, Some(&s.api_token))?;
        summary.push((label, wrk::compare(label, &stub, &accord_url, &script, secs, rounds)?));
    }
    for (label, median) in summary {
        println!("\nmedian ratio `{label}`: **{median:.2}**");
    }

    tokens_per_core(&state, &s).await?;
    in_process(&state, &s).await?;
    Ok(())
}

async fn gql(http: &reqwest::Client, url: &str, token: Option<&str>, query: &str, vars: Value) -> anyhow::Result<Value> {
    let mut req = http.post(format!("{url}/graphql")).json(&json!({ "query": query, "variables": vars }));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let r: Value = req.send().await?.json().await?;
    if r.get("errors").is_some() {
        bail!("{query}: {r}");
    }
    Ok(r["data"].clone())
}

fn ec_key() -> anyhow::Result<(EncodingKey, Value)> {
    loop {
        let mut bytes = [0u8; 48];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        let Ok(secret) = p384::SecretKey::from_slice(&bytes) else { continue };
        let point = secret.public_key().to_sec1_point(false);
        let (x, y) = (point.x().context("x")?, point.y().context("y")?);
        let jwk = json!({ "kty": "EC", "crv": "P-384", "kid": "es", "alg": "ES384", "x": URL_SAFE_NO_PAD.encode(x), "y": URL_SAFE_NO_PAD.encode(y) });
        return Ok((EncodingKey::from_ec_der(secret.to_pkcs8_der()?.as_bytes()), jwk));
    }
}

fn assertion(alg: Algorithm, kid: &str, key: &EncodingKey, client_id: &str, slug: &str) -> anyhow::Result<String> {
    let mut h = Header::new(alg);
    h.kid = Some(kid.into());
    h.typ = Some("JWT".into());
    let now = chrono::Utc::now().timestamp();
    let claims = json!({ "iss": client_id, "sub": client_id, "aud": format!("{PUBLIC}/t/{slug}/oauth/token"), "exp": now + 290, "jti": uuid::Uuid::new_v4().to_string() });
    Ok(jsonwebtoken::encode(&h, &claims, key)?)
}

async fn seed(state: &accord_gateway::AppState, url: &str) -> anyhow::Result<Seeded> {
    let http = reqwest::Client::new();
    let (holder, _) = state
        .tenants
        .create_tenant(
            accord_tenants::NewTenant {
                name: "General Hospital".into(),
                kind: TenantKind::Provider,
                admin_name: "Holder Admin".into(),
                admin_email: "admin@general.example".into(),
                admin_password: PASSWORD.into(),
            },
            &Actor::System,
            "tenant.created",
        )
        .await
        .map_err(|e| anyhow!("create_tenant: {e}"))?;
    let login = "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }";
    let h = gql(&http, url, None, login, json!({ "e": "admin@general.example", "p": PASSWORD })).await?;
    let holder_session = h["login"]["token"].as_str().context("login")?.to_owned();
    gql(
        &http,
        url,
        Some(&holder_session),
        "mutation { updateApprovalPolicy(input: { highRiskRequiredApprovals: 1 }) { highRiskRequiredApprovals } }",
        json!({}),
    )
    .await?;
    let t =
        gql(&http, url, Some(&holder_session), "mutation { createApiToken(name: \"gateway\", expiresInDays: 30) { token } }", json!({}))
            .await?;
    let api_token = t["createApiToken"]["token"].as_str().context("api token")?.to_owned();
    let v = gql(
        &http,
        url,
        None,
        "mutation($i: SignUpInput!) { signUp(input: $i) { token } }",
        json!({ "i": { "organizationName": "Acme Analytics", "kind": "DEVELOPER", "name": "Ada", "email": "ada@acme.example", "password": PASSWORD } }),
    )
    .await?;
    let vendor = v["signUp"]["token"].as_str().context("signUp")?.to_owned();
    let (es, es_jwk) = ec_key()?;
    let rsa = EncodingKey::from_rsa_pem(include_bytes!("../tests/enforcement/fixtures/rs384-test-key.pem"))?;
    let rsa_jwk: Value = serde_json::from_str(include_str!("../tests/enforcement/fixtures/rs384-test-key.jwk.json"))?;
    let r = gql(
        &http,
        url,
        Some(&vendor),
        "mutation($i: RegisterAppInput!) { registerApp(input: $i) { app { id clientId } } }",
        json!({ "i": { "name": "Quality Robot", "kind": "BACKEND_SERVICE", "public": false, "jwks": json!({ "keys": [es_jwk, rsa_jwk] }).to_string(),
            "purpose": "Quality measures", "businessOwnerEmail": "biz@acme.example", "technicalOwnerEmail": "tech@acme.example" } }),
    )
    .await?;
    let app_id = r["registerApp"]["app"]["id"].as_str().context("app")?.to_owned();
    let client_id = r["registerApp"]["app"]["clientId"].as_str().context("client")?.to_owned();
    let req = gql(
        &http,
        url,
        Some(&vendor),
        "mutation($i: RequestAccessInput!) { requestAccess(input: $i) { id } }",
        json!({ "i": { "appId": app_id, "dataHolderId": holder.id, "scopes": [SCOPE, "system/Patient.r"], "purpose": "Quality measures", "durationDays": 30 } }),
    )
    .await?;
    gql(
        &http,
        url,
        Some(&holder_session),
        "mutation($id: ID!) { approveAccessRequest(id: $id) { status } }",
        json!({ "id": req["requestAccess"]["id"] }),
    )
    .await?;
    let form = [
        ("grant_type", "client_credentials".to_owned()),
        ("client_assertion_type", accord_enforcement::JWT_BEARER.to_owned()),
        ("client_assertion", assertion(Algorithm::ES384, "es", &es, &client_id, &holder.slug)?),
        ("scope", SCOPE.to_owned()),
    ];
    let t: Value = http.post(format!("{url}/t/{}/oauth/token", holder.slug)).form(&form).send().await?.json().await?;
    let access_token = t["access_token"].as_str().with_context(|| format!("token: {t}"))?.to_owned();
    Ok(Seeded { slug: holder.slug, api_token, client_id, access_token, key: (es, rsa) })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct StubAsk {
    client_id: String,
    scopes: Vec<String>,
}

#[derive(Deserialize)]
struct StubToken {
    token: String,
}

struct StubData {
    api_token: String,
    decisions: HashMap<String, (String, Vec<String>)>,
    tokens: HashMap<String, Value>,
}

async fn stub_decide(data: web::Data<StubData>, req: HttpRequest, ask: web::Json<StubAsk>) -> HttpResponse {
    if req.headers().get("authorization").and_then(|v| v.to_str().ok()) != Some(&format!("Bearer {}", data.api_token)) {
        return HttpResponse::Unauthorized().finish();
    }
    match data.decisions.get(&ask.client_id) {
        Some((grant, scopes)) => {
            let allowed: Vec<&String> = ask.scopes.iter().filter(|s| scopes.contains(s)).collect();
            HttpResponse::Ok().json(json!({ "allowed": allowed.len() == ask.scopes.len(), "grantId": grant, "expiresAt": "2027-01-01T00:00:00Z", "allowedScopes": allowed, "denied": [] }))
        }
        None => HttpResponse::Ok().json(json!({ "allowed": false, "grantId": null, "expiresAt": null, "allowedScopes": [], "denied": [] })),
    }
}

async fn stub_introspect(data: web::Data<StubData>, req: HttpRequest, form: web::Form<StubToken>) -> HttpResponse {
    if req.headers().get("authorization").and_then(|v| v.to_str().ok()) != Some(&format!("Bearer {}", data.api_token)) {
        return HttpResponse::Unauthorized().finish();
    }
    HttpResponse::Ok().json(data.tokens.get(&form.token).cloned().unwrap_or_else(|| json!({ "active": false })))
}

async fn start_stub(s: &Seeded) -> anyhow::Result<String> {
    let data = web::Data::new(StubData {
        api_token: s.api_token.clone(),
        decisions: HashMap::from([(s.client_id.clone(), ("grant".to_owned(), vec![SCOPE.to_owned()]))]),
        tokens: HashMap::from([(
            s.access_token.clone(),
            json!({ "active": true, "scope": SCOPE, "client_id": s.client_id, "exp": 1_900_000_000 }),
        )]),
    });
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    let port = listener.local_addr()?.port();
    let server = HttpServer::new(move || {
        App::new()
            .app_data(data.clone())
            .route("/v1/decisions", web::post().to(stub_decide))
            .route("/oauth/introspect", web::post().to(stub_introspect))
    })
    .workers(2)
    .listen(listener)?
    .run();
    tokio::spawn(server);
    Ok(format!("http://127.0.0.1:{port}"))
}

async fn tokens_per_core(state: &accord_gateway::AppState, s: &Seeded) -> anyhow::Result<()> {
    let holder = state.enforcement.holder(&s.slug).await.map_err(|e| anyhow!("{e}"))?;
    println!("\n## Token issuance, one task (one core at a time), assertions signed beforehand\n");
    println!("| assertion | tokens | seconds | tokens/s per core |");
    println!("|---|---|---|---|");
    for (alg, kid, key) in [(Algorithm::ES384, "es", &s.key.0), (Algorithm::RS384, "rs", &s.key.1)] {
        let n = 2_000;
        let forms: Vec<TokenForm> = (0..n)
            .map(|_| {
                Ok(TokenForm {
                    grant_type: Some("client_credentials".into()),
                    client_assertion_type: Some(accord_enforcement::JWT_BEARER.into()),
                    client_assertion: Some(assertion(alg, kid, key, &s.client_id, &s.slug)?),
                    scope: Some(SCOPE.into()),
                    client_id: None,
                })
            })
            .collect::<anyhow::Result<_>>()?;
        let start = Instant::now();
        for f in forms {
            state.enforcement.issue_token(&holder, f, None).await.map_err(|e| anyhow!("{e}"))?;
        }
        let took = start.elapsed().as_secs_f64();
        println!("| {alg:?} | {n} | {took:.2} | **{:.0}** |", f64::from(n) / took);
    }
    Ok(())
}

async fn in_process(state: &accord_gateway::AppState, s: &Seeded) -> anyhow::Result<()> {
    let caller = state.enforcement.authenticate_holder(&s.api_token).await.map_err(|e| anyhow!("{e}"))?;
    let template = state.enforcement.client(&s.client_id).await.map_err(|e| anyhow!("{e}"))?.context("the seeded client")?;
    let grant = accord_approvals::live_grants_of_app(state.db.reader(), &template.app.id).await?;
    println!("\n## In-process `Enforcement::decide` (view lookup, coverage, access-log queue), single calls\n");
    println!("| live grants in the view | calls | p50 | p99 | max |");
    println!("|---|---|---|---|---|");
    let mut loaded = 0usize;
    let mut ids: Vec<String> = vec![s.client_id.clone()];
    for size in [1_000usize, 1_000_000] {
        let more: Vec<accord_enforcement::view::Client> = (loaded..size)
            .map(|i| {
                let mut app = template.app.clone();
                app.client_id = format!("acc_bench_{i}");
                app.id = format!("app-{i}");
                let mut g = grant.clone();
                for x in &mut g {
                    x.id = format!("grant-{i}");
                    x.app_id = app.id.clone();
                }
                ids.push(app.client_id.clone());
                accord_enforcement::view::Client::new(app, &g)
            })
            .collect();
        state.enforcement.preload(more);
        loaded = size;
        let calls = 200_000;
        let mut rng = rand::thread_rng();
        let mut times = Vec::with_capacity(calls);
        for _ in 0..calls {
            let id = &ids[rng.gen_range(0..ids.len())];
            let ask: DecisionRequest = serde_json::from_value(json!({ "clientId": id, "scopes": [SCOPE] }))?;
            let start = Instant::now();
            let d = state.enforcement.decide(&caller, &ask).await.map_err(|e| anyhow!("{e}"))?;
            times.push(start.elapsed());
            if !d.allowed {
                bail!("a decision was not allowed: {d:?}");
            }
        }
        times.sort_unstable();
        let at = |q: f64| times[((times.len() as f64 * q) as usize).min(times.len() - 1)];
        println!("| {size} | {calls} | {:?} | {:?} | {:?} |", at(0.5), at(0.99), times[times.len() - 1]);
    }
    Ok(())
}
