//! A property added or removed, judged by the content model that governs its name (see
//! [`crate::object`]).

use serde_json::Value;

use crate::content::{CatchAll, producers_may_write_undeclared};
use crate::error::{Error, Side};
use crate::findings::{Place, first_reason};
use crate::view::View;
use crate::walk::Walker;
use crate::{Difference, Kind};

const DENY: &str = "typify emits #[serde(deny_unknown_fields)] for a closed object";

/// The suffix for a likely rename.
fn rename_note(hint: Option<&(&str, &str)>) -> String {
    match hint {
        Some((old, new)) => format!(
            ". `{old}` → `{new}` looks like a rename (same schema): every consumer sees a removal plus an \
             addition; publish a new detail-type version, or keep both properties until consumers move"
        ),
        None => String::new(),
    }
}

fn any_breaks(found: &[Difference], forward: bool) -> bool {
    found.iter().any(|d| if forward { d.breaks_forward } else { d.breaks_backward })
}

/// A property the new schema declares and the old one did not.
#[allow(clippy::too_many_arguments)]
pub(crate) fn added<'a>(
    w: &mut Walker<'a>,
    name: &str,
    (value, ptr): (&'a Value, String),
    required: bool,
    catch_all: CatchAll<'a>,
    at: &Place,
    hint: Option<&(&str, &str)>,
) -> Result<(), Error> {
    let schema = View::new(Side::New, w.new_doc, value, ptr.clone())?;
    let strict = producers_may_write_undeclared(w.findings.policy);
    let shape = schema.describe();
    let (kind, forward, backward, reason) = match catch_all {
        CatchAll::Open => {
            let clash = !required && strict && !schema.accepts_anything();
            let reason = if required {
                format!(
                    "new required property `{name}`: old events lack it, so new Rust consumers fail (`missing \
                     field`; a nullable one silently reads as None) and new TypeScript types promise a value that \
                     is not there; old consumers ignore it (the old object is open)"
                )
            } else if clash {
                format!(
                    "new optional property `{name}` on an open object: old producers were free to write `{name}` \
                     with any value, and new consumers now require {shape} (strict policy); old consumers ignore it"
                )
            } else {
                format!(
                    "new optional property `{name}`: old consumers ignore it (the old object is open), new \
                     consumers read its absence in old events as None / undefined"
                )
            };
            let kind = if required {
                Kind::RequiredPropertyAddedToOpenContentModel
            } else {
                Kind::OptionalPropertyAddedToOpenContentModel
            };
            (kind, false, required || clash, reason)
        }
        CatchAll::Closed => {
            let mut reason = format!(
                "new property `{name}` on a closed object (additionalProperties: false): old Rust consumers reject \
                 every new event that carries it ({DENY})"
            );
            if required {
                reason.push_str("; it is also required, so new consumers fail on old events, which lack it");
            }
            let kind = if required {
                Kind::RequiredPropertyAddedToClosedContentModel
            } else {
                Kind::OptionalPropertyAddedToClosedContentModel
            };
            (kind, !schema.never, required, reason)
        }
        CatchAll::Schemas(schemas) => {
            let mut found = Vec::new();
            for (catch_ptr, catch_schema) in schemas {
                found.extend(w.probe(catch_schema, catch_ptr, value, ptr.clone(), &at.instance)?);
            }
            let forward = any_breaks(&found, true);
            let backward = required || (strict && any_breaks(&found, false));
            let why = first_reason(&found).unwrap_or("its schema matches the catch-all");
            let mut reason = format!(
                "new property `{name}` where old consumers checked undeclared properties against a catch-all \
                 schema: {why}"
            );
            if required {
                reason.push_str("; it is also required, so new consumers fail on old events, which lack it");
            }
            let kind = if required {
                Kind::RequiredPropertyAddedToPartiallyOpenContentModel
            } else {
                Kind::OptionalPropertyAddedToPartiallyOpenContentModel
            };
            (kind, forward, backward, reason)
        }
    };
    let reason = format!("{reason}{}", rename_note(hint));
    w.findings.report_judged(
        kind,
        at,
        None,
        Some(required_shape(&shape, required)),
        reason,
        forward,
        backward,
    );
    Ok(())
}

/// A property the old schema declared and the new one does not.
#[allow(clippy::too_many_arguments)]
pub(crate) fn removed<'a>(
    w: &mut Walker<'a>,
    name: &str,
    (value, ptr): (&'a Value, String),
    required: bool,
    catch_all: CatchAll<'a>,
    at: &Place,
    hint: Option<&(&str, &str)>,
) -> Result<(), Error> {
    let schema = View::new(Side::Old, w.old_doc, value, ptr.clone())?;
    let strict = producers_may_write_undeclared(w.findings.policy);
    let shape = schema.describe();
    let missing = format!(
        "old consumers require `{name}`: old Rust consumers fail on new events without it (`missing field`; a \
         nullable one silently reads as None) and old TypeScript types promise a value that is not there"
    );
    let (kind, forward, backward, reason) = match catch_all {
        CatchAll::Open => {
            let clash = !required && strict && !schema.accepts_anything();
            let reason = if required {
                format!(
                    "required property `{name}` removed: {missing}; new consumers ignore it in old events"
                )
            } else if clash {
                format!(
                    "optional property `{name}` removed from an open object: new producers are free to write \
                     `{name}` with any value, and old consumers still require {shape} (strict policy); new \
                     consumers ignore it in old events"
                )
            } else {
                format!(
                    "optional property `{name}` removed: old consumers read its absence as None / undefined (they \
                     stop receiving it), new consumers ignore it in old events"
                )
            };
            let kind = if required {
                Kind::RequiredPropertyRemovedFromOpenContentModel
            } else {
                Kind::OptionalPropertyRemovedFromOpenContentModel
            };
            (kind, required || clash, false, reason)
        }
        CatchAll::Closed => {
            let mut reason = format!(
                "property `{name}` removed from a closed object (additionalProperties: false): new Rust consumers \
                 reject old events that carry it ({DENY})"
            );
            if required {
                reason = format!("{reason}; and {missing}");
            }
            let kind = if required {
                Kind::RequiredPropertyRemovedFromClosedContentModel
            } else {
                Kind::OptionalPropertyRemovedFromClosedContentModel
            };
            (kind, required, !schema.never, reason)
        }
        CatchAll::Schemas(schemas) => {
            let mut found = Vec::new();
            for (catch_ptr, catch_schema) in schemas {
                found.extend(w.probe(value, ptr.clone(), catch_schema, catch_ptr, &at.instance)?);
            }
            let backward = any_breaks(&found, false);
            let forward = required || (strict && any_breaks(&found, true));
            let why = first_reason(&found).unwrap_or("the catch-all accepts what the property allowed");
            let mut reason = format!(
                "property `{name}` removed, so new consumers check it in old events against the catch-all schema: \
                 {why}"
            );
            if required {
                reason = format!("{reason}; and {missing}");
            }
            let kind = if required {
                Kind::RequiredPropertyRemovedFromPartiallyOpenContentModel
            } else {
                Kind::OptionalPropertyRemovedFromPartiallyOpenContentModel
            };
            (kind, forward, backward, reason)
        }
    };
    let reason = format!("{reason}{}", rename_note(hint));
    w.findings.report_judged(
        kind,
        at,
        Some(required_shape(&shape, required)),
        None,
        reason,
        forward,
        backward,
    );
    Ok(())
}

fn required_shape(shape: &str, required: bool) -> String {
    if required { format!("{shape} (required)") } else { format!("{shape} (optional)") }
}
