//! Names that collide once made identifiers: distinct identifiers, exact JSON.

use schema_emit::{Format, preamble};
use schema_emit::{Origin, SchemaItem, namespace, rust, typescript};
use serde_json::json;

#[test]
fn enum_values_that_differ_only_in_case_get_distinct_variants_with_exact_renames() {
    let schema = json!({"type": "object", "required": ["grade"], "properties": {
        "grade": {"$ref": "#/definitions/Grade"}},
        "definitions": {"Grade": {"type": "string", "enum": ["F", "f", "foo-bar", "foo_bar"]}}});
    let item =
        SchemaItem { name: "Exam".into(), schema, origin: Origin::Inferred, label: "exam.json".into() };
    let ns = namespace("exam", &[item]).unwrap();
    let code = rust::emit_module(&ns, &preamble("test", Format::Slashes)).unwrap().code;
    let compact: String = code.split_whitespace().collect();
    for (value, variant) in [("F", "F"), ("f", "F2"), ("foo-bar", "FooBar"), ("foo_bar", "FooBar2")] {
        assert!(compact.contains(&format!("#[serde(rename=\"{value}\")]{variant},")), "{value}: {code}");
        assert!(compact.contains(&format!("Self::{variant}=>f.write_str(\"{value}\")")), "{value}: {code}");
    }
    assert!(!code.contains("Zzvariant"), "no placeholder is left: {code}");
    let ts = typescript::emit_module(&ns, "");
    assert!(ts.contains(r#"export type Grade = "F" | "f" | "foo-bar" | "foo_bar";"#), "{ts}");
}

#[test]
fn plus_and_minus_one_become_camel_case_variants() {
    // typify names them `plus1` and `minus1`, which rustc warns about in every crate using them.
    let schema = json!({"type": "object", "required": ["vote"], "properties": {
        "vote": {"$ref": "#/definitions/Vote"}},
        "definitions": {"Vote": {"type": "string", "enum": ["+1", "-1", "0"]}}});
    let item =
        SchemaItem { name: "Poll".into(), schema, origin: Origin::Inferred, label: "poll.json".into() };
    let ns = namespace("poll", &[item]).unwrap();
    let code = rust::emit_module(&ns, "").unwrap().code;
    let compact: String = code.split_whitespace().collect();
    for (value, variant) in [("+1", "Plus1"), ("-1", "Minus1"), ("0", "Type0")] {
        assert!(compact.contains(&format!("#[serde(rename=\"{value}\")]{variant},")), "{value}: {code}");
    }
    assert_eq!(
        code,
        rust::emit_module_via_typify(&ns, "").unwrap().code,
        "the printer leaves them to typify"
    );
}

#[test]
fn optional_properties_named_like_object_prototype_members_admit_the_inherited_member() {
    let schema = json!({"type": "object", "properties": {
        "constructor": {"type": "integer"}, "valueOf": {"type": "string"}, "name": {"type": "string"}}});
    let item =
        SchemaItem { name: "Keys".into(), schema, origin: Origin::Inferred, label: "keys.json".into() };
    let ts = typescript::emit_module(&namespace("keys", &[item]).unwrap(), "");
    assert!(ts.contains(r#"constructor?: number | Object["constructor"];"#), "{ts}");
    assert!(ts.contains(r#"valueOf?: string | Object["valueOf"];"#), "{ts}");
    assert!(ts.contains("name?: string;"), "{ts}");
}
