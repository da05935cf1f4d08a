//! The enforcement edge (SPEC §8): per data holder under `/t/{slug}`, SMART discovery, the
//! holder's JWKS, the Backend Services token endpoint, introspection, revocation and the
//! `auth_request` target; platform-wide, `POST /v1/decisions` and `POST /v1/usage`. Handlers
//! read and bound the request, call one [`accord_enforcement::Enforcement`] function and map
//! its answer; every rule lives in that crate. Modules here name each other, never this file.

pub mod authz;
pub mod discovery;
pub mod edge;
pub mod oauth;
pub mod v1;

use actix_web::web;

/// The enforcement routes.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/t/{slug}/.well-known/smart-configuration", web::get().to(discovery::smart_configuration))
        .route("/t/{slug}/.well-known/jwks.json", web::get().to(discovery::jwks))
        .route("/t/{slug}/oauth/token", web::post().to(oauth::token))
        .route("/t/{slug}/oauth/introspect", web::post().to(oauth::introspect))
        .route("/t/{slug}/oauth/revoke", web::post().to(oauth::revoke))
        .route("/t/{slug}/authz", web::get().to(authz::authz))
        .route("/t/{slug}/authz/{path:.*}", web::route().to(authz::ext_authz))
        .route("/v1/decisions", web::post().to(v1::decisions))
        .route("/v1/usage", web::post().to(v1::usage));
}
