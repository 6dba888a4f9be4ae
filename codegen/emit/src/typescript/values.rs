//! JSON values as TypeScript expressions, for fixtures that assign samples to their types.

use std::fmt::Write as _;

use serde_json::Value;

/// `value` as a pretty-printed TypeScript literal (two-space indents, continuing at `indent`).
///
/// JSON text is almost a TypeScript literal; the exception is a `"__proto__"` key, which in
/// an object literal sets the prototype instead of a property, so it is written as the
/// computed key `["__proto__"]`. Strings use [`schema_ident::typescript_string`].
pub fn value_literal(value: &Value, indent: &str) -> String {
    let inner = format!("{indent}  ");
    match value {
        Value::Object(object) if object.is_empty() => "{}".into(),
        Value::Object(object) => {
            let mut text = String::from("{\n");
            for (index, (key, item)) in object.iter().enumerate() {
                let key = match key.as_str() {
                    "__proto__" => "[\"__proto__\"]".to_owned(),
                    key => schema_ident::typescript_string(key),
                };
                let comma = if index + 1 < object.len() { "," } else { "" };
                let _ = writeln!(text, "{inner}{key}: {}{comma}", value_literal(item, &inner));
            }
            let _ = write!(text, "{indent}}}");
            text
        }
        Value::Array(items) if items.is_empty() => "[]".into(),
        Value::Array(items) => {
            let mut text = String::from("[\n");
            for (index, item) in items.iter().enumerate() {
                let comma = if index + 1 < items.len() { "," } else { "" };
                let _ = writeln!(text, "{inner}{}{comma}", value_literal(item, &inner));
            }
            let _ = write!(text, "{indent}]");
            text
        }
        Value::String(text) => schema_ident::typescript_string(text),
        scalar => scalar.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_proto_key_is_computed_and_the_rest_is_json() {
        let value = json!({"__proto__": "x", "a\u{2028}": [1, null, true], "e": {}});
        assert_eq!(
            value_literal(&value, ""),
            "{\n  [\"__proto__\"]: \"x\",\n  \"a\\u2028\": [\n    1,\n    null,\n    true\n  ],\n  \"e\": {}\n}"
        );
    }
}
