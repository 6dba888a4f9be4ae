//! `cargo xtask catalog --out DIR`: a static HTML catalog of every event, for people.
//!
//! Built from what the generator publishes (`schemas/catalog.json` and each event's schema
//! document, kept fresh by `cargo xtask schemas --check`) and from git history:
//!
//! - `index.html`: a picture of the platform, modules to events to consumers, drawn at build
//!   time as inline SVG ([`platform_svg`]), then every source and its events, with a search
//!   box (a little script filters the list as you type; `index.html?q=trade` opens filtered);
//! - `events/<source>.<Name>.html` per event: description, source, detail-type, where it is
//!   defined, its producer and its declared consumers with what they read ([`consumers`]),
//!   the field table ([`fields`]), its named types, the sample, the generated Rust and
//!   TypeScript type names, the EventBridge rule pattern that subscribes to it, and its
//!   version history with each change's compatibility verdict ([`versions`]);
//! - `style.css` and `search.js`.
//!
//! The consumer declarations (`schemas/consumers/`) are loaded and checked against the
//! published schemas as `cargo xtask schemas` does: a declaration the catalog cannot show
//! fails the build, naming its file, rather than vanishing from the pages.
//!
//! Templates are minijinja (HTML auto-escaped); no JavaScript framework. The crate is
//! apart from the `xtask` library so that the main job's binary does not compile it.

pub mod consumers;
pub mod fields;
pub mod platform_svg;
pub mod versions;

#[cfg(test)]
mod browser_tests;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};
use contracts_common::catalog::{Catalog, DefinedBy};
use minijinja::{Environment, context};
use schema_emit::{Origin, SchemaItem};
use serde::Serialize;
use serde_json::Value;

use xtask::compat::history;
use xtask::compat::reviewed::{Choice, Reviewed};
use xtask::consumers::{Consumers, EventSchemas};
use xtask::workspace::SCHEMAS_DIR;

/// One event's page, as the templates see it.
#[derive(Debug, Clone, Serialize)]
pub struct EventPage {
    /// `source.Name`: the page's file stem and the AsyncAPI channel id.
    pub id: String,
    /// The EventBridge source.
    pub source: String,
    /// The EventBridge detail-type.
    pub detail_type: String,
    /// The schema's description.
    pub description: String,
    /// `published by contracts-trading` or `consumed (samples in ...)`.
    pub defined_by: String,
    /// Whether the platform publishes it (else it is an AWS event it consumes).
    pub published: bool,
    /// Who puts it on the bus: the module and its crate, or the AWS service.
    pub producer: String,
    /// The consumers that declare they handle it, by name.
    pub consumers: Vec<consumers::ConsumerRow>,
    /// The schema file, relative to the workspace root.
    pub schema_file: String,
    /// The root object's fields.
    pub fields: Vec<fields::Field>,
    /// The schema's named types.
    pub named_types: Vec<fields::NamedType>,
    /// The sample, pretty-printed.
    pub sample: String,
    /// The generated Rust type's path.
    pub rust_type: String,
    /// The generated TypeScript type, e.g. `trading.TradeCancelled`.
    pub typescript_type: String,
    /// How to import its module: `import type { trading } from "@agri-platform/events"`.
    pub typescript_import: String,
    /// The EventBridge rule pattern, pretty-printed.
    pub rule_pattern: String,
    /// Version history, newest first.
    pub history: Vec<versions::HistoryRow>,
    /// Why history is missing, when it is.
    pub history_note: String,
    /// Words the search matches: names, description, field names, consumers and their teams.
    pub search_text: String,
}

/// What [`build`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// The index page.
    pub index: PathBuf,
    /// How many event pages.
    pub events: usize,
}

/// The Rust crate and TypeScript package the type names refer to.
const RUST_CRATE: &str = "platform_events";
const TYPESCRIPT_PACKAGE: &str = "@agri-platform/events";

/// Builds the site from `root`'s published schemas into `out`, replacing its `events/`.
pub fn build(root: &Path, out: &Path) -> Result<Summary> {
    let pages = pages(root)?;
    let environment = environment()?;
    let events_dir = out.join("events");
    if events_dir.exists() {
        std::fs::remove_dir_all(&events_dir)
            .with_context(|| format!("could not clear {}", events_dir.display()))?;
    }
    std::fs::create_dir_all(&events_dir)
        .with_context(|| format!("could not create {}", events_dir.display()))?;
    let mut sources: BTreeMap<&str, Vec<&EventPage>> = BTreeMap::new();
    for page in &pages {
        sources.entry(&page.source).or_default().push(page);
    }
    let sources: Vec<_> = sources.into_iter().map(|(name, events)| context! { name, events => minijinja::Value::from(minijinja::value::Serde(&events)) }).collect();
    let consumers: std::collections::BTreeSet<&str> =
        pages.iter().flat_map(|p| p.consumers.iter().map(|c| c.name.as_str())).collect();
    let index = render(
        &environment,
        "index.html",
        context! {
            sources,
            total => pages.len(),
            consumers => consumers.len(),
            platform_svg => platform_picture(&pages),
            base => "",
        },
    )?;
    write(&out.join("index.html"), &index)?;
    for page in &pages {
        let html = render(
            &environment,
            "event.html",
            context! { event => minijinja::Value::from(minijinja::value::Serde(page)), base => "../" },
        )?;
        write(&events_dir.join(format!("{}.html", page.id)), &html)?;
    }
    write(&out.join("style.css"), include_str!("templates/style.css"))?;
    write(&out.join("search.js"), include_str!("templates/search.js"))?;
    Ok(Summary { index: out.join("index.html"), events: pages.len() })
}

/// The index's picture of the platform, from the pages' events and their consumers.
fn platform_picture(pages: &[EventPage]) -> String {
    let events: Vec<platform_svg::Event<'_>> = pages
        .iter()
        .map(|page| platform_svg::Event {
            id: &page.id,
            source: &page.source,
            detail_type: &page.detail_type,
            published: page.published,
            consumers: page
                .consumers
                .iter()
                .map(|c| platform_svg::Consumer { name: &c.name, team: &c.team, repository: &c.repository })
                .collect(),
        })
        .collect();
    platform_svg::render(&events)
}

/// The consumer declarations under `root`, checked against the published `schemas`; every
/// problem is an error naming its file.
fn checked_consumers(root: &Path, schemas: &EventSchemas<'_>) -> Result<Consumers> {
    let (consumers, problems) = match Consumers::load(root) {
        Ok(consumers) => {
            let problems = consumers.check(schemas);
            (consumers, problems)
        }
        Err(problems) => (Consumers::default(), problems),
    };
    if !problems.is_empty() {
        let list: Vec<String> = problems.iter().map(ToString::to_string).collect();
        bail!(
            "{} problem(s) in the consumer declarations ({}); the catalog shows every consumer, so fix \
             them first:\n  {}",
            problems.len(),
            xtask::consumers::DIR,
            list.join("\n  ")
        );
    }
    Ok(consumers)
}

/// Every event's page model, sorted by source and detail-type.
pub fn pages(root: &Path) -> Result<Vec<EventPage>> {
    let catalog_path = root.join(SCHEMAS_DIR).join(Catalog::FILE_NAME);
    let text = std::fs::read_to_string(&catalog_path).with_context(|| {
        format!("could not read {}; run `cargo xtask schemas` first", catalog_path.display())
    })?;
    let catalog: Catalog = serde_json::from_str(&text).with_context(|| {
        format!("{} is not a catalog; regenerate it with `cargo xtask schemas`", catalog_path.display())
    })?;
    let reviewed = Reviewed::load(root)?;
    let (all_versions, history_note) = match history::all_versions(root) {
        Ok(found) => (found, String::new()),
        Err(error) => (BTreeMap::new(), format!("No version history: {error:#}")),
    };
    let mut schemas = Vec::new();
    for entry in &catalog.events {
        let relative = format!("{SCHEMAS_DIR}/{}", entry.schema);
        let text = std::fs::read_to_string(root.join(&relative)).with_context(|| {
            format!("could not read {relative}, which the catalog lists; run `cargo xtask schemas`")
        })?;
        let schema: Value = serde_json::from_str(&text).with_context(|| format!("{relative} is not JSON"))?;
        schemas.push((entry, relative, schema));
    }
    let type_names = type_names(&schemas)?;
    let by_event: EventSchemas<'_> = schemas
        .iter()
        .map(|(entry, _, schema)| ((entry.source.clone(), entry.detail_type.clone()), schema))
        .collect();
    let declared = checked_consumers(root, &by_event)?;
    let mut pages = Vec::new();
    for ((entry, relative, schema), (module, type_name)) in schemas.iter().zip(type_names) {
        let qualified = format!("{}.{}", entry.source, entry.detail_type);
        let published = matches!(entry.defined_by, DefinedBy::Crate { .. });
        let committed = all_versions.get(relative).map(Vec::as_slice).unwrap_or_default();
        let choice = reviewed.choice_for(&qualified, Choice::default());
        let fields = fields::fields(schema);
        let description = schema.get("description").and_then(Value::as_str).unwrap_or_default().to_owned();
        let consumers = consumers::rows(&declared, &entry.source, &entry.detail_type, schema);
        let search_text = [entry.source.as_str(), &entry.detail_type, &description]
            .into_iter()
            .map(str::to_owned)
            .chain(fields.iter().map(|f| f.name.clone()))
            .chain(consumers.iter().flat_map(|c| [c.name.clone(), c.team.clone()]))
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase();
        pages.push(EventPage {
            id: format!("{}.{}", entry.source, schema_ident::pascal_case(&entry.detail_type)),
            source: entry.source.clone(),
            detail_type: entry.detail_type.clone(),
            description,
            defined_by: match &entry.defined_by {
                DefinedBy::Crate { name } => format!("published by the crate {name}"),
                DefinedBy::Samples { samples } => {
                    format!("consumed: an AWS event known from the samples in {samples}")
                }
            },
            published,
            producer: match &entry.defined_by {
                DefinedBy::Crate { name } => {
                    format!("The {} module publishes it (the crate {name}).", entry.source)
                }
                DefinedBy::Samples { .. } => format!(
                    "AWS: the {} service puts it on the bus; the platform only consumes it.",
                    entry.source
                ),
            },
            consumers,
            schema_file: relative.clone(),
            named_types: fields::named_types(schema),
            fields,
            sample: pretty(schema.get("examples").and_then(|e| e.get(0)).unwrap_or(&Value::Null)),
            rust_type: format!("{RUST_CRATE}::{module}::{type_name}"),
            typescript_type: format!("{module}.{type_name}"),
            typescript_import: format!("import type {{ {module} }} from \"{TYPESCRIPT_PACKAGE}\""),
            rule_pattern: pretty(
                &serde_json::json!({"source": [entry.source], "detail-type": [entry.detail_type]}),
            ),
            history: versions::rows(&qualified, committed, schema, &reviewed, choice),
            history_note: history_note.clone(),
            search_text,
        });
    }
    Ok(pages)
}

/// Each event's generated module and type name, as the emitters name them: the schemas of a
/// source merged into one namespace, whose roots are the events' types.
fn type_names(
    schemas: &[(&contracts_common::catalog::CatalogEntry, String, Value)],
) -> Result<Vec<(String, String)>> {
    let mut by_source: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (index, (entry, ..)) in schemas.iter().enumerate() {
        by_source.entry(&entry.source).or_default().push(index);
    }
    let mut names = vec![(String::new(), String::new()); schemas.len()];
    for (source, indexes) in by_source {
        let items: Vec<SchemaItem> = indexes
            .iter()
            .map(|&i| {
                let (entry, _, schema) = &schemas[i];
                SchemaItem {
                    name: schema
                        .get("title")
                        .and_then(Value::as_str)
                        .unwrap_or(&entry.detail_type)
                        .to_owned(),
                    schema: schema.clone(),
                    origin: match entry.defined_by {
                        DefinedBy::Samples { .. } => Origin::Inferred,
                        DefinedBy::Crate { .. } => Origin::Contract,
                    },
                    label: format!("{}.{}", entry.source, entry.detail_type),
                }
            })
            .collect();
        let namespace = match schema_emit::namespace(source, &items) {
            Ok(namespace) => namespace,
            Err(problems) => {
                let list: Vec<String> = problems.iter().map(ToString::to_string).collect();
                bail!("the schemas of `{source}` do not generate code:\n  {}", list.join("\n  "));
            }
        };
        for (&index, root) in indexes.iter().zip(namespace.roots) {
            names[index] = (schema_ident::module_name(source), root);
        }
    }
    Ok(names)
}

fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).expect("JSON serialises")
}

fn environment() -> Result<Environment<'static>> {
    let mut environment = Environment::new();
    for (name, source) in [
        ("layout.html", include_str!("templates/layout.html")),
        ("index.html", include_str!("templates/index.html")),
        ("event.html", include_str!("templates/event.html")),
        ("macros.html", include_str!("templates/macros.html")),
    ] {
        environment.add_template(name, source).with_context(|| format!("template {name}"))?;
    }
    Ok(environment)
}

fn render(environment: &Environment<'_>, name: &str, context: minijinja::Value) -> Result<String> {
    let template = environment.get_template(name).with_context(|| format!("template {name}"))?;
    template.render(context).with_context(|| format!("rendering {name}"))
}

fn write(path: &Path, contents: &str) -> Result<()> {
    std::fs::write(path, contents).with_context(|| format!("could not write {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A temporary root holding a copy of the workspace's published schemas and consumer
    /// declarations (no git history: the pages say so and build anyway).
    fn copy_of_schemas() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let from = xtask::workspace::root().join(SCHEMAS_DIR);
        for entry in walkdir::WalkDir::new(&from) {
            let entry = entry.unwrap();
            let target = dir.path().join(SCHEMAS_DIR).join(entry.path().strip_prefix(&from).unwrap());
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&target).unwrap();
            } else {
                std::fs::copy(entry.path(), &target).unwrap();
            }
        }
        dir
    }

    #[test]
    fn a_declaration_the_catalog_cannot_show_fails_the_build_naming_its_file() {
        let dir = copy_of_schemas();
        let ghost = dir.path().join("schemas/consumers/ghost.toml");
        std::fs::write(
            &ghost,
            "name = \"ghost\"\nteam = \"t\"\nrepository = \"r\"\n\n\
             [[handles]]\nsource = \"trading\"\ndetail-type = \"TradeCreatd\"\n",
        )
        .unwrap();
        let error = format!("{:#}", pages(dir.path()).unwrap_err());
        assert!(error.contains("schemas/consumers/ghost.toml"), "{error}");
        assert!(error.contains("`TradeCreatd`, which is no event"), "{error}");
        std::fs::write(&ghost, "name = 1\n").unwrap();
        let error = format!("{:#}", pages(dir.path()).unwrap_err());
        assert!(error.contains("schemas/consumers/ghost.toml: is not a consumer declaration"), "{error}");
        std::fs::remove_file(&ghost).unwrap();
        let pages = pages(dir.path()).unwrap();
        let allocated = pages.iter().find(|p| p.id == "trading.TradeInventoryAllocated").unwrap();
        assert_eq!(allocated.consumers[0].name, "trading-allocations");
    }
}
