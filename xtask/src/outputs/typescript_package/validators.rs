//! Each event's validator as JavaScript, compiled ahead of time by ajv's standalone code
//! generation, so the package compiles no schema at run time (a Lambda's cold start paid
//! 40-270 ms for it).
//!
//! ajv runs in Node, so one `node` process (the package's hand-kept
//! `scripts/compile-validators.cjs`, with the ajv `npm ci` pinned) compiles every event
//! whose validator is not cached. The cache, under `target/`, is keyed on everything that
//! decides the code: the script's bytes, the lock file pinning ajv, ajv's installed version
//! and the schema's bytes; so a second `cargo xtask schemas` with nothing changed starts no
//! `node` at all. The code is a function of those alone (the script gives each event its own
//! Ajv instance), so output is byte-identical with or without the cache.
//!
//! Each validator starts with a stamp: a hash of the script, the lock file, the schema and the
//! code below it. `cargo xtask schemas` (not `--check`) reuses a committed validator whose
//! stamp still matches ([`Compiler::reusing`]), so the first run in a fresh clone, with an
//! empty `target/`, needs neither `npm ci` nor `node` (3.6 of its 66 s). A hand-edited body
//! no longer matches its stamp and is compiled again. `--check`, which CI runs, never reuses:
//! it proves every validator is what ajv makes of its schema.
//!
//! The script and its `node_modules` are the tool's own (the workspace this binary was built
//! from), not the `--root` being generated: they are part of the generator.

use std::fs;
use std::path::PathBuf;

use schema_emit::Diagnostic;
use serde_json::{Value, json};

use crate::keyed::{Key, write_whole};
use crate::workspace::TYPESCRIPT_PACKAGE_DIR;

/// The compiling script, relative to the package folder.
pub const SCRIPT: &str = "scripts/compile-validators.cjs";

/// One event to compile: its label (`trading.TradeCreated`), its file and its schema.
pub struct Request<'a> {
    /// The event, as errors name it.
    pub label: String,
    /// Its validator module, relative to the package's `src/` (`validators/trading/X.js`).
    pub file: String,
    /// The schema its `detail` must satisfy.
    pub schema: &'a Value,
}

/// Compiles validators with the package's script and ajv, keeping results in a cache.
#[derive(Debug, Clone)]
pub struct Compiler {
    package: PathBuf,
    cache: Option<PathBuf>,
    reuse: Option<PathBuf>,
}

impl Default for Compiler {
    /// The tool's own package, with the cache in its `target/`.
    fn default() -> Self {
        let root = crate::workspace::root();
        Compiler::new(root.join(TYPESCRIPT_PACKAGE_DIR), Some(root.join("target/xtask-cache/validators")))
    }
}

impl Compiler {
    /// A compiler running the script of `package` (the `generated/typescript` folder), caching
    /// in `cache` when given.
    pub fn new(package: PathBuf, cache: Option<PathBuf>) -> Self {
        Compiler { package, cache, reuse: None }
    }

    /// This compiler, also reusing each validator already written under `src` (a package's
    /// `src/` folder) whose stamp matches its schema and code.
    pub fn reusing(self, src: PathBuf) -> Self {
        Compiler { reuse: Some(src), ..self }
    }

    /// Every request's validator module (ES module source, exporting `validate`, after its
    /// stamp line), in order; or one diagnostic per event that could not be compiled, each
    /// naming it.
    pub fn compile(&self, requests: &[Request<'_>]) -> Result<Vec<String>, Vec<Diagnostic>> {
        let script = fs::read(self.package.join(SCRIPT)).map_err(|e| {
            vec![Diagnostic::new(
                self.package.join(SCRIPT).display().to_string(),
                format!("cannot read: {e}"),
            )]
        })?;
        // The lock file pins ajv: a change to it misses the cache and reinstalls first.
        let lock = fs::read(self.package.join("package-lock.json")).unwrap_or_default();
        let script = [script, lock].concat();
        let ajv = self.ajv_version();
        let keys: Vec<String> = requests.iter().map(|r| key(&script, ajv.as_deref(), r.schema)).collect();
        let mut results: Vec<Option<String>> = requests
            .iter()
            .zip(&keys)
            .map(|(request, key)| self.load(key).or_else(|| self.reused(&script, request)))
            .collect();
        let misses: Vec<usize> = (0..requests.len()).filter(|&i| results[i].is_none()).collect();
        if !misses.is_empty() {
            self.ensure_installed().map_err(|e| vec![e])?;
            // Installing may have changed ajv's version: key the new entries on what compiled them.
            let ajv = self.ajv_version();
            let missing: Vec<&Request<'_>> = misses.iter().map(|&i| &requests[i]).collect();
            let compiled = self.run_node(&missing)?;
            for (index, code) in misses.into_iter().zip(compiled) {
                self.store(&key(&script, ajv.as_deref(), requests[index].schema), &code);
                results[index] = Some(code);
            }
        }
        Ok(requests
            .iter()
            .zip(results.into_iter().flatten())
            .map(|(request, code)| format!("{STAMP}{}\n{code}", stamp(&script, request.schema, &code)))
            .collect())
    }

    /// The code of the request's validator as last written under the reused folder, when
    /// its stamp says it was compiled from this schema, script and lock file.
    fn reused(&self, script: &[u8], request: &Request<'_>) -> Option<String> {
        let text = fs::read_to_string(self.reuse.as_ref()?.join(&request.file)).ok()?;
        let (_, stamped) = text.split_once(STAMP)?;
        let (written, code) = stamped.split_once('\n')?;
        (written == stamp(script, request.schema, code)).then(|| code.to_owned())
    }

    /// ajv's installed version, or `None` before `npm ci`.
    fn ajv_version(&self) -> Option<String> {
        let text = fs::read_to_string(self.package.join("node_modules/ajv/package.json")).ok()?;
        let manifest: Value = serde_json::from_str(&text).ok()?;
        manifest["version"].as_str().map(str::to_owned)
    }

    /// Runs `npm ci` in the package unless its `node_modules` came from this lock file (as
    /// `cargo xtask ci` does, with the same stamp), saying so first: it takes a few seconds.
    fn ensure_installed(&self) -> Result<(), Diagnostic> {
        if crate::ci::npm_installed(&self.package, &crate::ci::NPM_CI) {
            return Ok(());
        }
        eprintln!(
            "note: installing the package's pinned ajv, which compiles the event validators: `npm ci` in {}",
            self.package.display()
        );
        crate::ci::npm_ci_in(&self.package, &crate::ci::NPM_CI).map_err(|e| {
            Diagnostic::new(self.package.join("node_modules").display().to_string(), format!("{e:#}"))
                .with_fix(format!(
                    "install Node.js 20 with npm, then run `npm ci` in {}",
                    self.package.display()
                ))
        })
    }

    /// One `node` process compiling every request; its code per request, in order.
    fn run_node(&self, requests: &[&Request<'_>]) -> Result<Vec<String>, Vec<Diagnostic>> {
        let fail = |message: String| {
            vec![Diagnostic::new(format!("{TYPESCRIPT_PACKAGE_DIR}/{SCRIPT}"), message).with_fix(format!(
                "check that `node` (Node.js 20) is on the PATH and `npm ci` ran in {}",
                self.package.display()
            ))]
        };
        let events: Vec<Value> =
            requests.iter().map(|r| json!({"name": r.label, "schema": r.schema})).collect();
        let input = serde_json::to_vec(&json!({ "events": events })).expect("JSON values serialise");
        // Cmd writes standard input from a thread: node may fill its output pipe first.
        let node = crate::cmd::Cmd::new("node").arg(SCRIPT).dir(&self.package).stdin(input);
        let output = node.read_bytes().map_err(|e| fail(format!("{e:#}")))?;
        let reply: Value = serde_json::from_slice(&output)
            .map_err(|e| fail(format!("`node {SCRIPT}` did not print JSON: {e}")))?;
        let errors: Vec<Diagnostic> = reply["errors"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|e| {
                Diagnostic::new(
                    e["name"].as_str().unwrap_or("?"),
                    format!(
                        "ajv cannot compile its schema into a validator: {}",
                        e["message"].as_str().unwrap_or("?")
                    ),
                )
            })
            .collect();
        if !errors.is_empty() {
            return Err(errors);
        }
        let validators = reply["validators"].as_array().map_or(&[][..], Vec::as_slice);
        let codes: Vec<String> = requests
            .iter()
            .map(|request| {
                validators
                    .iter()
                    .find(|v| v["name"] == request.label.as_str())
                    .and_then(|v| v["code"].as_str())
                    .map(str::to_owned)
                    .ok_or_else(|| {
                        Diagnostic::new(&request.label, format!("`node {SCRIPT}` returned no validator"))
                    })
            })
            .collect::<Result<_, _>>()
            .map_err(|e| vec![e])?;
        Ok(codes)
    }

    fn path(&self, key: &str) -> Option<PathBuf> {
        self.cache.as_ref().map(|dir| dir.join(format!("{key}.js")))
    }

    fn load(&self, key: &str) -> Option<String> {
        fs::read_to_string(self.path(key)?).ok()
    }

    /// Stores an entry through a uniquely named temporary file and a rename, so concurrent
    /// runs (tests) never read half an entry. A failure only loses the entry.
    fn store(&self, key: &str, code: &str) {
        let Some(path) = self.path(key) else { return };
        let Some(dir) = path.parent() else { return };
        let _ = fs::create_dir_all(dir)
            .map_err(anyhow::Error::from)
            .and_then(|()| write_whole(&path, code.as_bytes()));
    }
}

/// How a validator's stamp line starts.
const STAMP: &str = "// ajv stamp (script, lock file, schema, code): ";

/// A validator's stamp: SHA-1 of the script (with the lock file), the schema and the code.
/// Not ajv's installed version, so it can be checked before `npm ci`: the lock pins it.
fn stamp(script: &[u8], schema: &Value, code: &str) -> String {
    Key::new().add(script).add(schema.to_string().as_bytes()).add(code.as_bytes()).finish()
}

/// The cache key of one validator: SHA-1 of the script (with the lock file), ajv's installed
/// version and the schema.
fn key(script: &[u8], ajv: Option<&str>, schema: &Value) -> String {
    Key::new()
        .add(script)
        .add(ajv.unwrap_or("not installed").as_bytes())
        .add(schema.to_string().as_bytes())
        .finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uncached() -> Compiler {
        Compiler::new(crate::workspace::root().join(TYPESCRIPT_PACKAGE_DIR), None)
    }

    fn thing(schema: &Value) -> Request<'_> {
        Request { label: "t.Thing".into(), file: "validators/t/Thing.js".into(), schema }
    }

    /// A package folder holding only the script and the lock file: no `node_modules`, so a
    /// compilation there would have to run `npm ci` first, which leaves `node_modules` behind.
    fn package_without_node_modules(dir: &std::path::Path) -> PathBuf {
        let real = crate::workspace::root().join(TYPESCRIPT_PACKAGE_DIR);
        let package = dir.join("package");
        fs::create_dir_all(package.join("scripts")).unwrap();
        fs::copy(real.join(SCRIPT), package.join(SCRIPT)).unwrap();
        fs::copy(real.join("package-lock.json"), package.join("package-lock.json")).unwrap();
        package
    }

    /// A schema with one required `id`, and its validator as ajv compiles it.
    fn compiled_id_validator() -> (Value, Vec<String>) {
        let schema = json!({"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}});
        let compiled = uncached().compile(&[thing(&schema)]).unwrap_or_else(|e| panic!("{e:?}"));
        (schema, compiled)
    }

    /// `text` written as the validator file of [`thing`] under `src`, after a preamble line.
    fn write_validator(src: &std::path::Path, text: &str) {
        let path = src.join("validators/t/Thing.js");
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, format!("// Generated; do not edit.\n{text}")).unwrap();
    }

    #[test]
    fn a_written_validator_whose_stamp_matches_is_reused_without_npm_or_node() {
        let (schema, compiled) = compiled_id_validator();
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("src");
        write_validator(&src, &compiled[0]);
        let package = package_without_node_modules(dir.path());
        let reused = Compiler::new(package.clone(), None).reusing(src).compile(&[thing(&schema)]);
        assert_eq!(reused.unwrap_or_else(|e| panic!("{e:?}")), compiled);
        assert!(!package.join("node_modules").exists(), "npm ci ran for a validator it could reuse");
    }

    #[test]
    fn a_written_validator_is_compiled_again_when_its_body_or_its_schema_changed() {
        let (schema, compiled) = compiled_id_validator();
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("src");
        // A hand edit to the body: the stamp no longer matches, and ajv's code comes back.
        write_validator(&src, &compiled[0].replace("must have required property", "needs"));
        let reusing = uncached().reusing(src.clone());
        assert_eq!(reusing.compile(&[thing(&schema)]).unwrap_or_else(|e| panic!("{e:?}")), compiled);
        // The file of another schema, stamp intact: not this schema's validator.
        write_validator(&src, &compiled[0]);
        let other =
            json!({"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}});
        let fresh = uncached().compile(&[thing(&other)]).unwrap_or_else(|e| panic!("{e:?}"));
        assert_ne!(fresh, compiled);
        assert_eq!(reusing.compile(&[thing(&other)]).unwrap_or_else(|e| panic!("{e:?}")), fresh);
    }

    #[test]
    fn the_stamp_changes_with_the_script_the_schema_and_the_code() {
        let schema = json!({"type": "string"});
        let base = stamp(b"script", &schema, "code");
        assert_eq!(base, stamp(b"script", &schema, "code"));
        assert_ne!(base, stamp(b"script2", &schema, "code"));
        assert_ne!(base, stamp(b"script", &json!({"type": "integer"}), "code"));
        assert_ne!(base, stamp(b"script", &schema, "code2"));
    }

    #[test]
    fn a_validator_is_code_that_needs_no_ajv_and_is_the_same_every_time() {
        let schema = json!({"type": "object", "properties": {"id": {"type": "string", "format": "uuid"}},
            "required": ["id"], "description": "annotations are left out"});
        let first = uncached().compile(&[thing(&schema)]).unwrap_or_else(|e| panic!("{e:?}"));
        let again = uncached().compile(&[thing(&schema)]).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(first, again, "two compilations of one schema differ");
        let (stamp_line, code) = first[0].split_once('\n').expect("a stamp line, then the code");
        assert!(stamp_line.starts_with(STAMP), "{stamp_line}");
        assert!(
            code.starts_with("import { formats } from \"../../formats.js\";\nexport const validate = "),
            "{code}"
        );
        assert!(code.contains("message:\"must have required property '\"+\"id\"+\"'\""), "{code}");
        for absent in ["require(", "ajv", "schemaPath", "annotations are left out"] {
            assert!(!code.contains(absent), "`{absent}` in {code}");
        }
    }

    #[test]
    fn a_schema_ajv_cannot_compile_is_a_diagnostic_naming_its_event() {
        let broken = json!({"$ref": "#/definitions/Missing"});
        let fine = json!({"type": "string"});
        let requests = [
            Request {
                label: "trading.Fine".into(),
                file: "validators/trading/Fine.js".into(),
                schema: &fine,
            },
            Request {
                label: "trading.Broken".into(),
                file: "validators/trading/Broken.js".into(),
                schema: &broken,
            },
        ];
        let errors = uncached().compile(&requests).expect_err("a dangling $ref cannot compile");
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].subject, "trading.Broken");
        assert!(
            errors[0].message.starts_with("ajv cannot compile its schema into a validator: "),
            "{}",
            errors[0]
        );
    }

    #[test]
    fn the_cache_key_changes_with_the_script_ajv_and_the_schema() {
        let schema = json!({"type": "string"});
        let base = key(b"script", Some("8.17.1"), &schema);
        assert_eq!(base, key(b"script", Some("8.17.1"), &schema));
        assert_ne!(base, key(b"script2", Some("8.17.1"), &schema));
        assert_ne!(base, key(b"script", Some("8.18.0"), &schema));
        assert_ne!(base, key(b"script", Some("8.17.1"), &json!({"type": "integer"})));
    }
}
