//! Which subschemas an instance location is checked against: the schema side of a JSON
//! Pointer into an event (`/trade/pricePerTonne`, `/allocations/*/lotId`).
//!
//! The compatibility gate names every change by such a pointer (`*` is any array item or map
//! value), and consumers declare the fields they read the same way, so both sides must agree
//! on what a pointer reaches: through `$ref`, into every branch of `allOf`/`anyOf`/`oneOf`,
//! through declared `properties`, an `additionalProperties` schema, or `items`.

use serde_json::Value;

use crate::{Key, Node, Place, Resolve, follow, pointer, subschemas};

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

/// Every instance location the schema location `schema_pointer` is checked at, in
/// `document`: one per use of a shared definition (`/definitions/Money/properties/amount` is
/// `/price/amount` and `/fees/*/amount` when both use `Money`).
///
/// The pointer may end in something the schema does not have (a removed property): its last
/// segments are read as far as they name instance locations (`properties/<name>` is
/// `/<name>`, `items` and `additionalProperties` are `/*`). A use inside a recursive
/// definition is given once, at the recursion (a pointer that contains every deeper one), and
/// a document too large to walk gives `""`, the whole event: the answer may be coarser than
/// exact, never narrower.
pub fn uses_of(document: &Value, schema_pointer: &str) -> Vec<String> {
    let mut walk =
        Uses { document, target: schema_pointer, found: Vec::new(), stack: Vec::new(), budget: USES_BUDGET };
    walk.visit(document, "", "");
    if walk.budget == 0 {
        return vec![String::new()];
    }
    // A match higher up (the root, for a pointer into a definition) is coarser than a
    // deeper one below it: keep only the matches no deeper match refines.
    let found = &walk.found;
    let refined = |(depth, at): &(usize, String)| {
        found.iter().any(|(deeper, below)| deeper > depth && segment_rest(below, at).is_some())
    };
    let mut uses: Vec<String> = found.iter().filter(|m| !refined(m)).map(|(_, at)| at.clone()).collect();
    uses.sort();
    uses.dedup();
    uses
}

/// How many schema nodes [`uses_of`] visits before answering "the whole event".
const USES_BUDGET: usize = 100_000;

/// The walk of [`uses_of`]: every schema node reached from the root, with its schema pointer
/// (a `$ref` moves it to the target) and its instance pointer.
struct Uses<'a> {
    document: &'a Value,
    target: &'a str,
    /// (length of the matched schema pointer, instance pointer).
    found: Vec<(usize, String)>,
    /// The `$ref` targets being walked, to stop at recursion.
    stack: Vec<String>,
    budget: usize,
}

impl<'a> Uses<'a> {
    fn visit(&mut self, schema: &'a Value, at: &str, instance: &str) {
        if self.budget == 0 {
            return;
        }
        self.budget -= 1;
        if let Some(rest) = segment_rest(self.target, at) {
            self.found.push((at.len(), format!("{instance}{}", instance_of(rest))));
        }
        if let Some(reference) = schema.get("$ref") {
            let Ok((target, pointer)) = self.document.resolve_value(reference) else { return };
            if self.stack.contains(&pointer) {
                if segment_rest(self.target, &pointer).is_some() {
                    self.found.push((pointer.len(), instance.to_owned()));
                }
                return;
            }
            self.stack.push(pointer.clone());
            self.visit(target, &pointer, instance);
            self.stack.pop();
        }
        for (place, child) in subschemas(schema) {
            let Some(segment) = instance_segment(place) else { continue };
            let child_instance = match segment {
                Some(segment) => pointer::push(instance, &segment),
                None => instance.to_owned(),
            };
            self.visit(child, &place.pointer_from(at), &child_instance);
        }
    }
}

/// `target` after `prefix`, when `prefix` is a whole-segment prefix of it.
fn segment_rest<'t>(target: &'t str, prefix: &str) -> Option<&'t str> {
    let rest = target.strip_prefix(prefix)?;
    (rest.is_empty() || rest.starts_with('/')).then_some(rest)
}

/// The instance segment a subschema adds: `Some(Some(name))` for a property, `Some(Some("*"))`
/// for items and map values, `Some(None)` for a combinator branch (same instance), `None`
/// for places that are not instance locations (definitions, property names).
fn instance_segment(place: Place<'_>) -> Option<Option<String>> {
    match (place.keyword, place.key) {
        ("properties", Some(Key::Name(name))) => Some(Some(name.to_owned())),
        ("items" | "prefixItems", Some(Key::Index(index))) => Some(Some(index.to_string())),
        ("items" | "additionalItems" | "additionalProperties" | "patternProperties" | "contains", _) => {
            Some(Some(ANY.to_owned()))
        }
        (
            "allOf" | "anyOf" | "oneOf" | "not" | "if" | "then" | "else" | "dependencies"
            | "dependentSchemas",
            _,
        ) => Some(None),
        _ => None,
    }
}

/// The instance pointer a schema pointer's tail names, as far as it names one:
/// `/properties/note/type` is `/note`.
fn instance_of(rest: &str) -> String {
    let segments: Vec<&str> = rest.split('/').skip(1).collect();
    let mut out = String::new();
    let mut i = 0;
    while i < segments.len() {
        match segments[i] {
            "properties" if i + 1 < segments.len() => {
                out.push('/');
                out.push_str(segments[i + 1]);
                i += 2;
            }
            "patternProperties" if i + 1 < segments.len() => {
                out.push_str("/*");
                i += 2;
            }
            "items" | "additionalProperties" | "additionalItems" => {
                out.push_str("/*");
                i += 1;
            }
            "allOf" | "anyOf" | "oneOf" if i + 1 < segments.len() => i += 2,
            _ => break,
        }
    }
    out
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
    fn a_shared_definition_is_used_at_every_place_that_refers_to_it() {
        let doc = json!({
            "properties": {
                "price": {"$ref": "#/definitions/Money"},
                "fees": {"type": "array", "items": {"allOf": [{"$ref": "#/definitions/Money"}]}},
                "parent": {"$ref": "#/definitions/Node"}
            },
            "definitions": {
                "Money": {"properties": {"amount": {"type": "number"}}},
                "Node": {"properties": {"name": {}, "children": {"items": {"$ref": "#/definitions/Node"}}}}
            }
        });
        assert_eq!(
            uses_of(&doc, "/definitions/Money/properties/amount"),
            ["/fees/*/amount", "/price/amount"]
        );
        assert_eq!(
            uses_of(&doc, "/definitions/Money/properties/amount/type"),
            ["/fees/*/amount", "/price/amount"]
        );
        assert_eq!(uses_of(&doc, "/definitions/Money/properties/gone"), ["/fees/*/gone", "/price/gone"]);
        assert_eq!(uses_of(&doc, "/properties/price"), ["/price"]);
        assert_eq!(uses_of(&doc, ""), [""]);
        // Inside recursion: the first level exactly, and the recursion point for the rest.
        assert_eq!(
            uses_of(&doc, "/definitions/Node/properties/name"),
            ["/parent/children/*", "/parent/name"]
        );
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
