//! `not`: a schema that accepts what its subschema rejects. Changing the subschema moves
//! the verdicts the other way round, so the two subschemas are compared swapped (new as
//! the old side, old as the new): whatever that finds breaking in a direction breaks the
//! `not` in the same direction. This is how Confluent's checker judges `not` too.

use serde_json::Value;

use crate::error::Error;
use crate::findings::{Place, first_reason, short_json};
use crate::view::View;
use crate::walk::Walker;
use crate::{Kind, pointer};

/// Compares the `not` subschemas of two nodes that both have one; a `not` only one side has
/// is a constraint added or removed (see `scalar::compare_constraints`).
pub(crate) fn compare<'a>(w: &mut Walker<'a>, o: &View<'a>, n: &View<'a>, at: &Place) -> Result<(), Error> {
    let (Some(old), Some(new)) = (o.map.get("not"), n.map.get("not")) else { return Ok(()) };
    let (old_ptr, new_ptr) = (pointer::push(&o.ptr, "not"), pointer::push(&n.ptr, "not"));
    let swapped = w.probe_swapped(new, new_ptr.clone(), old, old_ptr, &at.instance)?;
    let forward = swapped.iter().any(|d| d.breaks_forward);
    let backward = swapped.iter().any(|d| d.breaks_backward);
    let field = at.field();
    let why = first_reason(&swapped).unwrap_or("");
    let (kind, reason) = match (forward, backward) {
        (false, false) => return Ok(()),
        (true, false) => (
            Kind::NotTypeNarrowed,
            format!(
                "the `not` of {field} now excludes fewer values, so {field} accepts more: old consumers reject \
                 new events carrying a value the old `not` excluded (swapped, the subschemas say: {why})"
            ),
        ),
        (false, true) => (
            Kind::NotTypeExtended,
            format!(
                "the `not` of {field} now excludes more values: new consumers reject old events carrying a \
                 value the new `not` excludes (swapped, the subschemas say: {why})"
            ),
        ),
        (true, true) => (
            Kind::NotTypeChanged,
            format!(
                "the `not` of {field} now excludes values it allowed and allows values it excluded: each \
                 side's consumers reject some events of the other (swapped, the subschemas say: {why})"
            ),
        ),
    };
    let text = |v: &Value| Some(short_json(v, 60));
    w.findings.report_judged(kind, &at.at(new_ptr), text(old), text(new), reason, forward, backward);
    Ok(())
}
