use crate::support::*;
use accord_gateway::testing::{error_code, error_message, spawn_app};
use serde_json::{Value, json};

/// `(what, base input, field to set, value, expected message start, expected message part)`.
fn cases() -> Vec<(&'static str, Value, &'static str, Value, &'static str, &'static str)> {
    let mut private = rsa_key("k1");
    private["d"] = json!("c2VjcmV0LXByaXZhdGUtZXhwb25lbnQ");
    let mut no_kid = rsa_key("k1");
    no_kid.as_object_mut().unwrap().remove("kid");
    let eleven: Vec<Value> = (0..11).map(|i| rsa_key(&format!("k{i}"))).collect();
    let too_many_uris: Vec<String> = (0..21).map(|i| format!("https://sepsis.example.com/cb{i}")).collect();
    let p = provider_app;
    let b = backend_app;
    vec![
        (
            "http redirect",
            p(),
            "redirectUris",
            json!(["https://sepsis.example.com/cb", "http://sepsis.example.com/cb"]),
            "redirectUris[1]: must use https (http only for localhost)",
            "",
        ),
        ("fragment", p(), "redirectUris", json!(["https://sepsis.example.com/cb#x"]), "redirectUris[0]: must not contain a fragment", ""),
        (
            "user info",
            p(),
            "redirectUris",
            json!(["https://me:pw@sepsis.example.com/cb"]),
            "redirectUris[0]: must not contain user info",
            "",
        ),
        ("relative", p(), "redirectUris", json!(["/callback"]), "redirectUris[0]: must use https", "absolute URL"),
        (
            "too long",
            p(),
            "redirectUris",
            json!([format!("https://sepsis.example.com/{}", "a".repeat(2048))]),
            "redirectUris[0]: must be at most 2048 characters",
            "",
        ),
        ("too many", p(), "redirectUris", json!(too_many_uris), "redirectUris: at most 20 redirect URIs, got 21", ""),
        (
            "duplicate",
            p(),
            "redirectUris",
            json!(["https://sepsis.example.com/cb", "https://SEPSIS.example.com/cb"]),
            "redirectUris[1]: duplicates redirectUris[0]",
            "",
        ),
        ("wildcard", p(), "redirectUris", json!(["https://*.example.com/cb"]), "redirectUris[0]: must not contain wildcards", ""),
        ("no redirect", p(), "redirectUris", json!([]), "redirectUris: a PROVIDER_FACING app needs at least one redirect URI", ""),
        ("http launch", p(), "launchUrl", json!("http://sepsis.example.com/launch"), "launchUrl: must use https", ""),
        ("http jwksUri", b(), "jwksUri", json!("http://localhost/jwks.json"), "jwksUri: must use https", ""),
        (
            "private key",
            b(),
            "jwks",
            json!({ "keys": [private] }).to_string().into(),
            "jwks.keys[0]: contains private key material (\"d\")",
            "must never be sent",
        ),
        ("not json", b(), "jwks", json!("{\"keys\": ["), "jwks: is not valid JSON", ""),
        ("not a set", b(), "jwks", json!([rsa_key("k1")]).to_string().into(), "jwks: must be a JWK Set", ""),
        ("no keys", b(), "jwks", json!({ "keys": [] }).to_string().into(), "jwks.keys: must hold between 1 and 10 keys", ""),
        (
            "eleven keys",
            b(),
            "jwks",
            json!({ "keys": eleven }).to_string().into(),
            "jwks.keys: must hold between 1 and 10 keys, got 11",
            "",
        ),
        (
            "duplicate kid",
            b(),
            "jwks",
            json!({ "keys": [rsa_key("k1"), rsa_key("k1")] }).to_string().into(),
            "jwks.keys[1].kid: \"k1\" duplicates jwks.keys[0].kid",
            "",
        ),
        ("no kid", b(), "jwks", json!({ "keys": [no_kid] }).to_string().into(), "jwks.keys[0].kid: is required", ""),
        (
            "bad kty",
            b(),
            "jwks",
            json!({ "keys": [{ "kty": "OKP", "kid": "e", "crv": "Ed25519", "x": "AAAA" }] }).to_string().into(),
            "jwks.keys[0].kty: must be RSA or EC",
            "",
        ),
        ("both keys", b(), "jwksUri", json!("https://claims.example.com/jwks.json"), "jwks: give either jwks or jwksUri, not both", ""),
        ("backend without keys", b(), "jwks", json!(null), "jwks: a BACKEND_SERVICE app needs jwks or jwksUri", ""),
        ("public backend", b(), "public", json!(true), "public: a BACKEND_SERVICE app cannot be public", ""),
        (
            "backend redirect",
            b(),
            "redirectUris",
            json!(["https://claims.example.com/cb"]),
            "redirectUris: a BACKEND_SERVICE app has no user-facing flow",
            "",
        ),
        (
            "public with keys",
            patient_public_app(),
            "jwks",
            jwks("k1").to_string().into(),
            "jwks: a public app (PKCE only) has no credential",
            "",
        ),
        ("empty name", p(), "name", json!("  "), "name: must not be empty", ""),
        ("long name", p(), "name", json!("n".repeat(201)), "name: must be at most 200 characters", ""),
        ("long description", p(), "description", json!("d".repeat(2001)), "description: must be at most 2000 characters", ""),
        ("empty purpose", p(), "purpose", json!(""), "purpose: must not be empty", ""),
        ("bad business owner", p(), "businessOwnerEmail", json!("owner"), "businessOwnerEmail: is not an email address", ""),
        ("bad technical owner", p(), "technicalOwnerEmail", json!("tech@localhost"), "technicalOwnerEmail: is not an email address", ""),
    ]
}

#[tokio::test]
async fn every_invalid_registration_names_the_field_and_writes_nothing() {
    let app = spawn_app().await;
    let acme = vendor(&app, "Acme").await;
    let before = written(&app).await;
    for (what, mut input, field, value, starts, contains) in cases() {
        input[field] = value;
        let r = app.gql(Some(&acme.token), &register_mutation(), json!({ "i": input })).await;
        assert_eq!(error_code(&r), Some("BAD_USER_INPUT"), "{what}: {r}");
        let msg = error_message(&r);
        assert!(msg.starts_with(starts), "{what}: expected `{starts}…`, got `{msg}`");
        assert!(msg.contains(contains), "{what}: expected `{contains}` in `{msg}`");
    }
    assert_eq!(written(&app).await, before, "no refused registration wrote anything");
}

#[tokio::test]
async fn plain_http_redirects_are_accepted_only_for_loopback_hosts() {
    let app = spawn_app().await;
    let acme = vendor(&app, "Acme").await;
    let mut input = patient_public_app();
    input["redirectUris"] = json!(["http://localhost:3000/cb", "http://127.0.0.1/cb", "http://[::1]:8080/cb"]);
    let (registered, _) = register(&app, &acme.token, input.clone()).await;
    assert_eq!(registered["redirectUris"], input["redirectUris"]);
    input["redirectUris"] = json!(["http://localhost.attacker.example/cb"]);
    let r = app.gql(Some(&acme.token), &register_mutation(), json!({ "i": input })).await;
    assert!(error_message(&r).starts_with("redirectUris[0]: must use https"), "{r}");
}

#[tokio::test]
async fn an_unknown_app_kind_is_bad_user_input() {
    let app = spawn_app().await;
    let acme = vendor(&app, "Acme").await;
    let mut input = provider_app();
    input["kind"] = json!("ROBOT");
    let r = app.gql(Some(&acme.token), &register_mutation(), json!({ "i": input })).await;
    assert_eq!(error_code(&r), Some("BAD_USER_INPUT"), "{r}");
    assert_eq!(app.count("apps").await, 0);
}
