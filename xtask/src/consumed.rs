//! Sample-only events: events the platform consumes but does not define, such as AWS service
//! events, known only from samples.
//!
//! Their samples live in `contracts/consumed/<source>/<detail-type>/*.json`, each a whole
//! EventBridge event as AWS documents it. The schema covers `detail` (the envelope is the
//! common `EventEnvelope<T>`) and is inferred from every sample's `detail`; a `hints.json`
//! in the folder steers inference (see [`crate::infer::hints`]). From there the event follows
//! the same path as a Rust-defined one: schema file, catalog entry, Rust and TypeScript.

use std::fs;
use std::path::Path;

use contracts_common::EventEnvelope;
use serde_json::Value;

use crate::emit::model::type_name;
use crate::events::{Consumed, EventInput};
use crate::infer::{Hints, Inferrer};
use crate::workspace::CONSUMED_DIR;

/// The optional hints file in a sample folder.
const HINTS_FILE: &str = "hints.json";

/// Every sample-only event under `root`, sorted, with inference warnings; or every problem.
pub fn load(root: &Path) -> Result<(Vec<EventInput>, Vec<String>), Vec<String>> {
    let mut events = Vec::new();
    let mut warnings = Vec::new();
    let mut errors = Vec::new();
    for source in sorted_dirs(&root.join(CONSUMED_DIR), &mut errors) {
        for folder in sorted_dirs(&source, &mut errors) {
            let name = |p: &Path| p.file_name().unwrap_or_default().to_string_lossy().into_owned();
            let dir = format!("{CONSUMED_DIR}/{}/{}", name(&source), name(&folder));
            match load_event(&folder, &name(&source), &name(&folder), &dir) {
                Ok((event, mut found)) => {
                    events.push(event);
                    warnings.append(&mut found);
                }
                Err(mut found) => errors.append(&mut found),
            }
        }
    }
    if errors.is_empty() { Ok((events, warnings)) } else { Err(errors) }
}

fn sorted_dirs(dir: &Path, errors: &mut Vec<String>) -> Vec<std::path::PathBuf> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Vec::new(),
        Err(e) => {
            errors.push(format!("{}: {e}", dir.display()));
            return Vec::new();
        }
    };
    let mut dirs: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.is_dir()).collect();
    dirs.sort();
    dirs
}

fn load_event(
    folder: &Path,
    source: &str,
    detail_type: &str,
    dir: &str,
) -> Result<(EventInput, Vec<String>), Vec<String>> {
    let qualified = format!("{source}.{detail_type}");
    let hints = match fs::read_to_string(folder.join(HINTS_FILE)) {
        Ok(text) => Hints::parse(&text, &format!("{dir}/{HINTS_FILE}")).map_err(|e| vec![e.to_string()])?,
        Err(_) => Hints::default(),
    };
    let mut files: Vec<_> = fs::read_dir(folder)
        .map_err(|e| vec![format!("{dir}: {e}")])?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension().is_some_and(|e| e == "json") && p.file_name().is_some_and(|n| n != HINTS_FILE)
        })
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(vec![format!("{qualified}: {dir} has no *.json samples; add one or remove the folder")]);
    }
    let mut errors = Vec::new();
    let mut details = Vec::new();
    for file in &files {
        let origin = format!("{dir}/{}", file.file_name().unwrap_or_default().to_string_lossy());
        match read_detail(file, &origin, source, detail_type) {
            Ok(detail) => details.push(detail),
            Err(error) => errors.push(format!("{qualified}: {error}")),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut inferrer = Inferrer::new(&type_name(detail_type), hints);
    for detail in &details {
        inferrer.try_add_value(dir, detail).map_err(|e| vec![format!("{qualified}: {e}")])?;
    }
    let inferred = inferrer.finish().map_err(|e| vec![format!("{qualified}: {e}")])?;
    let warnings = inferred
        .warnings
        .iter()
        .map(|w| format!("{qualified}: {w} (add a sample or a hint in {dir})"))
        .collect();
    let mut schema = inferred.schema;
    if let Some(object) = schema.as_object_mut() {
        object.insert("$schema".into(), "http://json-schema.org/draft-07/schema#".into());
    }
    let event = EventInput {
        source: source.to_owned(),
        detail_type: detail_type.to_owned(),
        owning_crate: String::new(),
        defined_in: dir.to_owned(),
        schema,
        sample: Ok(details[0].clone()),
        round_trip: None,
        consumed: Some(Consumed { dir: dir.to_owned(), details }),
    };
    Ok((event, warnings))
}

/// The `detail` of one sample file, after checking it is an EventBridge event of this folder.
fn read_detail(file: &Path, origin: &str, source: &str, detail_type: &str) -> Result<Value, String> {
    let text = fs::read_to_string(file).map_err(|e| format!("{origin}: {e}"))?;
    // serde_json's message ends with "at line L column C".
    let envelope: EventEnvelope<Value> =
        serde_json::from_str(&text).map_err(|e| format!("{origin}: not an EventBridge event: {e}"))?;
    if envelope.source != source || envelope.detail_type != detail_type {
        return Err(format!(
            "{origin}: the sample says source `{}` and detail-type `{}`, but its folder says `{source}` and \
             `{detail_type}`",
            envelope.source, envelope.detail_type
        ));
    }
    Ok(envelope.detail)
}
