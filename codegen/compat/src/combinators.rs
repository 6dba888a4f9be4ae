//! `oneOf`/`anyOf` (sum types: variants) and `allOf` (product types), matched branch by
//! branch.
//!
//! Branches are paired by the first identity both sides share: the `$ref` target's name,
//! the tag of an internally tagged variant (`{"type": {"enum": ["silo"]}}`), the single
//! property of an externally tagged variant, a one-value branch's value, the `title`; then
//! by equal structure, then by a type no other branch has, and finally a lone unmatched
//! branch on each side is taken to be the same branch, edited. Whatever is left was added
//! or removed. A plain schema facing a union stands in as a one-branch union, so turning
//! `string` into `string | integer` reads as one variant added.

use serde_json::Value;

use crate::content::Change;
use crate::error::{Error, Side};
use crate::findings::{Findings, Place};
use crate::same::{same_schema, same_schema_object};
use crate::view::View;
use crate::walk::Walker;
use crate::{Kind, pointer};

/// One branch of a union, or a whole node standing in for one.
struct Branch<'a> {
    view: View<'a>,
    /// Pointer of the branch as written (before `$ref`s); `None` for a stand-in.
    site: Option<String>,
    /// The branch as written, for structural matching.
    raw: Raw<'a>,
    /// Identities by strength: ref, tag, variant, value, title, type.
    keys: [Option<String>; 6],
}

/// A branch as written: a schema, or the object of a node standing in for a branch.
#[derive(Clone, Copy)]
enum Raw<'a> {
    Schema(&'a Value),
    Object(&'a serde_json::Map<String, Value>),
}

impl<'a> Raw<'a> {
    fn object(self) -> Option<&'a serde_json::Map<String, Value>> {
        match self {
            Raw::Schema(Value::Object(map)) | Raw::Object(map) => Some(map),
            Raw::Schema(_) => None,
        }
    }

    fn same(self, other: Raw<'_>) -> bool {
        match (self.object(), other.object(), self, other) {
            (Some(a), Some(b), ..) => same_schema_object(a, b),
            (_, _, Raw::Schema(a), Raw::Schema(b)) => same_schema(a, b),
            _ => false,
        }
    }
}

impl<'a> Branch<'a> {
    fn new(view: View<'a>, site: Option<String>, raw: Raw<'a>) -> Branch<'a> {
        let keys = identities(&view);
        Branch { view, site, raw, keys }
    }

    /// How reports name the branch: `variant type="silo"`, `Money`, `string`.
    fn label(&self) -> String {
        match &self.keys {
            [Some(reference), ..] => format!("`{reference}`"),
            [_, Some(tag), ..] => format!("variant {tag}"),
            [_, _, Some(variant), ..] => format!("variant `{variant}`"),
            [_, _, _, Some(value), ..] => format!("value {value}"),
            [_, _, _, _, Some(title), _] => format!("`{title}`"),
            _ => self.view.describe(),
        }
    }
}

fn identities(view: &View<'_>) -> [Option<String>; 6] {
    let reference = view.reference.as_deref().map(pointer::last_segment);
    let properties = view.map.get("properties").and_then(Value::as_object);
    let required: Vec<&str> = view
        .map
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let tag = properties.and_then(|properties| {
        let mut tags: Vec<String> = Vec::new();
        for name in &required {
            let Some(schema) = properties.get(*name) else { continue };
            let Ok(property) = View::new(view.side, view.doc, schema, String::new()) else { continue };
            if let Some([value]) = property.values.as_deref() {
                tags.push(format!("{name}={value}"));
            }
        }
        (!tags.is_empty()).then(|| tags.join(","))
    });
    let variant = match (properties, required.as_slice()) {
        (Some(properties), [only]) if properties.len() == 1 && properties.contains_key(*only) => {
            Some((*only).to_owned())
        }
        _ => None,
    };
    let value = match view.values.as_deref() {
        Some([value]) => Some(value.to_string()),
        _ => None,
    };
    let title = view.map.get("title").and_then(Value::as_str).map(str::to_owned);
    let ty = (!view.types.is_empty()).then(|| view.types.describe());
    [reference, tag, variant, value, title, ty]
}

/// Compares the unions and intersections of two nodes; returns whether the rest of the two
/// nodes (their bodies) still needs comparing.
pub(crate) fn compare<'a>(w: &mut Walker<'a>, o: &View<'a>, n: &View<'a>, at: &Place) -> Result<bool, Error> {
    let mut bodies = true;
    match (&o.sum, &n.sum) {
        (None, None) => {}
        (Some(a), Some(b)) => {
            if a.keyword != b.keyword {
                combined_type_changed(&mut w.findings, a.keyword, b.keyword, at);
            }
            let olds = branches(Side::Old, w.old_doc, &a.branches)?;
            let news = branches(Side::New, w.new_doc, &b.branches)?;
            match_and_compare(w, olds, news, b.keyword, at)?;
        }
        (Some(a), None) if !o.has_body() && n.has_body() => {
            bodies = false;
            let olds = branches(Side::Old, w.old_doc, &a.branches)?;
            match_and_compare(w, olds, vec![stand_in(n)], a.keyword, at)?;
        }
        (None, Some(b)) if !n.has_body() && o.has_body() => {
            bodies = false;
            let news = branches(Side::New, w.new_doc, &b.branches)?;
            match_and_compare(w, vec![stand_in(o)], news, b.keyword, at)?;
        }
        (Some(a), None) => union_dropped_or_added(&mut w.findings, a.keyword, true, at),
        (None, Some(b)) => union_dropped_or_added(&mut w.findings, b.keyword, false, at),
    }
    let empty = Vec::new();
    match (&o.all_of, &n.all_of) {
        (None, None) => {}
        (Some(a), None) if bodies && o.sum.is_none() && !o.has_body() && n.has_body() => {
            bodies = false;
            let olds = branches(Side::Old, w.old_doc, a)?;
            match_and_compare(w, olds, vec![stand_in(n)], "allOf", at)?;
        }
        (None, Some(b)) if bodies && n.sum.is_none() && !n.has_body() && o.has_body() => {
            bodies = false;
            let news = branches(Side::New, w.new_doc, b)?;
            match_and_compare(w, vec![stand_in(o)], news, "allOf", at)?;
        }
        (a, b) => {
            let olds = branches(Side::Old, w.old_doc, a.as_ref().unwrap_or(&empty))?;
            let news = branches(Side::New, w.new_doc, b.as_ref().unwrap_or(&empty))?;
            match_and_compare(w, olds, news, "allOf", at)?;
        }
    }
    Ok(bodies)
}

/// The branches of one list, each written once: a branch equal to an earlier one (up to
/// annotations) adds nothing to `anyOf` or `allOf`, so it is dropped before matching, as
/// Confluent's checker collapses duplicates too. (Under `oneOf` a value matching both copies
/// is strictly invalid; no generated consumer relies on that, so the copies count as one.)
fn branches<'a>(side: Side, doc: &'a Value, list: &[(String, &'a Value)]) -> Result<Vec<Branch<'a>>, Error> {
    let mut out: Vec<Branch<'a>> = Vec::with_capacity(list.len());
    for (ptr, raw) in list {
        if out.iter().any(|earlier| earlier.raw.same(Raw::Schema(raw))) {
            continue;
        }
        out.push(Branch::new(View::new(side, doc, raw, ptr.clone())?, Some(ptr.clone()), Raw::Schema(raw)));
    }
    Ok(out)
}

fn stand_in<'a>(view: &View<'a>) -> Branch<'a> {
    let mut copy = view.clone();
    copy.sum = None;
    copy.all_of = None;
    Branch::new(copy, None, Raw::Object(view.map))
}

/// Pairs branches (see the module documentation), compares pairs and reports the rest.
fn match_and_compare<'a>(
    w: &mut Walker<'a>,
    olds: Vec<Branch<'a>>,
    news: Vec<Branch<'a>>,
    keyword: &str,
    at: &Place,
) -> Result<(), Error> {
    let mut old_of_new: Vec<Option<usize>> = vec![None; news.len()];
    let mut taken = vec![false; olds.len()];
    let strong = 0..5;
    for class in strong {
        pair_by(&olds, &news, &mut old_of_new, &mut taken, |a, b| {
            a.keys[class].is_some() && a.keys[class] == b.keys[class]
        });
    }
    pair_by(&olds, &news, &mut old_of_new, &mut taken, |a, b| a.raw.same(b.raw));
    pair_by(&olds, &news, &mut old_of_new, &mut taken, |a, b| a.keys[5].is_some() && a.keys[5] == b.keys[5]);
    let lone_old: Vec<usize> = (0..olds.len()).filter(|i| !taken[*i]).collect();
    let lone_new: Vec<usize> = (0..news.len()).filter(|j| old_of_new[*j].is_none()).collect();
    if let ([i], [j]) = (lone_old.as_slice(), lone_new.as_slice()) {
        old_of_new[*j] = Some(*i);
        taken[*i] = true;
    }
    for (j, new) in news.iter().enumerate() {
        let site = at.at(new.site.clone().unwrap_or_else(|| at.path.clone()));
        match old_of_new[j] {
            Some(i) => {
                let stand_in = olds[i].site.is_none() || new.site.is_none();
                w.compare_views(&olds[i].view, &new.view, &site, !stand_in)?;
            }
            None => branch_changed(&mut w.findings, Change::Added, keyword, new, &site, at),
        }
    }
    // A removed branch is named where the new union would have it; when the new side has no
    // union (a plain schema standing in), where the old schema had it.
    let new_is_union = news.iter().any(|n| n.site.is_some());
    for old in olds.iter().enumerate().filter(|(i, _)| !taken[*i]).map(|(_, old)| old) {
        let path = match old.site.as_deref() {
            Some(site) if new_is_union => {
                pointer::push(&pointer::push(&at.path, keyword), &pointer::last_segment(site))
            }
            Some(site) => site.to_owned(),
            None => at.path.clone(),
        };
        branch_changed(&mut w.findings, Change::Removed, keyword, old, &at.at(path), at);
    }
    Ok(())
}

/// Pairs every unpaired old branch with the one unpaired new branch `same` accepts, when
/// exactly one on each side does.
fn pair_by(
    olds: &[Branch<'_>],
    news: &[Branch<'_>],
    old_of_new: &mut [Option<usize>],
    taken: &mut [bool],
    same: impl Fn(&Branch<'_>, &Branch<'_>) -> bool,
) {
    for i in 0..olds.len() {
        if taken[i] {
            continue;
        }
        let candidates: Vec<usize> =
            (0..news.len()).filter(|&j| old_of_new[j].is_none() && same(&olds[i], &news[j])).collect();
        let [j] = candidates.as_slice() else { continue };
        let rivals = (0..olds.len()).filter(|&k| !taken[k] && same(&olds[k], &news[*j])).count();
        if rivals == 1 {
            old_of_new[*j] = Some(i);
            taken[i] = true;
        }
    }
}

/// Reports a branch only one side's union (or intersection) has.
fn branch_changed(
    f: &mut Findings,
    change: Change,
    keyword: &str,
    branch: &Branch<'_>,
    site: &Place,
    at: &Place,
) {
    let (field, label) = (at.field(), branch.label());
    let (kind, reason) = match (change, keyword == "allOf") {
        (Change::Added, true) => (
            Kind::ProductTypeExtended,
            format!(
                "{field} must now also match {label} (allOf): new consumers reject old events that do not"
            ),
        ),
        (Change::Removed, true) => (
            Kind::ProductTypeNarrowed,
            format!(
                "{field} no longer has to match {label} (allOf): old consumers reject new events that do not"
            ),
        ),
        (Change::Added, false) => (
            Kind::SumTypeExtended,
            format!(
                "new variant {label} of {field}: old consumers do not know it (generated Rust enums and TypeScript \
                 unions are closed over the old variants) and reject or mishandle events that use it"
            ),
        ),
        (Change::Removed, false) => (
            Kind::SumTypeNarrowed,
            format!("variant {label} of {field} was removed: new consumers reject old events that use it"),
        ),
    };
    let (old, new) = change.texts(label);
    f.report(kind, site, old, new, reason);
}

/// A union constraint removed from (or added to) a node that keeps other constraints.
fn union_dropped_or_added(f: &mut Findings, keyword: &str, dropped: bool, at: &Place) {
    let field = at.field();
    let path = at.at(pointer::push(&at.path, keyword));
    if dropped {
        let reason = format!(
            "`{keyword}` was removed from {field}: new events may match none of its branches, which old consumers reject"
        );
        f.report(Kind::ConstraintRemoved, &path, Some(keyword.to_owned()), None, reason);
    } else {
        let reason = format!(
            "`{keyword}` was added to {field}: new consumers reject old events that match none of its branches"
        );
        f.report(Kind::ConstraintAdded, &path, None, Some(keyword.to_owned()), reason);
    }
}

fn combined_type_changed(f: &mut Findings, old: &str, new: &str, at: &Place) {
    let field = at.field();
    let widened = new == "anyOf";
    let reason = if widened {
        format!(
            "{field} changed from oneOf to anyOf: a value matching several branches is now valid, and old \
             consumers reject it"
        )
    } else {
        format!(
            "{field} changed from anyOf to oneOf: a value matching several branches is no longer valid, and new \
             consumers reject old events carrying one"
        )
    };
    f.report_judged(
        Kind::CombinedTypeChanged,
        at,
        Some(old.to_owned()),
        Some(new.to_owned()),
        reason,
        widened,
        !widened,
    );
}
