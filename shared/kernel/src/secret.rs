//! Secrets at rest: argon2id hashing for passwords and client secrets (OWASP parameters:
//! 19 MiB, t=2, p=1; the slow work runs off the async runtime), and random prefixed tokens
//! (256 bits, base64url) stored only as their SHA-256. Shared by tenants (passwords, API and
//! invitation tokens) and the registry (client secrets), so both hash with the same rules.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine as _;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// Hashing failed (a parameter the argon2 library refused, or the blocking task died). The
/// message is for the log only.
#[derive(Debug, thiserror::Error)]
#[error("secret hashing failed: {0}")]
pub struct HashError(String);

fn argon2() -> Result<Argon2<'static>, HashError> {
    let params = Params::new(19 * 1024, 2, 1, None).map_err(|e| HashError(e.to_string()))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// Hashes a password (or client secret) with argon2id, off the async runtime.
///
/// # Errors
/// [`HashError`] if hashing fails.
pub async fn hash_secret(clear: String) -> Result<String, HashError> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
        argon2()?.hash_password(clear.as_bytes(), &salt).map(|h| h.to_string()).map_err(|e| HashError(e.to_string()))
    })
    .await
    .map_err(|e| HashError(e.to_string()))?
}

/// Checks a secret against a stored hash, off the async runtime. A malformed hash never matches.
pub async fn verify_secret(hash: String, clear: String) -> bool {
    tokio::task::spawn_blocking(move || {
        let Ok(parsed) = PasswordHash::new(&hash) else { return false };
        argon2().is_ok_and(|a| a.verify_password(clear.as_bytes(), &parsed).is_ok())
    })
    .await
    .unwrap_or(false)
}

/// A random token `<prefix><43 chars of base64url>` (256 bits) and its SHA-256 for storage.
#[must_use]
pub fn new_token(prefix: &str) -> (String, String) {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let clear = format!("{prefix}{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes));
    let hash = token_hash(&clear);
    (clear, hash)
}

/// The stored form of a token: hex SHA-256 (fast to look up, useless if the table leaks).
#[must_use]
pub fn token_hash(clear: &str) -> String {
    hex::encode(Sha256::digest(clear.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn secrets_hash_with_argon2id_and_verify() {
        let h = hash_secret("correct horse battery".into()).await.unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(verify_secret(h.clone(), "correct horse battery".into()).await);
        assert!(!verify_secret(h, "wrong horse battery".into()).await);
    }

    #[tokio::test]
    async fn a_malformed_hash_never_matches() {
        assert!(!verify_secret("not-a-hash".into(), "anything".into()).await);
    }

    #[test]
    fn tokens_are_prefixed_random_and_stored_as_sha256() {
        let (a, ha) = new_token("acc_pat_");
        let (b, _) = new_token("acc_pat_");
        assert!(a.starts_with("acc_pat_") && a.len() == 8 + 43);
        assert_ne!(a, b);
        assert_eq!(ha, token_hash(&a));
        assert_eq!(ha.len(), 64);
    }
}
