//! Tenant isolation: endpoints hear only of their own tenant; every id-taking webhook operation
//! answers NOT_FOUND across tenants; bad input names the field and writes nothing.

use crate::*;

#[tokio::test]
async fn an_unrelated_vendors_endpoint_subscribed_to_everything_receives_nothing_of_another_tenant() {
    let h = hooked().await;
    let (w, app) = (&h.w, &h.w.app);
    let (stranger, _) = app.sign_up("Unrelated Vendor", "DEVELOPER", &app.email("stranger")).await;
    let (stranger_ep, _) = endpoint(app, &stranger, &h.receiver.url("/stranger"), &ALL_TYPES).await;
    endpoint(app, &w.vendor_admin, &h.receiver.url("/vendor"), &ALL_TYPES).await;
    // A whole story: request, approval, suspension, revocation, offboarding, partnership end.
    let g = w.grant(&w.app_id, &["patient/Observation.rs"], 30).await;
    w.gql(&w.approver1, "mutation($id: ID!) { suspendGrant(id: $id, reason: \"check\") { id } }", json!({ "id": g })).await;
    w.gql(&w.approver1, "mutation($id: ID!) { revokeGrant(id: $id, reason: \"done\") { id } }", json!({ "id": g })).await;
    w.gql(&w.vendor_admin, "mutation($id: ID!) { offboardApp(id: $id, reason: \"sunset\") { id } }", json!({ "id": w.app_id })).await;
    w.gql(&w.holder_admin, "mutation($p: ID!) { endPartnership(partnerId: $p, reason: \"over\") { id } }", json!({ "p": w.vendor_id }))
        .await;
    relay(app).await;

    let got = h.receiver.requests();
    assert_eq!(
        got.iter().filter(|r| r.path == "/vendor").count(),
        7,
        "the vendor heard its story: created, approved, granted, suspended, revoked, offboarded, ended"
    );
    assert!(got.iter().all(|r| r.path != "/stranger"), "the stranger heard nothing");
    assert!(deliveries(app, &stranger, Some(&stranger_ep)).await.is_empty());
}

#[tokio::test]
async fn every_id_taking_webhook_operation_answers_not_found_across_tenants_and_forbidden_to_non_admins() {
    let h = hooked().await;
    let (w, app) = (&h.w, &h.w.app);
    let (ep, _) = endpoint(app, &w.vendor_admin, &h.receiver.url("/mine"), &["app.registered"]).await;
    crate::world::register_app(app, &w.dev, "Mine").await;
    relay(app).await;
    let delivery = deliveries(app, &w.vendor_admin, None).await[0]["id"].as_str().unwrap().to_owned();
    let input = json!({ "url": h.receiver.url("/taken"), "eventTypes": ["app.registered"] });
    let ops: [(&str, Value); 6] = [
        (
            "mutation($id: ID!, $i: WebhookEndpointInput!) { updateWebhookEndpoint(id: $id, input: $i) { id } }",
            json!({ "id": ep, "i": input }),
        ),
        ("mutation($id: ID!) { rotateWebhookSecret(id: $id) { secret } }", json!({ "id": ep })),
        ("mutation($id: ID!) { deleteWebhookEndpoint(id: $id) }", json!({ "id": ep })),
        ("mutation($id: ID!) { replayDelivery(id: $id) { id } }", json!({ "id": delivery })),
        ("mutation($id: ID!) { sendTestWebhook(endpointId: $id) { id } }", json!({ "id": ep })),
        ("query($id: ID!) { deliveries(endpointId: $id) { totalCount } }", json!({ "id": ep })),
    ];
    // The holder's ADMIN is an ADMIN, just not of this endpoint's tenant.
    for (q, vars) in &ops {
        let r = app.gql(Some(&w.holder_admin), q, vars.clone()).await;
        assert_eq!(error_code(&r), Some("NOT_FOUND"), "{q}: {r}");
    }
    // A developer of the right tenant is told what role it takes.
    for (q, vars) in &ops[..5] {
        let r = app.gql(Some(&w.dev), q, vars.clone()).await;
        assert_eq!(error_code(&r), Some("FORBIDDEN"), "{q}: {r}");
    }
    // One endpoint by id: the owner's admin sees it, another tenant's admin sees none, a
    // developer is told the role it takes.
    let one = "query($id: ID!) { webhookEndpoint(id: $id) { url } }";
    let r = app.gql(Some(&w.vendor_admin), one, json!({ "id": ep })).await;
    assert_eq!(r["data"]["webhookEndpoint"]["url"], json!(h.receiver.url("/mine")), "{r}");
    let r = app.gql(Some(&w.holder_admin), one, json!({ "id": ep })).await;
    assert_eq!((error_code(&r), &r["data"]["webhookEndpoint"]), (None, &Value::Null), "{r}");
    let r = app.gql(Some(&w.dev), one, json!({ "id": ep })).await;
    assert_eq!(error_code(&r), Some("FORBIDDEN"), "{r}");
    let r = app.gql(Some(&w.holder_admin), "{ webhookEndpoints { totalCount } deliveries { totalCount } }", json!({})).await;
    assert_eq!((r["data"]["webhookEndpoints"]["totalCount"].as_i64(), r["data"]["deliveries"]["totalCount"].as_i64()), (Some(0), Some(0)));
    // Nothing changed: one request received, the endpoint as it was.
    assert_eq!(h.receiver.requests().len(), 1);
    let r = app.gql(Some(&w.vendor_admin), "{ webhookEndpoints { edges { node { url enabled } } } }", json!({})).await;
    assert_eq!(r["data"]["webhookEndpoints"]["edges"][0]["node"], json!({ "url": h.receiver.url("/mine"), "enabled": true }));
}

#[tokio::test]
async fn bad_endpoint_input_names_the_field_and_writes_nothing() {
    let h = hooked().await;
    let (w, app) = (&h.w, &h.w.app);
    let good = h.receiver.url("/x");
    for (input, field) in [
        (json!({ "url": "not a url", "eventTypes": ["grant.revoked"] }), "url:"),
        (json!({ "url": "ftp://example.org/x", "eventTypes": ["grant.revoked"] }), "url:"),
        (json!({ "url": format!("{good}#frag"), "eventTypes": ["grant.revoked"] }), "url:"),
        (json!({ "url": good, "eventTypes": [] }), "eventTypes:"),
        (json!({ "url": good, "eventTypes": ["grant.made"] }), "eventTypes:"),
        (json!({ "url": good, "eventTypes": ["grant.revoked"], "description": "x".repeat(501) }), "description"),
    ] {
        let r = app.gql(Some(&w.vendor_admin), CREATE, json!({ "i": input })).await;
        assert_eq!(error_code(&r), Some("BAD_USER_INPUT"), "{r}");
        assert!(accord_gateway::testing::error_message(&r).starts_with(field), "{field}: {r}");
    }
    assert_eq!(app.count("webhook_endpoints").await, 0);
}
