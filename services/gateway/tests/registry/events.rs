use crate::support::*;
use accord_gateway::testing::{TestApp, error_code, spawn_app};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::json;

#[tokio::test]
async fn every_registry_mutation_writes_its_audit_and_outbox_events() {
    let app = spawn_app().await;
    let acme = vendor(&app, "Acme").await;
    let (a, _) = register(&app, &acme.token, provider_app()).await;
    let app_id = id(&a);
    app.gql(Some(&acme.token), &update_mutation(), json!({ "id": app_id, "i": { "purpose": "A clearer purpose." } })).await;
    app.gql(Some(&acme.token), ROTATE, json!({ "id": app_id })).await;
    app.gql(Some(&acme.token), SUSPEND, json!({ "id": app_id, "r": "incident 7" })).await;
    app.gql(Some(&acme.token), RESUME, json!({ "id": app_id })).await;

    assert_eq!(audit_actions(&app, &app_id).await, ["app.registered", "app.updated", "credential.rotated", "app.suspended", "app.resumed"]);
    let audit = accord_db::audit::for_target(app.db(), &app_id).await.unwrap();
    let admin_id =
        app.gql(Some(&acme.token), "{ me { user { id } } }", json!({})).await["data"]["me"]["user"]["id"].as_str().unwrap().to_owned();
    assert!(
        audit.iter().all(|e| e.actor == format!("user:{admin_id}") && e.tenant_ids == [acme.tenant_id.clone()] && e.target_type == "app")
    );

    // The owners travel with the app, so mail reaches them (technical owner's address lower-cased).
    let summary = json!({
        "id": app_id, "clientId": a["clientId"], "name": "Sepsis Watch", "kind": "PROVIDER_FACING", "vendorId": acme.tenant_id,
        "businessOwner": "owner@sepsis.example.com", "technicalOwner": "ops@sepsis.example.com",
    });
    for event_type in ["app.registered", "app.updated", "credential.rotated", "app.suspended"] {
        let events = outbox_for(&app, event_type, &app_id).await;
        assert_eq!(events.len(), 1, "{event_type}");
        let e = &events[0];
        assert_eq!(e["type"], json!(event_type));
        assert!(e["timestamp"].is_string());
        assert_eq!(e["data"]["app"], summary, "{event_type}");
        assert_eq!(e["data"]["actor"], json!(format!("user:{admin_id}")));
        assert!(e["data"].get("reason").is_some(), "{event_type} names its reason");
    }
    assert_eq!(outbox_for(&app, "app.suspended", &app_id).await[0]["data"]["reason"], json!("incident 7"));
    assert!(accord_db::outbox::of_type(app.db(), "app.resumed").await.unwrap().is_empty(), "SPEC §6 has no resume event");
    let rows = accord_db::outbox::of_type(app.db(), "app.registered").await.unwrap();
    assert_eq!(rows[0].tenant_ids, vec![acme.tenant_id.clone()]);
    assert_eq!(accord_db::audit::verify(app.db()).await.unwrap().problem, None);
}

async fn exec(app: &TestApp, sql: &str) {
    let backend = app.db().get_database_backend();
    app.db().execute_raw(Statement::from_string(backend, sql.to_owned())).await.unwrap();
}

#[tokio::test]
async fn a_registration_whose_audit_write_fails_leaves_no_app_credential_or_event() {
    let app = spawn_app().await;
    let acme = vendor(&app, "Acme").await;
    let before = written(&app).await;
    exec(&app, "ALTER TABLE audit_event_tenants RENAME TO audit_event_tenants_gone").await;
    let r = app.gql(Some(&acme.token), &register_mutation(), json!({ "i": provider_app() })).await;
    exec(&app, "ALTER TABLE audit_event_tenants_gone RENAME TO audit_event_tenants").await;
    assert_eq!(error_code(&r), Some("INTERNAL"), "{r}");
    assert!(r["data"].is_null() || r["data"]["registerApp"].is_null(), "no secret leaks out of a failed registration: {r}");
    assert_eq!(written(&app).await, before);
}
