//! The transactional outbox and its relay.
//!
//! A unit of work's after-commit events are inserted into `event_outbox` inside its own
//! transaction (one multi-row `INSERT` per 500 events; a trigger enqueues each in
//! `event_outbox_pending`), so they commit or roll back with the business data. After the
//! commit the relay hands them, in queue order, to the runtime's
//! [`EventSink`](crate::EventSink) straight from memory (no read-back) and marks them
//! delivered by deleting them from `event_outbox_pending` (one `DELETE ... WHERE seq IN
//! (...)`). The event rows themselves are never updated: they are the log of what was
//! published.
//!
//! If the process dies between the commit and that mark, the rows stay pending, and the next
//! [`Runtime::start`](crate::Runtime::start) delivers them: at-least-once, with the envelope
//! id unchanged so consumers de-duplicate. Within one process an event is never sent twice:
//! every event being delivered is claimed in memory, and relay passes skip claimed events.
//! Several processes relaying one database may deliver a pending event twice; that is the
//! "at least" of at-least-once.

use chrono::{DateTime, Utc};
use sqlx::{QueryBuilder, Row, Sqlite, SqliteConnection};
use uuid::Uuid;

use crate::publisher::Claim;
use crate::{Error, FailedEntry, HandlerFailure, OutboundEvent, Runtime};

/// Rows per multi-row `INSERT` or `UPDATE ... IN`: 500 x 5 parameters stays far below
/// SQLite's 32,766 bound parameters.
const ROWS_PER_STATEMENT: usize = 500;

/// Pending rows a relay pass reads and sends at a time.
const RELAY_BATCH: i64 = 100;

/// What a relay pass (after a commit, or over the pending outbox) did.
#[derive(Debug, Default)]
pub struct RelayReport {
    /// Events the sink accepted and that are now marked delivered, in order.
    pub delivered: Vec<Uuid>,
    /// Events the sink failed; they stay pending for the next [`Runtime::relay_pending`].
    pub failed: Vec<FailedEntry>,
    /// In-process handlers that failed on delivered events; reported, not retried.
    pub handler_failures: Vec<HandlerFailure>,
    /// After a commit: the events were delivered but could not be marked so, and the next
    /// relay pass will deliver them again (consumers de-duplicate by envelope id). The commit
    /// itself stands.
    pub mark_error: Option<Error>,
}

/// An after-commit event waiting for its unit of work to commit, with its detail already
/// serialised (so a type that cannot serialise fails where it is published).
pub(crate) struct Queued {
    pub(crate) event: OutboundEvent,
    detail: String,
}

impl Queued {
    pub(crate) fn new(event: OutboundEvent) -> Result<Self, Error> {
        let detail = event
            .detail_json()
            .map_err(|source| Error::Serialize { detail_type: event.detail_type().to_owned(), source })?
            .into_owned();
        Ok(Self { event, detail })
    }
}

/// Inserts `queued` into the outbox on the unit of work's connection; returns their
/// sequence numbers, in queue order.
pub(crate) async fn write(conn: &mut SqliteConnection, queued: &[Queued]) -> Result<Vec<i64>, Error> {
    let mut seqs = Vec::with_capacity(queued.len());
    for chunk in queued.chunks(ROWS_PER_STATEMENT) {
        let mut insert =
            QueryBuilder::<Sqlite>::new("INSERT INTO event_outbox (id, source, detail_type, time, detail) ");
        insert.push_values(chunk, |mut row, queued| {
            row.push_bind(queued.event.id().to_string())
                .push_bind(queued.event.source().to_owned())
                .push_bind(queued.event.detail_type().to_owned())
                .push_bind(queued.event.time().to_rfc3339())
                .push_bind(queued.detail.clone());
        });
        insert.push(" RETURNING seq");
        let mut chunk_seqs: Vec<i64> = insert.build_query_scalar().fetch_all(&mut *conn).await?;
        // Rows are numbered in insertion order; RETURNING's own order is unspecified.
        chunk_seqs.sort_unstable();
        seqs.extend(chunk_seqs);
    }
    Ok(seqs)
}

/// Delivers the events a unit of work just committed and marks them delivered.
pub(crate) async fn deliver_committed(
    runtime: &Runtime,
    events: Vec<(i64, OutboundEvent)>,
    claim: Claim,
) -> RelayReport {
    let mut report = RelayReport::default();
    if let Err(error) = deliver(runtime, &events, &mut report).await {
        report.mark_error = Some(error);
    }
    drop(claim);
    report
}

/// Sends `events` (with their outbox sequence numbers) to the sink and records the outcome
/// in the outbox and in `report`.
async fn deliver(
    runtime: &Runtime,
    events: &[(i64, OutboundEvent)],
    report: &mut RelayReport,
) -> Result<(), Error> {
    if events.is_empty() {
        return Ok(());
    }
    let outbound: Vec<OutboundEvent> = events.iter().map(|(_, event)| event.clone()).collect();
    let outcome = runtime.sink().send(&outbound, runtime).await;
    let failed = |id: Uuid| outcome.failed.iter().find(|failed| failed.event_id == id);
    let delivered: Vec<(i64, Uuid)> = events
        .iter()
        .map(|(seq, event)| (*seq, event.id()))
        .filter(|(_, id)| failed(*id).is_none())
        .collect();
    report.handler_failures.extend(outcome.handler_failures);
    let pool = runtime.database().pool();
    for chunk in delivered.chunks(ROWS_PER_STATEMENT) {
        let mut delete = QueryBuilder::<Sqlite>::new("DELETE FROM event_outbox_pending WHERE seq IN (");
        let mut seqs = delete.separated(", ");
        for (seq, _) in chunk {
            seqs.push_bind(*seq);
        }
        delete.push(")");
        delete.build().execute(pool).await?;
    }
    report.delivered.extend(delivered.into_iter().map(|(_, id)| id));
    for (seq, event) in events {
        if let Some(failure) = failed(event.id()) {
            sqlx::query(
                "UPDATE event_outbox_pending SET attempts = attempts + 1, last_error = ? WHERE seq = ?",
            )
            .bind(failure.error.clone())
            .bind(*seq)
            .execute(pool)
            .await?;
        }
    }
    report.failed.extend(outcome.failed);
    Ok(())
}

/// Delivers every pending event not claimed by another task of this process, oldest first.
pub(crate) async fn relay_pending(runtime: &Runtime) -> Result<RelayReport, Error> {
    let mut report = RelayReport::default();
    let mut after = 0_i64;
    loop {
        let rows = sqlx::query(
            "SELECT o.seq, o.id, o.source, o.detail_type, o.time, o.detail
             FROM event_outbox_pending p JOIN event_outbox o ON o.seq = p.seq
             WHERE p.seq > ? ORDER BY p.seq LIMIT ?",
        )
        .bind(after)
        .bind(RELAY_BATCH)
        .fetch_all(runtime.database().pool())
        .await?;
        let Some(last) = rows.last() else { break };
        after = last.try_get("seq")?;
        let events = rows.iter().map(read_row).collect::<Result<Vec<_>, _>>()?;
        let claim = runtime.claim(events.iter().map(|(_, event)| event.id()));
        let unclaimed: Vec<(i64, OutboundEvent)> =
            events.into_iter().filter(|(_, event)| claim.holds(event.id())).collect();
        deliver(runtime, &unclaimed, &mut report).await?;
        drop(claim);
    }
    Ok(report)
}

fn read_row(row: &sqlx::sqlite::SqliteRow) -> Result<(i64, OutboundEvent), Error> {
    let seq: i64 = row.try_get("seq")?;
    let corrupt = |reason: String| Error::CorruptOutboxRow { seq, reason };
    let id: String = row.try_get("id")?;
    let id = Uuid::parse_str(&id).map_err(|error| corrupt(format!("id `{id}` is not a UUID: {error}")))?;
    let time: String = row.try_get("time")?;
    let time = DateTime::parse_from_rfc3339(&time)
        .map_err(|error| corrupt(format!("time `{time}` is not RFC 3339: {error}")))?
        .with_timezone(&Utc);
    let source: String = row.try_get("source")?;
    let detail_type: String = row.try_get("detail_type")?;
    let detail: String = row.try_get("detail")?;
    Ok((seq, OutboundEvent::from_json(id, source, detail_type, time, detail)))
}
