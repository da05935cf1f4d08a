//! Endpoints governed like access: owners, audit, disabling when the owner leaves or the
//! receiver has failed for five days.

use crate::*;
use accord_testkit::webhook_receiver::Reply;
use chrono::Duration;

#[tokio::test]
async fn an_endpoint_whose_owner_is_deactivated_is_disabled_receives_nothing_and_the_admins_are_told() {
    let h = hooked().await;
    let (w, app) = (&h.w, &h.w.app);
    let second_admin = crate::world::invite(app, &w.vendor_admin, "ADMIN").await;
    let owner_id = me(app, &second_admin).await;
    let (ep, _) = endpoint(app, &second_admin, &h.receiver.url("/owned"), &["app.registered"]).await;
    let r = app.gql(Some(&w.vendor_admin), "mutation($id: ID!) { deactivateUser(userId: $id) { id } }", json!({ "id": owner_id })).await;
    assert_eq!(error_code(&r), None, "{r}");
    crate::world::register_app(app, &w.dev, "After The Owner Left").await;

    let report = relay(app).await;
    assert_eq!(report.endpoints_disabled, 1);
    assert!(h.receiver.requests().is_empty(), "an endpoint nobody answers for receives nothing");
    let r = app.gql(Some(&w.vendor_admin), "{ webhookEndpoints { edges { node { id enabled disabledReason } } } }", json!({})).await;
    let e = &r["data"]["webhookEndpoints"]["edges"][0]["node"];
    assert_eq!(e["enabled"], false);
    assert!(e["disabledReason"].as_str().unwrap().contains("owner"), "{e}");
    let audit = accord_db::audit::for_target(app.db(), &ep).await.unwrap();
    let actions: Vec<&str> = audit.iter().map(|a| a.action.as_str()).collect();
    assert_eq!(actions, ["webhook_endpoint.created", "webhook_endpoint.disabled"]);
    let mails = h.sink.wait_for(1, std::time::Duration::from_secs(5)).await;
    assert!(mails.iter().any(|m| m.subject().as_deref() == Some("[Accord] Webhook endpoint disabled")), "the remaining admin is told");

    // An admin who re-enables it answers for it from then on, and it receives again.
    let r = app
        .gql(
            Some(&w.vendor_admin),
            "mutation($id: ID!, $i: WebhookEndpointInput!) { updateWebhookEndpoint(id: $id, input: $i) { enabled ownerUserId disabledReason } }",
            json!({ "id": ep, "i": { "url": h.receiver.url("/owned"), "eventTypes": ["app.registered"], "enabled": true } }),
        )
        .await;
    assert_eq!(r["data"]["updateWebhookEndpoint"]["ownerUserId"], json!(me(app, &w.vendor_admin).await), "{r}");
    crate::world::register_app(app, &w.dev, "Back Again").await;
    relay(app).await;
    assert_eq!(h.receiver.requests().len(), 1);
}

#[tokio::test]
async fn an_endpoint_failing_for_five_days_is_disabled_and_its_admins_are_emailed() {
    let h = hooked().await;
    let (w, app) = (&h.w, &h.w.app);
    let dev = w.long_lived(&w.dev).await;
    let admin = w.long_lived(&w.vendor_admin).await;
    let (ep, _) = endpoint(app, &admin, &h.receiver.url("/broken"), &["app.registered"]).await;
    h.receiver.set_default(Reply::Status(500));
    for day in 0..6 {
        crate::world::register_app(app, &dev, &format!("Day {day}")).await;
        relay(app).await;
        let enabled = app.gql(Some(&admin), "{ webhookEndpoints { edges { node { enabled failingSince } } } }", json!({})).await;
        let node = &enabled["data"]["webhookEndpoints"]["edges"][0]["node"];
        assert!(node["failingSince"].is_string());
        assert_eq!(node["enabled"], day < 5, "day {day}: {node}");
        app.clock.advance(Duration::days(1));
    }
    let audit = accord_db::audit::for_target(app.db(), &ep).await.unwrap();
    let disabled = audit.iter().find(|a| a.action == "webhook_endpoint.disabled").unwrap();
    assert_eq!(disabled.details["reason"], "every delivery failed for 5 days");
    let mails = h.sink.wait_for(1, std::time::Duration::from_secs(5)).await;
    let notice = mails.iter().find(|m| m.subject().as_deref() == Some("[Accord] Webhook endpoint disabled")).unwrap();
    assert!(notice.data.contains("every delivery failed for 5 days"));
}

#[tokio::test]
async fn one_success_ends_the_failure_streak() {
    let h = hooked().await;
    let (w, app) = (&h.w, &h.w.app);
    let dev = w.long_lived(&w.dev).await;
    let admin = w.long_lived(&w.vendor_admin).await;
    endpoint(app, &admin, &h.receiver.url("/flaky"), &["app.registered"]).await;
    h.receiver.set_default(Reply::Status(500));
    crate::world::register_app(app, &dev, "Flaky One").await;
    relay(app).await;
    app.clock.advance(Duration::days(4));
    h.receiver.set_default(Reply::Status(200));
    crate::world::register_app(app, &dev, "Flaky Two").await;
    relay(app).await;
    let r = app.gql(Some(&admin), "{ webhookEndpoints { edges { node { enabled failingSince } } } }", json!({})).await;
    assert_eq!(r["data"]["webhookEndpoints"]["edges"][0]["node"], json!({ "enabled": true, "failingSince": null }));
}

#[tokio::test]
async fn every_change_to_an_endpoint_is_audited_and_the_secret_is_nowhere_in_the_database() {
    let h = hooked().await;
    let (w, app) = (&h.w, &h.w.app);
    let (ep, secret) = endpoint(app, &w.vendor_admin, &h.receiver.url("/a"), &["app.registered"]).await;
    let update = "mutation($id: ID!, $i: WebhookEndpointInput!) { updateWebhookEndpoint(id: $id, input: $i) { url } }";
    app.gql(Some(&w.vendor_admin), update, json!({ "id": ep, "i": { "url": h.receiver.url("/b"), "eventTypes": ["grant.revoked"] } }))
        .await;
    let rotated =
        app.gql(Some(&w.vendor_admin), "mutation($id: ID!) { rotateWebhookSecret(id: $id) { secret } }", json!({ "id": ep })).await;
    let second = rotated["data"]["rotateWebhookSecret"]["secret"].as_str().unwrap().to_owned();
    app.gql(Some(&w.vendor_admin), "mutation($id: ID!) { sendTestWebhook(endpointId: $id) { id } }", json!({ "id": ep })).await;
    let r = app.gql(Some(&w.vendor_admin), "mutation($id: ID!) { deleteWebhookEndpoint(id: $id) }", json!({ "id": ep })).await;
    assert_eq!(r["data"]["deleteWebhookEndpoint"], true);
    let actions: Vec<String> = accord_db::audit::for_target(app.db(), &ep).await.unwrap().into_iter().map(|a| a.action).collect();
    assert_eq!(
        actions,
        [
            "webhook_endpoint.created",
            "webhook_endpoint.updated",
            "webhook_endpoint.secret_rotated",
            "webhook_endpoint.test_sent",
            "webhook_endpoint.deleted"
        ]
    );
    let r = app.gql(Some(&w.vendor_admin), "{ webhookEndpoints { totalCount } }", json!({})).await;
    assert_eq!(r["data"]["webhookEndpoints"]["totalCount"], 0);
    // Sealed at rest: neither secret appears in any text column of the endpoint table.
    for s in [&secret, &second, &secret["whsec_".len()..].to_owned()] {
        assert_eq!(count_where(app, &format!("SELECT COUNT(*) AS n FROM webhook_endpoints WHERE secret_sealed LIKE '%{s}%' OR COALESCE(previous_secret_sealed, '') LIKE '%{s}%'")).await, 0);
    }
    assert_eq!(accord_db::audit::verify(app.db()).await.unwrap().problem, None);
}

async fn count_where(app: &accord_gateway::testing::TestApp, sql: &str) -> i64 {
    use sea_orm::ConnectionTrait;
    let backend = app.db().get_database_backend();
    let row = app.db().query_one_raw(sea_orm::Statement::from_string(backend, sql.to_owned())).await.unwrap().unwrap();
    row.try_get::<i64>("", "n").unwrap()
}
