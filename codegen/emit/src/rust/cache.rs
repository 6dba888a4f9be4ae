//! Emitted modules kept on disk, keyed by everything that decides their text, so regenerating
//! after a change to one event re-runs typify for that event's module only.
//!
//! A module's key hashes its namespace (name, origin, every type's schema), the preamble and
//! a stamp of the running executable (size and modification time), so a new build of the
//! emitter, or of typify inside it, never reads an old entry. The cache only ever saves
//! work: an entry that cannot be read or written is a miss, and output is byte-identical
//! with or without it.

use std::fs;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::PathBuf;
use std::time::UNIX_EPOCH;

use super::{Emitted, Needs, RustModule, emit_module, parallel_map};
use crate::Namespace;

/// A cache directory (e.g. under `target/`).
#[derive(Debug, Clone)]
pub struct Cache {
    dir: PathBuf,
    stamp: u64,
}

impl Cache {
    /// A cache in `dir`, created on first write.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Cache { dir: dir.into(), stamp: executable_stamp() }
    }

    /// [`emit_module`] for every namespace, reusing cached modules and emitting the others in
    /// parallel; results in input order.
    pub fn emit_modules(&self, namespaces: &[Namespace], preamble: &str) -> Vec<Emitted> {
        let keys: Vec<u64> = namespaces.iter().map(|ns| self.key(ns, preamble)).collect();
        let cached: Vec<Option<RustModule>> = keys.iter().map(|key| self.load(*key)).collect();
        let misses: Vec<usize> = (0..namespaces.len()).filter(|&i| cached[i].is_none()).collect();
        let emitted = parallel_map(&misses, |&i| emit_module(&namespaces[i], preamble));
        let mut emitted = misses.into_iter().zip(emitted);
        let mut results = Vec::with_capacity(namespaces.len());
        for (index, hit) in cached.into_iter().enumerate() {
            match hit {
                Some(module) => results.push(Ok(module)),
                None => {
                    let (_, result) = emitted.next().expect("one result per miss");
                    if let Ok(module) = &result {
                        self.store(keys[index], module);
                    }
                    results.push(result);
                }
            }
        }
        results
    }

    fn key(&self, namespace: &Namespace, preamble: &str) -> u64 {
        let mut hasher = DefaultHasher::new();
        self.stamp.hash(&mut hasher);
        preamble.hash(&mut hasher);
        namespace.name.hash(&mut hasher);
        (namespace.origin as u8).hash(&mut hasher);
        for (name, schema) in &namespace.types {
            name.hash(&mut hasher);
            schema.to_string().hash(&mut hasher);
        }
        hasher.finish()
    }

    fn path(&self, key: u64) -> PathBuf {
        self.dir.join(format!("{key:016x}.rs"))
    }

    fn load(&self, key: u64) -> Option<RustModule> {
        let text = fs::read_to_string(self.path(key)).ok()?;
        let (first, code) = text.split_once('\n')?;
        let needs = first.strip_prefix("//needs:")?;
        let has = |name| needs.split(',').any(|n| n == name);
        Some(RustModule {
            code: code.to_owned(),
            needs: Needs {
                chrono: has("chrono"),
                uuid: has("uuid"),
                regress: has("regress"),
                recursion_limit: super::recursion_limit_needed(code),
            },
        })
    }

    fn store(&self, key: u64, module: &RustModule) {
        let Needs { chrono, uuid, regress, .. } = module.needs;
        let needs: Vec<&str> = [("chrono", chrono), ("uuid", uuid), ("regress", regress)]
            .iter()
            .filter(|n| n.1)
            .map(|n| n.0)
            .collect();
        let text = format!("//needs:{}\n{}", needs.join(","), module.code);
        // Through a temporary file and a rename, so a concurrent run never reads half an entry.
        let path = self.path(key);
        let temporary = self.dir.join(format!(".{key:016x}.{}.tmp", std::process::id()));
        let _ = fs::create_dir_all(&self.dir)
            .and_then(|()| fs::write(&temporary, text))
            .and_then(|()| fs::rename(&temporary, &path));
    }
}

/// The running executable's size and modification time, hashed: any rebuild changes it.
fn executable_stamp() -> u64 {
    let mut hasher = DefaultHasher::new();
    if let Some(metadata) = std::env::current_exe().ok().and_then(|exe| fs::metadata(&exe).ok()) {
        metadata.len().hash(&mut hasher);
        let modified = metadata.modified().ok().and_then(|t| t.duration_since(UNIX_EPOCH).ok());
        modified.map(|d| d.as_nanos()).hash(&mut hasher);
    }
    hasher.finish()
}
