//! The workspace's tests, two test binaries at a time.
//!
//! `cargo test` runs its test binaries one after another, and most of this workspace's wait on
//! servers, browsers, timers and child compilers rather than the CPU: one after another they
//! took 70 s of a run whose build was already done. Here cargo builds them (and lists them in
//! its JSON messages), they run two at a time as cargo would run each (from the package's
//! folder, with its `CARGO_MANIFEST_DIR`), each one's output kept and shown whole when it
//! ends, and the doctests run through `cargo test --doc` beside them. The same tests run; only
//! the order of waiting changes.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::{Result, bail};
use serde_json::Value;

use crate::cmd::Cmd;

/// How many test binaries run at once.
const AT_ONCE: usize = 2;

/// One test binary: what it is, where it runs, and the command that runs it.
struct TestBinary {
    /// Its root source file, as cargo names it in its `Running` line.
    name: String,
    command: Cmd,
    /// Its size, to start the largest (slowest, here) first.
    size: u64,
}

/// A test binary cargo built: where it is, the package folder it runs in, and its name.
pub struct TestTarget {
    executable: PathBuf,
    package: PathBuf,
    name: String,
}

/// Builds every target of the workspace (tests, benches, examples: what `cargo clippy
/// --all-targets` covers) with `env` (the lint wrapper), and returns the test binaries cargo
/// would run for `cargo test --workspace`.
pub fn build(root: &Path, env: &[(OsString, OsString)]) -> Result<Vec<TestTarget>> {
    // Cargo's JSON messages are read; its rendered diagnostics are shown as they come.
    let messages = Cmd::new("cargo")
        .args(["test", "--workspace", "--all-targets", "--locked", "--no-run"])
        .args(["--message-format=json-render-diagnostics"])
        .envs(env.iter().cloned())
        .dir(root)
        .show_stderr()
        .read()?;
    let mut targets = Vec::new();
    for line in messages.lines() {
        let Ok(message) = serde_json::from_str::<Value>(line) else { continue };
        // What `cargo test` runs: every target built as a test harness whose manifest says
        // `test = true` (libraries, binaries and integration tests by default; examples and
        // benches only when asked), not the ones `--all-targets` builds for the lint alone.
        if message["reason"] == "compiler-artifact"
            && message["profile"]["test"] == true
            && message["target"]["test"] == true
            && let (Some(executable), Some(manifest)) =
                (message["executable"].as_str(), message["manifest_path"].as_str())
        {
            let package = Path::new(manifest).parent().unwrap_or(root).to_path_buf();
            let source = Path::new(message["target"]["src_path"].as_str().unwrap_or_default());
            let name = source.strip_prefix(root).unwrap_or(source).display().to_string();
            targets.push(TestTarget { executable: PathBuf::from(executable), package, name });
        }
    }
    Ok(targets)
}

/// Runs every test binary (two at a time, the largest first) and the doctests, with `env`;
/// each one's output is shown whole when it ends. Fails naming every binary that failed.
pub fn run(root: &Path, targets: &[TestTarget], env: &[(OsString, OsString)]) -> Result<()> {
    let mut queue: Vec<TestBinary> = targets.iter().map(|target| test_binary(target, env)).collect();
    queue.sort_by_key(|binary| std::cmp::Reverse(binary.size));
    let doctests = Cmd::new("cargo")
        .args(["test", "--workspace", "--locked", "--doc"])
        .envs(env.iter().cloned())
        .dir(root);
    queue
        .insert(AT_ONCE.min(queue.len()), TestBinary { name: "doctests".into(), command: doctests, size: 0 });
    let queue = Mutex::new(queue.into_iter());
    let failed = Mutex::new(Vec::new());
    let print = Mutex::new(());
    std::thread::scope(|scope| {
        for _ in 0..AT_ONCE {
            scope.spawn(|| {
                loop {
                    let next = queue.lock().unwrap_or_else(|e| e.into_inner()).next();
                    let Some(binary) = next else { break };
                    let output = binary.command.output();
                    let _shown = print.lock().unwrap_or_else(|e| e.into_inner());
                    println!("     Running {}", binary.name);
                    let ok = match output {
                        Ok(output) => {
                            print!("{}", String::from_utf8_lossy(&output.stdout));
                            eprint!("{}", String::from_utf8_lossy(&output.stderr));
                            output.status.success()
                        }
                        Err(error) => {
                            println!("{error:#}");
                            false
                        }
                    };
                    if !ok {
                        failed.lock().unwrap_or_else(|e| e.into_inner()).push(binary.name);
                    }
                }
            });
        }
    });
    let failed = failed.into_inner().unwrap_or_else(|e| e.into_inner());
    if !failed.is_empty() {
        bail!("tests failed in: {}", failed.join(", "));
    }
    Ok(())
}

/// A test binary as cargo runs it: from its package's folder, with that folder in
/// `CARGO_MANIFEST_DIR`.
fn test_binary(target: &TestTarget, env: &[(OsString, OsString)]) -> TestBinary {
    let size = std::fs::metadata(&target.executable).map(|m| m.len()).unwrap_or(0);
    let command = Cmd::new(&target.executable)
        .envs(env.iter().cloned())
        .env("CARGO_MANIFEST_DIR", &target.package)
        .dir(&target.package);
    TestBinary { name: target.name.clone(), command, size }
}
