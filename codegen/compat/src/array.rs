//! Arrays: `items` (one schema for every item, or a tuple), `additionalItems`, item counts
//! and `uniqueItems`.
//!
//! A list (`items: S`) is the tuple `[]` whose further items match `S`, so lists, tuples
//! and changes between them share one comparison: positions pairwise, then the schemas of
//! the items past the tuple (the tuple's content model).

use serde_json::Value;

use crate::error::{Error, Side};
use crate::object::first_reason;
use crate::view::View;
use crate::walk::{Place, TRUE, Walker};
use crate::{Kind, pointer};

/// `items` of one array schema.
struct Items<'a> {
    /// Tuple positions (pointer, schema); empty for a list.
    positions: Vec<(String, &'a Value)>,
    /// The schema of items past the positions (pointer, schema).
    rest: (String, &'a Value),
    /// Whether `items` was a single schema.
    list: bool,
}

impl<'a> Items<'a> {
    fn of(view: &View<'a>) -> Items<'a> {
        let items_ptr = pointer::push(&view.ptr, "items");
        match view.map.get("items") {
            Some(Value::Array(tuple)) => Items {
                positions: tuple
                    .iter()
                    .enumerate()
                    .map(|(i, s)| (pointer::push(&items_ptr, &i.to_string()), s))
                    .collect(),
                rest: (
                    pointer::push(&view.ptr, "additionalItems"),
                    view.map.get("additionalItems").unwrap_or(&TRUE),
                ),
                list: false,
            },
            Some(schema) => Items { positions: Vec::new(), rest: (items_ptr, schema), list: true },
            None => Items { positions: Vec::new(), rest: (items_ptr, &TRUE), list: true },
        }
    }
}

/// The content model of the items past a tuple.
enum Rest {
    Open,
    Closed,
    Partial,
}

fn rest_model(schema: &Value) -> Rest {
    match schema {
        Value::Bool(true) => Rest::Open,
        Value::Bool(false) => Rest::Closed,
        Value::Object(map) if map.keys().all(|k| crate::view::is_annotation(k)) => Rest::Open,
        _ => Rest::Partial,
    }
}

/// Compares two array schemas.
pub(crate) fn compare<'a>(w: &mut Walker<'a>, o: &View<'a>, n: &View<'a>, at: &Place) -> Result<(), Error> {
    let (old, new) = (Items::of(o), Items::of(n));
    let every_item = pointer::push(&at.instance, "*");
    let neither = !o.map.contains_key("items") && !n.map.contains_key("items");
    if old.list && new.list {
        if neither {
            // Both allow any items: nothing to compare (and `true` has no end of `items`).
        } else {
            w.compare(old.rest.1, old.rest.0.clone(), new.rest.1, new.rest.0.clone(), &every_item)?;
        }
    } else {
        for index in 0..old.positions.len().max(new.positions.len()) {
            let instance = pointer::push(&at.instance, &index.to_string());
            match (old.positions.get(index), new.positions.get(index)) {
                (Some((op, os)), Some((np, ns))) => w.compare(os, op.clone(), ns, np.clone(), &instance)?,
                (None, Some((np, ns))) => item_added(w, index, (ns, np.clone()), &old.rest, &instance, at)?,
                (Some((op, os)), None) => item_removed(w, index, (os, op.clone()), &new.rest, &instance, at)?,
                (None, None) => unreachable!("index is below one of the lengths"),
            }
        }
        additional_items(w, &old.rest, &new.rest, &every_item, at)?;
    }
    use Kind::*;
    let enforcer = crate::scalar::COUNT_ENFORCER;
    let kinds = [MinItemsAdded, MinItemsRemoved, MinItemsIncreased, MinItemsDecreased];
    crate::scalar::compare_bound(w, o.map, n.map, "minItems", kinds, at, enforcer);
    let kinds = [MaxItemsAdded, MaxItemsRemoved, MaxItemsIncreased, MaxItemsDecreased];
    crate::scalar::compare_bound(w, o.map, n.map, "maxItems", kinds, at, enforcer);
    unique_items(w, o, n, at);
    Ok(())
}

fn item_added<'a>(
    w: &mut Walker<'a>,
    index: usize,
    (schema, ptr): (&'a Value, String),
    old_rest: &(String, &'a Value),
    instance: &str,
    at: &Place,
) -> Result<(), Error> {
    let view = View::new(Side::New, w.new_doc, schema, ptr.clone())?;
    let field = at.field();
    let (kind, forward, backward, reason) = match rest_model(old_rest.1) {
        Rest::Open => (
            Kind::ItemAddedToOpenContentModel,
            false,
            !view.accepts_anything(),
            format!(
                "{field} gained tuple position {index}: old arrays could hold anything there, and new consumers \
                 now require {}",
                view.describe()
            ),
        ),
        Rest::Closed => (
            Kind::ItemAddedToClosedContentModel,
            !view.never,
            false,
            format!(
                "{field} gained tuple position {index}: old consumers reject arrays longer than the old tuple"
            ),
        ),
        Rest::Partial => {
            let found = w.probe(old_rest.1, old_rest.0.clone(), schema, ptr, instance)?;
            let why = first_reason(&found).unwrap_or("its schema matches the old additionalItems");
            (
                Kind::ItemAddedToPartiallyOpenContentModel,
                found.iter().any(|d| d.breaks_forward),
                found.iter().any(|d| d.breaks_backward),
                format!(
                    "{field} gained tuple position {index}, which old consumers checked against additionalItems: {why}"
                ),
            )
        }
    };
    let place = at.at(pointer::push(&pointer::push(&at.path, "items"), &index.to_string()));
    w.report_judged(kind, &place, None, Some(view.describe()), reason, forward, backward);
    Ok(())
}

fn item_removed<'a>(
    w: &mut Walker<'a>,
    index: usize,
    (schema, ptr): (&'a Value, String),
    new_rest: &(String, &'a Value),
    instance: &str,
    at: &Place,
) -> Result<(), Error> {
    let view = View::new(Side::Old, w.old_doc, schema, ptr.clone())?;
    let field = at.field();
    let (kind, forward, backward, reason) = match rest_model(new_rest.1) {
        Rest::Open => (
            Kind::ItemRemovedFromOpenContentModel,
            !view.accepts_anything(),
            false,
            format!(
                "{field} lost tuple position {index}: new arrays may hold anything there, and old consumers still \
                 require {}",
                view.describe()
            ),
        ),
        Rest::Closed => (
            Kind::ItemRemovedFromClosedContentModel,
            false,
            !view.never,
            format!(
                "{field} lost tuple position {index}: new consumers reject old arrays that are that long"
            ),
        ),
        Rest::Partial => {
            let found = w.probe(schema, ptr, new_rest.1, new_rest.0.clone(), instance)?;
            let why =
                first_reason(&found).unwrap_or("the new additionalItems accepts what the position allowed");
            (
                Kind::ItemRemovedFromPartiallyOpenContentModel,
                found.iter().any(|d| d.breaks_forward),
                found.iter().any(|d| d.breaks_backward),
                format!("{field} lost tuple position {index}, now checked against additionalItems: {why}"),
            )
        }
    };
    let place = at.at(pointer::push(&pointer::push(&at.path, "items"), &index.to_string()));
    w.report_judged(kind, &place, Some(view.describe()), None, reason, forward, backward);
    Ok(())
}

fn additional_items<'a>(
    w: &mut Walker<'a>,
    old: &(String, &'a Value),
    new: &(String, &'a Value),
    instance: &str,
    at: &Place,
) -> Result<(), Error> {
    let field = at.field();
    let (kind, reason) = match (rest_model(old.1), rest_model(new.1)) {
        (Rest::Open, Rest::Open) | (Rest::Closed, Rest::Closed) => return Ok(()),
        (Rest::Partial, Rest::Partial) => {
            return w.compare(old.1, old.0.clone(), new.1, new.0.clone(), instance);
        }
        (Rest::Closed, _) => (
            Kind::AdditionalItemsAdded,
            format!("{field} may now be longer than its tuple: old consumers reject the extra items"),
        ),
        (_, Rest::Closed) => (
            Kind::AdditionalItemsRemoved,
            format!(
                "{field} may no longer be longer than its tuple: new consumers reject old arrays with extra items"
            ),
        ),
        (Rest::Partial, Rest::Open) => (
            Kind::AdditionalItemsExtended,
            format!(
                "items of {field} past the tuple are no longer checked: old consumers reject new ones they did check"
            ),
        ),
        (Rest::Open, Rest::Partial) => (
            Kind::AdditionalItemsNarrowed,
            format!(
                "items of {field} past the tuple must now match a schema: new consumers reject old ones that do not"
            ),
        ),
    };
    let text = |v: &Value| Some(crate::scalar::short_json(v, 50));
    w.report(kind, &at.at(new.0.clone()), text(old.1), text(new.1), reason);
    Ok(())
}

fn unique_items<'a>(w: &mut Walker<'a>, o: &View<'a>, n: &View<'a>, at: &Place) {
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
    w.report(kind, at, text(was), text(is), reason);
}
