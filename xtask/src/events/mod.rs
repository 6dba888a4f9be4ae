//! The generator's view of the events: where each comes from, its samples and its schema.
//!
//! Three kinds of event reach the pipeline ([`EventKind`]): registered ones, Rust types in
//! the contract crates ([`registered`]); sample-only ones, AWS or third-party events known
//! from JSON samples under `contracts/consumed` ([`sample_only`]); and events a test builds
//! from any type ([`EventInput::from_type`]).

pub mod generics;
mod input;
pub mod offsets;
pub mod producer;
pub mod registered;
pub mod sample_only;

pub use input::{EventInput, EventKind};
use schema_emit::Diagnostic;

/// Every event the generator covers, sorted by source and detail-type: the registered ones
/// (compiled in) and the sample-only ones under `root`, with the warnings of inferring the
/// latter; or every problem found.
pub fn all(root: &std::path::Path) -> Result<(Vec<EventInput>, Vec<Diagnostic>), Vec<Diagnostic>> {
    let mut errors = registered::unlinked_crates(root);
    let (mut events, warnings) = match sample_only::load(root) {
        Ok(found) => found,
        Err(mut found) => {
            errors.append(&mut found);
            (Vec::new(), Vec::new())
        }
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    events.extend(registered::all());
    events.sort_by(|a, b| (&a.source, &a.detail_type).cmp(&(&b.source, &b.detail_type)));
    Ok((events, warnings))
}
