//! Hostile JSON through the whole chain, as `cargo xtask infer` and `cargo xtask corpus` meet
//! it: integers at the edges of 64 bits, enum values that differ only in case, and nesting
//! far deeper than any parser's default limit: 1,000 levels of records pass all five checks
//! (ajv, `tsc` and rustc included), 10,000 are inferred and emitted.

// Links every contract crate, so the registry sees every event.
use contracts_all as _;
use std::fs;
use std::path::Path;

use serde_json::Value;
use xtask::infer::{Lang, TypeInput, infer_all, render};

fn write(dir: &Path, path: &str, text: &str) {
    let path = dir.join(path);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

/// `levels` arrays around a record, around `levels` more arrays: deeper than typify's or
/// serde's habits, and past the point where inference starts a definition.
fn nested(levels: usize) -> String {
    format!(
        "{}{{\"inner\": {}1{}}}{}",
        "[".repeat(levels),
        "[".repeat(levels),
        "]".repeat(levels),
        "]".repeat(levels)
    )
}

#[test]
fn hostile_samples_pass_every_check_per_file_and_per_folder() {
    let corpus = tempfile::tempdir().unwrap();
    let dir = corpus.path();
    write(dir, "max.json", r#"{"id": 18446744073709551615, "ids": [0, 18446744073709551615, null]}"#);
    // i64::MIN and u64::MAX in one field, as two samples of one type.
    write(dir, "mixed/low.json", r#"{"n": -9223372036854775808}"#);
    write(dir, "mixed/high.json", r#"{"n": 18446744073709551615}"#);
    let grades: Vec<&str> = ["F", "f", "foo-bar", "foo_bar", "Self", "self"].repeat(8);
    write(dir, "grades.json", &serde_json::json!({ "grades": grades }).to_string());
    write(dir, "nested.json", &nested(20));
    // A definition per level, 1,000 deep: tsc, ajv and rustc each overflow or stop at their
    // default limits unless the output is written for depth (typed constants, a worker's
    // stack, boxes and the recursion limit the module asks for).
    write(dir, "deep/records.json", &format!("{}1{}", "{\"a\":".repeat(1_000), "}".repeat(1_000)));
    // Verdicts are kept by content (the generated code, the samples, the tools), as the
    // corpus check keeps them: the chain runs in full on a clean clone and again whenever any
    // of those changes, and a second run on an unchanged clone reads what the first proved.
    xtask::corpus::check(&xtask::workspace::root(), dir).unwrap();
}

fn infer_text(name: &str, text: &str) -> (tempfile::TempDir, Value) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(format!("{name}.json"));
    fs::write(&file, text).unwrap();
    let input = TypeInput { name: name.into(), files: vec![file] };
    let (mut schemas, _) = infer_all(&[input], &Default::default()).unwrap();
    (dir, schemas.remove(0).schema)
}

// One test per shape, so the three (each seconds of emission in a debug build) run side by
// side instead of one after another.

#[test]
fn ten_thousand_levels_of_arrays_are_inferred_validated_and_emitted_for_both_languages() {
    deep_sample_through_the_chain("Arrays", &format!("{}1{}", "[".repeat(10_000), "]".repeat(10_000)));
}

#[test]
fn ten_thousand_levels_of_records_are_inferred_and_emitted_for_both_languages() {
    deep_sample_through_the_chain("Records", &format!("{}1{}", "{\"a\":".repeat(10_000), "}".repeat(10_000)));
}

#[test]
fn five_thousand_arrays_around_a_record_around_five_thousand_more_go_through_the_chain() {
    deep_sample_through_the_chain("Both", &nested(5_000));
}

/// Infers the type `name` from `text`, validates the sample against the schema (except for
/// `Records`, see below), and emits TypeScript and Rust for it.
fn deep_sample_through_the_chain(name: &str, text: &str) {
    let (_dir, schema) = infer_text(name, text);
    // (A definition per level is slow for the validator to compile; 1,000 levels of
    // records are validated in schema-infer's own tests.)
    let validate = name != "Records";
    // The validator and serde_json's Value recurse per level: give them room (inference
    // and the emitters need none).
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .stack_size(1 << 30)
            .spawn_scoped(scope, || {
                if !validate {
                    return;
                }
                let mut deserializer = serde_json::Deserializer::from_str(text);
                deserializer.disable_recursion_limit();
                let sample: Value = serde::Deserialize::deserialize(&mut deserializer).unwrap();
                let violations = xtask::validation::violations(&schema, &sample).unwrap();
                assert!(violations.is_empty(), "{name}: {violations:?}");
            })
            .unwrap()
            .join()
            .unwrap();
    });
    let named = xtask::infer::NamedSchema { name: name.into(), schema };
    for lang in [Lang::Typescript, Lang::Rust] {
        let files = render(lang, std::slice::from_ref(&named)).unwrap();
        assert!(files[0].text.starts_with("// Generated by `cargo xtask infer`"), "{name} {lang}");
    }
}
