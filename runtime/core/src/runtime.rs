//! [`Runtime`]: one per process, the outbox store and the sink its events go to.
//!
//! The runtime sits below the request context, the handlers and the relay worker: it knows
//! the outbox ([`OutboxStore`]) and the [`EventSink`], and nothing above them. A
//! [`RequestContext`](crate::RequestContext) is built from it (`context.rs`), units of work
//! begin on a context (`unit_of_work.rs`), and the worker is spawned from it (`worker.rs`).

use std::sync::{Arc, OnceLock, Weak};

use tracing::Instrument;

use crate::database::Database;
use crate::error::Error;
use crate::options::RelayOptions;
use crate::outbound::OutboundEvent;
use crate::outbox::{self, OutboxStats, OutboxStore, PurgeReport, RelayReport};
use crate::publisher::PublishReport;
use crate::sink::EventSink;

/// The runtime of one service: its database, the sink its events go to, and how its outbox
/// relay behaves.
///
/// Cloning is cheap and shares everything. Build one per process with [`Runtime::start`]
/// (or [`Runtime::start_local`] for the in-process bus), then a
/// [`RequestContext`](crate::RequestContext) per request with [`Runtime::context`]; run
/// [`Runtime::spawn_relay`] in a long-lived process so failed events are retried.
#[derive(Clone)]
pub struct Runtime {
    inner: Arc<Inner>,
}

struct Inner {
    store: OutboxStore,
    sink: Arc<dyn EventSink>,
    recovered: OnceLock<RelayReport>,
}

/// A handle on a [`Runtime`] that does not keep it alive: what a sink that runs handlers
/// in-process holds, since the runtime holds the sink. Given to the sink when it is built, by
/// [`Runtime::start_with_sink`].
#[derive(Clone)]
pub struct RuntimeHandle {
    inner: Weak<Inner>,
}

impl RuntimeHandle {
    /// The runtime, while any clone of it is alive.
    pub fn runtime(&self) -> Option<Runtime> {
        self.inner.upgrade().map(|inner| Runtime { inner })
    }
}

impl std::fmt::Debug for RuntimeHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RuntimeHandle").field("alive", &(self.inner.strong_count() > 0)).finish()
    }
}

impl Runtime {
    /// Starts the runtime on a migrated `database`, delivering to `sink`, with the default
    /// [`RelayOptions`], and relays at once whatever is due in the outbox (see
    /// [`Runtime::recovered_at_start`]).
    pub async fn start(database: Database, sink: Arc<dyn EventSink>) -> Result<Self, Error> {
        Self::start_with(database, sink, RelayOptions::default()).await
    }

    /// [`Runtime::start`] with explicit relay options.
    pub async fn start_with(
        database: Database,
        sink: Arc<dyn EventSink>,
        options: RelayOptions,
    ) -> Result<Self, Error> {
        Self::start_with_sink(database, options, |_| sink).await
    }

    /// Starts a runtime whose sink needs the runtime itself: `sink` is called once, while the
    /// runtime is built, with a [`RuntimeHandle`] on it (an in-process bus builds its
    /// handlers' contexts from it, so their follow-up events go through this runtime).
    pub async fn start_with_sink(
        database: Database,
        options: RelayOptions,
        sink: impl FnOnce(RuntimeHandle) -> Arc<dyn EventSink>,
    ) -> Result<Self, Error> {
        let store = OutboxStore::new(database, options);
        let inner = Arc::new_cyclic(|inner| Inner {
            store,
            sink: sink(RuntimeHandle { inner: inner.clone() }),
            recovered: OnceLock::new(),
        });
        let runtime = Self { inner };
        let report = runtime.relay_pending().await?;
        let _ = runtime.inner.recovered.set(report);
        Ok(runtime)
    }

    /// What the start-up relay pass delivered: events a previous process committed and did
    /// not get to deliver (once its claims have expired), and failed events that were due.
    pub fn recovered_at_start(&self) -> &RelayReport {
        self.inner.recovered.get_or_init(RelayReport::default)
    }

    /// The database.
    pub fn database(&self) -> &Database {
        self.inner.store.database()
    }

    /// The sink events go to.
    pub fn sink(&self) -> &Arc<dyn EventSink> {
        &self.inner.sink
    }

    /// How the relay claims, retries and purges.
    pub fn options(&self) -> &RelayOptions {
        self.inner.store.options()
    }

    /// A handle on this runtime that does not keep it alive.
    pub fn handle(&self) -> RuntimeHandle {
        RuntimeHandle { inner: Arc::downgrade(&self.inner) }
    }

    /// Delivers every outbox event that is due (its backoff over) and not claimed by another
    /// process (or by a send of this one), unit by unit, in queue order within each unit.
    /// Run at start-up by [`Runtime::start`] and periodically by [`Runtime::spawn_relay`].
    pub async fn relay_pending(&self) -> Result<RelayReport, Error> {
        outbox::relay_pass(&self.inner.store, self.inner.sink.as_ref(), None).await
    }

    /// Deletes delivered events older than [`RelayOptions::retention`] and inbox entries older
    /// than [`RelayOptions::inbox_retention`], in batches of [`RelayOptions::purge_batch`].
    pub async fn purge(&self) -> Result<PurgeReport, Error> {
        outbox::retention::purge(&self.inner.store).await
    }

    /// Counts of pending, dead and quarantined events, and of events this process delivered.
    pub async fn outbox_stats(&self) -> Result<OutboxStats, Error> {
        outbox::retention::stats(&self.inner.store).await
    }

    /// Puts the dead events with outbox sequence numbers `seqs` back in the outbox (same
    /// envelope ids), due at once, as one unit in the given order; returns how many.
    pub async fn requeue_dead(&self, seqs: &[i64]) -> Result<usize, Error> {
        outbox::retention::requeue_dead(&self.inner.store, seqs).await
    }

    /// Sends events to the sink now.
    pub(crate) async fn send_now(&self, events: Vec<OutboundEvent>) -> Result<PublishReport, Error> {
        let span = tracing::info_span!(
            "publish",
            events = events.len(),
            event_id = events.first().map(|event| tracing::field::display(event.id())),
            source = events.first().map(OutboundEvent::source),
            detail_type = events.first().map(OutboundEvent::detail_type),
            correlation_id =
                events.first().and_then(OutboundEvent::correlation_id).map(tracing::field::display),
        );
        let report = self.inner.sink.send(&events).instrument(span).await;
        if !report.failed.is_empty() {
            return Err(Error::Rejected { failed: report.failed });
        }
        self.inner.store.count_delivered(events.len() as u64);
        Ok(PublishReport {
            event_ids: events.iter().map(OutboundEvent::id).collect(),
            handler_failures: report.handler_failures,
        })
    }

    /// The outbox as this runtime sees it: for units of work and the relay worker.
    pub(crate) fn store(&self) -> &OutboxStore {
        &self.inner.store
    }
}

impl std::fmt::Debug for Runtime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Runtime")
            .field("backend", &self.inner.store.backend())
            .field("claimant", &self.inner.store.claimant())
            .finish_non_exhaustive()
    }
}
