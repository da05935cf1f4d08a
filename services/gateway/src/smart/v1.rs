//! `POST /v1/decisions` and `POST /v1/usage` (SPEC §8), authenticated with a data holder's API
//! token; JSON bodies bounded like every other.

use super::edge::{content_type_is, error_answer, holder_principal, json_error, read_body};
use crate::http::body::MAX_BODY_BYTES;
use crate::http::state::AppState;
use accord_enforcement::{DecisionRequest, Error, UsageIn};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde_json::{Value, json};

/// The largest decision request.
pub const MAX_DECISION_BYTES: usize = 64 * 1024;

async fn json_body(req: &HttpRequest, payload: web::Payload, limit: usize) -> Result<Value, HttpResponse> {
    if !content_type_is(req, "application/json") {
        return Err(json_error(StatusCode::UNSUPPORTED_MEDIA_TYPE, "invalid_request", "the Content-Type must be application/json"));
    }
    let body = read_body(payload, limit).await?;
    serde_json::from_slice(&body).map_err(|e| json_error(StatusCode::BAD_REQUEST, "invalid_request", &format!("the body is not JSON: {e}")))
}

/// A decision that cannot be made: `503`, and a body that denies.
fn cannot_decide(e: &Error) -> HttpResponse {
    tracing::error!(error = %accord_kernel::gql::cause_chain(e), "a decision could not be made; denied");
    HttpResponse::ServiceUnavailable().json(json!({
        "allowed": false, "grantId": null, "expiresAt": null, "allowedScopes": [],
        "denied": [], "error": "temporarily_unavailable",
        "error_description": "access cannot be confirmed right now; deny and try again shortly",
    }))
}

/// `POST /v1/decisions`. A decision that cannot be made (the caller's token or the grant
/// cannot be read) is `503` with `"allowed": false`.
pub async fn decisions(state: web::Data<AppState>, req: HttpRequest, payload: web::Payload) -> HttpResponse {
    let caller = match super::edge::bearer(&req) {
        None => return error_answer(&Error::Unauthenticated("send a data holder's API token as `Authorization: Bearer <token>`".into())),
        Some(token) => match state.enforcement.authenticate_holder(token).await {
            Ok(p) => p,
            Err(e @ (Error::Unavailable(_) | Error::Internal(_))) => return cannot_decide(&e),
            Err(e) => return error_answer(&e),
        },
    };
    if !content_type_is(&req, "application/json") {
        return json_error(StatusCode::UNSUPPORTED_MEDIA_TYPE, "invalid_request", "the Content-Type must be application/json");
    }
    let body = match read_body(payload, MAX_DECISION_BYTES).await {
        Ok(b) => b,
        Err(answer) => return answer,
    };
    let ask: DecisionRequest = match serde_json::from_slice(&body) {
        Ok(a) => a,
        Err(e) => return json_error(StatusCode::BAD_REQUEST, "invalid_request", &e.to_string()),
    };
    match state.enforcement.decide(&caller, &ask).await {
        Ok(d) => HttpResponse::Ok().json(d),
        Err(e @ (Error::Unavailable(_) | Error::Internal(_))) => cannot_decide(&e),
        Err(e) => error_answer(&e),
    }
}

/// `POST /v1/usage`: a JSON array of records (or `{"records": [...]}`), at most 1,000 → `202`.
pub async fn usage(state: web::Data<AppState>, req: HttpRequest, payload: web::Payload) -> HttpResponse {
    let caller = match holder_principal(&state, &req).await {
        Ok(p) => p,
        Err(answer) => return answer,
    };
    let body = match json_body(&req, payload, MAX_BODY_BYTES).await {
        Ok(b) => b,
        Err(answer) => return answer,
    };
    let list = match body {
        Value::Array(a) => a,
        Value::Object(mut o) if o.len() == 1 && o.get("records").is_some_and(Value::is_array) => match o.remove("records") {
            Some(Value::Array(a)) => a,
            _ => vec![],
        },
        _ => {
            return json_error(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                "the body must be a JSON array of usage records (or {\"records\": [...]})",
            );
        }
    };
    if list.len() > accord_enforcement::MAX_USAGE_RECORDS {
        return error_answer(&Error::Invalid(format!(
            "records: at most {} per call ({} sent)",
            accord_enforcement::MAX_USAGE_RECORDS,
            list.len()
        )));
    }
    let mut records = Vec::with_capacity(list.len());
    for (i, v) in list.into_iter().enumerate() {
        match serde_json::from_value::<UsageIn>(v) {
            Ok(r) => records.push(r),
            Err(e) => return error_answer(&Error::Invalid(format!("records[{i}]: {e}"))),
        }
    }
    match state.enforcement.report_usage(&caller, records).await {
        Ok(n) => HttpResponse::Accepted().json(json!({ "accepted": n })),
        Err(e) => error_answer(&e),
    }
}
