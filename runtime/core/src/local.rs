//! [`LocalBus`]: the in-process sink, for local runs and tests.

use std::collections::HashMap;
use std::sync::Arc;

use crate::BoxFuture;
use crate::context::Delivery;
use crate::database::Database;
use crate::error::{Error, HandlerFailure};
use crate::handler;
use crate::manifest::{HandlerEntry, Manifest, ManifestError, bus_problems};
use crate::options::RelayOptions;
use crate::outbound::OutboundEvent;
use crate::runtime::{Runtime, RuntimeHandle};
use crate::sink::{DeliveryReport, EventSink};

/// The handlers of some manifests, run in-process with no AWS at all: the local and test
/// stand-in for EventBridge plus Lambda.
///
/// An event goes to every handler whose event has exactly its `source` and `detail-type`, one
/// after another in registration order (manifest by manifest), in a context built from the
/// event's own metadata. A handler that fails (returns an error, panics, or cannot read the
/// detail) is reported in
/// [`DeliveryReport::handler_failures`] with its key and error; the other handlers still
/// run, and the publisher's commit, long done, stands. The bus never reports an entry as
/// failed: every event is delivered.
///
/// Handlers run in a context of the runtime they were started in, so their follow-up events
/// go through it: start one with [`Runtime::start_local`], or, to wrap the bus in another
/// sink, [`Runtime::start_with_sink`] and [`LocalBus::sink`].
pub struct LocalBus {
    /// detail-type to the handlers of events with it (of any source; the source is compared
    /// exactly at dispatch, usually among one or two handlers).
    routes: HashMap<String, Vec<HandlerEntry>>,
    keys: Vec<String>,
}

impl LocalBus {
    /// A bus running the handlers of `manifests`; fails if two share a key (also ignoring
    /// case), or use prefixes that differ only in case: the rules of one manifest, across them.
    pub fn new(manifests: impl IntoIterator<Item = Manifest>) -> Result<Self, ManifestError> {
        let manifests: Vec<Manifest> = manifests.into_iter().collect();
        let problems = bus_problems(&manifests);
        if !problems.is_empty() {
            let modules: Vec<&str> = manifests.iter().map(Manifest::module).collect();
            return Err(ManifestError { module: modules.join(" + "), problems });
        }
        let mut routes: HashMap<String, Vec<HandlerEntry>> = HashMap::new();
        let mut keys = Vec::new();
        for entry in manifests.iter().flat_map(Manifest::handlers) {
            keys.push(entry.key().to_owned());
            routes.entry(entry.detail_type().to_owned()).or_default().push(entry.clone());
        }
        keys.sort();
        Ok(Self { routes, keys })
    }

    /// Every handler key on the bus, sorted.
    pub fn keys(&self) -> &[String] {
        &self.keys
    }

    /// The bus as the sink of the runtime `runtime` is a handle on: its handlers' contexts
    /// publish through that runtime. One bus can serve several runtimes (one sink each).
    pub fn sink(self: Arc<Self>, runtime: RuntimeHandle) -> Arc<dyn EventSink> {
        Arc::new(Bound { bus: self, runtime })
    }

    /// Runs every handler of `event` in contexts of `runtime` and returns the failures.
    pub async fn dispatch(&self, event: &OutboundEvent, runtime: &Runtime) -> Vec<HandlerFailure> {
        let mut failures = Vec::new();
        let Some(routes) = self.routes.get(event.detail_type()) else { return failures };
        let mut metadata = None;
        for route in routes.iter().filter(|route| route.source() == event.source()) {
            let metadata = metadata.get_or_insert_with(|| event.metadata());
            let result = match metadata {
                Ok(metadata) => {
                    let delivery = Delivery { event_id: event.id(), consumer: route.key_shared() };
                    let ctx = runtime.handler_context(metadata.as_ref(), delivery);
                    let span = handler::handle_span(route.key(), event, &ctx);
                    handler::in_span(span, handler::run(route.handler(), event, ctx)).await
                }
                // Without readable metadata there is no context to run the handler in.
                Err(error) => Err(error.to_string().into()),
            };
            if let Err(error) = result {
                failures.push(HandlerFailure { key: route.key().to_owned(), event_id: event.id(), error });
            }
        }
        failures
    }
}

impl Runtime {
    /// Starts a runtime on `database` whose sink is `bus`, running its handlers in this
    /// runtime's contexts (their follow-up events go through it).
    pub async fn start_local(
        database: Database,
        bus: LocalBus,
        options: RelayOptions,
    ) -> Result<Self, Error> {
        let bus = Arc::new(bus);
        Self::start_with_sink(database, options, |runtime| bus.sink(runtime)).await
    }
}

/// A bus serving one runtime: the [`EventSink`] [`LocalBus::sink`] builds.
struct Bound {
    bus: Arc<LocalBus>,
    runtime: RuntimeHandle,
}

impl EventSink for Bound {
    fn send<'a>(&'a self, events: &'a [OutboundEvent]) -> BoxFuture<'a, DeliveryReport> {
        Box::pin(async move {
            // The runtime sends through its sink, so it is alive while it does; a caller that
            // kept only the sink sends after the runtime is gone, and its events stay pending.
            let Some(runtime) = self.runtime.runtime() else {
                return DeliveryReport::all_failed(
                    events,
                    "the runtime this LocalBus ran handlers in was dropped; send through a live runtime",
                );
            };
            let mut report = DeliveryReport::default();
            for event in events {
                report.handler_failures.extend(self.bus.dispatch(event, &runtime).await);
            }
            report
        })
    }
}

impl std::fmt::Debug for LocalBus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LocalBus").field("keys", &self.keys).finish()
    }
}
