//! A contract crate the generator does not link is an error naming the line that links it;
//! the crates it does link are not.

// Links every contract crate, so the registry sees every event.
use contracts_all as _;
use std::fs;

use xtask::events::{self, registered};
use xtask::workspace;

#[test]
fn every_contract_crate_of_this_workspace_is_linked() {
    let errors = registered::unlinked_crates(&workspace::root());
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn an_unlinked_contract_crate_is_named_with_the_line_to_add() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("contracts/partners");
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join("Cargo.toml"), "[package]\nname = \"contracts-partners\"\nversion = \"0.1.0\"\n")
        .unwrap();
    let errors = events::all(root.path()).unwrap_err();
    let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(
        messages,
        [
            "contracts/partners: the contract crate `contracts-partners` is not linked into the generator, so none of \
             its events is; add `contracts-partners = { path = \"../partners\", features = [\"samples\"] }` to \
             [dependencies] in contracts/all/Cargo.toml"
        ]
    );
}
