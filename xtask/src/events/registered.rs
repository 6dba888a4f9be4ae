//! Registered events: Rust types in the contract crates, found through the registry of every
//! crate `contracts-all` links. This library does not depend on `contracts-all`: the binary
//! (`xtask/cli`) and the tests link it, so touching a contract never recompiles the library.

use std::path::Path;

use contracts_common::registry::Registration;
use schema_emit::Diagnostic;

use super::input::{EventInput, EventKind};
use crate::workspace::{CONTRACTS_ALL_DIR, CONTRACTS_DIR};

/// Every registered event, with its schema and samples.
pub fn all() -> Vec<EventInput> {
    contracts_common::registry::all().into_iter().map(input).collect()
}

/// The generator's input for one registration.
pub fn input(event: &Registration) -> EventInput {
    let mut schema = (event.schema)();
    super::producer::skipped_fields_not_null(&mut schema);
    super::generics::name_instantiations(&mut schema);
    EventInput {
        source: event.source.to_owned(),
        detail_type: event.detail_type.to_owned(),
        defined_in: event.defined_in.to_owned(),
        schema,
        samples: samples_of(event),
        kind: EventKind::Registered {
            owning_crate: event.owning_crate.to_owned(),
            round_trip: event.round_trip,
        },
    }
}

/// Every sample of `event`, or why there is none: a factory that panics is one more problem
/// to report (with its message and place), not the end of the run.
fn samples_of(event: &Registration) -> Result<Vec<serde_json::Value>, String> {
    match crate::panics::catch(|| event.samples()) {
        Ok(samples) => samples,
        Err(panic) => Err(format!("sample() panicked: {panic}")),
    }
}

/// Contract crates under `root`'s `contracts/` that `contracts-all` does not link: their
/// events would silently be missing, so each is an error naming the line to add.
pub fn unlinked_crates(root: &Path) -> Vec<Diagnostic> {
    let linked = contracts_common::registry::linked_crates();
    let mut errors = Vec::new();
    let manifests = match crate::workspace::files_with_extension(&root.join(CONTRACTS_DIR), "toml", 2) {
        Ok(files) => files,
        Err(error) => return vec![error],
    };
    for manifest in manifests.iter().filter(|m| m.file_name().is_some_and(|n| n == "Cargo.toml")) {
        let Ok(text) = std::fs::read_to_string(manifest) else { continue };
        let Some(name) = package_name(&text) else { continue };
        let dir = manifest.parent().unwrap_or(root);
        let folder = dir.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
        if name == "contracts-common" || name == "contracts-all" || linked.contains(&name) {
            continue;
        }
        errors.push(
            Diagnostic::new(
                format!("{CONTRACTS_DIR}/{folder}"),
                format!(
                    "the contract crate `{name}` is not linked into the generator, so none of its events is"
                ),
            )
            .with_fix(format!(
                "add `{name} = {{ path = \"../{folder}\", features = [\"samples\"] }}` to [dependencies] in \
                 {CONTRACTS_ALL_DIR}/Cargo.toml"
            )),
        );
    }
    errors
}

/// The `name = "..."` of a manifest's `[package]` table.
fn package_name(manifest: &str) -> Option<&str> {
    manifest
        .lines()
        .skip_while(|line| line.trim() != "[package]")
        .find_map(|line| line.trim().strip_prefix("name = \""))
        .and_then(|rest| rest.strip_suffix('"'))
}
