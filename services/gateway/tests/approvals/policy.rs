use crate::world::world;
use accord_gateway::testing::{error_code, error_message};
use serde_json::json;

const POLICY: &str = "{ approvalPolicy { requiredApprovals highRiskRequiredApprovals maxGrantDays highRiskMaxGrantDays forbiddenScopes allowedAppKinds reviewIntervalDays autoApproveLowRisk onMissedReview } }";
const UPDATE: &str = "mutation($i: ApprovalPolicyInput!) { updateApprovalPolicy(input: $i) { requiredApprovals maxGrantDays forbiddenScopes allowedAppKinds } }";

#[tokio::test]
async fn a_data_holder_starts_with_the_spec_defaults_and_changes_only_the_fields_given() {
    let w = world().await;
    let p = w.gql(&w.approver1, POLICY, json!({})).await;
    assert_eq!(
        p["data"]["approvalPolicy"],
        json!({
            "requiredApprovals": 1, "highRiskRequiredApprovals": 2, "maxGrantDays": 365, "highRiskMaxGrantDays": 90,
            "forbiddenScopes": [], "allowedAppKinds": ["PATIENT_FACING", "PROVIDER_FACING", "BACKEND_SERVICE"],
            "reviewIntervalDays": 180, "autoApproveLowRisk": false, "onMissedReview": "REVOKE",
        })
    );
    let vendor = w.gql(&w.dev, POLICY, json!({})).await;
    assert_eq!(error_code(&vendor), Some("FORBIDDEN"));
    let not_admin = w.gql(&w.approver1, UPDATE, json!({ "i": { "maxGrantDays": 200 } })).await;
    assert_eq!(error_code(&not_admin), Some("FORBIDDEN"));

    let r =
        w.gql(&w.holder_admin, UPDATE, json!({ "i": { "maxGrantDays": 200, "forbiddenScopes": ["system/*.d", "patient/*.write"] } })).await;
    assert_eq!(r["data"]["updateApprovalPolicy"]["forbiddenScopes"], json!(["patient/*.cud", "system/*.d"]), "{r}");
    assert_eq!(r["data"]["updateApprovalPolicy"]["requiredApprovals"], json!(1), "untouched fields keep their value");

    for (input, code, field) in [
        (json!({ "requiredApprovals": 0 }), "BAD_USER_INPUT", "requiredApprovals:"),
        (json!({ "highRiskMaxGrantDays": 300 }), "BAD_USER_INPUT", "highRiskMaxGrantDays:"),
        (json!({ "forbiddenScopes": ["patient/Observaton.rs"] }), "INVALID_SCOPE", "forbiddenScopes[0]:"),
        (json!({ "allowedAppKinds": [] }), "BAD_USER_INPUT", "allowedAppKinds:"),
    ] {
        let r = w.gql(&w.holder_admin, UPDATE, json!({ "i": input })).await;
        assert_eq!(error_code(&r), Some(code), "{input}: {r}");
        assert!(error_message(&r).starts_with(field), "{r}");
    }
    let still = w.gql(&w.holder_admin, POLICY, json!({})).await;
    assert_eq!(still["data"]["approvalPolicy"]["maxGrantDays"], json!(200), "refused updates changed nothing");
}

#[tokio::test]
async fn requests_that_break_the_policy_name_the_rule_and_the_scope() {
    let w = world().await;
    let set = w.gql(&w.holder_admin, UPDATE, json!({ "i": { "maxGrantDays": 200, "forbiddenScopes": ["patient/*.d"], "allowedAppKinds": ["PATIENT_FACING", "PROVIDER_FACING"] } })).await;
    assert_eq!(error_code(&set), None, "{set}");
    let before = w.app.count("access_requests").await;

    let forbidden = w.request(&w.app_id, &["patient/Observation.rs", "patient/Observation.rd"], 30, None).await;
    assert_eq!(error_code(&forbidden), Some("POLICY_VIOLATION"));
    // The set merges `.rs` and `.rd` into one scope, and the message names it.
    assert_eq!(error_message(&forbidden), "forbiddenScopes: `patient/Observation.rds` overlaps the forbidden scope `patient/*.d`");

    let long = w.request(&w.app_id, &["patient/Observation.rs"], 201, None).await;
    assert_eq!(error_code(&long), Some("POLICY_VIOLATION"));
    assert!(error_message(&long).starts_with("maxGrantDays: 201 days"), "{long}");

    let high = w.request(&w.app_id, &["patient/Observation.cu"], 91, None).await;
    assert_eq!(error_code(&high), Some("POLICY_VIOLATION"));
    assert!(error_message(&high).starts_with("highRiskMaxGrantDays:") && error_message(&high).contains("patient/Observation.cu"), "{high}");

    let invalid = w.request(&w.app_id, &["patient/Observation.rs", "patient/Observaton.rs"], 30, None).await;
    assert_eq!(error_code(&invalid), Some("INVALID_SCOPE"));
    assert!(
        error_message(&invalid).starts_with("scopes[1]:") && error_message(&invalid).contains("did you mean Observation?"),
        "{invalid}"
    );

    let backend = w
        .gql(
            &w.dev,
            "mutation($i: RegisterAppInput!) { registerApp(input: $i) { app { id } } }",
            json!({ "i": { "name": "Bulk Export", "kind": "BACKEND_SERVICE", "jwksUri": "https://vendor.example/jwks.json", "purpose": "Population analytics", "businessOwnerEmail": "biz@vendor.example", "technicalOwnerEmail": "tech@vendor.example" } }),
        )
        .await;
    let backend_id = backend["data"]["registerApp"]["app"]["id"].as_str().unwrap_or_else(|| panic!("{backend}")).to_owned();
    let kind = w.request(&backend_id, &["system/Observation.rs"], 30, None).await;
    assert_eq!(error_code(&kind), Some("POLICY_VIOLATION"));
    assert!(error_message(&kind).starts_with("allowedAppKinds:"), "{kind}");

    assert_eq!(w.app.count("access_requests").await, before, "refused requests wrote nothing");
}

#[tokio::test]
async fn only_vendors_developers_request_and_only_for_active_apps_at_data_holders() {
    let w = world().await;
    let own = crate::world::register_app(&w.app, &w.vendor_admin, "Own App").await;
    let auditor_of_vendor = crate::world::invite(&w.app, &w.vendor_admin, "AUDITOR").await;
    let r = w
        .gql(&auditor_of_vendor, crate::world::REQUEST, json!({ "i": { "appId": own, "dataHolderId": w.holder_id, "scopes": ["patient/Observation.rs"], "purpose": "x", "durationDays": 5 } }))
        .await;
    assert_eq!(error_code(&r), Some("FORBIDDEN"), "a vendor AUDITOR cannot request: {r}");
    let from_holder = w
        .gql(
            &w.holder_admin,
            crate::world::REQUEST,
            json!({ "i": { "appId": w.app_id, "dataHolderId": w.holder_id, "scopes": ["patient/Observation.rs"], "purpose": "x", "durationDays": 5 } }),
        )
        .await;
    assert_eq!(error_code(&from_holder), Some("NOT_FOUND"), "the app is not the holder's: {from_holder}");
    let to_vendor = w
        .gql(&w.dev, crate::world::REQUEST, json!({ "i": { "appId": w.app_id, "dataHolderId": w.vendor_id, "scopes": ["patient/Observation.rs"], "purpose": "x", "durationDays": 5 } }))
        .await;
    assert_eq!(error_code(&to_vendor), Some("NOT_FOUND"), "a vendor is not a data holder: {to_vendor}");
    w.gql(&w.vendor_admin, "mutation($id: ID!) { suspendApp(id: $id, reason: \"pen test\") { status } }", json!({ "id": w.app_id })).await;
    let suspended = w.request(&w.app_id, &["patient/Observation.rs"], 5, None).await;
    assert_eq!(error_code(&suspended), Some("CONFLICT"), "{suspended}");
    let zero = w.request(&w.app_id, &["patient/Observation.rs"], 0, None).await;
    assert_eq!(error_code(&zero), Some("BAD_USER_INPUT"));
}
