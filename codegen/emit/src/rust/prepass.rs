//! Schema passes before typify: each makes the schema say something typify would otherwise
//! get wrong or lose.
//!
//! - [`mark_optional_nullable`]: optional properties that admit `null` are marked, so the
//!   post-pass can keep `null` apart from absent;
//! - [`drop_string_formats`]: for inferred schemas, formatted strings stay `String`.

use std::collections::BTreeMap;

use schema_model::{Node, admits_null, for_each_subschema_mut};
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
    // Owned: the properties are borrowed mutably below.
    let required: Vec<String> = Node::new(schema).required().into_iter().map(str::to_owned).collect();
    if let Some(Value::Object(properties)) = schema.get_mut("properties") {
        for (name, property) in properties.iter_mut() {
            if !required.contains(name) && admits_null(property, types) {
                mark_property(property);
                *marked += 1;
            }
        }
    }
    for_each_subschema_mut(schema, |sub| mark_in(sub, types, marked));
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

/// Removes `format` from string schemas so typify keeps them `String` (see [`Origin`]).
pub fn drop_string_formats(schema: &mut Value) {
    if Node::new(schema).has_type("string")
        && let Some(object) = schema.as_object_mut()
    {
        object.remove("format");
    }
    for_each_subschema_mut(schema, drop_string_formats);
}
