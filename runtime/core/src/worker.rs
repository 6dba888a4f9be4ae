//! [`RelayWorker`]: the relay running by itself in the background.

use std::time::Instant;

use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::error::Error;
use crate::outbox::{self, DeadEvent, PurgeReport, QuarantinedRow, RelayReport};
use crate::runtime::Runtime;

/// The background relay of a [`Runtime`], started by [`Runtime::spawn_relay`].
///
/// Every [`sweep_interval`](crate::RelayOptions::sweep_interval) it runs a relay pass: it
/// claims the units that are due, sends their events and settles them (retries with
/// exponential backoff and jitter, parks an event as dead after `max_attempts`). Every
/// [`purge_interval`](crate::RelayOptions::purge_interval) it purges delivered events and old
/// inbox entries. [`RelayWorker::shutdown`] stops it cleanly: the send in progress finishes and
/// is settled, and claims it had not used yet are released for other processes at once.
/// Dropping the handle stops it after its current pass, without waiting.
///
/// Needs a tokio runtime with timers (`#[tokio::main]` has them).
pub struct RelayWorker {
    stop: watch::Sender<bool>,
    task: JoinHandle<RelayWorkerReport>,
}

/// What a relay worker did over its life.
#[derive(Debug, Default)]
pub struct RelayWorkerReport {
    /// Relay passes run.
    pub passes: u64,
    /// Events delivered.
    pub delivered: u64,
    /// Failed send attempts (each is retried after its backoff, or parked as dead).
    pub failed_attempts: u64,
    /// Events parked as dead.
    pub dead: Vec<DeadEvent>,
    /// Rows moved to quarantine.
    pub quarantined: Vec<QuarantinedRow>,
    /// What purges deleted.
    pub purged: PurgeReport,
    /// Passes or purges that failed on a database error (logged; the worker carries on).
    pub errors: u64,
}

impl RelayWorkerReport {
    fn absorb(&mut self, report: RelayReport) {
        self.passes += 1;
        self.delivered += report.delivered.len() as u64;
        self.failed_attempts += report.failed.len() as u64;
        self.dead.extend(report.dead);
        self.quarantined.extend(report.quarantined);
    }

    fn error(&mut self, what: &str, error: &Error) {
        self.errors += 1;
        tracing::warn!(%error, "relay worker: {what} failed; retrying at the next sweep");
    }
}

impl Runtime {
    /// Starts the relay worker: a background task that sweeps the outbox every
    /// [`RelayOptions::sweep_interval`](crate::RelayOptions::sweep_interval) and purges it
    /// every [`RelayOptions::purge_interval`](crate::RelayOptions::purge_interval). Stop it
    /// with [`RelayWorker::shutdown`], which lets the send in progress finish.
    pub fn spawn_relay(&self) -> RelayWorker {
        let (stop, stopped) = watch::channel(false);
        let task = tokio::spawn(run(self.clone(), stopped));
        RelayWorker { stop, task }
    }
}

impl RelayWorker {
    /// Stops the worker: the send in progress finishes and is settled, nothing new is sent,
    /// and unused claims are released. Returns what it did over its life.
    pub async fn shutdown(self) -> RelayWorkerReport {
        let _ = self.stop.send(true);
        self.task.await.unwrap_or_else(|error| {
            tracing::error!(%error, "relay worker panicked");
            RelayWorkerReport::default()
        })
    }
}

async fn run(runtime: Runtime, mut stop: watch::Receiver<bool>) -> RelayWorkerReport {
    let options = runtime.options().clone();
    let mut report = RelayWorkerReport::default();
    let mut next_purge = Instant::now();
    loop {
        match outbox::relay_pass(runtime.store(), runtime.sink().as_ref(), Some(&stop)).await {
            Ok(pass) => report.absorb(pass),
            Err(error) => report.error("a relay pass", &error),
        }
        if *stop.borrow() {
            break;
        }
        if Instant::now() >= next_purge {
            match runtime.purge().await {
                Ok(purged) => {
                    report.purged.events += purged.events;
                    report.purged.inbox_entries += purged.inbox_entries;
                }
                Err(error) => report.error("a purge", &error),
            }
            next_purge = Instant::now() + options.purge_interval;
        }
        tokio::select! {
            changed = stop.changed() => if changed.is_err() || *stop.borrow() { break },
            () = tokio::time::sleep(options.sweep_interval) => {}
        }
    }
    if let Ok(stats) = runtime.outbox_stats().await {
        tracing::info!(
            pending = stats.pending,
            dead = stats.dead,
            quarantined = stats.quarantined,
            delivered = stats.delivered,
            "relay worker stopped"
        );
    }
    report
}
