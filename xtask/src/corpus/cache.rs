//! The corpus check's verdicts, kept by content under `target/corpus-cache/`, so a corpus
//! whose inputs, generated code and tools have not changed is not checked again.
//!
//! A key is the SHA-1 of everything that decides a verdict: the check's tool fingerprint
//! (tool versions, lock files, the harness), the generated code, and each sample's bytes. Any
//! change to one of them is a different key, so a stale verdict can never be read; old
//! entries are only dead weight, removed with `target/`. Only passes are kept.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};

use crate::cmd::Cmd;
pub use crate::keyed::{Key, write_whole};

/// A verdict per sample, in the order the key listed them: `None` passed, `Some` says why not.
pub type Verdicts = Vec<Option<String>>;

/// One check's stored verdicts.
pub struct Cache {
    dir: PathBuf,
    fingerprint: String,
    /// Whether stored verdicts are read (`cargo xtask corpus --fresh` reads none).
    reuse: bool,
}

impl Cache {
    /// The store of `check` under `root`'s `target/`, for tools whose versions and inputs are
    /// `fingerprint`; stored verdicts are read only if `reuse`.
    pub fn open(root: &Path, check: &str, fingerprint: String, reuse: bool) -> Result<Cache> {
        let dir = root.join("target/corpus-cache").join(check);
        fs::create_dir_all(&dir).with_context(|| format!("could not create {}", dir.display()))?;
        Ok(Cache { dir, fingerprint, reuse })
    }

    /// A key builder, already holding the tool fingerprint.
    pub fn key(&self) -> Key {
        let mut key = Key::new();
        key.add(self.fingerprint.as_bytes());
        key
    }

    /// The verdicts stored under `key`, if any (a damaged entry reads as none).
    pub fn get(&self, key: &str) -> Option<Verdicts> {
        if !self.reuse {
            return None;
        }
        let text = fs::read(self.dir.join(format!("{key}.json"))).ok()?;
        serde_json::from_slice(&text).ok()
    }

    /// Stores `verdicts` under `key` if every sample passed; written to a temporary file and
    /// renamed, so a reader never sees half an entry. A failure is never kept: it is checked
    /// again on the next run, so one caused by the machine (a file removed under a build, a
    /// full disk) cannot outlive its cause.
    pub fn put(&self, key: &str, verdicts: &Verdicts) -> Result<()> {
        if verdicts.iter().any(Option::is_some) {
            return Ok(());
        }
        write_whole(&self.dir.join(format!("{key}.json")), &serde_json::to_vec(verdicts)?)
    }
}

/// What a tool says of its version (`program args`), or that it could not run: part of a
/// fingerprint, so an upgraded tool checks everything again.
pub fn tool_version(program: &str, args: &[&str]) -> String {
    match Cmd::new(program).args(args).output() {
        Ok(output) => format!("{program}: {}", String::from_utf8_lossy(&output.stdout).trim()),
        Err(error) => format!("{program}: not runnable ({})", error.root_cause()),
    }
}

/// The contents of files, each named, for a fingerprint (a missing file reads as missing).
pub fn file_contents(paths: &[PathBuf]) -> String {
    let mut text = String::new();
    for path in paths {
        let contents = fs::read_to_string(path).unwrap_or_else(|_| "(missing)".to_owned());
        text.push_str(&format!("{}\n{contents}\n", path.display()));
    }
    text
}
