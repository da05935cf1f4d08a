//! SPEC §9 `ACCORD_TRUSTED_PROXIES`: the client address that rate limits count is the TCP peer,
//! unless the peer is a trusted proxy; then it is the client that proxy names in
//! `X-Forwarded-For`. Observed through the per-address limit on failed logins.

use accord_gateway::testing::{TestApp, error_code, spawn_app, spawn_app_with};
use serde_json::{Value, json};

const LOGIN: &str = "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }";

/// A failed login for a new, unknown email (so only a per-address limit can refuse it).
async fn failed_login_from(app: &TestApp, forwarded_for: &str) -> Value {
    let body = json!({ "query": LOGIN, "variables": { "e": app.email("nobody"), "p": "wrong password!!" } });
    let req = app.client.post(format!("{}/graphql", app.address)).header("X-Forwarded-For", forwarded_for).json(&body);
    req.send().await.unwrap().json().await.unwrap()
}

/// Fails logins from `forwarded_for` until the server answers `RATE_LIMITED`.
async fn fail_until_rate_limited(app: &TestApp, forwarded_for: &str) {
    for attempt in 1..=200 {
        let r = failed_login_from(app, forwarded_for).await;
        match error_code(&r) {
            Some("RATE_LIMITED") => return,
            Some("UNAUTHENTICATED") => {}
            _ => panic!("attempt {attempt}: {r}"),
        }
    }
    panic!("200 failed logins from one address were never rate limited");
}

#[tokio::test]
async fn behind_a_trusted_proxy_failed_logins_are_limited_per_forwarded_client() {
    let app = spawn_app_with(|s| s.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()]).await;
    fail_until_rate_limited(&app, "198.51.100.7").await;
    // Another client behind the same proxy is not affected.
    let r = failed_login_from(&app, "198.51.100.8").await;
    assert_eq!(error_code(&r), Some("UNAUTHENTICATED"), "{r}");
    // The proxy appends the real client on the right: naming the limited address on the left
    // neither borrows its limit nor escapes one.
    let r = failed_login_from(&app, "198.51.100.7, 198.51.100.9").await;
    assert_eq!(error_code(&r), Some("UNAUTHENTICATED"), "{r}");
    let r = failed_login_from(&app, "203.0.113.1, 198.51.100.7").await;
    assert_eq!(error_code(&r), Some("RATE_LIMITED"), "{r}");
}

#[tokio::test]
async fn without_trusted_proxies_forwarded_for_is_ignored_and_the_peer_is_limited() {
    let app = spawn_app().await;
    assert!(app.settings.trusted_proxies.is_empty());
    fail_until_rate_limited(&app, "198.51.100.7").await;
    let r = failed_login_from(&app, "198.51.100.8").await;
    assert_eq!(error_code(&r), Some("RATE_LIMITED"), "every request comes from the same peer: {r}");
}
