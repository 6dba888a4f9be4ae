//! Rows the relay cannot or must not send are quarantined with their reason: never sent raw,
//! never blocking another unit, never silent.

use std::sync::Arc;

use event_runtime::{Publisher, QuarantinedRow, Runtime, sqlx};
use uuid::Uuid;

use crate::support::*;

on_both_backends!(an_event_row_with_an_empty_name_or_of_an_unknown_event_is_quarantined_not_sent);

/// Commits `units` units of `per_unit` events while the sink fails them; returns the ids by
/// unit, the runtime, and the sink (recovered).
async fn backlog(
    backend: Backend,
    units: u64,
    per_unit: u64,
) -> (Runtime, Arc<RecordingSink>, Vec<Vec<Uuid>>) {
    let sink = RecordingSink::new();
    let runtime = runtime(backend, sink.clone()).await;
    let ctx = request(&runtime);
    sink.fail("OrganisationCreated");
    let mut ids = Vec::new();
    for unit in 0..units {
        let uow = ctx.begin().await.unwrap();
        ids.push(
            ctx.publish_batch_after_commit((0..per_unit).map(|n| organisation_created(&ctx, unit * 100 + n)))
                .unwrap(),
        );
        uow.commit().await.unwrap();
    }
    sink.recover();
    (runtime, sink, ids)
}

/// Sets `column` of the unit holding event `id` to `value`, as raw SQL could.
async fn corrupt_unit_of(runtime: &Runtime, id: Uuid, column: &str, value: &str) {
    let statement = format!(
        "UPDATE event_outbox_units SET {column} = $1 WHERE unit = (SELECT unit FROM event_outbox WHERE id = $2)"
    );
    sqlx::query(sqlx::AssertSqlSafe(statement))
        .bind(value)
        .bind(id.to_string())
        .execute(runtime.database().pool())
        .await
        .unwrap();
}

async fn quarantined_reasons(runtime: &Runtime) -> Vec<(String, String)> {
    sqlx::query_as("SELECT id, reason FROM event_outbox_quarantine ORDER BY seq")
        .fetch_all(runtime.database().pool())
        .await
        .unwrap()
}

fn flat(ids: &[Vec<Uuid>]) -> Vec<Uuid> {
    ids.iter().flatten().copied().collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_a_unit_row_with_text_attempts_is_quarantined_and_every_other_unit_delivered() {
    let (runtime, sink, ids) = backlog(Backend::Sqlite, 20, 3).await;
    corrupt_unit_of(&runtime, ids[0][0], "attempts", "many").await;

    let restarted = Runtime::start_with(runtime.database().clone(), sink.clone(), test_options())
        .await
        .expect("a corrupt unit row does not stop the runtime");

    let recovered = restarted.recovered_at_start();
    assert_eq!(recovered.delivered, flat(&ids[1..]), "every other unit, at once and in order");
    assert_eq!(recovered.quarantined.len(), 3, "the corrupt unit's three events");
    let reasons = quarantined_reasons(&runtime).await;
    assert_eq!(reasons.iter().map(|(id, _)| id.parse::<Uuid>().unwrap()).collect::<Vec<_>>(), ids[0]);
    assert!(reasons[0].1.contains("attempts is text `many`, not an integer"), "{reasons:?}");
    assert_eq!(pending(runtime.database()).await, 0);
    assert!(!sink.ids().iter().any(|id| ids[0].contains(id)), "none of its events sent raw");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_a_unit_row_with_text_next_attempt_at_is_quarantined_not_stuck_forever() {
    let (runtime, sink, ids) = backlog(Backend::Sqlite, 2, 2).await;
    corrupt_unit_of(&runtime, ids[1][0], "next_attempt_at", "soon").await;

    let restarted =
        Runtime::start_with(runtime.database().clone(), sink.clone(), test_options()).await.unwrap();

    let recovered = restarted.recovered_at_start();
    assert_eq!(recovered.delivered, ids[0]);
    assert_eq!(
        recovered
            .quarantined
            .iter()
            .map(|row| row.reason.contains("next_attempt_at is text `soon`"))
            .collect::<Vec<_>>(),
        [true, true],
        "{:?}",
        recovered.quarantined
    );
    assert_eq!(pending(runtime.database()).await, 0, "nothing left waiting for a time that never comes");
    assert_eq!(count(runtime.database(), "event_outbox_units").await, 0);
}

async fn an_event_row_with_an_empty_name_or_of_an_unknown_event_is_quarantined_not_sent(backend: Backend) {
    let (runtime, sink, ids) = backlog(backend, 4, 1).await;
    let set = |column: &'static str, value: &'static str, id: Uuid| {
        let database = runtime.database().clone();
        async move {
            sqlx::query(sqlx::AssertSqlSafe(format!("UPDATE event_outbox SET {column} = $1 WHERE id = $2")))
                .bind(value)
                .bind(id.to_string())
                .execute(database.pool())
                .await
                .unwrap();
        }
    };
    set("source", "", ids[0][0]).await;
    set("detail_type", "", ids[1][0]).await;
    set("detail_type", "OrganisationVanished", ids[2][0]).await;

    let restarted =
        Runtime::start_with(runtime.database().clone(), sink.clone(), test_options()).await.unwrap();

    let recovered = restarted.recovered_at_start();
    assert_eq!(recovered.delivered, ids[3], "the well-formed event");
    assert_eq!(sink.ids(), ids[3], "nothing else reached the sink");
    let reasons: Vec<&str> =
        recovered.quarantined.iter().map(|row: &QuarantinedRow| row.reason.as_str()).collect();
    assert_eq!(reasons.len(), 3, "{reasons:?}");
    assert!(reasons[0].contains("the event's source is empty"), "{reasons:?}");
    assert!(reasons[1].contains("the event's detail-type is empty"), "{reasons:?}");
    assert!(
        reasons[2].contains("no contract linked into this binary has source `customers` and detail-type `OrganisationVanished`"),
        "{reasons:?}"
    );
    assert_eq!(quarantined_reasons(&runtime).await.len(), 3, "moved aside, with their reasons");
    assert_eq!(pending(runtime.database()).await, 0);
}
