//! Where the gate's verdict differs on purpose from Confluent Schema Registry's JSON Schema
//! checker, and why: the gate judges what the generated consumers do (typify's Rust types,
//! the TypeScript package, which validates every event with ajv), and Confluent's checker
//! judges schema text.
//!
//! Kept beside the rule table so `--explain`, the README's rules table and the code cannot
//! disagree. A kind that is not listed here gets the verdicts Confluent's checker gives
//! (its FORWARD check being its BACKWARD check with the schemas swapped).

use crate::Kind;

const DEFAULT_NOT_FILLED: &str = "Confluent calls it compatible when the property has a `default`; \
     generated consumers never fill defaults (typify gives a required field no serde default, ajv \
     runs without `useDefaults`), so old events without it still fail";

const DECLARED_IS_WRITTEN: &str = "Confluent's lenient policy calls a property the catch-all does \
     not cover compatible; producers do write the properties their schema declares, so consumers \
     that check that name against a catch-all schema reject the values it does not allow";

const FORMAT_PARSED: &str = "Confluent's checker ignores `format`; generated consumers parse some \
     formats (typify's Uuid, chrono dates, IpAddr, integer widths) and reject values that do not fit";

/// How the gate's verdict on `kind` differs from Confluent's checker, and why; `None` when
/// they agree.
pub(crate) fn difference(kind: Kind) -> Option<&'static str> {
    use Kind::*;
    Some(match kind {
        SchemaRemoved => {
            "Confluent's SCHEMA_REMOVED is a subschema dropped (compatible); here the whole event is \
             gone, which no consumer can read"
        }
        RequiredAttributeAdded | RequiredPropertyAddedToClosedContentModel => DEFAULT_NOT_FILLED,
        RequiredPropertyAddedToOpenContentModel => {
            "Confluent's lenient policy calls it compatible; old events lack a required property \
             whatever producers wrote, and new consumers reject them (`missing field`, ajv's \
             `required`); nor do generated consumers fill a `default`"
        }
        RequiredPropertyRemovedFromOpenContentModel => {
            "Confluent's lenient policy calls it compatible forward; new events may lack the property, \
             and old consumers still require it"
        }
        OptionalPropertyAddedToPartiallyOpenContentModel
        | RequiredPropertyAddedToPartiallyOpenContentModel
        | OptionalPropertyRemovedFromPartiallyOpenContentModel
        | RequiredPropertyRemovedFromPartiallyOpenContentModel => DECLARED_IS_WRITTEN,
        RequiredUndeclaredPropertyAdded | RequiredUndeclaredPropertyRemoved => {
            "Confluent's checker ignores `required` names that `properties` does not declare; the \
             generated TypeScript consumers validate every event with ajv, which enforces them"
        }
        PatternPropertyAdded | PatternPropertyRemoved => {
            "Confluent's checker compares no `patternProperties` entry by itself (only as the catch-all \
             of an added or removed property), so it calls this compatible; consumers check the values \
             under matching names against the entry's schema"
        }
        FormatAdded | FormatRemoved | FormatChanged => FORMAT_PARSED,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_note_names_confluent_and_gives_a_reason() {
        for kind in Kind::ALL {
            if let Some(note) = difference(*kind) {
                assert!(note.contains("Confluent"), "{kind}: {note}");
                assert!(note.contains(';'), "{kind} says how it differs and why, separated by `;`: {note}");
            }
        }
    }
}
