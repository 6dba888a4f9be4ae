//! The comparison's state and its dispatch: two schema nodes in, differences out.
//!
//! A node pair is compared once: shared and recursive definitions are entered once per
//! (old, new) pair of locations, so recursion ends and a change inside a shared definition
//! is reported once, at the definition.

use std::collections::HashSet;

use serde_json::Value;

use crate::error::{Error, Side};
use crate::types::Types;
use crate::view::{View, is_annotation};
use crate::{Difference, Direction, Kind, Policy, array, combinators, object, pointer, scalar, values};

/// Where a comparison is.
#[derive(Debug, Clone)]
pub(crate) struct Place {
    /// JSON Pointer of the schema (new side).
    pub path: String,
    /// JSON Pointer of the value in an event.
    pub instance: String,
}

impl Place {
    /// The same place, at another schema pointer.
    pub fn at(&self, path: String) -> Place {
        Place { path, instance: self.instance.clone() }
    }

    /// The event field for messages: `` `/trade/id` ``, or `the event` at the root. Costs
    /// nothing until written, so callers may take it before knowing they need it.
    pub fn field(&self) -> Field<'_> {
        Field(&self.instance)
    }
}

/// An event field as messages name it (see [`Place::field`]).
pub(crate) struct Field<'p>(&'p str);

impl std::fmt::Display for Field<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.0.is_empty() { f.write_str("the event") } else { write!(f, "`{}`", self.0) }
    }
}

/// The `true` schema, for catch-alls that allow anything.
pub(crate) static TRUE: Value = Value::Bool(true);

/// The state of one comparison.
pub(crate) struct Walker<'a> {
    pub old_doc: &'a Value,
    pub new_doc: &'a Value,
    pub policy: Policy,
    seen: HashSet<(String, String)>,
    pub out: Vec<Difference>,
}

impl<'a> Walker<'a> {
    pub fn new(old_doc: &'a Value, new_doc: &'a Value, policy: Policy) -> Walker<'a> {
        Walker { old_doc, new_doc, policy, seen: HashSet::new(), out: Vec::new() }
    }

    /// Compares the schema `old` (at `old_ptr` in the old document) with `new` (at `new_ptr`
    /// in the new one); `instance` is where their values sit in an event.
    pub fn compare(
        &mut self,
        old: &'a Value,
        old_ptr: String,
        new: &'a Value,
        new_ptr: String,
        instance: &str,
    ) -> Result<(), Error> {
        let o = View::new(Side::Old, self.old_doc, old, old_ptr)?;
        let n = View::new(Side::New, self.new_doc, new, new_ptr.clone())?;
        self.compare_views(&o, &n, &Place { path: new_ptr, instance: instance.to_owned() }, true)
    }

    /// Compares two normalised nodes; `site` is where the new one is used (nullability is a
    /// property of the use, the rest of the definition). `nullability` is off when one side
    /// stands in for a union branch it does not have.
    pub fn compare_views(
        &mut self,
        o: &View<'a>,
        n: &View<'a>,
        site: &Place,
        nullability: bool,
    ) -> Result<(), Error> {
        if nullability && o.nullable != n.nullable && !o.never && !n.never {
            self.nullability(o, n, site);
        }
        if !self.seen.insert((o.ptr.clone(), n.ptr.clone())) {
            return Ok(());
        }
        if let (Some(old_ref), Some(new_ref)) = (&o.reference, &n.reference)
            && pointer::last_segment(old_ref) != pointer::last_segment(new_ref)
        {
            self.report(
                Kind::RefTargetChanged,
                site,
                Some(pointer::last_segment(old_ref)),
                Some(pointer::last_segment(new_ref)),
                format!(
                    "{} now refers to a differently named definition; the JSON is judged by structure \
                         (any change is listed separately), but generated type names change, so consumer \
                         code that names the type needs an edit when regenerated",
                    site.field()
                ),
            );
        }
        let at = site.at(n.ptr.clone());
        if combinators::compare(self, o, n, &at)? {
            self.compare_bodies(o, n, &at)?;
        }
        Ok(())
    }

    /// Compares what two nodes say outside `oneOf`/`anyOf`/`allOf`.
    pub fn compare_bodies(&mut self, o: &View<'a>, n: &View<'a>, at: &Place) -> Result<(), Error> {
        if o.never || n.never {
            if o.never != n.never {
                self.types(o, n, at);
            }
            return Ok(());
        }
        // Two untyped unions carry their types in their branches, which are compared there.
        let unions_only = o.sum.is_some() && n.sum.is_some() && !o.typed && !n.typed;
        if o.types != n.types && !unions_only {
            self.types(o, n, at);
        }
        let common = o.types.intersect(n.types);
        if !common.is_empty() {
            values::compare(self, o, n, at);
        }
        if common.has_strings() {
            scalar::compare_string(self, o, n, at);
        }
        if common.has_numbers() {
            scalar::compare_number(self, o, n, at);
        }
        if common.has_objects() {
            object::compare(self, o, n, at)?;
        }
        if common.has_arrays() {
            array::compare(self, o, n, at)?;
        }
        if !common.is_empty() {
            scalar::compare_constraints(self, o, n, at);
        }
        Ok(())
    }

    fn nullability(&mut self, o: &View<'a>, n: &View<'a>, site: &Place) {
        let field = site.field();
        let (kind, reason) = if n.nullable {
            (
                Kind::NullableAdded,
                format!(
                    "{field} may now be null, which old consumers' types do not allow: old Rust consumers \
                     fail to deserialise it into a field that is not an Option (an optional field reads it as \
                     absent), old TypeScript types lack `| null`"
                ),
            )
        } else {
            (
                Kind::NullableRemoved,
                format!(
                    "{field} may no longer be null, which new consumers' types rely on: new Rust consumers \
                     fail on the nulls in old events when the field is not an Option (an optional field reads \
                     them as absent), new TypeScript types drop `| null`"
                ),
            )
        };
        self.report(kind, site, Some(o.describe()), Some(n.describe()), reason);
    }

    fn types(&mut self, o: &View<'a>, n: &View<'a>, at: &Place) {
        let field = at.field();
        let (old, new) = (o.types, n.types);
        let (kind, reason) = if new.contains(old) {
            let gained = new.minus(old);
            let reason = if old.is_integer() && gained.has_numbers() {
                format!(
                    "{field} widened from integer to number: old Rust consumers hold an integer type and fail \
                     on fractional values such as 1.5"
                )
            } else {
                format!(
                    "{field} now also accepts {}: old Rust consumers fail to deserialise it and old TypeScript \
                     types do not allow it",
                    gained.describe()
                )
            };
            (Kind::TypeExtended, reason)
        } else if old.contains(new) {
            let lost = old.minus(new);
            let what = if lost.has_numbers() && new.has_numbers() {
                "fractional numbers".to_owned()
            } else {
                lost.describe()
            };
            (
                Kind::TypeNarrowed,
                format!(
                    "{field} no longer accepts {what}: new Rust consumers fail on old events that carry it"
                ),
            )
        } else {
            (
                Kind::TypeChanged,
                format!(
                    "{field} changed from {} to {}: old consumers fail on new events and new consumers fail on \
                     old events (generated Rust does not deserialise the other type; TypeScript types are wrong \
                     at runtime)",
                    old.describe(),
                    new.describe()
                ),
            )
        };
        let describe = |view: &View<'_>, types: Types| {
            if view.never { "nothing (false)".to_owned() } else { types.describe() }
        };
        self.report(kind, at, Some(describe(o, old)), Some(describe(n, new)), reason);
    }

    /// Records a difference judged by its kind's usual rule under the walker's policy.
    pub fn report(
        &mut self,
        kind: Kind,
        at: &Place,
        old: Option<String>,
        new: Option<String>,
        reason: String,
    ) {
        let judge = |direction| kind.rule(direction).breaks(self.policy).unwrap_or(true);
        let (forward, backward) = (judge(Direction::Forward), judge(Direction::Backward));
        self.report_judged(kind, at, old, new, reason, forward, backward);
    }

    /// Records a difference with a verdict worked out by the caller.
    #[allow(clippy::too_many_arguments)]
    pub fn report_judged(
        &mut self,
        kind: Kind,
        at: &Place,
        old: Option<String>,
        new: Option<String>,
        reason: String,
        breaks_forward: bool,
        breaks_backward: bool,
    ) {
        self.out.push(Difference {
            kind,
            path: at.path.clone(),
            instance_path: at.instance.clone(),
            old,
            new,
            breaks_forward,
            breaks_backward,
            reason,
            versions: Vec::new(),
            acknowledged: None,
        });
    }

    /// The differences between `old` and `new` without recording them: used to decide
    /// whether a catch-all schema covers a property or item.
    pub fn probe(
        &self,
        old: &'a Value,
        old_ptr: String,
        new: &'a Value,
        new_ptr: String,
        instance: &str,
    ) -> Result<Vec<Difference>, Error> {
        let mut inner = Walker::new(self.old_doc, self.new_doc, self.policy);
        inner.compare(old, old_ptr, new, new_ptr, instance)?;
        Ok(inner.out)
    }
}

/// Whether two schemas are the same once annotations (descriptions, titles, examples) are
/// ignored. `$ref`s compare by their text; names inside `properties` are never annotations.
pub(crate) fn same_schema(a: &Value, b: &Value) -> bool {
    let (Value::Object(a), Value::Object(b)) = (a, b) else { return a == b };
    same_schema_object(a, b)
}

/// [`same_schema`] for two schema objects.
pub(crate) fn same_schema_object(
    a: &serde_json::Map<String, Value>,
    b: &serde_json::Map<String, Value>,
) -> bool {
    let relevant = |map: &'_ serde_json::Map<String, Value>| map.keys().filter(|k| !is_annotation(k)).count();
    relevant(a) == relevant(b)
        && a.iter().filter(|(k, _)| !is_annotation(k)).all(|(key, x)| {
            let Some(y) = b.get(key) else { return false };
            match key.as_str() {
                "properties" | "patternProperties" | "dependencies" => same_named(x, y),
                "items" | "allOf" | "anyOf" | "oneOf" if x.is_array() => same_list(x, y),
                "enum" | "const" | "required" | "type" | "pattern" | "format" => same_value(x, y),
                _ if x.is_object() || x.is_boolean() => same_schema(x, y),
                _ => same_value(x, y),
            }
        })
}

fn same_named(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Object(a), Value::Object(b)) => {
            a.len() == b.len() && a.iter().all(|(k, x)| b.get(k).is_some_and(|y| same_schema(x, y)))
        }
        _ => a == b,
    }
}

fn same_list(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same_schema(x, y))
        }
        _ => false,
    }
}

/// JSON equality where `1` and `1.0` are the same number.
pub(crate) fn same_value(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x == y || x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same_value(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, p)| y.get(k).is_some_and(|q| same_value(p, q)))
        }
        _ => a == b,
    }
}
