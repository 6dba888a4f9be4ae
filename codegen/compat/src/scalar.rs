//! Keywords on strings and numbers (bounds, `pattern`, `format`, `multipleOf`), plus the
//! keywords the gate compares only for equality (`not`, `if`, `contains`, ...).

use serde_json::{Map, Value};

use crate::view::View;
use crate::walk::{Place, Walker, same_schema};
use crate::{Direction, Kind};

/// A numeric keyword's four kinds: added, removed, increased, decreased.
pub(crate) type BoundKinds = [Kind; 4];

/// What enforces a bound, for messages.
pub(crate) const LENGTH_ENFORCER: &str = "generated Rust newtypes check lengths when deserialising";
const NUMBER_ENFORCER: &str =
    "schema validation rejects it, and generated Rust picks its integer type from the bounds";
/// What enforces item and property counts, for messages.
pub(crate) const COUNT_ENFORCER: &str = "schema validation rejects it";

/// Compares `minLength`, `maxLength`, `pattern` and `format`.
pub(crate) fn compare_string<'a>(w: &mut Walker<'a>, o: &View<'a>, n: &View<'a>, at: &Place) {
    use Kind::*;
    let kinds = [MinLengthAdded, MinLengthRemoved, MinLengthIncreased, MinLengthDecreased];
    compare_bound(w, o.map, n.map, "minLength", kinds, at, LENGTH_ENFORCER);
    let kinds = [MaxLengthAdded, MaxLengthRemoved, MaxLengthIncreased, MaxLengthDecreased];
    compare_bound(w, o.map, n.map, "maxLength", kinds, at, LENGTH_ENFORCER);
    compare_pattern(w, o.map, n.map, at);
    crate::format::compare_string_format(w, o, n, at);
}

/// Compares `minimum`, `maximum`, their exclusive forms, `multipleOf` and integer formats.
pub(crate) fn compare_number<'a>(w: &mut Walker<'a>, o: &View<'a>, n: &View<'a>, at: &Place) {
    use Kind::*;
    let kinds = [MinimumAdded, MinimumRemoved, MinimumIncreased, MinimumDecreased];
    compare_bound(w, o.map, n.map, "minimum", kinds, at, NUMBER_ENFORCER);
    let kinds = [MaximumAdded, MaximumRemoved, MaximumIncreased, MaximumDecreased];
    compare_bound(w, o.map, n.map, "maximum", kinds, at, NUMBER_ENFORCER);
    let kinds = [
        ExclusiveMinimumAdded,
        ExclusiveMinimumRemoved,
        ExclusiveMinimumIncreased,
        ExclusiveMinimumDecreased,
    ];
    compare_bound(w, o.map, n.map, "exclusiveMinimum", kinds, at, NUMBER_ENFORCER);
    let kinds = [
        ExclusiveMaximumAdded,
        ExclusiveMaximumRemoved,
        ExclusiveMaximumIncreased,
        ExclusiveMaximumDecreased,
    ];
    compare_bound(w, o.map, n.map, "exclusiveMaximum", kinds, at, NUMBER_ENFORCER);
    compare_multiple_of(w, o.map, n.map, at);
    crate::format::compare_number_format(w, o, n, at);
}

/// Compares one numeric bound keyword. Whether a change tightens or loosens comes from the
/// kind's rule: a kind that breaks backward tightens.
pub(crate) fn compare_bound(
    w: &mut Walker<'_>,
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
    let reason = if kind.rule(Direction::Backward) == crate::Rule::Breaks {
        format!("{change}: new consumers reject old values outside the new bound ({enforcer})")
    } else {
        format!("{change}: old consumers reject new values outside the old bound ({enforcer})")
    };
    w.report(
        kind,
        at,
        old_text.map(|t| format!("{keyword} {t}")),
        new_text.map(|t| format!("{keyword} {t}")),
        reason,
    );
}

fn compare_pattern(w: &mut Walker<'_>, old: &Map<String, Value>, new: &Map<String, Value>, at: &Place) {
    let pattern = |map: &Map<String, Value>| map.get("pattern").and_then(Value::as_str).map(str::to_owned);
    let (a, b) = (pattern(old), pattern(new));
    let field = at.field();
    let enforcer = "generated Rust newtypes check the pattern with regress when deserialising";
    let (kind, reason) = match (&a, &b) {
        (None, None) => return,
        (Some(a), Some(b)) if a == b => return,
        (None, Some(b)) => (
            Kind::PatternAdded,
            format!("{field} must now match `{b}`: new consumers reject old values that do not ({enforcer})"),
        ),
        (Some(a), None) => (
            Kind::PatternRemoved,
            format!(
                "{field} no longer has to match `{a}`: old consumers reject new values that do not ({enforcer})"
            ),
        ),
        (Some(a), Some(b)) => (
            Kind::PatternChanged,
            format!(
                "the pattern of {field} changed from `{a}` to `{b}`; the gate cannot prove either contains the \
                 other, so values valid under one may be rejected by consumers of the other ({enforcer})"
            ),
        ),
    };
    w.report(kind, at, a, b, reason);
}

fn compare_multiple_of(w: &mut Walker<'_>, old: &Map<String, Value>, new: &Map<String, Value>, at: &Place) {
    let number =
        |map: &Map<String, Value>| map.get("multipleOf").and_then(Value::as_f64).filter(|f| *f > 0.0);
    let divides = |small: f64, big: f64| {
        let ratio = big / small;
        (ratio - ratio.round()).abs() < 1e-9
    };
    let field = at.field();
    let (a, b) = (number(old), number(new));
    let (kind, reason) = match (a, b) {
        (None, None) => return,
        (Some(a), Some(b)) if a == b => return,
        (None, Some(b)) => (
            Kind::MultipleOfAdded,
            format!("{field} must now be a multiple of {b}: new consumers reject old values that are not"),
        ),
        (Some(a), None) => (
            Kind::MultipleOfRemoved,
            format!(
                "{field} no longer has to be a multiple of {a}: old consumers reject new values that are not"
            ),
        ),
        (Some(a), Some(b)) if divides(a, b) => (
            Kind::MultipleOfExpanded,
            format!(
                "{field} must now be a multiple of {b}, not just {a}: new consumers reject old values that are not"
            ),
        ),
        (Some(a), Some(b)) if divides(b, a) => (
            Kind::MultipleOfReduced,
            format!(
                "{field} may now be any multiple of {b}, not only of {a}: old consumers reject new values that are not multiples of {a}"
            ),
        ),
        (Some(a), Some(b)) => (
            Kind::MultipleOfChanged,
            format!(
                "{field} changed from multiples of {a} to multiples of {b}: each side's consumers reject values of the other"
            ),
        ),
    };
    w.report(kind, at, a.map(|a| format!("multipleOf {a}")), b.map(|b| format!("multipleOf {b}")), reason);
}

/// Keywords compared only for equality: a change is breaking in the direction it tightens,
/// and in both when it changes.
const EQUALITY_ONLY: [&str; 7] = ["not", "if", "then", "else", "contains", "propertyNames", "dependencies"];

/// Compares the keywords the gate does not analyse in depth.
pub(crate) fn compare_constraints<'a>(w: &mut Walker<'a>, o: &View<'a>, n: &View<'a>, at: &Place) {
    for keyword in EQUALITY_ONLY {
        let (a, b) = (o.map.get(keyword), n.map.get(keyword));
        let field = at.field();
        let (kind, reason) = match (a, b) {
            (None, None) => continue,
            (Some(a), Some(b)) if same_schema(a, b) => continue,
            (None, Some(_)) => (
                Kind::ConstraintAdded,
                format!(
                    "`{keyword}` was added to {field}: new consumers apply a constraint old events may not meet"
                ),
            ),
            (Some(_), None) => (
                Kind::ConstraintRemoved,
                format!(
                    "`{keyword}` was removed from {field}: new events may break a constraint old consumers apply"
                ),
            ),
            (Some(_), Some(_)) => (
                Kind::ConstraintChanged,
                format!(
                    "`{keyword}` of {field} changed; the gate compares it only for equality, so it counts as \
                     breaking both ways"
                ),
            ),
        };
        let text = |v: Option<&Value>| v.map(|v| short_json(v, 60));
        w.report(kind, &at.at(crate::pointer::push(&at.path, keyword)), text(a), text(b), reason);
    }
}

/// JSON text cut to about `limit` characters.
pub(crate) fn short_json(value: &Value, limit: usize) -> String {
    let text = value.to_string();
    if text.chars().count() <= limit {
        text
    } else {
        let cut: String = text.chars().take(limit).collect();
        format!("{cut}…")
    }
}
