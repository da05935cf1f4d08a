//! The real `accord` binary, as an operator runs it.

use accord_gateway::testing::{error_code, redis_url};
use serde_json::{Value, json};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

pub(super) fn accord(cwd: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_accord"));
    c.current_dir(cwd).env_clear().env("PATH", std::env::var("PATH").unwrap_or_default()).env("RUST_LOG", "warn");
    c
}

pub(super) struct Server {
    child: Child,
    pub(super) url: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(super) async fn start(cmd: Command) -> Server {
    start_on(cmd, free_port()).await
}

async fn start_on(mut cmd: Command, port: u16) -> Server {
    let child = cmd.env("ACCORD_BIND", format!("127.0.0.1:{port}")).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
    let url = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    // Polling readiness of a child process is waiting for an external event, not for time to pass.
    for _ in 0..300 {
        if client.get(format!("{url}/readyz")).send().await.is_ok_and(|r| r.status().is_success()) {
            return Server { child, url };
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let mut server = Server { child, url };
    let _ = server.child.kill();
    panic!("accord did not become ready at {}", server.url);
}

pub(super) async fn gql(url: &str, token: Option<&str>, query: &str, vars: Value) -> Value {
    let mut req = reqwest::Client::new().post(format!("{url}/graphql")).json(&json!({ "query": query, "variables": vars }));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    req.send().await.unwrap().json().await.unwrap()
}

const LOGIN: &str = "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }";

#[tokio::test]
async fn serve_with_no_configuration_creates_its_data_dir_and_keeps_data_across_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let server = start_on(accord(dir.path()), port).await;
    let page = reqwest::get(format!("{}/graphql", server.url)).await.unwrap().text().await.unwrap();
    assert!(page.to_lowercase().contains("graphiql"));
    let r = gql(
        &server.url,
        None,
        "mutation { signUp(input: { organizationName: \"Acme\", kind: DEVELOPER, name: \"Ada\", email: \"ada@acme.example\", password: \"correct horse battery\" }) { token } }",
        json!({}),
    )
    .await;
    let token = r["data"]["signUp"]["token"].as_str().unwrap().to_owned();
    assert!(dir.path().join("data/accord.db").exists());
    assert!(dir.path().join("data/secret.key").exists(), "the generated key is kept so sessions survive restarts");
    drop(server);

    // Same address as before: the public URL (and so the session issuer) defaults to it.
    let again = start_on(accord(dir.path()), port).await;
    let me = gql(&again.url, Some(&token), "{ me { user { email } tenant { name } } }", json!({})).await;
    assert_eq!(me["data"]["me"]["tenant"]["name"], json!("Acme"), "the session and the data survived: {me}");
    let login = gql(&again.url, None, LOGIN, json!({ "e": "ada@acme.example", "p": "correct horse battery" })).await;
    assert!(login["data"]["login"]["token"].is_string());
}

#[tokio::test]
async fn invalid_configuration_stops_start_up_naming_each_key() {
    let dir = tempfile::tempdir().unwrap();
    let out = accord(dir.path()).env("ACCORD_BIND", "nowhere").env("ACCORD_SINGUP_KINDS", "PAYER").output().unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("ACCORD_BIND") && err.contains("ACCORD_SINGUP_KINDS: unknown setting"), "{err}");
}

#[tokio::test]
async fn tenants_create_prints_the_id_and_its_admin_can_log_in() {
    let dir = tempfile::tempdir().unwrap();
    let out = accord(dir.path())
        .args([
            "tenants",
            "create",
            "--name",
            "General Hospital",
            "--kind",
            "provider",
            "--admin-email",
            "admin@general.example",
            "--admin-password",
            "correct horse battery",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let id = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    assert!(accord_kernel::id::is_uuid(&id), "{id}");

    let bad = accord(dir.path())
        .args([
            "tenants",
            "create",
            "--name",
            "X",
            "--kind",
            "hospital",
            "--admin-email",
            "a@b.example",
            "--admin-password",
            "correct horse battery",
        ])
        .output()
        .unwrap();
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--kind"));

    let server = start(accord(dir.path())).await;
    let login = gql(&server.url, None, LOGIN, json!({ "e": "admin@general.example", "p": "correct horse battery" })).await;
    let token = login["data"]["login"]["token"].as_str().unwrap().to_owned();
    let me = gql(&server.url, Some(&token), "{ me { tenant { id kind } user { roles } } }", json!({})).await;
    assert_eq!(me["data"]["me"]["tenant"], json!({ "id": id, "kind": "PROVIDER" }));
    assert_eq!(me["data"]["me"]["user"]["roles"], json!(["ADMIN"]));
}

#[tokio::test]
async fn scopes_explain_json_normalizes_suggests_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let out =
        accord(dir.path()).args(["scopes", "explain", "--json", "patient/Observation.read", "patient/Observaton.rs"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let arr = v.as_array().unwrap();
    assert_eq!(arr.len(), 2);
    assert_eq!(arr[0]["normalized"], json!("patient/Observation.rs"));
    assert_eq!(arr[0]["valid"], json!(true));
    assert_eq!(arr[1]["valid"], json!(false));
    assert!(arr[1]["error"].as_str().unwrap().contains("did you mean Observation?"));
    let keys: Vec<&String> = arr[0].as_object().unwrap().keys().collect();
    assert_eq!(keys.len(), 9, "exactly the ScopeAnalysis fields: {keys:?}");
    assert!(!dir.path().join("data").exists(), "scopes commands touch no data dir");

    let ok = accord(dir.path()).args(["scopes", "explain", "openid", "patient/*.rs"]).output().unwrap();
    assert_eq!(ok.status.code(), Some(0));
}

#[tokio::test]
async fn scopes_check_exit_codes_follow_coverage() {
    let dir = tempfile::tempdir().unwrap();
    let run = |granted: &[&str], requested: &[&str]| {
        let mut c = accord(dir.path());
        c.args(["scopes", "check", "--granted"]).args(granted).arg("--requested").args(requested);
        c.output().unwrap().status.code()
    };
    assert_eq!(run(&["patient/*.r", "patient/Observation.s"], &["patient/Observation.rs"]), Some(0));
    assert_eq!(run(&["patient/Observation.rs"], &["patient/Observation.rus"]), Some(1));
    assert_eq!(run(&["patient/Observation.rs"], &["user/Observation.rs"]), Some(1));
    assert_eq!(run(&["patient/Observaton.rs"], &["patient/Observation.rs"]), Some(2));
}

#[tokio::test]
async fn failed_logins_are_limited_across_two_processes_sharing_redis() {
    let Some(redis) = redis_url() else {
        eprintln!("SKIPPED failed_logins_are_limited_across_two_processes_sharing_redis: ACCORD_TEST_REDIS_URL not set");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let prefix = format!("accord_test:{}:", uuid_like());
    let with_redis = || {
        let mut c = accord(dir.path());
        c.env("REDIS_URL", &redis)
            .env("ACCORD_REDIS_PREFIX", &prefix)
            .env("ACCORD_SECRET_KEY", "a-shared-secret-key-for-both-processes-0123");
        c
    };
    let a = start(with_redis()).await;
    let b = start(with_redis()).await;
    gql(
        &a.url,
        None,
        "mutation { signUp(input: { organizationName: \"Acme\", kind: DEVELOPER, name: \"Ada\", email: \"ada@acme.example\", password: \"correct horse battery\" }) { token } }",
        json!({}),
    )
    .await;
    // Ten failures, five on each process: the limit is reached only if they share the count.
    for i in 1..=10 {
        let url = if i % 2 == 0 { &a.url } else { &b.url };
        let r = gql(url, None, LOGIN, json!({ "e": "ada@acme.example", "p": "wrong password!!" })).await;
        assert_eq!(error_code(&r), Some("UNAUTHENTICATED"), "attempt {i}: {r}");
    }
    // Real time runs here: the first back-off is 1 s from the tenth attempt, far longer than
    // these two requests take.
    let both = futures::future::join_all(
        [&a.url, &b.url].map(|url| gql(url, None, LOGIN, json!({ "e": "ada@acme.example", "p": "correct horse battery" }))),
    )
    .await;
    for r in both {
        assert_eq!(error_code(&r), Some("RATE_LIMITED"), "{r}");
    }
}

fn uuid_like() -> String {
    accord_kernel::new_id().replace('-', "")
}
