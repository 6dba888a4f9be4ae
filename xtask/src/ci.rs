//! `cargo xtask ci`: every check CI runs, in the order a developer wants to hear about them.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use anyhow::{Context as _, Result, bail};

/// Installs what the checks need (npm packages, Chromium, a moto server for the AWS tests, a
/// PostgreSQL server for the runtime's tests), runs formatting, lint, tests, the freshness
/// check, the transitive compatibility gate, the AsyncAPI validation, the catalog, `tsc` and,
/// given a corpus folder, the corpus check; then fails if the run changed the work tree (a
/// test or step that writes files CI would not see committed).
pub fn run(root: &Path, corpus: Option<&Path>) -> Result<()> {
    let status_before = git_status(root)?;
    let typescript = root.join(crate::workspace::TYPESCRIPT_PACKAGE_DIR);
    // The pinned TypeScript compiler, from package-lock.json; the tests run it.
    step(&typescript, "npm", "npm", &["ci", "--no-audit", "--no-fund"])?;
    // ajv, the corpus check's second validator.
    step(&root.join("xtask/corpus-check"), "npm", "npm", &["ci", "--no-audit", "--no-fund"])?;
    // @asyncapi/parser, which validates schemas/asyncapi.yaml. No package in it needs an
    // install script, and one (an analytics package deep in the tree) would phone home.
    let asyncapi = root.join(crate::outputs::asyncapi::VALIDATOR_DIR);
    let no_scripts = ["ci", "--no-audit", "--no-fund", "--ignore-scripts"];
    step_with(&asyncapi, "npm", "npm", &no_scripts, &[("SCARF_ANALYTICS", "false")])?;
    // Headless Chromium and its driver for the catalog's browser test.
    crate::browser::ensure_installed()?;
    step(root, "format", "cargo", &["fmt", "--all", "--check"])?;
    let clippy = ["clippy", "--workspace", "--all-targets", "--locked", "--", "-D", "warnings"];
    step(root, "lint", "cargo", &clippy)?;
    let moto = crate::moto::MotoServer::start(root).context("starting moto for the AWS tests")?;
    println!("ci: moto: serving on {}", moto.endpoint);
    let postgres = crate::postgres::PostgresServer::start(root)
        .context("starting PostgreSQL for the runtime's tests")?;
    println!("ci: postgres: serving on {}", postgres.url);
    let tested = step_with(
        root,
        "test",
        "cargo",
        &["test", "--workspace", "--locked", "--no-fail-fast"],
        &[(crate::moto::ENDPOINT_VARIABLE, &moto.endpoint), (crate::postgres::URL_VARIABLE, &postgres.url)],
    );
    drop(postgres);
    drop(moto);
    tested?;
    step(root, "freshness", "cargo", &["xtask", "schemas", "--check"])?;
    // Every event schema against every committed version of it: a clean clone with full
    // history catches a break in the newest commit.
    step(root, "compatibility", "cargo", &["xtask", "compat", "--transitive"])?;
    let validate = format!("{}/validate.mjs", crate::outputs::asyncapi::VALIDATOR_DIR);
    step(root, "asyncapi", "node", &[&validate, "schemas/asyncapi.yaml"])?;
    step(root, "catalog", "cargo", &["xtask", "catalog", "--out", "target/catalog"])?;
    step(&typescript, "typescript", "npx", &["--no-install", "tsc", "--noEmit", "-p", "."])?;
    if let Some(corpus) = corpus {
        println!("ci: corpus: {}", corpus.display());
        crate::corpus::check(root, corpus)?;
    }
    let status_after = git_status(root)?;
    if status_after != status_before {
        bail!("the checks changed the work tree; `git status --porcelain` now shows:\n{status_after}");
    }
    println!("ci: all checks passed");
    Ok(())
}

fn step(dir: &Path, name: &str, program: &str, args: &[&str]) -> Result<()> {
    step_with(dir, name, program, args, &[])
}

fn step_with(dir: &Path, name: &str, program: &str, args: &[&str], envs: &[(&str, &str)]) -> Result<()> {
    println!("ci: {name}: {program} {}", args.join(" "));
    let started = Instant::now();
    let status = Command::new(program)
        .args(args)
        .envs(envs.iter().copied())
        .current_dir(dir)
        // Snapshot tests must compare, never write: a changed sample fails CI.
        .env("INSTA_UPDATE", "no")
        .status()
        .with_context(|| format!("could not run `{program}`"))?;
    if !status.success() {
        bail!("ci: {name} failed ({status}): `{program} {}`", args.join(" "));
    }
    println!("ci: {name}: ok in {:.1}s", started.elapsed().as_secs_f64());
    Ok(())
}

fn git_status(root: &Path) -> Result<String> {
    let output = Command::new("git")
        .args(["status", "--porcelain", "--untracked-files=all"])
        .current_dir(root)
        .output()
        .context("could not run `git status`")?;
    if !output.status.success() {
        bail!("`git status` failed: {}", String::from_utf8_lossy(&output.stderr));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}
