//! Canonical JSON text: the one way every generated JSON file is written.

use serde_json::{Map, Value};

/// `value` as pretty JSON with keys sorted at every level, two-space indents and a final
/// newline. Sorting here (not relying on `serde_json`'s map type) keeps output identical even
/// if some dependency turns on `serde_json/preserve_order` through feature unification.
pub fn to_canonical_string(value: &Value) -> String {
    let mut text = serde_json::to_string_pretty(&sorted(value)).expect("a JSON value serialises");
    text.push('\n');
    text
}

/// A copy of `value` with object keys in sorted order, recursively.
pub fn sorted(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<_> = map.iter().collect();
            entries.sort_by_key(|(key, _)| key.as_str());
            Value::Object(entries.into_iter().map(|(k, v)| (k.clone(), sorted(v))).collect::<Map<_, _>>())
        }
        Value::Array(items) => Value::Array(items.iter().map(sorted).collect()),
        scalar => scalar.clone(),
    }
}

/// Appends `segment` to a JSON Pointer (RFC 6901), escaping `~` and `/`.
pub fn pointer_push(pointer: &str, segment: &str) -> String {
    format!("{pointer}/{}", segment.replace('~', "~0").replace('/', "~1"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keys_are_sorted_at_every_level_and_text_ends_with_newline() {
        let text = to_canonical_string(&json!({"b": 1, "a": {"z": [{"y": 1, "x": 2}], "c": 3}}));
        assert_eq!(
            text,
            "{\n  \"a\": {\n    \"c\": 3,\n    \"z\": [\n      {\n        \"x\": 2,\n        \"y\": 1\n      }\n    ]\n  },\n  \"b\": 1\n}\n"
        );
    }

    #[test]
    fn pointer_segments_are_escaped() {
        assert_eq!(pointer_push("/a", "b/c~d"), "/a/b~1c~0d");
    }
}
