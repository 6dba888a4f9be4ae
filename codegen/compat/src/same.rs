//! Equality of schemas and of values up to what consumers can tell apart: annotations are
//! ignored, `1` and `1.0` are the same number.

use serde_json::{Map, Value};

use crate::view::is_annotation;

/// Whether two schemas are the same once annotations (descriptions, titles, examples) are
/// ignored. `$ref`s compare by their text; names inside `properties` are never annotations.
pub(crate) fn same_schema(a: &Value, b: &Value) -> bool {
    let (Value::Object(a), Value::Object(b)) = (a, b) else { return a == b };
    same_schema_object(a, b)
}

/// [`same_schema`] for two schema objects.
pub(crate) fn same_schema_object(a: &Map<String, Value>, b: &Map<String, Value>) -> bool {
    let relevant = |map: &'_ Map<String, Value>| map.keys().filter(|k| !is_annotation(k)).count();
    relevant(a) == relevant(b)
        && a.iter().filter(|(k, _)| !is_annotation(k)).all(|(key, x)| {
            let Some(y) = b.get(key) else { return false };
            match key.as_str() {
                "properties" | "patternProperties" | "dependencies" | "dependentSchemas" | "$defs" => {
                    same_named(x, y)
                }
                "items" | "prefixItems" | "allOf" | "anyOf" | "oneOf" if x.is_array() => same_list(x, y),
                "enum" | "const" | "required" | "type" | "pattern" | "format" => same_value(x, y),
                _ if x.is_object() || x.is_boolean() => same_schema(x, y),
                _ => same_value(x, y),
            }
        })
}

fn same_named(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Object(a), Value::Object(b)) => {
            a.len() == b.len() && a.iter().all(|(k, x)| b.get(k).is_some_and(|y| same_schema(x, y)))
        }
        _ => a == b,
    }
}

fn same_list(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same_schema(x, y))
        }
        _ => false,
    }
}

/// JSON equality where `1` and `1.0` are the same number.
pub(crate) fn same_value(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x == y || x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same_value(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, p)| y.get(k).is_some_and(|q| same_value(p, q)))
        }
        _ => a == b,
    }
}
