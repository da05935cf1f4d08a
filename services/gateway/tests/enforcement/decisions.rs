//! `POST /v1/decisions` and `POST /v1/usage` (SPEC §8).

use crate::world::world;
use accord_kernel::Clock as _;
use serde_json::{Value, json};

#[tokio::test]
async fn a_scope_decision_names_the_grant_what_is_allowed_and_why_the_rest_is_not() {
    let w = world().await;
    let (s, d) =
        w.decide(&w.holder_token, json!({ "clientId": w.client_id, "scopes": ["system/Observation.rs", "system/Patient.read"] })).await;
    assert_eq!(s, 200, "{d}");
    assert_eq!(d["allowed"], false, "Patient.read is rs; only .r is granted: {d}");
    assert_eq!(d["grantId"], w.grant_id.as_str());
    assert!(d["expiresAt"].is_string());
    assert_eq!(d["allowedScopes"], json!(["system/Observation.rs", "system/Patient.r"]));
    assert_eq!(d["denied"].as_array().unwrap().len(), 1);
    assert_eq!(d["denied"][0]["scope"], "system/Patient.rs");
    assert!(!d["denied"][0]["reason"].as_str().unwrap().is_empty());

    let (_, d) = w.decide(&w.holder_token, json!({ "clientId": w.client_id, "scopes": ["system/Observation.r"] })).await;
    assert_eq!(d["allowed"], true, "{d}");
    assert_eq!(d["denied"], json!([]));
}

#[tokio::test]
async fn a_resource_decision_maps_the_interaction_and_expiry_is_checked_against_the_clock() {
    let w = world().await;
    let ask = |interaction: &str, rt: &str| json!({ "clientId": w.client_id, "resourceType": rt, "interaction": interaction });
    assert_eq!(w.decide(&w.holder_token, ask("read", "Observation")).await.1["allowed"], true);
    assert_eq!(w.decide(&w.holder_token, ask("search", "Observation")).await.1["allowed"], true);
    assert_eq!(w.decide(&w.holder_token, ask("update", "Observation")).await.1["allowed"], false);
    let (_, d) = w
        .decide(&w.holder_token, json!({ "clientId": w.client_id, "resourceType": "Patient", "interaction": "read", "context": "patient" }))
        .await;
    assert_eq!(d["allowed"], false, "patient/ is not system/: {d}");
    w.app.clock.advance(chrono::Duration::days(31));
    let (_, d) = w.decide(&w.holder_token, ask("read", "Observation")).await;
    assert_eq!(d["allowed"], false, "{d}");
    assert!(d["denied"][0]["reason"].as_str().unwrap().contains("expired"), "{d}");
}

#[tokio::test]
async fn an_unknown_client_and_another_holders_client_are_denied_alike() {
    let w = world().await;
    let (_, unknown) = w.decide(&w.holder_token, json!({ "clientId": "acc_nobody", "scopes": ["system/Observation.r"] })).await;
    let (_, other_slug, _, other_api) = crate::world::holder(&w.app, "Other Clinic").await;
    let _ = other_slug;
    let (_, elsewhere) = w.decide(&other_api, json!({ "clientId": w.client_id, "scopes": ["system/Observation.r"] })).await;
    assert_eq!(unknown["allowed"], false);
    assert_eq!(unknown["denied"], elsewhere["denied"], "existence does not leak");
    assert_eq!(elsewhere["grantId"], Value::Null);
}

#[tokio::test]
async fn bad_decision_input_is_refused_naming_the_field_and_only_holders_may_ask() {
    let w = world().await;
    let bad = [
        (json!({ "clientId": w.client_id, "scopes": ["system/Observaton.rs"] }), "scopes[0]"),
        (json!({ "clientId": w.client_id }), "scopes"),
        (json!({ "clientId": w.client_id, "scopes": ["system/Patient.r"], "resourceType": "Patient" }), "scopes"),
        (json!({ "clientId": w.client_id, "resourceType": "Observaton", "interaction": "read" }), "resourceType"),
        (json!({ "clientId": w.client_id, "resourceType": "Observation", "interaction": "peek" }), "interaction"),
        (json!({ "clientId": "", "scopes": ["system/Patient.r"] }), "clientId"),
        (json!({ "clientId": w.client_id, "scopes": ["system/Patient.r"], "extra": 1 }), "extra"),
    ];
    for (body, field) in bad {
        let (s, b) = w.decide(&w.holder_token, body.clone()).await;
        assert_eq!(s, 400, "{body}: {b}");
        assert!(b["error_description"].as_str().unwrap().contains(field), "{body}: {b}");
    }
    let (s, _) = w.decide("acc_pat_not_a_token", json!({ "clientId": w.client_id, "scopes": ["system/Patient.r"] })).await;
    assert_eq!(s, 401);
    let r = w.gql(&w.vendor_admin, "mutation { createApiToken(name: \"v\", expiresInDays: 30) { token } }", json!({})).await;
    let (s, _) = w
        .decide(r["data"]["createApiToken"]["token"].as_str().unwrap(), json!({ "clientId": w.client_id, "scopes": ["system/Patient.r"] }))
        .await;
    assert_eq!(s, 403, "a vendor's token decides nothing");
}

async fn post_usage(w: &crate::world::World, body: &Value) -> (u16, Value) {
    let r = w.app.client.post(format!("{}/v1/usage", w.app.address)).bearer_auth(&w.holder_token).json(body).send().await.unwrap();
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn usage_is_accepted_in_batches_of_up_to_a_thousand_all_or_nothing() {
    let w = world().await;
    let at = w.app.clock.now().to_rfc3339();
    let record = json!({ "clientId": w.client_id, "resourceType": "Observation", "interaction": "search", "outcome": "allowed", "at": at });
    let before = w.app.count("usage_records WHERE source = 'reported'").await;
    let (s, b) = post_usage(&w, &json!(vec![record.clone(); 1000])).await;
    assert_eq!((s, b["accepted"].as_i64()), (202, Some(1000)), "{b}");
    assert_eq!(w.app.count("usage_records WHERE source = 'reported'").await, before + 1000);
    let grant_rows = w.app.count(&format!("usage_records WHERE source = 'reported' AND grant_id = '{}'", w.grant_id)).await;
    assert_eq!(grant_rows, 1000, "each record names the grant it used");

    let (s, b) = post_usage(&w, &json!(vec![record.clone(); 1001])).await;
    assert_eq!(s, 400, "{b}");
    assert!(b["error_description"].as_str().unwrap().contains("at most 1000"), "{b}");
    let mut bad = vec![record.clone(); 3];
    bad[2]["resourceType"] = "Observaton".into();
    let (s, b) = post_usage(&w, &json!({ "records": bad })).await;
    assert_eq!(s, 400);
    assert!(b["error_description"].as_str().unwrap().starts_with("records[2].resourceType"), "{b}");
    let mut bad = vec![record.clone()];
    bad[0]["at"] = "yesterday".into();
    let (s, b) = post_usage(&w, &json!(bad)).await;
    assert_eq!(s, 400);
    assert!(b["error_description"].as_str().unwrap().contains("records[0].at"), "{b}");
    assert_eq!(w.app.count("usage_records WHERE source = 'reported'").await, before + 1000, "refused batches changed nothing");
}

#[tokio::test]
async fn a_cached_api_token_stops_at_its_expiry_and_at_its_revocation() {
    let w = world().await;
    let r = w.gql(&w.holder_admin, "mutation { createApiToken(name: \"short\", expiresInDays: 1) { token } }", json!({})).await;
    let token = r["data"]["createApiToken"]["token"].as_str().unwrap_or_else(|| panic!("{r}")).to_owned();
    let ask = json!({ "clientId": w.client_id, "scopes": ["system/Observation.r"] });
    assert_eq!(w.decide(&token, ask.clone()).await.0, 200, "answered, and the principal cached");
    assert_eq!(w.decide(&w.holder_token, ask.clone()).await.0, 200);
    // Nothing changes in between: only the clock moves past the short token's expiry.
    w.app.clock.advance(chrono::Duration::days(1) + chrono::Duration::seconds(1));
    assert_eq!(w.decide(&token, ask.clone()).await.0, 401, "the cache never outlives the token");
    assert_eq!(w.decide(&w.holder_token, ask.clone()).await.0, 200, "the year-long token still works, from the cache");

    let r = w.gql(&w.holder_token, "query { apiTokens(first: 10) { edges { node { id name } } } }", json!({})).await;
    let edges = r["data"]["apiTokens"]["edges"].as_array().unwrap_or_else(|| panic!("{r}"));
    let gateway = edges.iter().find(|e| e["node"]["name"] == "fhir gateway").unwrap()["node"]["id"].clone();
    let r = w.gql(&w.holder_token, "mutation($id: ID!) { revokeApiToken(id: $id) { id } }", json!({ "id": gateway })).await;
    assert!(r["data"]["revokeApiToken"].is_object(), "{r}");
    assert_eq!(w.decide(&w.holder_token, ask).await.0, 401, "revoked: refused on the very next call");
}
