//! Writers really running at once (docs/concurrency.md): nobody gets INTERNAL, the pair rule
//! (one live grant per app and data holder) holds, and no live grant survives on an offboarded
//! app. The same tests run on SQLite (one queued writer) and PostgreSQL (the audit-chain head
//! taken first).

use crate::world::{World, register_app, world};
use accord_gateway::testing::error_code;
use futures::future::join_all;
use serde_json::{Value, json};

const REVOKE: &str = "mutation($id: ID!) { revokeGrant(id: $id, reason: \"no longer needed\") { id status } }";
const OFFBOARD: &str = "mutation($id: ID!) { offboardApp(id: $id, reason: \"product retired\") { id status } }";

/// Every answer is a success or one of the refusals a client can act on; never INTERNAL.
fn no_internal(responses: &[&Value]) {
    for r in responses {
        assert_ne!(error_code(r), Some("INTERNAL"), "{r}");
        if let Some(code) = error_code(r) {
            assert!(["CONFLICT", "NOT_FOUND"].contains(&code), "unexpected refusal: {r}");
        }
    }
}

async fn apps(w: &World, n: usize, prefix: &str) -> Vec<String> {
    let mut ids = Vec::with_capacity(n);
    for i in 0..n {
        ids.push(register_app(&w.app, &w.dev, &format!("{prefix} {i}")).await);
    }
    ids
}

/// Grants of `app_id` at the world's data holder that are ACTIVE or SUSPENDED (raw SQL: the
/// entities are the approvals crate's own).
async fn live_grants(w: &World, app_id: &str) -> u64 {
    use sea_orm::{ConnectionTrait, Statement};
    let db = w.app.db();
    let backend = db.get_database_backend();
    let sql = "SELECT COUNT(*) AS n FROM grants WHERE app_id = $1 AND holder_tenant_id = $2 AND status IN ('ACTIVE', 'SUSPENDED')";
    let sql = if backend == sea_orm::DbBackend::Sqlite { sql.replace('$', "?") } else { sql.to_owned() };
    let stmt = Statement::from_sql_and_values(backend, sql, [app_id.into(), w.holder_id.clone().into()]);
    let row = db.query_one_raw(stmt).await.unwrap().unwrap();
    u64::try_from(row.try_get::<i64>("", "n").unwrap()).unwrap()
}

#[tokio::test]
async fn sixteen_requests_and_then_sixteen_approvals_at_once_all_succeed() {
    let w = world().await;
    let ids = apps(&w, 16, "Parallel").await;

    let asked = join_all(ids.iter().map(|id| w.request(id, &["patient/Observation.rs"], 30, None))).await;
    for r in &asked {
        assert_eq!(error_code(r), None, "{r}");
        assert_eq!(r["data"]["requestAccess"]["status"], json!("PENDING"));
    }
    let requests: Vec<&str> = asked.iter().map(|r| r["data"]["requestAccess"]["id"].as_str().unwrap()).collect();

    let approved = join_all(requests.iter().map(|id| w.approve(&w.approver1, id, json!({})))).await;
    for r in &approved {
        assert_eq!(error_code(r), None, "{r}");
        assert_eq!(r["data"]["approveAccessRequest"]["status"], json!("APPROVED"), "{r}");
    }
    for id in &ids {
        assert_eq!(live_grants(&w, id).await, 1);
    }
    assert_eq!(w.app.count("grants").await, 16);
}

#[tokio::test]
async fn twelve_requests_for_the_same_pair_at_once_leave_exactly_one_pending() {
    let w = world().await;
    let asked = join_all((0..12).map(|_| w.request(&w.app_id, &["patient/Observation.rs"], 30, None))).await;
    no_internal(&asked.iter().collect::<Vec<_>>());
    let ok = asked.iter().filter(|r| error_code(r).is_none()).count();
    assert_eq!(ok, 1, "{asked:?}");
    assert!(asked.iter().filter(|r| error_code(r).is_some()).all(|r| error_code(r) == Some("CONFLICT")));
    assert_eq!(w.app.count("access_requests").await, 1);
}

#[tokio::test]
async fn approving_a_renewal_while_its_grant_is_revoked_never_answers_internal_in_twenty_rounds() {
    let w = world().await;
    let ids = apps(&w, 20, "Renewal").await;
    let mut outcomes = (0, 0);
    for app_id in &ids {
        let grant = w.grant(app_id, &["patient/Observation.rs"], 60).await;
        let renewal = w.request_ok(app_id, &["patient/Observation.rs"], 90, Some(&grant)).await;
        let (approved, revoked) =
            tokio::join!(w.approve(&w.approver1, &renewal, json!({})), w.gql(&w.approver2, REVOKE, json!({ "id": grant })));
        no_internal(&[&approved, &revoked]);
        assert!(live_grants(&w, app_id).await <= 1, "two live grants for {app_id}");
        // Whichever ran second saw what the first committed.
        match (error_code(&approved), error_code(&revoked)) {
            (None, None) => outcomes.0 += 1,             // revoked first, then the renewal was approved
            (None, Some("CONFLICT")) => outcomes.1 += 1, // the renewal superseded the grant first
            other => panic!("unexpected outcome {other:?}: {approved} {revoked}"),
        }
    }
    assert_eq!(outcomes.0 + outcomes.1, 20);
}

#[tokio::test]
async fn offboarding_an_app_while_its_request_is_approved_never_leaves_a_live_grant_in_twenty_rounds() {
    let w = world().await;
    let ids = apps(&w, 20, "Retired").await;
    for app_id in &ids {
        let request = w.request_ok(app_id, &["patient/Observation.rs"], 60, None).await;
        let (approved, offboarded) =
            tokio::join!(w.approve(&w.approver1, &request, json!({})), w.gql(&w.vendor_admin, OFFBOARD, json!({ "id": app_id })));
        no_internal(&[&approved, &offboarded]);
        assert_eq!(offboarded["data"]["offboardApp"]["status"], json!("OFFBOARDED"), "{offboarded}");
        assert_eq!(live_grants(&w, app_id).await, 0, "a live grant on offboarded app {app_id}: {approved}");
    }
}

#[tokio::test]
async fn concurrent_first_policy_updates_all_succeed_and_the_last_one_wins() {
    let w = world().await;
    let q = "mutation($d: Int!) { updateApprovalPolicy(input: { maxGrantDays: $d }) { maxGrantDays } }";
    let updates = join_all((0..12).map(|i| w.gql(&w.holder_admin, q, json!({ "d": 100 + i })))).await;
    for r in &updates {
        assert_eq!(error_code(r), None, "{r}");
    }
    let now = w.gql(&w.holder_admin, "{ approvalPolicy { maxGrantDays } }", json!({})).await;
    let days = now["data"]["approvalPolicy"]["maxGrantDays"].as_i64().unwrap();
    assert!((100..112).contains(&days), "{now}");
    assert_eq!(w.app.count("approval_policies").await, 1);
}
