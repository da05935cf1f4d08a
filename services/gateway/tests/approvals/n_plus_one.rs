use crate::world::{World, register_app, world};
use serde_json::json;
use std::sync::atomic::Ordering;

const PAGE: &str = "{ grants(first: 50) { totalCount edges { node { id status app { name clientId vendor { name } } dataHolder { name } vendor { slug } scopeAnalysis { risk description } } } } }";

async fn add_grants(w: &World, n: usize) {
    for i in 0..n {
        let app_id = register_app(&w.app, &w.dev, &format!("App {i}")).await;
        w.request_ok(&app_id, &["patient/Observation.rs", "launch/patient"], 30, None).await;
    }
}

/// Statements one `grants(first: 50)` page costs, nested app, vendor and data holder included.
async fn statements(w: &World) -> (u64, usize) {
    // The approver's identity is then cached (by the enforcement view): the page alone counts.
    w.gql(&w.approver1, "{ me { user { id } } }", json!({})).await;
    let before = w.app.state.statements.load(Ordering::SeqCst);
    let r = w.gql(&w.approver1, PAGE, json!({})).await;
    let n = w.app.state.statements.load(Ordering::SeqCst) - before;
    (n, r["data"]["grants"]["edges"].as_array().map_or(0, Vec::len))
}

#[tokio::test]
async fn a_page_of_grants_costs_the_same_few_statements_whatever_its_size() {
    let w = world().await;
    let on = w
        .gql(&w.holder_admin, "mutation { updateApprovalPolicy(input: { autoApproveLowRisk: true }) { autoApproveLowRisk } }", json!({}))
        .await;
    assert_eq!(on["data"]["updateApprovalPolicy"]["autoApproveLowRisk"], json!(true), "{on}");
    add_grants(&w, 2).await;
    let (small, rows_small) = statements(&w).await;
    add_grants(&w, 20).await;
    let (large, rows_large) = statements(&w).await;
    assert_eq!((rows_small, rows_large), (2, 22));
    // An N+1 would add 20+ statements here. The loaders batch per round; whether the tenant
    // lookups (vendor, data holder) land in one round or two depends on timing, hence ±1.
    assert!(large.abs_diff(small) <= 1, "statements grew with the page: {small} for 2 grants, {large} for 22");
    assert!(small <= 6 && large <= 6, "{small} / {large} statements for one page");
    eprintln!("grants(first: 50) page: {large} SQL statements (auth 0 once cached: count, page, apps, tenants in up to 3 loader rounds)");
}
