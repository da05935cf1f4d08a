//! Risk (SPEC §4): every rule with a case that holds and one that does not.

use accord_scopes::Risk;

use crate::{scope, set};

fn risk(text: &str) -> Risk {
    scope(text).risk()
}

#[test]
fn any_create_update_or_delete_is_high() {
    assert_eq!(risk("patient/Observation.c"), Risk::High);
    assert_eq!(risk("patient/Observation.u"), Risk::High);
    assert_eq!(risk("patient/Observation.d"), Risk::High);
    assert_eq!(risk("patient/Observation.write"), Risk::High);
    assert_eq!(risk("user/Appointment.cruds"), Risk::High);
}

#[test]
fn any_system_scope_is_high() {
    assert_eq!(risk("system/Observation.r"), Risk::High);
    assert_eq!(risk("system/*.rs"), Risk::High);
}

#[test]
fn a_wildcard_with_more_than_read_and_search_is_high() {
    assert_eq!(risk("patient/*.cruds"), Risk::High);
    assert_eq!(risk("patient/*.rd"), Risk::High);
}

#[test]
fn user_reads_are_medium() {
    assert_eq!(risk("user/Observation.rs"), Risk::Medium);
    assert_eq!(risk("user/Observation.s"), Risk::Medium);
}

#[test]
fn wildcard_reads_are_medium() {
    assert_eq!(risk("patient/*.rs"), Risk::Medium);
    assert_eq!(risk("patient/*.r"), Risk::Medium);
    assert_eq!(risk("user/*.read"), Risk::Medium);
}

#[test]
fn offline_access_is_medium() {
    assert_eq!(risk("offline_access"), Risk::Medium);
}

#[test]
fn everything_else_is_low() {
    for text in [
        "patient/Observation.rs",
        "patient/Patient.r",
        "patient/Observation.rs?category=laboratory",
        "launch",
        "launch/patient",
        "launch/encounter",
        "launch/list?role=x",
        "openid",
        "fhirUser",
        "profile",
        "online_access",
        "__profilePhoto.manage",
    ] {
        assert_eq!(risk(text), Risk::Low, "{text}");
    }
}

#[test]
fn the_risk_of_a_set_is_its_highest_member() {
    assert_eq!(set(&[]).risk(), Risk::Low);
    assert_eq!(set(&["openid", "patient/Observation.rs"]).risk(), Risk::Low);
    assert_eq!(set(&["openid", "offline_access"]).risk(), Risk::Medium);
    assert_eq!(set(&["patient/*.rs", "system/Patient.r"]).risk(), Risk::High);
    assert!(Risk::Low < Risk::Medium && Risk::Medium < Risk::High);
}

#[test]
fn risk_serializes_in_upper_case() {
    assert_eq!(serde_json::to_string(&Risk::Low).unwrap(), r#""LOW""#);
    assert_eq!(serde_json::to_string(&Risk::Medium).unwrap(), r#""MEDIUM""#);
    assert_eq!(serde_json::to_string(&Risk::High).unwrap(), r#""HIGH""#);
    assert_eq!(Risk::High.to_string(), "HIGH");
}
