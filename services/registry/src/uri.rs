//! URLs an app registers: redirect URIs, its launch URL and its JWKS URL. An authorization
//! server matches redirect URIs by exact string, so the stored value is what the vendor sent
//! (trimmed); the `url` crate only checks it. Anything the WHATWG parser would silently repair
//! (backslashes, whitespace, a missing `//`) is refused instead, so what is stored is what any
//! other parser reads too.

use accord_kernel::error::field_error;

/// Longest URL accepted (what browsers and proxies reliably carry).
pub const MAX_URL: usize = 2048;

/// Which schemes a URL may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    /// `https`, or plain `http` for a loopback host (a developer's machine, a native app).
    HttpsOrLoopback,
    /// `https` only (a JWKS fetched by a server must come over TLS).
    HttpsOnly,
}

/// A checked absolute `https` (or loopback `http`) URL without fragment or user info.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebUrl {
    raw: String,
    /// The parser's serialization, for duplicate detection (case of host, default port).
    normalized: String,
}

const LOOPBACK: [&str; 3] = ["localhost", "127.0.0.1", "[::1]"];

impl WebUrl {
    /// Parses `raw`; `field` names it in the error (e.g. `redirectUris[1]`).
    ///
    /// # Errors
    /// A message naming the field and the problem.
    pub fn parse(field: &str, raw: &str, transport: Transport) -> Result<Self, String> {
        let bad = |why: &str| Err(field_error(field, why));
        let s = raw.trim();
        if s.is_empty() {
            return bad("must not be empty");
        }
        if s.chars().count() > MAX_URL {
            return bad(&format!("must be at most {MAX_URL} characters"));
        }
        if s.chars().any(|c| c.is_whitespace() || c.is_control() || c == '\\') {
            return bad("must not contain spaces, control characters or backslashes");
        }
        accord_kernel::text::visible(field, s)?;
        let lower = s.to_ascii_lowercase();
        let https_only = transport == Transport::HttpsOnly;
        let http_hint = if https_only { "must use https" } else { "must use https (http only for localhost)" };
        if !(lower.starts_with("https://") || lower.starts_with("http://")) {
            return bad(&format!("{http_hint}: an absolute URL like https://app.example.com/callback is expected"));
        }
        if s.contains('#') {
            return bad("must not contain a fragment (#…)");
        }
        if s.contains('*') {
            return bad("must not contain wildcards (*): register every URL exactly");
        }
        let Ok(url) = url::Url::parse(s) else {
            return bad("is not a valid absolute URL");
        };
        if !url.username().is_empty() || url.password().is_some() {
            return bad("must not contain user info (user:password@)");
        }
        let Some(host) = url.host_str().filter(|h| !h.is_empty()) else {
            return bad("must name a host");
        };
        match url.scheme() {
            "https" => {}
            "http" if !https_only && LOOPBACK.contains(&host) => {}
            _ => return bad(http_hint),
        }
        Ok(Self { raw: s.to_owned(), normalized: url.to_string() })
    }

    /// The URL as registered.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.raw
    }

    /// The normalized form (lowercase scheme and host, no default port).
    #[must_use]
    pub fn normalized(&self) -> &str {
        &self.normalized
    }
}

/// Most redirect URIs one app may register.
pub const MAX_REDIRECT_URIS: usize = 20;

/// Parses a list of redirect URIs (`redirectUris[i]` in errors): at most
/// [`MAX_REDIRECT_URIS`], each a [`WebUrl`], no two the same after normalization.
///
/// # Errors
/// A message naming the field (and the index) and the problem.
pub fn redirect_uris(raw: &[String]) -> Result<Vec<WebUrl>, String> {
    if raw.len() > MAX_REDIRECT_URIS {
        return Err(field_error("redirectUris", format!("at most {MAX_REDIRECT_URIS} redirect URIs, got {}", raw.len())));
    }
    let mut out: Vec<WebUrl> = Vec::with_capacity(raw.len());
    for (i, r) in raw.iter().enumerate() {
        let field = format!("redirectUris[{i}]");
        let u = WebUrl::parse(&field, r, Transport::HttpsOrLoopback)?;
        if let Some(j) = out.iter().position(|o| o.normalized == u.normalized) {
            return Err(field_error(&field, format!("duplicates redirectUris[{j}]")));
        }
        out.push(u);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn redirect(s: &str) -> Result<WebUrl, String> {
        WebUrl::parse("redirectUris[1]", s, Transport::HttpsOrLoopback)
    }

    #[test]
    fn https_and_loopback_http_are_accepted_and_kept_as_sent() {
        for ok in [
            "https://app.example.com/callback",
            "https://app.example.com:8443/cb?x=1",
            "http://localhost:3000/cb",
            "http://127.0.0.1/cb",
            "http://[::1]:8080/cb",
        ] {
            assert_eq!(redirect(ok).unwrap().as_str(), ok);
        }
        assert_eq!(redirect("  https://App.Example.com/cb ").unwrap().as_str(), "https://App.Example.com/cb");
    }

    #[test]
    fn unsafe_redirect_uris_are_refused_naming_the_field() {
        for (bad, why) in [
            ("http://app.example.com/cb", "must use https (http only for localhost)"),
            ("http://localhost.evil.com/cb", "must use https"),
            ("ftp://app.example.com/cb", "must use https"),
            ("app.example.com/cb", "an absolute URL"),
            ("/cb", "an absolute URL"),
            ("https:app.example.com", "an absolute URL"),
            ("https://app.example.com/cb#frag", "fragment"),
            ("https://user:pw@app.example.com/cb", "user info"),
            ("https://user@app.example.com/cb", "user info"),
            ("https://*.example.com/cb", "wildcards"),
            ("https:\\\\app.example.com", "backslashes"),
            ("https://app.example.com/c b", "spaces"),
            ("https://", "not a valid absolute URL"),
            ("", "must not be empty"),
        ] {
            let e = redirect(bad).unwrap_err();
            assert!(e.starts_with("redirectUris[1]: "), "{bad}: {e}");
            assert!(e.contains(why), "{bad}: {e}");
        }
        let long = format!("https://app.example.com/{}", "a".repeat(MAX_URL));
        assert!(redirect(&long).unwrap_err().contains("at most 2048"));
    }

    #[test]
    fn jwks_urls_must_use_https_even_on_loopback() {
        assert!(WebUrl::parse("jwksUri", "https://keys.example.com/jwks.json", Transport::HttpsOnly).is_ok());
        let e = WebUrl::parse("jwksUri", "http://localhost/jwks.json", Transport::HttpsOnly).unwrap_err();
        assert_eq!(e, "jwksUri: must use https");
    }

    #[test]
    fn lists_are_bounded_and_duplicates_named() {
        let two = vec!["https://a.example.com/cb".to_owned(), "https://A.EXAMPLE.com:443/cb".to_owned()];
        assert_eq!(redirect_uris(&two).unwrap_err(), "redirectUris[1]: duplicates redirectUris[0]");
        let many: Vec<String> = (0..21).map(|i| format!("https://a.example.com/cb{i}")).collect();
        assert!(redirect_uris(&many).unwrap_err().starts_with("redirectUris: at most 20"));
        assert_eq!(redirect_uris(&many[..20]).unwrap().len(), 20);
    }
}
