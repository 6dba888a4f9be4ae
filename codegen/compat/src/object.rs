//! Objects: properties compared pairwise, added and removed under each content model (see
//! [`crate::content`]), `required`, `additionalProperties`, `patternProperties` and property
//! counts.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use crate::bounds::{COUNT_ENFORCER, compare_bound};
use crate::content::{self, CatchAll, Change, Model};
use crate::error::Error;
use crate::findings::{Findings, Place, first_reason, short_json};
use crate::same::same_schema;
use crate::view::View;
use crate::walk::Walker;
use crate::{Kind, pointer, properties};

fn required(map: &Map<String, Value>) -> BTreeSet<&str> {
    map.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect()
}

/// Compares two object schemas.
pub(crate) fn compare<'a>(w: &mut Walker<'a>, o: &View<'a>, n: &View<'a>, at: &Place) -> Result<(), Error> {
    let (old_props, new_props) = (content::properties(o.map), content::properties(n.map));
    let (old_required, new_required) = (required(o.map), required(n.map));
    let (old_model, new_model) = (Model::of(o)?, Model::of(n)?);
    let all: BTreeSet<&str> = old_props.keys().chain(new_props.keys()).map(String::as_str).collect();
    let renames = renames(old_props, new_props);
    for name in all {
        let old_ptr = pointer::push(&pointer::push(&o.ptr, "properties"), name);
        let new_ptr = pointer::push(&pointer::push(&n.ptr, "properties"), name);
        let instance = pointer::push(&at.instance, name);
        let place = Place { path: new_ptr.clone(), instance: instance.clone() };
        let hint = renames.iter().find(|(old, new)| *old == name || *new == name);
        match (old_props.get(name), new_props.get(name)) {
            (Some(old), Some(new)) => {
                w.compare(old, old_ptr, new, new_ptr, &instance)?;
                required_changed(
                    &mut w.findings,
                    name,
                    old_required.contains(name),
                    new_required.contains(name),
                    &place,
                );
            }
            (None, Some(new)) => {
                let catch_all = old_model.catch_all(name);
                let required = new_required.contains(name);
                let member = w.member(Change::Added, (new, new_ptr), required, catch_all, &instance)?;
                properties::changed(&mut w.findings, name, member, &place, hint);
            }
            (Some(old), None) => {
                let catch_all = new_model.catch_all(name);
                let required = old_required.contains(name);
                let member = w.member(Change::Removed, (old, old_ptr), required, catch_all, &instance)?;
                properties::changed(&mut w.findings, name, member, &place, hint);
            }
            (None, None) => unreachable!("names come from the two property maps"),
        }
    }
    for name in old_required.symmetric_difference(&new_required) {
        if !old_props.contains_key(*name) && !new_props.contains_key(*name) {
            let place = Place {
                path: pointer::push(&at.path, "required"),
                instance: pointer::push(&at.instance, name),
            };
            undeclared_required_changed(&mut w.findings, name, new_required.contains(name), &place);
        }
    }
    additional_properties(w, &old_model, &new_model, at)?;
    pattern_properties(w, &old_model, &new_model, at)?;
    use Kind::*;
    let kinds = [MinPropertiesAdded, MinPropertiesRemoved, MinPropertiesIncreased, MinPropertiesDecreased];
    compare_bound(&mut w.findings, o.map, n.map, "minProperties", kinds, at, COUNT_ENFORCER);
    let kinds = [MaxPropertiesAdded, MaxPropertiesRemoved, MaxPropertiesIncreased, MaxPropertiesDecreased];
    compare_bound(&mut w.findings, o.map, n.map, "maxProperties", kinds, at, COUNT_ENFORCER);
    Ok(())
}

/// Pairs of (removed, added) property names with the same schema: likely renames.
fn renames<'m>(old: &'m Map<String, Value>, new: &'m Map<String, Value>) -> Vec<(&'m str, &'m str)> {
    let removed: Vec<&str> = old.keys().filter(|k| !new.contains_key(*k)).map(String::as_str).collect();
    let added: Vec<&str> = new.keys().filter(|k| !old.contains_key(*k)).map(String::as_str).collect();
    let mut pairs = Vec::new();
    for gone in &removed {
        let matches: Vec<&&str> =
            added.iter().filter(|name| same_schema(&old[*gone], &new[**name])).collect();
        if let [only] = matches.as_slice() {
            pairs.push((*gone, **only));
        }
    }
    pairs
}

fn required_changed(f: &mut Findings, name: &str, was: bool, is: bool, at: &Place) {
    if was == is {
        return;
    }
    let (kind, reason) = if is {
        (
            Kind::RequiredAttributeAdded,
            format!(
                "`{name}` is now required: old events without it fail in new Rust consumers (`missing field`; a \
                 nullable one silently reads as None) and new TypeScript types promise a value that is not there"
            ),
        )
    } else {
        (
            Kind::RequiredAttributeRemoved,
            format!(
                "`{name}` is no longer required: new events may leave it out, which old Rust consumers reject \
                 (`missing field`; a nullable one silently reads as None) and old TypeScript types do not expect"
            ),
        )
    };
    let state = |required: bool| Some(if required { "required" } else { "optional" }.to_owned());
    f.report(kind, at, state(was), state(is), reason);
}

/// A `required` name that neither schema declares in `properties`: the generated Rust types
/// have no field for it, but the TypeScript consumers validate with ajv, which enforces it.
fn undeclared_required_changed(f: &mut Findings, name: &str, is: bool, at: &Place) {
    let (kind, reason) = if is {
        (
            Kind::RequiredUndeclaredPropertyAdded,
            format!(
                "`{name}` is now required though `properties` does not declare it: new TypeScript consumers \
                 (ajv validates `required`) reject old events without it; declare the property, or drop the name"
            ),
        )
    } else {
        (
            Kind::RequiredUndeclaredPropertyRemoved,
            format!(
                "`{name}` (not declared in `properties`) is no longer required: old TypeScript consumers (ajv \
                 validates `required`) reject new events without it"
            ),
        )
    };
    let state = |required: bool| Some(if required { "required" } else { "not required" }.to_owned());
    f.report(kind, at, state(!is), state(is), reason);
}

/// What `additionalProperties` allows, for comparing two objects' fallbacks.
fn describe_fallback(catch_all: &CatchAll<'_>) -> String {
    match catch_all {
        CatchAll::Open => "any undeclared property".to_owned(),
        CatchAll::Closed => "additionalProperties: false".to_owned(),
        CatchAll::Schemas(schemas) => {
            format!("additionalProperties: {}", short_json(schemas[0].1, 50))
        }
    }
}

fn additional_properties<'a>(
    w: &mut Walker<'a>,
    old: &Model<'a>,
    new: &Model<'a>,
    at: &Place,
) -> Result<(), Error> {
    let (a, b) = (old.fallback(), new.fallback());
    let field = at.field();
    let deny = "typify emits #[serde(deny_unknown_fields)] for a closed object";
    let (kind, reason) = match (&a, &b) {
        (CatchAll::Open, CatchAll::Open) | (CatchAll::Closed, CatchAll::Closed) => return Ok(()),
        (CatchAll::Schemas(x), CatchAll::Schemas(y)) => {
            let instance = pointer::push(&at.instance, "*");
            return w.compare(x[0].1, x[0].0.clone(), y[0].1, y[0].0.clone(), &instance);
        }
        (CatchAll::Closed, _) => (
            Kind::AdditionalPropertiesAdded,
            format!(
                "{field} is no longer closed: new producers may write undeclared properties (strict policy; the \
                 lenient one trusts them to write only declared ones), which old Rust consumers reject ({deny})"
            ),
        ),
        (_, CatchAll::Closed) => (
            Kind::AdditionalPropertiesRemoved,
            format!(
                "{field} is now closed: new Rust consumers reject old events carrying any undeclared property \
                 ({deny}), which old producers may have written (strict policy; the lenient one trusts them to \
                 write only declared ones)"
            ),
        ),
        (CatchAll::Schemas(_), CatchAll::Open) => (
            Kind::AdditionalPropertiesExtended,
            format!(
                "undeclared properties of {field} are no longer checked: new producers may write values old \
                 consumers reject (old Rust consumers deserialise them into a typed map; strict policy, the lenient \
                 one trusts producers to write only declared properties)"
            ),
        ),
        (CatchAll::Open, CatchAll::Schemas(_)) => (
            Kind::AdditionalPropertiesNarrowed,
            format!(
                "undeclared properties of {field} must now match a schema: new consumers reject old events whose \
                 undeclared properties do not (new Rust consumers deserialise them into a typed map; strict policy, \
                 the lenient one trusts producers to write only declared properties)"
            ),
        ),
    };
    w.findings.report(
        kind,
        &at.at(pointer::push(&at.path, "additionalProperties")),
        Some(describe_fallback(&a)),
        Some(describe_fallback(&b)),
        reason,
    );
    Ok(())
}

fn pattern_properties<'a>(
    w: &mut Walker<'a>,
    old: &Model<'a>,
    new: &Model<'a>,
    at: &Place,
) -> Result<(), Error> {
    let instance = pointer::push(&at.instance, "*");
    let old_entries: Vec<_> = old.patterns().collect();
    let new_entries: Vec<_> = new.patterns().collect();
    for (pattern, new_ptr, new_schema) in &new_entries {
        match old_entries.iter().find(|(p, ..)| p == pattern) {
            Some((_, old_ptr, old_schema)) => {
                w.compare(old_schema, old_ptr.to_string(), new_schema, new_ptr.to_string(), &instance)?
            }
            None => pattern_changed(w, Change::Added, (pattern, new_ptr, new_schema), old, at, &instance)?,
        }
    }
    for entry @ (pattern, ..) in &old_entries {
        if !new_entries.iter().any(|(p, ..)| p == pattern) {
            pattern_changed(w, Change::Removed, *entry, new, at, &instance)?;
        }
    }
    Ok(())
}

/// A `patternProperties` entry only one side has: names matching it are judged by the
/// other side's fallback (`additionalProperties`, or `true`).
fn pattern_changed<'a>(
    w: &mut Walker<'a>,
    change: Change,
    (pattern, ptr, schema): (&str, &str, &'a Value),
    other: &Model<'a>,
    at: &Place,
    instance: &str,
) -> Result<(), Error> {
    let (fallback_ptr, fallback) = other.fallback_schema(&at.path);
    let found = w.probe_member(change, (schema, ptr.to_owned()), (fallback, fallback_ptr), instance)?;
    let forward = found.iter().any(|d| d.breaks_forward);
    let backward = found.iter().any(|d| d.breaks_backward);
    let field = at.field();
    let (kind, reason) = match change {
        Change::Added => (
            Kind::PatternPropertyAdded,
            format!(
                "names matching `{pattern}` in {field} are now checked against their own schema: {}",
                first_reason(&found).unwrap_or("its schema allows what the old catch-all allowed")
            ),
        ),
        Change::Removed => (
            Kind::PatternPropertyRemoved,
            format!(
                "names matching `{pattern}` in {field} fall back to the catch-all: {}",
                first_reason(&found).unwrap_or("the new catch-all allows what the pattern allowed")
            ),
        ),
    };
    let place = at.at(pointer::push(&pointer::push(&at.path, "patternProperties"), pattern));
    let (old, new) = change.texts(pattern.to_owned());
    w.findings.report_judged(kind, &place, old, new, reason, forward, backward);
    Ok(())
}
