use crate::world::world;
use accord_gateway::testing::{TestApp, error_code};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::json;

async fn exec(app: &TestApp, sql: &str) {
    let backend = app.db().get_database_backend();
    app.db().execute_raw(Statement::from_string(backend, sql.to_owned())).await.unwrap();
}

fn step(label: &str, outbox_expected: bool, now: (i64, i64), prev: (i64, i64)) {
    assert!(now.0 > prev.0, "{label}: no audit event");
    assert_eq!(now.1 > prev.1, outbox_expected, "{label}: outbox event expected: {outbox_expected}");
}

async fn counts(app: &TestApp) -> (i64, i64) {
    (app.count("audit_events").await, app.count("outbox_events").await)
}

/// Every mutation of the workflow writes at least one audit event and, where SPEC §6 names
/// one, its outbox event; every refused mutation writes neither.
#[tokio::test]
async fn every_mutation_writes_its_audit_and_outbox_events_and_refusals_write_neither() {
    let w = world().await;
    let app = &w.app;
    let mut last = counts(app).await;

    let id = w.request_ok(&w.app_id, &["patient/Observation.cruds"], 30, None).await;
    let c = counts(app).await;
    step("requestAccess", true, c, last);
    last = c;
    assert!(accord_db::audit::for_target(app.db(), &id).await.unwrap().iter().any(|e| e.action == "access_request.created"));
    let created = accord_db::outbox::of_type(app.db(), "access_request.created").await.unwrap();
    assert!(
        created[0].payload.contains(&id) && created[0].tenant_ids.contains(&w.holder_id) && created[0].tenant_ids.contains(&w.vendor_id)
    );

    // Refusals: widening, a vendor approving, an invalid scope, a policy violation.
    for (token, q, vars) in [
        (&w.approver1, crate::world::APPROVE, json!({ "id": id, "i": { "scopes": ["user/Observation.rs"] } })),
        (&w.dev, crate::world::APPROVE, json!({ "id": id, "i": {} })),
        (&w.dev, "mutation($id: ID!) { revokeGrant(id: $id, reason: \"x\") { id } }", json!({ "id": id })),
    ] {
        let r = app.gql(Some(token), q, vars).await;
        assert!(error_code(&r).is_some(), "{r}");
        assert_eq!(counts(app).await, last, "a refused mutation wrote nothing: {r}");
    }

    let r = w.approve(&w.approver1, &id, json!({})).await;
    assert_eq!(r["data"]["approveAccessRequest"]["status"], json!("PENDING"));
    let c = counts(app).await;
    step("approve (1 of 2)", false, c, last);
    last = c;

    let r = w.approve(&w.approver2, &id, json!({})).await;
    let grant = r["data"]["approveAccessRequest"]["grant"]["id"].as_str().unwrap().to_owned();
    let c = counts(app).await;
    step("approve (2 of 2)", true, c, last);
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
        step(label, true, c, last);
        last = c;
        assert_eq!(accord_db::outbox::of_type(app.db(), event).await.unwrap().len(), 1, "{label}");
    }

    let id = w.request_ok(&w.app_id, &["patient/Observation.rs"], 30, None).await;
    last = counts(app).await;
    app.gql(Some(&w.dev), "mutation($id: ID!) { withdrawAccessRequest(id: $id) { id } }", json!({ "id": id })).await;
    let c = counts(app).await;
    step("withdraw", true, c, last);
    let id = w.request_ok(&w.app_id, &["patient/Observation.rs"], 30, None).await;
    last = counts(app).await;
    app.gql(Some(&w.approver1), "mutation($id: ID!) { denyAccessRequest(id: $id, reason: \"no\") { id } }", json!({ "id": id })).await;
    let c = counts(app).await;
    step("deny", true, c, last);
    last = c;
    app.gql(Some(&w.holder_admin), "mutation { updateApprovalPolicy(input: { maxGrantDays: 100 }) { maxGrantDays } }", json!({})).await;
    step("updateApprovalPolicy", false, counts(app).await, last);
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
