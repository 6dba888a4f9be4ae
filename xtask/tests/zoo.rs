//! The zoo (`tests/zoo`): every shape a Rust team writes with serde, through the whole
//! generator, proven the way the platform's events are: coverage and validation (generation
//! succeeds), golden Rust and TypeScript that read like hand-written code, every sample
//! round-tripped through its generated Rust type, and every sample type-checked by
//! `tsc --strict`, which rejects a wrong tag of every tagged enum.

// Links every contract crate, so the registry sees every event.
use contracts_all as _;
use std::fs;
use std::path::PathBuf;
use std::sync::OnceLock;

use contracts_zoo as _;
use serde_json::Value;
use xtask::events::{EventInput, registered};
use xtask::outputs::typescript_package::{self, TypeCheck};
use xtask::{OutputSet, generate, workspace};

fn zoo() -> &'static OutputSet {
    static SET: OnceLock<OutputSet> = OnceLock::new();
    SET.get_or_init(|| {
        let events: Vec<EventInput> = contracts_common::registry::all()
            .into_iter()
            .filter(|e| e.owning_crate == "contracts-zoo")
            .map(registered::input)
            .collect();
        assert!(!events.is_empty(), "the zoo registers its events");
        generate(&events).unwrap_or_else(|error| panic!("{error}"))
    })
}

fn file(path: &str) -> &'static str {
    zoo().files.get(path).unwrap_or_else(|| panic!("{path} is generated"))
}

#[test]
fn the_zoo_passes_coverage_and_validation_with_every_variant_taken() {
    let warnings: Vec<String> = zoo().warnings.iter().map(ToString::to_string).collect();
    assert!(warnings.is_empty(), "{warnings:#?}");
}

#[test]
fn generated_rust_reads_like_hand_written_code() {
    let rust = file("generated/rust/src/zoo.rs");
    insta::assert_snapshot!("zoo_rust", rust);
    for machine_name in ["Variant0", "Variant1", "Option<::std::option::Option"] {
        assert!(!rust.contains(machine_name), "`{machine_name}` in the zoo's Rust");
    }
    for idiom in [
        "#[serde(tag = \"kind\")]\npub enum Payment",
        "#[serde(tag = \"t\", content = \"c\")]\npub enum Signal",
        "#[serde(untagged)]\npub enum Reading",
        "pub enum Shape {",
        "    Rect {",
        "    #[serde(flatten)]\n    pub destination: EnumsShownDestination,",
        "pub note: ::std::option::Option<::std::string::String>,",
        "pub rgb: [u8; 3],",
        // A flattened catch-all map keeps every other key.
        "    #[serde(flatten)]\n    pub extra: ::std::collections::BTreeMap<::std::string::String, ::serde_json::Value>,",
        // Names that differ only by case get distinct fields, JSON names kept.
        "    #[serde(rename = \"url\")]\n    pub url_2: ::std::string::String,",
        // Generic instantiations are named after their type arguments.
        "pub struct PageForLot {",
        "pub struct PageForGrade {",
        // Offsets survive, sets stay sets, tuple structs stay tuple structs.
        "pub taken_at: ::chrono::DateTime<::chrono::offset::FixedOffset>,",
        "pub paddocks: ::std::collections::BTreeSet<::std::string::String>,",
        "pub struct Point(pub f64, pub f64);",
    ] {
        assert!(rust.contains(idiom), "missing `{idiom}` in:\n{rust}");
    }
}

#[test]
fn generated_typescript_reads_like_hand_written_code() {
    let typescript = file("generated/typescript/src/zoo.ts");
    insta::assert_snapshot!("zoo_typescript", typescript);
    for idiom in [
        "  note: string | null;",
        "  nickname?: string;",
        "  rgb: [number, number, number];",
        "kind: \"card\";",
        "  lotCode: string;\n  [key: string]: unknown;\n}",
        "export interface PageForLot {",
        "@uniqueItems Each item appears once.",
    ] {
        assert!(typescript.contains(idiom), "missing `{idiom}` in:\n{typescript}");
    }
}

/// An event without a doc comment has no description: not its flattened metadata's.
#[test]
fn an_event_without_a_doc_comment_borrows_no_description() {
    let schema: Value = serde_json::from_str(file("schemas/zoo/ReadingsTaken.json")).unwrap();
    assert_eq!(schema.get("description"), None, "{schema:#}");
    let documented: Value = serde_json::from_str(file("schemas/zoo/PagesListed.json")).unwrap();
    assert_eq!(documented["description"], "A generic struct, used with two type arguments.");
    assert!(!file("generated/typescript/src/zoo.ts").contains("Who caused an event"));
}

/// A scratch crate holding the zoo's generated Rust module, whose `main` deserialises every
/// sample into its type and serialises it back, printing a verdict per sample.
#[test]
fn every_zoo_sample_round_trips_through_its_generated_rust_type() {
    let dir = workspace::root().join("target/zoo-check/rust");
    fs::create_dir_all(dir.join("src")).unwrap();
    write_if_changed(&dir.join("src/zoo.rs"), file("generated/rust/src/zoo.rs"));
    let mut checks = String::new();
    let mut samples_written = 0;
    for (path, text) in &zoo().files {
        let Some(detail_type) = path.strip_prefix("schemas/zoo/").and_then(|p| p.strip_suffix(".json"))
        else {
            continue;
        };
        let document: Value = serde_json::from_str(text).unwrap();
        let samples = dir.join(format!("{detail_type}.samples.json"));
        write_if_changed(&samples, &document["examples"].to_string());
        samples_written += document["examples"].as_array().map_or(0, Vec::len);
        checks.push_str(&format!(
            "    check::<zoo::{detail_type}>({detail_type:?}, {:?});\n",
            samples.display().to_string()
        ));
    }
    write_if_changed(
        &dir.join("src/main.rs"),
        &format!("#[allow(warnings, clippy::all)]\nmod zoo;\n{MAIN_PRELUDE}fn main() {{\n{checks}}}\n"),
    );
    write_if_changed(&dir.join("Cargo.toml"), &xtask::corpus::scratch_crate_manifest("zoo-check"));
    write_if_changed(
        &dir.join("Cargo.lock"),
        &fs::read_to_string(workspace::root().join("Cargo.lock")).unwrap(),
    );
    let output =
        xtask::corpus::scratch_build(&workspace::root(), &dir.join("Cargo.toml"), &["run", "--quiet"])
            .output()
            .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{}\n{stdout}", String::from_utf8_lossy(&output.stderr));
    let verdicts: Vec<&str> = stdout.lines().collect();
    assert_eq!(verdicts.len(), samples_written, "one verdict per sample: {stdout}");
    assert!(verdicts.iter().all(|line| line.ends_with(" ok")), "{stdout}");
}

/// Writes `text` unless the file already holds it: cargo decides what to rebuild by the
/// files' times, so an unchanged zoo is not compiled again on the next run.
fn write_if_changed(path: &std::path::Path, text: &str) {
    if fs::read_to_string(path).ok().as_deref() != Some(text) {
        fs::write(path, text).unwrap();
    }
}

const MAIN_PRELUDE: &str = r#"fn check<T: serde::de::DeserializeOwned + serde::Serialize>(name: &str, path: &str) {
    let samples: Vec<serde_json::Value> = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    for (index, sample) in samples.into_iter().enumerate() {
        let verdict = match serde_json::from_value::<T>(sample.clone()).and_then(serde_json::to_value) {
            Ok(again) if again == sample => "ok".to_owned(),
            Ok(again) => format!("changed: {sample} became {again}"),
            Err(error) => format!("does not deserialise: {error}"),
        };
        println!("{name}#{index} {verdict}");
    }
}

"#;

/// The package's pinned TypeScript compiler.
fn tsc() -> PathBuf {
    let tsc = xtask::outputs::typescript_package::tsc(&workspace::root());
    assert!(
        tsc.exists(),
        "tsc is not installed: run `npm ci` in generated/typescript (`cargo xtask ci` does this first)"
    );
    tsc
}

/// A tagged enum of the zoo, the text of its tag in the sample fixture, and a wrong tag.
const WRONG_TAGS: [(&str, &str, &str); 5] = [
    ("Payment (internally tagged)", "\"kind\": \"card\"", "\"kind\": \"cheque\""),
    ("Signal (adjacently tagged)", "\"t\": \"Pos\"", "\"t\": \"Position\""),
    ("Shape (externally tagged)", "\"Circle\": 1.5", "\"Circel\": 1.5"),
    ("Destination (flattened)", "\"destination\": \"depot\"", "\"destination\": \"port\""),
    ("Level (unit variants)", "\"level\": \"NEEDS_ATTENTION\"", "\"level\": \"NEEDS_NOTHING\""),
];

/// `tsc -p` on the zoo's package files with their sample fixture, and a copy of the fixture
/// per wrong tag, each with that tag replaced: one tsc program for the tests below, each
/// reading its own verdicts from it.
fn checked_package() -> &'static TypeCheck {
    static CHECK: OnceLock<TypeCheck> = OnceLock::new();
    CHECK.get_or_init(|| {
        tsc();
        let edits: Vec<_> = WRONG_TAGS
            .iter()
            .map(|&(_, tag, wrong)| move |fixture: &str| fixture.replacen(tag, wrong, 1))
            .collect();
        let cases: Vec<&dyn Fn(&str) -> String> = edits.iter().map(|edit| edit as _).collect();
        let dir = tempfile::tempdir().unwrap();
        typescript_package::type_check(&workspace::root(), dir.path(), &zoo().files, &cases).unwrap()
    })
}

#[test]
fn every_zoo_sample_type_checks_with_tsc_strict() {
    let errors = &checked_package().package;
    assert!(errors.is_empty(), "tsc rejected the zoo's samples:\n{errors}");
}

/// Each tagged enum rejects a tag value it does not have.
#[test]
fn tsc_rejects_a_wrong_tag_in_every_tagged_enum() {
    let fixture = file("generated/typescript/test/samples.ts");
    for (_, tag, _) in WRONG_TAGS {
        assert!(fixture.contains(tag), "the fixture has {tag}");
    }
    let mut accepted = Vec::new();
    for ((enum_name, _, _), errors) in WRONG_TAGS.iter().zip(&checked_package().cases) {
        if errors.is_empty() {
            accepted.push(format!("tsc accepted a wrong tag for {enum_name}"));
        } else {
            assert!(errors.contains("error TS"), "{enum_name}: {errors}");
        }
    }
    assert!(accepted.is_empty(), "{}", accepted.join("\n"));
}
