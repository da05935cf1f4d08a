//! Credential notices: client secrets and API tokens about to expire, once each.

use crate::*;

#[tokio::test]
async fn api_tokens_and_client_secrets_expiring_within_14_days_are_announced_once_each() {
    let w = crate::world::world().await;
    let app = &w.app;
    let r =
        w.gql(&w.vendor_admin, "mutation { createApiToken(name: \"ci\", expiresInDays: 10) { token apiToken { id } } }", json!({})).await;
    let token_id = r["data"]["createApiToken"]["apiToken"]["id"].clone();
    assert!(token_id.is_string(), "{r}");
    w.gql(&w.vendor_admin, "mutation { createApiToken(name: \"long\", expiresInDays: 90) { token } }", json!({})).await;
    let r = w
        .gql(
            &w.dev,
            "mutation($i: RegisterAppInput!) { registerApp(input: $i) { app { id } clientSecret } }",
            json!({ "i": { "name": "Confidential", "kind": "PROVIDER_FACING", "redirectUris": ["https://c.example/cb"], "purpose": "Charts for clinicians", "businessOwnerEmail": "biz@vendor.example", "technicalOwnerEmail": "tech@vendor.example" } }),
        )
        .await;
    assert!(r["data"]["registerApp"]["clientSecret"].is_string(), "{r}");

    let now = app.clock.now();
    assert_eq!(run(app, "credentials", now).await.items, 1, "only the 10-day token is within 14 days");
    assert_eq!(run(app, "credentials", now + days(1)).await.items, 0, "once");
    let notices = events(app, "credential.expiring").await;
    assert_eq!(notices[0]["apiToken"]["id"], token_id);
    assert!(notices[0]["owner"]["email"].as_str().unwrap().starts_with("vendor-admin."));
    // The client secret lasts a year: announced 14 days before it ends, once.
    let ran = run(app, "credentials", now + days(352)).await;
    assert_eq!(ran.items, 1, "{}", ran.summary);
    let notices = events(app, "credential.expiring").await;
    assert_eq!(notices[1]["app"]["technicalOwner"], "tech@vendor.example");
    assert_eq!(notices[1]["credential"]["kind"], "CLIENT_SECRET");
    assert_eq!(run(app, "credentials", now + days(353)).await.items, 0);
}
