//! The errors of enforcement. Two shapes: [`OAuthError`] for the OAuth endpoints (RFC 6749
//! §5.2 codes, a client-safe description) and [`Error`] for everything else (classified like
//! every crate's error). Database and network causes stay in `source()` for the log.

use accord_kernel::{Classify, ErrorKind};

/// An OAuth 2.0 error response (RFC 6749 §5.2, RFC 7009 §2.2.1).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{code}: {description}")]
pub struct OAuthError {
    /// `invalid_request`, `invalid_client`, `invalid_scope`, `unsupported_grant_type`, …
    pub code: &'static str,
    /// What went wrong, safe to show (never a secret, never a database cause).
    pub description: String,
    /// The HTTP status: 400, or 401 for `invalid_client`, 503 when the service cannot decide.
    pub status: u16,
}

impl OAuthError {
    /// `invalid_request` (400).
    pub fn invalid_request(description: impl Into<String>) -> Self {
        Self { code: "invalid_request", description: description.into(), status: 400 }
    }
    /// `invalid_client` (401): any failure to authenticate the client.
    pub fn invalid_client(description: impl Into<String>) -> Self {
        Self { code: "invalid_client", description: description.into(), status: 401 }
    }
    /// `invalid_scope` (400).
    pub fn invalid_scope(description: impl Into<String>) -> Self {
        Self { code: "invalid_scope", description: description.into(), status: 400 }
    }
    /// `unsupported_grant_type` (400).
    pub fn unsupported_grant_type(description: impl Into<String>) -> Self {
        Self { code: "unsupported_grant_type", description: description.into(), status: 400 }
    }
    /// 429: too many failed client authentications from one address.
    pub fn slow_down(retry_after_secs: u64) -> Self {
        Self {
            code: "slow_down",
            description: format!("too many failed client authentications from this address; try again in {retry_after_secs} s"),
            status: 429,
        }
    }
    /// `temporarily_unavailable` (503): the live state cannot be read, so nothing is issued.
    pub fn unavailable() -> Self {
        Self { code: "temporarily_unavailable", description: "access cannot be confirmed right now; try again shortly".into(), status: 503 }
    }
}

/// Why an enforcement operation failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Invalid input; the message names the field.
    #[error("{0}")]
    Invalid(String),
    /// No or a bad credential.
    #[error("{0}")]
    Unauthenticated(String),
    /// The caller may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// Unknown, or not visible to the caller.
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The live state cannot be confirmed (database unreachable): callers fail closed.
    #[error("access cannot be confirmed right now")]
    Unavailable(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// Anything else internal.
    #[error("internal error")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl Error {
    /// An internal error from a plain message (kept for the log only).
    pub(crate) fn internal(message: impl Into<String>) -> Self {
        Error::Internal(Box::new(std::io::Error::other(message.into())))
    }

    /// The live state could not be read.
    pub(crate) fn unavailable(e: impl std::error::Error + Send + Sync + 'static) -> Self {
        Error::Unavailable(Box::new(e))
    }
}

impl From<sea_orm::DbErr> for Error {
    fn from(e: sea_orm::DbErr) -> Self {
        Error::unavailable(e)
    }
}

impl From<accord_db::DbError> for Error {
    fn from(e: accord_db::DbError) -> Self {
        Error::unavailable(e.0)
    }
}

impl From<accord_registry::Error> for Error {
    fn from(e: accord_registry::Error) -> Self {
        Error::unavailable(e)
    }
}

impl From<accord_approvals::Error> for Error {
    fn from(e: accord_approvals::Error) -> Self {
        Error::unavailable(e)
    }
}

impl From<accord_tenants::Error> for Error {
    fn from(e: accord_tenants::Error) -> Self {
        match accord_kernel::Classify::kind(&e) {
            ErrorKind::Unauthenticated => Error::Unauthenticated(e.to_string()),
            ErrorKind::Forbidden => Error::Forbidden(e.to_string()),
            _ => Error::unavailable(e),
        }
    }
}

impl Classify for Error {
    fn kind(&self) -> ErrorKind {
        match self {
            Error::Invalid(_) => ErrorKind::BadUserInput,
            Error::Unauthenticated(_) => ErrorKind::Unauthenticated,
            Error::Forbidden(_) => ErrorKind::Forbidden,
            Error::NotFound(_) => ErrorKind::NotFound,
            Error::Unavailable(_) | Error::Internal(_) => ErrorKind::Internal,
        }
    }
}

/// The result type of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
