//! The whole generated output set, rendered in memory from the events.
//!
//! Nothing is written here: [`generate`] either returns every file or every failure, so a
//! failed run can never leave half an output set on disk. One module per kind of file:
//! [`schemas`] (schema documents and the catalog), [`asyncapi`] (the AsyncAPI document),
//! [`rust_crate`] (the `platform-events` crate) and [`typescript_package`]; [`checks`] decides whether an event
//! may be written at all.

pub mod asyncapi;
pub mod checks;
mod platform_event;
pub mod rust_crate;
pub mod schemas;
pub mod typescript_package;

use std::collections::BTreeMap;
use std::fmt;
use std::time::{Duration, Instant};

use schema_emit::{Diagnostic, Namespace, Origin, SchemaItem};

use crate::consumers::{Consumers, EventSchemas};
use crate::events::EventInput;
use crate::workspace::SCHEMAS_DIR;

/// The command that makes every file of the output set, as each file's preamble names it.
pub const TOOL: &str = "cargo xtask schemas";

/// The preamble of a generated file in `format`.
pub fn preamble(format: schema_emit::Format) -> String {
    schema_emit::preamble(TOOL, format)
}

/// Generated files by path relative to the workspace root (always `/`-separated).
#[derive(Debug, Clone, Default)]
pub struct OutputSet {
    /// File contents by relative path.
    pub files: BTreeMap<String, String>,
    /// How long each phase of generation took, for `--timings`.
    pub timings: Vec<(&'static str, Duration)>,
    /// What the checks warn about but allow (variants no sample takes).
    pub warnings: Vec<Diagnostic>,
}

/// A folder whose files (with one extension, recursively) belong to the generator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OwnedFolder {
    /// Relative path of the folder.
    pub dir: &'static str,
    /// Extension of the files the generator owns there, without the dot.
    pub extension: &'static str,
}

/// Every folder the generator owns; a file there that generation does not produce is an
/// orphan, and is deleted by `cargo xtask schemas`.
pub const OWNED_FOLDERS: &[OwnedFolder] = &[
    OwnedFolder { dir: SCHEMAS_DIR, extension: "json" },
    OwnedFolder { dir: "generated/rust/src", extension: "rs" },
    OwnedFolder { dir: "generated/typescript/src", extension: "ts" },
    OwnedFolder { dir: "generated/typescript/src", extension: "js" },
    OwnedFolder { dir: "generated/typescript/test", extension: "ts" },
    OwnedFolder { dir: "generated/typescript/test", extension: "json" },
];

/// Why generation produced nothing: every failure of every event, not only the first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenerationError {
    /// One diagnostic per failure, each naming its event.
    pub failures: Vec<Diagnostic>,
}

impl fmt::Display for GenerationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} problem(s); nothing was written:", self.failures.len())?;
        for failure in &self.failures {
            writeln!(f, "  - {failure}")?;
        }
        Ok(())
    }
}

impl std::error::Error for GenerationError {}

/// What generation reads besides the events, and how code emission runs: who consumes the
/// events, where (if anywhere) emitted Rust modules are cached, and what compiles the
/// TypeScript package's validators.
#[derive(Debug, Clone)]
pub struct Options {
    /// The consumer declarations (`schemas/consumers/`): checked against the published
    /// schemas, and shown in the AsyncAPI document.
    pub consumers: Consumers,
    /// A cache of emitted Rust modules (see [`schema_emit::rust::Cache`]); `None` emits all.
    pub cache: Option<schema_emit::rust::Cache>,
    /// Compiles each event's validator ahead of time (ajv in Node, with its own cache).
    pub validators: typescript_package::validators::Compiler,
    /// The generated packages' version, which the crate's manifest states: the version file's
    /// ([`Options::for_workspace`]), else the first version.
    pub version: crate::version::Version,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            consumers: Consumers::default(),
            cache: None,
            validators: Default::default(),
            version: crate::version::Version::FIRST,
        }
    }
}

impl Options {
    /// The options for generating the workspace at `root`: its consumer declarations and its
    /// version file's version (inputs of generation, like the events; `cargo xtask version`
    /// writes the version).
    pub fn for_workspace(root: &std::path::Path) -> anyhow::Result<Options> {
        Ok(Options {
            consumers: Consumers::read(root)?,
            version: crate::version::files::current(root)?,
            ..Options::default()
        })
    }
}

/// Checks every event and renders the output set, or returns every failure.
pub fn generate(events: &[EventInput]) -> Result<OutputSet, GenerationError> {
    generate_with(events, &Options::default())
}

/// [`generate`] with emission options.
pub fn generate_with(events: &[EventInput], options: &Options) -> Result<OutputSet, GenerationError> {
    let started = Instant::now();
    let mut failures = checks::duplicate_names(events);
    let mut set = OutputSet::default();
    let mut published = Vec::new();
    for event in events {
        match checks::checked_samples(event) {
            Ok(checked) => {
                let document = schemas::add_event_files(event, checked.samples, &mut set.files);
                published.push((event, document));
                set.warnings.extend(checked.warnings);
            }
            Err(mut problems) => failures.append(&mut problems),
        }
    }
    set.timings.push(("samples, checks and schemas", started.elapsed()));
    let schemas: EventSchemas<'_> = published
        .iter()
        .map(|(event, document)| ((event.source.clone(), event.detail_type.clone()), document))
        .collect();
    failures.extend(options.consumers.check(&schemas));
    if failures.is_empty()
        && let Err(mut errors) = emit_code(&published, options, &mut set)
    {
        failures.append(&mut errors);
    }
    if !failures.is_empty() {
        return Err(GenerationError { failures });
    }
    set.files.insert(format!("{SCHEMAS_DIR}/catalog.json"), schemas::catalog(events));
    set.files.insert(asyncapi::path(), asyncapi::render(&published, &options.consumers));
    Ok(set)
}

/// One source's events and their generated namespace.
pub struct SourceModule<'e> {
    /// The EventBridge source.
    pub source: String,
    /// Its events with their published schema documents, sorted by detail-type.
    pub events: Vec<(&'e EventInput, serde_json::Value)>,
    /// The merged types; `namespace.roots[i]` is the type of `events[i]`.
    pub namespace: Namespace,
}

/// The generated Rust crate and TypeScript package, from the published schemas.
fn emit_code(
    published: &[(&EventInput, serde_json::Value)],
    options: &Options,
    set: &mut OutputSet,
) -> Result<(), Vec<Diagnostic>> {
    let started = Instant::now();
    let modules = source_modules(published)?;
    set.files.extend(rust_crate::files(&modules, options)?);
    set.timings.push(("Rust (typify)", started.elapsed()));
    let started = Instant::now();
    set.files.extend(typescript_package::files(&modules, &options.validators)?);
    set.timings.push(("TypeScript and its validators", started.elapsed()));
    Ok(())
}

/// The events grouped by source, each source's schemas merged into one namespace.
fn source_modules<'e>(
    published: &[(&'e EventInput, serde_json::Value)],
) -> Result<Vec<SourceModule<'e>>, Vec<Diagnostic>> {
    let mut by_source: BTreeMap<&str, Vec<(&'e EventInput, serde_json::Value)>> = BTreeMap::new();
    for (event, document) in published {
        by_source.entry(&event.source).or_default().push((*event, document.clone()));
    }
    let mut errors = Vec::new();
    let mut modules = Vec::new();
    for (source, events) in by_source {
        let items: Vec<SchemaItem> = events
            .iter()
            .map(|(event, document)| SchemaItem {
                name: document.get("title").and_then(|t| t.as_str()).unwrap_or(&event.detail_type).to_owned(),
                // Inferred formats stay strings; a contract's date-times keep what chrono wrote.
                schema: if event.is_inferred() {
                    document.clone()
                } else {
                    crate::events::offsets::mark_fixed_offsets(document)
                },
                origin: if event.is_inferred() { Origin::Inferred } else { Origin::Contract },
                label: event.qualified_name(),
            })
            .collect();
        match schema_emit::namespace(source, &items) {
            Ok(namespace) => modules.push(SourceModule { source: source.to_owned(), events, namespace }),
            Err(mut found) => errors.append(&mut found),
        }
    }
    if errors.is_empty() { Ok(modules) } else { Err(errors) }
}
