//! Untagged enums as typify makes them of inferred unions: which `anyOf` and `type` lists
//! become one, in what order, and what their variants are called.

use std::collections::BTreeMap;

use schema_model::Node;
use serde_json::Value;

use super::names::{Case, sanitize};
use super::shape::{Ty, Variant, base_type, string_enum};

/// The JSON kinds a value of a type can have, to tell untagged variants apart.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Null,
    Boolean,
    Number,
    String,
    Array,
    Object,
}

/// The variants of an untagged enum `schema` is, when each holds values of its own JSON kind
/// (so typify sees them as mutually exclusive and makes an untagged enum of them):
/// - `type: [..]` with two or more types besides `null`, in typify's order (null, boolean,
///   integer, number, string, array), named after the types;
/// - `anyOf` of titled branches and at most one `null`, named after the titles (or the
///   referenced type), in order.
pub fn untagged(schema: &Value, types: &BTreeMap<String, Value>) -> Option<Vec<Variant>> {
    let object = schema.as_object()?;
    let mut variants = Vec::new();
    let mut kinds = Vec::new();
    if let Some(branches) = object.get("anyOf") {
        if !object.keys().all(|key| ["anyOf", "title"].contains(&key.as_str())) {
            return None;
        }
        for branch in branches.as_array()? {
            let (name, ty, kind) = branch_variant(branch, types)?;
            variants.push((name, ty));
            kinds.push(kind);
        }
    } else {
        let Some(Value::Array(listed)) = object.get("type") else { return None };
        if !object
            .keys()
            .all(|key| ["type", "title", "items", "additionalProperties"].contains(&key.as_str()))
        {
            return None;
        }
        const ORDER: [&str; 7] = ["null", "boolean", "integer", "number", "string", "array", "object"];
        let listed: Vec<&str> = listed.iter().map(Value::as_str).collect::<Option<_>>()?;
        if listed.iter().any(|t| !ORDER.contains(t))
            || listed.iter().filter(|t| **t != "null").count() < 2
            || object.contains_key("items") && !listed.contains(&"array")
            || object.contains_key("additionalProperties") && !listed.contains(&"object")
        {
            return None;
        }
        for name in ORDER.iter().filter(|t| listed.contains(t)) {
            // Each type keeps the keywords that apply to it, as typify splits them.
            let mut single = serde_json::Map::new();
            single.insert("type".into(), Value::String((*name).to_owned()));
            let own = match *name {
                "array" => Some("items"),
                "object" => Some("additionalProperties"),
                _ => None,
            };
            if let Some((key, value)) = own.and_then(|key| object.get_key_value(key)) {
                single.insert(key.clone(), value.clone());
            }
            let (ty, kind) = match *name {
                "null" => (None, Kind::Null),
                _ => (Some(base_type(&Value::Object(single), types)?), kind_of_type(name)?),
            };
            variants.push((sanitize(name, Case::Pascal), ty));
            kinds.push(kind);
        }
    }
    if !super::all_distinct(&kinds) || variants.len() < 2 {
        return None;
    }
    let names = prune_common_prefix(variants.iter().map(|(name, _)| name.clone()).collect())?;
    Some(names.into_iter().zip(variants).map(|(ident, (_, ty))| Variant { ident, ty }).collect())
}

/// A branch of an `anyOf`: its variant name as typify finds it, its type, its kind.
fn branch_variant(branch: &Value, types: &BTreeMap<String, Value>) -> Option<(String, Option<Ty>, Kind)> {
    let object = branch.as_object()?;
    if object.len() == 1 && object.get("type") == Some(&Value::String("null".into())) {
        return Some(("Null".to_owned(), None, Kind::Null));
    }
    let mut content = object.clone();
    content.remove("title");
    let content = Value::Object(content);
    if let Some(reference) = object.get("$ref") {
        // typify names a `$ref` variant after the reference, whatever its title.
        let name = reference.as_str()?.strip_prefix("#/definitions/")?;
        let target = types.get(name)?;
        let kind = if Node::new(target).properties().next().is_some() {
            Kind::Object
        } else if string_enum(target).is_some() {
            Kind::String
        } else {
            return None;
        };
        let ty = (content.as_object()?.len() == 1).then(|| base_type(&content, types))??;
        return Some((sanitize(name, Case::Pascal), Some(ty), kind));
    }
    let title = object.get("title")?.as_str()?;
    let [kind] = Node::new(&content).types()[..] else { return None };
    let ty = base_type(&content, types)?;
    Some((sanitize(title, Case::Pascal), Some(ty), kind_of_type(kind)?))
}

fn kind_of_type(name: &str) -> Option<Kind> {
    Some(match name {
        "boolean" => Kind::Boolean,
        // Integers and numbers overlap: an enum with both is left to typify.
        "integer" | "number" => Kind::Number,
        "string" => Kind::String,
        "array" => Kind::Array,
        "object" => Kind::Object,
        _ => return None,
    })
}

/// typify's variant names: the common leading words of all names removed; `None` when that
/// leaves one empty (typify then numbers the variants) or two names are the same.
fn prune_common_prefix(names: Vec<String>) -> Option<Vec<String>> {
    use heck::{ToKebabCase, ToPascalCase};
    if !super::all_distinct(&names) {
        return None;
    }
    let common = names.iter().cloned().reduce(|a, b| {
        let (a, b) = (a.to_kebab_case(), b.to_kebab_case());
        let words: Vec<&str> =
            a.split('-').zip(b.split('-')).take_while(|(x, y)| x == y).map(|(x, _)| x).collect();
        words.join("-").to_pascal_case()
    })?;
    names
        .into_iter()
        .map(|name| name.get(common.len()..).filter(|rest| !rest.is_empty()).map(str::to_owned))
        .collect()
}
