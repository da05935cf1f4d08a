use accord_gateway::testing::spawn_app;
use accord_kernel::Clock;
use serde_json::json;
use std::collections::BTreeSet;

#[tokio::test]
async fn demo_seeds_every_state_once_and_prints_the_logins() {
    let app = spawn_app().await;
    let first = accord_gateway::demo::run(&app.state).await.unwrap();
    assert!(first.starts_with("Seeded the demo world"), "{first}");
    assert!(first.contains("dr.ng@stmarys.demo") && first.contains(accord_gateway::demo::PASSWORD));
    let counts = (app.count("tenants").await, app.count("apps").await, app.count("access_requests").await, app.count("grants").await);
    let second = accord_gateway::demo::run(&app.state).await.unwrap();
    assert!(second.starts_with("Demo data is already present"), "{second}");
    assert_eq!(
        counts,
        (app.count("tenants").await, app.count("apps").await, app.count("access_requests").await, app.count("grants").await)
    );

    let login = app
        .gql(
            None,
            "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }",
            json!({ "e": "dr.ng@stmarys.demo", "p": accord_gateway::demo::PASSWORD }),
        )
        .await;
    let token = login["data"]["login"]["token"].as_str().unwrap().to_owned();
    let r = app
        .gql(
            Some(&token),
            "{ accessRequests(first: 100) { edges { node { status } } } grants(first: 100) { edges { node { status expiresAt app { kind status } } } } }",
            json!({}),
        )
        .await;
    let statuses: BTreeSet<String> =
        r["data"]["accessRequests"]["edges"].as_array().unwrap().iter().map(|e| e["node"]["status"].as_str().unwrap().to_owned()).collect();
    assert!(statuses.is_superset(&["APPROVED", "PENDING", "CANCELLED"].map(String::from).into()), "{statuses:?}");
    let grant_statuses: BTreeSet<&str> =
        r["data"]["grants"]["edges"].as_array().unwrap().iter().map(|e| e["node"]["status"].as_str().unwrap()).collect();
    assert!(grant_statuses.contains("ACTIVE") && grant_statuses.contains("REVOKED"), "{grant_statuses:?}");
    let week = app.clock.now() + chrono::Duration::days(7);
    let expiring_soon = r["data"]["grants"]["edges"].as_array().unwrap().iter().any(|e| {
        e["node"]["status"] == json!("ACTIVE")
            && e["node"]["expiresAt"].as_str().unwrap().parse::<chrono::DateTime<chrono::Utc>>().unwrap() < week
    });
    assert!(expiring_soon, "a grant expires within a week: {r}");

    // The payer sees the denied, withdrawn and offboarded cases.
    let login = app
        .gql(
            None,
            "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }",
            json!({ "e": "admin@bluevalley.demo", "p": accord_gateway::demo::PASSWORD }),
        )
        .await;
    let payer = login["data"]["login"]["token"].as_str().unwrap().to_owned();
    let r = app
        .gql(
            Some(&payer),
            "{ accessRequests(first: 100) { edges { node { status } } } apps(first: 100) { edges { node { kind status } } } }",
            json!({}),
        )
        .await;
    let statuses: BTreeSet<&str> =
        r["data"]["accessRequests"]["edges"].as_array().unwrap().iter().map(|e| e["node"]["status"].as_str().unwrap()).collect();
    assert!(["DENIED", "WITHDRAWN", "APPROVED", "PENDING"].iter().all(|s| statuses.contains(s)), "{statuses:?}");
    let apps = r["data"]["apps"]["edges"].as_array().unwrap();
    assert!(apps.iter().any(|a| a["node"]["status"] == json!("OFFBOARDED")), "{r}");
    let kinds: BTreeSet<&str> = apps.iter().map(|a| a["node"]["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds.len(), 3, "apps of every kind: {kinds:?}");
}
