//! Observability: `tracing` spans for publish, commit, relay and handle carry the event id,
//! source, detail-type and correlation id.
//!
//! A test binary of its own: a thread's default subscriber sees every span only when no other
//! test registers the same callsites concurrently (tracing caches their interest globally).

#[allow(dead_code, unused_imports, unused_macros)]
#[path = "runtime/support.rs"]
mod support;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use contracts_common::EventEnvelope;
use contracts_customers::OrganisationCreated;
use event_runtime::{HandlerResult, LocalBus, Manifest, Publisher, RequestContext};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

use support::*;

type Fields = BTreeMap<String, String>;

/// A subscriber that keeps every span (name and fields) and every event's fields.
#[derive(Default, Clone)]
struct Capture {
    spans: Arc<Mutex<BTreeMap<u64, (String, Fields)>>>,
    events: Arc<Mutex<Vec<Fields>>>,
    next: Arc<AtomicU64>,
}

struct Collect<'a>(&'a mut Fields);

impl Visit for Collect<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}").trim_matches('"').to_owned());
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }
}

impl Subscriber for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let id = self.next.fetch_add(1, Ordering::SeqCst) + 1;
        let mut fields = Fields::new();
        span.record(&mut Collect(&mut fields));
        self.spans.lock().unwrap().insert(id, (span.metadata().name().to_owned(), fields));
        Id::from_u64(id)
    }

    fn record(&self, span: &Id, values: &Record<'_>) {
        if let Some((_, fields)) = self.spans.lock().unwrap().get_mut(&span.into_u64()) {
            values.record(&mut Collect(fields));
        }
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut fields = Fields::new();
        event.record(&mut Collect(&mut fields));
        self.events.lock().unwrap().push(fields);
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}

impl Capture {
    fn span(&self, name: &str) -> Fields {
        let spans = self.spans.lock().unwrap();
        spans.values().find(|(span, _)| span == name).map(|(_, fields)| fields.clone()).unwrap_or_else(|| {
            panic!("no `{name}` span among {:?}", spans.values().map(|(name, _)| name).collect::<Vec<_>>())
        })
    }
}

#[tokio::test]
async fn publish_commit_relay_and_handle_spans_name_the_event_and_its_correlation() {
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());
    let manifest = Manifest::builder("inventory", "inventory")
        .add("Inventory", |_: Arc<EventEnvelope<OrganisationCreated>>, _: RequestContext| async {
            HandlerResult::Ok(())
        })
        .build()
        .unwrap();
    let runtime = local_runtime(Backend::Sqlite, LocalBus::new([manifest]).unwrap()).await;
    let ctx = request(&runtime);
    let correlation = ctx.correlation_id.to_string();

    let published = ctx.publish(organisation_created(&ctx, 1)).await.unwrap().event_ids[0].to_string();
    let publish = capture.span("publish");
    assert_eq!(publish["event_id"], published);
    assert_eq!(
        (publish["source"].as_str(), publish["detail_type"].as_str(), publish["correlation_id"].as_str()),
        ("customers", "OrganisationCreated", correlation.as_str())
    );
    let handle = capture.span("handle");
    assert_eq!(
        (handle["key"].as_str(), handle["event_id"].as_str()),
        ("InventoryOrganisationCreated", published.as_str())
    );
    assert_eq!(
        (handle["source"].as_str(), handle["detail_type"].as_str()),
        ("customers", "OrganisationCreated")
    );
    assert_eq!(handle["correlation_id"], correlation);

    let sink = RecordingSink::new();
    let failing = runtime_on(runtime.database().clone(), sink.clone()).await;
    sink.fail("OrganisationCreated");
    let ctx = request(&failing);
    let uow = ctx.begin().await.unwrap();
    let queued = ctx.publish_after_commit(organisation_created(&ctx, 2)).unwrap().to_string();
    uow.commit().await.unwrap();
    let commit = capture.span("commit");
    assert_eq!(
        (commit["correlation_id"].as_str(), commit["events"].as_str()),
        (ctx.correlation_id.to_string().as_str(), "1")
    );
    assert!(commit.contains_key("unit"), "{commit:?}");
    sink.recover();
    failing.relay_pending().await.unwrap();
    let relay = capture.span("relay");
    assert_eq!(relay["units"], "1");
    let relayed = capture
        .events
        .lock()
        .unwrap()
        .iter()
        .find(|event| event.get("message").map(String::as_str) == Some("relayed"))
        .cloned()
        .unwrap();
    assert_eq!(relayed["event_id"], queued);
    assert_eq!(
        (relayed["source"].as_str(), relayed["detail_type"].as_str()),
        ("customers", "OrganisationCreated")
    );
    assert_eq!(relayed["correlation_id"], ctx.correlation_id.to_string());
}

async fn runtime_on(database: event_runtime::Database, sink: Arc<RecordingSink>) -> event_runtime::Runtime {
    event_runtime::Runtime::start_with(database, sink, test_options()).await.unwrap()
}
