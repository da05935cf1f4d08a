//! The `accord` binary and the only crate that knows HTTP: the actix-web application
//! ([`app::Application`]), bearer authentication, the merged GraphQL schema with its limits
//! ([`schema`]), health, readiness and metrics ([`ops`]), and the command line ([`cli`]).
//! Handlers stay thin: authenticate, parse, call one service function, map the result.

pub mod app;
pub mod cli;
pub mod demo;
pub mod metrics;
pub mod ops;
pub mod schema;

pub use app::{AppState, Application};
