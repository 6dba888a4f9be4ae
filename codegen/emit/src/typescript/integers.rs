//! Which schemas hold integers that a TypeScript `number` may not represent exactly.

use serde_json::Value;

/// Integer formats whose values may exceed 2^53 - 1.
const WIDE_FORMATS: &[&str] = &["uint64", "int64", "uint", "int"];

/// Whether `schema` has a 64-bit integer format in its array items, map values or union
/// branches (the schema's own format is documented where it stands). A `$ref` is not
/// followed: the referenced type carries its own warning.
pub(super) fn nested_wide_integers(schema: &Value) -> bool {
    let Some(object) = schema.as_object() else { return false };
    let children = ["items", "additionalProperties"].iter().filter_map(|k| object.get(*k));
    let branches =
        ["anyOf", "oneOf", "allOf"].iter().filter_map(|k| object.get(*k).and_then(Value::as_array)).flatten();
    children.chain(branches).any(|child| {
        let format = child.get("format").and_then(Value::as_str);
        format.is_some_and(|f| WIDE_FORMATS.contains(&f)) || nested_wide_integers(child)
    })
}
