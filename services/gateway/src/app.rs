//! The actix-web application: state built once from [`Settings`], the listeners (the API, and
//! `/metrics` alone on `ACCORD_METRICS_BIND` when set) and their routes (see [`crate::http`]).

use crate::http::document::OperationNames;
use crate::metrics::Metrics;
use crate::schema::{AccordSchema, builder, introspection_schema};
use accord_approvals::Approvals;
use accord_db::store::Store;
use accord_kernel::SharedClock;
use accord_kernel::config::Settings;
use accord_kernel::keys::{KeySource, MasterKey};
use accord_lifecycle::Lifecycle;
use accord_migrations::{Migrator, MigratorTrait};
use accord_registry::Registry;
use accord_tenants::Tenants;
use accord_tenants::credentials::SessionKeys;
use actix_web::dev::Server;
use actix_web::middleware::from_fn;
use actix_web::{App, HttpServer, web};
use anyhow::Context as _;
use secrecy::ExposeSecret;
use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// Everything a request handler may need. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    /// The settings it was built from.
    pub settings: Arc<Settings>,
    /// The database.
    pub db: accord_db::Db,
    /// The shared store (Redis or in-process).
    pub store: Store,
    /// The clock.
    pub clock: SharedClock,
    /// The tenants service.
    pub tenants: Tenants,
    /// The registry service.
    pub registry: Registry,
    /// The approvals service.
    pub approvals: Approvals,
    /// The lifecycle service.
    pub lifecycle: Lifecycle,
    /// SQL statements executed since start (tests check that lists do not run N+1 queries).
    pub statements: Arc<AtomicU64>,
    /// The GraphQL schema, with the services as data.
    pub schema: AccordSchema,
    /// Its introspection-only twin for pure introspection documents; `None` when introspection
    /// is off.
    pub introspection_schema: Option<AccordSchema>,
    /// The operation names metrics may carry.
    pub operation_names: Arc<OperationNames>,
    /// Metrics.
    pub metrics: Arc<Metrics>,
}

impl AppState {
    /// Connects to the database (migrating it) and the store, derives keys, builds the schema.
    ///
    /// # Errors
    /// When the database or Redis cannot be reached, or migrations fail.
    pub async fn build(settings: Settings, clock: SharedClock) -> anyhow::Result<Self> {
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
        Migrator::up(db.reader(), None).await.context("cannot migrate the database")?;
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
        let approvals = Approvals { db: db.clone(), clock: clock.clone(), tenants: tenants.clone() };
        let lifecycle = Lifecycle { db: db.clone(), clock: clock.clone() };
        let schema = builder(settings.graphql_introspection)
            .data(tenants.clone())
            .data(registry.clone())
            .data(approvals.clone())
            .data(lifecycle.clone())
            .finish();
        let introspection_schema = settings.graphql_introspection.then(introspection_schema);
        let operation_names = Arc::new(OperationNames::from_sdl(&schema.sdl()));
        Ok(Self {
            settings: Arc::new(settings),
            db,
            store,
            clock,
            tenants,
            registry,
            approvals,
            lifecycle,
            statements,
            schema,
            introspection_schema,
            operation_names,
            metrics: Arc::default(),
        })
    }
}

/// A running (or ready to run) server.
pub struct Application {
    port: u16,
    server: Server,
    metrics: Option<(u16, Server)>,
    state: AppState,
}

impl Application {
    /// Builds the state and binds `settings.bind`, and `settings.metrics_bind` when set (port 0
    /// picks a free port).
    ///
    /// # Errors
    /// As [`AppState::build`], or when an address cannot be bound.
    pub async fn build(settings: Settings, clock: SharedClock) -> anyhow::Result<Self> {
        let bind = settings.bind.clone();
        let metrics_bind = settings.metrics_bind;
        let state = AppState::build(settings, clock).await?;
        let listener = TcpListener::bind(&bind).with_context(|| format!("cannot listen on {bind}"))?;
        let port = listener.local_addr()?.port();
        let metrics = match metrics_bind {
            Some(addr) => {
                let listener = TcpListener::bind(addr).with_context(|| format!("cannot listen on {addr} (metrics_bind)"))?;
                let metrics_port = listener.local_addr()?.port();
                let address = std::net::SocketAddr::new(addr.ip(), metrics_port);
                tracing::info!(address = %format!("http://{address}/metrics"), "metrics are served here only");
                Some((metrics_port, metrics_server(listener, state.clone())?))
            }
            None => None,
        };
        let server = api_server(listener, state.clone(), metrics.is_none())?;
        tracing::info!(address = %format!("http://{}:{port}", listener_host(&bind)), "accord is listening");
        Ok(Self { port, server, metrics, state })
    }

    /// The bound port.
    #[must_use]
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The port of the separate metrics listener, when `metrics_bind` is set.
    #[must_use]
    pub fn metrics_port(&self) -> Option<u16> {
        self.metrics.as_ref().map(|(port, _)| *port)
    }

    /// The application state (tests reach the database and clock through it).
    #[must_use]
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until the process is stopped. When either listener stops, the other is stopped
    /// too.
    ///
    /// # Errors
    /// When a server fails.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let Some((_, metrics)) = self.metrics else {
            return self.server.await;
        };
        let (api_handle, metrics_handle) = (self.server.handle(), metrics.handle());
        let api = async {
            let result = self.server.await;
            metrics_handle.stop(true).await;
            result
        };
        let metrics = async {
            let result = metrics.await;
            api_handle.stop(true).await;
            result
        };
        let (api, metrics) = futures::join!(api, metrics);
        api.and(metrics)
    }
}

fn listener_host(bind: &str) -> &str {
    bind.rsplit_once(':').map_or(bind, |(h, _)| h)
}

fn api_server(listener: TcpListener, state: AppState, with_metrics: bool) -> std::io::Result<Server> {
    let data = web::Data::new(state);
    Ok(HttpServer::new(move || {
        App::new()
            .app_data(data.clone())
            .wrap(from_fn(crate::http::record_request))
            .configure(|cfg| crate::http::api_routes(cfg, with_metrics))
    })
    .workers(2)
    .listen(listener)?
    .run())
}

/// The listener on `metrics_bind`: `/metrics` and nothing else.
fn metrics_server(listener: TcpListener, state: AppState) -> std::io::Result<Server> {
    let data = web::Data::new(state);
    Ok(HttpServer::new(move || {
        App::new().app_data(data.clone()).wrap(from_fn(crate::http::record_request)).configure(crate::ops::metrics_routes)
    })
    .workers(1)
    .listen(listener)?
    .run())
}
