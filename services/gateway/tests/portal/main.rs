//! The approver portal (SPEC §10), end to end: the embedded pages with their headers, and the
//! browser suite in `frontend/e2e` (Playwright in the system Chromium) against a real
//! `accord serve` on a fresh database — SQLite, or PostgreSQL + Redis when configured.
//! Skipped, saying `SKIPPED`, when the portal was not built (no npm at build time) or Chromium
//! or the frontend's node_modules are missing — unless `ACCORD_TEST_REQUIRE_SERVICES=1`, where
//! that fails.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use accord_gateway::http::portal::{CONTENT_SECURITY_POLICY, PAGES};
use accord_gateway::testing::{services_required, spawn_app};
use accord_testkit::fresh_settings;
use secrecy::ExposeSecret;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

fn frontend() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../frontend")
}

/// Whether a prerequisite is here; when it is not, skip (or fail where CI demands it).
fn present(ok: bool, what: &str) -> bool {
    if !ok {
        assert!(!services_required(), "ACCORD_TEST_REQUIRE_SERVICES=1 but {what}");
        eprintln!("SKIPPED: {what}");
    }
    ok
}

#[tokio::test]
async fn every_portal_page_is_the_app_with_a_strict_policy_and_hashed_assets_are_cached_for_good() {
    if !present(frontend().join("dist/index.html").exists(), "the portal is not built (frontend/dist/index.html is missing)") {
        return;
    }
    let app = spawn_app().await;
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let mut index = String::new();
    for pattern in PAGES {
        let path = pattern.replace("{id}", "0195f0c4-1c2d-7000-8000-000000000001").replace("{page}", "policy");
        let res = client.get(format!("{}{path}", app.address)).send().await.unwrap();
        assert_eq!(res.status().as_u16(), 200, "{path}");
        let h = res.headers();
        assert_eq!(h["content-type"], "text/html; charset=utf-8", "{path}");
        assert_eq!(h["content-security-policy"], CONTENT_SECURITY_POLICY, "{path}");
        assert_eq!(h["x-frame-options"], "DENY", "{path}");
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["cache-control"], "no-cache", "{path}: index.html revalidates so a release is seen at once");
        index = res.text().await.unwrap();
        assert!(index.contains("<div id=\"root\"></div>"), "{path}: {index}");
    }
    // No inline script: the one script is a hashed file from this origin.
    assert!(!index.contains("<script>") && !index.contains("<script type=\"module\">"), "{index}");
    let script = index.split("src=\"/assets/").nth(1).and_then(|s| s.split('"').next()).expect("a hashed script in index.html");
    let url = format!("{}/assets/{script}", app.address);
    let res = client.get(&url).header("accept-encoding", "gzip").send().await.unwrap();
    assert_eq!(res.status().as_u16(), 200);
    assert_eq!(res.headers()["cache-control"], "public, max-age=31536000, immutable");
    assert_eq!(res.headers()["content-type"], "text/javascript; charset=utf-8");
    assert_eq!(res.headers()["content-encoding"], "gzip", "assets are compressed for browsers that accept it");
    let etag = res.headers()["etag"].to_str().unwrap().to_owned();
    let again = client.get(&url).header("if-none-match", &etag).send().await.unwrap();
    assert_eq!(again.status().as_u16(), 304, "a cached copy is confirmed without the body");

    // Paths that are not the portal's stay 404s: no page for scanners, no asset by guess.
    for path in ["/admin", "/assets/nope.js", "/requests/1/extra", "/.env", "/settings/webhooks/1/x"] {
        let res = client.get(format!("{}{path}", app.address)).send().await.unwrap();
        assert_eq!(res.status().as_u16(), 404, "{path}");
    }
}

/// `accord serve` as a process, killed on drop.
struct Server {
    child: Child,
    url: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test]
async fn the_portal_passes_its_browser_tests_in_chromium() {
    let chromium = std::env::var("ACCORD_E2E_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".to_owned());
    let playwright = frontend().join("node_modules/.bin/playwright");
    if !present(frontend().join("dist/index.html").exists(), "the portal is not built (frontend/dist/index.html is missing)")
        || !present(Path::new(&chromium).exists(), &format!("Chromium is not installed at {chromium} (Debian: apt-get install chromium)"))
        || !present(playwright.exists(), "frontend/node_modules is missing (npm ci in frontend/)")
    {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (settings, _) = fresh_settings(dir.path()).await;
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let url = format!("http://127.0.0.1:{port}");
    // The environment the server and the suite's `accord jobs run` calls share.
    let mut env: Vec<(&str, String)> = vec![
        ("ACCORD_DATA_DIR", settings.data_dir.display().to_string()),
        ("ACCORD_REDIS_PREFIX", settings.redis_prefix.clone()),
        ("ACCORD_SECRET_KEY", settings.secret_key.as_ref().unwrap().expose_secret().to_owned()),
        ("ACCORD_PUBLIC_URL", url.clone()),
        ("ACCORD_SIGNUP_KINDS", "DEVELOPER,PROVIDER,PAYER".to_owned()),
        ("ACCORD_WEBHOOK_ALLOW_PRIVATE", "true".to_owned()),
        ("RUST_LOG", "warn".to_owned()),
    ];
    if let Some(db) = &settings.database_url {
        env.push(("DATABASE_URL", db.expose_secret().to_owned()));
    }
    if let Some(redis) = &settings.redis_url {
        env.push(("REDIS_URL", redis.expose_secret().to_owned()));
    }
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_accord"));
    cmd.arg("serve").current_dir(dir.path()).env_clear().env("PATH", std::env::var("PATH").unwrap_or_default());
    cmd.envs(env.iter().map(|(k, v)| (*k, v))).env("ACCORD_BIND", format!("127.0.0.1:{port}"));
    let child = cmd.stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
    let server = Server { child, url };
    let client = reqwest::Client::new();
    let mut ready = false;
    // Waiting for a child process to come up is waiting for an external event.
    for _ in 0..300 {
        if client.get(format!("{}/readyz", server.url)).send().await.is_ok_and(|r| r.status().is_success()) {
            ready = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(ready, "accord serve did not become ready at {}", server.url);

    let artifacts = frontend().join("e2e/artifacts");
    let _ = std::fs::remove_dir_all(&artifacts);
    let server_env: serde_json::Map<String, serde_json::Value> = env.iter().map(|(k, v)| ((*k).to_owned(), v.clone().into())).collect();
    let mut suite = Command::new(&playwright);
    suite
        .args(["test", "-c", "e2e/playwright.config.ts"])
        .current_dir(frontend())
        .env("ACCORD_E2E_BASE_URL", &server.url)
        .env("ACCORD_E2E_BIN", env!("CARGO_BIN_EXE_accord"))
        .env("ACCORD_E2E_SERVER_ENV", serde_json::Value::Object(server_env).to_string())
        .env("ACCORD_E2E_SERVER_DIR", dir.path())
        .env("ACCORD_E2E_CHROMIUM", &chromium)
        .env("CI", "true");
    let out = tokio::task::spawn_blocking(move || suite.output()).await.unwrap().expect("run playwright");
    let report = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    println!("{report}");
    assert!(out.status.success(), "the browser suite failed (artifacts in frontend/e2e/artifacts):\n{report}");
    let shots = std::fs::read_dir(artifacts.join("screenshots")).map(|d| d.count()).unwrap_or(0);
    assert!(shots >= 20, "a screenshot of each page is kept as an artifact: {shots} found");
    drop(server);
}
