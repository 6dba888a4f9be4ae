//! Named schemas merged into one namespace of types: what one generated module holds.

mod shapes;

use std::collections::BTreeMap;

use schema_model::{Holds, Key, Place, holds, is_schema};
use serde_json::Value;

use crate::Diagnostic;

/// How a schema was made, which decides how the generated code treats it.
///
/// - Formats: our producers write canonical text (`Z` times, lowercase UUIDs), so typed
///   fields (`chrono`, `uuid`) round-trip it; third-party JSON may write `+00:00` or
///   uppercase UUIDs, which typed fields would rewrite.
/// - Definition names: a contract's come from its Rust types and a clash is a mistake to
///   report; inferred ones come from property paths, and clashes are renamed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Derived from a type someone wrote: two shapes under one name is an error; `date-time`, `date` and `uuid` become `chrono` and `uuid` types.
    Contract,
    /// Inferred from samples: clashing definitions are prefixed with their root's name, and formatted strings stay
    /// `String`, so the exact text round-trips.
    Inferred,
}

/// One named schema to generate code for.
#[derive(Debug, Clone)]
pub struct SchemaItem {
    /// The root type's name; made an identifier with [`schema_ident::pascal_case`].
    pub name: String,
    /// The schema, with its `definitions`.
    pub schema: Value,
    /// How it was made.
    pub origin: Origin,
    /// Where it came from, for messages: `trading.TradeCreated`, `samples/order.json`.
    pub label: String,
}

/// The types of one generated module: every item's root and every definition, merged.
#[derive(Debug, Clone, PartialEq)]
pub struct Namespace {
    /// The module's name in messages (an EventBridge source, a file name).
    pub name: String,
    /// The root type name of each item, in item order.
    pub roots: Vec<String>,
    /// Every named type, by name; `$ref`s point at `#/definitions/<name>`.
    pub types: BTreeMap<String, Value>,
    /// [`Origin::Inferred`] when any item was inferred.
    pub origin: Origin,
}

/// Keywords typify cannot handle (it panics on them) and the TypeScript emitter does not
/// translate; a schema using one is rejected with its location.
fn is_unsupported_keyword(key: &str) -> bool {
    matches!(key, "if" | "then" | "else" | "not" | "patternProperties")
}

/// Merges `items` into the namespace `name`. Identical types are shared; each root keeps its
/// name and two roots are never merged. A contract's definitions keep their names, and two
/// different types under one of those names are an error naming both items. Inferred
/// definitions get one name per shape, prefixed with their root's name on a clash
/// (`CheckSuite` inside `CheckRun` becomes `CheckRunCheckSuite`): see [`shapes`] for the
/// rules and why adding an item renames nothing it does not clash with. An unsupported
/// keyword is an error with its JSON Pointer.
pub fn namespace(name: &str, items: &[SchemaItem]) -> Result<Namespace, Vec<Diagnostic>> {
    namespace_of(name, items.to_vec())
}

/// [`namespace`], consuming `items`: their schemas become the namespace's types without a
/// copy, so a caller that has no further use for them holds each schema once.
pub fn namespace_of(name: &str, mut items: Vec<SchemaItem>) -> Result<Namespace, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    for item in &items {
        let mut found = Vec::new();
        unsupported_keywords(&item.schema, &mut Vec::new(), &mut found);
        for (keyword, place) in found {
            errors.push(
                Diagnostic::new(
                    &item.label,
                    format!("schema uses `{keyword}` at {place}, which the code generators do not support"),
                )
                .with_fix("express it with properties, enums or oneOf"),
            );
        }
    }
    let roots: Vec<String> = items.iter().map(|item| schema_ident::pascal_case(&item.name)).collect();
    let mut seen_roots: BTreeMap<&str, usize> = BTreeMap::new();
    for (index, root) in roots.iter().enumerate() {
        if let Some(&first) = seen_roots.get(root.as_str()) {
            errors.push(
                Diagnostic::new(
                    name,
                    format!(
                        "{} and {} are both the type `{root}`; two top-level types are never merged",
                        items[first].label, items[index].label
                    ),
                )
                .with_fix("rename one"),
            );
        }
        seen_roots.entry(root).or_insert(index);
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let (nodes, is_root) = nodes_of(&mut items, &roots);
    let names = shapes::assign(&nodes, &roots).map_err(|clashes| {
        clashes
            .into_iter()
            .map(|clash| {
                let (first, second) = (&items[nodes[clash.nodes.0].item], &items[nodes[clash.nodes.1].item]);
                Diagnostic::new(
                    name,
                    format!(
                        "two different types are named `{}`, in {} and {}",
                        clash.name, first.label, second.label
                    ),
                )
                .with_fix("rename one, or make them identical so they are shared")
            })
            .collect::<Vec<_>>()
    })?;
    let mut types: BTreeMap<String, Value> = BTreeMap::new();
    for (index, node) in nodes.into_iter().enumerate() {
        if types.contains_key(&names[index]) {
            continue;
        }
        let mut body = node.body;
        shapes::replace_refs(&mut body, &|target| {
            node.refs.get(target).map(|&t| format!("#/definitions/{}", names[t]))
        });
        if let Some(object) = body.as_object_mut()
            && (is_root[index] || items[node.item].origin == Origin::Inferred)
        {
            object.insert("title".into(), Value::String(names[index].clone()));
        }
        types.insert(names[index].clone(), body);
    }
    let origin = if items.iter().any(|item| item.origin == Origin::Inferred) {
        Origin::Inferred
    } else {
        Origin::Contract
    };
    Ok(Namespace { name: name.to_owned(), roots, types, origin })
}

/// Every root and definition of every item as a node, with its `$ref`s resolved within its
/// item; and for each node whether it is a root.
/// The items' schemas are moved into the nodes (leaving `null`).
fn nodes_of(items: &mut [SchemaItem], roots: &[String]) -> (Vec<shapes::Node>, Vec<bool>) {
    let mut nodes = Vec::new();
    let mut is_root = Vec::new();
    for (index, item) in items.iter_mut().enumerate() {
        let mut root = std::mem::take(&mut item.schema);
        let definitions = take_definitions(&mut root);
        strip_document_keywords(&mut root);
        let first = nodes.len();
        let by_ref: BTreeMap<String, usize> = definitions
            .keys()
            .enumerate()
            .map(|(offset, key)| (format!("#/definitions/{key}"), first + offset))
            .collect();
        let fixed = item.origin == Origin::Contract;
        let bodies = definitions
            .into_iter()
            .map(|(key, body)| (schema_ident::pascal_case(&key), body, fixed, false))
            .chain([(roots[index].clone(), root, true, true)]);
        for (wanted, body, fixed, root) in bodies {
            let mut targets = Vec::new();
            shapes::ref_targets(&body, &mut targets);
            let refs = targets.into_iter().filter_map(|t| by_ref.get(&t).map(|&n| (t, n))).collect();
            nodes.push(shapes::Node { item: index, wanted, fixed, body, refs });
            is_root.push(root);
        }
    }
    (nodes, is_root)
}

fn take_definitions(root: &mut Value) -> BTreeMap<String, Value> {
    root.as_object_mut()
        .and_then(|object| object.remove("definitions"))
        .and_then(|defs| match defs {
            Value::Object(map) => Some(map.into_iter().collect()),
            _ => None,
        })
        .unwrap_or_default()
}

/// Keywords of the published document that describe the file, not the type.
fn strip_document_keywords(root: &mut Value) {
    if let Some(object) = root.as_object_mut() {
        object.retain(|key, _| {
            !matches!(key.as_str(), "$schema" | "$comment" | "$id" | "examples") && !key.starts_with("x-")
        });
    }
}

/// `(keyword, JSON Pointer)` of every unsupported keyword in a schema and its subschemas
/// (not in `enum`, `const` or `examples` data, where keys are not keywords), into `found`;
/// `path` is where `schema` is, as places from the root (a pointer is made only for a find).
fn unsupported_keywords<'a>(schema: &'a Value, path: &mut Vec<Place<'a>>, found: &mut Vec<(String, String)>) {
    let Some(object) = schema.as_object() else { return };
    for (key, value) in object {
        if is_unsupported_keyword(key) {
            let pointer = path.iter().fold(String::new(), |pointer, place| place.pointer_from(&pointer));
            found.push((key.clone(), if pointer.is_empty() { "the root".into() } else { pointer }));
        }
        let keyword = key.as_str();
        let mut visit = |sub: &'a Value, key: Option<Key<'a>>, path: &mut Vec<Place<'a>>| {
            path.push(Place { keyword, key });
            unsupported_keywords(sub, path, found);
            path.pop();
        };
        match (holds(keyword, value), value) {
            (Holds::One, _) => visit(value, None, path),
            (Holds::List, Value::Array(list)) => {
                list.iter().enumerate().for_each(|(index, sub)| visit(sub, Some(Key::Index(index)), path));
            }
            (Holds::Map, Value::Object(entries)) => {
                for (name, sub) in entries.iter().filter(|(_, sub)| is_schema(sub)) {
                    visit(sub, Some(Key::Name(name)), path);
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn item(name: &str, schema: Value) -> SchemaItem {
        SchemaItem { name: name.into(), schema, origin: Origin::Contract, label: format!("s.{name}") }
    }

    #[test]
    fn identical_definitions_are_shared_and_roots_keep_their_names() {
        let address = json!({"type": "object", "properties": {"line1": {"type": "string"}}});
        let a = json!({"title": "A", "$ref": "#/definitions/Address", "definitions": {"Address": address}, "examples": [1]});
        let b = json!({"title": "B", "properties": {"to": {"$ref": "#/definitions/Address"}}, "definitions": {"Address": address}});
        let ns = namespace("s", &[item("A", a), item("B", b)]).unwrap();
        assert_eq!(ns.roots, ["A", "B"]);
        assert_eq!(ns.types.keys().collect::<Vec<_>>(), ["A", "Address", "B"]);
        assert_eq!(ns.types["A"], json!({"title": "A", "$ref": "#/definitions/Address"}));
    }

    #[test]
    fn two_shapes_under_one_name_are_an_error_naming_both_items() {
        let a = json!({"title": "A", "definitions": {"Address": {"type": "string"}}});
        let b = json!({"title": "B", "definitions": {"Address": {"type": "integer"}}});
        let errors = namespace("s", &[item("A", a), item("B", b)]).unwrap_err();
        assert_eq!(
            errors.iter().map(ToString::to_string).collect::<Vec<_>>(),
            [
                "s: two different types are named `Address`, in s.A and s.B; rename one, or make them identical so they are shared"
            ]
        );
    }

    #[test]
    fn inferred_definitions_that_clash_are_prefixed_with_their_root() {
        let inferred = |name: &str, detail: Value| SchemaItem {
            origin: Origin::Inferred,
            ..item(name, json!({"$ref": "#/definitions/Detail", "definitions": {"Detail": detail}}))
        };
        let ns = namespace(
            "s",
            &[inferred("A", json!({"type": "string"})), inferred("B", json!({"type": "integer"}))],
        )
        .unwrap();
        assert_eq!(ns.types.keys().collect::<Vec<_>>(), ["A", "ADetail", "B", "BDetail"]);
        assert_eq!(ns.origin, Origin::Inferred);
    }

    #[test]
    fn unsupported_keywords_are_errors_with_their_location() {
        let schema = json!({"title": "A", "properties": {"not": {"type": "string"}, "x": {"not": {"type": "string"}}},
            "definitions": {"D": {"patternProperties": {"^a": {}}}}});
        let mut errors: Vec<String> =
            namespace("s", &[item("A", schema)]).unwrap_err().iter().map(ToString::to_string).collect();
        errors.sort();
        assert_eq!(errors.len(), 2, "{errors:#?}");
        assert!(errors[0].contains("`not` at /properties/x"), "{}", errors[0]);
        assert!(errors[1].contains("`patternProperties` at /definitions/D"), "{}", errors[1]);
    }
}
