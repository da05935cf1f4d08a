//! Worlds and inputs shared by the tests.

use accord_gateway::testing::TestApp;
use accord_kernel::{Actor, TenantKind};
use base64::Engine as _;
use serde_json::{Value, json};

pub const APP_FIELDS: &str = "id clientId name description kind public status purpose businessOwnerEmail technicalOwnerEmail redirectUris launchUrl jwksUri createdAt vendor { id name kind }";

pub fn register_mutation() -> String {
    format!("mutation($i: RegisterAppInput!) {{ registerApp(input: $i) {{ clientSecret app {{ {APP_FIELDS} }} }} }}")
}

pub fn update_mutation() -> String {
    format!("mutation($id: ID!, $i: UpdateAppInput!) {{ updateApp(id: $id, input: $i) {{ {APP_FIELDS} }} }}")
}

pub const ROTATE: &str = "mutation($id: ID!) { rotateClientSecret(appId: $id) { clientSecret app { id clientId } } }";
pub const SUSPEND: &str = "mutation($id: ID!, $r: String!) { suspendApp(id: $id, reason: $r) { id status } }";
pub const RESUME: &str = "mutation($id: ID!) { resumeApp(id: $id) { id status } }";
pub const PASSWORD: &str = "correct horse battery";

/// A vendor organization: its first ADMIN's session and its id.
pub struct Org {
    pub token: String,
    pub tenant_id: String,
}

/// Signs up a developer organization.
pub async fn vendor(app: &TestApp, name: &str) -> Org {
    let (token, user) = app.sign_up(name, "DEVELOPER", &app.email("admin")).await;
    Org { token, tenant_id: user["tenant"]["id"].as_str().unwrap().to_owned() }
}

/// Creates a provider (data holder) the way an operator does, and logs its ADMIN in.
pub async fn holder(app: &TestApp, name: &str) -> Org {
    let email = app.email("holder");
    let (t, _) = app
        .state
        .tenants
        .create_tenant(
            accord_tenants::NewTenant {
                name: name.into(),
                kind: TenantKind::Provider,
                admin_name: "Holder Admin".into(),
                admin_email: email.clone(),
                admin_password: PASSWORD.into(),
            },
            &Actor::System,
            "tenant.created",
        )
        .await
        .unwrap();
    let session = app.state.tenants.login(&email, PASSWORD, None).await.unwrap();
    Org { token: session.token, tenant_id: t.id }
}

/// Invites a member with `roles` into `org` and returns their session.
pub async fn member(app: &TestApp, org: &Org, roles: &[&str]) -> String {
    let inv = app
        .gql(
            Some(&org.token),
            "mutation($e: String!, $r: [Role!]!) { inviteUser(email: $e, roles: $r) { token } }",
            json!({ "e": app.email("member"), "r": roles }),
        )
        .await;
    let r = app
        .gql(
            None,
            "mutation($t: String!, $p: String!) { acceptInvitation(token: $t, name: \"Member\", password: $p) { token } }",
            json!({ "t": inv["data"]["inviteUser"]["token"], "p": PASSWORD }),
        )
        .await;
    r["data"]["acceptInvitation"]["token"].as_str().unwrap_or_else(|| panic!("accept failed: {r}")).to_owned()
}

/// A public JWK Set with one 2048-bit RSA key (the modulus is not a real key: only its shape is
/// checked at registration).
pub fn jwks(kid: &str) -> Value {
    json!({ "keys": [rsa_key(kid)] })
}

pub fn rsa_key(kid: &str) -> Value {
    let n = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode([0xC7u8; 256]);
    json!({ "kty": "RSA", "kid": kid, "alg": "RS384", "use": "sig", "e": "AQAB", "n": n })
}

pub fn provider_app() -> Value {
    json!({
        "name": "Sepsis Watch",
        "description": "Early warning for sepsis on the ward.",
        "kind": "PROVIDER_FACING",
        "redirectUris": ["https://sepsis.example.com/callback"],
        "launchUrl": "https://sepsis.example.com/launch",
        "purpose": "Reads vitals and labs to score sepsis risk for clinicians.",
        "businessOwnerEmail": "owner@sepsis.example.com",
        "technicalOwnerEmail": "Ops@Sepsis.Example.com",
    })
}

pub fn patient_public_app() -> Value {
    json!({
        "name": "Glucose Diary",
        "kind": "PATIENT_FACING",
        "public": true,
        "redirectUris": ["https://diary.example.com/cb", "http://localhost:8080/cb"],
        "purpose": "Shows patients their glucose readings.",
        "businessOwnerEmail": "owner@diary.example.com",
        "technicalOwnerEmail": "tech@diary.example.com",
    })
}

pub fn backend_app() -> Value {
    json!({
        "name": "Claims Sync",
        "kind": "BACKEND_SERVICE",
        "jwks": jwks("k1").to_string(),
        "purpose": "Nightly bulk export of claims for reconciliation.",
        "businessOwnerEmail": "owner@claims.example.com",
        "technicalOwnerEmail": "tech@claims.example.com",
    })
}

/// Registers an app and returns `(app, clientSecret)`; panics when refused.
pub async fn register(app: &TestApp, token: &str, input: Value) -> (Value, Option<String>) {
    let r = app.gql(Some(token), &register_mutation(), json!({ "i": input })).await;
    let p = &r["data"]["registerApp"];
    assert!(p.is_object(), "registerApp failed: {r}");
    (p["app"].clone(), p["clientSecret"].as_str().map(str::to_owned))
}

pub fn id(app: &Value) -> String {
    app["id"].as_str().unwrap().to_owned()
}

/// Audit actions about a target, oldest first.
pub async fn audit_actions(app: &TestApp, target: &str) -> Vec<String> {
    accord_db::audit::for_target(app.db(), target).await.unwrap().into_iter().map(|e| e.action).collect()
}

/// Outbox payloads of a type that concern an app.
pub async fn outbox_for(app: &TestApp, event_type: &str, app_id: &str) -> Vec<Value> {
    accord_db::outbox::of_type(app.db(), event_type)
        .await
        .unwrap()
        .into_iter()
        .map(|e| serde_json::from_str::<Value>(&e.payload).unwrap())
        .filter(|p| p["data"]["app"]["id"] == json!(app_id))
        .collect()
}

/// Row counts of every table a registry change writes.
pub async fn written(app: &TestApp) -> [i64; 4] {
    [app.count("apps").await, app.count("app_credentials").await, app.count("audit_events").await, app.count("outbox_events").await]
}
