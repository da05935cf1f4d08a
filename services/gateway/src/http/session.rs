//! Cookie sign-in for the web portal (SPEC §10): `POST /auth/login` sets an http-only,
//! `SameSite=Strict` session cookie and an `accord_csrf` cookie; a cookie-authenticated
//! `POST /graphql` must echo the latter in `X-CSRF-Token`; `POST /auth/logout` ends the session.
//! Bearer callers never meet any of this.
//!
//! The CSRF value is derived from the session token (a one-way digest), so it is bound to the
//! session: a cookie planted by someone else (a sibling subdomain) matches no session, and
//! knowing the CSRF value reveals nothing of the session.

use super::state::AppState;
use accord_kernel::{Classify, ErrorKind};
use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieAge};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde_json::json;

/// The http-only cookie holding the session token.
pub const SESSION_COOKIE: &str = "accord_session";
/// The cookie the portal's script reads and echoes in [`CSRF_HEADER`].
pub const CSRF_COOKIE: &str = "accord_csrf";
/// The header a cookie-authenticated request must carry.
pub const CSRF_HEADER: &str = "x-csrf-token";
/// The largest sign-in body read.
const MAX_LOGIN_BODY: usize = 4 * 1024;

/// The CSRF value of a session token.
#[must_use]
pub fn csrf_for(session: &str) -> String {
    accord_kernel::secret::token_hash(&format!("accord-csrf\0{session}"))
}

/// The session a cookie-authenticated request speaks for: `None` without a session cookie;
/// `Err` (with the message to answer `FORBIDDEN` with) when the `X-CSRF-Token` header is
/// missing or is not the session's CSRF value and the `accord_csrf` cookie.
pub(crate) fn cookie_session(req: &HttpRequest) -> Option<Result<String, &'static str>> {
    let session = req.cookie(SESSION_COOKIE)?.value().to_owned();
    let expected = csrf_for(&session);
    let header = req.headers().get(CSRF_HEADER).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let cookie = req.cookie(CSRF_COOKIE).map(|c| c.value().to_owned()).unwrap_or_default();
    let same = |a: &str, b: &str| a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0;
    if header.is_empty() {
        return Some(Err(
            "a request signed in with the session cookie must carry the X-CSRF-Token header (the accord_csrf cookie's value)",
        ));
    }
    if !(same(header, &expected) && same(&cookie, &expected)) {
        return Some(Err("the X-CSRF-Token header does not match this session"));
    }
    Some(Ok(session))
}

fn refusal(status: StatusCode, message: &str) -> HttpResponse {
    HttpResponse::build(status).json(json!({ "error": message }))
}

fn cookies(state: &AppState, session: &str, max_age: CookieAge) -> (Cookie<'static>, Cookie<'static>) {
    let secure = state.settings.public_url.starts_with("https://");
    let build = |name: &'static str, value: String, http_only: bool| {
        Cookie::build(name, value).path("/").same_site(SameSite::Strict).secure(secure).http_only(http_only).max_age(max_age).finish()
    };
    let csrf = if session.is_empty() { String::new() } else { csrf_for(session) };
    (build(SESSION_COOKIE, session.to_owned(), true), build(CSRF_COOKIE, csrf, false))
}

/// `POST /auth/login` with `{"email", "password"}` as `application/json`: `200` with the user
/// and the two cookies; `415` for another content type, `400` naming the field, `401` for bad credentials, `429` (with `Retry-After`) when
/// rate-limited — each with a JSON `{"error"}` — exactly as the `login` mutation decides.
pub async fn login(state: web::Data<AppState>, req: HttpRequest, body: web::Bytes) -> HttpResponse {
    // JSON only: a cross-site page cannot send it without a CORS preflight, so it cannot sign a
    // visitor into someone else's account (login CSRF) with a plain form post.
    if let Err(refused) = super::body::check_headers(&req) {
        return refusal(refused.status, &refused.message);
    }
    if body.len() > MAX_LOGIN_BODY {
        return refusal(StatusCode::PAYLOAD_TOO_LARGE, "the sign-in body is larger than 4 KiB");
    }
    let Ok(serde_json::Value::Object(parsed)) = serde_json::from_slice(&body) else {
        return refusal(StatusCode::BAD_REQUEST, "the body must be a JSON object with `email` and `password`");
    };
    let field = |name: &str| parsed.get(name).and_then(serde_json::Value::as_str).filter(|v| !v.trim().is_empty());
    let Some(email) = field("email") else {
        return refusal(StatusCode::BAD_REQUEST, "email: required, a string");
    };
    let Some(password) = field("password") else {
        return refusal(StatusCode::BAD_REQUEST, "password: required, a string");
    };
    let ip = crate::client_ip::client_address(&req, &state.settings.trusted_proxies);
    match state.tenants.login(email, password, ip.as_deref()).await {
        Ok(session) => {
            let max_age = CookieAge::minutes(state.settings.session_ttl_minutes);
            let (s, c) = cookies(&state, &session.token, max_age);
            HttpResponse::Ok()
                .cookie(s)
                .cookie(c)
                .insert_header(("Cache-Control", "no-store"))
                .json(json!({ "user": { "id": session.user.id, "email": session.user.email, "name": session.user.name } }))
        }
        Err(accord_tenants::Error::RateLimited { retry_after_secs }) => {
            HttpResponse::TooManyRequests().insert_header(("Retry-After", retry_after_secs.to_string())).json(json!({
                "error": format!("too many failed sign-ins; try again in {retry_after_secs} s")
            }))
        }
        Err(e) => match e.kind() {
            ErrorKind::Unauthenticated => refusal(StatusCode::UNAUTHORIZED, "wrong email or password"),
            ErrorKind::BadUserInput => refusal(StatusCode::BAD_REQUEST, &e.to_string()),
            _ => {
                tracing::error!(error = %accord_kernel::gql::cause_chain(&e), "sign-in failed");
                refusal(StatusCode::INTERNAL_SERVER_ERROR, "sign-in failed; try again")
            }
        },
    }
}

/// `POST /auth/logout`: ends the cookie's session (with its CSRF header, like every
/// cookie-authenticated call) and clears both cookies. `204` also when there was no session.
pub async fn logout(state: web::Data<AppState>, req: HttpRequest) -> HttpResponse {
    let cleared = || {
        let (s, c) = cookies(&state, "", CookieAge::ZERO);
        HttpResponse::NoContent().cookie(s).cookie(c).finish()
    };
    let session = match cookie_session(&req) {
        None => return cleared(),
        Some(Err(why)) => return refusal(StatusCode::FORBIDDEN, why),
        Some(Ok(s)) => s,
    };
    let Ok(identity) = state.enforcement.identify(&session).await else { return cleared() };
    if let Err(e) = state.tenants.logout(&identity.principal).await {
        tracing::error!(error = %accord_kernel::gql::cause_chain(&e), "logout failed");
        return refusal(StatusCode::INTERNAL_SERVER_ERROR, "logout failed; try again");
    }
    // Ended here before the answer, elsewhere within the feed's interval.
    if let Err(e) = state.enforcement.poll_feed().await {
        tracing::warn!(error = %accord_kernel::gql::cause_chain(&e), "enforcement could not catch up with a logout");
    }
    cleared()
}
