//! What the benchmarks share: the databases of both backends, sinks, and a tokio runtime.

#![allow(dead_code)] // each bench target uses part of this

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use contracts_common::{ContextFactory, EventEnvelope};
use contracts_customers::OrganisationCreated;
use event_runtime::sqlx;
use event_runtime::{
    Backend, BoxFuture, Database, DatabaseOptions, DeliveryReport, EventSink, HandlerResult, LocalBus,
    Manifest, OutboundEvent, RequestContext, Runtime,
};
use uuid::Uuid;

/// The PostgreSQL server the benchmarks run on, if any.
pub const POSTGRES_URL: &str = "EVENT_RUNTIME_POSTGRES_URL";

/// The backends to measure: SQLite always, PostgreSQL when `EVENT_RUNTIME_POSTGRES_URL` is set.
pub fn backends() -> Vec<Backend> {
    match std::env::var(POSTGRES_URL) {
        Ok(url) if !url.is_empty() => vec![Backend::Sqlite, Backend::Postgres],
        _ => {
            eprintln!("{POSTGRES_URL} is not set: measuring SQLite only");
            vec![Backend::Sqlite]
        }
    }
}

pub fn name(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    }
}

/// A fresh production-configured database: a SQLite file in `dir`, or a new PostgreSQL schema.
pub async fn database(backend: Backend, dir: &std::path::Path) -> Database {
    match backend {
        Backend::Sqlite => {
            Database::open(dir.join(format!("bench-{}.db", Uuid::new_v4().simple()))).await.expect("sqlite")
        }
        Backend::Postgres => {
            let url = std::env::var(POSTGRES_URL).expect("checked by backends()");
            let schema = format!("bench_{}", Uuid::new_v4().simple());
            let options = DatabaseOptions { schema: Some(schema), ..DatabaseOptions::default() };
            Database::connect_with(&url, options).await.expect("postgres")
        }
    }
}

/// Drops a PostgreSQL benchmark schema (a SQLite file goes with its directory).
pub async fn drop_database(database: &Database) {
    if database.backend() == Backend::Postgres {
        let schema: String = sqlx::query_scalar("SELECT current_schema()::TEXT")
            .fetch_one(database.pool())
            .await
            .expect("schema");
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!("DROP SCHEMA \"{schema}\" CASCADE")))
            .execute(database.pool())
            .await
            .expect("drop schema");
    }
    database.close().await;
}

pub fn tokio() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("tokio runtime")
}

pub fn request(runtime: &Runtime) -> RequestContext {
    runtime.context(ContextFactory.for_request(Uuid::new_v4(), Uuid::new_v4(), None))
}

/// A bus with one handler of `OrganisationCreated` that counts what it receives.
pub fn counting_bus(received: &Arc<AtomicU64>) -> LocalBus {
    let received = received.clone();
    let manifest = Manifest::builder("inventory", "inventory")
        .add("Inventory", move |event: Arc<EventEnvelope<OrganisationCreated>>, _: RequestContext| {
            received.fetch_add(1, Ordering::Relaxed);
            std::hint::black_box(&event.detail.organisation.id);
            async { HandlerResult::Ok(()) }
        })
        .build()
        .expect("valid manifest");
    LocalBus::new([manifest]).expect("no duplicate keys")
}

/// A sink that accepts everything, or fails everything while `down`.
#[derive(Default)]
pub struct SwitchSink {
    pub down: AtomicBool,
    pub accepted: AtomicU64,
}

impl SwitchSink {
    pub fn set_down(&self, down: bool) {
        self.down.store(down, Ordering::SeqCst);
    }
}

impl EventSink for SwitchSink {
    fn send<'a>(&'a self, events: &'a [OutboundEvent]) -> BoxFuture<'a, DeliveryReport> {
        let report = if self.down.load(Ordering::SeqCst) {
            DeliveryReport::all_failed(events, "ServiceUnavailable")
        } else {
            self.accepted.fetch_add(events.len() as u64, Ordering::Relaxed);
            DeliveryReport::default()
        };
        Box::pin(async move { report })
    }
}
