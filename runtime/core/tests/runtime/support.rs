//! Fixtures shared by the runtime's specifications.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use contracts_common::ContextFactory;
use contracts_common::fakes::rng_for;
use contracts_customers::OrganisationCreated;
use event_runtime::sqlx;
use event_runtime::{
    BoxFuture, Database, DeliveryReport, EventSink, FailedEntry, OutboundEvent, RequestContext, Runtime,
    UnitOfWork,
};
use uuid::Uuid;

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
    fn send<'a>(
        &'a self,
        events: &'a [OutboundEvent],
        _runtime: &'a Runtime,
    ) -> BoxFuture<'a, DeliveryReport> {
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

/// A runtime on a fresh in-memory database, with the `organisations` table.
pub async fn memory_runtime(sink: Arc<dyn EventSink>) -> Runtime {
    let database = Database::in_memory().await.unwrap();
    create_tables(&database).await;
    Runtime::start(database, sink).await.unwrap()
}

/// The application's own tables, as a service would create them.
pub async fn create_tables(database: &Database) {
    sqlx::raw_sql(
        "CREATE TABLE IF NOT EXISTS organisations (id TEXT PRIMARY KEY, legal_name TEXT NOT NULL);
         CREATE TABLE IF NOT EXISTS inbox (event_id TEXT PRIMARY KEY, detail_type TEXT NOT NULL);",
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
    sqlx::query("INSERT INTO organisations (id, legal_name) VALUES (?, ?)")
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
    sqlx::query_scalar("SELECT COUNT(*) FROM event_outbox_pending").fetch_one(database.pool()).await.unwrap()
}
