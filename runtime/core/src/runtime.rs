//! [`Runtime`]: one per process, the database and the sink its events go to.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};

use contracts_common::{Context, ContextFactory, EventMetadata};
use tracing::Instrument;
use uuid::Uuid;

use crate::context::Delivery;
use crate::outbox::{self, OutboxStats, PurgeReport, RelayReport};
use crate::publisher::PublishReport;
use crate::worker::RelayWorker;
use crate::{Database, Error, EventSink, OutboundEvent, RelayOptions, RequestContext};

/// The runtime of one service: its database, the sink its events go to, and how its outbox
/// relay behaves.
///
/// Cloning is cheap and shares everything. Build one per process with [`Runtime::start`],
/// then a [`RequestContext`] per request with [`Runtime::context`]; run
/// [`Runtime::spawn_relay`] in a long-lived process so failed events are retried.
#[derive(Clone)]
pub struct Runtime {
    inner: Arc<Inner>,
}

struct Inner {
    database: Database,
    sink: Arc<dyn EventSink>,
    options: RelayOptions,
    /// Who this runtime is in the outbox's claims: unique per process start.
    claimant: String,
    passes: AtomicU64,
    counters: Counters,
    recovered: OnceLock<RelayReport>,
}

/// What this process did, counted as it happens.
#[derive(Default)]
pub(crate) struct Counters {
    delivered: AtomicU64,
}

impl Counters {
    pub(crate) fn delivered(&self, n: u64) {
        self.delivered.fetch_add(n, Ordering::Relaxed);
    }

    pub(crate) fn delivered_total(&self) -> u64 {
        self.delivered.load(Ordering::Relaxed)
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
        let runtime = Self {
            inner: Arc::new(Inner {
                database,
                sink,
                options,
                claimant: Uuid::new_v4().to_string(),
                passes: AtomicU64::new(0),
                counters: Counters::default(),
                recovered: OnceLock::new(),
            }),
        };
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
        &self.inner.database
    }

    /// The sink events go to.
    pub fn sink(&self) -> &Arc<dyn EventSink> {
        &self.inner.sink
    }

    /// How the relay claims, retries and purges.
    pub fn options(&self) -> &RelayOptions {
        &self.inner.options
    }

    /// The request context of `context` on this runtime.
    pub fn context(&self, context: Context) -> RequestContext {
        RequestContext::new(context, self.clone(), None)
    }

    /// The context of code reacting to an event with `metadata`: same correlation, user and
    /// organisation ([`ContextFactory::for_event`]).
    pub fn context_for_event(&self, metadata: &EventMetadata) -> RequestContext {
        self.context(ContextFactory.for_event(metadata))
    }

    /// The context a handler runs in: the event's own request continued (a fresh correlation
    /// with nil user and organisation for an event without metadata, such as an AWS service
    /// event), knowing which handler and event it is for, so its unit of work can record the
    /// event in the inbox.
    pub(crate) fn handler_context(
        &self,
        metadata: Option<&EventMetadata>,
        delivery: Delivery,
    ) -> RequestContext {
        let context = match metadata {
            Some(metadata) => ContextFactory.for_event(metadata),
            None => ContextFactory.for_request(Uuid::nil(), Uuid::nil(), None),
        };
        RequestContext::new(context, self.clone(), Some(delivery))
    }

    /// Delivers every outbox event that is due (its backoff over) and not claimed by another
    /// process (or by a send of this one), unit by unit, in queue order within each unit.
    /// Run at start-up by [`Runtime::start`] and periodically by [`Runtime::spawn_relay`].
    pub async fn relay_pending(&self) -> Result<RelayReport, Error> {
        outbox::relay_pass(self, None).await
    }

    /// Starts the relay worker: a background task that sweeps the outbox every
    /// [`RelayOptions::sweep_interval`] and purges it every [`RelayOptions::purge_interval`].
    /// Stop it with [`RelayWorker::shutdown`], which lets the send in progress finish.
    pub fn spawn_relay(&self) -> RelayWorker {
        RelayWorker::spawn(self.clone())
    }

    /// Deletes delivered events older than [`RelayOptions::retention`] and inbox entries older
    /// than [`RelayOptions::inbox_retention`], in batches of [`RelayOptions::purge_batch`].
    pub async fn purge(&self) -> Result<PurgeReport, Error> {
        outbox::retention::purge(self).await
    }

    /// Counts of pending, dead and quarantined events, and of events this process delivered.
    pub async fn outbox_stats(&self) -> Result<OutboxStats, Error> {
        outbox::retention::stats(self).await
    }

    /// Puts the dead events with outbox sequence numbers `seqs` back in the outbox (same
    /// envelope ids), due at once, as one unit in the given order; returns how many.
    pub async fn requeue_dead(&self, seqs: &[i64]) -> Result<usize, Error> {
        outbox::retention::requeue_dead(self, seqs).await
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
        let report = self.inner.sink.send(&events, self).instrument(span).await;
        if !report.failed.is_empty() {
            return Err(Error::Rejected { failed: report.failed });
        }
        self.inner.counters.delivered(events.len() as u64);
        Ok(PublishReport {
            event_ids: events.iter().map(OutboundEvent::id).collect(),
            handler_failures: report.handler_failures,
        })
    }

    pub(crate) fn claimant(&self) -> &str {
        &self.inner.claimant
    }

    /// The claimant name of a new relay pass: this runtime's, numbered.
    pub(crate) fn pass_claimant(&self) -> String {
        format!("{}/{}", self.inner.claimant, self.inner.passes.fetch_add(1, Ordering::Relaxed))
    }

    pub(crate) fn lease_ms(&self) -> i64 {
        i64::try_from(self.inner.options.lease.as_millis()).unwrap_or(i64::MAX / 4).max(1)
    }

    pub(crate) fn counters(&self) -> &Counters {
        &self.inner.counters
    }
}

impl std::fmt::Debug for Runtime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Runtime")
            .field("backend", &self.inner.database.backend())
            .field("claimant", &self.inner.claimant)
            .finish_non_exhaustive()
    }
}
