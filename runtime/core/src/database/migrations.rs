//! The runtime's own schema, applied in order and recorded in `event_runtime_migrations` with
//! a checksum of each migration's SQL.
//!
//! A hand-rolled runner rather than `sqlx::migrate!`: that macro needs sqlx's `macros` and
//! `migrate` features (a proc-macro build and files read at compile time) for a handful of
//! tables. Every pending migration runs in one transaction together with its record, so a
//! failed one leaves the previous version intact; the transaction first takes the backend's
//! lock (`BEGIN IMMEDIATE` on SQLite, an advisory lock on PostgreSQL), so processes starting
//! at once apply each migration exactly once. Each backend has its own list (its DDL differs);
//! versions are never edited once released, only appended.
//!
//! As sqlx's `Migrator` does, the runner keeps the SHA-256 of each applied migration's SQL and
//! compares it with this build's copy on every connect: a released migration that was edited
//! would leave databases migrated before and after the edit with different schemas under one
//! version number, so it is an error naming the migration and the fix, never silently
//! accepted. Rows recorded before checksums were kept (no `checksum`) take this build's.

use sha2::{Digest, Sha256};
use sqlx::any::Any;
use sqlx::{AnyPool, Transaction};
use sqlx::{AssertSqlSafe, Connection};

use super::{Backend, Dialect};
use crate::error::Error;

/// One schema change.
pub(crate) struct Migration {
    pub(crate) version: i64,
    pub(crate) description: &'static str,
    pub(crate) sql: &'static str,
}

impl Migration {
    /// The SHA-256 of the migration's SQL, in hex: what the database records.
    pub(crate) fn checksum(&self) -> String {
        Sha256::digest(self.sql.as_bytes()).iter().map(|byte| format!("{byte:02x}")).collect()
    }
}

/// Applies every migration the database has not seen (creating `schema` first, if given),
/// after checking that the ones it has seen are unchanged.
pub(crate) async fn run(pool: &AnyPool, backend: Backend, schema: Option<&str>) -> Result<(), Error> {
    let dialect = backend.dialect();
    run_list(pool, dialect, schema, dialect.migrations).await
}

/// [`run`] with an explicit list of migrations (tests edit one).
pub(crate) async fn run_list(
    pool: &AnyPool,
    dialect: &Dialect,
    schema: Option<&str>,
    migrations: &[Migration],
) -> Result<(), Error> {
    let mut conn = pool.acquire().await?;
    let mut tx = conn.begin_with(dialect.begin).await?;
    if let Some(lock) = dialect.migration_lock {
        sqlx::query(lock).execute(&mut *tx).await?;
    }
    if let Some(schema) = schema {
        sqlx::raw_sql(AssertSqlSafe(format!("CREATE SCHEMA IF NOT EXISTS \"{schema}\"")))
            .execute(&mut *tx)
            .await?;
    }
    sqlx::raw_sql(
        "CREATE TABLE IF NOT EXISTS event_runtime_migrations (
            version     BIGINT PRIMARY KEY,
            description TEXT NOT NULL,
            applied_at  TEXT NOT NULL,
            checksum    TEXT
        )",
    )
    .execute(&mut *tx)
    .await?;
    let has_checksum: i64 = sqlx::query_scalar(dialect.migrations_have_checksum).fetch_one(&mut *tx).await?;
    if has_checksum == 0 {
        // A table from before checksums: its rows get this build's below.
        sqlx::raw_sql("ALTER TABLE event_runtime_migrations ADD COLUMN checksum TEXT")
            .execute(&mut *tx)
            .await?;
    }
    let applied: Vec<(i64, Option<String>)> =
        sqlx::query_as("SELECT version, checksum FROM event_runtime_migrations").fetch_all(&mut *tx).await?;
    check_applied(&mut tx, dialect, migrations, &applied).await?;
    for migration in
        migrations.iter().filter(|migration| !applied.iter().any(|(v, _)| *v == migration.version))
    {
        let failed = |source| Error::Migration {
            version: migration.version,
            description: migration.description,
            source,
        };
        sqlx::raw_sql(migration.sql).execute(&mut *tx).await.map_err(failed)?;
        sqlx::query(
            "INSERT INTO event_runtime_migrations (version, description, applied_at, checksum) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(migration.version)
        .bind(migration.description)
        .bind(chrono::Utc::now().to_rfc3339())
        .bind(migration.checksum())
        .execute(&mut *tx)
        .await
        .map_err(failed)?;
    }
    tx.commit().await?;
    Ok(())
}

/// Fails on the first applied migration whose recorded checksum differs from this build's;
/// records this build's where none was recorded. Versions this build does not know (a newer
/// runtime migrated the database) are left alone.
async fn check_applied(
    tx: &mut Transaction<'_, Any>,
    dialect: &Dialect,
    migrations: &[Migration],
    applied: &[(i64, Option<String>)],
) -> Result<(), Error> {
    for migration in migrations {
        let Some((_, recorded)) = applied.iter().find(|(version, _)| *version == migration.version) else {
            continue;
        };
        let current = migration.checksum();
        match recorded {
            Some(recorded) if *recorded == current => {}
            Some(recorded) => {
                return Err(Error::MigrationChanged {
                    version: migration.version,
                    description: migration.description,
                    list: dialect.migrations_file,
                    recorded: recorded.clone(),
                    current,
                    next: migrations.iter().map(|m| m.version).max().unwrap_or(0) + 1,
                });
            }
            None => {
                sqlx::query("UPDATE event_runtime_migrations SET checksum = $1 WHERE version = $2")
                    .bind(current)
                    .bind(migration.version)
                    .execute(&mut **tx)
                    .await?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn sqlite() -> AnyPool {
        let _ = sqlx::any::install_drivers(&[sqlx::sqlite::any::DRIVER]);
        sqlx::any::AnyPoolOptions::new().max_connections(1).connect("sqlite::memory:").await.unwrap()
    }

    const FIRST: Migration =
        Migration { version: 1, description: "a table", sql: "CREATE TABLE a (x INTEGER)" };

    #[tokio::test]
    async fn an_edited_migration_is_an_error_naming_it_and_the_fix() {
        let pool = sqlite().await;
        let dialect = Backend::Sqlite.dialect();
        run_list(&pool, dialect, None, &[FIRST]).await.unwrap();
        run_list(&pool, dialect, None, &[FIRST]).await.expect("unchanged: nothing to do");

        let edited = Migration { sql: "CREATE TABLE a (x INTEGER, y TEXT)", ..FIRST };
        let error = run_list(&pool, dialect, None, &[edited]).await.unwrap_err();

        let message = error.to_string();
        assert!(matches!(error, Error::MigrationChanged { version: 1, next: 2, .. }), "{error:?}");
        assert!(
            message.contains("runtime migration 1 (a table) was edited after it was applied"),
            "{message}"
        );
        assert!(message.contains(&FIRST.checksum()), "{message}");
        assert!(message.contains("restore its original SQL"), "{message}");
        assert!(message.contains("version 2"), "{message}");
    }

    #[tokio::test]
    async fn a_new_migration_is_applied_and_the_old_ones_still_match() {
        let pool = sqlite().await;
        let dialect = Backend::Sqlite.dialect();
        run_list(&pool, dialect, None, &[FIRST]).await.unwrap();
        let second = Migration { version: 2, description: "b table", sql: "CREATE TABLE b (x INTEGER)" };
        run_list(&pool, dialect, None, &[FIRST, second]).await.unwrap();
        let recorded: Vec<(i64, String)> =
            sqlx::query_as("SELECT version, checksum FROM event_runtime_migrations ORDER BY version")
                .fetch_all(&pool)
                .await
                .unwrap();
        let second = Migration { version: 2, description: "b table", sql: "CREATE TABLE b (x INTEGER)" };
        assert_eq!(recorded, [(1, FIRST.checksum()), (2, second.checksum())]);
    }

    #[test]
    fn the_checksum_is_the_sha256_of_the_sql() {
        let empty = Migration { version: 1, description: "", sql: "" };
        assert_eq!(empty.checksum(), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }
}
