//! The schema files: one document per event, and the catalog.
//!
//! Sample snapshots (`tests/snapshots`) are insta's alone: `cargo xtask schemas` has the
//! snapshot test refresh them (see [`crate::snapshots`]).

use std::collections::BTreeMap;

use contracts_common::catalog::{Catalog, CatalogEntry, DefinedBy};
use serde_json::{Value, json};

use schema_emit::Format;

use super::preamble;
use crate::events::{EventInput, EventKind};
use crate::json::to_canonical_string;
use crate::workspace::SCHEMAS_DIR;

/// Adds the event's schema document to `files`; returns it, for the emitters to read.
pub fn add_event_files(event: &EventInput, samples: &[Value], files: &mut BTreeMap<String, String>) -> Value {
    let document = schema_document(event, samples);
    files.insert(format!("{SCHEMAS_DIR}/{}", schema_path(event)), to_canonical_string(&document));
    document
}

/// The schema file of an event, relative to `schemas/`.
fn schema_path(event: &EventInput) -> String {
    format!("{}/{}.json", event.source, event.detail_type)
}

/// The published schema: the type's schema plus the samples as `examples` and the event's
/// names as annotations.
fn schema_document(event: &EventInput, samples: &[Value]) -> Value {
    let mut document = event.schema.clone();
    let object = document.as_object_mut().expect("a root schema is an object");
    object.insert("$comment".into(), json!(preamble(Format::Plain)));
    object.insert("examples".into(), json!(samples));
    object.insert("x-event-source".into(), json!(event.source));
    object.insert("x-event-detail-type".into(), json!(event.detail_type));
    document
}

/// `schemas/catalog.json`: every event, its schema file and where it is defined.
pub fn catalog(events: &[EventInput]) -> String {
    let mut entries: Vec<CatalogEntry> = events
        .iter()
        .map(|event| CatalogEntry {
            source: event.source.clone(),
            detail_type: event.detail_type.clone(),
            schema: schema_path(event),
            defined_by: match &event.kind {
                EventKind::SampleOnly { dir } => DefinedBy::Samples { samples: dir.clone() },
                EventKind::Registered { owning_crate, .. } => DefinedBy::Crate { name: owning_crate.clone() },
                EventKind::Test => DefinedBy::Crate { name: "tests".to_owned() },
            },
        })
        .collect();
    entries.sort_by(|a, b| (&a.source, &a.detail_type).cmp(&(&b.source, &b.detail_type)));
    let catalog = Catalog { comment: preamble(Format::Plain), events: entries };
    to_canonical_string(&serde_json::to_value(&catalog).expect("the catalog serialises"))
}
