//! What must hold of an event before any of its files is written: its samples exist, round-
//! trip through its type, cover its schema, and validate against it.

use std::collections::BTreeMap;

use schema_emit::Diagnostic;
use serde_json::Value;

use crate::coverage;
use crate::events::{EventInput, EventKind};
use crate::validation;

/// An event whose samples passed every check, with what the checks only warn about.
pub struct Checked<'e> {
    /// The samples.
    pub samples: &'e [Value],
    /// Variants no sample takes.
    pub warnings: Vec<Diagnostic>,
}

/// The event's samples, if every check passes; else every problem found.
pub fn checked_samples(event: &EventInput) -> Result<Checked<'_>, Vec<Diagnostic>> {
    let name = event.qualified_name();
    let samples = match &event.samples {
        Ok(samples) if !samples.is_empty() => samples.as_slice(),
        Ok(_) => {
            return Err(vec![
                Diagnostic::new(&name, "has no sample").with_fix(format!("fix {}", event.factory_hint())),
            ]);
        }
        Err(error) => {
            return Err(vec![
                Diagnostic::new(&name, error.clone()).with_fix(format!("fix {}", event.factory_hint())),
            ]);
        }
    };
    let mut problems = Vec::new();
    if let EventKind::Registered { round_trip, .. } = &event.kind {
        for sample in samples {
            problems.extend(round_trip_problem(event, *round_trip, sample));
        }
    }
    // A sample-only event's schema has exactly what its samples have: nothing to cover.
    let mut warnings = Vec::new();
    if !event.is_inferred() {
        let coverage = coverage::check(&event.schema, samples);
        problems.extend(
            coverage.gaps.into_iter().map(|gap| {
                Diagnostic::new(&name, format!("{}, in {}", gap.describe(), event.factory_hint()))
            }),
        );
        warnings.extend(coverage.untaken.iter().map(|untaken| Diagnostic::new(&name, untaken.describe())));
    }
    match samples.iter().map(|s| validation::violations(&event.schema, s)).collect::<Result<Vec<_>, _>>() {
        Err(error) => problems.push(Diagnostic::new(&name, error)),
        Ok(violations) => problems.extend(violations.into_iter().flatten().map(|v| {
            let place = if v.path.is_empty() { "the root" } else { &v.path };
            Diagnostic::new(&name, format!("sample breaks its schema at {place}: {}", v.message))
                .with_fix("the type's Serialize and JsonSchema disagree")
        })),
    }
    if problems.is_empty() { Ok(Checked { samples, warnings }) } else { Err(problems) }
}

fn round_trip_problem(
    event: &EventInput,
    round_trip: fn(Value) -> Result<Value, serde_json::Error>,
    sample: &Value,
) -> Option<Diagnostic> {
    let name = event.qualified_name();
    match round_trip(sample.clone()) {
        Err(error) => Some(
            Diagnostic::new(&name, format!("sample does not deserialise into its own type: {error}")).with_fix(
                format!(
                    "two fields may serialise to one JSON key (e.g. a field beside the flattened EventMetadata) in {}",
                    event.defined_in
                ),
            ),
        ),
        Ok(again) if again != *sample => Some(
            Diagnostic::new(&name, "sample changes on a round-trip through its type")
                .with_fix(format!("check custom serde attributes in {}", event.defined_in)),
        ),
        Ok(_) => None,
    }
}

/// Two events with one source and detail-type would overwrite each other's files.
pub fn duplicate_names(events: &[EventInput]) -> Vec<Diagnostic> {
    let mut seen = BTreeMap::new();
    let mut failures = Vec::new();
    for event in events {
        if let Some(first) = seen.insert(event.qualified_name(), &event.defined_in) {
            failures.push(
                Diagnostic::new(
                    event.qualified_name(),
                    format!("registered twice, in {first} and {}", event.defined_in),
                )
                .with_fix("rename one event"),
            );
        }
    }
    failures
}
