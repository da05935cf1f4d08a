//! What every enforcement handler shares: the holder named by the path, the bearer and the
//! holder API token behind it, bounded bodies, and the JSON shape of refusals.

use crate::http::state::AppState;
use accord_enforcement::Error;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde_json::json;
use std::sync::Arc;

/// The holder named by the path, or the answer to give instead (404, or 503 when it cannot be
/// read).
pub(crate) async fn holder(state: &AppState, slug: &str) -> Result<Arc<accord_tenants::TenantRecord>, HttpResponse> {
    state.enforcement.holder(slug).await.map_err(|e| match e {
        Error::NotFound(_) => json_error(StatusCode::NOT_FOUND, "not_found", "no data holder has this slug"),
        other => unavailable(&other),
    })
}

/// `{"error", "error_description"}` with a status.
pub(crate) fn json_error(status: StatusCode, code: &str, description: &str) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header(("Cache-Control", "no-store"))
        .json(json!({ "error": code, "error_description": description }))
}

/// 503: the live state could not be read, so nothing is allowed.
pub(crate) fn unavailable(e: &Error) -> HttpResponse {
    tracing::error!(error = %accord_kernel::gql::cause_chain(e), "enforcement cannot read the live state; failing closed");
    json_error(StatusCode::SERVICE_UNAVAILABLE, "temporarily_unavailable", "access cannot be confirmed right now; try again shortly")
}

/// The answer to an enforcement error.
pub(crate) fn error_answer(e: &Error) -> HttpResponse {
    match e {
        Error::Invalid(m) => json_error(StatusCode::BAD_REQUEST, "invalid_request", m),
        Error::Unauthenticated(m) => HttpResponse::build(StatusCode::UNAUTHORIZED)
            .insert_header(("WWW-Authenticate", "Bearer"))
            .json(json!({ "error": "invalid_token", "error_description": m })),
        Error::Forbidden(m) => json_error(StatusCode::FORBIDDEN, "forbidden", m),
        Error::NotFound(what) => json_error(StatusCode::NOT_FOUND, "not_found", &format!("{what} not found")),
        Error::Unavailable(_) | Error::Internal(_) => unavailable(e),
    }
}

/// The bearer token of `Authorization`, if one is sent well-formed (the GraphQL edge's reading).
pub(crate) fn bearer(req: &HttpRequest) -> Option<&str> {
    crate::http::graphql::bearer(req).and_then(Result::ok)
}

/// The holder API token's principal, or the 401/403/503 to answer.
pub(crate) async fn holder_principal(state: &AppState, req: &HttpRequest) -> Result<accord_kernel::Principal, HttpResponse> {
    let Some(token) = bearer(req) else {
        return Err(error_answer(&Error::Unauthenticated("send a data holder's API token as `Authorization: Bearer <token>`".into())));
    };
    state.enforcement.authenticate_holder(token).await.map_err(|e| error_answer(&e))
}

/// Reads a body of at most `limit` bytes.
pub(crate) async fn read_body(payload: web::Payload, limit: usize) -> Result<web::Bytes, HttpResponse> {
    match payload.to_bytes_limited(limit).await {
        Ok(Ok(b)) => Ok(b),
        Ok(Err(_)) => Err(json_error(StatusCode::BAD_REQUEST, "invalid_request", "the request body could not be read")),
        Err(_) => {
            Err(json_error(StatusCode::PAYLOAD_TOO_LARGE, "invalid_request", &format!("the request body is larger than {limit} bytes")))
        }
    }
}

/// Whether the request's Content-Type essence is `expected`.
pub(crate) fn content_type_is(req: &HttpRequest, expected: &str) -> bool {
    req.headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|e| e.trim().eq_ignore_ascii_case(expected))
}
