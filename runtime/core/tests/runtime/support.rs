//! Fixtures shared by the runtime's specifications: real databases of both backends, a
//! recording sink, and the macro that runs a specification on each backend.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use contracts_common::ContextFactory;
use contracts_common::fakes::rng_for;
use contracts_customers::OrganisationCreated;
use event_runtime::sqlx;
use event_runtime::{
    Backoff, BoxFuture, Database, DatabaseOptions, DeliveryReport, EventSink, FailedEntry, LocalBus,
    OutboundEvent, RelayOptions, RequestContext, Runtime, UnitOfWork,
};
use uuid::Uuid;

/// The environment variable naming the PostgreSQL server the specifications run against.
pub const POSTGRES_URL: &str = "EVENT_RUNTIME_POSTGRES_URL";

/// Runs each named `async fn name(backend: Backend)` as two tests, `sqlite::name` and
/// `postgres::name`: every specification holds on both backends.
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::support::Backend::Sqlite).await
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::support::Backend::Postgres).await
                }
            )*
        }
    };
}
pub(crate) use on_both_backends;

/// Which database a specification runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The PostgreSQL server's URL; fails the test, saying how to start one, when it is not set.
pub fn postgres_url() -> String {
    match std::env::var(POSTGRES_URL) {
        Ok(url) if !url.is_empty() => url,
        _ => panic!(
            "{POSTGRES_URL} is not set: the runtime's specifications run on PostgreSQL too. `cargo xtask ci` \
             starts a server; by hand (as an unprivileged user, e.g. `runuser -u postgres --`): \
             /usr/lib/postgresql/15/bin/initdb -D /tmp/pg -U postgres --auth=trust && \
             /usr/lib/postgresql/15/bin/pg_ctl -D /tmp/pg -o \"-h 127.0.0.1 -p 54329 -k /tmp\" -w start, then \
             export {POSTGRES_URL}=postgres://postgres@127.0.0.1:54329/postgres"
        ),
    }
}

/// A database of its own for one test, that other processes can open too: a SQLite file in
/// a temporary directory, or a fresh schema on the PostgreSQL server.
pub struct TestDatabase {
    /// Where it is: a `sqlite://` URL, or the PostgreSQL URL and `#schema`.
    pub location: String,
    _dir: Option<tempfile::TempDir>,
}

impl TestDatabase {
    pub fn new(backend: Backend) -> Self {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().unwrap();
                let location = format!("sqlite://{}?mode=rwc", dir.path().join("platform.db").display());
                Self { location, _dir: Some(dir) }
            }
            Backend::Postgres => {
                let schema = format!("test_{}", Uuid::new_v4().simple());
                Self { location: format!("{}#{schema}", postgres_url()), _dir: None }
            }
        }
    }

    /// Opens the database at `location` (from this process or another).
    pub async fn open_location(location: &str) -> Database {
        Self::try_open_location(location).await.unwrap()
    }

    /// Opens the database at `location`, or says why it cannot.
    pub async fn try_open_location(location: &str) -> Result<Database, event_runtime::Error> {
        match location.split_once('#') {
            Some((url, schema)) => {
                let options =
                    DatabaseOptions { schema: Some(schema.to_owned()), ..DatabaseOptions::default() };
                Database::connect_with(url, options).await
            }
            None => Database::connect(location).await,
        }
    }

    /// A new pool on the database, with the application's tables.
    pub async fn open(&self) -> Database {
        let database = Self::open_location(&self.location).await;
        create_tables(&database).await;
        database
    }
}

/// A fresh database of `backend` for one test: SQLite in memory, or a fresh PostgreSQL schema.
pub async fn database(backend: Backend) -> Database {
    let database = match backend {
        Backend::Sqlite => Database::in_memory().await.unwrap(),
        Backend::Postgres => {
            TestDatabase::open_location(&TestDatabase::new(Backend::Postgres).location).await
        }
    };
    create_tables(&database).await;
    database
}

/// Relay options for tests: no backoff (a relay pass retries at once), short lease.
pub fn test_options() -> RelayOptions {
    RelayOptions {
        lease: Duration::from_secs(2),
        backoff: Backoff::none(),
        sweep_interval: Duration::from_millis(20),
        ..RelayOptions::default()
    }
}

/// A runtime on a fresh database of `backend`, with the application's tables.
pub async fn runtime(backend: Backend, sink: Arc<dyn EventSink>) -> Runtime {
    Runtime::start_with(database(backend).await, sink, test_options()).await.unwrap()
}

/// A runtime running `bus`'s handlers on a fresh database of `backend`.
pub async fn local_runtime(backend: Backend, bus: LocalBus) -> Runtime {
    Runtime::start_local(database(backend).await, bus, test_options()).await.unwrap()
}

/// A sink that records what it is sent and can be told to fail some detail-types.
#[derive(Default)]
pub struct RecordingSink {
    sent: Mutex<Vec<OutboundEvent>>,
    failing: Mutex<HashSet<String>>,
}

impl RecordingSink {
    pub fn new() -> Arc<Self> {
        Arc::default()
    }

    /// The envelope ids delivered so far, in order.
    pub fn ids(&self) -> Vec<Uuid> {
        self.sent.lock().unwrap().iter().map(OutboundEvent::id).collect()
    }

    /// The events delivered so far, in order.
    pub fn events(&self) -> Vec<OutboundEvent> {
        self.sent.lock().unwrap().clone()
    }

    /// Reports every event of `detail_type` as failed until told otherwise.
    pub fn fail(&self, detail_type: &str) {
        self.failing.lock().unwrap().insert(detail_type.to_owned());
    }

    pub fn recover(&self) {
        self.failing.lock().unwrap().clear();
    }
}

impl EventSink for RecordingSink {
    fn send<'a>(&'a self, events: &'a [OutboundEvent]) -> BoxFuture<'a, DeliveryReport> {
        let failing = self.failing.lock().unwrap().clone();
        let mut report = DeliveryReport::default();
        for event in events {
            if failing.contains(event.detail_type()) {
                report.failed.push(FailedEntry { event_id: event.id(), error: "ThrottlingException".into() });
            } else {
                self.sent.lock().unwrap().push(event.clone());
            }
        }
        Box::pin(async move { report })
    }
}

/// The application's own tables, as a service would create them (SQL both backends take).
pub async fn create_tables(database: &Database) {
    sqlx::raw_sql(
        "CREATE TABLE IF NOT EXISTS organisations (id TEXT PRIMARY KEY, legal_name TEXT NOT NULL);
         CREATE TABLE IF NOT EXISTS ledgers (organisation_id TEXT NOT NULL, entry TEXT NOT NULL);",
    )
    .execute(database.pool())
    .await
    .unwrap();
}

/// A request by a fresh user of a fresh organisation.
pub fn request(runtime: &Runtime) -> RequestContext {
    runtime.context(ContextFactory.for_request(Uuid::new_v4(), Uuid::new_v4(), None))
}

/// The `n`th distinct `OrganisationCreated`, published in the context of `ctx`.
pub fn organisation_created(ctx: &RequestContext, n: u64) -> OrganisationCreated {
    let mut event =
        contracts_customers::factories::organisation_created(&mut rng_for("runtime-tests", &n.to_string()));
    event.metadata = ctx.metadata();
    event
}

/// Inserts the event's organisation in the unit of work.
pub async fn insert_organisation(uow: &mut UnitOfWork<'_>, event: &OrganisationCreated) {
    sqlx::query("INSERT INTO organisations (id, legal_name) VALUES ($1, $2)")
        .bind(event.organisation.id.to_string())
        .bind(event.organisation.legal_name.clone())
        .execute(uow.conn())
        .await
        .unwrap();
}

/// Rows of `table`.
pub async fn count(database: &Database, table: &str) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}")))
        .fetch_one(database.pool())
        .await
        .unwrap()
}

/// Outbox rows not yet delivered.
pub async fn pending(database: &Database) -> i64 {
    count(database, "event_outbox_pending").await
}

/// A small deterministic random number generator (xorshift64*) for the fault tests: a fixed
/// seed gives the same kill times and failures on every run.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed.max(1))
    }

    /// A number in `0..bound`.
    pub fn below(&mut self, bound: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) % bound.max(1)
    }
}

/// The application-table DDL for an auto-numbered column, which the backends spell
/// differently.
pub fn serial(database: &Database) -> &'static str {
    match database.backend() {
        event_runtime::Backend::Sqlite => "INTEGER PRIMARY KEY AUTOINCREMENT",
        event_runtime::Backend::Postgres => "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
    }
}
