//! Notifications end to end: the real server, a real HTTP receiver (`accord_testkit::
//! webhook_receiver`) checked with an independent Standard Webhooks implementation (the
//! `standardwebhooks` crate), a real SMTP server (`accord_testkit::smtp_sink`), on SQLite or
//! PostgreSQL + Redis. The relay runs when a test says so (`run_once` at the test clock's time),
//! except in `process`, where the real `accord serve` runs it and is killed mid-relay.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../approvals/world.rs"]
#[allow(dead_code)]
mod world;

mod governance;
mod isolation;
mod mail;
mod process;
mod ssrf;
mod webhooks;

use accord_gateway::testing::{TestApp, error_code};
pub use accord_kernel::Clock as _;
use accord_notifications::RelayReport;
use accord_testkit::smtp_sink::SmtpSink;
use accord_testkit::webhook_receiver::{ReceivedRequest, WebhookReceiver};
use serde_json::{Value, json};
use world::World;

/// Every SPEC §6 event type.
pub const ALL_TYPES: [&str; 20] = [
    "app.registered",
    "app.updated",
    "app.suspended",
    "app.offboarded",
    "credential.rotated",
    "credential.expiring",
    "access_request.created",
    "access_request.approved",
    "access_request.denied",
    "access_request.withdrawn",
    "access_request.cancelled",
    "grant.created",
    "grant.expiring",
    "grant.expired",
    "grant.revoked",
    "grant.suspended",
    "grant.resumed",
    "review.due",
    "review.completed",
    "partnership.ended",
];

/// A world whose server may post to loopback receivers (answering within 1 s) and mails
/// through a real SMTP server.
pub struct Hooked {
    pub w: World,
    pub receiver: WebhookReceiver,
    pub sink: SmtpSink,
}

pub async fn hooked() -> Hooked {
    let receiver = WebhookReceiver::start().await.unwrap();
    let sink = SmtpSink::start().await.unwrap();
    let smtp = sink.url();
    let w = world::world_with(move |s| {
        s.webhook_allow_private = true;
        s.webhook_timeout_secs = 1;
        s.smtp_url = Some(smtp.into());
        s.public_url = "https://accord.example.org".into();
    })
    .await;
    Hooked { w, receiver, sink }
}

pub const CREATE: &str = "mutation($i: WebhookEndpointInput!) { createWebhookEndpoint(input: $i) { secret endpoint { id url eventTypes enabled ownerUserId } } }";
pub const DELIVERIES: &str = "query($e: ID, $s: DeliveryStatus) { deliveries(first: 100, endpointId: $e, status: $s) { totalCount edges { node { id endpointId eventId eventType status attempts nextAttemptAt lastStatusCode lastError } } } }";

/// Creates an endpoint; returns `(id, secret)`.
pub async fn endpoint(app: &TestApp, token: &str, url: &str, types: &[&str]) -> (String, String) {
    let r = app.gql(Some(token), CREATE, json!({ "i": { "url": url, "eventTypes": types, "description": "test receiver" } })).await;
    assert_eq!(error_code(&r), None, "{r}");
    let p = &r["data"]["createWebhookEndpoint"];
    (p["endpoint"]["id"].as_str().unwrap().to_owned(), p["secret"].as_str().unwrap().to_owned())
}

/// Runs the relay once at the test clock's time.
pub async fn relay(app: &TestApp) -> RelayReport {
    app.state.notifications.run_once(app.clock.now()).await.unwrap()
}

/// The deliveries the token's organization sees (optionally of one endpoint).
pub async fn deliveries(app: &TestApp, token: &str, endpoint_id: Option<&str>) -> Vec<Value> {
    let r = app.gql(Some(token), DELIVERIES, json!({ "e": endpoint_id })).await;
    assert_eq!(error_code(&r), None, "{r}");
    r["data"]["deliveries"]["edges"].as_array().unwrap().iter().map(|e| e["node"].clone()).collect()
}

/// Verifies a received request with the independent Standard Webhooks library; returns the
/// parsed payload.
pub fn verified(secret: &str, req: &ReceivedRequest) -> Value {
    let wh = standardwebhooks::Webhook::new(secret).unwrap();
    wh.verify(&req.body, &header_map(req)).unwrap_or_else(|e| panic!("signature does not verify: {e:?}; headers {:?}", req.headers));
    serde_json::from_slice(&req.body).unwrap()
}

fn header_map(req: &ReceivedRequest) -> reqwest::header::HeaderMap {
    let mut headers = reqwest::header::HeaderMap::new();
    for (k, v) in &req.headers {
        if let (Ok(name), Ok(value)) = (reqwest::header::HeaderName::from_bytes(k.as_bytes()), reqwest::header::HeaderValue::from_str(v)) {
            headers.append(name, value);
        }
    }
    headers
}

/// Whether the request verifies under `secret`.
pub fn verifies(secret: &str, req: &ReceivedRequest) -> bool {
    standardwebhooks::Webhook::new(secret).unwrap().verify(&req.body, &header_map(req)).is_ok()
}

/// The vendor's admin's user id.
pub async fn me(app: &TestApp, token: &str) -> String {
    let r = app.gql(Some(token), "{ me { user { id } } }", json!({})).await;
    r["data"]["me"]["user"]["id"].as_str().unwrap().to_owned()
}
