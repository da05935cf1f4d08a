//! Mail over a real SMTP conversation: who gets what (SPEC §6's table), the headers mail
//! filters key on, retries of transient failures, permanent failures shown, once per
//! (recipient, event, reminder) even with two relays at once.

use crate::*;
use accord_testkit::smtp_sink::SmtpReply;
use accord_testkit::webhook_receiver::Reply;
use std::collections::{BTreeSet, HashSet};

fn recipients(mails: &[accord_testkit::smtp_sink::ReceivedMail]) -> BTreeSet<String> {
    mails.iter().flat_map(|m| m.rcpt_to.iter().cloned()).collect()
}

/// The message with quoted-printable soft line breaks and `=3D` undone (long lines are
/// encoded that way on the wire).
fn decoded(m: &accord_testkit::smtp_sink::ReceivedMail) -> String {
    m.data.replace("=\r\n", "").replace("=3D", "=")
}

async fn emails_of(app: &accord_gateway::testing::TestApp, token: &str) -> String {
    let r = app.gql(Some(token), "{ me { user { email } } }", json!({})).await;
    r["data"]["me"]["user"]["email"].as_str().unwrap().to_lowercase()
}

#[tokio::test]
async fn an_access_request_mails_the_holders_approvers_and_admins_with_the_event_headers_and_a_portal_link() {
    let h = hooked().await;
    let (w, app) = (&h.w, &h.w.app);
    let request = w.request_ok(&w.app_id, &["patient/Observation.rs"], 30, None).await;
    relay(app).await;

    let mails = h.sink.wait_for(3, std::time::Duration::from_secs(5)).await;
    let expected: BTreeSet<String> =
        [emails_of(app, &w.holder_admin).await, emails_of(app, &w.approver1).await, emails_of(app, &w.approver2).await].into();
    assert_eq!(recipients(&mails), expected, "approvers and admins of the holder; not the auditor, not the vendor");
    let event = accord_db::outbox::of_type(app.db(), "access_request.created").await.unwrap().remove(0);
    for m in &mails {
        assert_eq!(m.subject().as_deref(), Some("[Accord] Access request from Lab Viewer"));
        assert_eq!(m.header("X-Accord-Event").as_deref(), Some("access_request.created"));
        assert_eq!(m.header("X-Accord-Event-Id").as_deref(), Some(event.id.as_str()));
        assert!(m.header("Message-ID").is_some_and(|id| id.ends_with("@accord.example.org>")));
        assert!(m.data.contains("text/plain") && m.data.contains("text/html"), "both parts");
        assert!(decoded(m).contains(&format!("https://accord.example.org/requests/{request}")), "a link to the portal page: {}", m.data);
    }
    let ids: HashSet<String> = mails.iter().filter_map(|m| m.header("Message-ID")).collect();
    assert_eq!(ids.len(), 3, "one Message-ID per recipient");
}

#[tokio::test]
async fn an_approval_mails_the_requester_and_the_app_owners_once_each() {
    let h = hooked().await;
    let (w, app) = (&h.w, &h.w.app);
    w.grant(&w.app_id, &["patient/Observation.rs"], 30).await;
    relay(app).await;
    let mails = h.sink.wait_for(6, std::time::Duration::from_secs(5)).await;
    let approved: Vec<_> =
        mails.iter().filter(|m| m.header("X-Accord-Event").as_deref() == Some("access_request.approved")).cloned().collect();
    let expected: BTreeSet<String> =
        [emails_of(app, &w.dev).await, "biz@vendor.example".to_owned(), "tech@vendor.example".to_owned()].into();
    assert_eq!(recipients(&approved), expected);
    assert_eq!(approved.len(), 3);
    assert!(approved[0].subject().unwrap().starts_with("[Accord] Access approved for Lab Viewer"));
}

#[tokio::test]
async fn a_451_then_accept_delivers_the_mail_once() {
    let h = hooked().await;
    let (w, app) = (&h.w, &h.w.app);
    h.sink.script([SmtpReply::Temporary]);
    // One recipient: the holder has only its admin and two approvers; deny goes to the
    // requester and the two owners. Use a request: three mails, the first deferred.
    w.request_ok(&w.app_id, &["patient/Observation.rs"], 30, None).await;
    relay(app).await;
    assert_eq!(h.sink.messages().len(), 2, "the deferred one is not stored");
    let r = app
        .gql(Some(&w.holder_admin), "{ mailDeliveries(status: PENDING) { totalCount edges { node { attempts lastError } } } }", json!({}))
        .await;
    assert_eq!(r["data"]["mailDeliveries"]["totalCount"], 1, "{r}");
    let node = &r["data"]["mailDeliveries"]["edges"][0]["node"];
    assert_eq!(node["attempts"], 1);
    assert!(node["lastError"].as_str().unwrap().contains("451"), "{node}");

    app.clock.advance(chrono::Duration::seconds(31));
    relay(app).await;
    relay(app).await;
    let mails = h.sink.messages();
    assert_eq!(mails.len(), 3);
    assert_eq!(recipients(&mails).len(), 3, "each recipient exactly once");
    assert_eq!(h.sink.transactions(), 4, "three mails, one of them tried twice");
}

#[tokio::test]
async fn a_permanent_refusal_is_recorded_as_failed_and_shown_never_dropped() {
    let h = hooked().await;
    let (w, app) = (&h.w, &h.w.app);
    h.sink.set_default(SmtpReply::Permanent);
    w.request_ok(&w.app_id, &["patient/Observation.rs"], 30, None).await;
    relay(app).await;
    app.clock.advance(chrono::Duration::hours(3));
    relay(app).await;
    assert!(h.sink.messages().is_empty());
    assert_eq!(h.sink.transactions(), 3, "each tried once: a 5xx is not retried");
    let r = app
        .gql(Some(&w.holder_admin), "{ mailDeliveries(status: FAILED) { totalCount edges { node { recipient lastError } } } }", json!({}))
        .await;
    assert_eq!(r["data"]["mailDeliveries"]["totalCount"], 3, "{r}");
    assert!(r["data"]["mailDeliveries"]["edges"][0]["node"]["lastError"].as_str().unwrap().contains("550"));
    let r = app.gql(Some(&w.auditor), "{ mailDeliveries { totalCount } }", json!({})).await;
    assert_eq!(r["data"]["mailDeliveries"]["totalCount"], 3, "auditors see the mail log too");
    let r = app.gql(Some(&w.approver1), "{ mailDeliveries { totalCount } }", json!({})).await;
    assert_eq!(error_code(&r), Some("FORBIDDEN"));
}

#[tokio::test]
async fn two_relays_at_once_send_each_webhook_and_each_mail_exactly_once() {
    let h = hooked().await;
    let (w, app) = (&h.w, &h.w.app);
    let other = app.sibling().await;
    endpoint(app, &w.vendor_admin, &h.receiver.url("/vendor"), &ALL_TYPES).await;
    endpoint(app, &w.holder_admin, &h.receiver.url("/holder"), &ALL_TYPES).await;
    h.receiver.set_default(Reply::Delay(std::time::Duration::from_millis(20), Box::new(Reply::Status(200))));
    for i in 0..4 {
        let app_id = crate::world::register_app(app, &w.dev, &format!("Concurrent {i}")).await;
        w.grant(&app_id, &["patient/Observation.rs"], 30).await;
    }
    let now = app.clock.now();
    let (a, b) = tokio::join!(app.state.notifications.run_once(now), other.state.notifications.run_once(now));
    let (a, b) = (a.unwrap(), b.unwrap());
    let events = accord_db::outbox::of_type(app.db(), "grant.created").await.unwrap().len();
    assert_eq!(events, 4);
    // The world's app, then four apps each registered, requested, approved and granted.
    assert_eq!(a.events + b.events, 17, "{a} / {b}");

    let reqs = h.receiver.requests();
    let pairs: Vec<(String, String)> = reqs.iter().map(|r| (r.path.clone(), r.header("webhook-id").unwrap().to_owned())).collect();
    let unique: HashSet<&(String, String)> = pairs.iter().collect();
    assert_eq!(unique.len(), pairs.len(), "no (endpoint, event) posted twice");
    assert_eq!(pairs.len(), a.attempts + b.attempts);
    let mails = h.sink.messages();
    let keys: HashSet<(String, String)> = mails.iter().map(|m| (m.rcpt_to.join(","), m.header("X-Accord-Event-Id").unwrap())).collect();
    assert_eq!(keys.len(), mails.len(), "no mail sent twice");
    assert_eq!(mails.len(), a.mails + b.mails);
    // Every delivery settled as delivered.
    let pending = app.gql(Some(&w.vendor_admin), DELIVERIES, json!({ "s": "PENDING" })).await;
    assert_eq!(pending["data"]["deliveries"]["totalCount"], 0);
}

#[tokio::test]
async fn without_smtp_url_mails_are_written_as_eml_files_in_the_data_dir() {
    let w = crate::world::world().await;
    w.request_ok(&w.app_id, &["patient/Observation.rs"], 30, None).await;
    let report = w.app.state.notifications.run_once(w.app.clock.now()).await.unwrap();
    assert_eq!(report.mails, 3);
    let dir = w.app.settings.mail_dir();
    let files: Vec<_> =
        std::fs::read_dir(&dir).unwrap().filter_map(Result::ok).filter(|e| e.path().extension().is_some_and(|x| x == "eml")).collect();
    assert_eq!(files.len(), 3, "{}", dir.display());
    let text = std::fs::read_to_string(files[0].path()).unwrap();
    assert!(text.contains("X-Accord-Event: access_request.created"), "{text}");
}

#[tokio::test]
async fn metrics_show_deliveries_and_mails_by_outcome_and_the_outbox_lag() {
    let h = hooked().await;
    let (w, app) = (&h.w, &h.w.app);
    endpoint(app, &w.vendor_admin, &h.receiver.url("/m"), &["app.registered"]).await;
    crate::world::register_app(app, &w.dev, "Measured").await;
    app.clock.advance(chrono::Duration::seconds(90));
    let text = app.client.get(format!("{}/metrics", app.address)).send().await.unwrap().text().await.unwrap();
    let lag: f64 = text.lines().find_map(|l| l.strip_prefix("accord_outbox_lag_seconds ")).unwrap().parse().unwrap();
    assert!(lag >= 90.0, "the oldest waiting event is 90 s old: {lag}");
    w.request_ok(&w.app_id, &["patient/Observation.rs"], 30, None).await;
    relay(app).await;
    let text = app.client.get(format!("{}/metrics", app.address)).send().await.unwrap().text().await.unwrap();
    assert!(text.contains("accord_webhook_deliveries_total{outcome=\"delivered\"} 1"), "{text}");
    assert!(text.contains("accord_mails_total{outcome=\"sent\"} 3"), "{text}");
    assert!(text.contains("accord_outbox_lag_seconds 0.0"), "{text}");
}
