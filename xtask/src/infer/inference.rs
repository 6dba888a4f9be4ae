//! Inferring every type of a run, on every core: sample files are read and folded in
//! parallel, then each type merges its samples in file order and builds its schema (types in
//! parallel too). The result is the same as folding one file after another.

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::{Context as _, Result};
use serde_json::Value;

use schema_emit::rust::parallel_map;
use schema_infer::{FoldedSample, Hints, Inferrer, Warning};

use super::plan::{STDIN, TypeInput};

/// An inferred top-level type.
#[derive(Debug, Clone, PartialEq)]
pub struct NamedSchema {
    /// The type's name (also the schema's `title`).
    pub name: String,
    /// Its schema.
    pub schema: Value,
}

/// Every type's schema, and each warning with the name of its type.
pub type Inferences = (Vec<NamedSchema>, Vec<(String, Warning)>);

/// Infers every type; on failure, every error of every type (nothing is partial).
pub fn infer_all(types: &[TypeInput], hints: &Hints) -> std::result::Result<Inferences, Vec<anyhow::Error>> {
    let files: Vec<(usize, &PathBuf)> = types
        .iter()
        .enumerate()
        .flat_map(|(index, input)| input.files.iter().map(move |f| (index, f)))
        .collect();
    let folded = parallel_map(&files, |(_, file)| fold_file(file, hints));
    let mut samples: Vec<Vec<Result<FoldedSample>>> = types.iter().map(|_| Vec::new()).collect();
    for ((index, _), sample) in files.iter().zip(folded) {
        samples[*index].push(sample);
    }
    let samples: Vec<Mutex<Vec<Result<FoldedSample>>>> = samples.into_iter().map(Mutex::new).collect();
    let indices: Vec<usize> = (0..types.len()).collect();
    let results = parallel_map(&indices, |&index| {
        let taken = std::mem::take(&mut *samples[index].lock().unwrap_or_else(|e| e.into_inner()));
        finish_type(&types[index], hints, taken)
    });
    let mut schemas = Vec::new();
    let mut warnings = Vec::new();
    let mut errors = Vec::new();
    for (input, result) in types.iter().zip(results) {
        match result {
            Ok((schema, type_warnings)) => {
                warnings.extend(type_warnings.into_iter().map(|w| (input.name.clone(), w)));
                schemas.push(NamedSchema { name: input.name.clone(), schema });
            }
            Err(mut found) => errors.append(&mut found),
        }
    }
    if errors.is_empty() { Ok((schemas, warnings)) } else { Err(errors) }
}

/// Reads one sample file (or standard input) and folds it.
fn fold_file(file: &Path, hints: &Hints) -> Result<FoldedSample> {
    let (origin, bytes) = if file == Path::new(STDIN) {
        let mut bytes = Vec::new();
        std::io::stdin().read_to_end(&mut bytes).context("reading standard input")?;
        ("<stdin>".to_owned(), bytes)
    } else {
        (
            file.display().to_string(),
            std::fs::read(file).with_context(|| format!("reading {}", file.display()))?,
        )
    };
    Ok(FoldedSample::from_json_bytes(hints, &origin, &bytes)?)
}

/// One type's schema from its folded samples, or every error among them.
fn finish_type(
    input: &TypeInput,
    hints: &Hints,
    samples: Vec<Result<FoldedSample>>,
) -> std::result::Result<(Value, Vec<Warning>), Vec<anyhow::Error>> {
    let mut inferrer = Inferrer::new(&input.name, hints.clone());
    let mut errors = Vec::new();
    for sample in samples {
        match sample {
            Ok(sample) => inferrer.add_folded(sample),
            Err(error) => errors.push(error),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let inferred =
        inferrer.finish().with_context(|| format!("inferring {}", input.name)).map_err(|e| vec![e])?;
    Ok((inferred.schema, inferred.warnings))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn invalid_json_fails_the_whole_run_naming_file_line_and_column() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("good.json"), "{\"a\": 1}").unwrap();
        fs::write(dir.path().join("bad.json"), "{\n  \"a\": 1,\n}").unwrap();
        let types = super::super::plan(&[dir.path().to_path_buf()], None).unwrap();
        let errors = infer_all(&types, &Hints::default()).unwrap_err();
        assert_eq!(errors.len(), 1);
        let message = format!("{:#}", errors[0]);
        assert!(message.contains("bad.json:3:1: invalid JSON: trailing comma"), "{message}");
    }

    #[test]
    fn parallel_folding_gives_what_folding_in_order_gives() {
        let dir = tempfile::tempdir().unwrap();
        let mut files = Vec::new();
        for i in 0..40 {
            let path = dir.path().join(format!("s{i:02}.json"));
            let text = match i % 4 {
                0 => format!(r#"{{"id": {i}, "tags": ["t{}"]}}"#, i % 3),
                1 => format!(r#"{{"id": {i}.5, "note": null}}"#),
                2 => format!(r#"{{"id": {i}, "nested": {{"at": "2024-01-0{}T00:00:00Z"}}}}"#, i % 9 + 1),
                _ => format!(r#"{{"id": 1{i}, "tags": []}}"#),
            };
            fs::write(&path, text).unwrap();
            files.push(path);
        }
        let input = TypeInput { name: "Sample".into(), files: files.clone() };
        let (parallel, _) = infer_all(&[input], &Hints::default()).unwrap();
        let mut inferrer = Inferrer::new("Sample", Hints::default());
        for file in &files {
            inferrer.add_json_bytes(&file.display().to_string(), &fs::read(file).unwrap()).unwrap();
        }
        assert_eq!(parallel[0].schema, inferrer.finish().unwrap().schema);
    }
}
