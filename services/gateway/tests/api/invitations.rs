use accord_gateway::testing::{error_code, error_message, spawn_app};
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

const LIST: &str = "query($f: Int, $a: String) { invitations(first: $f, after: $a) { totalCount edges { node { id token email roles expiresAt createdAt revokedAt } } pageInfo { hasNextPage endCursor } } }";
const REVOKE: &str = "mutation($id: ID!) { revokeInvitation(id: $id) { id token email revokedAt } }";
const USER_ID: &str = "{ me { user { id } } }";

/// Invites `email` with `roles` and returns the invitation's `(id, token)`.
async fn invite(app: &accord_gateway::testing::TestApp, admin: &str, email: &str, roles: &[&str]) -> (String, String) {
    let r = app.gql(Some(admin), INVITE, json!({ "e": email, "r": roles })).await;
    let inv = &r["data"]["inviteUser"];
    assert!(inv.is_object(), "{r}");
    (inv["id"].as_str().unwrap().to_owned(), inv["token"].as_str().unwrap().to_owned())
}

/// Accepts an invitation and returns the new user's session.
async fn accept(app: &accord_gateway::testing::TestApp, token: &str) -> String {
    let r = app.gql(None, ACCEPT, json!({ "t": token })).await;
    r["data"]["acceptInvitation"]["token"].as_str().unwrap_or_else(|| panic!("accept failed: {r}")).to_owned()
}

/// A fresh session (the clock moves past session lifetimes in some tests).
async fn login(app: &accord_gateway::testing::TestApp, email: &str) -> String {
    let r = app
        .gql(None, "mutation($e: String!) { login(email: $e, password: \"correct horse battery\") { token } }", json!({ "e": email }))
        .await;
    r["data"]["login"]["token"].as_str().unwrap_or_else(|| panic!("login failed: {r}")).to_owned()
}

fn listed_emails(r: &serde_json::Value) -> Vec<String> {
    r["data"]["invitations"]["edges"].as_array().unwrap().iter().map(|e| e["node"]["email"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn invitations_lists_the_open_ones_newest_first_without_their_tokens() {
    let app = spawn_app().await;
    let admin_email = app.email("admin");
    let (admin, _) = app.sign_up("Acme", "DEVELOPER", &admin_email).await;
    let expired = app.email("expired");
    invite(&app, &admin, &expired, &["DEVELOPER"]).await;
    app.clock.advance(chrono::Duration::days(6));
    let admin = login(&app, &admin_email).await;
    let (open1, open2, open3, used, revoked) =
        (app.email("open1"), app.email("open2"), app.email("open3"), app.email("used"), app.email("revoked"));
    invite(&app, &admin, &open1, &["DEVELOPER"]).await;
    let (_, used_token) = invite(&app, &admin, &used, &["AUDITOR"]).await;
    let (revoked_id, _) = invite(&app, &admin, &revoked, &["AUDITOR"]).await;
    invite(&app, &admin, &open2, &["AUDITOR", "DEVELOPER"]).await;
    invite(&app, &admin, &open3, &["ADMIN"]).await;
    accept(&app, &used_token).await;
    assert!(app.gql(Some(&admin), REVOKE, json!({ "id": revoked_id })).await["data"]["revokeInvitation"].is_object());
    app.clock.advance(chrono::Duration::days(1) + chrono::Duration::seconds(1));
    let admin = login(&app, &admin_email).await;

    let all = app.gql(Some(&admin), LIST, json!({})).await;
    assert_eq!(all["data"]["invitations"]["totalCount"], json!(3), "{all}");
    assert_eq!(listed_emails(&all), [open3.clone(), open2.clone(), open1.clone()]);
    for edge in all["data"]["invitations"]["edges"].as_array().unwrap() {
        assert_eq!(edge["node"]["token"], json!(null), "a token is shown once, at inviteUser: {edge}");
        assert_eq!(edge["node"]["revokedAt"], json!(null));
    }
    assert_eq!(all["data"]["invitations"]["edges"][1]["node"]["roles"], json!(["DEVELOPER", "AUDITOR"]));

    let page1 = app.gql(Some(&admin), LIST, json!({ "f": 2 })).await;
    assert_eq!(listed_emails(&page1), [open3, open2]);
    assert_eq!(page1["data"]["invitations"]["pageInfo"]["hasNextPage"], json!(true));
    let page2 = app.gql(Some(&admin), LIST, json!({ "f": 2, "a": page1["data"]["invitations"]["pageInfo"]["endCursor"] })).await;
    assert_eq!(listed_emails(&page2), [open1]);
    assert_eq!(page2["data"]["invitations"]["pageInfo"]["hasNextPage"], json!(false));

    // Another organization sees none of them.
    let (other, _) = app.sign_up("Other", "DEVELOPER", &app.email("other")).await;
    assert_eq!(app.gql(Some(&other), LIST, json!({})).await["data"]["invitations"]["totalCount"], json!(0));
}

#[tokio::test]
async fn revoking_an_invitation_voids_its_token_and_is_audited_once() {
    let app = spawn_app().await;
    let (admin, _) = app.sign_up("Acme", "DEVELOPER", &app.email("admin")).await;
    let (id, token) = invite(&app, &admin, &app.email("dev"), &["DEVELOPER"]).await;

    let r = app.gql(Some(&admin), REVOKE, json!({ "id": id })).await;
    assert_eq!(r["data"]["revokeInvitation"]["id"], json!(id), "{r}");
    assert!(r["data"]["revokeInvitation"]["revokedAt"].is_string(), "{r}");
    assert_eq!(r["data"]["revokeInvitation"]["token"], json!(null));

    let users = app.count("users").await;
    let refused = app.gql(None, ACCEPT, json!({ "t": token })).await;
    assert_eq!(error_code(&refused), Some("BAD_USER_INPUT"), "{refused}");
    assert_eq!(error_message(&refused), "token: the invitation is unknown, expired or already used");
    assert_eq!(app.count("users").await, users);

    let again = app.gql(Some(&admin), REVOKE, json!({ "id": id })).await;
    assert_eq!(error_code(&again), Some("CONFLICT"), "{again}");
    let audit = app
        .gql(Some(&admin), "query($t: ID) { auditEvents(action: \"invitation.revoked\", targetId: $t) { totalCount } }", json!({ "t": id }))
        .await;
    assert_eq!(audit["data"]["auditEvents"]["totalCount"], json!(1), "{audit}");
}

#[tokio::test]
async fn revoking_an_accepted_invitation_is_a_conflict() {
    let app = spawn_app().await;
    let (admin, _) = app.sign_up("Acme", "DEVELOPER", &app.email("admin")).await;
    let (id, token) = invite(&app, &admin, &app.email("dev"), &["DEVELOPER"]).await;
    accept(&app, &token).await;
    let audit = app.count("audit_events").await;
    let r = app.gql(Some(&admin), REVOKE, json!({ "id": id })).await;
    assert_eq!(error_code(&r), Some("CONFLICT"), "{r}");
    assert!(error_message(&r).contains("accepted"), "{r}");
    assert_eq!(app.count("audit_events").await, audit);
}

#[tokio::test]
async fn another_organizations_invitation_answers_exactly_like_an_unknown_id() {
    let app = spawn_app().await;
    let (admin, _) = app.sign_up("Acme", "DEVELOPER", &app.email("admin")).await;
    let (id, token) = invite(&app, &admin, &app.email("dev"), &["DEVELOPER"]).await;
    let (stranger, _) = app.sign_up("Other", "DEVELOPER", &app.email("eve")).await;
    let audit = app.count("audit_events").await;

    let theirs = app.gql(Some(&stranger), REVOKE, json!({ "id": id })).await;
    let unknown = app.gql(Some(&stranger), REVOKE, json!({ "id": accord_kernel::new_id() })).await;
    assert_eq!(error_code(&theirs), Some("NOT_FOUND"), "{theirs}");
    assert_eq!(theirs["errors"][0]["message"], unknown["errors"][0]["message"], "existence must not leak");
    assert_eq!(theirs["errors"][0]["extensions"], unknown["errors"][0]["extensions"]);
    assert_eq!(app.count("audit_events").await, audit);
    accept(&app, &token).await;
}

#[tokio::test]
async fn only_an_admin_lists_or_revokes_invitations() {
    let app = spawn_app().await;
    let (admin, _) = app.sign_up("Acme", "DEVELOPER", &app.email("admin")).await;
    let (_, dev_token) = invite(&app, &admin, &app.email("dev"), &["DEVELOPER", "AUDITOR"]).await;
    let dev = accept(&app, &dev_token).await;
    let (id, _) = invite(&app, &admin, &app.email("next"), &["DEVELOPER"]).await;
    assert_eq!(error_code(&app.gql(Some(&dev), LIST, json!({})).await), Some("FORBIDDEN"));
    assert_eq!(error_code(&app.gql(Some(&dev), REVOKE, json!({ "id": id })).await), Some("FORBIDDEN"));
    assert_eq!(error_code(&app.gql(None, LIST, json!({})).await), Some("UNAUTHENTICATED"));
}

/// Signs up an organization whose second ADMIN issues an invitation; returns
/// `(first admin's session, second admin's user id, the invitation's token, its invitee)`.
async fn invitation_from_a_second_admin(app: &accord_gateway::testing::TestApp) -> (String, String, String, String) {
    let (first, _) = app.sign_up("Acme", "DEVELOPER", &app.email("first")).await;
    let (_, second_token) = invite(app, &first, &app.email("second"), &["ADMIN"]).await;
    let second = accept(app, &second_token).await;
    let second_id = app.gql(Some(&second), USER_ID, json!({})).await["data"]["me"]["user"]["id"].as_str().unwrap().to_owned();
    let invitee = app.email("invitee");
    let (_, token) = invite(app, &second, &invitee, &["ADMIN"]).await;
    (first, second_id, token, invitee)
}

async fn assert_void(app: &accord_gateway::testing::TestApp, first: &str, token: &str, invitee: &str) {
    assert!(!listed_emails(&app.gql(Some(first), LIST, json!({})).await).contains(&invitee.to_owned()), "no longer listed");
    let users = app.count("users").await;
    let r = app.gql(None, ACCEPT, json!({ "t": token })).await;
    assert_eq!(error_code(&r), Some("BAD_USER_INPUT"), "{r}");
    assert_eq!(error_message(&r), "token: the invitation is unknown, expired or already used");
    assert_eq!(app.count("users").await, users, "nothing is created");
}

#[tokio::test]
async fn an_invitation_is_void_once_its_inviter_is_deactivated() {
    let app = spawn_app().await;
    let (first, second_id, token, invitee) = invitation_from_a_second_admin(&app).await;
    assert!(listed_emails(&app.gql(Some(&first), LIST, json!({})).await).contains(&invitee), "listed while the inviter is an admin");
    let r = app.gql(Some(&first), "mutation($u: ID!) { deactivateUser(userId: $u) { active } }", json!({ "u": second_id })).await;
    assert_eq!(r["data"]["deactivateUser"]["active"], json!(false), "{r}");
    assert_void(&app, &first, &token, &invitee).await;
}

#[tokio::test]
async fn an_invitation_is_void_once_its_inviter_is_no_longer_an_admin() {
    let app = spawn_app().await;
    let (first, second_id, token, invitee) = invitation_from_a_second_admin(&app).await;
    let r = app
        .gql(Some(&first), "mutation($u: ID!) { updateUserRoles(userId: $u, roles: [DEVELOPER]) { roles } }", json!({ "u": second_id }))
        .await;
    assert_eq!(r["data"]["updateUserRoles"]["roles"], json!(["DEVELOPER"]), "{r}");
    assert_void(&app, &first, &token, &invitee).await;
    // Made ADMIN again, the inviter's invitation stands again: authority is read live.
    app.gql(Some(&first), "mutation($u: ID!) { updateUserRoles(userId: $u, roles: [ADMIN]) { roles } }", json!({ "u": second_id })).await;
    accept(&app, &token).await;
}
