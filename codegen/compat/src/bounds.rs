//! Numeric bound keywords (`minLength`, `maximum`, `minItems`, `maxProperties`, ...): one
//! comparison for all of them, with each keyword's four kinds.

use serde_json::{Map, Value};

use crate::findings::{Findings, Place};
use crate::{Direction, Kind, Rule};

/// A numeric keyword's four kinds: added, removed, increased, decreased.
pub(crate) type BoundKinds = [Kind; 4];

/// What enforces a length bound, for messages.
pub(crate) const LENGTH_ENFORCER: &str = "generated Rust newtypes check lengths when deserialising";
/// What enforces a number bound, for messages.
pub(crate) const NUMBER_ENFORCER: &str =
    "schema validation rejects it, and generated Rust picks its integer type from the bounds";
/// What enforces item and property counts, for messages.
pub(crate) const COUNT_ENFORCER: &str = "schema validation rejects it";

/// Compares one numeric bound keyword. Whether a change tightens or loosens comes from the
/// kind's rule: a kind that breaks backward tightens.
pub(crate) fn compare_bound(
    f: &mut Findings,
    old: &Map<String, Value>,
    new: &Map<String, Value>,
    keyword: &str,
    [added, removed, increased, decreased]: BoundKinds,
    at: &Place,
    enforcer: &str,
) {
    fn number<'m>(map: &'m Map<String, Value>, keyword: &str) -> Option<(f64, &'m Value)> {
        map.get(keyword).and_then(|v| v.as_f64().map(|f| (f, v)))
    }
    let text = |v: &Value| Some(v.to_string());
    let (kind, old_text, new_text) = match (number(old, keyword), number(new, keyword)) {
        (None, None) => return,
        (None, Some((_, b))) => (added, None, text(b)),
        (Some((_, a)), None) => (removed, text(a), None),
        (Some((a, x)), Some((b, y))) if a < b => (increased, text(x), text(y)),
        (Some((a, x)), Some((b, y))) if a > b => (decreased, text(x), text(y)),
        _ => return,
    };
    let field = at.field();
    let change = match (&old_text, &new_text) {
        (None, Some(b)) => format!("`{keyword}: {b}` was added to {field}"),
        (Some(a), None) => format!("`{keyword}: {a}` was removed from {field}"),
        (Some(a), Some(b)) => format!("`{keyword}` of {field} went from {a} to {b}"),
        (None, None) => unreachable!("handled above"),
    };
    let reason = if kind.rule(Direction::Backward) == Rule::Breaks {
        format!("{change}: new consumers reject old values outside the new bound ({enforcer})")
    } else {
        format!("{change}: old consumers reject new values outside the old bound ({enforcer})")
    };
    f.report(
        kind,
        at,
        old_text.map(|t| format!("{keyword} {t}")),
        new_text.map(|t| format!("{keyword} {t}")),
        reason,
    );
}
