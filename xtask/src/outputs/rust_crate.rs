//! The `platform-events` crate: typify's Rust types for every event, one module per source.

use std::collections::BTreeMap;

use quote::quote;
use schema_emit::Diagnostic;
use schema_emit::Format;
use schema_emit::rust::{self, CrateSpec, Needs};
use schema_ident::module_name;

use super::{Options, SourceModule, preamble};
use crate::workspace::RUST_CRATE_DIR;

/// Every file of the generated crate (manifest, `lib.rs`, `events.rs`, one module per
/// source), by path relative to the workspace root.
pub fn files(
    modules: &[SourceModule<'_>],
    options: &Options,
) -> Result<BTreeMap<String, String>, Vec<Diagnostic>> {
    let header = preamble(Format::Slashes);
    let namespaces: Vec<_> = modules.iter().map(|m| m.namespace.clone()).collect();
    let emitted = match &options.cache {
        Some(cache) => cache.emit_modules(&namespaces, &header),
        None => rust::emit_modules(&namespaces, &header),
    };
    let mut files = BTreeMap::new();
    let mut errors = Vec::new();
    let mut needs = Needs::default();
    for (module, result) in modules.iter().zip(emitted) {
        match result {
            Ok(code) => {
                needs = needs.union(code.needs);
                files.insert(format!("{RUST_CRATE_DIR}/src/{}.rs", module_name(&module.source)), code.code);
            }
            Err(mut found) => errors.append(&mut found),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let version = options.version.to_string();
    let spec = CrateSpec {
        package: "platform-events",
        description: "Rust types for every platform event, generated from the JSON Schemas by typify.",
        version: &version,
        toml_preamble: &preamble(Format::Hash),
        // `PlatformEvent::from_eventbridge` reports where a payload breaks its type.
        dependencies: &["serde_path_to_error"],
        // For `examples/lambda_handler.rs`, the Rust consumer the README shows, and the
        // benchmark of `from_eventbridge` against bare serde_json (`benches/`, hand-kept).
        dev_dependencies: &[
            "criterion.workspace = true",
            "lambda_runtime.workspace = true",
            "tokio = { workspace = true, features = [\"macros\", \"rt-multi-thread\"] }",
        ],
        benches: &["from_eventbridge"],
    };
    files.insert(format!("{RUST_CRATE_DIR}/Cargo.toml"), rust::manifest(&spec, needs));
    let names: Vec<String> = modules.iter().map(|m| module_name(&m.source)).collect();
    let docs = [
        "Rust types for every platform event, generated from `schemas/` by typify.",
        "",
        "One module per EventBridge source; each event's payload type is named after its",
        "detail-type. [`PlatformEvent::from_eventbridge`] reads any of them from an EventBridge",
        "event and tells which it is; [`EVENTS`] lists them all. Style lints are off: generated",
        "code is checked by its round-trip tests.",
    ];
    let reexports = quote! { pub use events::{EVENTS, Envelope, ParseError, PlatformEvent, round_trip}; };
    let lib = rust::lib_rs(&header, &docs, &names, &["events"], reexports, needs);
    files.insert(format!("{RUST_CRATE_DIR}/src/lib.rs"), lib);
    files.insert(format!("{RUST_CRATE_DIR}/src/events.rs"), super::platform_event::events_rs(modules));
    Ok(files)
}
