//! JSON values as TypeScript expressions, for fixtures that assign samples to their types.
//!
//! JSON text is almost a TypeScript literal; the exception is a `"__proto__"` key, which in
//! an object literal sets the prototype instead of a property, so it is written as the
//! computed key `["__proto__"]`. Strings use [`schema_ident::typescript_string`].
//!
//! A literal nested hundreds of levels deep overflows `tsc`'s parser, and checking it against
//! its type overflows the type comparison (TS2321). So [`typed_value`] cuts it: every
//! [`CUT`] levels, where the schema names the value's type, the value becomes a `const` of
//! that type declared first, and the literal refers to it. Each check is then at most
//! [`CUT`] levels deep, at any depth.

use std::fmt::Write as _;

use schema_model::{Node, Resolve, pointer};
use serde_json::Value;

use crate::Namespace;

/// How many levels a literal nests before a named value is cut out into its own `const`.
pub const CUT: usize = 32;

/// A sample as TypeScript: `declarations` (the `const`s cut out of it, innermost first) to
/// write before the statement that uses `literal`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypedValue {
    /// `const name_1: q.Type = ..;` lines, each declared before its first use.
    pub declarations: String,
    /// The value's literal, referring to the declared constants.
    pub literal: String,
}

/// `value`, of the namespace's type `root_type`, as a literal cut into typed constants named
/// `{name}_1`, `{name}_2`, ...; `qualifier` prefixes every type name (`trading.`, or `""`).
pub fn typed_value(
    namespace: &Namespace,
    qualifier: &str,
    root_type: &str,
    value: &Value,
    name: &str,
) -> TypedValue {
    let mut writer =
        Writer { types: Some(namespace), qualifier, name, declarations: String::new(), count: 0 };
    let root = namespace.types.get(root_type);
    let literal = writer.literal(value, root, 0, "");
    TypedValue { declarations: writer.declarations, literal }
}

/// `value` as a pretty-printed TypeScript literal (two-space indents, continuing at `indent`).
pub fn value_literal(value: &Value, indent: &str) -> String {
    let mut writer = Writer { types: None, qualifier: "", name: "", declarations: String::new(), count: 0 };
    writer.literal(value, None, 0, indent)
}

struct Writer<'a> {
    types: Option<&'a Namespace>,
    qualifier: &'a str,
    name: &'a str,
    declarations: String,
    count: usize,
}

impl<'a> Writer<'a> {
    /// The literal of `value`, whose schema is `schema` (when known), `depth` levels below the
    /// last cut.
    fn literal(&mut self, value: &Value, schema: Option<&'a Value>, depth: usize, indent: &str) -> String {
        let (named, schema) = self.resolve(schema);
        if let Some(type_name) = named
            && depth >= CUT
            && (value.as_object().is_some_and(|o| !o.is_empty())
                || value.as_array().is_some_and(|a| !a.is_empty()))
        {
            let literal = self.literal(value, schema, 0, "");
            self.count += 1;
            let constant = format!("{}_{}", self.name, self.count);
            let _ =
                writeln!(self.declarations, "const {constant}: {}{type_name} = {literal};", self.qualifier);
            return constant;
        }
        let inner = format!("{indent}  ");
        match value {
            Value::Object(object) if object.is_empty() => "{}".into(),
            Value::Object(object) => {
                let mut text = String::from("{\n");
                for (index, (key, item)) in object.iter().enumerate() {
                    let child = schema.and_then(|s| Node::new(s).property(key)).map(|(_, child)| child);
                    let key = match key.as_str() {
                        "__proto__" => "[\"__proto__\"]".to_owned(),
                        key => schema_ident::typescript_string(key),
                    };
                    let comma = if index + 1 < object.len() { "," } else { "" };
                    let item = self.literal(item, child, depth + 1, &inner);
                    let _ = writeln!(text, "{inner}{key}: {item}{comma}");
                }
                let _ = write!(text, "{indent}}}");
                text
            }
            Value::Array(items) if items.is_empty() => "[]".into(),
            Value::Array(items) => {
                let mut text = String::from("[\n");
                for (index, item) in items.iter().enumerate() {
                    let child = schema.and_then(|s| Node::new(s).item(index)).map(|(_, child)| child);
                    let comma = if index + 1 < items.len() { "," } else { "" };
                    let item = self.literal(item, child, depth + 1, &inner);
                    let _ = writeln!(text, "{inner}{item}{comma}");
                }
                let _ = write!(text, "{indent}]");
                text
            }
            Value::String(text) => schema_ident::typescript_string(text),
            scalar => scalar.to_string(),
        }
    }

    /// The type a schema names through `$ref` (its name in the namespace), and the schema to
    /// read the value's children with.
    fn resolve(&self, schema: Option<&'a Value>) -> (Option<String>, Option<&'a Value>) {
        let (Some(types), Some(schema)) = (self.types, schema) else { return (None, schema) };
        match schema.get("$ref").map(|reference| types.types.resolve_value(reference)) {
            Some(Ok((body, target))) => (Some(pointer::last_segment(&target)), Some(body)),
            Some(Err(_)) => (None, None),
            None => (None, Some(schema)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Origin, SchemaItem, namespace};
    use serde_json::json;

    #[test]
    fn a_proto_key_is_computed_and_the_rest_is_json() {
        let value = json!({"__proto__": "x", "a\u{2028}": [1, null, true], "e": {}});
        assert_eq!(
            value_literal(&value, ""),
            "{\n  [\"__proto__\"]: \"x\",\n  \"a\\u2028\": [\n    1,\n    null,\n    true\n  ],\n  \"e\": {}\n}"
        );
    }

    #[test]
    fn a_deep_value_is_cut_into_typed_constants_where_its_type_has_a_name() {
        let schema = json!({"title": "Chain", "type": "object", "properties": {"next": {"$ref": "#/definitions/Link"}},
            "definitions": {"Link": {"type": "object", "properties": {"next": {"$ref": "#/definitions/Link"}}}}});
        let item =
            SchemaItem { name: "Chain".into(), schema, origin: Origin::Inferred, label: "chain".into() };
        let ns = namespace("m", &[item]).unwrap();
        let mut value = json!({});
        for _ in 0..(CUT * 3) {
            value = json!({"next": value});
        }
        let typed = typed_value(&ns, "m.", "Chain", &value, "sample");
        assert_eq!(typed.declarations.matches("const ").count(), 2, "{}", typed.declarations);
        assert!(typed.declarations.starts_with("const sample_1: m.Link = {\n"), "{}", typed.declarations);
        assert!(typed.declarations.contains("\"next\": sample_1\n"), "{}", typed.declarations);
        assert!(typed.literal.contains("\"next\": sample_2\n"));
        let shallow = typed_value(&ns, "m.", "Chain", &json!({"next": {}}), "sample");
        assert_eq!((shallow.declarations.as_str(), shallow.literal.as_str()), ("", "{\n  \"next\": {}\n}"));
    }
}
