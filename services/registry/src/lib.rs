//! The app registry: SMART apps registered by vendor organizations, their owners, their
//! credentials (client secrets stored only as argon2id, or public keys) and their status
//! (`ACTIVE` ⇄ `SUSPENDED` → `OFFBOARDED`). Input is parsed into [`domain::AppSpec`] at the
//! edge, so every stored app passed the rules a security team expects (https redirect URIs,
//! public keys only, owners reachable by email). Every change is one transaction with its audit
//! and outbox events. Other services read apps through [`app_by_id`], [`apps_by_ids`] and
//! [`list_apps`] (unscoped: they decide visibility) and change them inside their own
//! transactions through [`set_status`] and [`disable_credentials`].

pub mod domain;
pub(crate) mod entities;
pub mod error;
pub mod graphql;
pub mod jwks;
pub mod uri;

mod credentials;
mod repo;
mod secrets;
mod service;

pub use credentials::{SECRET_DAYS, SECRET_PREFIX};
pub use domain::{AppKind, AppStatus, CredentialKind};
pub use error::{Error, Result};
pub use repo::{
    AppFilter, AppRecord, CredentialRecord, app_by_client_id, app_by_id, apps_by_ids, credentials_expiring, credentials_of,
    disable_credentials, list_apps, set_status,
};
pub use service::{CLIENT_ID_PREFIX, DEFAULT_SECRET_GRACE_HOURS, Registry};
