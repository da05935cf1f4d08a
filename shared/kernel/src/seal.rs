//! Encryption at rest (SPEC §2.7) for secrets Accord must read back in clear later — webhook
//! signing secrets, token-signing keys — unlike passwords and API tokens, which are only ever
//! compared and so are hashed. XChaCha20-Poly1305 under a key derived from the master key for
//! one purpose, so a key sealed for webhooks cannot be opened as anything else; a random
//! 192-bit nonce per value, so equal secrets never look equal in the database.

use crate::keys::MasterKey;
use base64::Engine as _;
use chacha20poly1305::aead::{Aead, KeyInit, OsRng};
use chacha20poly1305::{AeadCore, XChaCha20Poly1305, XNonce};

/// The version tag of sealed values, so the scheme can change without guessing.
const PREFIX: &str = "v1.";
const NONCE_LEN: usize = 24;

/// Seals and opens values for one purpose.
#[derive(Clone)]
pub struct Sealer(XChaCha20Poly1305);

impl std::fmt::Debug for Sealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sealer(<redacted>)")
    }
}

/// A sealed value that does not open: tampered, truncated, or sealed under another key or
/// purpose. Says nothing about the content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a sealed secret does not open (wrong key, wrong purpose or altered)")]
pub struct SealError;

impl Sealer {
    /// The sealer for `purpose` (e.g. `"webhook-secrets"`).
    #[must_use]
    pub fn new(key: &MasterKey, purpose: &str) -> Self {
        let k = key.derive(&format!("seal/{purpose}"));
        Self(XChaCha20Poly1305::new(&k.into()))
    }

    /// Encrypts `clear` into printable text (`v1.<base64 of nonce ‖ ciphertext ‖ tag>`).
    #[must_use]
    pub fn seal(&self, clear: &[u8]) -> String {
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        // Encryption with a valid key and nonce cannot fail for in-memory buffers of this size.
        let ct = self.0.encrypt(&nonce, clear).unwrap_or_default();
        let mut out = nonce.to_vec();
        out.extend_from_slice(&ct);
        format!("{PREFIX}{}", base64::engine::general_purpose::STANDARD_NO_PAD.encode(out))
    }

    /// Decrypts what [`Sealer::seal`] produced.
    ///
    /// # Errors
    /// [`SealError`] when the value is malformed, altered or sealed under another key.
    pub fn open(&self, sealed: &str) -> Result<Vec<u8>, SealError> {
        let raw = sealed.strip_prefix(PREFIX).ok_or(SealError)?;
        let bytes = base64::engine::general_purpose::STANDARD_NO_PAD.decode(raw).map_err(|_| SealError)?;
        if bytes.len() < NONCE_LEN {
            return Err(SealError);
        }
        let (nonce, ct) = bytes.split_at(NONCE_LEN);
        let nonce: [u8; NONCE_LEN] = nonce.try_into().map_err(|_| SealError)?;
        self.0.decrypt(&XNonce::from(nonce), ct).map_err(|_| SealError)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_secret_opens_only_with_the_same_key_and_purpose() {
        let key = MasterKey::from_bytes(b"0123456789abcdef0123456789abcdef");
        let s = Sealer::new(&key, "webhook-secrets");
        let sealed = s.seal(b"whsec_abc");
        assert!(!sealed.contains("whsec_abc"));
        assert_ne!(sealed, s.seal(b"whsec_abc"), "a fresh nonce each time");
        assert_eq!(s.open(&sealed).as_deref(), Ok(&b"whsec_abc"[..]));
        assert_eq!(Sealer::new(&key, "signing-keys").open(&sealed), Err(SealError));
        assert_eq!(Sealer::new(&MasterKey::from_bytes(b"another key"), "webhook-secrets").open(&sealed), Err(SealError));
        let mut tampered = sealed.clone().into_bytes();
        let last = tampered.len() - 2;
        tampered[last] = if tampered[last] == b'A' { b'B' } else { b'A' };
        assert_eq!(s.open(&String::from_utf8(tampered).unwrap_or_default()), Err(SealError));
        assert_eq!(s.open("v1.short"), Err(SealError));
        assert_eq!(s.open("plain"), Err(SealError));
    }
}
