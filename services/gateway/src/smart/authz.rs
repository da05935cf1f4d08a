//! `GET /t/{slug}/authz`: the `auth_request` target. NGINX passes the original request in
//! `X-Original-Method` and `X-Original-URI`. Envoy's HTTP external authorization sends the
//! original method and path as the check request's own, after a path prefix: point its
//! `path_prefix` at `/t/{slug}/authz` and `/t/{slug}/authz/fhir/Observation/1` is read as
//! the request `/fhir/Observation/1` with the check request's method.

use super::edge::{bearer, holder, unavailable};
use crate::http::state::AppState;
use accord_enforcement::Authz;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};

fn header<'a>(req: &'a HttpRequest, name: &str) -> Option<&'a str> {
    req.headers().get(name).and_then(|v| v.to_str().ok()).filter(|v| !v.is_empty())
}

/// `GET /t/{slug}/authz` (NGINX).
pub async fn authz(state: web::Data<AppState>, slug: web::Path<String>, req: HttpRequest) -> HttpResponse {
    let (Some(method), Some(uri)) = (header(&req, "x-original-method"), header(&req, "x-original-uri")) else {
        return HttpResponse::build(StatusCode::FORBIDDEN)
            .insert_header(("X-Accord-Reason", "X-Original-Method and X-Original-URI are required"))
            .finish();
    };
    decide(&state, &slug, &req, method, uri).await
}

/// `ANY /t/{slug}/authz/{path}` (Envoy external authorization with `path_prefix`).
pub async fn ext_authz(state: web::Data<AppState>, path: web::Path<(String, String)>, req: HttpRequest) -> HttpResponse {
    let (slug, tail) = path.into_inner();
    let uri = match req.uri().query() {
        Some(q) => format!("/{tail}?{q}"),
        None => format!("/{tail}"),
    };
    decide(&state, &slug, &req, req.method().as_str(), &uri).await
}

async fn decide(state: &AppState, slug: &str, req: &HttpRequest, method: &str, uri: &str) -> HttpResponse {
    let h = match holder(state, slug).await {
        Ok(h) => h,
        Err(answer) => return answer,
    };
    match state.enforcement.authz(&h, bearer(req), method, uri).await {
        Ok(Authz::Allow { client_id, grant_id }) => {
            HttpResponse::Ok().insert_header(("X-Accord-Client-Id", client_id)).insert_header(("X-Accord-Grant-Id", grant_id)).finish()
        }
        Ok(Authz::Unauthorized(why)) => HttpResponse::build(StatusCode::UNAUTHORIZED)
            .insert_header(("WWW-Authenticate", "Bearer error=\"invalid_token\""))
            .insert_header(("X-Accord-Reason", why))
            .finish(),
        Ok(Authz::Forbidden(why)) => HttpResponse::build(StatusCode::FORBIDDEN)
            .insert_header(("WWW-Authenticate", "Bearer error=\"insufficient_scope\""))
            .insert_header(("X-Accord-Reason", why))
            .finish(),
        Err(e) => unavailable(&e),
    }
}
