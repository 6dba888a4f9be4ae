//! The generated TypeScript package type-checks with every sample, and `tsc` rejects samples
//! that break their types; inferred TypeScript for a folder of real events compiles.

// Links every contract crate, so the registry sees every event.
use contracts_all as _;
use std::fs;
use std::path::PathBuf;
use std::sync::OnceLock;

use schema_emit::typescript::TSC_STRICT_ARGS;
use xtask::cmd::Cmd;
use xtask::outputs::typescript_package::{self, TypeCheck};

/// The package's pinned TypeScript compiler, installed by `npm ci` (`cargo xtask ci` does it).
fn tsc() -> PathBuf {
    let tsc = typescript_package::tsc(&xtask::workspace::root());
    assert!(
        tsc.exists(),
        "tsc is not installed: run `npm ci` in generated/typescript (`cargo xtask ci` does this first)"
    );
    tsc
}

/// The fixture edits whose rejection is tested below, in the order of [`checked_package`]'s
/// cases.
const UNKNOWN_PROPERTY: usize = 0;
const WRONG_TYPE: usize = 1;
const DETAIL_OF_ANOTHER_EVENT: usize = 2;

/// `tsc` on the generated package (`src/`, with its validators, plus the sample fixture
/// `test/samples.ts`) copied into a scratch folder, with a copy of the fixture per edit below:
/// one tsc program for the tests of this file, each reading its own verdict from it.
fn checked_package() -> &'static TypeCheck {
    static CHECK: OnceLock<TypeCheck> = OnceLock::new();
    CHECK.get_or_init(|| {
        let root = xtask::workspace::root();
        tsc();
        let mut files = std::collections::BTreeMap::new();
        for sub in ["src", "test"] {
            collect(&root, &root.join("generated/typescript").join(sub), &mut files);
        }
        let cases: [&dyn Fn(&str) -> String; 3] = [
            &|fixture| {
                fixture.replacen(
                    "\"correlationId\": ",
                    "\"correlationIdentifier\": \"x\",\n  \"correlationId\": ",
                    1,
                )
            },
            &|fixture| replace_first_value(fixture, "\"quantityKg\": ", "\"many\""),
            &|fixture| replace_first_value(fixture, "\"detail-type\": ", "\"TradeCancelled\""),
        ];
        let dir = tempfile::tempdir().unwrap();
        typescript_package::type_check(&root, dir.path(), &files, &cases).unwrap()
    })
}

/// Every `.ts` and `.js` file under `dir`, by path relative to `root`.
fn collect(
    root: &std::path::Path,
    dir: &std::path::Path,
    files: &mut std::collections::BTreeMap<String, String>,
) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(root, &path, files);
        } else if path.extension().is_some_and(|e| e == "ts" || e == "js") {
            files.insert(xtask::workspace::relative(root, &path), fs::read_to_string(&path).unwrap());
        }
    }
}

#[test]
fn the_generated_package_and_every_sample_type_check() {
    let errors = &checked_package().package;
    assert!(errors.is_empty(), "tsc rejected the generated package:\n{errors}");
}

#[test]
fn tsc_rejects_a_sample_with_an_unknown_property() {
    let errors = &checked_package().cases[UNKNOWN_PROPERTY];
    assert!(!errors.is_empty(), "tsc accepted an excess property");
    assert!(errors.contains("error TS2353") && errors.contains("correlationIdentifier"), "{errors}");
}

#[test]
fn tsc_rejects_a_sample_with_a_wrong_type() {
    let errors = &checked_package().cases[WRONG_TYPE];
    assert!(!errors.is_empty(), "tsc accepted a string for a number");
    assert!(errors.contains("error TS2322"), "{errors}");
}

#[test]
fn tsc_rejects_an_envelope_whose_detail_does_not_match_its_detail_type() {
    let errors = &checked_package().cases[DETAIL_OF_ANOTHER_EVENT];
    assert!(!errors.is_empty(), "tsc accepted a payload under another event's detail-type");
    assert!(errors.contains("error TS2322"), "{errors}");
}

/// Replaces the value after the first `key` (up to the next `,` or newline) with `value`.
fn replace_first_value(text: &str, key: &str, value: &str) -> String {
    let start = text.find(key).expect("the fixture has the key") + key.len();
    let end = start + text[start..].find([',', '\n']).unwrap();
    assert_ne!(&text[start..end], value, "the edit must change the fixture");
    format!("{}{value}{}", &text[..start], &text[end..])
}

/// `cargo xtask infer <dir> --lang typescript` on real AWS events prints one module that
/// `tsc --strict` accepts: types sharing a definition name (`Detail`) do not clash.
#[test]
fn inferred_typescript_for_the_aws_corpus_compiles() {
    let corpus = xtask::workspace::root().join("../shared/corpus/aws-events");
    assert!(corpus.is_dir(), "the shared corpus is missing at {}", corpus.display());
    let text = Cmd::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["infer", "--lang", "typescript"])
        .arg(&corpus)
        .read()
        .unwrap_or_else(|error| panic!("{error:#}"));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("aws.ts");
    fs::write(&file, &text).unwrap();
    assert!(text.contains("export interface AutoscalingEventLaunchSuccessfulDetail"), "{text}");
    Cmd::new(tsc())
        .args(TSC_STRICT_ARGS)
        .arg(&file)
        .run_quiet()
        .unwrap_or_else(|error| panic!("tsc rejected inferred TypeScript: {error:#}"));
}

/// EventBridge identifies an event by source and detail-type: two sources may share a
/// detail-type, and the package keeps them apart.
#[test]
fn two_sources_may_share_a_detail_type() {
    #[derive(serde::Serialize, schemars::JsonSchema)]
    #[serde(rename_all = "camelCase")]
    struct OrganisationCreated {
        legal_name: String,
    }
    #[derive(serde::Serialize, schemars::JsonSchema)]
    #[serde(rename_all = "camelCase")]
    struct PartnerOrganisationCreated {
        partner_code: u32,
    }
    let events = [
        xtask::events::EventInput::from_type(
            "customers",
            "OrganisationCreated",
            &OrganisationCreated { legal_name: "Grain Co".into() },
        ),
        xtask::events::EventInput::from_type(
            "partners",
            "OrganisationCreated",
            &PartnerOrganisationCreated { partner_code: 7 },
        ),
    ];
    let set = xtask::generate(&events).unwrap_or_else(|e| panic!("{e}"));
    let events_ts = &set.files["generated/typescript/src/events.ts"];
    assert!(
        events_ts.contains("  customers: {\n    OrganisationCreated: customers.OrganisationCreated;"),
        "{events_ts}"
    );
    assert!(
        events_ts.contains("  partners: {\n    OrganisationCreated: partners.PartnerOrganisationCreated;"),
        "{events_ts}"
    );
    let dir = tempfile::tempdir().unwrap();
    tsc();
    let check =
        typescript_package::type_check(&xtask::workspace::root(), dir.path(), &set.files, &[]).unwrap();
    assert!(check.package.is_empty(), "{}", check.package);
}
