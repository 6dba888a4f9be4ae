//! [`OutboxStore`]: what the outbox's writing, relaying, settling and purging need, and no
//! more: the database (pool and dialect), the relay options, and who this process is in the
//! claims.
//!
//! Why a type of its own rather than the [`Runtime`](crate::Runtime): the outbox code then
//! cannot reach the sink, the request contexts or the worker by accident, and the runtime
//! module depends on the outbox, never the other way round.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use sqlx::AnyPool;
use uuid::Uuid;

use crate::database::{Backend, Database, Dialect};
use crate::options::RelayOptions;

/// The outbox tables of one database as one runtime process sees them. Cloning is cheap and
/// shares everything.
#[derive(Clone)]
pub(crate) struct OutboxStore {
    inner: Arc<Inner>,
}

struct Inner {
    database: Database,
    options: RelayOptions,
    /// Who this process is in the outbox's claims: unique per process start.
    claimant: String,
    passes: AtomicU64,
    delivered: AtomicU64,
}

impl OutboxStore {
    pub(crate) fn new(database: Database, options: RelayOptions) -> Self {
        Self {
            inner: Arc::new(Inner {
                database,
                options,
                claimant: Uuid::new_v4().to_string(),
                passes: AtomicU64::new(0),
                delivered: AtomicU64::new(0),
            }),
        }
    }

    pub(crate) fn database(&self) -> &Database {
        &self.inner.database
    }

    pub(crate) fn pool(&self) -> &AnyPool {
        self.inner.database.pool()
    }

    pub(crate) fn backend(&self) -> Backend {
        self.inner.database.backend()
    }

    pub(crate) fn dialect(&self) -> &'static Dialect {
        self.inner.database.dialect()
    }

    pub(crate) fn options(&self) -> &RelayOptions {
        &self.inner.options
    }

    /// This process's claimant name: the holder of the units its commits write.
    pub(crate) fn claimant(&self) -> &str {
        &self.inner.claimant
    }

    /// The claimant name of a new relay pass: this process's, numbered.
    pub(crate) fn pass_claimant(&self) -> String {
        format!("{}/{}", self.inner.claimant, self.inner.passes.fetch_add(1, Ordering::Relaxed))
    }

    pub(crate) fn lease_ms(&self) -> i64 {
        self.inner.options.lease_ms()
    }

    /// Counts `n` events delivered by this process.
    pub(crate) fn count_delivered(&self, n: u64) {
        self.inner.delivered.fetch_add(n, Ordering::Relaxed);
    }

    /// Events delivered by this process since it started.
    pub(crate) fn delivered(&self) -> u64 {
        self.inner.delivered.load(Ordering::Relaxed)
    }
}
