//! Referrer spam: hosts that send fake visits to get their name into analytics reports.
//!
//! The list is Matomo's community-maintained one, pinned in `referrer_spam.txt` beside
//! this file (source, version and licence in its header; `scripts/referrer-spam.sh`
//! refreshes it). A host matches when it, or any parent domain of it, is on the list:
//! `semalt.com` also catches `www.semalt.com` and `x.y.semalt.com`.
//!
//! Cheap on the ingest path: one hash-set lookup per label of the host (a handful), no
//! allocation, no regex. The set is built once, on first use.
//!
//! Deliberately not here: spam detected from the page URL or from behaviour, or a list
//! fetched at run time (a node makes no outbound request).

use std::collections::HashSet;
use std::sync::LazyLock;

/// The pinned list: one lowercase host a line, `#` comments.
const LIST: &str = include_str!("referrer_spam.txt");

static HOSTS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    LIST.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
});

/// Whether `host` (lowercase, as `url::scrub_referrer` gives it) or one of its parent
/// domains is a known referrer spammer.
pub fn is_spam(host: &str) -> bool {
    let host = host.trim_end_matches('.');
    let hosts = &*HOSTS;
    let mut rest = host;
    loop {
        if hosts.contains(rest) {
            return true;
        }
        // A bare top-level domain is never on the list; stop before it.
        match rest.split_once('.') {
            Some((_, parent)) if parent.contains('.') => rest = parent,
            _ => return false,
        }
    }
}

/// Number of hosts on the list (for tests and docs).
pub fn len() -> usize {
    HOSTS.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pinned_list_is_loaded_and_well_formed() {
        assert!(len() > 2_000, "{} hosts", len());
        for host in HOSTS.iter() {
            assert!(
                host.contains('.')
                    && host.bytes().all(|b| b.is_ascii_lowercase()
                        || b.is_ascii_digit()
                        || b".-_".contains(&b)),
                "{host:?}"
            );
        }
    }

    #[test]
    fn hosts_and_their_subdomains_match() {
        for host in [
            "semalt.com",
            "www.semalt.com",
            "a.b.semalt.com",
            "darodar.com",
            "buttons-for-website.com",
            "semalt.com.",
        ] {
            assert!(is_spam(host), "{host}");
        }
    }

    #[test]
    fn other_hosts_do_not() {
        for host in [
            "",
            "com",
            "google.com",
            "www.google.fr",
            "notsemalt.com",
            "semalt.com.evil.example",
            "semalt",
            "localhost",
            "clinique.fr",
        ] {
            assert!(!is_spam(host), "{host}");
        }
    }
}
