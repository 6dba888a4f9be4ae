//! Specifications of the event runtime, run against real databases: every specification that
//! touches the database runs twice, on SQLite (in memory, or a file where a second process
//! must see the data) and on a PostgreSQL server (`EVENT_RUNTIME_POSTGRES_URL`).

mod support;

mod after_commit;
mod concurrency;
mod correlation;
mod crash_loop;
mod database;
mod inbox;
mod isolation;
mod local_bus;
mod manifests;
mod outbox;
mod quarantine;
mod relay;
mod retention;
mod routing;
mod rules;
