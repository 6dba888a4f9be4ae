//! [`Publisher`], the one publishing API.

use std::future::Future;

use contracts_common::Event;
use uuid::Uuid;

use crate::{Error, HandlerFailure};

/// Publishes typed events: now, or after the current unit of work commits.
///
/// [`RequestContext`](crate::RequestContext) implements it, so service code publishes from the context it already
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
