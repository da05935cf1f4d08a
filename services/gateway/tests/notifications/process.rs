//! The real `accord serve`, which runs the relay itself, killed (SIGKILL) while deliveries are
//! in flight and started again: every event is delivered, none is lost, and a repeat carries
//! the same `webhook-id`.

use crate::*;
use accord_testkit::webhook_receiver::Reply;
use std::collections::HashSet;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

struct Server {
    child: Child,
    url: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn serve(dir: &Path, port: u16, env: &[(&str, String)]) -> Server {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_accord"));
    cmd.current_dir(dir).env_clear().env("PATH", std::env::var("PATH").unwrap_or_default()).env("RUST_LOG", "warn");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child =
        cmd.arg("serve").env("ACCORD_BIND", format!("127.0.0.1:{port}")).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
    let url = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    // Polling a child process for readiness waits for an external event, not for time to pass.
    for _ in 0..300 {
        if client.get(format!("{url}/readyz")).send().await.is_ok_and(|r| r.status().is_success()) {
            return Server { child, url };
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("accord serve did not become ready at {url}");
}

async fn gql(url: &str, token: Option<&str>, query: &str, vars: Value) -> Value {
    let mut req = reqwest::Client::new().post(format!("{url}/graphql")).json(&json!({ "query": query, "variables": vars }));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    req.send().await.unwrap().json().await.unwrap()
}

#[tokio::test]
async fn a_relay_killed_mid_flight_loses_nothing_and_repeats_only_with_the_same_webhook_id() {
    let dir = tempfile::tempdir().unwrap();
    let receiver = WebhookReceiver::start().await.unwrap();
    receiver.set_default(Reply::Delay(Duration::from_millis(400), Box::new(Reply::Status(200))));
    let mut env = vec![
        ("ACCORD_DATA_DIR", dir.path().join("data").display().to_string()),
        ("ACCORD_WEBHOOK_ALLOW_PRIVATE", "true".to_owned()),
        ("ACCORD_WEBHOOK_TIMEOUT_SECS", "1".to_owned()),
        ("ACCORD_SECRET_KEY", "k".repeat(40)),
    ];
    if let Some(base) = std::env::var("ACCORD_TEST_POSTGRES_URL").ok().filter(|s| !s.is_empty()) {
        env.push(("DATABASE_URL", accord_gateway::testing::fresh_postgres(&base).await));
    } else {
        assert!(!accord_gateway::testing::services_required(), "ACCORD_TEST_REQUIRE_SERVICES=1 but ACCORD_TEST_POSTGRES_URL is not set");
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let server = serve(dir.path(), port, &env).await;
    let r = gql(
        &server.url,
        None,
        "mutation { signUp(input: { organizationName: \"Acme\", kind: DEVELOPER, name: \"Ada\", email: \"ada@acme.example\", password: \"correct horse battery\" }) { token } }",
        json!({}),
    )
    .await;
    let token = r["data"]["signUp"]["token"].as_str().unwrap().to_owned();
    let r =
        gql(&server.url, Some(&token), CREATE, json!({ "i": { "url": receiver.url("/hook"), "eventTypes": ["app.registered"] } })).await;
    let secret = r["data"]["createWebhookEndpoint"]["secret"].as_str().unwrap_or_else(|| panic!("{r}")).to_owned();
    const APPS: usize = 25;
    for i in 0..APPS {
        let r = gql(
            &server.url,
            Some(&token),
            "mutation($i: RegisterAppInput!) { registerApp(input: $i) { app { id } } }",
            json!({ "i": { "name": format!("App {i}"), "kind": "PATIENT_FACING", "public": true, "redirectUris": ["https://app.example/cb"], "purpose": "Shows lab results", "businessOwnerEmail": "biz@acme.example", "technicalOwnerEmail": "tech@acme.example" } }),
        )
        .await;
        assert_eq!(error_code(&r), None, "{r}");
    }
    // Kill it while the receiver is still holding its answers.
    let seen = receiver.wait_for(3, Duration::from_secs(20)).await;
    assert!(seen.len() >= 3, "the relay started sending");
    drop(server);
    let before_restart = receiver.requests().len();
    receiver.set_default(Reply::Status(200));

    let server = serve(dir.path(), port, &env).await;
    let mut delivered = 0;
    for _ in 0..300 {
        let r = gql(&server.url, Some(&token), "{ deliveries(status: DELIVERED) { totalCount } }", json!({})).await;
        delivered = r["data"]["deliveries"]["totalCount"].as_u64().unwrap_or(0);
        if delivered == APPS as u64 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(delivered, APPS as u64, "every event delivered after the restart");
    let r = gql(&server.url, Some(&token), "{ deliveries(first: 100) { edges { node { eventId } } } }", json!({})).await;
    let event_ids: HashSet<String> =
        r["data"]["deliveries"]["edges"].as_array().unwrap().iter().map(|e| e["node"]["eventId"].as_str().unwrap().to_owned()).collect();
    assert_eq!(event_ids.len(), APPS);
    let reqs = receiver.requests();
    let received: HashSet<String> = reqs.iter().map(|r| r.header("webhook-id").unwrap().to_owned()).collect();
    assert_eq!(received, event_ids, "every event arrived, and nothing but these events");
    assert!(reqs.iter().all(|r| verifies(&secret, r)));
    assert!(reqs.len() >= APPS && before_restart >= 3, "{} requests, {before_restart} before the restart", reqs.len());
}
