//! Access tokens: JWTs signed with the holder's current key, at most [`MAX_TOKEN_SECS`] long
//! and never past the grant's expiry, carrying requested ∩ granted scopes and the grant's id.
//! A token is *active* only while its signature, issuer and expiry hold, it was not revoked,
//! its app is ACTIVE and the holder's live grant still covers every scope it carries.

use crate::view::{Client, LiveGrant};
use accord_scopes::{ScopeSet, covers_all};
use chrono::{DateTime, Utc};
use jsonwebtoken::{Algorithm, Header, Validation};
use serde::{Deserialize, Serialize};

/// The longest access token (SMART Backend Services: `expires_in` SHOULD NOT exceed 300).
pub const MAX_TOKEN_SECS: i64 = 300;

/// The claims of an access token.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct AccessClaims {
    /// The holder's base URL (`{public}/t/{slug}`).
    pub iss: String,
    /// The client id.
    pub sub: String,
    /// The holder's base URL: the FHIR APIs it guards accept it.
    pub aud: String,
    /// Expiry (seconds since the epoch).
    pub exp: i64,
    /// Issued at.
    pub iat: i64,
    /// The token's id (revocation names it).
    pub jti: String,
    /// The client id (RFC 9068).
    pub client_id: String,
    /// The scopes it carries, space-separated.
    pub scope: String,
    /// The grant it was issued under.
    pub grant_id: String,
}

impl AccessClaims {
    /// When it expires.
    #[must_use]
    pub fn expires_at(&self) -> DateTime<Utc> {
        DateTime::from_timestamp(self.exp, 0).unwrap_or(DateTime::<Utc>::MIN_UTC)
    }
}

/// The JWT header of a token signed with `kid`.
pub(crate) fn header(kid: &str) -> Header {
    let mut h = Header::new(Algorithm::ES384);
    h.kid = Some(kid.to_owned());
    h.typ = Some("at+jwt".into());
    h
}

/// The validation of a token of `issuer` (expiry is checked against Accord's clock).
pub(crate) fn validation(issuer: &str) -> Validation {
    let mut v = Validation::new(Algorithm::ES384);
    v.validate_exp = false;
    v.validate_nbf = false;
    v.required_spec_claims.clear();
    v.set_issuer(&[issuer]);
    v.validate_aud = false;
    v
}

/// Why a verified token is not active now, if it is not.
pub(crate) fn inactive_because(
    claims: &AccessClaims,
    carried: &ScopeSet,
    client: Option<&Client>,
    holder_id: &str,
    now: DateTime<Utc>,
) -> Option<&'static str> {
    if claims.expires_at() <= now {
        return Some("expired");
    }
    let Some(client) = client else { return Some("unknown client") };
    if client.app.status != accord_registry::AppStatus::Active {
        return Some("the app is not active");
    }
    let Some(grant) = client.grant_at(holder_id) else { return Some("no live grant") };
    if !grant.is_live(now) {
        return Some("the grant is not live");
    }
    if !covers_all(&grant.scopes, carried) {
        return Some("the grant no longer covers the token's scopes");
    }
    None
}

/// The live grant a token's answers name.
pub(crate) fn live_grant<'a>(client: &'a Client, holder_id: &str, now: DateTime<Utc>) -> Option<&'a LiveGrant> {
    client.grant_at(holder_id).filter(|g| g.is_live(now))
}
