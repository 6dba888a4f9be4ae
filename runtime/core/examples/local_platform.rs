//! A local platform in one process: the customers module creates an organisation and
//! publishes `OrganisationCreated` after its commit; the inventory module's handler receives
//! it in-process and opens a stock ledger exactly once (the inbox). Then a rolled-back
//! transaction publishes nothing. A relay worker runs in the background throughout.
//!
//! ```sh
//! cargo run -p event-runtime --example local_platform                  # SQLite, no setup
//! cargo run -p event-runtime --example local_platform -- \
//!     --database-url postgres://postgres@127.0.0.1:5432/postgres      # PostgreSQL
//! ```
//!
//! On SQLite the tour uses a file in a temporary directory; on PostgreSQL a schema of its own.
//! Both are removed at the end.

use std::sync::Arc;

use contracts_common::fakes::rng_for;
use contracts_common::{ContextFactory, EventEnvelope};
use contracts_customers::OrganisationCreated;
use event_runtime::{
    Database, DatabaseOptions, HandlerResult, LocalBus, Manifest, Publisher, RelayOptions, RequestContext,
    Runtime, UnitOfWork, sqlx,
};
use uuid::Uuid;

/// The inventory module's handler: opens a stock ledger for every new organisation, once
/// even if the event is delivered again.
async fn open_stock_ledger(
    event: Arc<EventEnvelope<OrganisationCreated>>,
    ctx: RequestContext,
) -> HandlerResult {
    let organisation = &event.detail.organisation;
    println!(
        "  [inventory] InventoryOrganisationCreated received event {} for {:?} (correlation {})",
        event.id, organisation.legal_name, ctx.correlation_id
    );
    let mut uow = ctx.begin().await?;
    if !uow.first_delivery().await? {
        println!("  [inventory] already processed: skipped");
        return Ok(());
    }
    sqlx::query("INSERT INTO stock_ledgers (organisation_id) VALUES ($1)")
        .bind(organisation.id.to_string())
        .execute(uow.conn())
        .await?;
    uow.commit().await?;
    println!("  [inventory] opened a stock ledger for {} (recorded in the inbox)", organisation.id);
    Ok(())
}

/// The customers module's service: store the organisation and queue its event.
async fn create_organisation(
    ctx: &RequestContext,
    seed: &str,
    commit: bool,
) -> Result<(), event_runtime::Error> {
    let mut event =
        contracts_customers::factories::organisation_created(&mut rng_for("local_platform", seed));
    event.metadata = ctx.metadata();
    let mut uow: UnitOfWork<'static> = ctx.begin().await?;
    sqlx::query("INSERT INTO organisations (id, legal_name) VALUES ($1, $2)")
        .bind(event.organisation.id.to_string())
        .bind(event.organisation.legal_name.clone())
        .execute(uow.conn())
        .await?;
    println!("  [customers] inserted organisation {:?} (not committed yet)", event.organisation.legal_name);
    let id = ctx.publish_after_commit(event)?;
    println!("  [customers] queued OrganisationCreated {id} after commit; nothing is published yet");
    if commit {
        println!("  [customers] committing...");
        let report = uow.commit().await?;
        let relay = report.relay.unwrap_or_default();
        println!(
            "  [customers] committed; relayed {} event(s), {} handler failure(s)",
            relay.delivered.len(),
            relay.handler_failures.len()
        );
    } else {
        println!("  [customers] something went wrong: rolling back");
        uow.rollback().await?;
    }
    Ok(())
}

async fn count(database: &Database, table: &str) -> Result<i64, event_runtime::Error> {
    Ok(sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}")))
        .fetch_one(database.pool())
        .await?)
}

/// Where the tour's database is, and how to remove it at the end.
enum Place {
    File(std::path::PathBuf),
    Schema(String),
}

/// `--database-url URL` runs on that database (PostgreSQL, in a schema of its own); without it,
/// a SQLite file in a temporary directory.
async fn open_database() -> Result<(Database, Place), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let url = match (args.next().as_deref(), args.next()) {
        (Some("--database-url"), Some(url)) => Some(url),
        (None, _) => None,
        _ => return Err("usage: local_platform [--database-url postgres://user@host:port/database]".into()),
    };
    let Some(url) = url else {
        let dir = std::env::temp_dir().join(format!("local-platform-{}", Uuid::new_v4()));
        std::fs::create_dir_all(&dir)?;
        let path = dir.join("platform.db");
        println!("SQLite database: {}", path.display());
        return Ok((Database::open(&path).await?, Place::File(dir)));
    };
    let schema = format!("local_platform_{}", Uuid::new_v4().simple());
    let options = DatabaseOptions { schema: Some(schema.clone()), ..DatabaseOptions::default() };
    let database = Database::connect_with(&url, options).await?;
    println!("PostgreSQL database, schema {schema}");
    Ok((database, Place::Schema(schema)))
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (database, place) = open_database().await?;
    sqlx::raw_sql(
        "CREATE TABLE organisations (id TEXT PRIMARY KEY, legal_name TEXT NOT NULL);
         CREATE TABLE stock_ledgers (organisation_id TEXT PRIMARY KEY);",
    )
    .execute(database.pool())
    .await?;

    let inventory = Manifest::builder("inventory", "inventory")
        .add::<OrganisationCreated>("Inventory", open_stock_ledger)
        .build()?;
    println!("inventory manifest keys: {:?}", inventory.keys());
    println!(
        "its EventBridge rule pattern: {}",
        inventory.rule_pattern().map(|p| p.to_json()).unwrap_or_default()
    );
    let bus = LocalBus::new([inventory])?;
    let runtime = Runtime::start_local(database.clone(), bus, RelayOptions::default()).await?;
    let relay = runtime.spawn_relay();

    let ctx = runtime.context(ContextFactory.for_request(Uuid::new_v4(), Uuid::new_v4(), None));
    println!("\n1. Create an organisation and commit:");
    create_organisation(&ctx, "committed", true).await?;
    println!(
        "   => organisations: {}, stock ledgers: {}",
        count(&database, "organisations").await?,
        count(&database, "stock_ledgers").await?
    );

    println!("\n2. Create an organisation and roll back:");
    create_organisation(&ctx, "rolled-back", false).await?;
    println!(
        "   => organisations: {}, stock ledgers: {}, outbox rows: {}: the rolled-back event reached neither the \
         outbox nor a handler",
        count(&database, "organisations").await?,
        count(&database, "stock_ledgers").await?,
        count(&database, "event_outbox").await?
    );

    let worker = relay.shutdown().await;
    let stats = runtime.outbox_stats().await?;
    println!(
        "\nrelay worker stopped after {} pass(es); outbox: {} pending, {} dead, {} delivered by this process",
        worker.passes, stats.pending, stats.dead, stats.delivered
    );
    match place {
        Place::File(dir) => {
            database.close().await;
            std::fs::remove_dir_all(&dir)?;
        }
        Place::Schema(schema) => {
            sqlx::raw_sql(sqlx::AssertSqlSafe(format!("DROP SCHEMA \"{schema}\" CASCADE")))
                .execute(database.pool())
                .await?;
            database.close().await;
        }
    }
    Ok(())
}
