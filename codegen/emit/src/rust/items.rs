//! typify's output item by item, with each repeated `impl` shape formatted once.
//!
//! typify writes the same `impl` blocks for every string enum, pattern string and newtype,
//! differing only in the type's name (`TryFrom<&str>`, `TryFrom<String>`, `Deref`,
//! `Deserialize`, ...): a third of a module's lines. Parsing and printing each with syn and
//! prettyplease was most of the Rust emitter's time. So typify's tokens are split into
//! top-level items, every `impl` is keyed by its tokens with the module's type names as
//! holes, and only the first `impl` of each key goes through syn, the passes and
//! prettyplease. The others are written from its text with their own names in the holes.
//!
//! The output is byte-identical to formatting every item:
//! - names in a key have the same lengths, so prettyplease breaks the lines the same way;
//! - the passes change an `impl` only through its own tokens, so one that differs only in
//!   names is changed the same way;
//! - a shape's text is used only when each name occurs in it as a whole word exactly as many
//!   times as in its tokens (not also inside a string, say); otherwise every item of that
//!   shape is formatted itself.

use std::collections::{HashMap, HashSet};

use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};

/// One top-level item of typify's output.
#[derive(Clone)]
pub struct Item {
    /// Its tokens, attributes included.
    pub tokens: Vec<TokenTree>,
    head: Head,
}

impl Item {
    /// The name of the type the item defines (a struct, enum, ...), if it defines one.
    pub fn defines(&self) -> Option<&str> {
        self.head.type_name()
    }

    /// Whether the item is an `impl` block.
    pub fn is_impl(&self) -> bool {
        self.head.is_impl()
    }

    /// Whether the item is a module (`pub mod error { .. }`).
    pub fn is_mod(&self) -> bool {
        self.head.keyword.as_deref() == Some("mod")
    }
}

/// Splits typify's output into top-level items, in order. An item ends at a `;` or at its
/// body (a `{ .. }` group); `const`, `static` and `type` items end only at their `;`.
pub fn split(tokens: TokenStream) -> Vec<Item> {
    let mut items = Vec::new();
    let mut current = Vec::new();
    let mut head = Head::default();
    for tree in tokens {
        let ends = match &tree {
            TokenTree::Punct(punct) => punct.as_char() == ';',
            TokenTree::Group(group) => group.delimiter() == Delimiter::Brace && !head.ends_at_semicolon(),
            TokenTree::Ident(ident) => {
                if head.name.is_none() {
                    head.see(ident.to_string());
                }
                false
            }
            TokenTree::Literal(_) => false,
        };
        current.push(tree);
        if ends {
            items.push(Item { tokens: std::mem::take(&mut current), head: std::mem::take(&mut head) });
        }
    }
    if !current.is_empty() {
        items.push(Item { tokens: current, head });
    }
    items
}

/// The first words of an item outside its attributes (attributes are groups, so their words
/// are not seen): its keyword (`impl`, `struct`, ..) and the word after it, a type's name.
#[derive(Clone, Default)]
struct Head {
    keyword: Option<String>,
    name: Option<String>,
}

impl Head {
    fn see(&mut self, word: String) {
        match &self.keyword {
            None if word != "pub" && word != "unsafe" => self.keyword = Some(word),
            Some(_) if self.name.is_none() => self.name = Some(word),
            _ => {}
        }
    }

    fn ends_at_semicolon(&self) -> bool {
        matches!(self.keyword.as_deref(), Some("const" | "static" | "type"))
    }

    fn is_impl(&self) -> bool {
        self.keyword.as_deref() == Some("impl")
    }

    /// The name of the type the item defines, if it defines one.
    fn type_name(&self) -> Option<&str> {
        match self.keyword.as_deref() {
            Some("struct" | "enum" | "type" | "union" | "trait") => self.name.as_deref(),
            _ => None,
        }
    }
}

/// How each item of a module is written.
pub struct Plan {
    /// Per item: `None` when it is formatted itself, else the item whose text it copies,
    /// with its own names for that item's holes.
    copies: Vec<Option<(usize, Vec<String>)>>,
    /// Per item formatted itself that starts a shape: its names, and how often each
    /// occurs in its tokens.
    shapes: HashMap<usize, (Vec<String>, Vec<usize>)>,
}

impl Plan {
    /// Which items are copies of an earlier `impl` of the same shape.
    pub fn new(items: &[Item]) -> Plan {
        #[cfg(test)]
        if tests::UNSHARED.with(std::cell::Cell::get) {
            return Plan { copies: vec![None; items.len()], shapes: HashMap::new() };
        }
        let defined: HashSet<&str> = items.iter().filter_map(|item| item.head.type_name()).collect();
        let mut first_of: HashMap<String, usize> = HashMap::new();
        let mut plan = Plan { copies: Vec::with_capacity(items.len()), shapes: HashMap::new() };
        for (index, item) in items.iter().enumerate() {
            if !item.head.is_impl() {
                plan.copies.push(None);
                continue;
            }
            let shape = Shape::of(&item.tokens, &defined);
            match first_of.get(&shape.key) {
                Some(&first) => plan.copies.push(Some((first, shape.names))),
                None => {
                    first_of.insert(shape.key, index);
                    plan.shapes.insert(index, (shape.names, shape.occurrences));
                    plan.copies.push(None);
                }
            }
        }
        plan
    }

    /// Formats `items` through `format`, which formats a list of items and returns each one's
    /// text: once for every item that is not a copy, and once more for the copies of a shape
    /// whose text cannot be reused. Returns the texts in order.
    pub fn format<E>(
        &self,
        items: Vec<Item>,
        mut format: impl FnMut(Vec<Item>) -> Result<Vec<String>, E>,
    ) -> Result<Vec<String>, E> {
        let mut copies: Vec<(usize, Item)> = Vec::new();
        let mut own = Vec::new();
        let mut own_indices = Vec::new();
        for (index, item) in items.into_iter().enumerate() {
            if self.copies[index].is_some() {
                copies.push((index, item));
            } else {
                own_indices.push(index);
                own.push(item);
            }
        }
        let mut texts: Vec<Option<String>> = vec![None; self.copies.len()];
        for (index, text) in own_indices.into_iter().zip(format(own)?) {
            texts[index] = Some(text);
        }
        let mut templates: HashMap<usize, Option<Template>> = HashMap::new();
        let mut unshared = Vec::new();
        for (index, item) in copies {
            let Some((first, names)) = &self.copies[index] else { continue };
            let template = templates.entry(*first).or_insert_with(|| {
                let (first_names, occurrences) = &self.shapes[first];
                Template::new(texts[*first].as_deref().unwrap_or_default(), first_names, occurrences)
            });
            match template {
                Some(template) => texts[index] = Some(template.render(names)),
                None => unshared.push((index, item)),
            }
        }
        if !unshared.is_empty() {
            let (indices, items): (Vec<usize>, Vec<Item>) = unshared.into_iter().unzip();
            for (index, text) in indices.into_iter().zip(format(items)?) {
                texts[index] = Some(text);
            }
        }
        Ok(texts.into_iter().flatten().collect())
    }
}

/// An `impl`'s tokens with the module's type names as numbered holes, so two `impl`s that
/// differ only in those names (of the same lengths) have one key. Only names outside the
/// `impl`'s brackets and body are holes: typify's bodies say `Self`. A name inside them is
/// part of the key as written, and makes the text's count of it differ from
/// [`Shape::occurrences`], so such a shape's text is not reused.
struct Shape {
    key: String,
    /// The names, in order of first occurrence: hole `n` is `names[n]`.
    names: Vec<String>,
    /// How often each name occurs outside groups.
    occurrences: Vec<usize>,
}

impl Shape {
    fn of(item: &[TokenTree], defined: &HashSet<&str>) -> Shape {
        use std::fmt::Write;
        let mut shape = Shape { key: String::new(), names: Vec::new(), occurrences: Vec::new() };
        for tree in item {
            match tree {
                TokenTree::Ident(ident) => {
                    let word = ident.to_string();
                    if defined.contains(word.as_str()) {
                        let hole = match shape.names.iter().position(|name| *name == word) {
                            Some(hole) => hole,
                            None => {
                                shape.names.push(word);
                                shape.occurrences.push(0);
                                shape.names.len() - 1
                            }
                        };
                        shape.occurrences[hole] += 1;
                        let _ = write!(shape.key, "\u{1}{hole}");
                    } else {
                        shape.key.push_str(&word);
                    }
                }
                TokenTree::Punct(punct) => {
                    shape.key.push(punct.as_char());
                    if punct.spacing() == Spacing::Joint {
                        shape.key.push('\u{2}');
                    }
                }
                // Written as tokens (`Display` reads them in place; iterating would copy).
                TokenTree::Literal(_) | TokenTree::Group(_) => {
                    let _ = write!(shape.key, "{tree}");
                }
            }
            shape.key.push(' ');
        }
        for name in &shape.names {
            let _ = write!(shape.key, "\u{3}{}/{}", name.len(), name.chars().count());
        }
        shape
    }
}

/// A formatted item's text with its names cut out: text, then a hole, and so on.
struct Template {
    /// Text before each hole, with the hole's name index.
    pieces: Vec<(String, usize)>,
    tail: String,
}

impl Template {
    /// The template of `text`, whose item has `names` occurring `occurrences` times each in
    /// its tokens; `None` when the text has any name more often (in a string, say).
    fn new(text: &str, names: &[String], occurrences: &[usize]) -> Option<Template> {
        let mut holes: Vec<(usize, usize)> = Vec::new();
        for (hole, name) in names.iter().enumerate() {
            let found: Vec<usize> = whole_words(text, name).collect();
            if found.len() != occurrences[hole] {
                return None;
            }
            holes.extend(found.into_iter().map(|at| (at, hole)));
        }
        holes.sort_unstable();
        let mut pieces = Vec::with_capacity(holes.len());
        let mut from = 0;
        for (at, hole) in holes {
            pieces.push((text[from..at].to_owned(), hole));
            from = at + names[hole].len();
        }
        Some(Template { pieces, tail: text[from..].to_owned() })
    }

    fn render(&self, names: &[String]) -> String {
        let mut text = String::with_capacity(self.tail.len() + self.pieces.len() * 48);
        for (before, hole) in &self.pieces {
            text.push_str(before);
            text.push_str(&names[*hole]);
        }
        text.push_str(&self.tail);
        text
    }
}

/// Where `word` occurs in `text` not as part of a longer identifier.
fn whole_words<'a>(text: &'a str, word: &'a str) -> impl Iterator<Item = usize> + 'a {
    let is_ident = |c: char| c.is_alphanumeric() || c == '_';
    text.match_indices(word).map(|(at, _)| at).filter(move |&at| {
        !text[..at].chars().next_back().is_some_and(is_ident)
            && !text[at + word.len()..].chars().next().is_some_and(is_ident)
    })
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use quote::quote;
    use serde_json::json;

    use super::*;
    use crate::{Origin, SchemaItem};

    thread_local! {
        /// Set while a test emits the reference output: every item formatted itself.
        pub(super) static UNSHARED: Cell<bool> = const { Cell::new(false) };
    }

    /// The module typify and the passes make of `schemas`, with shared `impl` text and
    /// without.
    fn emitted_both_ways(schemas: &[serde_json::Value]) -> (String, String) {
        let items: Vec<SchemaItem> = schemas
            .iter()
            .map(|schema| SchemaItem {
                name: schema["title"].as_str().expect("a title").to_owned(),
                schema: schema.clone(),
                origin: Origin::Contract,
                label: "test".to_owned(),
            })
            .collect();
        let namespace = crate::namespace("test", &items).expect("valid schemas");
        let shared = crate::rust::emit_module(&namespace, "").expect("emitted").code;
        UNSHARED.with(|flag| flag.set(true));
        let unshared = crate::rust::emit_module(&namespace, "");
        UNSHARED.with(|flag| flag.set(false));
        (shared, unshared.expect("emitted").code)
    }

    #[test]
    fn typify_output_reads_the_same_with_shared_impl_text() {
        let event = |title: &str, values: serde_json::Value| {
            json!({"title": title, "type": "object", "required": ["state", "amount"], "properties": {
                "state": {"type": "string", "enum": values},
                "amount": {"type": "string", "pattern": "^[0-9]+$"},
                "code": {"type": "string", "minLength": 2, "maxLength": 8},
                "tags": {"type": "array", "items": {"type": "string"}},
                "note": {"type": ["string", "null"]}
            }})
        };
        let (shared, unshared) = emitted_both_ways(&[
            event("Short", json!(["open", "closed"])),
            event("Other", json!(["open", "closed"])),
            event("AMuchLongerName", json!(["open"])),
            event("Lengthy", json!(["open", "closed"])),
        ]);
        assert_eq!(shared, unshared);
        assert!(shared.matches("TryFrom<&str>").count() >= 8, "the test exercises shared impls:\n{shared}");
    }

    #[test]
    fn a_type_named_like_a_value_keeps_its_own_impl_text() {
        // `Bunker` and `Silo12` have one `Display` shape, and `Bunker` also occurs in its
        // text as a variant and a string: copying it would name `Silo12`'s variant wrongly.
        let (shared, unshared) = emitted_both_ways(&[
            json!({"title": "Bunker", "type": "string", "enum": ["Bunker"]}),
            json!({"title": "Silo12", "type": "string", "enum": ["Bunker"]}),
        ]);
        assert_eq!(shared, unshared);
        assert!(shared.contains("impl ::std::fmt::Display for Silo12"), "{shared}");
        assert_eq!(shared.matches("Self::Bunker => f.write_str(\"Bunker\")").count(), 2, "{shared}");
    }

    fn texts(tokens: TokenStream) -> Vec<String> {
        split(tokens)
            .iter()
            .map(|item| item.tokens.iter().cloned().collect::<TokenStream>().to_string())
            .collect()
    }

    #[test]
    fn items_end_at_their_body_or_semicolon() {
        let items = texts(quote! {
            #[derive(Debug)]
            pub struct A { x: u8 }
            pub struct B(pub String);
            pub type C = ::std::collections::BTreeMap<String, A>;
            pub const D: A = A { x: 1 };
            impl ::std::ops::Deref for B { type Target = String; fn deref(&self) -> &String { &self.0 } }
            pub(crate) mod error { pub struct E; }
        });
        assert_eq!(items.len(), 6, "{items:#?}");
        assert!(items[0].starts_with("# [derive (Debug)] pub struct A"));
        assert!(items[3].starts_with("pub const D") && items[3].ends_with(';'));
        assert!(items[5].starts_with("pub (crate) mod error"));
    }

    /// Formats items as the emitter would, one by one, counting calls.
    fn formatted(items: Vec<Item>, calls: &mut usize) -> Result<Vec<String>, String> {
        *calls += 1;
        items
            .into_iter()
            .map(|item| {
                let item: syn::Item =
                    syn::parse2(item.tokens.into_iter().collect()).map_err(|e| e.to_string())?;
                Ok(prettyplease::unparse(&syn::File {
                    shebang: None,
                    frontmatter: None,
                    attrs: vec![],
                    items: vec![item],
                }))
            })
            .collect()
    }

    fn both_ways(tokens: TokenStream) -> (String, String, usize) {
        let items = split(tokens);
        let mut calls = 0;
        let whole = formatted(items.clone(), &mut 0).unwrap().concat();
        let planned = Plan::new(&items).format(items, |items| formatted(items, &mut calls)).unwrap().concat();
        (whole, planned, calls)
    }

    #[test]
    fn an_impl_repeated_for_other_types_is_written_from_the_first() {
        let (whole, planned, calls) = both_ways(quote! {
            pub enum Ab { A }
            pub enum Cd { C }
            pub enum LongerName { L }
            impl ::std::convert::TryFrom<&str> for Ab { type Error = E; fn try_from(value: &str) -> Result<Self, E> { value.parse() } }
            impl ::std::convert::TryFrom<&str> for Cd { type Error = E; fn try_from(value: &str) -> Result<Self, E> { value.parse() } }
            impl ::std::convert::TryFrom<&str> for LongerName { type Error = E; fn try_from(value: &str) -> Result<Self, E> { value.parse() } }
            impl From<Ab> for Cd { fn from(value: Ab) -> Self { todo!() } }
            impl From<Cd> for Ab { fn from(value: Cd) -> Self { todo!() } }
        });
        assert_eq!(planned, whole);
        assert_eq!(calls, 1);
        assert!(planned.contains("for Cd {") && planned.contains("impl From<Cd> for Ab"));
    }

    #[test]
    fn a_name_that_also_occurs_in_a_string_is_formatted_itself() {
        let plan_items = split(quote! {
            pub enum Ab { A }
            pub enum Cd { C }
            impl ::std::fmt::Display for Ab { fn fmt(&self, f: &mut F) -> R { f.write_str("Ab") } }
            impl ::std::fmt::Display for Cd { fn fmt(&self, f: &mut F) -> R { f.write_str("Ab") } }
        });
        let plan = Plan::new(&plan_items);
        assert!(plan.copies[3].is_some(), "the two impls share a shape");
        let (whole, planned, calls) =
            both_ways(plan_items.into_iter().flat_map(|item| item.tokens).collect());
        assert_eq!(planned, whole);
        assert!(planned.contains("for Cd {") && planned.matches("write_str(\"Ab\")").count() == 2);
        assert_eq!(calls, 2, "the copy is formatted in a second round");
    }
}
