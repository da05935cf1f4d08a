//! The data holder's rules at the moment of decision (SPEC §3): the policy in force when a
//! request is decided rules, and auto-approval never undoes a data holder's decision.

use crate::world::{World, world};
use accord_gateway::testing::{error_code, error_message};
use serde_json::{Value, json};

const POLICY: &str = "mutation($i: ApprovalPolicyInput!) { updateApprovalPolicy(input: $i) { requiredApprovals } }";
const REQUEST_STATE: &str =
    "query($id: ID!) { accessRequest(id: $id) { status requiredApprovals approvals { approverEmail } grant { id } } }";
const GRANT_STATE: &str = "query($id: ID!) { grant(id: $id) { status revokedReason } }";

async fn policy(w: &World, input: Value) {
    let r = w.gql(&w.holder_admin, POLICY, json!({ "i": input })).await;
    assert_eq!(error_code(&r), None, "{r}");
}

async fn request_state(w: &World, id: &str) -> Value {
    w.gql(&w.approver1, REQUEST_STATE, json!({ "id": id })).await["data"]["accessRequest"].clone()
}

async fn grant_state(w: &World, id: &str) -> Value {
    w.gql(&w.approver1, GRANT_STATE, json!({ "id": id })).await["data"]["grant"].clone()
}

#[tokio::test]
async fn a_scope_forbidden_after_the_request_was_made_is_not_approved_until_narrowed_away() {
    let w = world().await;
    let id = w.request_ok(&w.app_id, &["patient/Observation.rs", "patient/Condition.rs"], 60, None).await;
    policy(&w, json!({ "forbiddenScopes": ["patient/Observation.r"] })).await;

    let refused = w.approve(&w.approver1, &id, json!({})).await;
    assert_eq!(error_code(&refused), Some("POLICY_VIOLATION"), "{refused}");
    assert!(error_message(&refused).starts_with("forbiddenScopes: `patient/Observation.rs`"), "{refused}");
    let state = request_state(&w, &id).await;
    assert_eq!((state["status"].clone(), state["approvals"].clone(), state["grant"].clone()), (json!("PENDING"), json!([]), Value::Null));
    assert_eq!(w.app.count("grants").await, 0);

    let narrowed = w.approve(&w.approver1, &id, json!({ "scopes": ["patient/Condition.rs"] })).await;
    assert_eq!(narrowed["data"]["approveAccessRequest"]["status"], json!("APPROVED"), "{narrowed}");
    assert_eq!(narrowed["data"]["approveAccessRequest"]["grant"]["scopes"], json!(["patient/Condition.rs"]));
}

#[tokio::test]
async fn a_shorter_maximum_set_after_the_request_refuses_the_longer_proposal() {
    let w = world().await;
    let id = w.request_ok(&w.app_id, &["patient/Observation.rs"], 200, None).await;
    policy(&w, json!({ "maxGrantDays": 90, "highRiskMaxGrantDays": 30 })).await;

    let refused = w.approve(&w.approver1, &id, json!({})).await;
    assert_eq!(error_code(&refused), Some("POLICY_VIOLATION"), "{refused}");
    assert!(error_message(&refused).starts_with("maxGrantDays: 200 days"), "{refused}");
    let shortened = w.approve(&w.approver1, &id, json!({ "durationDays": 90 })).await;
    assert_eq!(shortened["data"]["approveAccessRequest"]["status"], json!("APPROVED"), "{shortened}");
}

#[tokio::test]
async fn an_app_kind_no_longer_accepted_is_not_approved() {
    let w = world().await;
    let id = w.request_ok(&w.app_id, &["patient/Observation.rs"], 30, None).await;
    policy(&w, json!({ "allowedAppKinds": ["BACKEND_SERVICE"] })).await;
    let refused = w.approve(&w.approver1, &id, json!({})).await;
    assert_eq!(error_code(&refused), Some("POLICY_VIOLATION"), "{refused}");
    assert!(error_message(&refused).starts_with("allowedAppKinds:"), "{refused}");
    assert_eq!(request_state(&w, &id).await["status"], json!("PENDING"));
}

#[tokio::test]
async fn raising_the_required_approvals_counts_pending_requests_against_the_new_number() {
    let w = world().await;
    let id = w.request_ok(&w.app_id, &["patient/Observation.rs"], 30, None).await;
    assert_eq!(request_state(&w, &id).await["requiredApprovals"], json!(1));
    policy(&w, json!({ "requiredApprovals": 2 })).await;
    assert_eq!(request_state(&w, &id).await["requiredApprovals"], json!(2), "the pending request shows the number in force");

    let first = w.approve(&w.approver1, &id, json!({})).await;
    assert_eq!(first["data"]["approveAccessRequest"]["status"], json!("PENDING"), "{first}");
    let second = w.approve(&w.approver2, &id, json!({})).await;
    assert_eq!(second["data"]["approveAccessRequest"]["status"], json!("APPROVED"), "{second}");
}

// --- auto-approval never undoes the holder -------------------------------------------------

async fn auto_approving(w: &World) {
    policy(w, json!({ "autoApproveLowRisk": true })).await;
}

/// A LOW-risk request answered at once with a grant; returns (request, grant).
async fn auto_granted(w: &World, replaces: Option<&str>) -> (String, String) {
    let r = w.request(&w.app_id, &["patient/Observation.rs"], 30, replaces).await;
    let req = &r["data"]["requestAccess"];
    assert_eq!(req["status"], json!("APPROVED"), "{r}");
    (req["id"].as_str().unwrap().to_owned(), req["grant"]["id"].as_str().unwrap().to_owned())
}

#[tokio::test]
async fn routine_low_risk_renewals_of_an_active_grant_are_still_granted_at_once() {
    let w = world().await;
    auto_approving(&w).await;
    let (_, first) = auto_granted(&w, None).await;
    let (_, second) = auto_granted(&w, Some(&first)).await;
    assert_eq!(grant_state(&w, &first).await, json!({ "status": "REVOKED", "revokedReason": "superseded" }));
    let (_, third) = auto_granted(&w, Some(&second)).await;
    assert_eq!(grant_state(&w, &third).await["status"], json!("ACTIVE"));
}

#[tokio::test]
async fn a_renewal_of_a_suspended_grant_waits_for_approvers_and_the_suspension_stands() {
    let w = world().await;
    auto_approving(&w).await;
    let (_, grant) = auto_granted(&w, None).await;
    let s = w.gql(&w.approver1, "mutation($id: ID!) { suspendGrant(id: $id, reason: \"audit\") { status } }", json!({ "id": grant })).await;
    assert_eq!(s["data"]["suspendGrant"]["status"], json!("SUSPENDED"), "{s}");

    let r = w.request(&w.app_id, &["patient/Observation.rs"], 30, Some(&grant)).await;
    assert_eq!(r["data"]["requestAccess"]["status"], json!("PENDING"), "{r}");
    assert_eq!(r["data"]["requestAccess"]["grant"], Value::Null);
    assert_eq!(grant_state(&w, &grant).await, json!({ "status": "SUSPENDED", "revokedReason": null }));
}

#[tokio::test]
async fn after_the_holder_ends_the_partnership_a_new_request_waits_for_approvers() {
    let w = world().await;
    auto_approving(&w).await;
    auto_granted(&w, None).await;
    let q = "mutation($p: ID!) { endPartnership(partnerId: $p, reason: \"contract over\") { status } }";
    let ended = w.gql(&w.holder_admin, q, json!({ "p": w.vendor_id })).await;
    assert_eq!(ended["data"]["endPartnership"]["status"], json!("ENDED"), "{ended}");

    let r = w.request(&w.app_id, &["patient/Observation.rs"], 30, None).await;
    assert_eq!(r["data"]["requestAccess"]["status"], json!("PENDING"), "{r}");
    let p = w.gql(&w.holder_admin, "{ grants { edges { node { status } } } }", json!({})).await;
    assert!(
        p["data"]["grants"]["edges"].as_array().unwrap().iter().all(|e| e["node"]["status"] != json!("ACTIVE")),
        "no live grant came back: {p}"
    );
}

#[tokio::test]
async fn after_the_holder_revokes_a_grant_a_new_request_waits_for_approvers() {
    let w = world().await;
    auto_approving(&w).await;
    let (_, grant) = auto_granted(&w, None).await;
    let q = "mutation($id: ID!) { revokeGrant(id: $id, reason: \"misuse\") { status } }";
    assert_eq!(w.gql(&w.approver1, q, json!({ "id": grant })).await["data"]["revokeGrant"]["status"], json!("REVOKED"));

    let r = w.request(&w.app_id, &["patient/Observation.rs"], 30, None).await;
    assert_eq!(r["data"]["requestAccess"]["status"], json!("PENDING"), "{r}");

    // Once a person approves again, routine renewals are automatic again.
    let id = r["data"]["requestAccess"]["id"].as_str().unwrap().to_owned();
    let approved = w.approve(&w.approver1, &id, json!({})).await;
    let g = approved["data"]["approveAccessRequest"]["grant"]["id"].as_str().unwrap().to_owned();
    auto_granted(&w, Some(&g)).await;
}

#[tokio::test]
async fn a_data_holder_that_is_no_longer_active_cannot_be_asked() {
    let w = world().await;
    use sea_orm::ConnectionTrait as _;
    let backend = w.app.db().get_database_backend();
    w.app
        .db()
        .execute_raw(sea_orm::Statement::from_string(
            backend,
            format!("UPDATE tenants SET status = 'SUSPENDED' WHERE id = '{}'", w.holder_id),
        ))
        .await
        .unwrap();
    let r = w.request(&w.app_id, &["patient/Observation.rs"], 30, None).await;
    assert_eq!(error_code(&r), Some("NOT_FOUND"), "{r}");
    assert_eq!(error_message(&r), "data holder not found");
    assert_eq!(w.app.count("access_requests").await, 0);
}
