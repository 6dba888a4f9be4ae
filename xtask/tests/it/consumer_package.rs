//! The TypeScript package as a Lambda team installs it: built to `dist/` with `npm run build`,
//! its consumer API tested with Node's test runner against `dist/`, then packed with
//! `npm pack`, installed into a scratch Node project, loaded from plain JavaScript with both
//! `require` and `import`, and its example handler compiled by `tsc --strict`.

// Links every contract crate, so the registry sees every event.
use contracts_all as _;
use std::fs;
use std::path::{Path, PathBuf};

use xtask::cmd::Cmd;

fn package() -> PathBuf {
    xtask::workspace::root().join("generated/typescript")
}

/// Runs `program args` in `dir` and returns its standard output, failing the test with the
/// command, its status and its output's tail when it fails.
fn run(dir: &Path, program: &str, args: &[&str]) -> String {
    Cmd::new(program).args(args).dir(dir).read().unwrap_or_else(|error| panic!("{error:#}"))
}

fn tsc() -> PathBuf {
    let tsc = package().join("node_modules/.bin/tsc");
    assert!(tsc.exists(), "run `npm ci` in generated/typescript (`cargo xtask ci` does this first)");
    tsc
}

/// Builds `dist/`, runs the package's own tests on it, and packs it; the tarball's path.
fn built_and_packed(into: &Path) -> PathBuf {
    let package = package();
    run(&package, tsc().to_str().unwrap(), &["-p", "tsconfig.build.json"]);
    run(&package, "node", &["--test", "test/"]);
    let packed = run(&package, "npm", &["pack", "--silent", "--pack-destination", into.to_str().unwrap()]);
    let name = packed.lines().last().unwrap_or_default().trim();
    into.join(name)
}

#[test]
fn a_scratch_project_installs_the_packed_package_and_uses_it_from_javascript_and_typescript() {
    let scratch = tempfile::tempdir().unwrap();
    let tarball = built_and_packed(scratch.path());
    assert!(tarball.exists(), "npm pack wrote {}", tarball.display());
    let size = fs::metadata(&tarball).unwrap().len();
    println!("packed tarball: {} ({size} bytes)", tarball.display());
    let project = scratch.path().join("consumer");
    fs::create_dir_all(&project).unwrap();
    fs::write(project.join("package.json"), r#"{"name": "consumer", "version": "1.0.0", "private": true}"#)
        .unwrap();
    run(
        &project,
        "npm",
        &["install", "--no-audit", "--no-fund", "--prefer-offline", tarball.to_str().unwrap()],
    );
    fs::copy(package().join("test/envelopes.json"), project.join("envelopes.json")).unwrap();
    fs::write(project.join("check.cjs"), CHECK_CJS).unwrap();
    fs::write(project.join("check.mjs"), CHECK_MJS).unwrap();
    assert_eq!(
        run(&project, "node", &["check.cjs"]).trim(),
        "require: every sample parses, a broken one is rejected"
    );
    assert_eq!(
        run(&project, "node", &["check.mjs"]).trim(),
        "import: every sample parses, a broken one is rejected"
    );
    fs::copy(package().join("examples/lambda.ts"), project.join("lambda.ts")).unwrap();
    fs::write(project.join("tsconfig.json"), EXAMPLE_TSCONFIG).unwrap();
    run(&project, tsc().to_str().unwrap(), &["-p", "."]);
}

const CHECK_CJS: &str = r#"const { parseEvent } = require("@agri-platform/events");
const { envelopes } = require("./envelopes.json");
for (const e of envelopes) { const r = parseEvent(e); if (!r.ok) throw new Error(e.id + ": " + JSON.stringify(r.errors)); }
const broken = JSON.parse(JSON.stringify(envelopes[envelopes.length - 1])); broken.detail = "nothing";
if (parseEvent(broken).ok) throw new Error("a broken event parsed");
console.log("require: every sample parses, a broken one is rejected");
"#;

const CHECK_MJS: &str = r#"import { parseEvent } from "@agri-platform/events";
import { readFileSync } from "node:fs";
const { envelopes } = JSON.parse(readFileSync("envelopes.json", "utf8"));
for (const e of envelopes) { const r = parseEvent(e); if (!r.ok) throw new Error(e.id + ": " + JSON.stringify(r.errors)); }
const broken = structuredClone(envelopes[0]); broken.source = 42;
if (parseEvent(broken).ok) throw new Error("a broken event parsed");
console.log("import: every sample parses, a broken one is rejected");
"#;

const EXAMPLE_TSCONFIG: &str = r#"{
  "compilerOptions": {
    "strict": true,
    "noEmit": true,
    "exactOptionalPropertyTypes": true,
    "target": "ES2022",
    "lib": ["ES2022", "DOM"],
    "module": "NodeNext",
    "moduleResolution": "NodeNext"
  },
  "files": ["lambda.ts"]
}
"#;

/// The README shows the examples as they are, so the compiled files and the docs agree.
#[test]
fn the_readme_shows_the_consumer_examples_as_compiled() {
    let readme = fs::read_to_string(xtask::workspace::root().join("README.md")).unwrap();
    for example in ["generated/typescript/examples/lambda.ts", "generated/rust/examples/lambda_handler.rs"] {
        let text = fs::read_to_string(xtask::workspace::root().join(example)).unwrap();
        let body: String = text.lines().skip_while(|l| l.starts_with("//")).collect::<Vec<_>>().join("\n");
        assert!(readme.contains(body.trim()), "README.md does not show {example} as it is");
    }
}
