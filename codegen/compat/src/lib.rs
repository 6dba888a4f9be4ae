//! The compatibility gate's engine: compares two versions of a draft-07 JSON Schema and
//! classifies every difference per direction, judged by what generated consumers do.
//!
//! - *Forward*: consumers built from the OLD schema receive events from the NEW producer.
//! - *Backward*: consumers built from the NEW schema receive OLD events (replays, archives,
//!   producers not yet deployed).
//!
//! Each [`Difference`] has a stable [`Kind`] id (Confluent Schema Registry's names where the
//! meaning is the same), a JSON Pointer into the schema, the old and new values as short
//! text, a verdict per direction and a reason that names the consumers it breaks: typify's
//! closed objects (`#[serde(deny_unknown_fields)]`) and closed enums, parsing formats,
//! TypeScript's types. A [`Mode`] picks the directions a check requires; a [`Policy`]
//! decides whether producers may have written undeclared properties into open objects.
//!
//! The crate knows nothing of events, files or git: callers hand it schemas as
//! [`serde_json::Value`]s and get differences back, then render a [`Report`].
//!
//! ```
//! use schema_compat::{Mode, Policy, Report, Subject, compare};
//! use serde_json::json;
//!
//! let old = json!({"type": "object", "properties": {"status": {"enum": ["open", "closed"]}}});
//! let new = json!({"type": "object", "properties": {"status": {"enum": ["open", "closed", "held"]}}});
//! let differences = compare(&old, &new, Policy::Strict).unwrap();
//! assert_eq!(differences[0].kind.id(), "ENUM_VALUE_ADDED");
//! assert!(differences[0].breaks_forward && !differences[0].breaks_backward);
//!
//! let report = Report::new(Mode::Full, Policy::Strict, vec![Subject::new("trading.TradeCancelled", differences)]);
//! assert!(!report.passes());
//! assert!(report.to_text().contains("/properties/status"));
//! ```
//!
//! # For a command-line front end
//!
//! A gate over a repository needs little glue:
//!
//! 1. For each schema file in the working tree, [`compare`] it with the base revision's
//!    version, or [`compare_transitive`] with every committed version (label each with its
//!    commit; the same difference found against several versions comes back once, with
//!    every label in [`Difference::versions`]). Compare each distinct file content once:
//!    most versions in history are identical.
//! 2. A schema that exists at the base but not in the working tree is
//!    [`Difference::schema_removed`] (an event removed, or its detail-type renamed).
//! 3. Acknowledgements: a reviewed entry names a [`Kind`] (parse it with
//!    [`Kind::from_str`](std::str::FromStr), which rejects unknown ids) and a
//!    [`Difference::path`]; set [`Difference::acknowledged`] on the differences it matches,
//!    and fail on entries that matched nothing.
//! 4. Build one [`Subject`] per schema (named `source.DetailType`), a [`Report`] for the
//!    chosen [`Mode`] and [`Policy`] with [`Report::with_fix`] saying how to proceed, print
//!    [`Report::to_text`], [`Report::to_markdown`] or [`Report::to_json`], and exit non-zero
//!    unless [`Report::passes`].
//!
//! [`rules_markdown`] renders every kind with its forward and backward rule as a Markdown
//! table, for documentation that cannot drift from the code.
//!
//! # What "breaks" means
//!
//! A difference breaks a direction when some event valid for the producer's schema is
//! rejected by the consumer's schema, or by the code generated from it even where JSON
//! Schema would accept it (a `format` typify parses, an integer width). Where generated code
//! is more lenient than the schema (a missing nullable field that serde reads as `None`, an
//! unknown property an open Rust struct ignores), the schema's verdict stands and the reason
//! says what each consumer actually does.
#![deny(missing_docs)]

// Inside: `walk` holds the comparison's state and dispatches a pair of schema nodes to the
// keywords that recurse into subschemas (`object`, `array`, `combinators`), which call back
// into `walk`; that recursion is the only module circle. Everything else is a leaf:
// `view`/`spelling`/`types` read a node (through `schema-model`'s pointers, `$ref`
// resolution and null-only rule), `content` holds content models and the verdict on a member
// one side lacks (from the rule table in `kind`; `confluent` says where a kind's verdict
// differs on purpose from Confluent's checker), `properties`, `values`, `scalar`, `format`
// and `bounds` report keyword changes into `findings`, `same` says when two schemas or values
// are equal, `mode`/`difference`/`report` are the public results. `negation` (`not`) and
// `dependencies` also recurse, through `walk`'s probes and `compare`.

/// JSON Pointers, shared with every engine (`crate::pointer::push`).
use schema_model::pointer;
mod array;
mod bounds;
mod combinators;
mod confluent;
mod content;
mod dependencies;
mod difference;
mod error;
mod findings;
mod format;
mod kind;
mod mode;
mod negation;
mod object;
mod properties;
mod report;
mod same;
mod scalar;
mod spelling;
mod types;
mod values;
mod view;
mod walk;

pub use difference::{ConsumerHit, Difference};
pub use error::{Error, Side};
pub use kind::{Kind, Rule, UnknownKind, rules_markdown};
pub use mode::{Direction, Mode, Policy, UnknownChoice};
pub use report::{Report, Subject};

use serde_json::Value;

/// Every difference between `old` and `new`, breaking or not, in a stable order (by path,
/// then kind). Identical schemas, and schemas that differ only in annotations
/// (descriptions, titles, examples) or in how they spell nullability, give none.
///
/// # Errors
/// A schema the gate cannot read: a dangling or external `$ref`, a `$ref` loop, a value
/// that is not a schema, an invalid `patternProperties` regex. The error names the schema
/// (old or new), the JSON Pointer and the fix.
pub fn compare(old: &Value, new: &Value, policy: Policy) -> Result<Vec<Difference>, Error> {
    if old == new {
        return Ok(Vec::new());
    }
    let mut walker = walk::Walker::new(old, new, policy);
    walker.compare(old, String::new(), new, String::new(), "")?;
    let mut found = walker.findings.out;
    found.sort_by(|a, b| (&a.path, a.kind, &a.old, &a.new).cmp(&(&b.path, b.kind, &b.old, &b.new)));
    found.dedup_by(|a, b| a.path == b.path && a.kind == b.kind && a.old == b.old && a.new == b.new);
    Ok(found)
}

/// A transitive check: `new` against every earlier version, each given with a label (a
/// commit id, a version number). The same difference found against several versions is
/// reported once, with every label in [`Difference::versions`] (in the order given);
/// differences keep the order in which they were first found.
///
/// # Errors
/// As [`compare`], wrapped in [`Error::InVersion`] naming the version that failed.
pub fn compare_transitive<'v>(
    earlier: impl IntoIterator<Item = (&'v str, &'v Value)>,
    new: &Value,
    policy: Policy,
) -> Result<Vec<Difference>, Error> {
    let mut merged: Vec<Difference> = Vec::new();
    for (label, old) in earlier {
        let found = compare(old, new, policy)
            .map_err(|source| Error::InVersion { version: label.to_owned(), source: Box::new(source) })?;
        for difference in found {
            let same = |d: &&mut Difference| {
                d.kind == difference.kind
                    && d.path == difference.path
                    && d.old == difference.old
                    && d.new == difference.new
            };
            match merged.iter_mut().find(same) {
                Some(existing) => existing.versions.push(label.to_owned()),
                None => merged.push(Difference { versions: vec![label.to_owned()], ..difference }),
            }
        }
    }
    Ok(merged)
}
