//! The JSON error shape every refusal at the HTTP edge uses.

use accord_kernel::ErrorKind;
use actix_web::HttpResponse;
use actix_web::http::StatusCode;

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
