//! Canonical JSON text: the one way every generated JSON file is written.

use serde_json::{Map, Value};

/// `value` as pretty JSON, two-space indents and a final newline, with keys sorted at every
/// level except in a schema's `properties`, which keep the order the contract declares its
/// fields in (as serde writes them). Sorting here, not relying on the map type, keeps the
/// output identical whatever order the maps were built in.
pub fn to_canonical_string(value: &Value) -> String {
    let mut text = serde_json::to_string_pretty(&sorted(value)).expect("a JSON value serialises");
    text.push('\n');
    text
}

/// A copy of `value` with object keys in sorted order, recursively, except the keys of a
/// `properties` object, which keep their order.
pub fn sorted(value: &Value) -> Value {
    sorted_in(value, false)
}

fn sorted_in(value: &Value, keep_order: bool) -> Value {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<_> = map.iter().collect();
            if !keep_order {
                entries.sort_by_key(|(key, _)| key.as_str());
            }
            let object =
                entries.into_iter().map(|(k, v)| (k.clone(), sorted_in(v, !keep_order && k == "properties")));
            Value::Object(object.collect::<Map<_, _>>())
        }
        Value::Array(items) => Value::Array(items.iter().map(|item| sorted_in(item, false)).collect()),
        scalar => scalar.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn properties_keep_their_order_but_the_schemas_inside_are_sorted() {
        let schema = json!({"type": "object", "properties": {"zeta": {"type": "string", "description": "z"}, "alpha": {}}});
        assert_eq!(
            to_canonical_string(&schema),
            "{\n  \"properties\": {\n    \"zeta\": {\n      \"description\": \"z\",\n      \"type\": \"string\"\n    },\n    \"alpha\": {}\n  },\n  \"type\": \"object\"\n}\n"
        );
    }

    #[test]
    fn keys_are_sorted_at_every_level_and_text_ends_with_newline() {
        let text = to_canonical_string(&json!({"b": 1, "a": {"z": [{"y": 1, "x": 2}], "c": 3}}));
        assert_eq!(
            text,
            "{\n  \"a\": {\n    \"c\": 3,\n    \"z\": [\n      {\n        \"x\": 2,\n        \"y\": 1\n      }\n    ]\n  },\n  \"b\": 1\n}\n"
        );
    }
}
