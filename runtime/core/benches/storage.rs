//! Storage after 100,000 events, without and with the retention purge, on each backend.
//!
//! `cargo bench -p event-runtime --bench storage` prints a table (results in BENCHMARKS.md).
//! 100,000 `OrganisationCreated` events are committed in units of 100 and delivered to an
//! in-process handler. "kept" never purges (as if every event were inside the retention
//! window); "purged" runs the purge every 10,000 events with a retention of zero (every
//! delivered event is past it), as the relay worker does every minute in production.
//! Storage is what the database uses for the runtime's tables: on SQLite the pages in use
//! (page_count - freelist_count) and the file size after a WAL checkpoint; on PostgreSQL
//! `pg_total_relation_size` of the runtime's tables after a plain `VACUUM` (what autovacuum
//! does; space is reused, not returned to the OS).

mod support;

use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::time::{Duration, Instant};

use contracts_common::Sample;
use contracts_customers::OrganisationCreated;
use event_runtime::{Backend, Database, Publisher, RelayOptions, Runtime, sqlx};
use support::{backends, counting_bus, database, drop_database, name, request, tokio};

const EVENTS: usize = 100_000;
const UNIT: usize = 100;
const PURGE_EVERY: usize = 10_000;
const RUNTIME_TABLES: [&str; 6] = [
    "event_outbox",
    "event_outbox_pending",
    "event_outbox_units",
    "event_outbox_dead",
    "event_outbox_quarantine",
    "event_inbox",
];

/// Bytes in use by the runtime's tables, and on disk.
async fn storage(database: &Database, dir: &std::path::Path) -> (u64, u64) {
    match database.backend() {
        Backend::Sqlite => {
            let _: (i64, i64, i64) = sqlx::query_as("PRAGMA wal_checkpoint(TRUNCATE)")
                .fetch_one(database.pool())
                .await
                .expect("checkpoint");
            let (pages, free, size): (i64, i64, i64) = sqlx::query_as(
                "SELECT (SELECT page_count FROM pragma_page_count()), (SELECT freelist_count FROM pragma_freelist_count()), \
                 (SELECT page_size FROM pragma_page_size())",
            )
            .fetch_one(database.pool())
            .await
            .expect("pages");
            let on_disk: u64 = std::fs::read_dir(dir)
                .expect("dir")
                .filter_map(|entry| entry.ok()?.metadata().ok())
                .map(|metadata| metadata.len())
                .sum();
            (((pages - free) * size) as u64, on_disk)
        }
        Backend::Postgres => {
            sqlx::raw_sql(sqlx::AssertSqlSafe(format!("VACUUM {}", RUNTIME_TABLES.join(", "))))
                .execute(database.pool())
                .await
                .expect("vacuum");
            let mut total = 0_i64;
            for table in RUNTIME_TABLES {
                let size: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                    "SELECT pg_total_relation_size('{table}')::BIGINT"
                )))
                .fetch_one(database.pool())
                .await
                .expect("size");
                total += size;
            }
            (total as u64, total as u64)
        }
    }
}

async fn run(backend: Backend, purge: bool) {
    let dir = tempfile::tempdir().expect("temp dir");
    let received = Arc::new(AtomicU64::new(0));
    let retention = if purge { Duration::ZERO } else { RelayOptions::default().retention };
    let options = RelayOptions { retention, ..RelayOptions::default() };
    let runtime = Runtime::start_local(database(backend, dir.path()).await, counting_bus(&received), options)
        .await
        .expect("runtime");
    let ctx = request(&runtime);
    let sample = OrganisationCreated::sample();
    let started = Instant::now();
    let mut purged = 0;
    for unit in 0..EVENTS / UNIT {
        let uow = ctx.begin().await.expect("begin");
        ctx.publish_batch_after_commit((0..UNIT).map(|_| sample.clone())).expect("queued");
        uow.commit().await.expect("commit");
        if purge && ((unit + 1) * UNIT).is_multiple_of(PURGE_EVERY) {
            tokio::time::sleep(Duration::from_millis(2)).await;
            purged += runtime.purge().await.expect("purge").events;
        }
    }
    let elapsed = started.elapsed();
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM event_outbox")
        .fetch_one(runtime.database().pool())
        .await
        .expect("rows");
    let (used, on_disk) = storage(runtime.database(), dir.path()).await;
    println!(
        "| {} | {} | {} | {} | {:.1} MB | {:.1} MB | {} | {:.1} s |",
        name(backend),
        if purge { "purged (retention 0, every 10,000)" } else { "kept (no purge)" },
        purged,
        rows,
        used as f64 / 1e6,
        on_disk as f64 / 1e6,
        if rows > 0 { format!("{:.0} B", used as f64 / rows as f64) } else { "-".to_owned() },
        elapsed.as_secs_f64(),
    );
    drop_database(runtime.database()).await;
}

fn main() {
    // `cargo bench` passes `--bench`; any other argument is criterion's and ignored here.
    let tokio = tokio();
    println!(
        "| backend | scenario | purged | rows left | storage in use | on disk | per event kept | time |"
    );
    println!("|---|---|---:|---:|---:|---:|---:|---:|");
    for backend in backends() {
        for purge in [false, true] {
            tokio.block_on(run(backend, purge));
        }
    }
}
