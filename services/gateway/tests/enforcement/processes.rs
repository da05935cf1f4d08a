//! Two real `accord api` processes on one PostgreSQL and Redis: a revocation, a suspension and
//! an offboarding made through A are in force at B's introspection and `/authz` within a
//! second; with PostgreSQL unreachable, decisions deny. PostgreSQL is reached through a TCP
//! relay this test owns, so "stopping PostgreSQL" cuts exactly these processes off without
//! disturbing the other tests sharing the server.

use crate::world::{ec_key, sign_es};
use accord_gateway::testing::{fresh_postgres, redis_url, services_required};
use serde_json::{Value, json};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

const PUBLIC: &str = "http://accord.test";
pub(crate) const PASSWORD: &str = "correct horse battery";

/// A TCP relay to PostgreSQL that can be cut: every relayed connection is dropped and new
/// ones are refused.
struct Relay {
    port: u16,
    cut: watch::Sender<bool>,
}

impl Relay {
    async fn to(target: &'static str) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let (cut, mut cut_rx) = watch::channel(false);
        let conn_rx = cut.subscribe();
        tokio::spawn(async move {
            loop {
                tokio::select! {
                    _ = cut_rx.changed() => return, // the listener is dropped: connections are refused
                    accepted = listener.accept() => {
                        let Ok((mut inbound, _)) = accepted else { continue };
                        let mut stop = conn_rx.clone();
                        tokio::spawn(async move {
                            let Ok(mut outbound) = TcpStream::connect(target).await else { return };
                            tokio::select! {
                                _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound) => {}
                                _ = stop.changed() => {}
                            }
                        });
                    }
                }
            }
        });
        Self { port, cut }
    }

    fn cut(&self) {
        let _ = self.cut.send(true);
    }
}

/// An `accord` process (`api` or `worker`), killed on drop.
pub(crate) struct Api {
    pub(crate) child: Child,
    pub(crate) url: String,
    /// Where its stderr (warnings and errors) goes.
    pub(crate) log: std::path::PathBuf,
}

impl Api {
    /// What the process logged so far (for failure messages).
    pub(crate) fn logged(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Api {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn start_api(dir: &Path, env: &[(&str, String)]) -> Api {
    start("api", dir, env).await
}

/// `accord <command>` on `env`, once its `/readyz` answers 200.
pub(crate) async fn start(command: &str, dir: &Path, env: &[(&str, String)]) -> Api {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_accord"));
    cmd.arg(command).current_dir(dir).env_clear().env("PATH", std::env::var("PATH").unwrap_or_default()).env("RUST_LOG", "warn");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let log = dir.join(format!("accord-{command}-{port}.log"));
    let stderr = std::fs::File::create(&log).unwrap();
    let child = cmd.env("ACCORD_BIND", format!("127.0.0.1:{port}")).stdout(Stdio::null()).stderr(stderr).spawn().unwrap();
    // Owned from here on, so a failed start is killed and reaped too.
    let api = Api { child, url: format!("http://127.0.0.1:{port}"), log };
    let client = reqwest::Client::new();
    // Waiting for a child process to come up is waiting for an external event.
    for _ in 0..300 {
        if client.get(format!("{}/readyz", api.url)).send().await.is_ok_and(|r| r.status().is_success()) {
            return api;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("accord {command} did not become ready at {}", api.url);
}

pub(crate) async fn gql(url: &str, token: Option<&str>, query: &str, vars: Value) -> Value {
    let mut req = reqwest::Client::new().post(format!("{url}/graphql")).json(&json!({ "query": query, "variables": vars }));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let r: Value = req.send().await.unwrap().json().await.unwrap();
    assert!(r.get("errors").is_none(), "{query}: {r}");
    r["data"].clone()
}

async fn authz(url: &str, slug: &str, token: &str) -> u16 {
    reqwest::Client::new()
        .get(format!("{url}/t/{slug}/authz"))
        .bearer_auth(token)
        .header("X-Original-Method", "GET")
        .header("X-Original-URI", "/fhir/Observation/1")
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

async fn introspect(url: &str, slug: &str, api_token: &str, token: &str) -> Value {
    let r = reqwest::Client::new()
        .post(format!("{url}/t/{slug}/oauth/introspect"))
        .bearer_auth(api_token)
        .form(&[("token", token)])
        .send()
        .await
        .unwrap();
    r.json().await.unwrap()
}

async fn decide(url: &str, api_token: &str, client_id: &str) -> (u16, Value) {
    let r = reqwest::Client::new()
        .post(format!("{url}/v1/decisions"))
        .bearer_auth(api_token)
        .json(&json!({ "clientId": client_id, "scopes": ["system/Observation.rs"] }))
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

/// How long until `check` holds, failing past `limit`.
pub(crate) async fn until(limit: Duration, what: &str, mut check: impl AsyncFnMut() -> bool) -> Duration {
    let start = Instant::now();
    loop {
        if check().await {
            return start.elapsed();
        }
        assert!(start.elapsed() < limit, "{what}: not within {limit:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn two_api_processes_see_each_others_revocations_within_a_second_and_deny_without_postgres() {
    let (Some(pg), Some(redis)) = (std::env::var("ACCORD_TEST_POSTGRES_URL").ok(), redis_url()) else {
        assert!(!services_required(), "ACCORD_TEST_REQUIRE_SERVICES=1 but PostgreSQL or Redis is not configured");
        eprintln!(
            "SKIPPED two_api_processes_see_each_others_revocations_within_a_second_and_deny_without_postgres: needs PostgreSQL and Redis"
        );
        return;
    };
    let db = fresh_postgres(&pg).await;
    let relay = Relay::to("127.0.0.1:5432").await;
    let through_relay = db.replacen("127.0.0.1:5432", &format!("127.0.0.1:{}", relay.port), 1);
    assert_ne!(through_relay, db, "ACCORD_TEST_POSTGRES_URL must name 127.0.0.1:5432");
    let dir = tempfile::tempdir().unwrap();
    let env = [
        ("DATABASE_URL", through_relay),
        ("REDIS_URL", redis),
        ("ACCORD_REDIS_PREFIX", format!("accord_test:{}", uuid::Uuid::new_v4().simple())),
        ("ACCORD_SECRET_KEY", "two-replicas-share-this-secret-key-0123456789".to_owned()),
        ("ACCORD_PUBLIC_URL", PUBLIC.to_owned()),
        ("ACCORD_SIGNUP_KINDS", "developer,provider".to_owned()),
    ];
    let a = start_api(dir.path(), &env).await;
    let b = start_api(dir.path(), &env).await;

    // A vendor with three backend services, a provider granting each of them, through A.
    let sign_up = "mutation($i: SignUpInput!) { signUp(input: $i) { token user { tenant { id slug } } } }";
    let org = |name: &str, kind: &str, email: &str| json!({ "i": { "organizationName": name, "kind": kind, "name": "Person", "email": email, "password": PASSWORD } });
    let vendor = gql(&a.url, None, sign_up, org("Acme Analytics", "DEVELOPER", "vendor@acme.example")).await["signUp"]["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let h = gql(&a.url, None, sign_up, org("General Hospital", "PROVIDER", "admin@general.example")).await;
    let (holder, holder_id, slug) = (
        h["signUp"]["token"].as_str().unwrap().to_owned(),
        h["signUp"]["user"]["tenant"]["id"].as_str().unwrap().to_owned(),
        h["signUp"]["user"]["tenant"]["slug"].as_str().unwrap().to_owned(),
    );
    gql(
        &a.url,
        Some(&holder),
        "mutation { updateApprovalPolicy(input: { highRiskRequiredApprovals: 1 }) { highRiskRequiredApprovals } }",
        json!({}),
    )
    .await;
    let api_token = gql(&a.url, Some(&holder), "mutation { createApiToken(name: \"gateway\", expiresInDays: 30) { token } }", json!({}))
        .await["createApiToken"]["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let key = ec_key("es");
    let mut apps = vec![];
    for name in ["Revoked Robot", "Suspended Robot", "Offboarded Robot"] {
        let r = gql(
            &a.url,
            Some(&vendor),
            "mutation($i: RegisterAppInput!) { registerApp(input: $i) { app { id clientId } } }",
            json!({ "i": { "name": name, "kind": "BACKEND_SERVICE", "public": false, "jwks": json!({ "keys": [key.jwk.clone()] }).to_string(),
                "purpose": "Quality measures", "businessOwnerEmail": "biz@acme.example", "technicalOwnerEmail": "tech@acme.example" } }),
        )
        .await;
        let (app_id, client_id) =
            (r["registerApp"]["app"]["id"].as_str().unwrap().to_owned(), r["registerApp"]["app"]["clientId"].as_str().unwrap().to_owned());
        let req = gql(
            &a.url,
            Some(&vendor),
            "mutation($i: RequestAccessInput!) { requestAccess(input: $i) { id } }",
            json!({ "i": { "appId": app_id, "dataHolderId": holder_id, "scopes": ["system/Observation.rs"], "purpose": "Quality measures", "durationDays": 30 } }),
        )
        .await;
        let grant = gql(
            &a.url,
            Some(&holder),
            "mutation($id: ID!) { approveAccessRequest(id: $id) { grant { id } } }",
            json!({ "id": req["requestAccess"]["id"] }),
        )
        .await;
        let grant_id = grant["approveAccessRequest"]["grant"]["id"].as_str().unwrap().to_owned();
        // A token from A, as the client would get it.
        let now = chrono::Utc::now().timestamp();
        let claims = json!({ "iss": client_id, "sub": client_id, "aud": format!("{PUBLIC}/t/{slug}/oauth/token"), "exp": now + 300, "jti": uuid::Uuid::new_v4().to_string() });
        let r = reqwest::Client::new()
            .post(format!("{}/t/{slug}/oauth/token", a.url))
            .form(&[
                ("grant_type", "client_credentials"),
                ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
                ("client_assertion", &sign_es(&key, "es", &claims)),
                ("scope", "system/Observation.rs"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let token = r.json::<Value>().await.unwrap()["access_token"].as_str().unwrap().to_owned();
        // B knows it (and has cached the client) before anything changes.
        assert_eq!(authz(&b.url, &slug, &token).await, 200);
        assert_eq!(introspect(&b.url, &slug, &api_token, &token).await["active"], true);
        apps.push((app_id, client_id, grant_id, token));
    }

    let changes = [
        (&holder, "mutation($id: ID!) { revokeGrant(id: $id, reason: \"breach\") { id } }", &apps[0].2),
        (&holder, "mutation($id: ID!) { suspendGrant(id: $id, reason: \"audit\") { id } }", &apps[1].2),
        (&vendor, "mutation($id: ID!) { offboardApp(id: $id, reason: \"retired\") { id } }", &apps[2].0),
    ];
    for ((who, mutation, id), (_, _, _, token)) in changes.into_iter().zip(&apps) {
        gql(&a.url, Some(who), mutation, json!({ "id": id })).await;
        let took = until(Duration::from_secs(1), mutation, async || authz(&b.url, &slug, token).await == 403).await;
        assert_eq!(introspect(&b.url, &slug, &api_token, token).await, json!({ "active": false }), "{mutation}");
        eprintln!("{mutation}: in force at the other process after {took:?}");
    }

    // The suspended grant resumes: B allows again, then loses PostgreSQL.
    gql(&a.url, Some(&holder), "mutation($id: ID!) { resumeGrant(id: $id) { id } }", json!({ "id": apps[1].2 })).await;
    until(Duration::from_secs(1), "resume", async || decide(&b.url, &api_token, &apps[1].1).await.1["allowed"] == true).await;
    relay.cut();
    let took = until(Duration::from_secs(5), "deny without PostgreSQL", async || {
        let (status, d) = decide(&b.url, &api_token, &apps[1].1).await;
        status == 503 && d["allowed"] == false
    })
    .await;
    eprintln!("decisions deny {took:?} after PostgreSQL became unreachable");
    assert_ne!(authz(&b.url, &slug, &apps[1].3).await, 200, "no request passes while access cannot be confirmed");
    let (status, d) = decide(&a.url, &api_token, &apps[1].1).await;
    assert_eq!((status, &d["allowed"]), (503, &json!(false)), "{d}");
}

/// A GraphQL answer as it comes: the HTTP status, and the first error's code or `"OK"`.
async fn outcome(url: &str, token: &str, query: &str) -> (u16, String) {
    let r = reqwest::Client::new().post(format!("{url}/graphql")).bearer_auth(token).json(&json!({ "query": query })).send().await.unwrap();
    let status = r.status().as_u16();
    let body: Value = r.json().await.unwrap();
    let code = body["errors"][0]["extensions"]["code"].as_str().unwrap_or("OK").to_owned();
    (status, code)
}

#[tokio::test]
async fn a_role_change_and_a_deactivation_hold_on_the_next_request_here_and_within_a_second_at_the_other_process() {
    let (Some(pg), Some(redis)) = (std::env::var("ACCORD_TEST_POSTGRES_URL").ok(), redis_url()) else {
        assert!(!services_required(), "ACCORD_TEST_REQUIRE_SERVICES=1 but PostgreSQL or Redis is not configured");
        eprintln!(
            "SKIPPED a_role_change_and_a_deactivation_hold_on_the_next_request_here_and_within_a_second_at_the_other_process: needs PostgreSQL and Redis"
        );
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let env = [
        ("DATABASE_URL", fresh_postgres(&pg).await),
        ("REDIS_URL", redis),
        ("ACCORD_REDIS_PREFIX", format!("accord_test:{}", uuid::Uuid::new_v4().simple())),
        ("ACCORD_SECRET_KEY", "two-replicas-share-this-secret-key-0123456789".to_owned()),
        ("ACCORD_PUBLIC_URL", PUBLIC.to_owned()),
        ("ACCORD_SIGNUP_KINDS", "provider".to_owned()),
    ];
    let (a, b) = (start_api(dir.path(), &env).await, start_api(dir.path(), &env).await);
    let admin = gql(
        &a.url,
        None,
        "mutation($i: SignUpInput!) { signUp(input: $i) { token } }",
        json!({ "i": { "organizationName": "General Hospital", "kind": "PROVIDER", "name": "Admin", "email": "admin@general.example", "password": PASSWORD } }),
    )
    .await["signUp"]["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let invitation =
        gql(&a.url, Some(&admin), "mutation { inviteUser(email: \"audit@general.example\", roles: [AUDITOR]) { token } }", json!({})).await
            ["inviteUser"]["token"]
            .as_str()
            .unwrap()
            .to_owned();
    let joined = gql(
        &a.url,
        None,
        "mutation($t: String!, $p: String!) { acceptInvitation(token: $t, name: \"Auditor\", password: $p) { token user { id } } }",
        json!({ "t": invitation, "p": PASSWORD }),
    )
    .await;
    let (session, user_id) = (
        joined["acceptInvitation"]["token"].as_str().unwrap().to_owned(),
        joined["acceptInvitation"]["user"]["id"].as_str().unwrap().to_owned(),
    );
    let api_token = gql(&a.url, Some(&session), "mutation { createApiToken(name: \"reports\", expiresInDays: 30) { token } }", json!({}))
        .await["createApiToken"]["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let audit = "{ auditEvents(first: 1) { edges { node { action } } } }";
    // Both credentials work on both processes, and both processes have them cached.
    for url in [&a.url, &b.url] {
        for token in [&session, &api_token] {
            for _ in 0..3 {
                assert_eq!(outcome(url, token, audit).await, (200, "OK".to_owned()));
            }
        }
    }

    // The role change through A: on A the very next request; on B within a second.
    gql(&a.url, Some(&admin), "mutation($u: ID!) { updateUserRoles(userId: $u, roles: [APPROVER]) { id } }", json!({ "u": user_id })).await;
    assert_eq!(outcome(&a.url, &session, audit).await, (401, "UNAUTHENTICATED".to_owned()), "the session ended with the role change");
    assert_eq!(outcome(&a.url, &api_token, audit).await, (200, "FORBIDDEN".to_owned()), "the token lost AUDITOR with its owner");
    let took = until(Duration::from_secs(1), "role change at B", async || {
        outcome(&b.url, &session, audit).await.1 == "UNAUTHENTICATED" && outcome(&b.url, &api_token, audit).await.1 == "FORBIDDEN"
    })
    .await;
    eprintln!("the role change held at the other process after {took:?}");

    // A new session (as an APPROVER now) and the token, cached at both; then deactivation via A.
    let session = gql(
        &a.url,
        None,
        "mutation($p: String!) { login(email: \"audit@general.example\", password: $p) { token } }",
        json!({ "p": PASSWORD }),
    )
    .await["login"]["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let me = "{ me { user { roles } } }";
    for url in [&a.url, &b.url] {
        for token in [&session, &api_token] {
            assert_eq!(outcome(url, token, me).await, (200, "OK".to_owned()));
        }
    }
    gql(&a.url, Some(&admin), "mutation($u: ID!) { deactivateUser(userId: $u) { id } }", json!({ "u": user_id })).await;
    for token in [&session, &api_token] {
        assert_eq!(outcome(&a.url, token, me).await, (401, "UNAUTHENTICATED".to_owned()), "deactivated: the very next request");
    }
    let took = until(Duration::from_secs(1), "deactivation at B", async || {
        outcome(&b.url, &session, me).await.1 == "UNAUTHENTICATED" && outcome(&b.url, &api_token, me).await.1 == "UNAUTHENTICATED"
    })
    .await;
    eprintln!("the deactivation held at the other process after {took:?}");
}
