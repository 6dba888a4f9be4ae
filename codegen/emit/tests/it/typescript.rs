//! Golden tests of the TypeScript emitter on hand-written schemas: each output is reviewed as
//! an insta snapshot, and all of them are compiled together by the real `tsc --strict`.

use std::fs;
use std::path::PathBuf;
use std::process::Command;

use schema_emit::typescript::{TSC_STRICT_ARGS, emit_module};
use schema_emit::{Format, preamble};
use schema_emit::{Origin, SchemaItem, namespace};
use serde_json::{Value, json};

/// Each golden case: a name and a root schema (with `definitions` where it needs them).
fn cases() -> Vec<(&'static str, Value)> {
    vec![
        (
            "optional_vs_nullable",
            json!({"type": "object", "required": ["required", "requiredNullable"], "properties": {
                "required": {"type": "string"},
                "requiredNullable": {"type": ["string", "null"]},
                "optional": {"type": "integer"},
                "optionalNullable": {"anyOf": [{"$ref": "#/definitions/Money"}, {"type": "null"}]}
            }, "definitions": {"Money": {"type": "object", "required": ["amount"], "properties": {"amount": {"type": "string"}}}}}),
        ),
        (
            "string_enums",
            json!({"type": "object", "required": ["plain", "documented"], "properties": {
                "plain": {"type": "string", "enum": ["wheat", "barley"]},
                "documented": {"$ref": "#/definitions/Grade"}
            }, "definitions": {"Grade": {"oneOf": [
                {"type": "string", "enum": ["H1"], "description": "Hard, 13% protein."},
                {"type": "string", "enum": ["APW1"], "description": "Australian premium white."}
            ]}}}),
        ),
        (
            "tagged_union",
            json!({"oneOf": [
                {"type": "object", "required": ["method", "siteId"], "description": "Delivered to a site.",
                 "properties": {"method": {"type": "string", "enum": ["delivered"]}, "siteId": {"type": "string", "format": "uuid"}}},
                {"type": "object", "required": ["method", "port"],
                 "properties": {"method": {"const": "freeOnBoard"}, "port": {"type": "string"}}}
            ]}),
        ),
        (
            "maps",
            json!({"type": "object", "required": ["specs"], "properties": {
                "specs": {"type": "object", "additionalProperties": {"type": "number"}},
                "open": {"type": "object"},
                "closed": {"type": "object", "additionalProperties": false},
                "mixed": {"type": "object", "properties": {"known": {"type": "string"}}, "additionalProperties": {"type": "integer"}}
            }}),
        ),
        (
            "refs_and_recursion",
            json!({"$ref": "#/definitions/Node", "definitions": {"Node": {"type": "object", "required": ["children"], "properties": {
                "value": {"type": "string"},
                "children": {"type": "array", "items": {"$ref": "#/definitions/Node"}}
            }}}}),
        ),
        (
            "all_of",
            json!({"allOf": [{"$ref": "#/definitions/Named"}, {"type": "object", "required": ["age"], "properties": {"age": {"type": "integer"}}}],
                "definitions": {"Named": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}}}}),
        ),
        (
            "keys_that_are_not_identifiers",
            json!({"type": "object", "required": ["detail-type", "foo bar", "größe", "$ok", "1st"], "properties": {
                "detail-type": {"type": "string"}, "foo bar": {"type": "string"}, "größe": {"type": "number"},
                "$ok": {"type": "boolean"}, "1st": {"type": "string"}, "quote\"d": {"type": "string"}
            }}),
        ),
        (
            "reserved_words_as_keys",
            json!({"type": "object", "required": ["class", "function", "delete", "interface", "type", "null"], "properties": {
                "class": {"type": "string"}, "function": {"type": "string"}, "delete": {"type": "boolean"},
                "interface": {"type": "string"}, "type": {"type": "string"}, "null": {"type": "null"}
            }}),
        ),
        (
            "descriptions_formats_and_big_integers",
            json!({"type": "object", "description": "A trade.\n\nSecond paragraph with */ inside.", "required": ["at", "kg"], "properties": {
                "at": {"type": "string", "format": "date-time", "description": "When it happened."},
                "on": {"type": "string", "format": "date"},
                "kg": {"type": "integer", "format": "uint64", "minimum": 0},
                "count": {"type": "integer", "format": "uint32"},
                "tuple": {"type": "array", "items": [{"type": "string"}, {"type": "number"}]},
                "either": {"type": ["string", "number", "null"]},
                "anything": {}
            }}),
        ),
    ]
}

fn emit(name: &str, schema: Value) -> String {
    let item = SchemaItem { name: name.into(), schema, origin: Origin::Contract, label: name.into() };
    emit_module(&namespace(name, &[item]).unwrap(), &preamble("golden test", Format::Slashes))
}

#[test]
fn golden_outputs_match_their_snapshots() {
    for (name, schema) in cases() {
        insta::assert_snapshot!(name, emit(name, schema));
    }
}

/// The workspace's pinned TypeScript compiler, installed by `npm ci` in
/// `generated/typescript` (`cargo xtask ci` does it).
pub fn tsc() -> PathBuf {
    let tsc = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../generated/typescript/node_modules/.bin/tsc");
    assert!(
        tsc.exists(),
        "tsc is not installed: run `npm ci` in generated/typescript (`cargo xtask ci` does this first)"
    );
    tsc
}

#[test]
fn golden_outputs_compile_with_tsc_strict() {
    let dir = tempfile::tempdir().unwrap();
    for (name, schema) in cases() {
        fs::write(dir.path().join(format!("{name}.ts")), emit(name, schema)).unwrap();
    }
    let output = Command::new(tsc())
        .args(TSC_STRICT_ARGS)
        .args(cases().iter().map(|(name, _)| dir.path().join(format!("{name}.ts"))))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "tsc rejected golden output:\n{}",
        String::from_utf8_lossy(&output.stdout)
    );
}
