//! The relay: claim units, read their events, send them holding the claim, settle.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use serde_json::value::RawValue;
use sqlx::Row;
use sqlx::any::AnyRow;
use tokio::sync::watch;
use tracing::Instrument;
use uuid::Uuid;

use super::quarantine;
use super::settle::{UnitBatch, settle};
use super::{OutboxStore, RelayReport};
use crate::database::statement::Statement;
use crate::error::Error;
use crate::outbound::OutboundEvent;
use crate::sink::{DeliveryReport, EventSink};

/// A unit this relay holds a claim on, with the failed attempts of its first pending event.
#[derive(Debug, Clone, Copy)]
struct Claimed {
    unit: i64,
    attempts: u32,
}

/// Delivers the events a unit of work just committed (the committing process claimed the
/// unit when it wrote it) and settles the outcome. Never fails: the commit stands, and a
/// problem recording the outcome is in [`RelayReport::mark_error`].
pub(crate) async fn deliver_committed(
    store: &OutboxStore,
    sink: &dyn EventSink,
    unit: i64,
    events: Vec<(i64, OutboundEvent)>,
) -> RelayReport {
    let mut report = RelayReport::default();
    let batch = UnitBatch { unit, attempts: 0, events };
    let outcome =
        send_holding_claims(store, sink, store.claimant(), &[unit], std::slice::from_ref(&batch)).await;
    if let Err(error) =
        settle(store, store.claimant(), &[batch], Vec::new(), &[unit], outcome, &mut report).await
    {
        report.mark_error = Some(error);
    }
    report
}

/// Relays every unit that is due, not claimed by another process, and no newer than the
/// newest unit when the pass began, attempting each unit at most once (so a pass ends even
/// while commits keep failing and the backoff is zero). Stops between sends when `stop` turns
/// true, releasing the claims it has not used.
pub(crate) async fn relay_pass(
    store: &OutboxStore,
    sink: &dyn EventSink,
    stop: Option<&watch::Receiver<bool>>,
) -> Result<RelayReport, Error> {
    let mut report =
        RelayReport { quarantined: quarantine::corrupt_units(store).await?, ..RelayReport::default() };
    let newest: Option<i64> =
        sqlx::query_scalar("SELECT MAX(unit) FROM event_outbox_units").fetch_one(store.pool()).await?;
    let Some(newest) = newest else { return Ok(report) };
    // The pass's own claimant name: a unit it failed keeps it (with its lease ended), so this
    // pass does not claim the unit again, while any other pass may once the unit is due.
    let pass = store.pass_claimant();
    let stopping = || stop.is_some_and(|stop| *stop.borrow());
    while !stopping() {
        let claimed = claim(store, &pass, newest).await?;
        if claimed.is_empty() {
            break;
        }
        let span = tracing::info_span!("relay", units = claimed.len(), claimant = pass.as_str());
        relay_claimed(store, sink, &pass, claimed, &mut report, &stopping).instrument(span).await?;
    }
    Ok(report)
}

/// Claims for `pass` up to `claim_units` due units no newer than `newest`, in unit order.
async fn claim(store: &OutboxStore, pass: &str, newest: i64) -> Result<Vec<Claimed>, Error> {
    let rows: Vec<(i64, i64)> = sqlx::query_as(store.dialect().claim_units)
        .bind(pass)
        .bind(store.lease_ms())
        .bind(store.options().claim_units.max(1) as i64)
        .bind(newest)
        .fetch_all(store.pool())
        .await?;
    let mut claimed: Vec<Claimed> = rows
        .into_iter()
        .map(|(unit, attempts)| Claimed { unit, attempts: u32::try_from(attempts).unwrap_or(u32::MAX) })
        .collect();
    claimed.sort_by_key(|claimed| claimed.unit);
    Ok(claimed)
}

/// Sends the claimed units' events, a batch at a time, until each unit is finished, failed
/// (and released with its backoff) or the relay is stopping.
async fn relay_claimed(
    store: &OutboxStore,
    sink: &dyn EventSink,
    pass: &str,
    mut claimed: Vec<Claimed>,
    report: &mut RelayReport,
    stopping: &impl Fn() -> bool,
) -> Result<(), Error> {
    let batch_size = store.options().batch_size.max(1);
    let mut renewed = Instant::now();
    while !claimed.is_empty() {
        if renewed.elapsed() >= renew_interval(store) {
            // Many batches of large units can outlast a lease: hold on to what is still ours.
            let held: HashSet<i64> = renew(store, pass, &units_of(&claimed)).await?.into_iter().collect();
            claimed.retain(|unit| held.contains(&unit.unit));
            renewed = Instant::now();
            continue;
        }
        let units = units_of(&claimed);
        if stopping() {
            return release_all(store, pass, &units).await;
        }
        let rows = read(store, &units, batch_size).await?;
        // Units are read in order; only the last one read may have more rows than the batch.
        let partial = (rows.len() >= batch_size).then(|| rows.last().map(|row| row.0)).flatten();
        let Grouped { batches, quarantine, truncated } = group(&claimed, rows);
        let finished: Vec<i64> = units
            .iter()
            .copied()
            .filter(|unit| partial.is_none_or(|last| *unit < last) && !truncated.contains(unit))
            .collect();
        let outcome = if batches.is_empty() {
            DeliveryReport::default()
        } else {
            send_holding_claims(store, sink, pass, &units, &batches).await
        };
        let settled = settle(store, pass, &batches, quarantine, &finished, outcome, report).await?;
        let finished: HashSet<i64> = finished.into_iter().collect();
        claimed.retain_mut(|unit| {
            if settled.progressed.contains(&unit.unit) {
                unit.attempts = 0;
            }
            !finished.contains(&unit.unit) && !settled.failed.contains(&unit.unit)
        });
    }
    Ok(())
}

fn units_of(claimed: &[Claimed]) -> Vec<i64> {
    claimed.iter().map(|claimed| claimed.unit).collect()
}

/// How often a holder renews its claims: three times per lease.
fn renew_interval(store: &OutboxStore) -> Duration {
    (store.options().lease / 3).max(Duration::from_millis(10))
}

/// One pending row as read: its unit and sequence number, and the event or why it is corrupt.
type ReadRow = (i64, i64, Result<OutboundEvent, String>);

/// Reads up to `limit` pending events of `units`, by unit, then queue order.
async fn read(store: &OutboxStore, units: &[i64], limit: usize) -> Result<Vec<ReadRow>, Error> {
    let mut select = Statement::new(
        store.backend(),
        "SELECT p.unit, p.seq, o.id, o.source, o.detail_type, o.time, o.detail
         FROM event_outbox_pending p LEFT JOIN event_outbox o ON o.seq = p.seq
         WHERE p.unit IN ",
    );
    select.bind_list(units).push(" ORDER BY p.unit, p.seq LIMIT ");
    select.bind(limit as i64);
    let rows = select.build().fetch_all(store.pool()).await?;
    rows.iter()
        .map(|row| Ok((row.try_get("unit")?, row.try_get("seq")?, read_event(row))))
        .collect::<Result<_, sqlx::Error>>()
        .map_err(Error::from)
}

/// The event in `row`, or why it cannot be sent.
fn read_event(row: &AnyRow) -> Result<OutboundEvent, String> {
    let text = |column: &str| -> Result<String, String> {
        row.try_get::<Option<String>, _>(column)
            .map_err(|error| format!("{column} is not text: {error}"))?
            .ok_or_else(|| "the event row is missing from event_outbox".to_owned())
    };
    let id = text("id")?;
    let id = Uuid::parse_str(&id)
        .map_err(|error| format!("id `{}` is not a UUID: {error}", crate::text::capped(&id)))?;
    let time = text("time")?;
    let time = DateTime::parse_from_rfc3339(&time)
        .map_err(|error| format!("time `{}` is not RFC 3339: {error}", crate::text::capped(&time)))?
        .with_timezone(&Utc);
    let detail = text("detail")?;
    let raw: &RawValue =
        serde_json::from_str(&detail).map_err(|error| format!("detail is not JSON: {error}"))?;
    if !raw.get().starts_with('{') {
        return Err("detail is not a JSON object".to_owned());
    }
    let (source, detail_type) = (text("source")?, text("detail_type")?);
    if let Some(reason) = quarantine::unsendable(&source, &detail_type) {
        return Err(reason);
    }
    Ok(OutboundEvent::from_json(id, source, detail_type, time, detail))
}

/// Read rows as the batches to send, one per unit, in order.
struct Grouped {
    batches: Vec<UnitBatch>,
    /// Corrupt rows, set aside with the reason.
    quarantine: Vec<(i64, String)>,
    /// Units of which only the first event is sent, though more were read.
    truncated: HashSet<i64>,
}

/// The failed attempts after which a unit sends only its failed event until it is delivered.
/// The first retry sends the rest of the unit too (most failures are passing, e.g. an outage
/// just over, and one call per unit keeps recovery fast); from the second on, the rest waits,
/// so an event that keeps failing does not take the rest of its unit to the sink every time.
const SEND_ALONE_AFTER: u32 = 2;

/// Groups read rows into one batch per unit (in order), setting corrupt rows aside. A unit
/// that failed [`SEND_ALONE_AFTER`] times in a row sends only its first pending event, the
/// one that failed; the rest waits until that is delivered.
fn group(claimed: &[Claimed], rows: Vec<ReadRow>) -> Grouped {
    let mut batches: Vec<UnitBatch> = Vec::new();
    let mut quarantine = Vec::new();
    let mut truncated = HashSet::new();
    for (unit, seq, event) in rows {
        if let Some(batch) = batches.last()
            && batch.unit == unit
            && batch.attempts >= SEND_ALONE_AFTER
        {
            truncated.insert(unit);
            continue;
        }
        let event = match event {
            Ok(event) => event,
            Err(reason) => {
                quarantine.push((seq, reason));
                continue;
            }
        };
        match batches.last_mut() {
            Some(batch) if batch.unit == unit => batch.events.push((seq, event)),
            _ => {
                let attempts = claimed.iter().find(|claimed| claimed.unit == unit).map_or(0, |c| c.attempts);
                batches.push(UnitBatch { unit, attempts, events: vec![(seq, event)] });
            }
        }
    }
    Grouped { batches, quarantine, truncated }
}

/// Sends the batches: in one call when the sink's entries fail independently, else one call
/// per unit, so a sink that fails the rest of its call after a failure (to keep a unit's
/// order) never fails, and so never counts an attempt against, another unit's events.
async fn send_units(sink: &dyn EventSink, batches: &[UnitBatch]) -> DeliveryReport {
    let events_of = |batches: &[UnitBatch]| -> Vec<OutboundEvent> {
        batches.iter().flat_map(|batch| batch.events.iter().map(|(_, event)| event.clone())).collect()
    };
    if sink.entries_fail_independently() {
        return sink.send(&events_of(batches)).await;
    }
    let mut report = DeliveryReport::default();
    for batch in batches {
        let sent = sink.send(&events_of(std::slice::from_ref(batch))).await;
        report.failed.extend(sent.failed);
        report.handler_failures.extend(sent.handler_failures);
    }
    report
}

/// Sends `batches` while holding the claims on `units`: a send that outlasts a third of the
/// lease gets its claims renewed by a background task until it returns, so no other process
/// takes them while this one is alive.
async fn send_holding_claims(
    store: &OutboxStore,
    sink: &dyn EventSink,
    claimant: &str,
    units: &[i64],
    batches: &[UnitBatch],
) -> DeliveryReport {
    let renew_every = renew_interval(store);
    let send = send_units(sink, batches);
    tokio::pin!(send);
    tokio::select! {
        report = &mut send => return report,
        () = tokio::time::sleep(renew_every) => {}
    }
    let renewer = tokio::spawn(renew_claims(store.clone(), claimant.to_owned(), units.to_vec(), renew_every));
    let report = send.await;
    renewer.abort();
    report
}

async fn renew_claims(store: OutboxStore, claimant: String, units: Vec<i64>, every: Duration) {
    loop {
        match renew(&store, &claimant, &units).await {
            Ok(held) if held.len() < units.len() => {
                tracing::warn!(
                    claimant,
                    "a claim expired during a send; another process may send those events again"
                )
            }
            Ok(_) => {}
            Err(error) => {
                tracing::warn!(%error, "could not renew the relay's claims; another process may send these events again")
            }
        }
        tokio::time::sleep(every).await;
    }
}

/// Extends `claimant`'s leases on `units`; returns the units it still held.
async fn renew(store: &OutboxStore, claimant: &str, units: &[i64]) -> Result<Vec<i64>, Error> {
    let mut renew = Statement::new(store.backend(), "UPDATE event_outbox_units SET claimed_until = ");
    renew.push(store.dialect().now_ms).push(" + ");
    renew.bind(store.lease_ms()).push(" WHERE claimed_by = ");
    renew.bind(claimant).push(" AND unit IN ");
    renew.bind_list(units).push(" RETURNING unit");
    Ok(renew.build_scalar().fetch_all(store.pool()).await?)
}

/// Gives up this process's claims on `units` (a stopping relay), so others take them at once.
async fn release_all(store: &OutboxStore, pass: &str, units: &[i64]) -> Result<(), Error> {
    let mut release = Statement::new(
        store.backend(),
        "UPDATE event_outbox_units SET claimed_until = 0, claimed_by = NULL WHERE claimed_by = ",
    );
    release.bind(pass).push(" AND unit IN ");
    release.bind_list(units);
    release.build().execute(store.pool()).await?;
    Ok(())
}
