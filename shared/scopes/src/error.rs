//! Why a scope or a scope set was refused. Messages are written for the vendor who typed
//! the scope: they name the part that is wrong and say what was expected.

use std::fmt;

use crate::limits::{MAX_SCOPE_LEN, MAX_SCOPES_PER_SET};

/// Why one scope string was refused. `Display` gives the human message.
#[derive(Clone, PartialEq, Eq, Debug)]
#[non_exhaustive]
pub enum ScopeError {
    /// The empty string.
    Empty,
    /// Longer than [`MAX_SCOPE_LEN`] bytes.
    TooLong {
        /// Length in bytes.
        len: usize,
    },
    /// Starts or ends with whitespace.
    SurroundingWhitespace,
    /// Whitespace inside the scope (1-based character position).
    Whitespace {
        /// 1-based character position.
        position: usize,
    },
    /// A character RFC 6749 §3.3 does not allow in a scope token.
    ForbiddenCharacter {
        /// The character.
        ch: char,
        /// 1-based character position.
        position: usize,
    },
    /// Not any known kind of scope.
    UnknownScope {
        /// The input.
        scope: String,
        /// A known scope it resembles.
        suggestion: Option<&'static str>,
    },
    /// The part before `/` is not `patient`, `user` or `system`.
    UnknownContext {
        /// The context given.
        context: String,
        /// The context it resembles.
        suggestion: Option<&'static str>,
    },
    /// Nothing between `/` and `.`.
    MissingResourceType,
    /// Not one of the 146 R4 resource types (nor `*`).
    UnknownResourceType {
        /// The name given.
        name: String,
        /// The nearest R4 type.
        suggestion: Option<&'static str>,
    },
    /// No `.permissions` part at all (`system/Observation`).
    MissingPermissions {
        /// The resource part that should have been followed by `.`.
        resource: String,
    },
    /// A `.` followed by nothing.
    EmptyPermissions,
    /// v1 and v2 forms mixed (`rread`, `r*`).
    MixedPermissions {
        /// The permission text.
        permissions: String,
    },
    /// A character that is not one of `cruds`.
    UnknownPermissionLetter {
        /// The permission text.
        permissions: String,
        /// The offending character.
        letter: char,
    },
    /// A letter given twice (`rr`).
    RepeatedPermissionLetter {
        /// The permission text.
        permissions: String,
        /// The repeated letter.
        letter: char,
    },
    /// Letters not in `cruds` order (`dus`).
    PermissionsOutOfOrder {
        /// The permission text.
        permissions: String,
        /// The letter that came too late.
        letter: char,
        /// The letter it followed.
        after: char,
    },
    /// A `?` followed by nothing.
    EmptyQuery,
    /// An empty `&`-separated item (`&&`, or a leading or trailing `&`).
    EmptyQueryParameter,
    /// An item with no `=` (`?category`).
    QueryParameterWithoutValue {
        /// The item.
        name: String,
    },
    /// An item with nothing before `=`.
    EmptyQueryParameterName,
    /// An item with nothing after `=`.
    EmptyQueryParameterValue {
        /// The parameter name.
        name: String,
    },
    /// A parameter name with characters FHIR search parameters never use.
    InvalidQueryParameterName {
        /// The name.
        name: String,
    },
    /// A search *result* parameter (`_include`, `_count`, …): it shapes a response and
    /// cannot restrict what a scope allows.
    ResultParameterNotAllowed {
        /// The name.
        name: String,
    },
    /// `#`, or a second `?`, inside the query.
    InvalidQueryCharacter {
        /// The character.
        ch: char,
        /// The parameter it appeared in.
        name: String,
    },
    /// A `%` not followed by two hex digits.
    InvalidPercentEncoding {
        /// The parameter it appeared in.
        name: String,
    },
    /// `launch/` with nothing after it.
    EmptyLaunchType,
    /// `launch/DiagnosticReport`: launch types are lowercase.
    LaunchTypeNotLowercase {
        /// The type given.
        given: String,
        /// The lowercase form.
        suggestion: String,
    },
    /// `launch/<x>` where x is not an R4 type.
    UnknownLaunchType {
        /// The type given.
        given: String,
        /// The nearest lowercase R4 type.
        suggestion: Option<String>,
    },
    /// A launch query parameter other than `role`.
    LaunchParameterNotAllowed {
        /// The parameter name.
        name: String,
    },
    /// More than one `role` on a launch scope.
    MultipleRoles,
    /// `__` with nothing after it.
    EmptyExtension,
    /// The SMART scope URI prefix followed by something that is not a SMART scope.
    InvalidScopeUri {
        /// What is wrong with the part after the prefix.
        inner: Box<ScopeError>,
    },
}

fn did_you_mean(f: &mut fmt::Formatter<'_>, suggestion: Option<&str>) -> fmt::Result {
    match suggestion {
        Some(s) => write!(f, ": did you mean {s}?"),
        None => Ok(()),
    }
}

impl fmt::Display for ScopeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("scope is empty"),
            Self::TooLong { len } => write!(f, "scope is {len} bytes long; the limit is {MAX_SCOPE_LEN} bytes"),
            Self::SurroundingWhitespace => f.write_str("scope has leading or trailing whitespace; give the scope without it"),
            Self::Whitespace { position } => {
                write!(f, "scope contains whitespace at character {position}; a scope is a single token, give each scope separately")
            }
            Self::ForbiddenCharacter { ch, position } => write!(
                f,
                "character {ch:?} at character {position} is not allowed in a scope (scopes are printable ASCII without spaces, '\"' or '\\', RFC 6749 §3.3)"
            ),
            Self::UnknownScope { scope, suggestion } => {
                write!(f, "'{scope}' is not a SMART scope")?;
                if suggestion.is_some() {
                    return did_you_mean(f, *suggestion);
                }
                f.write_str(
                    ": expected context/Type.permissions (e.g. patient/Observation.rs), launch, launch/patient, launch/encounter, launch/<type>, openid, fhirUser, profile, offline_access, online_access, an extension starting with '__', or an absolute URI",
                )
            }
            Self::UnknownContext { context, suggestion } => {
                write!(f, "unknown context '{context}': expected patient, user or system (lowercase)")?;
                did_you_mean(f, *suggestion)
            }
            Self::MissingResourceType => {
                f.write_str("missing resource type between '/' and '.': expected an R4 resource type such as Observation, or '*'")
            }
            Self::UnknownResourceType { name, suggestion } => {
                write!(f, "unknown resource type '{name}': expected one of the 146 FHIR R4 resource types (case-sensitive) or '*'")?;
                did_you_mean(f, *suggestion)
            }
            Self::MissingPermissions { resource } => write!(
                f,
                "missing permissions after '{resource}': expected '.' followed by v2 letters from 'cruds' (e.g. {resource}.rs) or v1 'read', 'write' or '*'"
            ),
            Self::EmptyPermissions => {
                f.write_str("empty permissions after '.': expected v2 letters from 'cruds' (e.g. .rs) or v1 'read', 'write' or '*'")
            }
            Self::MixedPermissions { permissions } => write!(
                f,
                "permissions '{permissions}' mix v1 and v2 forms: use v1 'read', 'write' or '*' alone, or v2 letters from 'cruds'"
            ),
            Self::UnknownPermissionLetter { permissions, letter } => {
                write!(
                    f,
                    "permissions '{permissions}': '{letter}' is not a permission letter; v2 letters are c, r, u, d, s (lowercase, in that order), v1 permissions are 'read', 'write' or '*'"
                )?;
                let lower = letter.to_ascii_lowercase();
                if *letter != lower && "cruds".contains(lower) {
                    write!(f, ": did you mean '{lower}'?")?;
                }
                Ok(())
            }
            Self::RepeatedPermissionLetter { permissions, letter } => {
                write!(f, "permissions '{permissions}': letter '{letter}' is repeated; give each of c, r, u, d, s at most once")
            }
            Self::PermissionsOutOfOrder { permissions, letter, after } => write!(
                f,
                "permissions '{permissions}': letters must appear in the order c, r, u, d, s, but '{letter}' comes after '{after}'"
            ),
            Self::EmptyQuery => f.write_str("empty query after '?': expected name=value"),
            Self::EmptyQueryParameter => {
                f.write_str("malformed query: empty parameter ('&&', or '&' at the start or end); expected name=value(&name=value)*")
            }
            Self::QueryParameterWithoutValue { name } => {
                write!(f, "malformed query: parameter '{name}' has no '=value'; expected {name}=value")
            }
            Self::EmptyQueryParameterName => f.write_str("malformed query: a parameter has an empty name before '='"),
            Self::EmptyQueryParameterValue { name } => write!(f, "malformed query: parameter '{name}' has an empty value after '='"),
            Self::InvalidQueryParameterName { name } => {
                write!(f, "malformed query: '{name}' is not a search parameter name (letters, digits, '_', '-', ':' and '.' only)")
            }
            Self::ResultParameterNotAllowed { name } => write!(
                f,
                "query parameter '{name}' controls how results are returned, it does not restrict which data is reachable; it cannot be part of a scope"
            ),
            Self::InvalidQueryCharacter { ch, name } => write!(
                f,
                "malformed query: parameter '{name}' contains '{ch}', which is not allowed in a scope's query (percent-encode it)"
            ),
            Self::InvalidPercentEncoding { name } => {
                write!(f, "malformed query: parameter '{name}' has a '%' not followed by two hex digits")
            }
            Self::EmptyLaunchType => {
                f.write_str("missing type after 'launch/': expected patient, encounter or another lowercase R4 resource type")
            }
            Self::LaunchTypeNotLowercase { given, suggestion } => {
                write!(f, "launch type '{given}' must be all lowercase: did you mean launch/{suggestion}?")
            }
            Self::UnknownLaunchType { given, suggestion } => {
                write!(f, "unknown launch type '{given}': expected a lowercase FHIR R4 resource type")?;
                match suggestion {
                    Some(s) => write!(f, ": did you mean launch/{s}?"),
                    None => Ok(()),
                }
            }
            Self::LaunchParameterNotAllowed { name } => write!(f, "launch scopes take only a 'role' parameter, not '{name}'"),
            Self::MultipleRoles => f.write_str("a launch scope can include at most one 'role'; request one scope per role"),
            Self::EmptyExtension => f.write_str("extension scope '__' needs a name after the underscores"),
            Self::InvalidScopeUri { inner } => {
                write!(f, "invalid SMART scope after the scope URI prefix: {inner}")
            }
        }
    }
}

impl std::error::Error for ScopeError {}

/// Why a list of scopes could not become a [`crate::ScopeSet`].
#[derive(Clone, PartialEq, Eq, Debug)]
#[non_exhaustive]
pub enum ScopeSetError {
    /// More than [`MAX_SCOPES_PER_SET`] scopes were given.
    TooMany {
        /// How many were given.
        count: usize,
    },
    /// The scope at `index` (0-based) is invalid.
    Invalid {
        /// 0-based position in the input.
        index: usize,
        /// The scope as given (cut to 100 characters).
        input: String,
        /// Why.
        error: ScopeError,
    },
}

impl ScopeSetError {
    /// The 0-based index of the offending scope, if one scope is to blame.
    #[must_use]
    pub fn index(&self) -> Option<usize> {
        match self {
            Self::TooMany { .. } => None,
            Self::Invalid { index, .. } => Some(*index),
        }
    }

    /// The per-scope error, if one scope is to blame.
    #[must_use]
    pub fn scope_error(&self) -> Option<&ScopeError> {
        match self {
            Self::TooMany { .. } => None,
            Self::Invalid { error, .. } => Some(error),
        }
    }
}

impl fmt::Display for ScopeSetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TooMany { count } => write!(f, "{count} scopes given; at most {MAX_SCOPES_PER_SET} are allowed in one set"),
            Self::Invalid { index, input, error } => write!(f, "scope {} ('{input}'): {error}", index + 1),
        }
    }
}

impl std::error::Error for ScopeSetError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::TooMany { .. } => None,
            Self::Invalid { error, .. } => Some(error),
        }
    }
}
