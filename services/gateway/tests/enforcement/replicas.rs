//! Two replicas on one database (and Redis, when configured): a revocation through one is in
//! force at the other within a second, with no request of its own to prompt it.

use crate::world::{authz_at, world};
use accord_gateway::testing::within;
use serde_json::{Value, json};
use std::time::Duration;

#[tokio::test]
async fn a_revocation_through_one_replica_is_in_force_at_the_other_within_a_second() {
    let w = world().await;
    let b = w.app.sibling().await;
    let token = w.access_token("system/Observation.rs").await;
    let base_b = format!("{}/t/{}", b.address, w.slug);
    // B has answered (and cached) before the change.
    assert_eq!(authz_at(&b.client, &base_b, Some(&token), "GET", "/Observation/1").await.0, 200);
    let introspect_b = async || -> Value {
        let r = b
            .client
            .post(format!("{base_b}/oauth/introspect"))
            .bearer_auth(&w.holder_token)
            .form(&[("token", token.as_str())])
            .send()
            .await
            .unwrap();
        r.json().await.unwrap()
    };
    assert_eq!(introspect_b().await["active"], true);

    let r = w
        .gql(&w.approver1, "mutation($id: ID!) { revokeGrant(id: $id, reason: \"breach\") { status } }", json!({ "id": w.grant_id }))
        .await;
    assert_eq!(r["data"]["revokeGrant"]["status"], "REVOKED", "{r}");
    let took =
        within(Duration::from_secs(1), async || authz_at(&b.client, &base_b, Some(&token), "GET", "/Observation/1").await.0 == 403).await;
    assert_eq!(introspect_b().await, json!({ "active": false }));
    eprintln!("revocation reached the other replica in {took:?}");
}
