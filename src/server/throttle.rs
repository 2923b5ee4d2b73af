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
//! 5. Bounded whatever the number of distinct keys ([`KeyedLimiter`]): a flood of
//!    made-up addresses or e-mails cannot grow the tables without limit.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hash};
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, NotUntil, Quota, RateLimiter};
use quick_cache::sync::Cache;

/// Keys a [`KeyedLimiter`] holds before it prunes out of turn.
pub const MAX_KEYS: usize = 100_000;
/// One check in this many looks at the table's size (a look locks every shard).
const SIZE_CHECK_EVERY: u32 = 1024;

/// A keyed rate limiter (governor's, one cell state per key) whose table stays bounded.
///
/// Governor keeps a key until told to forget the ones whose budget has refilled
/// (`retain_recent`), and keeps the table's capacity after that unless shrunk. Here:
/// 1. [`KeyedLimiter::prune`] does both; the refresh job calls it.
/// 2. Between two prunes, one check in [`SIZE_CHECK_EVERY`] prunes at once if the table
///    holds more than its cap, so a flood of distinct keys leaves at most the cap, plus
///    that many, plus the keys still refilling (used within about two cells' time:
///    0.1 s for beacons at 20/s; a key never used beyond its burst holds nothing more).
/// 3. Budgets are never reset to make room: a key still refilling keeps its state.
pub struct KeyedLimiter<K: Hash + Eq + Clone> {
    /// Governor's limiter; its table is sharded and locks per shard.
    inner: DefaultKeyedRateLimiter<K>,
    /// Checks made, to look at the size every [`SIZE_CHECK_EVERY`]; wraps harmlessly.
    checks: AtomicU32,
    max_keys: usize,
}

impl<K: Hash + Eq + Clone> KeyedLimiter<K> {
    /// A limiter of `quota` per key, holding about [`MAX_KEYS`] keys at most.
    pub fn new(quota: Quota) -> Self {
        Self::with_max_keys(quota, MAX_KEYS)
    }

    /// A limiter of `quota` per key that prunes once it holds more than `max_keys`.
    pub fn with_max_keys(quota: Quota, max_keys: usize) -> Self {
        Self {
            inner: RateLimiter::keyed(quota),
            checks: AtomicU32::new(0),
            max_keys,
        }
    }

    /// Spends one cell of `key`'s budget; `Err` (with when to retry) if none is left.
    pub fn check_key(&self, key: &K) -> Result<(), NotUntil<<DefaultClock as Clock>::Instant>> {
        let outcome = self.inner.check_key(key);
        if self
            .checks
            .fetch_add(1, Ordering::Relaxed)
            .is_multiple_of(SIZE_CHECK_EVERY)
            && self.inner.len() > self.max_keys
        {
            self.prune();
        }
        outcome
    }

    /// Forgets the keys whose budget has refilled and gives back the table's room.
    pub fn prune(&self) {
        self.inner.retain_recent();
        self.inner.shrink_to_fit();
    }

    /// Keys held.
    pub fn len(&self) -> usize {
        self.inner.len()
    }

    /// Whether no key is held.
    pub fn is_empty(&self) -> bool {
        self.inner.is_empty()
    }
}

/// A budget of attempts or failures per key and minute.
pub struct Throttle {
    /// Cells of the budget, per hashed key.
    failures: KeyedLimiter<u64>,
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
            failures: KeyedLimiter::new(Quota::per_minute(n).allow_burst(burst)),
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
        self.failures.prune();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flood_of_distinct_keys_leaves_the_limiter_bounded() {
        // Cells refill within a microsecond, so every key but the last few is prunable.
        let quota = Quota::per_second(NonZeroU32::new(1_000_000).unwrap());
        let limiter = KeyedLimiter::with_max_keys(quota, 1_000);
        let mut most = 0;
        for key in 0..200_000u64 {
            let _ = limiter.check_key(&key);
            most = most.max(limiter.len());
        }
        assert!(
            most <= 1_000 + SIZE_CHECK_EVERY as usize + 64,
            "{most} keys held at most"
        );
        std::thread::sleep(Duration::from_millis(5));
        limiter.prune();
        assert!(limiter.is_empty(), "{} keys after a prune", limiter.len());
        // A key still refilling keeps its state through prunes: no fresh budget.
        let slow = KeyedLimiter::with_max_keys(Quota::per_minute(NonZeroU32::new(1).unwrap()), 1);
        assert!(slow.check_key(&1u64).is_ok());
        for key in 2..5_000u64 {
            let _ = slow.check_key(&key);
        }
        slow.prune();
        assert!(slow.check_key(&1u64).is_err());
    }

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
