//! Databases: both backends from a URL, migrated once however many processes start together.

use event_runtime::{Database, DatabaseOptions, Error, sqlx};

use crate::support::*;

on_both_backends!(pools_opened_at_once_migrate_the_database_once);

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
