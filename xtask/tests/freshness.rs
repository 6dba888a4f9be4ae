//! Plain `cargo test` fails when a generated file is stale, missing or orphaned, as
//! `cargo xtask schemas --check` does.

use xtask::{events, freshness, generate, workspace};

#[test]
fn generated_files_are_fresh() {
    let set = generate(&events::all(&workspace::root()).unwrap().0).unwrap_or_else(|error| panic!("{error}"));
    let drifts = freshness::compare(&workspace::root(), &set).expect("the workspace is readable");
    assert!(drifts.is_empty(), "\n{}", freshness::report(&drifts, 0));
}
