//! SMART Backend Services as Inferno's `smart_stu2_2` suite checks it (discovery, then the
//! `backend_services_authorization` group), plus what the token must carry.

use crate::world::{GRANTED, world};
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde_json::Value;

#[tokio::test]
async fn discovery_is_json_with_absolute_urls_and_the_backend_services_capabilities() {
    let w = world().await;
    let r = w.app.client.get(format!("{}/.well-known/smart-configuration", w.base())).header("accept", "text/html").send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("application/json"));
    assert_eq!(r.headers()["access-control-allow-origin"], "*");
    let c: Value = r.json().await.unwrap();
    let base = format!("{}/t/{}", w.app.settings.public_url, w.slug);
    assert_eq!(c["token_endpoint"], format!("{base}/oauth/token"));
    assert_eq!(c["jwks_uri"], format!("{base}/.well-known/jwks.json"));
    assert_eq!(c["introspection_endpoint"], format!("{base}/oauth/introspect"));
    assert_eq!(c["revocation_endpoint"], format!("{base}/oauth/revoke"));
    for field in ["token_endpoint", "jwks_uri", "introspection_endpoint", "revocation_endpoint"] {
        assert!(c[field].as_str().unwrap().starts_with("http"), "{field} must be absolute");
    }
    assert_eq!(c["grant_types_supported"], serde_json::json!(["client_credentials"]));
    assert_eq!(c["token_endpoint_auth_methods_supported"], serde_json::json!(["private_key_jwt"]));
    assert_eq!(c["token_endpoint_auth_signing_alg_values_supported"], serde_json::json!(["RS384", "ES384"]));
    let caps: Vec<&str> = c["capabilities"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert!(caps.contains(&"client-confidential-asymmetric"), "{caps:?}");
    assert_eq!(c["code_challenge_methods_supported"], serde_json::json!(["S256"]));
    assert!(c["scopes_supported"].as_array().unwrap().iter().all(|s| s.as_str().unwrap().starts_with("system/")));

    let missing = w.app.client.get(format!("{}/t/no-such-holder/.well-known/smart-configuration", w.app.address)).send().await.unwrap();
    assert_eq!(missing.status(), 404);
}

#[tokio::test]
async fn inferno_backend_services_bad_grant_type_bad_assertion_type_and_bad_iss_are_refused() {
    let w = world().await;
    let a = w.assertion();
    let base = [
        ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
        ("client_assertion", a.as_str()),
        ("scope", "system/Observation.rs"),
    ];

    let mut form = vec![("grant_type", "not_a_grant_type")];
    form.extend_from_slice(&base);
    let (s, b, _, _) = w.token_raw(&form).await;
    assert_eq!((s, b["error"].as_str()), (400, Some("unsupported_grant_type")), "{b}");

    let (s, b, _, _) = w
        .token_raw(&[
            ("grant_type", "client_credentials"),
            ("client_assertion_type", "not_an_assertion_type"),
            ("client_assertion", &a),
            ("scope", "system/Observation.rs"),
        ])
        .await;
    assert!(s == 400 || s == 401, "{s}");
    assert_eq!(b["error"], "invalid_client");

    let mut claims = w.claims(&w.client_id);
    claims["iss"] = "not_a_valid_iss".into();
    let bad = crate::world::sign_es(&w.es, "es", &claims);
    let (s, b) = w.token_with(&bad, "system/Observation.rs").await;
    assert!(s == 400 || s == 401, "{s}");
    assert_eq!(b["error"], "invalid_client");
}

#[tokio::test]
async fn inferno_backend_services_a_correct_es384_or_rs384_request_gets_a_short_bearer_token_never_cached() {
    let w = world().await;
    let (s, b, cache, pragma) = w
        .token_raw(&[
            ("grant_type", "client_credentials"),
            ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
            ("client_assertion", &w.assertion()),
            ("scope", "system/Observation.rs"),
        ])
        .await;
    assert_eq!(s, 200, "{b}");
    assert!(b["access_token"].is_string());
    assert!(b["token_type"].as_str().unwrap().eq_ignore_ascii_case("bearer"));
    let expires_in = b["expires_in"].as_i64().unwrap();
    assert!(expires_in > 0 && expires_in <= 300, "{expires_in}");
    assert_eq!(b["scope"], "system/Observation.rs");
    assert!(b.get("refresh_token").is_none());
    assert!(cache.contains("no-store"), "{cache}");
    assert!(pragma.contains("no-cache"), "{pragma}");

    let (rsa, _) = crate::world::rsa_key();
    let rs = jsonwebtoken::encode(&crate::world::header(Algorithm::RS384, "rs"), &w.claims(&w.client_id), &rsa).unwrap();
    let (s, b) = w.token_with(&rs, "system/Patient.r").await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["scope"], "system/Patient.r");
}

#[tokio::test]
async fn the_token_is_a_jwt_signed_by_the_holders_published_key_with_requested_intersected_with_granted() {
    let w = world().await;
    let (s, b) = w.token_with(&w.assertion(), "system/Observation.cruds system/Encounter.r system/Patient.read").await;
    assert_eq!(s, 200, "{b}");
    // Observation: only the granted letters; Encounter: not granted at all; Patient.read → .rs ∩ .r.
    assert_eq!(b["scope"], "system/Observation.rs system/Patient.r");

    let token = b["access_token"].as_str().unwrap();
    let header = jsonwebtoken::decode_header(token).unwrap();
    assert_eq!(header.alg, Algorithm::ES384);
    let jwks: jsonwebtoken::jwk::JwkSet =
        w.app.client.get(format!("{}/.well-known/jwks.json", w.base())).send().await.unwrap().json().await.unwrap();
    let key = jwks.find(header.kid.as_deref().unwrap()).expect("the signing key is published");
    let mut v = Validation::new(Algorithm::ES384);
    v.validate_exp = false;
    v.validate_aud = false;
    let claims = jsonwebtoken::decode::<Value>(token, &DecodingKey::from_jwk(key).unwrap(), &v).unwrap().claims;
    assert_eq!(claims["sub"], w.client_id.as_str());
    assert_eq!(claims["client_id"], w.client_id.as_str());
    assert_eq!(claims["grant_id"], w.grant_id.as_str());
    assert_eq!(claims["iss"], format!("{}/t/{}", w.app.settings.public_url, w.slug));
    assert!(claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap() <= 300);
    assert!(
        jwks.keys.iter().all(|k| !serde_json::to_value(k).unwrap().as_object().unwrap().contains_key("d")),
        "no private part is published"
    );
}

#[tokio::test]
async fn nothing_granted_of_the_request_is_invalid_scope_and_a_malformed_scope_is_named() {
    let w = world().await;
    let (s, b) = w.token_with(&w.assertion(), "system/Encounter.rs").await;
    assert_eq!((s, b["error"].as_str()), (400, Some("invalid_scope")), "{b}");
    assert!(b["error_description"].as_str().unwrap().contains(GRANTED[0]), "{b}");
    let (s, b) = w.token_with(&w.assertion(), "system/Observaton.rs").await;
    assert_eq!((s, b["error"].as_str()), (400, Some("invalid_scope")), "{b}");
    assert!(b["error_description"].as_str().unwrap().contains("Observation"), "a suggestion: {b}");
    let (s, b, _, _) = w
        .token_raw(&[
            ("grant_type", "client_credentials"),
            ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
            ("client_assertion", &w.assertion()),
        ])
        .await;
    assert_eq!((s, b["error"].as_str()), (400, Some("invalid_request")), "{b}");
}

#[tokio::test]
async fn the_token_never_outlives_the_grant() {
    let w = world().await;
    // Move to 100 seconds before the 30-day grant ends.
    let r = w.gql(&w.holder_admin, "query($id: ID!) { grant(id: $id) { expiresAt } }", serde_json::json!({ "id": w.grant_id })).await;
    let expires: chrono::DateTime<chrono::Utc> = r["data"]["grant"]["expiresAt"].as_str().unwrap().parse().unwrap();
    w.app.clock.set(expires - chrono::Duration::seconds(100));
    let (s, b) = w.token_with(&w.assertion(), "system/Observation.rs").await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["expires_in"], 100);
    w.app.clock.set(expires + chrono::Duration::seconds(1));
    let (s, b) = w.token_with(&w.assertion(), "system/Observation.rs").await;
    assert_eq!((s, b["error"].as_str()), (400, Some("invalid_scope")), "an expired grant issues nothing, swept or not: {b}");
}
