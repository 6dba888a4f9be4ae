//! Coverage as a specification: each test states one rule on a small schema.

use serde_json::{Value, json};

use super::*;

fn schema() -> Value {
    json!({
        "type": "object",
        "required": ["items", "specs"],
        "properties": {
            "note": {"type": ["string", "null"]},
            "items": {"type": "array", "items": {"$ref": "#/definitions/Item"}},
            "specs": {"type": "object", "additionalProperties": {"type": "number"}},
            "storage": {"oneOf": [
                {"type": "object", "required": ["type"], "properties": {"type": {"type": "string", "const": "silo"}, "number": {"type": "integer"}}},
                {"type": "object", "required": ["type"], "properties": {"type": {"type": "string", "const": "bags"}, "count": {"type": "integer"}}}
            ]}
        },
        "definitions": {
            "Item": {"type": "object", "properties": {"grade": {"anyOf": [{"$ref": "#/definitions/Grade"}, {"type": "null"}]}}},
            "Grade": {"type": "object", "properties": {"code": {"type": "string"}}}
        }
    })
}

fn kinds(coverage: &Coverage) -> Vec<(String, GapKind)> {
    coverage.gaps.iter().map(|g| (g.path.clone(), g.kind)).collect()
}

#[test]
fn a_full_sample_has_no_gaps() {
    let sample = json!({
        "note": "n", "items": [{"grade": {"code": "H1"}}], "specs": {"moisture": 12.5},
        "storage": {"type": "bags", "count": 3}
    });
    let coverage = check(&schema(), &[sample]);
    assert_eq!(coverage.gaps, vec![]);
    assert_eq!(coverage.untaken.len(), 1, "silo is never taken: {:?}", coverage.untaken);
    assert_eq!(coverage.untaken[0].variant, "type = silo");
}

#[test]
fn every_kind_of_gap_is_reported_at_its_first_place() {
    let sample = json!({
        "note": null, "items": [{"grade": null}, {}], "specs": {},
        "storage": {"type": "bags"}
    });
    assert_eq!(
        kinds(&check(&schema(), &[sample])),
        [
            ("/items/0/grade".to_owned(), GapKind::Null),
            ("/note".to_owned(), GapKind::Null),
            ("/specs".to_owned(), GapKind::EmptyMap),
            ("/storage/count".to_owned(), GapKind::Missing),
        ]
    );
}

#[test]
fn a_field_needs_a_value_once_not_in_every_instance() {
    let sample = json!({"note": "n", "items": [{"grade": null}, {"grade": {"code": "H1"}}, {}], "specs": {"a": 1},
        "storage": {"type": "silo", "number": 4}});
    assert_eq!(check(&schema(), &[sample]).gaps, vec![]);
}

#[test]
fn a_gap_in_a_definition_names_it_and_the_sample_it_is_in() {
    let first = json!({"note": "n", "items": [{"grade": {}}], "specs": {"a": 1}, "storage": {"type": "silo", "number": 4}});
    let gaps = check(&schema(), &[first.clone(), first]).gaps;
    assert_eq!(gaps.len(), 1);
    assert_eq!(
        gaps[0].describe(),
        "sample has no value at /items/0/grade/code, as in every `Grade` of the samples; set the field"
    );
}

#[test]
fn samples_together_cover_what_each_alone_does_not() {
    let silo =
        json!({"note": null, "items": [], "specs": {"a": 1}, "storage": {"type": "silo", "number": 1}});
    let bags = json!({"note": "n", "items": [{"grade": {"code": "H"}}], "specs": {}, "storage": {"type": "bags", "count": 2}});
    let coverage = check(&schema(), &[silo, bags]);
    assert_eq!(coverage.gaps, vec![]);
    assert_eq!(coverage.untaken, vec![]);
}

/// `struct Category { children: Vec<Category>, parent: Option<Box<Category>> }`: a finite
/// sample covers it once some category has children and some has a parent.
#[test]
fn recursive_types_are_coverable() {
    let schema = json!({"$ref": "#/definitions/Category", "definitions": {"Category": {"type": "object",
    "required": ["children", "parent"],
    "properties": {
        "children": {"type": "array", "items": {"$ref": "#/definitions/Category"}},
        "parent": {"anyOf": [{"$ref": "#/definitions/Category"}, {"type": "null"}]}
    }}}});
    let leaf = json!({"children": [], "parent": null});
    let sample = json!({"children": [{"children": [], "parent": leaf}], "parent": null});
    assert_eq!(check(&schema, &[sample]).gaps, vec![]);
}

/// serde's default enum representation: `{"Circle": 1.5}` takes the `Circle` branch, not the
/// first object branch.
#[test]
fn externally_tagged_variants_take_their_own_branch() {
    let schema = json!({"type": "array", "items": {"oneOf": [
        {"type": "string", "const": "Point"},
        {"type": "object", "required": ["Circle"], "additionalProperties": false, "properties": {"Circle": {"type": "number"}}},
        {"type": "object", "required": ["Rect"], "additionalProperties": false,
         "properties": {"Rect": {"type": "object", "required": ["w"], "properties": {"w": {"type": "number"}, "h": {"type": "number"}}}}}
    ]}});
    let sample = json!(["Point", {"Circle": 1.5}, {"Rect": {"w": 2.0, "h": 1.0}}]);
    let coverage = check(&schema, &[sample]);
    assert_eq!(coverage.gaps, vec![]);
    assert_eq!(coverage.untaken, vec![]);
}

#[test]
fn pointer_segments_with_slashes_are_escaped() {
    let schema = json!({"type": "object", "properties": {"a/b": {"type": "string"}}});
    assert_eq!(gaps(&schema, &json!({}))[0].path, "/a~1b");
}

#[test]
fn a_self_referencing_schema_does_not_loop() {
    let schema = json!({"$ref": "#/definitions/A", "definitions": {"A": {"$ref": "#/definitions/A"}}});
    assert_eq!(gaps(&schema, &json!({"x": 1})), vec![]);
}
