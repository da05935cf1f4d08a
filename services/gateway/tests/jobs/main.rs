//! Scheduled work end to end: each job driven with the test clock through its boundaries, the
//! reviews API, and real `accord jobs run` processes racing on one database.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../approvals/world.rs"]
#[allow(dead_code)]
mod world;

mod credentials;
mod expiry;
mod processes;
mod reminders;
mod reviews;

use accord_gateway::testing::{TestApp, error_code};
pub use accord_kernel::Clock as _;
use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};

/// Runs a job at `now`.
pub async fn run(app: &TestApp, job: &str, now: DateTime<Utc>) -> accord_gateway::jobs::Ran {
    accord_gateway::jobs::run_job(&app.state, job.parse().unwrap(), now).await.unwrap()
}

/// The outbox events of a type, their `data`.
pub async fn events(app: &TestApp, event_type: &str) -> Vec<Value> {
    accord_db::outbox::of_type(app.db(), event_type)
        .await
        .unwrap()
        .into_iter()
        .map(|e| serde_json::from_str::<Value>(&e.payload).unwrap()["data"].clone())
        .collect()
}

/// A grant's fields as the API shows them.
pub async fn grant(app: &TestApp, token: &str, id: &str) -> Value {
    let r = app
        .gql(
            Some(token),
            "query($id: ID!) { grant(id: $id) { id status revokedReason expiresAt nextReviewDue lastReviewedAt } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(error_code(&r), None, "{r}");
    r["data"]["grant"].clone()
}

pub fn at(s: &Value) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s.as_str().unwrap()).unwrap().with_timezone(&Utc)
}

pub fn days(n: i64) -> Duration {
    Duration::days(n)
}
