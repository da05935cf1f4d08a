//! The cross-organization access workflow through GraphQL, against the real server (SQLite,
//! or PostgreSQL + Redis when configured).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod atomicity;
mod concurrency;
mod decision_time;
mod isolation;
mod lifecycle;
mod n_plus_one;
mod payloads;
mod policy;
mod story;
mod totals;
mod world;
