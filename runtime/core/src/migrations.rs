//! The runtime's own schema, applied in order and recorded in `event_runtime_migrations`.
//!
//! A hand-rolled runner rather than `sqlx::migrate!`: that macro needs sqlx's `macros` and
//! `migrate` features (a proc-macro build and files read at compile time) for what is here
//! one table and one index. Each migration runs in its own `BEGIN IMMEDIATE` transaction
//! together with its record, so a failed one leaves the previous version intact and two
//! processes starting at once cannot both apply it.

use sqlx::SqlitePool;

use crate::Error;

/// One schema change.
struct Migration {
    version: i64,
    description: &'static str,
    sql: &'static str,
}

/// Every migration, oldest first. Never edit a released one: append a new version.
const MIGRATIONS: &[Migration] = &[Migration {
    version: 1,
    description: "create the event outbox",
    sql: "
        -- Every after-commit event, append-only: a row is never updated, so committing and
        -- relaying write each event's (large) detail once.
        CREATE TABLE event_outbox (
            -- Queue order: events are relayed by ascending seq.
            seq         INTEGER PRIMARY KEY,
            -- The envelope id (UUID v4 text), unique by construction; consumers de-duplicate
            -- on it. Deliberately not indexed: a random key would dirty a random index page
            -- per event.
            id          TEXT NOT NULL,
            source      TEXT NOT NULL,
            detail_type TEXT NOT NULL,
            -- RFC 3339 publication time.
            time        TEXT NOT NULL,
            -- The detail as JSON text.
            detail      TEXT NOT NULL
        );
        -- The events not yet delivered: a narrow table keyed by seq, so enqueueing appends to
        -- one page and marking delivered deletes from one page.
        CREATE TABLE event_outbox_pending (
            seq        INTEGER PRIMARY KEY REFERENCES event_outbox (seq),
            attempts   INTEGER NOT NULL DEFAULT 0,
            last_error TEXT
        );
        CREATE TRIGGER event_outbox_enqueue AFTER INSERT ON event_outbox
        BEGIN
            INSERT INTO event_outbox_pending (seq) VALUES (new.seq);
        END;
    ",
}];

/// Applies every migration the database has not seen.
pub(crate) async fn run(pool: &SqlitePool) -> Result<(), Error> {
    sqlx::raw_sql(
        "CREATE TABLE IF NOT EXISTS event_runtime_migrations (
            version     INTEGER PRIMARY KEY,
            description TEXT NOT NULL,
            applied_at  TEXT NOT NULL
        )",
    )
    .execute(pool)
    .await?;
    for migration in MIGRATIONS {
        let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
        let applied: Option<i64> =
            sqlx::query_scalar("SELECT version FROM event_runtime_migrations WHERE version = ?")
                .bind(migration.version)
                .fetch_optional(&mut *tx)
                .await?;
        if applied.is_some() {
            continue;
        }
        let failed = |source| Error::Migration {
            version: migration.version,
            description: migration.description,
            source,
        };
        sqlx::raw_sql(migration.sql).execute(&mut *tx).await.map_err(failed)?;
        sqlx::query(
            "INSERT INTO event_runtime_migrations (version, description, applied_at) VALUES (?, ?, ?)",
        )
        .bind(migration.version)
        .bind(migration.description)
        .bind(chrono::Utc::now().to_rfc3339())
        .execute(&mut *tx)
        .await
        .map_err(failed)?;
        tx.commit().await.map_err(failed)?;
    }
    Ok(())
}
