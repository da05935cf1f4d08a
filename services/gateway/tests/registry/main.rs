//! Registry integration tests: the real server on port 0 and a fresh database per test
//! (SQLite, or PostgreSQL + Redis when `ACCORD_TEST_POSTGRES_URL` / `ACCORD_TEST_REDIS_URL`
//! are set), driven through GraphQL like a vendor would.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod events;
mod register;
mod secrets;
mod status;
mod support;
mod update;
mod validation;
