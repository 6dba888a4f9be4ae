//! Inferred types printed without typify: the code typify and the post-passes write, byte for
//! byte, for the shapes inference makes all the time.
//!
//! `cargo xtask infer --lang rust` went through typify's type space, its token streams, syn
//! and prettyplease: over 90% of its time on a large folder. Inferred schemas use a small
//! dialect (objects, string enums, unions, lists, maps, nullable scalars), so this printer
//! writes their structs, enums and newtypes as text directly: [`shape`] (with [`untagged`]
//! and [`conversions`]) reads a definition as typify would, [`print`] writes it, [`text`]
//! formats it as prettyplease would, [`names`] recases names as typify does. Any definition it
//! does not know exactly (an enum with clashing values, a union of two branches of one JSON
//! kind, a newtype over a string) still goes through typify, with the definitions it refers
//! to, and its items are merged into the module by type name, as the parallel path merges
//! parts (`components.rs`). A module whose types nest deep or refer to themselves goes
//! through typify whole: the boxing and the `recursion_limit` are typify's and the
//! post-passes' decisions.
//!
//! The typify path stays the oracle: `emit_module_via_typify` writes the same module without
//! this printer, and the tests and the corpus check compare the two.

mod conversions;
mod names;
mod print;
mod shape;
mod text;
mod untagged;

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::enum_variants::Placeholders;
use super::postpass::{self, Formatted, Layout, Printed};
use super::{Emitted, Needs, RustModule};
use crate::Origin;

/// Chains of types no longer than this never need boxing nor a `recursion_limit` (see
/// `deep_nesting.rs`).
const SHALLOW: usize = 32;

/// The module of inferred `types` (after the schema passes), or `None` when it must go
/// through typify whole: a deep or recursive module, or a part typify did not write as
/// expected (the whole path then reports it).
pub fn emit(
    module: &str,
    types: &BTreeMap<String, Value>,
    placeholders: &Placeholders,
    layout: &Layout<'_>,
    preamble: &str,
) -> Option<Emitted> {
    // typify names each definition by its recased name (`NSString` is `NsString`).
    let idents: Vec<String> = types.keys().map(|name| names::sanitize(name, names::Case::Pascal)).collect();
    if !layout.flattens.is_empty() || !all_distinct(&idents) || !shallow(types) {
        return None;
    }
    let Mine { mut mine, mut rewritten, left } = print_all(types, idents, placeholders);
    // typify writes types in the order of their names, which recasing may change.
    mine.sort_by(|a, b| a.defines.cmp(&b.defines));
    mine.push(Printed { defines: None, is_mod: true, text: print::ERROR_MODULE.to_owned() });
    let mut needs = Needs::default();
    let mut parts = vec![Formatted { items: mine, rewritten, chain: 0 }];
    if !left.is_empty() {
        let (theirs, their_needs) = through_typify(module, types, &left, placeholders, layout)?;
        rewritten += theirs.rewritten;
        needs = their_needs;
        parts.push(theirs);
    }
    let merged = super::components::merge(parts)?;
    let texts = merged.items.iter().map(|item| item.text.as_str());
    let code = postpass::assemble(module, texts, rewritten, rewritten, 0, preamble).ok()?;
    Some(Ok(RustModule { code, needs }))
}

/// What the printer wrote of a module.
struct Mine<'a> {
    /// The items it printed, one per type.
    mine: Vec<Printed>,
    /// How many of their fields are `Option<Option<T>>`.
    rewritten: usize,
    /// The definitions it left to typify.
    left: BTreeSet<&'a str>,
}

/// Fewer types than this are not worth a second thread.
const HALVES_FROM_TYPES: usize = 64;

/// Every definition of `types` (named `idents`) the printer knows, printed; a large module
/// in two halves on two cores when they are free.
fn print_all<'a>(
    types: &'a BTreeMap<String, Value>,
    idents: Vec<String>,
    placeholders: &Placeholders,
) -> Mine<'a> {
    let entries: Vec<(&'a String, &'a Value, String)> =
        types.iter().zip(idents).map(|((name, schema), ident)| (name, schema, ident)).collect();
    let halves: Vec<&[(&String, &Value, String)]> = if entries.len() >= HALVES_FROM_TYPES {
        let (first, second) = entries.split_at(entries.len() / 2);
        vec![first, second]
    } else {
        vec![&entries]
    };
    let printed = crate::parallel::parallel_map(&halves, |half| {
        half.iter()
            .map(|(_, schema, ident)| print_one(schema, ident, types, placeholders))
            .collect::<Vec<_>>()
    });
    let mut mine = Mine { mine: Vec::with_capacity(entries.len()), rewritten: 0, left: BTreeSet::new() };
    for ((name, _, ident), printed) in entries.iter().zip(printed.into_iter().flatten()) {
        match printed {
            Some((text, doubles)) => {
                mine.rewritten += doubles;
                mine.mine.push(Printed { defines: Some(ident.clone()), is_mod: false, text });
            }
            None => {
                mine.left.insert(name.as_str());
            }
        }
    }
    mine
}

/// One definition's text and how many of its fields are `Option<Option<T>>`; `None` when it
/// is left to typify.
fn print_one(
    schema: &Value,
    ident: &str,
    types: &BTreeMap<String, Value>,
    placeholders: &Placeholders,
) -> Option<(String, usize)> {
    let shape = shape::of(schema, types, |value| placeholders.holds(value))?;
    let (text, doubles) = match &shape {
        shape::Shape::Struct(fields) => (print::structure(ident, fields), shape::double_options(fields)),
        shape::Shape::StringEnum(variants) => (print::string_enum(ident, variants), 0),
        shape::Shape::Untagged(variants, impls) => (print::untagged(ident, variants, *impls), 0),
        shape::Shape::Newtype(inner, impls) => (print::newtype(ident, inner, *impls), 0),
    };
    Some((text.finish()?, doubles))
}

/// The items typify writes for the definitions in `left`, run on them and every definition
/// they refer to; `rewritten` counts only the kept items' `Option<Option<T>>` fields.
fn through_typify(
    module: &str,
    types: &BTreeMap<String, Value>,
    left: &BTreeSet<&str>,
    placeholders: &Placeholders,
    layout: &Layout<'_>,
) -> Option<(Formatted, Needs)> {
    let closure = referenced(types, left);
    let (marked, definitions) = super::prepare(module, types, |name| closure.contains(name)).ok()?;
    let (tokens, needs) = super::typify_driver::run(module, definitions).ok()?;
    let tokens = placeholders.restore(tokens, module).ok()?;
    let formatted = postpass::format_parts(module, tokens, Origin::Inferred, layout).ok()?;
    if formatted.rewritten != marked {
        return None;
    }
    // typify names a definition by its recased name (`NSString` is `NsString`).
    let left: BTreeSet<String> = left.iter().map(|name| names::sanitize(name, names::Case::Pascal)).collect();
    let mut items = Vec::new();
    let mut keeping = false;
    for item in formatted.items {
        if let Some(name) = &item.defines {
            keeping = left.contains(name);
        }
        if keeping || item.is_mod {
            items.push(item);
        }
    }
    let rewritten = items
        .iter()
        .filter(|item| !item.is_mod)
        .map(|item| item.text.matches("with = \"double_option\"").count())
        .sum();
    Some((Formatted { items, rewritten, chain: 0 }, needs))
}

/// Whether no two of `items` are the same (identifiers, variant names, JSON kinds).
fn all_distinct<T: Ord>(items: impl IntoIterator<Item = T>) -> bool {
    let mut seen = BTreeSet::new();
    items.into_iter().all(|item| seen.insert(item))
}

/// `names` and every definition they refer to, directly or not.
fn referenced<'a>(types: &'a BTreeMap<String, Value>, names: &BTreeSet<&'a str>) -> BTreeSet<&'a str> {
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    let mut stack: Vec<&str> = names.iter().copied().collect();
    while let Some(name) = stack.pop() {
        let Some((key, schema)) = types.get_key_value(name) else { continue };
        if seen.insert(key.as_str()) {
            refs_in(schema, &mut |target| stack.push(target));
        }
    }
    seen
}

/// Whether the module's types are certain to need no boxing and no `recursion_limit`: no
/// type holds itself by value (through fields and variants, not lists or maps, which typify
/// would box), and no chain of types holding each other, through lists and maps too, can be
/// longer than [`SHALLOW`] (bounded by the sizes of the strongly connected components along
/// the longest path between them).
fn shallow(types: &BTreeMap<String, Value>) -> bool {
    let index: BTreeMap<&str, usize> = types.keys().enumerate().map(|(i, n)| (n.as_str(), i)).collect();
    let mut all: Vec<Vec<usize>> = vec![Vec::new(); types.len()];
    let mut by_value: Vec<Vec<usize>> = vec![Vec::new(); types.len()];
    for (at, schema) in types.values().enumerate() {
        refs_by_value(schema, true, &mut |target, held_by_value| {
            if let Some(&to) = index.get(target) {
                all[at].push(to);
                if held_by_value {
                    by_value[at].push(to);
                }
            }
        });
    }
    let components = crate::graph::components(&by_value);
    if components.sizes.iter().any(|&size| size > 1) || (0..types.len()).any(|at| by_value[at].contains(&at))
    {
        return false;
    }
    crate::graph::longest_bound(&all) <= SHALLOW
}

/// Calls `found` with every `$ref`'s definition name in `schema`, and whether the value is
/// held by value (not inside a list or map).
fn refs_by_value<'a>(schema: &'a Value, by_value: bool, found: &mut impl FnMut(&'a str, bool)) {
    match schema {
        Value::Object(object) => {
            for (key, value) in object {
                match (key.as_str(), value) {
                    ("$ref", Value::String(target)) => {
                        if let Some(name) = target.strip_prefix("#/definitions/") {
                            found(name, by_value);
                        }
                    }
                    ("enum" | "const" | "default" | "examples", _) => {}
                    ("items" | "additionalProperties", _) => refs_by_value(value, false, found),
                    _ => refs_by_value(value, by_value, found),
                }
            }
        }
        Value::Array(list) => list.iter().for_each(|item| refs_by_value(item, by_value, found)),
        _ => {}
    }
}

/// Calls `found` with the definition name of every `$ref` in `schema`.
fn refs_in<'a>(schema: &'a Value, found: &mut impl FnMut(&'a str)) {
    refs_by_value(schema, true, &mut |name, _| found(name));
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use crate::{Origin, SchemaItem};

    /// A module of inferred types (as `cargo xtask infer` hands them over) that uses every
    /// shape the printer writes, and every line it breaks.
    fn inferred() -> Vec<(&'static str, Value)> {
        let long = "a value long enough that its match arm does not fit on one line of its own";
        vec![
            (
                "Order",
                json!({"title": "Order", "type": "object", "required": ["id", "URL", "url", "note", "status", "lines",
                    "a_map_field_whose_name_is_long_enough_to_break_its_type_in_three",
                    "a_loose_map_field_whose_name_is_long_enough_to_break_its_type_too"],
                "properties": {
                    "id": {"type": "integer"},
                    "URL": {"type": "string"},
                    "url": {"type": "string"},
                    "type": {"type": "string"},
                    "note": {"type": ["string", "null"]},
                    "maybe": {"type": ["number", "null"]},
                    "extra": {},
                    "tags": {"type": "array", "items": {"type": "string"}},
                    "attributes": {"type": "object", "additionalProperties": {"type": "integer"}},
                    "anything": {"type": "object"},
                    "loose": {"type": "object", "additionalProperties": {}},
                    "a_map_field_whose_name_is_long_enough_to_break_its_type_in_three": {"type": "object",
                        "additionalProperties": {"type": "array", "items": {"type": "string"}}},
                    "a_loose_map_field_whose_name_is_long_enough_to_break_its_type_too": {"type": "object",
                        "additionalProperties": {}},
                    "status": {"type": "string", "enum": ["open", "closed", long]},
                    "lines": {"type": "array", "items": {"type": "object", "required": ["sku"],
                        "properties": {"sku": {"type": "string"}, "qty": {"type": ["integer", "string"]}}}},
                    "a_field_whose_name_is_long_enough_to_break_its_type_in_two": {"type": "array",
                        "items": {"type": ["array", "null"], "items": {}}},
                    "mixed": {"type": "array", "items": {"anyOf": [
                        {"type": "string"}, {"type": "array", "items": {"type": "integer"}},
                        {"$ref": "#/definitions/Point"}, {"type": "null"}]}},
                    "parsed": {"type": "array", "items": {"type": ["boolean", "integer"]}}
                }}),
            ),
            ("Point", json!({"title": "Point", "type": "object", "properties": {"x": {"type": "boolean"}}})),
            ("Ids", json!({"title": "Ids", "type": "array", "items": {"type": "integer"}})),
            ("Count", json!({"title": "Count", "type": "integer"})),
            ("Bag", json!({"title": "Bag", "type": "object", "additionalProperties": true})),
            (
                "Empty",
                json!({"title": "Empty", "type": "object", "required": ["gone"], "properties": {"gone": {"type": "null"}}}),
            ),
        ]
    }

    fn namespace() -> crate::Namespace {
        let items: Vec<SchemaItem> = inferred()
            .into_iter()
            .map(|(name, schema)| SchemaItem {
                name: name.into(),
                schema,
                origin: Origin::Inferred,
                label: name.into(),
            })
            .collect();
        crate::namespace("orders", &items).expect("a namespace")
    }

    #[test]
    fn the_printer_writes_every_type_of_an_inferred_module_as_typify_does() {
        let namespace = namespace();
        let schemas = super::super::schema_passes(namespace.types.clone(), Origin::Inferred);
        let idents =
            schemas.types.keys().map(|n| super::names::sanitize(n, super::names::Case::Pascal)).collect();
        let printed = super::print_all(&schemas.types, idents, &schemas.variant_names);
        assert!(printed.left.is_empty(), "left to typify: {:?}", printed.left);
        assert!(super::shallow(&schemas.types));
        let direct = super::super::emit_module(&namespace, "// preamble\n").expect("emitted");
        let typify = super::super::emit_module_via_typify(&namespace, "// preamble\n").expect("emitted");
        assert_eq!(direct.code, typify.code);
        assert_eq!(direct.needs, typify.needs);
        for expected in [
            "pub url_2: ::std::string::String,",
            "with = \"double_option\"",
            "pub enum OrderStatus {",
            "pub struct Ids(pub ::std::vec::Vec<i64>);",
            "impl ::std::str::FromStr for Count {",
            "#[serde(untagged)]",
            "    >,\n",
            "::serde_json::Map<\n        ::std::string::String,\n        ::serde_json::Value,\n    >,",
            "pub loose: ::std::option::Option<\n        ::serde_json::Map<",
        ] {
            assert!(direct.code.contains(expected), "{expected:?} in:\n{}", direct.code);
        }
    }

    #[test]
    fn a_module_the_typify_path_refuses_is_refused_the_same() {
        let schema = json!({"title": "Gone", "type": "object", "properties": {"gone": {"type": "null"}}});
        let item =
            SchemaItem { name: "Gone".into(), schema, origin: Origin::Inferred, label: "gone.json".into() };
        let namespace = crate::namespace("gone", &[item]).expect("a namespace");
        let direct = super::super::emit_module(&namespace, "").expect_err("refused");
        let typify = super::super::emit_module_via_typify(&namespace, "").expect_err("refused");
        assert_eq!(format!("{direct:?}"), format!("{typify:?}"));
    }

    #[test]
    fn recursive_or_deep_modules_go_through_typify_whole() {
        let recursive = json!({"type": "object", "properties": {"next": {"$ref": "#/definitions/Node"}}});
        let types = [("Node".to_owned(), recursive)].into_iter().collect();
        assert!(!super::shallow(&types), "a type holding itself by value is typify's to box");
        let through_list = json!({"type": "object", "properties": {"children": {"type": "array", "items": {"$ref": "#/definitions/Node"}}}});
        let types = [("Node".to_owned(), through_list)].into_iter().collect();
        assert!(super::shallow(&types), "a type holding itself in a list needs no box");
        let chain: std::collections::BTreeMap<String, Value> = (0..40)
            .map(|n| (format!("T{n}"), json!({"type": "object", "properties": {"x": {"$ref": format!("#/definitions/T{}", n + 1)}}})))
            .collect();
        assert!(!super::shallow(&chain), "a chain longer than the default recursion limit covers");
    }
}
