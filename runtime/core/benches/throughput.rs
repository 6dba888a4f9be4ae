//! Throughput of the runtime: in-process dispatch; the outbox (commit + relay) at batches of
//! 1, 10 and 100; the relay over a backlog; and the all-failed path against the all-delivered
//! one, at 20,000 events. Every database benchmark runs on SQLite (a file with the production
//! settings) and, when `EVENT_RUNTIME_POSTGRES_URL` is set, on PostgreSQL.
//!
//! `cargo bench -p event-runtime --bench throughput` (results and the exact command in
//! BENCHMARKS.md).

mod support;

use std::hint::black_box;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::time::{Duration, Instant};

use contracts_common::Sample;
use contracts_customers::OrganisationCreated;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use event_runtime::{Backoff, Database, OutboundEvent, Publisher, RelayOptions, Runtime, sqlx};
use support::{SwitchSink, backends, counting_bus, database, drop_database, name, request, tokio};

/// Events per iteration of the dispatch benchmarks.
const DISPATCH_BATCH: usize = 1_000;
/// Events of the failure-path comparison.
const FAILURE_PATH_EVENTS: usize = 20_000;
/// Events per unit of work in the relay and failure-path benchmarks.
const UNIT: usize = 100;
/// Events in the relay benchmark's backlog.
const RELAY_BACKLOG: usize = 10_000;

fn in_process(c: &mut Criterion) {
    let tokio = tokio();
    let received = Arc::new(AtomicU64::new(0));
    let runtime = tokio
        .block_on(async {
            Runtime::start_local(
                Database::in_memory().await?,
                counting_bus(&received),
                RelayOptions::default(),
            )
            .await
        })
        .expect("runtime");
    let bus = runtime.sink().clone();
    let ctx = request(&runtime);
    let sample = OrganisationCreated::sample();
    let events: Vec<OutboundEvent> =
        (0..DISPATCH_BATCH).map(|_| OutboundEvent::new(sample.clone())).collect();

    let mut group = c.benchmark_group("in_process");
    group.throughput(Throughput::Elements(DISPATCH_BATCH as u64));
    // Routing and running the handler for already-built envelopes: the bus's own cost.
    group.bench_function("dispatch", |b| {
        b.iter(|| tokio.block_on(async { black_box(bus.send(&events).await) }));
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

/// One unit of work per iteration: begin, queue `batch` events, write them to the outbox,
/// commit, deliver to an in-process handler, settle.
fn outbox(c: &mut Criterion) {
    let tokio = tokio();
    let dir = tempfile::tempdir().expect("temp dir");
    let sample = OrganisationCreated::sample();
    let mut group = c.benchmark_group("outbox_commit_and_relay");
    for backend in backends() {
        let received = Arc::new(AtomicU64::new(0));
        let runtime = tokio
            .block_on(async {
                Runtime::start_local(
                    database(backend, dir.path()).await,
                    counting_bus(&received),
                    RelayOptions::default(),
                )
                .await
            })
            .expect("runtime");
        let ctx = request(&runtime);
        for batch in [1_usize, 10, 100] {
            group.throughput(Throughput::Elements(batch as u64));
            group.bench_function(format!("{}/batch_{batch}", name(backend)), |b| {
                b.iter_custom(|iters| {
                    tokio.block_on(async {
                        let start = Instant::now();
                        for _ in 0..iters {
                            let uow = ctx.begin().await.expect("begin");
                            ctx.publish_batch_after_commit((0..batch).map(|_| sample.clone()))
                                .expect("queued");
                            let report = uow.commit().await.expect("commit");
                            assert_eq!(report.relay.map(|relay| relay.delivered.len()), Some(batch));
                        }
                        start.elapsed()
                    })
                });
            });
        }
        tokio.block_on(drop_database(runtime.database()));
    }
    group.finish();
}

/// Commits `events` events in units of [`UNIT`] while the sink is down: a backlog.
async fn backlog(runtime: &Runtime, sink: &SwitchSink, events: usize) {
    sink.set_down(true);
    let ctx = request(runtime);
    let sample = OrganisationCreated::sample();
    for _ in 0..events / UNIT {
        let uow = ctx.begin().await.expect("begin");
        ctx.publish_batch_after_commit((0..UNIT).map(|_| sample.clone())).expect("queued");
        uow.commit().await.expect("commit");
    }
}

/// Options for the relay benchmarks: a failed unit is due again at once, and nothing dies.
fn relay_options() -> RelayOptions {
    RelayOptions { backoff: Backoff::none(), max_attempts: u32::MAX, ..RelayOptions::default() }
}

async fn bench_runtime(backend: event_runtime::Backend, dir: &std::path::Path) -> (Runtime, Arc<SwitchSink>) {
    let sink = Arc::new(SwitchSink::default());
    let runtime = Runtime::start_with(database(backend, dir).await, sink.clone(), relay_options())
        .await
        .expect("runtime");
    (runtime, sink)
}

/// A relay pass over a backlog of [`RELAY_BACKLOG`] events (claim, read, send, settle).
fn relay(c: &mut Criterion) {
    let tokio = tokio();
    let dir = tempfile::tempdir().expect("temp dir");
    let mut group = c.benchmark_group("relay");
    group.sample_size(10);
    group.throughput(Throughput::Elements(RELAY_BACKLOG as u64));
    for backend in backends() {
        let (runtime, sink) = tokio.block_on(bench_runtime(backend, dir.path()));
        group.bench_function(format!("{}/backlog_{RELAY_BACKLOG}", name(backend)), |b| {
            b.iter_custom(|iters| {
                tokio.block_on(async {
                    let mut elapsed = Duration::ZERO;
                    for _ in 0..iters {
                        backlog(&runtime, &sink, RELAY_BACKLOG).await;
                        sink.set_down(false);
                        let start = Instant::now();
                        let report = runtime.relay_pending().await.expect("relay");
                        elapsed += start.elapsed();
                        assert_eq!(report.delivered.len(), RELAY_BACKLOG);
                    }
                    elapsed
                })
            });
        });
        tokio.block_on(drop_database(runtime.database()));
    }
    group.finish();
}

/// The failure path must cost about what the success path does: 20,000 events committed in
/// units of 100 with the sink delivering all or failing all, and a relay pass over 20,000
/// pending events delivering all or failing all.
fn failure_path(c: &mut Criterion) {
    let tokio = tokio();
    let dir = tempfile::tempdir().expect("temp dir");
    let mut group = c.benchmark_group("failure_path");
    group.sample_size(10);
    group.throughput(Throughput::Elements(FAILURE_PATH_EVENTS as u64));
    for backend in backends() {
        let (runtime, sink) = tokio.block_on(bench_runtime(backend, dir.path()));
        let sample = OrganisationCreated::sample();
        for (outcome, down) in [("delivered", false), ("failed", true)] {
            group.bench_function(format!("{}/commit_20000_{outcome}", name(backend)), |b| {
                b.iter_custom(|iters| {
                    tokio.block_on(async {
                        let ctx = request(&runtime);
                        sink.set_down(down);
                        let start = Instant::now();
                        for _ in 0..iters {
                            for _ in 0..FAILURE_PATH_EVENTS / UNIT {
                                let uow = ctx.begin().await.expect("begin");
                                ctx.publish_batch_after_commit((0..UNIT).map(|_| sample.clone()))
                                    .expect("queued");
                                let relay = uow.commit().await.expect("commit").relay.expect("outermost");
                                assert_eq!(relay.failed.len(), if down { UNIT } else { 0 });
                            }
                        }
                        start.elapsed()
                    })
                });
            });
            clear(&tokio, runtime.database());
        }
        tokio.block_on(backlog(&runtime, &sink, FAILURE_PATH_EVENTS));
        group.bench_function(format!("{}/relay_20000_failed", name(backend)), |b| {
            b.iter_custom(|iters| {
                tokio.block_on(async {
                    let mut elapsed = Duration::ZERO;
                    for _ in 0..iters {
                        sqlx::query("UPDATE event_outbox_units SET next_attempt_at = 0")
                            .execute(runtime.database().pool())
                            .await
                            .expect("due");
                        let start = Instant::now();
                        let report = runtime.relay_pending().await.expect("relay");
                        elapsed += start.elapsed();
                        assert_eq!(report.failed.len(), FAILURE_PATH_EVENTS);
                    }
                    elapsed
                })
            });
        });
        clear(&tokio, runtime.database());
        group.bench_function(format!("{}/relay_20000_delivered", name(backend)), |b| {
            b.iter_custom(|iters| {
                tokio.block_on(async {
                    let mut elapsed = Duration::ZERO;
                    for _ in 0..iters {
                        backlog(&runtime, &sink, FAILURE_PATH_EVENTS).await;
                        sink.set_down(false);
                        let start = Instant::now();
                        let report = runtime.relay_pending().await.expect("relay");
                        elapsed += start.elapsed();
                        assert_eq!(report.delivered.len(), FAILURE_PATH_EVENTS);
                    }
                    elapsed
                })
            });
        });
        tokio.block_on(drop_database(runtime.database()));
    }
    group.finish();
}

/// Empties the outbox between benchmarks, so each starts from the same state.
fn clear(tokio: &tokio::runtime::Runtime, database: &Database) {
    tokio
        .block_on(
            sqlx::raw_sql(
                "DELETE FROM event_outbox_pending; DELETE FROM event_outbox_units; DELETE FROM event_outbox;",
            )
            .execute(database.pool()),
        )
        .expect("clear");
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(20);
    targets = in_process, outbox, relay, failure_path
}
criterion_main!(benches);
