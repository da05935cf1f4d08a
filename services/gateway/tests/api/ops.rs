use accord_gateway::testing::spawn_app;
use serde_json::json;

#[tokio::test]
async fn healthz_and_readyz_answer_and_readyz_names_its_dependencies() {
    let app = spawn_app().await;
    let h = app.client.get(format!("{}/healthz", app.address)).send().await.unwrap();
    assert_eq!(h.status().as_u16(), 200);
    let r = app.client.get(format!("{}/readyz", app.address)).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["database"], json!("ok"));
    let expected_redis = if app.state.store.is_redis() { "ok" } else { "not configured" };
    assert_eq!(body["redis"], json!(expected_redis));
}

#[tokio::test]
async fn metrics_count_graphql_operations_by_name_and_show_the_pool() {
    let app = spawn_app().await;
    // A name the server does not know is labelled by the operation's root field.
    app.gql(None, "query Probe { analyzeScopes(scopes: []) { valid } }", json!({})).await;
    app.gql(None, "query Probe { analyzeScopes(scopes: []) { valid } }", json!({})).await;
    let text = app.client.get(format!("{}/metrics", app.address)).send().await.unwrap().text().await.unwrap();
    assert!(text.contains("accord_graphql_operations_total{operation=\"analyzeScopes\",outcome=\"ok\"} 2"), "{text}");
    assert!(text.contains("accord_graphql_operation_duration_seconds_bucket{operation=\"analyzeScopes\""), "{text}");
    assert!(text.contains("accord_http_requests_total{method=\"POST\",route=\"/graphql\",status=\"200\"} 2"), "{text}");
    assert!(text.contains("accord_db_pool_connections{state=\"open\"}"), "{text}");
}

#[tokio::test]
async fn graphiql_loads_on_get() {
    let app = spawn_app().await;
    let res = app.client.get(format!("{}/graphql", app.address)).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains("graphiql") || html.contains("GraphiQL"), "{html}");
}

#[tokio::test]
async fn analyze_scopes_needs_no_authentication() {
    let app = spawn_app().await;
    let r = app
        .gql(
            None,
            "{ analyzeScopes(scopes: [\"patient/Observation.read\", \"patient/Observaton.rs\"]) { input valid normalized error risk } }",
            json!({}),
        )
        .await;
    let a = &r["data"]["analyzeScopes"];
    assert_eq!(a[0]["normalized"], json!("patient/Observation.rs"), "{r}");
    assert_eq!(a[0]["risk"], json!("LOW"));
    assert_eq!(a[1]["valid"], json!(false));
    assert!(a[1]["error"].as_str().unwrap().contains("did you mean Observation?"), "{r}");
}
