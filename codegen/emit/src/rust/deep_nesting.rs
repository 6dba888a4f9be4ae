//! Boxing where a chain of types held by value gets too deep for rustc.
//!
//! rustc follows a struct's last field to its "tail" (to decide whether it is sized) and stops
//! at its recursion limit (128): a sample nested hundreds of objects deep gives a chain of
//! structs, each the only field of the one before, that does not compile. Every
//! [`MAX_CHAIN`] levels of such a chain, the field that would go deeper holds its value in a
//! `Box` instead, which ends the chain for rustc and reads and writes the same JSON.

use std::collections::BTreeMap;

use syn::visit_mut::VisitMut;
use syn::{Fields, GenericArgument, Item, PathArguments, Type};

/// Chains of types up to this long compile under rustc's default recursion limit (128);
/// longer ones need a higher `recursion_limit` in the crate root: serde's code for a type
/// instantiates its fields' code, one level of the chain at a time.
const DEFAULT_LIMIT_COVERS: usize = 32;

/// The `recursion_limit` a crate needs for types that nest `chain` deep, when the default is
/// not enough: four levels of room per type, as a power of two.
pub fn recursion_limit_for(chain: usize) -> Option<usize> {
    (chain > DEFAULT_LIMIT_COVERS).then(|| (chain * 4).next_power_of_two().max(256))
}

/// The line a module starts with (after its preamble) when its crate root needs a higher
/// `recursion_limit`; [`recursion_limit_needed`] reads it back.
pub fn recursion_limit_line(chain: usize, limit: usize) -> String {
    format!(
        "// Types here nest {chain} deep: the crate root needs `#![recursion_limit = \"{limit}\"]`, and rustc\n\
         // a larger stack for its own recursion past a few hundred levels (RUST_MIN_STACK=268435456).\n"
    )
}

/// The `recursion_limit` a module's code says its crate root needs, if any.
pub fn recursion_limit_needed(code: &str) -> Option<usize> {
    let line = code.lines().take(8).find(|line| line.starts_with("// Types here nest "))?;
    let start = line.find("recursion_limit = \"")? + "recursion_limit = \"".len();
    line[start..].split('"').next()?.parse().ok()
}

/// The longest chain of types held by value (a struct in a struct in ...) left unboxed.
pub const MAX_CHAIN: usize = 64;

/// Wrappers that already hold their contents on the heap: a chain ends at them.
const HEAP: [&str; 6] = ["Box", "Vec", "BTreeMap", "HashMap", "BTreeSet", "HashSet"];

/// What [`apply`] did to a module: how many fields it boxed, and how long the longest chain
/// of types (by value or not) is, for the crate's `recursion_limit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Nesting {
    /// Fields given a `Box`.
    pub boxed: usize,
    /// The longest chain of types, each holding the next (behind a `Box` or `Vec` too).
    pub chain: usize,
}

/// Boxes, in every struct and enum of `file`, the fields whose types start a by-value chain
/// longer than [`MAX_CHAIN`], and measures the longest chain of all.
pub fn apply(file: &mut syn::File) -> Nesting {
    let (boxing, chain) = decide(&[graph(&file.items)]);
    let boxed = box_fields(&mut file.items, &boxing);
    Nesting { boxed, chain }
}

/// What the chains of a list of items depend on: each struct's and enum's name and the
/// shape of each of its fields' types (plain data, which can move between threads). The
/// items of a module may be split into lists, one per thread: [`decide`] reads them all.
pub struct Graph {
    items: Vec<(String, Vec<Shape>)>,
}

/// A field type as far as chains go: a path's last name with its type arguments, a tuple,
/// an array or parenthesised type, or something else.
enum Shape {
    Path(String, Vec<Shape>),
    Tuple(Vec<Shape>),
    Inside(Box<Shape>),
    Other,
}

impl Graph {
    /// How many structs and enums it has.
    pub fn len(&self) -> usize {
        self.items.len()
    }
}

/// The graph of `items`.
pub fn graph(items: &[Item]) -> Graph {
    let items = items
        .iter()
        .filter_map(|item| Some((item_name(item)?, fields_of(item).into_iter().map(shape).collect())))
        .collect();
    Graph { items }
}

fn shape(ty: &Type) -> Shape {
    match ty {
        Type::Path(path) => {
            let Some(last) = path.path.segments.last() else { return Shape::Other };
            let arguments = match &last.arguments {
                PathArguments::AngleBracketed(args) => args
                    .args
                    .iter()
                    .filter_map(
                        |arg| if let GenericArgument::Type(ty) = arg { Some(shape(ty)) } else { None },
                    )
                    .collect(),
                _ => Vec::new(),
            };
            Shape::Path(last.ident.to_string(), arguments)
        }
        Type::Tuple(tuple) => Shape::Tuple(tuple.elems.iter().map(shape).collect()),
        Type::Array(array) => Shape::Inside(Box::new(shape(&array.elem))),
        Type::Paren(inner) => Shape::Inside(Box::new(shape(&inner.elem))),
        _ => Shape::Other,
    }
}

/// Per struct or enum of each graph's items, in order: per field, the names of the types to
/// box in it (`None`: none). With the longest chain of all.
pub type Boxing = Vec<Vec<Option<Vec<String>>>>;

/// Which fields of the items of `graphs` (together, in order: one module) to box, and the
/// longest chain of types.
pub fn decide(graphs: &[Graph]) -> (Boxing, usize) {
    let typed: Vec<&(String, Vec<Shape>)> = graphs.iter().flat_map(|graph| &graph.items).collect();
    let index: BTreeMap<&str, usize> = typed.iter().enumerate().map(|(i, (n, _))| (n.as_str(), i)).collect();
    // Per item, per field: the items it holds by value, and the items it holds at all.
    let held = |through_heap: bool| -> Vec<Vec<Vec<usize>>> {
        typed
            .iter()
            .map(|(_, fields)| fields.iter().map(|ty| children(ty, &index, through_heap)).collect())
            .collect()
    };
    let (by_value, all) = (held(false), held(true));
    let mut boxed: Vec<Vec<bool>> = by_value.iter().map(|fields| vec![false; fields.len()]).collect();
    let mut memo = vec![None; typed.len()];
    for item in 0..typed.len() {
        longest(item, &by_value, &mut memo, &mut Vec::new(), Some(&mut boxed));
    }
    let mut memo = vec![None; typed.len()];
    let chain =
        (0..typed.len()).map(|item| longest(item, &all, &mut memo, &mut Vec::new(), None)).max().unwrap_or(0);
    let boxing = boxed
        .iter()
        .zip(&by_value)
        .map(|(fields, held)| {
            fields
                .iter()
                .zip(held)
                .map(|(boxed, children)| {
                    boxed.then(|| children.iter().map(|&i| typed[i].0.clone()).collect())
                })
                .collect()
        })
        .collect();
    (boxing, chain)
}

/// Boxes the fields of the structs and enums of `items` that `boxing` (one entry per struct
/// or enum, in order) names; returns how many.
pub fn box_fields(items: &mut [Item], boxing: &[Vec<Option<Vec<String>>>]) -> usize {
    let mut count = 0;
    let typed = items.iter_mut().filter(|item| item_name(item).is_some());
    for (item, fields) in typed.zip(boxing) {
        for (ty, children) in fields_of_mut(item).into_iter().zip(fields) {
            if let Some(children) = children {
                BoxChildren { children }.visit_type_mut(ty);
                count += 1;
            }
        }
    }
    count
}

/// The length of the longest chain starting at `item` along `held`'s edges. With `boxing`,
/// a field whose chain would pass [`MAX_CHAIN`] is marked to be boxed and ends the chain
/// there. A type met again on the chain ends it (rustc boxes that recursion itself).
fn longest(
    item: usize,
    held: &[Vec<Vec<usize>>],
    memo: &mut [Option<usize>],
    path: &mut Vec<usize>,
    mut boxing: Option<&mut Vec<Vec<bool>>>,
) -> usize {
    if let Some(known) = memo[item] {
        return known;
    }
    if path.contains(&item) {
        return 0;
    }
    path.push(item);
    let mut deepest = 0;
    for field in 0..held[item].len() {
        let below = held[item][field]
            .iter()
            .map(|&child| longest(child, held, memo, path, boxing.as_deref_mut()))
            .max()
            .unwrap_or(0);
        match boxing.as_deref_mut() {
            Some(boxed) if below >= MAX_CHAIN => boxed[item][field] = true,
            _ => deepest = deepest.max(below),
        }
    }
    path.pop();
    memo[item] = Some(deepest + 1);
    deepest + 1
}

fn item_name(item: &Item) -> Option<String> {
    match item {
        Item::Struct(item) => Some(item.ident.to_string()),
        Item::Enum(item) => Some(item.ident.to_string()),
        _ => None,
    }
}

fn fields_of(item: &Item) -> Vec<&Type> {
    match item {
        Item::Struct(item) => item.fields.iter().map(|f| &f.ty).collect(),
        Item::Enum(item) => item.variants.iter().flat_map(|v| v.fields.iter().map(|f| &f.ty)).collect(),
        _ => Vec::new(),
    }
}

fn fields_of_mut(item: &mut Item) -> Vec<&mut Type> {
    fn of(fields: &mut Fields) -> impl Iterator<Item = &mut Type> {
        fields.iter_mut().map(|f| &mut f.ty)
    }
    match item {
        Item::Struct(item) => of(&mut item.fields).collect(),
        Item::Enum(item) => item.variants.iter_mut().flat_map(|v| of(&mut v.fields)).collect(),
        _ => Vec::new(),
    }
}

/// The items of `index` that a field of type `ty` holds: by value (itself, inside `Option`,
/// tuples and arrays), and behind a heap wrapper too when `through_heap`.
fn children(ty: &Shape, index: &BTreeMap<&str, usize>, through_heap: bool) -> Vec<usize> {
    match ty {
        Shape::Path(name, arguments) => {
            if let Some(&item) = index.get(name.as_str()) {
                return vec![item];
            }
            if HEAP.contains(&name.as_str()) && !through_heap {
                return Vec::new();
            }
            arguments.iter().flat_map(|ty| children(ty, index, through_heap)).collect()
        }
        Shape::Tuple(elements) => elements.iter().flat_map(|ty| children(ty, index, through_heap)).collect(),
        Shape::Inside(inner) => children(inner, index, through_heap),
        Shape::Other => Vec::new(),
    }
}

/// Wraps each by-value use of `children` in `::std::boxed::Box`.
struct BoxChildren<'a> {
    children: &'a [String],
}

impl VisitMut for BoxChildren<'_> {
    fn visit_type_mut(&mut self, ty: &mut Type) {
        if let Type::Path(path) = ty
            && let Some(last) = path.path.segments.last()
        {
            let name = last.ident.to_string();
            if self.children.contains(&name) {
                let inner = ty.clone();
                *ty = syn::parse_quote!(::std::boxed::Box<#inner>);
                return;
            }
            if HEAP.contains(&name.as_str()) {
                return;
            }
        }
        syn::visit_mut::visit_type_mut(self, ty);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(length: usize) -> syn::File {
        let mut text = String::from("pub struct S0 { pub leaf: i64 }\n");
        for n in 1..length {
            text.push_str(&format!(
                "pub struct S{n} {{ pub next: Option<S{}>, pub other: Vec<S0> }}\n",
                n - 1
            ));
        }
        syn::parse_str(&text).unwrap()
    }

    #[test]
    fn a_limit_is_written_and_read_back() {
        let limit = recursion_limit_for(100).unwrap();
        assert_eq!(limit, 512);
        assert_eq!(
            recursion_limit_needed(&format!(
                "// preamble\n{}pub struct T0;",
                recursion_limit_line(100, limit)
            )),
            Some(512)
        );
        assert_eq!(recursion_limit_for(DEFAULT_LIMIT_COVERS), None);
    }

    #[test]
    fn a_long_chain_is_boxed_every_max_chain_levels_and_a_short_one_not_at_all() {
        let mut long = chain(3 * MAX_CHAIN);
        assert_eq!(apply(&mut long), Nesting { boxed: 2, chain: 3 * MAX_CHAIN });
        let text = quote::quote!(#long).to_string();
        assert_eq!(text.matches(":: std :: boxed :: Box < S").count(), 2, "{text}");
        assert!(text.contains("Option < :: std :: boxed :: Box < S"), "the Option stays outside: {text}");
        let mut short = chain(MAX_CHAIN);
        assert_eq!(apply(&mut short), Nesting { boxed: 0, chain: MAX_CHAIN });
    }
}
