use crate::support::*;
use accord_gateway::testing::{error_code, error_message, spawn_app};
use accord_kernel::Clock as _;
use accord_kernel::gql::PageRequest;
use accord_registry::{AppFilter, AppStatus};
use sea_orm::ExprTrait as _;
use sea_orm::sea_query::{Alias, Query};
use serde_json::json;

#[tokio::test]
async fn an_admin_suspends_and_resumes_an_app() {
    let app = spawn_app().await;
    let acme = vendor(&app, "Acme").await;
    let (a, _) = register(&app, &acme.token, provider_app()).await;
    let r = app.gql(Some(&acme.token), SUSPEND, json!({ "id": id(&a), "r": "security incident 42" })).await;
    assert_eq!(r["data"]["suspendApp"]["status"], json!("SUSPENDED"), "{r}");
    let stored = accord_registry::app_by_id(app.db(), &id(&a)).await.unwrap().unwrap();
    assert_eq!((stored.status, stored.status_reason.as_deref()), (AppStatus::Suspended, Some("security incident 42")));

    let r = app.gql(Some(&acme.token), RESUME, json!({ "id": id(&a) })).await;
    assert_eq!(r["data"]["resumeApp"]["status"], json!("ACTIVE"), "{r}");
    let stored = accord_registry::app_by_id(app.db(), &id(&a)).await.unwrap().unwrap();
    assert_eq!((stored.status, stored.status_reason), (AppStatus::Active, None));
}

#[tokio::test]
async fn transitions_the_state_machine_does_not_allow_are_conflicts_that_write_nothing() {
    let app = spawn_app().await;
    let acme = vendor(&app, "Acme").await;
    let (a, _) = register(&app, &acme.token, provider_app()).await;
    let before = written(&app).await;
    let r = app.gql(Some(&acme.token), RESUME, json!({ "id": id(&a) })).await;
    assert_eq!(error_code(&r), Some("CONFLICT"), "{r}");
    assert_eq!(error_message(&r), "the app is ACTIVE; only a SUSPENDED app can be resumed");
    assert_eq!(written(&app).await, before);

    app.gql(Some(&acme.token), SUSPEND, json!({ "id": id(&a), "r": "first" })).await;
    let before = written(&app).await;
    let r = app.gql(Some(&acme.token), SUSPEND, json!({ "id": id(&a), "r": "again" })).await;
    assert_eq!(error_code(&r), Some("CONFLICT"), "{r}");
    assert_eq!(written(&app).await, before);

    let now = app.clock.now();
    assert!(
        accord_registry::set_status(app.db(), &id(&a), &[AppStatus::Suspended], AppStatus::Offboarded, Some("gone"), now).await.unwrap()
    );
    let before = written(&app).await;
    for (q, vars) in [(SUSPEND, json!({ "id": id(&a), "r": "x" })), (RESUME, json!({ "id": id(&a) }))] {
        let r = app.gql(Some(&acme.token), q, vars).await;
        assert_eq!(error_code(&r), Some("CONFLICT"), "{r}");
        assert!(error_message(&r).starts_with("the app is OFFBOARDED"), "{r}");
    }
    assert_eq!(written(&app).await, before);
}

#[tokio::test]
async fn set_status_follows_the_state_machine_whatever_the_caller_asks() {
    let app = spawn_app().await;
    let acme = vendor(&app, "Acme").await;
    let (a, _) = register(&app, &acme.token, provider_app()).await;
    let now = app.clock.now();
    let set = |from: &'static [AppStatus], to| {
        let db = app.db().clone();
        let app_id = id(&a);
        async move { accord_registry::set_status(&db, &app_id, from, to, None, now).await.unwrap() }
    };
    assert!(!set(&[AppStatus::Active], AppStatus::Active).await, "no self-transition");
    assert!(!set(&[AppStatus::Suspended], AppStatus::Offboarded).await, "the app is not SUSPENDED");
    assert!(set(&[AppStatus::Active, AppStatus::Suspended], AppStatus::Offboarded).await);
    assert!(!set(&[AppStatus::Offboarded], AppStatus::Active).await, "OFFBOARDED is final");
    assert!(!set(&AppStatus::ALL, AppStatus::Suspended).await, "OFFBOARDED is final");
}

#[tokio::test]
async fn only_an_admin_suspends_and_a_reason_is_required() {
    let app = spawn_app().await;
    let acme = vendor(&app, "Acme").await;
    let developer = member(&app, &acme, &["DEVELOPER"]).await;
    let (a, _) = register(&app, &acme.token, provider_app()).await;
    let before = written(&app).await;
    let r = app.gql(Some(&developer), SUSPEND, json!({ "id": id(&a), "r": "mine" })).await;
    assert_eq!(error_code(&r), Some("FORBIDDEN"), "{r}");
    let r = app.gql(Some(&acme.token), SUSPEND, json!({ "id": id(&a), "r": "   " })).await;
    assert_eq!(error_code(&r), Some("BAD_USER_INPUT"), "{r}");
    assert_eq!(error_message(&r), "reason: must not be empty");
    assert_eq!(written(&app).await, before);
}

#[tokio::test]
async fn a_suspension_reason_follows_the_one_reason_rule_of_two_thousand_characters() {
    let app = spawn_app().await;
    let acme = vendor(&app, "Acme").await;
    let (a, _) = register(&app, &acme.token, provider_app()).await;
    let before = written(&app).await;
    let r = app.gql(Some(&acme.token), SUSPEND, json!({ "id": id(&a), "r": "r".repeat(2001) })).await;
    assert_eq!(error_code(&r), Some("BAD_USER_INPUT"), "{r}");
    assert_eq!(error_message(&r), "reason: must be at most 2000 characters");
    assert_eq!(written(&app).await, before);
    let r = app.gql(Some(&acme.token), SUSPEND, json!({ "id": id(&a), "r": "r".repeat(2000) })).await;
    assert_eq!(r["data"]["suspendApp"]["status"], json!("SUSPENDED"), "{r}");
}

#[tokio::test]
async fn list_apps_filters_by_vendor_status_and_subquery_and_pages_by_id() {
    let app = spawn_app().await;
    let acme = vendor(&app, "Acme").await;
    let rival = vendor(&app, "Rival").await;
    let mut mine = Vec::new();
    for _ in 0..3 {
        mine.push(id(&register(&app, &acme.token, patient_public_app()).await.0));
    }
    let theirs = id(&register(&app, &rival.token, patient_public_app()).await.0);
    app.gql(Some(&acme.token), SUSPEND, json!({ "id": mine[1], "r": "paused" })).await;

    let page = |first, after: Option<&String>| PageRequest { limit: first, after: after.cloned() };
    let acme_only = AppFilter { vendor_tenant_id: Some(acme.tenant_id.clone()), ..AppFilter::default() };
    let p1 = accord_registry::list_apps(app.db(), &acme_only, &page(2, None)).await.unwrap();
    assert_eq!((p1.total, p1.has_next), (3, true));
    assert_eq!(p1.items.iter().map(|a| a.id.clone()).collect::<Vec<_>>(), mine[..2]);
    let p2 = accord_registry::list_apps(app.db(), &acme_only, &page(2, Some(&p1.items[1].id))).await.unwrap();
    assert_eq!((p2.items.len(), p2.has_next, p2.items[0].id.clone()), (1, false, mine[2].clone()));

    let suspended = AppFilter { status: Some(AppStatus::Suspended), ..acme_only.clone() };
    let s = accord_registry::list_apps(app.db(), &suspended, &page(10, None)).await.unwrap();
    assert_eq!((s.total, s.items[0].id.clone()), (1, mine[1].clone()));

    let sub = Query::select()
        .column(Alias::new("id"))
        .from(Alias::new("apps"))
        .and_where(sea_orm::sea_query::Expr::col(Alias::new("id")).is_in([theirs.clone(), mine[0].clone()]))
        .to_owned();
    let by_sub = AppFilter { ids_in: Some(sub), ..AppFilter::default() };
    let found = accord_registry::list_apps(app.db(), &by_sub, &page(10, None)).await.unwrap();
    assert_eq!(found.items.iter().map(|a| a.id.clone()).collect::<Vec<_>>(), [mine[0].clone(), theirs.clone()]);

    let both = accord_registry::apps_by_ids(app.db(), &[mine[0].clone(), theirs.clone(), accord_kernel::new_id()]).await.unwrap();
    assert_eq!(both.len(), 2);
}
