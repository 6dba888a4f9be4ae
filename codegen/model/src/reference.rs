//! Where a local `$ref` leads. Two kinds of document hold the targets: a whole schema
//! (`#/definitions/Money` is a pointer into it) and a map of named definitions (the
//! emitter's namespace, where `#/definitions/Money` is the entry `Money`).

use std::collections::BTreeMap;
use std::fmt;

use serde_json::Value;

use crate::pointer;

/// The longest `$ref` chain [`follow`] walks before calling it a loop.
const MAX_CHAIN: usize = 64;

/// Why a `$ref` leads nowhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefError {
    /// `$ref` holds something other than a string.
    NotAString,
    /// The reference names another document; only local references (`#...`) are read.
    External(String),
    /// The reference is local but nothing is there.
    Unresolved(String),
    /// The chain of references comes back to where it was (the pointers, in order).
    Cycle(Vec<String>),
}

impl fmt::Display for RefError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RefError::NotAString => f.write_str("`$ref` is not a string"),
            RefError::External(reference) => {
                write!(
                    f,
                    "`$ref: {reference:?}` points into another document; only local references are read"
                )
            }
            RefError::Unresolved(reference) => write!(f, "`$ref: {reference:?}` points to nothing"),
            RefError::Cycle(chain) => write!(f, "`$ref`s loop: {}", chain.join(" -> ")),
        }
    }
}

impl std::error::Error for RefError {}

/// A document that local references point into.
pub trait Resolve {
    /// The schema `reference` (the text of a `$ref`) leads to, with its pointer.
    fn resolve(&self, reference: &str) -> Result<(&Value, String), RefError>;

    /// [`Resolve::resolve`] for the value of a `$ref` keyword, which may not be a string.
    fn resolve_value(&self, reference: &Value) -> Result<(&Value, String), RefError> {
        self.resolve(reference.as_str().ok_or(RefError::NotAString)?)
    }
}

/// A whole schema document: the reference's fragment is a pointer into it.
impl Resolve for Value {
    fn resolve(&self, reference: &str) -> Result<(&Value, String), RefError> {
        let target =
            pointer::of_reference(reference).ok_or_else(|| RefError::External(reference.to_owned()))?;
        if target.is_empty() {
            return Ok((self, target));
        }
        self.pointer(&target)
            .map(|value| (value, target))
            .ok_or_else(|| RefError::Unresolved(reference.to_owned()))
    }
}

/// Named definitions, as an emitter holds them: `#/definitions/<name>` is the entry `name`.
impl Resolve for BTreeMap<String, Value> {
    fn resolve(&self, reference: &str) -> Result<(&Value, String), RefError> {
        let target =
            pointer::of_reference(reference).ok_or_else(|| RefError::External(reference.to_owned()))?;
        let name = target.strip_prefix("/definitions/").filter(|name| !name.contains('/'));
        let name = name.map(pointer::unescape).ok_or_else(|| RefError::Unresolved(reference.to_owned()))?;
        self.get(name.as_ref())
            .map(|value| (value, target.clone()))
            .ok_or_else(|| RefError::Unresolved(reference.to_owned()))
    }
}

/// Follows `schema`'s `$ref` chain to the first schema that is not a reference; returns it
/// with the pointer of the last target (`None` when `schema` is not a reference).
pub fn follow<'a, R: Resolve + ?Sized>(
    schema: &'a Value,
    refs: &'a R,
) -> Result<(&'a Value, Option<String>), RefError> {
    let mut schema = schema;
    let mut chain: Vec<String> = Vec::new();
    while let Some(reference) = schema.get("$ref") {
        let (next, target) = refs.resolve_value(reference)?;
        let looped = chain.contains(&target);
        chain.push(target);
        if looped || chain.len() > MAX_CHAIN {
            return Err(RefError::Cycle(chain));
        }
        schema = next;
    }
    Ok((schema, chain.pop()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn local_references_resolve_in_a_document() {
        let root = json!({"definitions": {"Money": {"type": "object"}, "a b": {"type": "string"}}});
        assert_eq!(root.resolve("#/definitions/Money").unwrap().1, "/definitions/Money");
        assert_eq!(root.resolve("#/definitions/a%20b").unwrap().0, &json!({"type": "string"}));
        assert_eq!(root.resolve("#").unwrap().1, "");
        assert_eq!(
            root.resolve("#/definitions/Nope"),
            Err(RefError::Unresolved("#/definitions/Nope".into()))
        );
        assert_eq!(root.resolve("other.json#/x"), Err(RefError::External("other.json#/x".into())));
        assert_eq!(root.resolve_value(&json!(1)), Err(RefError::NotAString));
    }

    #[test]
    fn named_definitions_resolve_by_name() {
        let types = BTreeMap::from([("Money".to_owned(), json!({"type": "object"}))]);
        assert_eq!(types.resolve("#/definitions/Money").unwrap().0, &json!({"type": "object"}));
        assert!(types.resolve("#/definitions/Money/properties/x").is_err());
        assert!(types.resolve("#/definitions/Gone").is_err());
    }

    #[test]
    fn chains_are_followed_and_loops_named() {
        let root = json!({"definitions": {"A": {"$ref": "#/definitions/B"}, "B": {"type": "string"},
                                          "X": {"$ref": "#/definitions/Y"}, "Y": {"$ref": "#/definitions/X"}}});
        let (reached, last) = follow(&root["definitions"]["A"], &root).unwrap();
        assert_eq!((reached, last.as_deref()), (&json!({"type": "string"}), Some("/definitions/B")));
        assert_eq!(follow(&root["definitions"]["B"], &root).unwrap().1, None);
        let error = follow(&root["definitions"]["X"], &root).unwrap_err();
        assert_eq!(error.to_string(), "`$ref`s loop: /definitions/Y -> /definitions/X -> /definitions/Y");
    }
}
