//! The hints file: explicit, per-place decisions that override inference's evidence rules.
//!
//! Some facts no number of samples proves: that an object with three identifier-like keys is
//! really a map, that a status string with two values seen is an enum, that a string that
//! always looked like a date is really free text. As jtd-infer does, the user states them by
//! JSON Pointer. The file is one JSON object:
//!
//! ```json
//! {
//!   "/pairs": "map",
//!   "/items/-/status": "enum",
//!   "/note": "string",
//!   "/payload": "any",
//!   "/items/-": {"name": "LineItem"}
//! }
//! ```
//!
//! Keys are JSON Pointers (RFC 6901, `~0` for `~`, `~1` for `/`) into the samples, `""` for the
//! root, with `-` standing for every element of an array and every value of a map. Values:
//!
//! - `"map"`: the object there is a map (`additionalProperties`), its values merged;
//! - `"enum"`: the strings there are an enum of every value seen (at most 1000);
//! - `"string"`: the strings there are plain strings, no `format`, no enum;
//! - `"any"`: the value there accepts anything (`{}`), and is not inspected;
//! - `{"name": "TypeName"}`: the object or enum there is a definition named `TypeName`.
//!
//! A pointer that matches no value in any sample is an error naming it, and so is a hint the
//! samples contradict (e.g. `"string"` where a number was seen), so a stale hints file is
//! noticed rather than silently ignored.

use std::collections::HashMap;

use serde_json::Value;

use crate::InferError;

/// What a hint says about one place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Hint {
    /// The object is a map.
    Map,
    /// The strings are an enum.
    Enum,
    /// The strings are plain strings.
    String,
    /// Anything goes.
    Any,
    /// The definition's name.
    Name(String),
}

impl Hint {
    /// How the hint is spelled in the hints file, for messages.
    pub fn spelling(&self) -> String {
        match self {
            Hint::Map => "\"map\"".into(),
            Hint::Enum => "\"enum\"".into(),
            Hint::String => "\"string\"".into(),
            Hint::Any => "\"any\"".into(),
            Hint::Name(name) => format!("{{\"name\": \"{name}\"}}"),
        }
    }
}

/// A parsed hints file: a tree of pointer segments, so inference can follow it while it
/// walks the samples. Node 0 is the root (`""`).
#[derive(Debug, Clone)]
pub struct Hints {
    origin: String,
    nodes: Vec<Node>,
}

#[derive(Debug, Clone, Default)]
struct Node {
    children: HashMap<String, usize>,
    hint: Option<Hint>,
    /// The pointer as written in the file, for messages.
    pointer: String,
}

impl Default for Hints {
    fn default() -> Self {
        Hints { origin: String::new(), nodes: vec![Node::default()] }
    }
}

/// The segment standing for every array element and every map value.
pub const WILDCARD: &str = "-";

impl Hints {
    /// Parses a hints file; `origin` (its path) names it in errors.
    pub fn parse(text: &str, origin: &str) -> Result<Hints, InferError> {
        let error = |message: String| InferError::Hints { origin: origin.to_owned(), message };
        let value: Value = serde_json::from_str(text).map_err(|e| error(format!("invalid JSON: {e}")))?;
        let Value::Object(entries) = value else {
            return Err(error("expected a JSON object mapping JSON Pointers to hints".into()));
        };
        let mut hints = Hints { origin: origin.to_owned(), ..Hints::default() };
        for (pointer, hint) in entries {
            let hint = parse_hint(&hint).map_err(|m| error(format!("{pointer}: {m}")))?;
            let segments = split_pointer(&pointer).map_err(|m| error(format!("{pointer:?}: {m}")))?;
            let node = hints.insert(&segments);
            hints.nodes[node].hint = Some(hint);
            hints.nodes[node].pointer = pointer;
        }
        Ok(hints)
    }

    /// Where the hints came from.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// Whether there are no hints at all.
    pub fn is_empty(&self) -> bool {
        self.nodes.iter().all(|n| n.hint.is_none())
    }

    fn insert(&mut self, segments: &[String]) -> usize {
        let mut node = 0;
        for segment in segments {
            node = match self.nodes[node].children.get(segment) {
                Some(&child) => child,
                None => {
                    self.nodes.push(Node::default());
                    let child = self.nodes.len() - 1;
                    self.nodes[node].children.insert(segment.clone(), child);
                    child
                }
            };
        }
        node
    }

    /// The root node.
    pub(super) fn root(&self) -> Option<usize> {
        (!self.is_empty()).then_some(0)
    }

    /// The node for `segment` below `node`, if any hint lies there or deeper.
    pub(super) fn child(&self, node: Option<usize>, segment: &str) -> Option<usize> {
        self.nodes[node?].children.get(segment).copied()
    }

    /// The hint at `node`, if one is written for exactly that place.
    pub(super) fn hint(&self, node: Option<usize>) -> Option<&Hint> {
        self.nodes[node?].hint.as_ref()
    }

    /// The pointer of a node carrying a hint.
    pub(super) fn pointer(&self, node: usize) -> &str {
        &self.nodes[node].pointer
    }

    /// Number of nodes, for tracking which were reached.
    pub(super) fn len(&self) -> usize {
        self.nodes.len()
    }

    /// The pointers of hints whose node was never reached, in file order (sorted).
    pub(super) fn unreached(&self, reached: &[bool]) -> Vec<String> {
        let mut pointers: Vec<String> = (0..self.nodes.len())
            .filter(|&i| self.nodes[i].hint.is_some() && !reached.get(i).copied().unwrap_or(false))
            .map(|i| self.nodes[i].pointer.clone())
            .collect();
        pointers.sort();
        pointers
    }
}

fn parse_hint(value: &Value) -> Result<Hint, String> {
    match value {
        Value::String(s) => match s.as_str() {
            "map" => Ok(Hint::Map),
            "enum" => Ok(Hint::Enum),
            "string" => Ok(Hint::String),
            "any" => Ok(Hint::Any),
            other => Err(format!(
                "unknown hint {other:?}; expected \"map\", \"enum\", \"string\", \"any\" or {{\"name\": \"TypeName\"}}"
            )),
        },
        Value::Object(map) if map.len() == 1 => match map.get("name") {
            Some(Value::String(name)) if is_type_name(name) => Ok(Hint::Name(name.clone())),
            Some(Value::String(name)) => {
                Err(format!("{name:?} is not a type name (an ASCII letter, then letters, digits or _)"))
            }
            _ => Err("expected {\"name\": \"TypeName\"}".into()),
        },
        _ => Err("expected \"map\", \"enum\", \"string\", \"any\" or {\"name\": \"TypeName\"}".into()),
    }
}

/// An ASCII identifier starting with a letter: a name every emitter can use as is.
pub fn is_type_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The unescaped segments of an RFC 6901 pointer.
fn split_pointer(pointer: &str) -> Result<Vec<String>, String> {
    if pointer.is_empty() {
        return Ok(Vec::new());
    }
    let Some(rest) = pointer.strip_prefix('/') else {
        return Err("a JSON Pointer is empty or starts with '/'".into());
    };
    rest.split('/')
        .map(|segment| {
            let mut out = String::with_capacity(segment.len());
            let mut chars = segment.chars();
            while let Some(c) = chars.next() {
                match (c, c == '~') {
                    (_, false) => out.push(c),
                    (_, true) => match chars.next() {
                        Some('0') => out.push('~'),
                        Some('1') => out.push('/'),
                        _ => return Err("'~' must be followed by 0 or 1".to_owned()),
                    },
                }
            }
            Ok(out)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_hint_kind_parses_and_pointers_are_unescaped() {
        let hints = Hints::parse(
            r#"{"": {"name": "Root"}, "/a~1b/-": "map", "/c~0": "enum", "/d": "string", "/e": "any"}"#,
            "hints.json",
        )
        .unwrap();
        let a = hints.child(hints.root(), "a/b");
        assert_eq!(hints.hint(hints.child(a, "-")), Some(&Hint::Map));
        assert_eq!(hints.hint(hints.child(hints.root(), "c~")), Some(&Hint::Enum));
        assert_eq!(hints.hint(hints.child(hints.root(), "d")), Some(&Hint::String));
        assert_eq!(hints.hint(hints.child(hints.root(), "e")), Some(&Hint::Any));
        assert_eq!(hints.hint(hints.root()), Some(&Hint::Name("Root".into())));
        assert_eq!(hints.hint(a), None);
    }

    #[test]
    fn bad_hints_files_are_errors_naming_the_file_and_pointer() {
        for (text, needle) in [
            ("[1]", "expected a JSON object"),
            ("{\"/a\": \"maps\"}", "/a: unknown hint \"maps\""),
            ("{\"a\": \"map\"}", "starts with '/'"),
            ("{\"/a~2\": \"map\"}", "'~' must be followed"),
            ("{\"/a\": {\"name\": \"1x\"}}", "not a type name"),
            ("{\"/a\": 3}", "expected \"map\""),
            ("{", "invalid JSON"),
        ] {
            let error = Hints::parse(text, "h.json").unwrap_err().to_string();
            assert!(error.contains("h.json") && error.contains(needle), "{text}: {error}");
        }
    }

    #[test]
    fn no_hints_means_no_root_to_follow() {
        assert_eq!(Hints::default().root(), None);
        assert!(Hints::default().is_empty());
    }
}
