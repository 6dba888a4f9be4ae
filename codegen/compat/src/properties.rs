//! A property one schema declares and the other does not, judged by the content model that
//! governs its name in the other schema (see [`crate::content`]).

use crate::content::{CatchAll, Change, Member, producers_may_write_undeclared};
use crate::findings::{Findings, Place, first_reason};
use crate::{Direction, Kind};

const DENY: &str = "typify emits #[serde(deny_unknown_fields)] for a closed object";

/// Reports the property `name`, added or removed as `member` says; `hint` is a likely rename
/// (old name, new name) it takes part in.
pub(crate) fn changed(
    f: &mut Findings,
    name: &str,
    member: Member<'_>,
    at: &Place,
    hint: Option<&(&str, &str)>,
) {
    let (change, required) = (member.change, member.required);
    let kind = kind(change, &member.catch_all, required);
    let (forward, backward) = member.verdict(kind, f.policy, producers_may_write_undeclared(f.policy));
    let knowing_breaks = match change.knowing() {
        Direction::Forward => forward,
        Direction::Backward => backward,
    };
    let shape = member.view.describe();
    let reason = format!("{}{}", reason(name, &member, &shape, knowing_breaks), rename_note(hint));
    let (old, new) =
        change.texts(if required { format!("{shape} (required)") } else { format!("{shape} (optional)") });
    f.report_judged(kind, at, old, new, reason, forward, backward);
}

/// The kind of a property added to or removed from a content model.
fn kind(change: Change, catch_all: &CatchAll<'_>, required: bool) -> Kind {
    use Change::*;
    use Kind::*;
    match (change, catch_all, required) {
        (Added, CatchAll::Open, false) => OptionalPropertyAddedToOpenContentModel,
        (Added, CatchAll::Open, true) => RequiredPropertyAddedToOpenContentModel,
        (Added, CatchAll::Closed, false) => OptionalPropertyAddedToClosedContentModel,
        (Added, CatchAll::Closed, true) => RequiredPropertyAddedToClosedContentModel,
        (Added, CatchAll::Schemas(_), false) => OptionalPropertyAddedToPartiallyOpenContentModel,
        (Added, CatchAll::Schemas(_), true) => RequiredPropertyAddedToPartiallyOpenContentModel,
        (Removed, CatchAll::Open, false) => OptionalPropertyRemovedFromOpenContentModel,
        (Removed, CatchAll::Open, true) => RequiredPropertyRemovedFromOpenContentModel,
        (Removed, CatchAll::Closed, false) => OptionalPropertyRemovedFromClosedContentModel,
        (Removed, CatchAll::Closed, true) => RequiredPropertyRemovedFromClosedContentModel,
        (Removed, CatchAll::Schemas(_), false) => OptionalPropertyRemovedFromPartiallyOpenContentModel,
        (Removed, CatchAll::Schemas(_), true) => RequiredPropertyRemovedFromPartiallyOpenContentModel,
    }
}

/// Why: what consumers on each side do. `knowing_breaks` is the verdict for the consumers
/// that declare the property (an optional one breaks them only through a value the other
/// side's producers may have written under its name).
fn reason(name: &str, member: &Member<'_>, shape: &str, knowing_breaks: bool) -> String {
    let required = member.required;
    let missing = || {
        format!(
            "old consumers require `{name}`: old Rust consumers fail on new events without it (`missing field`; \
             a nullable one silently reads as None) and old TypeScript types promise a value that is not there"
        )
    };
    let text = match (member.change, &member.catch_all) {
        (Change::Added, CatchAll::Open) if required => format!(
            "new required property `{name}`: old events lack it, so new Rust consumers fail (`missing field`; a \
             nullable one silently reads as None) and new TypeScript types promise a value that is not there; old \
             consumers ignore it (the old object is open)"
        ),
        (Change::Added, CatchAll::Open) if knowing_breaks => format!(
            "new optional property `{name}` on an open object: old producers were free to write `{name}` with any \
             value, and new consumers now require {shape} (strict policy); old consumers ignore it"
        ),
        (Change::Added, CatchAll::Open) => format!(
            "new optional property `{name}`: old consumers ignore it (the old object is open), new consumers read \
             its absence in old events as None / undefined"
        ),
        (Change::Removed, CatchAll::Open) if required => {
            format!(
                "required property `{name}` removed: {}; new consumers ignore it in old events",
                missing()
            )
        }
        (Change::Removed, CatchAll::Open) if knowing_breaks => format!(
            "optional property `{name}` removed from an open object: new producers are free to write `{name}` \
             with any value, and old consumers still require {shape} (strict policy); new consumers ignore it in \
             old events"
        ),
        (Change::Removed, CatchAll::Open) => format!(
            "optional property `{name}` removed: old consumers read its absence as None / undefined (they stop \
             receiving it), new consumers ignore it in old events"
        ),
        (Change::Added, CatchAll::Closed) => format!(
            "new property `{name}` on a closed object (additionalProperties: false): old Rust consumers reject \
             every new event that carries it ({DENY})"
        ),
        (Change::Removed, CatchAll::Closed) => format!(
            "property `{name}` removed from a closed object (additionalProperties: false): new Rust consumers \
             reject old events that carry it ({DENY})"
        ),
        (Change::Added, CatchAll::Schemas(_)) => format!(
            "new property `{name}` where old consumers checked undeclared properties against a catch-all schema: \
             {}",
            first_reason(&member.found).unwrap_or("its schema matches the catch-all")
        ),
        (Change::Removed, CatchAll::Schemas(_)) => format!(
            "property `{name}` removed, so new consumers check it in old events against the catch-all schema: {}",
            first_reason(&member.found).unwrap_or("the catch-all accepts what the property allowed")
        ),
    };
    match (member.change, &member.catch_all) {
        (_, CatchAll::Open) => text,
        _ if !required => text,
        (Change::Added, _) => {
            text + "; it is also required, so new consumers fail on old events, which lack it"
        }
        (Change::Removed, _) => format!("{text}; and {}", missing()),
    }
}

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
