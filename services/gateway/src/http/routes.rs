//! The routes of each listener.

use super::{graphql, ops};
use actix_web::web;

/// The API routes. `/metrics` is among them unless a separate metrics listener serves it.
pub fn api_routes(cfg: &mut web::ServiceConfig, with_metrics: bool) {
    cfg.route("/graphql", web::post().to(graphql::graphql)).route("/graphql", web::get().to(graphql::graphiql));
    cfg.route("/auth/login", web::post().to(super::session::login)).route("/auth/logout", web::post().to(super::session::logout));
    crate::smart::routes(cfg);
    cfg.route("/healthz", web::get().to(ops::healthz)).route("/readyz", web::get().to(ops::readyz));
    if with_metrics {
        metrics_routes(cfg);
    }
    super::portal::routes(cfg);
}

/// `/metrics` (on the API listener, or alone on `ACCORD_METRICS_BIND`).
pub fn metrics_routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/metrics", web::get().to(ops::metrics));
}
