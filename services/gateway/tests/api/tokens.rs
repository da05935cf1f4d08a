use accord_testkit::{TestApp, error_code, spawn_app};
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
