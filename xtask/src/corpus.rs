//! `cargo xtask corpus DIR` (and `cargo xtask ci --corpus DIR`): proof on real JSON that no
//! one here wrote.
//!
//! The corpus is checked two ways, as a user meets it:
//! - **per file**: every `*.json` file under DIR is one type, inferred from that one sample,
//!   in a module of its own;
//! - **per folder**: every folder under DIR (and DIR itself if it holds JSON files) is one
//!   module, read as `cargo xtask infer FOLDER` reads it (each file a type, each subfolder a type with its files as samples), so many
//!   types share one namespace and multi-sample types are proven on each of their samples.
//!
//! Each sample is then checked five ways, and a table per mode says how many passed each:
//! 1. inference of its type succeeds;
//! 2. the `jsonschema` crate accepts the sample against its type's schema;
//! 3. ajv (JavaScript, sharing no code with it) accepts it too;
//! 4. the module's TypeScript passes `tsc --strict` with the sample assigned, as an object
//!    literal, to its type;
//! 5. the module's Rust (typify) compiles, and deserialising the sample into its type and
//!    serialising it back gives the same JSON.
//!
//! The checks run in batches (one `node`, one `tsc`, one `cargo build`) so the whole corpus
//! costs three process starts, not three per file. Checks 3-5 keep their verdicts by content
//! ([`cache`]): a module whose generated code, samples and tools are unchanged is not checked
//! again. Every module and sample has an id made from its path, so adding a file to the
//! corpus leaves the other ids, and their cached verdicts, as they were.

mod cache;
mod rust;
mod scratch;
#[cfg(test)]
mod tests;
mod tools;
mod units;

pub use scratch::{scratch_build, scratch_crate_manifest};

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context as _, Result, bail};
use serde_json::Value;

use schema_emit::{Namespace, Origin, SchemaItem};
use schema_infer::Hints;

use crate::infer::{TypeInput, infer_all, plan};
use crate::validation;

/// The checks, in table order.
const CHECKS: [&str; 5] =
    ["infer", "jsonschema (Rust)", "ajv (JavaScript)", "tsc --strict", "rustc + round-trip"];

/// How a module was formed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// One file, one type.
    File,
    /// One folder, read as `cargo xtask infer FOLDER`.
    Folder,
}

/// One generated module: its types and, once inferred, their namespace.
struct Module {
    /// Identifier for generated files, from the kind and path of its source (`f` and the
    /// hash of a file's path, `d` for a folder's), so it does not move when files are added.
    id: String,
    /// The file or folder it was made from.
    source: PathBuf,
    mode: Mode,
    /// Type names and, once inferred, their schemas (`Err` if inference failed).
    types: Vec<(String, Result<Value, String>)>,
    /// The merged namespace, or why the emitters refused it.
    namespace: Option<Result<Namespace, String>>,
}

/// One sample of one type of one module, and what each check said of it.
#[derive(Clone)]
struct Case {
    /// Identifier for generated files: the module's and the sample's place in it, e.g.
    /// `f0123456789_s0003`.
    id: String,
    file: PathBuf,
    module: usize,
    /// Index of its type in the module.
    ty: usize,
    sample: Option<Value>,
    /// `None` until run, `Some(Err)` on failure.
    results: [Option<Result<(), String>>; 5],
}

/// Runs every check over the corpus under `corpus`, per file and per folder, prints the
/// tables, and fails if any check failed on any sample. `root` is the workspace root (for
/// tools and build caches).
pub fn check(root: &Path, corpus: &Path) -> Result<()> {
    check_with(root, corpus, true)
}

/// [`check`], reading no verdict kept from an earlier run when `reuse` is false
/// (`cargo xtask corpus --fresh`): every check runs again (passes are still kept).
pub fn check_with(root: &Path, corpus: &Path, reuse: bool) -> Result<()> {
    // The validator and the fixture writers recurse once per level of a sample, and samples
    // may nest thousands deep: whatever thread calls this (a test's has 2 MiB), the check
    // runs on one with room.
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name("corpus-check".into())
            .stack_size(DEEP_STACK)
            .spawn_scoped(scope, || check_on_this_thread(root, corpus, reuse))
            .map_err(|e| anyhow::anyhow!("could not start the corpus check's thread: {e}"))?
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

/// The stack the corpus check runs on: 256 MiB of address space, touched only as deep as a
/// sample nests.
const DEEP_STACK: usize = 256 << 20;

fn check_on_this_thread(root: &Path, corpus: &Path, reuse: bool) -> Result<()> {
    if !corpus.is_dir() {
        bail!("cannot read corpus folder {}: not a directory", corpus.display());
    }
    let files = crate::workspace::files_with_extension(corpus, "json", usize::MAX)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    if files.is_empty() {
        bail!("no *.json files under {}", corpus.display());
    }
    let whole = whole_key(root, corpus, &files)?;
    let passed_before = root.join("target/corpus-cache/whole").join(format!("{whole}.md"));
    let passed_report = if reuse { fs::read_to_string(&passed_before).ok() } else { None };
    if let Some(report) = passed_report {
        println!(
            "corpus: every file, the generator and the tools are as they were when this corpus last passed every \
             check; its report:"
        );
        print!("{report}");
        return Ok(());
    }
    let mut modules = Vec::new();
    let mut cases = Vec::new();
    let started = Instant::now();
    for file in &files {
        let name = schema_ident::pascal_case(&file.file_stem().unwrap_or_default().to_string_lossy());
        let input = TypeInput { name, files: vec![file.clone()] };
        let id = module_id(corpus, file, Mode::File);
        add_module(&mut modules, &mut cases, id, file.clone(), Mode::File, vec![input]);
    }
    for folder in folders_with_json(corpus, &files) {
        match plan(std::slice::from_ref(&folder), None) {
            Ok(types) => {
                let id = module_id(corpus, &folder, Mode::Folder);
                add_module(&mut modules, &mut cases, id, folder, Mode::Folder, types);
            }
            Err(error) => bail!("cannot read {} as a module: {error:#}", folder.display()),
        }
    }
    for case in &mut cases {
        validate(case, &modules[case.module]);
    }
    for module in &mut modules {
        module.namespace = namespace_of(module);
    }
    phase("inference, jsonschema and emitters' namespaces", started);
    // A folder of its own per corpus, so two checks of different corpora (CI's, and a test's
    // beside it) never write over each other's files.
    let canonical = fs::canonicalize(corpus).unwrap_or_else(|_| corpus.to_path_buf());
    let run = sha1_smol::Sha1::from(canonical.to_string_lossy().as_bytes()).digest().to_string();
    let scratch = root.join("target/corpus-check").join(&run[..10]);
    let _ = fs::remove_dir_all(&scratch);
    fs::create_dir_all(&scratch)?;
    // node and tsc are single-threaded and wait on no one: they run beside the Rust check,
    // on a copy of the cases, and give back their two columns.
    let mut script_cases = cases.clone();
    let (scripts, rust) = std::thread::scope(|scope| {
        let scripts = scope.spawn(|| -> Result<Vec<Case>> {
            let started = Instant::now();
            tools::run_ajv(root, &scratch, &modules, &mut script_cases, reuse)?;
            phase("ajv", started);
            let started = Instant::now();
            tools::run_tsc(root, &scratch, &modules, &mut script_cases, reuse)?;
            phase("tsc", started);
            Ok(script_cases)
        });
        let started = Instant::now();
        let rust = rust::run_rust(root, &scratch, &modules, &mut cases, reuse);
        phase("rustc + round-trip", started);
        (scripts.join(), rust)
    });
    rust?;
    let script_cases = scripts.unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
    for (case, checked) in cases.iter_mut().zip(script_cases) {
        case.results[2] = checked.results[2].clone();
        case.results[3] = checked.results[3].clone();
    }
    let report = report(corpus, &modules, &cases);
    print!("{report}");
    let failed = cases.iter().flat_map(|c| &c.results).filter(|r| matches!(r, Some(Err(_)) | None)).count();
    if failed > 0 {
        bail!("{failed} corpus check(s) failed");
    }
    fs::create_dir_all(passed_before.parent().expect("a file in a folder"))?;
    cache::write_whole(&passed_before, report.as_bytes())
}

/// Every folder under `corpus` with a JSON file somewhere below it, sorted; `corpus` itself
/// only if it holds JSON files directly (a corpus of corpora is not one module).
fn folders_with_json(corpus: &Path, files: &[PathBuf]) -> Vec<PathBuf> {
    let mut folders: Vec<PathBuf> = files
        .iter()
        .flat_map(|file| file.ancestors().skip(1).take_while(|dir| *dir != corpus).map(Path::to_path_buf))
        .collect();
    if files.iter().any(|file| file.parent() == Some(corpus)) {
        folders.push(corpus.to_path_buf());
    }
    folders.sort();
    folders.dedup();
    folders
}

/// The key of a whole check that passed: the corpus folder as given, the running `xtask`
/// binary (inference, the emitters and the harness are in it), every corpus file's path and
/// bytes, and the tools' fingerprints. Unchanged, the check's every verdict is the same, so none is worked out
/// again (not even inference and emission, which the per-check caches need).
fn whole_key(root: &Path, corpus: &Path, files: &[PathBuf]) -> Result<String> {
    let mut key = cache::Key::new();
    // The report names the folder as it was given: another path is another report.
    key.add(corpus.display().to_string().as_bytes());
    let binary = std::env::current_exe()?;
    key.add(&fs::read(&binary).with_context(|| format!("could not read {}", binary.display()))?);
    for part in [rust::fingerprint(root), tools::ajv_fingerprint(root), tools::tsc_fingerprint(root)] {
        key.add(part.as_bytes());
    }
    for file in files {
        let relative = file.strip_prefix(corpus).unwrap_or(file).to_string_lossy().into_owned();
        let bytes = fs::read(file).with_context(|| format!("could not read {}", file.display()))?;
        key.add(relative.as_bytes()).add(&bytes);
    }
    Ok(key.finish())
}

/// Prints how long a phase of the check took.
fn phase(name: &str, started: Instant) {
    println!("corpus: {name}: {:.1}s", started.elapsed().as_secs_f64());
}

/// A module's id: `f` (one file) or `d` (one folder) and the first 40 bits of the SHA-1 of
/// its path relative to the corpus, with `/` separators on every system.
fn module_id(corpus: &Path, source: &Path, mode: Mode) -> String {
    let relative = source.strip_prefix(corpus).unwrap_or(source);
    let parts: Vec<String> =
        relative.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    let digest = sha1_smol::Sha1::from(parts.join("/")).digest().to_string();
    let kind = match mode {
        Mode::File => 'f',
        Mode::Folder => 'd',
    };
    format!("{kind}{}", &digest[..10])
}

/// Sets check `check`'s result of the cases `which` from their verdicts, in order.
fn assign(cases: &mut [Case], which: &[usize], verdicts: &cache::Verdicts, check: usize) {
    for (&c, verdict) in which.iter().zip(verdicts) {
        cases[c].results[check] = Some(verdict.clone().map_or(Ok(()), Err));
    }
}

/// Infers the types of a module and adds it with a case per sample.
fn add_module(
    modules: &mut Vec<Module>,
    cases: &mut Vec<Case>,
    id: String,
    source: PathBuf,
    mode: Mode,
    types: Vec<TypeInput>,
) {
    let index = modules.len();
    let first_case = cases.len();
    let mut inferred = Vec::new();
    for (ty, input) in types.iter().enumerate() {
        let schema = infer_all(std::slice::from_ref(input), &Hints::default())
            .map(|(mut schemas, _)| schemas.remove(0).schema)
            .map_err(|errors| errors.iter().map(|e| format!("{e:#}")).collect::<Vec<_>>().join("; "));
        for file in &input.files {
            let mut results: [Option<Result<(), String>>; 5] = Default::default();
            results[0] = Some(schema.as_ref().map(|_| ()).map_err(Clone::clone));
            let case_id = format!("{id}_s{:04}", cases.len() - first_case);
            cases.push(Case { id: case_id, file: file.clone(), module: index, ty, sample: None, results });
        }
        inferred.push((input.name.clone(), schema));
    }
    modules.push(Module { id, source, mode, types: inferred, namespace: None });
}

/// Reads the sample and checks it against its type's schema with the `jsonschema` crate.
fn validate(case: &mut Case, module: &Module) {
    let Ok(schema) = &module.types[case.ty].1 else { return };
    let sample = fs::read(&case.file).map_err(|e| e.to_string()).and_then(|bytes| parse_any_depth(&bytes));
    case.results[1] = Some(sample.as_ref().map_err(Clone::clone).and_then(|sample| {
        match validation::violations(schema, sample) {
            Ok(v) if v.is_empty() => Ok(()),
            Ok(v) => {
                Err(v.iter().map(|v| format!("{} {}", v.path, v.message)).collect::<Vec<_>>().join("; "))
            }
            Err(e) => Err(e),
        }
    }));
    case.sample = sample.ok();
}

/// JSON text as a value, however deeply it nests (inference takes any depth, so its proof
/// must read any depth too).
fn parse_any_depth(bytes: &[u8]) -> Result<Value, String> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    deserializer.disable_recursion_limit();
    serde::Deserialize::deserialize(&mut deserializer).map_err(|e: serde_json::Error| e.to_string())
}

/// The emitters' namespace of a module whose every type was inferred.
fn namespace_of(module: &Module) -> Option<Result<Namespace, String>> {
    let items: Option<Vec<SchemaItem>> = module
        .types
        .iter()
        .map(|(name, schema)| {
            let schema = schema.as_ref().ok()?.clone();
            Some(SchemaItem { name: name.clone(), schema, origin: Origin::Inferred, label: name.clone() })
        })
        .collect();
    Some(schema_emit::namespace(&module.id, &items?).map_err(|e| tools::joined(&e)))
}

fn report(corpus: &Path, modules: &[Module], cases: &[Case]) -> String {
    let mut text = String::new();
    for (mode, title) in
        [(Mode::File, "per file (a module per file)"), (Mode::Folder, "per folder (a module per folder)")]
    {
        let of_mode: Vec<&Case> = cases.iter().filter(|c| modules[c.module].mode == mode).collect();
        let module_count = modules.iter().filter(|m| m.mode == mode).count();
        let _ = writeln!(
            text,
            "\ncorpus check of {}, {title}: {module_count} modules, {} samples\n",
            corpus.display(),
            of_mode.len()
        );
        let _ = writeln!(text, "| check | samples | passed | failed |\n|---|---:|---:|---:|");
        for (index, check) in CHECKS.iter().enumerate() {
            let passed = of_mode.iter().filter(|c| matches!(c.results[index], Some(Ok(())))).count();
            let _ = writeln!(text, "| {check} | {} | {passed} | {} |", of_mode.len(), of_mode.len() - passed);
        }
    }
    for case in cases {
        for (index, result) in case.results.iter().enumerate() {
            let reason = match result {
                Some(Ok(())) => continue,
                Some(Err(reason)) => reason.as_str(),
                None => "not run: an earlier check failed",
            };
            let short: String = reason.chars().take(400).collect();
            let module = &modules[case.module];
            let place = match module.mode {
                Mode::File => String::new(),
                Mode::Folder => format!(" in the module of {}", module.source.display()),
            };
            let _ = writeln!(text, "FAILED {}{place} [{}]: {short}", case.file.display(), CHECKS[index]);
        }
    }
    text
}
