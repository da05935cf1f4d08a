//! Session JWTs (HS256 with a key derived from the master key; `exp`, `iss`, `aud` required and
//! checked against the injectable clock) and the prefixes of this service's tokens. Hashing and
//! random tokens are the kernel's ([`accord_kernel::secret`]).

use crate::error::{Error, Result};
use chrono::{DateTime, Duration, Utc};
use jsonwebtoken::{DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

/// Prefix of personal and service API tokens.
pub const API_TOKEN_PREFIX: &str = "acc_pat_";
/// Prefix of invitation tokens.
pub const INVITATION_PREFIX: &str = "acc_inv_";

/// What a session JWT carries.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Claims {
    /// The user id.
    pub sub: String,
    /// The user's tenant id.
    pub tid: String,
    /// The user's session version when issued.
    pub sv: i32,
    /// Issuer: the public URL.
    pub iss: String,
    /// Audience: the API.
    pub aud: String,
    /// Issued at (seconds).
    pub iat: i64,
    /// Expiry (seconds).
    pub exp: i64,
    /// Unique id.
    pub jti: String,
}

/// The audience of session tokens.
pub const SESSION_AUDIENCE: &str = "accord-api";

/// Issues and verifies session JWTs.
#[derive(Clone)]
pub struct SessionKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    issuer: String,
    ttl: Duration,
}

impl std::fmt::Debug for SessionKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionKeys").field("issuer", &self.issuer).field("ttl", &self.ttl).finish_non_exhaustive()
    }
}

impl SessionKeys {
    /// Keys from a derived 32-byte secret.
    ///
    /// # Errors
    /// `Internal` if the key is refused by the JWT library.
    pub fn new(secret: &[u8; 32], issuer: &str, ttl: Duration) -> Result<Self> {
        Ok(Self {
            encoding: EncodingKey::from_secret(secret).map_err(|e| Error::Internal(Box::new(e)))?,
            decoding: DecodingKey::from_secret(secret).map_err(|e| Error::Internal(Box::new(e)))?,
            issuer: issuer.to_owned(),
            ttl,
        })
    }

    /// A session for `user` at `now`.
    ///
    /// # Errors
    /// `Internal` if signing fails.
    pub fn issue(&self, user_id: &str, tenant_id: &str, session_version: i32, now: DateTime<Utc>) -> Result<String> {
        let claims = Claims {
            sub: user_id.to_owned(),
            tid: tenant_id.to_owned(),
            sv: session_version,
            iss: self.issuer.clone(),
            aud: SESSION_AUDIENCE.to_owned(),
            iat: now.timestamp(),
            exp: (now + self.ttl).timestamp(),
            jti: accord_kernel::new_id(),
        };
        jsonwebtoken::encode(&Header::new(jsonwebtoken::Algorithm::HS256), &claims, &self.encoding)
            .map_err(|e| Error::Internal(Box::new(e)))
    }

    /// Verifies signature, algorithm (HS256 only: `none` and every other algorithm are
    /// refused), issuer, audience and expiry against `now`.
    ///
    /// # Errors
    /// `Unauthenticated` for any defect, without saying which.
    pub fn verify(&self, token: &str, now: DateTime<Utc>) -> Result<Claims> {
        let mut v = Validation::new(jsonwebtoken::Algorithm::HS256);
        v.set_issuer(&[&self.issuer]);
        v.set_audience(&[SESSION_AUDIENCE]);
        v.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        // Expiry is checked below against the injectable clock instead of the system time.
        v.validate_exp = false;
        let data = jsonwebtoken::decode::<Claims>(token, &self.decoding, &v).map_err(|_| Error::Unauthenticated)?;
        if data.claims.exp <= now.timestamp() {
            return Err(Error::Unauthenticated);
        }
        Ok(data.claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine as _;

    fn keys() -> SessionKeys {
        SessionKeys::new(&[7u8; 32], "http://accord.test", Duration::minutes(60)).unwrap()
    }

    #[test]
    fn a_session_verifies_until_it_expires() {
        let now = Utc::now();
        let t = keys().issue("u1", "t1", 3, now).unwrap();
        let c = keys().verify(&t, now + Duration::minutes(59)).unwrap();
        assert_eq!((c.sub.as_str(), c.tid.as_str(), c.sv), ("u1", "t1", 3));
        assert!(keys().verify(&t, now + Duration::minutes(61)).is_err());
    }

    #[test]
    fn alg_none_other_keys_issuers_and_tampering_are_refused() {
        let now = Utc::now();
        let t = keys().issue("u1", "t1", 0, now).unwrap();
        let parts: Vec<&str> = t.split('.').collect();
        let none_header = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#);
        assert!(keys().verify(&format!("{none_header}.{}.", parts[1]), now).is_err());
        let other = SessionKeys::new(&[8u8; 32], "http://accord.test", Duration::minutes(60)).unwrap();
        assert!(other.verify(&t, now).is_err());
        let wrong_iss = SessionKeys::new(&[7u8; 32], "http://elsewhere", Duration::minutes(60)).unwrap();
        assert!(wrong_iss.verify(&t, now).is_err());
        let mut tampered = t.clone();
        tampered.insert(parts[0].len() + 3, 'x');
        assert!(keys().verify(&tampered, now).is_err());
    }

    #[test]
    fn api_tokens_carry_their_prefix() {
        let (a, _) = accord_kernel::secret::new_token(API_TOKEN_PREFIX);
        assert!(a.starts_with("acc_pat_") && a.len() == 8 + 43);
    }
}
