use crate::support::*;
use accord_gateway::testing::{error_code, error_message, spawn_app};
use accord_kernel::Clock as _;
use accord_registry::CredentialKind;
use serde_json::json;

#[tokio::test]
async fn a_confidential_app_gets_a_secret_shown_once_and_stored_only_as_argon2id() {
    let app = spawn_app().await;
    let acme = vendor(&app, "Acme Apps").await;
    let (registered, secret) = register(&app, &acme.token, provider_app()).await;
    let secret = secret.expect("a confidential app without keys gets a secret");
    assert!(secret.starts_with("acc_cs_") && secret.len() == 7 + 43, "{secret}");
    assert_eq!(registered["status"], json!("ACTIVE"));
    assert_eq!(registered["public"], json!(false));
    assert_eq!(registered["vendor"], json!({ "id": acme.tenant_id, "name": "Acme Apps", "kind": "DEVELOPER" }));
    assert_eq!(registered["technicalOwnerEmail"], json!("ops@sepsis.example.com"), "emails are normalized");
    assert_eq!(registered["launchUrl"], json!("https://sepsis.example.com/launch"));

    let creds = accord_registry::credentials_of(app.db(), &id(&registered)).await.unwrap();
    assert_eq!(creds.len(), 1);
    assert_eq!(creds[0].kind, CredentialKind::ClientSecret);
    let hash = creds[0].secret_hash.clone().unwrap();
    assert!(hash.starts_with("$argon2id$"), "{hash}");
    let expires = creds[0].expires_at.unwrap();
    assert_eq!(expires - app.clock.now(), chrono::Duration::days(365));

    // The clear secret is nowhere in the database: not in the app, the credential, the audit
    // trail or the outbox.
    let everything = format!(
        "{:?}{:?}{:?}{:?}",
        accord_registry::app_by_id(app.db(), &id(&registered)).await.unwrap(),
        creds,
        accord_db::audit::for_target(app.db(), &id(&registered)).await.unwrap(),
        accord_db::outbox::of_type(app.db(), "app.registered").await.unwrap(),
    );
    assert!(!everything.contains(&secret[7..]), "the clear secret was stored");

    let client_id = registered["clientId"].as_str().unwrap();
    let reg = &app.state.registry;
    assert!(reg.verify_client_secret(client_id, &secret, app.clock.now()).await.unwrap().is_some());
    assert!(reg.verify_client_secret(client_id, "acc_cs_wrong", app.clock.now()).await.unwrap().is_none());
    assert!(reg.verify_client_secret("acc_unknown", &secret, app.clock.now()).await.unwrap().is_none());
}

#[tokio::test]
async fn a_public_patient_app_gets_no_secret_and_no_credential() {
    let app = spawn_app().await;
    let acme = vendor(&app, "Acme").await;
    let (registered, secret) = register(&app, &acme.token, patient_public_app()).await;
    assert_eq!(secret, None);
    assert_eq!(registered["public"], json!(true));
    assert_eq!(registered["kind"], json!("PATIENT_FACING"));
    assert_eq!(registered["redirectUris"], json!(["https://diary.example.com/cb", "http://localhost:8080/cb"]));
    assert_eq!(app.count("app_credentials").await, 0);
}

#[tokio::test]
async fn a_backend_service_with_keys_gets_a_key_credential_and_no_secret() {
    let app = spawn_app().await;
    let acme = vendor(&app, "Acme").await;
    let (inline, secret) = register(&app, &acme.token, backend_app()).await;
    assert_eq!(secret, None);
    assert_eq!(inline["jwksUri"], json!(null));
    let mut by_url = backend_app();
    by_url["jwks"] = json!(null);
    by_url["jwksUri"] = json!("https://claims.example.com/.well-known/jwks.json");
    let (url_app, secret) = register(&app, &acme.token, by_url).await;
    assert_eq!(secret, None);
    assert_eq!(url_app["jwksUri"], json!("https://claims.example.com/.well-known/jwks.json"));

    let mut creds = accord_registry::credentials_of(app.db(), &id(&inline)).await.unwrap();
    creds.extend(accord_registry::credentials_of(app.db(), &id(&url_app)).await.unwrap());
    assert_eq!(creds.len(), 2);
    assert!(creds.iter().all(|c| c.kind == CredentialKind::Jwks && c.secret_hash.is_none() && c.revoked_at.is_none()));
    let stored = accord_registry::app_by_id(app.db(), &id(&inline)).await.unwrap().unwrap();
    assert_eq!(serde_json::from_str::<serde_json::Value>(stored.jwks.as_deref().unwrap()).unwrap(), jwks("k1"));
}

#[tokio::test]
async fn client_ids_are_prefixed_random_and_unique() {
    let app = spawn_app().await;
    let acme = vendor(&app, "Acme").await;
    let mut ids = std::collections::HashSet::new();
    for _ in 0..5 {
        let (a, _) = register(&app, &acme.token, patient_public_app()).await;
        let cid = a["clientId"].as_str().unwrap().to_owned();
        let rest = cid.strip_prefix("acc_").expect("acc_ prefix");
        assert_eq!(rest.len(), 32, "{cid}");
        assert!(rest.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'), "{cid}");
        assert!(ids.insert(cid));
    }
}

#[tokio::test]
async fn a_developer_member_registers_but_an_auditor_or_a_data_holder_is_forbidden() {
    let app = spawn_app().await;
    let acme = vendor(&app, "Acme").await;
    let developer = member(&app, &acme, &["DEVELOPER"]).await;
    let auditor = member(&app, &acme, &["AUDITOR"]).await;
    let hospital = holder(&app, "General Hospital").await;
    register(&app, &developer, patient_public_app()).await;

    let before = written(&app).await;
    let r = app.gql(Some(&auditor), &register_mutation(), json!({ "i": provider_app() })).await;
    assert_eq!(error_code(&r), Some("FORBIDDEN"), "{r}");
    assert!(error_message(&r).contains("DEVELOPER or ADMIN"), "{r}");
    let r = app.gql(Some(&hospital.token), &register_mutation(), json!({ "i": provider_app() })).await;
    assert_eq!(error_code(&r), Some("FORBIDDEN"), "{r}");
    assert!(error_message(&r).contains("only developer organizations register apps"), "{r}");
    let r = app.gql(None, &register_mutation(), json!({ "i": provider_app() })).await;
    assert_eq!(error_code(&r), Some("UNAUTHENTICATED"), "{r}");
    assert_eq!(written(&app).await, before, "a refused registration writes nothing");
}
