//! The coverage check: an event's samples, together, give every part of its schema a value.
//!
//! A sample is the example in every schema, the snapshot and the test fixture; a field no
//! sample fills is a field no consumer ever sees an example of, and whose serialisation no
//! test exercises. Coverage is of the *schema*, not of every instance: every property of
//! every object schema reachable from the event (each definition, each inline object, each
//! variant's fields) must be present and not null at least once somewhere in the samples,
//! and every list and map schema must be non-empty at least once. So a recursive type is
//! coverable by a finite sample (`children: []` and `parent: None` somewhere are fine once
//! some `Category` has children and a parent), and a list may mix full and partial
//! elements, as real data does.
//!
//! Of a `oneOf`/`anyOf` (an `Option`, any serde enum) a value takes the first branch that
//! validates it, as serde's untagged matching does and the tags of tagged representations
//! guarantee. Branches no sample takes are not errors but [`Coverage::untaken`] variants,
//! which the generator reports as warnings.

mod branches;

use std::collections::BTreeMap;

use serde_json::Value;

use branches::Branches;
use schema_model::{follow, is_null_only, pointer};

/// A place where the samples give a field no value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gap {
    /// JSON Pointer to the first place in the samples where it shows, e.g. `/trade/brokerId`.
    pub path: String,
    /// Which sample that place is in (0 for the mandatory one).
    pub sample: usize,
    /// What is wrong there.
    pub kind: GapKind,
    /// The definition the field belongs to, when it is not the event itself: every instance
    /// of it in the samples has the gap.
    pub owner: Option<String>,
}

/// How a field lacks a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum GapKind {
    /// The property is absent.
    Missing,
    /// The property is `null` (an `Option` left `None`).
    Null,
    /// The array is empty.
    EmptyArray,
    /// The map is empty.
    EmptyMap,
}

impl Gap {
    /// What the factory must do to close this gap.
    pub fn describe(&self) -> String {
        let path = &self.path;
        let (what, fix) = match self.kind {
            GapKind::Missing => (format!("sample has no value at {path}"), "set the field"),
            GapKind::Null => (format!("sample leaves {path} null"), "give the Option a Some value"),
            GapKind::EmptyArray => (format!("sample leaves {path} empty"), "give it a non-empty list"),
            GapKind::EmptyMap => (format!("sample leaves {path} empty"), "give the map at least one entry"),
        };
        let sample = if self.sample > 0 { format!(" (sample {})", self.sample + 1) } else { String::new() };
        let owner = match &self.owner {
            Some(owner) => format!(", as in every `{owner}` of the samples"),
            None => String::new(),
        };
        format!("{what}{sample}{owner}; {fix}")
    }
}

/// A branch of a `oneOf`/`anyOf` no sample takes: a variant without an example.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Untaken {
    /// JSON Pointer to the union in the schema, e.g. `/definitions/Payment`.
    pub union: String,
    /// The variant: its tag value, title or position.
    pub variant: String,
    /// The first place in the samples where the union is used.
    pub path: String,
}

impl Untaken {
    /// The warning for it.
    pub fn describe(&self) -> String {
        let place = if self.path.is_empty() { "the root" } else { &self.path };
        format!(
            "no sample takes variant `{}` of {} (used at {place}); add a sample that does to `more_samples()`",
            self.variant,
            if self.union.is_empty() { "the event" } else { &self.union }
        )
    }
}

/// What the samples of one event cover of its schema.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Coverage {
    /// Requirements no sample meets, sorted by path.
    pub gaps: Vec<Gap>,
    /// Variants no sample takes.
    pub untaken: Vec<Untaken>,
}

/// The coverage of `schema` (a root schema with `definitions`) by `samples`.
pub fn check(schema: &Value, samples: &[Value]) -> Coverage {
    let mut walker =
        Walker { root: schema, requirements: BTreeMap::new(), branches: Branches::new(schema), sample: 0 };
    for (index, sample) in samples.iter().enumerate() {
        walker.sample = index;
        walker.visit(String::new(), schema, sample, String::new());
    }
    let mut gaps: Vec<Gap> = walker.requirements.into_values().filter_map(|r| r.unmet).collect();
    gaps.sort_by(|a, b| (a.sample, &a.path, a.kind).cmp(&(b.sample, &b.path, b.kind)));
    Coverage { gaps, untaken: walker.branches.untaken() }
}

/// The gaps of one sample (the coverage of a one-sample event).
pub fn gaps(schema: &Value, sample: &Value) -> Vec<Gap> {
    check(schema, std::slice::from_ref(sample)).gaps
}

/// One thing the samples must show once: a property of an object schema with a value, or a
/// list or map schema non-empty. `unmet` holds the first place it was not shown, until it is.
#[derive(Debug)]
struct Requirement {
    met: bool,
    unmet: Option<Gap>,
}

struct Walker<'s> {
    root: &'s Value,
    /// By (schema pointer, property name or "" for the list or map itself).
    requirements: BTreeMap<(String, String), Requirement>,
    branches: Branches<'s>,
    sample: usize,
}

impl<'s> Walker<'s> {
    /// Visits `value` at `path` in the samples against `schema`, found at `pointer` in the
    /// root schema.
    fn visit(&mut self, pointer: String, schema: &'s Value, value: &Value, path: String) {
        let (pointer, schema) = self.resolve(pointer, schema);
        for (index, sub) in array(schema, "allOf").iter().enumerate() {
            self.visit(format!("{pointer}/allOf/{index}"), sub, value, path.clone());
        }
        for keyword in ["oneOf", "anyOf"] {
            let branches = array(schema, keyword);
            if branches.is_empty() {
                continue;
            }
            let union = format!("{pointer}/{keyword}");
            if let Some(index) = self.branches.taken(&union, branches, value, &path) {
                self.visit(format!("{union}/{index}"), &branches[index], value, path.clone());
            }
        }
        match value {
            Value::Object(object) => self.visit_object(&pointer, schema, object, &path),
            Value::Array(items) => self.visit_array(&pointer, schema, items, &path),
            _ => {}
        }
    }

    fn visit_object(
        &mut self,
        pointer: &str,
        schema: &'s Value,
        object: &serde_json::Map<String, Value>,
        path: &str,
    ) {
        let properties = schema.get("properties").and_then(Value::as_object);
        for (name, property) in properties.into_iter().flatten() {
            let field = pointer::push(path, name);
            let child = pointer::push(&pointer::push(pointer, "properties"), name);
            match object.get(name) {
                None => self.require(pointer, name, field, GapKind::Missing, false),
                Some(Value::Null) => {
                    let only_null = self.only_null(property);
                    self.require(pointer, name, field, GapKind::Null, only_null);
                }
                Some(inner) => {
                    self.require(pointer, name, field.clone(), GapKind::Null, true);
                    self.visit(child, property, inner, field);
                }
            }
        }
        if let Some(values) = schema.get("additionalProperties").filter(|s| s.is_object()) {
            let declared = |key: &String| properties.is_some_and(|p| p.contains_key(key));
            let entries: Vec<_> = object.iter().filter(|(key, _)| !declared(key)).collect();
            if properties.is_none_or(|p| p.is_empty()) {
                self.require(pointer, "", path.to_owned(), GapKind::EmptyMap, !entries.is_empty());
            }
            for (key, inner) in entries {
                self.visit(
                    format!("{pointer}/additionalProperties"),
                    values,
                    inner,
                    pointer::push(path, key),
                );
            }
        }
    }

    fn visit_array(&mut self, pointer: &str, schema: &'s Value, items: &[Value], path: &str) {
        match schema.get("items") {
            Some(item_schema @ Value::Object(_)) => {
                self.require(pointer, "", path.to_owned(), GapKind::EmptyArray, !items.is_empty());
                for (index, item) in items.iter().enumerate() {
                    let place = pointer::push(path, &index.to_string());
                    self.visit(format!("{pointer}/items"), item_schema, item, place);
                }
            }
            // A tuple: each position has its own schema.
            Some(Value::Array(positions)) => {
                for (index, (item, item_schema)) in items.iter().zip(positions).enumerate() {
                    let place = pointer::push(path, &index.to_string());
                    self.visit(format!("{pointer}/items/{index}"), item_schema, item, place);
                }
            }
            _ => {}
        }
    }

    /// Records one showing of a requirement: met, or unmet here with `kind`.
    fn require(&mut self, pointer: &str, name: &str, path: String, kind: GapKind, met: bool) {
        let owner = pointer::definition_of(pointer);
        let requirement = self
            .requirements
            .entry((pointer.to_owned(), name.to_owned()))
            .or_insert(Requirement { met: false, unmet: None });
        if met {
            requirement.met = true;
            requirement.unmet = None;
        } else if !requirement.met && requirement.unmet.is_none() {
            requirement.unmet = Some(Gap { path, sample: self.sample, kind, owner });
        }
    }

    /// Follows `$ref`s in the root schema, with the pointer of the schema reached; a
    /// reference that leads nowhere stops where it is.
    fn resolve(&self, pointer: String, schema: &'s Value) -> (String, &'s Value) {
        match follow(schema, self.root) {
            Ok((reached, Some(target))) => (target, reached),
            _ => (pointer, schema),
        }
    }

    fn only_null(&self, schema: &'s Value) -> bool {
        is_null_only(schema, self.root)
    }
}

fn array<'s>(schema: &'s Value, keyword: &str) -> &'s [Value] {
    schema.get(keyword).and_then(Value::as_array).map_or(&[], Vec::as_slice)
}

#[cfg(test)]
mod tests;
