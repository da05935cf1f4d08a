//! `totalCount` of the grants and requests lists is kept between requests (a large data holder's
//! total is a scan of tens of thousands of rows), and follows every change: at once in the
//! process that made it, within a second at another replica.

use crate::world::{register_app, world};
use accord_gateway::testing::{TestApp, within};
use serde_json::json;
use std::time::Duration;

const TOTALS: &str = "{ grants { totalCount } revoked: grants(status: REVOKED) { totalCount } accessRequests { totalCount } }";

async fn totals(app: &TestApp, token: &str) -> (i64, i64, i64) {
    let r = app.gql(Some(token), TOTALS, json!({})).await;
    let n = |k: &str| r["data"][k]["totalCount"].as_i64().unwrap_or_else(|| panic!("{r}"));
    (n("grants"), n("revoked"), n("accessRequests"))
}

#[tokio::test]
async fn list_totals_follow_every_change_here_at_once_and_at_another_replica_within_a_second() {
    let w = world().await;
    w.gql(&w.holder_admin, "mutation { updateApprovalPolicy(input: { autoApproveLowRisk: true }) { autoApproveLowRisk } }", json!({}))
        .await;
    w.request_ok(&w.app_id, &["patient/Observation.rs"], 30, None).await;
    let g = w.gql(&w.holder_admin, "{ grants(first: 1) { edges { node { id } } } }", json!({})).await;
    let grant = g["data"]["grants"]["edges"][0]["node"]["id"].as_str().unwrap_or_else(|| panic!("auto-approved: {g}")).to_owned();
    let replica = w.app.sibling().await;
    for app in [&w.app, &replica] {
        for _ in 0..3 {
            assert_eq!(totals(app, &w.approver1).await, (1, 0, 1), "counted, then kept");
        }
    }

    // A new request and its grant.
    let other = register_app(&w.app, &w.dev, "Second App").await;
    w.request_ok(&other, &["patient/Observation.rs"], 30, None).await;
    assert_eq!(totals(&w.app, &w.approver1).await, (2, 0, 2), "the next request here");
    let took = within(Duration::from_secs(1), async || totals(&replica, &w.approver1).await == (2, 0, 2)).await;
    eprintln!("a new grant counted at the replica after {took:?}");

    // A revocation moves a grant between the filtered totals.
    let r = w
        .gql(&w.holder_admin, "mutation($id: ID!) { revokeGrant(id: $id, reason: \"no longer needed\") { id } }", json!({ "id": grant }))
        .await;
    assert!(r.get("errors").is_none(), "{r}");
    assert_eq!(totals(&w.app, &w.approver1).await, (2, 1, 2), "the next request here");
    let took = within(Duration::from_secs(1), async || totals(&replica, &w.approver1).await == (2, 1, 2)).await;
    eprintln!("a revocation counted at the replica after {took:?}");
    // The vendor's view of the same rows is its own total; another organization's is its own.
    assert_eq!(totals(&w.app, &w.dev).await, (2, 1, 2));
    let (stranger, _) = w.app.sign_up("Other Apps", "DEVELOPER", &w.app.email("stranger")).await;
    assert_eq!(totals(&w.app, &stranger).await, (0, 0, 0), "a cached total is never another organization's");
}
