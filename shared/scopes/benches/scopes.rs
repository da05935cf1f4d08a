//! Parse + normalize one scope; `covers` of 20 requested scopes against 20 granted.

use std::hint::black_box;

use accord_scopes::{Scope, ScopeSet, covers_all};
use criterion::{Criterion, criterion_group, criterion_main};

const GRANTED: [&str; 20] = [
    "patient/Observation.rs?category=http://terminology.hl7.org/CodeSystem/observation-category|laboratory",
    "patient/Condition.rs",
    "patient/AllergyIntolerance.rs",
    "patient/MedicationRequest.rs",
    "patient/Immunization.rs",
    "patient/Procedure.rs",
    "patient/DiagnosticReport.rs",
    "patient/DocumentReference.rs",
    "patient/Encounter.rs",
    "patient/CarePlan.rs",
    "patient/CareTeam.rs",
    "patient/Goal.rs",
    "patient/Device.rs",
    "patient/Patient.r",
    "user/Practitioner.rs",
    "user/Organization.rs",
    "user/Location.rs",
    "launch/patient",
    "openid",
    "fhirUser",
];

const REQUESTED: [&str; 20] = [
    "patient/Observation.rs?category=http://terminology.hl7.org/CodeSystem/observation-category|laboratory&code=http://loinc.org|2345-7",
    "patient/Condition.r",
    "patient/AllergyIntolerance.s",
    "patient/MedicationRequest.rs",
    "patient/Immunization.r",
    "patient/Procedure.rs",
    "patient/DiagnosticReport.rs",
    "patient/DocumentReference.r",
    "patient/Encounter.rs",
    "patient/CarePlan.s",
    "patient/CareTeam.rs",
    "patient/Goal.rs",
    "patient/Device.r",
    "patient/Patient.r",
    "user/Practitioner.r",
    "user/Organization.s",
    "user/Location.rs",
    "launch/patient",
    "openid",
    "fhirUser",
];

fn bench(c: &mut Criterion) {
    c.bench_function("parse+normalize patient/Observation.read", |b| {
        b.iter(|| black_box("patient/Observation.read").parse::<Scope>());
    });
    c.bench_function("parse+normalize+print patient/Observation.read", |b| {
        b.iter(|| black_box("patient/Observation.read").parse::<Scope>().map(|s| s.to_string()));
    });
    c.bench_function("parse+normalize granular query scope", |b| {
        b.iter(|| {
            black_box("patient/Observation.rs?category=http://terminology.hl7.org/CodeSystem/observation-category|laboratory")
                .parse::<Scope>()
        });
    });
    c.bench_function("parse_all 20 scopes into a ScopeSet", |b| {
        b.iter(|| ScopeSet::parse_all(black_box(&GRANTED)));
    });

    let (Ok(granted), Ok(requested)) = (ScopeSet::parse_all(&GRANTED), ScopeSet::parse_all(&REQUESTED)) else {
        return;
    };
    assert!(covers_all(&granted, &requested), "the benchmark sets must be covered");
    c.bench_function("covers 20 requested against 20 granted", |b| {
        b.iter(|| covers_all(black_box(&granted), black_box(&requested)));
    });
    // Worst case: nothing is covered, so every granted scope is examined for every request.
    let (Ok(none), Ok(other)) = (
        ScopeSet::parse_all(&GRANTED.map(|s| s.replacen("patient/", "user/", 1).replacen("user/Pr", "system/Pr", 1))),
        ScopeSet::parse_all(&REQUESTED),
    ) else {
        return;
    };
    c.bench_function("covers 20 requested against 20 granted, none covered", |b| {
        b.iter(|| other.iter().filter(|r| accord_scopes::covers(black_box(&none), r)).count());
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
