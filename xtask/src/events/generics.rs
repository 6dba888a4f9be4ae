//! Names for the instantiations of a generic contract type, from their type arguments.
//!
//! schemars names every instantiation of `Page<T>` `Page`, then `Page2`, `Page3`, ... in the
//! order it meets them, so a field added before another renumbers them and breaks consumers'
//! code. Two definitions `Page` and `Page2` that differ only where a type argument goes
//! (a `$ref`, or a whole subschema) are instantiations of one generic type: each is renamed
//! after its arguments, as schemars 0.8 did (`Page_for_Lot`, `Pair_for_Lot_and_Grade`), and
//! every `$ref` follows. Definitions that differ anywhere else keep their names.

use std::collections::BTreeMap;

use schema_model::{pointer, subschemas, subschemas_mut};
use serde_json::{Map, Value};

/// Renames numbered instantiations of one generic type in `schema`'s definitions.
pub fn name_instantiations(schema: &mut Value) {
    let Some(definitions) = schema.get("definitions").and_then(Value::as_object) else { return };
    let mut renames: BTreeMap<String, String> = BTreeMap::new();
    for (base, first) in definitions {
        let numbered: Vec<(&String, &Value)> =
            definitions.iter().filter(|(name, _)| is_numbered(name, base)).collect();
        if numbered.is_empty() {
            continue;
        }
        let mut family = vec![(base, first)];
        family.extend(numbered);
        let Some(arguments) = family_arguments(&family) else { continue };
        if arguments.iter().any(Vec::is_empty) || !all_distinct(&arguments) {
            continue;
        }
        for ((name, _), arguments) in family.iter().zip(arguments) {
            let new = format!("{base}_for_{}", arguments.join("_and_"));
            if !definitions.contains_key(&new) {
                renames.insert((*name).clone(), new);
            }
        }
    }
    if renames.is_empty() {
        return;
    }
    if let Some(Value::Object(definitions)) = schema.get_mut("definitions") {
        let old = std::mem::take(definitions);
        *definitions =
            old.into_iter().map(|(name, body)| (renames.get(&name).cloned().unwrap_or(name), body)).collect();
    }
    let by_reference: BTreeMap<String, String> =
        renames.iter().map(|(old, new)| (reference_to(old), reference_to(new))).collect();
    rewrite_refs(schema, &by_reference);
}

/// `Page2`, `Page3`, ... for `Page`.
fn is_numbered(name: &str, base: &str) -> bool {
    name.strip_prefix(base).is_some_and(|n| n.parse::<u32>().is_ok_and(|n| n >= 2) && !n.starts_with('0'))
}

/// Each member's type arguments, when every member has the same shape but for the places
/// where they differ; `None` when they differ anywhere a type argument cannot go.
fn family_arguments(family: &[(&String, &Value)]) -> Option<Vec<Vec<String>>> {
    let mut arguments = vec![Vec::new(); family.len()];
    let (_, first) = family[0];
    for (index, (_, other)) in family.iter().enumerate().skip(1) {
        let mut places = Vec::new();
        differences(first, other, String::new(), &mut places)?;
        if places.iter().any(|(at, _, _)| at.is_empty()) {
            return None;
        }
        for (_, left, right) in places {
            if !arguments[0].contains(&label(left)) {
                arguments[0].push(label(left));
            }
            arguments[index].push(label(right));
        }
    }
    Some(arguments)
}

/// Where two schemas differ, as (pointer, left subschema, right subschema); `None` when they
/// differ outside a subschema position (a description, a `required` list, a keyword).
fn differences<'a>(
    left: &'a Value,
    right: &'a Value,
    at: String,
    found: &mut Vec<(String, &'a Value, &'a Value)>,
) -> Option<()> {
    if left == right {
        return Some(());
    }
    let (Some(l), Some(r)) = (left.as_object(), right.as_object()) else {
        found.push((at, left, right));
        return Some(());
    };
    let same_keys = l.len() == r.len() && l.keys().all(|k| r.contains_key(k));
    if !same_keys || l.contains_key("$ref") {
        found.push((at, left, right));
        return Some(());
    }
    let left_subs = subschemas(left);
    let right_subs = subschemas(right);
    let sub_keywords: Vec<&str> = left_subs.iter().map(|(place, _)| place.keyword).collect();
    for (key, value) in l {
        if value != &r[key] && !sub_keywords.contains(&key.as_str()) {
            return None;
        }
    }
    if left_subs.len() != right_subs.len() {
        return None;
    }
    for ((place, l), (other, r)) in left_subs.iter().zip(&right_subs) {
        if place != other {
            return None;
        }
        differences(l, r, place.pointer_from(&at), found)?;
    }
    Some(())
}

/// A type argument's name, from the subschema where it goes: `Lot` for a `$ref` to it,
/// `String` for `{"type": "string"}`, `Array_of_Lot` for a list of them.
fn label(schema: &Value) -> String {
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        return pointer::last_segment(reference);
    }
    let object = schema.as_object().cloned().unwrap_or_else(Map::new);
    match object.get("type").and_then(Value::as_str) {
        Some("array") => format!("Array_of_{}", object.get("items").map_or_else(|| "Value".into(), label)),
        Some(kind) => {
            let mut chars = kind.chars();
            chars.next().map(|c| c.to_ascii_uppercase().to_string() + chars.as_str()).unwrap_or_default()
        }
        None if object.contains_key("anyOf") || object.contains_key("oneOf") => {
            let branches = object.get("anyOf").or_else(|| object.get("oneOf")).and_then(Value::as_array);
            let names: Vec<String> = branches.into_iter().flatten().map(label).collect();
            names.join("_or_")
        }
        None => "Value".into(),
    }
}

fn all_distinct(arguments: &[Vec<String>]) -> bool {
    arguments.iter().enumerate().all(|(i, a)| arguments[..i].iter().all(|b| a != b))
}

fn reference_to(name: &str) -> String {
    format!("#{}", pointer::push("/definitions", name))
}

/// Points every `$ref` in `schema` and its subschemas at the renamed definitions.
fn rewrite_refs(schema: &mut Value, renames: &BTreeMap<String, String>) {
    if let Some(Value::String(target)) = schema.get_mut("$ref")
        && let Some(new) = renames.get(target.as_str())
    {
        *target = new.clone();
    }
    subschemas_mut(schema).into_iter().for_each(|sub| rewrite_refs(sub, renames));
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn page(item: Value) -> Value {
        json!({"type": "object", "description": "One page.", "required": ["items"],
               "properties": {"items": {"type": "array", "items": item}, "next": {"type": ["string", "null"]}}})
    }

    #[test]
    fn instantiations_are_named_after_their_arguments_and_refs_follow() {
        let mut schema = json!({
            "properties": {"lots": {"$ref": "#/definitions/Page"}, "grades": {"$ref": "#/definitions/Page2"},
                           "names": {"$ref": "#/definitions/Page3"}},
            "definitions": {
                "Page": page(json!({"$ref": "#/definitions/Lot"})),
                "Page2": page(json!({"$ref": "#/definitions/Grade"})),
                "Page3": page(json!({"type": "string"})),
                "Lot": {"type": "object"}, "Grade": {"type": "object"}
            }
        });
        name_instantiations(&mut schema);
        let names: Vec<&String> = schema["definitions"].as_object().unwrap().keys().collect();
        assert!(names.contains(&&"Page_for_Lot".to_owned()), "{names:?}");
        assert!(names.contains(&&"Page_for_Grade".to_owned()), "{names:?}");
        assert!(names.contains(&&"Page_for_String".to_owned()), "{names:?}");
        assert_eq!(schema["properties"]["grades"]["$ref"], "#/definitions/Page_for_Grade");
        assert_eq!(schema["properties"]["names"]["$ref"], "#/definitions/Page_for_String");
    }

    #[test]
    fn numbered_types_that_differ_elsewhere_keep_their_names() {
        let mut other = page(json!({"$ref": "#/definitions/Grade"}));
        other["description"] = json!("Another page.");
        let mut schema =
            json!({"definitions": {"Page": page(json!({"$ref": "#/definitions/Lot"})), "Page2": other}});
        let before = schema.clone();
        name_instantiations(&mut schema);
        assert_eq!(schema, before);
    }
}
