//! Many writers, this process's relay worker and a second relaying process on one database,
//! with a sink that fails 30% of entries (and, cooperating, the rest of its call after a
//! failure): while every process lives, each event is delivered exactly once, and the events of
//! each unit of work arrive in queue order.
//!
//! The second process is this test binary re-run on the ignored test
//! `concurrency::relaying_child`; it stops cleanly (draining its sends) when told to.

use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use contracts_customers::OrganisationCreated;
use event_runtime::{
    Backoff, BoxFuture, Database, DeliveryReport, EventSink, FailedEntry, OutboundEvent, Publisher,
    RelayOptions, Runtime, sqlx,
};
use tokio::io::{AsyncBufReadExt, BufReader};
use uuid::Uuid;

use crate::support::*;

on_both_backends!(writers_and_two_relaying_processes_deliver_each_event_once_in_unit_order);

const LOCATION: &str = "EVENT_RUNTIME_CONCURRENCY_DATABASE";
const STOP: &str = "EVENT_RUNTIME_CONCURRENCY_STOP";
const READY: &str = "CONCURRENCY-CHILD-READY";
const WRITERS: u64 = 8;
const UNITS_PER_WRITER: u64 = 25;

fn options() -> RelayOptions {
    RelayOptions {
        lease: Duration::from_secs(5),
        backoff: Backoff::new(Duration::from_millis(5), Duration::from_millis(50)),
        sweep_interval: Duration::from_millis(10),
        // Fewer events per send than a unit may have, so a unit spans several sends.
        batch_size: 3,
        ..RelayOptions::default()
    }
}

/// Fails 30% of entries and, after a failure, the rest of the call; records each delivered
/// event in `received` with the process that sent it (one insert per call).
struct FlakySink {
    process: &'static str,
    rng: Mutex<Rng>,
    failures: AtomicU64,
    database: Database,
}

impl FlakySink {
    fn new(process: &'static str, seed: u64, database: Database) -> Arc<Self> {
        Arc::new(Self { process, rng: Mutex::new(Rng::new(seed)), failures: AtomicU64::new(0), database })
    }
}

impl EventSink for FlakySink {
    fn send<'a>(&'a self, events: &'a [OutboundEvent]) -> BoxFuture<'a, DeliveryReport> {
        Box::pin(async move {
            let mut report = DeliveryReport::default();
            let mut delivered = Vec::new();
            {
                let mut rng = self.rng.lock().unwrap();
                for event in events {
                    if !report.failed.is_empty() || rng.below(10) < 3 {
                        report.failed.push(FailedEntry { event_id: event.id(), error: "Flaky".into() });
                    } else {
                        let tag = event
                            .typed::<OrganisationCreated>()
                            .unwrap()
                            .detail
                            .organisation
                            .legal_name
                            .clone();
                        delivered.push((event.id(), tag));
                    }
                }
            }
            self.failures.fetch_add(report.failed.len() as u64, Ordering::Relaxed);
            if !delivered.is_empty() {
                let mut insert = String::from("INSERT INTO received (event_id, tag, process) VALUES ");
                for (index, _) in delivered.iter().enumerate() {
                    let base = index * 3;
                    insert.push_str(&format!(
                        "{}(${}, ${}, ${})",
                        if index == 0 { "" } else { ", " },
                        base + 1,
                        base + 2,
                        base + 3
                    ));
                }
                let mut query = sqlx::query(sqlx::AssertSqlSafe(insert));
                for (id, tag) in &delivered {
                    query = query.bind(id.to_string()).bind(tag.clone()).bind(self.process);
                }
                query.execute(self.database.pool()).await.unwrap();
            }
            report
        })
    }
}

/// The second relaying process: a relay worker on the shared database until told to stop.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "run as a child process by the concurrency test"]
async fn relaying_child() {
    let (Ok(location), Ok(stop)) = (std::env::var(LOCATION), std::env::var(STOP)) else { return };
    let database = TestDatabase::open_location(&location).await;
    let sink = FlakySink::new("second", 2, database.clone());
    let runtime = Runtime::start_with(database, sink, options()).await.unwrap();
    let worker = runtime.spawn_relay();
    println!("{READY}");
    while !PathBuf::from(&stop).exists() {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let report = worker.shutdown().await;
    assert_eq!(report.errors, 0);
}

async fn writers_and_two_relaying_processes_deliver_each_event_once_in_unit_order(backend: Backend) {
    let shared = TestDatabase::new(backend);
    let database = shared.open().await;
    let ddl = format!(
        "CREATE TABLE received (n {}, event_id TEXT NOT NULL, tag TEXT NOT NULL, process TEXT NOT NULL)",
        serial(&database)
    );
    sqlx::raw_sql(sqlx::AssertSqlSafe(ddl)).execute(database.pool()).await.unwrap();
    let stop = tempfile::tempdir().unwrap();
    let stop_file = stop.path().join("stop");
    let mut child = tokio::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "concurrency::relaying_child", "--ignored", "--nocapture", "--test-threads=1"])
        .env(LOCATION, &shared.location)
        .env(STOP, &stop_file)
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    while let Some(line) = lines.next_line().await.unwrap() {
        if line.contains(READY) {
            break;
        }
    }
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });

    let sink = FlakySink::new("first", 1, database.clone());
    let runtime = Runtime::start_with(shared.open().await, sink.clone(), options()).await.unwrap();
    let worker = runtime.spawn_relay();
    let writers: Vec<_> = (0..WRITERS)
        .map(|writer| {
            let runtime = runtime.clone();
            tokio::spawn(async move {
                let mut rng = Rng::new(100 + writer);
                let mut units = Vec::new();
                for unit in 0..UNITS_PER_WRITER {
                    let ctx = request(&runtime);
                    let uow = ctx.begin().await.unwrap();
                    let events = (0..=rng.below(6)).map(|index| {
                        let mut event = organisation_created(&ctx, index);
                        event.organisation.id = Uuid::new_v4();
                        event.organisation.legal_name = format!("w{writer}u{unit}/{index}");
                        event
                    });
                    units.push(ctx.publish_batch_after_commit(events).unwrap());
                    uow.commit().await.unwrap();
                }
                units
            })
        })
        .collect();
    let mut committed: Vec<Uuid> = Vec::new();
    for writer in writers {
        committed.extend(writer.await.unwrap().into_iter().flatten());
    }
    for _ in 0..600 {
        if pending(&database).await == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    std::fs::write(&stop_file, b"stop").unwrap();
    assert!(child.wait().await.unwrap().success(), "the second process stopped cleanly");
    let report = worker.shutdown().await;

    let received: Vec<(String, String, String)> =
        sqlx::query_as("SELECT event_id, tag, process FROM received ORDER BY n")
            .fetch_all(database.pool())
            .await
            .unwrap();
    let distinct: HashSet<&str> = received.iter().map(|(id, ..)| id.as_str()).collect();
    let duplicates = received.len() - distinct.len();
    let mut units: BTreeMap<&str, Vec<u64>> = BTreeMap::new();
    for (_, tag, _) in &received {
        let (unit, index) = tag.split_once('/').unwrap();
        units.entry(unit).or_default().push(index.parse().unwrap());
    }
    let out_of_order =
        units.values().filter(|indexes| !indexes.iter().copied().eq(0..indexes.len() as u64)).count();
    let by_second = received.iter().filter(|(.., process)| process == "second").count();
    eprintln!(
        "concurrency ({backend:?}): {} events in {} units from {WRITERS} writers; {} deliveries ({} by the second \
         process), {} duplicates, {} units out of order; {} entries failed by this process's sink; worker: {} passes",
        committed.len(),
        units.len(),
        received.len(),
        by_second,
        duplicates,
        out_of_order,
        sink.failures.load(Ordering::Relaxed),
        report.passes,
    );
    assert_eq!(pending(&database).await, 0, "everything was delivered");
    assert_eq!(duplicates, 0, "no event delivered twice while every process lives");
    let committed: HashSet<String> = committed.iter().map(ToString::to_string).collect();
    assert_eq!(distinct.iter().map(|id| (*id).to_owned()).collect::<HashSet<_>>(), committed, "every event");
    assert_eq!(out_of_order, 0, "each unit's events arrived in queue order");
    assert!(by_second > 0, "the second process relayed too");
    assert!(report.dead.is_empty());
}
