//! Recording what became of a send: one transaction, a bounded number of statements.

use std::collections::{HashMap, HashSet};

use sqlx::AnyConnection;
use sqlx::Connection;
use uuid::Uuid;

use super::{DeadEvent, OutboxStore, QuarantinedRow, RelayReport};
use crate::database::Backend;
use crate::database::statement::{ROWS_PER_STATEMENT, Statement};
use crate::error::Error;
use crate::outbound::OutboundEvent;
use crate::sink::DeliveryReport;

/// One unit's events in one send, in queue order, and the failed attempts of its first one.
pub(crate) struct UnitBatch {
    pub(crate) unit: i64,
    pub(crate) attempts: u32,
    pub(crate) events: Vec<(i64, OutboundEvent)>,
}

/// Which units a settlement released after a failure, and which delivered their first event.
#[derive(Default)]
pub(crate) struct Settled {
    pub(crate) failed: HashSet<i64>,
    pub(crate) progressed: HashSet<i64>,
}

/// What to write, decided from the sink's report in one pass over the events (a hash lookup
/// per event, never a scan of the failures per event).
#[derive(Default)]
struct Plan {
    delivered: Vec<(i64, Uuid)>,
    /// `(unit, attempts, error, delay in ms)` of units that wait for a retry.
    retry: Vec<(i64, i64, String, i64)>,
    /// `(seq, attempts, error)` of events parked as dead, and their units (reset).
    dead: Vec<(i64, i64, String)>,
    dead_units: Vec<i64>,
    /// Units that delivered their first event after earlier failures: attempts start again.
    cleared: Vec<i64>,
    settled: Settled,
    dead_events: Vec<DeadEvent>,
}

fn plan(store: &OutboxStore, batches: &[UnitBatch], outcome: &DeliveryReport) -> Plan {
    let failures: HashMap<Uuid, &str> =
        outcome.failed.iter().map(|failed| (failed.event_id, failed.error.as_str())).collect();
    let max_attempts = i64::from(store.options().max_attempts.max(1));
    let mut plan = Plan::default();
    let debug = tracing::enabled!(tracing::Level::DEBUG);
    for batch in batches {
        let mut first_failure = None;
        for (index, (seq, event)) in batch.events.iter().enumerate() {
            match failures.get(&event.id()) {
                None => {
                    plan.delivered.push((*seq, event.id()));
                    if debug {
                        log_delivered(batch.unit, event);
                    }
                }
                Some(error) if first_failure.is_none() => first_failure = Some((index, *error)),
                Some(_) => {}
            }
        }
        let progressed = !batch.events.is_empty() && first_failure.is_none_or(|(index, _)| index > 0);
        if progressed {
            plan.settled.progressed.insert(batch.unit);
        }
        let Some((index, error)) = first_failure else {
            if progressed && batch.attempts > 0 {
                plan.cleared.push(batch.unit);
            }
            continue;
        };
        plan.settled.failed.insert(batch.unit);
        let attempts = if progressed { 1 } else { i64::from(batch.attempts) + 1 };
        let (seq, event) = &batch.events[index];
        if attempts >= max_attempts {
            plan.dead.push((*seq, attempts, error.to_owned()));
            plan.dead_units.push(batch.unit);
            plan.dead_events.push(DeadEvent {
                seq: *seq,
                event_id: event.id(),
                source: event.source().to_owned(),
                detail_type: event.detail_type().to_owned(),
                attempts: u32::try_from(attempts).unwrap_or(u32::MAX),
                error: error.to_owned(),
            });
        } else {
            let delay = store.options().backoff.delay(u32::try_from(attempts).unwrap_or(u32::MAX));
            let delay = i64::try_from(delay.as_millis()).unwrap_or(i64::MAX / 2);
            plan.retry.push((batch.unit, attempts, error.to_owned(), delay));
        }
    }
    plan
}

/// Records the outcome of sending `batches` (and sets `quarantine` rows aside) in one
/// transaction, deletes the `finished` units that have nothing left, and adds it all to
/// `report`. The units' state changes only where `claimant` still holds them: a holder whose
/// lease ran out must not release, or delete, the unit under its new holder.
pub(crate) async fn settle(
    store: &OutboxStore,
    claimant: &str,
    batches: &[UnitBatch],
    quarantine: Vec<(i64, String)>,
    finished: &[i64],
    outcome: DeliveryReport,
    report: &mut RelayReport,
) -> Result<Settled, Error> {
    let plan = plan(store, batches, &outcome);
    let database = store.database();
    let now = database.dialect().now_ms;
    let mut conn = database.pool().acquire().await?;
    let whole =
        plan.retry.is_empty() && plan.dead.is_empty() && plan.cleared.is_empty() && quarantine.is_empty();
    if whole && batches.iter().all(|batch| finished.contains(&batch.unit)) {
        // The usual case: every unit sent was delivered whole. Deleting a unit deletes its
        // pending rows (the cascade): one statement, no explicit transaction.
        let delete = "DELETE FROM event_outbox_units WHERE unit IN ";
        let deleted = for_units(&mut conn, database.backend(), delete, finished, claimant, "").await?;
        if deleted == finished.len() as u64 {
            return Ok(finish(store, plan, quarantine, outcome, report));
        }
        // A claim was lost: the statements below delete the delivered rows one by one.
    }
    let mut tx = conn.begin_with(database.dialect().begin).await?;
    let seqs: Vec<i64> = plan.delivered.iter().map(|(seq, _)| *seq).collect();
    delete_pending(&mut tx, database.backend(), &seqs).await?;
    for chunk in quarantine.chunks(ROWS_PER_STATEMENT) {
        let mut insert = Statement::new(
            database.backend(),
            "INSERT INTO event_outbox_quarantine (seq, unit, id, source, detail_type, time, detail, reason, quarantined_ms)
             SELECT p.seq, p.unit, o.id, o.source, o.detail_type, o.time, o.detail, v.column2, ",
        );
        insert
            .push(now)
            .push(" FROM event_outbox_pending p LEFT JOIN event_outbox o ON o.seq = p.seq JOIN (VALUES ");
        for (index, (seq, reason)) in chunk.iter().enumerate() {
            insert
                .push(if index == 0 { "(" } else { ", (" })
                .bind(*seq)
                .push(", ")
                .bind(reason.as_str())
                .push(")");
        }
        insert.push(") AS v ON p.seq = v.column1");
        insert.build().execute(&mut *tx).await?;
        delete_pending(&mut tx, database.backend(), &chunk.iter().map(|(seq, _)| *seq).collect::<Vec<_>>())
            .await?;
    }
    for chunk in plan.dead.chunks(ROWS_PER_STATEMENT) {
        let mut insert = Statement::new(
            database.backend(),
            "INSERT INTO event_outbox_dead (seq, id, source, detail_type, time, detail, attempts, last_error, died_ms)
             SELECT o.seq, o.id, o.source, o.detail_type, o.time, o.detail, v.column2, v.column3, ",
        );
        insert.push(now).push(" FROM event_outbox o JOIN (VALUES ");
        for (index, (seq, attempts, error)) in chunk.iter().enumerate() {
            insert.push(if index == 0 { "(" } else { ", (" }).bind(*seq).push(", ").bind(*attempts);
            insert.push(", ").bind(error.as_str()).push(")");
        }
        insert.push(") AS v ON o.seq = v.column1");
        insert.build().execute(&mut *tx).await?;
        delete_pending(&mut tx, database.backend(), &chunk.iter().map(|(seq, ..)| *seq).collect::<Vec<_>>())
            .await?;
    }
    for chunk in plan.retry.chunks(ROWS_PER_STATEMENT) {
        let mut update = Statement::new(
            database.backend(),
            "UPDATE event_outbox_units SET attempts = v.column2, last_error = v.column3, claimed_until = 0, \
             next_attempt_at = ",
        );
        update.push(now).push(" + v.column4 FROM (VALUES ");
        for (index, (unit, attempts, error, delay)) in chunk.iter().enumerate() {
            update.push(if index == 0 { "(" } else { ", (" }).bind(*unit).push(", ").bind(*attempts);
            update.push(", ").bind(error.as_str()).push(", ").bind(*delay).push(")");
        }
        update.push(") AS v WHERE event_outbox_units.unit = v.column1 AND event_outbox_units.claimed_by = ");
        update.bind(claimant);
        update.build().execute(&mut *tx).await?;
    }
    let backend = database.backend();
    let reset = "UPDATE event_outbox_units SET attempts = 0, last_error = NULL, next_attempt_at = 0, \
                 claimed_until = 0, claimed_by = NULL WHERE unit IN ";
    for_units(&mut tx, backend, reset, &plan.dead_units, claimant, "").await?;
    let clear = "UPDATE event_outbox_units SET attempts = 0, last_error = NULL WHERE unit IN ";
    for_units(&mut tx, backend, clear, &plan.cleared, claimant, "").await?;
    let delete_finished = "DELETE FROM event_outbox_units WHERE unit IN ";
    let nothing_left =
        " AND NOT EXISTS (SELECT 1 FROM event_outbox_pending p WHERE p.unit = event_outbox_units.unit)";
    for_units(&mut tx, backend, delete_finished, finished, claimant, nothing_left).await?;
    tx.commit().await?;
    Ok(finish(store, plan, quarantine, outcome, report))
}

/// Adds what was settled to `report` and the counters and logs.
fn finish(
    store: &OutboxStore,
    plan: Plan,
    quarantine: Vec<(i64, String)>,
    outcome: DeliveryReport,
    report: &mut RelayReport,
) -> Settled {
    record(store, plan.delivered.len(), &plan.dead_events, &quarantine);
    report.delivered.extend(plan.delivered.iter().map(|(_, id)| *id));
    report.dead.extend(plan.dead_events);
    report.quarantined.extend(quarantine.into_iter().map(|(seq, reason)| QuarantinedRow { seq, reason }));
    report.failed.extend(outcome.failed);
    report.handler_failures.extend(outcome.handler_failures);
    plan.settled
}

/// Deletes the pending rows `seqs`, 500 per statement.
async fn delete_pending(conn: &mut AnyConnection, backend: Backend, seqs: &[i64]) -> Result<(), Error> {
    for chunk in seqs.chunks(ROWS_PER_STATEMENT) {
        let mut statement = Statement::new(backend, "DELETE FROM event_outbox_pending WHERE seq IN ");
        statement.bind_list(chunk);
        statement.build().execute(&mut *conn).await?;
    }
    Ok(())
}

/// Runs `head (units...) AND claimed_by = claimant tail` for each 500 of `units`; returns the
/// rows affected.
async fn for_units(
    conn: &mut AnyConnection,
    backend: Backend,
    head: &str,
    units: &[i64],
    claimant: &str,
    tail: &str,
) -> Result<u64, Error> {
    let mut affected = 0;
    for chunk in units.chunks(ROWS_PER_STATEMENT) {
        let mut statement = Statement::new(backend, head);
        statement.bind_list(chunk).push(" AND claimed_by = ").bind(claimant).push(tail);
        affected += statement.build().execute(&mut *conn).await?.rows_affected();
    }
    Ok(affected)
}

fn log_delivered(unit: i64, event: &OutboundEvent) {
    tracing::debug!(
        unit,
        event_id = %event.id(),
        source = event.source(),
        detail_type = event.detail_type(),
        correlation_id = event.correlation_id().map(tracing::field::display),
        "relayed"
    );
}

/// Counters and log lines for what was settled.
fn record(store: &OutboxStore, delivered: usize, dead: &[DeadEvent], quarantine: &[(i64, String)]) {
    store.count_delivered(delivered as u64);
    for dead in dead {
        tracing::error!(
            seq = dead.seq,
            event_id = %dead.event_id,
            source = dead.source,
            detail_type = dead.detail_type,
            attempts = dead.attempts,
            error = dead.error,
            "event parked as dead after its last attempt; it stays in event_outbox_dead"
        );
    }
    for (seq, reason) in quarantine {
        tracing::error!(seq, reason, "corrupt outbox row moved to event_outbox_quarantine");
    }
}
