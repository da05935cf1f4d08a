//! Reviews: opened 14 days before due, certified on a cadence that does not drift, missed ones
//! revoked or escalated, decided only by the holder's approvers.

use crate::world::World;
use crate::*;

const POLICY: &str = "mutation($i: ApprovalPolicyInput!) { updateApprovalPolicy(input: $i) { reviewIntervalDays onMissedReview } }";
const REVIEWS: &str = "query($s: ReviewStatus) { reviews(status: $s) { totalCount edges { node { id dueAt status comment decidedAt escalatedAt decidedBy { email } grant { id status } } } } }";
const CERTIFY: &str =
    "mutation($id: ID!, $c: String) { certifyGrant(reviewId: $id, comment: $c) { id status comment decidedBy { email } } }";
const REVOKE: &str = "mutation($id: ID!, $r: String!) { revokeFromReview(reviewId: $id, reason: $r) { id status comment } }";

/// A world whose holder reviews every 30 days (`on_missed`), with one 365-day grant; returns
/// the grant id and long-lived tokens (holder admin, approver, vendor dev).
async fn reviewed(on_missed: &str) -> (World, String, [String; 3]) {
    let w = crate::world::world().await;
    let r = w.gql(&w.holder_admin, POLICY, json!({ "i": { "reviewIntervalDays": 30, "onMissedReview": on_missed } })).await;
    assert_eq!(error_code(&r), None, "{r}");
    let g = w.grant(&w.app_id, &["patient/Observation.rs"], 365).await;
    let tokens = [w.long_lived(&w.holder_admin).await, w.long_lived(&w.approver1).await, w.long_lived(&w.dev).await];
    (w, g, tokens)
}

/// The (recipient, subject) of each mail of an event type.
async fn mails(app: &TestApp, event_type: &str) -> Vec<(String, String)> {
    use sea_orm::ConnectionTrait;
    let backend = app.db().get_database_backend();
    let sql = match backend {
        sea_orm::DbBackend::Postgres => "SELECT recipient, subject FROM mail_deliveries WHERE event_type = $1 ORDER BY recipient",
        _ => "SELECT recipient, subject FROM mail_deliveries WHERE event_type = ? ORDER BY recipient",
    };
    let rows = app.db().query_all_raw(sea_orm::Statement::from_sql_and_values(backend, sql, [event_type.into()])).await.unwrap();
    rows.iter().map(|r| (r.try_get::<String>("", "recipient").unwrap(), r.try_get::<String>("", "subject").unwrap())).collect()
}

async fn reviews(app: &TestApp, token: &str, status: Option<&str>) -> Vec<Value> {
    let r = app.gql(Some(token), REVIEWS, json!({ "s": status })).await;
    assert_eq!(error_code(&r), None, "{r}");
    r["data"]["reviews"]["edges"].as_array().unwrap().iter().map(|e| e["node"].clone()).collect()
}

#[tokio::test]
async fn a_review_opens_14_days_before_due_and_certifying_keeps_the_cadence_over_three_cycles() {
    let (w, g, [_, approver, dev]) = reviewed("REVOKE").await;
    let app = &w.app;
    let first_due = at(&grant(app, &approver, &g).await["nextReviewDue"]);
    for cycle in 0..3 {
        let due = first_due + days(30 * cycle);
        assert_eq!(at(&grant(app, &approver, &g).await["nextReviewDue"]), due, "cycle {cycle}");
        run(app, "reviews", due - days(15)).await;
        assert!(reviews(app, &approver, Some("PENDING")).await.is_empty(), "not open 15 days before");
        let ran = run(app, "reviews", due - days(14)).await;
        assert!(ran.summary.starts_with("1 reviews opened"), "{}", ran.summary);
        run(app, "reviews", due - days(13)).await;
        let open = reviews(app, &approver, Some("PENDING")).await;
        assert_eq!(open.len(), 1, "opened once");
        assert_eq!(at(&open[0]["dueAt"]), due);
        if cycle == 0 {
            // The mail's link: `review(id)` for either party, nothing for anyone else.
            let one = "query($id: ID!) { review(id: $id) { id status grant { id } } }";
            for token in [&approver, &dev] {
                let r = app.gql(Some(token), one, json!({ "id": open[0]["id"] })).await;
                assert_eq!(r["data"]["review"]["grant"]["id"], json!(g), "{r}");
            }
            let (stranger, _) = app.sign_up("Elsewhere Apps", "DEVELOPER", "someone@elsewhere.example").await;
            let r = app.gql(Some(&stranger), one, json!({ "id": open[0]["id"] })).await;
            assert_eq!(r["data"]["review"], Value::Null, "another organization's review is none: {r}");
        }
        // Certified early in the first cycle, late in the others: the next due date follows
        // the due date, not the certification.
        app.clock.set(due - days(if cycle == 0 { 10 } else { 1 }));
        let r = app.gql(Some(&approver), CERTIFY, json!({ "id": open[0]["id"], "c": "still needed" })).await;
        assert_eq!(r["data"]["certifyGrant"]["status"], "CERTIFIED", "{r}");
        assert_eq!(r["data"]["certifyGrant"]["comment"], "still needed");
        let after = grant(app, &approver, &g).await;
        assert_eq!(at(&after["nextReviewDue"]), due + days(30));
        assert_eq!(at(&after["lastReviewedAt"]), app.clock.now());
    }
    assert_eq!(events(app, "review.due").await.len(), 3);
    let completed = events(app, "review.completed").await;
    assert_eq!(completed.len(), 3);
    assert_eq!(completed[0]["outcome"], "CERTIFIED");
    assert_eq!(grant(app, &approver, &g).await["status"], "ACTIVE");
}

#[tokio::test]
async fn a_missed_review_under_revoke_revokes_the_grant_naming_the_review() {
    let (w, g, [_, approver, _]) = reviewed("REVOKE").await;
    let app = &w.app;
    let due = at(&grant(app, &approver, &g).await["nextReviewDue"]);
    run(app, "reviews", due - days(14)).await;
    run(app, "reviews", due - Duration::seconds(1)).await;
    assert_eq!(reviews(app, &approver, Some("PENDING")).await.len(), 1, "not missed before its due date");
    let ran = run(app, "reviews", due).await;
    assert!(ran.summary.contains("1 missed reviews revoked"), "{}", ran.summary);
    run(app, "reviews", due + days(1)).await;
    let r = &reviews(app, &approver, None).await[0];
    assert_eq!(r["status"], "REVOKED");
    assert!(r["comment"].as_str().unwrap().contains(&format!("review due {}", due.format("%Y-%m-%d"))), "{r}");
    let after = grant(app, &approver, &g).await;
    assert_eq!(after["status"], "REVOKED");
    assert!(after["revokedReason"].as_str().unwrap().contains("was not completed"));
    assert_eq!(events(app, "grant.revoked").await.len(), 1);
    assert_eq!(events(app, "review.completed").await.len(), 1);
}

#[tokio::test]
async fn a_missed_review_under_escalate_stays_open_tells_the_admins_and_can_still_be_certified() {
    let (w, g, [admin, approver, _]) = reviewed("ESCALATE").await;
    let app = &w.app;
    let due = at(&grant(app, &approver, &g).await["nextReviewDue"]);
    run(app, "reviews", due - days(14)).await;
    run(app, "reviews", due).await;
    run(app, "reviews", due + days(1)).await;
    let r = &reviews(app, &approver, None).await[0];
    assert_eq!(r["status"], "ESCALATED");
    assert!(r["escalatedAt"].is_string());
    assert_eq!(grant(app, &approver, &g).await["status"], "ACTIVE");
    let due_events = events(app, "review.due").await;
    assert_eq!(due_events.len(), 2, "opened, then escalated once");
    assert_eq!(due_events[1]["escalated"], true);
    // The escalation is mailed to the holder's admins (the opening went to its approvers).
    run(app, "outbox", app.clock.now()).await;
    let me = app.gql(Some(&admin), "{ me { user { email } } }", json!({})).await;
    let admin_email = me["data"]["me"]["user"]["email"].as_str().unwrap().to_owned();
    let escalations: Vec<(String, String)> =
        mails(app, "review.due").await.into_iter().filter(|(_, s)| s.contains("Review missed")).collect();
    assert_eq!(escalations.iter().map(|(to, _)| to.as_str()).collect::<Vec<_>>(), [admin_email.as_str()], "{escalations:?}");
    app.clock.set(due + days(2));
    let c = app.gql(Some(&approver), CERTIFY, json!({ "id": r["id"] })).await;
    assert_eq!(c["data"]["certifyGrant"]["status"], "CERTIFIED", "{c}");
    assert_eq!(at(&grant(app, &approver, &g).await["nextReviewDue"]), due + days(30));
}

#[tokio::test]
async fn only_the_holders_approvers_decide_reviews_vendors_watch_and_strangers_get_not_found() {
    let (w, g, [admin, approver, dev]) = reviewed("REVOKE").await;
    let app = &w.app;
    let due = at(&grant(app, &approver, &g).await["nextReviewDue"]);
    run(app, "reviews", due - days(14)).await;
    let id = reviews(app, &approver, None).await[0]["id"].clone();
    // The vendor sees it, read-only.
    assert_eq!(reviews(app, &dev, None).await.len(), 1);
    for (token, code) in [(&dev, "FORBIDDEN"), (&w.auditor, "FORBIDDEN")] {
        let r = app.gql(Some(token), CERTIFY, json!({ "id": id })).await;
        assert_eq!(error_code(&r), Some(code), "{r}");
    }
    let (stranger, _) = app.sign_up("Stranger Apps", "DEVELOPER", &app.email("stranger")).await;
    for q in [CERTIFY, "mutation($id: ID!) { revokeFromReview(reviewId: $id, reason: \"x\") { id } }"] {
        let r = app.gql(Some(&stranger), q, json!({ "id": id })).await;
        assert_eq!(error_code(&r), Some("NOT_FOUND"), "{r}");
    }
    assert!(reviews(app, &stranger, None).await.is_empty());
    let r = app.gql(Some(&approver), REVOKE, json!({ "id": id, "r": "  " })).await;
    assert_eq!(error_code(&r), Some("BAD_USER_INPUT"), "{r}");
    // The holder's admin revokes from the review.
    let r = app.gql(Some(&admin), REVOKE, json!({ "id": id, "r": "no longer used" })).await;
    assert_eq!(r["data"]["revokeFromReview"]["status"], "REVOKED", "{r}");
    let after = grant(app, &approver, &g).await;
    assert_eq!(after["status"], "REVOKED");
    assert_eq!(after["revokedReason"], "revoked at review: no longer used");
    let again = app.gql(Some(&approver), CERTIFY, json!({ "id": id })).await;
    assert_eq!(error_code(&again), Some("CONFLICT"), "{again}");
}
