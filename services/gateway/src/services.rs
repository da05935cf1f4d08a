//! The wiring: every service built once from [`Settings`] and a clock, with nothing of HTTP in
//! it. `accord serve`/`api` put it under the HTTP state ([`crate::http::state::AppState`]); the
//! CLI commands (`migrate`, `demo`, `tenants create`, `audit verify`) and the coming
//! `accord worker` build it the same way and use it directly.

use accord_approvals::Approvals;
use accord_db::store::Store;
use accord_enforcement::Enforcement;
use accord_kernel::SharedClock;
use accord_kernel::config::Settings;
use accord_kernel::keys::{KeySource, MasterKey};
use accord_lifecycle::Lifecycle;
use accord_migrations::{Migrator, MigratorTrait};
use accord_notifications::Notifications;
use accord_registry::Registry;
use accord_tenants::Tenants;
use accord_tenants::credentials::SessionKeys;
use anyhow::Context as _;
use secrecy::ExposeSecret;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// Whether [`Services::build`] applies pending migrations before anything else.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Migrate {
    /// Apply them (the server and every CLI command that writes).
    Yes,
    /// Leave the schema as it is (a process that must not race a deploy's migration).
    No,
}

/// The database, the store, the clock, the keys and every service. Cheap to clone.
#[derive(Clone)]
pub struct Services {
    /// The settings it was built from.
    pub settings: Arc<Settings>,
    /// The database.
    pub db: accord_db::Db,
    /// The shared store (Redis or in-process).
    pub store: Store,
    /// The clock.
    pub clock: SharedClock,
    /// The master key every other key is derived from.
    pub key: MasterKey,
    /// The tenants service (which holds the session keys).
    pub tenants: Tenants,
    /// The registry service.
    pub registry: Registry,
    /// The approvals service.
    pub approvals: Approvals,
    /// The lifecycle service.
    pub lifecycle: Lifecycle,
    /// The notifications service (the outbox relay, webhook endpoints, mail).
    pub notifications: Notifications,
    /// Enforcement (tokens, introspection, decisions, usage) over its live view of grants.
    pub enforcement: Enforcement,
    /// SQL statements executed since start (tests check that lists do not run N+1 queries).
    pub statements: Arc<AtomicU64>,
}

impl Services {
    /// Loads (or creates) the master key, connects to the database (migrating it when asked)
    /// and the store, derives the session keys and builds every service.
    ///
    /// # Errors
    /// When the key cannot be read or written, the database or Redis cannot be reached, or
    /// migrations fail.
    pub async fn build(settings: Settings, clock: SharedClock, migrate: Migrate) -> anyhow::Result<Self> {
        let (key, source) = MasterKey::load_or_create(&settings).context("cannot load or create the secret key")?;
        if source == KeySource::Generated {
            tracing::warn!(path = %settings.generated_key_path().display(), "ACCORD_SECRET_KEY is not set: generated a key and stored it in the data dir; set ACCORD_SECRET_KEY in production");
        }
        let mut db = accord_db::connect(&settings)
            .await
            .map_err(|e| anyhow::anyhow!(accord_kernel::gql::cause_chain(&e)))
            .context("cannot connect to the database")?;
        let statements = Arc::new(AtomicU64::new(0));
        let counter = statements.clone();
        db.set_metric_callback(move |_| {
            counter.fetch_add(1, Ordering::Relaxed);
        });
        if migrate == Migrate::Yes {
            Migrator::up(db.reader(), None).await.context("cannot migrate the database")?;
        }
        let store = match &settings.redis_url {
            Some(url) => Store::redis(url.expose_secret(), &settings.redis_prefix)
                .await
                .map_err(|e| anyhow::anyhow!(accord_kernel::gql::cause_chain(&e)))
                .context("cannot connect to Redis")?,
            None => Store::memory(),
        };
        let sessions =
            SessionKeys::new(&key.derive("session-jwt"), &settings.public_url, chrono::Duration::minutes(settings.session_ttl_minutes))
                .map_err(|e| anyhow::anyhow!(accord_kernel::gql::cause_chain(&e)))?;
        let tenants =
            Tenants { db: db.clone(), store: store.clone(), clock: clock.clone(), sessions, signup_kinds: settings.signup_kinds.clone() };
        let registry = Registry::new(db.clone(), clock.clone());
        let approvals = Approvals { db: db.clone(), clock: clock.clone(), tenants: tenants.clone(), counts: Arc::default() };
        let lifecycle = Lifecycle { db: db.clone(), clock: clock.clone() };
        let notifications = Notifications::new(db.clone(), clock.clone(), &settings, &key)
            .map_err(|e| anyhow::anyhow!(accord_kernel::gql::cause_chain(&e)))
            .context("cannot set up notifications")?;
        let enforcement = Enforcement::new(accord_enforcement::Parts {
            db: db.clone(),
            store: store.clone(),
            clock: clock.clone(),
            tenants: tenants.clone(),
            public_url: settings.public_url.clone(),
            sealer: accord_kernel::seal::Sealer::new(&key, "signing-keys"),
            allow_private: settings.webhook_allow_private,
            counts: approvals.counts.clone(),
        })
        .map_err(|e| anyhow::anyhow!(accord_kernel::gql::cause_chain(&e)))
        .context("cannot set up enforcement")?;
        Ok(Self {
            settings: Arc::new(settings),
            db,
            store,
            clock,
            key,
            tenants,
            registry,
            approvals,
            lifecycle,
            notifications,
            enforcement,
            statements,
        })
    }
}
