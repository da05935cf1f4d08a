//! `analyze` and the `ScopeAnalysis` JSON shape (SPEC §5).

use accord_scopes::{Risk, Scope, ScopeAnalysis, analyze, analyze_all};
use serde_json::{Value, json};

#[test]
fn a_valid_resource_scope_is_analyzed_field_by_field() {
    let a = analyze("patient/Observation.read");
    assert_eq!(
        a,
        ScopeAnalysis {
            input: "patient/Observation.read".into(),
            valid: true,
            error: None,
            normalized: Some("patient/Observation.rs".into()),
            context: Some("patient".into()),
            resource_type: Some("Observation".into()),
            permissions: Some("rs".into()),
            risk: Some(Risk::Low),
            description: Some("Read and search this patient's Observations".into()),
        }
    );
}

#[test]
fn a_wildcard_scope_reports_star_as_its_resource_type() {
    let a = analyze("user/*.write");
    assert_eq!(a.resource_type.as_deref(), Some("*"));
    assert_eq!(a.permissions.as_deref(), Some("cud"));
    assert_eq!(a.risk, Some(Risk::High));
}

#[test]
fn a_non_resource_scope_has_no_context_type_or_permissions() {
    let a = analyze("offline_access");
    assert!(a.valid);
    assert_eq!(a.context, None);
    assert_eq!(a.resource_type, None);
    assert_eq!(a.permissions, None);
    assert_eq!(a.risk, Some(Risk::Medium));
    assert!(a.description.is_some());
}

#[test]
fn an_invalid_scope_carries_only_its_input_and_error() {
    let a = analyze("patient/Observaton.rs");
    assert!(!a.valid);
    assert!(a.error.as_deref().unwrap().contains("did you mean Observation?"));
    assert_eq!(a.normalized, None);
    assert_eq!(a.risk, None);
    assert_eq!(a.description, None);
    assert_eq!(a.input, "patient/Observaton.rs");
}

#[test]
fn analysis_serializes_exactly_the_nine_fields_with_nulls() {
    let value = serde_json::to_value(analyze("openid")).unwrap();
    assert_eq!(
        value,
        json!({
            "input": "openid",
            "valid": true,
            "error": null,
            "normalized": "openid",
            "context": null,
            "resourceType": null,
            "permissions": null,
            "risk": "LOW",
            "description": "Sign the user in with OpenID Connect (an ID token identifying the user)",
        })
    );
    let Value::Object(invalid) = serde_json::to_value(analyze("group/*.rs")).unwrap() else {
        panic!("an object");
    };
    let keys: Vec<&str> = invalid.keys().map(String::as_str).collect();
    let mut expected = ["input", "valid", "error", "normalized", "context", "resourceType", "permissions", "risk", "description"];
    expected.sort_unstable();
    let mut sorted = keys.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, expected);
}

#[test]
fn analyze_all_keeps_the_input_order() {
    let all = analyze_all(&["openid", "bad scope", "launch"]);
    let valid: Vec<bool> = all.iter().map(|a| a.valid).collect();
    assert_eq!(valid, [true, false, true]);
}

#[test]
fn analysis_of_a_parsed_scope_uses_its_normalized_text_as_input() {
    let s: Scope = "user/Patient.read".parse().unwrap();
    let a = ScopeAnalysis::of(&s);
    assert_eq!(a.input, "user/Patient.rs");
    assert_eq!(a.risk, Some(Risk::Medium));
}
