//! `logout` (SPEC §2.9): it ends the calling session only, for good — across replicas and
//! restarts, because the end is stored in the database rather than in a process.

use accord_gateway::testing::{TestApp, error_code, error_message, spawn_app, within};
use accord_kernel::Clock;
use serde_json::json;
use std::time::Duration;

const ME: &str = "{ me { user { id } } }";
const LOGOUT: &str = "mutation { logout }";
const LOGIN: &str = "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }";

async fn login(app: &TestApp, email: &str) -> String {
    let r = app.gql(None, LOGIN, json!({ "e": email, "p": "correct horse battery" })).await;
    r["data"]["login"]["token"].as_str().unwrap_or_else(|| panic!("login failed: {r}")).to_owned()
}

async fn works(app: &TestApp, token: &str) -> bool {
    app.gql(Some(token), ME, json!({})).await["data"]["me"].is_object()
}

#[tokio::test]
async fn logout_ends_the_calling_session_and_no_other() {
    let app = spawn_app().await;
    let email = app.email("ada");
    let (laptop, _) = app.sign_up("Acme", "DEVELOPER", &email).await;
    let phone = login(&app, &email).await;

    let r = app.gql(Some(&laptop), LOGOUT, json!({})).await;
    assert_eq!(r["data"]["logout"], json!(true), "{r}");
    let after = app.gql(Some(&laptop), ME, json!({})).await;
    assert_eq!(error_code(&after), Some("UNAUTHENTICATED"), "{after}");
    assert!(works(&app, &phone).await, "the user's other session keeps working");
    // Logging out again with the ended session is just unauthenticated.
    assert_eq!(error_code(&app.gql(Some(&laptop), LOGOUT, json!({})).await), Some("UNAUTHENTICATED"));
    // A fresh login works.
    assert!(works(&app, &login(&app, &email).await).await);

    let audit = app.gql(Some(&phone), "{ auditEvents(action: \"session.ended\") { totalCount } }", json!({})).await;
    assert_eq!(audit["data"]["auditEvents"]["totalCount"], json!(1), "{audit}");
}

#[tokio::test]
async fn a_logged_out_session_stays_ended_on_another_replica_and_after_a_restart() {
    let app = spawn_app().await;
    let (session, _) = app.sign_up("Acme", "DEVELOPER", &app.email("ada")).await;
    // A replica that has seen the session work before the logout.
    let replica = app.sibling().await;
    assert!(works(&replica, &session).await);
    assert_eq!(app.gql(Some(&session), LOGOUT, json!({})).await["data"]["logout"], json!(true));
    // The replica follows the change feed: it refuses the ended session within a second.
    let took = within(Duration::from_secs(1), async || !works(&replica, &session).await).await;
    eprintln!("the replica refused the ended session after {took:?}");
    // A server started afterwards (nothing in memory) refuses it as well.
    let restarted = app.sibling().await;
    assert!(!works(&restarted, &session).await);
    assert_eq!(app.count("revoked_sessions").await, 1);
}

#[tokio::test]
async fn an_api_token_cannot_log_out_and_keeps_working() {
    let app = spawn_app().await;
    let (session, _) = app.sign_up("Acme", "DEVELOPER", &app.email("ada")).await;
    let created = app.gql(Some(&session), "mutation { createApiToken(name: \"ci\", expiresInDays: 30) { token } }", json!({})).await;
    let token = created["data"]["createApiToken"]["token"].as_str().unwrap().to_owned();
    let audit_before = app.count("audit_events").await;

    let r = app.gql(Some(&token), LOGOUT, json!({})).await;
    assert_eq!(error_code(&r), Some("FORBIDDEN"), "{r}");
    assert!(error_message(&r).contains("revokeApiToken"), "the message says what to do instead: {r}");
    assert!(works(&app, &token).await);
    assert!(works(&app, &session).await);
    assert_eq!(app.count("revoked_sessions").await, 0);
    assert_eq!(app.count("audit_events").await, audit_before);
}

#[tokio::test]
async fn ended_sessions_are_forgotten_only_once_they_would_have_expired() {
    let app = spawn_app().await;
    let (session, _) = app.sign_up("Acme", "DEVELOPER", &app.email("ada")).await;
    app.gql(Some(&session), LOGOUT, json!({})).await;
    let tenants = &app.state.tenants;
    let ttl = chrono::Duration::minutes(app.settings.session_ttl_minutes);

    app.clock.advance(ttl - chrono::Duration::minutes(1));
    assert_eq!(tenants.forget_expired_session_ends(app.clock.now()).await.unwrap(), 0);
    assert!(!works(&app, &session).await, "still ended while it could still verify");
    app.clock.advance(chrono::Duration::minutes(2));
    assert_eq!(tenants.forget_expired_session_ends(app.clock.now()).await.unwrap(), 1);
    assert_eq!(app.count("revoked_sessions").await, 0);
    assert!(!works(&app, &session).await, "expired on its own");
}
