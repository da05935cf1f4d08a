//! The database-level test kit (dev-dependency only), for any crate from the services up: a
//! fresh world per test — a temporary data dir, a fresh SQLite file by default; a brand-new
//! PostgreSQL database and a fresh Redis key prefix when `ACCORD_TEST_POSTGRES_URL` and
//! `ACCORD_TEST_REDIS_URL` are set — with migrations run ([`fresh_db`]), and a [`FixedClock`].
//! With `ACCORD_TEST_REQUIRE_SERVICES=1` (CI), a run without them fails instead of falling back.
//!
//! Beside the database it has the two real servers integration tests talk to: a
//! [`webhook_receiver::WebhookReceiver`] (HTTP/1.1 with scripted answers: failures, delays,
//! redirects, `Retry-After`) and an [`smtp_sink::SmtpSink`] (SMTP with scripted 451/550
//! answers); both hand-written on tokio, so a test controls every reply.
//!
//! It needs nothing above `shared/` (kernel, db, migrations), so service crates test without the
//! gateway. The end-to-end harness that starts the real server (`spawn_app`, `TestApp`) lives
//! with the server: `accord_gateway::testing`.

#![allow(clippy::expect_used, clippy::unwrap_used)]

pub mod smtp_sink;
pub mod webhook_receiver;

use accord_db::store::Store;
pub use accord_kernel::FixedClock;
use accord_kernel::config::Settings;
use accord_migrations::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, Database};
use secrecy::{ExposeSecret, SecretString};
use std::sync::Arc;
pub use tempfile::TempDir;

/// Which backends a test world runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backends {
    /// SQLite and the in-process store.
    Embedded,
    /// PostgreSQL and Redis.
    Services,
}

/// A non-empty environment variable.
#[must_use]
pub fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// Whether CI demands the PostgreSQL + Redis variant.
#[must_use]
pub fn services_required() -> bool {
    env("ACCORD_TEST_REQUIRE_SERVICES").is_some_and(|v| v == "1" || v == "true")
}

/// The Redis URL for tests, if configured.
///
/// # Panics
/// When CI demands the services variant and no Redis URL is set.
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

/// Settings for a fresh world in `dir` (without starting or migrating anything): port 0, a
/// test secret key, a fresh PostgreSQL database and Redis prefix when configured.
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

/// A fresh world's settings and the temporary data dir they point into (kept alive by `dir`).
pub struct World {
    /// The settings (port 0, fresh database, fresh Redis prefix).
    pub settings: Settings,
    /// Which backends they name.
    pub backends: Backends,
    /// The data dir; removed when the last clone is dropped.
    pub dir: Arc<TempDir>,
}

/// A fresh world: a temporary data dir and [`fresh_settings`] in it.
///
/// # Panics
/// On setup failure.
pub async fn fresh_world() -> World {
    let dir = Arc::new(tempfile::tempdir().expect("temp dir"));
    let (settings, backends) = fresh_settings(dir.path()).await;
    World { settings, backends, dir }
}

/// A fresh, migrated database with its store and a fixed clock, for tests of a service crate.
pub struct TestDb {
    /// The database, every migration applied.
    pub db: accord_db::Db,
    /// The store: Redis under a fresh prefix, or in-process.
    pub store: Store,
    /// A clock to move instead of sleeping.
    pub clock: Arc<FixedClock>,
    /// The world it lives in.
    pub world: World,
}

/// A fresh world with its database connected and migrated, and its store connected.
///
/// # Panics
/// On setup failure.
pub async fn fresh_db() -> TestDb {
    let world = fresh_world().await;
    let db = accord_db::connect(&world.settings).await.expect("connect to the test database");
    Migrator::up(db.reader(), None).await.expect("migrate the test database");
    let store = match &world.settings.redis_url {
        Some(url) => Store::redis(url.expose_secret(), &world.settings.redis_prefix).await.expect("connect to Redis"),
        None => Store::memory(),
    };
    TestDb { db, store, clock: Arc::new(FixedClock::new(chrono::Utc::now())), world }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_fresh_database_has_every_migration_applied_on_the_configured_backends() {
        let t = fresh_db().await;
        assert!(Migrator::get_pending_migrations(t.db.reader()).await.unwrap().is_empty());
        assert!(!Migrator::get_applied_migrations(t.db.reader()).await.unwrap().is_empty());
        assert_eq!(t.store.is_redis(), t.world.settings.redis_url.is_some());
        accord_db::ping(&t.db).await.unwrap();
    }
}
