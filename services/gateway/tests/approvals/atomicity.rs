use crate::world::world;
use accord_gateway::testing::{TestApp, error_code};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::json;

async fn exec(app: &TestApp, sql: &str) {
    let backend = app.db().get_database_backend();
    app.db().execute_raw(Statement::from_string(backend, sql.to_owned())).await.unwrap();
}

/// Exactly `audit` audit events and `outbox` outbox events were written by the step.
fn step(label: &str, (audit, outbox): (i64, i64), now: (i64, i64), prev: (i64, i64)) {
    assert_eq!((now.0 - prev.0, now.1 - prev.1), (audit, outbox), "{label}: (audit, outbox) events written");
}

async fn counts(app: &TestApp) -> (i64, i64) {
    (app.count("audit_events").await, app.count("outbox_events").await)
}

/// Every mutation of the workflow writes exactly its audit events and, where SPEC §6 names
/// them, its outbox events; every refused mutation writes neither.
#[tokio::test]
async fn every_mutation_writes_its_audit_and_outbox_events_and_refusals_write_neither() {
    let w = world().await;
    let app = &w.app;
    let mut last = counts(app).await;

    let id = w.request_ok(&w.app_id, &["patient/Observation.cruds"], 30, None).await;
    let c = counts(app).await;
    step("requestAccess", (1, 1), c, last);
    last = c;
    assert!(accord_db::audit::for_target(app.db(), &id).await.unwrap().iter().any(|e| e.action == "access_request.created"));
    let created = accord_db::outbox::of_type(app.db(), "access_request.created").await.unwrap();
    assert!(
        created[0].payload.contains(&id) && created[0].tenant_ids.contains(&w.holder_id) && created[0].tenant_ids.contains(&w.vendor_id)
    );

    // Refusals: widening, a vendor approving, a vendor revoking (a request id is no grant),
    // an invalid scope, a policy violation.
    for (token, q, vars, code) in [
        (&w.approver1, crate::world::APPROVE, json!({ "id": id, "i": { "scopes": ["user/Observation.rs"] } }), "BAD_USER_INPUT"),
        (&w.dev, crate::world::APPROVE, json!({ "id": id, "i": {} }), "FORBIDDEN"),
        (&w.dev, "mutation($id: ID!) { revokeGrant(id: $id, reason: \"x\") { id } }", json!({ "id": id }), "NOT_FOUND"),
        (&w.approver1, crate::world::APPROVE, json!({ "id": id, "i": { "scopes": ["patient/Observaton.rs"] } }), "INVALID_SCOPE"),
        (&w.approver1, crate::world::APPROVE, json!({ "id": id, "i": { "durationDays": 0 } }), "BAD_USER_INPUT"),
    ] {
        let r = app.gql(Some(token), q, vars).await;
        assert_eq!(error_code(&r), Some(code), "{r}");
        assert_eq!(counts(app).await, last, "a refused mutation wrote nothing: {r}");
    }

    let r = w.approve(&w.approver1, &id, json!({})).await;
    assert_eq!(r["data"]["approveAccessRequest"]["status"], json!("PENDING"));
    let c = counts(app).await;
    step("approve (1 of 2)", (1, 0), c, last);
    last = c;

    let r = w.approve(&w.approver2, &id, json!({})).await;
    assert_eq!(r["data"]["approveAccessRequest"]["status"], json!("APPROVED"), "{r}");
    let grant = r["data"]["approveAccessRequest"]["grant"]["id"].as_str().unwrap().to_owned();
    let c = counts(app).await;
    // The approval, access_request.approved, grant.created and partnership.started are
    // audited; the two SPEC §6 events go to the outbox.
    step("approve (2 of 2)", (4, 2), c, last);
    last = c;
    for t in ["access_request.approved", "grant.created"] {
        let ev = accord_db::outbox::of_type(app.db(), t).await.unwrap();
        assert_eq!(ev.len(), 1, "{t}");
        let payload: serde_json::Value = serde_json::from_str(&ev[0].payload).unwrap();
        assert_eq!(payload["type"], json!(t));
        assert!(payload["timestamp"].is_string() && payload["data"]["actor"].as_str().unwrap().starts_with("user:"), "{payload}");
        assert_eq!(payload["data"]["app"]["id"], json!(w.app_id));
    }

    for (label, q, event) in [
        ("suspend", "mutation($id: ID!) { suspendGrant(id: $id, reason: \"check\") { id } }", "grant.suspended"),
        ("resume", "mutation($id: ID!) { resumeGrant(id: $id) { id } }", "grant.resumed"),
        ("revoke", "mutation($id: ID!) { revokeGrant(id: $id, reason: \"done\") { id } }", "grant.revoked"),
    ] {
        let r = app.gql(Some(&w.approver1), q, json!({ "id": grant })).await;
        assert_eq!(error_code(&r), None, "{label}: {r}");
        let c = counts(app).await;
        step(label, (1, 1), c, last);
        last = c;
        assert_eq!(accord_db::outbox::of_type(app.db(), event).await.unwrap().len(), 1, "{label}");
    }

    let id = w.request_ok(&w.app_id, &["patient/Observation.rs"], 30, None).await;
    last = counts(app).await;
    let r = app.gql(Some(&w.dev), "mutation($id: ID!) { withdrawAccessRequest(id: $id) { status } }", json!({ "id": id })).await;
    assert_eq!(r["data"]["withdrawAccessRequest"]["status"], json!("WITHDRAWN"), "{r}");
    let c = counts(app).await;
    step("withdraw", (1, 1), c, last);
    let id = w.request_ok(&w.app_id, &["patient/Observation.rs"], 30, None).await;
    last = counts(app).await;
    let r = app
        .gql(Some(&w.approver1), "mutation($id: ID!) { denyAccessRequest(id: $id, reason: \"no\") { status } }", json!({ "id": id }))
        .await;
    assert_eq!(r["data"]["denyAccessRequest"]["status"], json!("DENIED"), "{r}");
    let c = counts(app).await;
    step("deny", (1, 1), c, last);
    last = c;
    let r =
        app.gql(Some(&w.holder_admin), "mutation { updateApprovalPolicy(input: { maxGrantDays: 100 }) { maxGrantDays } }", json!({})).await;
    assert_eq!(r["data"]["updateApprovalPolicy"]["maxGrantDays"], json!(100), "{r}");
    step("updateApprovalPolicy", (1, 0), counts(app).await, last);
    assert_eq!(accord_db::audit::verify(app.db()).await.unwrap().problem, None);
}

/// If anything after the change fails, the change, its audit event and its outbox event all
/// roll back together.
#[tokio::test]
async fn an_approval_and_its_events_roll_back_together() {
    let w = world().await;
    let id = w.request_ok(&w.app_id, &["patient/Observation.rs"], 30, None).await;
    let before = (counts(&w.app).await, w.app.count("grants").await, w.app.count("approvals").await);
    // The outbox write is the last step of finalizing; make it fail.
    exec(&w.app, "ALTER TABLE outbox_events RENAME TO outbox_events_gone").await;
    let r = w.approve(&w.approver1, &id, json!({})).await;
    exec(&w.app, "ALTER TABLE outbox_events_gone RENAME TO outbox_events").await;
    assert_eq!(error_code(&r), Some("INTERNAL"), "{r}");
    assert_eq!(before, (counts(&w.app).await, w.app.count("grants").await, w.app.count("approvals").await));
    let still = w.gql(&w.dev, "query($id: ID!) { accessRequest(id: $id) { status approvals { id } } }", json!({ "id": id })).await;
    assert_eq!(still["data"]["accessRequest"], json!({ "status": "PENDING", "approvals": [] }));
    // And once the fault is gone, the same approval goes through.
    let ok = w.approve(&w.approver1, &id, json!({})).await;
    assert_eq!(ok["data"]["approveAccessRequest"]["status"], json!("APPROVED"), "{ok}");
}
