//! `accord scopes explain` and `accord scopes check` (SPEC §9).

use accord_scopes::cli::{EXIT_INVALID, EXIT_NOT_COVERED, EXIT_OK, check, explain};
use serde_json::Value;

fn strings(texts: &[&str]) -> Vec<String> {
    texts.iter().map(|s| (*s).to_owned()).collect()
}

#[test]
fn explain_json_prints_one_object_per_scope_and_exits_2_on_an_invalid_one() {
    let (out, code) = explain(&strings(&["patient/Observation.read", "patient/Observaton.rs"]), true);
    assert_eq!(code, 2);
    let Value::Array(items) = serde_json::from_str(&out).unwrap() else {
        panic!("a JSON array");
    };
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["normalized"], "patient/Observation.rs");
    assert_eq!(items[0]["valid"], true);
    assert_eq!(items[1]["valid"], false);
    assert!(items[1]["error"].as_str().unwrap().contains("did you mean Observation?"));
    for item in &items {
        assert_eq!(item.as_object().unwrap().len(), 9);
    }
}

#[test]
fn explain_exits_0_when_every_scope_is_valid() {
    let (out, code) = explain(&["openid", "user/*.read"], true);
    assert_eq!(code, EXIT_OK);
    let items: Vec<Value> = serde_json::from_str(&out).unwrap();
    assert_eq!(items[1]["risk"], "MEDIUM");
    assert_eq!(items[1]["resourceType"], "*");
    assert_eq!(items[1]["context"], "user");
    assert_eq!(items[1]["permissions"], "rs");
}

#[test]
fn explain_text_prints_a_readable_block_per_scope() {
    let (out, code) = explain(&["patient/Observation.read", "patient/Observaton.rs"], false);
    assert_eq!(code, EXIT_INVALID);
    assert!(out.starts_with("patient/Observation.read\n"));
    assert!(out.contains("  normalized:  patient/Observation.rs\n"));
    assert!(out.contains("  risk:        LOW\n"));
    assert!(out.contains("  description: Read and search this patient's Observations\n"));
    assert!(out.contains("\npatient/Observaton.rs\n  invalid:     unknown resource type 'Observaton'"));
    assert!(out.ends_with("1 of 2 scopes are invalid"));
}

#[test]
fn explain_text_escapes_control_characters_in_the_echoed_input() {
    let (out, code) = explain(&["openid\u{1b}[31m"], false);
    assert_eq!(code, EXIT_INVALID);
    assert!(!out.contains('\u{1b}'));
}

#[test]
fn explain_with_no_scope_is_a_usage_error() {
    let none: [&str; 0] = [];
    assert_eq!(explain(&none, false).1, EXIT_INVALID);
    assert_eq!(explain(&none, true), ("[]".to_owned(), EXIT_INVALID));
}

#[test]
fn check_exits_0_when_every_requested_scope_is_covered() {
    let (out, code) = check(&["patient/*.read", "launch/patient"], &["patient/Observation.rs", "launch/patient"], true);
    assert_eq!(code, EXIT_OK);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["covered"], true);
    assert_eq!(v["granted"], serde_json::json!(["launch/patient", "patient/*.rs"]));
    assert_eq!(v["results"][0]["covered"], true);
    assert_eq!(v["results"][0]["normalized"], "patient/Observation.rs");
    assert_eq!(v["errors"], serde_json::json!([]));
}

#[test]
fn check_exits_1_when_a_requested_scope_is_not_covered() {
    let (out, code) = check(&["patient/*.rs"], &["patient/Observation.read", "patient/Observation.d"], true);
    assert_eq!(code, EXIT_NOT_COVERED);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["covered"], false);
    assert_eq!(v["results"][0]["requested"], "patient/Observation.read");
    assert_eq!(v["results"][0]["covered"], true);
    assert_eq!(v["results"][0]["reason"], Value::Null);
    assert_eq!(v["results"][1]["covered"], false);
    assert!(v["results"][1]["reason"].as_str().unwrap().contains("delete"));
}

#[test]
fn check_exits_2_on_an_invalid_scope_on_either_side() {
    let (out, code) = check(&["patient/Observaton.rs"], &["patient/Observation.rs"], true);
    assert_eq!(code, EXIT_INVALID);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["covered"], false);
    assert_eq!(v["errors"][0]["side"], "granted");
    assert_eq!(v["errors"][0]["index"], 0);
    assert!(v["errors"][0]["error"].as_str().unwrap().contains("did you mean Observation?"));

    let (out, code) = check(&["patient/*.rs"], &["patient/Observation.rs", "group/*.rs"], true);
    assert_eq!(code, EXIT_INVALID);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["results"][1]["valid"], false);
    assert_eq!(v["results"][1]["normalized"], Value::Null);
    assert_eq!(v["errors"][0]["side"], "requested");
    assert_eq!(v["errors"][0]["index"], 1);
}

#[test]
fn check_refuses_too_many_scopes_and_an_empty_request() {
    let many: Vec<String> = (0..101).map(|i| format!("__e{i}")).collect();
    assert_eq!(check(&many, &["__e1"], true).1, EXIT_INVALID);
    let none: [&str; 0] = [];
    assert_eq!(check(&["openid"], &none, false).1, EXIT_INVALID);
}

#[test]
fn check_text_names_each_outcome() {
    let (out, code) = check(&["patient/*.rs", "user/Encounter.rs"], &["patient/Observation.read", "patient/Encounter.d", "bad"], false);
    assert_eq!(code, EXIT_INVALID);
    assert!(out.starts_with("granted: patient/*.rs user/Encounter.rs\n"));
    assert!(out.contains("covered      patient/Observation.read (= patient/Observation.rs)\n"));
    assert!(out.contains("NOT COVERED  patient/Encounter.d: "));
    assert!(out.contains("INVALID      bad\n"));
    assert!(out.contains("invalid requested scope 3 'bad'"));
    assert!(out.ends_with("result: 1 invalid input(s)"));

    let (out, code) = check(&["patient/*.rs"], &["patient/Observation.rs"], false);
    assert_eq!(code, EXIT_OK);
    assert!(out.ends_with("result: all 1 requested scope(s) covered"));
}
