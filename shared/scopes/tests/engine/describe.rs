//! Plain-English descriptions for approvers.

use crate::scope;

fn describe(text: &str) -> String {
    scope(text).describe()
}

#[test]
fn patient_scopes_speak_of_this_patient() {
    assert_eq!(describe("patient/Observation.rs"), "Read and search this patient's Observations");
    assert_eq!(
        describe("patient/Observation.rs?category=http://terminology.hl7.org/CodeSystem/observation-category|laboratory"),
        "Read and search this patient's Observations (category: laboratory)"
    );
    assert_eq!(describe("patient/*.r"), "Read this patient's data of all resource types");
}

#[test]
fn user_scopes_speak_of_what_the_signed_in_user_may_access() {
    assert_eq!(describe("user/Observation.rs"), "Read and search Observations the signed-in user may access");
    assert_eq!(
        describe("user/*.cruds"),
        "Create, read, update, delete and search data of all resource types the signed-in user may access"
    );
}

#[test]
fn system_scopes_say_no_user_is_present() {
    assert_eq!(describe("system/Encounter.cud"), "Create, update and delete any Encounter — backend system access, no user present");
    assert_eq!(describe("system/*.rs"), "Read and search data of all resource types — backend system access, no user present");
}

#[test]
fn several_parameters_and_alternatives_are_listed() {
    assert_eq!(
        describe("patient/Observation.s?category=a|laboratory,a|vital-signs&status=final"),
        "Search this patient's Observations (category: laboratory or vital-signs; status: final)"
    );
    assert_eq!(describe("patient/ImagingStudy.r?code=http://loinc.org%7C1234-5"), "Read this patient's ImagingStudies (code: 1234-5)");
}

#[test]
fn non_resource_scopes_are_described() {
    for (text, words) in [
        ("launch", "Launch from the EHR"),
        ("launch/patient", "which patient is in context"),
        ("launch/encounter", "which encounter is in context"),
        ("launch/imagingstudy", "which ImagingStudy is in context"),
        ("launch/list?role=https://example.org/med-list-at-home", "(role: https://example.org/med-list-at-home)"),
        ("openid", "OpenID Connect"),
        ("fhirUser", "FHIR identity"),
        ("profile", "profile"),
        ("offline_access", "after the user logs out"),
        ("online_access", "while the user remains signed in"),
        ("__profilePhoto.manage", "extension scope '__profilePhoto.manage'"),
    ] {
        let d = describe(text);
        assert!(d.contains(words), "{text}: {d}");
    }
}
