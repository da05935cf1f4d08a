//! Enforcement: the answers integrations ask for on every FHIR call. Per data holder, SMART
//! Backend Services tokens (client authentication by `private_key_jwt`, tokens signed with the
//! holder's own rotating ES384 key, carrying requested ∩ granted), introspection, revocation
//! and the `auth_request` decision for a FHIR request; platform-wide, scope and resource
//! decisions and reported usage. Every answer comes from a live in-process view of grants per
//! client ([`view`]), kept fresh by following the audit chain ([`feed`]), so a revocation,
//! suspension or offboarding on any replica is in force everywhere within a second, and
//! expiry is checked against the clock. When the view cannot be confirmed fresh and the
//! database does not answer, decisions fail closed. HTTP lives in the gateway.

pub mod access_log;
pub mod assertion;
pub mod decision;
pub(crate) mod entities;
pub mod error;
pub mod feed;
pub mod fhir;
pub mod graphql;
pub mod keys;
pub mod oauth;
mod service;
pub mod token;
pub mod usage;
pub mod view;

pub use decision::{Authz, Decision, DecisionRequest, Denial};
pub use error::{Error, OAuthError, Result};
pub use oauth::{JWT_BEARER, Revoker, TokenForm, TokenResponse};
pub use service::{Enforcement, Parts};
pub use usage::{MAX_USAGE_RECORDS, UsageIn};
