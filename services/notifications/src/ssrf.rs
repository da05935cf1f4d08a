//! The SSRF guard (OWASP SSRF prevention): a webhook URL may not reach private, loopback,
//! link-local, metadata or otherwise non-public addresses unless
//! `ACCORD_WEBHOOK_ALLOW_PRIVATE=true`. Checked when an endpoint is created or changed, and again
//! on every send *inside the HTTP client's own name resolution*, so the address checked is the
//! address connected to: a name that re-points to 127.0.0.1 after creation (DNS rebinding) is
//! refused, not called.

use futures::future::BoxFuture;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;

/// Whether `ip` is an address webhooks must never reach.
#[must_use]
pub fn is_forbidden(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => forbidden_v4(v4),
        IpAddr::V6(v6) => forbidden_v6(v6),
    }
}

fn forbidden_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local() // 169.254/16, cloud metadata 169.254.169.254 included
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || a == 0 // "this network"
        || (a == 100 && (64..128).contains(&b)) // carrier-grade NAT 100.64/10
        || (a == 192 && b == 0 && c == 0) // IETF protocol assignments
        || (a == 198 && (b == 18 || b == 19)) // benchmarking 198.18/15
        || a >= 240 // reserved 240/4
}

fn forbidden_v6(ip: Ipv6Addr) -> bool {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return forbidden_v4(v4);
    }
    let seg = ip.segments();
    // NAT64 (64:ff9b::/96) reaches the IPv4 address in its last 32 bits.
    if seg[0] == 0x64 && seg[1] == 0xff9b && seg[2..6] == [0, 0, 0, 0] {
        let [.., hi, lo] = seg;
        return forbidden_v4(Ipv4Addr::from((u32::from(hi) << 16) | u32::from(lo)));
    }
    ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_multicast()
        || (seg[0] & 0xfe00) == 0xfc00 // unique local fc00::/7 (AWS metadata fd00:ec2::254 too)
        || (seg[0] & 0xffc0) == 0xfe80 // link-local fe80::/10
        || (seg[0] & 0xffc0) == 0xfec0 // site-local (deprecated) fec0::/10
        || (seg[0] == 0x2001 && seg[1] == 0x0db8) // documentation
        || seg[..6] == [0, 0, 0, 0, 0, 0] // IPv4-compatible ::a.b.c.d
}

/// Resolves host names. The system resolver in production; tests put in one that answers what
/// they need (for instance, a public address first and a loopback one later).
pub trait HostResolver: Send + Sync + 'static {
    /// The addresses of `host`.
    fn resolve(&self, host: String) -> BoxFuture<'static, std::io::Result<Vec<IpAddr>>>;
}

/// The operating system's resolver.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemResolver;

impl HostResolver for SystemResolver {
    fn resolve(&self, host: String) -> BoxFuture<'static, std::io::Result<Vec<IpAddr>>> {
        Box::pin(async move { Ok(tokio::net::lookup_host((host.as_str(), 0)).await?.map(|a| a.ip()).collect()) })
    }
}

/// Why a URL's host may not be called.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// The host resolves (or is) a forbidden address.
    #[error(
        "{host} resolves to {ip}, a private, loopback, link-local or reserved address (set ACCORD_WEBHOOK_ALLOW_PRIVATE=true only in development)"
    )]
    Private {
        /// The host name as given.
        host: String,
        /// The offending address.
        ip: IpAddr,
    },
    /// The host does not resolve.
    #[error("{host} does not resolve: {reason}")]
    Unresolvable {
        /// The host name as given.
        host: String,
        /// The resolver's answer.
        reason: String,
    },
}

/// The guard: a resolver and whether private addresses are allowed.
#[derive(Clone)]
pub struct Guard {
    resolver: Arc<dyn HostResolver>,
    allow_private: bool,
}

impl Guard {
    /// A guard over `resolver`.
    #[must_use]
    pub fn new(resolver: Arc<dyn HostResolver>, allow_private: bool) -> Self {
        Self { resolver, allow_private }
    }

    /// Whether private addresses are allowed (development).
    #[must_use]
    pub fn allows_private(&self) -> bool {
        self.allow_private
    }

    /// Every address of `host` (a name or an IP literal), refused if any is forbidden: a name
    /// with one public and one private address could be steered to the private one.
    ///
    /// # Errors
    /// [`Refusal`] when the host does not resolve or reaches a forbidden address.
    pub async fn addresses(&self, host: &str) -> Result<Vec<IpAddr>, Refusal> {
        let bare = host.trim_start_matches('[').trim_end_matches(']');
        let ips = match bare.parse::<IpAddr>() {
            Ok(ip) => vec![ip],
            Err(_) => self
                .resolver
                .resolve(bare.to_owned())
                .await
                .map_err(|e| Refusal::Unresolvable { host: host.to_owned(), reason: e.to_string() })?,
        };
        if ips.is_empty() {
            return Err(Refusal::Unresolvable { host: host.to_owned(), reason: "no addresses".into() });
        }
        if !self.allow_private
            && let Some(ip) = ips.iter().copied().find(|ip| is_forbidden(*ip))
        {
            return Err(Refusal::Private { host: host.to_owned(), ip });
        }
        Ok(ips)
    }

    /// Checks a URL's host.
    ///
    /// # Errors
    /// As [`Guard::addresses`].
    pub async fn check_url(&self, url: &url::Url) -> Result<(), Refusal> {
        self.addresses(url.host_str().unwrap_or_default()).await.map(|_| ())
    }
}

/// The guard as the HTTP client's resolver: the connection goes only to addresses that passed.
impl reqwest::dns::Resolve for Guard {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let guard = self.clone();
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let ips = guard.addresses(&host).await.map_err(|e| Box::new(e) as Box<dyn std::error::Error + Send + Sync>)?;
            let addrs: reqwest::dns::Addrs = Box::new(ips.into_iter().map(|ip| SocketAddr::new(ip, 0)));
            Ok(addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_loopback_link_local_and_metadata_addresses_are_forbidden_and_public_ones_are_not() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "224.0.0.1",
            "255.255.255.255",
            "::1",
            "::",
            "fe80::1",
            "fd00:ec2::254",
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
            "64:ff9b::a00:1",
            "::127.0.0.1",
        ] {
            assert!(is_forbidden(ip.parse().unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST))), "{ip} must be forbidden");
        }
        for ip in ["93.184.216.34", "8.8.8.8", "2606:4700::1111", "::ffff:8.8.8.8", "64:ff9b::808:808"] {
            assert!(!is_forbidden(ip.parse().unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST))), "{ip} is public");
        }
    }

    struct Fixed(Vec<IpAddr>);
    impl HostResolver for Fixed {
        fn resolve(&self, _host: String) -> BoxFuture<'static, std::io::Result<Vec<IpAddr>>> {
            let ips = self.0.clone();
            Box::pin(async move { Ok(ips) })
        }
    }

    #[tokio::test]
    async fn a_name_with_any_private_address_is_refused_unless_private_addresses_are_allowed() {
        let mixed =
            Arc::new(Fixed(vec!["93.184.216.34".parse().unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST)), IpAddr::V4(Ipv4Addr::LOCALHOST)]));
        let strict = Guard::new(mixed.clone(), false);
        assert!(matches!(strict.addresses("hooks.example.org").await, Err(Refusal::Private { .. })));
        assert!(matches!(strict.addresses("[::1]").await, Err(Refusal::Private { .. })));
        assert!(Guard::new(mixed, true).addresses("hooks.example.org").await.is_ok());
        let none = Guard::new(Arc::new(Fixed(vec![])), false);
        assert!(matches!(none.addresses("nowhere.example").await, Err(Refusal::Unresolvable { .. })));
    }
}
