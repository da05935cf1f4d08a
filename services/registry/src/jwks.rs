//! An inline JWK Set (RFC 7517) with the app's public keys, for SMART Backend Services'
//! `private_key_jwt`. Only public RSA and EC signing keys are accepted; any private key member
//! is refused outright, because a private key that reached Accord must be considered leaked.

use accord_kernel::error::field_error;
use base64::Engine as _;
use serde_json::{Map, Value};

/// Most keys one set may hold (current plus next during a key rollover, with room to spare).
pub const MAX_KEYS: usize = 10;
/// Largest JWK Set accepted, in characters.
pub const MAX_JWKS_CHARS: usize = 64 * 1024;
/// Smallest RSA modulus accepted, in bits (NIST SP 800-131A).
pub const MIN_RSA_BITS: usize = 2048;

/// JWK members that carry private or symmetric key material (RFC 7518 §6.2.2, §6.3.2, §6.4.1).
const PRIVATE_MEMBERS: [&str; 8] = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];
const RSA_ALGS: [&str; 6] = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512"];
const EC_ALGS: [&str; 3] = ["ES256", "ES384", "ES512"];
const EC_CURVES: [&str; 3] = ["P-256", "P-384", "P-521"];

/// A checked JWK Set of 1..=[`MAX_KEYS`] public signing keys with unique `kid`s.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Jwks {
    json: String,
}

impl Jwks {
    /// Parses a JWK Set given as JSON text (the `jwks` field).
    ///
    /// # Errors
    /// A message naming the field (`jwks`, `jwks.keys[i]`, `jwks.keys[i].kid`…) and the problem.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let s = raw.trim();
        if s.is_empty() {
            return Err(field_error("jwks", "must not be empty"));
        }
        if s.chars().count() > MAX_JWKS_CHARS {
            return Err(field_error("jwks", format!("must be at most {MAX_JWKS_CHARS} characters")));
        }
        let value: Value = serde_json::from_str(s).map_err(|e| field_error("jwks", format!("is not valid JSON ({e})")))?;
        let keys = value
            .as_object()
            .and_then(|o| o.get("keys"))
            .and_then(Value::as_array)
            .ok_or_else(|| field_error("jwks", "must be a JWK Set: an object with a \"keys\" array"))?;
        if keys.is_empty() || keys.len() > MAX_KEYS {
            return Err(field_error("jwks.keys", format!("must hold between 1 and {MAX_KEYS} keys, got {}", keys.len())));
        }
        let mut kids: Vec<&str> = Vec::with_capacity(keys.len());
        for (i, key) in keys.iter().enumerate() {
            let field = format!("jwks.keys[{i}]");
            let kid = check_key(&field, key)?;
            if let Some(j) = kids.iter().position(|k| *k == kid) {
                return Err(field_error(
                    &format!("{field}.kid"),
                    format!("\"{kid}\" duplicates jwks.keys[{j}].kid; every kid must be unique"),
                ));
            }
            kids.push(kid);
        }
        Ok(Self { json: value.to_string() })
    }

    /// The set as compact JSON (what is stored).
    #[must_use]
    pub fn as_json(&self) -> &str {
        &self.json
    }
}

/// Checks one key and returns its `kid`.
fn check_key<'a>(field: &str, key: &'a Value) -> Result<&'a str, String> {
    let Some(k) = key.as_object() else {
        return Err(field_error(field, "must be a JSON object (a JWK)"));
    };
    // Checked first: whatever else is wrong, sending a private key is the problem to report.
    if let Some(m) = PRIVATE_MEMBERS.iter().find(|m| k.contains_key(**m)) {
        return Err(field_error(
            field,
            format!(
                "contains private key material (\"{m}\"); private key material must never be sent — register only the public key, and treat this private key as compromised"
            ),
        ));
    }
    let kid = string(k, "kid").filter(|s| !s.trim().is_empty()).ok_or_else(|| field_error(&format!("{field}.kid"), "is required"))?;
    if kid.chars().count() > 200 || kid.chars().any(|c| c.is_control() || accord_kernel::text::is_invisible(c)) {
        return Err(field_error(&format!("{field}.kid"), "must be at most 200 printable characters"));
    }
    if let Some(u) = k.get("use")
        && u.as_str() != Some("sig")
    {
        return Err(field_error(&format!("{field}.use"), "must be \"sig\" (the keys sign client assertions)"));
    }
    let kty = string(k, "kty").ok_or_else(|| field_error(&format!("{field}.kty"), "is required (RSA or EC)"))?;
    let alg = k.get("alg").map(|a| a.as_str().unwrap_or_default());
    match kty {
        "RSA" => {
            member(field, k, "e")?;
            let n = member(field, k, "n")?;
            if bit_len(&n) < MIN_RSA_BITS {
                return Err(field_error(&format!("{field}.n"), format!("RSA keys must be at least {MIN_RSA_BITS} bits")));
            }
            check_alg(field, alg, &RSA_ALGS)?;
        }
        "EC" => {
            let crv = string(k, "crv").unwrap_or_default();
            if !EC_CURVES.contains(&crv) {
                return Err(field_error(&format!("{field}.crv"), "must be P-256, P-384 or P-521"));
            }
            member(field, k, "x")?;
            member(field, k, "y")?;
            check_alg(field, alg, &EC_ALGS)?;
        }
        other => return Err(field_error(&format!("{field}.kty"), format!("must be RSA or EC, got \"{other}\""))),
    }
    Ok(kid)
}

fn string<'a>(k: &'a Map<String, Value>, name: &str) -> Option<&'a str> {
    k.get(name).and_then(Value::as_str)
}

/// A required base64url member, decoded.
fn member(field: &str, k: &Map<String, Value>, name: &str) -> Result<Vec<u8>, String> {
    let raw = string(k, name).ok_or_else(|| field_error(&format!("{field}.{name}"), "is required"))?;
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(raw.trim_end_matches('='))
        .ok()
        .filter(|b| !b.is_empty())
        .ok_or_else(|| field_error(&format!("{field}.{name}"), "must be base64url"))
}

/// The length in bits of a big-endian unsigned integer.
fn bit_len(bytes: &[u8]) -> usize {
    let trimmed: Vec<u8> = bytes.iter().copied().skip_while(|b| *b == 0).collect();
    match trimmed.first() {
        None => 0,
        Some(first) => (trimmed.len() - 1) * 8 + (8 - first.leading_zeros() as usize),
    }
}

fn check_alg(field: &str, alg: Option<&str>, allowed: &[&str]) -> Result<(), String> {
    match alg {
        None => Ok(()),
        Some(a) if allowed.contains(&a) => Ok(()),
        Some(a) => Err(field_error(
            &format!("{field}.alg"),
            format!("\"{a}\" does not fit this key type (expected one of {})", allowed.join(", ")),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn b64(n: usize) -> String {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(vec![0xA5u8; n])
    }

    fn rsa(kid: &str) -> Value {
        json!({ "kty": "RSA", "kid": kid, "alg": "RS384", "use": "sig", "e": "AQAB", "n": b64(256) })
    }

    fn ec(kid: &str) -> Value {
        json!({ "kty": "EC", "kid": kid, "crv": "P-384", "alg": "ES384", "x": b64(48), "y": b64(48) })
    }

    fn parse(v: &Value) -> Result<Jwks, String> {
        Jwks::parse(&v.to_string())
    }

    #[test]
    fn public_rsa_and_ec_keys_are_accepted() {
        let set = parse(&json!({ "keys": [rsa("a"), ec("b")] })).unwrap();
        assert!(set.as_json().contains("\"kid\":\"a\""));
    }

    #[test]
    fn private_key_material_is_refused_whatever_the_key_type() {
        for m in PRIVATE_MEMBERS {
            let mut k = rsa("a");
            k[m] = json!("c2VjcmV0");
            let e = parse(&json!({ "keys": [ec("z"), k] })).unwrap_err();
            assert!(e.starts_with("jwks.keys[1]: contains private key material"), "{m}: {e}");
            assert!(e.contains("must never be sent"), "{e}");
        }
        let oct = json!({ "kty": "oct", "kid": "s", "k": "c2VjcmV0" });
        assert!(parse(&json!({ "keys": [oct] })).unwrap_err().contains("private key material"));
    }

    #[test]
    fn malformed_sets_name_the_field() {
        let mut no_kid = rsa("a");
        no_kid.as_object_mut().unwrap().remove("kid");
        let mut weak = rsa("a");
        weak["n"] = json!(b64(128));
        let mut bad_alg = ec("a");
        bad_alg["alg"] = json!("RS384");
        let mut enc = rsa("a");
        enc["use"] = json!("enc");
        for (v, expect) in [
            (json!([]), "jwks: must be a JWK Set"),
            (json!({ "keys": [] }), "jwks.keys: must hold between 1 and 10 keys, got 0"),
            (
                json!({ "keys": (0..11).map(|i| rsa(&i.to_string())).collect::<Vec<_>>() }),
                "jwks.keys: must hold between 1 and 10 keys, got 11",
            ),
            (json!({ "keys": [rsa("a"), ec("a")] }), "jwks.keys[1].kid: \"a\" duplicates jwks.keys[0].kid"),
            (json!({ "keys": [no_kid] }), "jwks.keys[0].kid: is required"),
            (json!({ "keys": [{ "kty": "OKP", "kid": "x", "crv": "Ed25519", "x": "AA" }] }), "jwks.keys[0].kty: must be RSA or EC"),
            (json!({ "keys": [weak] }), "jwks.keys[0].n: RSA keys must be at least 2048 bits"),
            (json!({ "keys": [bad_alg] }), "jwks.keys[0].alg: \"RS384\" does not fit"),
            (json!({ "keys": [enc] }), "jwks.keys[0].use: must be \"sig\""),
            (json!({ "keys": ["nope"] }), "jwks.keys[0]: must be a JSON object"),
        ] {
            let e = parse(&v).unwrap_err();
            assert!(e.starts_with(expect), "{v}: {e}");
        }
        assert!(Jwks::parse("{not json").unwrap_err().starts_with("jwks: is not valid JSON"));
    }
}
