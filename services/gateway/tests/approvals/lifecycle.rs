use crate::world::{register_app, world};
use accord_gateway::testing::error_code;
use accord_kernel::Clock;
use serde_json::json;

#[tokio::test]
async fn offboarding_revokes_every_grant_cancels_pending_requests_and_disables_credentials() {
    let w = world().await;
    let (payer_id, payer_admin) = crate::world::holder(&w.app, "Blue Payer", accord_kernel::TenantKind::Payer).await;
    let g1 = w.grant(&w.app_id, &["patient/Observation.rs"], 30).await;
    let at_payer = w
        .gql(&w.dev, crate::world::REQUEST, json!({ "i": { "appId": w.app_id, "dataHolderId": payer_id, "scopes": ["patient/Coverage.rs"], "purpose": "claims", "durationDays": 30 } }))
        .await;
    let pending = at_payer["data"]["requestAccess"]["id"].as_str().unwrap().to_owned();
    let q = "mutation($id: ID!, $r: String!) { offboardApp(id: $id, reason: $r) { id status } }";

    assert_eq!(
        error_code(&w.gql(&w.dev, q, json!({ "id": w.app_id, "r": "sunset" })).await),
        Some("FORBIDDEN"),
        "a DEVELOPER cannot offboard"
    );
    assert_eq!(error_code(&w.gql(&payer_admin, q, json!({ "id": w.app_id, "r": "sunset" })).await), Some("NOT_FOUND"));
    let off = w.gql(&w.vendor_admin, q, json!({ "id": w.app_id, "r": "product sunset" })).await;
    assert_eq!(off["data"]["offboardApp"]["status"], json!("OFFBOARDED"), "{off}");

    let g = w.gql(&w.approver1, "query($id: ID!) { grant(id: $id) { status revokedReason } }", json!({ "id": g1 })).await;
    assert_eq!(g["data"]["grant"]["status"], json!("REVOKED"));
    assert!(g["data"]["grant"]["revokedReason"].as_str().unwrap().contains("product sunset"));
    let r = w.gql(&payer_admin, "query($id: ID!) { accessRequest(id: $id) { status } }", json!({ "id": pending })).await;
    assert_eq!(r["data"]["accessRequest"]["status"], json!("CANCELLED"));
    let live_creds = accord_registry::disable_credentials(w.app.db(), &w.app_id, w.app.clock.now()).await.unwrap();
    assert_eq!(live_creds, 0, "no live credential is left");
    assert_eq!(
        error_code(&w.gql(&w.vendor_admin, q, json!({ "id": w.app_id, "r": "again" })).await),
        Some("CONFLICT"),
        "OFFBOARDED is final"
    );
    let ask = w.request(&w.app_id, &["patient/Observation.rs"], 5, None).await;
    assert_eq!(error_code(&ask), Some("CONFLICT"));

    let revoked = accord_db::outbox::of_type(w.app.db(), "grant.revoked").await.unwrap();
    assert_eq!(revoked.len(), 1);
    assert_eq!(accord_db::outbox::of_type(w.app.db(), "access_request.cancelled").await.unwrap().len(), 1);
    assert_eq!(accord_db::outbox::of_type(w.app.db(), "app.offboarded").await.unwrap().len(), 1);
}

#[tokio::test]
async fn ending_a_partnership_revokes_every_grant_and_cancels_every_request_between_the_two() {
    let w = world().await;
    let second_app = register_app(&w.app, &w.dev, "Second App").await;
    let third_app = register_app(&w.app, &w.dev, "Third App").await;
    let g1 = w.grant(&w.app_id, &["patient/Observation.rs"], 30).await;
    let g2 = w.grant(&second_app, &["patient/Condition.rs"], 30).await;
    let pending = w.request_ok(&third_app, &["patient/Procedure.rs"], 30, None).await;
    let q = "mutation($p: ID!, $r: String!) { endPartnership(partnerId: $p, reason: $r) { status endedReason partner { id } } }";

    assert_eq!(
        error_code(&w.gql(&w.approver1, q, json!({ "p": w.vendor_id, "r": "x" })).await),
        Some("FORBIDDEN"),
        "approvers are not admins"
    );
    let (other_holder, other_admin) = crate::world::holder(&w.app, "Elsewhere", accord_kernel::TenantKind::Provider).await;
    assert_eq!(error_code(&w.gql(&other_admin, q, json!({ "p": w.vendor_id, "r": "x" })).await), Some("NOT_FOUND"));
    assert_eq!(error_code(&w.gql(&w.vendor_admin, q, json!({ "p": other_holder, "r": "x" })).await), Some("NOT_FOUND"));

    let ended = w.gql(&w.vendor_admin, q, json!({ "p": w.holder_id, "r": "we are leaving" })).await;
    assert_eq!(
        ended["data"]["endPartnership"],
        json!({ "status": "ENDED", "endedReason": "we are leaving", "partner": { "id": w.holder_id } }),
        "{ended}"
    );
    for g in [&g1, &g2] {
        let s = w.gql(&w.approver1, "query($id: ID!) { grant(id: $id) { status } }", json!({ "id": g })).await;
        assert_eq!(s["data"]["grant"]["status"], json!("REVOKED"));
    }
    let r = w.gql(&w.approver1, "query($id: ID!) { accessRequest(id: $id) { status } }", json!({ "id": pending })).await;
    assert_eq!(r["data"]["accessRequest"]["status"], json!("CANCELLED"));
    assert_eq!(error_code(&w.gql(&w.holder_admin, q, json!({ "p": w.vendor_id, "r": "x" })).await), Some("CONFLICT"));
    assert_eq!(accord_db::outbox::of_type(w.app.db(), "partnership.ended").await.unwrap().len(), 1);

    // A new approval starts the partnership again.
    let g3 = w.grant(&w.app_id, &["patient/Observation.rs"], 30).await;
    assert!(!g3.is_empty());
}
