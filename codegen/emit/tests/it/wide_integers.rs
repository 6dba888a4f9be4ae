//! Integers beyond i64 and beyond JavaScript's exact range: the right Rust type, a TypeScript
//! warning wherever they stand.

use schema_emit::{Origin, SchemaItem, namespace, rust, typescript};
use serde_json::json;

#[test]
fn uint64_is_u64_in_rust_and_warned_in_typescript_even_inside_arrays() {
    let schema = json!({"type": "object", "required": ["max", "maybe"], "properties": {
        "max": {"type": "integer", "format": "uint64", "minimum": 0},
        "maybe": {"type": "array", "items": {"type": ["integer", "null"], "format": "uint64", "minimum": 0}}}});
    let item =
        SchemaItem { name: "Counters".into(), schema, origin: Origin::Inferred, label: "c.json".into() };
    let ns = namespace("c", &[item]).unwrap();
    let code = rust::emit_module(&ns, "").unwrap().code;
    assert!(code.contains("pub max: u64,"), "{code}");
    assert!(code.contains("pub maybe: ::std::vec::Vec<::std::option::Option<u64>>,"), "{code}");
    let ts = typescript::emit_module(&ns, "");
    assert_eq!(ts.matches("@remarks May exceed Number.MAX_SAFE_INTEGER").count(), 2, "{ts}");
}
