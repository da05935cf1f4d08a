use accord_gateway::testing::{error_code, error_message, spawn_app};
use serde_json::json;

const SIGN_UP: &str = "mutation($i: SignUpInput!) { signUp(input: $i) { token } }";

#[tokio::test]
async fn invalid_sign_up_input_names_the_field_and_writes_nothing() {
    let app = spawn_app().await;
    let good = json!({ "organizationName": "Acme", "kind": "DEVELOPER", "name": "Ada", "email": app.email("ada"), "password": "correct horse battery" });
    let cases = [
        ("email", json!("not-an-email"), "email:"),
        ("password", json!("short"), "password:"),
        ("organizationName", json!("   "), "organizationName:"),
        ("kind", json!("ALIEN"), "\"ALIEN\""),
    ];
    let before = (app.count("tenants").await, app.count("users").await, app.count("audit_events").await);
    for (field, value, expect) in cases {
        let mut input = good.clone();
        input[field] = value;
        let r = app.gql(None, SIGN_UP, json!({ "i": input })).await;
        assert_eq!(error_code(&r), Some("BAD_USER_INPUT"), "{field}: {r}");
        assert!(error_message(&r).contains(expect), "{field}: {r}");
        assert!(error_message(&r).contains(field) || field == "kind", "{field}: the message names the field: {r}");
        assert!(!error_message(&r).contains("correct horse"), "never echo a password");
    }
    assert_eq!(before, (app.count("tenants").await, app.count("users").await, app.count("audit_events").await));
}

#[tokio::test]
async fn first_above_one_hundred_is_bad_user_input_naming_first() {
    let app = spawn_app().await;
    let (token, _) = app.sign_up("Acme", "DEVELOPER", &app.email("ada")).await;
    for q in
        ["{ dataHolders(first: 1000) { totalCount } }", "{ auditEvents(first: 101) { totalCount } }", "{ users(first: 0) { totalCount } }"]
    {
        let r = app.gql(Some(&token), q, json!({})).await;
        assert_eq!(error_code(&r), Some("BAD_USER_INPUT"), "{q}: {r}");
        assert!(error_message(&r).starts_with("first:"), "{r}");
    }
    let r = app.gql(Some(&token), "{ dataHolders(after: \"bogus\") { totalCount } }", json!({})).await;
    assert!(error_message(&r).starts_with("after:"), "{r}");
}

#[tokio::test]
async fn queries_beyond_the_depth_limit_are_refused() {
    let app = spawn_app().await;
    let (token, _) = app.sign_up("Acme", "DEVELOPER", &app.email("ada")).await;
    // 14 levels of selection, beyond the limit of 12 (pure introspection has its own, deeper
    // limit: see introspection.rs).
    let nested = format!("{{ me {{ user {{ tenant {{ {}name{} }} }} }} }}", "x { ".repeat(10), " }".repeat(10));
    let r = app.gql(Some(&token), &nested, json!({})).await;
    assert_eq!(error_code(&r), Some("BAD_USER_INPUT"), "{r}");
    assert!(error_message(&r).to_lowercase().contains("deep"), "{r}");
}

#[tokio::test]
async fn a_malformed_authorization_header_is_unauthenticated() {
    let app = spawn_app().await;
    let res = app
        .client
        .post(format!("{}/graphql", app.address))
        .header("Authorization", "Basic dXNlcjpwYXNz")
        .json(&json!({ "query": "{ me { user { id } } }" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 401);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(error_code(&body), Some("UNAUTHENTICATED"));
}
