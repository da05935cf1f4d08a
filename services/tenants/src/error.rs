//! The one error type of the tenants service. Messages are safe to show to clients; causes
//! (database, store, hashing) stay in `source()` and reach only the log.

use accord_kernel::{Classify, ErrorKind};

/// Why a tenants operation failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Invalid input; the message names the field.
    #[error("{0}")]
    Invalid(String),
    /// Wrong email or password — the same message for both, so accounts cannot be probed.
    #[error("invalid email or password")]
    BadCredentials,
    /// No, invalid, expired or revoked credentials.
    #[error("authentication required: the session or token is missing, invalid or expired")]
    Unauthenticated,
    /// The caller's roles do not allow it.
    #[error("{0}")]
    Forbidden(String),
    /// Unknown, or not visible to the caller.
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The state does not allow it.
    #[error("{0}")]
    Conflict(String),
    /// Too many failed attempts; the next one may go ahead after this many seconds.
    #[error("too many failed attempts; try again in {retry_after_secs} s")]
    RateLimited {
        /// Seconds until an attempt is allowed again.
        retry_after_secs: u64,
    },
    /// A database failure.
    #[error("internal error")]
    Db(#[from] sea_orm::DbErr),
    /// The shared store failed.
    #[error("internal error")]
    Store(#[from] accord_db::store::StoreError),
    /// Anything else internal (hashing, signing).
    #[error("internal error")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl From<accord_db::DbError> for Error {
    fn from(e: accord_db::DbError) -> Self {
        Error::Db(e.0)
    }
}

impl From<accord_kernel::secret::HashError> for Error {
    fn from(e: accord_kernel::secret::HashError) -> Self {
        Error::Internal(Box::new(e))
    }
}

impl From<accord_kernel::Denied> for Error {
    fn from(e: accord_kernel::Denied) -> Self {
        Error::Forbidden(e.0)
    }
}

impl Classify for Error {
    fn kind(&self) -> ErrorKind {
        match self {
            Error::Invalid(_) => ErrorKind::BadUserInput,
            Error::BadCredentials | Error::Unauthenticated => ErrorKind::Unauthenticated,
            Error::Forbidden(_) => ErrorKind::Forbidden,
            Error::NotFound(_) => ErrorKind::NotFound,
            Error::Conflict(_) => ErrorKind::Conflict,
            Error::RateLimited { .. } => ErrorKind::RateLimited,
            Error::Db(_) | Error::Store(_) | Error::Internal(_) => ErrorKind::Internal,
        }
    }
}

/// The result type of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
