//! Field types typify cannot be told: a set where the schema says `uniqueItems`, and a
//! `date-time` that keeps the producer's offset.
//!
//! typify writes every array as `Vec` (its sets are `Vec` too, for want of `Ord` derives), and
//! every `date-time` as `DateTime<Utc>`. So a field whose schema is an array of `uniqueItems`
//! strings, integers or booleans becomes a `BTreeSet` (a consumer gets the guarantee, and a
//! `BTreeSet` producer's order back), and a field marked [`FIXED_OFFSET`] (the caller knows
//! from the samples that its producer writes offsets) a `DateTime<FixedOffset>`.

use std::collections::BTreeMap;

use schema_model::for_each_subschema;
use serde_json::Value;
use syn::visit_mut::VisitMut;
use syn::{Fields, Item};

/// The annotation on a `date-time` schema whose producer writes an offset (`+10:00`), not
/// `Z`: the field becomes `DateTime<FixedOffset>`, which writes the offset back.
pub const FIXED_OFFSET: &str = "x-fixed-offset";

/// Retypes the fields of every struct in `file` whose property schema in `types` says so.
pub fn apply(file: &mut syn::File, types: &BTreeMap<String, Value>) {
    for item in &mut file.items {
        let Item::Struct(item) = item else { continue };
        let Some(properties) = types.get(&item.ident.to_string()).and_then(|s| s.get("properties")) else {
            continue;
        };
        let Fields::Named(fields) = &mut item.fields else { continue };
        for field in &mut fields.named {
            let Some(property) = properties.get(super::layout::json_name(field)) else { continue };
            if keeps_offset(property) {
                Rename { from: "Utc", to: "FixedOffset", replace_path: None }.visit_type_mut(&mut field.ty);
            }
            if is_ordered_set(property) {
                let set: syn::Path = syn::parse_quote!(::std::collections::BTreeSet);
                Rename { from: "Vec", to: "BTreeSet", replace_path: Some(set) }.visit_type_mut(&mut field.ty);
            }
        }
    }
}

/// Whether the schema, or one inline inside it, is marked [`FIXED_OFFSET`].
fn keeps_offset(schema: &Value) -> bool {
    schema.get(FIXED_OFFSET) == Some(&Value::Bool(true)) || {
        let mut found = false;
        for_each_subschema(schema, |_, sub| found = found || keeps_offset(sub));
        found
    }
}

/// Whether the schema (or its non-null branch) is an array of unique strings, integers or
/// booleans: items whose Rust types are `Ord`.
fn is_ordered_set(schema: &Value) -> bool {
    let branches =
        ["anyOf", "oneOf"].iter().filter_map(|k| schema.get(*k).and_then(Value::as_array)).flatten();
    let array =
        std::iter::once(schema).chain(branches).find(|s| s.get("uniqueItems") == Some(&Value::Bool(true)));
    let Some(items) = array.and_then(|a| a.get("items")).filter(|items| items.is_object()) else {
        return false;
    };
    let scalar = matches!(items.get("type").and_then(Value::as_str), Some("string" | "integer" | "boolean"));
    scalar && !["enum", "const", "$ref", "anyOf", "oneOf", "allOf"].iter().any(|k| items.get(*k).is_some())
}

/// Renames the first path segment `from` (replacing the whole path when `replace_path` is
/// given, keeping the segment's generic arguments).
struct Rename {
    from: &'static str,
    to: &'static str,
    replace_path: Option<syn::Path>,
}

impl VisitMut for Rename {
    fn visit_path_mut(&mut self, path: &mut syn::Path) {
        if let Some(last) = path.segments.last_mut()
            && last.ident == self.from
        {
            let arguments = last.arguments.clone();
            match self.replace_path.take() {
                Some(mut replacement) => {
                    if let Some(segment) = replacement.segments.last_mut() {
                        segment.arguments = arguments;
                    }
                    *path = replacement;
                }
                None => last.ident = syn::Ident::new(self.to, last.ident.span()),
            }
            return;
        }
        syn::visit_mut::visit_path_mut(self, path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn sets_and_offsets_follow_the_schema() {
        let mut file: syn::File = syn::parse_str(
            "pub struct R { pub tags: ::std::vec::Vec<::std::string::String>, pub lots: ::std::vec::Vec<Lot>,
              pub at: ::std::option::Option<::chrono::DateTime<::chrono::offset::Utc>>,
              pub utc: ::chrono::DateTime<::chrono::offset::Utc> }",
        )
        .unwrap();
        let types = BTreeMap::from([(
            "R".to_owned(),
            json!({"properties": {
                "tags": {"type": "array", "uniqueItems": true, "items": {"type": "string"}},
                "lots": {"type": "array", "uniqueItems": true, "items": {"$ref": "#/definitions/Lot"}},
                "at": {"type": ["string", "null"], "format": "date-time", FIXED_OFFSET: true},
                "utc": {"type": "string", "format": "date-time"}
            }}),
        )]);
        apply(&mut file, &types);
        let text = quote::quote!(#file).to_string().replace(' ', "");
        assert!(text.contains("pubtags:::std::collections::BTreeSet<::std::string::String>"), "{text}");
        assert!(text.contains("publots:::std::vec::Vec<Lot>"), "{text}");
        assert!(text.contains("DateTime<::chrono::offset::FixedOffset>>"), "{text}");
        assert!(text.contains("pubutc:::chrono::DateTime<::chrono::offset::Utc>"), "{text}");
    }
}
