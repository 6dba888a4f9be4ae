//! Bounded storage: purging delivered events and old inbox entries in batches; the outbox's
//! counters; requeueing dead events.

use std::time::Duration;

use sqlx::Connection;

use super::OutboxStore;
use crate::database::statement::Statement;
use crate::error::Error;

/// What a purge deleted.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct PurgeReport {
    /// Delivered events deleted from `event_outbox`.
    pub events: u64,
    /// Inbox entries deleted from `event_inbox`.
    pub inbox_entries: u64,
}

/// How many events are where, for dashboards and alerts.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct OutboxStats {
    /// Events committed and not yet delivered (in flight, or waiting for a retry).
    pub pending: u64,
    /// Events parked in `event_outbox_dead`: they need an operator.
    pub dead: u64,
    /// Rows moved to `event_outbox_quarantine`: they need an operator.
    pub quarantined: u64,
    /// Events this process delivered since it started.
    pub delivered: u64,
}

/// Deletes delivered events older than the retention and inbox entries older than the inbox
/// retention, `purge_batch` rows per statement, until none is left; each statement is its own
/// short transaction, so writers are never held up for long.
pub(crate) async fn purge(store: &OutboxStore) -> Result<PurgeReport, Error> {
    let options = store.options();
    let events = purge_in_batches(
        store,
        "DELETE FROM event_outbox WHERE seq IN (SELECT o.seq FROM event_outbox o WHERE o.created_ms < ",
        " AND NOT EXISTS (SELECT 1 FROM event_outbox_pending p WHERE p.seq = o.seq) ORDER BY o.created_ms LIMIT ",
        options.retention,
    )
    .await?;
    let inbox_entries = purge_in_batches(
        store,
        "DELETE FROM event_inbox WHERE (consumer, event_id) IN (SELECT consumer, event_id FROM event_inbox \
         WHERE processed_ms < ",
        " ORDER BY processed_ms LIMIT ",
        options.inbox_retention,
    )
    .await?;
    if events + inbox_entries > 0 {
        tracing::info!(events, inbox_entries, "purged delivered events and old inbox entries");
    }
    Ok(PurgeReport { events, inbox_entries })
}

async fn purge_in_batches(
    store: &OutboxStore,
    head: &str,
    tail: &str,
    retention: Duration,
) -> Result<u64, Error> {
    let batch = store.options().purge_batch.max(1) as u64;
    let retention_ms = i64::try_from(retention.as_millis()).unwrap_or(i64::MAX / 2);
    let mut deleted = 0;
    loop {
        let mut statement = Statement::new(store.backend(), head);
        statement.push(store.dialect().now_ms).push(" - ").bind(retention_ms).push(tail);
        statement.bind(batch as i64).push(")");
        let affected = statement.build().execute(store.pool()).await?.rows_affected();
        deleted += affected;
        if affected < batch {
            return Ok(deleted);
        }
        tokio::task::yield_now().await;
    }
}

/// The outbox's counts now.
pub(crate) async fn stats(store: &OutboxStore) -> Result<OutboxStats, Error> {
    let (pending, dead, quarantined): (i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM event_outbox_pending), (SELECT COUNT(*) FROM event_outbox_dead), \
         (SELECT COUNT(*) FROM event_outbox_quarantine)",
    )
    .fetch_one(store.pool())
    .await?;
    let count = |n: i64| u64::try_from(n).unwrap_or_default();
    Ok(OutboxStats {
        pending: count(pending),
        dead: count(dead),
        quarantined: count(quarantined),
        delivered: store.delivered(),
    })
}

/// Moves the dead events `seqs` back into the outbox as one new unit (same envelope ids, new
/// sequence numbers, in the given order), due at once; returns how many were requeued.
pub(crate) async fn requeue_dead(store: &OutboxStore, seqs: &[i64]) -> Result<usize, Error> {
    let database = store.database();
    let mut conn = database.pool().acquire().await?;
    let mut tx = conn.begin_with(database.dialect().begin).await?;
    let unit: i64 =
        sqlx::query_scalar("INSERT INTO event_outbox_units (claimed_until) VALUES (0) RETURNING unit")
            .fetch_one(&mut *tx)
            .await?;
    let mut requeued = 0;
    for seq in seqs {
        // A trigger enqueues the row in `event_outbox_pending`, in the new unit.
        let mut insert = Statement::new(
            store.backend(),
            "INSERT INTO event_outbox (id, source, detail_type, time, detail, created_ms, unit)
             SELECT id, source, detail_type, time, detail, ",
        );
        insert.push(database.dialect().now_ms).push(", ").bind(unit);
        insert.push(" FROM event_outbox_dead WHERE seq = ").bind(*seq).push(" RETURNING seq");
        if insert.build_scalar::<i64>().fetch_optional(&mut *tx).await?.is_none() {
            continue;
        }
        sqlx::query("DELETE FROM event_outbox_dead WHERE seq = $1").bind(*seq).execute(&mut *tx).await?;
        requeued += 1;
    }
    if requeued == 0 {
        sqlx::query("DELETE FROM event_outbox_units WHERE unit = $1").bind(unit).execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(requeued)
}
