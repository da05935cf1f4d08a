//! Introspection (RFC 7662 + SMART) as Inferno's token-introspection group checks it, and
//! `{"active": false}` — nothing else — the moment a token stops being live; revocation (RFC
//! 7009).

use crate::world::{World, holder, world};
use accord_kernel::Clock as _;
use serde_json::{Value, json};

fn only_inactive(b: &Value) {
    assert_eq!(b, &json!({ "active": false }), "an inactive answer carries nothing else");
}

#[tokio::test]
async fn inferno_token_introspection_an_active_token_shows_its_smart_fields_and_an_invalid_one_is_inactive() {
    let w = world().await;
    let (s, t) = w.token_with(&w.assertion(), "system/Observation.rs system/Patient.r").await;
    assert_eq!(s, 200);
    let b = w.introspect(t["access_token"].as_str().unwrap()).await;
    assert_eq!(b["active"], true, "{b}");
    assert_eq!(b["client_id"], w.client_id.as_str());
    let mut got: Vec<&str> = b["scope"].as_str().unwrap().split(' ').collect();
    let mut want: Vec<&str> = t["scope"].as_str().unwrap().split(' ').collect();
    got.sort_unstable();
    want.sort_unstable();
    assert_eq!(got, want, "the same scopes as the token response");
    assert!(b["exp"].as_i64().unwrap() >= w.app.clock.now().timestamp() - 600);
    assert_eq!(b["sub"], w.client_id.as_str());
    assert_eq!(b["iss"], format!("{}/t/{}", w.app.settings.public_url, w.slug));
    only_inactive(&w.introspect("invalid_token_value").await);
}

#[tokio::test]
async fn introspection_needs_the_holders_own_api_token() {
    let w = world().await;
    let token = w.access_token("system/Observation.rs").await;
    let r = w.app.client.post(format!("{}/oauth/introspect", w.base())).form(&[("token", token.as_str())]).send().await.unwrap();
    assert_eq!(r.status(), 401);
    // Another holder's API token at this holder's endpoint.
    let (_, _, _, other_token) = holder(&w.app, "Other Clinic").await;
    assert_eq!(w.introspect_as(&other_token, &token).await.0, 403);
    // A vendor's token.
    let r = w.gql(&w.vendor_admin, "mutation { createApiToken(name: \"v\", expiresInDays: 30) { token } }", json!({})).await;
    let vendor_token = r["data"]["createApiToken"]["token"].as_str().unwrap();
    assert_eq!(w.introspect_as(vendor_token, &token).await.0, 403);
}

#[tokio::test]
async fn another_holders_token_is_inactive_here() {
    let w = world().await;
    let (_, other_slug, _, other_api) = holder(&w.app, "Other Clinic").await;
    // This holder's token, introspected by the other holder at its own endpoint.
    let token = w.access_token("system/Observation.rs").await;
    let r = w
        .app
        .client
        .post(format!("{}/t/{other_slug}/oauth/introspect", w.app.address))
        .bearer_auth(&other_api)
        .form(&[("token", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    only_inactive(&r.json().await.unwrap());
}

async fn change(w: &World, who: &str, mutation: &str, field: &str, id: &str) {
    let r = w.gql(who, mutation, json!({ "id": id })).await;
    assert!(r["data"][field].is_object(), "{r}");
}

#[tokio::test]
async fn a_token_is_inactive_the_moment_its_grant_is_suspended_revoked_or_expired_or_its_app_offboarded() {
    let w = world().await;
    let token = w.access_token("system/Observation.rs").await;
    assert_eq!(w.introspect(&token).await["active"], true);
    change(&w, &w.approver1, "mutation($id: ID!) { suspendGrant(id: $id, reason: \"check\") { id } }", "suspendGrant", &w.grant_id).await;
    only_inactive(&w.introspect(&token).await);
    change(&w, &w.approver1, "mutation($id: ID!) { resumeGrant(id: $id) { id } }", "resumeGrant", &w.grant_id).await;
    assert_eq!(w.introspect(&token).await["active"], true, "active again while its grant is");
    change(&w, &w.vendor_admin, "mutation($id: ID!) { suspendApp(id: $id, reason: \"incident\") { id } }", "suspendApp", &w.app_id).await;
    only_inactive(&w.introspect(&token).await);
    change(&w, &w.vendor_admin, "mutation($id: ID!) { resumeApp(id: $id) { id } }", "resumeApp", &w.app_id).await;
    assert_eq!(w.introspect(&token).await["active"], true);

    // Expiry needs no sweep: the clock passes the token's exp.
    w.app.clock.advance(chrono::Duration::seconds(301));
    only_inactive(&w.introspect(&token).await);

    let token = w.access_token("system/Observation.rs").await;
    change(&w, &w.approver1, "mutation($id: ID!) { revokeGrant(id: $id, reason: \"done\") { id } }", "revokeGrant", &w.grant_id).await;
    only_inactive(&w.introspect(&token).await);
}

#[tokio::test]
async fn offboarding_makes_every_token_of_the_app_inactive() {
    let w = world().await;
    let token = w.access_token("system/Patient.r").await;
    change(&w, &w.vendor_admin, "mutation($id: ID!) { offboardApp(id: $id, reason: \"retired\") { id } }", "offboardApp", &w.app_id).await;
    only_inactive(&w.introspect(&token).await);
}

#[tokio::test]
async fn a_token_revoked_by_the_holder_or_by_its_client_is_inactive_and_revocation_is_audited() {
    let w = world().await;
    let token = w.access_token("system/Observation.rs").await;
    let r = w
        .app
        .client
        .post(format!("{}/oauth/revoke", w.base()))
        .bearer_auth(&w.holder_token)
        .form(&[("token", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.headers()["cache-control"].to_str().unwrap().contains("no-store"));
    only_inactive(&w.introspect(&token).await);
    assert_eq!(w.authz(Some(&token), "GET", "/fhir/Observation/1").await.0, 401);

    // The client revokes its own token, authenticating with an assertion.
    let token = w.access_token("system/Observation.rs").await;
    let r = w
        .app
        .client
        .post(format!("{}/oauth/revoke", w.base()))
        .form(&[
            ("token", token.as_str()),
            ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
            ("client_assertion", &w.assertion()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    only_inactive(&w.introspect(&token).await);

    // A token that is not one is not an error (RFC 7009 §2.2); no credentials is.
    let r = w
        .app
        .client
        .post(format!("{}/oauth/revoke", w.base()))
        .bearer_auth(&w.holder_token)
        .form(&[("token", "junk")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = w.app.client.post(format!("{}/oauth/revoke", w.base())).form(&[("token", "junk")]).send().await.unwrap();
    assert_eq!(r.status(), 401);

    let jti = jsonwebtoken::dangerous::insecure_decode_claims::<Value>(&token).unwrap()["jti"].as_str().unwrap().to_owned();
    let events = accord_db::audit::for_target(w.app.db().reader(), &jti).await.unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].action, "token.revoked");
    assert_eq!(events[0].actor, format!("app:{}", w.client_id));
}
