//! Tenants, users, roles, invitations, sessions and API tokens: who may call Accord and as what.
//! Organizations sign up (the signer becomes the first ADMIN) or are created by operators;
//! admins invite people and manage roles; people log in for a session JWT or mint API tokens
//! no wider than their own roles. Every change is audited in its own transaction. Other
//! services use [`Tenants::authenticate`] (through the gateway), [`Tenants::tenants_by_ids`] and
//! [`lookup`], and get records ([`TenantRecord`], [`UserRecord`], …), never the rows.

pub mod credentials;
pub mod domain;
pub(crate) mod entities;
pub mod error;
pub mod graphql;
pub mod records;

mod accounts;
mod directory;
mod invitations;
pub mod lookup;
mod service;
mod tokens;

pub use domain::{TenantStatus, UserStatus};
pub use error::{Error, Result};
pub use records::{ApiTokenRecord, InvitationRecord, TenantRecord, UserRecord};
pub use service::{Identity, NewTenant, Session, Tenants};
