//! Input no one planted: every pair of published schemas, degenerate schemas and
//! self-referencing unions compare without errors, panics or endless recursion.

use std::fs;
use std::path::Path;

use schema_compat::{Policy, compare};
use serde_json::{Value, json};

fn published() -> Vec<Value> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut all = Vec::new();
    for source in fs::read_dir(root).expect("fixtures") {
        for file in fs::read_dir(source.expect("entry").path()).expect("source") {
            let text = fs::read_to_string(file.expect("entry").path()).expect("readable");
            all.push(serde_json::from_str(&text).expect("JSON"));
        }
    }
    all
}

#[test]
fn every_pair_of_published_schemas_compares_symmetrically() {
    let all = published();
    for old in &all {
        for new in &all {
            for policy in [Policy::Strict, Policy::Lenient] {
                let there = compare(old, new, policy).expect("published schemas are readable");
                let back = compare(new, old, policy).expect("published schemas are readable");
                let breaks = |found: &[schema_compat::Difference], forward: bool| {
                    found.iter().any(|d| if forward { d.breaks_forward } else { d.breaks_backward })
                };
                assert_eq!(breaks(&there, true), breaks(&back, false), "{} → {}", old["title"], new["title"]);
                assert_eq!(breaks(&there, false), breaks(&back, true), "{} → {}", old["title"], new["title"]);
            }
        }
    }
}

#[test]
fn degenerate_schemas_compare_with_every_published_schema() {
    let degenerate = [json!(true), json!(false), json!({}), json!({"type": "null"}), json!({"not": {}})];
    for schema in published() {
        for other in &degenerate {
            compare(&schema, other, Policy::Strict).expect("readable");
            compare(other, &schema, Policy::Strict).expect("readable");
        }
    }
}

#[test]
fn self_referencing_unions_terminate() {
    let old = json!({
        "$ref": "#/definitions/Expr",
        "definitions": {
            "Expr": {"oneOf": [{"$ref": "#/definitions/Expr"}, {"type": "string"}, {"$ref": "#/definitions/Sum"}]},
            "Sum": {"type": "object", "properties": {"terms": {"type": "array", "items": {"$ref": "#/definitions/Expr"}}}}
        }
    });
    let mut new = old.clone();
    new["definitions"]["Sum"]["properties"]["terms"]["maxItems"] = json!(8);
    let found = compare(&old, &new, Policy::Strict).expect("readable");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].path, "/definitions/Sum/properties/terms");
}
