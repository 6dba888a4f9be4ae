//! The `platform-events` crate: typify's Rust types for every event, one module per source.

use std::collections::BTreeMap;

use quote::quote;
use schema_emit::Diagnostic;
use schema_emit::preamble::Format;
use schema_emit::rust::assemble::{self, CrateSpec};
use schema_emit::rust::{self, Needs};
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
    let spec = CrateSpec {
        package: "platform-events",
        description: "Rust types for every platform event, generated from the JSON Schemas by typify.",
        toml_preamble: &preamble(Format::Hash),
    };
    files.insert(format!("{RUST_CRATE_DIR}/Cargo.toml"), assemble::manifest(&spec, needs));
    let names: Vec<String> = modules.iter().map(|m| module_name(&m.source)).collect();
    let docs = [
        "Rust types for every platform event, generated from `schemas/` by typify.",
        "",
        "One module per EventBridge source; each event's payload type is named after its",
        "detail-type. [`EVENTS`] lists them all. Style lints are off: generated code is checked",
        "by its round-trip tests.",
    ];
    let reexports = quote! { pub use events::{EVENTS, round_trip}; };
    let lib = assemble::lib_rs(&header, &docs, &names, &["events"], reexports);
    files.insert(format!("{RUST_CRATE_DIR}/src/lib.rs"), lib);
    files.insert(format!("{RUST_CRATE_DIR}/src/events.rs"), events_rs(modules));
    Ok(files)
}

/// `events.rs`: the list of every event and `round_trip`, which checks a payload against the
/// generated type of its event.
fn events_rs(modules: &[SourceModule<'_>]) -> String {
    let mut list = Vec::new();
    let mut arms = Vec::new();
    for module in modules {
        let module_ident = syn::Ident::new(&module_name(&module.source), proc_macro2::Span::call_site());
        for ((event, _), type_name) in module.events.iter().zip(&module.namespace.roots) {
            let (source, detail_type) = (&module.source, &event.detail_type);
            let type_ident = syn::Ident::new(type_name, proc_macro2::Span::call_site());
            list.push(quote! { (#source, #detail_type) });
            arms.push(
                quote! { (#source, #detail_type) => again::<crate::#module_ident::#type_ident>(detail) },
            );
        }
    }
    let file: syn::File = syn::parse_quote! {
        /// Every event: `(source, detail-type)`, sorted.
        pub const EVENTS: &[(&str, &str)] = &[#(#list),*];

        /// Deserialises `detail` into the payload type of `source`/`detail_type` and serialises
        /// it back, or `None` for an unknown event: proof that a payload fits its generated type.
        pub fn round_trip(
            source: &str,
            detail_type: &str,
            detail: serde_json::Value,
        ) -> Option<Result<serde_json::Value, serde_json::Error>> {
            fn again<T: serde::de::DeserializeOwned + serde::Serialize>(
                detail: serde_json::Value,
            ) -> Result<serde_json::Value, serde_json::Error> {
                serde_json::from_value::<T>(detail).and_then(|value| serde_json::to_value(value))
            }
            Some(match (source, detail_type) {
                #(#arms,)*
                _ => return None,
            })
        }
    };
    format!("{}{}", preamble(Format::Slashes), prettyplease::unparse(&file))
}
