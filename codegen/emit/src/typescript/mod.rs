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

/// The TypeScript declarations of one namespace's types, after `preamble`.
pub fn emit_module(namespace: &Namespace, preamble: &str) -> String {
    let mut text = String::from(preamble);
    for (name, schema) in &namespace.types {
        text.push('\n');
        text.push_str(&declaration(name, schema));
    }
    text
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
