//! Every invalid form of the reference (smart-on-fhir.md §1.8), every rejection rule of
//! SPEC §4 and the brief, each with the words its message must contain.

use accord_scopes::{ScopeError, ScopeSet, ScopeSetError};

use crate::error;

fn assert_refused(text: &str, expected: &[&str]) {
    let message = error(text);
    for part in expected {
        assert!(message.contains(part), "message for {text:?} should contain {part:?}, got: {message}");
    }
}

#[test]
fn every_invalid_form_of_the_reference_is_refused_with_a_precise_message() {
    let table: [(&str, &[&str]); 12] = [
        ("patient/Observation.dus", &["'dus'", "order c, r, u, d, s", "'u' comes after 'd'"]),
        ("launch/relatedperson?role=friend&role=neighbor", &["at most one 'role'"]),
        ("patient/Observation.sr", &["'r' comes after 's'"]),
        ("user/Patient.rc", &["'c' comes after 'r'"]),
        ("Patient/Observation.rs", &["unknown context 'Patient'", "did you mean patient?"]),
        ("patient/observation.rs", &["unknown resource type 'observation'", "did you mean Observation?"]),
        ("patient/Observation.rs?category", &["malformed query", "'category' has no '=value'"]),
        ("patient/Observation.rread", &["'rread'", "mix v1 and v2"]),
        ("system/Observation", &["missing permissions after 'Observation'"]),
        ("launch/DiagnosticReport", &["must be all lowercase", "did you mean launch/diagnosticreport?"]),
        ("group/*.rs", &["unknown context 'group'", "expected patient, user or system"]),
        ("patient/Observaton.rs", &["unknown resource type 'Observaton'", "did you mean Observation?"]),
    ];
    for (text, expected) in table {
        assert_refused(text, expected);
    }
}

#[test]
fn unknown_context_is_refused() {
    assert_refused("practitioner/Observation.rs", &["unknown context 'practitioner'"]);
    assert_refused("patinet/Observation.rs", &["did you mean patient?"]);
    assert_refused("SYSTEM/*.rs", &["did you mean system?"]);
    assert_refused("/Observation.rs", &["unknown context ''"]);
}

#[test]
fn unknown_resource_type_is_refused_with_the_nearest_r4_type() {
    assert_refused("patient/Observaton.rs", &["did you mean Observation?"]);
    assert_refused("patient/observation.rs", &["did you mean Observation?"]);
    assert_refused("user/Encountr.rs", &["did you mean Encounter?"]);
    assert_refused("user/allergyintolerance.rs", &["did you mean AllergyIntolerance?"]);
    assert_refused("system/Observations.rs", &["did you mean Observation?"]);
}

#[test]
fn unknown_resource_type_far_from_any_r4_type_gets_no_suggestion() {
    let message = error("patient/Xylophone.rs");
    assert!(message.contains("unknown resource type 'Xylophone'"));
    assert!(!message.contains("did you mean"));
}

#[test]
fn abstract_and_other_fhir_version_types_are_refused() {
    for text in ["patient/Resource.rs", "patient/DomainResource.rs", "patient/Citation.rs", "patient/MedicationUsage.rs"] {
        assert_refused(text, &["unknown resource type"]);
    }
}

#[test]
fn missing_resource_type_is_refused() {
    assert_refused("patient/.rs", &["missing resource type"]);
    assert_refused("patient/", &["missing resource type"]);
}

#[test]
fn letters_out_of_order_are_refused() {
    assert_refused("patient/Observation.dus", &["'u' comes after 'd'"]);
    assert_refused("patient/Observation.sc", &["'c' comes after 's'"]);
    assert_refused("patient/Observation.scruds", &["'c' comes after 's'"]);
}

#[test]
fn repeated_letters_are_refused() {
    assert_refused("patient/Observation.rr", &["letter 'r' is repeated"]);
    assert_refused("patient/Observation.crr", &["letter 'r' is repeated"]);
    assert_refused("patient/Observation.ss", &["letter 's' is repeated"]);
}

#[test]
fn empty_permissions_are_refused() {
    assert_refused("patient/Observation.", &["empty permissions"]);
    assert_refused("patient/Observation.?category=x", &["empty permissions"]);
    assert_refused("patient/Observation?category=x", &["missing permissions"]);
}

#[test]
fn mixed_v1_and_v2_permissions_are_refused() {
    for text in [
        "patient/Observation.rread",
        "patient/Observation.reads",
        "patient/Observation.readwrite",
        "patient/Observation.r*",
        "patient/Observation.**",
        "patient/Observation.cwrite",
    ] {
        assert_refused(text, &["mix v1 and v2"]);
    }
}

#[test]
fn unknown_and_uppercase_permission_letters_are_refused() {
    assert_refused("patient/Observation.x", &["'x' is not a permission letter"]);
    assert_refused("patient/Observation.READ", &["'R' is not a permission letter", "did you mean 'r'?"]);
    assert_refused("patient/Observation.Read", &["'R' is not a permission letter"]);
    assert_refused("patient/Observation.rs.x", &["'.' is not a permission letter"]);
    assert_refused("patient/Observation.all", &["'a' is not a permission letter"]);
}

#[test]
fn malformed_queries_are_refused() {
    let table: [(&str, &str); 10] = [
        ("patient/Observation.rs?category", "'category' has no '=value'"),
        ("patient/Observation.rs?", "empty query after '?'"),
        ("patient/Observation.rs?a=1&&b=2", "empty parameter"),
        ("patient/Observation.rs?&a=1", "empty parameter"),
        ("patient/Observation.rs?a=1&", "empty parameter"),
        ("patient/Observation.rs?=laboratory", "empty name"),
        ("patient/Observation.rs?category=", "'category' has an empty value"),
        ("patient/Observation.rs?cat|egory=x", "not a search parameter name"),
        ("patient/Observation.rs?a=1?b=2", "contains '?'"),
        ("patient/Observation.rs?a=1#frag", "contains '#'"),
    ];
    for (text, expected) in table {
        assert_refused(text, &[expected]);
    }
}

#[test]
fn broken_percent_escapes_are_refused() {
    assert_refused("patient/Observation.rs?code=a%7", &["'%' not followed by two hex digits"]);
    assert_refused("patient/Observation.rs?code=a%GG", &["'%' not followed by two hex digits"]);
}

#[test]
fn result_parameters_cannot_restrict_a_scope() {
    for name in ["_include", "_revinclude", "_count", "_sort", "_summary", "_elements", "_contained", "_include:iterate"] {
        assert_refused(&format!("patient/Observation.rs?{name}=x"), &[&format!("'{name}' controls how results are returned")]);
    }
}

#[test]
fn more_than_one_role_on_a_launch_scope_is_refused() {
    assert_refused("launch/relatedperson?role=friend&role=neighbor", &["at most one 'role'"]);
    assert_refused("launch/relatedperson?role=friend&role=friend", &["at most one 'role'"]);
}

#[test]
fn launch_scopes_refuse_other_parameters_and_bad_types() {
    assert_refused("launch/list?kind=x", &["only a 'role' parameter, not 'kind'"]);
    assert_refused("launch/", &["missing type after 'launch/'"]);
    assert_refused("launch/Patient", &["did you mean launch/patient?"]);
    assert_refused("launch/imagingstudies", &["unknown launch type", "did you mean launch/imagingstudy?"]);
    assert_refused("launch/list?role=", &["empty value"]);
    assert_refused("launch/list?role", &["has no '=value'"]);
}

#[test]
fn whitespace_around_or_inside_a_scope_is_refused() {
    assert_refused(" patient/Observation.rs", &["leading or trailing whitespace"]);
    assert_refused("patient/Observation.rs ", &["leading or trailing whitespace"]);
    assert_refused("patient/Observation.rs\n", &["leading or trailing whitespace"]);
    assert_refused("\u{a0}openid", &["leading or trailing whitespace"]);
    assert_refused("openid profile", &["whitespace at character 7", "give each scope separately"]);
    assert_refused("patient/Observation.rs?a=b\tc", &["whitespace at character 27"]);
}

#[test]
fn the_empty_string_is_refused() {
    assert_refused("", &["scope is empty"]);
}

#[test]
fn characters_outside_the_oauth_scope_alphabet_are_refused() {
    assert_refused("patient/Obsérvation.rs", &["'é' at character 12 is not allowed"]);
    assert_refused("openid\u{0}", &["'\\0'", "not allowed"]);
    assert_refused("patient/Observation.rs?a=\"x\"", &["not allowed"]);
    assert_refused("__a\\b", &["not allowed"]);
    assert_refused("patient/Observation.rs\u{200b}", &["not allowed"]);
}

#[test]
fn scopes_longer_than_one_kibibyte_are_refused() {
    let text = format!("__{}", "a".repeat(1023));
    assert_eq!(text.len(), 1025);
    assert_refused(&text, &["1025 bytes long", "limit is 1024"]);
    assert!(matches!(text.parse::<accord_scopes::Scope>(), Err(ScopeError::TooLong { len: 1025 })));
}

#[test]
fn sets_of_more_than_one_hundred_scopes_are_refused() {
    let texts: Vec<String> = (0..101).map(|i| format!("__ext{i}")).collect();
    let err = ScopeSet::parse_all(&texts).unwrap_err();
    assert_eq!(err, ScopeSetError::TooMany { count: 101 });
    assert!(err.to_string().contains("at most 100"));
    let joined = texts.join(" ");
    assert!(matches!(joined.parse::<ScopeSet>(), Err(ScopeSetError::TooMany { count: 101 })));
}

#[test]
fn a_set_names_the_first_invalid_scope_by_index() {
    let err = ScopeSet::parse_all(&["openid", "patient/Observaton.rs", "group/*.rs"]).unwrap_err();
    assert_eq!(err.index(), Some(1));
    assert!(err.to_string().starts_with("scope 2 ('patient/Observaton.rs')"));
    assert!(err.to_string().contains("did you mean Observation?"));
}

#[test]
fn space_delimited_sets_refuse_doubled_and_surrounding_spaces() {
    assert!("openid  profile".parse::<ScopeSet>().is_err());
    assert!(" openid".parse::<ScopeSet>().is_err());
    assert!("openid ".parse::<ScopeSet>().is_err());
    assert!("".parse::<ScopeSet>().unwrap().is_empty());
}

#[test]
fn near_misses_of_fixed_scopes_are_refused_with_a_suggestion() {
    assert_refused("Openid", &["not a SMART scope", "did you mean openid?"]);
    assert_refused("fhiruser", &["did you mean fhirUser?"]);
    assert_refused("offline-access", &["did you mean offline_access?"]);
    assert_refused("Launch", &["did you mean launch?"]);
}

#[test]
fn words_that_are_no_scope_at_all_are_refused_with_the_expected_forms() {
    assert_refused("email", &["'email' is not a SMART scope", "expected context/Type.permissions"]);
    assert_refused("patient", &["not a SMART scope"]);
    assert_refused("patient.rs", &["not a SMART scope"]);
    assert_refused("__", &["needs a name"]);
    assert_refused("*", &["not a SMART scope"]);
}

#[test]
fn smart_scope_uris_must_name_a_smart_scope() {
    assert_refused(
        "http://smarthealthit.org/fhir/scopes/patient/Observaton.rs",
        &["after the scope URI prefix", "did you mean Observation?"],
    );
    assert_refused("http://smarthealthit.org/fhir/scopes/__x", &["after the scope URI prefix"]);
    assert_refused("http://smarthealthit.org/fhir/scopes/http://smarthealthit.org/fhir/scopes/openid", &["after the scope URI prefix"]);
    assert_refused("http://smarthealthit.org/fhir/scopes/", &["after the scope URI prefix", "scope is empty"]);
}
