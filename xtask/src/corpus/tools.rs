//! The corpus check's batch runs of the outside tools: ajv (one `node`), `tsc` (one run over
//! every module) and rustc (one crate with every module, run once to round-trip every sample).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::process::Command;

use anyhow::{Context as _, Result, bail};
use serde_json::Value;

use schema_emit::preamble::{Format, preamble};
use schema_emit::{rust, typescript};

use super::{Case, Module};
use crate::outputs::typescript_package;

/// The preamble of every file the corpus check generates.
fn header() -> String {
    preamble("cargo xtask corpus", Format::Slashes)
}

/// Diagnostics as one line.
pub(super) fn joined(diagnostics: &[schema_emit::Diagnostic]) -> String {
    diagnostics.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")
}

/// The module's namespace, or why there is none (inference or the emitters refused it).
fn namespace(module: &Module) -> Result<&schema_emit::Namespace, String> {
    match &module.namespace {
        Some(Ok(namespace)) => Ok(namespace),
        Some(Err(error)) => Err(error.clone()),
        None => Err("not run: inference failed".into()),
    }
}

/// Check 3: ajv, in one `node` process, on every sample whose type was inferred.
pub(super) fn run_ajv(root: &Path, scratch: &Path, modules: &[Module], cases: &mut [Case]) -> Result<()> {
    let dir = scratch.join("ajv");
    fs::create_dir_all(&dir)?;
    let mut written = Vec::new();
    for case in cases.iter() {
        let Ok(schema) = &modules[case.module].types[case.ty].1 else { continue };
        fs::write(dir.join(format!("{}.schema.json", case.id)), schema.to_string())?;
        fs::write(dir.join(format!("{}.sample.json", case.id)), fs::read(&case.file)?)?;
        written.push(case.id.clone());
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
    for case in cases.iter_mut().filter(|c| written.contains(&c.id)) {
        case.results[2] = Some(results.remove(&case.id).unwrap_or(Err("ajv gave no verdict".into())));
    }
    Ok(())
}

/// Check 4: one `tsc --strict` over every module and, per sample, a file assigning it to its
/// type. An error in a module fails all of its samples; an error in a sample's file, that one.
pub(super) fn run_tsc(root: &Path, scratch: &Path, modules: &[Module], cases: &mut [Case]) -> Result<()> {
    let dir = scratch.join("typescript");
    fs::create_dir_all(&dir)?;
    let mut files = Vec::new();
    for module in modules {
        if let Ok(namespace) = namespace(module) {
            let file = dir.join(format!("{}.ts", module.id));
            fs::write(&file, typescript::emit_module(namespace, &header()))?;
            files.push(file);
        }
    }
    for case in cases.iter_mut() {
        let module = &modules[case.module];
        let (namespace, Some(sample)) = (namespace(module), &case.sample) else { continue };
        match namespace {
            Ok(namespace) => {
                let root_type = &namespace.roots[case.ty];
                let text = format!(
                    "{}import type {{ {root_type} }} from \"./{}\";\n\nexport const sample: {root_type} = {};\n",
                    header(),
                    module.id,
                    serde_json::to_string_pretty(sample)?
                );
                let file = dir.join(format!("{}.ts", case.id));
                fs::write(&file, text)?;
                files.push(file);
            }
            Err(error) => case.results[3] = Some(Err(error)),
        }
    }
    let tsc = typescript_package::tsc(root);
    let output =
        Command::new(&tsc).args(typescript::TSC_STRICT_ARGS).args(&files).output().with_context(|| {
            format!("could not run {} (run `npm ci` in generated/typescript)", tsc.display())
        })?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let errors_in = |id: &str| -> Vec<&str> {
        let prefix = format!("{id}.ts(");
        stdout.lines().filter(|l| l.contains(&prefix)).collect()
    };
    for case in cases.iter_mut().filter(|c| c.results[3].is_none() && c.sample.is_some()) {
        let module = &modules[case.module];
        if namespace(module).is_err() {
            continue;
        }
        let mut errors = errors_in(&module.id);
        errors.extend(errors_in(&case.id));
        case.results[3] = Some(if errors.is_empty() { Ok(()) } else { Err(errors.join("; ")) });
    }
    if !output.status.success() && cases.iter().all(|c| !matches!(c.results[3], Some(Err(_)))) {
        bail!("tsc failed without naming a corpus file:\n{stdout}");
    }
    Ok(())
}

/// Most lines of generated Rust per harness binary: rustc's memory grows with a crate, so
/// the modules are shared among several binaries (built two at a time, as cargo does).
const LINES_PER_BINARY: usize = 20_000;

/// Check 5: one crate whose binaries hold every module's Rust, each run once to round-trip its
/// samples. An error in a module fails all of its samples.
pub(super) fn run_rust(root: &Path, scratch: &Path, modules: &[Module], cases: &mut [Case]) -> Result<()> {
    let dir = scratch.join("rust");
    fs::create_dir_all(dir.join("src/bin"))?;
    // Emit every module; group them into binaries of bounded size.
    let mut emitted: BTreeMap<usize, Result<usize, String>> = BTreeMap::new();
    let mut binaries: Vec<Vec<usize>> = Vec::new();
    let mut lines_in_last = usize::MAX;
    for (index, module) in modules.iter().enumerate() {
        let Ok(namespace) = namespace(module) else { continue };
        let result = match rust::emit_module(namespace, &header()) {
            Ok(code) => {
                let lines = code.code.lines().count();
                fs::write(dir.join(format!("src/{}.rs", module.id)), code.code)?;
                if lines_in_last.saturating_add(lines) > LINES_PER_BINARY {
                    binaries.push(Vec::new());
                    lines_in_last = 0;
                }
                lines_in_last += lines;
                binaries.last_mut().expect("a binary was started").push(index);
                Ok(binaries.len() - 1)
            }
            Err(errors) => Err(joined(&errors)),
        };
        emitted.insert(index, result);
    }
    let mut checks: Vec<String> = vec![String::new(); binaries.len()];
    for case in cases.iter_mut() {
        let module = &modules[case.module];
        match (namespace(module), emitted.get(&case.module)) {
            (Ok(namespace), Some(Ok(binary))) if case.sample.is_some() => {
                let path = fs::canonicalize(&case.file).unwrap_or_else(|_| case.file.clone());
                let _ = writeln!(
                    checks[*binary],
                    "        corpus_check::check::<{}::{}>({:?}, {:?});",
                    module.id,
                    namespace.roots[case.ty],
                    case.id,
                    path.display().to_string()
                );
            }
            (Ok(_), Some(Err(error))) => case.results[4] = Some(Err(error.clone())),
            (Err(error), _) => case.results[4] = Some(Err(error)),
            _ => {}
        }
    }
    for (number, members) in binaries.iter().enumerate() {
        let mut text = String::new();
        for &index in members {
            let id = &modules[index].id;
            let _ = writeln!(text, "#[allow(warnings, clippy::all)]\n#[path = \"../{id}.rs\"]\nmod {id};");
        }
        let _ = write!(
            text,
            "\nfn main() {{\n    // Deep samples recurse deeply in serde: give every check room.\n    \
             std::thread::Builder::new().stack_size(1 << 30).spawn(|| {{\n{}    }}).unwrap().join().unwrap();\n}}\n",
            checks[number]
        );
        fs::write(dir.join(format!("src/bin/b{number:02}.rs")), text)?;
    }
    fs::write(dir.join("src/lib.rs"), CORPUS_LIB)?;
    fs::write(dir.join("Cargo.toml"), scratch_crate_manifest("corpus-check"))?;
    // The workspace's lock pins the same versions the generated crate is tested with.
    fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock"))?;
    let target = root.join("target/corpus-check-build");
    // A binary left from an earlier run must not answer for one that fails to build now.
    for entry in fs::read_dir(target.join("debug")).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.len() == 3 && name.starts_with('b') && name[1..].bytes().all(|b| b.is_ascii_digit()) {
            let _ = fs::remove_file(entry.path());
        }
    }
    let build = Command::new("cargo")
        .args(["build", "--quiet", "--offline", "--keep-going", "--bins", "--manifest-path"])
        .arg(dir.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", &target)
        .output()
        .context("could not run cargo")?;
    let stderr = String::from_utf8_lossy(&build.stderr);
    let mut verdicts: BTreeMap<String, Result<(), String>> = BTreeMap::new();
    for number in 0..binaries.len() {
        let binary = target.join(format!("debug/b{number:02}"));
        let Ok(output) = Command::new(&binary).output() else { continue };
        for line in String::from_utf8_lossy(&output.stdout).lines() {
            if let Some((id, verdict)) = line.split_once(' ') {
                verdicts
                    .insert(id.to_owned(), if verdict == "ok" { Ok(()) } else { Err(verdict.to_owned()) });
            }
        }
    }
    for case in cases.iter_mut().filter(|c| c.results[4].is_none() && c.sample.is_some()) {
        let module = &modules[case.module];
        if !matches!(emitted.get(&case.module), Some(Ok(_))) {
            continue;
        }
        case.results[4] = Some(verdicts.remove(&case.id).unwrap_or_else(|| {
            let errors: Vec<&str> =
                stderr.lines().filter(|l| l.contains(&format!("src/{}.rs", module.id))).collect();
            Err(if errors.is_empty() { "no verdict (build failed)".to_owned() } else { errors.join("; ") })
        }));
    }
    if !build.status.success() && verdicts.is_empty() {
        eprintln!("{stderr}");
    }
    Ok(())
}

/// The manifest of a scratch crate named `name` that compiles generated Rust on its own, outside
/// the workspace: the dependencies generated modules use, at the workspace's versions (the
/// caller copies `Cargo.lock` beside it). The corpus check and the zoo test both build one.
pub fn scratch_crate_manifest(name: &str) -> String {
    format!(
        r#"[package]
name = "{name}"
version = "0.0.0"
edition = "2024"
publish = false

[workspace]

[dependencies]
chrono = {{ version = "0.4.42", default-features = false, features = ["serde", "std", "clock"] }}
regress = "0.12"
serde = {{ version = "1.0.228", features = ["derive"] }}
serde_json = {{ version = "1.0.145", features = ["unbounded_depth"] }}
uuid = {{ version = "1.18", features = ["serde"] }}

# No debug info: the generated modules are large, and rustc's memory and time grow with it.
[profile.dev]
debug = false
"#
    )
}

const CORPUS_LIB: &str = r#"//! The round-trip check every harness binary runs on its samples.

/// Deserialises the sample at `path` into `T`, serialises it back and prints `<id> ok` or what
/// differs.
pub fn check<T: serde::de::DeserializeOwned + serde::Serialize>(id: &str, path: &str) {
    let text = std::fs::read_to_string(path).expect("the corpus file is readable");
    let mut deserializer = serde_json::Deserializer::from_str(&text);
    deserializer.disable_recursion_limit();
    let sample: serde_json::Value = serde::Deserialize::deserialize(&mut deserializer).expect("the corpus file is JSON");
    let verdict = match serde_json::from_value::<T>(sample.clone()).and_then(serde_json::to_value) {
        Ok(again) => match difference(&sample, &again, String::new()) {
            None => "ok".to_owned(),
            Some(place) => format!("the round-trip changed the JSON at {place}"),
        },
        Err(error) => format!("does not deserialise: {error}"),
    };
    println!("{id} {verdict}");
}

/// The first place where two JSON values differ. Integers must come back exactly; a number
/// written as a float compares by value, since JSON has one number type (`1` and `1.0` are
/// the same number, and a field typed `f64` writes `1.0`).
pub fn difference(a: &serde_json::Value, b: &serde_json::Value, at: String) -> Option<String> {
    use serde_json::Value::*;
    match (a, b) {
        (Number(x), Number(y)) if x == y || ((x.is_f64() || y.is_f64()) && x.as_f64() == y.as_f64()) => None,
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
