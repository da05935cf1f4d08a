use accord_gateway::testing::{TestApp, error_code, error_message, spawn_app};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::json;

async fn exec(app: &TestApp, sql: &str) {
    let backend = app.db().get_database_backend();
    app.db().execute_raw(Statement::from_string(backend, sql.to_owned())).await.unwrap();
}

#[tokio::test]
async fn a_change_and_its_audit_event_roll_back_together() {
    let app = spawn_app().await;
    app.sign_up("Existing", "DEVELOPER", &app.email("first")).await;
    let before = (app.count("tenants").await, app.count("users").await, app.count("audit_events").await);

    // Make the audit write fail after the tenant and user rows were written in the same
    // transaction.
    exec(&app, "ALTER TABLE audit_event_tenants RENAME TO audit_event_tenants_gone").await;
    let r = app
        .gql(
            None,
            "mutation($i: SignUpInput!) { signUp(input: $i) { token } }",
            json!({ "i": { "organizationName": "Doomed", "kind": "DEVELOPER", "name": "Ada", "email": app.email("ada"), "password": "correct horse battery" } }),
        )
        .await;
    exec(&app, "ALTER TABLE audit_event_tenants_gone RENAME TO audit_event_tenants").await;

    assert_eq!(error_code(&r), Some("INTERNAL"), "{r}");
    let msg = error_message(&r);
    assert!(msg.contains("request id"), "{msg}");
    assert!(!msg.to_lowercase().contains("audit_event") && !msg.to_lowercase().contains("sql"), "database details leaked: {msg}");
    assert_eq!(before, (app.count("tenants").await, app.count("users").await, app.count("audit_events").await));
    let verify = accord_db::audit::verify(app.db()).await.unwrap();
    assert_eq!(verify.problem, None);
}

#[tokio::test]
async fn every_change_writes_exactly_one_audit_event_naming_actor_and_target() {
    let app = spawn_app().await;
    let (admin, user) = app.sign_up("Acme", "DEVELOPER", &app.email("admin")).await;
    let tenant_id = user["tenant"]["id"].as_str().unwrap().to_owned();
    let tok = app.gql(Some(&admin), "mutation { createApiToken(name: \"ci\", expiresInDays: 5) { apiToken { id } } }", json!({})).await;
    let tok_id = tok["data"]["createApiToken"]["apiToken"]["id"].as_str().unwrap().to_owned();
    app.gql(Some(&admin), "mutation($id: ID!) { revokeApiToken(id: $id) { id } }", json!({ "id": tok_id })).await;

    let events = accord_db::audit::for_target(app.db(), &tok_id).await.unwrap();
    let actions: Vec<&str> = events.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["api_token.created", "api_token.revoked"]);
    assert!(events.iter().all(|e| e.actor == format!("user:{}", user["id"].as_str().unwrap()) && e.tenant_ids == [tenant_id.clone()]));
    let signup = accord_db::audit::for_target(app.db(), &tenant_id).await.unwrap();
    assert_eq!(signup.len(), 1);
    assert_eq!(signup[0].action, "tenant.signed_up");
}

#[tokio::test]
async fn audit_events_lists_only_the_callers_organization_and_filters() {
    let app = spawn_app().await;
    let (admin, _) = app.sign_up("Acme", "DEVELOPER", &app.email("admin")).await;
    let (other, _) = app.sign_up("Other", "DEVELOPER", &app.email("other")).await;
    app.gql(Some(&admin), "mutation { createApiToken(name: \"a\", expiresInDays: 5) { token } }", json!({})).await;
    app.gql(Some(&other), "mutation { createApiToken(name: \"b\", expiresInDays: 5) { token } }", json!({})).await;

    let q = "query($a: String) { auditEvents(first: 10, action: $a) { totalCount edges { node { action actor targetType targetId details } } } }";
    let all = app.gql(Some(&admin), q, json!({})).await;
    assert_eq!(all["data"]["auditEvents"]["totalCount"], json!(2), "{all}");
    assert_eq!(all["data"]["auditEvents"]["edges"][0]["node"]["action"], json!("api_token.created"), "newest first");
    let only = app.gql(Some(&admin), q, json!({ "a": "tenant.signed_up" })).await;
    assert_eq!(only["data"]["auditEvents"]["totalCount"], json!(1));
    assert_eq!(only["data"]["auditEvents"]["edges"][0]["node"]["details"]["name"], json!("Acme"));

    let inv = app
        .gql(
            Some(&admin),
            "mutation($e: String!) { inviteUser(email: $e, roles: [DEVELOPER]) { token } }",
            json!({ "e": app.email("dev") }),
        )
        .await;
    let dev = app
        .gql(
            None,
            "mutation($t: String!) { acceptInvitation(token: $t, name: \"Dev\", password: \"correct horse battery\") { token } }",
            json!({ "t": inv["data"]["inviteUser"]["token"] }),
        )
        .await["data"]["acceptInvitation"]["token"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(error_code(&app.gql(Some(&dev), q, json!({})).await), Some("FORBIDDEN"));
}

/// Runs `accord` against this test's database.
fn accord(app: &TestApp, args: &[&str]) -> std::process::Output {
    use secrecy::ExposeSecret;
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_accord"));
    cmd.args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("ACCORD_DATA_DIR", &app.settings.data_dir)
        .env("RUST_LOG", "off");
    if let Some(url) = &app.settings.database_url {
        cmd.env("DATABASE_URL", url.expose_secret());
    }
    cmd.output().unwrap()
}

#[tokio::test]
async fn audit_verify_passes_untouched_and_names_an_edited_or_deleted_event() {
    let app = spawn_app().await;
    let (admin, _) = app.sign_up("Acme", "DEVELOPER", &app.email("admin")).await;
    for n in 0..3 {
        app.gql(
            Some(&admin),
            "mutation($n: String!) { createApiToken(name: $n, expiresInDays: 5) { token } }",
            json!({ "n": format!("t{n}") }),
        )
        .await;
    }
    let ok = accord(&app, &["audit", "verify"]);
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    assert!(String::from_utf8_lossy(&ok.stdout).contains("intact: 4 events"), "{}", String::from_utf8_lossy(&ok.stdout));

    exec(&app, "UPDATE audit_events SET details = '{\"name\":\"forged\"}' WHERE seq = 3").await;
    let bad = accord(&app, &["audit", "verify"]);
    assert_eq!(bad.status.code(), Some(1));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(err.contains("(#3, api_token.created") && err.contains("was altered"), "{err}");

    // Deleting an earlier event is named first.
    exec(&app, "DELETE FROM audit_events WHERE seq = 2").await;
    let report = accord_db::audit::verify(app.db()).await.unwrap();
    assert_eq!(report.checked, 1);
    assert!(report.problem.unwrap().starts_with("event #2 is missing"));
}
