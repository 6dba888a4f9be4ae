//! Hostile input: each gives a schema that accepts it, or a clear error; never a panic, a
//! stack overflow or unbounded memory.

use schema_infer::{Hints, InferError, Inferrer};
use serde_json::{Map, Value, json};

use crate::support;
use support::violations;

fn infer_text(text: &str) -> Result<Value, InferError> {
    let mut inferrer = Inferrer::new("Hostile", Hints::default());
    inferrer.add_json_text("hostile.json", text)?;
    Ok(inferrer.finish()?.schema)
}

fn assert_accepts(schema: &Value, text: &str) {
    let sample: Value = serde_json::from_str(text).unwrap();
    let found = violations(schema, &sample);
    assert!(found.is_empty(), "the schema rejects its sample: {found:?}");
}

/// Takes a deep value apart level by level, so dropping it cannot overflow the stack.
fn dismantle(mut value: Value) {
    loop {
        value = match value {
            Value::Array(mut items) if !items.is_empty() => items.swap_remove(0),
            Value::Object(map) if !map.is_empty() => map.into_iter().next().unwrap().1,
            _ => return,
        };
    }
}

/// Runs `f` on a thread with a large stack: the *test's* tools (serde_json's `Value`, the
/// jsonschema validator) recurse per level; inference itself needs no such help.
fn with_big_stack<R: Send>(f: impl FnOnce() -> R + Send) -> R {
    std::thread::scope(|scope| {
        std::thread::Builder::new().stack_size(1 << 30).spawn_scoped(scope, f).unwrap().join().unwrap()
    })
}

/// The deepest nesting of arrays and objects in `value`, counted without recursion.
fn depth(value: &Value) -> usize {
    let mut deepest = 0;
    let mut stack = vec![(value, 0)];
    while let Some((value, level)) = stack.pop() {
        deepest = deepest.max(level);
        match value {
            Value::Array(items) => stack.extend(items.iter().map(|v| (v, level + 1))),
            Value::Object(map) => stack.extend(map.values().map(|v| (v, level + 1))),
            _ => {}
        }
    }
    deepest
}

fn parse_deep(text: &str) -> Value {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    deserializer.disable_recursion_limit();
    serde::Deserialize::deserialize(&mut deserializer).unwrap()
}

#[test]
fn ten_thousand_levels_of_nesting_are_inferred_and_sound() {
    // Objects nest one definition per level, which the validator is slow to compile, so
    // their soundness is checked at 1,000 levels; inference runs at 10,000 for all.
    for (open, close, checked) in [("[", "]", 10_000), ("{\"a\":", "}", 1_000), ("[{\"a\":", "}]", 1_000)] {
        for levels in [checked, 10_000] {
            let text = format!("{}1{}", open.repeat(levels), close.repeat(levels));
            // Inference runs on this test's own (small) thread stack.
            let schema = infer_text(&text).unwrap();
            assert!(depth(&schema) <= 4 * schema_infer::MAX_INLINE_DEPTH, "every schema stays shallow");
            if levels == checked {
                with_big_stack(|| {
                    let sample = parse_deep(&text);
                    assert_accepts_value(&schema, &sample);
                    dismantle(sample);
                });
            }
        }
    }
}

#[test]
fn a_ten_thousand_deep_value_is_inferred_too() {
    let mut deep = json!(1);
    for _ in 0..10_000 {
        deep = Value::Array(vec![deep]);
    }
    let mut inferrer = Inferrer::new("Hostile", Hints::default());
    inferrer.try_add_value("deep value", &deep).unwrap();
    let schema = inferrer.finish().unwrap().schema;
    with_big_stack(|| assert_accepts_value(&schema, &deep));
    dismantle(deep);
}

#[test]
fn a_hundred_thousand_levels_need_no_limit_either() {
    let text = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let schema = infer_text(&text).unwrap();
    assert!(depth(&schema) <= 4 * schema_infer::MAX_INLINE_DEPTH);
}

#[test]
fn unclosed_deep_nesting_is_an_error_with_line_and_column() {
    let text = format!("{}1", "[".repeat(5_000));
    let error = infer_text(&text).unwrap_err().to_string();
    assert!(error.starts_with("hostile.json:1:5001: invalid JSON: EOF"), "{error}");
}

fn assert_accepts_value(schema: &Value, sample: &Value) {
    let found = violations(schema, sample);
    assert!(found.is_empty(), "the schema rejects its sample: {found:?}");
}

#[test]
fn top_level_scalars_get_a_titled_schema() {
    for text in ["123", "-1.5", "\"text\"", "true", "null", "\"2024-01-01\"", "[]", "{}"] {
        let schema = infer_text(text).unwrap();
        assert_eq!(schema["title"], "Hostile");
        assert_accepts(&schema, text);
    }
}

/// A sample of the big list of naughty strings (the corpus has the whole list as keys).
const NAUGHTY: &[&str] = &[
    "",
    " ",
    "undefined",
    "null",
    "NaN",
    "__proto__",
    "constructor",
    "hasOwnProperty",
    "$ref",
    "#/definitions/X",
    "~0~1/",
    "a/b",
    "\u{0}",
    "\t\n\r",
    "\u{200b}",
    "\u{feff}",
    "\u{202e}rtl",
    "Ω≈ç√∫˜µ≤≥÷",
    "田中さんにあげて下さい",
    "🐵 🙈 🙉 🙊",
    "<script>alert(1)</script>",
    "'; DROP TABLE users; --",
    "${7*7}",
    "%s%s%s",
    "1",
    "-1",
    "1e308",
    "0x0",
    "Self",
    "self",
    "type",
    "ÅÍÎÏ",
];

#[test]
fn naughty_keys_are_properties_and_the_schema_accepts_them() {
    let object: Map<String, Value> =
        NAUGHTY.iter().enumerate().map(|(i, k)| (k.to_string(), json!(i))).collect();
    let nested: Map<String, Value> =
        NAUGHTY.iter().map(|k| (k.to_string(), json!({"inner": k, "list": [{"x": k}]}))).collect();
    let text = serde_json::to_string(&json!({"flat": object, "nested": nested})).unwrap();
    let schema = infer_text(&text).unwrap();
    assert_accepts(&schema, &text);
    for name in schema["definitions"].as_object().into_iter().flat_map(|d| d.keys()) {
        assert!(schema_infer::is_type_name(name), "definition name {name:?} is not an identifier");
    }
}

#[test]
fn numbers_beyond_64_bits_are_numbers_and_out_of_range_is_an_error() {
    let text = "[18446744073709551616, -9223372036854775809, 123456789012345678901234567890, 1e308, -0, 0.1]";
    let schema = infer_text(text).unwrap();
    assert_eq!(schema["items"], json!({"type": "number"}));
    assert_accepts(&schema, text);
    let error = infer_text("[1e400]").unwrap_err().to_string();
    assert!(error.starts_with("hostile.json:1:") && error.contains("number out of range"), "{error}");
}

#[test]
fn integers_keep_their_range_so_every_language_can_hold_them() {
    let text = r#"{"max": 18446744073709551615, "min": -9223372036854775808, "big": 9007199254740993,
        "both": [-9223372036854775808, 18446744073709551615], "small": [-1, 9007199254740991],
        "maybe": [null, 18446744073709551615]}"#;
    let schema = infer_text(text).unwrap();
    let properties = &schema["properties"];
    assert_eq!(properties["max"], json!({"type": "integer", "format": "uint64", "minimum": 0}), "u64");
    assert_eq!(properties["min"], json!({"type": "integer", "format": "int64"}), "i64, beyond 2^53");
    assert_eq!(properties["big"], json!({"type": "integer", "format": "int64"}));
    assert_eq!(properties["both"]["items"], json!({"type": "number"}), "no 64-bit integer holds both");
    assert_eq!(properties["small"]["items"], json!({"type": "integer"}), "exact in JavaScript too");
    assert_eq!(
        properties["maybe"]["items"],
        json!({"type": ["integer", "null"], "format": "uint64", "minimum": 0})
    );
    assert_accepts(&schema, text);
}

#[test]
fn a_number_format_and_a_string_format_are_never_merged_into_one_type_array() {
    let text = r#"[18446744073709551615, "2024-01-01"]"#;
    let schema = infer_text(text).unwrap();
    assert_eq!(
        schema["items"],
        json!({"anyOf": [
            {"type": "integer", "format": "uint64", "minimum": 0},
            {"type": "string", "format": "date"}
        ]})
    );
    assert_accepts(&schema, text);
}

#[test]
fn invalid_unicode_escapes_are_a_clear_error() {
    let error = infer_text("{\"\\ud800\": 1}").unwrap_err().to_string();
    assert!(error.starts_with("hostile.json:1:"), "{error}");
}

#[test]
fn a_large_array_of_objects_is_inferred_in_one_pass() {
    let mut text = String::from("[");
    for i in 0..50_000 {
        if i > 0 {
            text.push(',');
        }
        text.push_str(&format!(
            r#"{{"id":"{:08x}-0000-4000-8000-000000000000","n":{i},"price":{}.5,"tags":["t{}"],"note":{}}}"#,
            i,
            i % 100,
            i % 3,
            if i % 2 == 0 { "null".to_owned() } else { format!("\"n{i}\"") }
        ));
    }
    text.push(']');
    let schema = infer_text(&text).unwrap();
    let item = &schema["definitions"]["HostileItem"];
    assert_eq!(item["properties"]["id"], json!({"type": "string", "format": "uuid"}));
    assert_eq!(item["properties"]["note"], json!({"type": ["string", "null"]}));
    assert_eq!(item["properties"]["tags"]["items"], json!({"$ref": "#/definitions/Tag"}), "t0..t2: an enum");
    assert_accepts(&schema, &text);
}
