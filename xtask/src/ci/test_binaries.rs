//! The workspace's tests, two test binaries at a time.
//!
//! `cargo test` runs its test binaries one after another, and most of this workspace's wait on
//! servers, browsers, timers and child compilers rather than the CPU: one after another they
//! took 70 s of a run whose build was already done. Here cargo builds them (and lists them in
//! its JSON messages), they run two at a time as cargo would run each (from the package's
//! folder, with its `CARGO_MANIFEST_DIR`), each one's output kept and shown whole when it
//! ends, and the doctests run through `cargo test --doc` beside them. The same tests run; only
//! the order of waiting changes.
//!
//! Two lanes finish together when the longest binaries start first. A binary's size says little
//! of its time (the runtime's tests, small, wait on a crash loop for half a minute), so each
//! run keeps every binary's time in `target/ci-test-times.tsv`, and the next run starts them
//! longest first; a binary with no time yet comes first, and a run with no times at all (a
//! clean clone) goes by size.

use std::collections::HashMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use anyhow::{Result, bail};
use serde_json::Value;

use crate::cmd::Cmd;

/// How many test binaries run at once.
const AT_ONCE: usize = 2;

/// Where each run keeps every test binary's time (`<seconds>\t<name>` a line), relative to
/// the workspace root.
const TIMES: &str = "target/ci-test-times.tsv";

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

/// Runs every test binary (two at a time, the longest first by the last run's times, else the
/// largest first) and the doctests, with `env`; each one's output is shown whole when it ends.
/// Fails naming every binary that failed.
pub fn run(root: &Path, targets: &[TestTarget], env: &[(OsString, OsString)]) -> Result<()> {
    let mut queue: Vec<TestBinary> = targets.iter().map(|target| test_binary(target, env)).collect();
    let doctests = Cmd::new("cargo")
        .args(["test", "--workspace", "--locked", "--doc"])
        .envs(env.iter().cloned())
        .dir(root);
    let doctests = TestBinary { name: "doctests".into(), command: doctests, size: 0 };
    let times_path = root.join(TIMES);
    let last = read_times(&times_path);
    if last.is_empty() {
        queue.sort_by_key(|binary| std::cmp::Reverse(binary.size));
        queue.insert(AT_ONCE.min(queue.len()), doctests);
    } else {
        queue.push(doctests);
        // Longest first; a binary the last run did not time (new, or renamed) before them all.
        queue.sort_by_key(|binary| {
            std::cmp::Reverse((last.get(&binary.name).copied().unwrap_or(Duration::MAX), binary.size))
        });
    }
    let queue = Mutex::new(queue.into_iter());
    let failed = Mutex::new(Vec::new());
    let times = Mutex::new(Vec::new());
    let print = Mutex::new(());
    std::thread::scope(|scope| {
        for _ in 0..AT_ONCE {
            scope.spawn(|| {
                loop {
                    let next = queue.lock().unwrap_or_else(|e| e.into_inner()).next();
                    let Some(binary) = next else { break };
                    let started = Instant::now();
                    let output = binary.command.output();
                    times
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push((binary.name.clone(), started.elapsed()));
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
    // Only an order for the next run: a file that cannot be written changes no verdict.
    let _ = write_times(&times_path, &times.into_inner().unwrap_or_else(|e| e.into_inner()));
    let failed = failed.into_inner().unwrap_or_else(|e| e.into_inner());
    if !failed.is_empty() {
        bail!("tests failed in: {}", failed.join(", "));
    }
    Ok(())
}

/// The times the last run kept, by binary name; none when there are none or they cannot be read.
fn read_times(path: &Path) -> HashMap<String, Duration> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    text.lines()
        .filter_map(|line| {
            let (seconds, name) = line.split_once('\t')?;
            Some((name.to_owned(), Duration::try_from_secs_f64(seconds.parse().ok()?).ok()?))
        })
        .collect()
}

/// Keeps this run's times, longest first.
fn write_times(path: &Path, times: &[(String, Duration)]) -> Result<()> {
    let mut times = times.to_vec();
    times.sort_by_key(|(name, took)| (std::cmp::Reverse(*took), name.clone()));
    let text: String =
        times.iter().map(|(name, took)| format!("{:.1}\t{name}\n", took.as_secs_f64())).collect();
    crate::keyed::write_whole(path, text.as_bytes())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_times_a_run_keeps_are_read_back_by_binary_name() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("times.tsv");
        assert!(read_times(&path).is_empty(), "no file, no times");
        let kept = [
            ("doctests".to_owned(), Duration::from_millis(15_040)),
            ("xtask/tests/it/main.rs".to_owned(), Duration::from_millis(44_960)),
        ];
        write_times(&path, &kept).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "45.0\txtask/tests/it/main.rs\n15.0\tdoctests\n");
        let read = read_times(&path);
        assert_eq!(read.len(), 2);
        assert_eq!(read["xtask/tests/it/main.rs"], Duration::from_secs(45));
        assert_eq!(read["doctests"], Duration::from_secs(15));
    }
}
