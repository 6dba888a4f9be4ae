//! Soundness on real-world JSON: for every `*.json` file of the shared corpus (quicktype's
//! test inputs, real AWS EventBridge events, deliberately hostile files), the schema inferred
//! from the file accepts the file, checked by the independent `jsonschema` validator.
//!
//! The corpus lives outside the workspace at `<workspace root>/../shared/corpus`, where CI
//! puts it; without it these tests fail, saying where it belongs.

use std::fs;
use std::path::{Path, PathBuf};

use schema_infer::{Hints, Inferrer};
use serde_json::Value;

use crate::support;
use support::violations;

fn corpus_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    assert!(dir.is_dir(), "the shared corpus is missing: put it at {}", dir.display());
    dir
}

/// Every `*.json` file under `dir`, sorted by path.
fn json_files(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(|entry| entry.unwrap_or_else(|e| panic!("reading {}: {e}", dir.display())).into_path())
        .filter(|path| path.is_file() && path.extension().is_some_and(|e| e == "json"))
        .collect()
}

/// The schema inferred from `texts` (all samples of one type), checked against each.
fn check_sound(name: &str, samples: &[(String, String)]) -> Vec<String> {
    let mut inferrer = Inferrer::new(name, Hints::default());
    for (origin, text) in samples {
        if let Err(error) = inferrer.add_json_text(origin, text) {
            return vec![format!("{origin}: inference failed: {error}")];
        }
    }
    let schema = match inferrer.finish() {
        Ok(inferred) => inferred.schema,
        Err(error) => return vec![format!("{name}: {error}")],
    };
    let mut failures = Vec::new();
    for (origin, text) in samples {
        let sample: Value = serde_json::from_str(text).unwrap();
        let found = violations(&schema, &sample);
        if !found.is_empty() {
            failures.push(format!(
                "{origin}: the inferred schema rejects its sample: {}",
                found.iter().take(5).cloned().collect::<Vec<_>>().join("; ")
            ));
        }
    }
    failures
}

#[test]
fn every_corpus_file_validates_against_the_schema_inferred_from_it() {
    let dir = corpus_dir();
    let files = json_files(&dir);
    assert!(files.len() >= 40, "expected the whole corpus, found {} files", files.len());
    let mut failures = Vec::new();
    for file in &files {
        let text = fs::read_to_string(file).unwrap();
        let name = file.file_stem().unwrap().to_string_lossy().into_owned();
        failures.extend(check_sound(&name, &[(file.display().to_string(), text)]));
    }
    assert!(
        failures.is_empty(),
        "{} of {} files failed:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
}

#[test]
fn each_corpus_folder_as_samples_of_one_type_validates_every_file() {
    let dir = corpus_dir();
    let mut failures = Vec::new();
    for folder in ["aws-events", "quicktype/samples", "quicktype/priority"] {
        let files = json_files(&dir.join(folder));
        let samples: Vec<(String, String)> =
            files.iter().map(|f| (f.display().to_string(), fs::read_to_string(f).unwrap())).collect();
        failures.extend(check_sound("Merged", &samples));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn aws_events_share_one_envelope_with_formats_and_optional_fields() {
    let dir = corpus_dir();
    let files = json_files(&dir.join("aws-events"));
    let mut inferrer = Inferrer::new("aws event", Hints::default());
    for file in &files {
        inferrer.add_json_text(&file.display().to_string(), &fs::read_to_string(file).unwrap()).unwrap();
    }
    let schema = inferrer.finish().unwrap().schema;
    assert_eq!(schema["title"], "AwsEvent");
    assert_eq!(schema["properties"]["time"]["format"], "date-time");
    let required: Vec<&str> =
        schema["required"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
    for field in ["account", "detail", "detail-type", "id", "region", "source", "time"] {
        assert!(required.contains(&field), "{field} should be required: {required:?}");
    }
}
