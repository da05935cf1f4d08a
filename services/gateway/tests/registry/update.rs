use crate::support::*;
use accord_gateway::testing::{error_code, error_message, spawn_app};
use accord_kernel::Clock as _;
use accord_registry::AppStatus;
use serde_json::json;

#[tokio::test]
async fn an_update_changes_only_the_given_fields_and_records_which() {
    let app = spawn_app().await;
    let acme = vendor(&app, "Acme").await;
    let developer = member(&app, &acme, &["DEVELOPER"]).await;
    let (before, _) = register(&app, &acme.token, provider_app()).await;
    let app_id = id(&before);
    let r = app
        .gql(
            Some(&developer),
            &update_mutation(),
            json!({ "id": app_id, "i": { "name": "Sepsis Watch 2", "redirectUris": ["https://sepsis.example.com/v2/cb"] } }),
        )
        .await;
    let after = &r["data"]["updateApp"];
    assert_eq!(after["name"], json!("Sepsis Watch 2"), "{r}");
    assert_eq!(after["redirectUris"], json!(["https://sepsis.example.com/v2/cb"]));
    for unchanged in ["clientId", "description", "launchUrl", "purpose", "businessOwnerEmail", "technicalOwnerEmail", "kind", "status"] {
        assert_eq!(after[unchanged], before[unchanged], "{unchanged}");
    }

    let events = accord_db::audit::for_target(app.db(), &app_id).await.unwrap();
    let updated = events.iter().find(|e| e.action == "app.updated").expect("audited");
    let details = updated.details.clone();
    assert_eq!(details["changes"], json!(["name", "redirectUris"]));
    assert_eq!(details["before"]["name"], json!("Sepsis Watch"));
    assert_eq!(details["after"]["name"], json!("Sepsis Watch 2"));
    let outbox = outbox_for(&app, "app.updated", &app_id).await;
    assert_eq!(outbox.len(), 1);
    assert_eq!(outbox[0]["data"]["changes"], json!(["name", "redirectUris"]));
}

#[tokio::test]
async fn null_clears_an_optional_field_and_an_update_without_change_writes_nothing() {
    let app = spawn_app().await;
    let acme = vendor(&app, "Acme").await;
    let (a, _) = register(&app, &acme.token, provider_app()).await;
    let r = app.gql(Some(&acme.token), &update_mutation(), json!({ "id": id(&a), "i": { "description": null, "launchUrl": null } })).await;
    assert_eq!(r["data"]["updateApp"]["description"], json!(null), "{r}");
    assert_eq!(r["data"]["updateApp"]["launchUrl"], json!(null), "{r}");

    let before = written(&app).await;
    let same = app.gql(Some(&acme.token), &update_mutation(), json!({ "id": id(&a), "i": { "name": "Sepsis Watch" } })).await;
    assert_eq!(same["data"]["updateApp"]["name"], json!("Sepsis Watch"), "{same}");
    assert_eq!(written(&app).await, before);
}

#[tokio::test]
async fn another_tenant_updating_an_app_gets_not_found_like_an_unknown_id_and_nothing_changes() {
    let app = spawn_app().await;
    let acme = vendor(&app, "Acme").await;
    let rival = vendor(&app, "Rival").await;
    let hospital = holder(&app, "General Hospital").await;
    let (a, _) = register(&app, &acme.token, provider_app()).await;
    let before = (accord_registry::app_by_id(app.db(), &id(&a)).await.unwrap(), written(&app).await);

    let unknown =
        app.gql(Some(&rival.token), &update_mutation(), json!({ "id": accord_kernel::new_id(), "i": { "name": "Mine now" } })).await;
    assert_eq!(error_code(&unknown), Some("NOT_FOUND"));
    for token in [&rival.token, &hospital.token] {
        let r = app.gql(Some(token), &update_mutation(), json!({ "id": id(&a), "i": { "name": "Mine now" } })).await;
        assert_eq!(error_code(&r), Some("NOT_FOUND"), "{r}");
        assert_eq!(error_message(&r), error_message(&unknown), "existence must not leak");
        let r = app.gql(Some(token), ROTATE, json!({ "id": id(&a) })).await;
        assert_eq!(error_code(&r), Some("NOT_FOUND"), "{r}");
        let r = app.gql(Some(token), SUSPEND, json!({ "id": id(&a), "r": "mine" })).await;
        assert_eq!(error_code(&r), Some("NOT_FOUND"), "{r}");
    }
    let garbage = app.gql(Some(&rival.token), &update_mutation(), json!({ "id": "not-a-uuid", "i": { "name": "x" } })).await;
    assert_eq!(error_code(&garbage), Some("NOT_FOUND"));
    assert_eq!((accord_registry::app_by_id(app.db(), &id(&a)).await.unwrap(), written(&app).await), before);
}

#[tokio::test]
async fn an_auditor_of_the_vendor_cannot_update() {
    let app = spawn_app().await;
    let acme = vendor(&app, "Acme").await;
    let auditor = member(&app, &acme, &["AUDITOR"]).await;
    let (a, _) = register(&app, &acme.token, provider_app()).await;
    let r = app.gql(Some(&auditor), &update_mutation(), json!({ "id": id(&a), "i": { "name": "x" } })).await;
    assert_eq!(error_code(&r), Some("FORBIDDEN"), "{r}");
}

#[tokio::test]
async fn an_update_is_revalidated_as_a_whole_and_a_refused_one_writes_nothing() {
    let app = spawn_app().await;
    let acme = vendor(&app, "Acme").await;
    let (provider, _) = register(&app, &acme.token, provider_app()).await;
    let (backend, _) = register(&app, &acme.token, backend_app()).await;
    let before = written(&app).await;
    for (app_id, input, expected) in [
        (id(&provider), json!({ "redirectUris": [] }), "redirectUris: a PROVIDER_FACING app needs at least one redirect URI"),
        (id(&provider), json!({ "redirectUris": ["http://evil.example.com/cb"] }), "redirectUris[0]: must use https"),
        (id(&backend), json!({ "jwksUri": "https://claims.example.com/jwks.json" }), "jwks: give either jwks or jwksUri, not both"),
        (id(&backend), json!({ "jwks": null }), "jwks: a BACKEND_SERVICE app needs jwks or jwksUri"),
        (
            id(&backend),
            json!({ "redirectUris": ["https://claims.example.com/cb"] }),
            "redirectUris: a BACKEND_SERVICE app has no user-facing flow",
        ),
        (id(&provider), json!({ "public": true }), "public: the app authenticates with a client secret"),
        (
            id(&provider),
            json!({ "jwksUri": "https://sepsis.example.com/jwks.json" }),
            "jwksUri: the app authenticates with a client secret",
        ),
        (id(&provider), json!({ "technicalOwnerEmail": "nobody" }), "technicalOwnerEmail: is not an email address"),
    ] {
        let r = app.gql(Some(&acme.token), &update_mutation(), json!({ "id": app_id, "i": input })).await;
        assert_eq!(error_code(&r), Some("BAD_USER_INPUT"), "{input}: {r}");
        assert!(error_message(&r).starts_with(expected), "{input}: {r}");
    }
    assert_eq!(written(&app).await, before);
}

#[tokio::test]
async fn replacing_a_backend_services_keys_records_a_new_key_credential() {
    let app = spawn_app().await;
    let acme = vendor(&app, "Acme").await;
    let (backend, _) = register(&app, &acme.token, backend_app()).await;
    let r = app
        .gql(
            Some(&acme.token),
            &update_mutation(),
            json!({ "id": id(&backend), "i": { "jwks": null, "jwksUri": "https://claims.example.com/jwks.json" } }),
        )
        .await;
    assert_eq!(r["data"]["updateApp"]["jwksUri"], json!("https://claims.example.com/jwks.json"), "{r}");
    let creds = accord_registry::credentials_of(app.db(), &id(&backend)).await.unwrap();
    assert_eq!(creds.len(), 2);
    assert_eq!(creds[0].revoked_at, Some(app.clock.now()), "the old key registration is revoked");
    assert_eq!((creds[1].revoked_at, creds[1].rotated_from.as_deref()), (None, Some(creds[0].id.as_str())));
    let stored = accord_registry::app_by_id(app.db(), &id(&backend)).await.unwrap().unwrap();
    assert_eq!(stored.jwks, None);
}

#[tokio::test]
async fn an_offboarded_app_cannot_be_updated() {
    let app = spawn_app().await;
    let acme = vendor(&app, "Acme").await;
    let (a, _) = register(&app, &acme.token, provider_app()).await;
    let now = app.clock.now();
    assert!(
        accord_registry::set_status(app.db(), &id(&a), &[AppStatus::Active], AppStatus::Offboarded, Some("retired"), now).await.unwrap()
    );
    let before = written(&app).await;
    let r = app.gql(Some(&acme.token), &update_mutation(), json!({ "id": id(&a), "i": { "name": "Zombie" } })).await;
    assert_eq!(error_code(&r), Some("CONFLICT"), "{r}");
    assert!(error_message(&r).contains("offboarded"), "{r}");
    assert_eq!(written(&app).await, before);
}
