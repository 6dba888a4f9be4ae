//! Block-style YAML from JSON values, with every string double-quoted.
//!
//! Why not a YAML library: their emitters write strings plain whenever YAML 1.2 allows, and
//! `2026-03-20T13:48:13Z` written plain is a *timestamp* to YAML 1.1 readers (js-yaml's
//! default schema, PyYAML, most JavaScript tooling), so samples would change type on the
//! way to a consumer. A double-quoted scalar is a string to every YAML reader, and JSON's
//! string escapes are a subset of YAML's, so `serde_json` writes each one. Keys stay plain
//! where that is unambiguous. Everything else (numbers, booleans, null, `[]`, `{}`) is
//! written as JSON writes it, which every YAML reader reads alike.

use serde_json::Value;

/// The document: top-level keys in the given order, each value in block style.
pub fn document(entries: &[(&str, Value)]) -> String {
    let mut out = String::new();
    for (key, value) in entries {
        entry(&mut out, key, value, 0);
    }
    out
}

fn entry(out: &mut String, key: &str, value: &Value, indent: usize) {
    out.push_str(&" ".repeat(indent));
    out.push_str(&key_text(key));
    out.push(':');
    if is_inline(value) {
        out.push(' ');
        out.push_str(&scalar(value));
        out.push('\n');
    } else {
        out.push('\n');
        block(out, value, indent + 2);
    }
}

/// A non-empty mapping or sequence, starting on a fresh line at `indent`.
fn block(out: &mut String, value: &Value, indent: usize) {
    match value {
        Value::Object(map) => {
            for (key, value) in map {
                entry(out, key, value, indent);
            }
        }
        Value::Array(items) => {
            for item in items {
                out.push_str(&" ".repeat(indent));
                out.push('-');
                if is_inline(item) {
                    out.push(' ');
                    out.push_str(&scalar(item));
                    out.push('\n');
                } else {
                    // The item's block goes one level in, its first line after the dash.
                    let mut nested = String::new();
                    block(&mut nested, item, indent + 2);
                    out.push(' ');
                    out.push_str(&nested[indent + 2..]);
                }
            }
        }
        scalar_value => {
            out.push_str(&" ".repeat(indent));
            out.push_str(&scalar(scalar_value));
            out.push('\n');
        }
    }
}

fn is_inline(value: &Value) -> bool {
    match value {
        Value::Object(map) => map.is_empty(),
        Value::Array(items) => items.is_empty(),
        _ => true,
    }
}

fn scalar(value: &Value) -> String {
    serde_json::to_string(value).expect("a JSON scalar serialises")
}

/// A key as written: plain when it is an identifier-like word no reader takes for anything
/// but a string, else double-quoted.
fn key_text(key: &str) -> String {
    const RESERVED: &[&str] = &["true", "false", "null", "yes", "no", "on", "off", "y", "n", "~"];
    let plain = key.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && key.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '$' | '.' | '-'))
        && !RESERVED.contains(&key.to_ascii_lowercase().as_str());
    if plain { key.to_owned() } else { serde_json::to_string(key).expect("a string serialises") }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn strings_are_always_quoted_so_no_reader_retypes_them() {
        let text = document(&[("at", json!("2026-03-20T13:48:13Z")), ("answer", json!("no"))]);
        assert_eq!(text, "at: \"2026-03-20T13:48:13Z\"\nanswer: \"no\"\n");
    }

    #[test]
    fn nested_mappings_and_sequences_are_indented_in_block_style_keys_in_their_order() {
        let value = json!({"list": [{"a": 1, "b": [true, null]}, [], "x"], "empty": {}, "on": "k"});
        let text = document(&[("root", value)]);
        let expected = "root:\n  list:\n    - a: 1\n      b:\n        - true\n        - null\n    - []\n    - \"x\"\n  empty: {}\n  \"on\": \"k\"\n";
        assert_eq!(text, expected);
    }

    #[test]
    fn keys_that_are_not_plain_words_are_quoted() {
        assert_eq!(key_text("$ref"), "$ref");
        assert_eq!(key_text("x-eventbridge-source"), "x-eventbridge-source");
        assert_eq!(key_text("detail type"), "\"detail type\"");
        assert_eq!(key_text("200"), "\"200\"");
        assert_eq!(key_text("Yes"), "\"Yes\"");
    }
}
