//! [`RequestContext`]: a request's context with the publisher it publishes through, and the
//! runtime's ways of making one ([`Runtime::context`]).

use std::future::Future;
use std::ops::Deref;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use contracts_common::{Context, ContextFactory, Event, EventMetadata};
use uuid::Uuid;

use crate::error::Error;
use crate::outbound::OutboundEvent;
use crate::outbox::Queued;
use crate::publisher::{PublishReport, Publisher};
use crate::runtime::Runtime;

/// A request's [`Context`] bound to the [`Runtime`] that publishes its events, and to the
/// units of work open in it.
///
/// A wrapper rather than a field on `Context`: `Context` is a contract type, built by
/// factories for samples and tests in crates that know nothing of databases, tokio or sinks,
/// and it stays a plain comparable value. The wrapper derefs to it, so `ctx.metadata()` and
/// `ctx.user_id` read as before; it implements [`Publisher`]; and it tracks the innermost
/// open [`UnitOfWork`](crate::UnitOfWork), which is where `publish_after_commit` queues (as Django's `on_commit`
/// attaches to the current atomic block).
///
/// Clones share the open units of work: hand clones to the tasks of one request, and build a
/// new context per request.
#[derive(Clone)]
pub struct RequestContext {
    context: Context,
    runtime: Runtime,
    scopes: Arc<Scopes>,
    delivery: Option<Delivery>,
}

/// The event a handler's context was built for, and the handler: what the inbox records
/// ([`UnitOfWork::first_delivery`](crate::UnitOfWork::first_delivery)).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    /// The event's envelope id: the same on every redelivery.
    pub event_id: Uuid,
    /// The handler's key: each handler applies an event once, independently of the others.
    pub consumer: Arc<str>,
}

/// The after-commit queues of the open units of work, outermost first.
#[derive(Default)]
pub(crate) struct Scopes {
    frames: Mutex<Vec<Vec<Queued>>>,
}

impl Scopes {
    fn frames(&self) -> MutexGuard<'_, Vec<Vec<Queued>>> {
        self.frames.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Opens the queue of the scope at `depth`; the outermost (0) only when none is open.
    pub(crate) fn open(&self, depth: usize) -> Result<(), Error> {
        let mut frames = self.frames();
        if depth == 0 && !frames.is_empty() {
            return Err(Error::AlreadyInUnitOfWork);
        }
        frames.truncate(depth);
        frames.push(Vec::new());
        Ok(())
    }

    /// Takes the queue of the scope at `depth`, closing it and any inner one.
    pub(crate) fn take(&self, depth: usize) -> Vec<Queued> {
        let mut frames = self.frames();
        let queued = frames.get_mut(depth).map(std::mem::take).unwrap_or_default();
        frames.truncate(depth);
        queued
    }

    /// Closes the scope at `depth` and hands its queue to the enclosing scope.
    pub(crate) fn merge_into_parent(&self, depth: usize) -> Vec<Uuid> {
        let mut frames = self.frames();
        let queued = frames.get_mut(depth).map(std::mem::take).unwrap_or_default();
        frames.truncate(depth);
        let ids = queued.iter().map(|queued| queued.event.id()).collect();
        if let Some(parent) = frames.last_mut() {
            parent.extend(queued);
        }
        ids
    }

    fn queue(&self, events: Vec<Queued>) -> Result<(), Vec<Queued>> {
        match self.frames().last_mut() {
            Some(frame) => {
                frame.extend(events);
                Ok(())
            }
            None => Err(events),
        }
    }

    fn is_open(&self) -> bool {
        !self.frames().is_empty()
    }
}

impl Runtime {
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
}

impl RequestContext {
    fn new(context: Context, runtime: Runtime, delivery: Option<Delivery>) -> Self {
        Self { context, runtime, scopes: Arc::default(), delivery }
    }

    /// In a handler: the event being handled and the handler's key; `None` in a request.
    pub fn delivery(&self) -> Option<&Delivery> {
        self.delivery.as_ref()
    }

    /// The request's context.
    pub fn context(&self) -> &Context {
        &self.context
    }

    /// The runtime this context publishes through.
    pub fn runtime(&self) -> &Runtime {
        &self.runtime
    }

    /// Whether a unit of work is open on this context.
    pub fn in_unit_of_work(&self) -> bool {
        self.scopes.is_open()
    }

    pub(crate) fn scopes(&self) -> &Arc<Scopes> {
        &self.scopes
    }

    fn outbound<E: Event>(&self, event: E) -> OutboundEvent {
        let event = OutboundEvent::new(event);
        tracing::debug!(
            event_id = %event.id(),
            source = event.source(),
            detail_type = event.detail_type(),
            correlation_id = event.correlation_id().map(tracing::field::display),
            "published"
        );
        event
    }

    fn queue<E: Event>(&self, events: impl IntoIterator<Item = E>) -> Result<Vec<Uuid>, Error> {
        let queued = events
            .into_iter()
            .map(|event| Queued::new(self.outbound(event)))
            .collect::<Result<Vec<_>, _>>()?;
        let ids = queued.iter().map(|queued| queued.event.id()).collect();
        self.scopes.queue(queued).map_err(|_| Error::NoUnitOfWork { detail_type: E::DETAIL_TYPE })?;
        Ok(ids)
    }
}

impl Deref for RequestContext {
    type Target = Context;

    fn deref(&self) -> &Context {
        &self.context
    }
}

impl std::fmt::Debug for RequestContext {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RequestContext")
            .field("context", &self.context)
            .field("in_unit_of_work", &self.in_unit_of_work())
            .field("delivery", &self.delivery)
            .finish_non_exhaustive()
    }
}

impl Publisher for RequestContext {
    fn publish<E: Event>(&self, event: E) -> impl Future<Output = Result<PublishReport, Error>> + Send {
        let events = vec![self.outbound(event)];
        self.runtime.send_now(events)
    }

    fn publish_batch<E: Event>(
        &self,
        events: impl IntoIterator<Item = E>,
    ) -> impl Future<Output = Result<PublishReport, Error>> + Send {
        let events = events.into_iter().map(|event| self.outbound(event)).collect();
        self.runtime.send_now(events)
    }

    fn publish_after_commit<E: Event>(&self, event: E) -> Result<Uuid, Error> {
        self.queue([event]).map(|ids| ids[0])
    }

    fn publish_batch_after_commit<E: Event>(
        &self,
        events: impl IntoIterator<Item = E>,
    ) -> Result<Vec<Uuid>, Error> {
        self.queue(events)
    }
}
