//! The kernel every Accord crate stands on: UUIDv7 ids, an injectable [`Clock`], the caller's
//! identity ([`Principal`], [`Role`], [`TenantKind`]), classified errors ([`ErrorKind`],
//! [`Classify`]), configuration loading ([`config::Settings`]), key derivation from
//! `ACCORD_SECRET_KEY` ([`keys`]), email addresses ([`email`]), secret hashing and random
//! tokens ([`secret`]), telemetry, and the GraphQL conventions shared by every
//! service ([`gql`]: error codes, Relay connections). It depends on no other workspace crate.

pub mod clock;
pub mod config;
pub mod email;
pub mod error;
pub mod gql;
pub mod id;
pub mod keys;
pub mod page;
pub mod principal;
pub mod seal;
pub mod secret;
pub mod telemetry;
pub mod text;

pub use clock::{Clock, FixedClock, SharedClock, SystemClock};
pub use error::{Classify, ErrorKind};
pub use id::new_id;
pub use principal::{Actor, Denied, Principal, Role, RoleSet, TenantKind};
