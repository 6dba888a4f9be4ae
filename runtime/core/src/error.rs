//! The runtime's errors and failure reports: a leaf module, so every other module can name
//! them without depending on the sink, the handlers or the runtime.

use std::fmt;

use uuid::Uuid;

/// Whatever went wrong in a handler; any error type converts into it with `?`.
pub type HandlerError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// What a handler returns.
pub type HandlerResult = Result<(), HandlerError>;

/// An error of the database, the unit of work or publishing.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The database failed.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// A runtime migration failed; the database is left at the previous version.
    #[error("runtime migration {version} ({description}) failed: {source}")]
    Migration {
        /// The migration's version.
        version: i64,
        /// What the migration does.
        description: &'static str,
        /// The database error.
        #[source]
        source: sqlx::Error,
    },
    /// A runtime migration the database applied has been edited since: this build's SQL for
    /// that version differs from what the database ran.
    #[error(
        "runtime migration {version} ({description}) was edited after it was applied: the database \
         recorded checksum {recorded}, this build's SQL has {current}. A released migration must never \
         change: restore its original SQL in {list}, and put the change in a new migration \
         (version {next}) appended to that list"
    )]
    MigrationChanged {
        /// The migration's version.
        version: i64,
        /// What the migration does.
        description: &'static str,
        /// The source file holding the backend's list of migrations.
        list: &'static str,
        /// The SHA-256 of the SQL the database ran (hex).
        recorded: String,
        /// The SHA-256 of this build's SQL for that version (hex).
        current: String,
        /// The version a new migration would take.
        next: i64,
    },
    /// `publish_after_commit` was called with no unit of work open on the request context.
    #[error(
        "cannot publish {detail_type} after commit: no unit of work is open on this request context \
         (begin one with RequestContext::begin, or publish immediately)"
    )]
    NoUnitOfWork {
        /// The detail-type of the event that was not queued.
        detail_type: &'static str,
    },
    /// `RequestContext::begin` was called while a unit of work is open on the same context.
    #[error(
        "a unit of work is already open on this request context; open a nested scope with \
         UnitOfWork::nested instead"
    )]
    AlreadyInUnitOfWork,
    /// An event could not be serialised to JSON.
    #[error("cannot serialise {detail_type}: {source}")]
    Serialize {
        /// The event's detail-type.
        detail_type: String,
        /// The serde error.
        #[source]
        source: serde_json::Error,
    },
    /// The sink did not accept some events of an immediate publish.
    #[error("the sink rejected {} event(s): {}", failed.len(), describe_failed(failed))]
    Rejected {
        /// The entries that failed.
        failed: Vec<FailedEntry>,
    },
    /// The database URL or options are not usable.
    #[error("database configuration: {0}")]
    Configuration(String),
    /// [`UnitOfWork::first_delivery`](crate::UnitOfWork::first_delivery) was called outside a
    /// handler's context, where there is no event to record.
    #[error(
        "first_delivery needs a handler's context (the event and the handler to record in the inbox); \
         elsewhere use UnitOfWork::record_processed with an explicit consumer and event id"
    )]
    NotInHandler,
}

fn describe_failed(failed: &[FailedEntry]) -> String {
    failed.iter().map(|entry| format!("{} ({})", entry.event_id, entry.error)).collect::<Vec<_>>().join(", ")
}

/// A handler that failed (returned an error, panicked, or could not read the event's detail).
///
/// Reported, never fatal: the other handlers of the event still run and the publisher's
/// commit stands.
#[derive(Debug)]
pub struct HandlerFailure {
    /// The handler's key, e.g. `InventoryOrganisationCreated`.
    pub key: String,
    /// The envelope id of the event it was handling.
    pub event_id: Uuid,
    /// What went wrong.
    pub error: HandlerError,
}

impl fmt::Display for HandlerFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "handler {} failed on event {}: {}", self.key, self.event_id, self.error)
    }
}

/// An entry a sink could not deliver.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailedEntry {
    /// The envelope id of the event.
    pub event_id: Uuid,
    /// Why (for EventBridge: the entry's error code and message).
    pub error: String,
}
