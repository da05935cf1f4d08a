//! Parsing: exactly the SMART grammar, everything else refused with a precise error.
//!
//! Order of checks: length, emptiness, whitespace, the RFC 6749 character set, then the
//! shape (fixed words, `__` extensions, `launch/…`, the SMART / OpenID scope-URI prefixes,
//! other absolute URIs, and finally `context/Type.permissions[?query]`).

use std::str::FromStr;

use crate::error::ScopeError;
use crate::limits::MAX_SCOPE_LEN;
use crate::model::{Context, Extension, LaunchType, Permissions, Resource, ResourceScope, Scope};
use crate::resource_types::{ResourceType, closest};

/// SMART scopes written as URIs (SMART App Launch 2.x, "scopes as URIs").
const SMART_URI_PREFIXES: [&str; 2] = ["http://smarthealthit.org/fhir/scopes/", "https://smarthealthit.org/fhir/scopes/"];
/// OpenID Connect scopes written as URIs.
const OPENID_URI_PREFIXES: [&str; 2] =
    ["http://openid.net/specs/openid-connect-core-1_0#", "https://openid.net/specs/openid-connect-core-1_0#"];

/// The fixed (non-resource) scope words, for "did you mean" on near misses.
const FIXED_WORDS: [&str; 8] =
    ["launch", "launch/patient", "launch/encounter", "openid", "fhirUser", "profile", "offline_access", "online_access"];

/// FHIR search *result* parameters: they shape the response (paging, includes, summaries)
/// and say nothing about which data is reachable, so they cannot restrict a scope. Worse,
/// `_include`/`_revinclude`/`_contained` widen what a response carries.
const RESULT_PARAMETERS: [&str; 12] = [
    "_contained",
    "_containedType",
    "_count",
    "_elements",
    "_format",
    "_graph",
    "_include",
    "_pretty",
    "_revinclude",
    "_sort",
    "_summary",
    "_total",
];

impl FromStr for Scope {
    type Err = ScopeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_scope(s)
    }
}

/// A scope string, parsed (an invalid one is a deserialization error).
impl<'de> serde::Deserialize<'de> for Scope {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

impl ResourceScope {
    /// Builds a resource scope from parts, applying the same checks and normalization as
    /// parsing (query parameters are validated, then sorted and deduplicated).
    ///
    /// # Errors
    /// [`ScopeError`] when `permissions` is empty, a query parameter is malformed (the
    /// same rules as parsing), or the scope's text would exceed [`crate::MAX_SCOPE_LEN`].
    pub fn new(context: Context, resource: Resource, permissions: Permissions, query: Vec<(String, String)>) -> Result<Self, ScopeError> {
        if permissions.is_empty() {
            return Err(ScopeError::EmptyPermissions);
        }
        for (name, value) in &query {
            check_query_param(name, value)?;
        }
        let scope = Self::from_checked_parts(context, resource, permissions, query);
        let len = scope.to_string().len();
        if len > MAX_SCOPE_LEN {
            return Err(ScopeError::TooLong { len });
        }
        Ok(scope)
    }
}

/// Parses one scope. See the crate documentation for the grammar.
///
/// # Errors
/// A [`ScopeError`] naming the part that is wrong and why.
pub fn parse_scope(input: &str) -> Result<Scope, ScopeError> {
    check_token(input)?;
    if let Some(scope) = fixed_word(input) {
        return Ok(scope);
    }
    if let Some(name) = input.strip_prefix("__") {
        if name.is_empty() {
            return Err(ScopeError::EmptyExtension);
        }
        return Ok(Scope::Extension(Extension(input.to_owned())));
    }
    if let Some(rest) = input.strip_prefix("launch/") {
        return parse_launch(rest);
    }
    if let Some(inner) = SMART_URI_PREFIXES.iter().find_map(|p| input.strip_prefix(p)) {
        return parse_smart_uri(inner);
    }
    if let Some(inner) = OPENID_URI_PREFIXES.iter().find_map(|p| input.strip_prefix(p)) {
        match inner {
            "openid" => return Ok(Scope::OpenId),
            "profile" => return Ok(Scope::Profile),
            "offline_access" => return Ok(Scope::OfflineAccess),
            _ => {}
        }
    }
    if is_absolute_uri(input) {
        return Ok(Scope::Extension(Extension(input.to_owned())));
    }
    if input.contains('/') {
        return parse_resource_scope(input).map(Scope::Resource);
    }
    Err(ScopeError::UnknownScope { scope: input.to_owned(), suggestion: closest(input, FIXED_WORDS.iter().copied(), |w| w) })
}

/// Length, emptiness, whitespace and the RFC 6749 §3.3 character set
/// (`%x21 / %x23-5B / %x5D-7E`: printable ASCII without space, `"` and `\`).
fn check_token(input: &str) -> Result<(), ScopeError> {
    if input.len() > MAX_SCOPE_LEN {
        return Err(ScopeError::TooLong { len: input.len() });
    }
    if input.is_empty() {
        return Err(ScopeError::Empty);
    }
    let starts = input.chars().next().is_some_and(char::is_whitespace);
    let ends = input.chars().next_back().is_some_and(char::is_whitespace);
    if starts || ends {
        return Err(ScopeError::SurroundingWhitespace);
    }
    if input.bytes().all(is_scope_byte) {
        return Ok(());
    }
    // Slow path, only for refused input: find the first offending character.
    for (i, ch) in input.chars().enumerate() {
        let position = i + 1;
        if ch.is_whitespace() {
            return Err(ScopeError::Whitespace { position });
        }
        if !ch.is_ascii() || !is_scope_byte(ch as u8) {
            return Err(ScopeError::ForbiddenCharacter { ch, position });
        }
    }
    Ok(())
}

/// RFC 6749 §3.3 `NQCHAR`: `%x21 / %x23-5B / %x5D-7E`.
fn is_scope_byte(b: u8) -> bool {
    b.is_ascii_graphic() && b != b'"' && b != b'\\'
}

fn fixed_word(input: &str) -> Option<Scope> {
    Some(match input {
        "launch" => Scope::Launch,
        "launch/patient" => Scope::LaunchPatient,
        "launch/encounter" => Scope::LaunchEncounter,
        "openid" => Scope::OpenId,
        "fhirUser" => Scope::FhirUser,
        "profile" => Scope::Profile,
        "offline_access" => Scope::OfflineAccess,
        "online_access" => Scope::OnlineAccess,
        _ => return None,
    })
}

/// RFC 3986 `scheme ":" rest` with a non-empty rest: `ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )`.
fn is_absolute_uri(input: &str) -> bool {
    let Some((scheme, rest)) = input.split_once(':') else {
        return false;
    };
    let mut bytes = scheme.bytes();
    let first_is_alpha = bytes.next().is_some_and(|b| b.is_ascii_alphabetic());
    first_is_alpha && bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.')) && !rest.is_empty()
}

/// The part after a SMART scope-URI prefix must itself be a SMART scope (never an
/// extension or another URI), and normalizes to the short form.
fn parse_smart_uri(inner: &str) -> Result<Scope, ScopeError> {
    let wrap = |inner| ScopeError::InvalidScopeUri { inner: Box::new(inner) };
    // Extensions and URIs (including a second prefix) are not SMART scopes.
    if inner.starts_with("__") || is_absolute_uri(inner) {
        return Err(wrap(ScopeError::UnknownScope { scope: inner.to_owned(), suggestion: None }));
    }
    parse_scope(inner).map_err(wrap)
}

fn parse_launch(rest: &str) -> Result<Scope, ScopeError> {
    let (type_name, query) = match rest.split_once('?') {
        Some((t, q)) => (t, Some(q)),
        None => (rest, None),
    };
    if type_name.is_empty() {
        return Err(ScopeError::EmptyLaunchType);
    }
    let Some(resource_type) = ResourceType::from_lowercase_name(type_name) else {
        let lower = type_name.to_ascii_lowercase();
        if let Some(t) = ResourceType::from_lowercase_name(&lower) {
            return Err(ScopeError::LaunchTypeNotLowercase { given: type_name.to_owned(), suggestion: t.name().to_ascii_lowercase() });
        }
        return Err(ScopeError::UnknownLaunchType {
            given: type_name.to_owned(),
            suggestion: ResourceType::suggest(type_name).map(|t| t.name().to_ascii_lowercase()),
        });
    };
    let mut role = None;
    if let Some(query) = query {
        for (name, value) in parse_query(query)? {
            if name != "role" {
                return Err(ScopeError::LaunchParameterNotAllowed { name });
            }
            if role.is_some() {
                return Err(ScopeError::MultipleRoles);
            }
            role = Some(value);
        }
    }
    let is = |n: &str| resource_type.name() == n;
    Ok(match role {
        None if is("Patient") => Scope::LaunchPatient,
        None if is("Encounter") => Scope::LaunchEncounter,
        role => Scope::LaunchType(LaunchType { resource_type, role }),
    })
}

fn parse_resource_scope(input: &str) -> Result<ResourceScope, ScopeError> {
    let (context_text, rest) = input.split_once('/').unwrap_or((input, ""));
    let context = parse_context(context_text)?;
    let (head, query) = match rest.split_once('?') {
        Some((h, q)) => (h, Some(q)),
        None => (rest, None),
    };
    let Some((resource_text, permissions_text)) = head.split_once('.') else {
        if head.is_empty() {
            return Err(ScopeError::MissingResourceType);
        }
        // Check the type first so `system/Observaton` gets the more useful message.
        parse_resource(head)?;
        return Err(ScopeError::MissingPermissions { resource: head.to_owned() });
    };
    let resource = parse_resource(resource_text)?;
    let permissions = parse_permissions(permissions_text)?;
    let query = match query {
        Some(q) => parse_query(q)?,
        None => Vec::new(),
    };
    Ok(ResourceScope::from_checked_parts(context, resource, permissions, query))
}

fn parse_context(text: &str) -> Result<Context, ScopeError> {
    match text {
        "patient" => Ok(Context::Patient),
        "user" => Ok(Context::User),
        "system" => Ok(Context::System),
        _ => Err(ScopeError::UnknownContext {
            context: text.to_owned(),
            suggestion: Context::ALL
                .iter()
                .map(|c| c.as_str())
                .find(|c| c.eq_ignore_ascii_case(text))
                .or_else(|| closest(text, Context::ALL.iter().map(|c| c.as_str()), |c| c)),
        }),
    }
}

fn parse_resource(text: &str) -> Result<Resource, ScopeError> {
    if text == "*" {
        return Ok(Resource::All);
    }
    if text.is_empty() {
        return Err(ScopeError::MissingResourceType);
    }
    ResourceType::from_name(text).map(Resource::Type).ok_or_else(|| ScopeError::UnknownResourceType {
        name: text.to_owned(),
        suggestion: ResourceType::suggest(text).map(ResourceType::name),
    })
}

/// v1 `read`/`write`/`*`, or v2 letters: each of `cruds` at most once, in that order.
/// `read` is matched whole before anything else, so it can never be read as `r`+`d`.
pub(crate) fn parse_permissions(text: &str) -> Result<Permissions, ScopeError> {
    match text {
        "" => return Err(ScopeError::EmptyPermissions),
        "read" => return Ok(Permissions::V1_READ),
        "write" => return Ok(Permissions::V1_WRITE),
        "*" => return Ok(Permissions::ALL),
        _ => {}
    }
    if text.contains("read") || text.contains("write") || text.contains('*') {
        return Err(ScopeError::MixedPermissions { permissions: text.to_owned() });
    }
    let mut bits = Permissions::NONE;
    let mut last: Option<char> = None;
    for letter in text.chars() {
        let Some(p) = Permissions::from_letter(letter) else {
            return Err(ScopeError::UnknownPermissionLetter { permissions: text.to_owned(), letter });
        };
        if bits.contains(p) {
            return Err(ScopeError::RepeatedPermissionLetter { permissions: text.to_owned(), letter });
        }
        if let Some(after) = last.filter(|_| p.bits() < bits.bits()) {
            return Err(ScopeError::PermissionsOutOfOrder { permissions: text.to_owned(), letter, after });
        }
        bits = bits.union(p);
        last = Some(letter);
    }
    Ok(bits)
}

/// `name=value(&name=value)*`, in the order given (callers sort and deduplicate).
fn parse_query(query: &str) -> Result<Vec<(String, String)>, ScopeError> {
    if query.is_empty() {
        return Err(ScopeError::EmptyQuery);
    }
    let mut params = Vec::new();
    for item in query.split('&') {
        if item.is_empty() {
            return Err(ScopeError::EmptyQueryParameter);
        }
        let Some((name, value)) = item.split_once('=') else {
            return Err(ScopeError::QueryParameterWithoutValue { name: item.to_owned() });
        };
        check_query_param(name, value)?;
        params.push((name.to_owned(), value.to_owned()));
    }
    Ok(params)
}

/// One query parameter: a non-empty search-parameter name (letters, digits, `_ - : .`;
/// modifiers and chains allowed) that is not a result parameter, and a non-empty value of
/// scope-token characters without `#`, `?` or `&`, whose `%` escapes are well formed.
pub(crate) fn check_query_param(name: &str, value: &str) -> Result<(), ScopeError> {
    if name.is_empty() {
        return Err(ScopeError::EmptyQueryParameterName);
    }
    let name_ok = name.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b':' | b'.'));
    if !name_ok {
        return Err(ScopeError::InvalidQueryParameterName { name: name.to_owned() });
    }
    let base = name.split(':').next().unwrap_or(name);
    if RESULT_PARAMETERS.contains(&base) {
        return Err(ScopeError::ResultParameterNotAllowed { name: name.to_owned() });
    }
    if value.is_empty() {
        return Err(ScopeError::EmptyQueryParameterValue { name: name.to_owned() });
    }
    for (i, b) in value.bytes().enumerate() {
        if matches!(b, b'#' | b'?' | b'&') || !is_scope_byte(b) {
            // Every earlier byte was ASCII, so `i` is a character boundary.
            let ch = value.get(i..).and_then(|r| r.chars().next()).unwrap_or('?');
            return Err(ScopeError::InvalidQueryCharacter { ch, name: name.to_owned() });
        }
        if b == b'%' {
            let hex = value.get(i + 1..i + 3).unwrap_or("");
            if hex.len() != 2 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(ScopeError::InvalidPercentEncoding { name: name.to_owned() });
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn perms(s: &str) -> Result<String, ScopeError> {
        parse_permissions(s).map(|p| p.letters().to_owned())
    }

    #[test]
    fn v1_words_map_to_v2_letters() {
        assert_eq!(perms("read").unwrap(), "rs");
        assert_eq!(perms("write").unwrap(), "cud");
        assert_eq!(perms("*").unwrap(), "cruds");
    }

    #[test]
    fn every_ordered_subset_of_cruds_parses_to_itself() {
        for bits in 1u8..32 {
            let letters = Permissions::from_bits(bits).letters();
            assert_eq!(perms(letters).unwrap(), letters);
        }
    }

    #[test]
    fn permission_errors_are_classified() {
        assert!(matches!(perms(""), Err(ScopeError::EmptyPermissions)));
        assert!(matches!(perms("rread"), Err(ScopeError::MixedPermissions { .. })));
        assert!(matches!(perms("r*"), Err(ScopeError::MixedPermissions { .. })));
        assert!(matches!(perms("rr"), Err(ScopeError::RepeatedPermissionLetter { letter: 'r', .. })));
        assert!(matches!(perms("dus"), Err(ScopeError::PermissionsOutOfOrder { letter: 'u', after: 'd', .. })));
        assert!(matches!(perms("READ"), Err(ScopeError::UnknownPermissionLetter { letter: 'R', .. })));
    }

    #[test]
    fn absolute_uris_need_a_scheme_and_a_rest() {
        assert!(is_absolute_uri("https://example.org/x"));
        assert!(is_absolute_uri("urn:example:scope"));
        assert!(!is_absolute_uri("1http://x"));
        assert!(!is_absolute_uri("http:"));
        assert!(!is_absolute_uri("patient/Observation.rs?x=a:b"));
        assert!(!is_absolute_uri(":x"));
    }

    #[test]
    fn query_parameters_are_checked() {
        assert!(check_query_param("code:in", "http://x.org/ValueSet/a").is_ok());
        assert!(check_query_param("patient.birthdate", "1990").is_ok());
        assert!(check_query_param("category", "a%7Cb").is_ok());
        assert!(check_query_param("category", "a%7").is_err());
        assert!(check_query_param("category", "a%zz").is_err());
        assert!(check_query_param("category", "a#b").is_err());
        assert!(check_query_param("cat|egory", "a").is_err());
        assert!(check_query_param("_include", "Observation:subject").is_err());
        assert!(check_query_param("_count:x", "1").is_err());
        assert!(check_query_param("", "a").is_err());
        assert!(check_query_param("a", "").is_err());
    }
}
