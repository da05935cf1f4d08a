//! Gateway integration tests: the real server on port 0, a fresh database per test (SQLite, or
//! PostgreSQL + Redis when `ACCORD_TEST_POSTGRES_URL` / `ACCORD_TEST_REDIS_URL` are set).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod audit;
mod auth;
mod backends;
mod bounds;
mod client_address;
mod cookie_session;
mod demo;
mod free_text;
mod introspection;
mod invitations;
mod logout;
mod ops;
mod process;
mod races;
mod schema;
mod tokens;
mod traces;
mod validation;
