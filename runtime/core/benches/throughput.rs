//! Throughput of the runtime: in-process dispatch, and the outbox (commit + relay) on SQLite.
//!
//! `cargo bench -p event-runtime` (results and the exact command in BENCHMARKS.md).

use std::hint::black_box;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use contracts_common::{ContextFactory, EventEnvelope, Sample};
use contracts_customers::OrganisationCreated;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use event_runtime::{
    Database, EventSink, HandlerResult, LocalBus, Manifest, OutboundEvent, Publisher, RequestContext, Runtime,
};
use uuid::Uuid;

/// Events per iteration of the dispatch benchmarks.
const DISPATCH_BATCH: usize = 1_000;

/// A bus with one handler of `OrganisationCreated` that counts what it receives.
fn counting_bus(received: &Arc<AtomicU64>) -> LocalBus {
    let received = received.clone();
    let manifest = Manifest::builder("inventory", "inventory")
        .add("Inventory", move |event: Arc<EventEnvelope<OrganisationCreated>>, _: RequestContext| {
            received.fetch_add(1, Ordering::Relaxed);
            black_box(&event.detail.organisation.id);
            async { HandlerResult::Ok(()) }
        })
        .build()
        .expect("valid manifest");
    LocalBus::new([manifest]).expect("no duplicate keys")
}

fn tokio() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("tokio runtime")
}

fn request(runtime: &Runtime) -> RequestContext {
    runtime.context(ContextFactory.for_request(Uuid::new_v4(), Uuid::new_v4(), None))
}

fn in_process(c: &mut Criterion) {
    let tokio = tokio();
    let received = Arc::new(AtomicU64::new(0));
    let bus = Arc::new(counting_bus(&received));
    let runtime = tokio
        .block_on(async { Runtime::start(Database::in_memory().await?, bus.clone()).await })
        .expect("runtime");
    let ctx = request(&runtime);
    let sample = OrganisationCreated::sample();
    let events: Vec<OutboundEvent> =
        (0..DISPATCH_BATCH).map(|_| OutboundEvent::new(sample.clone(), Some(ctx.metadata()))).collect();

    let mut group = c.benchmark_group("in_process");
    group.throughput(Throughput::Elements(DISPATCH_BATCH as u64));
    // Routing and running the handler for already-built envelopes: the bus's own cost.
    group.bench_function("dispatch", |b| {
        b.iter(|| tokio.block_on(async { black_box(bus.send(&events, &runtime).await) }));
    });
    // The whole immediate path: a fresh envelope (id, time) per event, then dispatch.
    group.bench_function("publish_batch", |b| {
        b.iter(|| {
            tokio.block_on(async {
                let batch = (0..DISPATCH_BATCH).map(|_| sample.clone());
                black_box(ctx.publish_batch(batch).await.expect("published"))
            })
        });
    });
    group.finish();
}

fn outbox(c: &mut Criterion) {
    let tokio = tokio();
    let dir = tempfile::tempdir().expect("temp dir");
    let received = Arc::new(AtomicU64::new(0));
    let runtime = tokio
        .block_on(async {
            let database = Database::open(dir.path().join("bench.db")).await?;
            Runtime::start(database, Arc::new(counting_bus(&received))).await
        })
        .expect("runtime");
    let ctx = request(&runtime);
    let sample = OrganisationCreated::sample();

    let mut group = c.benchmark_group("outbox_commit_and_relay");
    for batch in [1_usize, 100] {
        group.throughput(Throughput::Elements(batch as u64));
        // One unit of work per iteration: BEGIN IMMEDIATE, queue `batch` events, insert them
        // into the outbox, COMMIT, deliver to the in-process handler, mark them delivered.
        group.bench_function(format!("batch_{batch}"), |b| {
            b.iter_custom(|iters| {
                tokio.block_on(async {
                    let start = Instant::now();
                    for _ in 0..iters {
                        let uow = ctx.begin().await.expect("begin");
                        ctx.publish_batch_after_commit((0..batch).map(|_| sample.clone())).expect("queued");
                        let report = uow.commit().await.expect("commit");
                        assert_eq!(report.relay.map(|relay| relay.delivered.len()), Some(batch));
                    }
                    start.elapsed()
                })
            });
        });
    }
    group.finish();
    let pending = tokio.block_on(runtime.relay_pending()).expect("relay");
    assert!(pending.delivered.is_empty(), "every committed event was relayed at its commit");
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(20);
    targets = in_process, outbox
}
criterion_main!(benches);
