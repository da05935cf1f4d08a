//! The actix-web application: state built once from [`Settings`], routes, and the GraphQL
//! handler (bearer authentication, per-request context and dataloaders, error codes).

use crate::metrics::Metrics;
use crate::schema::{AccordSchema, builder};
use accord_approvals::Approvals;
use accord_approvals::graphql::{ApprovalsLoader, GrantLoader};
use accord_db::store::Store;
use accord_kernel::config::Settings;
use accord_kernel::gql::RequestMeta;
use accord_kernel::keys::{KeySource, MasterKey};
use accord_kernel::{ErrorKind, SharedClock};
use accord_lifecycle::Lifecycle;
use accord_migrations::{Migrator, MigratorTrait};
use accord_registry::Registry;
use accord_registry::graphql::AppLoader;
use accord_tenants::Tenants;
use accord_tenants::credentials::SessionKeys;
use accord_tenants::graphql::TenantLoader;
use actix_web::dev::{Server, Service as _};
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use anyhow::Context as _;
use async_graphql::dataloader::DataLoader;
use async_graphql::http::GraphiQLSource;
use async_graphql_actix_web::GraphQLRequest;
use secrecy::ExposeSecret;
use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;
use tracing::Instrument;

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
            metrics: Arc::default(),
        })
    }
}

/// A running (or ready to run) server.
pub struct Application {
    port: u16,
    server: Server,
    state: AppState,
}

impl Application {
    /// Builds the state and binds `settings.bind` (port 0 picks a free port).
    ///
    /// # Errors
    /// As [`AppState::build`], or when the address cannot be bound.
    pub async fn build(settings: Settings, clock: SharedClock) -> anyhow::Result<Self> {
        let bind = settings.bind.clone();
        let state = AppState::build(settings, clock).await?;
        let listener = TcpListener::bind(&bind).with_context(|| format!("cannot listen on {bind}"))?;
        let port = listener.local_addr()?.port();
        let server = server(listener, state.clone())?;
        tracing::info!(address = %format!("http://{}:{port}", listener_host(&bind)), "accord is listening");
        Ok(Self { port, server, state })
    }

    /// The bound port.
    #[must_use]
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The application state (tests reach the database and clock through it).
    #[must_use]
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until the process is stopped.
    ///
    /// # Errors
    /// When the server fails.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}

fn listener_host(bind: &str) -> &str {
    bind.rsplit_once(':').map_or(bind, |(h, _)| h)
}

fn server(listener: TcpListener, state: AppState) -> std::io::Result<Server> {
    let data = web::Data::new(state);
    Ok(HttpServer::new(move || {
        App::new()
            .app_data(data.clone())
            .wrap_fn(|req, srv| {
                let start = Instant::now();
                let method = req.method().to_string();
                let route = req.match_pattern().unwrap_or_else(|| "unmatched".into());
                let metrics = req.app_data::<web::Data<AppState>>().map(|d| d.metrics.clone());
                let span = tracing::info_span!("http", %method, %route);
                let fut = srv.call(req);
                async move {
                    let res = fut.await;
                    if let (Some(m), Ok(r)) = (metrics, &res) {
                        m.http(&method, &route, r.status().as_u16(), start.elapsed());
                    }
                    res
                }
                .instrument(span)
            })
            .route("/graphql", web::post().to(graphql))
            .route("/graphql", web::get().to(graphiql))
            .configure(crate::ops::routes)
    })
    .workers(2)
    .listen(listener)?
    .run())
}

async fn graphiql() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(GraphiQLSource::build().endpoint("/graphql").title("Accord GraphQL").finish())
}

fn error_body(kind: ErrorKind, message: &str) -> serde_json::Value {
    serde_json::json!({ "data": null, "errors": [{ "message": message, "extensions": { "code": kind.code() } }] })
}

async fn graphql(state: web::Data<AppState>, req: HttpRequest, body: GraphQLRequest) -> HttpResponse {
    let start = Instant::now();
    let meta = RequestMeta { request_id: accord_kernel::new_id(), client_ip: req.peer_addr().map(|a| a.ip().to_string()) };
    let mut request = body.into_inner();
    let operation = request.operation_name.clone().unwrap_or_else(|| operation_name(&request.query));
    let span = tracing::info_span!("graphql", request_id = %meta.request_id, operation = %operation, tenant_id = tracing::field::Empty);

    async move {
        let principal = match bearer(&req) {
            None => None,
            Some(Err(())) => {
                return HttpResponse::Unauthorized()
                    .json(error_body(ErrorKind::Unauthenticated, "the Authorization header must be `Bearer <token>`"));
            }
            Some(Ok(token)) => match state.tenants.authenticate(token).await {
                Ok(p) => Some(p),
                Err(e) => {
                    let gql = accord_kernel::gql::classify_to_gql(Some(&meta), &e);
                    let kind = accord_kernel::Classify::kind(&e);
                    let status = if kind == ErrorKind::Internal { 500 } else { 401 };
                    return HttpResponse::build(actix_web::http::StatusCode::from_u16(status).unwrap_or_default())
                        .json(error_body(kind, &gql.message));
                }
            },
        };
        if let Some(p) = &principal {
            tracing::Span::current().record("tenant_id", p.tenant_id.as_str());
            request = request.data(p.clone());
        }
        request = request
            .data(meta.clone())
            .data(DataLoader::new(TenantLoader(state.tenants.clone()), tokio::spawn))
            .data(DataLoader::new(AppLoader(state.registry.clone()), tokio::spawn))
            .data(DataLoader::new(GrantLoader(state.approvals.clone()), tokio::spawn))
            .data(DataLoader::new(ApprovalsLoader(state.approvals.clone()), tokio::spawn));
        let mut response = state.schema.execute(request).await;
        // Parse and validation errors (unknown enum values, wrong types, depth and complexity
        // limits) carry no code of their own: they are all bad input.
        for e in &mut response.errors {
            let has_code = e.extensions.as_ref().and_then(|x| x.get("code")).is_some();
            if !has_code {
                e.extensions.get_or_insert_with(Default::default).set("code", ErrorKind::BadUserInput.code());
            }
        }
        state.metrics.graphql(&operation, response.errors.is_empty(), start.elapsed());
        HttpResponse::Ok().json(response)
    }
    .instrument(span)
    .await
}

/// The bearer token, if an Authorization header was sent (`Err` when it is malformed).
fn bearer(req: &HttpRequest) -> Option<Result<&str, ()>> {
    let h = req.headers().get(actix_web::http::header::AUTHORIZATION)?;
    let v = h.to_str().ok()?;
    Some(match v.split_once(' ') {
        Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() => Ok(token.trim()),
        _ => Err(()),
    })
}

/// The name of the first operation in a document (`query Foo`, `mutation Bar`), for logs and
/// metrics when the client did not send `operationName`; empty for anonymous operations.
fn operation_name(query: &str) -> String {
    let mut words = query.split(|c: char| c.is_whitespace() || "{(@".contains(c)).filter(|w| !w.is_empty());
    match words.next() {
        Some("query" | "mutation" | "subscription") => words.next().filter(|w| !w.starts_with('$')).unwrap_or_default().to_owned(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn operation_names_come_from_the_document() {
        assert_eq!(super::operation_name("query Probe { me { id } }"), "Probe");
        assert_eq!(super::operation_name("mutation Login($e: String!) { login }"), "Login");
        assert_eq!(super::operation_name("{ me { id } }"), "");
        assert_eq!(super::operation_name("query($a: Int) { x }"), "");
    }
}
