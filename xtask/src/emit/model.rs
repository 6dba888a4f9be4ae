//! The schemas of one source, merged into one namespace of named types.

use std::collections::BTreeMap;

use heck::ToUpperCamelCase;
use serde_json::{Map, Value};

/// The schema of one event as the emitters need it.
#[derive(Debug, Clone)]
pub struct EventSchema {
    /// The EventBridge `source`.
    pub source: String,
    /// The EventBridge `detail-type`.
    pub detail_type: String,
    /// The published schema document (with `definitions`).
    pub schema: Value,
    /// Whether the schema was inferred from samples rather than derived from a Rust type.
    pub inferred: bool,
}

/// One source's events: the types its module will hold.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceModule {
    /// The EventBridge `source`, e.g. `trading` or `aws.events`.
    pub source: String,
    /// Each event's detail-type and the name of its root type.
    pub events: Vec<(String, String)>,
    /// Every named type of the module (event roots and shared definitions), by name; the
    /// schemas' `$ref`s point at `#/definitions/<name>`.
    pub types: BTreeMap<String, Value>,
    /// Whether any of its events' schemas was inferred from samples.
    pub inferred: bool,
}

/// Keywords typify cannot handle (it panics on them) and the TypeScript emitter does not
/// translate; a schema using one is rejected with its location.
const UNSUPPORTED_KEYWORDS: &[&str] = &["if", "then", "else", "not", "patternProperties"];

/// The type name of an event's root: its schema `title`, or else its detail-type, as a
/// PascalCase identifier (`Scheduled Event` becomes `ScheduledEvent`).
pub fn root_type_name(event: &EventSchema) -> String {
    let title = event.schema.get("title").and_then(Value::as_str).unwrap_or(&event.detail_type);
    type_name(title)
}

/// A PascalCase identifier for a schema name; a leading digit gets a `T` prefix.
pub fn type_name(name: &str) -> String {
    let name = name.to_upper_camel_case();
    match name.chars().next() {
        Some(c) if c.is_ascii_alphabetic() || c == '_' => name,
        _ => format!("T{name}"),
    }
}

/// Groups events by source and merges each source's definitions. Two different shapes
/// under one name, or an unsupported keyword, are errors naming the events involved.
pub fn modules(events: &[EventSchema]) -> Result<Vec<SourceModule>, Vec<String>> {
    let mut by_source: BTreeMap<&str, Vec<&EventSchema>> = BTreeMap::new();
    for event in events {
        by_source.entry(&event.source).or_default().push(event);
    }
    let mut errors = Vec::new();
    let mut modules = Vec::new();
    for (source, events) in by_source {
        match module(source, &events) {
            Ok(module) => modules.push(module),
            Err(mut found) => errors.append(&mut found),
        }
    }
    if errors.is_empty() { Ok(modules) } else { Err(errors) }
}

fn module(source: &str, events: &[&EventSchema]) -> Result<SourceModule, Vec<String>> {
    let mut errors = Vec::new();
    // Inferred schemas name definitions from property paths, so two events of one source can
    // both have a `Detail` of different shapes; no one can rename those, so prefix them.
    let inferred: Vec<(String, Value)> =
        events.iter().filter(|e| e.inferred).map(|e| (root_type_name(e), e.schema.clone())).collect();
    let mut prefixed = prefix_clashing_definitions(&inferred).into_iter();
    let events: Vec<EventSchema> = events
        .iter()
        .map(|event| {
            let mut event = (*event).clone();
            if event.inferred {
                event.schema = prefixed.next().expect("one per inferred event").1;
            }
            event
        })
        .collect();
    // Each type remembers the event it came from, to name both sides of a clash.
    let mut types: BTreeMap<String, (Value, String)> = BTreeMap::new();
    let mut roots = Vec::new();
    for event in &events {
        let origin = format!("{}.{}", event.source, event.detail_type);
        for location in unsupported_keywords(&event.schema, String::new()) {
            errors.push(format!(
                "{origin}: schema uses `{}` at {}, which the code generators do not support; \
                 express it with properties, enums or oneOf",
                location.0, location.1
            ));
        }
        let renames = definition_renames(&event.schema);
        let mut root = rename_refs(&event.schema, &renames);
        let definitions = take_definitions(&mut root);
        strip_document_keywords(&mut root);
        let root_name = root_type_name(event);
        if let Some(object) = root.as_object_mut() {
            object.insert("title".into(), Value::String(root_name.clone()));
        }
        roots.push((event.detail_type.clone(), root_name.clone()));
        for (name, schema) in definitions.into_iter().chain([(root_name, root)]) {
            match types.get(&name) {
                Some((existing, first)) if *existing != schema => errors.push(format!(
                    "{source}: two different types are named `{name}`, in {first} and {origin}; \
                     rename one, or make them identical so they are shared"
                )),
                Some(_) => {}
                None => {
                    types.insert(name, (schema, origin.clone()));
                }
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(SourceModule {
        source: source.to_owned(),
        events: roots,
        types: types.into_iter().map(|(name, (schema, _))| (name, schema)).collect(),
        inferred: events.iter().any(|e| e.inferred),
    })
}

/// Renames, in every schema that has it, a definition that several of the named schemas
/// define differently: `Detail` in `ScheduledEvent` becomes `ScheduledEventDetail`. Names
/// shared with one shape stay, so identical definitions are still shared.
pub fn prefix_clashing_definitions(schemas: &[(String, Value)]) -> Vec<(String, Value)> {
    let mut shapes: BTreeMap<&str, std::collections::BTreeSet<String>> = BTreeMap::new();
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
        .map(|defs| defs.keys().map(|key| (key.clone(), type_name(key))).collect())
        .unwrap_or_default()
}

/// A copy of `schema` whose definitions and `$ref`s are renamed as `renames` says.
pub fn rename_refs(schema: &Value, renames: &BTreeMap<String, String>) -> Value {
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
                let here = crate::json::pointer_push(&pointer, key);
                // Inside these, keys are names, not keywords.
                let names_inside = matches!(key.as_str(), "properties" | "definitions");
                if UNSUPPORTED_KEYWORDS.contains(&key.as_str()) {
                    found.push((
                        key.clone(),
                        if pointer.is_empty() { "the root".into() } else { pointer.clone() },
                    ));
                }
                match (names_inside, value) {
                    (true, Value::Object(named)) => {
                        for (name, sub) in named {
                            found.extend(unsupported_keywords(sub, crate::json::pointer_push(&here, name)));
                        }
                    }
                    _ => found.extend(unsupported_keywords(value, here)),
                }
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                found.extend(unsupported_keywords(
                    item,
                    crate::json::pointer_push(&pointer, &index.to_string()),
                ));
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

    fn event(source: &str, detail_type: &str, schema: Value) -> EventSchema {
        EventSchema { source: source.into(), detail_type: detail_type.into(), schema, inferred: false }
    }

    #[test]
    fn identical_definitions_are_shared_and_roots_are_named_by_title() {
        let address = json!({"type": "object", "properties": {"line1": {"type": "string"}}});
        let a = json!({"title": "A", "$ref": "#/definitions/Address", "definitions": {"Address": address}, "examples": [1]});
        let b = json!({"title": "B", "properties": {"to": {"$ref": "#/definitions/Address"}}, "definitions": {"Address": address}});
        let modules = modules(&[event("s", "A", a), event("s", "B", b)]).unwrap();
        assert_eq!(modules.len(), 1);
        assert_eq!(modules[0].types.keys().collect::<Vec<_>>(), ["A", "Address", "B"]);
        assert_eq!(modules[0].types["A"], json!({"title": "A", "$ref": "#/definitions/Address"}));
    }

    #[test]
    fn two_shapes_under_one_name_are_an_error_naming_both_events() {
        let a = json!({"title": "A", "definitions": {"Address": {"type": "string"}}});
        let b = json!({"title": "B", "definitions": {"Address": {"type": "integer"}}});
        let errors = modules(&[event("s", "A", a), event("s", "B", b)]).unwrap_err();
        assert_eq!(
            errors,
            [
                "s: two different types are named `Address`, in s.A and s.B; rename one, or make them identical so they are shared"
            ]
        );
    }

    #[test]
    fn unsupported_keywords_are_errors_with_their_location() {
        let schema = json!({"title": "A", "properties": {"not": {"type": "string"}, "x": {"not": {"type": "string"}}},
            "definitions": {"D": {"patternProperties": {"^a": {}}}}});
        let errors = modules(&[event("s", "A", schema)]).unwrap_err();
        assert_eq!(errors.len(), 2, "{errors:#?}");
        assert!(errors[0].contains("`patternProperties` at /definitions/D"), "{}", errors[0]);
        assert!(errors[1].contains("`not` at /properties/x"), "{}", errors[1]);
    }

    #[test]
    fn names_become_pascal_case_identifiers() {
        assert_eq!(type_name("Scheduled Event"), "ScheduledEvent");
        assert_eq!(type_name("foo-bar_baz"), "FooBarBaz");
        assert_eq!(type_name("3d"), "T3d");
    }
}
