use crate::world::{World, holder, world};
use accord_gateway::testing::error_code;
use serde_json::{Value, json};

/// Calls every query and mutation that takes an id, as `token`, and expects NOT_FOUND from
/// each, with nothing written.
async fn all_not_found(w: &World, token: &str, who: &str, ids: &Value) {
    let calls: Vec<(&str, Value)> = vec![
        ("query($id: ID!) { app(id: $id) { id } }", json!({ "id": ids["app"] })),
        ("query($id: ID!) { accessRequest(id: $id) { id } }", json!({ "id": ids["request"] })),
        ("query($id: ID!) { grant(id: $id) { id } }", json!({ "id": ids["grant"] })),
        ("mutation($id: ID!) { updateApp(id: $id, input: { name: \"Hijacked\" }) { id } }", json!({ "id": ids["app"] })),
        ("mutation($id: ID!) { rotateClientSecret(appId: $id) { clientSecret } }", json!({ "id": ids["app"] })),
        ("mutation($id: ID!) { suspendApp(id: $id, reason: \"x\") { id } }", json!({ "id": ids["app"] })),
        ("mutation($id: ID!) { resumeApp(id: $id) { id } }", json!({ "id": ids["app"] })),
        ("mutation($id: ID!) { offboardApp(id: $id, reason: \"x\") { id } }", json!({ "id": ids["app"] })),
        ("mutation($id: ID!) { withdrawAccessRequest(id: $id) { id } }", json!({ "id": ids["request"] })),
        ("mutation($id: ID!) { approveAccessRequest(id: $id) { id } }", json!({ "id": ids["request"] })),
        ("mutation($id: ID!) { denyAccessRequest(id: $id, reason: \"x\") { id } }", json!({ "id": ids["request"] })),
        ("mutation($id: ID!) { revokeGrant(id: $id, reason: \"x\") { id } }", json!({ "id": ids["grant"] })),
        ("mutation($id: ID!) { suspendGrant(id: $id, reason: \"x\") { id } }", json!({ "id": ids["grant"] })),
        ("mutation($id: ID!) { resumeGrant(id: $id) { id } }", json!({ "id": ids["grant"] })),
        ("mutation($id: ID!) { endPartnership(partnerId: $id, reason: \"x\") { id } }", json!({ "id": ids["vendor"] })),
        ("mutation($id: ID!) { endPartnership(partnerId: $id, reason: \"x\") { id } }", json!({ "id": ids["holder"] })),
        (
            "mutation($id: ID!, $h: ID!) { requestAccess(input: { appId: $id, dataHolderId: $h, scopes: [\"patient/Observation.rs\"], purpose: \"x\", durationDays: 5 }) { id } }",
            json!({ "id": ids["app"], "h": ids["holder"] }),
        ),
    ];
    let before = (w.app.count("audit_events").await, w.app.count("outbox_events").await);
    let unknown = accord_kernel::new_id();
    for (q, vars) in calls {
        let r = w.app.gql(Some(token), q, vars.clone()).await;
        assert_eq!(error_code(&r), Some("NOT_FOUND"), "{who}: {q} {vars}: {r}");
        // And exactly like an id that does not exist.
        let mut ghost = vars.clone();
        ghost["id"] = json!(unknown);
        let g = w.app.gql(Some(token), q, ghost).await;
        assert_eq!(r["errors"][0]["message"], g["errors"][0]["message"], "{who}: existence leaks through {q}");
    }
    assert_eq!(before, (w.app.count("audit_events").await, w.app.count("outbox_events").await), "{who} changed something");

    let lists = w
        .app
        .gql(
            Some(token),
            "query($a: ID!) { apps { totalCount } accessRequests { totalCount } grants { totalCount } byApp: grants(appId: $a) { totalCount }
                requestsByApp: accessRequests(appId: $a) { totalCount } }",
            json!({ "a": ids["app"] }),
        )
        .await;
    for k in ["apps", "accessRequests", "grants", "byApp", "requestsByApp"] {
        assert_eq!(lists["data"][k]["totalCount"], json!(0), "{who} sees {k}: {lists}");
    }
}

#[tokio::test]
async fn unrelated_vendors_and_data_holders_get_not_found_for_everything_and_change_nothing() {
    let w = world().await;
    let grant = w.grant(&w.app_id, &["patient/Observation.rs"], 30).await;
    let other_app = crate::world::register_app(&w.app, &w.dev, "Pending App").await;
    let request = w.request_ok(&other_app, &["patient/Observation.rs"], 30, None).await;
    let ids = json!({ "app": w.app_id, "grant": grant, "request": request, "vendor": w.vendor_id, "holder": w.holder_id });

    let (stranger_vendor, _) = w.app.sign_up("Unrelated Vendor", "DEVELOPER", &w.app.email("stranger")).await;
    all_not_found(&w, &stranger_vendor, "an unrelated vendor", &ids).await;
    let (_, stranger_holder) = holder(&w.app, "Unrelated Clinic", accord_kernel::TenantKind::Provider).await;
    all_not_found(&w, &stranger_holder, "an unrelated data holder", &ids).await;

    // The parties themselves still see everything.
    let seen = w
        .gql(
            &w.approver1,
            "query($a: ID!, $g: ID!) { app(id: $a) { name } grant(id: $g) { status } }",
            json!({ "a": w.app_id, "g": grant }),
        )
        .await;
    assert_eq!(seen["data"]["grant"]["status"], json!("ACTIVE"), "{seen}");
    assert_eq!(seen["data"]["app"]["name"], json!("Lab Viewer"));
}

#[tokio::test]
async fn a_data_holder_sees_only_the_apps_that_asked_it() {
    let w = world().await;
    let quiet = crate::world::register_app(&w.app, &w.dev, "Never Asked").await;
    w.request_ok(&w.app_id, &["patient/Observation.rs"], 30, None).await;
    let apps = w.gql(&w.approver1, "{ apps { totalCount edges { node { id } } } }", json!({})).await;
    assert_eq!(apps["data"]["apps"]["totalCount"], json!(1), "{apps}");
    assert_eq!(apps["data"]["apps"]["edges"][0]["node"]["id"], json!(w.app_id));
    let r = w.gql(&w.approver1, "query($id: ID!) { app(id: $id) { id } }", json!({ "id": quiet })).await;
    assert_eq!(error_code(&r), Some("NOT_FOUND"));
    let mine = w.gql(&w.dev, "{ apps { totalCount } }", json!({})).await;
    assert_eq!(mine["data"]["apps"]["totalCount"], json!(2));
}

#[tokio::test]
async fn either_party_lists_one_apps_requests_with_app_id() {
    let w = world().await;
    let other_app = crate::world::register_app(&w.app, &w.dev, "Second App").await;
    for app in [&w.app_id, &other_app] {
        let r = w.request(app, &["patient/Observation.rs"], 30, None).await;
        assert!(r["data"]["requestAccess"]["id"].is_string(), "{r}");
    }
    let q = "query($a: ID!) { all: accessRequests { totalCount } one: accessRequests(appId: $a) { totalCount nodes { app { id } } } }";
    for who in [&w.dev, &w.approver1] {
        let r = w.app.gql(Some(who), q, json!({ "a": other_app })).await;
        assert_eq!(r["data"]["all"]["totalCount"], json!(2), "{r}");
        assert_eq!(r["data"]["one"]["totalCount"], json!(1), "{r}");
        assert_eq!(r["data"]["one"]["nodes"][0]["app"]["id"], json!(other_app), "{r}");
    }
}
