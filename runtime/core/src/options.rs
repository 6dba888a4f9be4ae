//! [`RelayOptions`]: how the outbox relay claims, retries, parks and purges.

use std::time::Duration;

use crate::backoff::Backoff;

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
    /// The wait before a failed unit's next attempt: 500 ms after the first failure, doubling
    /// up to 5 min, with equal jitter (a uniformly random wait between half and all of it).
    /// The same policy as the EventBridge publisher's retries.
    pub backoff: Backoff,
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
            backoff: Backoff::new(Duration::from_millis(500), Duration::from_secs(300)),
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
    /// The lease in milliseconds, as the database compares it (at least 1).
    pub(crate) fn lease_ms(&self) -> i64 {
        i64::try_from(self.lease.as_millis()).unwrap_or(i64::MAX / 4).max(1)
    }
}
