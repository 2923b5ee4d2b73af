//! Visitor ids: a keyed hash that links one visitor's events within a day and nothing
//! more.
//!
//! `visitor_id = first 8 bytes of HMAC-SHA256(key = daily salt, msg = site id ‖ IP ‖ UA)`.
//! The IP and user agent are used here, in memory, and dropped by the caller; they are
//! never stored, logged or spooled. Once a day's salt is deleted (see `salts`), nobody,
//! the operator included, can recompute that day's ids from an IP and user agent.
//!
//! Deliberately not here: cookies, storage, or any fingerprint beyond IP + user agent.

pub mod consent;
pub mod salts;

use std::net::IpAddr;

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// A day's secret salt (32 random bytes).
pub type Salt = [u8; 32];

/// Computes the daily visitor id for one event.
pub fn visitor_id(salt: &Salt, site_id: u32, ip: IpAddr, user_agent: &str) -> u64 {
    // IPv4 as its IPv6-mapped form: every address is 16 bytes, so the message splits
    // unambiguously into site, IP and user agent.
    let v6 = match ip {
        IpAddr::V4(v4) => v4.to_ipv6_mapped(),
        IpAddr::V6(v6) => v6,
    };
    keyed_id(
        salt,
        &[&site_id.to_be_bytes(), &v6.octets(), user_agent.as_bytes()],
    )
}

/// The first 8 bytes of HMAC-SHA256(key, parts concatenated), as a number.
pub fn keyed_id(key: &[u8; 32], parts: &[&[u8]]) -> u64 {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC accepts any key length");
    for part in parts {
        mac.update(part);
    }
    let digest = mac.finalize().into_bytes();
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    u64::from_be_bytes(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    const UA: &str = "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0";

    #[test]
    fn same_inputs_same_id_and_each_input_matters() {
        let s1 = [1u8; 32];
        let s2 = [2u8; 32];
        let ip: IpAddr = "203.0.113.7".parse().unwrap();
        let id = visitor_id(&s1, 7, ip, UA);
        assert_eq!(id, visitor_id(&s1, 7, ip, UA));
        assert_ne!(id, visitor_id(&s2, 7, ip, UA), "salt");
        assert_ne!(id, visitor_id(&s1, 8, ip, UA), "site");
        assert_ne!(
            id,
            visitor_id(&s1, 7, "203.0.113.8".parse().unwrap(), UA),
            "ip"
        );
        assert_ne!(id, visitor_id(&s1, 7, ip, "Mozilla/5.0 Chrome/130"), "ua");
    }

    #[test]
    fn ids_spread_over_the_whole_range() {
        // SAMPLE BY visitor_id needs ids uniform over UInt64 (clickhouse-notes §1).
        let salt = [9u8; 32];
        let ip: IpAddr = "2001:db8::1".parse().unwrap();
        let high = (0..1000)
            .filter(|i| visitor_id(&salt, 1, ip, &format!("ua{i}")) > u64::MAX / 2)
            .count();
        assert!((400..600).contains(&high), "{high}");
    }
}
