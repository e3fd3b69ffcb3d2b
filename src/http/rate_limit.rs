//! Per-counter rate limits: a token bucket per counter code, off unless configured.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A counter's limit: `rate` requests per second on average, bursts of `burst`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rate {
    /// Tokens added per second.
    pub per_second: f64,
    /// Bucket size.
    pub burst: u32,
}

struct Bucket {
    rate: Rate,
    tokens: f64,
    last: Instant,
}

/// The buckets of every limited counter.
#[derive(Default)]
pub struct RateLimits {
    buckets: Mutex<HashMap<String, Bucket>>,
}

/// Past the limit: how long until the next request would pass.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limited {
    /// The limit that was hit.
    pub rate: Rate,
    /// Time until one token is back.
    pub retry_after: Duration,
}

impl RateLimits {
    /// Buckets for `limits` (counter code, rate); counters not listed are not limited. Buckets
    /// of counters whose rate did not change keep their tokens (a reload is not a free burst).
    pub fn configure(&self, limits: impl IntoIterator<Item = (String, Rate)>) {
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        let mut next = HashMap::new();
        for (code, rate) in limits {
            let bucket = match buckets.remove(&code) {
                Some(b) if b.rate == rate => b,
                _ => Bucket { rate, tokens: f64::from(rate.burst), last: Instant::now() },
            };
            next.insert(code, bucket);
        }
        *buckets = next;
    }

    /// Takes one token for `code`, or says how long to wait.
    pub fn take(&self, code: &str) -> Result<(), Limited> {
        self.take_at(code, Instant::now())
    }

    fn take_at(&self, code: &str, now: Instant) -> Result<(), Limited> {
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        let Some(b) = buckets.get_mut(code) else { return Ok(()) };
        let elapsed = now.saturating_duration_since(b.last).as_secs_f64();
        b.tokens = (b.tokens + elapsed * b.rate.per_second).min(f64::from(b.rate.burst));
        b.last = now;
        if b.tokens >= 1.0 {
            b.tokens -= 1.0;
            return Ok(());
        }
        let wait = (1.0 - b.tokens) / b.rate.per_second;
        Err(Limited { rate: b.rate, retry_after: Duration::from_secs_f64(wait) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_then_the_average_rate_and_other_counters_untouched() {
        let limits = RateLimits::default();
        limits.configure([("G1104".to_string(), Rate { per_second: 2.0, burst: 3 })]);
        let t0 = Instant::now();
        for _ in 0..3 {
            limits.take_at("G1104", t0).unwrap();
        }
        let limited = limits.take_at("G1104", t0).unwrap_err();
        assert_eq!(limited.retry_after, Duration::from_millis(500));
        assert!(limits.take_at("G1104", t0 + Duration::from_millis(499)).is_err());
        limits.take_at("G1104", t0 + Duration::from_millis(1000)).unwrap();
        for _ in 0..100 {
            limits.take_at("G2201", t0).unwrap();
        }
        // A reload with the same rate keeps the empty bucket; a new rate starts full.
        limits.configure([("G1104".to_string(), Rate { per_second: 2.0, burst: 3 })]);
        limits.take_at("G1104", t0 + Duration::from_millis(1000)).unwrap();
        assert!(limits.take_at("G1104", t0 + Duration::from_millis(1000)).is_err());
        limits.configure([("G1104".to_string(), Rate { per_second: 1.0, burst: 1 })]);
        limits.take("G1104").unwrap();
    }
}
