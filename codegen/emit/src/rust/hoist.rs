//! Naming every type typify would name: each inline schema that becomes a Rust item (an
//! object with properties, an enum, a union) moves into a definition named from its place
//! (`TradeDelivery`, `OrderLineItem`), unique among all names. typify names inline types the
//! same way but without checking for clashes with existing definitions, which yields two
//! Rust items of one name; with every named type a definition, names are ours and unique.
//!
//! The branches of a union stay where they are, so typify still sees a serde enum's shape
//! (tags, struct variants) and makes a tagged enum of it; only what lies inside a branch is
//! named, after the enum and the variant (`SignalPosOrigin`).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};

use super::unions::{is_option, variant_label};

/// `types` with every inline type that needs a name moved into a definition of its own.
pub fn hoist_inline_types(mut types: BTreeMap<String, Value>) -> BTreeMap<String, Value> {
    let mut names: BTreeSet<String> = types.keys().cloned().collect();
    let mut hoisted = BTreeMap::new();
    for (name, schema) in &mut types {
        hoist_children(schema, name, &mut names, &mut hoisted);
    }
    types.extend(hoisted);
    types
}

/// Hoists what lies in `schema` (a type named `owner`, or a place inside one).
fn hoist_children(
    schema: &mut Value,
    owner: &str,
    names: &mut BTreeSet<String>,
    hoisted: &mut BTreeMap<String, Value>,
) {
    let option = is_option(schema);
    let Some(object) = schema.as_object_mut() else { return };
    // A child's suffix is made only if the child needs a name or has children: most
    // properties of inferred types are scalars.
    let mut children: Vec<(Suffix<'_>, &mut Value)> = Vec::new();
    let mut variants: Vec<(String, &mut Value)> = Vec::new();
    for (key, value) in object.iter_mut() {
        match (key.as_str(), value) {
            ("properties", Value::Object(properties)) => {
                children.extend(properties.iter_mut().map(|(name, s)| (Suffix::Property(name), s)));
            }
            ("items", item @ Value::Object(_)) => children.push((Suffix::Fixed("Item".to_owned()), item)),
            ("items", Value::Array(positions)) => {
                children.extend(
                    positions
                        .iter_mut()
                        .enumerate()
                        .map(|(i, s)| (Suffix::Fixed(format!("Item{}", i + 1)), s)),
                );
            }
            ("additionalProperties", value @ Value::Object(_)) => {
                children.push((Suffix::Fixed("Value".to_owned()), value));
            }
            ("anyOf" | "oneOf", Value::Array(branches)) => {
                if option {
                    // "X or null" is `Option<X>`: X is named as the place itself.
                    children.extend(branches.iter_mut().map(|s| (Suffix::Fixed(String::new()), s)));
                } else {
                    // An enum's variants stay inline; what is inside them is named after the
                    // variant.
                    let labels: Vec<String> =
                        branches.iter().enumerate().map(|(i, b)| variant_label(b, i)).collect();
                    variants.extend(labels.into_iter().zip(branches.iter_mut()));
                }
            }
            ("allOf", Value::Array(parts)) => {
                children.extend(
                    parts.iter_mut().enumerate().map(|(i, s)| (Suffix::Fixed(format!("Part{}", i + 1)), s)),
                );
            }
            _ => {}
        }
    }
    for (label, branch) in variants {
        hoist_in_variant(branch, &format!("{owner}{label}"), names, hoisted);
    }
    for (suffix, child) in children {
        let named = needs_a_name(child);
        if !named && !has_children(child) {
            continue;
        }
        let base = format!("{owner}{}", suffix.text());
        if named {
            let name = schema_ident::unique_name(&base, names);
            let mut moved = std::mem::replace(child, json!({"$ref": format!("#/definitions/{name}")}));
            if let Some(description) = moved.get("description").cloned() {
                // Keep the property's description where typify reads field docs.
                *child = json!({"allOf": [child.clone()], "description": description});
            }
            hoist_children(&mut moved, &name, names, hoisted);
            hoisted.insert(name, moved);
        } else {
            hoist_children(child, &base, names, hoisted);
        }
    }
}

/// How a child's name continues its owner's: a property's name (PascalCased when needed), or
/// a fixed suffix.
enum Suffix<'a> {
    Property(&'a str),
    Fixed(String),
}

impl Suffix<'_> {
    fn text(&self) -> std::borrow::Cow<'_, str> {
        match self {
            Suffix::Property(name) => schema_ident::pascal_case(name).into(),
            Suffix::Fixed(text) => text.as_str().into(),
        }
    }
}

/// Whether anything in `schema` could be hoisted: it holds subschemas.
fn has_children(schema: &Value) -> bool {
    schema.as_object().is_some_and(|object| {
        ["properties", "items", "additionalProperties", "anyOf", "oneOf", "allOf"]
            .iter()
            .any(|key| object.contains_key(*key))
    })
}

/// Hoists what lies inside one variant of an enum. The variant's own content stays inline
/// when it is a struct variant's fields (an externally tagged variant's one property, or an
/// adjacently tagged variant's content), so typify makes `Variant { .. }` of it.
fn hoist_in_variant(
    branch: &mut Value,
    owner: &str,
    names: &mut BTreeSet<String>,
    hoisted: &mut BTreeMap<String, Value>,
) {
    let content = struct_variant_content(branch);
    let Some(properties) = branch.get_mut("properties").and_then(Value::as_object_mut) else {
        hoist_children(branch, owner, names, hoisted);
        return;
    };
    for (name, property) in properties.iter_mut() {
        if content.as_deref() == Some(name.as_str()) {
            hoist_children(property, owner, names, hoisted);
        } else {
            let mut wrapper = json!({"properties": {name.clone(): property.take()}});
            hoist_children(&mut wrapper, owner, names, hoisted);
            *property = wrapper["properties"][name.as_str()].take();
        }
    }
}

/// The property of a tagged variant that holds a struct variant's fields: the one property
/// of an externally tagged variant, or the non-tag property of an adjacently tagged one,
/// when it is an inline object with properties.
fn struct_variant_content(branch: &Value) -> Option<String> {
    let properties = branch.get("properties")?.as_object()?;
    let is_tag = |schema: &Value| super::unions::pinned_string(schema).is_some();
    let candidates: Vec<&String> = properties.iter().filter(|(_, s)| !is_tag(s)).map(|(n, _)| n).collect();
    let tags = properties.len() - candidates.len();
    let [content] = candidates.as_slice() else { return None };
    let inline_object = properties[content.as_str()]
        .get("properties")
        .and_then(Value::as_object)
        .is_some_and(|p| !p.is_empty())
        && properties[content.as_str()].get("$ref").is_none();
    (inline_object && tags <= 1).then(|| (*content).clone())
}

/// Whether typify would make a named Rust item of this inline schema.
fn needs_a_name(schema: &Value) -> bool {
    let Some(object) = schema.as_object() else { return false };
    if object.contains_key("$ref") {
        return false;
    }
    let has_properties = object.get("properties").and_then(Value::as_object).is_some_and(|p| !p.is_empty());
    let is_enum = object.contains_key("enum");
    // A union is named unless it is only "X or null", which typify renders as `Option<X>`.
    let union = ["anyOf", "oneOf"].iter().any(|k| object.contains_key(*k)) && !is_option(schema);
    let several_types = object
        .get("type")
        .and_then(Value::as_array)
        .is_some_and(|types| types.iter().filter(|t| *t != "null").count() > 1);
    let all_of = object.get("allOf").and_then(Value::as_array).is_some_and(|all| all.len() > 1);
    has_properties || is_enum || union || several_types || all_of
}
