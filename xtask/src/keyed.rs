//! What every content-keyed store under `target/` shares (the corpus check's verdicts, the
//! compiled TypeScript validators, the consumer package test's build of `dist/`): a key built
//! from length-prefixed parts, and entries written whole.

use std::fs;
use std::path::Path;

use anyhow::{Context as _, Result};

/// Writes `bytes` to a temporary file beside `path` and renames it into place, so a reader
/// never sees half of it.
pub fn write_whole(path: &Path, bytes: &[u8]) -> Result<()> {
    // Named per process: two runs writing one entry at once (parallel tests) never share it.
    let partial = path.with_extension(format!("{}.partial", std::process::id()));
    fs::write(&partial, bytes).with_context(|| format!("could not write {}", partial.display()))?;
    fs::rename(&partial, path).with_context(|| format!("could not write {}", path.display()))
}

/// A cache key being built: every part is length-prefixed, so `ab`+`c` and `a`+`bc` differ.
pub struct Key(sha1_smol::Sha1);

impl Default for Key {
    fn default() -> Key {
        Key::new()
    }
}

impl Key {
    /// An empty key.
    pub fn new() -> Key {
        Key(sha1_smol::Sha1::new())
    }

    /// Adds one part.
    pub fn add(&mut self, bytes: &[u8]) -> &mut Self {
        self.0.update(&(bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
        self
    }

    /// The key, as the hex digest.
    pub fn finish(&self) -> String {
        self.0.digest().to_string()
    }
}
