//! The actix-web server: the API listener, and `/metrics` alone on `ACCORD_METRICS_BIND` when
//! set, each with the request-metrics middleware and its routes.

use super::drain::{DRAIN_LIMIT, Drain, stop_requested};
use super::middleware::record_request;
use super::routes::{api_routes, metrics_routes};
use super::state::AppState;
use accord_kernel::SharedClock;
use accord_kernel::config::Settings;
use actix_web::dev::Server;
use actix_web::middleware::from_fn;
use actix_web::{App, HttpServer, web};
use anyhow::Context as _;
use std::net::TcpListener;
use std::sync::Arc;

/// A running (or ready to run) server.
pub struct Application {
    port: u16,
    server: Server,
    metrics: Option<(u16, Server)>,
    state: AppState,
    drain: Arc<Drain>,
}

impl Application {
    /// Builds the state and binds `settings.bind`, and `settings.metrics_bind` when set (port 0
    /// picks a free port).
    ///
    /// # Errors
    /// As [`AppState::build`], or when an address cannot be bound.
    pub async fn build(settings: Settings, clock: SharedClock) -> anyhow::Result<Self> {
        Self::with_state(AppState::build(settings, clock).await?)
    }

    /// Binds the listeners `state.settings` names and serves `state` on them.
    ///
    /// # Errors
    /// When an address cannot be bound.
    pub fn with_state(state: AppState) -> anyhow::Result<Self> {
        let bind = state.settings.bind.clone();
        let metrics_bind = state.settings.metrics_bind;
        let listener = TcpListener::bind(&bind).with_context(|| format!("cannot listen on {bind}"))?;
        let port = listener.local_addr()?.port();
        let drain = Arc::new(Drain::default());
        let metrics = match metrics_bind {
            Some(addr) => {
                let listener = TcpListener::bind(addr).with_context(|| format!("cannot listen on {addr} (metrics_bind)"))?;
                let metrics_port = listener.local_addr()?.port();
                let address = std::net::SocketAddr::new(addr.ip(), metrics_port);
                tracing::info!(address = %format!("http://{address}/metrics"), "metrics are served here only");
                Some((metrics_port, metrics_server(listener, state.clone(), &drain)?))
            }
            None => None,
        };
        let server = api_server(listener, state.clone(), metrics.is_none(), &drain)?;
        // Every process that answers requests follows the change feed for its decision view.
        state.enforcement.spawn_background();
        tracing::info!(address = %format!("http://{}:{port}", listener_host(&bind)), "accord is listening");
        Ok(Self { port, server, metrics, state, drain })
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

    /// Serves until the process is stopped (SIGTERM or SIGINT; see [`super::drain`]): then the
    /// listeners stop accepting, the requests in flight finish, and the servers stop. When
    /// either listener fails, the other is stopped too.
    ///
    /// # Errors
    /// When a server fails.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let mut handles = vec![self.server.handle()];
        handles.extend(self.metrics.as_ref().map(|(_, m)| m.handle()));
        let drain = self.drain.clone();
        let stopper = tokio::spawn(async move {
            stop_requested().await;
            tracing::info!(in_flight = drain.in_flight(), "stopping: no new connections; the requests in flight finish first");
            for h in &handles {
                h.pause().await;
            }
            if !drain.finish(DRAIN_LIMIT).await {
                tracing::warn!(in_flight = drain.in_flight(), limit = ?DRAIN_LIMIT, "requests still in flight at the drain limit: stopping anyway");
            }
            for h in &handles {
                h.stop(true).await;
            }
        });
        let result = match self.metrics {
            None => self.server.await,
            Some((_, metrics)) => {
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
        };
        stopper.abort();
        result
    }
}

fn listener_host(bind: &str) -> &str {
    bind.rsplit_once(':').map_or(bind, |(h, _)| h)
}

fn api_server(listener: TcpListener, state: AppState, with_metrics: bool, drain: &Arc<Drain>) -> std::io::Result<Server> {
    let data = web::Data::new(state);
    let drain = web::Data::from(drain.clone());
    Ok(HttpServer::new(move || {
        App::new()
            .app_data(data.clone())
            .app_data(drain.clone())
            .wrap(from_fn(record_request))
            .configure(|cfg| api_routes(cfg, with_metrics))
    })
    .workers(2)
    // Signals are handled by `run_until_stopped`, which drains before stopping.
    .disable_signals()
    .listen(listener)?
    .run())
}

/// The listener on `metrics_bind`: `/metrics` and nothing else.
fn metrics_server(listener: TcpListener, state: AppState, drain: &Arc<Drain>) -> std::io::Result<Server> {
    let data = web::Data::new(state);
    let drain = web::Data::from(drain.clone());
    Ok(HttpServer::new(move || {
        App::new().app_data(data.clone()).app_data(drain.clone()).wrap(from_fn(record_request)).configure(metrics_routes)
    })
    .workers(1)
    .disable_signals()
    .listen(listener)?
    .run())
}
