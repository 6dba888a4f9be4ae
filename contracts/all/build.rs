//! Links every `contracts-*` dependency of this crate, so adding a contract crate is one line
//! in `Cargo.toml`: a dependency that no code names is not linked, and its events would
//! silently be missing from the registry.

use std::fmt::Write as _;
use std::{env, fs, path::Path};

fn main() {
    println!("cargo:rerun-if-changed=Cargo.toml");
    let manifest = fs::read_to_string("Cargo.toml").expect("contracts-all has a Cargo.toml");
    let crates: Vec<&str> = dependencies(&manifest)
        .filter(|name| name.starts_with("contracts-") && *name != "contracts-common")
        .collect();
    let mut links = String::new();
    for name in &crates {
        let _ = writeln!(links, "extern crate {};", name.replace('-', "_"));
    }
    let _ = writeln!(
        links,
        "/// The package names of the contract crates linked here (`contracts-common` aside).\n\
         pub const LINKED_CRATES: &[&str] = &{crates:?};\n\
         contracts_common::__private::inventory::submit! {{\n    \
         contracts_common::registry::LinkedCrates(LINKED_CRATES)\n}}"
    );
    let out = env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    fs::write(Path::new(&out).join("links.rs"), links).expect("OUT_DIR is writable");
}

/// The keys of the `[dependencies]` table (one `name = ...` per line, as this manifest is kept).
fn dependencies(manifest: &str) -> impl Iterator<Item = &str> {
    manifest
        .lines()
        .skip_while(|line| line.trim() != "[dependencies]")
        .skip(1)
        .take_while(|line| !line.trim_start().starts_with('['))
        .filter_map(|line| line.split_once('=').map(|(key, _)| key.trim()))
        .filter(|key| !key.is_empty() && !key.starts_with('#'))
}
