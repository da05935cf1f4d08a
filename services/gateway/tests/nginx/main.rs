//! The NGINX config in `docs/nginx/accord-auth-request.conf`, run for real: NGINX guards a stub
//! FHIR server with `auth_request` to the real Accord server (SQLite, or PostgreSQL + Redis when
//! configured). Skipped when nginx is not installed, unless `ACCORD_TEST_REQUIRE_SERVICES=1`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[allow(dead_code)]
#[path = "../enforcement/world.rs"]
mod world;

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use serde_json::json;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::os::unix::fs::MetadataExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use world::world;

/// What the stub FHIR server saw: `(method, path, X-Accord-Client-Id)`.
type Seen = Arc<Mutex<Vec<(String, String, String)>>>;

/// A FHIR server that answers every request with 200 and a small JSON, and records it.
fn stub_fhir_server() -> (SocketAddr, Seen) {
    let seen: Seen = Arc::default();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let data = web::Data::new(seen.clone());
    let server = HttpServer::new(move || {
        App::new().app_data(data.clone()).default_service(web::to(|req: HttpRequest, seen: web::Data<Seen>| async move {
            let client = req.headers().get("x-accord-client-id").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
            seen.lock().unwrap().push((req.method().to_string(), req.path().to_owned(), client));
            HttpResponse::Ok().content_type("application/fhir+json").body(r#"{"resourceType":"Observation","id":"1"}"#)
        }))
    })
    .workers(1)
    .listen(listener)
    .unwrap()
    .run();
    tokio::spawn(server);
    (addr, seen)
}

fn nginx_binary() -> Option<PathBuf> {
    let installed = Path::new("/usr/sbin/nginx");
    if installed.exists() {
        return Some(installed.to_path_buf());
    }
    std::env::var_os("PATH").and_then(|paths| std::env::split_paths(&paths).map(|d| d.join("nginx")).find(|p| p.is_file()))
}

/// An nginx master process, stopped (with its workers) on drop.
struct Nginx {
    binary: PathBuf,
    child: Child,
    dir: tempfile::TempDir,
    port: u16,
}

impl Drop for Nginx {
    fn drop(&mut self) {
        // `-s stop` (SIGTERM to the master in the pid file) stops the workers too; a SIGKILL to
        // the master alone would leave them running. SIGKILL only if it does not stop in time.
        let conf = self.dir.path().join("nginx.conf");
        let _ = Command::new(&self.binary)
            .arg("-p")
            .arg(self.dir.path())
            .arg("-c")
            .arg(conf)
            .args(["-s", "stop"])
            .stderr(Stdio::null())
            .status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Nginx {
    fn error_log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("error.log")).unwrap_or_default()
    }
}

/// Renders the documented config with these values and starts nginx on a free port; returns
/// once it accepts connections.
async fn start_nginx(binary: &Path, accord: &str, slug: &str, fhir: SocketAddr) -> Nginx {
    let dir = tempfile::tempdir().unwrap();
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let template =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/nginx/accord-auth-request.conf")).unwrap();
    let site = template
        .replace("__ACCORD__", accord)
        .replace("__SLUG__", slug)
        .replace("__FHIR_UPSTREAM__", &fhir.to_string())
        .replace("__LISTEN__", &format!("127.0.0.1:{port}"));
    assert!(!site.contains("__"), "a placeholder is left in the rendered config:\n{site}");
    let p = dir.path().display();
    // Workers run as `nobody` unless told otherwise; they could not enter a root-owned
    // tempdir, so a root run keeps them root.
    let user = if std::fs::metadata(dir.path()).unwrap().uid() == 0 { "user root;" } else { "" };
    let conf = format!(
        "{user}\ndaemon off;\nworker_processes 1;\npid {p}/nginx.pid;\nerror_log {p}/error.log info;\nevents {{}}\n\
         http {{\n  access_log off;\n  client_body_temp_path {p}/client_body;\n  proxy_temp_path {p}/proxy;\n  \
         fastcgi_temp_path {p}/fastcgi;\n  uwsgi_temp_path {p}/uwsgi;\n  scgi_temp_path {p}/scgi;\n{site}\n}}\n"
    );
    std::fs::write(dir.path().join("nginx.conf"), conf).unwrap();
    let child = Command::new(binary)
        .arg("-p")
        .arg(dir.path())
        .arg("-c")
        .arg(dir.path().join("nginx.conf"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut nginx = Nginx { binary: binary.to_path_buf(), child, dir, port };
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        if let Ok(Some(status)) = nginx.child.try_wait() {
            panic!("nginx exited with {status}:\n{}", nginx.error_log());
        }
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return nginx;
        }
        assert!(Instant::now() < deadline, "nginx did not listen on {port} in time:\n{}", nginx.error_log());
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn nginx_in_front_of_a_fhir_server_passes_a_granted_read_refuses_an_ungranted_write_and_a_missing_token() {
    let Some(binary) = nginx_binary() else {
        assert!(!accord_gateway::testing::services_required(), "ACCORD_TEST_REQUIRE_SERVICES=1 but nginx is not installed");
        eprintln!(
            "SKIPPED nginx_in_front_of_a_fhir_server_passes_a_granted_read_refuses_an_ungranted_write_and_a_missing_token: nginx is not installed"
        );
        return;
    };
    let w = world().await;
    let (fhir, seen) = stub_fhir_server();
    let nginx = start_nginx(&binary, &w.app.address, &w.slug, fhir).await;
    let url = |path: &str| format!("http://127.0.0.1:{}{path}", nginx.port);
    let client = &w.app.client;
    let token = w.access_token("system/Observation.rs system/Patient.r").await;
    let h = |r: &reqwest::Response, n: &str| r.headers().get(n).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();

    let r = client.get(url("/fhir/Observation/1")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200, "a granted read: {}", nginx.error_log());
    assert_eq!(r.text().await.unwrap(), r#"{"resourceType":"Observation","id":"1"}"#, "the FHIR server's answer");
    assert_eq!(
        seen.lock().unwrap().clone(),
        [("GET".to_owned(), "/fhir/Observation/1".to_owned(), w.client_id.clone())],
        "the FHIR server saw the read, with the client named"
    );

    let r = client.post(url("/fhir/Observation")).bearer_auth(&token).json(&json!({ "resourceType": "Observation" })).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 403, "a write the grant does not cover");
    assert_eq!(h(&r, "x-accord-reason"), "create on Observation is not granted");
    assert_eq!(h(&r, "www-authenticate"), r#"Bearer error="insufficient_scope""#);
    assert_eq!(r.headers().get_all("www-authenticate").iter().count(), 1, "once");
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!((body["resourceType"].as_str(), body["issue"][0]["code"].as_str()), (Some("OperationOutcome"), Some("forbidden")));

    let r = client.get(url("/fhir/Observation/1")).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 401, "no token");
    assert_eq!(h(&r, "www-authenticate"), r#"Bearer error="invalid_token""#, "Accord's challenge reaches the client");
    assert_eq!(r.headers().get_all("www-authenticate").iter().count(), 1, "once");
    assert_eq!(h(&r, "x-accord-reason"), "no bearer token");
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!((body["resourceType"].as_str(), body["issue"][0]["code"].as_str()), (Some("OperationOutcome"), Some("login")));

    let r = client.get(url("/fhir/Observation/1")).header("X-Accord-Client-Id", "someone-else").bearer_auth(&token).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(seen.lock().unwrap().last().unwrap().2, w.client_id, "a client cannot name itself to the FHIR server");

    let r = w
        .gql(&w.approver1, "mutation($id: ID!) { revokeGrant(id: $id, reason: \"breach\") { status } }", json!({ "id": w.grant_id }))
        .await;
    assert_eq!(r["data"]["revokeGrant"]["status"], "REVOKED", "{r}");
    let r = client.get(url("/fhir/Observation/1")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 403, "the same read once the grant is revoked");
    assert_eq!(h(&r, "x-accord-reason"), "no live grant");

    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 2, "the FHIR server saw only the two granted reads: {seen:?}");
    assert!(seen.iter().all(|(m, p, _)| m == "GET" && p == "/fhir/Observation/1"), "{seen:?}");
}
