//! `POST /t/{slug}/oauth/token`, `/oauth/introspect` and `/oauth/revoke`: form posts
//! (`application/x-www-form-urlencoded`, at most 64 KiB), JSON answers, never cached.

use super::edge::{bearer, content_type_is, error_answer, holder, holder_principal, json_error, read_body};
use crate::http::state::AppState;
use accord_enforcement::{OAuthError, Revoker, TokenForm};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use std::collections::HashMap;

/// The largest form accepted.
pub const MAX_FORM_BYTES: usize = 64 * 1024;

fn oauth_error(e: &OAuthError) -> HttpResponse {
    let status = StatusCode::from_u16(e.status).unwrap_or(StatusCode::BAD_REQUEST);
    json_error(status, e.code, &e.description)
}

/// The form's fields, or the `invalid_request` to answer. A repeated parameter is refused
/// (RFC 6749 §3.1: parameters MUST NOT be included more than once).
async fn form(req: &HttpRequest, payload: web::Payload) -> Result<HashMap<String, String>, HttpResponse> {
    if !content_type_is(req, "application/x-www-form-urlencoded") {
        return Err(oauth_error(&OAuthError::invalid_request("the body must be application/x-www-form-urlencoded")));
    }
    let body = read_body(payload, MAX_FORM_BYTES).await?;
    let mut seen: HashMap<String, String> = HashMap::new();
    for (k, v) in url::form_urlencoded::parse(&body) {
        if seen.insert(k.to_string(), v.into_owned()).is_some() {
            return Err(oauth_error(&OAuthError::invalid_request(format!("{k}: sent more than once"))));
        }
    }
    Ok(seen)
}

/// `POST /t/{slug}/oauth/token` (SMART Backend Services).
pub async fn token(state: web::Data<AppState>, slug: web::Path<String>, req: HttpRequest, payload: web::Payload) -> HttpResponse {
    let h = match holder(&state, &slug).await {
        Ok(h) => h,
        Err(answer) => return answer,
    };
    let mut f = match form(&req, payload).await {
        Ok(f) => f,
        Err(answer) => return answer,
    };
    let form = TokenForm {
        grant_type: f.remove("grant_type"),
        client_assertion_type: f.remove("client_assertion_type"),
        client_assertion: f.remove("client_assertion"),
        scope: f.remove("scope"),
        client_id: f.remove("client_id"),
    };
    let client_ip = crate::client_ip::client_address(&req, &state.settings.trusted_proxies);
    match state.enforcement.issue_token(&h, form, client_ip.as_deref()).await {
        Ok(t) => HttpResponse::Ok().insert_header(("Cache-Control", "no-store")).insert_header(("Pragma", "no-cache")).json(t),
        Err(e) => {
            let mut answer = oauth_error(&e);
            let headers = answer.headers_mut();
            headers.insert(actix_web::http::header::PRAGMA, actix_web::http::header::HeaderValue::from_static("no-cache"));
            if e.status == 429 {
                headers.insert(
                    actix_web::http::header::RETRY_AFTER,
                    actix_web::http::header::HeaderValue::from(accord_enforcement::oauth::FAILED_AUTH_WINDOW.as_secs()),
                );
            }
            answer
        }
    }
}

/// The fields of introspection and revocation forms (`token_type_hint` is accepted and, with
/// access tokens only, needs no use).
struct TokenParam {
    token: Option<String>,
    client_assertion_type: Option<String>,
    client_assertion: Option<String>,
}

impl From<HashMap<String, String>> for TokenParam {
    fn from(mut f: HashMap<String, String>) -> Self {
        Self {
            token: f.remove("token"),
            client_assertion_type: f.remove("client_assertion_type"),
            client_assertion: f.remove("client_assertion"),
        }
    }
}

/// `POST /t/{slug}/oauth/introspect` (RFC 7662), authenticated with the holder's API token.
pub async fn introspect(state: web::Data<AppState>, slug: web::Path<String>, req: HttpRequest, payload: web::Payload) -> HttpResponse {
    let h = match holder(&state, &slug).await {
        Ok(h) => h,
        Err(answer) => return answer,
    };
    let caller = match holder_principal(&state, &req).await {
        Ok(p) => p,
        Err(answer) => return answer,
    };
    let p = match form(&req, payload).await {
        Ok(f) => TokenParam::from(f),
        Err(answer) => return answer,
    };
    let Some(token) = p.token.filter(|t| !t.is_empty()) else {
        return oauth_error(&OAuthError::invalid_request("token is required"));
    };
    match state.enforcement.introspect(&caller, &h, &token).await {
        Ok(answer) => HttpResponse::Ok().insert_header(("Cache-Control", "no-store")).json(answer),
        Err(e) => error_answer(&e),
    }
}

/// `POST /t/{slug}/oauth/revoke` (RFC 7009), by the holder's API token or by the client with
/// its assertion.
pub async fn revoke(state: web::Data<AppState>, slug: web::Path<String>, req: HttpRequest, payload: web::Payload) -> HttpResponse {
    let h = match holder(&state, &slug).await {
        Ok(h) => h,
        Err(answer) => return answer,
    };
    let revoker_is_holder = bearer(&req).is_some();
    let holder_caller = if revoker_is_holder {
        match holder_principal(&state, &req).await {
            Ok(p) => Some(p),
            Err(answer) => return answer,
        }
    } else {
        None
    };
    let p = match form(&req, payload).await {
        Ok(f) => TokenParam::from(f),
        Err(answer) => return answer,
    };
    let Some(token) = p.token.filter(|t| !t.is_empty()) else {
        return oauth_error(&OAuthError::invalid_request("token is required"));
    };
    let revoker = match holder_caller {
        Some(p) => Revoker::Holder(p),
        None => Revoker::Client { assertion_type: p.client_assertion_type, assertion: p.client_assertion },
    };
    match state.enforcement.revoke(&h, revoker, &token).await {
        Ok(()) => HttpResponse::Ok().insert_header(("Cache-Control", "no-store")).finish(),
        Err(e) => oauth_error(&e),
    }
}
