//! Passes over typify's output (as a `syn` tree): each rewrites what typify cannot be told.
//!
//! - [`resolve_field_collisions`]: fields typify gave one name (`URL` and `url`, `self` and
//!   `Self`) get distinct identifiers, their JSON names kept;
//! - `field_types.rs`: `uniqueItems` arrays of scalars become `BTreeSet`s, and `date-time`s
//!   whose producer writes an offset `DateTime<FixedOffset>`;
//! - `tuple_structs.rs`: typify's newtypes over tuples become tuple structs;
//! - `deep_nesting.rs`: a field that would start a by-value chain of types too deep for rustc
//!   holds its value in a `Box`;
//! - [`keep_absent_distinct`]: optional lists, maps and nullable fields keep `[]`, `null` and
//!   absent apart, so a round-trip loses nothing.

use std::collections::{BTreeMap, BTreeSet};

use std::sync::mpsc;

use proc_macro2::TokenStream;
use syn::{Fields, GenericArgument, Item, PathArguments, Type};

use super::detached::Detached;

use super::items;
use super::prepass::NULLABLE_MARK;
use crate::{Diagnostic, Origin};

/// What the layout pass needs: the schemas typify was given, and the enums to flatten back.
pub struct Layout<'a> {
    /// The definitions typify generated from.
    pub types: &'a BTreeMap<String, serde_json::Value>,
    /// The flattened enums to add to their structs.
    pub flattens: &'a [super::unions::Flatten],
}

/// typify's `tokens` for `module` as formatted source under `preamble`, after the passes.
/// `marked` is how many optional nullable properties the pre-pass marked: each must become
/// an `Option<Option<T>>`, or the module is refused rather than silently merging `null` into
/// absent.
pub fn format_module(
    module: &str,
    tokens: TokenStream,
    marked: usize,
    origin: Origin,
    layout: &Layout<'_>,
    preamble: &str,
) -> Result<String, Vec<Diagnostic>> {
    let formatted = format_parts(module, tokens, origin, layout)?;
    let texts = formatted.items.iter().map(|item| item.text.as_str());
    assemble(module, texts, marked, formatted.rewritten, formatted.chain, preamble)
}

/// typify's output for some types, item by item, after the passes.
pub struct Formatted {
    /// Every item, in typify's order.
    pub items: Vec<Printed>,
    /// How many fields became `Option<Option<T>>`.
    pub rewritten: usize,
    /// The longest chain of types, each holding the next.
    pub chain: usize,
}

/// One formatted item.
pub struct Printed {
    /// The type it defines, if it defines one.
    pub defines: Option<String>,
    /// Whether it is a module (typify's `error` and `defaults`).
    pub is_mod: bool,
    /// Its text.
    pub text: String,
}

/// typify's `tokens` through the passes, formatted item by item.
pub fn format_parts(
    module: &str,
    tokens: TokenStream,
    origin: Origin,
    layout: &Layout<'_>,
) -> Result<Formatted, Vec<Diagnostic>> {
    let items = super::tuple_structs::unwrap(items::split(tokens));
    let heads: Vec<(Option<String>, bool)> =
        items.iter().map(|item| (item.defines().map(str::to_owned), item.is_mod())).collect();
    let plan = items::Plan::new(&items);
    let mut rewritten = 0;
    let mut chain = 0;
    let texts = plan.format(items, |items| {
        let (texts, count, longest) = format_items(module, items, origin, layout)?;
        rewritten += count;
        chain = chain.max(longest);
        Ok::<_, Vec<Diagnostic>>(texts)
    })?;
    let items =
        heads.into_iter().zip(texts).map(|((defines, is_mod), text)| Printed { defines, is_mod, text });
    Ok(Formatted { items: items.collect(), rewritten, chain })
}

/// The module's source: `preamble`, the `recursion_limit` note its `chain` needs, the items'
/// `texts` and the `double_option` glue when `rewritten` fields use it. `marked` is how many
/// optional nullable properties the pre-pass marked: each must have been rewritten.
pub fn assemble<'a>(
    module: &str,
    texts: impl Iterator<Item = &'a str> + Clone,
    marked: usize,
    rewritten: usize,
    chain: usize,
    preamble: &str,
) -> Result<String, Vec<Diagnostic>> {
    if rewritten != marked {
        return Err(vec![Diagnostic::new(
            module,
            format!(
                "{marked} optional nullable propert(ies) but {rewritten} field(s) could keep null apart from \
                 absent; this schema shape is not supported by the Rust generator yet"
            ),
        )]);
    }
    let mut code = String::with_capacity(preamble.len() + texts.clone().map(str::len).sum::<usize>());
    code.push_str(preamble);
    if let Some(limit) = super::deep_nesting::recursion_limit_for(chain) {
        code.push_str(&super::deep_nesting::recursion_limit_line(chain, limit));
    }
    texts.for_each(|text| code.push_str(text));
    if rewritten > 0 {
        code.push_str(DOUBLE_OPTION);
    }
    Ok(code)
}

/// `items` parsed, through the passes and printed one by one, with how many fields became
/// `Option<Option<T>>` and the longest chain of types. Printed one by one, the items read as
/// printed together: prettyplease starts each top-level item on a line of its own.
///
/// A large list is shared between two threads when a core is free: each parses, passes and
/// prints its half, and they meet once, for the one pass that reads every item (which
/// fields to box, see `deep_nesting.rs`). The texts, counts and errors are those of one
/// thread doing it all.
fn format_items(
    module: &str,
    items: Vec<items::Item>,
    origin: Origin,
    layout: &Layout<'_>,
) -> Result<(Vec<String>, usize, usize), Vec<Diagnostic>> {
    let orders = super::layout::Orders::of(layout.types);
    let passes = Passes { module, origin, layout, orders: &orders };
    match halves(&items) {
        Some(at) => passes.in_halves(items, at),
        None => passes.whole(items),
    }
}

/// Fewer items than this are not worth a second thread.
const HALVES_FROM_ITEMS: usize = 64;

/// Where to cut `items` into two halves, when it is worth it and a core is free. typify
/// writes items in the order of their names, which has nothing to do with their sizes, so
/// halves by count are halves of the work.
fn halves(items: &[items::Item]) -> Option<usize> {
    (crate::parallel::free_cores() >= 2 && items.len() >= HALVES_FROM_ITEMS).then_some(items.len() / 2)
}

/// The passes over a list of items of one module.
struct Passes<'a> {
    module: &'a str,
    origin: Origin,
    layout: &'a Layout<'a>,
    orders: &'a super::layout::Orders<'a>,
}

/// A list's texts and how many of its fields became `Option<Option<T>>`.
type Texts = (Vec<String>, usize);

impl Passes<'_> {
    fn parse(&self, items: impl Iterator<Item = TokenStream>) -> Result<syn::File, Vec<Diagnostic>> {
        let items = items.map(syn::parse2::<Item>).collect::<Result<Vec<_>, _>>().map_err(|e| {
            vec![Diagnostic::new(self.module, format!("typify produced code that does not parse: {e}"))]
        })?;
        Ok(syn::File { shebang: None, frontmatter: None, attrs: Vec::new(), items })
    }

    /// The passes before the boxing of deep chains, which reads every item.
    fn before_nesting(&self, file: &mut syn::File) {
        super::layout::apply(file, self.orders, self.layout.types, self.layout.flattens);
        super::field_types::apply(file, self.layout.types);
        resolve_field_collisions(file);
    }

    /// The passes after the boxing, and the items printed.
    fn after_nesting(&self, mut file: syn::File) -> Result<Texts, Vec<Diagnostic>> {
        let rewritten = keep_absent_distinct(&mut file, self.origin)
            .map_err(|e| vec![Diagnostic::new(self.module, e)])?;
        let texts = file
            .items
            .into_iter()
            .map(|item| {
                prettyplease::unparse(&syn::File {
                    shebang: None,
                    frontmatter: None,
                    attrs: Vec::new(),
                    items: vec![item],
                })
            })
            .collect();
        Ok((texts, rewritten))
    }

    fn whole(&self, items: Vec<items::Item>) -> Result<(Vec<String>, usize, usize), Vec<Diagnostic>> {
        let mut file = self.parse(items.into_iter().map(|item| item.tokens.into_iter().collect()))?;
        self.before_nesting(&mut file);
        let nesting = super::deep_nesting::apply(&mut file);
        let (texts, rewritten) = self.after_nesting(file)?;
        Ok((texts, rewritten, nesting.chain))
    }

    /// [`Passes::whole`], the items from `at` on done by another thread.
    fn in_halves(
        &self,
        mut items: Vec<items::Item>,
        at: usize,
    ) -> Result<(Vec<String>, usize, usize), Vec<Diagnostic>> {
        use super::deep_nesting::{Boxing, Graph, box_fields, decide, graph};
        let mut theirs = Detached::default();
        for item in items.split_off(at) {
            theirs.push(item.tokens);
        }
        std::thread::scope(|scope| {
            let (graph_sender, their_graph) = mpsc::channel::<Result<Graph, Vec<Diagnostic>>>();
            let (boxing_sender, their_boxing) = mpsc::channel::<Boxing>();
            let other = scope.spawn(move || -> Option<Result<Texts, Vec<Diagnostic>>> {
                let mut file = match self.parse(theirs.attach()) {
                    Ok(file) => file,
                    Err(errors) => {
                        let _ = graph_sender.send(Err(errors));
                        return None;
                    }
                };
                self.before_nesting(&mut file);
                let _ = graph_sender.send(Ok(graph(&file.items)));
                let boxing = their_boxing.recv().ok()?;
                box_fields(&mut file.items, &boxing);
                Some(self.after_nesting(file))
            });
            let join = |other: std::thread::ScopedJoinHandle<'_, _>| {
                other.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            };
            // Errors come in the order one thread meets them: every parse error before any
            // later pass's, and this half's before the other's.
            let mut mine = match self.parse(items.into_iter().map(|item| item.tokens.into_iter().collect())) {
                Ok(file) => file,
                Err(errors) => {
                    drop(boxing_sender);
                    join(other);
                    return Err(errors);
                }
            };
            self.before_nesting(&mut mine);
            let my_graph = graph(&mine.items);
            let their_graph = match their_graph.recv() {
                Ok(Ok(their_graph)) => their_graph,
                Ok(Err(errors)) => {
                    join(other);
                    return Err(errors);
                }
                // The other thread panicked: its panic is this one's.
                Err(_) => {
                    drop(boxing_sender);
                    join(other);
                    unreachable!("a thread that sends nothing has panicked");
                }
            };
            let my_types = my_graph.len();
            let (mut boxing, chain) = decide(&[my_graph, their_graph]);
            let _ = boxing_sender.send(boxing.split_off(my_types));
            box_fields(&mut mine.items, &boxing);
            let mine = self.after_nesting(mine);
            let theirs = join(other);
            let ((mut texts, mine), (their_texts, theirs)) =
                (mine?, theirs.expect("the other half is done")?);
            texts.extend(their_texts);
            Ok((texts, mine + theirs, chain))
        })
    }
}

/// Serde glue for `Option<Option<T>>`: absent is `None`, `null` is `Some(None)`.
const DOUBLE_OPTION: &str = r#"
/// Keeps an absent field (`None`) apart from an explicit `null` (`Some(None)`).
mod double_option {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<T: Serialize, S: Serializer>(value: &Option<Option<T>>, serializer: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(inner) => inner.serialize(serializer),
            None => serializer.serialize_none(),
        }
    }

    pub fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Option<T>>, D::Error> {
        Option::<T>::deserialize(deserializer).map(Some)
    }
}
"#;

/// Rewrites typify's optional fields so a round-trip loses nothing:
/// - an optional array or map (typify: `Vec<T>` skipped when empty) becomes
///   `Option<Vec<T>>`, so `[]` and absent stay apart;
/// - an optional property that admits `null` (marked before typify ran) becomes
///   `Option<Option<T>>` through `double_option`, so `null` and absent stay apart.
///
/// Returns how many fields became `Option<Option<T>>`.
fn keep_absent_distinct(file: &mut syn::File, origin: Origin) -> Result<usize, String> {
    let mut double_options = 0;
    for item in &mut file.items {
        match item {
            Item::Struct(item) => double_options += rewrite_fields(&mut item.fields, origin)?,
            // Struct variants of a tagged enum have fields too.
            Item::Enum(item) => {
                for variant in &mut item.variants {
                    double_options += rewrite_fields(&mut variant.fields, origin)?;
                }
            }
            _ => {}
        }
    }
    syn::visit_mut::visit_file_mut(&mut StripMark, file);
    Ok(double_options)
}

fn rewrite_fields(fields: &mut Fields, origin: Origin) -> Result<usize, String> {
    let Fields::Named(fields) = fields else { return Ok(0) };
    let mut double_options = 0;
    for field in &mut fields.named {
        let marked =
            field.attrs.iter().any(|attr| doc_text(attr).is_some_and(|doc| doc.contains(NULLABLE_MARK)));
        if !marked && origin == Origin::Contract {
            continue; // Nothing below applies: spare parsing its attributes.
        }
        for attr in &mut field.attrs {
            if !attr.path().is_ident("serde") {
                continue;
            }
            let mut options = serde_options(attr)?;
            let empty_skip = options.iter_mut().find(|(key, value)| {
                key == "skip_serializing_if" && value.as_deref().is_some_and(|v| v.ends_with("::is_empty"))
            });
            // A contract's optional list is one serde skips when empty: typify's `Vec` skipped
            // when empty is exactly that. Someone else's JSON may write `[]` or nothing.
            if let (Some((_, value)), Origin::Inferred) = (empty_skip, origin) {
                *value = Some("::std::option::Option::is_none".to_owned());
            } else if marked && is_option(&field.ty) {
                if !options.iter().any(|(key, _)| key == "default") {
                    options.push(("default".to_owned(), None));
                }
                options.push(("with".to_owned(), Some("double_option".to_owned())));
                double_options += 1;
            } else {
                continue;
            }
            let ty = &field.ty;
            field.ty = syn::parse_quote!(::std::option::Option<#ty>);
            *attr = serde_attribute(&options);
        }
    }
    Ok(double_options)
}

/// Removes [`NULLABLE_MARK`] from every doc comment, including typify's JSON dumps.
struct StripMark;

impl syn::visit_mut::VisitMut for StripMark {
    fn visit_attribute_mut(&mut self, attr: &mut syn::Attribute) {
        if let Some(doc) = doc_text(attr).filter(|doc| doc.contains(NULLABLE_MARK)) {
            let cleaned = doc.replace(&format!("\n\n{NULLABLE_MARK}"), "").replace(NULLABLE_MARK, "");
            *attr = syn::parse_quote!(#[doc = #cleaned]);
        }
    }
}

fn doc_text(attr: &syn::Attribute) -> Option<String> {
    match &attr.meta {
        syn::Meta::NameValue(nv) if nv.path.is_ident("doc") => match &nv.value {
            syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(text), .. }) => Some(text.value()),
            _ => None,
        },
        _ => None,
    }
}

fn is_option(ty: &Type) -> bool {
    let Type::Path(path) = ty else { return false };
    let Some(last) = path.path.segments.last() else { return false };
    last.ident == "Option"
        && matches!(&last.arguments, PathArguments::AngleBracketed(args) if matches!(args.args.first(), Some(GenericArgument::Type(_))))
}

/// The `key` or `key = "value"` options of a `#[serde(...)]` attribute, in order.
fn serde_options(attr: &syn::Attribute) -> Result<Vec<(String, Option<String>)>, String> {
    let mut options = Vec::new();
    attr.parse_nested_meta(|meta| {
        let key = meta.path.get_ident().map(ToString::to_string).unwrap_or_default();
        let value = if meta.input.peek(syn::Token![=]) {
            Some(meta.value()?.parse::<syn::LitStr>()?.value())
        } else {
            None
        };
        options.push((key, value));
        Ok(())
    })
    .map_err(|e| format!("typify wrote a serde attribute this wrapper does not understand: {e}"))?;
    Ok(options)
}

fn serde_attribute(options: &[(String, Option<String>)]) -> syn::Attribute {
    let items = options.iter().map(|(key, value)| {
        let key = syn::Ident::new(key, proc_macro2::Span::call_site());
        match value {
            Some(value) => quote::quote!(#key = #value),
            None => quote::quote!(#key),
        }
    });
    syn::parse_quote!(#[serde(#(#items),*)])
}

/// Gives distinct identifiers to fields of one struct (or struct variant) that typify gave
/// the same name, keeping each field's JSON name with a `serde(rename)`. JSON names are often
/// fixed by someone else (a partner's `URL` beside `url`), in contracts as in samples, so
/// this is never an error. Checked on typify's output, so it is exact whatever typify's name
/// sanitising does (`!`, `_` and `` all become `x`).
fn resolve_field_collisions(file: &mut syn::File) {
    for item in &mut file.items {
        match item {
            Item::Struct(item) => resolve_in(&mut item.fields),
            Item::Enum(item) => item.variants.iter_mut().for_each(|variant| resolve_in(&mut variant.fields)),
            _ => {}
        }
    }
}

/// Of two fields with one identifier, the first declared keeps it and the other is numbered
/// with the first free suffix (`URL`, then `url` as `url_2`), as inference has always done:
/// names depend only on the struct's own fields, never on other types.
fn resolve_in(fields: &mut Fields) {
    let Fields::Named(fields) = fields else { return };
    let idents: Vec<String> =
        fields.named.iter().map(|f| f.ident.as_ref().map(ToString::to_string).unwrap_or_default()).collect();
    for (field, fresh) in fields.named.iter_mut().zip(numbered_duplicates(&idents)) {
        let Some(fresh) = fresh else { continue };
        let name = super::layout::json_name(field);
        set_json_name(field, &name);
        field.ident = Some(syn::Ident::new(&fresh, proc_macro2::Span::call_site()));
    }
}

/// For the identifiers of one struct's fields, in order: the new identifier of each field
/// whose identifier an earlier field has (`None` for the others), the first free numbered
/// suffix, never one another field has. The rule of [`resolve_in`], shared with the printer
/// of inferred types (`direct/shape.rs`), which must name fields exactly as it does.
pub(super) fn numbered_duplicates(idents: &[String]) -> Vec<Option<String>> {
    // Every identifier in the struct, so a new name never takes a later field's.
    let all: BTreeSet<&str> = idents.iter().map(String::as_str).collect();
    let mut taken: BTreeSet<String> = BTreeSet::new();
    idents
        .iter()
        .map(|ident| {
            if taken.insert(ident.clone()) {
                return None;
            }
            let base = ident.trim_start_matches("r#");
            let fresh = (2..)
                .map(|n| format!("{base}_{n}"))
                .find(|name| !taken.contains(name) && !all.contains(name.as_str()))
                .expect("some suffix is free");
            taken.insert(fresh.clone());
            Some(fresh)
        })
        .collect()
}

/// Makes sure the field keeps `name` on the wire after its identifier changes.
fn set_json_name(field: &mut syn::Field, name: &str) {
    for attr in field.attrs.iter_mut().filter(|a| a.path().is_ident("serde")) {
        if let Ok(mut options) = serde_options(attr) {
            if options.iter().any(|(key, _)| key == "rename") {
                return;
            }
            options.insert(0, ("rename".to_owned(), Some(name.to_owned())));
            *attr = serde_attribute(&options);
            return;
        }
    }
    field.attrs.push(syn::parse_quote!(#[serde(rename = #name)]));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A module of a chain of structs long enough to be boxed, with an `impl` among them.
    fn chain_items(length: usize, broken_at: Option<usize>) -> Vec<items::Item> {
        let mut text = String::from("pub struct S0 { pub leaf: i64 }\n");
        for n in 1..length {
            if Some(n) == broken_at {
                text.push_str("pub struct Broken { pub x: }\n");
            }
            text.push_str(&format!(
                "/// Level {n}.\npub struct S{n} {{ #[serde(default)] pub next: Option<S{}>, pub other: Vec<S0> }}\n",
                n - 1
            ));
            if n % 10 == 0 {
                text.push_str(&format!("impl S{n} {{ pub fn level(&self) -> usize {{ {n} }} }}\n"));
            }
        }
        items::split(text.parse().expect("tokens"))
    }

    #[test]
    fn two_threads_format_as_one_does() {
        let types = BTreeMap::new();
        let layout = Layout { types: &types, flattens: &[] };
        let orders = super::super::layout::Orders::of(&types);
        let passes = Passes { module: "m", origin: Origin::Inferred, layout: &layout, orders: &orders };
        let items = chain_items(3 * super::super::deep_nesting::MAX_CHAIN, None);
        let whole = passes.whole(items.clone()).expect("formatted");
        assert!(whole.0.concat().contains("::std::boxed::Box<S"), "the chain is boxed");
        assert_eq!(whole.2, 3 * super::super::deep_nesting::MAX_CHAIN);
        for at in [1, 7, items.len() / 2, items.len() - 1] {
            assert_eq!(passes.in_halves(items.clone(), at).expect("formatted"), whole, "cut at {at}");
        }
        // A parse error is the first one a single thread meets, in either half.
        for broken in [5, 150] {
            let items = chain_items(200, Some(broken));
            let whole = passes.whole(items.clone()).expect_err("broken");
            for at in [3, 100, 190] {
                let halves = passes.in_halves(items.clone(), at).expect_err("broken");
                assert_eq!(halves[0].to_string(), whole[0].to_string(), "broken at {broken}, cut at {at}");
            }
        }
    }
}
