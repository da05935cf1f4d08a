//! A believable world per test: a vendor with a developer, a provider with an admin, two
//! approvers and an auditor, and a registered app.

use accord_gateway::testing::{TestApp, error_code, spawn_app_with};
use accord_kernel::config::Settings;
use serde_json::{Value, json};

pub struct World {
    pub app: TestApp,
    /// Vendor ADMIN session.
    pub vendor_admin: String,
    /// Vendor DEVELOPER session.
    pub dev: String,
    pub vendor_id: String,
    /// Provider ADMIN session.
    pub holder_admin: String,
    pub approver1: String,
    pub approver2: String,
    pub auditor: String,
    pub holder_id: String,
    /// The vendor's first app.
    pub app_id: String,
}

pub use accord_gateway::testing::PASSWORD;

pub async fn login(app: &TestApp, email: &str) -> String {
    app.login(email).await
}

pub async fn invite(app: &TestApp, admin: &str, role: &str) -> String {
    app.invite(admin, role).await
}

/// A provider or payer with its admin's session.
pub async fn holder(app: &TestApp, name: &str, kind: accord_kernel::TenantKind) -> (String, String) {
    let email = app.email("holder-admin");
    let (t, _) = app
        .state
        .tenants
        .create_tenant(
            accord_tenants::NewTenant {
                name: name.into(),
                kind,
                admin_name: "Holder Admin".into(),
                admin_email: email.clone(),
                admin_password: PASSWORD.into(),
            },
            &accord_kernel::Actor::System,
            "tenant.created",
        )
        .await
        .unwrap();
    (t.id, login(app, &email).await)
}

pub async fn register_app(app: &TestApp, token: &str, name: &str) -> String {
    let r = app
        .gql(
            Some(token),
            "mutation($i: RegisterAppInput!) { registerApp(input: $i) { app { id clientId } } }",
            json!({ "i": {
                "name": name, "kind": "PATIENT_FACING", "public": true, "redirectUris": ["https://app.example/callback"],
                "purpose": "Shows patients their lab results", "businessOwnerEmail": "biz@vendor.example", "technicalOwnerEmail": "tech@vendor.example",
            } }),
        )
        .await;
    r["data"]["registerApp"]["app"]["id"].as_str().unwrap_or_else(|| panic!("registerApp failed: {r}")).to_owned()
}

pub async fn world() -> World {
    world_with(|_| {}).await
}

/// A world whose server settings `change` adjusts first (e.g. an SMTP server for its mail).
pub async fn world_with(change: impl FnOnce(&mut Settings)) -> World {
    let app = spawn_app_with(change).await;
    let (vendor_admin, user) = app.sign_up("Acme Health Apps", "DEVELOPER", &app.email("vendor-admin")).await;
    let vendor_id = user["tenant"]["id"].as_str().unwrap().to_owned();
    let dev = invite(&app, &vendor_admin, "DEVELOPER").await;
    let (holder_id, holder_admin) = holder(&app, "General Hospital", accord_kernel::TenantKind::Provider).await;
    let approver1 = invite(&app, &holder_admin, "APPROVER").await;
    let approver2 = invite(&app, &holder_admin, "APPROVER").await;
    let auditor = invite(&app, &holder_admin, "AUDITOR").await;
    let app_id = register_app(&app, &dev, "Lab Viewer").await;
    World { app, vendor_admin, dev, vendor_id, holder_admin, approver1, approver2, auditor, holder_id, app_id }
}

pub const REQUEST: &str = "mutation($i: RequestAccessInput!) { requestAccess(input: $i) { id status requestedScopes proposedScopes durationDays proposedDurationDays requiredApprovals risk grant { id status scopes expiresAt } } }";
pub const APPROVE: &str = "mutation($id: ID!, $i: ApproveInput) { approveAccessRequest(id: $id, input: $i) { id status proposedScopes proposedDurationDays requiredApprovals risk approvals { approverEmail current } grant { id status scopes expiresAt } } }";

impl World {
    pub async fn gql(&self, token: &str, q: &str, vars: Value) -> Value {
        self.app.gql(Some(token), q, vars).await
    }

    /// An API token of the session's user that outlives weeks of clock moves (sessions last
    /// hours).
    pub async fn long_lived(&self, session: &str) -> String {
        let r = self.gql(session, "mutation { createApiToken(name: \"t\", expiresInDays: 365) { token } }", json!({})).await;
        r["data"]["createApiToken"]["token"].as_str().unwrap_or_else(|| panic!("{r}")).to_owned()
    }

    /// Requests access for `app_id`; returns the whole response.
    pub async fn request(&self, app_id: &str, scopes: &[&str], days: i32, replaces: Option<&str>) -> Value {
        self.gql(
            &self.dev,
            REQUEST,
            json!({ "i": { "appId": app_id, "dataHolderId": self.holder_id, "scopes": scopes, "purpose": "Lab results for patients", "durationDays": days, "replacesGrantId": replaces } }),
        )
        .await
    }

    /// Requests access and returns the new request's id (panics on refusal).
    pub async fn request_ok(&self, app_id: &str, scopes: &[&str], days: i32, replaces: Option<&str>) -> String {
        let r = self.request(app_id, scopes, days, replaces).await;
        assert_eq!(error_code(&r), None, "{r}");
        r["data"]["requestAccess"]["id"].as_str().unwrap().to_owned()
    }

    pub async fn approve(&self, token: &str, id: &str, input: Value) -> Value {
        self.gql(token, APPROVE, json!({ "id": id, "i": input })).await
    }

    /// A request approved by one approver; returns the grant id.
    pub async fn grant(&self, app_id: &str, scopes: &[&str], days: i32) -> String {
        let id = self.request_ok(app_id, scopes, days, None).await;
        let r = self.approve(&self.approver1, &id, json!({})).await;
        r["data"]["approveAccessRequest"]["grant"]["id"].as_str().unwrap_or_else(|| panic!("{r}")).to_owned()
    }
}
