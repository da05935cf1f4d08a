//! The request-metrics middleware.

use super::state::AppState;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::web;
use std::time::Instant;
use tracing::Instrument;

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
    let drain = req.app_data::<web::Data<super::drain::Drain>>().map(|d| d.clone().into_inner());
    let in_flight = drain.as_ref().map(super::drain::Drain::enter);
    let span = tracing::info_span!("http", method, %route);
    let mut res = next.call(req).instrument(span).await;
    drop(in_flight);
    if let (Some(d), Ok(r)) = (&drain, &mut res)
        && d.draining()
    {
        // Stopping: this connection is not reused for another request.
        r.response_mut().head_mut().set_connection_type(actix_web::http::ConnectionType::Close);
    }
    if let (Some(m), Ok(r)) = (metrics, &res) {
        m.http(method, &route, r.status().as_u16(), start.elapsed());
    }
    res
}
