//! The 146 concrete FHIR R4 (4.0.1) resource types, and "did you mean" suggestions.
//!
//! Source: HAPI `org.hl7.fhir.r4.model.ResourceType` (generated for FHIR v4.0.1). The
//! abstract `Resource` and `DomainResource` are deliberately absent: a scope names a
//! concrete type or `*`.

use std::fmt;

/// Every concrete FHIR R4 resource type, sorted in byte order (so an index order is the
/// alphabetical order, and lookups can binary-search).
pub const R4_RESOURCE_TYPES: [&str; 146] = [
    "Account",
    "ActivityDefinition",
    "AdverseEvent",
    "AllergyIntolerance",
    "Appointment",
    "AppointmentResponse",
    "AuditEvent",
    "Basic",
    "Binary",
    "BiologicallyDerivedProduct",
    "BodyStructure",
    "Bundle",
    "CapabilityStatement",
    "CarePlan",
    "CareTeam",
    "CatalogEntry",
    "ChargeItem",
    "ChargeItemDefinition",
    "Claim",
    "ClaimResponse",
    "ClinicalImpression",
    "CodeSystem",
    "Communication",
    "CommunicationRequest",
    "CompartmentDefinition",
    "Composition",
    "ConceptMap",
    "Condition",
    "Consent",
    "Contract",
    "Coverage",
    "CoverageEligibilityRequest",
    "CoverageEligibilityResponse",
    "DetectedIssue",
    "Device",
    "DeviceDefinition",
    "DeviceMetric",
    "DeviceRequest",
    "DeviceUseStatement",
    "DiagnosticReport",
    "DocumentManifest",
    "DocumentReference",
    "EffectEvidenceSynthesis",
    "Encounter",
    "Endpoint",
    "EnrollmentRequest",
    "EnrollmentResponse",
    "EpisodeOfCare",
    "EventDefinition",
    "Evidence",
    "EvidenceVariable",
    "ExampleScenario",
    "ExplanationOfBenefit",
    "FamilyMemberHistory",
    "Flag",
    "Goal",
    "GraphDefinition",
    "Group",
    "GuidanceResponse",
    "HealthcareService",
    "ImagingStudy",
    "Immunization",
    "ImmunizationEvaluation",
    "ImmunizationRecommendation",
    "ImplementationGuide",
    "InsurancePlan",
    "Invoice",
    "Library",
    "Linkage",
    "List",
    "Location",
    "Measure",
    "MeasureReport",
    "Media",
    "Medication",
    "MedicationAdministration",
    "MedicationDispense",
    "MedicationKnowledge",
    "MedicationRequest",
    "MedicationStatement",
    "MedicinalProduct",
    "MedicinalProductAuthorization",
    "MedicinalProductContraindication",
    "MedicinalProductIndication",
    "MedicinalProductIngredient",
    "MedicinalProductInteraction",
    "MedicinalProductManufactured",
    "MedicinalProductPackaged",
    "MedicinalProductPharmaceutical",
    "MedicinalProductUndesirableEffect",
    "MessageDefinition",
    "MessageHeader",
    "MolecularSequence",
    "NamingSystem",
    "NutritionOrder",
    "Observation",
    "ObservationDefinition",
    "OperationDefinition",
    "OperationOutcome",
    "Organization",
    "OrganizationAffiliation",
    "Parameters",
    "Patient",
    "PaymentNotice",
    "PaymentReconciliation",
    "Person",
    "PlanDefinition",
    "Practitioner",
    "PractitionerRole",
    "Procedure",
    "Provenance",
    "Questionnaire",
    "QuestionnaireResponse",
    "RelatedPerson",
    "RequestGroup",
    "ResearchDefinition",
    "ResearchElementDefinition",
    "ResearchStudy",
    "ResearchSubject",
    "RiskAssessment",
    "RiskEvidenceSynthesis",
    "Schedule",
    "SearchParameter",
    "ServiceRequest",
    "Slot",
    "Specimen",
    "SpecimenDefinition",
    "StructureDefinition",
    "StructureMap",
    "Subscription",
    "Substance",
    "SubstanceNucleicAcid",
    "SubstancePolymer",
    "SubstanceProtein",
    "SubstanceReferenceInformation",
    "SubstanceSourceMaterial",
    "SubstanceSpecification",
    "SupplyDelivery",
    "SupplyRequest",
    "Task",
    "TerminologyCapabilities",
    "TestReport",
    "TestScript",
    "ValueSet",
    "VerificationResult",
    "VisionPrescription",
];

/// Longest name we bother computing an edit distance for; every R4 type is far shorter.
const MAX_SUGGESTION_INPUT: usize = 64;

/// A concrete FHIR R4 resource type (one of [`R4_RESOURCE_TYPES`]).
///
/// Ordering follows the type name alphabetically.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ResourceType(u8);

impl ResourceType {
    /// Looks up a type by its exact, case-sensitive R4 name (`Observation`).
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        R4_RESOURCE_TYPES.binary_search(&name).ok().and_then(|i| u8::try_from(i).ok()).map(Self)
    }

    /// Looks up a type by its all-lowercase name (`diagnosticreport`), the form used by
    /// `launch/<type>` scopes. Mixed-case input is not accepted.
    #[must_use]
    pub fn from_lowercase_name(name: &str) -> Option<Self> {
        if name.bytes().any(|b| b.is_ascii_uppercase()) {
            return None;
        }
        Self::all().find(|t| t.name().eq_ignore_ascii_case(name))
    }

    /// The R4 name, e.g. `Observation`.
    #[must_use]
    pub fn name(self) -> &'static str {
        R4_RESOURCE_TYPES.get(usize::from(self.0)).copied().unwrap_or("Resource")
    }

    /// All 146 types in alphabetical order.
    pub fn all() -> impl Iterator<Item = Self> {
        (0..R4_RESOURCE_TYPES.len()).filter_map(|i| u8::try_from(i).ok()).map(Self)
    }

    /// The type closest to `name`: an exact case-insensitive match first, then the
    /// smallest edit distance within a small budget (1 for short names, up to 3 for long
    /// ones). `None` when nothing is close enough to be a plausible typo.
    #[must_use]
    pub fn suggest(name: &str) -> Option<Self> {
        if let Some(t) = Self::all().find(|t| t.name().eq_ignore_ascii_case(name)) {
            return Some(t);
        }
        closest(name, Self::all(), |t| t.name())
    }
}

impl fmt::Display for ResourceType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl fmt::Debug for ResourceType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The candidate with the smallest case-insensitive edit distance to `input`, if that
/// distance is within the typo budget for the input's length.
pub(crate) fn closest<T: Copy>(input: &str, candidates: impl Iterator<Item = T>, name: impl Fn(T) -> &'static str) -> Option<T> {
    if input.is_empty() || input.len() > MAX_SUGGESTION_INPUT {
        return None;
    }
    let budget = (input.len() / 4).clamp(1, 3);
    let mut best: Option<(usize, T)> = None;
    for candidate in candidates {
        let candidate_name = name(candidate);
        // The distance is at least the length difference: skip hopeless candidates
        // without computing it (keeps a burst of bad scopes cheap).
        if candidate_name.len().abs_diff(input.len()) > budget {
            continue;
        }
        let d = edit_distance_ignore_ascii_case(input, candidate_name);
        if d <= budget && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, candidate));
        }
    }
    best.map(|(_, t)| t)
}

/// Edit distance over bytes, ASCII case folded, counting an adjacent transposition as one
/// edit (optimal string alignment), so `Patinet` is one edit from `Patient`. Inputs are
/// short (bounded by callers).
pub(crate) fn edit_distance_ignore_ascii_case(a: &str, b: &str) -> usize {
    let a: Vec<u8> = a.bytes().map(|c| c.to_ascii_lowercase()).collect();
    let b: Vec<u8> = b.bytes().map(|c| c.to_ascii_lowercase()).collect();
    let width = b.len() + 1;
    // `d[i * width + j]` is the distance between a[..i] and b[..j]; every index below is
    // at most `a.len() * width + b.len()`, the last cell.
    let mut d = vec![0usize; (a.len() + 1) * width];
    for i in 0..=a.len() {
        d[i * width] = i;
    }
    for (j, cell) in d.iter_mut().take(width).enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut value = (d[(i - 1) * width + j] + 1).min(d[i * width + j - 1] + 1).min(d[(i - 1) * width + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                value = value.min(d[(i - 2) * width + j - 2] + 1);
            }
            d[i * width + j] = value;
        }
    }
    d[a.len() * width + b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_has_146_sorted_unique_types() {
        assert_eq!(R4_RESOURCE_TYPES.len(), 146);
        assert!(R4_RESOURCE_TYPES.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn every_type_round_trips_through_its_name() {
        for t in ResourceType::all() {
            assert_eq!(ResourceType::from_name(t.name()), Some(t));
            assert_eq!(ResourceType::from_lowercase_name(&t.name().to_ascii_lowercase()), Some(t));
        }
        assert_eq!(ResourceType::all().count(), 146);
    }

    #[test]
    fn lookups_are_case_sensitive() {
        assert!(ResourceType::from_name("observation").is_none());
        assert!(ResourceType::from_lowercase_name("DiagnosticReport").is_none());
        assert!(ResourceType::from_name("Resource").is_none());
        assert!(ResourceType::from_name("DomainResource").is_none());
    }

    #[test]
    fn edit_distance_is_computed() {
        assert_eq!(edit_distance_ignore_ascii_case("kitten", "sitting"), 3);
        assert_eq!(edit_distance_ignore_ascii_case("", "abc"), 3);
        assert_eq!(edit_distance_ignore_ascii_case("abc", ""), 3);
        assert_eq!(edit_distance_ignore_ascii_case("Observaton", "Observation"), 1);
        assert_eq!(edit_distance_ignore_ascii_case("OBSERVATION", "observation"), 0);
        assert_eq!(edit_distance_ignore_ascii_case("patinet", "patient"), 1);
        assert_eq!(edit_distance_ignore_ascii_case("ca", "abc"), 3);
    }

    #[test]
    fn typos_suggest_the_nearest_type() {
        let name = |s| ResourceType::suggest(s).map(ResourceType::name);
        assert_eq!(name("Observaton"), Some("Observation"));
        assert_eq!(name("observation"), Some("Observation"));
        assert_eq!(name("Patint"), Some("Patient"));
        assert_eq!(name("Encountr"), Some("Encounter"));
        assert_eq!(name("Xyzzy"), None);
        assert_eq!(name(""), None);
    }
}
