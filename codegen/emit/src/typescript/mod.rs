//! TypeScript types from schemas: our own emitter, following DESIGN.md's conventions.
//!
//! - objects with properties are `export interface`s; everything else is an `export type`;
//! - string enums are unions of literals; tagged enums (a `oneOf` of objects) are
//!   discriminated unions of object types;
//! - a property not in `required` gets `?`; one that admits `null` gets `| null`;
//! - formats stay `string`, named in JSDoc; 64-bit integers are `number` with a warning;
//! - maps (`additionalProperties` without `properties`) are `{ [key: string]: T }`; beside
//!   properties (a flattened catch-all map) the index signature is `[key: string]: unknown`;
//! - descriptions become JSDoc; keys that are not identifiers are quoted.

mod doc;
mod integers;
mod prototype_keys;
mod types;
mod values;

use std::fmt::Write as _;

use serde_json::Value;

use crate::Namespace;
pub use types::{expr, literal};
pub use values::{CUT, TypedValue, typed_value, value_literal};

/// How every check runs `tsc` on generated code: strict, no output, and `?` meaning absent
/// (not `undefined`), as JSON has it.
pub const TSC_STRICT_ARGS: &[&str] =
    &["--strict", "--noEmit", "--exactOptionalPropertyTypes", "--target", "ES2022", "--module", "ESNext"];

/// The TypeScript declarations of one namespace's types, after `preamble`. A large module is
/// written by two threads when a core is free, each declaring half of the types; the text is
/// the same.
pub fn emit_module(namespace: &Namespace, preamble: &str) -> String {
    let types: Vec<(&String, &Value)> = namespace.types.iter().collect();
    let mut text = String::from(preamble);
    if types.len() < HALVES_FROM_TYPES {
        declarations(&types, &mut text);
        return text;
    }
    let (mine, theirs) = types.split_at(types.len() / 2);
    // On one core (or a thread of a parallel map already), the halves run one after another.
    for half in crate::parallel::parallel_map(&[mine, theirs], |half| {
        let mut text = String::new();
        declarations(half, &mut text);
        text
    }) {
        text.push_str(&half);
    }
    text
}

/// Fewer types than this are not worth a second thread.
const HALVES_FROM_TYPES: usize = 64;

/// Each type's declaration, after a blank line, onto `text`.
fn declarations(types: &[(&String, &Value)], text: &mut String) {
    for (name, schema) in types {
        text.push('\n');
        text.push_str(&declaration(name, schema));
    }
}

/// `export interface Name { .. }` for an object with properties, else `export type Name = ..;`.
pub fn declaration(name: &str, schema: &Value) -> String {
    let mut text = doc::jsdoc(&doc::documentation(schema), "");
    if types::is_plain_object(schema) {
        let _ = writeln!(text, "export interface {name} {}", types::object_body(schema, ""));
    } else {
        let _ = writeln!(text, "export type {name} ={};", types::spaced(expr(schema, "")));
    }
    text
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::{Origin, SchemaItem};

    #[test]
    fn a_large_module_reads_the_same_written_by_two_threads() {
        let items: Vec<SchemaItem> = (0..super::HALVES_FROM_TYPES + 3)
            .map(|n| SchemaItem {
                name: format!("Event{n:03}"),
                schema: json!({"title": format!("Event{n:03}"), "type": "object", "required": ["id"], "properties": {
                    "id": {"type": "integer"}, "kind": {"type": "string", "enum": ["a", "b"]}, "at": {"type": ["string", "null"]}
                }}),
                origin: Origin::Contract,
                label: format!("e{n}"),
            })
            .collect();
        let namespace = crate::namespace("events", &items).expect("a namespace");
        let mut one_thread = String::from("// preamble\n");
        super::declarations(&namespace.types.iter().collect::<Vec<_>>(), &mut one_thread);
        assert_eq!(super::emit_module(&namespace, "// preamble\n"), one_thread);
        assert!(one_thread.contains("export interface Event066 {"), "{one_thread}");
    }
}
