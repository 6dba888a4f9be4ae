//! Named schemas merged into one namespace of types: what one generated module holds.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use crate::Diagnostic;

/// How a schema was made, which decides how the generated code treats it.
///
/// - Field-name collisions (typify snake-cases names: `fooBar` and `foo_bar` both become
///   `foo_bar`): a contract can rename a field, JSON someone else designed cannot.
/// - Formats: our producers write canonical text (`Z` times, lowercase UUIDs), so typed
///   fields (`chrono`, `uuid`) round-trip it; third-party JSON may write `+00:00` or
///   uppercase UUIDs, which typed fields would rewrite.
/// - Definition names: a contract's come from its Rust types and a clash is a mistake to
///   report; inferred ones come from property paths, and clashes are renamed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Derived from a type someone wrote: a field-name collision or two shapes under one
    /// name is an error; `date-time`, `date` and `uuid` become `chrono` and `uuid` types.
    Contract,
    /// Inferred from samples: colliding fields are numbered (keeping their JSON names),
    /// clashing definitions are prefixed with their root's name, and formatted strings stay
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
const UNSUPPORTED_KEYWORDS: &[&str] = &["if", "then", "else", "not", "patternProperties"];

/// Merges `items` into the namespace `name`. Identical definitions are shared. Two different
/// shapes under one name are an error naming both items, unless both are inferred: then each
/// is prefixed with its root's name (`Detail` in `ScheduledEvent` becomes
/// `ScheduledEventDetail`). An unsupported keyword is an error with its JSON Pointer.
pub fn namespace(name: &str, items: &[SchemaItem]) -> Result<Namespace, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let inferred: Vec<(String, Value)> = items
        .iter()
        .filter(|item| item.origin == Origin::Inferred)
        .map(|item| (schema_ident::pascal_case(&item.name), item.schema.clone()))
        .collect();
    let mut prefixed = prefix_clashing_definitions(&inferred).into_iter();
    // Each type remembers the item it came from, to name both sides of a clash.
    let mut types: BTreeMap<String, (Value, String)> = BTreeMap::new();
    let mut roots = Vec::with_capacity(items.len());
    for item in items {
        let schema = match item.origin {
            Origin::Inferred => prefixed.next().expect("one per inferred item").1,
            Origin::Contract => item.schema.clone(),
        };
        for (keyword, place) in unsupported_keywords(&schema, String::new()) {
            errors.push(
                Diagnostic::new(
                    &item.label,
                    format!("schema uses `{keyword}` at {place}, which the code generators do not support"),
                )
                .with_fix("express it with properties, enums or oneOf"),
            );
        }
        let renames = definition_renames(&schema);
        let mut root = rename_refs(&schema, &renames);
        let definitions = take_definitions(&mut root);
        strip_document_keywords(&mut root);
        let root_name = schema_ident::pascal_case(&item.name);
        if let Some(object) = root.as_object_mut() {
            object.insert("title".into(), Value::String(root_name.clone()));
        }
        roots.push(root_name.clone());
        for (type_name, schema) in definitions.into_iter().chain([(root_name, root)]) {
            match types.get(&type_name) {
                Some((existing, first)) if *existing != schema => errors.push(
                    Diagnostic::new(
                        name,
                        format!("two different types are named `{type_name}`, in {first} and {}", item.label),
                    )
                    .with_fix("rename one, or make them identical so they are shared"),
                ),
                Some(_) => {}
                None => {
                    types.insert(type_name, (schema, item.label.clone()));
                }
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let origin = if items.iter().any(|item| item.origin == Origin::Inferred) {
        Origin::Inferred
    } else {
        Origin::Contract
    };
    Ok(Namespace {
        name: name.to_owned(),
        roots,
        types: types.into_iter().map(|(name, (schema, _))| (name, schema)).collect(),
        origin,
    })
}

/// Renames, in every schema that has it, a definition that several of the named schemas
/// define differently: `Detail` in `ScheduledEvent` becomes `ScheduledEventDetail`. Names
/// shared with one shape stay, so identical definitions are still shared.
fn prefix_clashing_definitions(schemas: &[(String, Value)]) -> Vec<(String, Value)> {
    let mut shapes: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for (_, schema) in schemas {
        for (name, definition) in schema.get("definitions").and_then(Value::as_object).into_iter().flatten() {
            shapes.entry(name).or_default().insert(definition.to_string());
        }
    }
    schemas
        .iter()
        .map(|(root, schema)| {
            let renames: BTreeMap<String, String> = shapes
                .iter()
                .filter(|(name, variants)| {
                    variants.len() > 1 && schema.get("definitions").and_then(|d| d.get(**name)).is_some()
                })
                .map(|(name, _)| ((*name).to_owned(), format!("{root}{name}")))
                .collect();
            (root.clone(), rename_refs(schema, &renames))
        })
        .collect()
}

/// Definition keys as type names: `Foo Bar` and `foo-bar` both become `FooBar`.
fn definition_renames(schema: &Value) -> BTreeMap<String, String> {
    schema
        .get("definitions")
        .and_then(Value::as_object)
        .map(|defs| defs.keys().map(|key| (key.clone(), schema_ident::pascal_case(key))).collect())
        .unwrap_or_default()
}

/// A copy of `schema` whose definitions and `$ref`s are renamed as `renames` says.
fn rename_refs(schema: &Value, renames: &BTreeMap<String, String>) -> Value {
    match schema {
        Value::Object(object) => {
            let mut renamed = Map::new();
            for (key, value) in object {
                let value = match (key.as_str(), value) {
                    ("$ref", Value::String(target)) => {
                        let name = target.strip_prefix("#/definitions/").unwrap_or(target);
                        match renames.get(name) {
                            Some(new) => Value::String(format!("#/definitions/{new}")),
                            None => value.clone(),
                        }
                    }
                    ("definitions", Value::Object(defs)) => Value::Object(
                        defs.iter()
                            .map(|(name, def)| {
                                (
                                    renames.get(name).cloned().unwrap_or(name.clone()),
                                    rename_refs(def, renames),
                                )
                            })
                            .collect(),
                    ),
                    _ => rename_refs(value, renames),
                };
                renamed.insert(key.clone(), value);
            }
            Value::Object(renamed)
        }
        Value::Array(items) => Value::Array(items.iter().map(|item| rename_refs(item, renames)).collect()),
        other => other.clone(),
    }
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

/// `(keyword, JSON Pointer)` of every unsupported keyword in a schema.
fn unsupported_keywords(schema: &Value, pointer: String) -> Vec<(String, String)> {
    let mut found = Vec::new();
    match schema {
        Value::Object(object) => {
            for (key, value) in object {
                let here = crate::pointer_push(&pointer, key);
                if UNSUPPORTED_KEYWORDS.contains(&key.as_str()) {
                    found.push((
                        key.clone(),
                        if pointer.is_empty() { "the root".into() } else { pointer.clone() },
                    ));
                }
                // Inside these, keys are names, not keywords.
                match (matches!(key.as_str(), "properties" | "definitions"), value) {
                    (true, Value::Object(named)) => {
                        for (name, sub) in named {
                            found.extend(unsupported_keywords(sub, crate::pointer_push(&here, name)));
                        }
                    }
                    _ => found.extend(unsupported_keywords(value, here)),
                }
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                found.extend(unsupported_keywords(item, crate::pointer_push(&pointer, &index.to_string())));
            }
        }
        _ => {}
    }
    found
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
