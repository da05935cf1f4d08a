//! Plain-English descriptions of scopes, for approvers who do not read SMART syntax.

use crate::model::{Context, Permissions, Resource, ResourceScope, Scope};
use crate::resource_types::ResourceType;

impl Scope {
    /// A plain-English description for approvers.
    #[must_use]
    pub fn describe(&self) -> String {
        describe(self)
    }
}

/// The description of one scope.
fn describe(scope: &Scope) -> String {
    match scope {
        Scope::Resource(r) => describe_resource(r),
        Scope::Launch => {
            "Launch from the EHR and receive its launch context (the patient, encounter or other record open in the EHR session)".to_owned()
        }
        Scope::LaunchPatient => "Learn which patient is in context at launch (a patient is selected if none is open)".to_owned(),
        Scope::LaunchEncounter => "Learn which encounter is in context at launch".to_owned(),
        Scope::LaunchType(l) => {
            let mut text = format!("Learn which {} is in context at launch", l.resource_type().name());
            if let Some(role) = l.role() {
                text.push_str(&format!(" (role: {})", humanize_value(role, false)));
            }
            text
        }
        Scope::OpenId => "Sign the user in with OpenID Connect (an ID token identifying the user)".to_owned(),
        Scope::FhirUser => {
            "Learn the signed-in user's FHIR identity (their Patient, Practitioner, PractitionerRole, RelatedPerson or Person record)"
                .to_owned()
        }
        Scope::Profile => "Learn the signed-in user's profile (deprecated: fhirUser replaces it)".to_owned(),
        Scope::OfflineAccess => {
            "Keep access after the user logs out: a long-lived refresh token that works while the user is offline".to_owned()
        }
        Scope::OnlineAccess => "Refresh access only while the user remains signed in to the EHR".to_owned(),
        Scope::Extension(e) => {
            format!("Server-specific extension scope '{e}': Accord cannot tell what it allows; check the data holder's documentation")
        }
    }
}

fn describe_resource(r: &ResourceScope) -> String {
    let verbs = verbs(r.permissions);
    let what = match (r.context, r.resource) {
        (Context::Patient, Resource::Type(t)) => format!("this patient's {}", plural(t)),
        (Context::Patient, Resource::All) => "this patient's data of all resource types".to_owned(),
        (Context::User, Resource::Type(t)) => {
            format!("{} the signed-in user may access", plural(t))
        }
        (Context::User, Resource::All) => "data of all resource types the signed-in user may access".to_owned(),
        (Context::System, Resource::Type(t)) => format!("any {}", t.name()),
        (Context::System, Resource::All) => "data of all resource types".to_owned(),
    };
    let mut text = format!("{verbs} {what}");
    if !r.query.is_empty() {
        let parts: Vec<String> = r.query.iter().map(|(name, value)| format!("{name}: {}", humanize_value(value, true))).collect();
        text.push_str(&format!(" ({})", parts.join("; ")));
    }
    if r.context == Context::System {
        text.push_str(" — backend system access, no user present");
    }
    text
}

/// "Read and search", "Create, update and delete", … (capitalized; empty for no letter).
pub(crate) fn verbs(permissions: Permissions) -> String {
    const WORDS: [&str; 5] = ["create", "read", "update", "delete", "search"];
    let words: Vec<&str> = Permissions::LETTERS.iter().zip(WORDS).filter(|((_, p), _)| permissions.contains(*p)).map(|(_, w)| w).collect();
    let joined = match words.split_last() {
        None => String::new(),
        Some((last, [])) => (*last).to_owned(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    };
    let mut chars = joined.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => joined,
    }
}

/// `Observations`, `ImagingStudies`, `Media`, …
fn plural(t: ResourceType) -> String {
    let name = t.name();
    match name {
        "Media" => "Media items".to_owned(),
        "Parameters" => "Parameters resources".to_owned(),
        "Basic" => "Basic resources".to_owned(),
        "Evidence" => "Evidence resources".to_owned(),
        _ => {
            if let Some(stem) = name.strip_suffix('y')
                && !stem.ends_with(['a', 'e', 'o', 'u'])
            {
                return format!("{stem}ies");
            }
            if name.ends_with('s') || name.ends_with("ch") {
                return format!("{name}es");
            }
            format!("{name}s")
        }
    }
}

/// A query value for display: percent-decoded, OR-alternatives (`,`) joined with "or",
/// and for tokens (`system|code`) only the code (the system when the code is empty).
fn humanize_value(value: &str, split_alternatives: bool) -> String {
    let decoded = percent_decode_lossy(value);
    let one = |v: &str| -> String {
        match v.rsplit_once('|') {
            Some((system, "")) => system.to_owned(),
            Some((_, code)) => code.to_owned(),
            None => v.to_owned(),
        }
    };
    if split_alternatives { decoded.split(',').map(one).collect::<Vec<_>>().join(" or ") } else { decoded }
}

fn percent_decode_lossy(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let hex = |j: usize| bytes.get(j).and_then(|c| char::from(*c).to_digit(16));
        if b == b'%'
            && let (Some(h), Some(l)) = (hex(i + 1), hex(i + 2))
            && let Ok(byte) = u8::try_from(h * 16 + l)
        {
            out.push(byte);
            i += 3;
            continue;
        }
        out.push(b);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ty(name: &str) -> ResourceType {
        ResourceType::from_name(name).unwrap()
    }

    #[test]
    fn verbs_are_listed_in_cruds_order() {
        assert_eq!(verbs(Permissions::V1_READ), "Read and search");
        assert_eq!(verbs(Permissions::V1_WRITE), "Create, update and delete");
        assert_eq!(verbs(Permissions::READ), "Read");
        assert_eq!(verbs(Permissions::ALL), "Create, read, update, delete and search");
        assert_eq!(verbs(Permissions::NONE), "");
    }

    #[test]
    fn resource_types_are_pluralized() {
        assert_eq!(plural(ty("Observation")), "Observations");
        assert_eq!(plural(ty("ImagingStudy")), "ImagingStudies");
        assert_eq!(plural(ty("Library")), "Libraries");
        assert_eq!(plural(ty("Media")), "Media items");
        assert_eq!(plural(ty("CatalogEntry")), "CatalogEntries");
        assert_eq!(plural(ty("Patient")), "Patients");
    }

    #[test]
    fn token_values_show_their_code() {
        assert_eq!(humanize_value("http://terminology.hl7.org/CodeSystem/observation-category|laboratory", true), "laboratory");
        assert_eq!(humanize_value("a|x,b|y", true), "x or y");
        assert_eq!(humanize_value("http://s|", true), "http://s");
        assert_eq!(humanize_value("a%7Cb", true), "b");
        assert_eq!(humanize_value("friend", false), "friend");
    }
}
