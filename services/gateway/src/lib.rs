//! The `accord` binary and the only crate that knows HTTP.
//!
//! - [`services`]: the wiring. [`Services`] (database, store, clock, keys, every service) is
//!   built once from the settings and a clock, with nothing of HTTP in it; the server, the CLI
//!   commands and the coming worker all build it the same way.
//! - [`http`]: the HTTP edge, one concern per module: the state ([`AppState`]: the services
//!   plus the GraphQL schemas and metrics), the server and its listeners ([`Application`]), the
//!   routes, the request-metrics middleware, the GraphQL handler with its body and document
//!   bounds, health/readiness/`/metrics`, and the JSON error shape.
//! - [`smart`]: the enforcement edge (SPEC §8): SMART discovery, token, introspection,
//!   revocation and `auth_request` per data holder, and `/v1/decisions` and `/v1/usage`.
//! - [`schema`]: every service's GraphQL roots merged, with depth and complexity limits.
//! - [`metrics`]: Prometheus metrics through `prometheus-client`, with bounded labels.
//! - [`client_ip`]: which address a request comes from (trusted proxies).
//! - [`cli`] and [`demo`]: the command line (SPEC §9).
//! - `testing` (feature `testing`): the end-to-end harness, `spawn_app` and `TestApp`, which the
//!   gateway's own test binaries (`tests/api`, `tests/registry`, `tests/approvals`) use.
//!
//! Handlers stay thin: authenticate, parse, call one service function, map the result.

/// mimalloc: a request allocates and frees many small strings and maps; glibc's allocator spent
/// a tenth of the enforcement hot path in `free` and chunk consolidation (docs/benchmarks.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

pub mod cli;
pub mod client_ip;
pub mod demo;
pub mod http;
pub mod jobs;
pub mod metrics;
pub mod schema;
pub mod services;
pub mod smart;
#[cfg(feature = "testing")]
pub mod testing;
pub mod worker;

pub use http::server::Application;
pub use http::state::AppState;
pub use services::{Migrate, Services};
