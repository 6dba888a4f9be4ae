//! Putting typify's output in the contract's shape: fields in the order the schema declares
//! them (typify sorts them by name), enums flattened into structs added back as
//! `#[serde(flatten)]` fields (see [`super::unions`]), every variant documented from its
//! schema (typify drops some variants' descriptions), and array lengths without suffixes.

use std::collections::{BTreeMap, HashMap};

use schema_model::Resolve;
use serde_json::Value;
use syn::visit_mut::VisitMut;
use syn::{Fields, Item};

use super::unions::{Flatten, pinned_string, variant_label};

/// Reorders every struct's and struct variant's fields to the order of the object schema they
/// come from (in `orders`, made from `types`), and adds the flattened enums' fields at the
/// end of their structs.
pub fn apply(
    file: &mut syn::File,
    orders: &Orders<'_>,
    types: &BTreeMap<String, Value>,
    flattens: &[Flatten],
) {
    for item in &mut file.items {
        match item {
            Item::Struct(item) => {
                reorder(&mut item.fields, orders);
                let owner = item.ident.to_string();
                for flatten in flattens.iter().filter(|f| f.owner == owner) {
                    add_flattened(&mut item.fields, flatten);
                }
                if let Some(values) = types.get(&owner).and_then(catch_all) {
                    add_catch_all(&mut item.fields, values, types);
                }
            }
            Item::Enum(item) => {
                for variant in &mut item.variants {
                    reorder(&mut variant.fields, orders);
                }
                if let Some(schema) = types.get(&item.ident.to_string()) {
                    document_variants(item, schema);
                }
            }
            _ => {}
        }
    }
    UnsuffixedLengths.visit_file_mut(file);
}

impl<'a> Orders<'a> {
    /// The property lists of every object schema in `types`.
    pub fn of(types: &'a BTreeMap<String, Value>) -> Orders<'a> {
        let mut lists = Vec::new();
        for schema in types.values() {
            collect_orders(schema, &mut lists);
        }
        Orders::new(lists)
    }
}

/// Adds each undocumented variant the description of the branch it comes from: the branch
/// whose tag value is the variant's JSON name, or whose label is the variant's name.
fn document_variants(item: &mut syn::ItemEnum, schema: &Value) {
    let Some(branches) = ["oneOf", "anyOf"].iter().find_map(|k| schema.get(*k).and_then(Value::as_array))
    else {
        return;
    };
    for variant in &mut item.variants {
        if variant.attrs.iter().any(|a| a.path().is_ident("doc")) {
            continue;
        }
        let ident = variant.ident.to_string();
        let json = serde_rename(&variant.attrs).unwrap_or_else(|| ident.clone());
        let found = branches.iter().enumerate().find(|(index, branch)| {
            let tag = pinned_string(branch).or_else(|| {
                branch
                    .get("properties")
                    .and_then(Value::as_object)
                    .and_then(|p| p.values().find_map(pinned_string))
            });
            tag == Some(json.as_str()) || variant_label(branch, *index) == ident
        });
        if let Some(description) = found.and_then(|(_, b)| b.get("description")).and_then(Value::as_str) {
            let doc = format!(" {description}");
            variant.attrs.insert(0, syn::parse_quote!(#[doc = #doc]));
        }
    }
}

/// The `rename = "..."` of a `#[serde(...)]` attribute among `attrs`.
pub(super) fn serde_rename(attrs: &[syn::Attribute]) -> Option<String> {
    serde_rename_and_flatten(attrs).0
}

/// The `rename = "..."` of the `#[serde(...)]` attributes among `attrs` (the last one), and
/// whether one says `flatten`: each attribute parsed once.
fn serde_rename_and_flatten(attrs: &[syn::Attribute]) -> (Option<String>, bool) {
    let mut rename = None;
    let mut flattened = false;
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            flattened |= meta.path.is_ident("flatten");
            if meta.input.peek(syn::Token![=]) {
                let value: syn::Expr = meta.value()?.parse()?;
                if meta.path.is_ident("rename")
                    && let syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(text), .. }) = value
                {
                    rename = Some(text.value());
                }
            }
            Ok(())
        });
    }
    (rename, flattened)
}

/// `[u8; 3usize]`, as typify writes fixed-size arrays, becomes `[u8; 3]`.
struct UnsuffixedLengths;

impl VisitMut for UnsuffixedLengths {
    fn visit_type_array_mut(&mut self, array: &mut syn::TypeArray) {
        if let syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Int(length), .. }) = &mut array.len
            && !length.suffix().is_empty()
        {
            *length = syn::LitInt::new(length.base10_digits(), length.span());
        }
        syn::visit_mut::visit_type_array_mut(self, array);
    }
}

/// Every object schema's property names, in order, in walk order.
fn collect_orders<'a>(schema: &'a Value, orders: &mut Vec<Vec<&'a str>>) {
    if let Some(Value::Object(properties)) = schema.get("properties") {
        orders.push(properties.keys().map(String::as_str).collect());
    }
    schema_model::for_each_subschema(schema, |_, sub| collect_orders(sub, orders));
}

/// The property lists of a module's object schemas, in walk order, with the lists holding
/// each name, so finding the list for a struct reads only lists that share a name with it.
pub struct Orders<'a> {
    lists: Vec<Vec<&'a str>>,
    /// Name -> the positions in `lists` of the lists holding it, ascending.
    holding: HashMap<&'a str, Vec<usize>>,
}

impl<'a> Orders<'a> {
    fn new(lists: Vec<Vec<&'a str>>) -> Orders<'a> {
        let mut holding: HashMap<&'a str, Vec<usize>> = HashMap::new();
        for (index, list) in lists.iter().enumerate() {
            for name in list {
                let positions = holding.entry(name).or_default();
                if positions.last() != Some(&index) {
                    positions.push(index);
                }
            }
        }
        Orders { lists, holding }
    }

    /// The first list (in walk order) that `fits`, among those that hold all of `present`.
    fn first(&self, present: &[&String], fits: impl Fn(&[&'a str]) -> bool) -> Option<&[&'a str]> {
        if present.is_empty() {
            return self.lists.iter().map(Vec::as_slice).find(|list| fits(list));
        }
        // A list holding every name holds the rarest: only its lists are read.
        let mut candidates: Option<&Vec<usize>> = None;
        for name in present {
            let holding = self.holding.get(name.as_str())?;
            if candidates.is_none_or(|c| holding.len() < c.len()) {
                candidates = Some(holding);
            }
        }
        candidates?.iter().map(|&index| self.lists[index].as_slice()).find(|list| fits(list))
    }
}

/// Sorts named fields by their JSON names' places in the first property list that holds them
/// all (with at most one more: an internally tagged variant's tag). Flattened fields stay last.
fn reorder(fields: &mut Fields, orders: &Orders<'_>) {
    let Fields::Named(named) = fields else { return };
    let names: Vec<Option<String>> = named.named.iter().map(json_name_unless_flattened).collect();
    let present: Vec<&String> = names.iter().flatten().collect();
    // Names are distinct, so a list holding them all is at least as long: checking the
    // length first skips most lists cheaply.
    let fits = |order: &[&str]| {
        (present.len()..=present.len() + 1).contains(&order.len())
            && present.iter().all(|name| order.contains(&name.as_str()))
    };
    let Some(order) = orders.first(&present, fits) else {
        return;
    };
    let position = |name: &Option<String>| {
        name.as_ref().and_then(|n| order.iter().position(|o| *o == n.as_str())).unwrap_or(usize::MAX)
    };
    let mut keyed: Vec<(usize, syn::Field)> =
        names.iter().map(position).zip(std::mem::take(&mut named.named)).collect();
    keyed.sort_by_key(|(position, _)| *position);
    named.named = keyed.into_iter().map(|(_, field)| field).collect();
}

/// A field's JSON name (its `serde(rename)`, else its identifier), or `None` when flattened.
fn json_name_unless_flattened(field: &syn::Field) -> Option<String> {
    let (rename, flattened) = serde_rename_and_flatten(&field.attrs);
    (!flattened).then(|| rename.unwrap_or_else(|| identifier_name(field)))
}

/// A field's JSON name: its `serde(rename)`, or else its identifier (without `r#`).
pub(super) fn json_name(field: &syn::Field) -> String {
    serde_rename(&field.attrs).unwrap_or_else(|| identifier_name(field))
}

/// A field's identifier without `r#`.
fn identifier_name(field: &syn::Field) -> String {
    field.ident.as_ref().map(|i| i.to_string().trim_start_matches("r#").to_owned()).unwrap_or_default()
}

/// The value schema of an object's catch-all map: `additionalProperties` beside declared
/// properties (what a `#[serde(flatten)]` map writes). An absent `additionalProperties` is
/// not one: the producer writes no other keys, and typify's struct ignores unknown ones.
fn catch_all(schema: &Value) -> Option<&Value> {
    let has_properties = schema.get("properties").and_then(Value::as_object).is_some_and(|p| !p.is_empty());
    schema.get("additionalProperties").filter(|values| has_properties && **values != Value::Bool(false))
}

/// Adds `#[serde(flatten)] pub extra: BTreeMap<String, V>`, so every key the struct does not
/// name survives a round-trip. `V` is the named type the values refer to, else
/// `serde_json::Value` (which keeps any value exactly).
fn add_catch_all(fields: &mut Fields, values: &Value, types: &BTreeMap<String, Value>) {
    let Fields::Named(named) = fields else { return };
    let mut taken = named.named.iter().filter_map(|f| f.ident.as_ref().map(ToString::to_string)).collect();
    let field =
        syn::Ident::new(&schema_ident::unique_name("extra", &mut taken), proc_macro2::Span::call_site());
    let named_values = values.get("$ref").and_then(|reference| types.resolve_value(reference).ok());
    let value: syn::Type = match named_values {
        Some((_, pointer)) => {
            let ident = syn::Ident::new(
                &schema_model::pointer::last_segment(&pointer),
                proc_macro2::Span::call_site(),
            );
            syn::parse_quote!(#ident)
        }
        None => syn::parse_quote!(::serde_json::Value),
    };
    named.named.push(syn::parse_quote! {
        /// Every other key of the object, kept as it came.
        #[serde(flatten)]
        pub #field: ::std::collections::BTreeMap<::std::string::String, #value>
    });
}

fn add_flattened(fields: &mut Fields, flatten: &Flatten) {
    let Fields::Named(named) = fields else { return };
    let field = syn::Ident::new(&flatten.field, proc_macro2::Span::call_site());
    let ty = syn::Ident::new(&flatten.type_name, proc_macro2::Span::call_site());
    let doc =
        format!(" Flattened into this struct: `{}` on the wire tells which variant it is.", flatten.field);
    named.named.push(syn::parse_quote! {
        #[doc = #doc]
        #[serde(flatten)]
        pub #field: #ty
    });
}
