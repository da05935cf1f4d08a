//! SMART discovery and the holder's JWKS.

use super::edge::{holder, unavailable};
use crate::http::state::AppState;
use actix_web::{HttpResponse, web};
use serde_json::json;

/// `GET /t/{slug}/.well-known/smart-configuration`: Backend Services, absolute URLs, JSON
/// whatever the `Accept`, readable from any origin.
pub async fn smart_configuration(state: web::Data<AppState>, slug: web::Path<String>) -> HttpResponse {
    let h = match holder(&state, &slug).await {
        Ok(h) => h,
        Err(answer) => return answer,
    };
    let base = state.enforcement.base_url(&h.slug);
    HttpResponse::Ok().insert_header(("Access-Control-Allow-Origin", "*")).insert_header(("Cache-Control", "public, max-age=300")).json(
        json!({
            "token_endpoint": format!("{base}/oauth/token"),
            "jwks_uri": format!("{base}/.well-known/jwks.json"),
            "introspection_endpoint": format!("{base}/oauth/introspect"),
            "revocation_endpoint": format!("{base}/oauth/revoke"),
            "grant_types_supported": ["client_credentials"],
            "token_endpoint_auth_methods_supported": ["private_key_jwt"],
            "token_endpoint_auth_signing_alg_values_supported": ["RS384", "ES384"],
            "scopes_supported": ["system/*.cruds", "system/*.rs", "system/*.read", "system/*.write"],
            "response_types_supported": ["token"],
            "capabilities": ["client-confidential-asymmetric", "permission-v1", "permission-v2"],
            "code_challenge_methods_supported": ["S256"],
        }),
    )
}

/// `GET /t/{slug}/.well-known/jwks.json`: the holder's current and still-published keys.
pub async fn jwks(state: web::Data<AppState>, slug: web::Path<String>) -> HttpResponse {
    let h = match holder(&state, &slug).await {
        Ok(h) => h,
        Err(answer) => return answer,
    };
    match state.enforcement.jwks(&h).await {
        // A minute: a resource server that meets an unknown `kid` refetches anyway.
        Ok(keys) => HttpResponse::Ok()
            .insert_header(("Access-Control-Allow-Origin", "*"))
            .insert_header(("Cache-Control", "public, max-age=60"))
            .json(keys),
        Err(e) => unavailable(&e),
    }
}
