//! The transactional outbox and its relay, on either backend.
//!
//! **Writing.** A unit of work's after-commit events are written inside its own transaction:
//! one row in `event_outbox_units` (the unit, already claimed by this process for a lease) and
//! its events in `event_outbox` (multi-row `INSERT`s, in queue order), each of which a trigger
//! enqueues as one narrow row in `event_outbox_pending`. They commit or roll back with the
//! business data.
//!
//! **Claim, then read.** Events are only ever sent by the holder of their unit's claim, taken
//! atomically before anything is read: the committing process holds it from the insert, the
//! relay takes it with one `UPDATE ... RETURNING` (`FOR UPDATE SKIP LOCKED` on PostgreSQL).
//! So a commit and a relay pass, or two relaying processes, never send one event while all
//! are alive. A claim is a lease, renewed while a send is in progress; the claims of a process
//! that died expire and another process sends those events again: at-least-once, with the
//! envelope id unchanged, so an inbox applies them once.
//!
//! **Order within a unit.** A unit's events go to the sink in queue order, and at the unit's
//! first failed event the relay stops that unit: the event waits for its backoff, and nothing
//! queued after it is sent before it. A sink that delivers in order and stops at its first
//! failure therefore keeps each unit's order.
//!
//! **Settling** a send takes a bounded number of statements whatever its size. When every
//! unit sent was delivered whole, deleting the units is enough (their pending rows cascade).
//! Otherwise, in one transaction: delivered events leave `event_outbox_pending` (one
//! `DELETE ... IN` per 500), each failed unit gets its attempts and next attempt time (one
//! `UPDATE ... FROM (VALUES ...)` per 500), an event past `max_attempts` moves to
//! `event_outbox_dead` (kept and reported, never lost), and finished units are deleted. A row that cannot be read (a corrupt id, time or detail) moves to
//! `event_outbox_quarantine` with its reason; the other events are still delivered.
//!
//! **Retention.** `event_outbox` keeps delivered events as the log of what was published until
//! [`RelayOptions::retention`](crate::RelayOptions::retention) has passed, then the purge
//! deletes them in bounded batches (`outbox/retention.rs`).

mod quarantine;
mod relay;
pub(crate) mod retention;
mod settle;
mod store;
mod write;

pub(crate) use relay::{deliver_committed, relay_pass};
pub use retention::{OutboxStats, PurgeReport};
pub(crate) use store::OutboxStore;
pub(crate) use write::{Queued, write};

use uuid::Uuid;

use crate::{Error, FailedEntry, HandlerFailure};

/// What a relay pass (after a commit, or over the pending outbox) did.
#[derive(Debug, Default)]
pub struct RelayReport {
    /// Events the sink accepted and that are now marked delivered, in order.
    pub delivered: Vec<Uuid>,
    /// Events the sink failed; they stay pending and are retried after their backoff.
    pub failed: Vec<FailedEntry>,
    /// Events that failed `max_attempts` times and were parked in `event_outbox_dead`.
    pub dead: Vec<DeadEvent>,
    /// Outbox rows that could not be read and were moved to `event_outbox_quarantine`.
    pub quarantined: Vec<QuarantinedRow>,
    /// In-process handlers that failed on delivered events; reported, not retried.
    pub handler_failures: Vec<HandlerFailure>,
    /// After a commit: the events were sent but the outcome could not be recorded; they stay
    /// claimed until the lease expires and are then sent again (consumers de-duplicate by
    /// envelope id). The commit itself stands.
    pub mark_error: Option<Error>,
}

/// An event parked as dead: it failed [`RelayOptions::max_attempts`](crate::RelayOptions)
/// times. Its row stays in `event_outbox_dead` with every field, for an operator to inspect
/// and requeue ([`Runtime::requeue_dead`](crate::Runtime::requeue_dead)).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeadEvent {
    /// The outbox sequence number.
    pub seq: i64,
    /// The envelope id.
    pub event_id: Uuid,
    /// The event's source.
    pub source: String,
    /// The event's detail-type.
    pub detail_type: String,
    /// How many attempts failed.
    pub attempts: u32,
    /// The last error.
    pub error: String,
}

/// An outbox row that could not be read, moved aside with the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuarantinedRow {
    /// The outbox sequence number.
    pub seq: i64,
    /// What is wrong with it.
    pub reason: String,
}
