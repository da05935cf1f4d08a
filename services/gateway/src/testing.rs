//! The end-to-end test harness (feature `testing`; the gateway's own test binaries enable it).
//! [`spawn_app`] starts the real server on port 0 in a fresh world from the database-level test
//! kit (`accord_testkit`): a fresh SQLite file by default; a brand-new PostgreSQL database and a
//! fresh Redis key prefix when `ACCORD_TEST_POSTGRES_URL` and `ACCORD_TEST_REDIS_URL` are set.
//! It lives here, with the server, so the test kit needs nothing above `shared/`.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use crate::http::server::Application;
use crate::http::state::AppState;
use accord_kernel::FixedClock;
use accord_kernel::config::Settings;
pub use accord_testkit::{Backends, TempDir, fresh_postgres, fresh_settings, redis_url, services_required};
use sea_orm::ConnectionTrait as _;
use serde_json::{Value, json};
use std::sync::Arc;

/// The password of every person the harness creates.
pub const PASSWORD: &str = "correct horse battery";

/// Polls `check` every 20 ms until it holds; returns how long that took.
///
/// # Panics
/// When it does not hold within `limit` (a change not propagated in time).
pub async fn within(limit: std::time::Duration, mut check: impl AsyncFnMut() -> bool) -> std::time::Duration {
    let start = std::time::Instant::now();
    while start.elapsed() < limit {
        if check().await {
            return start.elapsed();
        }
        // Waiting for another replica to follow the change feed is waiting for an external event.
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("not in force within {limit:?}");
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
    _dir: Arc<TempDir>,
}

/// Starts a server in a fresh world.
///
/// # Panics
/// On setup failure.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// Starts a server in a fresh world whose settings `change` adjusts first (e.g. a trusted proxy
/// or a metrics listener).
///
/// # Panics
/// On setup failure.
pub async fn spawn_app_with(change: impl FnOnce(&mut Settings)) -> TestApp {
    let mut world = accord_testkit::fresh_world().await;
    change(&mut world.settings);
    start(world.settings, world.backends, world.dir, None).await
}

async fn start(settings: Settings, backends: Backends, dir: Arc<TempDir>, clock: Option<Arc<FixedClock>>) -> TestApp {
    // Tests export no traces: the guard holds nothing.
    drop(accord_kernel::telemetry::init(&settings));
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

    /// Logs in with [`PASSWORD`] and returns the session token.
    ///
    /// # Panics
    /// When login fails.
    pub async fn login(&self, email: &str) -> String {
        let r = self
            .gql(
                None,
                "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }",
                json!({ "e": email, "p": PASSWORD }),
            )
            .await;
        r["data"]["login"]["token"].as_str().unwrap_or_else(|| panic!("login failed: {r}")).to_owned()
    }

    /// Invites a new person with `role` as `admin` and accepts for them (password
    /// [`PASSWORD`]); returns their session token.
    ///
    /// # Panics
    /// When the invitation or its acceptance fails.
    pub async fn invite(&self, admin: &str, role: &str) -> String {
        let email = self.email(&role.to_lowercase());
        let inv = self
            .gql(
                Some(admin),
                "mutation($e: String!, $r: [Role!]!) { inviteUser(email: $e, roles: $r) { token } }",
                json!({ "e": email, "r": [role] }),
            )
            .await;
        let token = inv["data"]["inviteUser"]["token"].as_str().unwrap_or_else(|| panic!("{inv}")).to_owned();
        let acc = self
            .gql(
                None,
                "mutation($t: String!, $p: String!) { acceptInvitation(token: $t, name: \"Person\", password: $p) { token } }",
                json!({ "t": token, "p": PASSWORD }),
            )
            .await;
        acc["data"]["acceptInvitation"]["token"].as_str().unwrap_or_else(|| panic!("{acc}")).to_owned()
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

/// Copies one grant (and its app) `n` times with new ids, in multi-row statements: a quick way
/// to put thousands of grants in a database for the scheduled-job tests and benchmarks. The
/// copies have the template's status, dates and scopes, each its own app (one live grant per
/// app and holder). Returns the new grant ids.
///
/// # Panics
/// On database failure.
pub async fn clone_grants(db: &accord_db::Db, template_grant: &str, n: usize) -> Vec<String> {
    let backend = db.get_database_backend();
    let app_id: String = db
        .query_one_raw(sea_orm::Statement::from_string(backend, format!("SELECT app_id FROM grants WHERE id = '{template_grant}'")))
        .await
        .expect("template grant")
        .expect("template grant exists")
        .try_get("", "app_id")
        .expect("app_id");
    let ids: Vec<(String, String)> = (0..n).map(|_| (accord_kernel::new_id(), accord_kernel::new_id())).collect();
    for chunk in ids.chunks(1000) {
        let values = chunk.iter().map(|(g, a)| format!("('{g}', '{a}')")).collect::<Vec<_>>().join(", ");
        let apps = format!(
            "INSERT INTO apps (id, vendor_tenant_id, name, description, kind, public, client_id, redirect_uris, launch_url, jwks_uri, jwks, purpose, business_owner_email, technical_owner_email, status, status_reason, created_at, updated_at) \
             WITH v(gid, aid) AS (VALUES {values}) \
             SELECT v.aid, t.vendor_tenant_id, t.name, t.description, t.kind, t.public, 'acc_' || v.aid, t.redirect_uris, t.launch_url, t.jwks_uri, t.jwks, t.purpose, t.business_owner_email, t.technical_owner_email, t.status, t.status_reason, t.created_at, t.updated_at \
             FROM v, apps t WHERE t.id = '{app_id}'"
        );
        let grants = format!(
            "INSERT INTO grants (id, app_id, vendor_tenant_id, holder_tenant_id, request_id, scopes, granted_at, expires_at, status, status_reason, revoked_reason, revoked_at, last_reviewed_at, next_review_due, updated_at) \
             WITH v(gid, aid) AS (VALUES {values}) \
             SELECT v.gid, v.aid, t.vendor_tenant_id, t.holder_tenant_id, t.request_id, t.scopes, t.granted_at, t.expires_at, t.status, t.status_reason, t.revoked_reason, t.revoked_at, t.last_reviewed_at, t.next_review_due, t.updated_at \
             FROM v, grants t WHERE t.id = '{template_grant}'"
        );
        db.writer().execute_unprepared(&apps).await.expect("clone apps");
        db.writer().execute_unprepared(&grants).await.expect("clone grants");
    }
    ids.into_iter().map(|(g, _)| g).collect()
}
