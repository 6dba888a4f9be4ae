//! [`EventSink`]: where published events go.

use crate::BoxFuture;
use crate::error::{FailedEntry, HandlerFailure};
use crate::outbound::OutboundEvent;

/// A destination for events: the in-process [`LocalBus`](crate::LocalBus), or (in an adapter
/// crate) EventBridge. Both immediate publishing and the outbox relay deliver through it.
///
/// The trait is dyn-compatible (the runtime holds an `Arc<dyn EventSink>`), so `send` returns
/// a boxed future. It reports per entry, because EventBridge's `PutEvents` accepts at most 10
/// entries per call and can fail some entries of a call: an EventBridge sink chunks `events`
/// by 10, retries only the failed entries as it sees fit, and reports in
/// [`DeliveryReport::failed`] the entries it finally could not deliver. The relay marks every
/// other entry delivered and retries the failed ones after their backoff.
///
/// Events arrive in queue order. The relay stops a unit at its first failed event (nothing
/// queued after it is sent before it), so a sink that must keep each unit's order delivers in
/// order and, after a failure, reports the rest of the call as failed too. That is why, unless
/// the sink says its entries fail independently
/// ([`EventSink::entries_fail_independently`]), each call carries the events of one unit of
/// work only: a failure in one unit then never fails, nor counts an attempt against, another.
///
/// A sink gets what it needs when it is built, not per call: an in-process sink that runs
/// handlers holds a [`RuntimeHandle`](crate::RuntimeHandle) on the runtime its handlers
/// publish through (see [`Runtime::start_with_sink`](crate::Runtime::start_with_sink)).
pub trait EventSink: Send + Sync + 'static {
    /// Delivers `events`.
    fn send<'a>(&'a self, events: &'a [OutboundEvent]) -> BoxFuture<'a, DeliveryReport>;

    /// Whether each entry of a call succeeds or fails by itself (EventBridge's `PutEvents`),
    /// so the relay may hand one call the events of several units of work. `false` (the
    /// default): a failure may fail the rest of the call, so the relay calls the sink once per
    /// unit.
    fn entries_fail_independently(&self) -> bool {
        false
    }
}

/// What became of a [`EventSink::send`] call.
#[derive(Debug, Default)]
pub struct DeliveryReport {
    /// Entries the sink could not deliver; the relay keeps them for another attempt.
    pub failed: Vec<FailedEntry>,
    /// Handlers that ran and failed. The event *was* delivered: a handler's failure is
    /// reported, never retried by the relay, and never undoes the publisher's commit.
    pub handler_failures: Vec<HandlerFailure>,
}

impl DeliveryReport {
    /// A report that every one of `events` failed with `error` (e.g. the network was down).
    pub fn all_failed(events: &[OutboundEvent], error: &str) -> Self {
        Self {
            failed: events
                .iter()
                .map(|event| FailedEntry { event_id: event.id(), error: error.to_owned() })
                .collect(),
            handler_failures: Vec::new(),
        }
    }
}
