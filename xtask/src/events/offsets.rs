//! Which `date-time` fields keep the producer's offset, from the samples.
//!
//! schemars writes `DateTime<Utc>` and `DateTime<FixedOffset>` alike (`format: date-time`),
//! but chrono does not write them alike: `Utc` always ends in `Z`, an offset type never does
//! (`+10:00`, `+00:00`). A generated `DateTime<Utc>` would read an offset and write the same
//! instant in UTC, so the round-trip changes the text. Every field has a value in some sample
//! (the coverage check), so the samples tell: a `date-time` place where a sample has no `Z` is
//! marked [`FIXED_OFFSET`] for the Rust emitter, which then writes `DateTime<FixedOffset>`.
//! The mark goes on the emitter's copy only; published schemas stay as schemars wrote them.

use schema_model::{Node, follow, pointer};
use serde_json::Value;

/// The annotation that tells the Rust emitter a `date-time` keeps its offset.
pub const FIXED_OFFSET: &str = schema_emit::rust::FIXED_OFFSET;

/// `document` (a schema with its samples in `examples`) with every `date-time` place where a
/// sample writes an offset other than `Z` marked [`FIXED_OFFSET`].
pub fn mark_fixed_offsets(document: &Value) -> Value {
    let mut places = Vec::new();
    for sample in document.get("examples").and_then(Value::as_array).into_iter().flatten() {
        visit(document, document, String::new(), sample, &mut places, 0);
    }
    let mut marked = document.clone();
    places.sort();
    places.dedup();
    for place in places {
        if let Some(Value::Object(node)) = marked.pointer_mut(&place) {
            node.insert(FIXED_OFFSET.to_owned(), Value::Bool(true));
        }
    }
    marked
}

/// Deep enough for any sample a contract writes; deeper values are not looked at.
const MAX_DEPTH: usize = 256;

fn visit(root: &Value, schema: &Value, at: String, value: &Value, places: &mut Vec<String>, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    let (schema, at) = match follow(schema, root) {
        Ok((reached, Some(target))) => (reached, target),
        Ok((reached, None)) => (reached, at),
        Err(_) => return,
    };
    for keyword in ["anyOf", "oneOf", "allOf"] {
        for (index, branch) in schema.get(keyword).and_then(Value::as_array).into_iter().flatten().enumerate()
        {
            let branch_at = pointer::push(&pointer::push(&at, keyword), &index.to_string());
            visit(root, branch, branch_at, value, places, depth + 1);
        }
    }
    match value {
        Value::String(text)
            if schema.get("format").and_then(Value::as_str) == Some("date-time")
                && !text.ends_with(['Z', 'z']) =>
        {
            places.push(at);
        }
        Value::Object(object) => {
            for (key, inner) in object {
                if let Some((place, child)) = Node::new(schema).property(key) {
                    visit(root, child, place.pointer_from(&at), inner, places, depth + 1);
                }
            }
        }
        Value::Array(items) => {
            for (index, inner) in items.iter().enumerate() {
                if let Some((place, child)) = Node::new(schema).item(index) {
                    visit(root, child, place.pointer_from(&at), inner, places, depth + 1);
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_date_times_written_with_an_offset_are_marked() {
        let document = json!({
            "properties": {
                "utc": {"type": "string", "format": "date-time"},
                "local": {"type": "string", "format": "date-time"},
                "window": {"$ref": "#/definitions/Window"},
                "times": {"type": "array", "items": {"type": "string", "format": "date-time"}}
            },
            "definitions": {"Window": {"properties": {"from": {"type": ["string", "null"], "format": "date-time"}}}},
            "examples": [
                {"utc": "2026-01-01T00:00:00Z", "local": "2026-01-01T10:00:00+10:00",
                 "window": {"from": "2026-01-01T00:00:00+00:00"}, "times": ["2026-01-01T00:00:00Z"]},
                {"utc": "2026-01-02T00:00:00Z", "local": "2026-01-02T00:00:00Z", "window": {"from": null}, "times": []}
            ]
        });
        let marked = mark_fixed_offsets(&document);
        assert_eq!(marked["properties"]["utc"].get(FIXED_OFFSET), None);
        assert_eq!(marked["properties"]["local"][FIXED_OFFSET], true);
        assert_eq!(marked["definitions"]["Window"]["properties"]["from"][FIXED_OFFSET], true);
        assert_eq!(marked["properties"]["times"]["items"].get(FIXED_OFFSET), None);
    }
}
