//! The coverage check: a sample must give a value to every property of its type's schema.
//!
//! A sample is the example in every schema, the snapshot and the test fixture; a field it
//! leaves out is a field no consumer ever sees an example of, and whose serialisation no test
//! exercises. So every property must be present and not null, and every list and map
//! non-empty, recursively through `$ref`s, array items and map values.
//!
//! Of a `oneOf`/`anyOf` (an `Option`, a tagged enum) only the branch the sample takes is
//! checked: one value can take one variant, and demanding all would make single-valued enum
//! fields impossible to cover.

use serde_json::Value;

use crate::json::pointer_push;

/// A place where the sample gives a field no value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gap {
    /// JSON Pointer to the field in the sample, e.g. `/trade/brokerId`.
    pub path: String,
    /// What is wrong there.
    pub kind: GapKind,
}

/// How a field lacks a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GapKind {
    /// The property is absent.
    Missing,
    /// The property is `null` (an `Option` left `None`).
    Null,
    /// The array is empty.
    EmptyArray,
    /// The map is empty.
    EmptyMap,
}

impl Gap {
    /// What the factory must do to close this gap.
    pub fn describe(&self) -> String {
        let path = &self.path;
        match self.kind {
            GapKind::Missing => format!("sample has no value at {path}; set the field"),
            GapKind::Null => format!("sample leaves {path} null; give the Option a Some value"),
            GapKind::EmptyArray => format!("sample leaves {path} empty; give it a non-empty list"),
            GapKind::EmptyMap => format!("sample leaves {path} empty; give the map at least one entry"),
        }
    }
}

/// Every gap in `sample` against `schema` (a root schema with `definitions`), sorted by path.
pub fn gaps(schema: &Value, sample: &Value) -> Vec<Gap> {
    let mut walker = Walker { root: schema, gaps: Vec::new() };
    walker.visit(schema, sample, String::new());
    walker.gaps.sort_by(|a, b| a.path.cmp(&b.path));
    walker.gaps
}

struct Walker<'s> {
    root: &'s Value,
    gaps: Vec<Gap>,
}

/// `$ref` chains longer than this are treated as a cycle and not followed.
const MAX_REF_HOPS: usize = 64;

impl<'s> Walker<'s> {
    fn visit(&mut self, schema: &'s Value, value: &Value, path: String) {
        let schema = self.resolve(schema);
        for sub in array(schema, "allOf") {
            self.visit(sub, value, path.clone());
        }
        for keyword in ["oneOf", "anyOf"] {
            if let Some(branch) = self.branch_taken(array(schema, keyword), value) {
                self.visit(branch, value, path.clone());
            }
        }
        match value {
            Value::Object(object) => {
                let properties = schema.get("properties").and_then(Value::as_object);
                for (name, property) in properties.into_iter().flatten() {
                    let field = pointer_push(&path, name);
                    match object.get(name) {
                        None => self.gap(field, GapKind::Missing),
                        Some(Value::Null) if !self.only_null(property) => self.gap(field, GapKind::Null),
                        Some(inner) => self.visit(property, inner, field),
                    }
                }
                if let Some(values) = schema.get("additionalProperties").filter(|s| s.is_object()) {
                    let declared = |key: &String| properties.is_some_and(|p| p.contains_key(key));
                    let mut entries = object.iter().filter(|(key, _)| !declared(key)).peekable();
                    if entries.peek().is_none() && properties.is_none_or(|p| p.is_empty()) {
                        self.gap(path.clone(), GapKind::EmptyMap);
                    }
                    for (key, inner) in entries {
                        self.visit(values, inner, pointer_push(&path, key));
                    }
                }
            }
            Value::Array(items) => {
                if let Some(item_schema) = schema.get("items").filter(|s| s.is_object()) {
                    if items.is_empty() {
                        self.gap(path.clone(), GapKind::EmptyArray);
                    }
                    for (index, item) in items.iter().enumerate() {
                        self.visit(item_schema, item, pointer_push(&path, &index.to_string()));
                    }
                }
            }
            _ => {}
        }
    }

    fn gap(&mut self, path: String, kind: GapKind) {
        self.gaps.push(Gap { path, kind });
    }

    /// Follows `$ref`s to `#/definitions/...` in the root schema.
    fn resolve(&self, mut schema: &'s Value) -> &'s Value {
        for _ in 0..MAX_REF_HOPS {
            let Some(target) = schema.get("$ref").and_then(Value::as_str) else { break };
            match target.strip_prefix('#').and_then(|pointer| self.root.pointer(pointer)) {
                Some(resolved) => schema = resolved,
                None => break,
            }
        }
        schema
    }

    /// The branch of a `oneOf`/`anyOf` that `value` takes: the first whose type admits the
    /// value and whose constant-valued properties (tags) match it.
    fn branch_taken(&self, branches: &'s [Value], value: &Value) -> Option<&'s Value> {
        branches.iter().find(|branch| {
            let branch = self.resolve(branch);
            admits_type(branch, value) && tags_match(branch, value)
        })
    }

    fn only_null(&self, schema: &'s Value) -> bool {
        self.resolve(schema).get("type").and_then(Value::as_str) == Some("null")
    }
}

fn array<'s>(schema: &'s Value, keyword: &str) -> &'s [Value] {
    schema.get(keyword).and_then(Value::as_array).map_or(&[], Vec::as_slice)
}

/// Whether the schema's `type` (if any) admits the value's JSON type.
fn admits_type(schema: &Value, value: &Value) -> bool {
    let value_types: &[&str] = match value {
        Value::Null => &["null"],
        Value::Bool(_) => &["boolean"],
        Value::Number(n) if n.is_f64() => &["number"],
        Value::Number(_) => &["integer", "number"],
        Value::String(_) => &["string"],
        Value::Array(_) => &["array"],
        Value::Object(_) => &["object"],
    };
    match schema.get("type") {
        Some(Value::String(t)) => value_types.contains(&t.as_str()),
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).any(|t| value_types.contains(&t)),
        _ => true,
    }
}

/// Whether every property the schema pins to one value (`const`, or a one-item `enum`) has
/// that value in `value`: how an internally tagged enum's variant is recognised.
fn tags_match(schema: &Value, value: &Value) -> bool {
    let Some(properties) = schema.get("properties").and_then(Value::as_object) else {
        return true;
    };
    properties.iter().all(|(name, property)| {
        let pinned = property.get("const").or_else(|| match property.get("enum") {
            Some(Value::Array(values)) if values.len() == 1 => values.first(),
            _ => None,
        });
        pinned.is_none_or(|expected| value.get(name) == Some(expected))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn schema() -> Value {
        json!({
            "type": "object",
            "required": ["items", "specs"],
            "properties": {
                "note": {"type": ["string", "null"]},
                "items": {"type": "array", "items": {"$ref": "#/definitions/Item"}},
                "specs": {"type": "object", "additionalProperties": {"type": "number"}},
                "storage": {"oneOf": [
                    {"type": "object", "properties": {"type": {"type": "string", "enum": ["silo"]}, "number": {"type": "integer"}}},
                    {"type": "object", "properties": {"type": {"type": "string", "enum": ["bags"]}, "count": {"type": "integer"}}}
                ]}
            },
            "definitions": {
                "Item": {"type": "object", "properties": {"grade": {"anyOf": [{"$ref": "#/definitions/Grade"}, {"type": "null"}]}}},
                "Grade": {"type": "object", "properties": {"code": {"type": "string"}}}
            }
        })
    }

    #[test]
    fn a_full_sample_has_no_gaps() {
        let sample = json!({
            "note": "n", "items": [{"grade": {"code": "H1"}}], "specs": {"moisture": 12.5},
            "storage": {"type": "bags", "count": 3}
        });
        assert_eq!(gaps(&schema(), &sample), vec![]);
    }

    #[test]
    fn every_kind_of_gap_is_reported_with_its_path() {
        let sample = json!({
            "note": null, "items": [{"grade": {"code": "H1"}}, {"grade": null}, {}], "specs": {},
            "storage": {"type": "bags"}
        });
        let found: Vec<_> = gaps(&schema(), &sample).into_iter().map(|g| (g.path, g.kind)).collect();
        assert_eq!(
            found,
            vec![
                ("/items/1/grade".to_owned(), GapKind::Null),
                ("/items/2/grade".to_owned(), GapKind::Missing),
                ("/note".to_owned(), GapKind::Null),
                ("/specs".to_owned(), GapKind::EmptyMap),
                ("/storage/count".to_owned(), GapKind::Missing),
            ]
        );
    }

    #[test]
    fn an_empty_list_is_a_gap_and_nested_fields_go_through_refs() {
        let sample =
            json!({"note": "n", "items": [], "specs": {"a": 1}, "storage": {"type": "silo", "number": 4}});
        assert_eq!(gaps(&schema(), &sample), vec![Gap { path: "/items".into(), kind: GapKind::EmptyArray }]);
        let nested = json!({"note": "n", "items": [{"grade": {}}], "specs": {"a": 1}, "storage": {"type": "silo", "number": 4}});
        assert_eq!(
            gaps(&schema(), &nested),
            vec![Gap { path: "/items/0/grade/code".into(), kind: GapKind::Missing }]
        );
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
}
