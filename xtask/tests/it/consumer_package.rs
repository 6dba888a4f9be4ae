//! The TypeScript package as a Lambda team installs it: built to `dist/cjs` and `dist/esm`
//! with `npm run build`, its consumer API tested with Node's test runner, then packed with
//! `npm pack` and installed, offline, into three scratch projects: an ES module app
//! type-checked by `tsc` with `module`/`moduleResolution` `nodenext`, `strict` and
//! `exactOptionalPropertyTypes`, and run; a CommonJS app, run; and an esbuild bundle of a
//! one-event handler, run, and within its size budget.

// Links every contract crate, so the registry sees every event.
use contracts_all as _;
use std::fs;
use std::path::{Path, PathBuf};

use xtask::cmd::Cmd;
use xtask::keyed::Key;

/// The most a minified bundle of a function handling one event may weigh (issue 21).
const ONE_EVENT_BUNDLE_BUDGET: u64 = 20 * 1024;

fn package() -> PathBuf {
    xtask::workspace::root().join("generated/typescript")
}

/// Runs `program args` in `dir` and returns its standard output, failing the test with the
/// command, its status and its output's tail when it fails.
fn run(dir: &Path, program: &str, args: &[&str]) -> String {
    Cmd::new(program).args(args).dir(dir).read().unwrap_or_else(|error| panic!("{error:#}"))
}

/// A binary of the package's pinned dev dependencies (`npm ci` installs them).
fn bin(name: &str) -> String {
    let path = package().join("node_modules/.bin").join(name);
    assert!(
        path.exists(),
        "{name} is not installed: run `npm ci` in generated/typescript (`cargo xtask ci` does this first)"
    );
    path.to_string_lossy().into_owned()
}

/// Builds `dist/`, runs the package's own tests on it, and packs it; the tarball's path.
fn built_and_packed(into: &Path) -> PathBuf {
    let package = package();
    bin("tsc");
    build(&package);
    run(&package, "node", &["--test", "test/"]);
    let packed = run(&package, "npm", &["pack", "--silent", "--pack-destination", into.to_str().unwrap()]);
    let name = packed.lines().last().unwrap_or_default().trim();
    into.join(name)
}

/// Where the last build of `dist/` left its stamp: the key of what it was built from and of
/// what it wrote.
const BUILD_STAMP: &str = "target/consumer-package/dist.stamp";

/// `npm run build` (two `tsc` emits and esbuild; most of this test's time), unless `dist/` is
/// what a build from the same inputs wrote: the stamp of the last build holds the key of its
/// inputs (the package's sources, scripts, configs, lock file, installed compilers and Node)
/// and of the `dist/` it wrote, and both still match. So the build runs on a clean clone and
/// whenever anything it reads changes, and a second run on an unchanged clone tests, packs and
/// installs the same `dist/` the first run built, as the corpus check keeps its verdicts.
fn build(package: &Path) {
    let stamp_path = xtask::workspace::root().join(BUILD_STAMP);
    let inputs = build_inputs(package);
    let stamp = |dist: String| format!("inputs {inputs}\ndist {dist}\n");
    if fs::read_to_string(&stamp_path).ok() == Some(stamp(tree_key(&package.join("dist")))) {
        println!("dist/ is as a build from the same inputs left it ({})", stamp_path.display());
        return;
    }
    let _ = fs::remove_file(&stamp_path);
    run(package, "npm", &["run", "--silent", "build"]);
    fs::create_dir_all(stamp_path.parent().unwrap()).unwrap();
    fs::write(&stamp_path, stamp(tree_key(&package.join("dist")))).unwrap();
}

/// The key of everything `npm run build` reads: `src/`, `scripts/`, the package's own files
/// (`package.json`, its lock file, the `tsconfig`s), the installed TypeScript and esbuild, and
/// the version of Node.
fn build_inputs(package: &Path) -> String {
    let mut key = Key::new();
    for dir in ["src", "scripts"] {
        key.add(tree_key(&package.join(dir)).as_bytes());
    }
    let mut files: Vec<PathBuf> = fs::read_dir(package)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    files.extend(
        ["typescript", "esbuild"].map(|name| package.join("node_modules").join(name).join("package.json")),
    );
    for file in files {
        key.add(file.to_string_lossy().as_bytes()).add(&fs::read(&file).unwrap_or_default());
    }
    key.add(run(package, "node", &["--version"]).as_bytes());
    key.finish()
}

/// The key of every file under `dir`: its path and its bytes, in a fixed order; a missing
/// folder has the key of an empty one.
fn tree_key(dir: &Path) -> String {
    let mut key = Key::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let Ok(entry) = entry else { continue };
        let relative = entry.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned();
        key.add(relative.as_bytes());
        if entry.file_type().is_file() {
            key.add(&fs::read(entry.path()).unwrap());
        }
    }
    key.finish()
}

/// A scratch project (`package.json` with `type`) with the tarball installed, offline: the
/// package has no runtime dependency, so nothing comes from the network.
fn scratch_project(dir: &Path, name: &str, module_type: &str, tarball: &Path) -> PathBuf {
    let project = dir.join(name);
    fs::create_dir_all(&project).unwrap();
    fs::write(
        project.join("package.json"),
        format!(r#"{{"name": "{name}", "version": "1.0.0", "private": true, "type": "{module_type}"}}"#),
    )
    .unwrap();
    run(&project, "npm", &["install", "--offline", "--no-audit", "--no-fund", tarball.to_str().unwrap()]);
    fs::copy(package().join("test/envelopes.json"), project.join("envelopes.json")).unwrap();
    project
}

#[test]
fn three_scratch_projects_install_the_packed_package_as_esm_commonjs_and_a_bundle() {
    let scratch = tempfile::tempdir().unwrap();
    let tarball = built_and_packed(scratch.path());
    assert!(tarball.exists(), "npm pack wrote {}", tarball.display());
    println!("packed tarball: {} ({} bytes)", tarball.display(), fs::metadata(&tarball).unwrap().len());

    // An ES module app: type-checked as `nodenext` resolves the package's `import` condition,
    // then run by Node.
    let esm = scratch_project(scratch.path(), "esm-app", "module", &tarball);
    for example in ["lambda.ts", "one-event.ts"] {
        fs::copy(package().join("examples").join(example), esm.join(example)).unwrap();
    }
    fs::write(esm.join("tsconfig.json"), NODENEXT_TSCONFIG).unwrap();
    run(&esm, &bin("tsc"), &["-p", "."]);
    fs::write(esm.join("check.mjs"), CHECK_MJS).unwrap();
    assert_eq!(
        run(&esm, "node", &["check.mjs"]).trim(),
        "import: every sample parses, a broken one is rejected"
    );

    // A CommonJS app: `require` takes the `require` condition, of the root and of a subpath.
    let cjs = scratch_project(scratch.path(), "cjs-app", "commonjs", &tarball);
    fs::write(cjs.join("check.cjs"), CHECK_CJS).unwrap();
    assert_eq!(
        run(&cjs, "node", &["check.cjs"]).trim(),
        "require: every sample parses, a broken one is rejected"
    );

    // An esbuild bundle of the one-event handler, minified as a Lambda ships it, then run.
    let bundled = scratch_project(scratch.path(), "bundle-app", "module", &tarball);
    fs::copy(package().join("examples/one-event.ts"), bundled.join("one-event.ts")).unwrap();
    fs::copy(package().join("examples/lambda.ts"), bundled.join("lambda.ts")).unwrap();
    let esbuild = bin("esbuild");
    for (entry, out) in [("one-event.ts", "one-event.mjs"), ("lambda.ts", "all-events.mjs")] {
        let outfile = format!("--outfile={out}");
        run(
            &bundled,
            &esbuild,
            &[entry, "--bundle", "--minify", "--platform=node", "--format=esm", &outfile],
        );
    }
    // The example prints its consumer declaration: the file checked in under schemas/consumers/.
    let printed = run(
        &bundled,
        "node",
        &["--input-type=module", "-e", "process.stdout.write((await import('./all-events.mjs')).consumer)"],
    );
    let file = xtask::workspace::root().join("schemas/consumers/trade-notifier.toml");
    assert_eq!(
        fs::read_to_string(&file).unwrap_or_default(),
        printed,
        "{} is not what examples/lambda.ts declares; print it again (README, \"Who consumes this event?\")",
        file.display()
    );
    fs::write(bundled.join("check.mjs"), CHECK_BUNDLE_MJS).unwrap();
    assert_eq!(
        run(&bundled, "node", &["check.mjs"]).trim(),
        "bundle: TradeCreated parses, a broken one is rejected"
    );
    let one = fs::metadata(bundled.join("one-event.mjs")).unwrap().len();
    let all = fs::metadata(bundled.join("all-events.mjs")).unwrap().len();
    println!("minified esbuild bundles: one event {one} bytes, every event {all} bytes");
    assert!(
        one <= ONE_EVENT_BUNDLE_BUDGET,
        "the one-event bundle is {one} bytes, over {ONE_EVENT_BUNDLE_BUDGET}"
    );
    assert!(
        one * 3 < all,
        "the one-event bundle ({one} bytes) holds more than its own validator (all: {all})"
    );
}

const CHECK_CJS: &str = r#"const { parseEvent } = require("@agri-platform/events");
const trading = require("@agri-platform/events/trading");
const { envelopes } = require("./envelopes.json");
for (const e of envelopes) { const r = parseEvent(e); if (!r.ok) throw new Error(e.id + ": " + JSON.stringify(r.errors)); }
const broken = JSON.parse(JSON.stringify(envelopes[envelopes.length - 1])); broken.detail = "nothing";
if (parseEvent(broken).ok) throw new Error("a broken event parsed");
const created = envelopes.find((e) => e["detail-type"] === "TradeCreated");
if (!trading.parseTradeCreated(created).ok || trading.parseEvent(envelopes[0]).ok) throw new Error("the subpath is wrong");
if (require("@agri-platform/events").InvalidEventError !== trading.InvalidEventError) throw new Error("two InvalidEventError classes");
console.log("require: every sample parses, a broken one is rejected");
"#;

const CHECK_MJS: &str = r#"import { parseEvent } from "@agri-platform/events";
import { parseEvent as parseTrading } from "@agri-platform/events/trading";
import { readFileSync } from "node:fs";
const { envelopes } = JSON.parse(readFileSync("envelopes.json", "utf8"));
for (const e of envelopes) { const r = parseEvent(e); if (!r.ok) throw new Error(e.id + ": " + JSON.stringify(r.errors)); }
const broken = structuredClone(envelopes[0]); broken.source = 42;
if (parseEvent(broken).ok) throw new Error("a broken event parsed");
if (!parseTrading(envelopes.find((e) => e.source === "trading")).ok) throw new Error("the subpath is wrong");
// The root and a subpath share one copy of the consumer API (the ESM build is bundled with splitting).
const root = await import("@agri-platform/events"), trading = await import("@agri-platform/events/trading");
if (root.InvalidEventError !== trading.InvalidEventError) throw new Error("two InvalidEventError classes");
console.log("import: every sample parses, a broken one is rejected");
"#;

const CHECK_BUNDLE_MJS: &str = r#"import { handler } from "./one-event.mjs";
import { readFileSync } from "node:fs";
const { envelopes } = JSON.parse(readFileSync("envelopes.json", "utf8"));
const created = envelopes.find((e) => e["detail-type"] === "TradeCreated");
if (!(await handler(created)).startsWith("trade ")) throw new Error("the handler did not run");
const broken = structuredClone(created); broken.detail.trade.quantityKg = "many";
const error = await handler(broken).then(() => null, (e) => e);
if (error?.name !== "InvalidEventError" || error.errors[0].path !== "/detail/trade/quantityKg") throw new Error("not rejected: " + error);
console.log("bundle: TradeCreated parses, a broken one is rejected");
"#;

const NODENEXT_TSCONFIG: &str = r#"{
  "compilerOptions": {
    "strict": true,
    "noEmit": true,
    "exactOptionalPropertyTypes": true,
    "target": "ES2022",
    "lib": ["ES2022", "DOM"],
    "module": "NodeNext",
    "moduleResolution": "NodeNext"
  },
  "files": ["lambda.ts", "one-event.ts"]
}
"#;

/// The README shows the examples as they are, so the compiled files and the docs agree.
#[test]
fn the_readme_shows_the_consumer_examples_as_compiled() {
    let readme = fs::read_to_string(xtask::workspace::root().join("README.md")).unwrap();
    for example in [
        "generated/typescript/examples/lambda.ts",
        "generated/typescript/examples/one-event.ts",
        "generated/rust/examples/lambda_handler.rs",
    ] {
        let text = fs::read_to_string(xtask::workspace::root().join(example)).unwrap();
        let body: String = text.lines().skip_while(|l| l.starts_with("//")).collect::<Vec<_>>().join("\n");
        assert!(readme.contains(body.trim()), "README.md does not show {example} as it is");
    }
}
