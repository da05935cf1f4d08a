//! One in-process decision (`Enforcement::decide`: live-view lookup, coverage against the
//! grant, the access-log queue) with 1,000 clients in the view, on the embedded defaults.
//!
//! ```sh
//! cargo bench -p accord-gateway --bench decision -- --warm-up-time 1 --measurement-time 5
//! ```

#![allow(clippy::unwrap_used, clippy::expect_used)]

use accord_approvals::GrantRecord;
use accord_approvals::domain::GrantStatus;
use accord_enforcement::DecisionRequest;
use accord_enforcement::view::Client;
use accord_gateway::{Migrate, Services};
use accord_kernel::{Actor, Principal, Role, RoleSet, SystemClock, TenantKind};
use accord_registry::{AppKind, AppRecord, AppStatus};
use chrono::{Duration, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use secrecy::SecretString;
use std::hint::black_box;
use std::sync::Arc;

fn client(i: usize, holder: &str) -> Client {
    let now = Utc::now();
    let app = AppRecord {
        id: format!("app-{i}"),
        vendor_tenant_id: "vendor".into(),
        name: "Quality Robot".into(),
        description: None,
        kind: AppKind::BackendService,
        public: false,
        client_id: format!("acc_bench_{i}"),
        redirect_uris: vec![],
        launch_url: None,
        jwks_uri: None,
        jwks: None,
        purpose: "Quality measures".into(),
        business_owner_email: "biz@acme.example".into(),
        technical_owner_email: "tech@acme.example".into(),
        status: AppStatus::Active,
        status_reason: None,
        created_at: now,
        updated_at: now,
    };
    let grant = GrantRecord {
        id: format!("grant-{i}"),
        app_id: app.id.clone(),
        vendor_tenant_id: "vendor".into(),
        holder_tenant_id: holder.into(),
        request_id: format!("request-{i}"),
        scopes: vec!["system/Observation.rs".into(), "system/Patient.r".into()],
        granted_at: now,
        expires_at: now + Duration::days(365),
        status: GrantStatus::Active,
        status_reason: None,
        revoked_reason: None,
        revoked_at: None,
        last_reviewed_at: None,
        next_review_due: now + Duration::days(180),
        updated_at: now,
    };
    Client::new(app, &[grant])
}

fn decision(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut settings = accord_kernel::config::Settings::for_data_dir(dir.path());
    settings.secret_key = Some(SecretString::from("bench-secret-key-that-is-at-least-32-chars".to_owned()));
    let services = rt.block_on(Services::build(settings, Arc::new(SystemClock), Migrate::Yes)).unwrap();
    let enforcement = services.enforcement.clone();
    rt.block_on(async { enforcement.spawn_background() });
    enforcement.preload((0..1_000).map(|i| client(i, "holder")));
    let caller = Principal {
        tenant_id: "holder".into(),
        tenant_kind: TenantKind::Provider,
        user_id: "user".into(),
        roles: RoleSet::new([Role::Admin]),
        actor: Actor::System,
        session: None,
    };
    let ask: DecisionRequest =
        serde_json::from_value(serde_json::json!({ "clientId": "acc_bench_500", "scopes": ["system/Observation.rs"] })).unwrap();
    // The view is trusted once the change feed has been read.
    rt.block_on(async {
        while !enforcement.view().is_fresh() {
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
    });
    c.bench_function("decide: system/Observation.rs for one of 1,000 cached clients", |b| {
        b.to_async(&rt).iter(|| async { assert!(black_box(enforcement.decide(&caller, &ask).await.unwrap()).allowed) })
    });
}

criterion_group!(benches, decision);
criterion_main!(benches);
