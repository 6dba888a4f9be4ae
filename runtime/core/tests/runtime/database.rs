//! Databases: both backends from a URL, migrated once however many processes start together.

use event_runtime::{Database, DatabaseOptions, Error, sqlx};

use crate::support::*;

on_both_backends!(
    pools_opened_at_once_migrate_the_database_once,
    a_database_whose_applied_migration_was_edited_is_refused_naming_it_and_the_fix,
    a_database_migrated_before_checksums_were_kept_gets_them_and_is_checked_from_then_on,
);

async fn pools_opened_at_once_migrate_the_database_once(backend: Backend) {
    let shared = TestDatabase::new(backend);

    let opened = futures_join_all((0..4).map(|_| {
        let location = shared.location.clone();
        async move { TestDatabase::open_location(&location).await }
    }))
    .await;

    let versions: Vec<i64> =
        sqlx::query_scalar("SELECT version FROM event_runtime_migrations ORDER BY version")
            .fetch_all(opened[0].pool())
            .await
            .unwrap();
    let expected: Vec<i64> = match backend {
        Backend::Sqlite => vec![1, 2],
        Backend::Postgres => vec![1],
    };
    assert_eq!(versions, expected, "each migration recorded once");
    assert_eq!(count(&opened[3], "event_outbox").await, 0);
}

/// The checksums recorded for the applied migrations, by version.
async fn checksums(database: &Database) -> Vec<(i64, Option<String>)> {
    sqlx::query_as("SELECT version, checksum FROM event_runtime_migrations ORDER BY version")
        .fetch_all(database.pool())
        .await
        .unwrap()
}

/// Records another SQL's checksum for migration 1: what the database sees when this build's
/// copy of a migration it applied was edited.
async fn edit_migration_1(database: &Database) {
    sqlx::query("UPDATE event_runtime_migrations SET checksum = $1 WHERE version = 1")
        .bind("0".repeat(64))
        .execute(database.pool())
        .await
        .unwrap();
}

async fn a_database_whose_applied_migration_was_edited_is_refused_naming_it_and_the_fix(backend: Backend) {
    let shared = TestDatabase::new(backend);
    let database = shared.open().await;
    let recorded = checksums(&database).await;
    assert!(
        recorded.iter().all(|(_, checksum)| checksum.as_ref().is_some_and(|c| c.len() == 64)),
        "every applied migration has its SHA-256: {recorded:?}"
    );
    TestDatabase::open_location(&shared.location).await; // unchanged: opens again

    edit_migration_1(&database).await;
    let error = TestDatabase::try_open_location(&shared.location).await.unwrap_err();

    assert!(matches!(error, Error::MigrationChanged { version: 1, .. }), "{error:?}");
    let message = error.to_string();
    assert!(message.contains("runtime migration 1 ("), "names the migration: {message}");
    assert!(message.contains(&"0".repeat(64)), "the recorded checksum: {message}");
    assert!(message.contains(recorded[0].1.as_deref().unwrap()), "this build's checksum: {message}");
    let list = match backend {
        Backend::Sqlite => "runtime/core/src/database/sqlite.rs",
        Backend::Postgres => "runtime/core/src/database/postgres.rs",
    };
    assert!(message.contains(&format!("restore its original SQL in {list}")), "how to fix it: {message}");
    assert!(message.contains("new migration (version"), "{message}");
}

async fn a_database_migrated_before_checksums_were_kept_gets_them_and_is_checked_from_then_on(
    backend: Backend,
) {
    let shared = TestDatabase::new(backend);
    let database = shared.open().await;
    let current = checksums(&database).await;
    sqlx::raw_sql("ALTER TABLE event_runtime_migrations DROP COLUMN checksum")
        .execute(database.pool())
        .await
        .unwrap();

    let reopened = TestDatabase::open_location(&shared.location).await;

    assert_eq!(checksums(&reopened).await, current, "this build's checksums recorded for the old rows");
    edit_migration_1(&reopened).await;
    let error = TestDatabase::try_open_location(&shared.location).await.unwrap_err();
    assert!(matches!(error, Error::MigrationChanged { version: 1, .. }), "{error:?}");
}

/// Awaits every future, concurrently.
async fn futures_join_all<F: std::future::Future + Send + 'static>(
    futures: impl IntoIterator<Item = F>,
) -> Vec<F::Output>
where
    F::Output: Send + 'static,
{
    let handles: Vec<_> = futures.into_iter().map(tokio::spawn).collect();
    let mut outputs = Vec::new();
    for handle in handles {
        outputs.push(handle.await.unwrap());
    }
    outputs
}

#[tokio::test]
async fn an_unsupported_database_url_is_an_error_naming_the_schemes() {
    let error = Database::connect("mysql://root:secret@localhost/platform").await.unwrap_err();

    assert!(matches!(error, Error::Configuration(_)), "{error}");
    let message = error.to_string();
    assert!(message.contains("postgres://") && message.contains("sqlite://"), "{message}");
    assert!(!message.contains("secret"), "the password is not echoed: {message}");
}

#[tokio::test]
async fn a_schema_is_a_postgresql_option_with_a_safe_name() {
    let options = DatabaseOptions { schema: Some("trading".into()), ..DatabaseOptions::default() };
    let error = Database::connect_with("sqlite::memory:", options).await.unwrap_err();
    assert!(error.to_string().contains("PostgreSQL option"), "{error}");

    let options =
        DatabaseOptions { schema: Some("x\"; DROP TABLE y; --".into()), ..DatabaseOptions::default() };
    let error =
        Database::connect_with("postgres://postgres@127.0.0.1:1/postgres", options).await.unwrap_err();
    assert!(error.to_string().contains("ASCII letters, digits or `_`"), "{error}");
}
