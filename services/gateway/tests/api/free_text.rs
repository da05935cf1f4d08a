//! Free text that approvers read refuses bidi controls and zero-width characters, so an app
//! name cannot be made to read as something else on an approver's screen.

use accord_gateway::testing::{error_code, error_message, spawn_app};
use serde_json::json;

const REGISTER: &str = "mutation($i: RegisterAppInput!) { registerApp(input: $i) { app { id name } } }";

#[tokio::test]
async fn an_app_name_with_a_right_to_left_override_is_refused_naming_name_and_nothing_is_written() {
    let app = spawn_app().await;
    let (vendor, _) = app.sign_up("Acme", "DEVELOPER", &app.email("ada")).await;
    let input = |name: &str, purpose: &str| {
        json!({ "i": { "name": name, "kind": "PATIENT_FACING", "public": true, "redirectUris": ["https://diary.example.com/cb"],
            "purpose": purpose, "businessOwnerEmail": "owner@example.com", "technicalOwnerEmail": "tech@example.com" } })
    };
    let before = (app.count("apps").await, app.count("audit_events").await, app.count("outbox_events").await);

    // Displayed, this reads "Glucose Diary exe.jpg": the classic reversed-extension spoof.
    let r = app.gql(Some(&vendor), REGISTER, input("Glucose Diary \u{202E}gpj.exe", "Shows readings.")).await;
    assert_eq!(error_code(&r), Some("BAD_USER_INPUT"), "{r}");
    assert_eq!(error_message(&r), "name: must not contain invisible or direction-changing characters (U+202E)");
    let r = app.gql(Some(&vendor), REGISTER, input("Glucose Diary", "Shows\u{200B} readings.")).await;
    assert_eq!(error_message(&r), "purpose: must not contain invisible or direction-changing characters (U+200B)", "{r}");
    assert_eq!(before, (app.count("apps").await, app.count("audit_events").await, app.count("outbox_events").await));

    let ok = app.gql(Some(&vendor), REGISTER, input("Ärztliche Glukose-App 血糖", "Shows readings.")).await;
    assert_eq!(ok["data"]["registerApp"]["app"]["name"], json!("Ärztliche Glukose-App 血糖"), "{ok}");
}

#[tokio::test]
async fn an_organization_name_with_a_zero_width_character_is_refused_at_sign_up() {
    let app = spawn_app().await;
    let r = app
        .gql(
            None,
            "mutation($i: SignUpInput!) { signUp(input: $i) { token } }",
            json!({ "i": { "organizationName": "Acme\u{2060}Health", "kind": "DEVELOPER", "name": "Ada", "email": app.email("ada"), "password": "correct horse battery" } }),
        )
        .await;
    assert_eq!(error_code(&r), Some("BAD_USER_INPUT"), "{r}");
    assert_eq!(error_message(&r), "organizationName: must not contain invisible or direction-changing characters (U+2060)");
    assert_eq!(app.count("tenants").await, 0);
}
