//! Specifications of the event runtime, run against real SQLite (in memory, or a file where
//! a test needs a second process to see the data).

mod after_commit;
mod local_bus;
mod manifests;
mod outbox;
mod routing;
mod rules;
mod support;
