//! [`Backoff`]: the one retry-wait policy of the runtime and its adapters.
//!
//! The outbox relay (waits between a unit's attempts, stored in the database) and the
//! EventBridge publisher (waits between `PutEvents` retries of one send) both wait by this
//! rule, so they cannot drift apart: exponential, capped, with "equal jitter" (half the wait
//! fixed, half uniformly random) so that callers failing together do not retry together.
//!
//! Hand-written rather than `backon` or `backoff`: the relay needs the wait *after attempt n*
//! as a pure function of n (its attempt counts live in database rows, not in an iterator
//! held across calls), `backoff` is unmaintained, and `backon`'s jitter (adding up to one more
//! whole wait) is neither the documented "equal jitter" nor seedable by a test. The rule is a
//! dozen lines; the part worth testing, the jitter's randomness, is injectable here
//! ([`Jitter::Seeded`]).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Exponential backoff: the wait after the first failed attempt is `initial`, doubling with
/// each further failure up to `max`, then jittered by [`Jitter`].
#[derive(Debug, Clone)]
pub struct Backoff {
    /// The (unjittered) wait after the first failed attempt.
    pub initial: Duration,
    /// The longest (unjittered) wait.
    pub max: Duration,
    /// How the wait is randomised.
    pub jitter: Jitter,
}

/// How a [`Backoff`] randomises its waits.
#[derive(Debug, Clone)]
pub enum Jitter {
    /// The exact exponential wait: for schedules that must be predictable.
    None,
    /// "Equal jitter": a uniformly random wait between half and all of the exponential one,
    /// drawn from the operating system's generator. The default.
    Equal,
    /// Equal jitter drawn from a seeded generator: the same waits, in the order they are
    /// drawn, on every run (tests). Clones share one sequence.
    Seeded(SeededRandom),
}

impl Backoff {
    /// Equal-jittered exponential backoff from `initial` up to `max`.
    pub const fn new(initial: Duration, max: Duration) -> Self {
        Self { initial, max, jitter: Jitter::Equal }
    }

    /// No wait at all: every retry at once (tests).
    pub const fn none() -> Self {
        Self { initial: Duration::ZERO, max: Duration::ZERO, jitter: Jitter::None }
    }

    /// The same policy with `jitter`.
    #[must_use]
    pub fn with_jitter(mut self, jitter: Jitter) -> Self {
        self.jitter = jitter;
        self
    }

    /// The wait after `failures` failed attempts (1 after the first), jittered.
    pub fn delay(&self, failures: u32) -> Duration {
        let random = match &self.jitter {
            Jitter::None => return self.ceiling(failures),
            Jitter::Equal => os_random_unit(),
            Jitter::Seeded(random) => random.next_unit(),
        };
        self.delay_with(failures, random)
    }

    /// The wait after `failures` failed attempts with equal jitter `random` (uniform in
    /// `[0, 1)`): between half and all of [`Backoff::ceiling`].
    pub fn delay_with(&self, failures: u32, random: f64) -> Duration {
        let full = self.ceiling(failures);
        full / 2 + full.mul_f64(random.clamp(0.0, 1.0) / 2.0)
    }

    /// The unjittered wait after `failures` failed attempts: `initial · 2^(failures − 1)`,
    /// at most `max` (0 failures wait as 1).
    pub fn ceiling(&self, failures: u32) -> Duration {
        let exponent = failures.saturating_sub(1).min(31);
        self.initial.saturating_mul(1 << exponent).min(self.max)
    }
}

/// A seeded source of uniform numbers in `[0, 1)` (SplitMix64), shareable across tasks.
#[derive(Debug, Clone)]
pub struct SeededRandom {
    state: Arc<AtomicU64>,
}

impl SeededRandom {
    /// A sequence starting from `seed`.
    pub fn new(seed: u64) -> Self {
        Self { state: Arc::new(AtomicU64::new(seed)) }
    }

    /// The next number of the sequence.
    pub fn next_unit(&self) -> f64 {
        const GAMMA: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut z = self.state.fetch_add(GAMMA, Ordering::Relaxed).wrapping_add(GAMMA);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^= z >> 31;
        (z >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// A uniform number in `[0, 1)` from the operating system's generator (the one UUID v4
/// uses), so the runtime needs no RNG crate for jitter.
fn os_random_unit() -> f64 {
    // The low 62 bits of a v4 UUID are random (the version and variant bits are above them).
    (uuid::Uuid::new_v4().as_u128() & ((1 << 53) - 1)) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> Backoff {
        Backoff::new(Duration::from_millis(500), Duration::from_secs(300))
    }

    #[test]
    fn the_ceiling_doubles_from_initial_up_to_max() {
        let waits: Vec<u128> = (0..=5).map(|n| policy().ceiling(n).as_millis()).collect();
        assert_eq!(waits, [500, 500, 1_000, 2_000, 4_000, 8_000]);
        assert_eq!(policy().ceiling(40), Duration::from_secs(300));
        assert_eq!(policy().ceiling(u32::MAX), Duration::from_secs(300));
    }

    #[test]
    fn equal_jitter_waits_between_half_and_all_of_the_ceiling() {
        assert_eq!(policy().delay_with(1, 0.0), Duration::from_millis(250));
        assert_eq!(policy().delay_with(1, 1.0), Duration::from_millis(500));
        assert_eq!(policy().delay_with(3, 0.5), Duration::from_millis(1_500));
        assert_eq!(policy().delay_with(40, 0.0), Duration::from_secs(150));
    }

    #[test]
    fn without_jitter_the_wait_is_the_ceiling() {
        let exact = policy().with_jitter(Jitter::None);
        assert_eq!(
            (1..=4).map(|n| exact.delay(n).as_millis()).collect::<Vec<_>>(),
            [500, 1_000, 2_000, 4_000]
        );
    }

    #[test]
    fn a_seeded_policy_waits_the_same_on_every_run_and_varies_between_draws() {
        let run = || {
            let seeded = policy().with_jitter(Jitter::Seeded(SeededRandom::new(7)));
            (0..8).map(|_| seeded.delay(3)).collect::<Vec<_>>()
        };
        let waits = run();
        assert_eq!(waits, run());
        assert!(
            waits
                .iter()
                .all(|wait| (Duration::from_millis(1_000)..=Duration::from_millis(2_000)).contains(wait))
        );
        assert!(waits.windows(2).any(|pair| pair[0] != pair[1]), "{waits:?}");
    }

    #[test]
    fn the_os_jitter_stays_in_range() {
        assert!((0..1_000).map(|_| os_random_unit()).all(|x| (0.0..1.0).contains(&x)));
        let jittered = policy();
        assert!(
            (0..100)
                .map(|_| jittered.delay(2))
                .all(|wait| { (Duration::from_millis(500)..=Duration::from_millis(1_000)).contains(&wait) })
        );
    }
}
