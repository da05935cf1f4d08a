//! Every valid example of the reference (smart-on-fhir.md §1.7) and the other accepted
//! forms, with their normalized text.

use accord_scopes::{Context, Permissions, Resource, ResourceType, Scope, ScopeSet};

use crate::scope;

/// §1.7 v2 examples (33): all already normalized.
const V2_EXAMPLES: [&str; 33] = [
    "patient/*.rs",
    "user/*.cruds",
    "system/*.cruds",
    "patient/Observation.cu",
    "patient/Observation.rs",
    "patient/Patient.r",
    "patient/Observation.c",
    "patient/*.cruds",
    "user/Observation.rs",
    "user/Appointment.cruds",
    "user/Patient.rs",
    "system/Observation.rs",
    "system/*.rs",
    "system/Encounter.cud",
    "patient/AllergyIntolerance.cruds",
    "patient/AllergyIntolerance.rs",
    "patient/AllergyIntolerance.cud",
    "patient/Condition.rs",
    "patient/Observation.rs?category=http://terminology.hl7.org/CodeSystem/observation-category|laboratory",
    "user/Appointment.rs",
    "patient/*.r",
    "launch",
    "launch/patient",
    "launch/encounter",
    "launch/imagingstudy",
    "launch/list?role=https://example.org/med-list-at-home",
    "launch/relatedperson?role=friend",
    "openid",
    "fhirUser",
    "offline_access",
    "online_access",
    "__profilePhoto.manage",
    "https://ehr.example.org/scopes/profilePhoto.manage",
];

/// §1.7 v1 examples and their v2 normalization.
const V1_EXAMPLES: [(&str, &str); 12] = [
    ("patient/Observation.read", "patient/Observation.rs"),
    ("patient/Patient.read", "patient/Patient.rs"),
    ("patient/Observation.write", "patient/Observation.cud"),
    ("patient/*.read", "patient/*.rs"),
    ("user/*.*", "user/*.cruds"),
    ("user/Appointment.read", "user/Appointment.rs"),
    ("user/Appointment.write", "user/Appointment.cud"),
    ("user/*.write", "user/*.cud"),
    ("patient/AllergyIntolerance.*", "patient/AllergyIntolerance.cruds"),
    ("patient/*.*", "patient/*.cruds"),
    ("profile", "profile"),
    ("system/*.read", "system/*.rs"),
];

#[test]
fn every_v2_example_of_the_reference_parses_and_prints_unchanged() {
    for text in V2_EXAMPLES {
        assert_eq!(scope(text).to_string(), text, "{text}");
    }
}

#[test]
fn every_v1_example_of_the_reference_normalizes_to_v2() {
    for (v1, v2) in V1_EXAMPLES {
        assert_eq!(scope(v1).to_string(), v2, "{v1}");
        assert_eq!(scope(v1), scope(v2), "{v1}");
    }
}

#[test]
fn openid_profile_parses_as_a_space_delimited_set() {
    let set: ScopeSet = "openid profile".parse().unwrap();
    assert_eq!(set.as_slice(), &[Scope::OpenId, Scope::Profile]);
}

#[test]
fn read_is_never_taken_as_read_plus_delete() {
    let s = scope("patient/Observation.read");
    let r = s.as_resource().unwrap();
    assert_eq!(r.permissions(), Permissions::V1_READ);
    assert!(!r.permissions().contains(Permissions::DELETE));
    assert_eq!(r.permissions().letters(), "rs");
}

#[test]
fn v1_write_means_create_update_delete_and_star_means_everything() {
    assert_eq!(scope("user/*.write").to_string(), "user/*.cud");
    assert_eq!(scope("user/*.*").to_string(), "user/*.cruds");
}

#[test]
fn resource_scopes_expose_their_parts() {
    let s = scope("user/Observation.rs?category=laboratory");
    let r = s.as_resource().unwrap();
    assert_eq!(r.context(), Context::User);
    assert_eq!(r.resource(), Resource::Type(ResourceType::from_name("Observation").unwrap()));
    assert_eq!(r.permissions().letters(), "rs");
    assert_eq!(r.query(), &[("category".to_owned(), "laboratory".to_owned())]);
}

#[test]
fn all_146_resource_types_are_accepted_in_every_context() {
    for name in accord_scopes::R4_RESOURCE_TYPES {
        for context in ["patient", "user", "system"] {
            let text = format!("{context}/{name}.rs");
            assert_eq!(scope(&text).to_string(), text);
        }
        let launch = format!("launch/{}", name.to_ascii_lowercase());
        assert_eq!(scope(&launch).to_string(), launch);
    }
}

#[test]
fn every_ordered_letter_subset_is_accepted() {
    for bits in 1..32 {
        let letters = Permissions::from_bits(bits).letters();
        let text = format!("patient/Observation.{letters}");
        assert_eq!(scope(&text).to_string(), text);
    }
}

#[test]
fn query_parameters_with_modifiers_chains_and_filters_are_accepted() {
    for text in [
        "patient/Observation.rs?code:in=http://valueset.example.org/ValueSet/diabetes-codes",
        "patient/Observation.rs?patient.birthdate=1990",
        "patient/Observation.rs?_filter=code%20eq%20x",
        "patient/Observation.rs?category=a,b",
        "patient/Observation.rs?date=ge2020-01-01",
        "patient/Observation.rs?a=b=c",
    ] {
        assert_eq!(scope(text).to_string(), text);
    }
}

#[test]
fn query_parameters_are_sorted_and_exact_duplicates_dropped() {
    assert_eq!(
        scope("patient/Observation.rs?status=final&category=laboratory&status=final").to_string(),
        "patient/Observation.rs?category=laboratory&status=final"
    );
    assert_eq!(scope("patient/Observation.rs?b=2&a=1"), scope("patient/Observation.rs?a=1&b=2"));
}

#[test]
fn launch_scopes_take_lowercase_types_and_an_optional_role() {
    assert_eq!(scope("launch/patient"), Scope::LaunchPatient);
    assert_eq!(scope("launch/encounter"), Scope::LaunchEncounter);
    let Scope::LaunchType(l) = scope("launch/relatedperson?role=friend") else {
        panic!("expected a launch type");
    };
    assert_eq!(l.resource_type().name(), "RelatedPerson");
    assert_eq!(l.role(), Some("friend"));
    let Scope::LaunchType(p) = scope("launch/patient?role=https://example.org/r") else {
        panic!("expected a launch type");
    };
    assert_eq!(p.resource_type().name(), "Patient");
}

#[test]
fn fixed_non_resource_scopes_parse_to_their_variants() {
    assert_eq!(scope("launch"), Scope::Launch);
    assert_eq!(scope("openid"), Scope::OpenId);
    assert_eq!(scope("fhirUser"), Scope::FhirUser);
    assert_eq!(scope("profile"), Scope::Profile);
    assert_eq!(scope("offline_access"), Scope::OfflineAccess);
    assert_eq!(scope("online_access"), Scope::OnlineAccess);
}

#[test]
fn extension_scopes_are_kept_verbatim() {
    for text in [
        "__profilePhoto.manage",
        "__x",
        "https://ehr.example.org/scopes/profilePhoto.manage",
        "urn:example:scope",
        "http://openid.net/specs/openid-connect-core-1_0#email",
    ] {
        let Scope::Extension(e) = scope(text) else {
            panic!("{text} should be an extension");
        };
        assert_eq!(e.as_str(), text);
    }
}

#[test]
fn smart_scopes_written_as_uris_are_read_as_the_scope_they_name() {
    assert_eq!(scope("http://smarthealthit.org/fhir/scopes/patient/*.r"), scope("patient/*.r"));
    assert_eq!(scope("http://smarthealthit.org/fhir/scopes/user/Observation.read"), scope("user/Observation.rs"));
    assert_eq!(scope("http://smarthealthit.org/fhir/scopes/launch/patient"), Scope::LaunchPatient);
    assert_eq!(scope("http://openid.net/specs/openid-connect-core-1_0#openid"), Scope::OpenId);
}

#[test]
fn a_scope_of_exactly_one_kibibyte_is_accepted() {
    let prefix = "patient/Observation.rs?code=";
    let text = format!("{prefix}{}", "a".repeat(1024 - prefix.len()));
    assert_eq!(text.len(), 1024);
    assert_eq!(scope(&text).to_string(), text);
}

#[test]
fn a_set_of_exactly_one_hundred_scopes_is_accepted() {
    let texts: Vec<String> = (0..100).map(|i| format!("__ext{i}")).collect();
    assert_eq!(ScopeSet::parse_all(&texts).unwrap().len(), 100);
}

#[test]
fn scopes_round_trip_through_serde_as_strings() {
    let set = crate::set(&["patient/Observation.read", "openid"]);
    let json = serde_json::to_string(&set).unwrap();
    assert_eq!(json, r#"["openid","patient/Observation.rs"]"#);
    let back: ScopeSet = serde_json::from_str(&json).unwrap();
    assert_eq!(back, set);
    let bad: Result<ScopeSet, _> = serde_json::from_str(r#"["patient/Observaton.rs"]"#);
    assert!(bad.unwrap_err().to_string().contains("did you mean Observation?"));
    let one: Scope = serde_json::from_str(r#""user/*.read""#).unwrap();
    assert_eq!(one.to_string(), "user/*.rs");
}
