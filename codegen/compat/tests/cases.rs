//! The planted-break suite: every file in `tests/cases/` is one schema pair with the
//! verdict it must get in each mode under each policy, and the differences (kind and path)
//! the gate must name. Each file is its own test, named after it, and every one runs even
//! when another fails (a `harness = false` target driven by libtest-mimic):
//! `cargo test -p schema-compat --test cases -- tuple` runs the files whose names contain
//! `tuple`.
//!
//! A case file:
//!
//! ```json
//! {
//!   "about": "what the case plants",
//!   "old": { "type": "object" },
//!   "new": { "$old": [ { "op": "add", "path": "/required", "value": ["id"] } ] },
//!   "expect": {
//!     "strict":  { "BACKWARD": "incompatible", "FORWARD": "compatible", "FULL": "incompatible" },
//!     "lenient": { "BACKWARD": "incompatible", "FORWARD": "compatible", "FULL": "incompatible" }
//!   },
//!   "differences": ["REQUIRED_ATTRIBUTE_ADDED /properties/id"]
//! }
//! ```
//!
//! A schema is written inline, or as `{"$fixture": "trading/TradeCancelled.json", "patch":
//! [...]}` (a copy of a schema this repository publishes, in `tests/fixtures/`), or for
//! `new` as `{"$old": [...]}`: the old schema with a JSON Patch (RFC 6902 `add`, `remove`,
//! `replace`, `move`) applied. A case may expect an error instead: `"error": "text the
//! message contains"`.
//!
//! Besides the expectations written in the file, every case must judge symmetrically
//! (comparing new with old swaps the forward and backward verdicts), and every difference
//! whose kind has a fixed rule in the published table (`Kind::rule`) must follow it, unless
//! the case says why not in `"rule_exception"`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use libtest_mimic::{Arguments, Failed, Trial};
use schema_compat::{Difference, Direction, Mode, Policy, compare};
use serde_json::Value;

const MODES: [Mode; 3] = [Mode::Backward, Mode::Forward, Mode::Full];
const POLICIES: [Policy; 2] = [Policy::Strict, Policy::Lenient];

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests")
}

fn case_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir().join("cases"))
        .expect("tests/cases exists")
        .map(|entry| entry.expect("readable directory entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

/// Resolves `$fixture` and `$old` schema specifications.
fn schema(spec: &Value, old: Option<&Value>) -> Result<Value, String> {
    let Some(map) = spec.as_object() else { return Ok(spec.clone()) };
    if let Some(name) = map.get("$fixture").and_then(Value::as_str) {
        let path = dir().join("fixtures").join(name);
        let text = fs::read_to_string(&path).map_err(|e| format!("fixture {}: {e}", path.display()))?;
        let base: Value = serde_json::from_str(&text).map_err(|e| format!("fixture {name}: {e}"))?;
        return patch(base, map.get("patch"));
    }
    if let Some(ops) = map.get("$old") {
        let base = old.ok_or("`$old` is only allowed in `new`")?.clone();
        return patch(base, Some(ops));
    }
    Ok(spec.clone())
}

/// Applies JSON Patch operations (add, remove, replace, move).
fn patch(mut doc: Value, ops: Option<&Value>) -> Result<Value, String> {
    for op in ops.and_then(Value::as_array).into_iter().flatten() {
        let path = op["path"].as_str().ok_or("patch op without path")?;
        match op["op"].as_str() {
            Some("add") => add(&mut doc, path, op["value"].clone())?,
            Some("replace") => {
                *doc.pointer_mut(path).ok_or(format!("replace: no {path}"))? = op["value"].clone()
            }
            Some("remove") => {
                remove(&mut doc, path)?;
            }
            Some("move") => {
                let from = op["from"].as_str().ok_or("move without from")?;
                let value = remove(&mut doc, from)?;
                add(&mut doc, path, value)?;
            }
            other => return Err(format!("unsupported patch op {other:?}")),
        }
    }
    Ok(doc)
}

fn split(path: &str) -> Result<(&str, String), String> {
    let (parent, last) = path.rsplit_once('/').ok_or(format!("bad pointer {path}"))?;
    Ok((parent, schema_model::pointer::unescape(last).into_owned()))
}

fn add(doc: &mut Value, path: &str, value: Value) -> Result<(), String> {
    let (parent, last) = split(path)?;
    match doc.pointer_mut(parent).ok_or(format!("add: no parent {parent}"))? {
        Value::Object(map) => {
            map.insert(last, value);
        }
        Value::Array(list) if last == "-" => list.push(value),
        Value::Array(list) => list.insert(last.parse().map_err(|_| format!("bad index in {path}"))?, value),
        _ => return Err(format!("add: {parent} is not a container")),
    }
    Ok(())
}

fn remove(doc: &mut Value, path: &str) -> Result<Value, String> {
    let (parent, last) = split(path)?;
    match doc.pointer_mut(parent).ok_or(format!("remove: no parent {parent}"))? {
        Value::Object(map) => map.remove(&last).ok_or(format!("remove: no {path}")),
        Value::Array(list) => {
            let index: usize = last.parse().map_err(|_| format!("bad index in {path}"))?;
            (index < list.len()).then(|| list.remove(index)).ok_or(format!("remove: no {path}"))
        }
        _ => Err(format!("remove: {parent} is not a container")),
    }
}

fn verdict(differences: &[Difference], mode: Mode) -> &'static str {
    if differences.iter().any(|d| d.breaks(mode)) { "incompatible" } else { "compatible" }
}

fn listed(differences: &[Difference]) -> Vec<String> {
    let mut list: Vec<String> = differences.iter().map(|d| format!("{} {}", d.kind, d.path)).collect();
    list.sort();
    list
}

fn describe(differences: &[Difference]) -> String {
    differences
        .iter()
        .map(|d| {
            let verdict = match (d.breaks_forward, d.breaks_backward) {
                (true, true) => "breaks forward+backward",
                (true, false) => "breaks forward",
                (false, true) => "breaks backward",
                (false, false) => "compatible",
            };
            format!("\n      {} {} ({verdict}): {}", d.kind, d.path, d.reason)
        })
        .collect()
}

/// Everything wrong with one case; empty when it passes.
fn check(case: &Value) -> Result<Vec<String>, String> {
    let old = schema(case.get("old").ok_or("no `old`")?, None)?;
    let new = schema(case.get("new").ok_or("no `new`")?, Some(&old))?;
    let mut problems = Vec::new();
    if let Some(expected) = case.get("error").and_then(Value::as_str) {
        match compare(&old, &new, Policy::Strict) {
            Ok(found) => problems.push(format!("expected an error containing {expected:?}, got {found:?}")),
            Err(error) if !error.to_string().contains(expected) => {
                problems.push(format!("expected an error containing {expected:?}, got: {error}"))
            }
            Err(_) => {}
        }
        return Ok(problems);
    }
    let expected_list: Vec<String> = {
        let mut list: Vec<String> = case["differences"]
            .as_array()
            .ok_or("no `differences` list")?
            .iter()
            .map(|v| v.as_str().map(str::to_owned).ok_or("`differences` holds strings"))
            .collect::<Result<_, _>>()?;
        list.sort();
        list
    };
    for policy in POLICIES {
        let found = compare(&old, &new, policy).map_err(|e| format!("{policy}: unexpected error: {e}"))?;
        let reverse =
            compare(&new, &old, policy).map_err(|e| format!("{policy}, reversed: unexpected error: {e}"))?;
        let expect = &case["expect"][policy.to_string()];
        for mode in MODES {
            let want = expect[mode.to_string()].as_str().ok_or(format!("no expect.{policy}.{mode}"))?;
            let got = verdict(&found, mode);
            if want != got {
                problems
                    .push(format!("{policy} {mode}: expected {want}, got {got}; found:{}", describe(&found)));
            }
        }
        let (f, b, full) = (expect["FORWARD"].as_str(), expect["BACKWARD"].as_str(), expect["FULL"].as_str());
        let either = f == Some("incompatible") || b == Some("incompatible");
        if full != Some(if either { "incompatible" } else { "compatible" }) {
            problems
                .push(format!("the case file is inconsistent: {policy} FULL must be FORWARD or BACKWARD"));
        }
        for (direction, mirrored) in
            [(Direction::Forward, Direction::Backward), (Direction::Backward, Direction::Forward)]
        {
            let there = found.iter().any(|d| d.breaks_in(direction));
            let back = reverse.iter().any(|d| d.breaks_in(mirrored));
            if there != back {
                problems.push(format!(
                    "{policy}: not symmetric: old→new breaks {direction}: {there}, new→old breaks {mirrored}: {back}; \
                     reversed found:{}",
                    describe(&reverse)
                ));
            }
        }
        if case.get("rule_exception").is_none() {
            for difference in &found {
                for direction in [Direction::Forward, Direction::Backward] {
                    let rule = difference.kind.rule(direction);
                    if let Some(want) =
                        rule.breaks(policy).filter(|want| *want != difference.breaks_in(direction))
                    {
                        problems.push(format!(
                            "{policy}: {} at {} breaks {direction}: {}, but its published rule says {} \
                             (add \"rule_exception\" to the case if this is deliberate)",
                            difference.kind,
                            difference.path,
                            !want,
                            rule.label()
                        ));
                    }
                }
            }
        }
        let got_list = listed(&found);
        if got_list != expected_list {
            problems.push(format!(
                "{policy}: differences\n      expected {expected_list:?}\n      found    {got_list:?}"
            ));
        }
    }
    Ok(problems)
}

/// The least number of case files the suite accepts.
const AT_LEAST: usize = 80;

/// One case file's test: its problems, each on its own line, under the file's path.
fn run_case(file: &Path) -> Result<(), Failed> {
    let shown = file.strip_prefix(dir().parent().unwrap_or(Path::new(""))).unwrap_or(file).display();
    let problems = fs::read_to_string(file)
        .map_err(|e| e.to_string())
        .and_then(|text| serde_json::from_str::<Value>(&text).map_err(|e| format!("not JSON: {e}")))
        .and_then(|case| check(&case))
        .map_err(|error| format!("{shown}: {error}"))?;
    if problems.is_empty() { Ok(()) } else { Err(format!("{shown}:\n  {}", problems.join("\n  ")).into()) }
}

/// Every published schema (copied in `tests/fixtures`) compares equal to a copy of itself
/// with a reworded description.
fn run_annotated_copy(path: &Path) -> Result<(), Failed> {
    let old: Value = serde_json::from_str(&fs::read_to_string(path)?)?;
    let mut new = old.clone();
    new["description"] = Value::String("Reworded, which changes nothing a consumer accepts.".into());
    let found = compare(&old, &new, Policy::Strict)?;
    if found.is_empty() { Ok(()) } else { Err(format!("{}: {found:?}", path.display()).into()) }
}

fn fixture_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for source in fs::read_dir(dir().join("fixtures")).expect("tests/fixtures exists") {
        for file in fs::read_dir(source.expect("readable directory entry").path()).expect("a source folder") {
            files.push(file.expect("readable directory entry").path());
        }
    }
    files.sort();
    files
}

fn main() -> ExitCode {
    let cases = case_files();
    let count = cases.len();
    let mut trials = vec![Trial::test("the_suite_has_enough_cases", move || {
        if count >= AT_LEAST {
            Ok(())
        } else {
            Err(format!("the suite needs at least {AT_LEAST} cases, has {count}").into())
        }
    })];
    for file in cases {
        let name = file.file_name().unwrap_or_default().to_string_lossy().into_owned();
        trials.push(Trial::test(name, move || run_case(&file)).with_kind("case"));
    }
    for path in fixture_files() {
        let name = path.strip_prefix(dir().join("fixtures")).unwrap_or(&path).display().to_string();
        trials.push(
            Trial::test(format!("annotated_copy_of {name}"), move || run_annotated_copy(&path))
                .with_kind("fixture"),
        );
    }
    libtest_mimic::run(&Arguments::from_args(), trials).exit_code()
}
