//! Approval policies, access requests, approvals, grants and partnerships — Accord's reason to
//! exist. A vendor asks a data holder for scopes for one app; the holder's approvers decide
//! under the holder's policy (narrowing but never widening, each approver counted once, more
//! approvers for high-risk scopes); what is approved becomes a grant with an expiry; either
//! side can end it. Every change writes its audit event and SPEC §6 outbox event in its own
//! transaction. The cascades (offboarding, partnership end) live in `accord-lifecycle` and use
//! [`cascade`].

pub mod cascade;
pub mod domain;
pub mod entities;
pub mod error;
pub mod graphql;
pub mod queries;

mod events;
mod grants;
mod policy;
mod requests;

pub use error::{Error, Result};
pub use policy::{PolicyPatch, policy_for};
pub use requests::{ApproveInput, RequestAccessInput};

use accord_kernel::SharedClock;
use accord_tenants::Tenants;

/// The approvals service handle. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Approvals {
    /// The database.
    pub db: accord_db::Db,
    /// The clock.
    pub clock: SharedClock,
    /// The tenants service (approver names, data holder lookups).
    pub tenants: Tenants,
}
