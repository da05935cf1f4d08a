//! Overlap (for forbidden scopes) and intersection (what a token may carry).

use accord_scopes::{intersection, overlaps};

use crate::{scope, set};

fn overlap(a: &str, b: &str) -> bool {
    let (a, b) = (scope(a), scope(b));
    let forward = overlaps(&a, &b);
    assert_eq!(forward, overlaps(&b, &a), "overlap must be symmetric");
    forward
}

#[test]
fn scopes_sharing_an_interaction_on_a_type_overlap() {
    assert!(overlap("system/*.d", "system/Patient.cud"));
    assert!(overlap("patient/Observation.rs", "patient/Observation.s"));
    assert!(overlap("patient/*.r", "patient/Observation.rs"));
    assert!(overlap("patient/*.cruds", "patient/*.d"));
}

#[test]
fn scopes_with_no_common_letter_do_not_overlap() {
    assert!(!overlap("system/*.d", "system/Patient.rs"));
    assert!(!overlap("patient/Observation.rs", "patient/Observation.cud"));
}

#[test]
fn scopes_on_different_types_do_not_overlap() {
    assert!(!overlap("patient/Observation.rs", "patient/Condition.rs"));
}

#[test]
fn scopes_in_different_contexts_do_not_overlap() {
    assert!(!overlap("system/*.d", "user/Patient.d"));
    assert!(!overlap("patient/Observation.rs", "user/Observation.rs"));
}

#[test]
fn query_restrictions_never_rule_out_an_overlap() {
    // An Observation can carry both categories; dates and strings match ranges and prefixes.
    assert!(overlap("patient/Observation.rs?category=laboratory", "patient/Observation.rs?category=vital-signs"));
    assert!(overlap("patient/Observation.rs?date=ge2020", "patient/Observation.rs?date=ge2021"));
    assert!(overlap("patient/Observation.rs?category=laboratory", "patient/*.r"));
}

#[test]
fn non_resource_scopes_overlap_only_when_equal() {
    assert!(overlap("openid", "openid"));
    assert!(!overlap("openid", "fhirUser"));
    assert!(!overlap("offline_access", "patient/*.cruds"));
    assert!(overlap("__x", "__x"));
    assert!(!overlap("launch/list?role=a", "launch/list?role=b"));
}

#[test]
fn a_forbidden_pattern_catches_every_request_that_touches_it() {
    let forbidden = set(&["system/*.d", "patient/Observation.rs?category=social-history"]);
    let hits = |r: &str| forbidden.iter().any(|f| overlaps(f, &scope(r)));
    assert!(hits("system/Patient.cud"));
    assert!(hits("patient/Observation.r"));
    assert!(hits("patient/*.rs"));
    assert!(!hits("system/Patient.rs"));
    assert!(!hits("patient/Condition.rs"));
}

#[test]
fn intersection_keeps_what_both_sides_allow() {
    let granted = set(&["patient/Observation.rs", "patient/Condition.rs", "openid", "launch/patient"]);
    let requested = set(&["patient/*.cruds", "openid", "fhirUser"]);
    assert_eq!(intersection(&granted, &requested).to_strings(), ["openid", "patient/Condition.rs", "patient/Observation.rs"]);
}

#[test]
fn intersection_combines_restrictions_and_narrows_letters() {
    let granted = set(&["patient/*.r?category=laboratory"]);
    let requested = set(&["patient/Observation.rs?status=final"]);
    assert_eq!(intersection(&granted, &requested).to_strings(), ["patient/Observation.r?category=laboratory&status=final"]);
}

#[test]
fn intersection_drops_redundant_members() {
    let granted = set(&["patient/Observation.rs", "patient/Observation.rs?category=laboratory"]);
    let requested = set(&["patient/Observation.rs"]);
    assert_eq!(intersection(&granted, &requested).to_strings(), ["patient/Observation.rs"]);
}

#[test]
fn intersection_is_empty_when_nothing_is_shared() {
    assert!(intersection(&set(&["user/*.rs"]), &set(&["patient/Observation.rs"])).is_empty());
    assert!(intersection(&set(&[]), &set(&["openid"])).is_empty());
}
