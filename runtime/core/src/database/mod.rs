//! The database: PostgreSQL in production, SQLite as the embedded default, one pool through
//! sqlx's `Any` driver.
//!
//! Why `Any`: the unit-of-work, outbox, relay and inbox rules are then written once, against
//! one connection type, and an application's own queries in a unit of work run on either
//! backend (with `$1` placeholders, which both understand). What differs between the two is
//! kept in one small module each (`database/sqlite.rs`, `database/postgres.rs`): how a
//! transaction begins, the database clock, how the relay claims units, and the schema (its
//! triggers and cascades included). The price is `Any`'s value
//! types (integers, floats, text, bytes, booleans): the runtime stores ids and times as text
//! and milliseconds, and an application binds a UUID as `id.to_string()`.
//!
//! SQLite tuning, and why:
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

mod migrations;
pub(crate) mod postgres;
pub(crate) mod sqlite;
pub(crate) mod statement;

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use sqlx::AnyPool;
use sqlx::any::AnyPoolOptions;
use sqlx::{AssertSqlSafe, Executor};

use crate::Error;
use crate::text::capped;

/// How long a writer waits for another's lock, and a task for a pooled connection.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Which database a [`Database`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// SQLite: the embedded default (a file, or in memory).
    Sqlite,
    /// PostgreSQL: the production database, shared by every process of a service.
    Postgres,
}

/// What differs between the backends: statements and expressions the shared code splices in.
pub(crate) struct Dialect {
    /// How a unit of work's transaction begins.
    pub(crate) begin: &'static str,
    /// The database clock, in milliseconds since the Unix epoch, as an SQL expression: every
    /// time the runtime stores or compares comes from it, so the clocks of several hosts never
    /// disagree about a lease.
    pub(crate) now_ms: &'static str,
    /// Run first in the migration transaction: serialises processes migrating at once.
    pub(crate) migration_lock: Option<&'static str>,
    /// The runtime's schema, oldest first.
    pub(crate) migrations: &'static [migrations::Migration],
    /// Where that list is written, for the error that says how to fix an edited migration.
    pub(crate) migrations_file: &'static str,
    /// Returns 1 if `event_runtime_migrations` has its `checksum` column (0 for a table made
    /// before checksums were kept).
    pub(crate) migrations_have_checksum: &'static str,
    /// Finds up to 500 unit rows that cannot be read (SQLite's columns take any value; a
    /// PostgreSQL column has its type, so `None` there): `unit`, then for `claimed_until`,
    /// `next_attempt_at` and `attempts` each its value as text and its type.
    pub(crate) corrupt_units: Option<&'static str>,
    /// Claims up to `$3` units that are due, not claimed and not failed by claimant `$1` (a
    /// relay pass tries a unit once) for `$1`, with a lease of `$2` milliseconds, among units
    /// up to `$4`; returns `unit, attempts`.
    pub(crate) claim_units: &'static str,
}

impl Backend {
    pub(crate) fn dialect(self) -> &'static Dialect {
        match self {
            Self::Sqlite => &sqlite::DIALECT,
            Self::Postgres => &postgres::DIALECT,
        }
    }
}

/// How to connect: pool size, waiting, and (PostgreSQL) the schema.
#[derive(Debug, Clone)]
pub struct DatabaseOptions {
    /// The most connections the pool opens (an in-memory SQLite database always has one).
    pub max_connections: u32,
    /// How long a task waits for a pooled connection.
    pub acquire_timeout: Duration,
    /// PostgreSQL only: the schema the runtime's and the application's tables live in, created
    /// if missing and set as every connection's `search_path`. ASCII letters, digits and `_`.
    pub schema: Option<String>,
}

impl Default for DatabaseOptions {
    fn default() -> Self {
        Self { max_connections: 8, acquire_timeout: BUSY_TIMEOUT, schema: None }
    }
}

/// A migrated database: the runtime's outbox and inbox, and the application's own tables.
///
/// Cloning is cheap and shares the pool.
#[derive(Debug, Clone)]
pub struct Database {
    pool: AnyPool,
    backend: Backend,
}

impl Database {
    /// Opens (creating if missing) the SQLite file at `path`, with the tuning above, and
    /// applies the runtime's migrations.
    pub async fn open(path: impl AsRef<Path>) -> Result<Self, Error> {
        let path = std::path::absolute(path.as_ref()).map_err(|error| {
            Error::Configuration(format!("cannot resolve {}: {error}", path.as_ref().display()))
        })?;
        let text =
            path.to_str().ok_or_else(|| Error::Configuration(format!("{} is not UTF-8", path.display())))?;
        let options = DatabaseOptions { max_connections: 4, ..DatabaseOptions::default() };
        Self::connect_with(&format!("sqlite://{}?mode=rwc", percent_encode(text)), options).await
    }

    /// A private in-memory SQLite database (tests, examples, benchmarks), migrated.
    ///
    /// It has one connection: while a unit of work is open, other work on the database waits
    /// for it (up to five seconds, then fails).
    pub async fn in_memory() -> Result<Self, Error> {
        Self::connect("sqlite::memory:").await
    }

    /// The database at `url`, migrated: `postgres://user:password@host:port/database`,
    /// `sqlite://path/to/file.db?mode=rwc` or `sqlite::memory:`.
    pub async fn connect(url: &str) -> Result<Self, Error> {
        Self::connect_with(url, DatabaseOptions::default()).await
    }

    /// [`Database::connect`] with explicit pool size, timeout and schema.
    pub async fn connect_with(url: &str, options: DatabaseOptions) -> Result<Self, Error> {
        // Only the drivers this crate is built with; a second call finds them installed.
        let _ = sqlx::any::install_drivers(&[sqlx::sqlite::any::DRIVER, sqlx::postgres::any::DRIVER]);
        let backend = match url.split(':').next() {
            Some("sqlite") => Backend::Sqlite,
            Some("postgres" | "postgresql") => Backend::Postgres,
            _ => {
                return Err(Error::Configuration(format!(
                    "unsupported database URL `{}`: use postgres://... or sqlite://...",
                    capped(url.split('@').next_back().unwrap_or_default())
                )));
            }
        };
        let schema = match (&options.schema, backend) {
            (Some(schema), Backend::Postgres) => Some(checked_schema(schema)?),
            (Some(_), Backend::Sqlite) => {
                return Err(Error::Configuration(
                    "a schema is a PostgreSQL option; SQLite has none".to_owned(),
                ));
            }
            (None, _) => None,
        };
        let setup: Arc<str> = match (backend, &schema) {
            (Backend::Sqlite, _) => sqlite::CONNECTION_SETUP.into(),
            (Backend::Postgres, Some(schema)) => format!("SET search_path TO \"{schema}\"").into(),
            (Backend::Postgres, None) => "".into(),
        };
        let in_memory =
            backend == Backend::Sqlite && (url.contains(":memory:") || url.contains("mode=memory"));
        let mut pool = AnyPoolOptions::new()
            .max_connections(options.max_connections.max(1))
            .acquire_timeout(options.acquire_timeout);
        if in_memory {
            pool = pool.max_connections(1).min_connections(1).idle_timeout(None).max_lifetime(None);
        }
        let pool = pool
            .after_connect(move |conn, _| {
                let setup = Arc::clone(&setup);
                Box::pin(async move {
                    if !setup.is_empty() {
                        conn.execute(sqlx::raw_sql(AssertSqlSafe(setup.to_string()))).await?;
                    }
                    Ok(())
                })
            })
            .connect(url)
            .await?;
        migrations::run(&pool, backend, schema.as_deref()).await?;
        Ok(Self { pool, backend })
    }

    /// The connection pool, for work outside a unit of work.
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Which database this is.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub(crate) fn dialect(&self) -> &'static Dialect {
        self.backend.dialect()
    }

    /// Closes every connection, waiting for the ones in use to be returned.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// A schema name safe to splice into `SET search_path`: ASCII letters, digits and `_`.
fn checked_schema(schema: &str) -> Result<String, Error> {
    let valid = !schema.is_empty()
        && schema.len() <= 63
        && schema.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && schema.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !valid {
        return Err(Error::Configuration(format!(
            "schema `{}` must be 1 to 63 ASCII letters, digits or `_`, not starting with a digit",
            capped(schema)
        )));
    }
    Ok(schema.to_owned())
}

/// Percent-encodes what a SQLite URL's path may not hold literally.
fn percent_encode(path: &str) -> String {
    let mut encoded = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"/-_.~".contains(&byte) {
            encoded.push(byte as char);
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}
