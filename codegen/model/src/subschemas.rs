//! Which keywords hold subschemas, as schemars' `transform_subschemas` knows them: a walk
//! goes into `properties` and `items`, never into `enum`, `const`, `default` or `examples`
//! data, which may hold objects that look like schemas.

use serde_json::Value;

use crate::pointer;

/// Keywords whose value is one subschema (`items` too, when it is not a tuple).
fn holds_one(keyword: &str) -> bool {
    matches!(
        keyword,
        "items"
            | "additionalItems"
            | "additionalProperties"
            | "contains"
            | "propertyNames"
            | "if"
            | "then"
            | "else"
            | "not"
    )
}

/// Keywords whose value is a list of subschemas (`items` too, when it is a tuple).
fn holds_list(keyword: &str) -> bool {
    matches!(keyword, "items" | "allOf" | "anyOf" | "oneOf" | "prefixItems")
}

/// Keywords whose value maps names to subschemas (`dependencies` holds property lists too,
/// which are skipped).
fn holds_map(keyword: &str) -> bool {
    matches!(
        keyword,
        "properties" | "patternProperties" | "definitions" | "$defs" | "dependencies" | "dependentSchemas"
    )
}

/// Keywords that describe a value without constraining it.
pub fn is_annotation(key: &str) -> bool {
    matches!(
        key,
        "title"
            | "description"
            | "default"
            | "examples"
            | "$comment"
            | "$schema"
            | "$id"
            | "readOnly"
            | "writeOnly"
            | "deprecated"
            | "definitions"
            | "$defs"
    ) || key.starts_with("x-")
}

/// Where a subschema sits in its parent: the keyword, and the name or position inside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place<'a> {
    /// The keyword holding the subschema (`properties`, `items`, `anyOf`, ...).
    pub keyword: &'a str,
    /// The entry inside the keyword's value, for maps and lists.
    pub key: Option<Key<'a>>,
}

/// An entry of a keyword's value: a name in a map, a position in a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key<'a> {
    /// A property, pattern or definition name.
    Name(&'a str),
    /// A position in `allOf`, a tuple's `items`, ...
    Index(usize),
}

impl Place<'_> {
    /// The subschema's pointer, given its parent's.
    pub fn pointer_from(&self, parent: &str) -> String {
        let at = pointer::push(parent, self.keyword);
        match self.key {
            None => at,
            Some(Key::Name(name)) => pointer::push(&at, name),
            Some(Key::Index(index)) => pointer::push(&at, &index.to_string()),
        }
    }
}

/// What a keyword's value holds, by the keyword and the value's JSON type: the one rule
/// [`subschemas`], [`subschemas_mut`] and every walk that reads a schema's data too (hashing
/// or comparing whole schemas) follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holds {
    /// The value is one subschema.
    One,
    /// The value is a list of subschemas.
    List,
    /// The value maps names to subschemas; entries that are not objects or booleans (a
    /// `dependencies` property list) are data.
    Map,
    /// The value is data (`enum`, `const`, `default`, `examples`, `type`, ...), not a schema.
    Data,
}

/// What the value of `keyword` holds (see [`Holds`]).
pub fn holds(keyword: &str, value: &Value) -> Holds {
    match value {
        Value::Object(_) | Value::Bool(_) if holds_one(keyword) => Holds::One,
        Value::Array(_) if holds_list(keyword) => Holds::List,
        Value::Object(_) if holds_map(keyword) => Holds::Map,
        _ => Holds::Data,
    }
}

/// The direct subschemas of `schema`, with their places, in the order of the schema's keys.
pub fn subschemas(schema: &Value) -> Vec<(Place<'_>, &Value)> {
    let mut found = Vec::new();
    for_each_subschema(schema, |place, sub| found.push((place, sub)));
    found
}

/// Calls `visit` with each direct subschema of `schema` and its place, in the order of
/// [`subschemas`], without collecting them: for walks over whole schemas.
pub fn for_each_subschema<'a>(schema: &'a Value, mut visit: impl FnMut(Place<'a>, &'a Value)) {
    let Some(map) = schema.as_object() else { return };
    for (keyword, value) in map {
        entry_subschemas(keyword, value, &mut visit);
    }
}

/// Calls `visit` with each subschema that the entry `keyword: value` of a schema holds, and
/// its place, in order.
pub fn entry_subschemas<'a>(keyword: &'a str, value: &'a Value, mut visit: impl FnMut(Place<'a>, &'a Value)) {
    match (holds(keyword, value), value) {
        (Holds::One, _) => visit(Place { keyword, key: None }, value),
        (Holds::List, Value::Array(list)) => {
            for (index, sub) in list.iter().enumerate() {
                visit(Place { keyword, key: Some(Key::Index(index)) }, sub);
            }
        }
        (Holds::Map, Value::Object(entries)) => {
            for (name, sub) in entries.iter().filter(|(_, sub)| is_schema(sub)) {
                visit(Place { keyword, key: Some(Key::Name(name)) }, sub);
            }
        }
        _ => {}
    }
}

/// The direct subschemas of `schema`, to edit in place, in the schema's key order.
pub fn subschemas_mut(schema: &mut Value) -> Vec<&mut Value> {
    let mut found = Vec::new();
    for_each_subschema_mut(schema, |sub| found.push(sub));
    found
}

/// Calls `visit` with each direct subschema of `schema`, to edit in place, in the order of
/// [`subschemas_mut`], without collecting them.
pub fn for_each_subschema_mut<'a>(schema: &'a mut Value, mut visit: impl FnMut(&'a mut Value)) {
    let Some(map) = schema.as_object_mut() else { return };
    for (keyword, value) in map.iter_mut() {
        match holds(keyword, value) {
            Holds::One => visit(value),
            Holds::List => value.as_array_mut().into_iter().flatten().for_each(&mut visit),
            Holds::Map => {
                let entries = value.as_object_mut().into_iter().flat_map(|m| m.values_mut());
                entries.filter(|sub| is_schema(sub)).for_each(&mut visit);
            }
            Holds::Data => {}
        }
    }
}

/// Whether an entry of a [`Holds::Map`] keyword's value is a subschema.
pub fn is_schema(value: &Value) -> bool {
    value.is_object() || value.is_boolean()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn subschemas_are_found_under_every_keyword_that_holds_them_and_nowhere_else() {
        let schema = json!({
            "properties": {"a/b": {"type": "string"}},
            "items": [{"type": "integer"}, true],
            "anyOf": [{"type": "null"}],
            "dependencies": {"a": ["b"], "c": {"required": ["d"]}},
            "not": false,
            "const": {"type": "string", "format": "date"},
            "enum": [{"properties": {}}],
            "default": {"items": {}},
            "examples": [{"not": {}}]
        });
        let mut pointers: Vec<String> =
            subschemas(&schema).iter().map(|(place, _)| place.pointer_from("")).collect();
        pointers.sort();
        assert_eq!(
            pointers,
            ["/anyOf/0", "/dependencies/c", "/items/0", "/items/1", "/not", "/properties/a~1b"]
        );
        let mut copy = schema.clone();
        assert_eq!(subschemas_mut(&mut copy).len(), pointers.len());
    }

    #[test]
    fn a_single_items_schema_is_one_subschema() {
        let schema = json!({"items": {"type": "string"}, "additionalProperties": {"type": "integer"}});
        let places: Vec<Place> = subschemas(&schema).into_iter().map(|(place, _)| place).collect();
        assert_eq!(places.len(), 2);
        assert!(places.contains(&Place { keyword: "items", key: None }));
        assert!(places.contains(&Place { keyword: "additionalProperties", key: None }));
    }
}
