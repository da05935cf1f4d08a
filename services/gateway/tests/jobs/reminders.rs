//! Expiry reminders at 30, 7 and 1 days, each once, with their mail.

use crate::*;
use accord_testkit::smtp_sink::SmtpSink;
use std::collections::BTreeSet;

fn reminder_days(evs: &[Value]) -> Vec<i64> {
    evs.iter().map(|e| e["reminderDays"].as_i64().unwrap()).collect()
}

#[tokio::test]
async fn reminders_go_out_30_7_and_1_days_before_expiry_each_once() {
    let w = crate::world::world().await;
    let app = &w.app;
    let g = w.grant(&w.app_id, &["patient/Observation.rs"], 60).await;
    let expires = at(&grant(app, &w.approver1, &g).await["expiresAt"]);
    for (left, want) in [
        (days(31), vec![]),
        (days(30), vec![30]),
        (days(29), vec![30]),
        (days(8), vec![30]),
        (days(7), vec![30, 7]),
        (days(6), vec![30, 7]),
        (days(1), vec![30, 7, 1]),
        (Duration::hours(2), vec![30, 7, 1]),
    ] {
        run(app, "reminders", expires - left).await;
        run(app, "reminders", expires - left).await;
        assert_eq!(reminder_days(&events(app, "grant.expiring").await), want, "{left} before expiry");
    }
    let evs = events(app, "grant.expiring").await;
    assert!(evs.iter().all(|e| e["grant"]["id"] == json!(g) && e["actor"] == "system"));
    // After expiry nothing more.
    run(app, "reminders", expires + Duration::hours(1)).await;
    assert_eq!(events(app, "grant.expiring").await.len(), 3);
}

#[tokio::test]
async fn a_grant_first_seen_past_several_thresholds_gets_only_the_nearest_one() {
    let w = crate::world::world().await;
    let app = &w.app;
    w.grant(&w.app_id, &["patient/Observation.rs"], 5).await;
    run(app, "reminders", app.clock.now()).await;
    assert_eq!(reminder_days(&events(app, "grant.expiring").await), [7]);
}

#[tokio::test]
async fn each_reminder_mails_the_app_owners_and_the_holders_approvers_once() {
    let sink = SmtpSink::start().await.unwrap();
    let smtp = sink.url();
    let w = crate::world::world_with(move |s| s.smtp_url = Some(smtp.into())).await;
    let app = &w.app;
    let g = w.grant(&w.app_id, &["patient/Observation.rs"], 20).await;
    // The request and approval mails first, out of the way.
    run(app, "outbox", app.clock.now()).await;
    let before = sink.wait_for(1, std::time::Duration::from_secs(5)).await.len();
    let now = app.clock.now();
    run(app, "reminders", now).await;
    run(app, "reminders", now).await;
    run(app, "outbox", now).await;
    run(app, "outbox", now).await;
    let mails = sink.messages();
    let reminders: Vec<_> = mails[before..].iter().filter(|m| m.header("X-Accord-Event").as_deref() == Some("grant.expiring")).collect();
    let to: BTreeSet<String> = reminders.iter().flat_map(|m| m.rcpt_to.clone()).collect();
    assert_eq!(reminders.len(), 5, "two owners and three holder approvers/admins, once each");
    assert_eq!(to.len(), 5);
    assert!(to.contains("biz@vendor.example") && to.contains("tech@vendor.example"));
    assert!(
        reminders.iter().all(|m| m.subject().unwrap() == "[Accord] Access for Lab Viewer expires in 20 days"),
        "{:?}",
        reminders[0].subject()
    );
    let _ = g;
}
