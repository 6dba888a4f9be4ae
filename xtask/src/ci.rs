//! `cargo xtask ci`: every check CI runs, in the order a developer wants to hear about them,
//! each timed, with a table of the steps' times and the total at the end.
//!
//! Two things keep it fast on a 2-core machine without proving less:
//! - **One build, linted.** Clippy's driver compiles the workspace's own crates for the
//!   tests ([`lint_env`]), so the dependencies are compiled once; a separate `cargo clippy`
//!   would check every dependency a second time in its own mode.
//! - **Set-up beside the build.** npm, Chromium, moto and PostgreSQL wait on the network and
//!   the disk; they are installed and started in a thread while cargo keeps both cores busy.

use std::ffi::OsString;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, anyhow, bail};

use crate::cmd::Cmd;
use crate::moto::MotoServer;
use crate::postgres::PostgresServer;

mod test_binaries;

/// The variable cargo reads a rustc wrapper for workspace members from (`cargo clippy` sets
/// it to clippy's driver); a separate key in cargo's cache, so linted and plain builds of the
/// workspace's crates live side by side.
pub const WRAPPER_VARIABLE: &str = "RUSTC_WORKSPACE_WRAPPER";

/// The variable clippy's driver reads its arguments from, joined as `cargo clippy` joins them.
pub const CLIPPY_ARGS_VARIABLE: &str = "CLIPPY_ARGS";

/// `-D warnings`, as `cargo clippy -- -D warnings` hands it to the driver.
const DENY_WARNINGS: &str = "-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__";

/// Installs what the checks need (npm packages, Chromium, a moto server for the AWS tests, a
/// PostgreSQL server for the runtime's tests), runs formatting, lint with the tests' build,
/// the tests, the freshness check, the transitive compatibility gate, the packages' version
/// check, the AsyncAPI validation, the catalog, `tsc` and, given a corpus folder, the corpus
/// check; then fails if the run changed the work tree (a test or step that writes files CI
/// would not see committed). Prints every step's time and the total, whether the run passed or not.
pub fn run(root: &Path, corpus: Option<&Path>) -> Result<()> {
    let steps = Steps::new();
    let result = run_steps(root, corpus, &steps);
    print!("{}", steps.table());
    result
}

fn run_steps(root: &Path, corpus: Option<&Path>, steps: &Steps) -> Result<()> {
    let status_before = git_status(root)?;
    let lint = lint_env()?;
    let this = std::env::current_exe().context("cannot find the running xtask binary")?;
    let (services, built) = std::thread::scope(|scope| {
        let setup = scope.spawn(|| set_up(root, steps));
        let built = build(root, steps, &lint);
        (setup.join().unwrap_or_else(|_| Err(anyhow!("the set-up thread panicked"))), built)
    });
    let (moto, postgres) = services?;
    let tests = built?;
    let mut test_env = lint.clone();
    test_env.push((crate::moto::ENDPOINT_VARIABLE.into(), moto.endpoint.clone().into()));
    test_env.push((crate::postgres::URL_VARIABLE.into(), postgres.url.clone().into()));
    // The corpus check runs beside the tests, which spend much of their time waiting on
    // servers, browsers and timers; its output is kept and shown after theirs.
    let corpus_log = root.join("target/ci-corpus.log");
    let corpus_run = match corpus {
        Some(corpus) => {
            Some(Background::start(&Cmd::new(&this).arg("corpus").arg(corpus).dir(root), &corpus_log)?)
        }
        None => None,
    };
    let tested = steps.run("test", || test_binaries::run(root, &tests, &test_env));
    drop(postgres);
    drop(moto);
    let corpus_checked = corpus_run.map(|run| steps.finish("corpus (beside the tests)", run));
    tested?;
    corpus_checked.transpose()?;
    // The running binary is the one `cargo xtask` would run: no second trip through cargo.
    steps.run("freshness", || command(root, &this, &["schemas", "--check"]).run())?;
    // Every event schema against every committed version of it: a clean clone with full
    // history catches a break in the newest commit.
    steps.run("compatibility", || command(root, &this, &["compat", "--transitive"]).run())?;
    // The generated packages' version is at least what the gate's verdicts since the last
    // version ask for, and the changelog lists those changes.
    steps.run("package versions", || command(root, &this, &["version", "--check"]).run())?;
    let validate = format!("{}/validate.mjs", crate::outputs::asyncapi::VALIDATOR_DIR);
    steps.run("asyncapi", || command(root, "node", &[&validate, "schemas/asyncapi.yaml"]).run())?;
    // The catalog's own binary, which `cargo xtask catalog` runs: the build step built it
    // beside this one for its tests (`cargo run` compiled the catalog crate again, 7 s alone
    // at the end of CI: cargo did not reuse the test build's units of it).
    let catalog = this.with_file_name("xtask-catalog");
    steps.run("catalog", || command(root, &catalog, &["--out", "target/catalog"]).run())?;
    let typescript = root.join(crate::workspace::TYPESCRIPT_PACKAGE_DIR);
    let tsc = ["--no-install", "tsc", "--noEmit", "-p", "."];
    steps.run("typescript", || command(&typescript, "npx", &tsc).run())?;
    let status_after = git_status(root)?;
    if status_after != status_before {
        bail!("the checks changed the work tree; `git status --porcelain` now shows:\n{status_after}");
    }
    println!("ci: all checks passed");
    Ok(())
}

/// Format, then lint and build every target of the workspace in one pass (tests, benches,
/// examples: what `cargo clippy --all-targets` covers); returns the test binaries.
fn build(
    root: &Path,
    steps: &Steps,
    lint: &[(OsString, OsString)],
) -> Result<Vec<test_binaries::TestTarget>> {
    steps.run("format", || command(root, "cargo", &["fmt", "--all", "--check"]).run())?;
    steps.run("lint + build", || test_binaries::build(root, lint))
}

/// Installs the npm packages and Chromium and starts moto and PostgreSQL. Output is kept
/// and shown only on failure, so it does not interleave with the build's.
fn set_up(root: &Path, steps: &Steps) -> Result<(MotoServer, PostgresServer)> {
    // The pinned TypeScript compiler, ajv (which `cargo xtask schemas` compiles validators
    // with) and esbuild, from package-lock.json; the tests run them.
    let typescript = root.join(crate::workspace::TYPESCRIPT_PACKAGE_DIR);
    steps.run("npm (typescript)", || npm_ci_in(&typescript, &NPM_CI))?;
    // ajv, the corpus check's second validator.
    let ajv = root.join("xtask/corpus-check");
    steps.run("npm (ajv)", || npm_ci_in(&ajv, &NPM_CI))?;
    // @asyncapi/parser, which validates schemas/asyncapi.yaml. No package in it needs an
    // install script, and one (an analytics package deep in the tree) would phone home.
    let asyncapi = root.join(crate::outputs::asyncapi::VALIDATOR_DIR);
    let no_scripts = ["ci", "--no-audit", "--no-fund", "--ignore-scripts"];
    steps.run("npm (asyncapi)", || {
        npm_ci_once(&command(&asyncapi, "npm", &no_scripts).env("SCARF_ANALYTICS", "false"))
    })?;
    // Headless Chromium and its driver for the catalog's browser test.
    steps.run("chromium", crate::browser::ensure_installed)?;
    let moto = steps.run("moto", || MotoServer::start(root).context("starting moto for the AWS tests"))?;
    println!("ci: moto: serving on {}", moto.endpoint);
    let postgres = steps.run("postgres", || {
        PostgresServer::start(root).context("starting PostgreSQL for the runtime's tests")
    })?;
    println!("ci: postgres: serving on {}", postgres.url);
    Ok((moto, postgres))
}

/// `npm ci`'s arguments for a folder whose packages may run their install scripts.
pub const NPM_CI: [&str; 3] = ["ci", "--no-audit", "--no-fund"];

/// Runs `npm ci args` in `dir` unless its `node_modules` came from the same lock file by the
/// same command; shared by `cargo xtask ci` and `cargo xtask schemas` (which needs the
/// package's ajv), so the two never reinstall each other's install.
pub fn npm_ci_in(dir: &Path, args: &[&str]) -> Result<()> {
    npm_ci_once(&command(dir, "npm", args))
}

/// Whether `npm ci args` installed `dir`'s `node_modules` from its current lock file.
pub fn npm_installed(dir: &Path, args: &[&str]) -> bool {
    let npm = command(dir, "npm", args);
    std::fs::read_to_string(dir.join(NPM_STAMP)).is_ok_and(|old| old == npm_stamp(dir, &npm))
}

/// The stamp `npm ci` leaves in `node_modules`, relative to its folder.
const NPM_STAMP: &str = "node_modules/.xtask-npm-ci";

/// The stamp's text: the lock file's SHA-1 and the command.
fn npm_stamp(dir: &Path, npm: &Cmd) -> String {
    let lock = std::fs::read(dir.join("package-lock.json")).unwrap_or_default();
    format!("{} {npm}", sha1_smol::Sha1::from(&lock).digest())
}

/// Runs `npm ci` (the command given) unless its folder's `node_modules` was installed by it
/// from the same `package-lock.json` (a stamp in `node_modules` holds the lock file's SHA-1
/// and the command): `npm ci` deletes and reinstalls everything, 7-10 s a folder, for nothing.
fn npm_ci_once(npm: &Cmd) -> Result<()> {
    let dir = npm.get_dir().map(Path::to_path_buf).unwrap_or_default();
    let stamp_path = dir.join(NPM_STAMP);
    let stamp = npm_stamp(&dir, npm);
    if std::fs::read_to_string(&stamp_path).is_ok_and(|old| old == stamp) {
        println!("ci: {}: node_modules is installed from this package-lock.json", dir.display());
        return Ok(());
    }
    npm.run_quiet()?;
    std::fs::write(&stamp_path, stamp).with_context(|| format!("could not write {}", stamp_path.display()))
}

/// The environment that has cargo compile the workspace's crates with clippy's driver and
/// `-D warnings`, as `cargo clippy -- -D warnings` does. A wrapper already set (as `.ci/run`
/// sets it, so the `xtask` binary's own build is linted and shared with the tests) is kept.
pub fn lint_env() -> Result<Vec<(OsString, OsString)>> {
    let driver = match std::env::var_os(WRAPPER_VARIABLE) {
        Some(driver) => driver,
        None => clippy_driver()?.into_os_string(),
    };
    Ok(vec![(WRAPPER_VARIABLE.into(), driver), (CLIPPY_ARGS_VARIABLE.into(), DENY_WARNINGS.into())])
}

/// Clippy's driver in the active toolchain's sysroot.
fn clippy_driver() -> Result<PathBuf> {
    let sysroot = Cmd::new("rustc").args(["--print", "sysroot"]).read()?;
    let driver = Path::new(sysroot.trim()).join("bin/clippy-driver");
    if !driver.is_file() {
        bail!("clippy is not installed in {}: run `rustup component add clippy`", sysroot.trim());
    }
    Ok(driver)
}

/// A command in `dir`. Snapshot tests must compare, never write: a changed sample fails CI.
fn command(dir: &Path, program: impl AsRef<std::ffi::OsStr>, args: &[&str]) -> Cmd {
    Cmd::new(program).args(args).dir(dir).env("INSTA_UPDATE", "no")
}

/// A step running as a child process beside the others, its output kept in a file; a thread
/// waits for it, so its time is its own, not the time until someone asked.
struct Background {
    waiter: std::thread::JoinHandle<(std::io::Result<std::process::ExitStatus>, Duration)>,
    log: PathBuf,
    shown: String,
}

impl Background {
    fn start(command: &Cmd, log: &Path) -> Result<Background> {
        let shown = command.to_string();
        println!("ci: started beside the tests: {shown} (output in {})", log.display());
        let started = Instant::now();
        let mut child = command.spawn_logged(log)?;
        let waiter = std::thread::spawn(move || (child.wait(), started.elapsed()));
        Ok(Background { waiter, log: log.to_owned(), shown })
    }
}

/// The steps run so far, with their times; steps of the set-up thread add theirs too.
struct Steps {
    started: Instant,
    times: Mutex<Vec<(String, Duration, bool)>>,
}

impl Steps {
    fn new() -> Self {
        Steps { started: Instant::now(), times: Mutex::new(Vec::new()) }
    }

    /// Runs one step, announcing it and recording its time and outcome.
    fn run<T>(&self, name: &str, step: impl FnOnce() -> Result<T>) -> Result<T> {
        println!("ci: {name}: started");
        let started = Instant::now();
        let result = step();
        let took = started.elapsed();
        self.times.lock().unwrap_or_else(|e| e.into_inner()).push((name.to_owned(), took, result.is_ok()));
        match &result {
            Ok(_) => println!("ci: {name}: ok in {:.1}s", took.as_secs_f64()),
            Err(error) => println!("ci: {name}: FAILED in {:.1}s: {error:#}", took.as_secs_f64()),
        }
        result.with_context(|| format!("ci: {name} failed"))
    }

    /// Waits for a step that ran in the background, shows its output and records it.
    fn finish(&self, name: &str, run: Background) -> Result<()> {
        let (status, took) = run.waiter.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        let status = status.with_context(|| format!("could not wait for {}", run.shown))?;
        println!("ci: {name}: output of {}:", run.shown);
        print!("{}", std::fs::read_to_string(&run.log).unwrap_or_default());
        self.times.lock().unwrap_or_else(|e| e.into_inner()).push((name.to_owned(), took, status.success()));
        if !status.success() {
            println!("ci: {name}: FAILED in {:.1}s ({status})", took.as_secs_f64());
            bail!("ci: {name} failed: {} ({status})", run.shown);
        }
        println!("ci: {name}: ok in {:.1}s", took.as_secs_f64());
        Ok(())
    }

    /// The steps' times as a markdown table, in the order they finished, and the wall-clock
    /// total (less than the sum: set-up runs beside the build).
    fn table(&self) -> String {
        let mut text = String::from("\n| step | seconds | result |\n|---|---:|---|\n");
        for (name, took, ok) in self.times.lock().unwrap_or_else(|e| e.into_inner()).iter() {
            let _ = writeln!(
                text,
                "| {name} | {:.1} | {} |",
                took.as_secs_f64(),
                if *ok { "ok" } else { "FAILED" }
            );
        }
        let _ = writeln!(text, "| **total (wall clock)** | {:.1} | |", self.started.elapsed().as_secs_f64());
        text
    }
}

fn git_status(root: &Path) -> Result<String> {
    Cmd::new("git").args(["status", "--porcelain", "--untracked-files=all"]).dir(root).read()
}
