//! Approval policies, access requests, approvals, grants and partnerships — Accord's reason to
//! exist. A vendor asks a data holder for scopes for one app; the holder's approvers decide
//! under the holder's policy (narrowing but never widening, each approver counted once, more
//! approvers for high-risk scopes); what is approved becomes a grant with an expiry; either
//! side can end it. Every change writes its audit event and SPEC §6 outbox event in its own
//! transaction. The cascades (offboarding, partnership end) live in `accord-lifecycle` and use
//! [`cascade`].

pub mod cascade;
pub mod domain;
pub mod error;
pub mod graphql;
pub mod queries;
pub mod records;
pub mod sweeps;

mod entities;
mod events;
mod grants;
mod policy;
mod repo;
mod requests;
mod service;

pub use error::{Error, Result};
pub use events::audit_only;
pub use policy::PolicyPatch;
pub use records::{ApprovalRecord, GrantRecord, PartnershipRecord, RequestRecord};
pub use repo::{live_grants_of_app, policy_for};
pub use requests::{ApproveInput, RequestAccessInput};
pub use service::Approvals;
