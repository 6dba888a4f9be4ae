//! Getting idiomatic enums out of typify for every serde enum representation.
//!
//! typify recognises externally, internally and adjacently tagged enums when it can see the
//! variants' shapes inline (the hoisting pass keeps them inline), and names their variants
//! after the tag values. What it cannot do by itself, this module prepares:
//! - an internally tagged newtype variant (`BankTransfer(Invoice)`), which schemars writes as
//!   the tag beside `allOf: [{"$ref": Invoice}]`, becomes a struct variant with the
//!   invoice's fields, which typify can see (and serde reads the same JSON);
//! - an untagged enum's variants get titles from their content (`Number`, `Label`, the
//!   referenced type's name, an object's fields), so typify names them instead of falling
//!   back to `Variant0`;
//! - an enum flattened into a struct (`#[serde(flatten)]`), which schemars writes as a
//!   `oneOf` beside the struct's properties, moves to a definition of its own, and the
//!   post-pass adds the flattened field ([`Flatten`]).

use std::collections::{BTreeMap, BTreeSet};

use schema_model::{Resolve, is_null_only};
use serde_json::{Map, Value, json};

/// A flattened enum the post-pass must add to its struct as `#[serde(flatten)]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flatten {
    /// The struct's type name.
    pub owner: String,
    /// The field's name (snake_case).
    pub field: String,
    /// The enum's type name.
    pub type_name: String,
}

/// Prepares every enum of `types` (after hoisting, so every enum is a definition) for typify;
/// returns the flattened enums to add back.
pub fn prepare(types: &mut BTreeMap<String, Value>) -> Vec<Flatten> {
    // The types newtype variants refer to, as they are before any is prepared.
    let snapshot = newtype_targets(types);
    let mut flattens = Vec::new();
    let mut split = BTreeMap::new();
    let mut names: BTreeSet<String> = types.keys().cloned().collect();
    for (name, schema) in types.iter_mut() {
        let Some(keyword) = union_keyword(schema) else { continue };
        if let Some(Value::Array(branches)) = schema.get_mut(keyword) {
            branches.iter_mut().for_each(|branch| merge_newtype_variant(branch, &snapshot));
            if !is_tagged(branches) {
                title_variants(branches);
            }
        }
        let has_properties =
            schema.get("properties").and_then(Value::as_object).is_some_and(|p| !p.is_empty());
        if has_properties {
            let object = schema.as_object_mut().expect("a schema with properties is an object");
            let branches = object.remove(keyword).unwrap_or_default();
            let tag = common_tag(branches.as_array().map_or(&[], Vec::as_slice));
            let suffix = schema_ident::pascal_case(tag.as_deref().unwrap_or("variant"));
            let type_name = schema_ident::unique_name(&format!("{name}{suffix}"), &mut names);
            flattens.push(Flatten {
                owner: name.clone(),
                field: schema_ident::field_name(tag.as_deref().unwrap_or("variant")),
                type_name: type_name.clone(),
            });
            let description = format!("The variant part of `{name}`, flattened into it.");
            split.insert(type_name, json!({ keyword: branches, "description": description }));
        }
    }
    types.extend(split);
    flattens
}

/// A copy of each type that a branch of a union refers to as a newtype variant
/// (`allOf: [{"$ref": X}]`): all [`merge_newtype_variant`] reads.
fn newtype_targets(types: &BTreeMap<String, Value>) -> BTreeMap<String, Value> {
    let mut targets: Vec<*const Value> = Vec::new();
    for schema in types.values() {
        let Some(Value::Array(branches)) = union_keyword(schema).and_then(|keyword| schema.get(keyword))
        else {
            continue;
        };
        for branch in branches {
            if let Some(Value::Array(parts)) = branch.get("allOf")
                && let [part] = parts.as_slice()
                && let Some(Ok((target, _))) =
                    part.get("$ref").map(|reference| types.resolve_value(reference))
            {
                targets.push(target);
            }
        }
    }
    types
        .iter()
        .filter(|(_, schema)| targets.contains(&std::ptr::from_ref(*schema)))
        .map(|(name, schema)| (name.clone(), schema.clone()))
        .collect()
}

/// `oneOf` or `anyOf`, when `schema` is a union that is more than "X or null".
fn union_keyword(schema: &Value) -> Option<&'static str> {
    let keyword = ["oneOf", "anyOf"].into_iter().find(|k| schema.get(*k).is_some_and(Value::is_array))?;
    (!is_option(schema)).then_some(keyword)
}

/// Whether `schema` is "X or null": an `Option<X>` to typify, not an enum. A `$ref` to a
/// null-only definition does not count (nothing resolves here): typify only sees the branch.
pub fn is_option(schema: &Value) -> bool {
    ["anyOf", "oneOf"].iter().filter_map(|k| schema.get(*k).and_then(Value::as_array)).any(|branches| {
        let nulls = branches.iter().filter(|b| is_null_only(b, &Value::Null)).count();
        nulls == 1 && branches.len() == 2
    })
}

/// The string a schema pins its value to (`const`, or a one-value `enum`).
pub fn pinned_string(schema: &Value) -> Option<&str> {
    schema
        .get("const")
        .or_else(|| match schema.get("enum") {
            Some(Value::Array(values)) if values.len() == 1 => values.first(),
            _ => None,
        })
        .and_then(Value::as_str)
}

/// A PascalCase name for a variant from its content: its tag value, the one property of an
/// externally tagged variant, its title, the type it refers to, its JSON type, else its
/// position.
pub fn variant_label(branch: &Value, index: usize) -> String {
    if let Some(value) = pinned_string(branch) {
        return schema_ident::variant_name(value);
    }
    if let Some(properties) = branch.get("properties").and_then(Value::as_object) {
        if let Some(value) = properties.values().find_map(pinned_string) {
            return schema_ident::variant_name(value);
        }
        if let [(name, _)] = properties.iter().collect::<Vec<_>>().as_slice() {
            return schema_ident::variant_name(name);
        }
    }
    if let Some(title) = branch.get("title").and_then(Value::as_str) {
        return schema_ident::variant_name(title);
    }
    if let Some(target) = branch.get("$ref").and_then(Value::as_str) {
        return schema_ident::variant_name(&schema_model::pointer::last_segment(target));
    }
    content_name(branch).unwrap_or_else(|| format!("Variant{}", index + 1))
}

/// A name for an untagged variant from what it holds: an object's first two fields, or its
/// JSON type.
fn content_name(branch: &Value) -> Option<String> {
    if let Some(properties) = branch.get("properties").and_then(Value::as_object).filter(|p| !p.is_empty()) {
        let words: Vec<&str> = properties.keys().take(2).map(String::as_str).collect();
        return Some(schema_ident::variant_name(&words.join(" ")));
    }
    let name = match branch.get("type").and_then(Value::as_str)? {
        "string" => "Text",
        "integer" => "Integer",
        "number" => "Number",
        "boolean" => "Flag",
        "array" => "List",
        "object" => "Map",
        "null" => "Null",
        _ => return None,
    };
    Some(name.to_owned())
}

/// Whether typify will see these branches as a tagged enum: all unit variants and
/// single-property objects (externally tagged), or all objects with a common property pinned
/// to a distinct string each (internally or adjacently tagged).
fn is_tagged(branches: &[Value]) -> bool {
    let external = branches.iter().all(|b| {
        pinned_string(b).is_some()
            || (b.get("properties").and_then(Value::as_object).is_some_and(|p| p.len() == 1)
                && b.get("additionalProperties") == Some(&Value::Bool(false)))
    });
    external || common_tag(branches).is_some()
}

/// The property every branch pins to a string of its own, when there is one.
fn common_tag(branches: &[Value]) -> Option<String> {
    let first = branches.first()?.get("properties")?.as_object()?;
    first
        .keys()
        .find(|tag| {
            let mut values = BTreeSet::new();
            branches.iter().all(|branch| {
                let value =
                    branch.get("properties").and_then(|p| p.get(tag.as_str())).and_then(pinned_string);
                let required = branch
                    .get("required")
                    .and_then(Value::as_array)
                    .is_some_and(|r| r.iter().any(|n| n == tag.as_str()));
                value.is_some_and(|v| values.insert(v.to_owned())) && required
            })
        })
        .cloned()
}

/// Gives every branch without a title one from its content, unique within the enum.
fn title_variants(branches: &mut [Value]) {
    let mut taken = BTreeSet::new();
    for (index, branch) in branches.iter_mut().enumerate() {
        if is_null_only(branch, &Value::Null) {
            continue;
        }
        let label = variant_label(branch, index);
        let title = schema_ident::unique_name(&label, &mut taken);
        if let Some(object) = branch.as_object_mut() {
            object.entry("title").or_insert(Value::String(title));
        }
    }
}

/// An internally tagged newtype variant, the tag beside `allOf: [{"$ref": X}]`, with X's
/// properties merged in, when X is a plain object.
fn merge_newtype_variant(branch: &mut Value, types: &BTreeMap<String, Value>) {
    let Some(object) = branch.as_object_mut() else { return };
    let Some(Value::Array(parts)) = object.get("allOf") else { return };
    let [part] = parts.as_slice() else { return };
    let Some(reference) = part.get("$ref") else { return };
    let Ok((inner, _)) = types.resolve_value(reference) else { return };
    let (Some(inner_properties), None) =
        (inner.get("properties").and_then(Value::as_object), union_keyword(inner))
    else {
        return;
    };
    let inner_required = inner.get("required").cloned().unwrap_or_else(|| json!([]));
    object.remove("allOf");
    let properties = object.entry("properties").or_insert_with(|| Value::Object(Map::new()));
    if let Value::Object(properties) = properties {
        for (name, schema) in inner_properties {
            properties.entry(name.clone()).or_insert_with(|| schema.clone());
        }
    }
    let required = object.entry("required").or_insert_with(|| json!([]));
    if let (Value::Array(required), Value::Array(more)) = (required, inner_required) {
        required.extend(more);
    }
    object.entry("type").or_insert_with(|| json!("object"));
}
