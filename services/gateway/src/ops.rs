//! Liveness, readiness and metrics for orchestrators and Prometheus.

use crate::app::AppState;
use actix_web::{HttpResponse, web};
use sea_orm::DbBackend;

/// Mounts `/healthz` and `/readyz`.
pub fn health_routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/healthz", web::get().to(healthz)).route("/readyz", web::get().to(readyz));
}

/// Mounts `/metrics` (on the main listener, or alone on `ACCORD_METRICS_BIND`).
pub fn metrics_routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/metrics", web::get().to(metrics));
}

async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({ "status": "ok" }))
}

/// Ready when the database (and Redis, when configured) answers.
async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    let db = accord_db::ping(&state.db).await.is_ok();
    let redis = if state.store.is_redis() { Some(state.store.ping().await.is_ok()) } else { None };
    let ok = db && redis.unwrap_or(true);
    let body = serde_json::json!({
        "status": if ok { "ready" } else { "unavailable" },
        "database": if db { "ok" } else { "unreachable" },
        "redis": match redis { None => "not configured", Some(true) => "ok", Some(false) => "unreachable" },
    });
    if ok { HttpResponse::Ok().json(body) } else { HttpResponse::ServiceUnavailable().json(body) }
}

async fn metrics(state: web::Data<AppState>) -> HttpResponse {
    let (size, idle) = match state.db.get_database_backend() {
        DbBackend::Postgres => {
            let p = state.db.get_postgres_connection_pool();
            (p.size(), u32::try_from(p.num_idle()).unwrap_or(u32::MAX))
        }
        DbBackend::Sqlite => {
            let p = state.db.get_sqlite_connection_pool();
            (p.size(), u32::try_from(p.num_idle()).unwrap_or(u32::MAX))
        }
        _ => (0, 0),
    };
    HttpResponse::Ok().content_type("text/plain; version=0.0.4").body(state.metrics.render(size, idle))
}
