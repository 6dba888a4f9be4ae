//! Which branch of a `oneOf`/`anyOf` a value takes, and which branches no value took.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use jsonschema::Validator;
use serde_json::{Map, Value, json};

use super::Untaken;

/// The unions met while walking the samples, and a validator per branch tried.
pub struct Branches<'s> {
    root: &'s Value,
    validators: HashMap<String, Option<Validator>>,
    unions: BTreeMap<String, Union<'s>>,
}

struct Union<'s> {
    branches: &'s [Value],
    taken: BTreeSet<usize>,
    first_path: String,
}

impl<'s> Branches<'s> {
    /// Branch bookkeeping for unions of `root` (a root schema with `definitions`).
    pub fn new(root: &'s Value) -> Self {
        Branches { root, validators: HashMap::new(), unions: BTreeMap::new() }
    }

    /// The first of `branches` (the union at `union` in the root) that accepts `value`,
    /// recorded as taken; `None` when none does (the value breaks the schema, which the
    /// validation of samples reports).
    pub fn taken(&mut self, union: &str, branches: &'s [Value], value: &Value, path: &str) -> Option<usize> {
        self.unions.entry(union.to_owned()).or_insert_with(|| Union {
            branches,
            taken: BTreeSet::new(),
            first_path: path.to_owned(),
        });
        let index = (0..branches.len())
            .find(|&index| self.accepts(&format!("{union}/{index}"), &branches[index], value))?;
        if let Some(entry) = self.unions.get_mut(union) {
            entry.taken.insert(index);
        }
        Some(index)
    }

    /// Every branch no value took that carries data: a unit variant (a string constant) or
    /// `null` (an `Option`'s `None`) has no field an example would show.
    pub fn untaken(&self) -> Vec<Untaken> {
        let mut untaken = Vec::new();
        for (union, entry) in &self.unions {
            for (index, branch) in entry.branches.iter().enumerate() {
                if entry.taken.contains(&index) || !carries_data(branch) {
                    continue;
                }
                let owner = union.rsplit_once('/').map_or("", |(owner, _)| owner);
                untaken.push(Untaken {
                    union: owner.to_owned(),
                    variant: label(branch, index),
                    path: entry.first_path.clone(),
                });
            }
        }
        untaken
    }

    fn accepts(&mut self, pointer: &str, branch: &Value, value: &Value) -> bool {
        let root = self.root;
        let validator = self
            .validators
            .entry(pointer.to_owned())
            .or_insert_with(|| crate::validation::validator(&standalone(root, branch)).ok());
        validator.as_ref().is_some_and(|v| v.is_valid(value))
    }
}

/// Whether a branch has data an example would show: anything but a constant or `null`.
fn carries_data(branch: &Value) -> bool {
    let constant = branch.get("const").is_some()
        || branch.get("enum").is_some()
        || schema_model::is_null_only(branch, &Value::Null);
    !constant
}

/// `branch` as a schema of its own: the root's definitions beside it, so its `$ref`s resolve,
/// and the root itself as a definition for `$ref: "#"` (a type that contains itself).
fn standalone(root: &Value, branch: &Value) -> Value {
    let mut definitions: Map<String, Value> =
        root.get("definitions").and_then(Value::as_object).cloned().unwrap_or_default();
    let mut root_alone = root.clone();
    if let Some(object) = root_alone.as_object_mut() {
        object.remove("definitions");
    }
    definitions.insert("__root".into(), root_alone);
    definitions.insert("__branch".into(), branch.clone());
    let mut schema = json!({"definitions": definitions, "$ref": "#/definitions/__branch"});
    if let Some(Value::Object(definitions)) = schema.get_mut("definitions") {
        definitions.values_mut().for_each(redirect_root_refs);
    }
    schema
}

/// Points `$ref: "#"` at the `__root` definition.
fn redirect_root_refs(schema: &mut Value) {
    if let Some(reference) = schema.get_mut("$ref")
        && reference == "#"
    {
        *reference = json!("#/definitions/__root");
    }
    schema_model::subschemas_mut(schema).into_iter().for_each(redirect_root_refs);
}

/// A readable name for a branch: its tag value, its one property (an externally tagged
/// variant), its title, its type, or its position.
fn label(branch: &Value, index: usize) -> String {
    let pinned = |schema: &Value| {
        schema
            .get("const")
            .or_else(|| match schema.get("enum") {
                Some(Value::Array(values)) if values.len() == 1 => values.first(),
                _ => None,
            })
            .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
    };
    if let Some(value) = pinned(branch) {
        return value;
    }
    if let Some(properties) = branch.get("properties").and_then(Value::as_object) {
        if let Some((name, value)) = properties.iter().find_map(|(n, p)| pinned(p).map(|v| (n, v))) {
            return format!("{name} = {value}");
        }
        if properties.len() == 1 {
            return properties.keys().next().cloned().unwrap_or_default();
        }
    }
    if let Some(title) = branch.get("title").and_then(Value::as_str) {
        return title.to_owned();
    }
    if let Some(target) = branch.get("$ref").and_then(Value::as_str) {
        return schema_model::pointer::last_segment(target);
    }
    match branch.get("type") {
        Some(Value::String(kind)) => kind.clone(),
        _ => format!("#{}", index + 1),
    }
}
