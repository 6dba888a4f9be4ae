//! Inferring every type of a run, on every core: sample files are read and folded in
//! parallel, then each type merges its samples in file order and builds its schema (types in
//! parallel too). The result is the same as folding one file after another.

use std::io::Read as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use serde_json::Value;

use crate::parallel;
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
pub type Inferences = Inferred<NamedSchema>;

/// What became of every type's schema, and each warning with the name of its type.
pub type Inferred<T> = (Vec<T>, Vec<(String, Warning)>);

/// Infers every type; on failure, every error of every type (nothing is partial).
pub fn infer_all(types: &[TypeInput], hints: &Hints) -> std::result::Result<Inferences, Vec<anyhow::Error>> {
    infer_all_then(types, hints, |schema| schema)
}

/// [`infer_all`], handing each type's schema to `then` as soon as it is inferred (on the
/// thread that inferred it), so a caller that only needs, say, the schema's text never holds
/// every schema at once.
///
/// Work is split into jobs of whole types (or, for a type with many files, runs of its files),
/// shared among the cores. A job folds its files one after another into one shape, so memory
/// holds one shape per job, not one per file; a whole-type job also finishes its type.
pub fn infer_all_then<T: Send>(
    types: &[TypeInput],
    hints: &Hints,
    then: impl Fn(NamedSchema) -> T + Sync,
) -> std::result::Result<Inferred<T>, Vec<anyhow::Error>> {
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    let total: usize = types.iter().map(|t| t.files.len()).sum();
    let run_length = total.div_ceil(workers * 4).max(1);
    let jobs: Vec<(usize, &[PathBuf])> = types
        .iter()
        .enumerate()
        .flat_map(|(index, input)| input.files.chunks(run_length).map(move |run| (index, run)))
        .collect();
    let whole = |index: usize| types[index].files.len() <= run_length;
    let done = parallel::map(&jobs, |&(index, run)| {
        let folded = fold_files(run, hints);
        if whole(index) {
            Job::Finished(folded.and_then(|s| finish_type(&types[index], hints, s, &then)))
        } else {
            Job::Folded(folded)
        }
    });
    let mut finished: Vec<Option<TypeResult<T>>> = types.iter().map(|_| None).collect();
    let mut partial: Vec<Vec<std::result::Result<FoldedSample, Vec<anyhow::Error>>>> =
        types.iter().map(|_| Vec::new()).collect();
    for ((index, _), job) in jobs.iter().zip(done) {
        match job {
            Job::Finished(result) => finished[*index] = Some(result),
            Job::Folded(folded) => partial[*index].push(folded),
        }
    }
    let mut schemas = Vec::new();
    let mut warnings = Vec::new();
    let mut errors = Vec::new();
    for (index, input) in types.iter().enumerate() {
        let result = finished[index].take().unwrap_or_else(|| {
            let runs = std::mem::take(&mut partial[index]);
            merge_runs(runs).and_then(|sample| finish_type(input, hints, sample, &then))
        });
        match result {
            Ok((done, type_warnings)) => {
                warnings.extend(type_warnings.into_iter().map(|w| (input.name.clone(), w)));
                schemas.push(done);
            }
            Err(mut found) => errors.append(&mut found),
        }
    }
    if errors.is_empty() { Ok((schemas, warnings)) } else { Err(errors) }
}

/// A type's schema (as `then` made it) and warnings, or every error found in its samples.
type TypeResult<T> = std::result::Result<(T, Vec<Warning>), Vec<anyhow::Error>>;

/// What a job gives back: a finished type, or a run of one type's samples folded.
enum Job<T> {
    Finished(TypeResult<T>),
    Folded(std::result::Result<FoldedSample, Vec<anyhow::Error>>),
}

/// Folds `files` one after another into one shape; on failure, the error of every file that
/// fails (after the first, the rest are still read, to report them all).
fn fold_files(files: &[PathBuf], hints: &Hints) -> std::result::Result<FoldedSample, Vec<anyhow::Error>> {
    let mut folded = FoldedSample::empty(hints);
    let mut errors = Vec::new();
    for file in files {
        let result = read(file).and_then(|(origin, bytes)| {
            if errors.is_empty() {
                Ok(folded.fold_json_bytes(hints, &origin, &bytes)?)
            } else {
                Ok(FoldedSample::from_json_bytes(hints, &origin, &bytes).map(drop)?)
            }
        });
        if let Err(error) = result {
            errors.push(error);
        }
    }
    if errors.is_empty() { Ok(folded) } else { Err(errors) }
}

/// Runs of one type's samples merged in order.
fn merge_runs(
    runs: Vec<std::result::Result<FoldedSample, Vec<anyhow::Error>>>,
) -> std::result::Result<FoldedSample, Vec<anyhow::Error>> {
    let mut merged: Option<FoldedSample> = None;
    let mut errors = Vec::new();
    for run in runs {
        match (run, &mut merged) {
            (Ok(run), Some(so_far)) => so_far.merge(run),
            (Ok(run), None) => merged = Some(run),
            (Err(mut found), _) => errors.append(&mut found),
        }
    }
    match merged {
        Some(merged) if errors.is_empty() => Ok(merged),
        _ => Err(errors),
    }
}

/// A sample file's name for messages and its bytes (standard input for [`STDIN`]).
fn read(file: &Path) -> Result<(String, Vec<u8>)> {
    if file == Path::new(STDIN) {
        let mut bytes = Vec::new();
        std::io::stdin().read_to_end(&mut bytes).context("reading standard input")?;
        return Ok(("<stdin>".to_owned(), bytes));
    }
    let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    Ok((file.display().to_string(), bytes))
}

/// One type's schema from its folded samples, handed to `then`.
fn finish_type<T>(
    input: &TypeInput,
    hints: &Hints,
    sample: FoldedSample,
    then: &impl Fn(NamedSchema) -> T,
) -> TypeResult<T> {
    let mut inferrer = Inferrer::new(&input.name, hints.clone());
    inferrer.add_folded(sample);
    let inferred =
        inferrer.finish().with_context(|| format!("inferring {}", input.name)).map_err(|e| vec![e])?;
    Ok((then(NamedSchema { name: input.name.clone(), schema: inferred.schema }), inferred.warnings))
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
