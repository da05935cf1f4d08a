//! The test harness (dev-dependency only). [`spawn_app`] starts the real server on port 0 with
//! its own world: a fresh SQLite file by default; a brand-new PostgreSQL database and a fresh
//! Redis key prefix when `ACCORD_TEST_POSTGRES_URL` and `ACCORD_TEST_REDIS_URL` are set. With
//! `ACCORD_TEST_REQUIRE_SERVICES=1` (CI), a run without them fails instead of falling back.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use accord_gateway::{AppState, Application};
use accord_kernel::FixedClock;
use accord_kernel::config::Settings;
use sea_orm::{ConnectionTrait, Database};
use secrecy::SecretString;
use serde_json::{Value, json};
use std::sync::Arc;

/// Which backends a test world runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backends {
    /// SQLite and the in-process store.
    Embedded,
    /// PostgreSQL and Redis.
    Services,
}

/// A running server and handles into its world.
pub struct TestApp {
    /// `http://127.0.0.1:<port>`.
    pub address: String,
    /// `http://127.0.0.1:<port>` of the separate metrics listener, when `metrics_bind` is set.
    pub metrics_address: Option<String>,
    /// An HTTP client.
    pub client: reqwest::Client,
    /// The server's state (database, store, services).
    pub state: AppState,
    /// The clock the server reads; move it instead of sleeping.
    pub clock: Arc<FixedClock>,
    /// The settings the server was built from.
    pub settings: Settings,
    /// Which backends this world uses.
    pub backends: Backends,
    _dir: Arc<tempfile::TempDir>,
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// Whether CI demands the PostgreSQL + Redis variant.
#[must_use]
pub fn services_required() -> bool {
    env("ACCORD_TEST_REQUIRE_SERVICES").is_some_and(|v| v == "1" || v == "true")
}

/// The Redis URL for tests, if configured.
#[must_use]
pub fn redis_url() -> Option<String> {
    let url = env("ACCORD_TEST_REDIS_URL");
    assert!(url.is_some() || !services_required(), "ACCORD_TEST_REQUIRE_SERVICES=1 but ACCORD_TEST_REDIS_URL is not set");
    url
}

/// A fresh, empty PostgreSQL database; returns its URL.
///
/// # Panics
/// When PostgreSQL cannot be reached (a test setup failure).
pub async fn fresh_postgres(base: &str) -> String {
    let admin = Database::connect(base).await.expect("connect to ACCORD_TEST_POSTGRES_URL");
    let name = format!("accord_test_{}", uuid::Uuid::new_v4().simple());
    admin.execute_unprepared(&format!("CREATE DATABASE \"{name}\"")).await.expect("create test database");
    admin.close().await.ok();
    let (prefix, _) = base.rsplit_once('/').expect("ACCORD_TEST_POSTGRES_URL must end in /<database>");
    format!("{prefix}/{name}")
}

/// Settings for a fresh world (without starting anything).
///
/// # Panics
/// On setup failure.
pub async fn fresh_settings(dir: &std::path::Path) -> (Settings, Backends) {
    let mut s = Settings::for_data_dir(dir);
    s.bind = "127.0.0.1:0".into();
    s.secret_key = Some(SecretString::from("test-secret-key-that-is-at-least-32-chars".to_owned()));
    s.log_filter = env("TEST_LOG").map_or_else(|| "off".to_owned(), |_| "info".to_owned());
    let pg = env("ACCORD_TEST_POSTGRES_URL");
    assert!(pg.is_some() || !services_required(), "ACCORD_TEST_REQUIRE_SERVICES=1 but ACCORD_TEST_POSTGRES_URL is not set");
    let redis = redis_url();
    let backends = if pg.is_some() || redis.is_some() { Backends::Services } else { Backends::Embedded };
    if let Some(base) = pg {
        s.database_url = Some(SecretString::from(fresh_postgres(&base).await));
    }
    if let Some(r) = redis {
        s.redis_url = Some(SecretString::from(r));
        s.redis_prefix = format!("accord_test:{}:", uuid::Uuid::new_v4().simple());
    }
    (s, backends)
}

/// Starts a server in a fresh world.
///
/// # Panics
/// On setup failure.
pub async fn spawn_app() -> TestApp {
    let dir = Arc::new(tempfile::tempdir().expect("temp dir"));
    let (settings, backends) = fresh_settings(dir.path()).await;
    start(settings, backends, dir, None).await
}

/// Starts a server in a fresh world whose settings `change` adjusts first (e.g. a trusted proxy
/// or a metrics listener).
///
/// # Panics
/// On setup failure.
pub async fn spawn_app_with(change: impl FnOnce(&mut Settings)) -> TestApp {
    let dir = Arc::new(tempfile::tempdir().expect("temp dir"));
    let (mut settings, backends) = fresh_settings(dir.path()).await;
    change(&mut settings);
    start(settings, backends, dir, None).await
}

async fn start(settings: Settings, backends: Backends, dir: Arc<tempfile::TempDir>, clock: Option<Arc<FixedClock>>) -> TestApp {
    accord_kernel::telemetry::init(&settings);
    let clock = clock.unwrap_or_else(|| Arc::new(FixedClock::new(chrono::Utc::now())));
    let app = Application::build(settings.clone(), clock.clone()).await.expect("build app");
    let address = format!("http://127.0.0.1:{}", app.port());
    let metrics_address = app.metrics_port().map(|port| format!("http://127.0.0.1:{port}"));
    let state = app.state().clone();
    tokio::spawn(app.run_until_stopped());
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
    TestApp { address, metrics_address, client, state, clock, settings, backends, _dir: dir }
}

impl TestApp {
    /// A second server on the same database and Redis prefix (another replica), with its own
    /// in-process state and clock.
    pub async fn sibling(&self) -> TestApp {
        start(self.settings.clone(), self.backends, self._dir.clone(), Some(self.clock.clone())).await
    }

    /// The database.
    #[must_use]
    pub fn db(&self) -> &accord_db::Db {
        &self.state.db
    }

    /// Posts a GraphQL operation and returns the whole JSON response.
    ///
    /// # Panics
    /// When the server does not answer with JSON.
    pub async fn gql(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        self.gql_raw(token, query, variables).await.1
    }

    /// As [`TestApp::gql`], with the HTTP status.
    ///
    /// # Panics
    /// When the server does not answer with JSON.
    pub async fn gql_raw(&self, token: Option<&str>, query: &str, variables: Value) -> (u16, Value) {
        let mut req = self.client.post(format!("{}/graphql", self.address)).json(&json!({ "query": query, "variables": variables }));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let res = req.send().await.expect("request");
        let status = res.status().as_u16();
        (status, res.json().await.expect("json body"))
    }

    /// Signs up an organization (kind must be allowed) and returns `(token, user)`.
    ///
    /// # Panics
    /// When sign-up fails.
    pub async fn sign_up(&self, org: &str, kind: &str, email: &str) -> (String, Value) {
        let r = self
            .gql(
                None,
                "mutation($i: SignUpInput!) { signUp(input: $i) { token user { id email roles tenant { id kind } } } }",
                json!({ "i": { "organizationName": org, "kind": kind, "name": "Test Person", "email": email, "password": "correct horse battery" } }),
            )
            .await;
        let p = &r["data"]["signUp"];
        assert!(p.is_object(), "signUp failed: {r}");
        (p["token"].as_str().unwrap_or_default().to_owned(), p["user"].clone())
    }

    /// A unique email for this test.
    #[must_use]
    pub fn email(&self, who: &str) -> String {
        format!("{who}.{}@example.org", &uuid::Uuid::new_v4().simple().to_string()[..10])
    }

    /// Counts rows of a table.
    ///
    /// # Panics
    /// On database failure.
    pub async fn count(&self, table: &str) -> i64 {
        let backend = self.db().get_database_backend();
        let row = self
            .db()
            .query_one_raw(sea_orm::Statement::from_string(backend, format!("SELECT COUNT(*) AS n FROM {table}")))
            .await
            .expect("count")
            .expect("row");
        row.try_get::<i64>("", "n").expect("n")
    }
}

/// The `extensions.code` of the first error, if any.
#[must_use]
pub fn error_code(response: &Value) -> Option<&str> {
    response["errors"][0]["extensions"]["code"].as_str()
}

/// The message of the first error, if any.
#[must_use]
pub fn error_message(response: &Value) -> &str {
    response["errors"][0]["message"].as_str().unwrap_or_default()
}
