//! The expiry sweep.

use crate::*;

#[tokio::test]
async fn the_expiry_sweep_expires_each_due_grant_once_with_one_event_at_its_boundary() {
    let w = crate::world::world().await;
    let app = &w.app;
    let g = w.grant(&w.app_id, &["patient/Observation.rs"], 30).await;
    let other = crate::world::register_app(app, &w.dev, "Longer").await;
    let long = w.grant(&other, &["patient/Observation.rs"], 90).await;
    let approver = w.long_lived(&w.approver1).await;
    let expires = at(&grant(app, &approver, &g).await["expiresAt"]);

    assert_eq!(run(app, "expiry", expires - Duration::seconds(1)).await.items, 0, "not a second early");
    let ran = run(app, "expiry", expires).await;
    assert_eq!((ran.items, ran.summary.as_str()), (1, "1 grants expired"));
    assert_eq!(run(app, "expiry", expires + days(1)).await.items, 0, "once");
    let expired = events(app, "grant.expired").await;
    assert_eq!(expired.len(), 1);
    assert_eq!(expired[0]["grant"]["id"], json!(g));
    assert_eq!(expired[0]["actor"], "system");
    assert_eq!(expired[0]["app"]["businessOwner"], "biz@vendor.example", "the event carries what mail needs");
    app.clock.advance(days(31));
    assert_eq!(grant(app, &approver, &g).await["status"], "EXPIRED");
    assert_eq!(grant(app, &approver, &long).await["status"], "ACTIVE");
    let audit = accord_db::audit::for_target(app.db(), &g).await.unwrap();
    assert_eq!(audit.iter().filter(|a| a.action == "grant.expired").count(), 1);
    assert_eq!(accord_db::audit::verify(app.db()).await.unwrap().problem, None);
}

#[tokio::test]
async fn a_suspended_grant_expires_too_and_revoked_ones_are_left_alone() {
    let w = crate::world::world().await;
    let app = &w.app;
    let suspended = w.grant(&w.app_id, &["patient/Observation.rs"], 30).await;
    w.gql(&w.approver1, "mutation($id: ID!) { suspendGrant(id: $id, reason: \"check\") { id } }", json!({ "id": suspended })).await;
    let other = crate::world::register_app(app, &w.dev, "Revoked One").await;
    let revoked = w.grant(&other, &["patient/Observation.rs"], 30).await;
    w.gql(&w.approver1, "mutation($id: ID!) { revokeGrant(id: $id, reason: \"done\") { id } }", json!({ "id": revoked })).await;
    assert_eq!(run(app, "expiry", app.clock.now() + days(31)).await.items, 1);
    let expired = events(app, "grant.expired").await;
    assert_eq!(expired.len(), 1);
    assert_eq!(expired[0]["grant"]["id"], json!(suspended));
}
