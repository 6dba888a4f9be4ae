//! How a schema node is spelled, as opposed to what it means: `$ref`s, wrappers that only
//! add annotations, branches that only admit `null`. [`crate::view`] looks through all of
//! them.

use serde_json::{Map, Value};

use crate::error::{Error, Side, describe};
use crate::pointer;

/// How deep `$ref`s are followed to decide whether a branch only admits `null`.
const MAX_DEPTH: usize = 16;

/// Keywords that describe a value without constraining it.
pub(crate) fn is_annotation(key: &str) -> bool {
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

/// Follows one `$ref`.
pub(crate) fn follow<'a>(
    side: Side,
    doc: &'a Value,
    target: &Value,
    at: &str,
) -> Result<(&'a Value, String), Error> {
    let reference = target.as_str().ok_or_else(|| Error::NotASchema {
        side,
        at: pointer::push(at, "$ref"),
        found: describe(target),
    })?;
    if !reference.starts_with('#') {
        return Err(Error::ExternalRef { side, at: at.to_owned(), reference: reference.to_owned() });
    }
    pointer::resolve(doc, reference).ok_or_else(|| Error::UnresolvedRef {
        side,
        at: at.to_owned(),
        reference: reference.to_owned(),
    })
}

/// A wrapper around one schema: `allOf`/`anyOf`/`oneOf` with a single non-null branch and
/// only annotations (or `nullable`) beside it. Returns the keyword, the branch's index, the
/// branch and whether null branches were dropped.
pub(crate) fn wrapped<'a>(
    side: Side,
    doc: &'a Value,
    map: &'a Map<String, Value>,
    depth: usize,
) -> Option<(&'static str, usize, &'a Value, bool)> {
    let mut combinator = None;
    for key in map.keys() {
        match key.as_str() {
            "allOf" | "anyOf" | "oneOf" if combinator.is_none() => {
                combinator = Some(if key == "allOf" {
                    "allOf"
                } else if key == "anyOf" {
                    "anyOf"
                } else {
                    "oneOf"
                })
            }
            "nullable" => {}
            key if is_annotation(key) => {}
            _ => return None,
        }
    }
    let keyword = combinator?;
    let branches = map.get(keyword)?.as_array()?;
    if keyword == "allOf" {
        return (branches.len() == 1).then(|| (keyword, 0, &branches[0], false));
    }
    let mut kept = branches.iter().enumerate().filter(|(_, b)| !is_null_only(side, doc, b, depth));
    let (index, branch) = kept.next()?;
    if kept.next().is_some() {
        return None;
    }
    Some((keyword, index, branch, branches.len() > 1))
}

/// Whether a branch accepts only `null`: `{"type": "null"}`, `{"const": null}`,
/// `{"enum": [null]}`, possibly behind `$ref`s.
pub(crate) fn is_null_only(side: Side, doc: &Value, branch: &Value, depth: usize) -> bool {
    if depth > MAX_DEPTH {
        return false;
    }
    let Some(map) = branch.as_object() else { return false };
    if let Some(target) = map.get("$ref") {
        return follow(side, doc, target, "").is_ok_and(|(next, _)| is_null_only(side, doc, next, depth + 1));
    }
    let only_null_type = match map.get("type") {
        Some(Value::String(name)) => name == "null",
        Some(Value::Array(names)) => !names.is_empty() && names.iter().all(|n| n == "null"),
        _ => false,
    };
    let only_null_value = map.get("const") == Some(&Value::Null)
        || map
            .get("enum")
            .and_then(Value::as_array)
            .is_some_and(|v| !v.is_empty() && v.iter().all(Value::is_null));
    (only_null_type || only_null_value)
        && map.keys().all(|k| is_annotation(k) || matches!(k.as_str(), "type" | "const" | "enum"))
}
