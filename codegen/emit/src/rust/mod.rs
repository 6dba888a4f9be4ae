//! Rust types through typify, wrapped so it never surprises.
//!
//! typify 0.8 is the newest that builds on our toolchain; it reads schemars 0.8's schema
//! model, which is also what the contracts derive, so no conversion is needed at the
//! boundary. Around it:
//! - `prepass.rs` names every type (typify drops untitled roots and names inline types
//!   without checking for clashes) and marks what the post-passes need;
//! - typify runs with its panics caught (`typify_driver.rs`), and its errors and panics
//!   become [`Diagnostic`]s naming the module;
//! - `postpass.rs` rejects or renames fields that collide after snake-casing and keeps `null`,
//!   `[]` and absent apart;
//! - the result is formatted with prettyplease under the caller's preamble, item by item,
//!   each repeated `impl` shape once (`items.rs`).
//!
//! Inferred types (samples' shapes) skip typify: `direct/` prints the code the steps above
//! write for them, byte for byte, and leaves to typify only what it does not know exactly;
//! [`emit_module_via_typify`] is the oracle it is checked against.
//!
//! [`emit_modules`] runs modules in parallel across the machine's cores; [`Cache`] skips
//! modules whose schemas did not change.

mod assemble;
mod cache;
mod components;
mod deep_nesting;
mod detached;
mod direct;
mod enum_variants;
mod field_types;
mod hoist;
mod items;
mod layout;
mod postpass;
mod prepass;
mod tuple_structs;
mod typify_driver;
mod unions;

pub use assemble::{CrateSpec, lib_rs, manifest};
pub use cache::Cache;
pub use deep_nesting::recursion_limit_needed;
pub use field_types::FIXED_OFFSET;

use std::collections::BTreeMap;

use schemars08::schema::Schema;

use crate::parallel::{free_cores, parallel_map};
use crate::{Diagnostic, Namespace, Origin};

/// What the generated code of a set of modules needs from outside `std`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Needs {
    /// `chrono`, for `date-time` and `date` formats.
    pub chrono: bool,
    /// `uuid`, for the `uuid` format.
    pub uuid: bool,
    /// `regress`, for `pattern`.
    pub regress: bool,
    /// The crate root's `#![recursion_limit]`, when types nest deeper than the default allows.
    pub recursion_limit: Option<usize>,
}

impl Needs {
    /// What either needs.
    pub fn union(self, other: Needs) -> Needs {
        Needs {
            chrono: self.chrono || other.chrono,
            uuid: self.uuid || other.uuid,
            regress: self.regress || other.regress,
            recursion_limit: self.recursion_limit.max(other.recursion_limit),
        }
    }
}

/// The Rust source of one module, with what it needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RustModule {
    /// Formatted source, preamble included.
    pub code: String,
    /// Crates the code uses besides `serde` and `serde_json`.
    pub needs: Needs,
}

/// One module's code, or every problem that stopped it.
pub type Emitted = Result<RustModule, Vec<Diagnostic>>;

/// Generates the Rust module of one namespace; `preamble` starts the file.
///
/// Types that do not refer to each other are emitted on separate cores when the module has
/// such parts (see `components.rs`); the code is the same as from one piece.
pub fn emit_module(namespace: &Namespace, preamble: &str) -> Emitted {
    emit(&namespace.name, namespace.origin, namespace.types.clone(), preamble, Printer::Direct)
}

/// [`emit_module`] with every type through typify, even those the direct printer writes
/// (see `direct/mod.rs`): the oracle the printer is checked against.
pub fn emit_module_via_typify(namespace: &Namespace, preamble: &str) -> Emitted {
    emit(&namespace.name, namespace.origin, namespace.types.clone(), preamble, Printer::Typify)
}

/// Who writes inferred types.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Printer {
    /// The direct printer where it can, typify elsewhere.
    Direct,
    /// typify alone.
    Typify,
}

/// [`emit_module`], consuming `namespace`: its schemas become the ones typify reads without
/// a copy, for a caller that has no further use for them.
pub fn emit_module_owned(namespace: Namespace, preamble: &str) -> Emitted {
    emit(&namespace.name, namespace.origin, namespace.types, preamble, Printer::Direct)
}

fn emit(
    module: &str,
    origin: Origin,
    types: BTreeMap<String, serde_json::Value>,
    preamble: &str,
    printer: Printer,
) -> Emitted {
    let Schemas { types, flattens, variant_names } = schema_passes(types, origin);
    let layout = postpass::Layout { types: &types, flattens: &flattens };
    if origin == Origin::Inferred
        && printer == Printer::Direct
        && let Some(emitted) = direct::emit(module, &types, &variant_names, &layout, preamble)
    {
        return emitted;
    }
    if let Some(parts) = components::parts(&types, free_cores())
        && let Some(emitted) = emit_parts(module, &parts, &variant_names, origin, &layout, preamble)
    {
        return emitted;
    }
    let (marked, definitions) = prepare(module, &types, |_| true)?;
    let (tokens, mut needs) = typify_driver::run(module, definitions)?;
    let tokens = variant_names.restore(tokens, module)?;
    let code = postpass::format_module(module, tokens, marked, origin, &layout, preamble)?;
    // The post-pass measured how deep the module's types nest, and said so in the code.
    needs.recursion_limit = recursion_limit_needed(&code);
    Ok(RustModule { code, needs })
}

/// A module's schemas after the passes that run before any printing.
struct Schemas {
    /// Every definition, inline types hoisted and unions prepared.
    types: BTreeMap<String, serde_json::Value>,
    /// The enums to flatten back into their structs.
    flattens: Vec<unions::Flatten>,
    /// The enum values replaced by placeholders.
    variant_names: enum_variants::Placeholders,
}

/// The schema passes (`hoist.rs`, `unions.rs`, `enum_variants.rs`, `prepass.rs`) over `types`.
fn schema_passes(types: BTreeMap<String, serde_json::Value>, origin: Origin) -> Schemas {
    let mut types = hoist::hoist_inline_types(types);
    let flattens = unions::prepare(&mut types);
    let variant_names = enum_variants::disambiguate(&mut types);
    if origin == Origin::Inferred {
        types.values_mut().for_each(prepass::drop_string_formats);
    }
    Schemas { types, flattens, variant_names }
}

/// How many properties were marked, and the definitions as typify reads them.
type Prepared = (usize, Vec<(String, Schema)>);

/// The definitions of `types` that `wanted` picks, marked and read into typify's model type
/// by type on every core, with how many properties were marked.
fn prepare(
    module: &str,
    types: &BTreeMap<String, serde_json::Value>,
    wanted: impl Fn(&str) -> bool,
) -> Result<Prepared, Vec<Diagnostic>> {
    let entries: Vec<(&String, &serde_json::Value)> = types.iter().filter(|(name, _)| wanted(name)).collect();
    let prepared = parallel_map(&entries, |(name, schema)| {
        let (schema, count) = prepass::mark_optional_nullable(schema, types);
        (count, typify_driver::parse(module, name, schema).map(|schema| ((*name).clone(), schema)))
    });
    let marked = prepared.iter().map(|(count, _)| count).sum();
    let definitions = prepared.into_iter().map(|(_, parsed)| parsed).collect::<Result<Vec<_>, _>>()?;
    Ok((marked, definitions))
}

/// The module emitted part by part, each on a core of its own, and merged; `None` when any
/// part fails or does not merge (the caller then emits the module in one piece, which also
/// gives any diagnostics exactly as one piece has them).
fn emit_parts(
    module: &str,
    parts: &[Vec<&str>],
    variant_names: &enum_variants::Placeholders,
    origin: Origin,
    layout: &postpass::Layout<'_>,
    preamble: &str,
) -> Option<Emitted> {
    let types = layout.types;
    // `parts` holds at most one part per free core, so each has a thread of its own, on
    // which its work stays.
    let emit_part = |names: &Vec<&str>| -> Option<(usize, postpass::Formatted, Needs)> {
        let (marked, definitions) = prepare(module, types, |name| names.contains(&name)).ok()?;
        let (tokens, needs) = typify_driver::run(module, definitions).ok()?;
        let tokens = variant_names.restore(tokens, module).ok()?;
        Some((marked, postpass::format_parts(module, tokens, origin, layout).ok()?, needs))
    };
    let done = parallel_map(parts, emit_part);
    let mut marked = 0;
    let mut needs = Needs::default();
    let mut formatted = Vec::with_capacity(done.len());
    for (part_marked, part, part_needs) in done.into_iter().collect::<Option<Vec<_>>>()? {
        marked += part_marked;
        needs = needs.union(part_needs);
        formatted.push(part);
    }
    let merged = components::merge(formatted)?;
    let texts = merged.items.iter().map(|item| item.text.as_str());
    let code = postpass::assemble(module, texts, marked, merged.rewritten, merged.chain, preamble).ok()?;
    needs.recursion_limit = recursion_limit_needed(&code);
    Some(Ok(RustModule { code, needs }))
}

/// [`emit_module`] for every namespace, in parallel on the machine's cores; results in
/// input order.
pub fn emit_modules(namespaces: &[Namespace], preamble: &str) -> Vec<Emitted> {
    parallel_map(namespaces, |namespace| emit_module(namespace, preamble))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::{Origin, SchemaItem};

    #[test]
    fn a_namespace_emits_the_same_code_borrowed_or_owned() {
        let item = SchemaItem {
            name: "Order".into(),
            schema: json!({"title": "Order", "type": "object", "required": ["lines"], "properties": {
                "lines": {"type": "array", "items": {"type": "object", "properties": {"sku": {"type": "string"}}}},
                "note": {"type": ["string", "null"]}
            }}),
            origin: Origin::Inferred,
            label: "order.json".into(),
        };
        let namespace = crate::namespace("orders", &[item]).expect("a namespace");
        let borrowed = super::emit_module(&namespace, "// preamble\n").expect("emitted");
        assert_eq!(super::emit_module_owned(namespace, "// preamble\n").expect("emitted"), borrowed);
        assert!(borrowed.code.contains("pub struct OrderLinesItem"), "{}", borrowed.code);
    }
}
