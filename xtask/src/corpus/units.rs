//! The corpus check's Rust, compiled once per distinct item group instead of once per module.
//!
//! The modules of one corpus repeat each other: every GitHub webhook carries the same `User`
//! and `Repository`, and each sample is in a module of its own, its folder's module and its
//! corpus's. Compiled whole, the corpus is 124k lines of serde derives, most of them the
//! same items again, and rustc's type and borrow checks of those dominate the check's time.
//!
//! So each module is split into **groups**: a type with its `impl`s (or a `mod`, a `fn`).
//! A group's identity is its tokens, its names, and the identities of the groups it names
//! (groups that name each other are one unit, a strongly connected component). Each distinct
//! unit is written once, in a file of its own, as the same items made `pub`, importing the
//! units it names under the very names it uses. rustc so resolves every name of a module's
//! items to the same definitions as in the whole module: what compiles, and what each sample
//! round-trips through, is unchanged. An error in a unit fails every module that has it.
//!
//! A module this cannot prove safe to split (a `use`, a macro, a path through `super` or
//! `crate`, an `impl` of no local type) is compiled whole, as before.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Mutex;

use proc_macro2::{TokenStream, TokenTree};
use quote::ToTokens as _;

use super::cache::Key;

/// One distinct unit of items, ready to write as `src/u/<hash>.rs`.
pub struct Unit {
    /// Imports of the units it names, then its items.
    pub text: String,
    pub lines: usize,
}

/// A module split into units: where each of its types lives.
pub struct Split {
    /// Every unit of the module (closed under what they name), by hash.
    pub units: BTreeSet<String>,
    /// The unit of each type name the module defines.
    pub home: BTreeMap<String, String>,
}

/// Splits a module's code into units, adding the new ones to `all` (shared by the threads
/// splitting other modules: a unit is written out by the first to meet it). `None` when the module
/// holds something a split could change the meaning of; it is then compiled whole.
pub fn split(code: &str, all: &Mutex<BTreeMap<String, Unit>>) -> Option<Split> {
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
    let mut tokens: HashMap<&str, String> = HashMap::new();
    let mut names: HashMap<&str, BTreeSet<String>> = HashMap::new();
    for (owner, items) in &groups {
        let stream: TokenStream = items.iter().map(|item| item.to_token_stream()).collect();
        let mut words = BTreeSet::new();
        if !words_of(stream.clone(), &mut words) {
            return None;
        }
        words.retain(|word| word != owner && groups.contains_key(word));
        tokens.insert(owner, stream.to_string());
        names.insert(owner, words);
    }
    let components = strongly_connected(&owners, &names);
    let mut home: BTreeMap<String, String> = BTreeMap::new();
    // Components come out of Tarjan's algorithm with every component's dependencies first.
    for component in &components {
        let members: BTreeSet<&str> = component.iter().map(String::as_str).collect();
        let mut imports: BTreeMap<String, String> = BTreeMap::new();
        for member in component {
            for name in &names[member.as_str()] {
                if !members.contains(name.as_str()) {
                    imports.insert(name.clone(), home[name].clone());
                }
            }
        }
        let mut key = Key::new();
        for member in &members {
            key.add(member.as_bytes()).add(tokens[member].as_bytes());
        }
        for (name, unit) in &imports {
            key.add(name.as_bytes()).add(unit.as_bytes());
        }
        let hash = key.finish()[..16].to_owned();
        let known = all.lock().unwrap_or_else(|e| e.into_inner()).contains_key(&hash);
        if !known {
            let items: Vec<syn::Item> = owners
                .iter()
                .filter(|o| members.contains(o.as_str()))
                .flat_map(|o| groups[o].clone())
                .collect();
            let unit = unit_of(items, &imports);
            all.lock().unwrap_or_else(|e| e.into_inner()).entry(hash.clone()).or_insert(unit);
        }
        for member in component {
            home.insert(member.clone(), hash.clone());
        }
    }
    Some(Split { units: home.values().cloned().collect(), home })
}

/// The text of a unit: its imports, then its items made `pub` (a sibling unit imports them).
fn unit_of(mut items: Vec<syn::Item>, imports: &BTreeMap<String, String>) -> Unit {
    for item in &mut items {
        if let Some(vis) = visibility(item)
            && matches!(vis, syn::Visibility::Inherited)
        {
            *vis = syn::parse_quote!(pub);
        }
    }
    let mut text = String::new();
    for (name, unit) in imports {
        text.push_str(&format!("use super::u{unit}::{name};\n"));
    }
    text.push_str(&prettyplease::unparse(&syn::File {
        shebang: None,
        frontmatter: None,
        attrs: Vec::new(),
        items,
    }));
    let lines = text.lines().count();
    Unit { text, lines }
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

/// Tarjan's strongly connected components of the groups, each component after every
/// component it names; members in the order of `nodes`. Iterative, so a long chain of types
/// (deeply nested samples) cannot overflow the stack.
fn strongly_connected(nodes: &[String], edges: &HashMap<&str, BTreeSet<String>>) -> Vec<Vec<String>> {
    let position: HashMap<&str, usize> = nodes.iter().enumerate().map(|(i, n)| (n.as_str(), i)).collect();
    let successors: Vec<Vec<usize>> =
        nodes.iter().map(|n| edges[n.as_str()].iter().map(|m| position[m.as_str()]).collect()).collect();
    let unvisited = usize::MAX;
    let (mut index, mut low) = (vec![unvisited; nodes.len()], vec![0; nodes.len()]);
    let (mut on_stack, mut stack, mut components) = (vec![false; nodes.len()], Vec::new(), Vec::new());
    let mut counter = 0;
    for start in 0..nodes.len() {
        if index[start] != unvisited {
            continue;
        }
        // Each frame: a node and how many of its successors it has looked at.
        let mut frames = vec![(start, 0)];
        index[start] = counter;
        low[start] = counter;
        counter += 1;
        stack.push(start);
        on_stack[start] = true;
        while let Some(&mut (node, ref mut next)) = frames.last_mut() {
            if let Some(&successor) = successors[node].get(*next) {
                *next += 1;
                if index[successor] == unvisited {
                    index[successor] = counter;
                    low[successor] = counter;
                    counter += 1;
                    stack.push(successor);
                    on_stack[successor] = true;
                    frames.push((successor, 0));
                } else if on_stack[successor] {
                    low[node] = low[node].min(index[successor]);
                }
                continue;
            }
            frames.pop();
            if let Some(&(parent, _)) = frames.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if low[node] == index[node] {
                let mut component = Vec::new();
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component.push(member);
                    if member == node {
                        break;
                    }
                }
                component.sort_unstable();
                components.push(component.into_iter().map(|m| nodes[m].clone()).collect());
            }
        }
    }
    components
}
