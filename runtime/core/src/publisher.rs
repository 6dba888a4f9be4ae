//! [`Publisher`], the one publishing API, and [`Runtime`], what it publishes through.

use std::collections::HashSet;
use std::future::Future;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use contracts_common::{Context, ContextFactory, Event, EventMetadata};
use uuid::Uuid;

use crate::outbox::{self, RelayReport};
use crate::{Database, Error, EventSink, HandlerFailure, OutboundEvent, RequestContext};

/// Publishes typed events: now, or after the current unit of work commits.
///
/// [`RequestContext`] implements it, so service code publishes from the context it already
/// has. Each event gets an [`EventEnvelope`](contracts_common::EventEnvelope) with its
/// `source` and `detail-type`, a fresh random id and the current time.
///
/// The after-commit methods only queue (no I/O), so they are plain functions: they cannot be
/// forgotten un-awaited, and they fail at once when no unit of work is open.
pub trait Publisher {
    /// Sends `event` to the sink now, whether or not a unit of work is open.
    fn publish<E: Event>(&self, event: E) -> impl Future<Output = Result<PublishReport, Error>> + Send;

    /// Sends `events` to the sink now, in order, in one call.
    fn publish_batch<E: Event>(
        &self,
        events: impl IntoIterator<Item = E>,
    ) -> impl Future<Output = Result<PublishReport, Error>> + Send;

    /// Queues `event` on the innermost open unit of work: written to the outbox when the
    /// outermost one commits and relayed after that commit; dropped if its scope rolls back.
    /// Returns the envelope id. Fails with [`Error::NoUnitOfWork`] outside a unit of work.
    fn publish_after_commit<E: Event>(&self, event: E) -> Result<Uuid, Error>;

    /// Queues `events`, in order, as [`Publisher::publish_after_commit`] does.
    fn publish_batch_after_commit<E: Event>(
        &self,
        events: impl IntoIterator<Item = E>,
    ) -> Result<Vec<Uuid>, Error>;
}

/// What an immediate publish did.
#[derive(Debug, Default)]
pub struct PublishReport {
    /// The envelope ids of the published events, in order.
    pub event_ids: Vec<Uuid>,
    /// In-process handlers that failed (only a [`LocalBus`](crate::LocalBus) runs handlers).
    pub handler_failures: Vec<HandlerFailure>,
}

/// The runtime of one service: its database and the sink its events go to.
///
/// Cloning is cheap and shares everything. Build one per process with [`Runtime::start`],
/// then a [`RequestContext`] per request with [`Runtime::context`].
#[derive(Clone)]
pub struct Runtime {
    inner: Arc<Inner>,
}

struct Inner {
    database: Database,
    sink: Arc<dyn EventSink>,
    /// Envelope ids some task of this process is delivering: the relay skips them, so an
    /// event is not sent twice by a commit and a concurrent relay pass.
    in_flight: Mutex<HashSet<Uuid>>,
    recovered: OnceLock<RelayReport>,
}

impl Runtime {
    /// Starts the runtime on a migrated `database`, delivering to `sink`, and relays at once
    /// whatever a crash left in the outbox (see [`Runtime::recovered_at_start`]).
    pub async fn start(database: Database, sink: Arc<dyn EventSink>) -> Result<Self, Error> {
        let runtime = Self {
            inner: Arc::new(Inner {
                database,
                sink,
                in_flight: Mutex::new(HashSet::new()),
                recovered: OnceLock::new(),
            }),
        };
        let report = runtime.relay_pending().await?;
        let _ = runtime.inner.recovered.set(report);
        Ok(runtime)
    }

    /// What the start-up relay pass delivered: the events a previous process committed but
    /// did not get to publish.
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

    /// The request context of `context` on this runtime.
    pub fn context(&self, context: Context) -> RequestContext {
        RequestContext::new(context, self.clone())
    }

    /// The context of a handler reacting to an event with `metadata`: same correlation, user
    /// and organisation ([`ContextFactory::for_event`]).
    pub fn context_for_event(&self, metadata: &EventMetadata) -> RequestContext {
        self.context(ContextFactory.for_event(metadata))
    }

    /// The context a handler of an event runs in: the event's request continued, or, for an
    /// event without metadata, a fresh correlation with nil user and organisation.
    pub(crate) fn handler_context(&self, metadata: Option<&EventMetadata>) -> RequestContext {
        match metadata {
            Some(metadata) => self.context_for_event(metadata),
            None => self.context(ContextFactory.for_request(Uuid::nil(), Uuid::nil(), None)),
        }
    }

    /// Delivers every outbox event not yet delivered (and not being delivered by this
    /// process), oldest first, and marks them delivered. Run at start-up by
    /// [`Runtime::start`]; call it again (e.g. on a timer) to retry events the sink failed.
    pub async fn relay_pending(&self) -> Result<RelayReport, Error> {
        outbox::relay_pending(self).await
    }

    /// Sends events to the sink now.
    pub(crate) async fn send_now(&self, events: Vec<OutboundEvent>) -> Result<PublishReport, Error> {
        let report = self.inner.sink.send(&events, self).await;
        if !report.failed.is_empty() {
            return Err(Error::Rejected { failed: report.failed });
        }
        Ok(PublishReport {
            event_ids: events.iter().map(OutboundEvent::id).collect(),
            handler_failures: report.handler_failures,
        })
    }

    /// Marks `ids` as being delivered by this process until the returned guard drops.
    pub(crate) fn claim(&self, ids: impl IntoIterator<Item = Uuid>) -> Claim {
        let mut in_flight = self.inner.in_flight.lock().unwrap_or_else(PoisonError::into_inner);
        let ids: Vec<Uuid> = ids.into_iter().filter(|id| in_flight.insert(*id)).collect();
        Claim { runtime: self.clone(), ids }
    }
}

/// Events this process is delivering; released on drop.
pub(crate) struct Claim {
    runtime: Runtime,
    ids: Vec<Uuid>,
}

impl Claim {
    /// Whether this claim holds `id` (another task had not claimed it first).
    pub(crate) fn holds(&self, id: Uuid) -> bool {
        self.ids.contains(&id)
    }
}

impl Drop for Claim {
    fn drop(&mut self) {
        let mut in_flight = self.runtime.inner.in_flight.lock().unwrap_or_else(PoisonError::into_inner);
        for id in &self.ids {
            in_flight.remove(id);
        }
    }
}
