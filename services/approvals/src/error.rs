//! The one error type of the approvals service; messages are safe for clients.

use accord_kernel::{Classify, ErrorKind};

/// Why an approvals operation failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Invalid input; the message names the field.
    #[error("{0}")]
    Invalid(String),
    /// A scope that does not parse; the message names the field and index.
    #[error("{0}")]
    InvalidScope(String),
    /// Refused by the data holder's policy; the message names the rule and the scope.
    #[error("{0}")]
    Policy(String),
    /// The caller's role or side does not allow it.
    #[error("{0}")]
    Forbidden(String),
    /// Unknown, or not visible to the caller.
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The state does not allow it.
    #[error("{0}")]
    Conflict(String),
    /// A database failure.
    #[error("internal error")]
    Db(#[from] sea_orm::DbErr),
    /// A stored row this version cannot read (an unknown state, a malformed list): refused,
    /// never read as a default. The message is for the log.
    #[error("internal error")]
    Corrupt(String),
    /// A failure in a service this one calls.
    #[error("{message}")]
    Upstream {
        /// The upstream's client-safe message.
        message: String,
        /// Its class.
        kind: ErrorKind,
        /// The cause, for the log.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}

impl Error {
    /// Wraps another service's classified error, keeping its class and message.
    pub fn upstream<E: Classify + Send + Sync + 'static>(e: E) -> Self {
        let kind = e.kind();
        let message = if kind == ErrorKind::Internal { "internal error".to_owned() } else { e.to_string() };
        Self::Upstream { message, kind, source: Box::new(e) }
    }
}

impl From<accord_kernel::Denied> for Error {
    fn from(e: accord_kernel::Denied) -> Self {
        Error::Forbidden(e.0)
    }
}

impl From<accord_db::DbError> for Error {
    fn from(e: accord_db::DbError) -> Self {
        Error::Db(e.0)
    }
}

impl Classify for Error {
    fn kind(&self) -> ErrorKind {
        match self {
            Error::Invalid(_) => ErrorKind::BadUserInput,
            Error::InvalidScope(_) => ErrorKind::InvalidScope,
            Error::Policy(_) => ErrorKind::PolicyViolation,
            Error::Forbidden(_) => ErrorKind::Forbidden,
            Error::NotFound(_) => ErrorKind::NotFound,
            Error::Conflict(_) => ErrorKind::Conflict,
            Error::Db(_) | Error::Corrupt(_) => ErrorKind::Internal,
            Error::Upstream { kind, .. } => *kind,
        }
    }
}

/// The result type of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
