//! The approver portal (SPEC §10): the built `frontend/dist` embedded in the binary, served at
//! `/` from the same origin as `/graphql`.
//!
//! - The portal's own paths ([`PAGES`], the routes of `frontend/src/App.tsx`) answer
//!   `index.html` (the client routes them); any other unknown path stays a plain `404`, so
//!   scanners and typos do not get a 200 and the metrics keep one label per page pattern.
//! - `/assets/*` are content-hashed by Vite: cached for a year, `immutable`. `index.html` and the
//!   few unhashed root files revalidate (`no-cache` + `ETag`), so a new release is seen at once.
//! - Every answer carries a strict Content-Security-Policy (scripts, styles, fetches only from
//!   this origin; no inline code; no framing), `X-Frame-Options: DENY`, `nosniff` and a
//!   same-origin referrer policy, and is compressed when the browser accepts it.
//! - When the binary was built without the portal (no `npm` at build time) the pages explain
//!   how to build it instead of answering 404.

use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Compress;
use actix_web::{HttpRequest, HttpResponse, web};
use rust_embed::Embed;

/// `frontend/dist`, as the build script left it (see `build.rs`).
#[derive(Embed)]
#[folder = "../../frontend/dist/"]
#[allow_missing = true]
struct Dist;

/// The portal's client-side routes (keep in step with `frontend/src/App.tsx`; a test loads
/// each of them).
pub const PAGES: &[&str] = &[
    "/",
    "/login",
    "/inbox",
    "/requests",
    "/requests/{id}",
    "/grants",
    "/grants/{id}",
    "/reviews",
    "/reviews/{id}",
    "/audit",
    "/apps",
    "/apps/{id}",
    "/partners",
    "/settings",
    "/settings/{page}",
    "/settings/webhooks/{id}",
];

/// What the portal's pages may load: everything from this origin, nothing inline, no frames.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
     font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Hashed assets never change under their name.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// Mounts the pages, `/assets/{file}` and the unhashed files at the root (favicon).
pub fn routes(cfg: &mut web::ServiceConfig) {
    for page in PAGES {
        cfg.service(web::resource(*page).wrap(Compress::default()).get(index).head(index));
    }
    cfg.service(web::resource("/assets/{file}").wrap(Compress::default()).get(asset).head(asset));
    cfg.service(web::resource("/favicon.svg").get(root_file).head(root_file));
}

async fn index(req: HttpRequest) -> HttpResponse {
    match Dist::get("index.html") {
        Some(file) => serve(&req, "index.html", file, "no-cache"),
        None => not_built(),
    }
}

async fn asset(req: HttpRequest, file: web::Path<String>) -> HttpResponse {
    let path = format!("assets/{file}");
    match Dist::get(&path) {
        Some(embedded) => serve(&req, &path, embedded, IMMUTABLE),
        None => not_found(),
    }
}

async fn root_file(req: HttpRequest) -> HttpResponse {
    let path = req.path().trim_start_matches('/').to_owned();
    match Dist::get(&path) {
        Some(embedded) => serve(&req, &path, embedded, "public, max-age=3600"),
        None => not_found(),
    }
}

fn serve(req: &HttpRequest, path: &str, file: rust_embed::EmbeddedFile, cache: &'static str) -> HttpResponse {
    let etag = format!("\"{}\"", hex::encode(&file.metadata.sha256_hash()[..16]));
    let fresh = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    let mut res = if fresh { HttpResponse::NotModified() } else { HttpResponse::Ok() };
    res.insert_header((header::CACHE_CONTROL, cache)).insert_header((header::ETAG, etag));
    secure(&mut res);
    if fresh {
        return res.finish();
    }
    res.content_type(content_type(path)).body(file.data.into_owned())
}

/// The headers every portal answer carries.
fn secure(res: &mut actix_web::HttpResponseBuilder) {
    res.insert_header((header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CONTENT_SECURITY_POLICY)))
        .insert_header((header::X_FRAME_OPTIONS, "DENY"))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((header::REFERRER_POLICY, "same-origin"))
        .insert_header(("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"))
        .insert_header(("Cross-Origin-Opener-Policy", "same-origin"));
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit_once('.').map(|(_, ext)| ext) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("json") => "application/json",
        Some("png") => "image/png",
        Some("woff2") => "font/woff2",
        Some("txt") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn not_found() -> HttpResponse {
    let mut res = HttpResponse::NotFound();
    secure(&mut res);
    res.content_type("text/plain; charset=utf-8").body("not found")
}

/// The binary was built without the portal: say how to get it, without pretending it exists.
fn not_built() -> HttpResponse {
    let mut res = HttpResponse::ServiceUnavailable();
    secure(&mut res);
    res.insert_header((header::CACHE_CONTROL, "no-store")).content_type("text/html; charset=utf-8").body(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Accord: portal not built</title></head>\
         <body><main><h1>The web portal was not built into this binary</h1>\
         <p>It is built from <code>frontend/</code> when Node.js 20+ and npm are installed: install them and build again \
         (<code>cargo build</code> runs <code>npm ci</code> and <code>npm run build</code>). The GraphQL API at \
         <a href=\"/graphql\">/graphql</a> works without it.</p></main></body></html>",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_and_unhashed_files_get_their_content_types() {
        assert_eq!(content_type("assets/index-1a2b.js"), "text/javascript; charset=utf-8");
        assert_eq!(content_type("assets/index-1a2b.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("favicon.svg"), "image/svg+xml");
        assert_eq!(content_type("assets/unknown.bin"), "application/octet-stream");
    }

    #[test]
    fn the_policy_allows_nothing_inline_and_no_framing() {
        for directive in ["script-src 'self'", "style-src 'self'", "frame-ancestors 'none'", "object-src 'none'", "base-uri 'none'"] {
            assert!(CONTENT_SECURITY_POLICY.contains(directive), "{directive}");
        }
        assert!(!CONTENT_SECURITY_POLICY.contains("unsafe"), "{CONTENT_SECURITY_POLICY}");
    }
}
