use accord_testkit::{error_code, error_message, spawn_app};
use serde_json::json;

const INVITE: &str = "mutation($e: String!, $r: [Role!]!) { inviteUser(email: $e, roles: $r) { id token email roles expiresAt } }";
const ACCEPT: &str = "mutation($t: String!) { acceptInvitation(token: $t, name: \"New Person\", password: \"correct horse battery\") { token user { roles tenant { id } } } }";

#[tokio::test]
async fn an_invitation_brings_a_person_into_the_organization_with_its_roles_once() {
    let app = spawn_app().await;
    let (admin, user) = app.sign_up("Acme", "DEVELOPER", &app.email("admin")).await;
    let inv = app.gql(Some(&admin), INVITE, json!({ "e": app.email("dev"), "r": ["DEVELOPER"] })).await;
    let token = inv["data"]["inviteUser"]["token"].as_str().unwrap().to_owned();
    assert!(token.starts_with("acc_inv_"));

    let first = app.gql(None, ACCEPT, json!({ "t": token })).await;
    assert_eq!(first["data"]["acceptInvitation"]["user"]["roles"], json!(["DEVELOPER"]), "{first}");
    assert_eq!(first["data"]["acceptInvitation"]["user"]["tenant"]["id"], user["tenant"]["id"]);

    let users = app.count("users").await;
    let second = app.gql(None, ACCEPT, json!({ "t": token })).await;
    assert_eq!(error_code(&second), Some("BAD_USER_INPUT"), "{second}");
    assert!(error_message(&second).starts_with("token:"));
    assert_eq!(app.count("users").await, users);
}

#[tokio::test]
async fn an_invitation_expires_after_seven_days() {
    let app = spawn_app().await;
    let (admin, _) = app.sign_up("Acme", "DEVELOPER", &app.email("admin")).await;
    let inv = app.gql(Some(&admin), INVITE, json!({ "e": app.email("dev"), "r": ["AUDITOR"] })).await;
    app.clock.advance(chrono::Duration::days(7) + chrono::Duration::seconds(1));
    let r = app.gql(None, ACCEPT, json!({ "t": inv["data"]["inviteUser"]["token"] })).await;
    assert_eq!(error_code(&r), Some("BAD_USER_INPUT"), "{r}");
}

#[tokio::test]
async fn a_non_admin_inviting_gets_forbidden_and_nothing_is_written() {
    let app = spawn_app().await;
    let (admin, _) = app.sign_up("Acme", "DEVELOPER", &app.email("admin")).await;
    let inv = app.gql(Some(&admin), INVITE, json!({ "e": app.email("dev"), "r": ["DEVELOPER"] })).await;
    let dev = app.gql(None, ACCEPT, json!({ "t": inv["data"]["inviteUser"]["token"] })).await["data"]["acceptInvitation"]["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let before = app.count("invitations").await;
    let r = app.gql(Some(&dev), INVITE, json!({ "e": app.email("friend"), "r": ["ADMIN"] })).await;
    assert_eq!(error_code(&r), Some("FORBIDDEN"), "{r}");
    assert_eq!(app.count("invitations").await, before);
}

#[tokio::test]
async fn inviting_an_existing_account_is_a_conflict() {
    let app = spawn_app().await;
    let existing = app.email("someone");
    app.sign_up("Elsewhere", "DEVELOPER", &existing).await;
    let (admin, _) = app.sign_up("Acme", "DEVELOPER", &app.email("admin")).await;
    let r = app.gql(Some(&admin), INVITE, json!({ "e": existing, "r": ["DEVELOPER"] })).await;
    assert_eq!(error_code(&r), Some("CONFLICT"), "{r}");
    assert!(error_message(&r).starts_with("email:"));
}
