use crate::world::{World, world};
use accord_gateway::testing::{error_code, error_message};
use accord_kernel::Clock;
use serde_json::json;

#[tokio::test]
async fn a_vendor_asks_approvers_narrow_and_approve_and_the_vendor_sees_its_grant() {
    let w = world().await;
    // The vendor finds the data holder.
    let found = w.gql(&w.dev, "{ dataHolders(search: \"general\") { edges { node { id name kind } } } }", json!({})).await;
    assert_eq!(found["data"]["dataHolders"]["edges"][0]["node"]["id"], json!(w.holder_id));

    // It asks, in v1 and v2 forms; the proposal is normalized, the request kept verbatim.
    let asked = w
        .request(&w.app_id, &["patient/Observation.read", "patient/Condition.rs", "launch/patient", "openid", "fhirUser"], 180, None)
        .await;
    let r = &asked["data"]["requestAccess"];
    assert_eq!(r["status"], json!("PENDING"), "{asked}");
    assert_eq!(r["requestedScopes"], json!(["patient/Observation.read", "patient/Condition.rs", "launch/patient", "openid", "fhirUser"]));
    assert_eq!(r["proposedScopes"], json!(["fhirUser", "launch/patient", "openid", "patient/Condition.rs", "patient/Observation.rs"]));
    assert_eq!((r["risk"].clone(), r["requiredApprovals"].clone()), (json!("LOW"), json!(1)));
    let id = r["id"].as_str().unwrap().to_owned();

    // The approver sees what they decide on.
    let inbox = w
        .gql(
            &w.approver1,
            "{ accessRequests(status: PENDING) { totalCount edges { node { id purpose app { name businessOwnerEmail technicalOwnerEmail vendor { name } } vendor { name } dataHolder { name } requestedScopes proposedScopes risk requiredApprovals approvals { approverEmail } scopeAnalysis { input normalized risk description } } } } }",
            json!({}),
        )
        .await;
    let node = &inbox["data"]["accessRequests"]["edges"][0]["node"];
    assert_eq!(inbox["data"]["accessRequests"]["totalCount"], json!(1), "{inbox}");
    assert_eq!(node["app"]["vendor"]["name"], json!("Acme Health Apps"));
    assert_eq!(node["app"]["businessOwnerEmail"], json!("biz@vendor.example"));
    let analysis = node["scopeAnalysis"].as_array().unwrap();
    assert_eq!(analysis.len(), 5);
    assert!(analysis.iter().any(|a| a["description"].as_str().unwrap().contains("Observation")), "{inbox}");

    // Widening and lengthening are refused and change nothing.
    let wider = w.approve(&w.approver1, &id, json!({ "scopes": ["patient/Observation.cruds"] })).await;
    assert_eq!(error_code(&wider), Some("BAD_USER_INPUT"), "{wider}");
    assert!(error_message(&wider).starts_with("scopes:"), "{wider}");
    let longer = w.approve(&w.approver1, &id, json!({ "durationDays": 181 })).await;
    assert_eq!(error_code(&longer), Some("BAD_USER_INPUT"), "{longer}");
    assert!(error_message(&longer).starts_with("durationDays:"));

    // Narrowing and approving: LOW risk needs one approval.
    let approved = w
        .approve(
            &w.approver1,
            &id,
            json!({ "scopes": ["patient/Observation.rs", "launch/patient", "openid"], "durationDays": 90, "comment": "labs only" }),
        )
        .await;
    let a = &approved["data"]["approveAccessRequest"];
    assert_eq!(a["status"], json!("APPROVED"), "{approved}");
    assert_eq!(a["grant"]["scopes"], json!(["launch/patient", "openid", "patient/Observation.rs"]));
    let expires: chrono::DateTime<chrono::Utc> = a["grant"]["expiresAt"].as_str().unwrap().parse().unwrap();
    assert_eq!(expires, w.app.clock.now() + chrono::Duration::days(90));

    // The vendor sees its grant.
    let grants = w
        .gql(
            &w.dev,
            "{ grants(status: ACTIVE) { totalCount edges { node { id status scopes app { id } dataHolder { id } } } } }",
            json!({}),
        )
        .await;
    assert_eq!(grants["data"]["grants"]["totalCount"], json!(1), "{grants}");
    assert_eq!(grants["data"]["grants"]["edges"][0]["node"]["dataHolder"]["id"], json!(w.holder_id));

    // Deciding a decided request is a conflict.
    let again = w.approve(&w.approver2, &id, json!({})).await;
    assert_eq!(error_code(&again), Some("CONFLICT"), "{again}");
    let deny = w.gql(&w.approver2, "mutation($id: ID!) { denyAccessRequest(id: $id, reason: \"late\") { id } }", json!({ "id": id })).await;
    assert_eq!(error_code(&deny), Some("CONFLICT"));
}

#[tokio::test]
async fn a_high_risk_request_needs_two_different_approvers_and_supersedes_the_grant_it_replaces() {
    let w = world().await;
    let old = w.grant(&w.app_id, &["patient/Observation.rs"], 90).await;

    let blocked = w.request(&w.app_id, &["patient/Observation.rs", "patient/Observation.cu"], 60, None).await;
    assert_eq!(error_code(&blocked), Some("CONFLICT"));
    assert!(error_message(&blocked).contains(&old), "names the grant in force: {blocked}");

    let asked = w.request(&w.app_id, &["patient/Observation.rs", "patient/Observation.cu"], 60, Some(&old)).await;
    let r = &asked["data"]["requestAccess"];
    assert_eq!((r["risk"].clone(), r["requiredApprovals"].clone()), (json!("HIGH"), json!(2)), "{asked}");
    assert_eq!(r["proposedScopes"], json!(["patient/Observation.crus"]));
    let id = r["id"].as_str().unwrap().to_owned();

    let pending_again = w.request(&w.app_id, &["patient/Observation.rs"], 30, Some(&old)).await;
    assert_eq!(error_code(&pending_again), Some("CONFLICT"), "one pending request per pair: {pending_again}");

    let first = w.approve(&w.approver1, &id, json!({})).await;
    assert_eq!(first["data"]["approveAccessRequest"]["status"], json!("PENDING"), "{first}");
    let twice = w.approve(&w.approver1, &id, json!({})).await;
    assert_eq!(error_code(&twice), Some("CONFLICT"), "one approver counts once: {twice}");

    let second = w.approve(&w.approver2, &id, json!({})).await;
    let s = &second["data"]["approveAccessRequest"];
    assert_eq!(s["status"], json!("APPROVED"), "{second}");
    assert_eq!(s["approvals"].as_array().unwrap().len(), 2);

    let old_now = w.gql(&w.dev, "query($id: ID!) { grant(id: $id) { status revokedReason } }", json!({ "id": old })).await;
    assert_eq!(old_now["data"]["grant"], json!({ "status": "REVOKED", "revokedReason": "superseded" }));
    let by_app = w.gql(&w.dev, "query($a: ID!) { grants(appId: $a, status: ACTIVE) { totalCount } }", json!({ "a": w.app_id })).await;
    assert_eq!(by_app["data"]["grants"]["totalCount"], json!(1));
}

#[tokio::test]
async fn a_later_approver_who_narrows_restarts_the_count() {
    let w = world().await;
    let id = w.request_ok(&w.app_id, &["patient/Observation.cruds", "patient/Condition.rs"], 60, None).await;
    let one = w.approve(&w.approver1, &id, json!({})).await;
    assert_eq!(one["data"]["approveAccessRequest"]["approvals"].as_array().unwrap().len(), 1);

    // Approver 2 narrows to a LOW-risk proposal: the count restarts at their approval, and
    // one approval suffices for LOW risk.
    let two = w.approve(&w.approver2, &id, json!({ "scopes": ["patient/Observation.rs"] })).await;
    let t = &two["data"]["approveAccessRequest"];
    assert_eq!(t["risk"], json!("LOW"), "{two}");
    assert_eq!(t["status"], json!("APPROVED"));
    let current: Vec<bool> = t["approvals"].as_array().unwrap().iter().map(|a| a["current"].as_bool().unwrap()).collect();
    assert_eq!(current, [false, true]);
    assert_eq!(t["grant"]["scopes"], json!(["patient/Observation.rs"]));
}

#[tokio::test]
async fn only_the_holders_approvers_decide_and_nobody_approves_their_own_request() {
    let w = world().await;
    let id = w.request_ok(&w.app_id, &["patient/Observation.rs"], 30, None).await;
    for (who, token) in [("vendor developer", &w.dev), ("vendor admin", &w.vendor_admin), ("holder auditor", &w.auditor)] {
        let r = w.approve(token, &id, json!({})).await;
        assert_eq!(error_code(&r), Some("FORBIDDEN"), "{who}: {r}");
    }
    // The holder's ADMIN may approve (ADMIN may do all an APPROVER may).
    let r = w.approve(&w.holder_admin, &id, json!({})).await;
    assert_eq!(r["data"]["approveAccessRequest"]["status"], json!("APPROVED"), "{r}");
}

#[tokio::test]
async fn withdraw_and_deny_end_a_request_once() {
    let w = world().await;
    let id = w.request_ok(&w.app_id, &["patient/Observation.rs"], 30, None).await;
    let q = "mutation($id: ID!) { withdrawAccessRequest(id: $id) { status } }";
    let approver_withdraws = w.gql(&w.approver1, q, json!({ "id": id })).await;
    assert_eq!(error_code(&approver_withdraws), Some("FORBIDDEN"));
    assert_eq!(w.gql(&w.dev, q, json!({ "id": id })).await["data"]["withdrawAccessRequest"]["status"], json!("WITHDRAWN"));
    assert_eq!(error_code(&w.gql(&w.dev, q, json!({ "id": id })).await), Some("CONFLICT"));

    let id = w.request_ok(&w.app_id, &["patient/Observation.rs"], 30, None).await;
    let deny = "mutation($id: ID!, $r: String!) { denyAccessRequest(id: $id, reason: $r) { status decisionReason } }";
    let blank = w.gql(&w.approver1, deny, json!({ "id": id, "r": "  " })).await;
    assert_eq!(error_code(&blank), Some("BAD_USER_INPUT"));
    let denied = w.gql(&w.approver1, deny, json!({ "id": id, "r": "no BAA on file" })).await;
    assert_eq!(denied["data"]["denyAccessRequest"], json!({ "status": "DENIED", "decisionReason": "no BAA on file" }));
    let seen = w.gql(&w.dev, "query($id: ID!) { accessRequest(id: $id) { status decisionReason } }", json!({ "id": id })).await;
    assert_eq!(seen["data"]["accessRequest"]["status"], json!("DENIED"));
}

#[tokio::test]
async fn revoke_suspend_and_resume_follow_the_grant_state_machine() {
    let w = world().await;
    let g = w.grant(&w.app_id, &["patient/Observation.rs"], 30).await;
    let suspend = "mutation($id: ID!) { suspendGrant(id: $id, reason: \"investigating\") { status suspendedReason } }";
    let resume = "mutation($id: ID!) { resumeGrant(id: $id) { status } }";
    let revoke = "mutation($id: ID!) { revokeGrant(id: $id, reason: \"contract ended\") { status revokedReason } }";

    assert_eq!(error_code(&w.gql(&w.dev, revoke, json!({ "id": g })).await), Some("FORBIDDEN"), "the vendor cannot revoke");
    assert_eq!(error_code(&w.gql(&w.approver1, resume, json!({ "id": g })).await), Some("CONFLICT"), "not suspended");
    assert_eq!(
        w.gql(&w.approver1, suspend, json!({ "id": g })).await["data"]["suspendGrant"],
        json!({ "status": "SUSPENDED", "suspendedReason": "investigating" })
    );
    assert_eq!(error_code(&w.gql(&w.approver1, suspend, json!({ "id": g })).await), Some("CONFLICT"));
    assert_eq!(w.gql(&w.approver1, resume, json!({ "id": g })).await["data"]["resumeGrant"]["status"], json!("ACTIVE"));
    assert_eq!(
        w.gql(&w.approver1, revoke, json!({ "id": g })).await["data"]["revokeGrant"],
        json!({ "status": "REVOKED", "revokedReason": "contract ended" })
    );
    for q in [revoke, suspend, resume] {
        assert_eq!(error_code(&w.gql(&w.approver1, q, json!({ "id": g })).await), Some("CONFLICT"), "REVOKED is final: {q}");
    }
}

#[tokio::test]
async fn a_grant_reads_expired_the_moment_it_passes_without_any_sweep() {
    let w = world().await;
    let g = w.grant(&w.app_id, &["patient/Observation.rs"], 7).await;
    // Sessions last hours; API tokens outlive the week this test moves through.
    let (dev, approver) = (w.long_lived(&w.dev).await, w.long_lived(&w.approver1).await);
    let q = "query($id: ID!) { grant(id: $id) { status } }";
    w.app.clock.advance(chrono::Duration::days(7) - chrono::Duration::seconds(1));
    assert_eq!(w.gql(&dev, q, json!({ "id": g })).await["data"]["grant"]["status"], json!("ACTIVE"));
    w.app.clock.advance(chrono::Duration::seconds(1));
    assert_eq!(w.gql(&dev, q, json!({ "id": g })).await["data"]["grant"]["status"], json!("EXPIRED"));
    let listed =
        w.gql(&dev, "{ active: grants(status: ACTIVE) { totalCount } expired: grants(status: EXPIRED) { totalCount } }", json!({})).await;
    assert_eq!((listed["data"]["active"]["totalCount"].clone(), listed["data"]["expired"]["totalCount"].clone()), (json!(0), json!(1)));
    let revoke = w.gql(&approver, "mutation($id: ID!) { revokeGrant(id: $id, reason: \"x\") { status } }", json!({ "id": g })).await;
    assert_eq!(error_code(&revoke), Some("CONFLICT"), "an expired grant cannot be revoked: {revoke}");
    // A new request needs no replacesGrantId: the expired grant is not in force.
    let r = w
        .gql(&dev, crate::world::REQUEST, json!({ "i": { "appId": w.app_id, "dataHolderId": w.holder_id, "scopes": ["patient/Observation.rs"], "purpose": "renewal", "durationDays": 7 } }))
        .await;
    assert_eq!(r["data"]["requestAccess"]["status"], json!("PENDING"), "{r}");
}

#[tokio::test]
async fn low_risk_requests_are_granted_at_once_when_the_policy_says_so() {
    let w: World = world().await;
    w.gql(&w.holder_admin, "mutation { updateApprovalPolicy(input: { autoApproveLowRisk: true }) { autoApproveLowRisk } }", json!({}))
        .await;
    let low = w.request(&w.app_id, &["patient/Observation.rs"], 30, None).await;
    assert_eq!(low["data"]["requestAccess"]["status"], json!("APPROVED"), "{low}");
    assert_eq!(low["data"]["requestAccess"]["grant"]["status"], json!("ACTIVE"));
    let other = crate::world::register_app(&w.app, &w.dev, "Other App").await;
    let high = w.request(&other, &["patient/Observation.cud"], 30, None).await;
    assert_eq!(high["data"]["requestAccess"]["status"], json!("PENDING"), "HIGH risk still needs people: {high}");
}

#[tokio::test]
async fn two_approvers_approving_at_the_same_moment_both_count() {
    let w = world().await;
    for round in 0..3 {
        let app_id = crate::world::register_app(&w.app, &w.dev, &format!("Race {round}")).await;
        let id = w.request_ok(&app_id, &["patient/Observation.cu"], 30, None).await;
        let (a, b) = tokio::join!(w.approve(&w.approver1, &id, json!({})), w.approve(&w.approver2, &id, json!({})));
        assert_eq!(error_code(&a), None, "{a}");
        assert_eq!(error_code(&b), None, "{b}");
        let r = w
            .gql(&w.dev, "query($id: ID!) { accessRequest(id: $id) { status approvals { id } grant { status } } }", json!({ "id": id }))
            .await;
        assert_eq!(r["data"]["accessRequest"]["status"], json!("APPROVED"), "round {round}: {r}");
        assert_eq!(r["data"]["accessRequest"]["grant"]["status"], json!("ACTIVE"));
    }
}

#[tokio::test]
async fn two_requests_for_the_same_pair_at_the_same_moment_yield_one_request_and_one_conflict() {
    let w = world().await;
    for round in 0..3 {
        let app_id = crate::world::register_app(&w.app, &w.dev, &format!("Twin {round}")).await;
        let (a, b) = tokio::join!(
            w.request(&app_id, &["patient/Observation.rs"], 30, None),
            w.request(&app_id, &["patient/Condition.rs"], 30, None)
        );
        let mut codes = [error_code(&a), error_code(&b)];
        codes.sort();
        assert_eq!(codes, [None, Some("CONFLICT")], "round {round}: {a} {b}");
    }
}
