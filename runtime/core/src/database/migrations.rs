//! The runtime's own schema, applied in order and recorded in `event_runtime_migrations`.
//!
//! A hand-rolled runner rather than `sqlx::migrate!`: that macro needs sqlx's `macros` and
//! `migrate` features (a proc-macro build and files read at compile time) for a handful of
//! tables. Every pending migration runs in one transaction together with its record, so a
//! failed one leaves the previous version intact; the transaction first takes the backend's
//! lock (`BEGIN IMMEDIATE` on SQLite, an advisory lock on PostgreSQL), so processes starting
//! at once apply each migration exactly once. Each backend has its own list (its DDL differs);
//! versions are never edited once released, only appended.

use sqlx::AnyPool;
use sqlx::{AssertSqlSafe, Connection};

use super::Backend;
use crate::Error;

/// One schema change.
pub(crate) struct Migration {
    pub(crate) version: i64,
    pub(crate) description: &'static str,
    pub(crate) sql: &'static str,
}

/// Applies every migration the database has not seen (creating `schema` first, if given).
pub(crate) async fn run(pool: &AnyPool, backend: Backend, schema: Option<&str>) -> Result<(), Error> {
    let dialect = backend.dialect();
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
            applied_at  TEXT NOT NULL
        )",
    )
    .execute(&mut *tx)
    .await?;
    let applied: Vec<i64> =
        sqlx::query_scalar("SELECT version FROM event_runtime_migrations").fetch_all(&mut *tx).await?;
    for migration in dialect.migrations.iter().filter(|migration| !applied.contains(&migration.version)) {
        let failed = |source| Error::Migration {
            version: migration.version,
            description: migration.description,
            source,
        };
        sqlx::raw_sql(migration.sql).execute(&mut *tx).await.map_err(failed)?;
        sqlx::query(
            "INSERT INTO event_runtime_migrations (version, description, applied_at) VALUES ($1, $2, $3)",
        )
        .bind(migration.version)
        .bind(migration.description)
        .bind(chrono::Utc::now().to_rfc3339())
        .execute(&mut *tx)
        .await
        .map_err(failed)?;
    }
    tx.commit().await?;
    Ok(())
}
