//! The SSRF guard: private and loopback URLs refused without ACCORD_WEBHOOK_ALLOW_PRIVATE, and a
//! name that re-points to loopback after creation (DNS rebinding) is not called.

use crate::*;
use accord_gateway::testing::spawn_app_with;
use accord_notifications::ssrf::HostResolver;
use futures::future::BoxFuture;
use std::net::IpAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

#[tokio::test]
async fn a_private_loopback_link_local_or_plain_http_url_is_refused_without_the_flag() {
    let app = spawn_app_with(|s| s.webhook_allow_private = false).await;
    let (admin, _) = app.sign_up("Careful Vendor", "DEVELOPER", &app.email("admin")).await;
    for url in [
        "https://127.0.0.1/hook",
        "https://localhost:8443/hook",
        "https://10.0.0.5/hook",
        "https://169.254.169.254/latest/meta-data",
        "https://[::1]/hook",
        "https://[fd00:ec2::254]/hook",
        "http://hooks.example.org/hook",
    ] {
        let r = app.gql(Some(&admin), CREATE, json!({ "i": { "url": url, "eventTypes": ["grant.revoked"] } })).await;
        assert_eq!(error_code(&r), Some("BAD_USER_INPUT"), "{url}: {r}");
        assert!(accord_gateway::testing::error_message(&r).starts_with("url:"), "{url}: {r}");
    }
    assert_eq!(app.count("webhook_endpoints").await, 0);
}

/// A resolver that answers a public address until told to answer loopback (DNS rebinding).
struct Rebinding(Arc<AtomicBool>);

impl HostResolver for Rebinding {
    fn resolve(&self, _host: String) -> BoxFuture<'static, std::io::Result<Vec<IpAddr>>> {
        let ip: IpAddr = if self.0.load(Ordering::SeqCst) { "127.0.0.1".parse().unwrap() } else { "93.184.216.34".parse().unwrap() };
        Box::pin(async move { Ok(vec![ip]) })
    }
}

#[tokio::test]
async fn a_host_that_resolves_to_loopback_at_send_time_is_not_called() {
    let receiver = WebhookReceiver::start().await.unwrap();
    let app = spawn_app_with(|s| s.webhook_allow_private = false).await;
    let (admin, _) = app.sign_up("Rebinding Vendor", "DEVELOPER", &app.email("admin")).await;
    let rebound = Arc::new(AtomicBool::new(false));
    let notifications = app.state.notifications.clone().with_resolver(Arc::new(Rebinding(rebound.clone()))).unwrap();
    let principal = app.state.tenants.authenticate(&admin).await.unwrap();
    let url = format!("https://hooks.rebind.example:{}/hook", receiver.port());
    let input = accord_notifications::EndpointInput { url, event_types: vec!["app.registered".into()], description: None, enabled: None };
    notifications.create_endpoint(&principal, &input).await.expect("a public address at creation is accepted");

    rebound.store(true, Ordering::SeqCst);
    crate::world::register_app(&app, &admin, "Rebound").await;
    let report = notifications.run_once(app.clock.now()).await.unwrap();
    assert_eq!((report.attempts, report.delivered), (1, 0));
    assert_eq!(receiver.connections(), 0, "no connection was even opened to the loopback address");
    let r = app.gql(Some(&admin), DELIVERIES, json!({})).await;
    let d = &r["data"]["deliveries"]["edges"][0]["node"];
    assert_eq!(d["status"], "PENDING");
    let err = d["lastError"].as_str().unwrap();
    assert!(err.starts_with("refused:") && err.contains("127.0.0.1"), "{err}");
}
