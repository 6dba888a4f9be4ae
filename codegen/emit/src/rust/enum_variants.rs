//! String enums whose values typify would give one variant name (`F` and `f`, `foo-bar` and
//! `foo_bar`, `1a` and `x1a`): typify names variants only from their values and panics on a
//! clash. So before typify runs, every value of such an enum is replaced by a placeholder
//! (`Zzvariant7x`), and afterwards each placeholder becomes an identifier of ours, distinct
//! within its enum (`F`, `F2`), with `#[serde(rename = "f")]` and the value wherever typify
//! wrote it (`Display`, `FromStr`, docs). The JSON stays exact; enums without a clash are
//! left to typify untouched.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use proc_macro2::TokenStream;
use serde_json::Value;
use syn::visit_mut::VisitMut;

use crate::Diagnostic;

/// The placeholders put into the schemas, to be undone in typify's output.
#[derive(Debug, Default)]
pub struct Placeholders {
    /// Placeholder → (the real value, the identifier chosen for it).
    by_placeholder: HashMap<String, (String, String)>,
}

/// Replaces the values of every string enum in `types` whose values would clash as typify
/// variant names; returns what [`Placeholders::restore`] needs to undo it.
pub fn disambiguate(types: &mut BTreeMap<String, Value>) -> Placeholders {
    let mut placeholders = Placeholders::default();
    for schema in types.values_mut() {
        placeholders.replace_in(schema);
    }
    placeholders
}

impl Placeholders {
    fn replace_in(&mut self, schema: &mut Value) {
        if let Some(Value::Array(values)) = schema.get_mut("enum")
            && clashes(values)
        {
            let mut idents = BTreeSet::new();
            for value in values.iter_mut() {
                let Value::String(text) = value else { continue };
                let base = match text.as_str() {
                    // typify's own special case, in the case a type's variants take.
                    "+1" => "Plus1".to_owned(),
                    "-1" => "Minus1".to_owned(),
                    _ => schema_ident::pascal_case(text),
                };
                let ident = schema_ident::unique_name(&base, &mut idents);
                let placeholder = format!("Zzvariant{}x", self.by_placeholder.len());
                self.by_placeholder.insert(placeholder.clone(), (std::mem::take(text), ident));
                *text = placeholder;
            }
        }
        schema_model::for_each_subschema_mut(schema, |sub| self.replace_in(sub));
    }

    /// Whether `value` is one of the placeholders.
    pub fn holds(&self, value: &str) -> bool {
        self.by_placeholder.contains_key(value)
    }

    /// typify's output with every placeholder undone; unchanged when there were none.
    pub fn restore(&self, tokens: TokenStream, module: &str) -> Result<TokenStream, Vec<Diagnostic>> {
        if self.by_placeholder.is_empty() {
            return Ok(tokens);
        }
        let mut file: syn::File = syn::parse2(tokens).map_err(|e| {
            vec![Diagnostic::new(module, format!("typify produced code that does not parse: {e}"))]
        })?;
        let mut visitor = self;
        visitor.visit_file_mut(&mut file);
        Ok(quote::ToTokens::into_token_stream(file))
    }
}

impl VisitMut for &Placeholders {
    fn visit_variant_mut(&mut self, variant: &mut syn::Variant) {
        let renamed = variant.attrs.iter().any(|attr| {
            attr.path().is_ident("serde")
                && attr.meta.require_list().is_ok_and(|list| list.tokens.to_string().contains("rename"))
        });
        if let Some((value, _)) = self.by_placeholder.get(&variant.ident.to_string())
            && !renamed
        {
            variant.attrs.push(syn::parse_quote!(#[serde(rename = #value)]));
        }
        syn::visit_mut::visit_variant_mut(self, variant);
    }

    fn visit_ident_mut(&mut self, ident: &mut proc_macro2::Ident) {
        if let Some((_, chosen)) = self.by_placeholder.get(&ident.to_string()) {
            *ident = proc_macro2::Ident::new(chosen, ident.span());
        }
    }

    fn visit_lit_str_mut(&mut self, literal: &mut syn::LitStr) {
        let text = literal.value();
        let restored = match self.by_placeholder.get(&text) {
            Some((value, _)) => value.clone(),
            // Inside a doc comment typify quotes the schema as JSON text.
            None if text.contains("Zzvariant") => {
                self.by_placeholder.iter().fold(text, |text, (placeholder, (value, _))| {
                    let json = serde_json::to_string(value).unwrap_or_default();
                    text.replace(placeholder, &json[1..json.len().saturating_sub(1)])
                })
            }
            None => return,
        };
        *literal = syn::LitStr::new(&restored, literal.span());
    }
}

/// Whether two string values of an enum would get one variant name from typify, which
/// PascalCases the value's letters and digits, with `x` before a leading digit; or whether a
/// value is `+1` or `-1`, which typify names `plus1` and `minus1`. Compared with case and
/// separators ignored, which catches every clash typify has and at worst a few it would have
/// avoided.
fn clashes(values: &[Value]) -> bool {
    let mut keys = BTreeSet::new();
    values.iter().filter_map(Value::as_str).any(|text| {
        // typify names these `plus1` and `minus1`, which are not CamelCase: rustc warns
        // every crate that uses them (`non_camel_case_types`).
        if text == "+1" || text == "-1" {
            return true;
        }
        let key = match text {
            "+1" => "plus1".to_owned(),
            "-1" => "minus1".to_owned(),
            _ => text.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect(),
        };
        let key = if key.is_empty() || key.starts_with(|c: char| c.is_ascii_digit()) {
            format!("x{key}")
        } else {
            key
        };
        !keys.insert(key)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn values_that_differ_in_case_or_separators_clash() {
        assert!(clashes(&[json!("F"), json!("f")]));
        assert!(clashes(&[json!("foo-bar"), json!("foo_bar")]));
        assert!(clashes(&[json!("1a"), json!("x1a")]));
        assert!(clashes(&[json!("+1"), json!("plus1")]));
        assert!(clashes(&[json!("+1"), json!("0")]), "typify would name it `plus1`");
        assert!(!clashes(&[json!("open"), json!("closed"), json!(null)]));
    }

    #[test]
    fn only_clashing_enums_get_placeholders_with_distinct_identifiers() {
        let mut types = BTreeMap::from([
            ("Grade".to_owned(), json!({"type": "string", "enum": ["F", "f", "F2"]})),
            ("State".to_owned(), json!({"type": "string", "enum": ["open", "closed"]})),
        ]);
        let placeholders = disambiguate(&mut types);
        assert_eq!(types["State"]["enum"], json!(["open", "closed"]));
        let mut chosen: Vec<(String, String)> = placeholders.by_placeholder.into_values().collect();
        chosen.sort();
        assert_eq!(
            chosen,
            [("F", "F"), ("F2", "F22"), ("f", "F2")].map(|(v, i)| (v.to_owned(), i.to_owned()))
        );
    }
}
