//! Which subschemas an instance location is checked against: the schema side of a JSON
//! Pointer into an event (`/trade/pricePerTonne`, `/allocations/*/lotId`).
//!
//! The compatibility gate names every change by such a pointer (`*` is any array item or map
//! value), and consumers declare the fields they read the same way, so both sides must agree
//! on what a pointer reaches: through `$ref`, into every branch of `allOf`/`anyOf`/`oneOf`,
//! through declared `properties`, an `additionalProperties` schema, or `items`.

use serde_json::Value;

use crate::{Node, follow, pointer};

/// The segment that stands for any array item or map value.
pub const ANY: &str = "*";

/// Where a pointer leaves the schema: the longest prefix that resolves, and the segment
/// under it that no subschema declares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotInSchema {
    /// The part of the pointer the schema has (`""` for the event itself).
    pub found: String,
    /// The first segment it lacks, unescaped.
    pub missing: String,
    /// The member names the schema declares at `found`, sorted, to say what is there instead.
    pub declared: Vec<String>,
}

/// The subschemas `instance_pointer` is checked against in `document` (a whole schema whose
/// `$ref`s point into itself); an error naming where the pointer leaves the schema.
///
/// A pointer reaches a field when any branch of a combinator declares it (a reader of
/// `/payment/iban` reads it in the branch that has it). `*` reaches the items of an array and
/// the values of a map. Numeric segments reach array items, and a tuple's position.
pub fn schemas_at<'a>(document: &'a Value, instance_pointer: &str) -> Result<Vec<&'a Value>, NotInSchema> {
    let mut current = expand(document, document);
    let mut found = String::new();
    for raw in instance_pointer.split('/').skip(1) {
        let segment = pointer::unescape(raw);
        let next: Vec<&Value> = current
            .iter()
            .flat_map(|schema| children(schema, &segment))
            .flat_map(|child| expand(child, document))
            .collect();
        if next.is_empty() {
            let mut declared: Vec<String> = current
                .iter()
                .flat_map(|schema| Node::new(schema).properties())
                .map(|(k, _)| k.clone())
                .collect();
            declared.sort();
            declared.dedup();
            return Err(NotInSchema { found, missing: segment.into_owned(), declared });
        }
        found.push('/');
        found.push_str(raw);
        current = next;
    }
    Ok(current)
}

/// Whether `a` and `b` name overlapping parts of an event: one is the other or lies inside
/// it, `*` matching any one segment (a change at `/trade` touches a reader of
/// `/trade/pricePerTonne`, and a change at `/lines/*/price` one of `/lines/0`).
pub fn overlaps(a: &str, b: &str) -> bool {
    let (a, b) = (a.split('/').skip(1), b.split('/').skip(1));
    a.zip(b).all(|(x, y)| x == y || x == ANY || y == ANY)
}

/// The direct subschemas one segment down from `schema`.
fn children<'a>(schema: &'a Value, segment: &str) -> Vec<&'a Value> {
    let node = Node::new(schema);
    if segment == ANY {
        let mut out: Vec<&Value> = Vec::new();
        match schema.get("items") {
            Some(Value::Array(positions)) => out.extend(positions),
            Some(items) => out.push(items),
            None => {}
        }
        out.extend(schema.get("additionalProperties").filter(|v| v.is_object()));
        out.extend(
            schema.get("patternProperties").and_then(Value::as_object).into_iter().flat_map(|m| m.values()),
        );
        return out;
    }
    let mut out: Vec<&Value> = node.property(segment).map(|(_, child)| child).into_iter().collect();
    if let Ok(index) = segment.parse::<usize>()
        && let Some((_, item)) = node.item(index)
    {
        out.push(item);
    }
    out
}

/// `schema` with its `$ref` chain followed and every combinator branch listed beside it.
fn expand<'a>(schema: &'a Value, document: &'a Value) -> Vec<&'a Value> {
    let mut out: Vec<&'a Value> = Vec::new();
    let mut pending = vec![schema];
    while let Some(schema) = pending.pop() {
        let Ok((schema, _)) = follow(schema, document) else { continue };
        if out.iter().any(|seen| std::ptr::eq(*seen, schema)) {
            continue;
        }
        out.push(schema);
        let node = Node::new(schema);
        for keyword in ["allOf", "anyOf", "oneOf"] {
            pending.extend(node.list(keyword).iter().rev());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn event() -> Value {
        json!({
            "type": "object",
            "properties": {
                "trade": {"allOf": [{"$ref": "#/definitions/Trade"}], "description": "The trade."},
                "allocations": {"type": "array", "items": {"$ref": "#/definitions/Allocation"}},
                "tags": {"type": "object", "additionalProperties": {"type": "string"}},
                "payment": {"oneOf": [
                    {"type": "object", "properties": {"iban": {"type": "string"}}},
                    {"type": "object", "properties": {"card": {"type": "string"}}}
                ]}
            },
            "definitions": {
                "Trade": {"type": "object", "properties": {"pricePerTonne": {"type": "number"}, "a/b": {}}},
                "Allocation": {"type": "object", "properties": {"lotId": {"type": "string"}}}
            }
        })
    }

    #[test]
    fn pointers_reach_fields_through_references_combinators_items_and_maps() {
        let doc = event();
        for pointer in [
            "",
            "/trade",
            "/trade/pricePerTonne",
            "/trade/a~1b",
            "/allocations/*/lotId",
            "/allocations/0/lotId",
            "/tags/*",
            "/payment/iban",
            "/payment/card",
        ] {
            assert!(schemas_at(&doc, pointer).is_ok(), "{pointer}");
        }
        assert_eq!(schemas_at(&doc, "/trade/pricePerTonne").unwrap(), [&json!({"type": "number"})]);
    }

    #[test]
    fn a_pointer_the_schema_lacks_says_where_it_leaves_and_what_is_there() {
        let missing = schemas_at(&event(), "/trade/price").unwrap_err();
        assert_eq!(missing.found, "/trade");
        assert_eq!(missing.missing, "price");
        assert_eq!(missing.declared, ["a/b", "pricePerTonne"]);
        assert_eq!(schemas_at(&event(), "/allocations/lotId").unwrap_err().found, "/allocations");
        assert_eq!(schemas_at(&event(), "/tags/x/y").unwrap_err().found, "/tags/x");
    }

    #[test]
    fn pointers_overlap_when_one_contains_the_other() {
        assert!(overlaps("/trade", "/trade/pricePerTonne"));
        assert!(overlaps("/trade/pricePerTonne", "/trade"));
        assert!(overlaps("", "/anything"));
        assert!(overlaps("/lines/*/price", "/lines/0"));
        assert!(!overlaps("/trade/note", "/trade/pricePerTonne"));
        assert!(!overlaps("/tradeX", "/trade"));
    }
}
