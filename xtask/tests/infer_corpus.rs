//! Soundness on real-world JSON: for every `*.json` file of the shared corpus (quicktype's
//! test inputs, real AWS EventBridge events, deliberately hostile files), the schema inferred
//! from the file accepts the file, checked by the independent `jsonschema` validator.
//!
//! The corpus lives outside the workspace at `<workspace root>/../shared/corpus`; when it is
//! missing (a checkout without it) the test prints a notice and passes.

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;
use xtask::infer::{Hints, Inferrer};
use xtask::validation::violations;

fn corpus_dir() -> Option<PathBuf> {
    let dir = xtask::workspace::root().join("../shared/corpus");
    dir.is_dir().then_some(dir)
}

fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for entry in entries {
        if entry.is_dir() {
            json_files(&entry, out);
        } else if entry.extension().is_some_and(|e| e == "json") {
            out.push(entry);
        }
    }
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
        match violations(&schema, &sample) {
            Ok(found) if found.is_empty() => {}
            Ok(found) => failures.push(format!(
                "{origin}: the inferred schema rejects its sample: {}",
                found
                    .iter()
                    .take(5)
                    .map(|v| format!("{} {}", v.path, v.message))
                    .collect::<Vec<_>>()
                    .join("; ")
            )),
            Err(error) => failures.push(format!("{origin}: {error}")),
        }
    }
    failures
}

#[test]
fn every_corpus_file_validates_against_the_schema_inferred_from_it() {
    let Some(dir) = corpus_dir() else {
        println!("notice: no corpus at ../shared/corpus; skipping the corpus soundness test");
        return;
    };
    let mut files = Vec::new();
    json_files(&dir, &mut files);
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
    let Some(dir) = corpus_dir() else {
        println!("notice: no corpus at ../shared/corpus; skipping the corpus soundness test");
        return;
    };
    let mut failures = Vec::new();
    for folder in ["aws-events", "quicktype/samples", "quicktype/priority"] {
        let mut files = Vec::new();
        json_files(&dir.join(folder), &mut files);
        let samples: Vec<(String, String)> =
            files.iter().map(|f| (f.display().to_string(), fs::read_to_string(f).unwrap())).collect();
        failures.extend(check_sound("Merged", &samples));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn aws_events_share_one_envelope_with_formats_and_optional_fields() {
    let Some(dir) = corpus_dir() else {
        println!("notice: no corpus at ../shared/corpus; skipping");
        return;
    };
    let mut files = Vec::new();
    json_files(&dir.join("aws-events"), &mut files);
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

#[test]
fn the_cli_reads_the_corpus_folder_as_one_type_per_file() {
    let Some(dir) = corpus_dir() else {
        println!("notice: no corpus at ../shared/corpus; skipping");
        return;
    };
    let types = xtask::infer::cli::plan(&[dir.join("aws-events")], None).unwrap();
    assert!(types.iter().any(|t| t.name == "EventbridgeSchedule"), "{types:?}");
    assert!(types.iter().all(|t| t.files.len() == 1));
    let (schemas, _) = xtask::infer::cli::infer_all(&types, &Hints::default()).unwrap();
    assert_eq!(schemas.len(), types.len());
}
