//! Liveness, readiness and metrics for orchestrators and Prometheus (mounted by
//! [`super::routes`]).

use super::state::AppState;
use actix_web::{HttpResponse, web};
use sea_orm::DbBackend;

/// `/healthz`: the process answers.
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({ "status": "ok" }))
}

/// `/readyz`: ready when the database (and Redis, when configured) answers.
pub async fn readyz(state: web::Data<AppState>) -> HttpResponse {
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

/// `/metrics`: the Prometheus text exposition.
pub async fn metrics(state: web::Data<AppState>) -> HttpResponse {
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
    let lag = match accord_db::outbox::oldest_unpublished(state.db.reader()).await {
        Ok(Some(at)) => (state.clock.now() - at).num_milliseconds().max(0) as f64 / 1000.0,
        Ok(None) => 0.0,
        Err(e) => {
            tracing::warn!(error = %e, "cannot read the outbox lag");
            f64::NAN
        }
    };
    let relay =
        crate::metrics::Readings { counters: state.notifications.metrics.snapshot(), outbox_lag_seconds: lag, jobs: state.jobs.readings() };
    HttpResponse::Ok().content_type(crate::metrics::CONTENT_TYPE).body(state.metrics.render(size, idle, &relay))
}
