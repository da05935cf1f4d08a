//! Client authentication for SMART Backend Services (`private_key_jwt`, RFC 7523): every SHALL
//! of the SMART App Launch 2.2 "Client Authentication: Asymmetric" page. The key is chosen by
//! `kid` and by `kty` consistent with `alg` from the app's inline JWKS or its `jwksUri`; `jku`
//! is honoured only when it is exactly the registered `jwksUri`; `alg` is RS384 or ES384 and
//! fixed by the key (no `none`, no HMAC); `iss` = `sub` = the client id; `aud` = this token
//! URL; `exp` no more than five minutes ahead; a `jti` is accepted once per client within its
//! lifetime. Every failure is `invalid_client`, described without echoing secrets.

use crate::error::OAuthError;
use crate::view::Client;
use accord_registry::AppStatus;
use chrono::{DateTime, Utc};
use jsonwebtoken::jwk::{AlgorithmParameters, EllipticCurve, Jwk, JwkSet};
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The furthest ahead an assertion's `exp` may be (SMART: five minutes), plus a few seconds
/// for the client's clock and the request's flight.
pub const MAX_ASSERTION_SECS: i64 = 300;
/// Clock tolerance for `exp`, either way.
pub const SKEW_SECS: i64 = 5;
/// A fetched JWKS is kept at most this long, and as long as its `Cache-Control` allows.
pub const MAX_JWKS_AGE: Duration = Duration::from_secs(3600);
/// Without `Cache-Control`, a fetched JWKS is kept this long.
pub const DEFAULT_JWKS_AGE: Duration = Duration::from_secs(300);
/// An unknown `kid` refetches the JWKS at most this often per URL.
pub const REFETCH_AT_MOST_EVERY: Duration = Duration::from_secs(10);
/// The longest JWKS document read.
pub const MAX_JWKS_BYTES: usize = 64 * 1024;

/// What the assertion's header must say.
pub(crate) struct Header {
    pub alg: Algorithm,
    pub kid: String,
    pub jku: Option<String>,
}

/// The parts of an assertion read before its signature is checked (to find the keys).
pub(crate) fn peek(assertion: &str) -> Result<(Header, String), OAuthError> {
    let header = jsonwebtoken::decode_header(assertion)
        .map_err(|_| OAuthError::invalid_client("client_assertion is not a signed JWT with an RS384 or ES384 `alg`"))?;
    if !matches!(header.alg, Algorithm::RS384 | Algorithm::ES384) {
        return Err(OAuthError::invalid_client(format!(
            "client_assertion: alg {:?} is not accepted; sign with RS384 or ES384",
            header.alg
        )));
    }
    if !header.typ.as_deref().is_some_and(|t| t.eq_ignore_ascii_case("JWT")) {
        return Err(OAuthError::invalid_client("client_assertion: the header's typ must be JWT"));
    }
    let kid = header.kid.filter(|k| !k.is_empty()).ok_or_else(|| OAuthError::invalid_client("client_assertion: the header has no kid"))?;
    let claims: Value = jsonwebtoken::dangerous::insecure_decode_claims(assertion)
        .map_err(|_| OAuthError::invalid_client("client_assertion: the claims are not a JSON object"))?;
    let iss = claims.get("iss").and_then(Value::as_str).unwrap_or_default();
    let sub = claims.get("sub").and_then(Value::as_str).unwrap_or_default();
    if iss.is_empty() {
        return Err(OAuthError::invalid_client("client_assertion: iss is missing (it must be the client id)"));
    }
    if iss != sub {
        return Err(OAuthError::invalid_client("client_assertion: iss and sub must both be the client id"));
    }
    Ok((Header { alg: header.alg, kid, jku: header.jku }, iss.to_owned()))
}

/// The app may authenticate at all.
pub(crate) fn check_app(client: &Client) -> Result<(), OAuthError> {
    match client.app.status {
        AppStatus::Active => Ok(()),
        AppStatus::Suspended => Err(OAuthError::invalid_client("the app is suspended")),
        AppStatus::Offboarded => Err(OAuthError::invalid_client("the app is offboarded")),
    }
}

/// The one key of `keys` whose `kid` matches and whose type fits `alg`.
pub(crate) fn select<'a>(keys: &'a JwkSet, header: &Header) -> Result<Option<&'a Jwk>, OAuthError> {
    let mut matching =
        keys.keys.iter().filter(|k| k.common.key_id.as_deref() == Some(header.kid.as_str())).filter(|k| match (&k.algorithm, header.alg) {
            (AlgorithmParameters::RSA(_), Algorithm::RS384) => true,
            (AlgorithmParameters::EllipticCurve(ec), Algorithm::ES384) => ec.curve == EllipticCurve::P384,
            _ => false,
        });
    let first = matching.next();
    if matching.next().is_some() {
        return Err(OAuthError::invalid_client(format!("client_assertion: more than one registered key has kid {}", header.kid)));
    }
    Ok(first)
}

/// Verifies the signature and the claims with `key`; returns `(jti, exp)`.
pub(crate) fn verify(
    assertion: &str,
    key: &Jwk,
    header: &Header,
    client_id: &str,
    token_url: &str,
    now: DateTime<Utc>,
) -> Result<(String, DateTime<Utc>), OAuthError> {
    let decoding = DecodingKey::from_jwk(key)
        .map_err(|_| OAuthError::invalid_client(format!("client_assertion: the registered key {} cannot be used", header.kid)))?;
    let mut v = Validation::new(header.alg);
    v.validate_exp = false; // checked below against Accord's clock
    v.validate_nbf = false;
    v.required_spec_claims.clear();
    v.set_audience(&[token_url]);
    v.set_issuer(&[client_id]);
    v.sub = Some(client_id.to_owned());
    let data = jsonwebtoken::decode::<Value>(assertion, &decoding, &v).map_err(|e| {
        use jsonwebtoken::errors::ErrorKind as K;
        OAuthError::invalid_client(match e.kind() {
            K::InvalidAudience | K::MissingRequiredClaim(_) if !has_aud(assertion, token_url) => {
                format!("client_assertion: aud must be this token endpoint, {token_url}")
            }
            K::InvalidSignature => format!("client_assertion: the signature does not verify with the registered key {}", header.kid),
            K::InvalidIssuer | K::InvalidSubject => "client_assertion: iss and sub must both be the client id".to_owned(),
            _ => "client_assertion: it cannot be verified".to_owned(),
        })
    })?;
    let claims = data.claims;
    let exp = claims
        .get("exp")
        .and_then(Value::as_i64)
        .and_then(|e| DateTime::<Utc>::from_timestamp(e, 0))
        .ok_or_else(|| OAuthError::invalid_client("client_assertion: exp is missing or not a number of seconds"))?;
    let ahead = (exp - now).num_seconds();
    if ahead < -SKEW_SECS {
        return Err(OAuthError::invalid_client("client_assertion: it has expired"));
    }
    if ahead > MAX_ASSERTION_SECS + SKEW_SECS {
        return Err(OAuthError::invalid_client("client_assertion: exp is more than five minutes ahead"));
    }
    let jti = claims.get("jti").and_then(Value::as_str).filter(|j| !j.is_empty() && j.len() <= 512);
    let jti = jti.ok_or_else(|| OAuthError::invalid_client("client_assertion: jti is missing"))?;
    Ok((jti.to_owned(), exp))
}

fn has_aud(assertion: &str, token_url: &str) -> bool {
    let Ok(claims) = jsonwebtoken::dangerous::insecure_decode_claims::<Value>(assertion) else { return false };
    match claims.get("aud") {
        Some(Value::String(s)) => s == token_url,
        Some(Value::Array(a)) => a.iter().any(|v| v.as_str() == Some(token_url)),
        _ => false,
    }
}

/// The store key that makes a `jti` single-use per client.
pub(crate) fn jti_key(client_id: &str, jti: &str) -> String {
    let digest = Sha256::digest(jti.as_bytes());
    format!("jti:{client_id}:{}", hex_lower(&digest))
}

fn hex_lower(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// An app's inline JWKS, parsed.
pub(crate) fn inline(client: &Client) -> Option<Result<JwkSet, OAuthError>> {
    let raw = client.app.jwks.as_deref()?;
    Some(serde_json::from_str(raw).map_err(|_| OAuthError::invalid_client("the app's registered JWKS cannot be read")))
}

struct Fetched {
    keys: Arc<JwkSet>,
    at: Instant,
    max_age: Duration,
}

/// JWK Sets fetched from apps' `jwksUri`s: over the SSRF-guarded client, with a timeout, kept
/// as their `Cache-Control` allows, refetched on an unknown `kid` (at most every
/// [`REFETCH_AT_MOST_EVERY`]).
pub struct JwksFetcher {
    http: std::sync::RwLock<reqwest::Client>,
    guard: accord_notifications::ssrf::Guard,
    cache: Mutex<HashMap<String, Fetched>>,
}

impl JwksFetcher {
    /// A fetcher over `http` (built with `guard` as its resolver, which covers names; an
    /// address literal in the URL is checked by the guard before each fetch).
    #[must_use]
    pub fn new(http: reqwest::Client, guard: accord_notifications::ssrf::Guard) -> Self {
        Self { http: std::sync::RwLock::new(http), guard, cache: Mutex::default() }
    }

    pub(crate) fn replace_client(&self, http: reqwest::Client) {
        if let Ok(mut h) = self.http.write() {
            *h = http;
        }
    }

    /// The set at `uri`: cached when fresh (and not `refresh`), else fetched.
    pub(crate) async fn get(&self, uri: &str, refresh: bool) -> Result<Arc<JwkSet>, OAuthError> {
        if let Ok(cache) = self.cache.lock()
            && let Some(f) = cache.get(uri)
        {
            let fresh = f.at.elapsed() < f.max_age;
            let recently = f.at.elapsed() < REFETCH_AT_MOST_EVERY;
            if (fresh && !refresh) || (refresh && recently) {
                return Ok(f.keys.clone());
            }
        }
        let (keys, max_age) = self.fetch(uri).await?;
        let keys = Arc::new(keys);
        if let Ok(mut cache) = self.cache.lock() {
            if cache.len() > 10_000 {
                cache.clear();
            }
            cache.insert(uri.to_owned(), Fetched { keys: keys.clone(), at: Instant::now(), max_age });
        }
        Ok(keys)
    }

    async fn fetch(&self, uri: &str) -> Result<(JwkSet, Duration), OAuthError> {
        let fail = |why: &str| OAuthError::invalid_client(format!("the app's jwksUri cannot be used: {why}"));
        let parsed = url::Url::parse(uri).map_err(|_| fail("it is not a URL"))?;
        self.guard.check_url(&parsed).await.map_err(|e| fail(&e.to_string()))?;
        let http = self.http.read().map(|h| h.clone()).map_err(|_| fail("the HTTP client is unavailable"))?;
        let mut resp = http.get(uri).header("accept", "application/json").send().await.map_err(|e| {
            tracing::info!(uri, error = %accord_kernel::gql::cause_chain(&e), "jwksUri fetch failed");
            fail(if e.is_timeout() { "it did not answer in time" } else { "it could not be fetched" })
        })?;
        if !resp.status().is_success() {
            return Err(fail(&format!("it answered HTTP {}", resp.status().as_u16())));
        }
        let max_age = cache_age(resp.headers().get(reqwest::header::CACHE_CONTROL).and_then(|v| v.to_str().ok()));
        let mut body = Vec::new();
        while let Some(chunk) = resp.chunk().await.map_err(|_| fail("the body could not be read"))? {
            body.extend_from_slice(&chunk);
            if body.len() > MAX_JWKS_BYTES {
                return Err(fail("the document is larger than 64 KiB"));
            }
        }
        let raw: Value = serde_json::from_slice(&body).map_err(|_| fail("it is not JSON"))?;
        let has_private = raw.get("keys").and_then(Value::as_array).is_some_and(|ks| ks.iter().any(|k| k.get("d").is_some()));
        if has_private {
            return Err(fail("it publishes private key material"));
        }
        let keys: JwkSet = serde_json::from_value(raw).map_err(|_| fail("it is not a JWK Set"))?;
        Ok((keys, max_age))
    }
}

/// How long `Cache-Control` lets a JWKS be kept.
fn cache_age(header: Option<&str>) -> Duration {
    let Some(h) = header else { return DEFAULT_JWKS_AGE };
    let h = h.to_ascii_lowercase();
    if h.contains("no-store") || h.contains("no-cache") {
        return Duration::ZERO;
    }
    h.split(',')
        .filter_map(|d| d.trim().strip_prefix("max-age="))
        .find_map(|n| n.trim().parse::<u64>().ok())
        .map_or(DEFAULT_JWKS_AGE, |s| Duration::from_secs(s).min(MAX_JWKS_AGE))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_jwks_is_kept_as_its_cache_control_allows_and_never_longer_than_an_hour() {
        assert_eq!(cache_age(None), DEFAULT_JWKS_AGE);
        assert_eq!(cache_age(Some("public, max-age=60")), Duration::from_secs(60));
        assert_eq!(cache_age(Some("max-age=999999")), MAX_JWKS_AGE);
        assert_eq!(cache_age(Some("no-store")), Duration::ZERO);
        assert_eq!(cache_age(Some("no-cache, max-age=60")), Duration::ZERO);
    }
}
