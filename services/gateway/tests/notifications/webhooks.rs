//! Delivery: signatures, retries, Retry-After, 410, redirects, timeouts, replay, rotation.

use crate::*;
use accord_testkit::webhook_receiver::Reply;
use chrono::Duration;
use std::collections::HashSet;

#[tokio::test]
async fn every_delivery_is_signed_the_standard_webhooks_way_and_the_webhook_id_is_the_event_id() {
    let h = hooked().await;
    let (w, app) = (&h.w, &h.w.app);
    let (vendor_ep, vendor_secret) = endpoint(app, &w.vendor_admin, &h.receiver.url("/vendor"), &ALL_TYPES).await;
    let (_, holder_secret) = endpoint(app, &w.holder_admin, &h.receiver.url("/holder"), &ALL_TYPES).await;
    let grant = w.grant(&w.app_id, &["patient/Observation.rs"], 30).await;

    let report = relay(app).await;
    assert!(report.events >= 3, "{report}");
    let got = h.receiver.requests();
    let vendor: Vec<_> = got.iter().filter(|r| r.path == "/vendor").collect();
    let holder: Vec<_> = got.iter().filter(|r| r.path == "/holder").collect();
    let types = |rs: &[&accord_testkit::webhook_receiver::ReceivedRequest], secret: &str| -> Vec<String> {
        rs.iter().map(|r| verified(secret, r)["type"].as_str().unwrap().to_owned()).collect()
    };
    let vt = types(&vendor, &vendor_secret);
    let ht = types(&holder, &holder_secret);
    for t in ["access_request.created", "access_request.approved", "grant.created"] {
        assert!(vt.contains(&t.to_owned()) && ht.contains(&t.to_owned()), "{t}: vendor {vt:?} holder {ht:?}");
    }
    assert!(!ht.iter().any(|t| t.starts_with("app.")), "a holder hears of requests and grants, not of the vendor's apps: {ht:?}");
    // Each secret verifies only its own endpoint's deliveries.
    assert!(!verifies(&holder_secret, vendor[0]));

    let ds = deliveries(app, &w.vendor_admin, Some(&vendor_ep)).await;
    assert_eq!(ds.len(), vendor.len());
    let sent_ids: HashSet<&str> = vendor.iter().map(|r| r.header("webhook-id").unwrap()).collect();
    for d in &ds {
        assert_eq!(d["status"], "DELIVERED", "{d}");
        assert_eq!(d["attempts"], 1);
        assert_eq!(d["lastStatusCode"], 200);
        assert!(sent_ids.contains(d["eventId"].as_str().unwrap()), "webhook-id is the event id");
    }
    let grant_event = vendor.iter().map(|r| verified(&vendor_secret, r)).find(|p| p["type"] == "grant.created").unwrap();
    assert_eq!(grant_event["data"]["grant"]["id"], json!(grant));
    assert!(vendor.iter().all(|r| r.header("content-type") == Some("application/json") && r.method == "POST"));
    // Nothing is sent twice.
    assert_eq!(relay(app).await.attempts, 0);
    assert_eq!(h.receiver.requests().len(), got.len());
}

#[tokio::test]
async fn a_500_then_a_200_is_retried_on_schedule_with_the_same_webhook_id() {
    let h = hooked().await;
    let (w, app) = (&h.w, &h.w.app);
    let (ep, secret) = endpoint(app, &w.vendor_admin, &h.receiver.url("/hook"), &["app.registered"]).await;
    h.receiver.script([Reply::Status(500)]);
    crate::world::register_app(app, &w.dev, "Retry Me").await;

    relay(app).await;
    let d = &deliveries(app, &w.vendor_admin, Some(&ep)).await[0];
    assert_eq!((d["status"].as_str(), d["attempts"].as_i64(), d["lastStatusCode"].as_i64()), (Some("PENDING"), Some(1), Some(500)));
    let next = chrono::DateTime::parse_from_rfc3339(d["nextAttemptAt"].as_str().unwrap()).unwrap();
    let wait = next.with_timezone(&chrono::Utc) - app.clock.now();
    assert!(wait >= Duration::milliseconds(4500) && wait <= Duration::milliseconds(5500), "5 s with jitter, was {wait}");
    // Not due yet: nothing happens.
    assert_eq!(relay(app).await.attempts, 0);

    app.clock.advance(Duration::seconds(6));
    let report = relay(app).await;
    assert_eq!((report.attempts, report.delivered), (1, 1));
    let reqs = h.receiver.requests();
    assert_eq!(reqs.len(), 2);
    assert_eq!(reqs[0].header("webhook-id"), reqs[1].header("webhook-id"));
    assert_eq!(reqs[0].body, reqs[1].body, "the same payload, byte for byte");
    verified(&secret, &reqs[1]);
    let d = &deliveries(app, &w.vendor_admin, Some(&ep)).await[0];
    assert_eq!((d["status"].as_str(), d["attempts"].as_i64()), (Some("DELIVERED"), Some(2)));
}

#[tokio::test]
async fn a_receiver_that_does_not_answer_in_time_fails_the_attempt_without_holding_up_the_others() {
    let h = hooked().await;
    let (w, app) = (&h.w, &h.w.app);
    let fast = WebhookReceiver::start().await.unwrap();
    let (slow_ep, _) = endpoint(app, &w.vendor_admin, &h.receiver.url("/slow"), &["app.registered"]).await;
    let (fast_ep, _) = endpoint(app, &w.vendor_admin, &fast.url("/fast"), &["app.registered"]).await;
    h.receiver.set_default(Reply::Delay(std::time::Duration::from_secs(5), Box::new(Reply::Status(200))));
    crate::world::register_app(app, &w.dev, "Slow Or Fast").await;

    let report = relay(app).await;
    assert_eq!((report.attempts, report.delivered), (2, 1));
    assert_eq!(deliveries(app, &w.vendor_admin, Some(&fast_ep)).await[0]["status"], "DELIVERED");
    let slow = &deliveries(app, &w.vendor_admin, Some(&slow_ep)).await[0];
    assert_eq!(slow["status"], "PENDING");
    assert_eq!(slow["lastError"], "no answer within 1 s");
    assert_eq!(h.receiver.requests().len(), 1, "the slow receiver got the request; its answer came too late");
}

#[tokio::test]
async fn the_continuous_relay_delivers_to_a_fast_receiver_while_a_slow_one_hangs() {
    let h = hooked().await;
    let (w, app) = (&h.w, &h.w.app);
    let fast = WebhookReceiver::start().await.unwrap();
    endpoint(app, &w.vendor_admin, &h.receiver.url("/slow"), &["app.registered"]).await;
    endpoint(app, &w.vendor_admin, &fast.url("/fast"), &["app.registered"]).await;
    h.receiver.set_default(Reply::Delay(std::time::Duration::from_secs(30), Box::new(Reply::Status(200))));
    // The relay reads the clock as it goes; the fixed test clock stands still, so leases and
    // schedules never pass while the slow one hangs.
    let relay = app.state.notifications.spawn_relay();
    for i in 0..5 {
        crate::world::register_app(app, &w.dev, &format!("App {i}")).await;
    }
    let got = fast.wait_for(5, std::time::Duration::from_secs(10)).await;
    relay.abort();
    assert_eq!(got.len(), 5, "every event reached the fast receiver while the slow one held its requests");
}

#[tokio::test]
async fn a_429_or_503_is_retried_no_sooner_than_its_retry_after() {
    let h = hooked().await;
    let (w, app) = (&h.w, &h.w.app);
    let (ep, _) = endpoint(app, &w.vendor_admin, &h.receiver.url("/hook"), &["app.registered"]).await;
    h.receiver.script([
        Reply::WithHeaders(429, vec![("Retry-After".into(), "120".into())]),
        Reply::WithHeaders(503, vec![("Retry-After".into(), "600".into())]),
    ]);
    crate::world::register_app(app, &w.dev, "Busy Receiver").await;
    relay(app).await;
    let d = &deliveries(app, &w.vendor_admin, Some(&ep)).await[0];
    assert_eq!(d["lastStatusCode"], 429);
    assert_eq!(
        chrono::DateTime::parse_from_rfc3339(d["nextAttemptAt"].as_str().unwrap()).unwrap(),
        app.clock.now() + Duration::seconds(120)
    );

    app.clock.advance(Duration::seconds(60));
    assert_eq!(relay(app).await.attempts, 0, "the schedule's 5 s does not override the receiver's 120 s");
    app.clock.advance(Duration::seconds(61));
    relay(app).await;
    let d = &deliveries(app, &w.vendor_admin, Some(&ep)).await[0];
    assert_eq!(d["lastStatusCode"], 503);
    app.clock.advance(Duration::seconds(599));
    assert_eq!(relay(app).await.attempts, 0);
    app.clock.advance(Duration::seconds(2));
    assert_eq!(relay(app).await.delivered, 1);
    assert_eq!(h.receiver.requests().len(), 3);
}

#[tokio::test]
async fn a_410_disables_the_endpoint_records_why_and_tells_the_admins() {
    let h = hooked().await;
    let (w, app) = (&h.w, &h.w.app);
    let (ep, _) = endpoint(app, &w.vendor_admin, &h.receiver.url("/gone"), &["app.registered", "app.updated"]).await;
    h.receiver.script([Reply::Status(410)]);
    let app_id = crate::world::register_app(app, &w.dev, "Gone Receiver").await;
    relay(app).await;

    let d = &deliveries(app, &w.vendor_admin, Some(&ep)).await[0];
    assert_eq!((d["status"].as_str(), d["lastStatusCode"].as_i64()), (Some("FAILED"), Some(410)));
    let r = app.gql(Some(&w.vendor_admin), "{ webhookEndpoints { edges { node { id enabled disabledReason } } } }", json!({})).await;
    let e = &r["data"]["webhookEndpoints"]["edges"][0]["node"];
    assert_eq!((e["enabled"].as_bool(), e["disabledReason"].as_str()), (Some(false), Some("the receiver answered 410 Gone")));
    let audit = accord_db::audit::for_target(app.db(), &ep).await.unwrap();
    assert!(audit.iter().any(|a| a.action == "webhook_endpoint.disabled" && a.actor == "system"), "{audit:?}");

    // The vendor's admin is told by mail.
    let mails = h.sink.wait_for(1, std::time::Duration::from_secs(5)).await;
    let notice = mails.iter().find(|m| m.subject().as_deref() == Some("[Accord] Webhook endpoint disabled")).expect("admin notice");
    assert_eq!(notice.header("X-Accord-Event").as_deref(), Some("webhook_endpoint.disabled"));
    assert!(notice.data.contains("410 Gone"));

    // A disabled endpoint receives nothing more.
    app.gql(
        Some(&w.dev),
        "mutation($id: ID!) { updateApp(id: $id, input: { purpose: \"Changed purpose.\" }) { id } }",
        json!({ "id": app_id }),
    )
    .await;
    relay(app).await;
    assert_eq!(h.receiver.requests().len(), 1);
}

#[tokio::test]
async fn a_redirect_is_a_failure_and_is_not_followed() {
    let h = hooked().await;
    let (w, app) = (&h.w, &h.w.app);
    let elsewhere = WebhookReceiver::start().await.unwrap();
    let (ep, _) = endpoint(app, &w.vendor_admin, &h.receiver.url("/moved"), &["app.registered"]).await;
    h.receiver.script([Reply::WithHeaders(301, vec![("Location".into(), elsewhere.url("/new"))])]);
    crate::world::register_app(app, &w.dev, "Moved Receiver").await;
    relay(app).await;
    let d = &deliveries(app, &w.vendor_admin, Some(&ep)).await[0];
    assert_eq!((d["status"].as_str(), d["lastStatusCode"].as_i64()), (Some("PENDING"), Some(301)));
    assert!(d["lastError"].as_str().unwrap().contains("redirect"), "{d}");
    assert!(elsewhere.requests().is_empty());
}

#[tokio::test]
async fn after_the_whole_schedule_a_delivery_is_failed_and_a_replay_sends_it_again_with_the_same_id() {
    let h = hooked().await;
    let (w, app) = (&h.w, &h.w.app);
    let admin = w.long_lived(&w.vendor_admin).await;
    let (ep, secret) = endpoint(app, &admin, &h.receiver.url("/down"), &["app.registered"]).await;
    h.receiver.set_default(Reply::Status(500));
    crate::world::register_app(app, &w.dev, "Down Receiver").await;
    for _ in 0..8 {
        relay(app).await;
        app.clock.advance(Duration::hours(11));
    }
    assert_eq!(h.receiver.requests().len(), 8, "the first attempt and seven retries");
    let d = &deliveries(app, &admin, Some(&ep)).await[0];
    assert_eq!((d["status"].as_str(), d["attempts"].as_i64(), d["nextAttemptAt"].as_str()), (Some("FAILED"), Some(8), None));
    let failed = app.gql(Some(&admin), DELIVERIES, json!({ "e": ep, "s": "FAILED" })).await;
    assert_eq!(failed["data"]["deliveries"]["totalCount"], 1);

    h.receiver.set_default(Reply::Status(204));
    let r =
        app.gql(Some(&admin), "mutation($id: ID!) { replayDelivery(id: $id) { status attempts eventId } }", json!({ "id": d["id"] })).await;
    assert_eq!(r["data"]["replayDelivery"]["status"], "DELIVERED", "{r}");
    let reqs = h.receiver.requests();
    assert_eq!(reqs.len(), 9);
    assert_eq!(reqs[8].header("webhook-id"), reqs[0].header("webhook-id"));
    verified(&secret, &reqs[8]);
    // A delivered one can be replayed too, still with the same id.
    let r = app.gql(Some(&admin), "mutation($id: ID!) { replayDelivery(id: $id) { status } }", json!({ "id": d["id"] })).await;
    assert_eq!(r["data"]["replayDelivery"]["status"], "DELIVERED");
    assert_eq!(h.receiver.requests()[9].header("webhook-id"), reqs[0].header("webhook-id"));
    let audit = accord_db::audit::for_target(app.db(), d["id"].as_str().unwrap()).await.unwrap();
    assert_eq!(audit.iter().filter(|a| a.action == "webhook_delivery.replayed").count(), 2);
}

#[tokio::test]
async fn a_rotated_secret_signs_beside_the_new_one_for_24_hours() {
    let h = hooked().await;
    let (w, app) = (&h.w, &h.w.app);
    let admin = w.long_lived(&w.vendor_admin).await;
    let dev = w.long_lived(&w.dev).await;
    let (ep, old) = endpoint(app, &admin, &h.receiver.url("/rotating"), &["app.registered"]).await;
    let r = app
        .gql(
            Some(&admin),
            "mutation($id: ID!) { rotateWebhookSecret(id: $id) { secret endpoint { previousSecretExpiresAt } } }",
            json!({ "id": ep }),
        )
        .await;
    let new = r["data"]["rotateWebhookSecret"]["secret"].as_str().unwrap().to_owned();
    assert!(new.starts_with("whsec_") && new != old);
    crate::world::register_app(app, &dev, "Rotation One").await;
    relay(app).await;
    let first = &h.receiver.requests()[0];
    assert_eq!(first.header("webhook-signature").unwrap().split(' ').count(), 2);
    assert!(verifies(&old, first) && verifies(&new, first), "receivers on either secret keep verifying");

    app.clock.advance(Duration::hours(25));
    crate::world::register_app(app, &dev, "Rotation Two").await;
    relay(app).await;
    let second = &h.receiver.requests()[1];
    assert_eq!(second.header("webhook-signature").unwrap().split(' ').count(), 1);
    assert!(verifies(&new, second) && !verifies(&old, second));
}

#[tokio::test]
async fn send_test_webhook_posts_a_signed_test_event_and_answers_how_it_went() {
    let h = hooked().await;
    let (w, app) = (&h.w, &h.w.app);
    let (ep, secret) = endpoint(app, &w.vendor_admin, &h.receiver.url("/test"), &["grant.revoked"]).await;
    let r = app
        .gql(
            Some(&w.vendor_admin),
            "mutation($id: ID!) { sendTestWebhook(endpointId: $id) { status eventType attempts lastStatusCode } }",
            json!({ "id": ep }),
        )
        .await;
    assert_eq!(
        r["data"]["sendTestWebhook"],
        json!({ "status": "DELIVERED", "eventType": "webhook.test", "attempts": 1, "lastStatusCode": 200 }),
        "{r}"
    );
    let p = verified(&secret, &h.receiver.requests()[0]);
    assert_eq!(p["type"], "webhook.test");
    assert_eq!(p["data"]["endpoint"]["id"], json!(ep));
    // A test event is never fanned out to anyone else.
    assert_eq!(relay(app).await.attempts, 0);
}
