//! `cargo xtask version` on scratch git repositories: the generated packages' version follows
//! from the compatibility gate's verdicts since the last version. Real commits, real `git`,
//! the real binary, and copies of this workspace's package files (so the edits are proven on
//! the files npm and Cargo actually wrote).

use std::fs;
use std::path::PathBuf;

use serde_json::{Value, json};
use xtask::version::{Bump, Version};

use crate::scratch_repo::ScratchRepo;

/// Every file that states the version, copied from this workspace.
const PACKAGE_FILES: &[&str] = &[
    "generated/rust/Cargo.toml",
    "Cargo.lock",
    "generated/typescript/package.json",
    "generated/typescript/package-lock.json",
];

/// A scratch repository on `main` whose first commit is a released version: this workspace's
/// `trading.TradeCancelled` schema and package files, and the version file.
struct Repo {
    repo: ScratchRepo,
    /// The version of that first commit.
    first: Version,
}

impl std::ops::Deref for Repo {
    type Target = ScratchRepo;
    fn deref(&self) -> &ScratchRepo {
        &self.repo
    }
}

impl Repo {
    fn new() -> Repo {
        let repo = ScratchRepo::new();
        for file in PACKAGE_FILES {
            let to = repo.path().join(file);
            fs::create_dir_all(to.parent().unwrap()).unwrap();
            fs::copy(workspace().join(file), to).unwrap();
        }
        let mut repo = Repo { repo, first: Version::FIRST };
        repo.write_schema("trading.TradeCancelled", &trade_cancelled());
        // No version file yet: the command starts it at the packages' version.
        let (code, output) = repo.xtask(&[]);
        assert_eq!(code, 0, "{output}");
        assert!(output.contains("generated/packages.toml starts at"), "{output}");
        repo.commit("first version");
        repo.first = repo.version_file();
        repo
    }

    fn read(&self, file: &str) -> String {
        fs::read_to_string(self.path().join(file)).unwrap_or_default()
    }

    /// Runs `cargo xtask --root <repo> version <args>`: exit code and stdout + stderr.
    fn xtask(&self, args: &[&str]) -> (i32, String) {
        self.repo.xtask("version", args)
    }

    fn version_file(&self) -> Version {
        let text = self.read("generated/packages.toml");
        let line =
            text.lines().find(|l| l.starts_with("version = ")).expect("the version file states a version");
        line.trim_start_matches("version = ").trim_matches('"').parse().unwrap()
    }

    /// Asserts every package file states `version` where npm and Cargo read it, and differs
    /// from the workspace's copy in nothing else.
    fn assert_every_file_states(&self, version: Version) {
        assert_eq!(self.version_file(), version);
        let v = version.to_string();
        let cargo_toml = self.read("generated/rust/Cargo.toml");
        assert!(cargo_toml.contains("name = \"platform-events\"\n"), "{cargo_toml}");
        assert!(cargo_toml.contains(&format!("\nversion = \"{v}\"\n")), "{cargo_toml}");
        let lock = self.read("Cargo.lock");
        assert!(lock.contains(&format!("name = \"platform-events\"\nversion = \"{v}\"\n")));
        let package: Value = serde_json::from_str(&self.read("generated/typescript/package.json")).unwrap();
        assert_eq!(package["version"], json!(v));
        let lock: Value = serde_json::from_str(&self.read("generated/typescript/package-lock.json")).unwrap();
        assert_eq!((&lock["version"], &lock["packages"][""]["version"]), (&json!(v), &json!(v)));
        // Nothing but the version changed: the workspace's file with its version replaced.
        let released = self.first.to_string();
        for file in PACKAGE_FILES {
            let original = fs::read_to_string(workspace().join(file)).unwrap();
            let ours = self.read(file);
            let lines = |text: &str| text.lines().count();
            assert_eq!(lines(&ours), lines(&original), "{file} gained or lost lines");
            let changed: Vec<(&str, &str)> =
                original.lines().zip(ours.lines()).filter(|(a, b)| a != b).collect();
            for (before, after) in &changed {
                assert_eq!(after.replace(&v, &released), *before, "{file}: only the version may change");
            }
            assert!(!changed.is_empty() || v == released, "{file} still states {released}");
        }
    }

    fn changelog(&self) -> String {
        self.read("generated/CHANGELOG.md")
    }
}

fn workspace() -> PathBuf {
    xtask::workspace::root()
}

/// This repository's published `trading.TradeCancelled` schema (whatever it says today): an
/// open object, to which an optional property can be added.
fn trade_cancelled() -> Value {
    serde_json::from_str(
        &fs::read_to_string(workspace().join("schemas/trading/TradeCancelled.json")).unwrap(),
    )
    .unwrap()
}

fn with_property(mut schema: Value, name: &str, property: Value) -> Value {
    schema["properties"].as_object_mut().unwrap().insert(name.to_owned(), property);
    schema
}

fn without_property(mut schema: Value, name: &str) -> Value {
    schema["properties"].as_object_mut().unwrap().remove(name).expect("the schema has the property");
    if let Some(required) = schema["required"].as_array_mut() {
        required.retain(|n| n != name);
    }
    schema
}

fn renamed(schema: Value, from: &str, to: &str) -> Value {
    let moved = schema["properties"][from].clone();
    let mut schema = with_property(without_property(schema, from), to, moved);
    schema["required"].as_array_mut().unwrap().push(json!(to));
    schema
}

#[test]
fn a_breaking_change_is_a_major_bump_written_into_every_package_file_and_the_changelog() {
    let repo = Repo::new();
    repo.write_schema("trading.TradeCancelled", &renamed(trade_cancelled(), "note", "remark"));
    let major = repo.first.bumped(Bump::Major);

    let (code, output) = repo.xtask(&[]);
    assert_eq!(code, 0, "{output}");
    assert!(output.contains(&format!("need a major bump: {} → {major}", repo.first)), "{output}");
    assert!(output.contains("major  trading.TradeCancelled /note: REQUIRED_PROPERTY_REMOVED"), "{output}");
    assert!(output.contains("major  trading.TradeCancelled /remark: REQUIRED_PROPERTY_ADDED"), "{output}");
    repo.assert_every_file_states(major);

    let changelog = repo.changelog();
    let entry = format!("## {major}\n\nSince {}, a major version: a change breaks consumers", repo.first);
    assert!(changelog.contains(&entry), "{changelog}");
    // Each change by event and pointer into the event, with its kind, old → new and the
    // directions it breaks.
    assert!(
        changelog.contains(
            "### Breaking changes\n\n- `trading.TradeCancelled` `/note`: `REQUIRED_PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL`, \
             string | null (required) → (absent); breaks forward\n"
        ),
        "{changelog}"
    );
    assert!(
        changelog.contains(
            "- `trading.TradeCancelled` `/remark`: `REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL`, (absent) → \
             string | null (required); breaks backward\n"
        ),
        "{changelog}"
    );
}

#[test]
fn an_acknowledged_break_still_is_a_major_bump() {
    let repo = Repo::new();
    repo.write_schema("trading.TradeCancelled", &without_property(trade_cancelled(), "note"));
    repo.reviewed(
        "[[acknowledged]]\nevent = \"trading.TradeCancelled\"\nkind = \"REQUIRED_PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL\"\n\
         path = \"/properties/note\"\nreason = \"no consumer reads the note\"\n",
    );
    let (code, output) = repo.xtask(&[]);
    assert_eq!(code, 0, "{output}");
    assert!(output.contains("breaks forward, acknowledged"), "{output}");
    repo.assert_every_file_states(repo.first.bumped(Bump::Major));
    assert!(repo.changelog().contains("breaks forward; acknowledged: no consumer reads the note"));
}

#[test]
fn an_added_optional_field_is_a_minor_bump_under_either_policy() {
    let repo = Repo::new();
    let comment = json!({"description": "Free text from whoever cancelled.", "type": "string"});
    repo.write_schema("trading.TradeCancelled", &with_property(trade_cancelled(), "comment", comment));
    let minor = repo.first.bumped(Bump::Minor);

    // Strict (the default): the gate calls it a backward break (an unknown producer may have
    // written `comment` into the open object with any value) and fails until it is
    // acknowledged; the packages only gain a field old events lack: a minor bump.
    let (_, strict) = repo.xtask(&["--check"]);
    assert!(strict.contains(&format!("minor bump: {} → {minor}", repo.first)), "{strict}");

    // Lenient, as the reviewed file may choose when every producer is generated: the same.
    repo.reviewed("[events.\"trading.TradeCancelled\"]\npolicy = \"lenient\"\n");
    let (code, output) = repo.xtask(&[]);
    assert_eq!(code, 0, "{output}");
    assert!(output.contains(&format!("need a minor bump: {} → {minor}", repo.first)), "{output}");
    assert!(
        output.contains(
            "minor  trading.TradeCancelled /comment: OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL, (absent) → string"
        ),
        "{output}"
    );
    repo.assert_every_file_states(minor);
    let changelog = repo.changelog();
    assert!(
        changelog.contains(&format!("## {minor}\n\nSince {}, a minor version", repo.first)),
        "{changelog}"
    );
    assert!(
        changelog.contains("### Compatible changes\n\n- `trading.TradeCancelled` `/comment`: "),
        "{changelog}"
    );
}

#[test]
fn an_added_event_is_a_minor_bump_and_a_removed_one_a_major_bump() {
    let repo = Repo::new();
    repo.write_schema(
        "trading.TradeSettled",
        &json!({"type": "object", "properties": {"tradeId": {"type": "string"}}}),
    );
    let (_, output) = repo.xtask(&["--check"]);
    assert!(output.contains("minor  trading.TradeSettled: added"), "{output}");
    assert!(output.contains(&format!("minor bump: {} → {}", repo.first, repo.first.bumped(Bump::Minor))));

    fs::remove_file(repo.schema_path("trading.TradeCancelled")).unwrap();
    let (code, output) = repo.xtask(&[]);
    assert_eq!(code, 0, "{output}");
    assert!(output.contains("major  trading.TradeCancelled: removed"), "{output}");
    let changelog = repo.changelog();
    assert!(
        changelog.contains("### Removed events\n\n- `trading.TradeCancelled` (`SCHEMA_REMOVED`)"),
        "{changelog}"
    );
    assert!(changelog.contains("### Added events\n\n- `trading.TradeSettled`"), "{changelog}");
    repo.assert_every_file_states(repo.first.bumped(Bump::Major));
}

#[test]
fn a_description_or_sample_change_is_a_patch() {
    let repo = Repo::new();
    let mut schema = trade_cancelled();
    schema["properties"]["note"]["description"] = json!("Why, in the words of whoever cancelled.");
    schema["examples"][0]["note"] = json!("a different sample note");
    repo.write_schema("trading.TradeCancelled", &schema);
    let patch = repo.first.bumped(Bump::Patch);

    let (code, output) = repo.xtask(&[]);
    assert_eq!(code, 0, "{output}");
    assert!(output.contains(&format!("need a patch bump: {} → {patch}", repo.first)), "{output}");
    assert!(output.contains("patch  trading.TradeCancelled: descriptions or samples"), "{output}");
    repo.assert_every_file_states(patch);
    let changelog = repo.changelog();
    assert!(changelog.contains("a patch: descriptions or samples changed, the types did not"), "{changelog}");
    assert!(
        changelog.contains("### Descriptions and samples\n\n- `trading.TradeCancelled`\n"),
        "{changelog}"
    );
}

#[test]
fn no_change_is_no_bump_and_nothing_is_written() {
    let repo = Repo::new();
    // Reformatting a schema changes no JSON value: nothing for consumers.
    let path = repo.schema_path("trading.TradeCancelled");
    fs::write(&path, serde_json::to_string(&trade_cancelled()).unwrap()).unwrap();
    let (code, output) = repo.xtask(&[]);
    assert_eq!(code, 0, "{output}");
    assert!(output.contains("no event schema changed since, so no bump"), "{output}");
    assert!(output.contains(&format!("{} is up to date; nothing to write", repo.first)), "{output}");
    assert_eq!(repo.git(&["status", "--porcelain"]), " M schemas/trading/TradeCancelled.json\n");
    assert_eq!(repo.xtask(&["--check"]).0, 0);
}

#[test]
fn running_twice_writes_the_same_files_and_a_bigger_change_replaces_the_unreleased_entry() {
    let repo = Repo::new();
    let mut schema = trade_cancelled();
    schema["properties"]["note"]["description"] = json!("Reworded.");
    repo.write_schema("trading.TradeCancelled", &schema);
    repo.xtask(&[]);
    let files = |repo: &Repo| -> Vec<String> {
        ["generated/packages.toml", "generated/CHANGELOG.md"]
            .iter()
            .chain(PACKAGE_FILES)
            .map(|f| repo.read(f))
            .collect()
    };
    let once = files(&repo);
    let (code, output) = repo.xtask(&[]);
    assert_eq!(code, 0, "{output}");
    assert!(output.contains("is up to date; nothing to write"), "{output}");
    assert_eq!(files(&repo), once, "a second run changed a file");

    // The same unreleased version, now with a breaking change too: one entry, for the major.
    repo.write_schema("trading.TradeCancelled", &without_property(schema, "note"));
    repo.xtask(&[]);
    let major = repo.first.bumped(Bump::Major);
    let changelog = repo.changelog();
    assert_eq!(changelog.matches("\n## ").count(), 1, "{changelog}");
    assert!(changelog.contains(&format!("\n## {major}\n")), "{changelog}");
    assert!(!changelog.contains(&format!("## {}", repo.first.bumped(Bump::Patch))), "{changelog}");
    repo.assert_every_file_states(major);
}

#[test]
fn check_fails_when_a_version_is_behind_or_disagrees_and_passes_after_version() {
    let repo = Repo::new();
    repo.write_schema("trading.TradeCancelled", &without_property(trade_cancelled(), "note"));
    let major = repo.first.bumped(Bump::Major);

    let (code, output) = repo.xtask(&["--check"]);
    assert_eq!(code, 1, "{output}");
    let behind = format!(
        "FAILS: the packages' version {} (generated/packages.toml) is below {major}, which the changes since {} \
         need (a major bump)",
        repo.first, repo.first
    );
    assert!(output.contains(&behind), "{output}");
    assert!(output.contains("run `cargo xtask version` and commit what it writes"), "{output}");
    assert_eq!(
        repo.git(&["status", "--porcelain"]),
        " M schemas/trading/TradeCancelled.json\n",
        "--check wrote"
    );

    assert_eq!(repo.xtask(&[]).0, 0);
    let (code, output) = repo.xtask(&["--check"]);
    assert_eq!(code, 0, "{output}");
    assert!(output.contains(&format!("version: {major} is up to date")), "{output}");

    // A hand edit of one package's version, or of the changelog entry, fails the check.
    let path = repo.path().join("generated/typescript/package.json");
    let edited = repo.read("generated/typescript/package.json").replacen(&major.to_string(), "9.9.9", 1);
    fs::write(&path, edited).unwrap();
    let (code, output) = repo.xtask(&["--check"]);
    assert_eq!(code, 1, "{output}");
    assert!(
        output.contains(&format!(
            "FAILS: generated/typescript/package.json states 9.9.9 in `\"version\"` but generated/packages.toml \
             states {major}"
        )),
        "{output}"
    );
    assert_eq!(repo.xtask(&[]).0, 0, "writing repairs it");
    let changelog = repo.changelog().replace("`/note`", "`/remark`");
    fs::write(repo.path().join("generated/CHANGELOG.md"), changelog).unwrap();
    let (code, output) = repo.xtask(&["--check"]);
    assert_eq!(code, 1, "{output}");
    assert!(
        output.contains(&format!("generated/CHANGELOG.md's entry for {major} does not list the changes"))
    );
}

#[test]
fn a_pull_request_is_one_bump_however_its_commits_fall_and_main_counts_from_its_merge() {
    let repo = Repo::new();
    repo.git(&["checkout", "--quiet", "-b", "feature"]);
    // The bump is committed before the last schema change; the next run updates the entry.
    repo.write_schema("trading.TradeSettled", &json!({"type": "object"}));
    repo.xtask(&[]);
    repo.commit("TradeSettled, version");
    let mut schema = trade_cancelled();
    schema["description"] = json!("A trade was called off.");
    repo.write_schema("trading.TradeCancelled", &schema);
    repo.commit("reword TradeCancelled");
    let (code, output) = repo.xtask(&["--check"]);
    assert_eq!(code, 1, "the entry misses the reworded event:\n{output}");
    repo.xtask(&[]);
    repo.commit("changelog");
    let minor = repo.first.bumped(Bump::Minor);
    let (code, output) = repo.xtask(&["--check"]);
    assert_eq!(code, 0, "one minor bump covers the whole branch:\n{output}");
    assert!(output.contains(&format!("minor bump: {} → {minor}", repo.first)), "{output}");

    repo.git(&["checkout", "--quiet", "main"]);
    repo.git(&["merge", "--quiet", "--no-ff", "-m", "Merge feature", "feature"]);
    let (code, output) = repo.xtask(&["--check"]);
    assert_eq!(code, 0, "{output}");
    assert!(output.contains(&format!("the last version is {minor}")), "{output}");
    assert!(output.contains("no event schema changed since, so no bump"), "{output}");

    // The next change on main counts from the merge.
    repo.write_schema("trading.TradeSettled", &json!({"type": "object", "description": "Settled."}));
    let (code, output) = repo.xtask(&["--check"]);
    assert_eq!(code, 1, "{output}");
    assert!(output.contains(&format!("patch bump: {minor} → {}", minor.bumped(Bump::Patch))), "{output}");
}
