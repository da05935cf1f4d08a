//! The one error type of notifications. Messages are safe to show to clients; causes stay in
//! `source()` and reach only the log.

use accord_kernel::{Classify, ErrorKind};

/// Why a notifications operation failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Invalid input; the message names the field.
    #[error("{0}")]
    Invalid(String),
    /// The caller's roles do not allow it.
    #[error("{0}")]
    Forbidden(String),
    /// Unknown, or not the caller's (the two answer alike).
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The state does not allow it.
    #[error("{0}")]
    Conflict(String),
    /// A database failure.
    #[error("internal error")]
    Db(#[from] sea_orm::DbErr),
    /// Anything else internal.
    #[error("internal error")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl Error {
    /// An internal error from a plain message (kept for the log only).
    pub(crate) fn internal(message: impl Into<String>) -> Self {
        Error::Internal(Box::new(std::io::Error::other(message.into())))
    }

    /// An error of another service, kept as the cause.
    pub(crate) fn upstream<E: std::error::Error + Send + Sync + 'static>(e: E) -> Self {
        Error::Internal(Box::new(e))
    }
}

impl From<accord_db::DbError> for Error {
    fn from(e: accord_db::DbError) -> Self {
        Error::Db(e.0)
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
