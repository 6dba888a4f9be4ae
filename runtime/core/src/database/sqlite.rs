//! What is SQLite's own: connection pragmas, the clock, the claim, the schema.
//!
//! SQLite has one writer at a time (`BEGIN IMMEDIATE` queues writers), so a claim is a plain
//! `UPDATE ... RETURNING`: no two claimants can both see a unit as free. The claim is a lease
//! (`claimed_until`), because the events are sent after the claiming statement commits; a
//! process that dies holding one loses it when the lease expires.

use super::Dialect;
use super::migrations::Migration;

/// Run on every new connection (see the tuning notes in `database/mod.rs`).
pub(crate) const CONNECTION_SETUP: &str = "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
     PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON;";

macro_rules! now_ms {
    () => {
        "CAST(unixepoch('subsec') * 1000 AS INTEGER)"
    };
}

pub(crate) static DIALECT: Dialect = Dialect {
    begin: "BEGIN IMMEDIATE",
    now_ms: now_ms!(),
    migration_lock: None,
    migrations: MIGRATIONS,
    migrations_file: "runtime/core/src/database/sqlite.rs",
    corrupt_units: Some(
        "SELECT unit, CAST(claimed_until AS TEXT), typeof(claimed_until), CAST(next_attempt_at AS TEXT), \
         typeof(next_attempt_at), CAST(attempts AS TEXT), typeof(attempts) FROM event_outbox_units \
         WHERE typeof(claimed_until) <> 'integer' OR typeof(next_attempt_at) <> 'integer' \
         OR typeof(attempts) <> 'integer' ORDER BY unit LIMIT 500",
    ),
    migrations_have_checksum: "SELECT COUNT(*) FROM pragma_table_info('event_runtime_migrations') WHERE name = 'checksum'",
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
               AND typeof(attempts) = 'integer' AND typeof(next_attempt_at) = 'integer'
               AND typeof(claimed_until) = 'integer'
             ORDER BY unit LIMIT $3)
         RETURNING unit, attempts"
    ),
};

/// Every migration, oldest first. Never edit a released one: append a new version.
const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        description: "create the event outbox",
        sql: "
        CREATE TABLE event_outbox (
            seq         INTEGER PRIMARY KEY,
            id          TEXT NOT NULL,
            source      TEXT NOT NULL,
            detail_type TEXT NOT NULL,
            time        TEXT NOT NULL,
            detail      TEXT NOT NULL
        );
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
    },
    Migration {
        version: 2,
        description: "units of work with leases and backoff, dead letters, quarantine, retention, inbox",
        // Rebuilds the two tables of version 1: `seq` becomes AUTOINCREMENT (a purge must not
        // let a number be reused), and events gain their unit of work. Rows pending under
        // version 1 become a unit each (their grouping was not recorded). Each event row
        // enqueues itself in `event_outbox_pending` (the trigger), and deleting a unit deletes
        // its pending rows (the cascade): a unit delivered whole is settled by one `DELETE`.
        sql: "
        DROP TRIGGER event_outbox_enqueue;
        CREATE TABLE event_outbox_v2 (
            seq         INTEGER PRIMARY KEY AUTOINCREMENT,
            id          TEXT NOT NULL,
            source      TEXT NOT NULL,
            detail_type TEXT NOT NULL,
            time        TEXT NOT NULL,
            detail      TEXT NOT NULL,
            created_ms  INTEGER NOT NULL,
            unit        INTEGER NOT NULL
        );
        INSERT INTO event_outbox_v2 (seq, id, source, detail_type, time, detail, created_ms, unit)
            SELECT seq, id, source, detail_type, time, detail, 0, seq FROM event_outbox;
        CREATE TABLE event_outbox_units (
            unit            INTEGER PRIMARY KEY AUTOINCREMENT,
            claimed_by      TEXT,
            claimed_until   INTEGER NOT NULL DEFAULT 0,
            next_attempt_at INTEGER NOT NULL DEFAULT 0,
            attempts        INTEGER NOT NULL DEFAULT 0,
            last_error      TEXT
        );
        INSERT INTO event_outbox_units (unit, attempts, last_error)
            SELECT seq, attempts, last_error FROM event_outbox_pending;
        CREATE TABLE event_outbox_pending_v2 (
            seq  INTEGER PRIMARY KEY REFERENCES event_outbox_v2 (seq),
            unit INTEGER NOT NULL REFERENCES event_outbox_units (unit) ON DELETE CASCADE
        );
        INSERT INTO event_outbox_pending_v2 (seq, unit) SELECT seq, seq FROM event_outbox_pending;
        DROP TABLE event_outbox_pending;
        DROP TABLE event_outbox;
        ALTER TABLE event_outbox_v2 RENAME TO event_outbox;
        ALTER TABLE event_outbox_pending_v2 RENAME TO event_outbox_pending;
        CREATE INDEX event_outbox_created ON event_outbox (created_ms);
        CREATE INDEX event_outbox_pending_unit ON event_outbox_pending (unit, seq);
        CREATE TRIGGER event_outbox_enqueue AFTER INSERT ON event_outbox
        BEGIN
            INSERT INTO event_outbox_pending (seq, unit) VALUES (new.seq, new.unit);
        END;
        CREATE TABLE event_outbox_dead (
            seq         INTEGER PRIMARY KEY,
            id          TEXT NOT NULL,
            source      TEXT NOT NULL,
            detail_type TEXT NOT NULL,
            time        TEXT NOT NULL,
            detail      TEXT NOT NULL,
            attempts    INTEGER NOT NULL,
            last_error  TEXT NOT NULL,
            died_ms     INTEGER NOT NULL
        );
        CREATE TABLE event_outbox_quarantine (
            seq            INTEGER PRIMARY KEY,
            unit           INTEGER NOT NULL,
            id             TEXT,
            source         TEXT,
            detail_type    TEXT,
            time           TEXT,
            detail         TEXT,
            reason         TEXT NOT NULL,
            quarantined_ms INTEGER NOT NULL
        );
        CREATE TABLE event_inbox (
            consumer     TEXT NOT NULL,
            event_id     TEXT NOT NULL,
            processed_ms INTEGER NOT NULL,
            PRIMARY KEY (consumer, event_id)
        );
        CREATE INDEX event_inbox_processed ON event_inbox (processed_ms);
    ",
    },
];
