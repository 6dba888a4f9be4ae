//! The inbox: exactly-once effects on top of at-least-once delivery.
//!
//! The relay delivers at least once (a crash between sending and recording the delivery sends
//! the event again, with the same envelope id). A handler whose effects must happen once
//! records the event in `event_inbox`, keyed by its key and the envelope id, **inside the unit
//! of work that holds its effects**: the effects and the record commit together or not at all,
//! so a redelivery finds the record and skips. The idea of AWS Lambda Powertools' idempotency
//! utility, with the database transaction as the lock.
//!
//! ```no_run
//! # use std::sync::Arc;
//! # use contracts_common::EventEnvelope;
//! # use event_runtime::{HandlerResult, RequestContext, sqlx};
//! # #[derive(Debug)] struct OrganisationCreated { id: String }
//! async fn open_ledger(event: Arc<EventEnvelope<OrganisationCreated>>, ctx: RequestContext) -> HandlerResult {
//!     let mut uow = ctx.begin().await?;
//!     if !uow.first_delivery().await? {
//!         return Ok(()); // a redelivery: the ledger exists already
//!     }
//!     sqlx::query("INSERT INTO ledgers (organisation_id) VALUES ($1)")
//!         .bind(event.detail.id.clone())
//!         .execute(uow.conn())
//!         .await?;
//!     uow.commit().await?;
//!     Ok(())
//! }
//! ```
//!
//! Concurrent deliveries of one event are safe too: the second insert waits for the first
//! transaction (a unique key on PostgreSQL, the write lock on SQLite) and then finds the
//! record. Entries are purged after [`RelayOptions::inbox_retention`](crate::RelayOptions).

use uuid::Uuid;

use crate::error::Error;
use crate::unit_of_work::UnitOfWork;

impl UnitOfWork<'_> {
    /// Records, in this unit of work, that the handler of this context processed its event;
    /// `true` the first time, `false` when the record exists (a redelivery: skip the effects
    /// and return). Fails with [`Error::NotInHandler`] outside a handler's context.
    pub async fn first_delivery(&mut self) -> Result<bool, Error> {
        let delivery = self.context().delivery().cloned().ok_or(Error::NotInHandler)?;
        self.record_processed(&delivery.consumer, delivery.event_id).await
    }

    /// Records, in this unit of work, that `consumer` processed the event `event_id`: `true`
    /// the first time, `false` if it had been recorded before. For consumers other than a
    /// manifest's handlers; handlers use [`UnitOfWork::first_delivery`].
    pub async fn record_processed(&mut self, consumer: &str, event_id: Uuid) -> Result<bool, Error> {
        let now = self.context().runtime().database().dialect().now_ms;
        let mut insert = crate::database::statement::Statement::new(
            self.context().runtime().database().backend(),
            "INSERT INTO event_inbox (consumer, event_id, processed_ms) VALUES (",
        );
        insert.bind(consumer).push(", ").bind(event_id.to_string()).push(", ").push(now);
        insert.push(") ON CONFLICT DO NOTHING");
        let inserted = insert.build().execute(self.conn()).await?.rows_affected();
        Ok(inserted == 1)
    }
}
