//! The crash loop: 200 SIGKILLs of a child process that commits units of work (and rolls some
//! back) on a shared database while its relay worker runs. Afterwards nothing committed is
//! lost, nothing rolled back was delivered, and an event delivered twice was delivered by two
//! incarnations (so across a crash), and applied once by the inbox.
//!
//! The child is this test binary re-run on the ignored test `crash_loop::crash_loop_child`.
//! Each child is killed 0-50 ms after it is ready, but not before it has committed a unit, so
//! every incarnation does work however slow the machine is (on a loaded machine a child killed
//! 0-50 ms after it was ready often had not committed anything yet, and the check that the
//! children did work failed on timing alone).

use std::collections::{HashMap, HashSet};
use std::process::Stdio;
use std::sync::Arc;
use std::time::{Duration, Instant};

use contracts_common::EventEnvelope;
use contracts_customers::OrganisationCreated;
use event_runtime::{Database, LocalBus, Manifest, Publisher, RelayOptions, RequestContext, Runtime, sqlx};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, BufReader};
use uuid::Uuid;

use crate::support::*;

on_both_backends!(two_hundred_sigkills_lose_nothing_and_deliver_nothing_rolled_back);

const KILLS: u64 = 200;
const LOCATION: &str = "EVENT_RUNTIME_CRASH_LOOP_DATABASE";
const INCARNATION: &str = "EVENT_RUNTIME_CRASH_LOOP_INCARNATION";
const READY: &str = "CRASH-LOOP-CHILD-READY";
const COMMITTED: &str = "CRASH-LOOP-CHILD-COMMITTED";

/// Short leases, so a killed child's claims pass to the next one quickly.
fn options() -> RelayOptions {
    RelayOptions { lease: Duration::from_millis(300), ..test_options() }
}

/// The consumer: records every delivery (committed at once, before the effect), then applies
/// the event in its own unit of work only if the inbox has not seen it.
fn consumer(incarnation: &str) -> Manifest {
    let incarnation = incarnation.to_owned();
    Manifest::builder("ledger", "ledger")
        .add("Ledger", move |event: Arc<EventEnvelope<OrganisationCreated>>, ctx: RequestContext| {
            let incarnation = incarnation.clone();
            async move {
                let organisation = event.detail.organisation.id.to_string();
                sqlx::query("INSERT INTO crash_deliveries (event_id, organisation_id, incarnation) VALUES ($1, $2, $3)")
                    .bind(event.id.clone())
                    .bind(organisation.clone())
                    .bind(incarnation)
                    .execute(ctx.runtime().database().pool())
                    .await?;
                let mut uow = ctx.begin().await?;
                if uow.first_delivery().await? {
                    sqlx::query("INSERT INTO crash_applied (organisation_id, event_id) VALUES ($1, $2)")
                        .bind(organisation)
                        .bind(event.id.clone())
                        .execute(uow.conn())
                        .await?;
                }
                uow.commit().await?;
                Ok(())
            }
        })
        .build()
        .unwrap()
}

/// The child: commits units of one to three organisations and their events, rolling back one
/// in four (having recorded their ids), until it is killed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "run as a child process by the crash loop"]
async fn crash_loop_child() {
    let (Ok(location), Ok(incarnation)) = (std::env::var(LOCATION), std::env::var(INCARNATION)) else {
        return;
    };
    let database = TestDatabase::open_location(&location).await;
    let bus = LocalBus::new([consumer(&incarnation)]).unwrap();
    let runtime = Runtime::start_local(database.clone(), bus, options()).await.unwrap();
    let _worker = runtime.spawn_relay();
    println!("{READY}");
    let mut first_commit = true;
    let mut rng = Rng::new(incarnation.parse::<u64>().unwrap() + 1);
    loop {
        let ctx = request(&runtime);
        let events: Vec<OrganisationCreated> = (0..=rng.below(3))
            .map(|n| {
                let mut event = organisation_created(&ctx, n);
                event.organisation.id = Uuid::new_v4();
                event
            })
            .collect();
        let roll_back = rng.below(4) == 0;
        if roll_back {
            // Recorded first: the unit of work holds SQLite's write lock until it ends.
            for event in &events {
                sqlx::query("INSERT INTO crash_rollbacks (organisation_id) VALUES ($1)")
                    .bind(event.organisation.id.to_string())
                    .execute(database.pool())
                    .await
                    .unwrap();
            }
        }
        let mut uow = ctx.begin().await.unwrap();
        for event in events {
            insert_organisation(&mut uow, &event).await;
            ctx.publish_after_commit(event).unwrap();
        }
        if roll_back {
            uow.rollback().await.unwrap();
        } else {
            uow.commit().await.unwrap();
            if first_commit {
                println!("{COMMITTED}");
                first_commit = false;
            }
        }
    }
}

async fn two_hundred_sigkills_lose_nothing_and_deliver_nothing_rolled_back(backend: Backend) {
    let shared = TestDatabase::new(backend);
    let database = shared.open().await;
    sqlx::raw_sql(
        "CREATE TABLE crash_deliveries (event_id TEXT NOT NULL, organisation_id TEXT NOT NULL, incarnation TEXT NOT NULL);
         CREATE TABLE crash_applied (organisation_id TEXT NOT NULL, event_id TEXT NOT NULL);
         CREATE TABLE crash_rollbacks (organisation_id TEXT NOT NULL);",
    )
    .execute(database.pool())
    .await
    .unwrap();
    let started = Instant::now();
    let mut rng = Rng::new(0x5eed);
    for incarnation in 0..KILLS {
        run_and_kill(&shared.location, incarnation, Duration::from_millis(rng.below(50))).await;
    }
    let killing = started.elapsed();

    // A last, clean process delivers whatever the killed ones left behind.
    let bus = LocalBus::new([consumer("recovery")]).unwrap();
    let runtime = Runtime::start_local(shared.open().await, bus, options()).await.unwrap();
    for _ in 0..300 {
        runtime.relay_pending().await.unwrap();
        if pending(&database).await == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let outcome = Outcome::read(&database).await;
    eprintln!(
        "crash loop ({backend:?}): {KILLS} SIGKILLs in {:.1} s; {} events committed, {} rolled back; {} lost, {} phantom; \
         {} duplicate deliveries ({} within one process); {} events applied more than once",
        killing.as_secs_f64(),
        outcome.committed.len(),
        outcome.rolled_back.len(),
        outcome.lost(),
        outcome.phantom(),
        outcome.duplicates,
        outcome.duplicates_within_a_process,
        outcome.applied_twice,
    );
    assert_eq!(pending(&database).await, 0, "everything committed was relayed");
    assert!(outcome.committed.len() > 100 && !outcome.rolled_back.is_empty(), "the children did work");
    assert_eq!(outcome.lost(), 0, "lost: committed but never applied");
    assert_eq!(outcome.phantom(), 0, "phantom: delivered though rolled back");
    assert_eq!(outcome.duplicates_within_a_process, 0, "duplicates only across a crash");
    assert_eq!(outcome.applied_twice, 0, "the inbox applies a duplicate once");
}

/// Starts incarnation `incarnation` of the child, waits until it runs, lets it work for
/// `work` and until it has committed a unit, and kills it with SIGKILL.
async fn run_and_kill(location: &str, incarnation: u64, work: Duration) {
    let mut child = tokio::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "crash_loop::crash_loop_child", "--ignored", "--nocapture", "--test-threads=1"])
        .env(LOCATION, location)
        .env(INCARNATION, incarnation.to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut ready_at = None;
    let ready = tokio::time::timeout(Duration::from_secs(60), async {
        while let Some(line) = lines.next_line().await.unwrap() {
            if line.contains(READY) {
                ready_at = Some(Instant::now());
            } else if line.contains(COMMITTED) {
                return true;
            }
        }
        false
    })
    .await;
    if let Some(ready_at) = ready_at {
        tokio::time::sleep_until((ready_at + work).into()).await;
    }
    if ready != Ok(true) || child.try_wait().unwrap().is_some() {
        let mut stderr = String::new();
        child.stderr.take().unwrap().read_to_string(&mut stderr).await.unwrap();
        panic!("child {incarnation} stopped on its own instead of being killed: {stderr}");
    }
    child.start_kill().unwrap(); // SIGKILL
    child.wait().await.unwrap();
}

/// What the database says happened.
struct Outcome {
    committed: HashSet<String>,
    rolled_back: HashSet<String>,
    applied: HashSet<String>,
    delivered: HashSet<String>,
    duplicates: usize,
    duplicates_within_a_process: usize,
    applied_twice: usize,
}

impl Outcome {
    async fn read(database: &Database) -> Self {
        let pool = database.pool();
        let committed: HashSet<String> = sqlx::query_scalar("SELECT id FROM organisations")
            .fetch_all(pool)
            .await
            .unwrap()
            .into_iter()
            .collect();
        let rolled_back: HashSet<String> = sqlx::query_scalar("SELECT organisation_id FROM crash_rollbacks")
            .fetch_all(pool)
            .await
            .unwrap()
            .into_iter()
            .collect();
        let applied: Vec<String> =
            sqlx::query_scalar("SELECT organisation_id FROM crash_applied").fetch_all(pool).await.unwrap();
        let deliveries: Vec<(String, String, String)> =
            sqlx::query_as("SELECT event_id, organisation_id, incarnation FROM crash_deliveries")
                .fetch_all(pool)
                .await
                .unwrap();
        let mut by_event: HashMap<&str, Vec<&str>> = HashMap::new();
        for (event, _, incarnation) in &deliveries {
            by_event.entry(event).or_default().push(incarnation);
        }
        let duplicates = by_event.values().map(|deliveries| deliveries.len() - 1).sum();
        let duplicates_within_a_process = by_event
            .values()
            .map(|incarnations| incarnations.len() - incarnations.iter().collect::<HashSet<_>>().len())
            .sum();
        let distinct_applied: HashSet<String> = applied.iter().cloned().collect();
        Self {
            committed,
            rolled_back,
            applied_twice: applied.len() - distinct_applied.len(),
            applied: distinct_applied,
            delivered: deliveries.into_iter().map(|(_, organisation, _)| organisation).collect(),
            duplicates,
            duplicates_within_a_process,
        }
    }

    fn lost(&self) -> usize {
        self.committed.difference(&self.applied).count()
    }

    fn phantom(&self) -> usize {
        self.delivered.iter().filter(|organisation| !self.committed.contains(*organisation)).count()
            + self.delivered.intersection(&self.rolled_back).count()
    }
}
