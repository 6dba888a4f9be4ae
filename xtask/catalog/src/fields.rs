//! A draft-07 schema as readable tables: one row per property (name, type, required,
//! nullable, description, format) and one section per named type.
//!
//! Reads whatever the generator publishes, in every spelling of nullability (`type: [T,
//! "null"]`, a `null` branch of `anyOf`/`oneOf`, `nullable: true`) and of references (a bare
//! `$ref`, or one wrapped in a one-branch `allOf` to carry a description).

use schema_model::{Node, admits_null, is_null_only};
use serde::Serialize;
use serde_json::{Map, Value};

/// A piece of a type's label: text, linking to a named type's section when `anchor` is set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Part {
    /// What is shown.
    pub text: String,
    /// The named type it refers to, if any.
    pub anchor: Option<String>,
}

/// One property of an object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Field {
    /// The JSON property name.
    pub name: String,
    /// Its type, e.g. `Money`, `array of Allocation`, `"AUD" | "USD"`.
    pub kind: Vec<Part>,
    /// Whether it must be present.
    pub required: bool,
    /// Whether it may be `null`.
    pub nullable: bool,
    /// Its description, or "".
    pub description: String,
    /// Its `format` (of the value, or of the items of an array), or "".
    pub format: String,
}

/// A named type (`definitions`) of the schema.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NamedType {
    /// The definition's name (the anchor of its section).
    pub name: String,
    /// Its description, or "".
    pub description: String,
    /// Its fields when it is an object.
    pub fields: Vec<Field>,
    /// Its variants when it is an enumeration or a union: each a label and a description.
    pub variants: Vec<Variant>,
    /// What it is otherwise, e.g. `string`.
    pub alias: Vec<Part>,
}

/// One variant of an enumeration or union.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Variant {
    /// The value (`"AUD"`) or the variant's type label.
    pub label: Vec<Part>,
    /// Its description, or "".
    pub description: String,
    /// Its fields when the variant is an object.
    pub fields: Vec<Field>,
}

/// The root object's fields.
pub fn fields(schema: &Value) -> Vec<Field> {
    let required = Node::new(schema).required();
    schema
        .get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(name, property)| Field {
            name: name.clone(),
            kind: label(property),
            required: required.contains(&name.as_str()),
            nullable: nullable(property),
            description: text(property, "description"),
            format: format_of(property),
        })
        .collect()
}

/// Every named type of the schema, by name.
pub fn named_types(schema: &Value) -> Vec<NamedType> {
    let empty = Map::new();
    let definitions = schema.get("definitions").and_then(Value::as_object).unwrap_or(&empty);
    definitions
        .iter()
        .map(|(name, definition)| {
            let branches = union_branches(definition);
            let variants: Vec<Variant> =
                if let Some(values) = definition.get("enum").and_then(Value::as_array) {
                    values
                        .iter()
                        .map(|v| Variant {
                            label: plain(&v.to_string()),
                            description: String::new(),
                            fields: vec![],
                        })
                        .collect()
                } else {
                    branches
                        .iter()
                        .map(|branch| Variant {
                            label: tag(branch).unwrap_or_else(|| label(branch)),
                            description: text(branch, "description"),
                            fields: fields(branch),
                        })
                        .collect()
                };
            let object = definition.get("properties").is_some();
            NamedType {
                name: name.clone(),
                description: text(definition, "description"),
                fields: if object { fields(definition) } else { Vec::new() },
                alias: if object || !variants.is_empty() { Vec::new() } else { label(definition) },
                variants,
            }
        })
        .collect()
}

/// A tagged-union variant's tag, `method = "delivered"`: the property whose value is fixed.
fn tag(branch: &Value) -> Option<Vec<Part>> {
    branch.get("properties")?.as_object()?.iter().find_map(|(name, property)| {
        let fixed = property.get("const").or_else(|| match property.get("enum")?.as_array()?.as_slice() {
            [only] => Some(only),
            _ => None,
        })?;
        Some(plain(&format!("{name} = {fixed}")))
    })
}

fn text(schema: &Value, key: &str) -> String {
    schema.get(key).and_then(Value::as_str).unwrap_or_default().to_owned()
}

fn plain(text: &str) -> Vec<Part> {
    vec![Part { text: text.to_owned(), anchor: None }]
}

/// The non-null branches of a `oneOf`/`anyOf`.
fn union_branches(schema: &Value) -> Vec<&Value> {
    ["oneOf", "anyOf"]
        .iter()
        .filter_map(|key| schema.get(*key).and_then(Value::as_array))
        .flatten()
        .filter(|branch| !is_null_only(branch, &Value::Null))
        .collect()
}

/// Whether the value may be `null`, in any spelling (the schema's own keywords; a `$ref`'s
/// target has its own section).
pub fn nullable(schema: &Value) -> bool {
    admits_null(schema, &Value::Null)
}

fn single_all_of(schema: &Value) -> Option<&Value> {
    match schema.get("allOf").and_then(Value::as_array).map(Vec::as_slice) {
        Some([only]) => Some(only),
        _ => None,
    }
}

fn format_of(schema: &Value) -> String {
    if let Some(format) = schema.get("format").and_then(Value::as_str) {
        return format.to_owned();
    }
    if let Some(inner) = single_all_of(schema) {
        return format_of(inner);
    }
    if let Some(items) = schema.get("items").filter(|i| i.is_object()) {
        return format_of(items);
    }
    match union_branches(schema).as_slice() {
        [only] => format_of(only),
        _ => String::new(),
    }
}

/// A short label for a schema's type.
pub fn label(schema: &Value) -> Vec<Part> {
    if let Some(target) = schema.get("$ref").and_then(Value::as_str) {
        let name = schema_model::pointer::last_segment(target);
        return vec![Part { text: name.clone(), anchor: Some(name) }];
    }
    if let Some(inner) = single_all_of(schema) {
        return label(inner);
    }
    if let Some(value) = schema.get("const") {
        return plain(&value.to_string());
    }
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        let shown: Vec<String> = values.iter().filter(|v| !v.is_null()).map(Value::to_string).collect();
        return plain(&shown.join(" | "));
    }
    let branches = union_branches(schema);
    if !branches.is_empty() {
        return join(branches.iter().map(|b| label(b)).collect());
    }
    let types: Vec<&str> = match schema.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(list)) => list.iter().filter_map(Value::as_str).filter(|t| *t != "null").collect(),
        _ => Vec::new(),
    };
    if types.is_empty() {
        return plain("any");
    }
    join(types.into_iter().map(|t| single_type(schema, t)).collect())
}

fn single_type(schema: &Value, type_name: &str) -> Vec<Part> {
    match type_name {
        "array" => match schema.get("items") {
            Some(items) if items.is_object() => prefixed("array of ", label(items)),
            Some(Value::Array(tuple)) => prefixed("tuple of ", join(tuple.iter().map(label).collect())),
            _ => plain("array"),
        },
        "object" if schema.get("properties").is_none() => match schema.get("additionalProperties") {
            Some(values) if values.is_object() => prefixed("map of ", label(values)),
            _ => plain("object"),
        },
        other => plain(other),
    }
}

fn prefixed(prefix: &str, mut parts: Vec<Part>) -> Vec<Part> {
    parts.insert(0, Part { text: prefix.to_owned(), anchor: None });
    parts
}

fn join(labels: Vec<Vec<Part>>) -> Vec<Part> {
    let mut out = Vec::new();
    for (index, parts) in labels.into_iter().enumerate() {
        if index > 0 {
            out.push(Part { text: " | ".to_owned(), anchor: None });
        }
        out.extend(parts);
    }
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn shown(parts: &[Part]) -> String {
        parts.iter().map(|p| p.text.as_str()).collect()
    }

    #[test]
    fn every_spelling_of_nullable_is_recognised() {
        assert!(nullable(&json!({"type": ["string", "null"]})));
        assert!(nullable(&json!({"anyOf": [{"$ref": "#/definitions/Money"}, {"type": "null"}]})));
        assert!(nullable(&json!({"allOf": [{"oneOf": [{"type": "integer"}, {"enum": [null]}]}]})));
        assert!(nullable(&json!({"type": "string", "nullable": true})));
        assert!(!nullable(&json!({"type": "string"})));
    }

    #[test]
    fn labels_name_references_arrays_maps_and_enums() {
        assert_eq!(shown(&label(&json!({"allOf": [{"$ref": "#/definitions/Money"}]}))), "Money");
        assert_eq!(label(&json!({"$ref": "#/definitions/Money"}))[0].anchor.as_deref(), Some("Money"));
        assert_eq!(
            shown(&label(&json!({"type": "array", "items": {"$ref": "#/definitions/A"}}))),
            "array of A"
        );
        assert_eq!(
            shown(&label(&json!({"type": "object", "additionalProperties": {"type": "integer"}}))),
            "map of integer"
        );
        assert_eq!(shown(&label(&json!({"enum": ["AUD", "USD", null]}))), "\"AUD\" | \"USD\"");
        assert_eq!(shown(&label(&json!({"type": ["string", "null"]}))), "string");
        assert_eq!(shown(&label(&json!({}))), "any");
    }

    #[test]
    fn a_tagged_variant_is_labelled_by_its_tag() {
        let schema = json!({"definitions": {"Terms": {"oneOf": [
            {"type": "object", "properties": {"method": {"enum": ["exFarm"]}, "farmId": {"type": "string"}}}]}}});
        let types = named_types(&schema);
        assert_eq!(shown(&types[0].variants[0].label), "method = \"exFarm\"");
        assert_eq!(types[0].variants[0].fields.len(), 2);
    }

    #[test]
    fn fields_say_required_nullable_and_format() {
        let schema = json!({"required": ["at"], "properties": {
            "at": {"type": "string", "format": "date-time", "description": "When."},
            "ids": {"type": ["array", "null"], "items": {"type": "string", "format": "uuid"}}}});
        let rows = fields(&schema);
        assert_eq!((rows[0].name.as_str(), rows[0].required, rows[0].nullable), ("at", true, false));
        assert_eq!((rows[0].format.as_str(), rows[0].description.as_str()), ("date-time", "When."));
        assert_eq!((rows[1].required, rows[1].nullable, rows[1].format.as_str()), (false, true, "uuid"));
        assert_eq!(shown(&rows[1].kind), "array of string");
    }
}
