use crate::support::*;
use accord_gateway::testing::{TestApp, error_code, error_message, spawn_app};
use accord_kernel::Clock as _;
use accord_registry::{AppStatus, CredentialKind, CredentialRecord};
use chrono::Duration;
use serde_json::{Value, json};

async fn rotate(app: &TestApp, token: &str, app_id: &str) -> String {
    let r = app.gql(Some(token), ROTATE, json!({ "id": app_id })).await;
    r["data"]["rotateClientSecret"]["clientSecret"].as_str().unwrap_or_else(|| panic!("rotation failed: {r}")).to_owned()
}

async fn works(app: &TestApp, a: &Value, secret: &str) -> bool {
    let client_id = a["clientId"].as_str().unwrap();
    app.state.registry.verify_client_secret(client_id, secret, app.clock.now()).await.unwrap().is_some()
}

async fn credentials(app: &TestApp, a: &Value) -> Vec<CredentialRecord> {
    accord_registry::credentials_of(app.db(), &id(a)).await.unwrap()
}

async fn live_secrets(app: &TestApp, a: &Value) -> usize {
    let now = app.clock.now();
    credentials(app, a)
        .await
        .into_iter()
        .filter(|c| c.kind == CredentialKind::ClientSecret && c.revoked_at.is_none() && c.expires_at.is_none_or(|e| e > now))
        .count()
}

#[tokio::test]
async fn the_previous_secret_works_for_the_grace_period_then_only_the_new_one() {
    let app = spawn_app().await;
    let acme = vendor(&app, "Acme").await;
    let (a, first) = register(&app, &acme.token, provider_app()).await;
    let first = first.unwrap();
    let second = rotate(&app, &acme.token, &id(&a)).await;
    assert!(second.starts_with("acc_cs_") && second != first);
    assert_eq!(live_secrets(&app, &a).await, 2);
    assert!(works(&app, &a, &first).await && works(&app, &a, &second).await);

    app.clock.advance(Duration::hours(23));
    assert!(works(&app, &a, &first).await, "still inside the 24 h grace period");
    app.clock.advance(Duration::hours(1) + Duration::seconds(1));
    assert!(!works(&app, &a, &first).await, "the grace period is over");
    assert!(works(&app, &a, &second).await);
    assert_eq!(live_secrets(&app, &a).await, 1);
}

#[tokio::test]
async fn a_third_rotation_revokes_the_oldest_secret_at_once_so_never_more_than_two_live() {
    let app = spawn_app().await;
    let acme = vendor(&app, "Acme").await;
    let developer = member(&app, &acme, &["DEVELOPER"]).await;
    let (a, first) = register(&app, &acme.token, provider_app()).await;
    let first = first.unwrap();
    let second = rotate(&app, &developer, &id(&a)).await;
    let third = rotate(&app, &developer, &id(&a)).await;
    assert_eq!(live_secrets(&app, &a).await, 2);
    assert!(!works(&app, &a, &first).await, "the oldest secret is revoked immediately");
    assert!(works(&app, &a, &second).await && works(&app, &a, &third).await);

    let creds = credentials(&app, &a).await;
    assert_eq!(creds.len(), 3);
    assert_eq!(creds[0].revoked_at, Some(app.clock.now()));
    assert_eq!(creds[1].rotated_from.as_deref(), Some(creds[0].id.as_str()));
    assert_eq!(creds[2].rotated_from.as_deref(), Some(creds[1].id.as_str()));
    assert_eq!(creds[1].expires_at, Some(app.clock.now() + Duration::hours(24)));
    assert_eq!(audit_actions(&app, &id(&a)).await, ["app.registered", "credential.rotated", "credential.rotated"]);
    let events = outbox_for(&app, "credential.rotated", &id(&a)).await;
    assert_eq!(events.len(), 2);
    assert_eq!(events[1]["data"]["credential"]["rotatedFrom"], json!(creds[1].id));
    assert!(!format!("{events:?}").contains(&third[7..]), "no secret in the outbox");
}

#[tokio::test]
async fn a_secret_stops_working_when_it_expires_or_its_app_is_not_active() {
    let app = spawn_app().await;
    let acme = vendor(&app, "Acme").await;
    let (a, secret) = register(&app, &acme.token, provider_app()).await;
    let secret = secret.unwrap();
    let r = app.gql(Some(&acme.token), SUSPEND, json!({ "id": id(&a), "r": "incident 42" })).await;
    assert_eq!(r["data"]["suspendApp"]["status"], json!("SUSPENDED"), "{r}");
    assert!(!works(&app, &a, &secret).await, "a suspended app does not authenticate");
    app.gql(Some(&acme.token), RESUME, json!({ "id": id(&a) })).await;
    assert!(works(&app, &a, &secret).await);

    // The session would expire with the year: act through the service as the same admin.
    let admin = app.state.tenants.authenticate(&acme.token).await.unwrap();
    app.clock.advance(Duration::days(365) + Duration::seconds(1));
    assert!(!works(&app, &a, &secret).await, "secrets expire after a year");
    // Rotating after every secret expired still chains to the last one.
    let (_, fresh) = app.state.registry.rotate_client_secret(&admin, &id(&a)).await.unwrap();
    assert!(works(&app, &a, &fresh).await);
    let creds = credentials(&app, &a).await;
    assert_eq!(creds[1].rotated_from.as_deref(), Some(creds[0].id.as_str()));
}

#[tokio::test]
async fn disabling_credentials_revokes_every_live_one() {
    let app = spawn_app().await;
    let acme = vendor(&app, "Acme").await;
    let (a, first) = register(&app, &acme.token, provider_app()).await;
    let second = rotate(&app, &acme.token, &id(&a)).await;
    let now = app.clock.now();
    assert_eq!(accord_registry::disable_credentials(app.db(), &id(&a), now).await.unwrap(), 2);
    assert!(!works(&app, &a, &first.unwrap()).await && !works(&app, &a, &second).await);
    assert_eq!(accord_registry::disable_credentials(app.db(), &id(&a), now).await.unwrap(), 0);
}

#[tokio::test]
async fn public_key_based_and_offboarded_apps_have_no_secret_to_rotate() {
    let app = spawn_app().await;
    let acme = vendor(&app, "Acme").await;
    let auditor = member(&app, &acme, &["AUDITOR"]).await;
    let (public, _) = register(&app, &acme.token, patient_public_app()).await;
    let (backend, _) = register(&app, &acme.token, backend_app()).await;
    let (offboarded, _) = register(&app, &acme.token, provider_app()).await;
    let now = app.clock.now();
    accord_registry::set_status(app.db(), &id(&offboarded), &[AppStatus::Active], AppStatus::Offboarded, Some("retired"), now)
        .await
        .unwrap();
    let before = written(&app).await;
    for (a, expected) in [(&public, "a public client"), (&backend, "keys (jwks or jwksUri)"), (&offboarded, "offboarded")] {
        let r = app.gql(Some(&acme.token), ROTATE, json!({ "id": id(a) })).await;
        assert_eq!(error_code(&r), Some("CONFLICT"), "{r}");
        assert!(error_message(&r).contains(expected), "{r}");
    }
    let r = app.gql(Some(&auditor), ROTATE, json!({ "id": id(&offboarded) })).await;
    assert_eq!(error_code(&r), Some("FORBIDDEN"), "{r}");
    assert_eq!(written(&app).await, before);
}
