//! The embedded database: a SQLite pool, tuned and migrated.
//!
//! Tuning, and why:
//! - `journal_mode = WAL`: readers never block the writer, and a commit appends to the log
//!   instead of rewriting pages, the single biggest win for small transactions.
//! - `synchronous = NORMAL`: in WAL mode a commit no longer waits for an fsync of the log;
//!   the database stays consistent on power loss and can lose only the last commits, never
//!   corrupt (the SQLite documentation's recommended setting for WAL).
//! - units of work begin with `BEGIN IMMEDIATE`: the write lock is taken up front, so two
//!   writers queue on `busy_timeout` instead of one failing with `SQLITE_BUSY` when it
//!   upgrades a read transaction.
//! - an in-memory database lives in exactly one connection (each SQLite connection to
//!   `:memory:` is a separate database), kept open for the pool's life.

use std::path::Path;
use std::time::Duration;

use sqlx::SqlitePool;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

use crate::{Error, migrations};

/// How long a writer waits for another's lock, and a task for a pooled connection.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// A migrated SQLite database: the runtime's outbox and the application's own tables.
///
/// Cloning is cheap and shares the pool.
#[derive(Debug, Clone)]
pub struct Database {
    pool: SqlitePool,
}

impl Database {
    /// Opens (creating if missing) the database file at `path`, with the tuning above, and
    /// applies the runtime's migrations.
    pub async fn open(path: impl AsRef<Path>) -> Result<Self, Error> {
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(BUSY_TIMEOUT)
            .foreign_keys(true);
        let pool = SqlitePoolOptions::new().max_connections(4).acquire_timeout(BUSY_TIMEOUT);
        Self::connect(options, pool).await
    }

    /// A private in-memory database (tests, examples, benchmarks), migrated.
    ///
    /// It has one connection: while a unit of work is open, other work on the database waits
    /// for it (up to five seconds, then fails).
    pub async fn in_memory() -> Result<Self, Error> {
        let options = SqliteConnectOptions::new().in_memory(true).foreign_keys(true);
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .min_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
            .acquire_timeout(BUSY_TIMEOUT);
        Self::connect(options, pool).await
    }

    /// A database from explicit options (e.g. another file layout or pool size), migrated.
    pub async fn connect(options: SqliteConnectOptions, pool: SqlitePoolOptions) -> Result<Self, Error> {
        let pool = pool.connect_with(options).await?;
        migrations::run(&pool).await?;
        Ok(Self { pool })
    }

    /// The connection pool, for work outside a unit of work.
    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// Closes every connection, waiting for the ones in use to be returned.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}
