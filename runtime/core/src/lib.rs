//! The event runtime: how service code publishes the contracts' typed events, and how
//! handlers receive them.
//!
//! - [`Publisher`] is the one publishing API: `publish`/`publish_batch` send now,
//!   `publish_after_commit`/`publish_batch_after_commit` queue on the current
//!   [`UnitOfWork`]. [`RequestContext`] implements it: a request's
//!   [`contracts_common::Context`] bound to a [`Runtime`], so the context carries the publisher.
//! - [`UnitOfWork`] is a transaction on PostgreSQL or SQLite ([`Database`]; a savepoint when
//!   nested) with Django `on_commit` semantics: after-commit events are written to the outbox
//!   in the same transaction, dropped on rollback, and relayed in order after the outermost
//!   commit ([`outbox`]); [`Runtime::spawn_relay`] retries what failed, with backoff, and parks
//!   what keeps failing as dead; [`UnitOfWork::first_delivery`] (the inbox) makes a handler's
//!   effects exactly-once.
//! - [`EventSink`] is where events go: [`LocalBus`] runs handlers in-process; an EventBridge
//!   adapter implements the same trait in another crate. The outbox relay uses it too.
//! - [`Manifest`] wires typed handlers under keys that cannot collide; [`Router`] is the
//!   EventBridge-style (Lambda) entry point; [`RulePattern`] is the matching EventBridge rule.
//!
//! See `runtime/README.md` for the semantics in prose and `examples/local_platform.rs` for a
//! runnable tour.

mod backoff;
mod context;
pub mod database;
mod error;
mod handler;
mod inbox;
mod keys;
mod local;
mod manifest;
mod options;
mod outbound;
pub mod outbox;
mod publisher;
mod routing;
mod rules;
mod runtime;
mod sink;
mod text;
mod unit_of_work;
mod worker;

pub use backoff::{Backoff, Jitter, SeededRandom};
pub use context::{Delivery, RequestContext};
pub use database::{Backend, Database, DatabaseOptions};
pub use error::{Error, FailedEntry, HandlerError, HandlerFailure, HandlerResult};
pub use handler::Handler;
pub use keys::{MAX_KEY_LENGTH, MAX_LOGICAL_ID_LENGTH, MAX_MODULE_LENGTH, MAX_PREFIX_LENGTH, key_form};
pub use local::LocalBus;
pub use manifest::{
    Consumer, HandlerEntry, KeyProblem, Manifest, ManifestBuilder, ManifestError, UnhandledReads,
};
pub use options::RelayOptions;
pub use outbound::{DetailError, OutboundEvent};
pub use outbox::{DeadEvent, OutboxStats, PurgeReport, QuarantinedRow, RelayReport};
pub use publisher::{PublishReport, Publisher};
pub use routing::{RouteError, RouteOutcome, Router};
pub use rules::RulePattern;
pub use runtime::{Runtime, RuntimeHandle};
pub use sink::{DeliveryReport, EventSink};
pub use text::{MESSAGE_LIMIT, QUOTE_LIMIT, bounded};
pub use unit_of_work::{CommitReport, UnitOfWork};
pub use worker::{RelayWorker, RelayWorkerReport};

/// The `sqlx` this crate is built on, so applications run their queries on a
/// [`UnitOfWork`] with the same version.
pub use sqlx;

/// A boxed, sendable future: what dyn-compatible async traits ([`EventSink`], [`Handler`])
/// return.
pub type BoxFuture<'a, T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send + 'a>>;
