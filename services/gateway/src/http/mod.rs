//! The HTTP edge: routes, the request-metrics middleware, the client address, and the JSON
//! error shape every refusal uses.

pub mod body;
pub mod document;
pub mod graphql;

use crate::app::AppState;
use accord_kernel::ErrorKind;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::http::header::HeaderName;
use actix_web::middleware::Next;
use actix_web::{HttpRequest, HttpResponse, web};
use ipnet::IpNet;
use std::time::Instant;
use tracing::Instrument;

/// The API routes. `/metrics` is among them unless a separate metrics listener serves it.
pub fn api_routes(cfg: &mut web::ServiceConfig, with_metrics: bool) {
    cfg.route("/graphql", web::post().to(graphql::graphql)).route("/graphql", web::get().to(graphql::graphiql));
    crate::ops::health_routes(cfg);
    if with_metrics {
        crate::ops::metrics_routes(cfg);
    }
}

/// Counts and times every request by method, matched route and status, with labels from
/// bounded sets (see [`crate::metrics::Metrics::http`]).
///
/// # Errors
/// Whatever the wrapped service answers.
pub async fn record_request(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let start = Instant::now();
    let method = crate::metrics::method_label(req.method());
    let route = req.match_pattern().unwrap_or_else(|| "unmatched".into());
    let metrics = req.app_data::<web::Data<AppState>>().map(|d| d.metrics.clone());
    let span = tracing::info_span!("http", method, %route);
    let res = next.call(req).instrument(span).await;
    if let (Some(m), Ok(r)) = (metrics, &res) {
        m.http(method, &route, r.status().as_u16(), start.elapsed());
    }
    res
}

/// The JSON body of a refusal: `{"data": null, "errors": [{"message", "extensions": {"code"}}]}`.
#[must_use]
pub fn error_body(kind: ErrorKind, message: &str) -> serde_json::Value {
    serde_json::json!({ "data": null, "errors": [{ "message": message, "extensions": { "code": kind.code() } }] })
}

/// A refusal with its HTTP status.
#[must_use]
pub fn error_response(status: StatusCode, kind: ErrorKind, message: &str) -> HttpResponse {
    HttpResponse::build(status).json(error_body(kind, message))
}

/// The client address for rate limits and audit: the TCP peer, or the `X-Forwarded-For` client
/// a trusted proxy names (see [`crate::client_ip`]).
#[must_use]
pub fn client_address(req: &HttpRequest, trusted: &[IpNet]) -> Option<String> {
    const X_FORWARDED_FOR: HeaderName = HeaderName::from_static("x-forwarded-for");
    let peer = req.peer_addr()?.ip();
    // A header value that is not text cannot be read as a hop: it makes the chain unreadable.
    let forwarded = req.headers().get_all(X_FORWARDED_FOR).map(|v| v.to_str().unwrap_or("\u{0}"));
    Some(crate::client_ip::client_ip(peer, forwarded, trusted).to_string())
}
