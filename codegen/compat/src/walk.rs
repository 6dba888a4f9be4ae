//! The comparison's state and its dispatch: two schema nodes in, differences out.
//!
//! A node pair is compared once: shared and recursive definitions are entered once per
//! (old, new) pair of locations, so recursion ends and a change inside a shared definition
//! is reported once, at the definition.

use std::collections::HashSet;

use serde_json::Value;

use crate::content::{CatchAll, Change, Member};
use crate::error::{Error, Side};
use crate::findings::{Findings, Place};
use crate::types::Types;
use crate::view::View;
use crate::{
    Difference, Kind, Policy, array, combinators, dependencies, negation, object, pointer, scalar, values,
};

/// The state of one comparison.
pub(crate) struct Walker<'a> {
    pub old_doc: &'a Value,
    pub new_doc: &'a Value,
    seen: HashSet<(String, String)>,
    /// What the comparison found so far.
    pub findings: Findings,
}

impl<'a> Walker<'a> {
    pub fn new(old_doc: &'a Value, new_doc: &'a Value, policy: Policy) -> Walker<'a> {
        Walker { old_doc, new_doc, seen: HashSet::new(), findings: Findings::new(policy) }
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
            self.findings.report(
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
            values::compare(&mut self.findings, o, n, at);
        }
        if common.has_strings() {
            scalar::compare_string(&mut self.findings, o, n, at);
        }
        if common.has_numbers() {
            scalar::compare_number(&mut self.findings, o, n, at);
        }
        if common.has_objects() {
            object::compare(self, o, n, at)?;
        }
        if common.has_arrays() {
            array::compare(self, o, n, at)?;
        }
        if !common.is_empty() {
            negation::compare(self, o, n, at)?;
            dependencies::compare(self, o, n, at)?;
            scalar::compare_constraints(&mut self.findings, o, n, at);
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
        self.findings.report(kind, site, Some(o.describe()), Some(n.describe()), reason);
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
        self.findings.report(kind, at, Some(describe(o, old)), Some(describe(n, new)), reason);
    }

    /// A member (property, tuple position) declared only on the `change` side as `schema`
    /// at `ptr`, governed on the other side by `catch_all`; `instance` is where its value
    /// sits in an event.
    pub fn member(
        &self,
        change: Change,
        (schema, ptr): (&'a Value, String),
        required: bool,
        catch_all: CatchAll<'a>,
        instance: &str,
    ) -> Result<Member<'a>, Error> {
        let doc = match change {
            Change::Added => self.new_doc,
            Change::Removed => self.old_doc,
        };
        let view = View::new(change.side(), doc, schema, ptr.clone())?;
        let mut found = Vec::new();
        if let CatchAll::Schemas(schemas) = &catch_all {
            for (catch_ptr, catch_schema) in schemas {
                let catch_all = (*catch_schema, catch_ptr.clone());
                found.extend(self.probe_member(change, (schema, ptr.clone()), catch_all, instance)?);
            }
        }
        Ok(Member { change, view, required, catch_all, found })
    }

    /// [`Walker::probe`] of a member's schema against a catch-all's (each with its pointer),
    /// from the old side to the new: catch-all to member when the member was added.
    pub fn probe_member(
        &self,
        change: Change,
        member: (&'a Value, String),
        catch_all: (&'a Value, String),
        instance: &str,
    ) -> Result<Vec<Difference>, Error> {
        let ((old, old_ptr), (new, new_ptr)) = match change {
            Change::Added => (catch_all, member),
            Change::Removed => (member, catch_all),
        };
        self.probe(old, old_ptr, new, new_ptr, instance)
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
        let mut inner = Walker::new(self.old_doc, self.new_doc, self.findings.policy);
        inner.compare(old, old_ptr, new, new_ptr, instance)?;
        Ok(inner.findings.out)
    }

    /// [`Walker::probe`] the other way round: `from` (at `from_ptr` in the NEW document)
    /// judged as if it were the old schema and `to` (in the OLD document) as the new one. For
    /// keywords that invert their subschema (`not`). An error names the sides as swapped.
    pub fn probe_swapped(
        &self,
        from: &'a Value,
        from_ptr: String,
        to: &'a Value,
        to_ptr: String,
        instance: &str,
    ) -> Result<Vec<Difference>, Error> {
        let mut inner = Walker::new(self.new_doc, self.old_doc, self.findings.policy);
        inner.compare(from, from_ptr, to, to_ptr, instance)?;
        Ok(inner.findings.out)
    }
}
