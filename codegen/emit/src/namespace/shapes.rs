//! One name per shape across the items of a namespace.
//!
//! Every root and every definition of every item is a node. Two nodes are the same type when
//! they want the same name and have the same body once each `$ref` is read as the type it
//! points at (not the name it uses there), so `Repository` in two webhooks is shared only if
//! its `Owner` is the same shape in both. Types are compared bottom-up (an iterative
//! depth-first walk, so a chain of thousands of definitions costs no stack); a definition on
//! a reference cycle (only hand-written contracts have them) is compared by its text, as it
//! is written.
//!
//! Names, in order:
//! 1. Fixed names: roots, and definitions of contracts, keep theirs. Two different types with
//!    one fixed name are an error naming both items (roots are never merged).
//! 2. An inferred name wanted by one shape only, and not fixed, is used as is.
//! 3. Several shapes wanting one inferred name: the one used by the most items keeps it;
//!    on a tie none does.
//! 4. Every other shape is prefixed with the root name of the first item using it
//!    (`CheckSuite` inside `CheckRun` becomes `CheckRunCheckSuite`), and numbered only if
//!    that is taken too (`CheckRunCheckSuite2`).
//!
//! So adding an item renames nothing it does not clash with: roots never change, a name
//! wanted by one shape keeps it, and a shared shape keeps its name unless the new item ties
//! or outnumbers it, or takes the name for a root.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::hash::{Hash as _, Hasher as _};

use schema_model::Holds;

use serde_json::Value;

/// A root or definition of one item.
pub(super) struct Node {
    /// Index of the item it belongs to.
    pub item: usize,
    /// The name it wants (PascalCase).
    pub wanted: String,
    /// Whether the name is fixed: a root, or a definition of a contract.
    pub fixed: bool,
    /// Its schema, with `$ref`s still as the item wrote them.
    pub body: Value,
    /// The nodes its `$ref`s point at (resolved by the caller), by the `$ref` text.
    pub refs: BTreeMap<String, usize>,
}

/// Two nodes wanting one fixed name with different shapes.
pub(super) struct Clash {
    /// The name.
    pub name: String,
    /// The two nodes.
    pub nodes: (usize, usize),
}

/// The final name of every node, or every fixed name two shapes claim.
pub(super) fn assign(nodes: &[Node], roots: &[String]) -> Result<Vec<String>, Vec<Clash>> {
    let classes = classify(nodes);
    let class_count = classes.iter().max().map_or(0, |c| c + 1);
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); class_count];
    for (node, &class) in classes.iter().enumerate() {
        members[class].push(node);
    }
    let mut names: Vec<Option<String>> = vec![None; class_count];
    let mut owner_of_fixed: HashMap<&str, usize> = HashMap::new();
    let mut clashes = Vec::new();
    for (class, nodes_of_class) in members.iter().enumerate() {
        let Some(&fixed) = nodes_of_class.iter().find(|&&n| nodes[n].fixed) else { continue };
        let name = nodes[fixed].wanted.as_str();
        match owner_of_fixed.get(name) {
            Some(&other) => clashes.push(Clash { name: name.to_owned(), nodes: (other, fixed) }),
            None => {
                owner_of_fixed.insert(name, fixed);
            }
        }
        names[class] = Some(name.to_owned());
    }
    if !clashes.is_empty() {
        return Err(clashes);
    }
    let mut taken: HashSet<String> = owner_of_fixed.keys().map(|n| (*n).to_owned()).collect();
    // The shapes wanting each free name, with how many items use each.
    let mut wanting: BTreeMap<&str, Vec<(usize, usize)>> = BTreeMap::new();
    for (class, nodes_of_class) in members.iter().enumerate() {
        if names[class].is_none() && !nodes_of_class.is_empty() {
            let items: BTreeSet<usize> = nodes_of_class.iter().map(|&n| nodes[n].item).collect();
            wanting.entry(&nodes[nodes_of_class[0]].wanted).or_default().push((class, items.len()));
        }
    }
    let mut prefixed = Vec::new();
    for (name, shapes) in &wanting {
        let most = shapes.iter().map(|(_, users)| *users).max().unwrap_or(0);
        let winners: Vec<usize> =
            shapes.iter().filter(|(_, users)| *users == most).map(|(c, _)| *c).collect();
        let winner = match winners[..] {
            [only] if !taken.contains(*name) => Some(only),
            _ => None,
        };
        if let Some(class) = winner {
            taken.insert((*name).to_owned());
            names[class] = Some((*name).to_owned());
        }
        prefixed.extend(shapes.iter().map(|(c, _)| *c).filter(|c| Some(*c) != winner));
    }
    // Prefixed names, in a stable order: by wanted name, then by the first item using it.
    let first_item = |class: usize| members[class].iter().map(|&n| nodes[n].item).min().unwrap_or(0);
    prefixed
        .sort_by_cached_key(|&class| (nodes[members[class][0]].wanted.as_str(), first_item(class), class));
    let mut next: HashMap<String, usize> = HashMap::new();
    for class in prefixed {
        let candidate = format!("{}{}", roots[first_item(class)], nodes[members[class][0]].wanted);
        let name = if taken.insert(candidate.clone()) {
            candidate
        } else {
            let n = next.entry(candidate.clone()).or_insert(2);
            loop {
                let numbered = format!("{candidate}{n}");
                *n += 1;
                if taken.insert(numbered.clone()) {
                    break numbered;
                }
            }
        };
        names[class] = Some(name);
    }
    Ok(classes.into_iter().map(|class| names[class].clone().unwrap_or_default()).collect())
}

/// A class per node: equal classes are the same type (see the module docs).
fn classify(nodes: &[Node]) -> Vec<usize> {
    const UNSEEN: u8 = 0;
    const OPEN: u8 = 1;
    const DONE: u8 = 2;
    let mut state = vec![UNSEEN; nodes.len()];
    let mut cyclic = vec![false; nodes.len()];
    let mut class = vec![usize::MAX; nodes.len()];
    // Per key hash, the first node of each class with that hash.
    let mut interned: HashMap<u64, Vec<usize>> = HashMap::new();
    let mut class_count = 0;
    let (mut tokens, mut other) = (Vec::new(), Vec::new());
    let targets: Vec<Vec<usize>> = nodes.iter().map(|n| n.refs.values().copied().collect()).collect();
    for start in 0..nodes.len() {
        if state[start] != UNSEEN {
            continue;
        }
        state[start] = OPEN;
        let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
        while let Some(top) = stack.last_mut() {
            let (node, next) = *top;
            if let Some(&target) = targets[node].get(next) {
                top.1 += 1;
                match state[target] {
                    UNSEEN => {
                        state[target] = OPEN;
                        stack.push((target, 0));
                    }
                    OPEN => {
                        // A cycle: every node on the stack from `target` up is on it.
                        let from = stack.iter().rposition(|(n, _)| *n == target).unwrap_or(0);
                        stack[from..].iter().for_each(|(n, _)| cyclic[*n] = true);
                    }
                    _ => {}
                }
                continue;
            }
            stack.pop();
            state[node] = DONE;
            key_of(nodes, node, &cyclic, &class, &mut tokens);
            let mut hasher = FxHasher::default();
            tokens.hash(&mut hasher);
            let same = interned.entry(hasher.finish()).or_default();
            let found = same.iter().copied().find(|&first| {
                key_of(nodes, first, &cyclic, &class, &mut other);
                other == tokens
            });
            class[node] = match found {
                Some(first) => class[first],
                None => {
                    same.push(node);
                    class_count += 1;
                    class_count - 1
                }
            };
        }
    }
    class
}

/// A fast, non-cryptographic hasher (rustc's Fx) for node keys: a collision only costs a
/// comparison of the two keys, which decides.
#[derive(Default)]
struct FxHasher(u64);

impl std::hash::Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            self.add(u64::from_le_bytes(chunk.try_into().expect("eight bytes")));
        }
        for &byte in chunks.remainder() {
            self.add(u64::from(byte));
        }
    }

    fn write_u64(&mut self, value: u64) {
        self.add(value);
    }

    fn write_usize(&mut self, value: usize) {
        self.add(value as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

/// One step of a node's key: what its type is compared by, in the order its JSON text would
/// say it. Equal keys are equal texts of the name it wants and its body without `title`
/// (removed as `serde_json` removes a key, by moving the last key into its place), with each
/// `$ref` to a node read as that node's class (unless the node is on a cycle: then as written).
#[derive(Debug, PartialEq, Eq, Hash)]
enum Token<'a> {
    Wanted(&'a str),
    /// The node is on a cycle: its `$ref`s are compared as written.
    AsWritten,
    Object(usize),
    Array(usize),
    Key(&'a str),
    String(&'a str),
    /// A number by its representation: `1`, `-1` and `1.0` are written differently.
    Number(Option<u64>, Option<i64>, Option<u64>),
    Bool(bool),
    Null,
    Class(usize),
}

/// The key of node `index` into `tokens` (cleared first); `class` holds the classes of the
/// nodes it refers to.
fn key_of<'a>(
    nodes: &'a [Node],
    index: usize,
    cyclic: &[bool],
    class: &[usize],
    tokens: &mut Vec<Token<'a>>,
) {
    tokens.clear();
    let node = &nodes[index];
    tokens.push(Token::Wanted(&node.wanted));
    let on_cycle = cyclic[index];
    if on_cycle {
        tokens.push(Token::AsWritten);
    }
    let resolve = |target: &str| if on_cycle { None } else { node.refs.get(target).map(|&t| class[t]) };
    let Value::Object(object) = &node.body else {
        return schema_tokens(&node.body, &resolve, tokens);
    };
    // Without `title`, removed as `serde_json` removes a key: the last entry takes its place.
    let entries: Vec<(&'a String, &'a Value)> = object.iter().collect();
    let mut order: Vec<usize> = (0..entries.len()).collect();
    if let Some(at) = entries.iter().position(|(key, _)| *key == "title") {
        order.swap_remove(at);
    }
    tokens.push(Token::Object(order.len()));
    for at in order {
        schema_entry(entries[at].0, entries[at].1, &resolve, tokens);
    }
}

/// The tokens of a subschema: its `$ref` resolved, its subschemas walked as schemas and the
/// rest as data (see [`schema_model::holds`]).
fn schema_tokens<'a>(
    schema: &'a Value,
    resolve: &dyn Fn(&str) -> Option<usize>,
    tokens: &mut Vec<Token<'a>>,
) {
    let Value::Object(object) = schema else { return data_tokens(schema, tokens) };
    tokens.push(Token::Object(object.len()));
    for (key, value) in object {
        schema_entry(key, value, resolve, tokens);
    }
}

fn schema_entry<'a>(
    key: &'a str,
    value: &'a Value,
    resolve: &dyn Fn(&str) -> Option<usize>,
    tokens: &mut Vec<Token<'a>>,
) {
    tokens.push(Token::Key(key));
    if let ("$ref", Value::String(target)) = (key, value)
        && let Some(class) = resolve(target)
    {
        return tokens.push(Token::Class(class));
    }
    match (schema_model::holds(key, value), value) {
        (Holds::One, _) => schema_tokens(value, resolve, tokens),
        (Holds::List, Value::Array(list)) => {
            tokens.push(Token::Array(list.len()));
            list.iter().for_each(|sub| schema_tokens(sub, resolve, tokens));
        }
        (Holds::Map, Value::Object(entries)) => {
            tokens.push(Token::Object(entries.len()));
            for (name, sub) in entries {
                tokens.push(Token::Key(name));
                if schema_model::is_schema(sub) {
                    schema_tokens(sub, resolve, tokens);
                } else {
                    data_tokens(sub, tokens);
                }
            }
        }
        _ => data_tokens(value, tokens),
    }
}

/// The tokens of JSON data, as it is.
fn data_tokens<'a>(value: &'a Value, tokens: &mut Vec<Token<'a>>) {
    match value {
        Value::Null => tokens.push(Token::Null),
        Value::Bool(flag) => tokens.push(Token::Bool(*flag)),
        Value::Number(number) => {
            tokens.push(Token::Number(number.as_u64(), number.as_i64(), number.as_f64().map(f64::to_bits)))
        }
        Value::String(text) => tokens.push(Token::String(text)),
        Value::Array(list) => {
            tokens.push(Token::Array(list.len()));
            list.iter().for_each(|item| data_tokens(item, tokens));
        }
        Value::Object(object) => {
            tokens.push(Token::Object(object.len()));
            for (key, item) in object {
                tokens.push(Token::Key(key));
                data_tokens(item, tokens);
            }
        }
    }
}

/// Replaces each `$ref` whose target `new` maps, in place (in subschemas only: `enum`,
/// `const` and `examples` data keep a `"$ref"` key of their own).
pub(super) fn replace_refs(schema: &mut Value, new: &dyn Fn(&str) -> Option<String>) {
    if let Some(Value::String(target)) = schema.get_mut("$ref")
        && let Some(replacement) = new(target)
    {
        *target = replacement;
    }
    schema_model::for_each_subschema_mut(schema, |sub| replace_refs(sub, new));
}

/// Every `$ref` target in `schema` and its subschemas, in order of appearance.
pub(super) fn ref_targets(schema: &Value, found: &mut Vec<String>) {
    for (key, value) in schema.as_object().into_iter().flatten() {
        if key == "$ref" {
            found.extend(value.as_str().map(str::to_owned));
        }
        schema_model::entry_subschemas(key, value, |_, sub| ref_targets(sub, found));
    }
}
