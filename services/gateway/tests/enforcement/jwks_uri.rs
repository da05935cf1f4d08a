//! Keys registered as a `jwksUri`: fetched over TLS (a real `openssl s_server` with a CA of
//! this test's own), honoured as `jku` when it is exactly the registered URL, and never fetched
//! from a private address unless private addresses are allowed (the SSRF guard of webhooks).

use crate::world::{World, backend_app, ec_key, header, world_with};
use jsonwebtoken::Algorithm;
use serde_json::json;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

struct TlsServer {
    child: Child,
    port: u16,
    _dir: tempfile::TempDir,
    ca: Vec<u8>,
}

impl Drop for TlsServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl").current_dir(dir).args(args).output().expect("openssl is installed");
    assert!(out.status.success(), "openssl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

/// Whether the `openssl` command is here (CI installs it; elsewhere the TLS tests skip).
fn have_openssl(test: &str) -> bool {
    let here = Command::new("openssl").arg("version").output().is_ok_and(|o| o.status.success());
    if !here {
        assert!(!accord_gateway::testing::services_required(), "ACCORD_TEST_REQUIRE_SERVICES=1 but the openssl command is missing");
        eprintln!("SKIPPED {test}: the openssl command is not installed");
    }
    here
}

/// `openssl s_server -WWW` serving `jwks.json` from a temporary directory over TLS, with a
/// certificate for 127.0.0.1 signed by a throwaway CA.
async fn serve_jwks(jwks: &serde_json::Value) -> TlsServer {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    openssl(
        d,
        &[
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-keyout",
            "ca.key",
            "-out",
            "ca.pem",
            "-days",
            "1",
            "-subj",
            "/CN=Accord test CA",
        ],
    );
    openssl(
        d,
        &[
            "req",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-keyout",
            "server.key",
            "-out",
            "server.csr",
            "-subj",
            "/CN=127.0.0.1",
        ],
    );
    std::fs::write(
        d.join("san.ext"),
        "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    openssl(
        d,
        &[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "server.pem",
            "-days",
            "1",
            "-extfile",
            "san.ext",
        ],
    );
    std::fs::write(d.join("jwks.json"), jwks.to_string()).unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let child = Command::new("openssl")
        .current_dir(d)
        .args(["s_server", "-quiet", "-accept", &format!("127.0.0.1:{port}"), "-cert", "server.pem", "-key", "server.key", "-WWW"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let ca = std::fs::read(d.join("ca.pem")).unwrap();
    // Owned from here on, so a failed start is killed and reaped too.
    let server = TlsServer { child, port, _dir: dir, ca };
    // Waiting for a child process to listen is waiting for an external event.
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
            return server;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("openssl s_server did not listen");
}

async fn token(w: &World, assertion: &str) -> (u16, serde_json::Value) {
    w.token_with(assertion, "system/Observation.rs").await
}

#[tokio::test]
async fn keys_at_a_registered_jwks_uri_are_fetched_over_tls_and_jku_must_be_that_uri() {
    if !have_openssl("keys_at_a_registered_jwks_uri_are_fetched_over_tls_and_jku_must_be_that_uri") {
        return;
    }
    let w = world_with(|s| s.webhook_allow_private = true).await;
    let key = ec_key("uri-key");
    let server = serve_jwks(&json!({ "keys": [key.jwk.clone()] })).await;
    w.app.state.enforcement.trust_jwks_ca(&server.ca).unwrap();
    let uri = format!("https://127.0.0.1:{}/jwks.json", server.port);
    let (app_id, client_id) = backend_app(&w.app, &w.vendor_admin, "Remote Keys Robot", None, Some(&uri)).await;
    w.grant(&app_id, &["system/Observation.rs"]).await;

    let a = crate::world::sign_es(&key, "uri-key", &w.claims(&client_id));
    let (s, b) = token(&w, &a).await;
    assert_eq!(s, 200, "{b}");

    let mut h = header(Algorithm::ES384, "uri-key");
    h.jku = Some(uri.clone());
    let with_jku = jsonwebtoken::encode(&h, &w.claims(&client_id), &key.encoding).unwrap();
    assert_eq!(token(&w, &with_jku).await.0, 200, "jku equal to the registered jwksUri is honoured");
    h.jku = Some(format!("{uri}?other"));
    let other_jku = jsonwebtoken::encode(&h, &w.claims(&client_id), &key.encoding).unwrap();
    assert_eq!(token(&w, &other_jku).await.1["error"], "invalid_client");

    let stranger = ec_key("uri-key");
    let forged = crate::world::sign_es(&stranger, "uri-key", &w.claims(&client_id));
    assert_eq!(token(&w, &forged).await.1["error"], "invalid_client", "another key under the published kid");
}

#[tokio::test]
async fn a_jwks_uri_on_a_private_address_is_never_fetched_without_the_development_flag() {
    if !have_openssl("a_jwks_uri_on_a_private_address_is_never_fetched_without_the_development_flag") {
        return;
    }
    let w = world_with(|s| s.webhook_allow_private = false).await;
    let key = ec_key("uri-key");
    let server = serve_jwks(&json!({ "keys": [key.jwk.clone()] })).await;
    w.app.state.enforcement.trust_jwks_ca(&server.ca).unwrap();
    let uri = format!("https://127.0.0.1:{}/jwks.json", server.port);
    let (app_id, client_id) = backend_app(&w.app, &w.vendor_admin, "Loopback Robot", None, Some(&uri)).await;
    w.grant(&app_id, &["system/Observation.rs"]).await;
    let (s, b) = token(&w, &crate::world::sign_es(&key, "uri-key", &w.claims(&client_id))).await;
    assert_eq!((s, b["error"].as_str()), (401, Some("invalid_client")), "{b}");
    assert!(b["error_description"].as_str().unwrap().contains("jwksUri"), "{b}");
}
