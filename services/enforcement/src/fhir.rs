//! From an HTTP request on a FHIR R4 API to what SMART scopes speak of: the resource type and
//! the interaction. The resource type is the first path segment that names an R4 resource type
//! (so any base path works: `/fhir/r4/Observation/1`). Compartment searches
//! (`/Patient/1/Observation`) are searches on the inner type; `$operations` are refused unless
//! the grant allows every interaction on their type (scopes cannot name an operation, and an
//! operation can do anything the type's interactions can); system-level requests (batches,
//! `/$export`, `/metadata`) name no resource type and are refused.

use accord_scopes::{Context, Permissions, Resource, ResourceScope, ResourceType, Scope};

/// A FHIR interaction (the RESTful ones SMART v2 permissions cover).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Interaction {
    /// `GET [type]/[id]`.
    Read,
    /// `GET [type]/[id]/_history/[vid]`.
    Vread,
    /// `GET [type]/[id]/_history` or `[type]/_history`.
    History,
    /// `GET [type]`, `POST [type]/_search`, compartment searches.
    Search,
    /// `POST [type]`.
    Create,
    /// `PUT [type]/[id]` (or conditional `PUT [type]?…`).
    Update,
    /// `PATCH [type]/[id]`.
    Patch,
    /// `DELETE [type]/[id]` (or conditional).
    Delete,
    /// `[type]/$op` or `[type]/[id]/$op`.
    Operation(String),
}

impl Interaction {
    /// Parses the names decisions accept (`read`, `vread`, `history`, `search`, `create`,
    /// `update`, `patch`, `delete`, `$name` or `operation:name`; FHIR's `search-type`,
    /// `history-instance`, … too).
    ///
    /// # Errors
    /// A message listing what is accepted.
    pub fn parse(s: &str) -> Result<Self, String> {
        let lower = s.trim().to_ascii_lowercase();
        Ok(match lower.as_str() {
            "read" => Self::Read,
            "vread" => Self::Vread,
            "history" | "history-instance" | "history-type" => Self::History,
            "search" | "search-type" | "search-compartment" => Self::Search,
            "create" => Self::Create,
            "update" => Self::Update,
            "patch" => Self::Patch,
            "delete" => Self::Delete,
            op if op.starts_with('$') && op.len() > 1 => Self::Operation(op[1..].to_owned()),
            op if op.starts_with("operation:") && op.len() > 10 => Self::Operation(op[10..].to_owned()),
            _ => {
                return Err(format!(
                    "unknown interaction `{}` (expected read, vread, history, search, create, update, patch, delete or $operation)",
                    s.chars().take(40).collect::<String>()
                ));
            }
        })
    }

    /// The SMART v2 permission letters it needs.
    #[must_use]
    pub fn letters(&self) -> &'static str {
        match self {
            Self::Read | Self::Vread | Self::History => "r",
            Self::Search => "s",
            Self::Create => "c",
            Self::Update | Self::Patch => "u",
            Self::Delete => "d",
            Self::Operation(_) => "cruds",
        }
    }

    /// Its name in usage records and answers.
    #[must_use]
    pub fn name(&self) -> String {
        match self {
            Self::Read => "read".into(),
            Self::Vread => "vread".into(),
            Self::History => "history".into(),
            Self::Search => "search".into(),
            Self::Create => "create".into(),
            Self::Update => "update".into(),
            Self::Patch => "patch".into(),
            Self::Delete => "delete".into(),
            Self::Operation(op) => format!("${op}"),
        }
    }
}

/// An R4 resource type by its exact name, or the problem: "`Observaton` is not a FHIR R4
/// resource type (did you mean Observation?)".
///
/// # Errors
/// The message, naming the nearest type when there is one.
pub fn resource_type(name: &str) -> Result<ResourceType, String> {
    let name = name.trim();
    ResourceType::from_name(name).ok_or_else(|| {
        let hint = ResourceType::suggest(name).map(|t| format!(" (did you mean {}?)", t.name())).unwrap_or_default();
        format!("`{}` is not a FHIR R4 resource type{hint}", name.chars().take(64).collect::<String>())
    })
}

/// A FHIR request, as far as authorization needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FhirRequest {
    /// The resource type acted on.
    pub resource_type: ResourceType,
    /// What is done to it.
    pub interaction: Interaction,
    /// Search parameters from the URI (for query-restricted scopes).
    pub query: Vec<(String, String)>,
}

/// Reads `method` + `uri` (path and query, as NGINX's `$request_uri`).
///
/// # Errors
/// A message saying why the request cannot be mapped (it is then refused).
pub fn classify(method: &str, uri: &str) -> Result<FhirRequest, String> {
    let (path, query) = uri.split_once('?').unwrap_or((uri, ""));
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let Some(at) = segments.iter().position(|s| ResourceType::from_name(s).is_some()) else {
        return Err("the URI names no FHIR R4 resource type".into());
    };
    let outer = ResourceType::from_name(segments[at]).ok_or("the URI names no FHIR R4 resource type")?;
    let rest = &segments[at + 1..];
    let method = method.to_ascii_uppercase();
    let query = query_pairs(query);
    let (resource_type, interaction) = match (method.as_str(), rest) {
        ("GET" | "HEAD", []) => (outer, Interaction::Search),
        ("POST", []) => (outer, Interaction::Create),
        ("PUT", []) if !query.is_empty() => (outer, Interaction::Update),
        ("DELETE", []) if !query.is_empty() => (outer, Interaction::Delete),
        ("GET" | "POST", ["_search"]) => (outer, Interaction::Search),
        ("GET" | "HEAD", ["_history"]) => (outer, Interaction::History),
        (_, [op]) if op.starts_with('$') => (outer, Interaction::Operation(op[1..].to_owned())),
        ("GET" | "HEAD", [_id]) => (outer, Interaction::Read),
        ("PUT", [_id]) => (outer, Interaction::Update),
        ("PATCH", [_id]) => (outer, Interaction::Patch),
        ("DELETE", [_id]) => (outer, Interaction::Delete),
        ("GET" | "HEAD", [_id, "_history"]) => (outer, Interaction::History),
        ("GET" | "HEAD", [_id, "_history", _vid]) => (outer, Interaction::Vread),
        (_, [_id, op]) if op.starts_with('$') => (outer, Interaction::Operation(op[1..].to_owned())),
        ("GET" | "HEAD", [_id, inner]) | ("GET" | "POST", [_id, inner, "_search"]) => {
            let inner = ResourceType::from_name(inner).ok_or_else(|| format!("`{inner}` is not a FHIR R4 resource type"))?;
            (inner, Interaction::Search)
        }
        (m, _) => return Err(format!("{m} {} is not a FHIR interaction Accord can check", segments[at..].join("/"))),
    };
    Ok(FhirRequest { resource_type, interaction, query })
}

/// The scope that allows `interaction` on `resource_type` in `context`, restricted by the
/// query parameters a scope may carry (result parameters such as `_count` are left out).
#[must_use]
pub fn required_scope(
    context: Context,
    resource_type: ResourceType,
    interaction: &Interaction,
    query: &[(String, String)],
) -> Option<Scope> {
    let permissions = interaction.letters().chars().filter_map(Permissions::from_letter).fold(Permissions::NONE, Permissions::union);
    let usable: Vec<(String, String)> = query
        .iter()
        .filter(|(k, v)| ResourceScope::new(context, Resource::Type(resource_type), permissions, vec![(k.clone(), v.clone())]).is_ok())
        .cloned()
        .collect();
    ResourceScope::new(context, Resource::Type(resource_type), permissions, usable).ok().map(Scope::Resource)
}

fn query_pairs(query: &str) -> Vec<(String, String)> {
    url::form_urlencoded::parse(query.as_bytes())
        .filter(|(k, v)| !k.is_empty() && !v.is_empty())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(m: &str, u: &str) -> (String, String) {
        let r = classify(m, u).unwrap_or_else(|e| panic!("{m} {u}: {e}"));
        (r.resource_type.name().to_owned(), r.interaction.name())
    }

    fn s(a: &str, b: &str) -> (String, String) {
        (a.to_owned(), b.to_owned())
    }

    #[test]
    fn every_restful_interaction_maps_under_any_base_path() {
        assert_eq!(c("GET", "/fhir/r4/Observation/1"), s("Observation", "read"));
        assert_eq!(c("GET", "/Observation/1/_history/2"), s("Observation", "vread"));
        assert_eq!(c("GET", "/Observation/1/_history"), s("Observation", "history"));
        assert_eq!(c("GET", "/r4/Observation?code=x"), s("Observation", "search"));
        assert_eq!(c("POST", "/r4/Observation/_search"), s("Observation", "search"));
        assert_eq!(c("POST", "/r4/Observation"), s("Observation", "create"));
        assert_eq!(c("PUT", "/r4/Observation/9"), s("Observation", "update"));
        assert_eq!(c("PATCH", "/r4/Observation/9"), s("Observation", "patch"));
        assert_eq!(c("DELETE", "/r4/Observation/9"), s("Observation", "delete"));
        assert_eq!(c("PUT", "/r4/Observation?identifier=a"), s("Observation", "update"));
    }

    #[test]
    fn a_compartment_search_is_a_search_on_the_inner_type_and_operations_are_named() {
        assert_eq!(c("GET", "/fhir/Patient/123/Observation?category=laboratory"), s("Observation", "search"));
        assert_eq!(c("GET", "/fhir/Patient/123/$everything"), s("Patient", "$everything"));
        assert_eq!(c("POST", "/fhir/Observation/$validate"), s("Observation", "$validate"));
    }

    #[test]
    fn what_cannot_be_mapped_is_refused_with_a_reason() {
        assert!(classify("GET", "/fhir/metadata").unwrap_err().contains("no FHIR R4 resource type"));
        assert!(classify("POST", "/fhir/").is_err());
        assert!(classify("POST", "/fhir/Observation/1").is_err());
        assert!(classify("GET", "/fhir/Patient/1/Nope").is_err());
        assert!(classify("DELETE", "/fhir/Observation").is_err(), "an unconditional type-level delete is not a FHIR interaction");
    }

    #[test]
    fn the_required_scope_keeps_search_parameters_and_drops_result_parameters() {
        let r = classify("GET", "/fhir/Observation?category=laboratory&_count=10").unwrap_or_else(|e| panic!("{e}"));
        let scope = required_scope(Context::System, r.resource_type, &r.interaction, &r.query).map(|s| s.to_string());
        assert_eq!(scope.as_deref(), Some("system/Observation.s?category=laboratory"));
        let op = required_scope(
            Context::System,
            ResourceType::from_name("Patient").unwrap_or_else(|| panic!()),
            &Interaction::Operation("everything".into()),
            &[],
        );
        assert_eq!(op.map(|s| s.to_string()).as_deref(), Some("system/Patient.cruds"));
    }
}
