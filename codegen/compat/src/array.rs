//! Arrays: `items` (one schema for every item, or a tuple), `additionalItems`, item counts
//! and `uniqueItems`.
//!
//! A list (`items: S`) is the tuple `[]` whose further items match `S`, so lists, tuples
//! and changes between them share one comparison: positions pairwise, then the schemas of
//! the items past the tuple (the tuple's content model).

use serde_json::Value;

use crate::bounds::{COUNT_ENFORCER, compare_bound};
use crate::content::{CatchAll, Change, Items, Member};
use crate::error::Error;
use crate::findings::{Findings, Place, first_reason, short_json};
use crate::view::View;
use crate::walk::Walker;
use crate::{Kind, pointer};

/// Compares two array schemas.
pub(crate) fn compare<'a>(w: &mut Walker<'a>, o: &View<'a>, n: &View<'a>, at: &Place) -> Result<(), Error> {
    let (old, new) = (Items::of(o)?, Items::of(n)?);
    let every_item = pointer::push(&at.instance, "*");
    let neither = !o.map.contains_key("items") && !n.map.contains_key("items");
    if old.list && new.list {
        if neither {
            // Both allow any items: nothing to compare (and `true` has no end of `items`).
        } else {
            w.compare(old.rest.1, old.rest.0.clone(), new.rest.1, new.rest.0.clone(), &every_item)?;
        }
        if o.map.contains_key("additionalItems") || n.map.contains_key("additionalItems") {
            let (old, new) = (Items::declared_additional(o), Items::declared_additional(n));
            additional_items(w, &old, &new, &every_item, at, false)?;
        }
    } else {
        for index in 0..old.positions.len().max(new.positions.len()) {
            let instance = pointer::push(&at.instance, &index.to_string());
            match (old.positions.get(index), new.positions.get(index)) {
                (Some((op, os)), Some((np, ns))) => w.compare(os, op.clone(), ns, np.clone(), &instance)?,
                (None, Some((np, ns))) => {
                    let member =
                        w.member(Change::Added, (ns, np.clone()), false, old.rest_model(), &instance)?;
                    item_changed(&mut w.findings, index, member, new.keyword, at);
                }
                (Some((op, os)), None) => {
                    let member =
                        w.member(Change::Removed, (os, op.clone()), false, new.rest_model(), &instance)?;
                    item_changed(&mut w.findings, index, member, old.keyword, at);
                }
                (None, None) => unreachable!("index is below one of the lengths"),
            }
        }
        additional_items(w, &old, &new, &every_item, at, true)?;
    }
    use Kind::*;
    let kinds = [MinItemsAdded, MinItemsRemoved, MinItemsIncreased, MinItemsDecreased];
    compare_bound(&mut w.findings, o.map, n.map, "minItems", kinds, at, COUNT_ENFORCER);
    let kinds = [MaxItemsAdded, MaxItemsRemoved, MaxItemsIncreased, MaxItemsDecreased];
    compare_bound(&mut w.findings, o.map, n.map, "maxItems", kinds, at, COUNT_ENFORCER);
    unique_items(&mut w.findings, o, n, at);
    Ok(())
}

/// Reports tuple position `index`, added or removed as `member` says; `keyword` is how the
/// declaring schema spells its tuple (`items`, `prefixItems`).
fn item_changed(f: &mut Findings, index: usize, member: Member<'_>, keyword: &str, at: &Place) {
    use Change::*;
    let field = at.field();
    let shape = member.view.describe();
    let (kind, reason) = match (member.change, &member.catch_all) {
        (Added, CatchAll::Open) => (
            Kind::ItemAddedToOpenContentModel,
            format!(
                "{field} gained tuple position {index}: old arrays could hold anything there, and new consumers \
                 now require {shape}"
            ),
        ),
        (Removed, CatchAll::Open) => (
            Kind::ItemRemovedFromOpenContentModel,
            format!(
                "{field} lost tuple position {index}: new arrays may hold anything there, and old consumers still \
                 require {shape}"
            ),
        ),
        (Added, CatchAll::Closed) => (
            Kind::ItemAddedToClosedContentModel,
            format!(
                "{field} gained tuple position {index}: old consumers reject arrays longer than the old tuple"
            ),
        ),
        (Removed, CatchAll::Closed) => (
            Kind::ItemRemovedFromClosedContentModel,
            format!(
                "{field} lost tuple position {index}: new consumers reject old arrays that are that long"
            ),
        ),
        (Added, CatchAll::Schemas(_)) => (
            Kind::ItemAddedToPartiallyOpenContentModel,
            format!(
                "{field} gained tuple position {index}, which old consumers checked against additionalItems: {}",
                first_reason(&member.found).unwrap_or("its schema matches the old additionalItems")
            ),
        ),
        (Removed, CatchAll::Schemas(_)) => (
            Kind::ItemRemovedFromPartiallyOpenContentModel,
            format!(
                "{field} lost tuple position {index}, now checked against additionalItems: {}",
                first_reason(&member.found)
                    .unwrap_or("the new additionalItems accepts what the position allowed")
            ),
        ),
    };
    // Array lengths are data, not undeclared names: the policy does not apply.
    let (forward, backward) = member.verdict(kind, f.policy, true);
    let place = at.at(pointer::push(&pointer::push(&at.path, keyword), &index.to_string()));
    let (old, new) = member.change.texts(shape);
    f.report_judged(kind, &place, old, new, reason, forward, backward);
}

/// Compares what the two schemas say of items past their tuples. Without a tuple on either
/// side (`tuple` false) validators ignore `additionalItems`, but Confluent's checker compares
/// it all the same and a tuple added later would apply it, so the gate judges it as written
/// and the reason says so.
fn additional_items<'a>(
    w: &mut Walker<'a>,
    old: &Items<'a>,
    new: &Items<'a>,
    instance: &str,
    at: &Place,
    tuple: bool,
) -> Result<(), Error> {
    let field = at.field();
    let (kind, reason) = match (old.rest_model(), new.rest_model()) {
        (CatchAll::Open, CatchAll::Open) | (CatchAll::Closed, CatchAll::Closed) => return Ok(()),
        (CatchAll::Schemas(_), CatchAll::Schemas(_)) => {
            return w.compare(old.rest.1, old.rest.0.clone(), new.rest.1, new.rest.0.clone(), instance);
        }
        (CatchAll::Closed, _) => (
            Kind::AdditionalItemsAdded,
            format!("{field} may now be longer than its tuple: old consumers reject the extra items"),
        ),
        (_, CatchAll::Closed) => (
            Kind::AdditionalItemsRemoved,
            format!(
                "{field} may no longer be longer than its tuple: new consumers reject old arrays with extra items"
            ),
        ),
        (CatchAll::Schemas(_), CatchAll::Open) => (
            Kind::AdditionalItemsExtended,
            format!(
                "items of {field} past the tuple are no longer checked: old consumers reject new ones they did check"
            ),
        ),
        (CatchAll::Open, CatchAll::Schemas(_)) => (
            Kind::AdditionalItemsNarrowed,
            format!(
                "items of {field} past the tuple must now match a schema: new consumers reject old ones that do not"
            ),
        ),
    };
    let reason = if tuple {
        reason
    } else {
        format!(
            "{reason} (`items` is not a tuple on either side, so validators ignore `additionalItems` today; it is \
             judged as written, as Confluent's checker does, because a tuple added later would apply it)"
        )
    };
    let text = |v: &Value| Some(short_json(v, 50));
    w.findings.report(kind, &at.at(new.rest.0.clone()), text(old.rest.1), text(new.rest.1), reason);
    Ok(())
}

fn unique_items(f: &mut Findings, o: &View<'_>, n: &View<'_>, at: &Place) {
    let unique = |view: &View<'_>| view.map.get("uniqueItems") == Some(&Value::Bool(true));
    let (was, is) = (unique(o), unique(n));
    if was == is {
        return;
    }
    let field = at.field();
    let (kind, reason) = if is {
        (
            Kind::UniqueItemsAdded,
            format!("items of {field} must now be unique: new consumers reject old arrays with duplicates"),
        )
    } else {
        (
            Kind::UniqueItemsRemoved,
            format!("items of {field} may now repeat: old consumers reject new arrays with duplicates"),
        )
    };
    let text = |b: bool| Some(format!("uniqueItems {b}"));
    f.report(kind, at, text(was), text(is), reason);
}
