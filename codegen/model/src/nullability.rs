//! Whether a schema admits `null`, in every spelling: `type: [T, "null"]`, a
//! `{"type": "null"}` branch of `anyOf`/`oneOf`, `null` in `enum`, `const: null`, OpenAPI's
//! `nullable: true`, and any of these behind `$ref`s and `allOf`.

use serde_json::Value;

use crate::Resolve;
use crate::subschemas::is_annotation;

/// How deep `$ref`s and combinators are followed; deeper counts as not admitting `null`
/// (only self-referencing unions get there).
const MAX_DEPTH: usize = 32;

/// Whether the value `null` is valid against `schema`, following `$ref`s through `refs`.
/// Exact for every keyword that can reject `null` (`type`, `enum`, `const`, `allOf`,
/// `anyOf`, `oneOf`, `not`); the others only constrain objects, arrays, strings or numbers.
pub fn admits_null<R: Resolve + ?Sized>(schema: &Value, refs: &R) -> bool {
    admits(schema, refs, 0)
}

fn admits<R: Resolve + ?Sized>(schema: &Value, refs: &R, depth: usize) -> bool {
    if depth > MAX_DEPTH {
        return false;
    }
    let Some(map) = schema.as_object() else { return schema == &Value::Bool(true) };
    if let Some(reference) = map.get("$ref") {
        return refs.resolve_value(reference).is_ok_and(|(target, _)| admits(target, refs, depth + 1));
    }
    let by_type = match map.get("type") {
        Some(Value::String(name)) => name == "null",
        Some(Value::Array(names)) => names.iter().any(|name| name == "null"),
        _ => true,
    } || map.get("nullable") == Some(&Value::Bool(true));
    let by_enum =
        map.get("enum").and_then(Value::as_array).is_none_or(|values| values.contains(&Value::Null));
    let by_const = map.get("const").is_none_or(Value::is_null);
    let branches = |keyword: &str| map.get(keyword).and_then(Value::as_array);
    let admitting =
        |keyword: &str| branches(keyword).map(|b| b.iter().filter(|s| admits(s, refs, depth + 1)).count());
    let by_all_of = branches("allOf").is_none_or(|b| b.iter().all(|s| admits(s, refs, depth + 1)));
    let by_any_of = admitting("anyOf").is_none_or(|count| count > 0);
    let by_one_of = admitting("oneOf").is_none_or(|count| count == 1);
    let by_not = map.get("not").is_none_or(|not| !admits(not, refs, depth + 1));
    by_type && by_enum && by_const && by_all_of && by_any_of && by_one_of && by_not
}

/// Whether `schema` admits `null` and nothing else, and says nothing more (besides
/// annotations): `{"type": "null"}`, `{"const": null}`, `{"enum": [null]}`, possibly behind
/// `$ref`s. This is the `null` branch of an `Option` union, as schemars and inference write it.
pub fn is_null_only<R: Resolve + ?Sized>(schema: &Value, refs: &R) -> bool {
    null_only(schema, refs, 0)
}

fn null_only<R: Resolve + ?Sized>(schema: &Value, refs: &R, depth: usize) -> bool {
    if depth > MAX_DEPTH {
        return false;
    }
    let Some(map) = schema.as_object() else { return false };
    if let Some(reference) = map.get("$ref") {
        return refs.resolve_value(reference).is_ok_and(|(target, _)| null_only(target, refs, depth + 1));
    }
    let only_null_type = match map.get("type") {
        Some(Value::String(name)) => name == "null",
        Some(Value::Array(names)) => !names.is_empty() && names.iter().all(|name| name == "null"),
        _ => false,
    };
    let only_null_value = map.get("const") == Some(&Value::Null)
        || map
            .get("enum")
            .and_then(Value::as_array)
            .is_some_and(|v| !v.is_empty() && v.iter().all(Value::is_null));
    (only_null_type || only_null_value)
        && map.keys().all(|key| is_annotation(key) || matches!(key.as_str(), "type" | "const" | "enum"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn admits_alone(schema: Value) -> bool {
        admits_null(&schema, &schema)
    }

    #[test]
    fn every_spelling_of_nullable_admits_null() {
        for schema in [
            json!({"type": ["string", "null"]}),
            json!({"type": "null"}),
            json!({"anyOf": [{"type": "string"}, {"type": "null"}]}),
            json!({"oneOf": [{"type": "null"}, {"type": "string"}], "description": "d"}),
            json!({"type": "string", "nullable": true}),
            json!({"enum": ["a", null]}),
            json!({"const": null}),
            json!({"allOf": [{"$ref": "#/definitions/N"}], "definitions": {"N": {"type": ["integer", "null"]}}}),
            json!({}),
            json!(true),
        ] {
            assert!(admits_alone(schema.clone()), "{schema}");
        }
    }

    #[test]
    fn every_constraint_that_rejects_null_is_heard() {
        for schema in [
            json!({"type": "string"}),
            json!({"enum": ["a"]}),
            json!({"const": "a"}),
            json!({"type": ["string", "null"], "enum": ["a"]}),
            json!({"anyOf": [{"type": "string"}, {"type": "integer"}]}),
            json!({"oneOf": [{"type": "null"}, {}]}),
            json!({"allOf": [{}, {"type": "object"}]}),
            json!({"not": {"type": "null"}}),
            json!({"$ref": "#/definitions/Gone"}),
            json!(false),
        ] {
            assert!(!admits_alone(schema.clone()), "{schema}");
        }
    }

    #[test]
    fn only_null_branches_are_recognised_behind_references() {
        let doc = json!({"definitions": {"Nothing": {"type": "null", "description": "No value."}}});
        for branch in [
            json!({"type": "null"}),
            json!({"const": null}),
            json!({"enum": [null]}),
            json!({"type": ["null"]}),
            json!({"$ref": "#/definitions/Nothing"}),
        ] {
            assert!(is_null_only(&branch, &doc), "{branch}");
        }
        for branch in [
            json!({"type": ["string", "null"]}),
            json!({"enum": []}),
            json!({}),
            json!({"type": "null", "minimum": 1}),
        ] {
            assert!(!is_null_only(&branch, &doc), "{branch}");
        }
    }
}
