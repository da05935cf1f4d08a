//! The client-authentication SHALLs Inferno does not test: each one is `invalid_client` (401)
//! and issues nothing.

use crate::world::{World, ec_key, header, raw_jwt, sign_es, world};
use accord_kernel::Clock as _;
use base64::Engine as _;
use jsonwebtoken::{Algorithm, EncodingKey};
use serde_json::{Value, json};

async fn refused(w: &World, assertion: &str, what: &str) -> String {
    let (s, b) = w.token_with(assertion, "system/Observation.rs").await;
    assert_eq!((s, b["error"].as_str()), (401, Some("invalid_client")), "{what}: {b}");
    assert!(b.get("access_token").is_none());
    b["error_description"].as_str().unwrap_or_default().to_owned()
}

fn with(w: &World, change: impl FnOnce(&mut Value)) -> Value {
    let mut c = w.claims(&w.client_id);
    change(&mut c);
    c
}

#[tokio::test]
async fn a_replayed_jti_is_refused_even_with_a_fresh_signature() {
    let w = world().await;
    let claims = w.claims(&w.client_id);
    let first = sign_es(&w.es, "es", &claims);
    assert_eq!(w.token_with(&first, "system/Observation.rs").await.0, 200);
    assert!(refused(&w, &first, "the same assertion again").await.contains("jti"));
    // The same claims signed again, with the client's other registered key: still a replay.
    let (rsa, _) = crate::world::rsa_key();
    let again = jsonwebtoken::encode(&header(Algorithm::RS384, "rs"), &claims, &rsa).unwrap();
    assert_ne!(again, first);
    assert!(refused(&w, &again, "a re-signed replay").await.contains("jti"));
}

#[tokio::test]
async fn an_exp_more_than_five_minutes_ahead_or_in_the_past_is_refused() {
    let w = world().await;
    let now = w.app.clock.now().timestamp();
    let far = sign_es(&w.es, "es", &with(&w, |c| c["exp"] = json!(now + 600)));
    assert!(refused(&w, &far, "exp 10 minutes ahead").await.contains("five minutes"));
    let expired = sign_es(&w.es, "es", &with(&w, |c| c["exp"] = json!(now - 60)));
    assert!(refused(&w, &expired, "expired").await.contains("expired"));
    let no_exp = sign_es(
        &w.es,
        "es",
        &with(&w, |c| {
            c.as_object_mut().unwrap().remove("exp");
        }),
    );
    refused(&w, &no_exp, "no exp").await;
    let no_jti = sign_es(
        &w.es,
        "es",
        &with(&w, |c| {
            c.as_object_mut().unwrap().remove("jti");
        }),
    );
    refused(&w, &no_jti, "no jti").await;
}

#[tokio::test]
async fn a_wrong_aud_or_iss_other_than_sub_is_refused() {
    let w = world().await;
    let aud = sign_es(&w.es, "es", &with(&w, |c| c["aud"] = json!(format!("{}/t/another/oauth/token", w.app.settings.public_url))));
    assert!(refused(&w, &aud, "another aud").await.contains("aud"));
    let sub = sign_es(&w.es, "es", &with(&w, |c| c["sub"] = json!("acc_someone_else")));
    assert!(refused(&w, &sub, "sub ≠ iss").await.contains("iss and sub"));
}

#[tokio::test]
async fn an_unknown_kid_an_unknown_client_or_another_keys_signature_is_refused() {
    let w = world().await;
    let unknown_kid = sign_es(&w.es, "nope", &w.claims(&w.client_id));
    assert!(refused(&w, &unknown_kid, "unknown kid").await.contains("kid"));
    let stranger = ec_key("es");
    let unknown_client = sign_es(&stranger, "es", &w.claims("acc_not_a_client"));
    assert!(refused(&w, &unknown_client, "unknown client").await.contains("unknown client"));
    let forged = sign_es(&stranger, "es", &w.claims(&w.client_id));
    assert!(refused(&w, &forged, "signed by another key under our kid").await.contains("signature"));
    // An RS384 header naming the EC key: the key type does not fit the alg.
    let (rsa, _) = crate::world::rsa_key();
    let mismatched = jsonwebtoken::encode(&header(Algorithm::RS384, "es"), &w.claims(&w.client_id), &rsa).unwrap();
    refused(&w, &mismatched, "kty inconsistent with alg").await;
}

#[tokio::test]
async fn hs256_signed_with_the_public_key_and_alg_none_are_refused() {
    let w = world().await;
    // The classic confusion attack: HMAC keyed with the (public) JWK text or its coordinates.
    for secret in [
        w.es.jwk.to_string().into_bytes(),
        base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(w.es.jwk["x"].as_str().unwrap()).unwrap(),
    ] {
        let hs =
            jsonwebtoken::encode(&header(Algorithm::HS256, "es"), &w.claims(&w.client_id), &EncodingKey::from_secret(&secret).unwrap())
                .unwrap();
        assert!(refused(&w, &hs, "HS256").await.contains("alg"));
    }
    let none = raw_jwt(&json!({ "alg": "none", "typ": "JWT", "kid": "es" }), &w.claims(&w.client_id), b"");
    refused(&w, &none, "alg none").await;
    let unsigned = format!("{}.", none.trim_end_matches('.'));
    refused(&w, &unsigned, "alg none, empty signature").await;
}

#[tokio::test]
async fn a_jku_that_is_not_the_registered_jwks_uri_is_refused() {
    let w = world().await;
    let mut h = header(Algorithm::ES384, "es");
    h.jku = Some("https://attacker.example/jwks.json".into());
    let a = jsonwebtoken::encode(&h, &w.claims(&w.client_id), &w.es.encoding).unwrap();
    assert!(refused(&w, &a, "unregistered jku").await.contains("jku"));
}

#[tokio::test]
async fn a_suspended_or_offboarded_app_cannot_authenticate() {
    let w = world().await;
    let r = w
        .gql(&w.vendor_admin, "mutation($id: ID!) { suspendApp(id: $id, reason: \"incident\") { status } }", json!({ "id": w.app_id }))
        .await;
    assert_eq!(r["data"]["suspendApp"]["status"], "SUSPENDED", "{r}");
    assert!(refused(&w, &w.assertion(), "suspended app").await.contains("suspended"));
    let r = w.gql(&w.vendor_admin, "mutation($id: ID!) { resumeApp(id: $id) { status } }", json!({ "id": w.app_id })).await;
    assert_eq!(r["data"]["resumeApp"]["status"], "ACTIVE", "{r}");
    assert_eq!(w.token_with(&w.assertion(), "system/Observation.rs").await.0, 200);
    let r = w
        .gql(&w.vendor_admin, "mutation($id: ID!) { offboardApp(id: $id, reason: \"retired\") { status } }", json!({ "id": w.app_id }))
        .await;
    assert_eq!(r["data"]["offboardApp"]["status"], "OFFBOARDED", "{r}");
    assert!(refused(&w, &w.assertion(), "offboarded app").await.contains("offboarded"));
}

#[tokio::test]
async fn a_suspended_or_revoked_grant_issues_nothing() {
    let w = world().await;
    let r = w
        .gql(&w.approver1, "mutation($id: ID!) { suspendGrant(id: $id, reason: \"audit\") { status } }", json!({ "id": w.grant_id }))
        .await;
    assert_eq!(r["data"]["suspendGrant"]["status"], "SUSPENDED", "{r}");
    let (s, b) = w.token_with(&w.assertion(), "system/Observation.rs").await;
    assert_eq!((s, b["error"].as_str()), (400, Some("invalid_scope")), "{b}");
    assert!(b["error_description"].as_str().unwrap().contains("suspended"), "{b}");
    let r =
        w.gql(&w.approver1, "mutation($id: ID!) { revokeGrant(id: $id, reason: \"done\") { status } }", json!({ "id": w.grant_id })).await;
    assert_eq!(r["data"]["revokeGrant"]["status"], "REVOKED", "{r}");
    let (s, b) = w.token_with(&w.assertion(), "system/Observation.rs").await;
    assert_eq!((s, b["error"].as_str()), (400, Some("invalid_scope")), "{b}");
}

#[tokio::test]
async fn an_address_that_keeps_failing_to_authenticate_is_slowed_down_without_a_signature_check() {
    let w = world().await;
    let unknown_kid = |w: &World| sign_es(&w.es, "nope", &w.claims(&w.client_id));
    for _ in 0..accord_enforcement::oauth::FAILED_AUTH_PER_ADDRESS {
        assert_eq!(w.token_with(&unknown_kid(&w), "system/Observation.rs").await.0, 401);
    }
    let r = w
        .app
        .client
        .post(format!("{}/oauth/token", w.base()))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
            ("client_assertion", &w.assertion()),
            ("scope", "system/Observation.rs"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 429, "even a good assertion from this address waits");
    assert!(r.headers().contains_key("retry-after"));
}
