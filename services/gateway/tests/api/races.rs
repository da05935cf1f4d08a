//! Organization and user writes racing each other (docs/concurrency.md): the second writer
//! sees what the first committed, so it gets a clear answer, never INTERNAL.

use accord_gateway::testing::{TestApp, error_code, spawn_app};
use futures::future::join_all;
use serde_json::{Value, json};

const SIGN_UP: &str = "mutation($i: SignUpInput!) { signUp(input: $i) { token user { id tenant { slug } } } }";
const ROLES: &str = "mutation($u: ID!, $r: [Role!]!) { updateUserRoles(userId: $u, roles: $r) { id roles } }";

async fn sign_up(app: &TestApp, org: String, email: &str) -> Value {
    let i = json!({ "organizationName": org, "kind": "DEVELOPER", "name": "Racer", "email": email, "password": "correct horse battery" });
    app.gql(None, SIGN_UP, json!({ "i": i })).await
}

#[tokio::test]
async fn sign_ups_racing_for_one_email_create_one_account_and_the_rest_are_told_why() {
    let app = spawn_app().await;
    let email = app.email("racer");
    let answers = join_all((0..8).map(|i| sign_up(&app, format!("Racers {i}"), &email))).await;
    let ok = answers.iter().filter(|r| error_code(r).is_none()).count();
    assert_eq!(ok, 1, "{answers:?}");
    for r in answers.iter().filter(|r| error_code(r).is_some()) {
        assert_eq!(error_code(r), Some("CONFLICT"), "{r}");
        assert_eq!(r["errors"][0]["message"], json!("email: already has an account"));
    }
    assert_eq!(app.count("users").await, 1);
    assert_eq!(app.count("tenants").await, 1);
}

#[tokio::test]
async fn sign_ups_racing_for_one_organization_name_all_succeed_with_distinct_slugs() {
    let app = spawn_app().await;
    let answers = join_all((0..12).map(|_| {
        let email = app.email("same-name");
        let app = &app;
        async move { sign_up(app, "Same Name Health".to_owned(), &email).await }
    }))
    .await;
    let mut slugs: Vec<String> = answers
        .iter()
        .map(|r| r["data"]["signUp"]["user"]["tenant"]["slug"].as_str().unwrap_or_else(|| panic!("{r}")).to_owned())
        .collect();
    slugs.sort();
    slugs.dedup();
    assert_eq!(slugs.len(), 12, "{slugs:?}");
    assert!(slugs.contains(&"same-name-health".to_owned()));
}

#[tokio::test]
async fn two_admins_demoting_each_other_at_once_leave_the_organization_an_admin() {
    let app = spawn_app().await;
    for _ in 0..5 {
        let (a, user_a) = app.sign_up("Two Admins", "DEVELOPER", &app.email("admin-a")).await;
        let b_email = app.email("admin-b");
        let inv =
            app.gql(Some(&a), "mutation($e: String!) { inviteUser(email: $e, roles: [ADMIN]) { token } }", json!({ "e": b_email })).await;
        let token = inv["data"]["inviteUser"]["token"].as_str().unwrap_or_else(|| panic!("{inv}"));
        let acc = app
            .gql(
                None,
                "mutation($t: String!) { acceptInvitation(token: $t, name: \"B\", password: \"correct horse battery\") { token user { id } } }",
                json!({ "t": token }),
            )
            .await;
        let b = acc["data"]["acceptInvitation"]["token"].as_str().unwrap().to_owned();
        let b_id = acc["data"]["acceptInvitation"]["user"]["id"].as_str().unwrap().to_owned();
        let a_id = user_a["id"].as_str().unwrap().to_owned();

        let (x, y) = tokio::join!(
            app.gql(Some(&a), ROLES, json!({ "u": b_id, "r": ["DEVELOPER"] })),
            app.gql(Some(&b), ROLES, json!({ "u": a_id, "r": ["DEVELOPER"] })),
        );
        let succeeded = [&x, &y].iter().filter(|r| error_code(r).is_none()).count();
        assert_eq!(succeeded, 1, "exactly one demotion wins: {x} {y}");
        for r in [&x, &y].into_iter().filter(|r| error_code(r).is_some()) {
            assert!(["CONFLICT", "FORBIDDEN", "UNAUTHENTICATED"].contains(&error_code(r).unwrap()), "{r}");
        }
        let me_a = app.gql(Some(&a), "{ me { user { roles } } }", json!({})).await;
        let me_b = app.gql(Some(&b), "{ me { user { roles } } }", json!({})).await;
        // The winner keeps its session and ADMIN; the loser's session ended with its demotion.
        let admins = [&me_a, &me_b].iter().filter(|m| m["data"]["me"]["user"]["roles"] == json!(["ADMIN"])).count();
        assert_eq!(admins, 1, "{me_a} {me_b}");
    }
}
