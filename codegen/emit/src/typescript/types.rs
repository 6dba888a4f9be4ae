//! TypeScript type expressions for schemas.

use std::fmt::Write as _;

use serde_json::Value;

use super::doc::{documentation, jsdoc};

/// An object schema with properties and no combinators: one TypeScript interface.
pub(super) fn is_plain_object(schema: &Value) -> bool {
    let Some(object) = schema.as_object() else { return false };
    object.contains_key("properties")
        && object.get("type").is_none_or(|t| t == "object")
        && !["allOf", "anyOf", "oneOf", "$ref", "enum", "const"].iter().any(|k| object.contains_key(*k))
}

/// The TypeScript type of `schema`; `indent` is the indentation of the line it starts on.
pub fn expr(schema: &Value, indent: &str) -> String {
    let object = match schema {
        Value::Bool(true) => return "unknown".into(),
        Value::Bool(false) => return "never".into(),
        Value::Object(object) => object,
        _ => return "unknown".into(),
    };
    if let Some(target) = object.get("$ref").and_then(Value::as_str) {
        return schema_model::pointer::last_segment(target);
    }
    if let Some(value) = object.get("const") {
        return literal(value);
    }
    if let Some(Value::Array(values)) = object.get("enum") {
        return union(values.iter().map(literal).collect());
    }
    let mut parts = Vec::new();
    if let Some(Value::Array(all)) = object.get("allOf") {
        let members: Vec<String> = all.iter().map(|s| wrap(expr(s, indent))).collect();
        parts.push(members.join(" & "));
    }
    for keyword in ["oneOf", "anyOf"] {
        if let Some(Value::Array(branches)) = object.get(keyword) {
            parts.push(branch_union(branches, indent));
        }
    }
    if let Some(types) = type_names(object) {
        parts.push(union(types.iter().map(|t| type_expr(t, schema, object, indent)).collect()));
    } else if object.contains_key("properties") || object.contains_key("additionalProperties") {
        parts.push(type_expr("object", schema, object, indent));
    } else if object.contains_key("items") {
        parts.push(type_expr("array", schema, object, indent));
    }
    match parts.len() {
        0 => "unknown".into(),
        1 => parts.remove(0),
        _ => parts.into_iter().map(wrap).collect::<Vec<_>>().join(" & "),
    }
}

/// `text` after a `=` or `:`: a space before a one-line type, none before a multi-line one.
pub(super) fn spaced(text: String) -> String {
    if text.starts_with('\n') { text } else { format!(" {text}") }
}

/// A union of `oneOf`/`anyOf` branches: inline when short and undocumented, else one line
/// per branch with its description.
fn branch_union(branches: &[Value], indent: &str) -> String {
    let inner = format!("{indent}  ");
    let simple: Option<Vec<String>> = branches
        .iter()
        .map(|b| Some(expr(b, indent)).filter(|e| documentation(b).is_empty() && !e.contains('\n')))
        .collect();
    if let Some(members) = simple {
        return union(members);
    }
    let mut text = String::new();
    for branch in branches {
        let doc = documentation(branch);
        text.push('\n');
        if !doc.is_empty() {
            text.push_str(&jsdoc(&doc, &inner));
            text.pop();
            text.push('\n');
        }
        let _ = write!(text, "{inner}| {}", expr(branch, &inner));
    }
    text
}

fn type_names(object: &serde_json::Map<String, Value>) -> Option<Vec<String>> {
    match object.get("type")? {
        Value::String(t) => Some(vec![t.clone()]),
        Value::Array(ts) => Some(ts.iter().filter_map(Value::as_str).map(str::to_owned).collect()),
        _ => None,
    }
}

/// The TypeScript type of one JSON type of `schema` (whose object is `object`).
fn type_expr(
    json_type: &str,
    schema: &Value,
    object: &serde_json::Map<String, Value>,
    indent: &str,
) -> String {
    match json_type {
        "string" => "string".into(),
        "integer" | "number" => "number".into(),
        "boolean" => "boolean".into(),
        "null" => "null".into(),
        "array" => match object.get("items") {
            Some(Value::Array(tuple)) => {
                format!("[{}]", tuple.iter().map(|s| expr(s, indent)).collect::<Vec<_>>().join(", "))
            }
            Some(items) => match fixed_length(object) {
                // A fixed-size array (`[u8; 3]`) is a tuple of its one item type.
                Some(length) => format!("[{}]", vec![expr(items, indent); length].join(", ")),
                None => format!("{}[]", wrap(expr(items, indent))),
            },
            None => "unknown[]".into(),
        },
        "object" => object_body(schema, indent),
        _ => "unknown".into(),
    }
}

/// Longest fixed-size array written as a tuple; longer ones stay `T[]`.
const MAX_TUPLE_LENGTH: u64 = 16;

/// The length of an array schema whose `minItems` equals `maxItems`, when it is short.
fn fixed_length(object: &serde_json::Map<String, Value>) -> Option<usize> {
    let min = object.get("minItems").and_then(Value::as_u64)?;
    let max = object.get("maxItems").and_then(Value::as_u64)?;
    (min == max && (1..=MAX_TUPLE_LENGTH).contains(&min)).then_some(min as usize)
}

/// `{ key: T; .. }`, one property per line, with an index signature for maps.
pub(super) fn object_body(schema: &Value, indent: &str) -> String {
    let properties = schema.get("properties").and_then(Value::as_object);
    let additional = schema.get("additionalProperties");
    let has_properties = properties.is_some_and(|p| !p.is_empty());
    let index = match additional {
        Some(Value::Bool(false)) if !has_properties => Some("never".to_owned()),
        Some(Value::Bool(false)) => None,
        // Properties and a map together (a `#[serde(flatten)]` catch-all map, written as
        // `additionalProperties: true` or a value schema): TypeScript requires every property
        // to fit the index signature, so the index type must be `unknown`. An absent
        // `additionalProperties` stays without one: the producer writes no other keys.
        Some(_) if has_properties => Some("unknown".to_owned()),
        Some(values) if !has_properties => Some(expr(values, &format!("{indent}  "))),
        None if !has_properties => Some("unknown".to_owned()),
        _ => None,
    };
    let required = schema_model::Node::new(schema).required();
    let inner = format!("{indent}  ");
    let mut text = String::from("{\n");
    for (name, property) in properties.into_iter().flatten() {
        text.push_str(&jsdoc(&documentation(property), &inner));
        let optional = if required.contains(&name.as_str()) { "" } else { "?" };
        let mut property_type = expr(property, &inner);
        if !optional.is_empty() {
            property_type = super::prototype_keys::optional_type(name, property_type, &inner);
        }
        let _ = writeln!(
            text,
            "{inner}{}{optional}:{};",
            schema_ident::typescript_property_key(name),
            spaced(property_type)
        );
    }
    if let Some(index) = index {
        let _ = writeln!(text, "{inner}[key: string]: {index};");
    }
    if text == "{\n" {
        return "{}".into();
    }
    let _ = write!(text, "{indent}}}");
    text
}

/// A JSON value as a TypeScript literal type (JSON string escapes are valid TypeScript).
pub fn literal(value: &Value) -> String {
    match value {
        Value::String(text) => schema_ident::typescript_string(text),
        Value::Number(_) | Value::Bool(_) | Value::Null => value.to_string(),
        // Object and array constants have no literal type; they are at least JSON.
        Value::Array(_) => "unknown[]".into(),
        Value::Object(_) => "{ [key: string]: unknown }".into(),
    }
}

fn union(mut members: Vec<String>) -> String {
    members.dedup();
    match members.len() {
        0 => "never".into(),
        _ => members.join(" | "),
    }
}

/// Parenthesises a union or intersection so it can be an array item or intersection member.
fn wrap(text: String) -> String {
    let top_level = text.contains(" | ") || text.contains(" & ") || text.starts_with('\n');
    if top_level && !text.starts_with('{') { format!("({text})") } else { text }
}
