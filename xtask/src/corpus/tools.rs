//! The corpus check's batch runs of the JavaScript tools: ajv (one `node` over every sample
//! not cached) and `tsc` (one program over every module not cached). The Rust check is in
//! [`super::rust`].

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use anyhow::{Context as _, Result, bail};
use serde_json::Value;

use schema_emit::typescript;
use schema_emit::{Format, preamble};

use super::cache::{Cache, Verdicts, file_contents, tool_version};
use super::{Case, Module, assign};
use crate::cmd::Cmd;
use crate::outputs::typescript_package;

/// The preamble of every file the corpus check generates.
pub(super) fn header() -> String {
    preamble("cargo xtask corpus", Format::Slashes)
}

/// Diagnostics as one line.
pub(super) fn joined(diagnostics: &[schema_emit::Diagnostic]) -> String {
    diagnostics.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")
}

/// The module's namespace, or why there is none (inference or the emitters refused it).
pub(super) fn namespace(module: &Module) -> Result<&schema_emit::Namespace, String> {
    match &module.namespace {
        Some(Ok(namespace)) => Ok(namespace),
        Some(Err(error)) => Err(error.clone()),
        None => Err("not run: inference failed".into()),
    }
}

/// What decides ajv's verdicts besides schema and sample: node, the locked ajv, the script.
pub(super) fn ajv_fingerprint(root: &Path) -> String {
    let tool = root.join("xtask/corpus-check");
    format!(
        "{}\n{}",
        tool_version("node", &["--version"]),
        file_contents(&[tool.join("package-lock.json"), tool.join("validate.mjs")])
    )
}

/// What decides `tsc`'s verdicts besides the code: node, the locked TypeScript, the flags.
pub(super) fn tsc_fingerprint(root: &Path) -> String {
    let package = root.join(crate::workspace::TYPESCRIPT_PACKAGE_DIR);
    format!(
        "{}\n{}\n{}",
        tool_version("node", &["--version"]),
        typescript::TSC_STRICT_ARGS.join(" "),
        file_contents(&[package.join("package-lock.json")])
    )
}

/// Check 3: ajv, in one `node` process, on every sample whose type was inferred and whose
/// verdict is not cached.
pub(super) fn run_ajv(
    root: &Path,
    scratch: &Path,
    modules: &[Module],
    cases: &mut [Case],
    reuse: bool,
) -> Result<()> {
    let tool = root.join("xtask/corpus-check");
    let cache = Cache::open(root, "ajv", ajv_fingerprint(root), reuse)?;
    let dir = scratch.join("ajv");
    fs::create_dir_all(&dir)?;
    let mut written = Vec::new();
    for (index, case) in cases.iter_mut().enumerate() {
        let Ok(schema) = &modules[case.module].types[case.ty].1 else { continue };
        let schema = schema.to_string();
        let sample = fs::read(&case.file)?;
        let key = cache.key().add(schema.as_bytes()).add(&sample).finish();
        if let Some(verdict) = cache.get(&key).and_then(|v| v.into_iter().next()) {
            case.results[2] = Some(verdict.map_or(Ok(()), Err));
            continue;
        }
        fs::write(dir.join(format!("{}.schema.json", case.id)), schema)?;
        fs::write(dir.join(format!("{}.sample.json", case.id)), sample)?;
        written.push((index, key));
    }
    if written.is_empty() {
        return Ok(());
    }
    let output = Cmd::new("node")
        .arg(tool.join("validate.mjs"))
        .arg(&dir)
        .dir(&tool)
        .read()
        .context("ajv validation crashed (it needs Node.js 20, and `npm ci` in xtask/corpus-check)")?;
    let mut results: BTreeMap<String, Result<(), String>> = BTreeMap::new();
    for line in output.lines() {
        let result: Value = serde_json::from_str(line).context("unexpected output from validate.mjs")?;
        let errors = result["errors"].as_array().map(|e| e.iter().map(|m| m.to_string()).collect::<Vec<_>>());
        let verdict = if result["ok"] == true { Ok(()) } else { Err(errors.unwrap_or_default().join("; ")) };
        results.insert(result["case"].as_str().unwrap_or_default().to_owned(), verdict);
    }
    for (index, key) in written {
        let case = &mut cases[index];
        match results.remove(&case.id) {
            Some(verdict) => {
                cache.put(&key, &vec![verdict.clone().err()])?;
                case.results[2] = Some(verdict);
            }
            None => case.results[2] = Some(Err("ajv gave no verdict".into())),
        }
    }
    Ok(())
}

/// One module's TypeScript files and what it takes to check them.
struct TypeScriptModule {
    /// The module's own file and one file per sample, assigning it to its type.
    files: Vec<(String, String)>,
    /// Its cases with samples, in the order of their files.
    cases: Vec<usize>,
    key: String,
}

/// Check 4: one `tsc --strict` over every module not cached and, per sample, a file assigning
/// it to its type. An error in a module fails all of its samples; an error in a sample's
/// file, that one.
pub(super) fn run_tsc(
    root: &Path,
    scratch: &Path,
    modules: &[Module],
    cases: &mut [Case],
    reuse: bool,
) -> Result<()> {
    let cache = Cache::open(root, "tsc", tsc_fingerprint(root), reuse)?;
    let mut unchecked = Vec::new();
    for (index, module) in modules.iter().enumerate() {
        let own: Vec<usize> =
            (0..cases.len()).filter(|&c| cases[c].module == index && cases[c].sample.is_some()).collect();
        let namespace = match namespace(module) {
            Ok(namespace) => namespace,
            Err(error) => {
                own.iter().for_each(|&c| cases[c].results[3] = Some(Err(error.clone())));
                continue;
            }
        };
        let mut files = vec![(module.id.clone(), typescript::emit_module(namespace, &header()))];
        for &c in &own {
            let case = &cases[c];
            let root_type = &namespace.roots[case.ty];
            let sample = case.sample.as_ref().expect("filtered on samples");
            let typed = typescript::typed_value(namespace, "m.", root_type, sample, "part");
            let text = format!(
                "{}import type * as m from \"./{}\";\n\n{}export const sample: m.{root_type} = {};\n",
                header(),
                module.id,
                typed.declarations,
                typed.literal,
            );
            files.push((case.id.clone(), text));
        }
        let mut key = cache.key();
        files.iter().for_each(|(name, text)| {
            key.add(name.as_bytes()).add(text.as_bytes());
        });
        let key = key.finish();
        match cache.get(&key).filter(|v| v.len() == own.len()) {
            Some(verdicts) => assign(cases, &own, &verdicts, 3),
            None => unchecked.push(TypeScriptModule { files, cases: own, key }),
        }
    }
    if unchecked.is_empty() {
        return Ok(());
    }
    let dir = scratch.join("typescript");
    fs::create_dir_all(&dir)?;
    let mut paths = Vec::new();
    for (name, text) in unchecked.iter().flat_map(|m| &m.files) {
        let path = dir.join(format!("{name}.ts"));
        fs::write(&path, text)?;
        paths.push(path);
    }
    let tsc = typescript_package::tsc(root);
    let output = Cmd::new(&tsc)
        .args(typescript::TSC_STRICT_ARGS)
        .args(&paths)
        .output()
        .context("tsc is needed: run `npm ci` in generated/typescript")?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let errors_in = |name: &str| -> Vec<&str> {
        let prefix = format!("{name}.ts(");
        stdout.lines().filter(|l| l.contains(&prefix)).collect()
    };
    let verdicts: Vec<Verdicts> = unchecked
        .iter()
        .map(|module| {
            let module_errors = errors_in(&module.files[0].0);
            let verdict = |name: &str| {
                let errors: Vec<&str> = module_errors.iter().copied().chain(errors_in(name)).collect();
                (!errors.is_empty()).then(|| errors.join("; "))
            };
            module.files.iter().skip(1).map(|(name, _)| verdict(name)).collect()
        })
        .collect();
    if !output.status.success() && verdicts.iter().flatten().all(Option::is_none) {
        bail!("tsc failed without naming a corpus file:\n{stdout}");
    }
    for (module, verdicts) in unchecked.iter().zip(&verdicts) {
        assign(cases, &module.cases, verdicts, 3);
        cache.put(&module.key, verdicts)?;
    }
    Ok(())
}
