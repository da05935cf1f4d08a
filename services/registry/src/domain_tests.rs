use super::*;
use base64::Engine as _;
use serde_json::json;

fn jwks() -> String {
    let n = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode([0xC3u8; 256]);
    json!({ "keys": [{ "kty": "RSA", "kid": "k1", "e": "AQAB", "n": n }] }).to_string()
}

fn app(kind: AppKind) -> NewApp {
    NewApp {
        name: "Glucose Diary".into(),
        description: None,
        kind,
        public: None,
        redirect_uris: Some(vec!["https://diary.example.com/cb".into()]),
        launch_url: None,
        jwks_uri: None,
        jwks: None,
        purpose: "Shows patients their glucose readings.".into(),
        business_owner_email: "Owner@Example.com".into(),
        technical_owner_email: "tech@example.com".into(),
    }
}

#[test]
fn the_status_machine_allows_only_the_spec_transitions() {
    use AppStatus::{Active, Offboarded, Suspended};
    let allowed = [(Active, Suspended), (Suspended, Active), (Active, Offboarded), (Suspended, Offboarded)];
    for from in AppStatus::ALL {
        for to in AppStatus::ALL {
            assert_eq!(from.can_become(to), allowed.contains(&(from, to)), "{from} -> {to}");
        }
    }
}

#[test]
fn kinds_and_statuses_round_trip_their_fixed_names() {
    for k in AppKind::ALL {
        assert_eq!(k.as_str().parse::<AppKind>().unwrap(), k);
    }
    for s in AppStatus::ALL {
        assert_eq!(s.as_str().parse::<AppStatus>().unwrap(), s);
    }
    assert!("active".parse::<AppStatus>().is_err());
}

#[test]
fn a_confidential_app_without_keys_authenticates_with_a_secret() {
    let spec = AppSpec::parse(&app(AppKind::ProviderFacing)).unwrap();
    assert_eq!(spec.auth_method(), AuthMethod::ClientSecret);
    assert_eq!(spec.business_owner.as_str(), "owner@example.com");
    assert_eq!(spec.redirect_uris_json(), r#"["https://diary.example.com/cb"]"#);
}

#[test]
fn a_public_app_uses_pkce_and_may_not_register_keys() {
    let mut a = app(AppKind::PatientFacing);
    a.public = Some(true);
    assert_eq!(AppSpec::parse(&a).unwrap().auth_method(), AuthMethod::Pkce);
    a.jwks_uri = Some("https://diary.example.com/jwks.json".into());
    assert!(AppSpec::parse(&a).unwrap_err().starts_with("jwksUri: a public app"));
}

#[test]
fn a_backend_service_needs_keys_no_redirects_and_cannot_be_public() {
    let mut a = app(AppKind::BackendService);
    a.redirect_uris = None;
    assert!(AppSpec::parse(&a).unwrap_err().starts_with("jwks: a BACKEND_SERVICE app needs jwks or jwksUri"));
    a.jwks = Some(jwks());
    assert_eq!(AppSpec::parse(&a).unwrap().auth_method(), AuthMethod::PrivateKeyJwt);
    a.public = Some(true);
    assert!(AppSpec::parse(&a).unwrap_err().starts_with("public: "));
    a.public = None;
    a.redirect_uris = Some(vec!["https://x.example.com/cb".into()]);
    assert!(AppSpec::parse(&a).unwrap_err().starts_with("redirectUris: "));
}

#[test]
fn jwks_and_jwks_uri_are_mutually_exclusive() {
    let mut a = app(AppKind::BackendService);
    a.redirect_uris = None;
    a.jwks = Some(jwks());
    a.jwks_uri = Some("https://keys.example.com/jwks.json".into());
    assert_eq!(AppSpec::parse(&a).unwrap_err(), "jwks: give either jwks or jwksUri, not both");
}

#[test]
fn user_facing_apps_need_a_redirect_uri() {
    let mut a = app(AppKind::PatientFacing);
    a.redirect_uris = Some(vec![]);
    assert_eq!(AppSpec::parse(&a).unwrap_err(), "redirectUris: a PATIENT_FACING app needs at least one redirect URI");
}

#[test]
fn texts_are_bounded_and_blank_optionals_count_as_absent() {
    let mut a = app(AppKind::ProviderFacing);
    a.description = Some("   ".into());
    a.launch_url = Some(String::new());
    let spec = AppSpec::parse(&a).unwrap();
    assert_eq!((spec.description, spec.launch_url), (None, None));
    a.description = Some("line one\nline two".into());
    assert!(AppSpec::parse(&a).is_ok());
    for (field, mutate) in [
        ("name", Box::new(|a: &mut NewApp| a.name = "x".repeat(201)) as Box<dyn Fn(&mut NewApp)>),
        ("name", Box::new(|a: &mut NewApp| a.name = " ".into())),
        ("description", Box::new(|a: &mut NewApp| a.description = Some("d".repeat(2001)))),
        ("purpose", Box::new(|a: &mut NewApp| a.purpose = String::new())),
        ("purpose", Box::new(|a: &mut NewApp| a.purpose = "p\u{0}".into())),
        ("businessOwnerEmail", Box::new(|a: &mut NewApp| a.business_owner_email = "nobody".into())),
        ("technicalOwnerEmail", Box::new(|a: &mut NewApp| a.technical_owner_email = "a@b".into())),
    ] {
        let mut b = app(AppKind::ProviderFacing);
        mutate(&mut b);
        let e = AppSpec::parse(&b).unwrap_err();
        assert!(e.starts_with(&format!("{field}: ")), "{field}: {e}");
    }
}

#[test]
fn every_displayed_field_refuses_invisible_and_direction_changing_characters() {
    for (field, mutate) in [
        ("name", Box::new(|a: &mut NewApp| a.name = "Glucose\u{202E}yraiD".into()) as Box<dyn Fn(&mut NewApp)>),
        ("description", Box::new(|a: &mut NewApp| a.description = Some("safe\u{200B}".into()))),
        ("purpose", Box::new(|a: &mut NewApp| a.purpose = "\u{2066}treatment".into())),
        ("businessOwnerEmail", Box::new(|a: &mut NewApp| a.business_owner_email = "owner\u{200D}@example.com".into())),
        ("redirectUris[0]", Box::new(|a: &mut NewApp| a.redirect_uris = Some(vec!["https://diary.example.com/\u{202E}cb".into()]))),
    ] {
        let mut b = app(AppKind::ProviderFacing);
        mutate(&mut b);
        let e = AppSpec::parse(&b).unwrap_err();
        assert!(e.starts_with(&format!("{field}: must not contain invisible or direction-changing characters")), "{field}: {e}");
    }
}

#[test]
fn a_patch_changes_only_the_given_fields_and_null_clears() {
    let mut current = app(AppKind::ProviderFacing);
    current.description = Some("old".into());
    current.launch_url = Some("https://diary.example.com/launch".into());
    let patch = AppPatch { name: Some("New".into()), description: Some(None), ..AppPatch::default() };
    let merged = patch.apply(current.clone());
    assert_eq!(merged.name, "New");
    assert_eq!(merged.description, None);
    assert_eq!(merged.launch_url, current.launch_url);
    assert_eq!(merged.purpose, current.purpose);
}
