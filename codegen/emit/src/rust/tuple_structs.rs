//! Tuple structs as tuple structs.
//!
//! A contract's `Point(f64, f64)` is written by schemars as an array with one schema per
//! position, which typify turns into a newtype over a tuple, `Point(pub (f64, f64))`, with
//! `#[serde(transparent)]`, `Deref` and two `From` impls. serde reads and writes a tuple
//! struct as the same array, so the newtype becomes `Point(pub f64, pub f64)` and its
//! conversions to and from the tuple go.

use proc_macro2::TokenTree;
use syn::{Fields, Type};

use super::items::{Item, split};

/// `items` with every newtype over a tuple made a tuple struct, and its tuple impls dropped.
pub fn unwrap(items: Vec<Item>) -> Vec<Item> {
    let mut unwrapped: Vec<String> = Vec::new();
    let mut items: Vec<Item> = items
        .into_iter()
        .map(|item| {
            if item.defines().is_none() {
                return item;
            }
            match as_tuple_struct(&item) {
                Some((name, rewritten)) => {
                    unwrapped.push(name);
                    split(quote::quote!(#rewritten)).into_iter().next().unwrap_or(item)
                }
                None => item,
            }
        })
        .collect();
    if !unwrapped.is_empty() {
        items.retain(|item| !(item.is_impl() && is_tuple_conversion(item, &unwrapped)));
    }
    items
}

/// The struct's name and its tuple-struct form, when it is a transparent newtype over a tuple.
fn as_tuple_struct(item: &Item) -> Option<(String, syn::ItemStruct)> {
    if !may_wrap_a_tuple(item) {
        return None; // Most items: spare parsing them.
    }
    let mut parsed: syn::ItemStruct = syn::parse2(item.tokens.iter().cloned().collect()).ok()?;
    let Fields::Unnamed(fields) = &parsed.fields else { return None };
    let [field] = fields.unnamed.iter().collect::<Vec<_>>()[..] else { return None };
    let Type::Tuple(tuple) = &field.ty else { return None };
    if tuple.elems.len() < 2 {
        return None;
    }
    let transparent = |attr: &syn::Attribute| {
        attr.path().is_ident("serde")
            && attr.meta.require_list().is_ok_and(|list| list.tokens.to_string() == "transparent")
    };
    if !parsed.attrs.iter().any(transparent) {
        return None;
    }
    let elems = tuple.elems.iter();
    parsed.fields = Fields::Unnamed(syn::parse_quote!((#(pub #elems),*)));
    parsed.attrs.retain(|attr| !transparent(attr));
    Some((parsed.ident.to_string(), parsed))
}

/// Whether the item's tokens have what a newtype over a tuple has: a `( .. )` group (tuple
/// fields) holding a `( .. )` group (the tuple type). Attributes are `[ .. ]` groups.
fn may_wrap_a_tuple(item: &Item) -> bool {
    let parenthesised = |tree: &TokenTree| matches!(tree, TokenTree::Group(group) if group.delimiter() == proc_macro2::Delimiter::Parenthesis);
    item.tokens.iter().any(|tree| match tree {
        TokenTree::Group(group) if parenthesised(tree) => {
            group.stream().into_iter().any(|t| parenthesised(&t))
        }
        _ => false,
    })
}

/// Whether an `impl` is typify's `Deref` to, or `From` to or from, the tuple of one of the
/// `unwrapped` structs.
fn is_tuple_conversion(item: &Item, unwrapped: &[String]) -> bool {
    let mentions = item
        .tokens
        .iter()
        .any(|tree| matches!(tree, TokenTree::Ident(ident) if unwrapped.iter().any(|n| ident == n)));
    if !mentions {
        return false;
    }
    let Ok(parsed) = syn::parse2::<syn::ItemImpl>(item.tokens.iter().cloned().collect()) else {
        return false;
    };
    let Some((trait_path, _)) = &parsed.trait_ else { return false };
    let trait_name = trait_path.segments.last().map(|s| s.ident.to_string()).unwrap_or_default();
    let self_named = |ty: &Type| matches!(ty, Type::Path(path) if path.path.segments.last().is_some_and(|s| unwrapped.iter().any(|n| s.ident == n)));
    match trait_name.as_str() {
        "Deref" => self_named(&parsed.self_ty),
        "From" => self_named(&parsed.self_ty) || matches!(*parsed.self_ty, Type::Tuple(_)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_transparent_newtype_over_a_tuple_becomes_a_tuple_struct_without_its_conversions() {
        let tokens: proc_macro2::TokenStream = syn::parse_str(
            "#[derive(Clone)] #[serde(transparent)] pub struct Point(pub (f64, f64));
             impl ::std::ops::Deref for Point { type Target = (f64, f64); fn deref(&self) -> &(f64, f64) { &self.0 } }
             impl ::std::convert::From<Point> for (f64, f64) { fn from(value: Point) -> Self { value.0 } }
             impl ::std::convert::From<(f64, f64)> for Point { fn from(value: (f64, f64)) -> Self { Self(value) } }
             #[serde(transparent)] pub struct Name(pub String);
             impl ::std::ops::Deref for Name { type Target = String; fn deref(&self) -> &String { &self.0 } }",
        )
        .unwrap();
        let items = unwrap(split(tokens));
        let text: Vec<String> = items
            .iter()
            .map(|i| i.tokens.iter().cloned().collect::<proc_macro2::TokenStream>().to_string())
            .collect();
        assert_eq!(text.len(), 3, "{text:#?}");
        assert_eq!(text[0], "# [derive (Clone)] pub struct Point (pub f64 , pub f64) ;");
        assert!(text[1].contains("pub struct Name (pub String)"), "a plain newtype stays: {}", text[1]);
        assert!(text[2].contains("Deref for Name"), "{}", text[2]);
    }
}
