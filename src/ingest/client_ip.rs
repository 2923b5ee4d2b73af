//! The client's IP: the socket peer, or `X-Forwarded-For` when the peer is a proxy we
//! trust. Trusting the header from anyone would let any client pick its own visitor id.

use std::net::IpAddr;

use ipnet::IpNet;

/// Resolves the client address from the peer and the `X-Forwarded-For` header.
///
/// Walks the header right to left (the right end was added by our own proxies) and
/// returns the first address that is not a trusted proxy.
pub fn client_ip(peer: IpAddr, forwarded_for: Option<&str>, trusted: &[IpNet]) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(&canonical(*ip)));
    if !is_trusted(&peer) {
        return canonical(peer);
    }
    let Some(header) = forwarded_for else {
        return canonical(peer);
    };
    let mut last = peer;
    for part in header.rsplit(',') {
        let Some(ip) = parse_entry(part) else {
            // A garbled hop: stop at the last address we could trust to be real.
            break;
        };
        last = ip;
        if !is_trusted(&ip) {
            return canonical(ip);
        }
    }
    canonical(last)
}

/// Headers by which a reverse proxy names the client it forwards.
pub const FORWARDING_HEADERS: [&str; 3] = ["x-forwarded-for", "forwarded", "x-real-ip"];

/// Whether a request names a forwarded client although its peer is not a trusted proxy:
/// the sign of a node behind a proxy missing from `trusted_proxies` (every visitor then
/// looks like the proxy), or of a client trying to choose its own address.
pub fn forwarded_by_untrusted(
    peer: IpAddr,
    headers: &axum::http::HeaderMap,
    trusted: &[IpNet],
) -> bool {
    FORWARDING_HEADERS.iter().any(|h| headers.contains_key(*h))
        && !trusted.iter().any(|net| net.contains(&canonical(peer)))
}

/// Parses `1.2.3.4`, `1.2.3.4:5678`, `2001:db8::1` or `[2001:db8::1]:443`.
fn parse_entry(s: &str) -> Option<IpAddr> {
    let s = s.trim();
    if let Ok(ip) = s.parse() {
        return Some(ip);
    }
    if let Ok(sa) = s.parse::<std::net::SocketAddr>() {
        return Some(sa.ip());
    }
    None
}

/// IPv4-mapped IPv6 addresses (from dual-stack sockets) as plain IPv4.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nets(s: &[&str]) -> Vec<IpNet> {
        s.iter().map(|n| n.parse().unwrap()).collect()
    }

    #[test]
    fn untrusted_peer_header_ignored() {
        let ip = client_ip(
            "203.0.113.9".parse().unwrap(),
            Some("1.1.1.1"),
            &nets(&["10.0.0.0/8"]),
        );
        assert_eq!(ip.to_string(), "203.0.113.9");
    }

    #[test]
    fn trusted_chain_walked_from_the_right() {
        let t = nets(&["10.0.0.0/8", "127.0.0.1/32"]);
        let peer = "127.0.0.1".parse().unwrap();
        assert_eq!(
            client_ip(peer, Some("6.6.6.6, 198.51.100.4, 10.1.2.3"), &t).to_string(),
            "198.51.100.4"
        );
        assert_eq!(
            client_ip(peer, Some("[2001:db8::5]:443"), &t).to_string(),
            "2001:db8::5"
        );
        assert_eq!(
            client_ip(peer, Some("10.0.0.1"), &t).to_string(),
            "10.0.0.1"
        );
        assert_eq!(
            client_ip(peer, Some("garbage"), &t).to_string(),
            "127.0.0.1"
        );
        assert_eq!(client_ip(peer, None, &t).to_string(), "127.0.0.1");
    }

    #[test]
    fn forwarding_headers_from_an_untrusted_peer_are_noticed() {
        use axum::http::HeaderMap;
        let peer: IpAddr = "::ffff:10.0.0.2".parse().unwrap();
        let mut headers = HeaderMap::new();
        assert!(!forwarded_by_untrusted(peer, &headers, &[]));
        for name in FORWARDING_HEADERS {
            let mut h = HeaderMap::new();
            h.insert(name, "198.51.100.1".parse().unwrap());
            assert!(forwarded_by_untrusted(peer, &h, &[]), "{name}");
        }
        headers.insert("x-real-ip", "198.51.100.1".parse().unwrap());
        assert!(!forwarded_by_untrusted(
            peer,
            &headers,
            &nets(&["10.0.0.0/8"])
        ));
    }

    #[test]
    fn mapped_addresses_are_canonical() {
        let ip = client_ip("::ffff:192.0.2.1".parse().unwrap(), None, &[]);
        assert_eq!(ip.to_string(), "192.0.2.1");
    }
}
