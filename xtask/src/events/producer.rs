//! What a contract's producer writes, said exactly by its schema.
//!
//! schemars' serialize contract already makes a field serde always writes required (an
//! `Option` among them, then required and nullable) and a field serde may skip optional. One
//! thing it cannot see is the skip predicate: an `Option` skipped when `None`
//! (`skip_serializing_if = "Option::is_none"`) is never written as `null`, yet schemars keeps
//! it nullable. So a property that is not required loses `null` here: consumers then get
//! `Option<T>` / `field?: T`, and `Option<Option<T>>` / `field?: T | null` stays for schemas
//! inferred from third-party samples, where absent and `null` really differ.
//!
//! (An `Option` skipped by another predicate, which could still write `null`, would now break
//! its schema; the validation of every sample against its schema reports that.)

use schema_model::{Node, is_null_only, subschemas_mut};
use serde_json::{Map, Value, json};

/// `schema` with `null` removed from every property that is not required.
pub fn skipped_fields_not_null(schema: &mut Value) {
    // Owned: the properties are borrowed mutably below.
    let required: Vec<String> = Node::new(schema).required().into_iter().map(str::to_owned).collect();
    if let Some(Value::Object(properties)) = schema.get_mut("properties") {
        for (name, property) in properties.iter_mut() {
            if !required.contains(name) {
                without_null(property);
            }
        }
    }
    subschemas_mut(schema).into_iter().for_each(skipped_fields_not_null);
}

/// Removes `null` from the values `schema` admits, in the spellings schemars writes:
/// `"type": [T, "null"]`, and an `anyOf`/`oneOf` with a `{"type": "null"}` branch.
fn without_null(schema: &mut Value) {
    let Some(object) = schema.as_object_mut() else { return };
    if let Some(Value::Array(types)) = object.get_mut("type") {
        types.retain(|t| t != "null");
        if let [single] = types.as_slice() {
            let single = single.clone();
            object.insert("type".into(), single);
        }
    }
    for keyword in ["anyOf", "oneOf"] {
        let Some(Value::Array(branches)) = object.get_mut(keyword) else { continue };
        let before = branches.len();
        branches.retain(|branch| !is_null_only(branch, &Value::Null));
        if branches.len() == 1 && before == 2 {
            let branch = branches.remove(0);
            object.remove(keyword);
            merge_single_branch(object, branch);
        }
    }
}

/// Puts the one branch left of an `Option` union back as the property's schema, keeping the
/// property's own annotations (a `$ref` beside annotations goes in an `allOf`, as schemars
/// writes it).
fn merge_single_branch(object: &mut Map<String, Value>, branch: Value) {
    if branch.get("$ref").is_some() {
        object.insert("allOf".into(), json!([branch]));
        return;
    }
    if let Value::Object(branch) = branch {
        for (key, value) in branch {
            object.entry(key).or_insert(value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_skipped_option_is_optional_and_never_null_and_a_written_one_stays_nullable() {
        let mut schema = json!({"type": "object", "required": ["note"], "properties": {
            "note": {"type": ["string", "null"]},
            "nickname": {"type": ["string", "null"], "description": "d"},
            "fee": {"anyOf": [{"$ref": "#/definitions/Money"}, {"type": "null"}], "description": "f"},
            "plain": {"anyOf": [{"type": "integer"}, {"type": "null"}]}
        }});
        skipped_fields_not_null(&mut schema);
        assert_eq!(
            schema["properties"],
            json!({
                "note": {"type": ["string", "null"]},
                "nickname": {"type": "string", "description": "d"},
                "fee": {"allOf": [{"$ref": "#/definitions/Money"}], "description": "f"},
                "plain": {"type": "integer"}
            })
        );
    }
}
