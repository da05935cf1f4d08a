//! `GET /authz` (NGINX `auth_request`): the FHIR request is mapped to its interaction and
//! resource type and checked against the token's scopes and the live grant.

use crate::world::world;
use serde_json::json;

#[tokio::test]
async fn a_granted_read_passes_with_the_client_and_grant_named_and_everything_else_is_refused() {
    let w = world().await;
    let token = w.access_token("system/Observation.rs system/Patient.r").await;
    let t = Some(token.as_str());
    let (s, client, grant) = w.authz(t, "GET", "/fhir/r4/Observation/123").await;
    assert_eq!((s, client.as_str(), grant.as_str()), (200, w.client_id.as_str(), w.grant_id.as_str()));
    assert_eq!(w.authz(t, "GET", "/fhir/r4/Observation?code=1234-5&_count=10").await.0, 200, "search");
    assert_eq!(w.authz(t, "POST", "/fhir/r4/Observation/_search").await.0, 200, "search by POST");
    assert_eq!(w.authz(t, "GET", "/fhir/r4/Observation/1/_history/2").await.0, 200, "vread");
    assert_eq!(w.authz(t, "GET", "/fhir/r4/Patient/9/Observation").await.0, 200, "compartment search");
    assert_eq!(w.authz(t, "GET", "/fhir/r4/Patient/9").await.0, 200, "read");

    assert_eq!(w.authz(t, "GET", "/fhir/r4/Patient?name=x").await.0, 403, "Patient search is not granted (only .r)");
    assert_eq!(w.authz(t, "POST", "/fhir/r4/Observation").await.0, 403, "create");
    assert_eq!(w.authz(t, "PUT", "/fhir/r4/Observation/1").await.0, 403, "update");
    assert_eq!(w.authz(t, "DELETE", "/fhir/r4/Observation/1").await.0, 403, "delete");
    assert_eq!(w.authz(t, "GET", "/fhir/r4/Encounter/1").await.0, 403, "another type");
    assert_eq!(w.authz(t, "GET", "/fhir/r4/Patient/9/$everything").await.0, 403, "an operation");
    assert_eq!(w.authz(t, "GET", "/fhir/r4/metadata").await.0, 403, "no resource type");

    assert_eq!(w.authz(None, "GET", "/fhir/r4/Observation/1").await.0, 401, "no token");
    assert_eq!(w.authz(Some("garbage"), "GET", "/fhir/r4/Observation/1").await.0, 401, "not a token");
    w.app.clock.advance(chrono::Duration::seconds(301));
    assert_eq!(w.authz(t, "GET", "/fhir/r4/Observation/1").await.0, 401, "expired token");
}

#[tokio::test]
async fn the_token_scope_limits_authz_even_where_the_grant_is_wider() {
    let w = world().await;
    let narrow = w.access_token("system/Patient.r").await;
    assert_eq!(w.authz(Some(&narrow), "GET", "/Patient/1").await.0, 200);
    assert_eq!(w.authz(Some(&narrow), "GET", "/Observation/1").await.0, 403, "granted, but not in this token");
}

#[tokio::test]
async fn a_revoked_grant_stops_authz_at_once_with_the_token_still_unexpired() {
    let w = world().await;
    let token = w.access_token("system/Observation.rs").await;
    assert_eq!(w.authz(Some(&token), "GET", "/Observation/1").await.0, 200);
    let r = w
        .gql(&w.approver1, "mutation($id: ID!) { revokeGrant(id: $id, reason: \"breach\") { status } }", json!({ "id": w.grant_id }))
        .await;
    assert_eq!(r["data"]["revokeGrant"]["status"], "REVOKED", "{r}");
    assert_eq!(w.authz(Some(&token), "GET", "/Observation/1").await.0, 403);
}

#[tokio::test]
async fn a_query_restricted_grant_allows_only_searches_that_carry_its_parameters() {
    let w = world().await;
    let (other_app, other_client) =
        crate::world::backend_app(&w.app, &w.vendor_admin, "Lab Robot", Some(json!({ "keys": [w.es.jwk.clone()] })), None).await;
    w.grant(&other_app, &["system/Observation.rs?category=laboratory"]).await;
    let mut claims = w.claims(&other_client);
    claims["iss"] = other_client.clone().into();
    let (s, b) = w.token_with(&crate::world::sign_es(&w.es, "es", &claims), "system/Observation.rs?category=laboratory").await;
    assert_eq!(s, 200, "{b}");
    let token = b["access_token"].as_str().unwrap();
    assert_eq!(w.authz(Some(token), "GET", "/fhir/Observation?category=laboratory&code=x").await.0, 200);
    assert_eq!(w.authz(Some(token), "GET", "/fhir/Observation?category=vital-signs").await.0, 403);
    assert_eq!(w.authz(Some(token), "GET", "/fhir/Observation/1").await.0, 403, "a read cannot show its category");
}

#[tokio::test]
async fn envoy_style_checks_carry_the_original_method_and_path_after_the_prefix() {
    let w = world().await;
    let token = w.access_token("system/Observation.rs").await;
    let check = |method: reqwest::Method, path: &str| {
        let req = w.app.client.request(method, format!("{}/authz{path}", w.base())).bearer_auth(&token);
        async move { req.send().await.unwrap().status().as_u16() }
    };
    assert_eq!(check(reqwest::Method::GET, "/fhir/Observation/1").await, 200);
    assert_eq!(check(reqwest::Method::GET, "/fhir/Observation?category=laboratory").await, 200);
    assert_eq!(check(reqwest::Method::POST, "/fhir/Observation").await, 403);
    assert_eq!(check(reqwest::Method::DELETE, "/fhir/Observation/1").await, 403);
}
