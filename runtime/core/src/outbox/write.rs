//! Writing a unit of work's events to the outbox, inside its transaction.

use sqlx::AnyConnection;

use super::OutboxStore;
use crate::database::statement::{ROWS_PER_STATEMENT, Statement};
use crate::error::Error;
use crate::outbound::OutboundEvent;

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

/// Writes `queued` as one unit, claimed by this process (`store`'s claimant) for a lease, on the unit of work's
/// connection; returns the unit and the events' sequence numbers, in queue order.
pub(crate) async fn write(
    conn: &mut AnyConnection,
    store: &OutboxStore,
    queued: &[Queued],
) -> Result<(i64, Vec<i64>), Error> {
    let now = store.dialect().now_ms;
    let mut insert_unit = Statement::new(
        store.backend(),
        "INSERT INTO event_outbox_units (claimed_by, claimed_until) VALUES (",
    );
    insert_unit.bind(store.claimant()).push(", ").push(now).push(" + ");
    insert_unit.bind(store.lease_ms()).push(") RETURNING unit");
    let unit: i64 = insert_unit.build_scalar().fetch_one(&mut *conn).await?;

    let mut seqs = Vec::with_capacity(queued.len());
    for chunk in queued.chunks(ROWS_PER_STATEMENT) {
        // A trigger enqueues each row in `event_outbox_pending`.
        let mut insert = Statement::new(
            store.backend(),
            "INSERT INTO event_outbox (id, source, detail_type, time, detail, created_ms, unit) VALUES ",
        );
        for (index, queued) in chunk.iter().enumerate() {
            insert.push(if index == 0 { "(" } else { ", (" });
            insert.bind(queued.event.id().to_string()).push(", ");
            insert.bind(queued.event.source().to_owned()).push(", ");
            insert.bind(queued.event.detail_type().to_owned()).push(", ");
            insert.bind(queued.event.time().to_rfc3339()).push(", ");
            insert.bind(queued.detail.as_str()).push(", ").push(now).push(", ");
            insert.bind(unit).push(")");
        }
        insert.push(" RETURNING seq");
        let mut chunk_seqs: Vec<i64> = insert.build_scalar().fetch_all(&mut *conn).await?;
        // Rows are numbered in insertion order; RETURNING's own order is unspecified.
        chunk_seqs.sort_unstable();
        seqs.extend(chunk_seqs);
    }
    Ok((unit, seqs))
}
