//! The production shape on one machine (issue #14, SPEC §9): two `accord api` processes and one
//! `accord worker` on one PostgreSQL and Redis, on loopback. Failed-login limits are counted
//! across both api processes; a revocation through one is refused by the other within a
//! second; the worker's scheduled job runs every second yet changes each item once; and an api
//! process stopped with SIGTERM finishes the request it is serving before it exits.

use super::processes::{PASSWORD, gql, start, until};
use accord_gateway::testing::{fresh_postgres, redis_url, services_required};
use accord_testkit::webhook_receiver::WebhookReceiver;
use serde_json::{Value, json};
use std::process::Command;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

async fn login(url: &str, email: &str, password: &str) -> u16 {
    reqwest::Client::new()
        .post(format!("{url}/auth/login"))
        .json(&json!({ "email": email, "password": password }))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

async fn me(url: &str, token: &str) -> Value {
    reqwest::Client::new()
        .post(format!("{url}/graphql"))
        .bearer_auth(token)
        .json(&json!({ "query": "{ me { user { email } } }" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap_or(Value::Null)
}

#[tokio::test]
async fn two_api_processes_and_a_worker_share_login_limits_revocations_and_jobs_and_a_stopped_api_drains_its_request() {
    let (Some(pg), Some(redis)) = (std::env::var("ACCORD_TEST_POSTGRES_URL").ok(), redis_url()) else {
        assert!(!services_required(), "ACCORD_TEST_REQUIRE_SERVICES=1 but PostgreSQL or Redis is not configured");
        eprintln!("SKIPPED two_api_processes_and_a_worker_…: needs PostgreSQL and Redis");
        return;
    };
    let hooks = WebhookReceiver::start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let env = [
        ("DATABASE_URL", fresh_postgres(&pg).await),
        ("REDIS_URL", redis),
        ("ACCORD_REDIS_PREFIX", format!("accord_test:{}", uuid::Uuid::new_v4().simple())),
        ("ACCORD_SECRET_KEY", "three-processes-share-this-secret-key-0123456789".to_owned()),
        ("ACCORD_PUBLIC_URL", "http://accord.test".to_owned()),
        ("ACCORD_SIGNUP_KINDS", "developer,provider".to_owned()),
        ("ACCORD_WEBHOOK_ALLOW_PRIVATE", "true".to_owned()),
        // The reminders job every second instead of hourly: it runs many times during the test.
        ("ACCORD_SCHEDULE_REMINDERS", "* * * * * *".to_owned()),
    ];
    let a = start("api", dir.path(), &env).await;
    let mut b = start("api", dir.path(), &env).await;

    // Failed logins count across both api processes (the throttle lives in Redis): ten wrong
    // passwords, alternating, and the eleventh attempt is refused at either — even with the
    // right password — although each process saw only five.
    let sign_up = "mutation($i: SignUpInput!) { signUp(input: $i) { token user { tenant { id } } } }";
    let org = |name: &str, kind: &str, email: &str| json!({ "i": { "organizationName": name, "kind": kind, "name": "Person", "email": email, "password": PASSWORD } });
    let h = gql(&a.url, None, sign_up, org("General Hospital", "PROVIDER", "admin@general.example")).await;
    let (holder, holder_id) = (h["signUp"]["token"].as_str().unwrap().to_owned(), h["signUp"]["user"]["tenant"]["id"].clone());
    for attempt in 0..10 {
        let url = if attempt % 2 == 0 { &a.url } else { &b.url };
        assert_eq!(login(url, "admin@general.example", "not the password").await, 401, "attempt {attempt}");
    }
    assert_eq!(login(&b.url, "admin@general.example", PASSWORD).await, 429, "the eleventh attempt, at B");
    assert_eq!(login(&a.url, "admin@general.example", PASSWORD).await, 429, "and at A");

    // A revocation through A is refused at B within a second.
    let api_token =
        gql(&a.url, Some(&holder), "mutation { createApiToken(name: \"siem\", expiresInDays: 30) { token apiToken { id } } }", json!({}))
            .await["createApiToken"]
            .clone();
    let token = api_token["token"].as_str().unwrap().to_owned();
    assert_eq!(me(&b.url, &token).await["data"]["me"]["user"]["email"], "admin@general.example");
    gql(&a.url, Some(&holder), "mutation($id: ID!) { revokeApiToken(id: $id) { id } }", json!({ "id": api_token["apiToken"]["id"] })).await;
    let took =
        until(Duration::from_secs(1), "the revoked token refused at B", async || me(&b.url, &token).await["data"]["me"].is_null()).await;
    eprintln!("revocation through A refused at B after {took:?}");

    // The worker: a grant that ends in five days crosses the 7-day reminder at once. The
    // reminders job runs every second in the worker (never in an api process), and the grant's
    // `grant.expiring` is emitted and delivered once.
    let v = gql(&a.url, None, sign_up, org("Acme Apps", "DEVELOPER", "dev@acme.example")).await;
    let vendor = v["signUp"]["token"].as_str().unwrap().to_owned();
    gql(
        &a.url,
        Some(&holder),
        "mutation($i: WebhookEndpointInput!) { createWebhookEndpoint(input: $i) { secret } }",
        json!({ "i": { "url": hooks.url("/hooks"), "eventTypes": ["grant.expiring"] } }),
    )
    .await;
    let app = gql(
        &a.url,
        Some(&vendor),
        "mutation($i: RegisterAppInput!) { registerApp(input: $i) { app { id } } }",
        json!({ "i": { "name": "Short Stay", "kind": "PATIENT_FACING", "public": true, "redirectUris": ["https://app.acme.example/cb"],
            "purpose": "Discharge summaries", "businessOwnerEmail": "biz@acme.example", "technicalOwnerEmail": "tech@acme.example" } }),
    )
    .await["registerApp"]["app"]["id"]
        .clone();
    let req = gql(
        &b.url,
        Some(&vendor),
        "mutation($i: RequestAccessInput!) { requestAccess(input: $i) { id } }",
        json!({ "i": { "appId": app, "dataHolderId": holder_id, "scopes": ["patient/Observation.rs"], "purpose": "Discharge summaries", "durationDays": 5 } }),
    )
    .await["requestAccess"]["id"]
        .clone();
    gql(&b.url, Some(&holder), "mutation($id: ID!) { approveAccessRequest(id: $id) { id } }", json!({ "id": req })).await;
    // Before the worker runs, nothing is sent: the api processes run no jobs and no relay.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert!(hooks.requests().is_empty(), "no delivery before the worker: {:?}", hooks.requests().len());
    let worker = start("worker", dir.path(), &env).await;
    let first = hooks.wait_for(1, Duration::from_secs(10)).await;
    assert_eq!(first.len(), 1);
    // More runs of the job: still one event, one delivery.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let all = hooks.requests();
    assert_eq!(all.len(), 1, "grant.expiring delivered once: {:?}", all.iter().map(|r| r.body_text()).collect::<Vec<_>>());
    let body: Value = serde_json::from_slice(&all[0].body).unwrap();
    assert_eq!(body["type"], "grant.expiring", "{body}");
    // The job did run again and again meanwhile (its last success keeps moving).
    let last_success = async || {
        let text = reqwest::get(format!("{}/metrics", worker.url)).await.unwrap().text().await.unwrap();
        text.lines()
            .find(|l| l.starts_with("accord_job_last_success_timestamp_seconds") && l.contains("job=\"reminders\""))
            .and_then(|l| l.rsplit(' ').next())
            .and_then(|n| n.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    let before = last_success().await;
    tokio::time::sleep(Duration::from_millis(2100)).await;
    let after = last_success().await;
    assert!(before > 0.0 && after >= before + 1.0, "the reminders job keeps running in the worker: {before} then {after}");
    assert_eq!(hooks.requests().len(), 1, "and still one delivery");

    // SIGTERM to B while it serves a request whose body is still arriving: B takes no new
    // request, finishes that one (with its database connections intact), then exits; A keeps
    // serving.
    let body = json!({ "query": "{ me { user { email } } }" }).to_string();
    let (head, tail) = body.split_at(body.len() / 2);
    let host = b.url.trim_start_matches("http://").to_owned();
    let mut conn = TcpStream::connect(&host).await.unwrap();
    let request_head = format!(
        "POST /graphql HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nAuthorization: Bearer {vendor}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    conn.write_all(request_head.as_bytes()).await.unwrap();
    conn.write_all(head.as_bytes()).await.unwrap();
    conn.flush().await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let pid = b.child.id().to_string();
    assert!(Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
    // New connections wait unanswered (B has paused accepting; they are refused once it exits).
    let impatient = reqwest::Client::builder().timeout(Duration::from_millis(300)).build().unwrap();
    until(Duration::from_secs(5), "B takes no new request", async || impatient.get(format!("{}/healthz", b.url)).send().await.is_err())
        .await;
    conn.write_all(tail.as_bytes()).await.unwrap();
    let mut answer = String::new();
    tokio::time::timeout(Duration::from_secs(10), conn.read_to_string(&mut answer))
        .await
        .expect("B answers the request in flight")
        .unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}\nB logged:\n{}", b.logged());
    assert!(answer.contains("dev@acme.example"), "the request in flight was served, not dropped: {answer}");
    let mut exit = None;
    until(Duration::from_secs(10), "B exits after draining", async || {
        exit = b.child.try_wait().unwrap();
        exit.is_some()
    })
    .await;
    assert!(exit.is_some_and(|s| s.success()), "B exits cleanly after draining: {exit:?}");
    assert_eq!(me(&a.url, &vendor).await["data"]["me"]["user"]["email"], "dev@acme.example", "A keeps serving");
    drop(worker);
}
