//! Schema passes before typify: each makes the schema say something typify would otherwise
//! get wrong or lose.
//!
//! - [`mark_optional_nullable`]: optional properties that admit `null` are marked, so the
//!   post-pass can keep `null` apart from absent;
//! - [`drop_string_formats`]: for inferred schemas, formatted strings stay `String`.

use std::collections::BTreeMap;

use serde_json::Value;

/// Marks, in a property's description, an optional property that also admits `null`, so
/// the rewrite after typify can find its field. Never left in the output.
pub const NULLABLE_MARK: &str = "@@optional-nullable@@";

/// A copy of `schema` whose optional properties that admit `null` carry [`NULLABLE_MARK`]
/// in their description, with how many were marked.
pub fn mark_optional_nullable(schema: &Value, types: &BTreeMap<String, Value>) -> (Value, usize) {
    let mut marked = 0;
    let mut copy = schema.clone();
    mark_in(&mut copy, types, &mut marked);
    (copy, marked)
}

fn mark_in(schema: &mut Value, types: &BTreeMap<String, Value>, marked: &mut usize) {
    match schema {
        Value::Object(object) => {
            // Owned: the properties are borrowed mutably below.
            let required: Vec<String> =
                crate::required_names(object.get("required")).into_iter().map(str::to_owned).collect();
            if let Some(Value::Object(properties)) = object.get_mut("properties") {
                for (name, property) in properties.iter_mut() {
                    if !required.contains(name) && admits_null(property, types, 0) {
                        mark_property(property);
                        *marked += 1;
                    }
                }
            }
            for value in object.values_mut() {
                mark_in(value, types, marked);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| mark_in(item, types, marked)),
        _ => {}
    }
}

fn mark_property(property: &mut Value) {
    if let Value::Bool(true) = property {
        *property = serde_json::json!({});
    }
    let Some(object) = property.as_object_mut() else { return };
    if object.contains_key("$ref") {
        // A `$ref` ignores its siblings in draft-07; wrap it so the description counts.
        let reference = std::mem::take(object);
        object.insert("allOf".into(), Value::Array(vec![Value::Object(reference)]));
    }
    let description = match object.get("description").and_then(Value::as_str) {
        Some(text) => format!("{text}\n\n{NULLABLE_MARK}"),
        None => NULLABLE_MARK.to_owned(),
    };
    object.insert("description".into(), Value::String(description));
}

/// Whether `schema` accepts `null`, following `$ref`s into `types`.
fn admits_null(schema: &Value, types: &BTreeMap<String, Value>, depth: usize) -> bool {
    if depth > 32 {
        return false;
    }
    let Some(object) = schema.as_object() else { return schema == &Value::Bool(true) };
    if let Some(target) = object.get("$ref").and_then(Value::as_str) {
        let name = target.trim_start_matches("#/definitions/");
        return types.get(name).is_some_and(|t| admits_null(t, types, depth + 1));
    }
    let typed = match object.get("type") {
        Some(Value::String(t)) => Some(t == "null"),
        Some(Value::Array(ts)) => Some(ts.iter().any(|t| t == "null")),
        _ => None,
    };
    let branches =
        ["anyOf", "oneOf"].iter().filter_map(|k| object.get(*k).and_then(Value::as_array)).flatten();
    let in_branch = branches.clone().any(|b| admits_null(b, types, depth + 1));
    let all_of = object.get("allOf").and_then(Value::as_array);
    let all_admit = all_of.is_some_and(|subs| subs.iter().all(|s| admits_null(s, types, depth + 1)));
    let unconstrained = typed.is_none()
        && branches.count() == 0
        && all_of.is_none()
        && object.get("enum").is_none()
        && object.get("const").is_none();
    typed.unwrap_or(false) || in_branch || all_admit || unconstrained
}

/// Removes `format` from string schemas so typify keeps them `String` (see [`Origin`]).
pub fn drop_string_formats(schema: &mut Value) {
    match schema {
        Value::Object(object) => {
            let is_string = object.get("type").is_some_and(|t| {
                t == "string" || t.as_array().is_some_and(|ts| ts.iter().any(|t| t == "string"))
            });
            if is_string {
                object.remove("format");
            }
            object.values_mut().for_each(drop_string_formats);
        }
        Value::Array(items) => items.iter_mut().for_each(drop_string_formats),
        _ => {}
    }
}
