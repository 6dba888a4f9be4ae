//! [`UnitOfWork`]: a transaction whose after-commit events follow Django's `on_commit`.

use sqlx::AnyConnection;
use sqlx::Transaction;
use sqlx::any::Any;
use tracing::Instrument;
use uuid::Uuid;

use crate::context::RequestContext;
use crate::error::Error;
use crate::outbound::OutboundEvent;
use crate::outbox::{self, RelayReport};

/// A database transaction, or a savepoint inside one, with the after-commit events published
/// in it.
///
/// The rules (Django `on_commit`, Spring `AFTER_COMMIT`):
/// - events queued with [`publish_after_commit`](crate::Publisher::publish_after_commit) go
///   to the innermost open unit of work;
/// - committing a nested unit (releasing its savepoint) hands its events to the enclosing
///   one; rolling it back drops them, and the enclosing unit's events stay queued;
/// - committing the outermost unit writes every queued event to the outbox in the same
///   transaction, commits, then relays them in queue order, once;
/// - rolling back, or dropping without commit (an early `?` return, a panic, a cancelled
///   future), drops the events with the transaction.
///
/// Run the application's queries on [`UnitOfWork::conn`].
#[must_use = "a unit of work rolls back and drops its events unless committed"]
pub struct UnitOfWork<'c> {
    tx: Transaction<'c, Any>,
    scope: Scope,
}

/// The unit of work's place in its context's stack of after-commit queues; closes (dropping
/// the queue) when dropped open.
struct Scope {
    ctx: RequestContext,
    depth: usize,
    open: bool,
}

impl Drop for Scope {
    fn drop(&mut self) {
        if self.open {
            drop(self.ctx.scopes().take(self.depth));
        }
    }
}

/// What a commit did.
#[derive(Debug)]
pub struct CommitReport {
    /// The envelope ids of the after-commit events the committed scope held, in order.
    pub events: Vec<Uuid>,
    /// For the outermost commit, the relay's report; `None` for a nested commit, whose
    /// events wait for the outermost one.
    pub relay: Option<RelayReport>,
}

impl RequestContext {
    /// Begins the request's unit of work: a database transaction (`BEGIN IMMEDIATE` on
    /// SQLite) whose commit writes and then relays the events queued with
    /// [`Publisher::publish_after_commit`](crate::Publisher::publish_after_commit). One per
    /// context at a time (nest with [`UnitOfWork::nested`]); a second fails with
    /// [`Error::AlreadyInUnitOfWork`].
    pub async fn begin(&self) -> Result<UnitOfWork<'static>, Error> {
        self.scopes().open(0)?;
        let scope = Scope { ctx: self.clone(), depth: 0, open: true };
        let database = scope.ctx.runtime().database();
        let tx = database.pool().begin_with(database.dialect().begin).await?;
        Ok(UnitOfWork { tx, scope })
    }
}

impl<'c> UnitOfWork<'c> {
    /// The transaction's connection: run queries on it (`.execute(uow.conn())`), with `$1`,
    /// `$2`, ... placeholders, which both PostgreSQL and SQLite understand.
    pub fn conn(&mut self) -> &mut AnyConnection {
        &mut self.tx
    }

    /// The request context this unit of work belongs to.
    pub fn context(&self) -> &RequestContext {
        &self.scope.ctx
    }

    /// 0 for the outermost unit of work, 1 for a scope nested in it, and so on.
    pub fn depth(&self) -> usize {
        self.scope.depth
    }

    /// Opens a nested scope (a savepoint). Until it ends, after-commit events queue on it.
    pub async fn nested(&mut self) -> Result<UnitOfWork<'_>, Error> {
        let depth = self.scope.depth + 1;
        self.scope.ctx.scopes().open(depth)?;
        let scope = Scope { ctx: self.scope.ctx.clone(), depth, open: true };
        let tx = sqlx::Connection::begin(&mut *self.tx).await?;
        Ok(UnitOfWork { tx, scope })
    }

    /// Commits. A nested scope hands its events to the enclosing one; the outermost unit of
    /// work writes its events to the outbox, commits, and relays them. `Ok` means the
    /// transaction committed: delivery problems are in the [`RelayReport`], never an `Err`.
    pub async fn commit(self) -> Result<CommitReport, Error> {
        let UnitOfWork { mut tx, mut scope } = self;
        if scope.depth > 0 {
            tx.commit().await?;
            scope.open = false;
            let events = scope.ctx.scopes().merge_into_parent(scope.depth);
            return Ok(CommitReport { events, relay: None });
        }
        let queued = scope.ctx.scopes().take(0);
        scope.open = false;
        let runtime = scope.ctx.runtime().clone();
        let events: Vec<Uuid> = queued.iter().map(|queued| queued.event.id()).collect();
        let span = tracing::info_span!(
            "commit",
            events = events.len(),
            correlation_id = %scope.ctx.correlation_id,
            unit = tracing::field::Empty,
        );
        let written = async {
            // The unit is written already claimed by this process, so no relay pass (here or
            // elsewhere) sends these events while this commit delivers them.
            let written = if queued.is_empty() {
                None
            } else {
                Some(outbox::write(&mut tx, runtime.store(), &queued).await?)
            };
            tx.commit().await?;
            Ok::<_, Error>(written)
        }
        .instrument(span.clone())
        .await?;
        let Some((unit, seqs)) = written else {
            return Ok(CommitReport { events, relay: Some(RelayReport::default()) });
        };
        span.record("unit", unit);
        let outbound: Vec<(i64, OutboundEvent)> =
            seqs.into_iter().zip(queued).map(|(seq, queued)| (seq, queued.event)).collect();
        let relay = outbox::deliver_committed(runtime.store(), runtime.sink().as_ref(), unit, outbound)
            .instrument(span)
            .await;
        Ok(CommitReport { events, relay: Some(relay) })
    }

    /// Rolls back, dropping the scope's after-commit events (and, for the outermost unit of
    /// work, every event queued in it).
    pub async fn rollback(self) -> Result<(), Error> {
        let UnitOfWork { tx, scope } = self;
        drop(scope);
        tx.rollback().await?;
        Ok(())
    }
}

impl std::fmt::Debug for UnitOfWork<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UnitOfWork").field("depth", &self.scope.depth).finish_non_exhaustive()
    }
}
