//! Hostile input: each gives a schema that accepts it, or a clear error; never a panic, a
//! stack overflow or unbounded memory.

use schema_infer::{Hints, InferError, Inferrer};
use serde_json::{Map, Value, json};

mod support;
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

#[test]
fn ten_thousand_levels_of_nesting_are_a_clear_error() {
    for (open, close) in [("[", "]"), ("{\"a\":", "}")] {
        let text = format!("{}1{}", open.repeat(10_000), close.repeat(10_000));
        let error = infer_text(&text).unwrap_err().to_string();
        assert!(error.starts_with("hostile.json:1:"), "{error}");
        assert!(error.contains("nested more than 128 levels deep"), "{error}");
    }
}

#[test]
fn a_ten_thousand_deep_value_is_a_clear_error_too() {
    let mut deep = json!(1);
    for _ in 0..10_000 {
        deep = Value::Array(vec![deep]);
    }
    let mut inferrer = Inferrer::new("Hostile", Hints::default());
    let error = inferrer.try_add_value("deep value", &deep).unwrap_err().to_string();
    assert!(error.starts_with("deep value: JSON nested more than 128 levels deep"), "{error}");
    dismantle(deep);
}

#[test]
fn nesting_up_to_the_limit_is_inferred_and_sound() {
    for (open, close) in [("[", "]"), ("{\"a\":", "}")] {
        let text = format!("{}1{}", open.repeat(120), close.repeat(120));
        let schema = infer_text(&text).unwrap();
        assert_accepts(&schema, &text);
    }
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
        assert!(schema_infer::hints::is_type_name(name), "definition name {name:?} is not an identifier");
    }
}

#[test]
fn numbers_beyond_64_bits_are_numbers_and_out_of_range_is_an_error() {
    let text = "[18446744073709551616, -9223372036854775809, 123456789012345678901234567890, 1e308, -0, 0.1]";
    let schema = infer_text(text).unwrap();
    assert_eq!(schema["items"], json!({"type": "number"}));
    assert_accepts(&schema, text);
    let text = "{\"max\": 18446744073709551615, \"min\": -9223372036854775808}";
    let schema = infer_text(text).unwrap();
    assert_eq!(schema["properties"]["max"], json!({"type": "integer"}));
    assert_accepts(&schema, text);
    let error = infer_text("[1e400]").unwrap_err().to_string();
    assert!(error.starts_with("hostile.json:1:") && error.contains("number out of range"), "{error}");
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
