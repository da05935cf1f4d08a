//! `accord demo`: seeds a believable world through the same service functions the API uses —
//! a provider and a payer with approvers, two vendors with apps of every kind, requests in
//! every state, grants (one expiring within a week), a revoked grant and an offboarded app —
//! and prints the logins to try. Idempotent: a second run only prints the logins.

use crate::services::Services;
use accord_approvals::{ApproveInput, RequestAccessInput};
use accord_kernel::{Actor, Principal, Role, TenantKind};
use accord_registry::AppKind;
use accord_registry::domain::NewApp;
use accord_tenants::NewTenant;

/// The password of every demo login.
pub const PASSWORD: &str = "accord-demo-password";

/// Who can log in, for the printed table.
const LOGINS: &[(&str, &str, &str)] = &[
    ("admin@stmarys.demo", "St. Mary's General Hospital (provider)", "ADMIN"),
    ("dr.ng@stmarys.demo", "St. Mary's General Hospital (provider)", "APPROVER"),
    ("privacy@stmarys.demo", "St. Mary's General Hospital (provider)", "APPROVER"),
    ("audit@stmarys.demo", "St. Mary's General Hospital (provider)", "AUDITOR"),
    ("admin@bluevalley.demo", "Blue Valley Health Plan (payer)", "ADMIN"),
    ("approver@bluevalley.demo", "Blue Valley Health Plan (payer)", "APPROVER"),
    ("admin@acme.demo", "Acme Health Apps (vendor)", "ADMIN"),
    ("dev@acme.demo", "Acme Health Apps (vendor)", "DEVELOPER"),
    ("admin@nimbus.demo", "Nimbus Analytics (vendor)", "ADMIN"),
    ("dev@nimbus.demo", "Nimbus Analytics (vendor)", "DEVELOPER"),
];

const MARKER_SLUG: &str = "st-mary-s-general-hospital";

/// A demo failure (the message says which step).
#[derive(Debug, thiserror::Error)]
#[error("demo step `{step}` failed: {message}")]
pub struct DemoError {
    step: &'static str,
    message: String,
}

fn step<E: std::fmt::Display>(step: &'static str) -> impl FnOnce(E) -> DemoError {
    move |e| DemoError { step, message: e.to_string() }
}

/// Seeds the demo world (unless present) and returns the text to print.
///
/// # Errors
/// The step that failed.
pub async fn run(state: &Services) -> Result<String, DemoError> {
    let exists = accord_tenants::lookup::tenant_by_slug(&state.db, MARKER_SLUG).await.map_err(step("check"))?.is_some();
    let mut out = String::new();
    if exists {
        out.push_str("Demo data is already present; nothing was changed.\n\n");
    } else {
        seed(state).await?;
        out.push_str("Seeded the demo world: 2 data holders, 2 vendors, 5 apps, requests in every state, grants (one expiring within a week), a revoked grant and an offboarded app.\n\n");
    }
    out.push_str(&format!("Log in at {}/graphql (mutation login) with password `{PASSWORD}`:\n", state.settings.public_url));
    for (email, org, role) in LOGINS {
        out.push_str(&format!("  {email:<28} {role:<10} {org}\n"));
    }
    Ok(out)
}

struct Org {
    admin: Principal,
    id: String,
}

async fn org(state: &Services, name: &str, kind: TenantKind, admin_email: &str) -> Result<Org, DemoError> {
    let input = NewTenant {
        name: name.into(),
        kind,
        admin_name: "Administrator".into(),
        admin_email: admin_email.into(),
        admin_password: PASSWORD.into(),
    };
    let (t, _) = state.tenants.create_tenant(input, &Actor::System, "tenant.created").await.map_err(step("create organization"))?;
    Ok(Org { admin: login(state, admin_email).await?, id: t.id })
}

async fn login(state: &Services, email: &str) -> Result<Principal, DemoError> {
    let s = state.tenants.login(email, PASSWORD, None).await.map_err(step("login"))?;
    state.tenants.authenticate(&s.token).await.map_err(step("authenticate"))
}

async fn member(state: &Services, o: &Org, email: &str, name: &str, role: Role) -> Result<Principal, DemoError> {
    let (_, token) = state.tenants.invite(&o.admin, email, &[role]).await.map_err(step("invite"))?;
    state.tenants.accept_invitation(&token, name, PASSWORD).await.map_err(step("accept invitation"))?;
    login(state, email).await
}

async fn app(state: &Services, dev: &Principal, name: &str, kind: AppKind, purpose: &str, domain: &str) -> Result<String, DemoError> {
    let backend = kind == AppKind::BackendService;
    let input = NewApp {
        name: name.into(),
        description: Some(format!("{name} — a demo app")),
        kind,
        public: Some(kind == AppKind::PatientFacing),
        redirect_uris: (!backend).then(|| vec![format!("https://{domain}/oauth/callback")]),
        launch_url: (kind == AppKind::ProviderFacing).then(|| format!("https://{domain}/launch")),
        jwks_uri: backend.then(|| format!("https://{domain}/.well-known/jwks.json")),
        jwks: None,
        purpose: purpose.into(),
        business_owner_email: format!("owner@{domain}"),
        technical_owner_email: format!("ops@{domain}"),
    };
    Ok(state.registry.register(dev, input).await.map_err(step("register app"))?.0.id)
}

async fn ask(
    state: &Services,
    dev: &Principal,
    app_id: &str,
    holder: &str,
    scopes: &[&str],
    days: i32,
    purpose: &str,
) -> Result<String, DemoError> {
    let input = RequestAccessInput {
        app_id: app_id.into(),
        data_holder_id: holder.into(),
        scopes: scopes.iter().map(|s| (*s).to_owned()).collect(),
        purpose: purpose.into(),
        duration_days: days,
        replaces_grant_id: None,
    };
    Ok(state.approvals.request_access(dev, input).await.map_err(step("request access"))?.id)
}

async fn approve(state: &Services, who: &Principal, request: &str, comment: &str) -> Result<Option<String>, DemoError> {
    let input = ApproveInput { comment: Some(comment.into()), ..ApproveInput::default() };
    Ok(state.approvals.approve(who, request, input).await.map_err(step("approve"))?.grant_id)
}

async fn seed(state: &Services) -> Result<(), DemoError> {
    let (a, l) = (&state.approvals, &state.lifecycle);
    let stmarys = org(state, "St. Mary's General Hospital", TenantKind::Provider, "admin@stmarys.demo").await?;
    let ng = member(state, &stmarys, "dr.ng@stmarys.demo", "Dr. Lin Ng", Role::Approver).await?;
    let privacy = member(state, &stmarys, "privacy@stmarys.demo", "Priya Raman (Privacy Office)", Role::Approver).await?;
    member(state, &stmarys, "audit@stmarys.demo", "Sam Ortiz (Internal Audit)", Role::Auditor).await?;
    let blue = org(state, "Blue Valley Health Plan", TenantKind::Payer, "admin@bluevalley.demo").await?;
    let blue_approver = member(state, &blue, "approver@bluevalley.demo", "Jordan Lee", Role::Approver).await?;
    let acme = org(state, "Acme Health Apps", TenantKind::Developer, "admin@acme.demo").await?;
    let acme_dev = member(state, &acme, "dev@acme.demo", "Ada Park", Role::Developer).await?;
    let nimbus = org(state, "Nimbus Analytics", TenantKind::Developer, "admin@nimbus.demo").await?;
    let nimbus_dev = member(state, &nimbus, "dev@nimbus.demo", "Omar Haddad", Role::Developer).await?;
    let patch = accord_approvals::PolicyPatch { forbidden_scopes: Some(vec!["system/*.d".into()]), ..Default::default() };
    a.update_policy(&stmarys.admin, patch).await.map_err(step("policy"))?;

    let mylabs =
        app(state, &acme_dev, "MyLabs", AppKind::PatientFacing, "Lets patients see their lab results", "mylabs.acme.example").await?;
    let chart =
        app(state, &acme_dev, "ChartAssist", AppKind::ProviderFacing, "Summarizes the chart for clinicians", "chartassist.acme.example")
            .await?;
    let legacy =
        app(state, &acme_dev, "Legacy Portal", AppKind::PatientFacing, "Old patient portal being retired", "legacy.acme.example").await?;
    let insights = app(
        state,
        &nimbus_dev,
        "Population Insights",
        AppKind::BackendService,
        "Quality measures for value-based contracts",
        "insights.nimbus.example",
    )
    .await?;
    let claims =
        app(state, &nimbus_dev, "Claims Bridge", AppKind::BackendService, "Claims reconciliation (retired)", "claims.nimbus.example")
            .await?;

    // APPROVED, ACTIVE grant.
    let r = ask(
        state,
        &acme_dev,
        &mylabs,
        &stmarys.id,
        &["patient/Observation.read", "launch/patient", "openid", "fhirUser"],
        180,
        "Show patients their lab results",
    )
    .await?;
    approve(state, &ng, &r, "Lab results only; reviewed with the patient portal team").await?;
    // A grant expiring within a week.
    let r = ask(
        state,
        &acme_dev,
        &chart,
        &stmarys.id,
        &["user/Observation.rs", "user/Condition.rs", "launch", "openid"],
        5,
        "Pilot in the cardiology clinic",
    )
    .await?;
    approve(state, &privacy, &r, "Five-day pilot").await?;
    // HIGH risk: two approvers at the payer.
    let r = ask(
        state,
        &nimbus_dev,
        &insights,
        &blue.id,
        &["system/Coverage.rs", "system/ExplanationOfBenefit.rs"],
        60,
        "HEDIS measures for 2027",
    )
    .await?;
    approve(state, &blue_approver, &r, "Data use agreement on file").await?;
    approve(state, &blue.admin, &r, "Second approval (HIGH risk)").await?;
    // PENDING with one of two approvals.
    let r = ask(state, &nimbus_dev, &insights, &stmarys.id, &["system/Observation.rs", "system/Patient.rs"], 90, "Readmission risk model")
        .await?;
    approve(state, &ng, &r, "Fine by clinical informatics; privacy to confirm").await?;
    // PENDING, untouched.
    ask(state, &acme_dev, &legacy, &blue.id, &["patient/Coverage.rs"], 30, "Coverage card in the old portal").await?;
    // DENIED.
    let r = ask(state, &acme_dev, &mylabs, &blue.id, &["patient/ExplanationOfBenefit.rs"], 90, "Show claims to patients").await?;
    a.deny(&blue_approver, &r, "No patient access program with this vendor yet").await.map_err(step("deny"))?;
    // WITHDRAWN.
    let r = ask(state, &acme_dev, &chart, &blue.id, &["user/Coverage.rs"], 30, "Eligibility checks").await?;
    a.withdraw(&acme_dev, &r).await.map_err(step("withdraw"))?;
    // REVOKED grant.
    let r = ask(state, &acme_dev, &legacy, &stmarys.id, &["patient/Patient.rs"], 30, "Demographics in the old portal").await?;
    if let Some(g) = approve(state, &ng, &r, "Until the new portal ships").await? {
        a.revoke_grant(&privacy, &g, "Security review found the portal stores tokens in clear").await.map_err(step("revoke"))?;
    }
    // OFFBOARDED app: its grant revoked, its pending request cancelled.
    let r = ask(state, &nimbus_dev, &claims, &blue.id, &["system/Claim.rs"], 60, "Claims reconciliation").await?;
    approve(state, &blue_approver, &r, "First approval").await?;
    approve(state, &blue.admin, &r, "Second approval").await?;
    ask(state, &nimbus_dev, &claims, &stmarys.id, &["system/Encounter.rs"], 30, "Encounter matching").await?;
    l.offboard_app(&nimbus.admin, &claims, "Product retired").await.map_err(step("offboard"))?;
    Ok(())
}
