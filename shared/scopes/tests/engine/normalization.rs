//! Normalization of single scopes and of sets (SPEC §4 "Normalize").

use accord_scopes::{Scope, ScopeSet};

use crate::{scope, set};

#[test]
fn v1_scopes_normalize_to_the_shortest_v2_form() {
    assert_eq!(scope("patient/Observation.read").to_string(), "patient/Observation.rs");
    assert_eq!(scope("patient/Observation.write").to_string(), "patient/Observation.cud");
    assert_eq!(scope("patient/Observation.*").to_string(), "patient/Observation.cruds");
}

#[test]
fn scopes_with_the_same_context_resource_and_query_merge_their_letters() {
    let s = set(&["patient/Observation.rs", "patient/Observation.cud"]);
    assert_eq!(s.to_strings(), ["patient/Observation.cruds"]);
    let s = set(&["patient/Observation.r", "patient/Observation.s", "patient/Observation.read"]);
    assert_eq!(s.to_strings(), ["patient/Observation.rs"]);
}

#[test]
fn scopes_with_a_different_context_resource_or_query_stay_apart() {
    let s = set(&["patient/Observation.r", "user/Observation.s", "patient/*.s", "patient/Observation.s?category=laboratory"]);
    assert_eq!(
        s.to_strings(),
        ["patient/*.s", "patient/Observation.r", "patient/Observation.s?category=laboratory", "user/Observation.s",]
    );
}

#[test]
fn query_order_does_not_prevent_a_merge() {
    let s = set(&["patient/Observation.r?a=1&b=2", "patient/Observation.s?b=2&a=1"]);
    assert_eq!(s.to_strings(), ["patient/Observation.rs?a=1&b=2"]);
}

#[test]
fn duplicates_are_removed() {
    let s = set(&["openid", "openid", "launch/patient", "launch/patient", "__x", "__x"]);
    assert_eq!(s.to_strings(), ["__x", "launch/patient", "openid"]);
}

#[test]
fn sets_are_sorted_by_their_normalized_text() {
    let s = set(&["user/Observation.rs", "openid", "system/*.rs", "patient/Patient.r", "fhirUser", "launch", "https://ehr.example.org/x"]);
    assert_eq!(
        s.to_strings(),
        ["fhirUser", "https://ehr.example.org/x", "launch", "openid", "patient/Patient.r", "system/*.rs", "user/Observation.rs",]
    );
    assert_eq!(s.to_string(), "fhirUser https://ehr.example.org/x launch openid patient/Patient.r system/*.rs user/Observation.rs");
}

#[test]
fn set_normalization_is_idempotent_and_order_independent() {
    let a = set(&["patient/Observation.read", "openid", "patient/Observation.write"]);
    let b = set(&["patient/Observation.write", "patient/Observation.read", "openid"]);
    assert_eq!(a, b);
    assert_eq!(ScopeSet::from_scopes(a.iter().cloned()), a);
    assert_eq!(a.to_string().parse::<ScopeSet>().unwrap(), a);
}

#[test]
fn sets_are_not_minimized_beyond_merging() {
    let s = set(&["patient/*.rs", "patient/Observation.r"]);
    assert_eq!(s.len(), 2);
}

#[test]
fn smart_uri_scopes_merge_with_their_short_form() {
    let s = set(&["http://smarthealthit.org/fhir/scopes/patient/*.r", "patient/*.s"]);
    assert_eq!(s.to_strings(), ["patient/*.rs"]);
}

#[test]
fn an_empty_set_prints_as_the_empty_string() {
    assert_eq!(ScopeSet::new().to_string(), "");
    assert!(ScopeSet::parse_all::<&str>(&[]).unwrap().is_empty());
    let collected: ScopeSet = Vec::<Scope>::new().into_iter().collect();
    assert!(collected.is_empty());
}
