//! `cargo xtask ci --corpus DIR`: proof on real JSON that no one here wrote.
//!
//! Every `*.json` file under the folder is one type, inferred from that one sample. Each is
//! then checked five ways, and a table says how many passed each check:
//! 1. inference succeeds;
//! 2. the `jsonschema` crate accepts the sample against the inferred schema;
//! 3. ajv (JavaScript, sharing no code with it) accepts it too;
//! 4. the TypeScript emitted for the schema passes `tsc --strict` with the sample assigned,
//!    as an object literal, to the root type;
//! 5. the Rust emitted by typify compiles, and deserialising the sample into the root type and
//!    serialising it back gives the same JSON.
//!
//! The checks run in batches (one `node`, one `tsc`, one `cargo build`) so the whole corpus
//! costs three process starts, not three per file.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context as _, Result, bail};
use serde_json::Value;

use schema_emit::preamble::{Format, preamble};
use schema_emit::{Namespace, Origin, SchemaItem, rust, typescript};
use schema_infer::{Hints, Inferrer};

use crate::outputs::typescript_package;
use crate::validation;

/// The preamble of every file the corpus check generates.
fn header() -> String {
    preamble("cargo xtask corpus", Format::Slashes)
}

/// The checks, in table order.
const CHECKS: [&str; 5] =
    ["infer", "jsonschema (Rust)", "ajv (JavaScript)", "tsc --strict", "rustc + round-trip"];

/// One corpus file and what each check said of it (`None` until run, `Some(Err)` on failure).
struct Case {
    file: PathBuf,
    /// Short identifier used for generated module and file names, e.g. `c007`.
    id: String,
    sample: Option<Value>,
    schema: Option<Value>,
    results: [Option<Result<(), String>>; 5],
}

/// Runs every check over every JSON file under `corpus`, prints the table, and fails if any
/// check failed on any file. `root` is the workspace root (for tools and build caches).
pub fn check(root: &Path, corpus: &Path) -> Result<()> {
    let files = json_files(corpus)?;
    if files.is_empty() {
        bail!("no *.json files under {}", corpus.display());
    }
    let mut cases: Vec<Case> = files
        .into_iter()
        .enumerate()
        .map(|(i, file)| Case {
            file,
            id: format!("c{i:03}"),
            sample: None,
            schema: None,
            results: Default::default(),
        })
        .collect();
    for case in &mut cases {
        infer_and_validate(case);
    }
    let scratch = root.join("target/corpus-check");
    let _ = fs::remove_dir_all(&scratch);
    fs::create_dir_all(&scratch)?;
    let modules = source_modules(&cases);
    run_ajv(root, &scratch, &mut cases)?;
    run_tsc(root, &scratch, &mut cases, &modules)?;
    run_rust(root, &scratch, &mut cases, &modules)?;
    print!("{}", report(corpus, &cases));
    let failed = cases.iter().flat_map(|c| &c.results).filter(|r| matches!(r, Some(Err(_)) | None)).count();
    if failed > 0 {
        bail!("{failed} corpus check(s) failed");
    }
    Ok(())
}

fn json_files(dir: &Path) -> Result<Vec<PathBuf>> {
    if !dir.is_dir() {
        bail!("cannot read corpus folder {}: not a directory", dir.display());
    }
    crate::workspace::files_with_extension(dir, "json", usize::MAX).map_err(|e| anyhow::anyhow!("{e}"))
}

fn type_name_of(file: &Path) -> String {
    schema_ident::pascal_case(&file.file_stem().unwrap_or_default().to_string_lossy())
}

fn infer_and_validate(case: &mut Case) {
    let outcome = (|| -> Result<(Value, Value), String> {
        let bytes = fs::read(&case.file).map_err(|e| e.to_string())?;
        let mut inferrer = Inferrer::new(&type_name_of(&case.file), Hints::default());
        inferrer.add_json_bytes(&case.file.display().to_string(), &bytes).map_err(|e| e.to_string())?;
        let inferred = inferrer.finish().map_err(|e| e.to_string())?;
        let sample = serde_json::from_slice(&bytes).map_err(|e| e.to_string())?;
        Ok((inferred.schema, sample))
    })();
    match outcome {
        Ok((schema, sample)) => {
            case.results[0] = Some(Ok(()));
            case.results[1] = Some(match validation::violations(&schema, &sample) {
                Ok(v) if v.is_empty() => Ok(()),
                Ok(v) => {
                    Err(v.iter().map(|v| format!("{} {}", v.path, v.message)).collect::<Vec<_>>().join("; "))
                }
                Err(e) => Err(e),
            });
            case.schema = Some(schema);
            case.sample = Some(sample);
        }
        Err(error) => case.results[0] = Some(Err(error)),
    }
}

/// One emitter namespace per inferred case, keyed by case id; a case whose schema the emitters
/// reject fails the code checks with that reason.
fn source_modules(cases: &[Case]) -> BTreeMap<String, Result<Namespace, String>> {
    cases
        .iter()
        .filter_map(|case| {
            let item = SchemaItem {
                name: type_name_of(&case.file),
                schema: case.schema.clone()?,
                origin: Origin::Inferred,
                label: case.file.display().to_string(),
            };
            let namespace = schema_emit::namespace(&case.id, &[item]).map_err(|e| joined(&e));
            Some((case.id.clone(), namespace))
        })
        .collect()
}

fn joined(diagnostics: &[schema_emit::Diagnostic]) -> String {
    diagnostics.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")
}

fn run_ajv(root: &Path, scratch: &Path, cases: &mut [Case]) -> Result<()> {
    let dir = scratch.join("ajv");
    fs::create_dir_all(&dir)?;
    for case in cases.iter().filter(|c| c.schema.is_some()) {
        fs::write(dir.join(format!("{}.schema.json", case.id)), case.schema.as_ref().unwrap().to_string())?;
        fs::write(dir.join(format!("{}.sample.json", case.id)), fs::read(&case.file)?)?;
    }
    let tool = root.join("xtask/corpus-check");
    let output = Command::new("node")
        .arg(tool.join("validate.mjs"))
        .arg(&dir)
        .current_dir(&tool)
        .output()
        .context("could not run node (Node.js 20 is needed)")?;
    if !output.status.success() {
        bail!("ajv validation crashed: {}", String::from_utf8_lossy(&output.stderr));
    }
    let mut results: BTreeMap<String, Result<(), String>> = BTreeMap::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let result: Value = serde_json::from_str(line).context("unexpected output from validate.mjs")?;
        let errors = result["errors"].as_array().map(|e| e.iter().map(|m| m.to_string()).collect::<Vec<_>>());
        let verdict = if result["ok"] == true { Ok(()) } else { Err(errors.unwrap_or_default().join("; ")) };
        results.insert(result["case"].as_str().unwrap_or_default().to_owned(), verdict);
    }
    for case in cases.iter_mut().filter(|c| c.schema.is_some()) {
        case.results[2] = Some(results.remove(&case.id).unwrap_or(Err("ajv gave no verdict".into())));
    }
    Ok(())
}

fn run_tsc(
    root: &Path,
    scratch: &Path,
    cases: &mut [Case],
    modules: &BTreeMap<String, Result<Namespace, String>>,
) -> Result<()> {
    let dir = scratch.join("typescript");
    fs::create_dir_all(&dir)?;
    let mut files = Vec::new();
    for case in cases.iter_mut() {
        let Some(module) = modules.get(&case.id) else { continue };
        match module {
            Ok(module) => {
                let root_type = &module.roots[0];
                let mut text = typescript::emit_module(module, &header());
                let sample = serde_json::to_string_pretty(case.sample.as_ref().unwrap())?;
                let _ = write!(text, "\nexport const sample: {root_type} = {sample};\n");
                let file = dir.join(format!("{}.ts", case.id));
                fs::write(&file, text)?;
                files.push(file);
            }
            Err(error) => case.results[3] = Some(Err(error.clone())),
        }
    }
    let tsc = typescript_package::tsc(root);
    let output =
        Command::new(&tsc).args(typescript::TSC_STRICT_ARGS).args(&files).output().with_context(|| {
            format!("could not run {} (run `npm ci` in generated/typescript)", tsc.display())
        })?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    for case in cases.iter_mut().filter(|c| c.results[3].is_none() && modules.contains_key(&c.id)) {
        let prefix = format!("{}.ts(", case.id);
        let errors: Vec<&str> = stdout.lines().filter(|l| l.contains(&prefix)).collect();
        case.results[3] = Some(if errors.is_empty() { Ok(()) } else { Err(errors.join("; ")) });
    }
    if !output.status.success() && cases.iter().all(|c| !matches!(c.results[3], Some(Err(_)))) {
        bail!("tsc failed without naming a corpus file:\n{stdout}");
    }
    Ok(())
}

fn run_rust(
    root: &Path,
    scratch: &Path,
    cases: &mut [Case],
    modules: &BTreeMap<String, Result<Namespace, String>>,
) -> Result<()> {
    let dir = scratch.join("rust");
    fs::create_dir_all(dir.join("src"))?;
    let mut mods = String::new();
    let mut arms = String::new();
    for case in cases.iter_mut() {
        let Some(module) = modules.get(&case.id) else { continue };
        let emitted = module
            .clone()
            .and_then(|m| rust::emit_module(&m, &header()).map(|r| (m, r)).map_err(|e| joined(&e)));
        match emitted {
            Ok((module, code)) => {
                fs::write(dir.join(format!("src/{}.rs", case.id)), code.code)?;
                let _ = writeln!(mods, "#[allow(warnings, clippy::all)]\nmod {};", case.id);
                let _ = writeln!(
                    arms,
                    "    check::<{id}::{ty}>({id:?}, {path:?});",
                    id = case.id,
                    ty = module.roots[0],
                    path = case.file.display().to_string()
                );
            }
            Err(error) => case.results[4] = Some(Err(error)),
        }
    }
    fs::write(dir.join("Cargo.toml"), CORPUS_CRATE_MANIFEST)?;
    // The workspace's lock pins the same versions the generated crate is tested with.
    fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock"))?;
    fs::write(dir.join("src/main.rs"), format!("{mods}\n{CORPUS_MAIN_PRELUDE}fn main() {{\n{arms}}}\n"))?;
    let output = Command::new("cargo")
        .args(["run", "--quiet", "--offline", "--manifest-path"])
        .arg(dir.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", root.join("target/corpus-check-build"))
        .output()
        .context("could not run cargo")?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let mut verdicts: BTreeMap<&str, Result<(), String>> = BTreeMap::new();
    for line in stdout.lines() {
        if let Some((id, verdict)) = line.split_once(' ') {
            verdicts.insert(id, if verdict == "ok" { Ok(()) } else { Err(verdict.to_owned()) });
        }
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    for case in cases.iter_mut().filter(|c| c.results[4].is_none() && modules.contains_key(&c.id)) {
        case.results[4] = Some(verdicts.remove(case.id.as_str()).unwrap_or_else(|| {
            let errors: Vec<&str> =
                stderr.lines().filter(|l| l.contains(&format!("src/{}.rs", case.id))).collect();
            Err(if errors.is_empty() { "no verdict (build failed)".to_owned() } else { errors.join("; ") })
        }));
    }
    if !output.status.success() && verdicts.is_empty() && stdout.is_empty() {
        eprintln!("{stderr}");
    }
    Ok(())
}

const CORPUS_CRATE_MANIFEST: &str = r#"[package]
name = "corpus-check"
version = "0.0.0"
edition = "2024"
publish = false

[workspace]

[dependencies]
chrono = { version = "0.4.42", default-features = false, features = ["serde", "std", "clock"] }
regress = "0.12"
serde = { version = "1.0.228", features = ["derive"] }
serde_json = "1.0.145"
uuid = { version = "1.18", features = ["serde"] }
"#;

const CORPUS_MAIN_PRELUDE: &str = r#"fn check<T: serde::de::DeserializeOwned + serde::Serialize>(id: &str, path: &str) {
    let text = std::fs::read_to_string(path).expect("the corpus file is readable");
    let sample: serde_json::Value = serde_json::from_str(&text).expect("the corpus file is JSON");
    let verdict = match serde_json::from_value::<T>(sample.clone()).and_then(serde_json::to_value) {
        Ok(again) => match difference(&sample, &again, String::new()) {
            None => "ok".to_owned(),
            Some(place) => format!("the round-trip changed the JSON at {place}"),
        },
        Err(error) => format!("does not deserialise: {error}"),
    };
    println!("{id} {verdict}");
}

/// The first place where two JSON values differ. Numbers compare by value: JSON has one
/// number type, so `1` and `1.0` are the same number (a field typed `f64` writes `1.0`).
fn difference(a: &serde_json::Value, b: &serde_json::Value, at: String) -> Option<String> {
    use serde_json::Value::*;
    match (a, b) {
        (Number(x), Number(y)) if x == y || x.as_f64() == y.as_f64() => None,
        (Array(xs), Array(ys)) if xs.len() == ys.len() => {
            xs.iter().zip(ys).enumerate().find_map(|(i, (x, y))| difference(x, y, format!("{at}/{i}")))
        }
        (Object(xs), Object(ys)) if xs.len() == ys.len() => xs.iter().find_map(|(k, x)| match ys.get(k) {
            Some(y) => difference(x, y, format!("{at}/{k}")),
            None => Some(format!("{at}/{k} (missing after)")),
        }),
        _ if a == b => None,
        _ => Some(format!("{} ({a} became {b})", if at.is_empty() { "the root" } else { &at })),
    }
}

"#;

fn report(corpus: &Path, cases: &[Case]) -> String {
    let mut text = format!("\ncorpus check of {} ({} files)\n\n", corpus.display(), cases.len());
    let _ = writeln!(text, "| check | files | passed | failed |\n|---|---:|---:|---:|");
    for (index, check) in CHECKS.iter().enumerate() {
        let passed = cases.iter().filter(|c| matches!(c.results[index], Some(Ok(())))).count();
        let _ = writeln!(text, "| {check} | {} | {passed} | {} |", cases.len(), cases.len() - passed);
    }
    for case in cases {
        for (index, result) in case.results.iter().enumerate() {
            let reason = match result {
                Some(Ok(())) => continue,
                Some(Err(reason)) => reason.as_str(),
                None => "not run: an earlier check failed",
            };
            let short: String = reason.chars().take(400).collect();
            let _ = writeln!(text, "FAILED {} [{}]: {short}", case.file.display(), CHECKS[index]);
        }
    }
    text
}
