//! Which address a request comes from, for rate limits and audit (SPEC §9,
//! `ACCORD_TRUSTED_PROXIES`).
//!
//! The TCP peer is the client unless it is a trusted proxy. Only then is `X-Forwarded-For` read,
//! from the right (the hop the trusted peer itself appended) towards the left, skipping
//! addresses that are themselves trusted proxies; the first untrusted address is the client.
//! Entries to its left were written by the client and are never believed, so a client cannot
//! pick its own rate-limit bucket by sending `X-Forwarded-For: <someone else>`. A malformed entry
//! reached on that walk means the chain cannot be read: the peer counts.

use actix_web::HttpRequest;
use actix_web::http::header::HeaderName;
use ipnet::IpNet;
use std::net::IpAddr;

/// The client address of a request: the TCP peer, or the `X-Forwarded-For` client a trusted
/// proxy names (see [`client_ip`]).
#[must_use]
pub fn client_address(req: &HttpRequest, trusted: &[IpNet]) -> Option<String> {
    const X_FORWARDED_FOR: HeaderName = HeaderName::from_static("x-forwarded-for");
    let peer = req.peer_addr()?.ip();
    // A header value that is not text cannot be read as a hop: it makes the chain unreadable.
    let forwarded = req.headers().get_all(X_FORWARDED_FOR).map(|v| v.to_str().unwrap_or("\u{0}"));
    Some(client_ip(peer, forwarded, trusted).to_string())
}

/// The client address of a request that arrived from `peer` with these `X-Forwarded-For`
/// header values (in the order received; each may list several comma-separated hops).
///
/// When every forwarded hop is a trusted proxy, the left-most one is the furthest known
/// sender and counts as the client.
#[must_use]
pub fn client_ip<'a>(peer: IpAddr, forwarded_for: impl IntoIterator<Item = &'a str>, trusted: &[IpNet]) -> IpAddr {
    let peer = peer.to_canonical();
    if !is_trusted(peer, trusted) {
        return peer;
    }
    let hops: Vec<&str> = forwarded_for.into_iter().flat_map(|value| value.split(',')).collect();
    let mut furthest = peer;
    for hop in hops.iter().rev() {
        let Ok(ip) = hop.trim().parse::<IpAddr>() else {
            return peer;
        };
        let ip = ip.to_canonical();
        if !is_trusted(ip, trusted) {
            return ip;
        }
        furthest = ip;
    }
    furthest
}

fn is_trusted(ip: IpAddr, trusted: &[IpNet]) -> bool {
    trusted.iter().any(|net| net.contains(&ip))
}

#[cfg(test)]
mod tests {
    use super::client_ip;
    use ipnet::IpNet;
    use std::net::IpAddr;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn nets(list: &[&str]) -> Vec<IpNet> {
        list.iter().map(|n| n.parse().unwrap()).collect()
    }

    #[test]
    fn without_trusted_proxies_the_peer_is_the_client_whatever_it_forwards() {
        assert_eq!(client_ip(ip("203.0.113.9"), ["198.51.100.1"], &[]), ip("203.0.113.9"));
        assert_eq!(client_ip(ip("10.0.0.2"), ["198.51.100.1"], &[]), ip("10.0.0.2"));
    }

    #[test]
    fn an_untrusted_peers_forwarded_for_is_ignored() {
        let trusted = nets(&["10.0.0.0/8"]);
        assert_eq!(client_ip(ip("203.0.113.9"), ["198.51.100.1, 10.0.0.7"], &trusted), ip("203.0.113.9"));
    }

    #[test]
    fn a_trusted_peer_names_the_client_it_forwarded_for() {
        let trusted = nets(&["10.0.0.0/8"]);
        assert_eq!(client_ip(ip("10.0.0.2"), ["198.51.100.1"], &trusted), ip("198.51.100.1"));
        assert_eq!(client_ip(ip("10.0.0.2"), [" 198.51.100.1 "], &trusted), ip("198.51.100.1"));
    }

    #[test]
    fn spoofed_left_most_entries_are_ignored() {
        let trusted = nets(&["10.0.0.0/8"]);
        // The client sent `X-Forwarded-For: 192.0.2.66`; the proxy appended the real address.
        assert_eq!(client_ip(ip("10.0.0.2"), ["192.0.2.66, 198.51.100.1"], &trusted), ip("198.51.100.1"));
        // Even a spoofed entry that looks like a trusted proxy does not move the walk past the
        // first untrusted hop.
        assert_eq!(client_ip(ip("10.0.0.2"), ["10.9.9.9, 192.0.2.66, 198.51.100.1"], &trusted), ip("198.51.100.1"));
    }

    #[test]
    fn chains_of_trusted_proxies_are_skipped_from_the_right() {
        let trusted = nets(&["10.0.0.0/8", "172.16.0.0/12"]);
        assert_eq!(client_ip(ip("10.0.0.2"), ["192.0.2.66, 198.51.100.1, 172.16.4.4, 10.1.1.1"], &trusted), ip("198.51.100.1"));
        // Several header lines are one list, in the order received.
        assert_eq!(client_ip(ip("10.0.0.2"), ["192.0.2.66, 198.51.100.1", "172.16.4.4", "10.1.1.1"], &trusted), ip("198.51.100.1"));
    }

    #[test]
    fn when_every_hop_is_trusted_the_furthest_one_is_the_client() {
        let trusted = nets(&["10.0.0.0/8"]);
        assert_eq!(client_ip(ip("10.0.0.2"), ["10.3.3.3, 10.1.1.1"], &trusted), ip("10.3.3.3"));
        assert_eq!(client_ip(ip("10.0.0.2"), std::iter::empty(), &trusted), ip("10.0.0.2"));
    }

    #[test]
    fn a_malformed_hop_on_the_walk_falls_back_to_the_peer() {
        let trusted = nets(&["10.0.0.0/8"]);
        for bad in ["not-an-ip", "198.51.100.1:4711", "", "198.51.100.1,", "unknown, 10.1.1.1", "[2001:db8::1]"] {
            assert_eq!(client_ip(ip("10.0.0.2"), [bad], &trusted), ip("10.0.0.2"), "{bad:?}");
        }
        // Garbage to the left of the first untrusted hop is never reached.
        assert_eq!(client_ip(ip("10.0.0.2"), ["garbage, 198.51.100.1"], &trusted), ip("198.51.100.1"));
    }

    #[test]
    fn ipv6_peers_and_hops_work_and_ipv4_mapped_peers_match_ipv4_networks() {
        let trusted = nets(&["2001:db8:aaaa::/48", "127.0.0.1/32"]);
        assert_eq!(client_ip(ip("2001:db8:aaaa::5"), ["2001:db8:ffff::1"], &trusted), ip("2001:db8:ffff::1"));
        assert_eq!(client_ip(ip("2001:db8:bbbb::5"), ["2001:db8:ffff::1"], &trusted), ip("2001:db8:bbbb::5"));
        assert_eq!(client_ip(ip("2001:db8:aaaa::5"), ["198.51.100.1, 2001:db8:aaaa::9"], &trusted), ip("198.51.100.1"));
        // A dual-stack listener sees IPv4 peers as ::ffff:a.b.c.d.
        assert_eq!(client_ip(ip("::ffff:127.0.0.1"), ["198.51.100.1"], &trusted), ip("198.51.100.1"));
        assert_eq!(client_ip(ip("::ffff:203.0.113.9"), ["198.51.100.1"], &trusted), ip("203.0.113.9"));
    }
}
