//! How a schema node is spelled, as opposed to what it means: `$ref`s, wrappers that only
//! add annotations, branches that only admit `null`. [`crate::view`] looks through all of
//! them.

use schema_model::{RefError, Resolve, is_null_only};
use serde_json::{Map, Value};

use crate::error::{Error, Side, describe};
use crate::pointer;

/// Keywords that describe a value without constraining it.
pub(crate) use schema_model::is_annotation;

/// Follows one `$ref`.
pub(crate) fn follow<'a>(
    side: Side,
    doc: &'a Value,
    target: &Value,
    at: &str,
) -> Result<(&'a Value, String), Error> {
    doc.resolve_value(target).map_err(|error| match error {
        RefError::NotAString => {
            Error::NotASchema { side, at: pointer::push(at, "$ref"), found: describe(target) }
        }
        RefError::External(reference) => Error::ExternalRef { side, at: at.to_owned(), reference },
        RefError::Unresolved(reference) => Error::UnresolvedRef { side, at: at.to_owned(), reference },
        RefError::Cycle(chain) => Error::RefCycle { side, at: at.to_owned(), chain: chain.join(" -> ") },
    })
}

/// A wrapper around one schema: `allOf`/`anyOf`/`oneOf` with a single non-null branch and
/// only annotations (or `nullable`) beside it. Returns the keyword, the branch's index, the
/// branch and whether null branches were dropped.
pub(crate) fn wrapped<'a>(
    doc: &'a Value,
    map: &'a Map<String, Value>,
) -> Option<(&'static str, usize, &'a Value, bool)> {
    let mut combinator = None;
    for key in map.keys() {
        match key.as_str() {
            "allOf" | "anyOf" | "oneOf" if combinator.is_none() => {
                combinator = Some(if key == "allOf" {
                    "allOf"
                } else if key == "anyOf" {
                    "anyOf"
                } else {
                    "oneOf"
                })
            }
            "nullable" => {}
            key if is_annotation(key) => {}
            _ => return None,
        }
    }
    let keyword = combinator?;
    let branches = map.get(keyword)?.as_array()?;
    if keyword == "allOf" {
        return (branches.len() == 1).then(|| (keyword, 0, &branches[0], false));
    }
    let mut kept = branches.iter().enumerate().filter(|(_, b)| !is_null_only(b, doc));
    let (index, branch) = kept.next()?;
    if kept.next().is_some() {
        return None;
    }
    Some((keyword, index, branch, branches.len() > 1))
}
