use accord_gateway::testing::{TestApp, error_code, error_message, spawn_app};
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use serde_json::json;

const CREATE: &str = "mutation($n: String!, $d: Int!, $r: [Role!]) { createApiToken(name: $n, expiresInDays: $d, roles: $r) { token apiToken { id name roles expiresAt lastUsedAt } } }";
const ME: &str = "{ me { user { id roles } } }";
const REVOKE: &str = "mutation($id: ID!) { revokeApiToken(id: $id) { id revokedAt } }";

async fn token(app: &TestApp, session: &str, days: i32) -> (String, String) {
    let r = app.gql(Some(session), CREATE, json!({ "n": "ci", "d": days })).await;
    let p = &r["data"]["createApiToken"];
    assert!(p.is_object(), "{r}");
    (p["token"].as_str().unwrap().to_owned(), p["apiToken"]["id"].as_str().unwrap().to_owned())
}

#[tokio::test]
async fn an_api_token_works_until_revoked() {
    let app = spawn_app().await;
    let (session, _) = app.sign_up("Acme", "DEVELOPER", &app.email("ada")).await;
    let (tok, id) = token(&app, &session, 30).await;
    assert!(tok.starts_with("acc_pat_"));
    let me = app.gql(Some(&tok), ME, json!({})).await;
    assert_eq!(me["data"]["me"]["user"]["roles"], json!(["ADMIN"]), "{me}");

    let listed = app.gql(Some(&session), "{ apiTokens { edges { node { id lastUsedAt } } } }", json!({})).await;
    assert!(listed["data"]["apiTokens"]["edges"][0]["node"]["lastUsedAt"].is_string(), "lastUsedAt is kept: {listed}");

    let r = app.gql(Some(&session), REVOKE, json!({ "id": id })).await;
    assert!(r["data"]["revokeApiToken"]["revokedAt"].is_string(), "{r}");
    assert_eq!(error_code(&app.gql(Some(&tok), ME, json!({})).await), Some("UNAUTHENTICATED"));
    // Revoking twice is a transition that does not exist.
    assert_eq!(error_code(&app.gql(Some(&session), REVOKE, json!({ "id": id })).await), Some("CONFLICT"));
}

#[tokio::test]
async fn an_api_token_stops_working_when_it_expires() {
    let app = spawn_app().await;
    let (session, _) = app.sign_up("Acme", "DEVELOPER", &app.email("ada")).await;
    let (tok, _) = token(&app, &session, 2).await;
    app.clock.advance(chrono::Duration::days(2) - chrono::Duration::minutes(1));
    assert!(app.gql(Some(&tok), ME, json!({})).await["data"]["me"].is_object());
    app.clock.advance(chrono::Duration::minutes(2));
    assert_eq!(error_code(&app.gql(Some(&tok), ME, json!({})).await), Some("UNAUTHENTICATED"));
}

#[tokio::test]
async fn another_tenant_revoking_a_token_gets_not_found_and_changes_nothing() {
    let app = spawn_app().await;
    let (owner, _) = app.sign_up("Acme", "DEVELOPER", &app.email("ada")).await;
    let (tok, id) = token(&app, &owner, 30).await;
    let (stranger, _) = app.sign_up("Other Org", "DEVELOPER", &app.email("eve")).await;
    let audit_before = app.count("audit_events").await;

    let r = app.gql(Some(&stranger), REVOKE, json!({ "id": id })).await;
    assert_eq!(error_code(&r), Some("NOT_FOUND"), "{r}");
    let unknown = app.gql(Some(&stranger), REVOKE, json!({ "id": accord_kernel::new_id() })).await;
    assert_eq!(r["errors"][0]["message"], unknown["errors"][0]["message"], "existence must not leak");
    assert!(app.gql(Some(&tok), ME, json!({})).await["data"]["me"].is_object());
    assert_eq!(app.count("audit_events").await, audit_before);
}

#[tokio::test]
async fn token_roles_cannot_exceed_the_owners_and_days_must_be_1_to_365() {
    let app = spawn_app().await;
    let (admin, _) = app.sign_up("Acme", "DEVELOPER", &app.email("ada")).await;
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
    let wider = app.gql(Some(&dev), CREATE, json!({ "n": "x", "d": 10, "r": ["DEVELOPER", "ADMIN"] })).await;
    assert_eq!(error_code(&wider), Some("BAD_USER_INPUT"), "{wider}");
    assert!(wider["errors"][0]["message"].as_str().unwrap().starts_with("roles:"));
    for days in [0, 366, -1] {
        let r = app.gql(Some(&dev), CREATE, json!({ "n": "x", "d": days })).await;
        assert_eq!(error_code(&r), Some("BAD_USER_INPUT"), "{days}: {r}");
        assert!(r["errors"][0]["message"].as_str().unwrap().starts_with("expiresInDays:"));
    }
    let ok = app.gql(Some(&dev), CREATE, json!({ "n": "x", "d": 365 })).await;
    assert_eq!(ok["data"]["createApiToken"]["apiToken"]["roles"], json!(["DEVELOPER"]));
}

/// Every text column of every table, on either database.
async fn text_columns(app: &TestApp) -> Vec<(String, String)> {
    let db = app.db();
    let backend = db.get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => "SELECT table_name AS t, column_name AS c FROM information_schema.columns WHERE table_schema = 'public' AND data_type IN ('text', 'character varying')".to_owned(),
        _ => "SELECT m.name AS t, p.name AS c FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table' AND (p.type LIKE '%char%' OR p.type LIKE '%text%' OR p.type = '')".to_owned(),
    };
    let rows = db.query_all_raw(Statement::from_string(backend, sql)).await.unwrap();
    rows.iter().map(|r| (r.try_get::<String>("", "t").unwrap(), r.try_get::<String>("", "c").unwrap())).collect()
}

#[tokio::test]
async fn secrets_in_clear_are_nowhere_in_the_database() {
    let app = spawn_app().await;
    let (session, _) = app.sign_up("Acme", "DEVELOPER", &app.email("ada")).await;
    let (tok, _) = token(&app, &session, 30).await;
    let inv = app
        .gql(
            Some(&session),
            "mutation($e: String!) { inviteUser(email: $e, roles: [DEVELOPER]) { token } }",
            json!({ "e": app.email("dev") }),
        )
        .await;
    let inv_token = inv["data"]["inviteUser"]["token"].as_str().unwrap().to_owned();
    let columns = text_columns(&app).await;
    assert!(columns.len() > 20, "found only {columns:?}");
    let backend = app.db().get_database_backend();
    for needle in [tok.as_str(), &tok[8..], inv_token.as_str(), "correct horse battery"] {
        for (t, c) in &columns {
            let sql = format!("SELECT COUNT(*) AS n FROM \"{t}\" WHERE \"{c}\" LIKE '%{needle}%'");
            let row = app.db().query_one_raw(Statement::from_string(backend, sql)).await.unwrap().unwrap();
            assert_eq!(row.try_get::<i64>("", "n").unwrap(), 0, "a secret was found in {t}.{c}");
        }
    }
}

const AUDIT: &str = "{ auditEvents(first: 1) { totalCount } }";
const INVITE: &str = "mutation($e: String!, $r: [Role!]!) { inviteUser(email: $e, roles: $r) { token } }";

/// Mints a token with `roles` (or the default) for `days`, and returns `(token, record)`.
async fn mint(app: &TestApp, credential: &str, days: i32, roles: Option<&[&str]>) -> (String, serde_json::Value) {
    let r = app.gql(Some(credential), CREATE, json!({ "n": "integration", "d": days, "r": roles })).await;
    let p = &r["data"]["createApiToken"];
    assert!(p.is_object(), "{r}");
    (p["token"].as_str().unwrap().to_owned(), p["apiToken"].clone())
}

/// A provider organization created by an operator; returns its id and its admin's session.
async fn provider(app: &TestApp) -> (String, String) {
    let email = app.email("holder-admin");
    let (t, _) = app
        .state
        .tenants
        .create_tenant(
            accord_tenants::NewTenant {
                name: "General Hospital".into(),
                kind: accord_kernel::TenantKind::Provider,
                admin_name: "Admin".into(),
                admin_email: email.clone(),
                admin_password: "correct horse battery".into(),
            },
            &accord_kernel::Actor::System,
            "tenant.created",
        )
        .await
        .unwrap();
    let r = app
        .gql(None, "mutation($e: String!) { login(email: $e, password: \"correct horse battery\") { token } }", json!({ "e": email }))
        .await;
    (t.id, r["data"]["login"]["token"].as_str().unwrap().to_owned())
}

/// A vendor's pending access request at `holder`; returns its id.
async fn pending_request(app: &TestApp, holder: &str) -> String {
    let (vendor, _) = app.sign_up("Vendor", "DEVELOPER", &app.email("vendor")).await;
    let reg = app
        .gql(
            Some(&vendor),
            "mutation($i: RegisterAppInput!) { registerApp(input: $i) { app { id } } }",
            json!({ "i": { "name": "Glucose Diary", "kind": "PATIENT_FACING", "public": true, "redirectUris": ["https://diary.example.com/cb"],
                "purpose": "Shows patients their readings.", "businessOwnerEmail": "owner@example.com", "technicalOwnerEmail": "tech@example.com" } }),
        )
        .await;
    let app_id = reg["data"]["registerApp"]["app"]["id"].clone();
    assert!(app_id.is_string(), "{reg}");
    let req = app
        .gql(
            Some(&vendor),
            "mutation($i: RequestAccessInput!) { requestAccess(input: $i) { id } }",
            json!({ "i": { "appId": app_id, "dataHolderId": holder, "scopes": ["patient/Observation.rs"], "purpose": "Readings.", "durationDays": 30 } }),
        )
        .await;
    req["data"]["requestAccess"]["id"].as_str().unwrap_or_else(|| panic!("{req}")).to_owned()
}

const APPROVE: &str = "mutation($id: ID!) { approveAccessRequest(id: $id) { status } }";

#[tokio::test]
async fn an_admin_mints_an_auditor_only_token_that_can_audit_but_not_invite_or_approve() {
    let app = spawn_app().await;
    let (holder_id, admin) = provider(&app).await;
    let request = pending_request(&app, &holder_id).await;

    let (auditor, record) = mint(&app, &admin, 90, Some(&["AUDITOR"])).await;
    assert_eq!(record["roles"], json!(["AUDITOR"]));
    let audit = app.gql(Some(&auditor), AUDIT, json!({})).await;
    assert!(audit["data"]["auditEvents"]["totalCount"].as_u64().unwrap() > 0, "{audit}");
    let invite = app.gql(Some(&auditor), INVITE, json!({ "e": app.email("x"), "r": ["APPROVER"] })).await;
    assert_eq!(error_code(&invite), Some("FORBIDDEN"), "{invite}");
    let approve = app.gql(Some(&auditor), APPROVE, json!({ "id": request })).await;
    assert_eq!(error_code(&approve), Some("FORBIDDEN"), "{approve}");
    let wider = app.gql(Some(&auditor), CREATE, json!({ "n": "x", "d": 10, "r": ["ADMIN"] })).await;
    assert_eq!(error_code(&wider), Some("BAD_USER_INPUT"), "{wider}");

    // The data holder's ADMIN implies APPROVER too: an APPROVER-only token approves.
    let (approver, _) = mint(&app, &admin, 90, Some(&["APPROVER"])).await;
    let ok = app.gql(Some(&approver), APPROVE, json!({ "id": request })).await;
    assert_eq!(ok["data"]["approveAccessRequest"]["status"], json!("APPROVED"), "{ok}");
    assert_eq!(error_code(&app.gql(Some(&approver), AUDIT, json!({})).await), Some("FORBIDDEN"));
}

#[tokio::test]
async fn a_role_the_organizations_kind_does_not_have_is_refused_even_for_an_admin() {
    let app = spawn_app().await;
    let (vendor_admin, _) = app.sign_up("Acme", "DEVELOPER", &app.email("ada")).await;
    let (_, record) = mint(&app, &vendor_admin, 30, Some(&["DEVELOPER", "AUDITOR"])).await;
    assert_eq!(record["roles"], json!(["DEVELOPER", "AUDITOR"]));
    let r = app.gql(Some(&vendor_admin), CREATE, json!({ "n": "x", "d": 30, "r": ["APPROVER"] })).await;
    assert_eq!(error_code(&r), Some("BAD_USER_INPUT"), "{r}");
    assert!(error_message(&r).starts_with("roles:") && error_message(&r).contains("APPROVER"), "{r}");

    let (_, holder_admin) = provider(&app).await;
    let r = app.gql(Some(&holder_admin), CREATE, json!({ "n": "x", "d": 30, "r": ["DEVELOPER"] })).await;
    assert_eq!(error_code(&r), Some("BAD_USER_INPUT"), "{r}");
    assert!(error_message(&r).contains("DEVELOPER"), "{r}");
}

#[tokio::test]
async fn an_auditor_token_loses_auditor_when_its_owner_loses_admin() {
    let app = spawn_app().await;
    let (first, _) = app.sign_up("Acme", "DEVELOPER", &app.email("first")).await;
    let inv = app.gql(Some(&first), INVITE, json!({ "e": app.email("second"), "r": ["ADMIN"] })).await;
    let accepted = app
        .gql(
            None,
            "mutation($t: String!) { acceptInvitation(token: $t, name: \"Second\", password: \"correct horse battery\") { token user { id } } }",
            json!({ "t": inv["data"]["inviteUser"]["token"] }),
        )
        .await;
    let second = accepted["data"]["acceptInvitation"]["token"].as_str().unwrap().to_owned();
    let second_id = accepted["data"]["acceptInvitation"]["user"]["id"].clone();
    let (auditor, _) = mint(&app, &second, 30, Some(&["AUDITOR"])).await;
    assert!(app.gql(Some(&auditor), AUDIT, json!({})).await["data"]["auditEvents"].is_object());

    let set_roles = "mutation($u: ID!, $r: [Role!]!) { updateUserRoles(userId: $u, roles: $r) { roles } }";
    app.gql(Some(&first), set_roles, json!({ "u": second_id, "r": ["DEVELOPER"] })).await;
    assert_eq!(error_code(&app.gql(Some(&auditor), AUDIT, json!({})).await), Some("FORBIDDEN"), "AUDITOR came only from ADMIN");
    assert!(app.gql(Some(&auditor), ME, json!({})).await["data"]["me"].is_object(), "the token itself still authenticates");

    app.gql(Some(&first), set_roles, json!({ "u": second_id, "r": ["DEVELOPER", "AUDITOR"] })).await;
    assert!(app.gql(Some(&auditor), AUDIT, json!({})).await["data"]["auditEvents"].is_object(), "the owner holds AUDITOR itself");
}

#[tokio::test]
async fn a_token_minted_by_a_token_expires_no_later_than_its_parent_and_never_out_ranks_it() {
    let app = spawn_app().await;
    let (session, _) = app.sign_up("Acme", "DEVELOPER", &app.email("ada")).await;
    let (parent, parent_record) = mint(&app, &session, 10, None).await;
    let (child, child_record) = mint(&app, &parent, 365, None).await;
    assert_eq!(child_record["expiresAt"], parent_record["expiresAt"], "capped at the parent's expiry");
    let (_, short) = mint(&app, &parent, 5, None).await;
    assert!(short["expiresAt"].as_str().unwrap() < parent_record["expiresAt"].as_str().unwrap());

    // An AUDITOR-only parent cannot mint a wider child; by default the child has its roles.
    let (auditor, _) = mint(&app, &parent, 30, Some(&["AUDITOR"])).await;
    let wider = app.gql(Some(&auditor), CREATE, json!({ "n": "x", "d": 10, "r": ["DEVELOPER"] })).await;
    assert_eq!(error_code(&wider), Some("BAD_USER_INPUT"), "{wider}");
    let (_, narrow) = mint(&app, &auditor, 30, None).await;
    assert_eq!(narrow["roles"], json!(["AUDITOR"]));

    app.clock.advance(chrono::Duration::days(10) + chrono::Duration::seconds(1));
    assert_eq!(error_code(&app.gql(Some(&child), ME, json!({})).await), Some("UNAUTHENTICATED"), "gone with its parent");
}

#[tokio::test]
async fn revoking_a_token_revokes_the_tokens_minted_with_it_and_no_others() {
    let app = spawn_app().await;
    let (session, _) = app.sign_up("Acme", "DEVELOPER", &app.email("ada")).await;
    let (parent, parent_record) = mint(&app, &session, 30, None).await;
    let (child, child_record) = mint(&app, &parent, 30, None).await;
    let (grandchild, grandchild_record) = mint(&app, &child, 30, None).await;
    let (unrelated, _) = mint(&app, &session, 30, None).await;

    let r = app.gql(Some(&session), REVOKE, json!({ "id": parent_record["id"] })).await;
    assert!(r["data"]["revokeApiToken"]["revokedAt"].is_string(), "{r}");
    for (name, t) in [("parent", &parent), ("child", &child), ("grandchild", &grandchild)] {
        assert_eq!(error_code(&app.gql(Some(t), ME, json!({})).await), Some("UNAUTHENTICATED"), "{name}");
    }
    assert!(app.gql(Some(&unrelated), ME, json!({})).await["data"]["me"].is_object());
    for id in [&child_record["id"], &grandchild_record["id"]] {
        let audit = app
            .gql(
                Some(&session),
                "query($t: ID) { auditEvents(action: \"api_token.revoked\", targetId: $t) { totalCount } }",
                json!({ "t": id }),
            )
            .await;
        assert_eq!(audit["data"]["auditEvents"]["totalCount"], json!(1), "{audit}");
    }
}
