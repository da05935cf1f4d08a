//! Error classification. Every crate has one error enum whose variants map to an [`ErrorKind`];
//! the edges (GraphQL, HTTP) turn the kind into a stable code and a client-safe message.

/// The stable classes of failure a client can see (SPEC §5 `extensions.code`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// No or invalid credentials.
    Unauthenticated,
    /// Authenticated, but the role does not allow it.
    Forbidden,
    /// Does not exist, or is not visible to the caller (the two are indistinguishable).
    NotFound,
    /// Invalid input; the message names the field.
    BadUserInput,
    /// A SMART scope that does not parse.
    InvalidScope,
    /// Refused by the data holder's approval policy.
    PolicyViolation,
    /// The state does not allow this transition, or a uniqueness rule is broken.
    Conflict,
    /// Too many attempts; try later.
    RateLimited,
    /// Anything else. The message never carries the cause.
    Internal,
}

impl ErrorKind {
    /// The fixed code clients match on.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Self::Unauthenticated => "UNAUTHENTICATED",
            Self::Forbidden => "FORBIDDEN",
            Self::NotFound => "NOT_FOUND",
            Self::BadUserInput => "BAD_USER_INPUT",
            Self::InvalidScope => "INVALID_SCOPE",
            Self::PolicyViolation => "POLICY_VIOLATION",
            Self::Conflict => "CONFLICT",
            Self::RateLimited => "RATE_LIMITED",
            Self::Internal => "INTERNAL",
        }
    }

    /// The HTTP status for REST edges.
    #[must_use]
    pub fn http_status(self) -> u16 {
        match self {
            Self::Unauthenticated => 401,
            Self::Forbidden => 403,
            Self::NotFound => 404,
            Self::BadUserInput | Self::InvalidScope | Self::PolicyViolation => 400,
            Self::Conflict => 409,
            Self::RateLimited => 429,
            Self::Internal => 500,
        }
    }
}

/// Implemented by every crate's error enum.
pub trait Classify: std::error::Error {
    /// The class of this error.
    fn kind(&self) -> ErrorKind;
}

/// A message for an invalid field: `"<field>: <problem>"`. Keeps every input error in the same
/// shape, so clients and people can tell which field to fix.
#[must_use]
pub fn field_error(field: &str, problem: impl std::fmt::Display) -> String {
    format!("{field}: {problem}")
}
