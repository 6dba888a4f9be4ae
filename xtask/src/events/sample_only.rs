//! Sample-only events: events the platform consumes but does not define, such as AWS service
//! events, known only from samples.
//!
//! Their samples live in `contracts/consumed/<source>/<detail-type>/*.json`, each a whole
//! EventBridge event as AWS documents it. The schema covers `detail` (the envelope is the
//! common `EventEnvelope<T>`) and is inferred from every sample's `detail`; a `hints.json`
//! in the folder steers inference (see [`schema_infer::Hints`]). From there the event follows
//! the same path as a Rust-defined one: schema file, catalog entry, Rust and TypeScript.

use std::fs;
use std::path::Path;

use contracts_common::EventEnvelope;
use schema_emit::Diagnostic;
use schema_infer::{Hints, Inferrer};
use serde_json::Value;

use super::input::{EventInput, EventKind};
use crate::workspace::{self, CONSUMED_DIR};

/// The optional hints file in a sample folder.
const HINTS_FILE: &str = "hints.json";

/// Every sample-only event under `root`, sorted, with inference warnings; or every problem.
pub fn load(root: &Path) -> Result<(Vec<EventInput>, Vec<Diagnostic>), Vec<Diagnostic>> {
    let mut events = Vec::new();
    let mut warnings = Vec::new();
    let mut errors = Vec::new();
    let consumed = root.join(CONSUMED_DIR);
    let folders = workspace::subfolders_at_depth(&consumed, 2).map_err(|e| vec![e])?;
    for folder in folders {
        let relative = folder.strip_prefix(&consumed).unwrap_or(&folder);
        let mut names = relative.components().map(|c| c.as_os_str().to_string_lossy().into_owned());
        let (Some(source), Some(detail_type)) = (names.next(), names.next()) else { continue };
        let dir = format!("{CONSUMED_DIR}/{source}/{detail_type}");
        match load_event(&folder, &source, &detail_type, &dir) {
            Ok((event, mut found)) => {
                events.push(event);
                warnings.append(&mut found);
            }
            Err(mut found) => errors.append(&mut found),
        }
    }
    if errors.is_empty() { Ok((events, warnings)) } else { Err(errors) }
}

fn load_event(
    folder: &Path,
    source: &str,
    detail_type: &str,
    dir: &str,
) -> Result<(EventInput, Vec<Diagnostic>), Vec<Diagnostic>> {
    let qualified = format!("{source}.{detail_type}");
    let problem = |message: String| Diagnostic::new(&qualified, message);
    let hints = match fs::read_to_string(folder.join(HINTS_FILE)) {
        Ok(text) => {
            Hints::parse(&text, &format!("{dir}/{HINTS_FILE}")).map_err(|e| vec![problem(e.to_string())])?
        }
        Err(_) => Hints::default(),
    };
    let files: Vec<_> = workspace::files_with_extension(folder, "json", 1)
        .map_err(|e| vec![e])?
        .into_iter()
        .filter(|p| p.file_name().is_some_and(|n| n != HINTS_FILE))
        .collect();
    if files.is_empty() {
        return Err(vec![
            problem(format!("{dir} has no *.json samples")).with_fix("add one or remove the folder"),
        ]);
    }
    let mut errors = Vec::new();
    let mut details = Vec::new();
    for file in &files {
        let origin = format!("{dir}/{}", file.file_name().unwrap_or_default().to_string_lossy());
        match read_detail(file, &origin, source, detail_type) {
            Ok(detail) => details.push(detail),
            Err(error) => errors.push(problem(error)),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut inferrer = Inferrer::new(&schema_ident::pascal_case(detail_type), hints);
    for detail in &details {
        inferrer.try_add_value(dir, detail).map_err(|e| vec![problem(e.to_string())])?;
    }
    let inferred = inferrer.finish().map_err(|e| vec![problem(e.to_string())])?;
    let warnings = inferred
        .warnings
        .iter()
        .map(|w| problem(w.to_string()).with_fix(format!("add a sample or a hint in {dir}")))
        .collect();
    let mut schema = inferred.schema;
    if let Some(object) = schema.as_object_mut() {
        object.insert("$schema".into(), "http://json-schema.org/draft-07/schema#".into());
    }
    let event = EventInput {
        source: source.to_owned(),
        detail_type: detail_type.to_owned(),
        defined_in: dir.to_owned(),
        schema,
        samples: Ok(details),
        kind: EventKind::SampleOnly { dir: dir.to_owned() },
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
