//! What the relay refuses to send: unit rows it cannot read, and event rows that are not a
//! sendable event. Both are moved to `event_outbox_quarantine` with the reason, logged, and
//! reported; they never block other units and are never sent raw.
//!
//! The runtime itself writes only well-formed rows; these come from hand-written SQL, a
//! restore gone wrong or another program. On SQLite a column takes a value of any type, so a
//! unit's `attempts` can be text: it would fail the claim's decoding for every unit claimed
//! with it (and `Runtime::start` with it), and text in `next_attempt_at` compares above every
//! number, so the unit would never be due. PostgreSQL's typed columns cannot hold either.

use std::collections::HashSet;
use std::sync::OnceLock;

use sqlx::Connection;

use super::{OutboxStore, QuarantinedRow};
use crate::database::statement::Statement;
use crate::error::Error;
use crate::text::capped;

/// A unit row as the corrupt-unit query returns it: the unit, then value and type of
/// `claimed_until`, `next_attempt_at` and `attempts`.
type UnitRow = (i64, Option<String>, String, Option<String>, String, Option<String>, String);

/// Moves the events of every unit whose row cannot be read to the quarantine, with the
/// reason, and deletes the unit. Returns the quarantined rows.
pub(crate) async fn corrupt_units(store: &OutboxStore) -> Result<Vec<QuarantinedRow>, Error> {
    let Some(find) = store.dialect().corrupt_units else { return Ok(Vec::new()) };
    let units: Vec<UnitRow> = sqlx::query_as(find).fetch_all(store.pool()).await?;
    let mut quarantined = Vec::new();
    for (unit, claimed_until, claimed_type, next_attempt_at, next_type, attempts, attempts_type) in units {
        let columns = [
            ("claimed_until", claimed_until, claimed_type),
            ("next_attempt_at", next_attempt_at, next_type),
            ("attempts", attempts, attempts_type),
        ];
        let problems: Vec<String> = columns
            .iter()
            .filter(|(_, _, kind)| kind != "integer")
            .map(|(column, value, kind)| {
                format!("{column} is {kind} `{}`", capped(value.as_deref().unwrap_or("NULL")))
            })
            .collect();
        let reason = format!(
            "unit {unit} of event_outbox_units cannot be read ({}, not an integer): its events were \
             not sent; fix the row's values and move them back, or delete them",
            problems.join(", ")
        );
        let mut conn = store.pool().acquire().await?;
        let mut tx = conn.begin_with(store.dialect().begin).await?;
        let mut insert = Statement::new(
            store.backend(),
            "INSERT INTO event_outbox_quarantine (seq, unit, id, source, detail_type, time, detail, reason, quarantined_ms) \
             SELECT p.seq, p.unit, o.id, o.source, o.detail_type, o.time, o.detail, ",
        );
        insert.bind(reason.as_str()).push(", ").push(store.dialect().now_ms);
        insert.push(" FROM event_outbox_pending p LEFT JOIN event_outbox o ON o.seq = p.seq WHERE p.unit = ");
        insert.bind(unit).push(" RETURNING seq");
        let seqs: Vec<i64> = insert.build_scalar().fetch_all(&mut *tx).await?;
        // Its pending rows go with it (the cascade).
        sqlx::query("DELETE FROM event_outbox_units WHERE unit = $1").bind(unit).execute(&mut *tx).await?;
        tx.commit().await?;
        tracing::error!(
            unit,
            events = seqs.len(),
            reason,
            "corrupt outbox unit: its events moved to event_outbox_quarantine"
        );
        quarantined.extend(seqs.into_iter().map(|seq| QuarantinedRow { seq, reason: reason.clone() }));
    }
    Ok(quarantined)
}

/// Why an event with `source` and `detail_type` must not be sent, if it must not: an empty
/// name, or an event no contract linked into this binary defines (when any is linked; a
/// binary that links none cannot tell).
pub(crate) fn unsendable(source: &str, detail_type: &str) -> Option<String> {
    if source.is_empty() || detail_type.is_empty() {
        let empty = if source.is_empty() { "source" } else { "detail-type" };
        return Some(format!("the event's {empty} is empty: not an event the publisher wrote"));
    }
    let known = known_events();
    if !known.is_empty() && !known.contains(&(source, detail_type)) {
        return Some(format!(
            "no contract linked into this binary has source `{}` and detail-type `{}`: not an event \
             this runtime publishes; link its contract crate into the relaying binary, or delete the row",
            capped(source),
            capped(detail_type)
        ));
    }
    None
}

/// The (source, detail-type) of every registered contract event.
fn known_events() -> &'static HashSet<(&'static str, &'static str)> {
    static KNOWN: OnceLock<HashSet<(&'static str, &'static str)>> = OnceLock::new();
    KNOWN.get_or_init(|| {
        contracts_common::registry::all().iter().map(|event| (event.source, event.detail_type)).collect()
    })
}
