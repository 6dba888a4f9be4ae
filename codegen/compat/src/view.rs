//! One schema node, normalised so that spellings with the same meaning compare equal.
//!
//! - `$ref` chains are followed (the last target is remembered, for branch matching and
//!   recursion);
//! - wrappers that only add annotations are unwrapped: schemars writes a described `$ref`
//!   as `{"allOf": [{"$ref": ..}], "description": ..}`, and `oneOf: [X]` is `X`;
//! - nullability in every spelling becomes one flag (like oasdiff): `type: [T, "null"]`,
//!   `anyOf`/`oneOf` with a `{"type": "null"}` branch, OpenAPI's `nullable: true`, `null`
//!   in an `enum`;
//! - a `oneOf`/`anyOf` whose branches are all single values (schemars' documented enums:
//!   one `{"enum": ["a"]}` branch per variant) becomes one enum.

use std::sync::LazyLock;

use serde_json::{Map, Value};

use crate::error::{Error, Side, describe};
use crate::pointer;
pub(crate) use crate::spelling::is_annotation;
use crate::spelling::{follow, wrapped};
use crate::types::Types;
use schema_model::is_null_only;

/// How deep nested combinators are followed to decide nullability; deeper is treated as
/// not nullable (only self-referencing unions get there).
const MAX_DEPTH: usize = 16;

/// The longest `$ref` chain followed before it counts as a loop.
const MAX_REF_CHAIN: usize = 64;

static EMPTY: LazyLock<Map<String, Value>> = LazyLock::new(Map::new);

/// `oneOf` or `anyOf`, with its non-null branches.
#[derive(Debug, Clone)]
pub(crate) struct Sum<'a> {
    /// `"oneOf"` or `"anyOf"`.
    pub keyword: &'static str,
    /// Each non-null branch with its pointer.
    pub branches: Vec<(String, &'a Value)>,
}

/// A schema node after normalisation.
#[derive(Debug, Clone)]
pub(crate) struct View<'a> {
    /// The document the node lives in (for following its children's `$ref`s).
    pub doc: &'a Value,
    /// Which schema it belongs to.
    pub side: Side,
    /// The schema object after unwrapping (empty for `true`).
    pub map: &'a Map<String, Value>,
    /// JSON Pointer of `map` in `doc`.
    pub ptr: String,
    /// The `false` schema: nothing is valid.
    pub never: bool,
    /// Whether `null` is valid.
    pub nullable: bool,
    /// The non-null types that are valid.
    pub types: Types,
    /// The allowed values when restricted by `enum`/`const` (without `null`).
    pub values: Option<Vec<&'a Value>>,
    /// Whether `types` comes from the node's own `type`, `enum` or `const` (not only from
    /// its union's branches).
    pub typed: bool,
    /// `oneOf`/`anyOf` that is not a documented enum.
    pub sum: Option<Sum<'a>>,
    /// `allOf` branches left after unwrapping.
    pub all_of: Option<Vec<(String, &'a Value)>>,
    /// Pointer of the last `$ref` target followed to get here.
    pub reference: Option<String>,
}

impl<'a> View<'a> {
    /// Normalises the schema `value` found at `ptr` in `doc`.
    pub fn new(side: Side, doc: &'a Value, value: &'a Value, ptr: String) -> Result<View<'a>, Error> {
        build(side, doc, value, ptr, 0)
    }

    /// Whether the node constrains values other than through `oneOf`/`anyOf`/`allOf`.
    pub fn has_body(&self) -> bool {
        self.values.is_some()
            || self.map.keys().any(|key| {
                !is_annotation(key) && !matches!(key.as_str(), "oneOf" | "anyOf" | "allOf" | "nullable")
            })
    }

    /// Whether every value is valid (`true`, `{}`).
    pub fn accepts_anything(&self) -> bool {
        !self.never && self.nullable && !self.has_body() && self.sum.is_none() && self.all_of.is_none()
    }

    /// A short description for reports: `string | null`, `Money`, `one of "a", "b"`.
    pub fn describe(&self) -> String {
        let mut text = if self.never {
            "nothing (false)".to_owned()
        } else if let Some(values) = &self.values {
            let shown: Vec<String> = values.iter().take(6).map(|v| v.to_string()).collect();
            let more = if values.len() > 6 { ", …" } else { "" };
            format!("one of {}{more}", shown.join(", "))
        } else if let Some(reference) = &self.reference {
            pointer::last_segment(reference)
        } else if let Some(sum) = &self.sum {
            format!("{} of {} branches", sum.keyword, sum.branches.len())
        } else if self.types == Types::ANY {
            "any value".to_owned()
        } else {
            self.types.describe()
        };
        if let Some(format) = self.map.get("format").and_then(Value::as_str)
            && self.values.is_none()
            && self.reference.is_none()
        {
            text = format!("{text} ({format})");
        }
        if self.nullable && !self.never && self.types != Types::ANY {
            text.push_str(" | null");
        }
        text
    }
}

fn build<'a>(
    side: Side,
    doc: &'a Value,
    value: &'a Value,
    ptr: String,
    depth: usize,
) -> Result<View<'a>, Error> {
    let mut value = value;
    let mut ptr = ptr;
    let mut reference: Option<String> = None;
    let mut chain: Vec<String> = Vec::new();
    let mut wrapper_nullable = false;
    let map = loop {
        let map = match value {
            Value::Bool(true) => break &*EMPTY,
            Value::Bool(false) => return Ok(never(side, doc, ptr, reference)),
            Value::Object(map) => map,
            other => return Err(Error::NotASchema { side, at: ptr, found: describe(other) }),
        };
        if let Some(target) = map.get("$ref") {
            let (next, next_ptr) = follow(side, doc, target, &ptr)?;
            if chain.contains(&next_ptr) || chain.len() >= MAX_REF_CHAIN {
                chain.push(next_ptr);
                return Err(Error::RefCycle { side, at: ptr, chain: chain.join(" -> ") });
            }
            chain.push(next_ptr.clone());
            reference = Some(next_ptr.clone());
            value = next;
            ptr = next_ptr;
            continue;
        }
        if let Some((keyword, index, inner, had_null)) = wrapped(doc, map) {
            wrapper_nullable |= had_null || map.get("nullable") == Some(&Value::Bool(true));
            ptr = pointer::push(&pointer::push(&ptr, keyword), &index.to_string());
            value = inner;
            continue;
        }
        break map;
    };
    let mut view = View {
        doc,
        side,
        map,
        ptr,
        never: false,
        nullable: true,
        types: Types::ANY,
        values: None,
        typed: false,
        sum: None,
        all_of: None,
        reference,
    };
    constrain_by_type_and_values(&mut view);
    constrain_by_combinators(&mut view, depth)?;
    view.nullable |= wrapper_nullable;
    Ok(view)
}

fn never<'a>(side: Side, doc: &'a Value, ptr: String, reference: Option<String>) -> View<'a> {
    View {
        doc,
        side,
        map: &EMPTY,
        ptr,
        never: true,
        nullable: false,
        types: Types::NONE,
        values: None,
        typed: true,
        sum: None,
        all_of: None,
        reference,
    }
}

/// Applies `type`, `nullable`, `enum` and `const`.
fn constrain_by_type_and_values(view: &mut View<'_>) {
    let map = view.map;
    let mut declared = match map.get("type") {
        Some(Value::String(name)) => Types::named(name),
        Some(Value::Array(names)) => names
            .iter()
            .filter_map(Value::as_str)
            .fold(Types::NONE, |set, name| set.union(Types::named(name))),
        _ => Types::ANY.union(Types::NULL),
    };
    if map.get("nullable") == Some(&Value::Bool(true)) {
        declared = declared.union(Types::NULL);
    }
    let listed: Option<Vec<&Value>> = match (map.get("const"), map.get("enum")) {
        (Some(value), _) => Some(vec![value]),
        (None, Some(Value::Array(values))) => Some(values.iter().collect()),
        _ => None,
    };
    view.nullable = declared.contains(Types::NULL);
    view.types = declared.without_null();
    view.typed = map.contains_key("type") || listed.is_some();
    if let Some(listed) = listed {
        let allowed: Vec<&Value> = listed.into_iter().filter(|v| declared.admits(v)).collect();
        view.nullable &= allowed.iter().any(|v| v.is_null());
        let values: Vec<&Value> = allowed.into_iter().filter(|v| !v.is_null()).collect();
        view.types = values.iter().fold(Types::NONE, |set, v| set.union(Types::of(v))).intersect(view.types);
        view.values = Some(values);
    }
}

/// Applies `oneOf`/`anyOf` (collapsing documented enums) and `allOf`.
fn constrain_by_combinators(view: &mut View<'_>, depth: usize) -> Result<(), Error> {
    let map = view.map;
    for keyword in ["oneOf", "anyOf"] {
        let Some(branches) = map.get(keyword).and_then(Value::as_array) else { continue };
        let base = pointer::push(&view.ptr, keyword);
        let mut kept = Vec::new();
        let mut nullable = false;
        for (index, branch) in branches.iter().enumerate() {
            if is_null_only(branch, view.doc) {
                nullable = true;
            } else {
                kept.push((pointer::push(&base, &index.to_string()), branch));
            }
        }
        let mut branch_types = Types::NONE;
        if depth < MAX_DEPTH && !kept.is_empty() {
            let mut values = Vec::new();
            let mut all_values = true;
            for (ptr, branch) in &kept {
                let branch = build(view.side, view.doc, branch, ptr.clone(), depth + 1)?;
                nullable |= branch.nullable;
                branch_types = branch_types.union(branch.types);
                match (
                    &branch.values,
                    branch.sum.is_none() && branch.all_of.is_none() && is_value_only(branch.map),
                ) {
                    (Some(listed), true) => values.extend(listed.iter().copied()),
                    _ => all_values = false,
                }
            }
            if all_values {
                let mut unique: Vec<&Value> = Vec::with_capacity(values.len());
                for value in values {
                    if !unique.contains(&value) {
                        unique.push(value);
                    }
                }
                let values = unique;
                view.types =
                    values.iter().fold(Types::NONE, |set, v| set.union(Types::of(v))).intersect(view.types);
                view.values = Some(match view.values.take() {
                    Some(own) => own.into_iter().filter(|v| values.contains(v)).collect(),
                    None => values,
                });
                view.nullable &= nullable;
                view.typed = true;
                continue;
            }
        }
        if depth >= MAX_DEPTH {
            branch_types = Types::ANY;
        }
        view.types = view.types.intersect(branch_types);
        view.nullable &= nullable;
        if view.sum.is_none() && !kept.is_empty() {
            view.sum = Some(Sum { keyword, branches: kept });
        }
    }
    if let Some(branches) = map.get("allOf").and_then(Value::as_array) {
        let base = pointer::push(&view.ptr, "allOf");
        let mut kept = Vec::new();
        for (index, branch) in branches.iter().enumerate() {
            let ptr = pointer::push(&base, &index.to_string());
            if depth < MAX_DEPTH {
                view.nullable &= build(view.side, view.doc, branch, ptr.clone(), depth + 1)?.nullable;
            }
            kept.push((ptr, branch));
        }
        view.all_of = Some(kept);
    }
    Ok(())
}

/// Whether a schema object says nothing but which values it allows.
fn is_value_only(map: &Map<String, Value>) -> bool {
    map.keys().all(|key| is_annotation(key) || matches!(key.as_str(), "type" | "enum" | "const" | "nullable"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn view_of(schema: &Value) -> View<'_> {
        View::new(Side::New, schema, schema, String::new()).unwrap()
    }

    #[test]
    fn every_nullability_spelling_gives_the_same_view() {
        let spellings = [
            json!({"type": ["string", "null"]}),
            json!({"anyOf": [{"type": "string"}, {"type": "null"}]}),
            json!({"oneOf": [{"type": "null"}, {"type": "string"}], "description": "d"}),
            json!({"type": "string", "nullable": true}),
        ];
        for schema in &spellings {
            let view = view_of(schema);
            assert!(view.nullable, "{schema}");
            assert_eq!(view.types, Types::named("string"), "{schema}");
            assert!(view.sum.is_none(), "{schema}");
        }
    }

    #[test]
    fn documented_enums_collapse_into_values() {
        let schema = json!({"oneOf": [
            {"type": "string", "enum": ["a"], "description": "A."},
            {"type": "string", "enum": ["b"]}
        ]});
        let view = view_of(&schema);
        assert_eq!(view.values, Some(vec![&json!("a"), &json!("b")]));
        assert!(view.sum.is_none());
        assert!(!view.nullable);
    }

    #[test]
    fn described_refs_are_unwrapped_to_their_definition() {
        let schema = json!({
            "properties": {"fee": {"allOf": [{"$ref": "#/definitions/Money"}], "description": "Fee."}},
            "definitions": {"Money": {"type": "object"}}
        });
        let view =
            View::new(Side::Old, &schema, &schema["properties"]["fee"], "/properties/fee".into()).unwrap();
        assert_eq!(view.ptr, "/definitions/Money");
        assert_eq!(view.reference.as_deref(), Some("/definitions/Money"));
        assert_eq!(view.types, Types::named("object"));
    }

    #[test]
    fn a_ref_loop_is_an_error_naming_the_chain() {
        let schema = json!({"definitions": {"A": {"$ref": "#/definitions/B"}, "B": {"$ref": "#/definitions/A"}},
                            "$ref": "#/definitions/A"});
        let error = View::new(Side::Old, &schema, &schema, String::new()).unwrap_err();
        assert!(matches!(error, Error::RefCycle { .. }), "{error}");
        assert!(error.to_string().contains("/definitions/A -> /definitions/B -> /definitions/A"), "{error}");
    }

    #[test]
    fn a_dangling_ref_is_an_error_naming_the_place() {
        let schema = json!({"properties": {"a": {"$ref": "#/definitions/Gone"}}});
        let error =
            View::new(Side::New, &schema, &schema["properties"]["a"], "/properties/a".into()).unwrap_err();
        assert_eq!(
            error.to_string(),
            "new schema, /properties/a: `$ref: \"#/definitions/Gone\"` points to nothing; add the definition or fix the reference"
        );
    }
}
