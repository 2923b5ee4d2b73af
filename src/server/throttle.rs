//! Throttles of guessing: sign-in attempts per account and per client address, invalid
//! credentials per client address, and credential lookups (cache misses) per address.
//!
//! 1. Once a key (an account, an address) has used its budget, it is refused before any
//!    work (no password hash, no ClickHouse query) until the budget refills.
//! 2. Counting failures alone races: the requests in flight when a key is released all
//!    pass before the first of them fails (a client with 32 connections got 7 lookups/s
//!    through a budget of 0.5/s). So what costs work is counted when it starts
//!    ([`Throttle::attempt`]); failures ([`Throttle::failed`]) block a key sooner.
//! 3. Budgets are per node (nodes share nothing in memory); behind a load balancer of N
//!    nodes an attacker gets at most N times the budget, still minutes per thousand tries.
//! 4. Keys are hashed with a per-process random key, so the limiter never holds raw
//!    addresses or e-mails.

use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;
use std::num::NonZeroU32;
use std::time::{Duration, Instant};

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use quick_cache::sync::Cache;

/// A budget of attempts or failures per key and minute.
pub struct Throttle {
    /// Cells of the budget, per hashed key.
    failures: DefaultKeyedRateLimiter<u64>,
    /// Keys out of budget, until when: checked before an attempt.
    blocked: Cache<u64, Instant>,
    hasher: RandomState,
}

impl Throttle {
    /// Allows `per_minute` failures per key, all at once at most: the attempt after
    /// them is refused.
    pub fn failures_per_minute(per_minute: u32) -> Self {
        // The failure that spends the last cell blocks the key, so n-1 cells make n
        // failures the most a key gets in a row.
        Self::with(per_minute, per_minute.saturating_sub(1))
    }

    /// Allows `per_minute` attempts per key, all at once at most.
    pub fn attempts_per_minute(per_minute: u32) -> Self {
        Self::with(per_minute, per_minute)
    }

    fn with(per_minute: u32, burst: u32) -> Self {
        let n = NonZeroU32::new(per_minute.max(1)).expect("at least 1");
        let burst = NonZeroU32::new(burst.max(1)).expect("at least 1");
        Self {
            failures: RateLimiter::keyed(Quota::per_minute(n).allow_burst(burst)),
            blocked: Cache::new(100_000),
            hasher: RandomState::new(),
        }
    }

    fn key(&self, what: &str) -> u64 {
        self.hasher.hash_one(what)
    }

    /// `Err(wait)` if `what` is out of budget now.
    pub fn check(&self, what: &str) -> Result<(), Duration> {
        let k = self.key(what);
        match self.blocked.get(&k) {
            Some(until) if until > Instant::now() => Err(until - Instant::now()),
            _ => Ok(()),
        }
    }

    /// Counts an attempt of `what` before its work; `Err(wait)` once over budget.
    pub fn attempt(&self, what: &str) -> Result<(), Duration> {
        self.check(what)?;
        let k = self.key(what);
        match self.failures.check_key(&k) {
            Ok(()) => Ok(()),
            Err(not_until) => {
                let wait = not_until.wait_time_from(DefaultClock::default().now());
                self.blocked.insert(k, Instant::now() + wait);
                Err(wait)
            }
        }
    }

    /// Counts a failure of `what`; the one that spends its budget blocks it.
    pub fn failed(&self, what: &str) {
        let k = self.key(what);
        if let Err(not_until) = self.failures.check_key(&k) {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            self.blocked.insert(k, Instant::now() + wait);
        }
    }

    /// Drops the state of keys that have refilled (called by the refresh job).
    pub fn retain_recent(&self) {
        self.failures.retain_recent();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_exhaust_a_budget_and_block_before_work() {
        let t = Throttle::failures_per_minute(3);
        for _ in 0..3 {
            assert!(t.check("a@b.fr").is_ok());
            t.failed("a@b.fr");
        }
        let wait = t.check("a@b.fr").unwrap_err();
        assert!(
            wait > Duration::from_secs(1) && wait <= Duration::from_secs(20),
            "{wait:?}"
        );
        assert!(t.check("c@d.fr").is_ok());
        let a = Throttle::attempts_per_minute(2);
        assert!(a.attempt("x").is_ok() && a.attempt("x").is_ok());
        assert!(a.attempt("x").is_err() && a.check("x").is_err());
    }
}
