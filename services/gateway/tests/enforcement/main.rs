//! Enforcement end to end against the real server (SQLite, or PostgreSQL + Redis when
//! configured): SMART Backend Services as Inferno checks it and the SHALLs it skips,
//! introspection, revocation, `/authz`, decisions, usage, key rotation, and revocation reaching
//! another replica.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod authz;
mod backend_services;
mod client_auth;
mod decisions;
mod introspection;
mod jwks_uri;
mod keys;
mod processes;
mod replicas;
mod scale_out;
mod world;
