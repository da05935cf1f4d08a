//! The `accord` binary and the only crate that knows HTTP: the actix-web application
//! ([`app::Application`]), bearer authentication, the merged GraphQL schema with its limits
//! ([`schema`]), the HTTP edge and its bounds ([`http`], [`client_ip`]), health, readiness and
//! metrics ([`ops`], [`metrics`]), and the command line ([`cli`]).
//! Handlers stay thin: authenticate, parse, call one service function, map the result.

pub mod app;
pub mod cli;
pub mod client_ip;
pub mod demo;
pub mod http;
pub mod metrics;
pub mod ops;
pub mod schema;

pub use app::{AppState, Application};
