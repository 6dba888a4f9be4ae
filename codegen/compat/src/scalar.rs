//! Keywords on strings and numbers (`pattern`, `multipleOf`, and their bounds through
//! [`crate::bounds`] and formats through [`crate::format`]), plus the keywords the gate compares
//! only for equality (`not`, `if`, `contains`, ...).

use serde_json::{Map, Value};

use crate::bounds::{LENGTH_ENFORCER, NUMBER_ENFORCER, compare_bound};
use crate::findings::{Findings, Place, short_json};
use crate::same::same_schema;
use crate::view::View;
use crate::{Kind, format};

/// Compares `minLength`, `maxLength`, `pattern` and `format`.
pub(crate) fn compare_string(f: &mut Findings, o: &View<'_>, n: &View<'_>, at: &Place) {
    use Kind::*;
    let kinds = [MinLengthAdded, MinLengthRemoved, MinLengthIncreased, MinLengthDecreased];
    compare_bound(f, o.map, n.map, "minLength", kinds, at, LENGTH_ENFORCER);
    let kinds = [MaxLengthAdded, MaxLengthRemoved, MaxLengthIncreased, MaxLengthDecreased];
    compare_bound(f, o.map, n.map, "maxLength", kinds, at, LENGTH_ENFORCER);
    compare_pattern(f, o.map, n.map, at);
    format::compare_string_format(f, o, n, at);
}

/// Compares `minimum`, `maximum`, their exclusive forms, `multipleOf` and integer formats.
pub(crate) fn compare_number(f: &mut Findings, o: &View<'_>, n: &View<'_>, at: &Place) {
    use Kind::*;
    let kinds = [MinimumAdded, MinimumRemoved, MinimumIncreased, MinimumDecreased];
    compare_bound(f, o.map, n.map, "minimum", kinds, at, NUMBER_ENFORCER);
    let kinds = [MaximumAdded, MaximumRemoved, MaximumIncreased, MaximumDecreased];
    compare_bound(f, o.map, n.map, "maximum", kinds, at, NUMBER_ENFORCER);
    let kinds = [
        ExclusiveMinimumAdded,
        ExclusiveMinimumRemoved,
        ExclusiveMinimumIncreased,
        ExclusiveMinimumDecreased,
    ];
    compare_bound(f, o.map, n.map, "exclusiveMinimum", kinds, at, NUMBER_ENFORCER);
    let kinds = [
        ExclusiveMaximumAdded,
        ExclusiveMaximumRemoved,
        ExclusiveMaximumIncreased,
        ExclusiveMaximumDecreased,
    ];
    compare_bound(f, o.map, n.map, "exclusiveMaximum", kinds, at, NUMBER_ENFORCER);
    compare_multiple_of(f, o.map, n.map, at);
    format::compare_number_format(f, o, n, at);
}

fn compare_pattern(f: &mut Findings, old: &Map<String, Value>, new: &Map<String, Value>, at: &Place) {
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
    f.report(kind, at, a, b, reason);
}

fn compare_multiple_of(f: &mut Findings, old: &Map<String, Value>, new: &Map<String, Value>, at: &Place) {
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
    f.report(kind, at, a.map(|a| format!("multipleOf {a}")), b.map(|b| format!("multipleOf {b}")), reason);
}

/// Keywords compared only for equality: a change is breaking in the direction it tightens,
/// and in both when it changes. `not` is here only for being added or removed: two `not`s
/// are compared in `negation`.
const EQUALITY_ONLY: [&str; 6] = ["not", "if", "then", "else", "contains", "propertyNames"];

/// Compares the keywords the gate does not analyse in depth.
pub(crate) fn compare_constraints(f: &mut Findings, o: &View<'_>, n: &View<'_>, at: &Place) {
    for keyword in EQUALITY_ONLY {
        let (a, b) = (o.map.get(keyword), n.map.get(keyword));
        let field = at.field();
        let (kind, reason) = match (a, b) {
            (None, None) => continue,
            (Some(a), Some(b)) if same_schema(a, b) || keyword == "not" => continue,
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
        f.report(kind, &at.at(crate::pointer::push(&at.path, keyword)), text(a), text(b), reason);
    }
}
