//! [`RelayOptions`]: how the outbox relay claims, retries, parks and purges.

use std::time::Duration;

/// How the outbox relay claims, retries, gives up and purges. [`Default`] is for production;
/// tests shorten the times.
#[derive(Debug, Clone)]
pub struct RelayOptions {
    /// How long a claim on a unit of work's events lasts. The claimant renews it while a send
    /// is in progress, so it bounds only how long the events of a process that died wait
    /// before another process sends them. Default: 30 s.
    pub lease: Duration,
    /// Attempts at an event before it is parked as dead (kept, reported, never sent again
    /// unless requeued). Default: 12.
    pub max_attempts: u32,
    /// The wait after a first failed attempt; it doubles with each attempt (with jitter: a
    /// uniformly random wait between half and all of it). Default: 500 ms.
    pub initial_backoff: Duration,
    /// The longest wait between two attempts. Default: 5 min.
    pub max_backoff: Duration,
    /// How often the relay worker looks for due events: with the backoff, it bounds how long a
    /// failed event waits. Default: 1 s.
    pub sweep_interval: Duration,
    /// Units of work one claim takes. Default: 50.
    pub claim_units: usize,
    /// Events handed to the sink per `send`. Default: 100.
    pub batch_size: usize,
    /// How long delivered events are kept in `event_outbox` (the log of what was published)
    /// before the purge deletes them. Default: one day.
    pub retention: Duration,
    /// How long the inbox remembers a processed event id: a redelivery later than this would
    /// be applied again. Default: seven days.
    pub inbox_retention: Duration,
    /// How often the relay worker purges. Default: 1 min.
    pub purge_interval: Duration,
    /// Rows one purge statement deletes, so a purge never holds a long lock. Default: 1,000.
    pub purge_batch: usize,
}

impl Default for RelayOptions {
    fn default() -> Self {
        Self {
            lease: Duration::from_secs(30),
            max_attempts: 12,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(300),
            sweep_interval: Duration::from_secs(1),
            claim_units: 50,
            batch_size: 100,
            retention: Duration::from_secs(24 * 60 * 60),
            inbox_retention: Duration::from_secs(7 * 24 * 60 * 60),
            purge_interval: Duration::from_secs(60),
            purge_batch: 1_000,
        }
    }
}

impl RelayOptions {
    /// The wait before attempt `attempts + 1`, after `attempts` failed ones: exponential,
    /// capped, with "equal jitter" (half fixed, half random) so units failing together do not
    /// retry together. `random` is uniform in `[0, 1)`.
    pub(crate) fn backoff(&self, attempts: u32, random: f64) -> Duration {
        let exponent = attempts.saturating_sub(1).min(30);
        let full = self.initial_backoff.saturating_mul(1 << exponent).min(self.max_backoff);
        full / 2 + full.mul_f64(random.clamp(0.0, 1.0) / 2.0)
    }
}

/// A uniform random number in `[0, 1)` from the operating system's generator (the same one
/// UUID v4 uses), so the runtime needs no RNG crate for jitter.
pub(crate) fn random_unit() -> f64 {
    // The low 62 bits of a v4 UUID are random (the version and variant bits are above them).
    (uuid::Uuid::new_v4().as_u128() & ((1 << 53) - 1)) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_cap_with_jitter_between_half_and_all() {
        let options = RelayOptions::default();
        assert_eq!(options.backoff(1, 0.0), Duration::from_millis(250));
        assert_eq!(options.backoff(1, 1.0), Duration::from_millis(500));
        assert_eq!(options.backoff(3, 1.0), Duration::from_millis(2_000));
        assert_eq!(options.backoff(40, 1.0), Duration::from_secs(300));
        assert_eq!(options.backoff(40, 0.0), Duration::from_secs(150));
    }

    #[test]
    fn random_units_are_in_range() {
        assert!((0..1_000).map(|_| random_unit()).all(|x| (0.0..1.0).contains(&x)));
    }
}
