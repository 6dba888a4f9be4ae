//! Check 5: every module's generated Rust (typify) compiles, and every sample round-trips
//! through its type.
//!
//! The modules share one scratch crate, split among a few binaries of bounded size, at least
//! one per core (cargo builds them side by side). Each distinct group of items is compiled
//! once per binary ([`super::units`]), and modules that share groups go to the same binary.
//! A module that does not compile is named by rustc's diagnostics and built again without
//! the others' company, so it fails alone and every other module keeps its own verdict.
//! Verdicts are kept by content ([`super::cache`]).

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Instant;

use anyhow::{Result, bail};
use serde_json::Value;

use schema_emit::rust;

use crate::cmd::Cmd;

use super::cache::{Cache, Verdicts, file_contents, tool_version};
use super::scratch::{scratch_build, scratch_crate_manifest};
use super::tools::{header, joined, namespace};
use super::units::{self, Split, Unit, split};
use super::{Case, Module, assign};

/// Most lines of generated Rust per harness binary: rustc's memory grows with a crate (a
/// binary of 20,000 lines peaked at 2.3 GB), and two build side by side.
const LINES_PER_BINARY: usize = 30_000;

/// A module to build: its index, its cases with samples, its cache key, and how its code is
/// compiled (split into shared units, or whole from `src/m/<id>.rs`).
struct Pending {
    module: usize,
    cases: Vec<usize>,
    key: String,
    split: Option<Split>,
    lines: usize,
    /// The `recursion_limit` its code says its crate root needs (deep types), if any.
    recursion_limit: Option<usize>,
}

/// The modules to build and the distinct units their split code is made of.
struct Work {
    pending: Vec<Pending>,
    units: BTreeMap<String, Unit>,
}

/// Runs check 5 over every module whose verdicts are not cached.
pub(super) fn run_rust(
    root: &Path,
    scratch: &Path,
    modules: &[Module],
    cases: &mut [Case],
    reuse: bool,
) -> Result<()> {
    run_rust_with(root, scratch, modules, cases, reuse, |module| {
        let namespace = namespace(module)?;
        let code = rust::emit_module(namespace, &header()).map_err(|errors| joined(&errors))?.code;
        let oracle =
            rust::emit_module_via_typify(namespace, &header()).map_err(|errors| joined(&errors))?.code;
        same_as_typify(&code, &oracle)?;
        Ok(code)
    })
}

/// Fails, quoting the first line that differs, when the Rust emitter's direct printer wrote
/// other code than typify writes for the same module (see `schema_emit::rust`): the printer
/// promises typify's code byte for byte, and the corpus is where unseen shapes show up.
fn same_as_typify(code: &str, oracle: &str) -> Result<(), String> {
    if code == oracle {
        return Ok(());
    }
    let (mut printed, mut typify) = (code.lines(), oracle.lines());
    let mut line = 1;
    loop {
        match (printed.next(), typify.next()) {
            (Some(a), Some(b)) if a == b => line += 1,
            (a, b) => {
                return Err(format!(
                    "the direct Rust printer and typify disagree at line {line}: printed `{}`, typify `{}` \
                     (a bug of the printer: report the sample)",
                    a.unwrap_or("<end>"),
                    b.unwrap_or("<end>")
                ));
            }
        }
    }
}

/// [`run_rust`] with the module's code from `emit` (the tests plant code that does not
/// compile).
pub(super) fn run_rust_with(
    root: &Path,
    scratch: &Path,
    modules: &[Module],
    cases: &mut [Case],
    reuse: bool,
    emit: impl Fn(&Module) -> Result<String, String> + Sync,
) -> Result<()> {
    let cache = Cache::open(root, "rust", fingerprint(root), reuse)?;
    let dir = scratch.join("rust");
    fs::create_dir_all(dir.join("src"))?;
    // typify is single-threaded and the modules independent: emit them on every core.
    let started = Instant::now();
    let emitted = crate::parallel::map(modules, emit);
    super::phase("rustc: emitting", started);
    let mut missed = Vec::new();
    for (index, code) in emitted.into_iter().enumerate() {
        let own: Vec<usize> = (0..cases.len()).filter(|&c| cases[c].module == index).collect();
        let code = match code {
            Ok(code) => code,
            Err(error) => {
                own.iter().for_each(|&c| cases[c].results[4] = Some(Err(error.clone())));
                continue;
            }
        };
        let with_samples: Vec<usize> = own.into_iter().filter(|&c| cases[c].sample.is_some()).collect();
        let mut key = cache.key();
        key.add(code.as_bytes());
        for &c in &with_samples {
            key.add(module_root(modules, &cases[c]).as_bytes()).add(&fs::read(&cases[c].file)?);
        }
        let key = key.finish();
        match cache.get(&key).filter(|v| v.len() == with_samples.len()) {
            Some(verdicts) => assign(cases, &with_samples, &verdicts, 4),
            None => missed.push((index, code, with_samples, key)),
        }
    }
    let started = Instant::now();
    let units = Mutex::new(BTreeMap::new());
    let ranked: Vec<(usize, &String)> =
        missed.iter().enumerate().map(|(rank, (_, code, _, _))| (rank, code)).collect();
    let splits = crate::parallel::map(&ranked, |(rank, code)| split(code, *rank, &units));
    let mut work = Work { pending: Vec::new(), units: units.into_inner().unwrap_or_else(|e| e.into_inner()) };
    units::render(&mut work.units);
    for ((index, code, cases, key), split) in missed.into_iter().zip(splits) {
        if split.is_none() {
            fs::create_dir_all(dir.join("src/m"))?;
            fs::write(dir.join(format!("src/m/{}.rs", modules[index].id)), &code)?;
        }
        let recursion_limit = rust::recursion_limit_needed(&code);
        work.pending.push(Pending {
            module: index,
            cases,
            key,
            split,
            lines: code.lines().count(),
            recursion_limit,
        });
    }
    super::phase("rustc: splitting into units", started);
    if work.pending.is_empty() {
        return Ok(());
    }
    fs::create_dir_all(dir.join("src/u"))?;
    for (hash, unit) in &work.units {
        fs::write(dir.join(format!("src/u/{hash}.rs")), &unit.text)?;
    }
    fs::write(dir.join("src/lib.rs"), CORPUS_LIB)?;
    fs::write(dir.join("Cargo.toml"), scratch_crate_manifest("corpus-check"))?;
    // The workspace's lock pins the same versions the generated crate is tested with.
    fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock"))?;
    let started = Instant::now();
    let verdicts = build_in_rounds(root, &dir, modules, cases, &work)?;
    super::phase("rustc: building and running", started);
    for item in &work.pending {
        let found: Verdicts = item
            .cases
            .iter()
            .map(|&c| match verdicts.get(&cases[c].id) {
                Some(verdict) => verdict.clone(),
                None => Some("no verdict: the sample was not built".to_owned()),
            })
            .collect();
        assign(cases, &item.cases, &found, 4);
        cache.put(&item.key, &found)?;
    }
    Ok(())
}

/// What decides a verdict besides the code and samples: rustc, the locked dependencies, the
/// scratch manifest and the harness.
pub(super) fn fingerprint(root: &Path) -> String {
    format!(
        "{}\n{}\n{}\n{}",
        tool_version("rustc", &["-vV"]),
        file_contents(&[root.join("Cargo.lock")]),
        scratch_crate_manifest("corpus-check"),
        CORPUS_LIB
    )
}

/// The root type a case's sample is read into.
fn module_root<'m>(modules: &'m [Module], case: &Case) -> &'m str {
    match &modules[case.module].namespace {
        Some(Ok(namespace)) => &namespace.roots[case.ty],
        _ => "",
    }
}

/// Builds the pending modules, runs their samples and returns each sample's verdict by case
/// id. A round builds every binary (`--keep-going`); a module whose code (or one of whose
/// units) rustc names in an error fails with that error and is left out of the next round; a
/// binary that fails without naming a module is split into one binary per module. Rounds end
/// when nothing is left to build.
fn build_in_rounds(
    root: &Path,
    dir: &Path,
    modules: &[Module],
    cases: &[Case],
    work: &Work,
) -> Result<BTreeMap<String, Option<String>>> {
    let pending = &work.pending;
    let mut verdicts = BTreeMap::new();
    let mut groups = group_by_lines(work, modules);
    while !groups.is_empty() {
        let built = build(root, dir, modules, cases, work, &groups)?;
        let mut next = Vec::new();
        for (number, group) in groups.iter().enumerate() {
            if let Some(executable) = &built.executables.get(&number) {
                let ids: Vec<&str> =
                    group.iter().flat_map(|&m| &pending[m].cases).map(|&c| cases[c].id.as_str()).collect();
                run_binary(executable, &ids, &mut verdicts)?;
                continue;
            }
            let named: BTreeSet<usize> =
                group.iter().copied().filter(|m| built.errors.contains_key(m)).collect();
            for &m in &named {
                for &c in &pending[m].cases {
                    verdicts.insert(cases[c].id.clone(), Some(built.errors[&m].clone()));
                }
            }
            let rest: Vec<usize> = group.iter().copied().filter(|m| !named.contains(m)).collect();
            match (named.is_empty(), rest.len()) {
                (_, 0) => {}
                (false, _) => next.push(rest),
                (true, 1) => {
                    let reason =
                        built.unnamed.get(&number).cloned().unwrap_or_else(|| "the build failed".into());
                    for &c in &pending[rest[0]].cases {
                        verdicts.insert(cases[c].id.clone(), Some(format!("does not compile: {reason}")));
                    }
                }
                (true, _) => next.extend(rest.into_iter().map(|m| vec![m])),
            }
        }
        groups = next;
    }
    Ok(verdicts)
}

/// Pending modules (by index into `pending`) in groups, one harness binary each: at most
/// [`LINES_PER_BINARY`] lines per group, and at least as many groups as there are cores
/// (rustc checks a crate on one thread), of even size.
fn group_by_lines(work: &Work, modules: &[Module]) -> Vec<Vec<usize>> {
    // Each module as the files it compiles: its units, or its own code compiled whole.
    let parts: Vec<Vec<(&str, usize)>> = work
        .pending
        .iter()
        .map(|item| match &item.split {
            Some(split) => split.units.iter().map(|u| (u.as_str(), work.units[u].lines)).collect(),
            None => vec![(modules[item.module].id.as_str(), item.lines)],
        })
        .collect();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    even_groups(&parts, LINES_PER_BINARY, cores)
}

/// Groups of modules (each a set of named parts and their lines) of at most `limit` lines
/// each, counting a part once per group, and at least `cores` groups of even size if there
/// are that many modules: the binaries build side by side, and the largest decides when all
/// are done.
fn even_groups(modules: &[Vec<(&str, usize)>], limit: usize, cores: usize) -> Vec<Vec<usize>> {
    let groups = groups_sharing_parts(modules, limit);
    let wanted = groups.len().max(cores).min(modules.len()).max(1);
    let total: usize = groups.iter().map(|group| group_lines(modules, group)).sum();
    let even = groups_sharing_parts(modules, total.div_ceil(wanted) * 21 / 20);
    if even.len() <= wanted { even } else { groups }
}

/// Groups of at most `limit` lines (a module larger than that is a group alone). Modules
/// share most of their parts with some others (a folder's files, the folder's own module),
/// and a part in two groups is compiled twice, so a group starts from the largest module
/// left and grows by the module that adds the fewest lines to it: the one sharing the most.
fn groups_sharing_parts(modules: &[Vec<(&str, usize)>], limit: usize) -> Vec<Vec<usize>> {
    let mut holders: HashMap<&str, Vec<usize>> = HashMap::new();
    for (m, parts) in modules.iter().enumerate() {
        parts.iter().for_each(|(part, _)| holders.entry(part).or_default().push(m));
    }
    let size = |m: usize| modules[m].iter().map(|(_, lines)| lines).sum::<usize>();
    let mut left: BTreeSet<usize> = (0..modules.len()).collect();
    let mut groups = Vec::new();
    while let Some(seed) = left.iter().copied().max_by_key(|&m| (size(m), Reverse(m))) {
        // What each module would add to the group: the lines of its parts not yet in it.
        let mut added: Vec<usize> = (0..modules.len()).map(size).collect();
        let mut by_added: BTreeSet<(usize, usize)> = left.iter().map(|&m| (added[m], m)).collect();
        let mut parts: HashSet<&str> = HashSet::new();
        let (mut group, mut lines) = (Vec::new(), 0);
        let mut next = Some(seed);
        while let Some(m) = next {
            by_added.remove(&(added[m], m));
            left.remove(&m);
            lines += added[m];
            group.push(m);
            for &(part, part_lines) in modules[m].iter().filter(|(part, _)| parts.insert(part)) {
                for &other in holders[part].iter().filter(|other| left.contains(other)) {
                    by_added.remove(&(added[other], other));
                    added[other] -= part_lines;
                    by_added.insert((added[other], other));
                }
            }
            next = by_added.first().filter(|(more, _)| lines + more <= limit).map(|&(_, m)| m);
        }
        group.sort_unstable();
        groups.push(group);
    }
    groups
}

/// The lines a group compiles: each part once.
fn group_lines(modules: &[Vec<(&str, usize)>], group: &[usize]) -> usize {
    let parts: BTreeMap<&str, usize> = group.iter().flat_map(|&m| modules[m].iter().copied()).collect();
    parts.values().sum()
}

/// What one build produced: the executables that linked (by binary number), the errors rustc
/// placed in a module's code (by index into `pending`), and the errors it placed nowhere else.
struct Built {
    executables: BTreeMap<usize, PathBuf>,
    errors: BTreeMap<usize, String>,
    unnamed: BTreeMap<usize, String>,
}

/// Writes one binary per group and builds them all, reading cargo's JSON messages.
fn build(
    root: &Path,
    dir: &Path,
    modules: &[Module],
    cases: &[Case],
    work: &Work,
    groups: &[Vec<usize>],
) -> Result<Built> {
    let bin = dir.join("src/bin");
    let _ = fs::remove_dir_all(&bin);
    fs::create_dir_all(&bin)?;
    // Which pending modules each file stem (a whole module's id, a unit's hash) belongs to,
    // per binary.
    let mut owners: Vec<BTreeMap<String, Vec<usize>>> = Vec::new();
    // Binaries are named after the scratch folder too: the build folder is shared.
    let folder = sha1_smol::Sha1::from(dir.to_string_lossy().as_bytes()).digest().to_string();
    let prefix = format!("b{}_", &folder[..10]);
    for (number, group) in groups.iter().enumerate() {
        let mut stems: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for &index in group {
            let item = &work.pending[index];
            match &item.split {
                Some(split) => {
                    split.units.iter().for_each(|u| stems.entry(u.clone()).or_default().push(index))
                }
                None => stems.entry(modules[item.module].id.clone()).or_default().push(index),
            }
        }
        fs::write(
            bin.join(format!("{prefix}{number:03}.rs")),
            binary_source(modules, cases, work, group, &stems),
        )?;
        owners.push(stems);
    }
    let output = scratch_build(root, &dir.join("Cargo.toml"), &["build", "--keep-going", "--bins"])
        .args(["--quiet", "--message-format=json"])
        .output()?;
    let mut built = Built { executables: BTreeMap::new(), errors: BTreeMap::new(), unnamed: BTreeMap::new() };
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(message) = serde_json::from_str::<Value>(line) else { continue };
        let Some(number) = message["target"]["name"]
            .as_str()
            .and_then(|n| n.strip_prefix(&prefix)?.parse::<usize>().ok())
            .filter(|&n| n < groups.len())
        else {
            continue;
        };
        match message["reason"].as_str() {
            Some("compiler-artifact") => {
                if let Some(executable) = message["executable"].as_str() {
                    built.executables.insert(number, PathBuf::from(executable));
                }
            }
            Some("compiler-message") if message["message"]["level"] == "error" => {
                let rendered = message["message"]["rendered"].as_str().unwrap_or_default().trim().to_owned();
                let place = message["message"]["spans"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|span| span["file_name"].as_str())
                    .find_map(|file| owners[number].get(Path::new(file).file_stem()?.to_str()?));
                match place {
                    Some(indices) => indices
                        .iter()
                        .for_each(|&index| append(built.errors.entry(index).or_default(), &rendered)),
                    None => append(built.unnamed.entry(number).or_default(), &rendered),
                }
            }
            _ => {}
        }
    }
    if built.executables.is_empty()
        && built.errors.is_empty()
        && built.unnamed.is_empty()
        && !output.status.success()
    {
        bail!("cargo could not build the corpus crate:\n{}", String::from_utf8_lossy(&output.stderr));
    }
    Ok(built)
}

/// Adds one of rustc's errors to a verdict, up to 2,000 bytes of them.
fn append(verdict: &mut String, error: &str) {
    if verdict.len() < 2_000 {
        verdict.push_str(error);
        verdict.push('\n');
    }
}

/// A harness binary: the group's units and whole modules, and one check per sample.
fn binary_source(
    modules: &[Module],
    cases: &[Case],
    work: &Work,
    group: &[usize],
    stems: &BTreeMap<String, Vec<usize>>,
) -> String {
    let mut text = String::new();
    // The limit the deepest module asks for, as the emitter says its crate root needs.
    if let Some(limit) = group.iter().filter_map(|&index| work.pending[index].recursion_limit).max() {
        let _ = writeln!(text, "#![recursion_limit = \"{limit}\"]");
    }
    for stem in stems.keys() {
        let (folder, name) =
            if work.units.contains_key(stem) { ("u", format!("u{stem}")) } else { ("m", stem.clone()) };
        let _ = writeln!(
            text,
            "#[allow(warnings, clippy::all)]\n#[path = \"../{folder}/{stem}.rs\"]\nmod {name};"
        );
    }
    let mut checks = String::new();
    for &index in group {
        let item = &work.pending[index];
        let module = &modules[item.module];
        for &c in &item.cases {
            let root_type = module_root(modules, &cases[c]);
            let place = match &item.split {
                Some(split) => split.path_of(root_type, &work.units),
                None => format!("{}::{root_type}", module.id),
            };
            let path = fs::canonicalize(&cases[c].file).unwrap_or_else(|_| cases[c].file.clone());
            let _ = writeln!(
                checks,
                "        corpus_check::check::<{place}>({:?}, {:?});",
                cases[c].id,
                path.display().to_string()
            );
        }
    }
    let _ = write!(
        text,
        "\nfn main() {{\n    // Deep samples recurse deeply in serde: give every check room.\n    \
         std::thread::Builder::new().stack_size(1 << 30).spawn(|| {{\n{checks}    }}).unwrap().join().unwrap();\n}}\n"
    );
    text
}

/// Runs one harness binary and records the verdict line of each sample it checked; a sample
/// it did not reach (the binary crashed) gets the crash as its verdict.
fn run_binary(
    executable: &Path,
    ids: &[&str],
    verdicts: &mut BTreeMap<String, Option<String>>,
) -> Result<()> {
    let output = Cmd::new(executable).output()?;
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        if let Some((id, verdict)) = line.split_once(' ') {
            verdicts.insert(id.to_owned(), if verdict == "ok" { None } else { Some(verdict.to_owned()) });
        }
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let tail: String = stderr.chars().rev().take(300).collect::<Vec<_>>().into_iter().rev().collect();
    for id in ids {
        verdicts.entry((*id).to_owned()).or_insert_with(|| {
            Some(format!("no verdict: the harness stopped before this sample ({}): {tail}", output.status))
        });
    }
    Ok(())
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

#[cfg(test)]
mod grouping_tests {
    use super::{LINES_PER_BINARY, even_groups, group_lines};

    /// Four modules: two pairs, each pair sharing a part of 10 lines.
    fn pairs() -> Vec<Vec<(&'static str, usize)>> {
        vec![
            vec![("x", 10), ("a", 10)],
            vec![("p", 10), ("c", 10)],
            vec![("x", 10), ("b", 5)],
            vec![("p", 10), ("d", 5)],
        ]
    }

    #[test]
    fn modules_sharing_parts_are_grouped_together_so_each_part_compiles_once() {
        let groups = even_groups(&pairs(), 30, 1);
        assert_eq!(groups, vec![vec![0, 2], vec![1, 3]]);
        assert_eq!(groups.iter().map(|g| group_lines(&pairs(), g)).sum::<usize>(), 50);
    }

    #[test]
    fn no_group_is_over_the_limit_unless_one_module_is() {
        let modules = vec![vec![("big", 50)], vec![("a", 20)], vec![("b", 20)], vec![("c", 20)]];
        let groups = even_groups(&modules, 45, 1);
        assert_eq!(groups, vec![vec![0], vec![1, 2], vec![3]]);
    }

    #[test]
    fn there_is_a_group_per_core_of_even_size() {
        let modules: Vec<Vec<(&str, usize)>> = ["a", "b", "c", "d"].iter().map(|&p| vec![(p, 10)]).collect();
        let groups = even_groups(&modules, LINES_PER_BINARY, 2);
        assert_eq!(groups.len(), 2);
        assert!(groups.iter().all(|g| group_lines(&modules, g) == 20), "{groups:?}");
        // Never more groups than modules.
        assert_eq!(even_groups(&modules[..1], LINES_PER_BINARY, 8), vec![vec![0]]);
    }
}

#[cfg(test)]
mod oracle_tests {
    use super::same_as_typify;

    #[test]
    fn printed_code_that_differs_from_typify_fails_quoting_the_first_difference() {
        assert_eq!(same_as_typify("a\nb\n", "a\nb\n"), Ok(()));
        let error = same_as_typify("a\nb\nc\n", "a\nx\nc\n").expect_err("they differ");
        assert!(error.contains("line 2") && error.contains("`b`") && error.contains("`x`"), "{error}");
        let error = same_as_typify("a\n", "a\nmore\n").expect_err("typify wrote more");
        assert!(error.contains("line 2") && error.contains("<end>") && error.contains("`more`"), "{error}");
    }
}
