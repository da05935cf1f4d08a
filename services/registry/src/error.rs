//! The one error type of the registry. Messages are safe to show to clients; causes (database,
//! hashing, a corrupt row) stay in `source()` and reach only the log.

use accord_kernel::{Classify, ErrorKind};

/// Why a registry operation failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Invalid input; the message names the field.
    #[error("{0}")]
    Invalid(String),
    /// The caller's organization kind or roles do not allow it.
    #[error("{0}")]
    Forbidden(String),
    /// Unknown, or not visible to the caller (the two answer alike).
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The app's state does not allow it.
    #[error("{0}")]
    Conflict(String),
    /// A database failure.
    #[error("internal error")]
    Db(#[from] sea_orm::DbErr),
    /// Anything else internal (hashing, a row that does not parse).
    #[error("internal error")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl Error {
    /// An internal error from a plain message (kept for the log only).
    pub(crate) fn internal(message: impl Into<String>) -> Self {
        Error::Internal(Box::new(std::io::Error::other(message.into())))
    }
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
            Error::Forbidden(_) => ErrorKind::Forbidden,
            Error::NotFound(_) => ErrorKind::NotFound,
            Error::Conflict(_) => ErrorKind::Conflict,
            Error::Db(_) | Error::Internal(_) => ErrorKind::Internal,
        }
    }
}

/// The result type of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
