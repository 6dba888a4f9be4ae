//! The corpus check's Rust, compiled once per distinct item group instead of once per module.
//!
//! The modules of one corpus repeat each other: every GitHub webhook carries the same `User`
//! and `Repository`, and each sample is in a module of its own, its folder's module and its
//! corpus's. Compiled whole, the corpus is 124k lines of serde derives, most of them the
//! same items again, and rustc's type and borrow checks of those dominate the check's time.
//!
//! So each module is split into **groups**: a type with its `impl`s (or a `mod`, a `fn`).
//! Groups that name each other are one unit (a strongly connected component). A unit's
//! identity is its tokens with the type names it defines and names replaced by their places
//! (its own member `i`, position `p` of the unit it imports), so units equal up to their type
//! names are one (see [`split`] for when names are kept instead). Each distinct unit is
//! written once, in a file of its own, as the same items made `pub`, importing the units it
//! names; a module imports each unit's types under its own names (`use ... as`). rustc so
//! checks the very items of every module, renamed: what compiles, and what each sample
//! round-trips through, is unchanged. An error in a unit fails every module that has it.
//!
//! A module this cannot prove safe to split (a `use`, a macro, a path through `super` or
//! `crate`, an `impl` of no local type) is compiled whole, as before.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Mutex;

use proc_macro2::{TokenStream, TokenTree};
use quote::ToTokens as _;

use super::cache::Key;

/// One distinct unit of items, written once as `src/u/<hash>.rs`.
pub struct Unit {
    /// Its items made `pub` (a sibling unit imports them), as the module that ranks first
    /// among those holding it wrote them.
    body: String,
    /// The names its members define, in order: what other units and the harness import.
    pub names: Vec<String>,
    /// The units its items name: each local name, and the unit and position it stands for.
    imports: BTreeMap<String, (String, usize)>,
    /// The rank of the module it was taken from (the lowest wins, so every run writes the
    /// same text whatever order the threads meet the modules in).
    rank: usize,
    /// Its text, once [`render`] has run: imports, then the items made `pub`.
    pub text: String,
    pub lines: usize,
}

/// A module split into units: where each of its types lives.
pub struct Split {
    /// Every unit of the module (closed under what they name), by hash.
    pub units: BTreeSet<String>,
    /// The unit of each type name the module defines, and the type's position in it.
    pub home: BTreeMap<String, (String, usize)>,
}

impl Split {
    /// The path of the module's type `name` from the crate root: `u<hash>::<name there>`.
    pub fn path_of(&self, name: &str, units: &BTreeMap<String, Unit>) -> String {
        let (hash, position) = &self.home[name];
        format!("u{hash}::{}", units[hash].names[*position])
    }
}

/// Splits a module's code into units, adding the new ones to `all` (shared by the threads
/// splitting other modules). `rank` orders the modules: when two hold the same unit, the
/// lower rank's text is kept. `None` when the module holds something a split could change
/// the meaning of; it is then compiled whole.
///
/// Two units are the same when their items are the same up to the names of the types they
/// define and name (a `Sender` in one webhook and a `PullRequestUser` in another, field for
/// field the same, are one unit): the module imports the unit's type under its own name, and
/// rustc checks the very same items. Only names that stand for types are renamed; a unit
/// whose type names also appear as a field, a variant, a generic, a path segment after `::`
/// or `.`, or a word of a string literal is shared by its exact text only.
pub fn split(code: &str, rank: usize, all: &Mutex<BTreeMap<String, Unit>>) -> Option<Split> {
    let file = syn::parse_file(code).ok()?;
    let mut owners: Vec<String> = Vec::new();
    let mut groups: BTreeMap<String, Vec<syn::Item>> = BTreeMap::new();
    let defined: BTreeSet<String> = file.items.iter().filter_map(defines).collect();
    for item in file.items {
        let owner = owner(&item, &defined)?;
        if !groups.contains_key(&owner) {
            owners.push(owner.clone());
        }
        groups.entry(owner).or_default().push(item);
    }
    let mut tokens: HashMap<&str, TokenStream> = HashMap::new();
    let mut names: HashMap<&str, BTreeSet<String>> = HashMap::new();
    for (owner, items) in &groups {
        let stream: TokenStream = items.iter().map(|item| item.to_token_stream()).collect();
        let mut words = BTreeSet::new();
        if !words_of(stream.clone(), &mut words) {
            return None;
        }
        words.retain(|word| word != owner && groups.contains_key(word));
        tokens.insert(owner, stream);
        names.insert(owner, words);
    }
    let components = strongly_connected(&owners, &names);
    let mut home: BTreeMap<String, (String, usize)> = BTreeMap::new();
    // Components come out of Tarjan's algorithm with every component's dependencies first.
    for component in &components {
        let members: BTreeSet<&str> = component.iter().map(String::as_str).collect();
        let mut imports: BTreeMap<String, (String, usize)> = BTreeMap::new();
        for member in component {
            for name in &names[member.as_str()] {
                if !members.contains(name.as_str()) {
                    imports.insert(name.clone(), home[name].clone());
                }
            }
        }
        let items: Vec<syn::Item> = component.iter().flat_map(|member| groups[member].clone()).collect();
        let hash = identity(component, &imports, &items, &tokens);
        // Rendered outside the lock: the threads splitting other modules go on meanwhile.
        let wanted = |all: &BTreeMap<String, Unit>| all.get(&hash).is_none_or(|kept| rank < kept.rank);
        if wanted(&all.lock().unwrap_or_else(|e| e.into_inner())) {
            let unit = Unit {
                body: body_of(items),
                names: component.clone(),
                imports,
                rank,
                text: String::new(),
                lines: 0,
            };
            let mut all = all.lock().unwrap_or_else(|e| e.into_inner());
            if wanted(&all) {
                all.insert(hash.clone(), unit);
            }
        }
        for (position, member) in component.iter().enumerate() {
            home.insert(member.clone(), (hash.clone(), position));
        }
    }
    Some(Split { units: home.values().map(|(hash, _)| hash.clone()).collect(), home })
}

/// A unit's identity: its items with the type names it defines and imports replaced by their
/// places (member `i`, position `p` of unit `h`) and doc comments left out, when
/// [`renamable`]; else its exact tokens, names and imports.
fn identity(
    component: &[String],
    imports: &BTreeMap<String, (String, usize)>,
    items: &[syn::Item],
    tokens: &HashMap<&str, TokenStream>,
) -> String {
    let mut places: HashMap<String, String> = HashMap::new();
    for (position, member) in component.iter().enumerate() {
        places.insert(member.clone(), format!("__member{position}"));
    }
    for (local, (hash, position)) in imports {
        places.insert(local.clone(), format!("__unit{hash}_{position}"));
    }
    let mut key = Key::new();
    let streams = component.iter().map(|member| &tokens[member.as_str()]);
    if renamable(items, streams, &places) {
        key.add(b"renamed");
        for member in component {
            key.add(canonical(tokens[member.as_str()].clone(), &places).as_bytes());
        }
    } else {
        key.add(b"exact");
        for member in component {
            key.add(member.as_bytes()).add(tokens[member.as_str()].to_string().as_bytes());
        }
        for (name, (hash, position)) in imports {
            key.add(name.as_bytes()).add(hash.as_bytes()).add(position.to_string().as_bytes());
        }
    }
    key.finish()[..16].to_owned()
}

/// Whether every occurrence of the names in `places` in `items` stands for a type, so
/// renaming them cannot change what the items mean: the items are structs, enums, type
/// aliases and `impl`s only, and none of the names is a field, a variant, a generic, an
/// `impl`'s item, a path segment after `::` or `.`, or a word of a string literal other than
/// a doc comment.
fn renamable<'t>(
    items: &[syn::Item],
    streams: impl Iterator<Item = &'t TokenStream>,
    places: &HashMap<String, String>,
) -> bool {
    let mut other_roles: Vec<String> = Vec::new();
    let generics = |generics: &syn::Generics, out: &mut Vec<String>| {
        for param in &generics.params {
            match param {
                syn::GenericParam::Type(param) => out.push(param.ident.to_string()),
                syn::GenericParam::Const(param) => out.push(param.ident.to_string()),
                syn::GenericParam::Lifetime(_) => {}
            }
        }
    };
    let fields = |fields: &syn::Fields, out: &mut Vec<String>| {
        out.extend(fields.iter().filter_map(|field| field.ident.as_ref().map(ToString::to_string)));
    };
    for item in items {
        match item {
            syn::Item::Struct(item) => {
                generics(&item.generics, &mut other_roles);
                fields(&item.fields, &mut other_roles);
            }
            syn::Item::Enum(item) => {
                generics(&item.generics, &mut other_roles);
                for variant in &item.variants {
                    other_roles.push(variant.ident.to_string());
                    fields(&variant.fields, &mut other_roles);
                }
            }
            syn::Item::Type(item) => generics(&item.generics, &mut other_roles),
            syn::Item::Impl(item) => {
                generics(&item.generics, &mut other_roles);
                for member in &item.items {
                    match member {
                        syn::ImplItem::Fn(member) => other_roles.push(member.sig.ident.to_string()),
                        syn::ImplItem::Const(member) => other_roles.push(member.ident.to_string()),
                        syn::ImplItem::Type(member) => other_roles.push(member.ident.to_string()),
                        _ => return false,
                    }
                }
            }
            _ => return false,
        }
    }
    // The items' tokens, as the split already holds them for each group.
    for stream in streams {
        if !only_type_positions(stream.clone(), places, &mut other_roles) {
            return false;
        }
    }
    !other_roles.iter().any(|name| places.contains_key(name.trim_start_matches("r#")))
}

/// Adds to `words` every word of the string literals in `tokens` that may name Rust items
/// (all but doc comments and serde's JSON names: `rename = "..."` and the like); `false` when
/// one of the names in `places` follows `::` or `.`.
fn only_type_positions(
    tokens: TokenStream,
    places: &HashMap<String, String>,
    words: &mut Vec<String>,
) -> bool {
    /// serde keys whose string is JSON data, never a Rust path.
    const DATA_KEYS: [&str; 7] =
        ["rename", "alias", "tag", "content", "rename_all", "expecting", "variant_identifier"];
    let (mut after_separator, mut previous_colon) = (false, false);
    let (mut key, mut after_equals) = (String::new(), false);
    let mut trees = tokens.into_iter().peekable();
    while let Some(tree) = trees.next() {
        let (mut separator, mut colon, mut equals) = (false, false, false);
        match tree {
            TokenTree::Punct(punct) if punct.as_char() == '#' && is_doc(trees.peek()) => {
                trees.next();
            }
            TokenTree::Punct(punct) => {
                colon = punct.as_char() == ':';
                separator = punct.as_char() == '.' || (colon && previous_colon);
                equals = punct.as_char() == '=';
            }
            TokenTree::Ident(ident) => {
                let word = ident.to_string();
                if after_separator && places.contains_key(word.trim_start_matches("r#")) {
                    return false;
                }
                key = word;
            }
            TokenTree::Group(group) => {
                if !only_type_positions(group.stream(), places, words) {
                    return false;
                }
            }
            TokenTree::Literal(literal) => {
                if !(after_equals && DATA_KEYS.contains(&key.as_str())) {
                    let text = literal.to_string();
                    words.extend(text.split(|c: char| !c.is_alphanumeric() && c != '_').map(str::to_owned));
                }
            }
        }
        (after_separator, previous_colon, after_equals) = (separator, colon, equals);
    }
    true
}

/// Whether a `#` is followed by `[doc = ...]`.
fn is_doc(next: Option<&TokenTree>) -> bool {
    let Some(TokenTree::Group(group)) = next else { return false };
    group.delimiter() == proc_macro2::Delimiter::Bracket
        && matches!(group.stream().into_iter().next(), Some(TokenTree::Ident(ident)) if ident == "doc")
}

/// `tokens` as text with every name in `places` replaced by its place and doc comments left
/// out.
fn canonical(tokens: TokenStream, places: &HashMap<String, String>) -> String {
    let mut out = String::new();
    let mut trees = tokens.into_iter().peekable();
    while let Some(tree) = trees.next() {
        match tree {
            TokenTree::Punct(punct) if punct.as_char() == '#' && is_doc(trees.peek()) => {
                trees.next();
            }
            TokenTree::Ident(ident) => {
                let word = ident.to_string();
                out.push_str(places.get(word.trim_start_matches("r#")).map_or(word.as_str(), String::as_str));
                out.push(' ');
            }
            TokenTree::Group(group) => {
                let (open, close) = match group.delimiter() {
                    proc_macro2::Delimiter::Parenthesis => ("(", ")"),
                    proc_macro2::Delimiter::Brace => ("{", "}"),
                    proc_macro2::Delimiter::Bracket => ("[", "]"),
                    proc_macro2::Delimiter::None => ("", ""),
                };
                out.push_str(open);
                out.push_str(&canonical(group.stream(), places));
                out.push_str(close);
                out.push(' ');
            }
            TokenTree::Punct(punct) => {
                out.push(punct.as_char());
                if punct.spacing() == proc_macro2::Spacing::Alone {
                    out.push(' ');
                }
            }
            TokenTree::Literal(literal) => {
                out.push_str(&literal.to_string());
                out.push(' ');
            }
        }
    }
    out
}

/// The items made `pub`, as text.
fn body_of(mut items: Vec<syn::Item>) -> String {
    for item in &mut items {
        if let Some(vis) = visibility(item)
            && matches!(vis, syn::Visibility::Inherited)
        {
            *vis = syn::parse_quote!(pub);
        }
    }
    prettyplease::unparse(&syn::File { shebang: None, frontmatter: None, attrs: Vec::new(), items })
}

/// Writes every unit's text: its imports (`use super::u<hash>::<name there> as <name
/// here>;`), then its items.
pub fn render(all: &mut BTreeMap<String, Unit>) {
    let texts: Vec<(String, String)> = all
        .iter()
        .map(|(hash, unit)| {
            let mut text = String::new();
            for (local, (other, position)) in &unit.imports {
                let there = &all[other].names[*position];
                if there == local {
                    text.push_str(&format!("use super::u{other}::{there};\n"));
                } else {
                    text.push_str(&format!("use super::u{other}::{there} as {local};\n"));
                }
            }
            text.push_str(&unit.body);
            (hash.clone(), text)
        })
        .collect();
    for (hash, text) in texts {
        let unit = all.get_mut(&hash).expect("rendered from the map");
        unit.lines = text.lines().count();
        unit.text = text;
    }
}

/// The name an item defines in the module's namespace, if it defines one.
fn defines(item: &syn::Item) -> Option<String> {
    let ident = match item {
        syn::Item::Struct(item) => &item.ident,
        syn::Item::Enum(item) => &item.ident,
        syn::Item::Type(item) => &item.ident,
        syn::Item::Mod(item) => &item.ident,
        syn::Item::Fn(item) => &item.sig.ident,
        syn::Item::Const(item) => &item.ident,
        syn::Item::Static(item) => &item.ident,
        _ => return None,
    };
    Some(ident.to_string())
}

/// The group an item belongs to: the name it defines, or for an `impl` the local type it is
/// for (else the first local type it names). `None` for an item a split cannot place.
fn owner(item: &syn::Item, defined: &BTreeSet<String>) -> Option<String> {
    if let Some(name) = defines(item) {
        return Some(name);
    }
    let syn::Item::Impl(implementation) = item else { return None };
    if let syn::Type::Path(path) = &*implementation.self_ty
        && path.qself.is_none()
        && let Some(ident) = path.path.get_ident()
        && defined.contains(&ident.to_string())
    {
        return Some(ident.to_string());
    }
    let mut words = BTreeSet::new();
    words_of(implementation.to_token_stream(), &mut words);
    words.into_iter().find(|word| defined.contains(word))
}

fn visibility(item: &mut syn::Item) -> Option<&mut syn::Visibility> {
    Some(match item {
        syn::Item::Struct(item) => &mut item.vis,
        syn::Item::Enum(item) => &mut item.vis,
        syn::Item::Type(item) => &mut item.vis,
        syn::Item::Mod(item) => &mut item.vis,
        syn::Item::Fn(item) => &mut item.vis,
        syn::Item::Const(item) => &mut item.vis,
        syn::Item::Static(item) => &mut item.vis,
        _ => return None,
    })
}

/// Every identifier-like word in `tokens`, string literals (serde's `with = "path"`)
/// included. `false` when a path leaves the module (`super::`, `crate::`, in code or in a
/// string serde reads as a path), which a split would change the meaning of.
fn words_of(tokens: TokenStream, words: &mut BTreeSet<String>) -> bool {
    for tree in tokens {
        match tree {
            TokenTree::Ident(ident) => {
                let word = ident.to_string();
                if word == "super" || word == "crate" {
                    return false;
                }
                words.insert(word.trim_start_matches("r#").to_owned());
            }
            TokenTree::Group(group) => {
                if !words_of(group.stream(), words) {
                    return false;
                }
            }
            TokenTree::Literal(literal) => {
                let text = literal.to_string();
                let content = text.trim_start_matches(['r', '#', '"']);
                if content.starts_with("super::") || content.starts_with("crate::") {
                    return false;
                }
                let mut word = String::new();
                for c in text.chars().chain([' ']) {
                    if c.is_alphanumeric() || c == '_' {
                        word.push(c);
                    } else if !word.is_empty() {
                        words.insert(std::mem::take(&mut word));
                    }
                }
            }
            TokenTree::Punct(_) => {}
        }
    }
    true
}

/// The strongly connected components of the groups (Tarjan's, iterative: a long chain of
/// types from deeply nested samples cannot overflow the stack), each component after every
/// component it names; members in the order of `nodes`.
fn strongly_connected(nodes: &[String], edges: &HashMap<&str, BTreeSet<String>>) -> Vec<Vec<String>> {
    let position: HashMap<&str, usize> = nodes.iter().enumerate().map(|(i, n)| (n.as_str(), i)).collect();
    let successors: Vec<Vec<usize>> =
        nodes.iter().map(|n| edges[n.as_str()].iter().map(|m| position[m.as_str()]).collect()).collect();
    let found = schema_emit::graph::components(&successors);
    let mut components: Vec<Vec<String>> = vec![Vec::new(); found.sizes.len()];
    for (node, &component) in found.of.iter().enumerate() {
        components[component].push(nodes[node].clone());
    }
    components
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split_all(modules: &[&str]) -> (Vec<Split>, BTreeMap<String, Unit>) {
        let all = Mutex::new(BTreeMap::new());
        let splits =
            modules.iter().enumerate().map(|(rank, code)| split(code, rank, &all).unwrap()).collect();
        let mut units = all.into_inner().unwrap();
        render(&mut units);
        (splits, units)
    }

    const DERIVE: &str = "#[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]";

    #[test]
    fn types_equal_up_to_their_names_are_one_unit_imported_under_each_modules_name() {
        let first = format!(
            "{DERIVE}\npub struct Sender {{ pub login: String }}\n{DERIVE}\npub struct Push {{ pub sender: Sender }}\n"
        );
        let second = format!(
            "///`User`\n{DERIVE}\npub struct User {{ pub login: String }}\n{DERIVE}\npub struct Star {{ pub sender: User }}\n"
        );
        let (splits, units) = split_all(&[&first, &second]);
        assert_eq!(units.len(), 2, "Sender/User and Push/Star: {:?}", units.keys().collect::<Vec<_>>());
        assert_eq!(splits[0].home["Sender"], splits[1].home["User"]);
        assert_eq!(splits[1].path_of("User", &units), splits[0].path_of("Sender", &units));
        assert!(splits[1].path_of("Star", &units).ends_with("::Push"), "the first module's names are kept");
        let push = &units[&splits[0].home["Push"].0].text;
        assert!(
            push.starts_with(&format!("use super::u{}::Sender;\n", splits[0].home["Sender"].0)),
            "{push}"
        );
    }

    #[test]
    fn a_type_name_that_is_also_a_variant_field_or_path_keeps_the_unit_exact() {
        let variant = |name: &str| {
            format!(
                "{DERIVE}\npub struct {name} {{ pub a: i64 }}\n{DERIVE}\npub enum Kind {{ {name}({name}), Other }}\n"
            )
        };
        let (splits, units) = split_all(&[&variant("Bar"), &variant("Baz")]);
        assert_eq!(splits[0].home["Bar"], splits[1].home["Baz"], "the structs alone are the same");
        assert_ne!(
            splits[0].home["Kind"], splits[1].home["Kind"],
            "`Bar(Bar)` and `Baz(Baz)` differ on the wire"
        );
        assert_eq!(units.len(), 3);

        let with = |name: &str| {
            format!(
                "{DERIVE}\npub struct {name} {{ pub a: i64 }}\n{DERIVE}\npub struct Holder {{ #[serde(with = \"{name}\")] pub x: {name} }}\n"
            )
        };
        let (splits, _) = split_all(&[&with("Bar"), &with("Baz")]);
        assert_ne!(splits[0].home["Holder"], splits[1].home["Holder"], "a path in a string is not renamed");

        let renamed = |name: &str| {
            format!(
                "{DERIVE}\npub struct {name} {{ pub a: i64 }}\n{DERIVE}\npub struct Holder {{ #[serde(rename = \"Details\")] pub x: {name} }}\n"
            )
        };
        let (splits, _) = split_all(&[&renamed("Details"), &renamed("Info")]);
        assert_eq!(splits[0].home["Holder"], splits[1].home["Holder"], "a JSON name in `rename` is data");
    }

    #[test]
    fn the_kept_text_is_the_first_ranked_modules_whatever_order_the_threads_meet_them() {
        let named = |name: &str| format!("{DERIVE}\npub struct {name} {{ pub login: String }}\n");
        let all = Mutex::new(BTreeMap::new());
        let late = split(&named("Late"), 1, &all).unwrap();
        let early = split(&named("Early"), 0, &all).unwrap();
        let mut units = all.into_inner().unwrap();
        render(&mut units);
        assert_eq!(late.path_of("Late", &units), early.path_of("Early", &units));
        assert!(early.path_of("Early", &units).ends_with("::Early"));
    }
}
