//! Objects: properties added and removed under each content model, `required`,
//! `additionalProperties`, `patternProperties` and property counts.
//!
//! The content model that governs a property name decides what an added or removed
//! property does to consumers:
//! - *closed* (`additionalProperties: false`): typify emits `#[serde(deny_unknown_fields)]`,
//!   so a consumer rejects every event carrying a property its schema does not declare;
//! - *open* (no `additionalProperties`): consumers ignore undeclared properties, but a
//!   producer may have written anything under a name its schema did not declare (the
//!   [`Policy::Strict`] concern);
//! - *partially open* (`additionalProperties` is a schema, or a `patternProperties` entry
//!   matches the name): consumers check the name against that catch-all schema, so the
//!   verdict comes from comparing the property's schema with it.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use crate::error::Error;
use crate::view::{View, is_annotation};
use crate::walk::{Place, TRUE, Walker, same_schema};
use crate::{Kind, Policy, pointer, properties};

/// How one object schema treats names it does not declare.
pub(crate) struct Model<'a> {
    /// `additionalProperties` with its pointer; `None` when absent.
    additional: Option<(String, &'a Value)>,
    /// `patternProperties` entries: pattern, compiled pattern, pointer, schema.
    patterns: Vec<(&'a str, regress::Regex, String, &'a Value)>,
}

/// What governs one undeclared property name.
pub(crate) enum CatchAll<'a> {
    /// Anything goes.
    Open,
    /// The name is forbidden.
    Closed,
    /// The value must match these schemas (pointer, schema).
    Schemas(Vec<(String, &'a Value)>),
}

impl<'a> Model<'a> {
    pub fn of(view: &View<'a>) -> Result<Model<'a>, Error> {
        let additional = view
            .map
            .get("additionalProperties")
            .map(|v| (pointer::push(&view.ptr, "additionalProperties"), v));
        let mut patterns = Vec::new();
        if let Some(Value::Object(entries)) = view.map.get("patternProperties") {
            let base = pointer::push(&view.ptr, "patternProperties");
            for (pattern, schema) in entries {
                let regex = regress::Regex::new(pattern).map_err(|e| Error::InvalidPattern {
                    side: view.side,
                    at: base.clone(),
                    pattern: pattern.clone(),
                    message: e.to_string(),
                })?;
                patterns.push((pattern.as_str(), regex, pointer::push(&base, pattern), schema));
            }
        }
        Ok(Model { additional, patterns })
    }

    /// What governs names that no `patternProperties` entry matches.
    pub fn fallback(&self) -> CatchAll<'a> {
        match self.additional {
            None => CatchAll::Open,
            Some((_, Value::Bool(false))) => CatchAll::Closed,
            Some((_, schema)) if is_empty_schema(schema) => CatchAll::Open,
            Some((ref ptr, schema)) => CatchAll::Schemas(vec![(ptr.clone(), schema)]),
        }
    }

    /// What governs the undeclared property `name`.
    pub fn catch_all(&self, name: &str) -> CatchAll<'a> {
        let matching: Vec<(String, &'a Value)> = self
            .patterns
            .iter()
            .filter(|(_, regex, ..)| regex.find(name).is_some())
            .map(|(_, _, ptr, schema)| (ptr.clone(), *schema))
            .collect();
        if matching.is_empty() { self.fallback() } else { CatchAll::Schemas(matching) }
    }

    /// The `patternProperties` entries by pattern.
    pub fn patterns(&self) -> impl Iterator<Item = (&'a str, &str, &'a Value)> {
        self.patterns.iter().map(|(pattern, _, ptr, schema)| (*pattern, ptr.as_str(), *schema))
    }
}

/// `true` or a schema with nothing but annotations.
fn is_empty_schema(schema: &Value) -> bool {
    match schema {
        Value::Bool(b) => *b,
        Value::Object(map) => map.keys().all(|k| is_annotation(k)),
        _ => false,
    }
}

fn names(map: &Map<String, Value>) -> &Map<String, Value> {
    static EMPTY: std::sync::LazyLock<Map<String, Value>> = std::sync::LazyLock::new(Map::new);
    match map.get("properties") {
        Some(Value::Object(properties)) => properties,
        _ => &EMPTY,
    }
}

fn required(map: &Map<String, Value>) -> BTreeSet<&str> {
    map.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect()
}

/// Compares two object schemas.
pub(crate) fn compare<'a>(w: &mut Walker<'a>, o: &View<'a>, n: &View<'a>, at: &Place) -> Result<(), Error> {
    let (old_props, new_props) = (names(o.map), names(n.map));
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
                required_changed(w, name, old_required.contains(name), new_required.contains(name), &place);
            }
            (None, Some(new)) => {
                let catch_all = old_model.catch_all(name);
                properties::added(
                    w,
                    name,
                    (new, new_ptr),
                    new_required.contains(name),
                    catch_all,
                    &place,
                    hint,
                )?;
            }
            (Some(old), None) => {
                let catch_all = new_model.catch_all(name);
                properties::removed(
                    w,
                    name,
                    (old, old_ptr),
                    old_required.contains(name),
                    catch_all,
                    &place,
                    hint,
                )?;
            }
            (None, None) => unreachable!("names come from the two property maps"),
        }
    }
    for name in old_required.symmetric_difference(&new_required) {
        if !old_props.contains_key(*name) && !new_props.contains_key(*name) {
            let place = Place { path: at.path.clone(), instance: pointer::push(&at.instance, name) };
            required_changed(w, name, old_required.contains(name), new_required.contains(name), &place);
        }
    }
    additional_properties(w, &old_model, &new_model, at)?;
    pattern_properties(w, &old_model, &new_model, at)?;
    use Kind::*;
    let enforcer = crate::scalar::COUNT_ENFORCER;
    let kinds = [MinPropertiesAdded, MinPropertiesRemoved, MinPropertiesIncreased, MinPropertiesDecreased];
    crate::scalar::compare_bound(w, o.map, n.map, "minProperties", kinds, at, enforcer);
    let kinds = [MaxPropertiesAdded, MaxPropertiesRemoved, MaxPropertiesIncreased, MaxPropertiesDecreased];
    crate::scalar::compare_bound(w, o.map, n.map, "maxProperties", kinds, at, enforcer);
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

fn required_changed(w: &mut Walker<'_>, name: &str, was: bool, is: bool, at: &Place) {
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
    w.report(kind, at, state(was), state(is), reason);
}

/// What `additionalProperties` allows, for comparing two objects' fallbacks.
fn describe_fallback(catch_all: &CatchAll<'_>) -> String {
    match catch_all {
        CatchAll::Open => "any undeclared property".to_owned(),
        CatchAll::Closed => "additionalProperties: false".to_owned(),
        CatchAll::Schemas(schemas) => {
            format!("additionalProperties: {}", crate::scalar::short_json(schemas[0].1, 50))
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
                "{field} is no longer closed: new producers may write undeclared properties, which old Rust \
                 consumers reject ({deny})"
            ),
        ),
        (_, CatchAll::Closed) => (
            Kind::AdditionalPropertiesRemoved,
            format!(
                "{field} is now closed: new Rust consumers reject old events carrying any undeclared property \
                 ({deny})"
            ),
        ),
        (CatchAll::Schemas(_), CatchAll::Open) => (
            Kind::AdditionalPropertiesExtended,
            format!(
                "undeclared properties of {field} are no longer checked: new producers may write values old \
                 consumers reject (old Rust consumers deserialise them into a typed map)"
            ),
        ),
        (CatchAll::Open, CatchAll::Schemas(_)) => (
            Kind::AdditionalPropertiesNarrowed,
            format!(
                "undeclared properties of {field} must now match a schema: new consumers reject old events whose \
                 undeclared properties do not (new Rust consumers deserialise them into a typed map)"
            ),
        ),
    };
    w.report(
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
        let place = at.at(new_ptr.to_string());
        match old_entries.iter().find(|(p, ..)| p == pattern) {
            Some((_, old_ptr, old_schema)) => {
                w.compare(old_schema, old_ptr.to_string(), new_schema, new_ptr.to_string(), &instance)?
            }
            None => {
                let (fallback_ptr, fallback) = fallback_schema(old, &at.path);
                let found = w.probe(fallback, fallback_ptr, new_schema, new_ptr.to_string(), &instance)?;
                let forward = found.iter().any(|d| d.breaks_forward);
                let backward = found.iter().any(|d| d.breaks_backward);
                let why = first_reason(&found).unwrap_or("its schema allows what the old catch-all allowed");
                let reason = format!(
                    "names matching `{pattern}` in {} are now checked against their own schema: {why}",
                    at.field()
                );
                w.report_judged(
                    Kind::PatternPropertyAdded,
                    &place,
                    None,
                    Some(pattern.to_string()),
                    reason,
                    forward,
                    backward,
                );
            }
        }
    }
    for (pattern, old_ptr, old_schema) in &old_entries {
        if new_entries.iter().any(|(p, ..)| p == pattern) {
            continue;
        }
        let (fallback_ptr, fallback) = fallback_schema(new, &at.path);
        let found = w.probe(old_schema, old_ptr.to_string(), fallback, fallback_ptr, &instance)?;
        let forward = found.iter().any(|d| d.breaks_forward);
        let backward = found.iter().any(|d| d.breaks_backward);
        let why = first_reason(&found).unwrap_or("the new catch-all allows what the pattern allowed");
        let reason =
            format!("names matching `{pattern}` in {} fall back to the catch-all: {why}", at.field());
        let place = at.at(pointer::push(&pointer::push(&at.path, "patternProperties"), pattern));
        w.report_judged(
            Kind::PatternPropertyRemoved,
            &place,
            Some(pattern.to_string()),
            None,
            reason,
            forward,
            backward,
        );
    }
    Ok(())
}

/// The fallback of a model as a schema: `true` when open, `false` when closed.
fn fallback_schema<'a>(model: &Model<'a>, object_ptr: &str) -> (String, &'a Value) {
    match model.additional {
        Some((ref ptr, schema)) => (ptr.clone(), schema),
        None => (pointer::push(object_ptr, "additionalProperties"), &TRUE),
    }
}

/// The reason of the first breaking difference, for explaining a verdict built from a probe.
pub(crate) fn first_reason(found: &[crate::Difference]) -> Option<&str> {
    found.iter().find(|d| d.breaks_forward || d.breaks_backward).map(|d| d.reason.as_str())
}

/// Whether the policy lets producers write undeclared properties.
pub(crate) fn producers_may_write_undeclared(policy: Policy) -> bool {
    policy == Policy::Strict
}
