//! Containment (SPEC §4): every rule, with a case that holds and one that does not.

use accord_scopes::{Scope, covers, covers_all, explain_uncovered, narrow, uncovered};

use crate::{scope, set};

fn granted_covers(granted: &[&str], requested: &str) -> bool {
    covers(&set(granted), &scope(requested))
}

#[test]
fn a_scope_covers_itself() {
    assert!(granted_covers(&["patient/Observation.rs"], "patient/Observation.rs"));
}

#[test]
fn contexts_never_cover_each_other() {
    let contexts = ["patient", "user", "system"];
    for g in contexts {
        for r in contexts {
            let covered = granted_covers(&[&format!("{g}/*.cruds")], &format!("{r}/Observation.r"));
            assert_eq!(covered, g == r, "{g}/*.cruds vs {r}/Observation.r");
        }
    }
}

#[test]
fn a_wildcard_resource_covers_every_type() {
    assert!(granted_covers(&["patient/*.rs"], "patient/Observation.rs"));
    assert!(granted_covers(&["patient/*.rs"], "patient/*.rs"));
}

#[test]
fn a_concrete_resource_never_covers_the_wildcard_or_another_type() {
    assert!(!granted_covers(&["patient/Observation.rs"], "patient/*.rs"));
    assert!(!granted_covers(&["patient/Condition.rs"], "patient/Observation.r"));
}

#[test]
fn requested_letters_must_be_a_subset_of_granted_letters() {
    assert!(granted_covers(&["patient/Observation.rs"], "patient/Observation.r"));
    assert!(!granted_covers(&["patient/Observation.r"], "patient/Observation.rs"));
    assert!(!granted_covers(&["patient/Observation.rs"], "patient/Observation.d"));
}

#[test]
fn v1_read_never_grants_delete() {
    assert!(!granted_covers(&["patient/Observation.read"], "patient/Observation.rd"));
    assert!(!granted_covers(&["patient/Observation.read"], "patient/Observation.d"));
    assert!(granted_covers(&["patient/Observation.read"], "patient/Observation.rs"));
}

#[test]
fn v1_and_v2_forms_cover_each_other() {
    for (v1, v2) in [
        ("patient/Observation.read", "patient/Observation.rs"),
        ("user/*.write", "user/*.cud"),
        ("system/Patient.*", "system/Patient.cruds"),
    ] {
        assert!(granted_covers(&[v1], v2));
        assert!(granted_covers(&[v2], v1));
    }
}

#[test]
fn restricted_scope_never_covers_unrestricted_one() {
    assert!(!granted_covers(&["patient/Observation.rs?category=laboratory"], "patient/Observation.rs"));
    assert!(!granted_covers(&["patient/*.rs?category=laboratory"], "patient/Observation.r"));
}

#[test]
fn unrestricted_scope_covers_restricted_one() {
    assert!(granted_covers(&["patient/Observation.rs"], "patient/Observation.rs?category=laboratory"));
}

#[test]
fn a_restriction_covers_the_same_restriction() {
    let lab = "patient/Observation.rs?category=http://terminology.hl7.org/CodeSystem/observation-category|laboratory";
    assert!(granted_covers(&[lab], lab));
}

#[test]
fn extra_requested_parameters_only_narrow() {
    assert!(granted_covers(
        &["patient/Observation.rs?category=laboratory"],
        "patient/Observation.r?category=laboratory&code=http://loinc.org|2345-7"
    ));
}

#[test]
fn a_different_value_for_a_granted_parameter_is_not_covered() {
    assert!(!granted_covers(&["patient/Observation.rs?category=laboratory"], "patient/Observation.rs?category=vital-signs"));
    assert!(!granted_covers(&["patient/Observation.rs?category=laboratory"], "patient/Observation.rs?category=laboratory,vital-signs"));
    assert!(!granted_covers(&["patient/Observation.rs?category=laboratory"], "patient/Observation.rs?category:not=laboratory"));
}

#[test]
fn every_granted_parameter_must_appear_in_the_request() {
    let granted = ["patient/Observation.rs?category=laboratory&status=final"];
    assert!(granted_covers(&granted, "patient/Observation.r?status=final&category=laboratory"));
    assert!(!granted_covers(&granted, "patient/Observation.r?category=laboratory"));
}

#[test]
fn percent_encoded_values_equal_their_decoded_form() {
    assert!(granted_covers(
        &["patient/Observation.rs?code=http://loinc.org|2345-7"],
        "patient/Observation.rs?code=http://loinc.org%7C2345-7"
    ));
    assert!(!granted_covers(&["patient/Observation.rs?code=a%7Cb"], "patient/Observation.rs?code=a%7Db"));
}

#[test]
fn values_are_compared_case_sensitively() {
    assert!(!granted_covers(&["patient/Observation.rs?category=Laboratory"], "patient/Observation.rs?category=laboratory"));
}

#[test]
fn letters_can_come_from_different_members() {
    assert!(granted_covers(&["patient/*.r", "patient/Observation.s"], "patient/Observation.rs"));
    assert!(granted_covers(&["patient/Observation.r", "patient/Observation.s"], "patient/Observation.rs"));
    assert!(covers(&[scope("patient/Observation.r"), scope("patient/Observation.s")], &scope("patient/Observation.rs")));
}

#[test]
fn letters_from_non_matching_members_do_not_count() {
    assert!(!granted_covers(&["patient/*.r", "patient/Condition.s"], "patient/Observation.rs"));
    assert!(!granted_covers(&["patient/Observation.r", "user/Observation.s"], "patient/Observation.rs"));
    assert!(!granted_covers(&["patient/Observation.r", "patient/Observation.s?category=laboratory"], "patient/Observation.rs"));
    assert!(granted_covers(
        &["patient/Observation.r", "patient/Observation.s?category=laboratory"],
        "patient/Observation.rs?category=laboratory"
    ));
}

#[test]
fn non_resource_scopes_are_covered_only_by_an_equal_scope() {
    assert!(granted_covers(&["openid"], "openid"));
    assert!(!granted_covers(&["openid"], "fhirUser"));
    assert!(!granted_covers(&["launch"], "launch/patient"));
    assert!(!granted_covers(&["patient/*.cruds", "system/*.cruds"], "launch/patient"));
    assert!(granted_covers(&["launch/relatedperson?role=friend"], "launch/relatedperson?role=friend"));
    assert!(!granted_covers(&["launch/relatedperson?role=friend"], "launch/relatedperson?role=neighbor"));
    assert!(!granted_covers(&["launch/relatedperson?role=friend"], "launch/relatedperson"));
    assert!(!granted_covers(&["launch/relatedperson"], "launch/relatedperson?role=friend"));
    assert!(granted_covers(&["__profilePhoto.manage"], "__profilePhoto.manage"));
    assert!(!granted_covers(&["__profilePhoto.manage"], "__profilePhoto.read"));
    assert!(!granted_covers(&["offline_access"], "online_access"));
}

#[test]
fn resource_scopes_never_cover_extensions_that_look_alike() {
    assert!(!granted_covers(&["patient/*.cruds"], "__patient/*.rs"));
    assert!(!granted_covers(&["patient/*.cruds"], "https://ehr.example.org/patient/*.rs"));
}

#[test]
fn nothing_covers_anything_when_nothing_is_granted() {
    assert!(!granted_covers(&[], "patient/Observation.r"));
    assert!(!granted_covers(&[], "openid"));
}

#[test]
fn covers_all_needs_every_requested_scope() {
    let granted = set(&["patient/*.rs", "openid"]);
    assert!(covers_all(&granted, &set(&["patient/Observation.read", "openid"])));
    assert!(!covers_all(&granted, &set(&["patient/Observation.read", "fhirUser"])));
    assert!(covers_all(&granted, &set(&[])));
    assert!(granted.covers_all(&set(&["openid"])));
}

#[test]
fn uncovered_lists_exactly_the_missing_scopes() {
    let granted = set(&["patient/*.rs", "openid"]);
    let requested = set(&["patient/Observation.rs", "patient/Condition.d", "fhirUser"]);
    let missing: Vec<String> = uncovered(&granted, &requested).iter().map(Scope::to_string).collect();
    assert_eq!(missing, ["fhirUser", "patient/Condition.d"]);
    assert_eq!(granted.uncovered(&requested).len(), 2);
}

#[test]
fn narrowing_within_the_request_is_accepted() {
    let requested = set(&["patient/*.rs", "launch/patient", "offline_access"]);
    let proposed = set(&["patient/Observation.r", "patient/Condition.rs?clinical-status=active", "launch/patient"]);
    assert_eq!(narrow(&requested, &proposed), Ok(()));
    assert_eq!(narrow(&requested, &requested), Ok(()));
    assert_eq!(narrow(&requested, &set(&[])), Ok(()));
}

#[test]
fn widening_beyond_the_request_names_every_wider_scope() {
    let requested = set(&["patient/Observation.rs?category=laboratory", "launch/patient"]);
    let proposed = set(&[
        "patient/Observation.rs",
        "patient/Observation.r?category=laboratory",
        "patient/Observation.d?category=laboratory",
        "user/Observation.r?category=laboratory",
        "openid",
    ]);
    let wider: Vec<String> = narrow(&requested, &proposed).unwrap_err().iter().map(Scope::to_string).collect();
    assert_eq!(
        wider,
        ["openid", "patient/Observation.rd?category=laboratory", "patient/Observation.rs", "user/Observation.r?category=laboratory",]
    );
}

#[test]
fn an_uncovered_scope_comes_with_a_reason() {
    let granted = set(&["patient/Observation.rs?category=laboratory", "patient/Condition.rs", "user/Encounter.rs"]);
    let reason = |r: &str| explain_uncovered(&granted, &scope(r));
    assert_eq!(reason("patient/Condition.r"), None);
    assert!(reason("patient/Condition.rd").unwrap().contains("not 'd' (delete)"));
    assert!(reason("patient/Observation.r").unwrap().contains("restricted by query parameters"));
    assert!(reason("patient/Encounter.r").unwrap().contains("never cover each other"));
    assert!(reason("patient/Patient.r").unwrap().contains("no granted scope"));
    assert!(reason("openid").unwrap().contains("not granted"));
}
