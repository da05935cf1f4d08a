//! Load program (not part of the server): the notifications relay's throughput, end to end.
//! It writes 10,000 outbox events a vendor's webhook endpoint subscribes to and measures how
//! fast one relay (`run_once`: fan-out, signing, posting, settling) delivers them to a real
//! HTTP receiver on loopback; then 10,000 events that each mail one person, through lettre
//! to a real SMTP server on loopback. Both servers are the test kit's; every delivery is
//! counted at the receiver, and any shortfall exits 1.
//!
//! ```sh
//! # SQLite default (a fresh data dir in a temp folder)
//! cargo run --release -p accord-gateway --example notify_load
//! # PostgreSQL (a fresh database, dropped afterwards)
//! ACCORD_BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres \
//!   cargo run --release -p accord-gateway --example notify_load
//! ```
//!
//! `ACCORD_NOTIFY_EVENTS` (default 10000) sizes the run.

// A load program reports on stdout.
#![allow(clippy::print_stdout)]

use accord_db::events::EventType;
use accord_db::outbox::{NewEvent, enqueue};
use accord_gateway::services::{Migrate, Services};
use accord_kernel::config::Settings;
use accord_kernel::{Actor, SystemClock, TenantKind};
use accord_notifications::EndpointInput;
use accord_testkit::smtp_sink::SmtpSink;
use accord_testkit::webhook_receiver::WebhookReceiver;
use anyhow::{Context as _, anyhow, bail};
use sea_orm::{ConnectionTrait, Database};
use secrecy::SecretString;
use serde_json::json;
use std::sync::Arc;
use std::time::{Duration, Instant};

const PASSWORD: &str = "correct horse battery";

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let n: usize = env("ACCORD_NOTIFY_EVENTS").map_or(Ok(10_000), |v| v.parse()).context("ACCORD_NOTIFY_EVENTS")?;
    let receiver = WebhookReceiver::start().await?;
    let sink = SmtpSink::start().await?;
    let dir = tempfile::tempdir()?;
    let mut settings = Settings::for_data_dir(dir.path());
    settings.secret_key = Some(SecretString::from("load-test-secret-key-that-is-long-enough".to_owned()));
    settings.log_filter = env("RUST_LOG").unwrap_or_else(|| "warn".into());
    settings.webhook_allow_private = true;
    settings.smtp_url = Some(SecretString::from(sink.url()));
    let mut pg = None;
    if let Some(base) = env("ACCORD_BENCH_POSTGRES_URL") {
        let admin = Database::connect(&base).await.context("connect to ACCORD_BENCH_POSTGRES_URL")?;
        let name = format!("accord_bench_{}", uuid::Uuid::new_v4().simple());
        admin.execute_unprepared(&format!("CREATE DATABASE \"{name}\"")).await?;
        let (prefix, _) = base.rsplit_once('/').context("ACCORD_BENCH_POSTGRES_URL must end in /<database>")?;
        settings.database_url = Some(SecretString::from(format!("{prefix}/{name}")));
        pg = Some((admin, name));
    }
    let backend = if pg.is_some() { "PostgreSQL" } else { "SQLite (embedded default)" };
    let _telemetry = accord_kernel::telemetry::init(&settings);
    let services = Services::build(settings, Arc::new(SystemClock), Migrate::Yes).await?;
    let result = run(&services, &receiver, &sink, n, backend).await;
    if let Some((admin, name)) = pg {
        services.db.clone().close().await.ok();
        admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")).await?;
    }
    result
}

async fn tenant(services: &Services, name: &str, kind: TenantKind) -> anyhow::Result<(String, String)> {
    let email = format!("admin.{}@load.example", uuid::Uuid::new_v4().simple());
    let input = accord_tenants::NewTenant {
        name: name.into(),
        kind,
        admin_name: "Admin".into(),
        admin_email: email.clone(),
        admin_password: PASSWORD.into(),
    };
    let (t, _) = services.tenants.create_tenant(input, &Actor::System, "tenant.created").await.map_err(|e| anyhow!("{e}"))?;
    Ok((t.id, email))
}

/// Writes `n` events in transactions of 1,000.
async fn write_events(services: &Services, n: usize, event: impl Fn(usize) -> NewEvent) -> anyhow::Result<()> {
    for chunk in (0..n).collect::<Vec<_>>().chunks(1000) {
        let tx = accord_db::begin(&services.db).await?;
        for i in chunk {
            enqueue(&tx, services.clock.now(), event(*i)).await?;
        }
        tx.commit().await?;
    }
    Ok(())
}

async fn run(services: &Services, receiver: &WebhookReceiver, sink: &SmtpSink, n: usize, backend: &str) -> anyhow::Result<()> {
    let (vendor, vendor_email) = tenant(services, "Load Vendor", TenantKind::Developer).await?;
    let (holder, _) = tenant(services, "Load Hospital", TenantKind::Provider).await?;
    let session = services.tenants.login(&vendor_email, PASSWORD, None).await.map_err(|e| anyhow!("{e}"))?;
    let admin = services.tenants.authenticate(&session.token).await.map_err(|e| anyhow!("{e}"))?;
    let input = EndpointInput { url: receiver.url("/bench"), event_types: vec!["app.updated".into()], description: None, enabled: None };
    services.notifications.create_endpoint(&admin, &input).await.map_err(|e| anyhow!("{e}"))?;

    // Webhooks: one delivery per event to one loopback receiver.
    write_events(services, n, |i| NewEvent {
        event_type: EventType::AppUpdated,
        tenant_ids: vec![vendor.clone()],
        data: json!({ "app": { "id": format!("app-{i}"), "name": format!("Load App {i}") }, "actor": "system", "reason": null }),
    })
    .await?;
    let started = Instant::now();
    let report = services.notifications.run_once(services.clock.now()).await.map_err(|e| anyhow!("{e}"))?;
    let took = started.elapsed();
    let received = receiver.wait_for(n, Duration::from_secs(5)).await.len();
    if received != n || report.delivered != n {
        bail!("webhooks: {received} received, {} delivered of {n}", report.delivered);
    }
    let webhooks_per_s = n as f64 / took.as_secs_f64();

    // Mail: one recipient per event (the holder has one admin and no endpoint).
    write_events(services, n, |i| NewEvent {
        event_type: EventType::AccessRequestCreated,
        tenant_ids: vec![holder.clone()],
        data: json!({
            "accessRequest": { "id": format!("req-{i}"), "proposedScopes": ["patient/Observation.rs"], "durationDays": 30, "risk": "LOW" },
            "app": { "id": "app", "name": "Load App" }, "dataHolder": { "id": holder }, "vendor": { "id": vendor }, "actor": "system", "reason": null,
        }),
    })
    .await?;
    let started = Instant::now();
    let report = services.notifications.run_once(services.clock.now()).await.map_err(|e| anyhow!("{e}"))?;
    let took_mail = started.elapsed();
    let mails = sink.wait_for(n, Duration::from_secs(5)).await.len();
    if mails != n || report.mails != n {
        bail!("mail: {mails} received, {} sent of {n}", report.mails);
    }
    let mails_per_s = n as f64 / took_mail.as_secs_f64();

    println!("backend: {backend}");
    println!("webhooks: {n} events -> {received} signed POSTs delivered in {:.2} s = {webhooks_per_s:.0} webhooks/s", took.as_secs_f64());
    println!("mail:     {n} events -> {mails} SMTP messages accepted in {:.2} s = {mails_per_s:.0} mails/s", took_mail.as_secs_f64());
    Ok(())
}
