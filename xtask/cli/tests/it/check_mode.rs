//! `cargo xtask schemas --check` catches every kind of drift, names the file, and
//! `cargo xtask schemas` repairs it, on a temporary copy of the output set.

// Links every contract crate, so the registry sees every event.
use contracts_all as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::OnceLock;

use xtask::cmd::Cmd;
use xtask::freshness::{self, Drift};
use xtask::{events, generate, workspace};

fn xtask(root: &Path, args: &[&str]) -> Output {
    Cmd::new(env!("CARGO_BIN_EXE_xtask")).arg("--root").arg(root).args(args).output().expect("xtask runs")
}

/// Writes into `dir` this workspace's sample-only events, and every file `cargo xtask
/// schemas` generates there.
fn generate_into(dir: &Path) {
    copy_dir(&workspace::root().join("contracts/consumed"), &dir.join("contracts/consumed"));
    let written = xtask(dir, &["schemas"]);
    assert!(written.status.success(), "{}", String::from_utf8_lossy(&written.stderr));
}

/// A temporary root with this workspace's sample-only events, and every file generated.
fn generated() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    generate_into(dir.path());
    dir
}

/// A copy, for one test to change, of a root generated once per run of these tests (under
/// cargo's `target/tmp`, replaced by the next run): every test starts from the same output,
/// and `cargo xtask schemas` runs once, not once per test. (`two_runs_are_byte_identical`
/// compares a copy with a second, separate run.)
fn fresh_copy() -> tempfile::TempDir {
    static GENERATED: OnceLock<PathBuf> = OnceLock::new();
    let template = GENERATED.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("check-mode-generated");
        let _ = fs::remove_dir_all(&dir);
        generate_into(&dir);
        dir
    });
    let dir = tempfile::tempdir().unwrap();
    copy_dir(template, dir.path());
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn check_fails_naming(root: &Path, expected: &[&str]) -> String {
    let output = xtask(root, &["schemas", "--check"]);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(1), "check must fail:\n{stderr}");
    for text in expected {
        assert!(stderr.contains(text), "expected {text:?} in:\n{stderr}");
    }
    assert!(stderr.contains("run `cargo xtask schemas` and commit"), "{stderr}");
    stderr
}

#[test]
fn check_passes_on_fresh_output() {
    let dir = fresh_copy();
    let output = xtask(dir.path(), &["schemas", "--check"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
}

#[test]
fn check_fails_when_schema_is_stale_and_shows_a_diff() {
    let dir = fresh_copy();
    let path = dir.path().join("schemas/trading/TradeCreated.json");
    let edited = fs::read_to_string(&path).unwrap().replace("Grade code", "Grade CODE");
    fs::write(&path, edited).unwrap();
    check_fails_naming(
        dir.path(),
        &[
            "stale:   schemas/trading/TradeCreated.json",
            "-          \"description\": \"Grade CODE",
            "+          \"description\": \"Grade code",
        ],
    );
}

#[test]
fn check_fails_when_a_schema_is_missing() {
    let dir = fresh_copy();
    fs::remove_file(dir.path().join("schemas/customers/UserInvited.json")).unwrap();
    check_fails_naming(dir.path(), &["missing: schemas/customers/UserInvited.json"]);
}

#[test]
fn check_fails_on_an_orphaned_schema_and_generated_module() {
    let dir = fresh_copy();
    fs::write(dir.path().join("schemas/trading/Ghost.json"), "{}\n").unwrap();
    fs::write(dir.path().join("generated/typescript/src/ghost.ts"), "export {};\n").unwrap();
    check_fails_naming(
        dir.path(),
        &["orphan:  generated/typescript/src/ghost.ts", "orphan:  schemas/trading/Ghost.json"],
    );
}

#[test]
fn a_long_diff_is_cut_short() {
    let dir = fresh_copy();
    let path = dir.path().join("schemas/trading/TradeCreated.json");
    let text = fs::read_to_string(&path).unwrap();
    fs::write(&path, text.replace("\"description\"", "\"title\"")).unwrap();
    let stderr = check_fails_naming(dir.path(), &["more diff line(s)"]);
    assert!(stderr.lines().count() < 60, "diff not bounded:\n{stderr}");
}

#[test]
fn generating_repairs_every_drift_and_deletes_orphans() {
    let dir = fresh_copy();
    let root = dir.path();
    fs::write(root.join("schemas/trading/TradeCreated.json"), "{}\n").unwrap();
    fs::remove_file(root.join("schemas/catalog.json")).unwrap();
    fs::create_dir_all(root.join("schemas/ghosts")).unwrap();
    fs::write(root.join("schemas/ghosts/Ghost.json"), "{}\n").unwrap();

    let set = generate(&events::all(root).unwrap().0).unwrap();
    let drifts = freshness::compare(root, &set).unwrap();
    assert_eq!(
        drifts,
        vec![
            Drift::Missing { path: "schemas/catalog.json".into() },
            Drift::Orphan { path: "schemas/ghosts/Ghost.json".into() },
            drifts[2].clone(),
        ]
    );
    assert!(matches!(&drifts[2], Drift::Stale { path, .. } if path == "schemas/trading/TradeCreated.json"));

    let summary = freshness::write(root, &set).unwrap();
    assert_eq!(summary.deleted, ["schemas/ghosts/Ghost.json"]);
    assert_eq!(summary.written, ["schemas/catalog.json", "schemas/trading/TradeCreated.json"]);
    assert!(!root.join("schemas/ghosts").exists(), "an emptied source folder is removed");
    assert_eq!(freshness::compare(root, &set).unwrap(), vec![]);
}

#[test]
fn files_outside_the_generated_folders_are_never_touched() {
    let dir = fresh_copy();
    fs::write(dir.path().join("schemas/README.md"), "notes\n").unwrap();
    fs::write(dir.path().join("generated/rust/README.md"), "notes\n").unwrap();
    fs::write(dir.path().join("generated/typescript/src/notes.md"), "notes\n").unwrap();
    let output = xtask(dir.path(), &["schemas", "--check"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
}

#[test]
fn two_runs_are_byte_identical() {
    let (first, second) = (fresh_copy(), generated());
    let set = generate(&events::all(first.path()).unwrap().0).unwrap();
    for path in set.files.keys() {
        let a = fs::read(first.path().join(path)).unwrap();
        let b = fs::read(second.path().join(path)).unwrap();
        assert!(a == b, "{path} differs between two runs");
        assert!(!a.contains(&b'\r'), "{path} has a CR line ending");
    }
}
