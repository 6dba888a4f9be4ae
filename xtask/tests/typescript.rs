//! Golden tests of the TypeScript emitter on hand-written schemas: each output is reviewed as
//! an insta snapshot, and all of them are compiled together by the real `tsc --strict`.

use std::fs;
use std::path::PathBuf;
use std::process::Command;

use serde_json::{Value, json};
use xtask::emit::model::{EventSchema, modules};
use xtask::emit::typescript::{TSC_STRICT_ARGS, emit_module};

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
    let title = heck::AsUpperCamelCase(name).to_string();
    let event = EventSchema { source: name.into(), detail_type: title, schema, inferred: false };
    emit_module(&modules(&[event]).unwrap()[0])
}

#[test]
fn golden_outputs_match_their_snapshots() {
    for (name, schema) in cases() {
        insta::assert_snapshot!(name, emit(name, schema));
    }
}

/// The TypeScript compiler of `generated/typescript`, installed by `npm ci` there
/// (`cargo xtask ci` does it).
pub fn tsc() -> PathBuf {
    let tsc = xtask::emit::typescript::tsc(&xtask::workspace::root());
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

/// Runs `tsc` on the generated package (`src/` plus the sample fixture `test/samples.ts`)
/// copied into `dir`, after `edit` changes the fixture; returns tsc's exit and output.
fn check_package(edit: impl FnOnce(String) -> String) -> (bool, String) {
    let package = xtask::workspace::root().join("generated/typescript");
    let dir = tempfile::tempdir().unwrap();
    for sub in ["src", "test"] {
        fs::create_dir_all(dir.path().join(sub)).unwrap();
        for entry in fs::read_dir(package.join(sub)).unwrap() {
            let path = entry.unwrap().path();
            fs::copy(&path, dir.path().join(sub).join(path.file_name().unwrap())).unwrap();
        }
    }
    fs::copy(package.join("tsconfig.json"), dir.path().join("tsconfig.json")).unwrap();
    let fixture = dir.path().join("test/samples.ts");
    fs::write(&fixture, edit(fs::read_to_string(&fixture).unwrap())).unwrap();
    let output = Command::new(tsc()).arg("-p").arg(dir.path()).output().unwrap();
    (output.status.success(), String::from_utf8_lossy(&output.stdout).into_owned())
}

#[test]
fn the_generated_package_and_every_sample_type_check() {
    let (ok, output) = check_package(|fixture| fixture);
    assert!(ok, "tsc rejected the generated package:\n{output}");
}

#[test]
fn tsc_rejects_a_sample_with_an_unknown_property() {
    let (ok, output) = check_package(|fixture| {
        fixture.replacen("\"correlationId\": ", "\"correlationIdentifier\": \"x\",\n  \"correlationId\": ", 1)
    });
    assert!(!ok, "tsc accepted an excess property");
    assert!(output.contains("error TS2353") && output.contains("correlationIdentifier"), "{output}");
}

#[test]
fn tsc_rejects_a_sample_with_a_wrong_type() {
    let (ok, output) = check_package(|fixture| replace_first_value(&fixture, "\"quantityKg\": ", "\"many\""));
    assert!(!ok, "tsc accepted a string for a number");
    assert!(output.contains("error TS2322"), "{output}");
}

#[test]
fn tsc_rejects_an_envelope_whose_detail_does_not_match_its_detail_type() {
    let (ok, output) =
        check_package(|fixture| replace_first_value(&fixture, "\"detail-type\": ", "\"TradeCancelled\""));
    assert!(!ok, "tsc accepted a payload under another event's detail-type");
    assert!(output.contains("error TS2322"), "{output}");
}

/// Replaces the value after the first `key` (up to the next `,` or newline) with `value`.
fn replace_first_value(text: &str, key: &str, value: &str) -> String {
    let start = text.find(key).expect("the fixture has the key") + key.len();
    let end = start + text[start..].find([',', '\n']).unwrap();
    assert_ne!(&text[start..end], value, "the edit must change the fixture");
    format!("{}{value}{}", &text[..start], &text[end..])
}

/// `cargo xtask infer <dir> --lang typescript` on real AWS events prints one module that
/// `tsc --strict` accepts: types sharing a definition name (`Detail`) do not clash.
#[test]
fn inferred_typescript_for_the_aws_corpus_compiles() {
    let corpus = xtask::workspace::root().join("../shared/corpus/aws-events");
    assert!(corpus.is_dir(), "the shared corpus is missing at {}", corpus.display());
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["infer", "--lang", "typescript"])
        .arg(&corpus)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("aws.ts");
    fs::write(&file, &output.stdout).unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("export interface AutoscalingEventLaunchSuccessfulDetail"), "{text}");
    let tsc = Command::new(tsc()).args(TSC_STRICT_ARGS).arg(&file).output().unwrap();
    assert!(
        tsc.status.success(),
        "tsc rejected inferred TypeScript:\n{}",
        String::from_utf8_lossy(&tsc.stdout)
    );
}
