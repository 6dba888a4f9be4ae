//! What is PostgreSQL's own: the clock, the claim, the schema.
//!
//! Several processes relay one PostgreSQL database. A claim selects due units `FOR UPDATE SKIP
//! LOCKED`, so concurrent claimants never wait for each other and never take the same unit,
//! and the outer `UPDATE` checks the lease again on the row it locked (a unit another claimant
//! took between this statement's snapshot and its lock is skipped). The claim is a lease
//! (`claimed_until`), because the events are sent after the claiming statement commits.

use super::Dialect;
use super::migrations::Migration;

macro_rules! now_ms {
    () => {
        "(EXTRACT(EPOCH FROM statement_timestamp()) * 1000)::BIGINT"
    };
}

pub(crate) static DIALECT: Dialect = Dialect {
    begin: "BEGIN",
    now_ms: now_ms!(),
    // One key for every schema: migrations are short, and concurrent `CREATE ... IF NOT EXISTS`
    // statements can otherwise fail on PostgreSQL's catalog.
    migration_lock: Some("SELECT 1 AS locked FROM pg_advisory_xact_lock(7031948211)"),
    migrations: MIGRATIONS,
    migrations_file: "runtime/core/src/database/postgres.rs",
    corrupt_units: None,
    migrations_have_checksum: "SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = current_schema() \
         AND table_name = 'event_runtime_migrations' AND column_name = 'checksum'",
    claim_units: concat!(
        "UPDATE event_outbox_units SET claimed_by = $1, claimed_until = ",
        now_ms!(),
        " + $2
         WHERE unit IN (
             SELECT unit FROM event_outbox_units
             WHERE claimed_until <= ",
        now_ms!(),
        " AND next_attempt_at <= ",
        now_ms!(),
        " AND unit <= $4 AND (claimed_by IS NULL OR claimed_by <> $1)
             ORDER BY unit LIMIT $3
             FOR UPDATE SKIP LOCKED)
           AND claimed_until <= ",
        now_ms!(),
        " AND next_attempt_at <= ",
        now_ms!(),
        "
         RETURNING unit, attempts"
    ),
};

/// Every migration, oldest first. Never edit a released one: append a new version.
const MIGRATIONS: &[Migration] = &[Migration {
    version: 1,
    description: "create the event outbox: units with leases and backoff, dead letters, quarantine, inbox",
    sql: "
        -- Every after-commit event, append-only until retention purges it. The detail is text,
        -- not jsonb, so it is handed on byte for byte.
        CREATE TABLE event_outbox (
            seq         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            id          TEXT NOT NULL,
            source      TEXT NOT NULL,
            detail_type TEXT NOT NULL,
            time        TEXT NOT NULL,
            detail      TEXT NOT NULL,
            created_ms  BIGINT NOT NULL,
            unit        BIGINT NOT NULL
        );
        CREATE INDEX event_outbox_created ON event_outbox (created_ms);
        -- One row per unit of work with undelivered events: the claim, the backoff and the
        -- attempts of its first undelivered event.
        CREATE TABLE event_outbox_units (
            unit            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            claimed_by      TEXT,
            claimed_until   BIGINT NOT NULL DEFAULT 0,
            next_attempt_at BIGINT NOT NULL DEFAULT 0,
            attempts        BIGINT NOT NULL DEFAULT 0,
            last_error      TEXT
        );
        -- What is not yet delivered. Each event row enqueues itself (one statement-level trigger
        -- per insert), and deleting a unit deletes its pending rows (the cascade): a unit
        -- delivered whole is settled by one DELETE.
        CREATE TABLE event_outbox_pending (
            seq  BIGINT PRIMARY KEY REFERENCES event_outbox (seq),
            unit BIGINT NOT NULL REFERENCES event_outbox_units (unit) ON DELETE CASCADE
        );
        CREATE INDEX event_outbox_pending_unit ON event_outbox_pending (unit, seq);
        CREATE FUNCTION event_outbox_enqueue() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO event_outbox_pending (seq, unit) SELECT seq, unit FROM inserted;
            RETURN NULL;
        END
        $$;
        CREATE TRIGGER event_outbox_enqueue AFTER INSERT ON event_outbox
            REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION event_outbox_enqueue();
        CREATE TABLE event_outbox_dead (
            seq         BIGINT PRIMARY KEY,
            id          TEXT NOT NULL,
            source      TEXT NOT NULL,
            detail_type TEXT NOT NULL,
            time        TEXT NOT NULL,
            detail      TEXT NOT NULL,
            attempts    BIGINT NOT NULL,
            last_error  TEXT NOT NULL,
            died_ms     BIGINT NOT NULL
        );
        CREATE TABLE event_outbox_quarantine (
            seq            BIGINT PRIMARY KEY,
            unit           BIGINT NOT NULL,
            id             TEXT,
            source         TEXT,
            detail_type    TEXT,
            time           TEXT,
            detail         TEXT,
            reason         TEXT NOT NULL,
            quarantined_ms BIGINT NOT NULL
        );
        CREATE TABLE event_inbox (
            consumer     TEXT NOT NULL,
            event_id     TEXT NOT NULL,
            processed_ms BIGINT NOT NULL,
            PRIMARY KEY (consumer, event_id)
        );
        CREATE INDEX event_inbox_processed ON event_inbox (processed_ms);
    ",
}];
