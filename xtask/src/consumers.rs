//! Who consumes each event: one reviewed declaration per consumer, `schemas/consumers/<name>.toml`.
//!
//! A declaration is printed by the consumer's own code (the Rust runtime's
//! `Manifest::declaration`, the TypeScript package's `declaration`) or written by hand:
//!
//! ```toml
//! name = "billing-lambda"
//! team = "billing"
//! repository = "https://github.com/agri-platform/billing"
//!
//! [[handles]]
//! source = "trading"
//! detail-type = "TradeCreated"
//! reads = ["/trade/pricePerTonne", "/trade/lines/*/quantity"]
//! ```
//!
//! `reads` lists the JSON Pointers into the event's `detail` that the consumer reads, in the
//! gate's notation (`*` is any array item or map value); without it the consumer is taken to
//! read the whole event. The catalog and the AsyncAPI document show the declarations, and the
//! compatibility gate names, for each breaking change, the consumers it hits. A declaration
//! naming an event or a field the schemas do not have is an error naming the file and the
//! pointer, so declarations cannot drift from the contracts.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use schema_emit::Diagnostic;
use schema_model::instance::{self, NotInSchema};
use serde::Deserialize;
use serde_json::Value;

/// The folder of declarations, relative to the workspace root.
pub const DIR: &str = "schemas/consumers";

/// Every event's whole schema document, by source and detail-type.
pub type EventSchemas<'s> = BTreeMap<(String, String), &'s Value>;

/// One consumer: a Lambda function, a service, a job.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Consumer {
    /// Its name; the file is `<name>.toml`.
    pub name: String,
    /// The team that owns it, who to talk to before breaking it.
    pub team: String,
    /// Where its code lives.
    pub repository: String,
    /// The events it handles.
    #[serde(default)]
    pub handles: Vec<Handles>,
    /// The declaration's path, relative to the workspace root.
    #[serde(skip)]
    pub file: String,
}

/// One event a consumer handles, and what it reads of it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Handles {
    /// The event's EventBridge `source`.
    pub source: String,
    /// The event's exact `detail-type`.
    #[serde(rename = "detail-type")]
    pub detail_type: String,
    /// JSON Pointers into `detail` that the consumer reads; `None` reads the whole event.
    #[serde(default)]
    pub reads: Option<Vec<String>>,
}

impl Handles {
    /// The event as the gate and the catalog name it: `trading.TradeCreated`.
    pub fn event(&self) -> String {
        format!("{}.{}", self.source, self.detail_type)
    }

    /// Whether the consumer reads something at or under `instance_path`, or above it. A
    /// change to the event as a whole (`""`) touches every consumer that handles it.
    pub fn touches(&self, instance_path: &str) -> bool {
        match &self.reads {
            None => true,
            Some(_) if instance_path.is_empty() => true,
            Some(reads) => reads.iter().any(|read| instance::overlaps(read, instance_path)),
        }
    }

    /// The pointers it reads that overlap `instance_path` (empty when it reads the whole
    /// event).
    pub fn reads_touching<'a>(&'a self, instance_path: &str) -> Vec<&'a str> {
        let reads = self.reads.as_deref().unwrap_or_default();
        reads.iter().filter(|read| instance::overlaps(read, instance_path)).map(String::as_str).collect()
    }
}

/// Every declaration, sorted by name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Consumers {
    /// The declarations.
    pub list: Vec<Consumer>,
}

/// A consumer touched by a change: who, and which of its reads the change reaches (none
/// when it reads the whole event, or when the change is to the event as a whole).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit<'a> {
    /// The consumer.
    pub consumer: &'a Consumer,
    /// Its reads that the change reaches.
    pub reads: Vec<&'a str>,
}

impl Consumers {
    /// Reads every declaration under `root`; a missing folder is no declarations. Every
    /// problem is returned, each naming its file: unreadable or malformed TOML, a name that
    /// is not the file's, an event handled twice, and any file that is not a declaration
    /// (nothing there is skipped silently).
    pub fn load(root: &Path) -> Result<Consumers, Vec<Diagnostic>> {
        let dir = root.join(DIR);
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Consumers::default()),
            Err(e) => return Err(vec![Diagnostic::new(DIR, format!("could not be read: {e}"))]),
        };
        let mut paths: Vec<_> = entries.filter_map(|entry| entry.ok().map(|e| e.path())).collect();
        paths.sort();
        let (mut list, mut problems) = (Vec::new(), Vec::new());
        for path in paths {
            let file = format!("{DIR}/{}", path.file_name().unwrap_or_default().to_string_lossy());
            if path.extension().is_none_or(|ext| ext != "toml") || !path.is_file() {
                problems.push(
                    Diagnostic::new(&file, "is not a consumer declaration")
                        .with_fix(format!("{DIR} holds only `<consumer>.toml` files; move it elsewhere")),
                );
                continue;
            }
            let parsed = std::fs::read_to_string(&path)
                .map_err(|e| Diagnostic::new(&file, format!("could not be read: {e}")))
                .and_then(|text| parse(&file, &text));
            match parsed {
                Ok(consumer) => list.push(consumer),
                Err(problem) => problems.push(problem),
            }
        }
        if problems.is_empty() { Ok(Consumers { list }) } else { Err(problems) }
    }

    /// [`Consumers::load`] for commands that stop on the first error: every problem listed
    /// in one error.
    pub fn read(root: &Path) -> anyhow::Result<Consumers> {
        Consumers::load(root).map_err(|problems| {
            let list: Vec<String> = problems.iter().map(|problem| format!("  - {problem}")).collect();
            anyhow::anyhow!(
                "{} problem(s) in the consumer declarations:\n{}",
                problems.len(),
                list.join("\n")
            )
        })
    }

    /// Checks every declaration against the published event schemas (each event's whole
    /// schema document by source and detail-type): each handled event exists and each
    /// pointer it reads is a field of that event.
    pub fn check(&self, schemas: &EventSchemas<'_>) -> Vec<Diagnostic> {
        let mut problems = Vec::new();
        for consumer in &self.list {
            for (index, handled) in consumer.handles.iter().enumerate() {
                let Some(schema) = schemas.get(&(handled.source.clone(), handled.detail_type.clone())) else {
                    problems.push(unknown_event(consumer, index, handled, schemas));
                    continue;
                };
                for read in handled.reads.iter().flatten() {
                    if let Err(problem) = check_pointer(schema, read) {
                        problems.push(
                            Diagnostic::new(
                                &consumer.file,
                                format!("{} reads `{read}`, which {problem}", handled.event()),
                            )
                            .with_fix(
                                "fix the pointer (JSON Pointer into the event's detail, `*` for any array item \
                                 or map value), or regenerate the declaration from the consumer's code",
                            ),
                        );
                    }
                }
            }
        }
        problems
    }

    /// The consumers that handle `source`/`detail_type`, with what they declared for it.
    pub fn of_event<'a>(
        &'a self,
        source: &'a str,
        detail_type: &'a str,
    ) -> impl Iterator<Item = (&'a Consumer, &'a Handles)> + 'a {
        self.list.iter().flat_map(move |consumer| {
            consumer
                .handles
                .iter()
                .filter(move |h| h.source == source && h.detail_type == detail_type)
                .map(move |h| (consumer, h))
        })
    }

    /// The consumers a change at `instance_path` of the event named `event`
    /// (`source.DetailType`) touches.
    pub fn hits(&self, event: &str, instance_path: &str) -> Vec<Hit<'_>> {
        self.list
            .iter()
            .flat_map(|consumer| consumer.handles.iter().map(move |h| (consumer, h)))
            .filter(|(_, handled)| handled.event() == event && handled.touches(instance_path))
            .map(|(consumer, handled)| Hit { consumer, reads: handled.reads_touching(instance_path) })
            .collect()
    }
}

/// Parses one declaration; `file` is its path relative to the workspace root.
pub fn parse(file: &str, text: &str) -> Result<Consumer, Diagnostic> {
    let mut consumer: Consumer = toml::from_str(text).map_err(|e| {
        Diagnostic::new(file, format!("is not a consumer declaration: {}", e.to_string().trim_end()))
            .with_fix("see README \"Who consumes this event?\" for the format")
    })?;
    consumer.file = file.to_owned();
    let stem = Path::new(file).file_stem().unwrap_or_default().to_string_lossy();
    if consumer.name != stem {
        return Err(Diagnostic::new(file, format!("declares the consumer `{}`", consumer.name))
            .with_fix(format!("name the file `{}.toml`, or the consumer `{stem}`", consumer.name)));
    }
    for (field, value) in
        [("name", &consumer.name), ("team", &consumer.team), ("repository", &consumer.repository)]
    {
        if value.trim().is_empty() {
            return Err(Diagnostic::new(file, format!("has an empty `{field}`"))
                .with_fix("say who owns the consumer and where its code lives"));
        }
    }
    if consumer.handles.is_empty() {
        return Err(Diagnostic::new(file, "handles no event")
            .with_fix("add a [[handles]] entry per event, or delete the declaration"));
    }
    let mut seen = BTreeSet::new();
    for handled in &consumer.handles {
        if !seen.insert((&handled.source, &handled.detail_type)) {
            return Err(Diagnostic::new(file, format!("handles {} twice", handled.event()))
                .with_fix("merge the two [[handles]] entries and their `reads`"));
        }
        for read in handled.reads.iter().flatten() {
            if !read.is_empty() && !read.starts_with('/') {
                return Err(Diagnostic::new(
                    file,
                    format!("{} reads `{read}`, which is not a JSON Pointer", handled.event()),
                )
                .with_fix(format!("write it `/{read}` (a pointer into the event's detail)")));
            }
        }
    }
    Ok(consumer)
}

/// Why `pointer` is not a field of `schema`, as the end of a sentence.
fn check_pointer(schema: &Value, pointer: &str) -> Result<(), String> {
    instance::schemas_at(schema, pointer).map(drop).map_err(|NotInSchema { found, missing, declared }| {
        let at = if found.is_empty() { "the event".to_owned() } else { format!("`{found}`") };
        let there = match declared.as_slice() {
            [] => format!("{at} declares no fields"),
            names => format!("its fields there are {}", names.join(", ")),
        };
        format!("the event's schema does not have: {at} has no `{missing}` ({there})")
    })
}

fn unknown_event(
    consumer: &Consumer,
    index: usize,
    handled: &Handles,
    schemas: &EventSchemas<'_>,
) -> Diagnostic {
    let same_source: Vec<&str> =
        schemas.keys().filter(|(source, _)| *source == handled.source).map(|(_, dt)| dt.as_str()).collect();
    let fix = if same_source.is_empty() {
        let sources: BTreeSet<&str> = schemas.keys().map(|(s, _)| s.as_str()).collect();
        format!("no event has the source `{}`; the sources are {}", handled.source, join(sources))
    } else {
        format!("the events of `{}` are {}", handled.source, join(same_source))
    };
    Diagnostic::new(
        &consumer.file,
        format!(
            "handles[{index}] names source `{}`, detail-type `{}`, which is no event",
            handled.source, handled.detail_type
        ),
    )
    .with_fix(fix)
}

fn join<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    names.into_iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const FILE: &str = "schemas/consumers/billing-lambda.toml";

    fn declaration(handles: &str) -> String {
        format!(
            "name = \"billing-lambda\"\nteam = \"billing\"\nrepository = \"https://example.com/billing\"\n\n{handles}"
        )
    }

    fn trade_created() -> Value {
        json!({
            "properties": {"trade": {"$ref": "#/definitions/Trade"}, "lines": {"type": "array", "items": {"properties": {"qty": {}}}}},
            "definitions": {"Trade": {"properties": {"pricePerTonne": {"type": "number"}, "note": {}}}}
        })
    }

    fn checked(text: &str) -> Vec<String> {
        let consumer = parse(FILE, text).unwrap();
        let (created, cancelled) = (trade_created(), json!({}));
        let schemas = EventSchemas::from([
            (("trading".to_owned(), "TradeCreated".to_owned()), &created),
            (("trading".to_owned(), "TradeCancelled".to_owned()), &cancelled),
        ]);
        Consumers { list: vec![consumer] }.check(&schemas).iter().map(ToString::to_string).collect()
    }

    #[test]
    fn a_declaration_of_known_events_and_fields_passes() {
        let text = declaration(
            "[[handles]]\nsource = \"trading\"\ndetail-type = \"TradeCreated\"\nreads = [\"/trade/pricePerTonne\", \"/lines/*/qty\"]\n",
        );
        assert_eq!(checked(&text), Vec::<String>::new());
    }

    #[test]
    fn an_unknown_event_or_field_is_an_error_naming_the_file_and_the_pointer() {
        let text = declaration(
            "[[handles]]\nsource = \"trading\"\ndetail-type = \"TradeCreatd\"\n\n\
             [[handles]]\nsource = \"trading\"\ndetail-type = \"TradeCreated\"\nreads = [\"/trade/price\"]\n",
        );
        let problems = checked(&text);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].starts_with(FILE), "{}", problems[0]);
        assert!(problems[0].contains("`TradeCreatd`, which is no event"), "{}", problems[0]);
        assert!(problems[0].contains("`TradeCancelled`, `TradeCreated`"), "{}", problems[0]);
        assert!(problems[1].contains("trading.TradeCreated reads `/trade/price`"), "{}", problems[1]);
        assert!(problems[1].contains("`/trade` has no `price`"), "{}", problems[1]);
        assert!(problems[1].contains("note, pricePerTonne"), "{}", problems[1]);
    }

    #[test]
    fn malformed_declarations_say_what_to_fix() {
        let wrong_name = declaration("").replace("billing-lambda", "billing");
        assert!(parse(FILE, &wrong_name).unwrap_err().to_string().contains("name the file `billing.toml`"));
        assert!(parse(FILE, &declaration("")).unwrap_err().to_string().contains("handles no event"));
        let twice = declaration(
            "[[handles]]\nsource = \"a\"\ndetail-type = \"B\"\n[[handles]]\nsource = \"a\"\ndetail-type = \"B\"\n",
        );
        assert!(parse(FILE, &twice).unwrap_err().to_string().contains("handles a.B twice"));
        let relative = declaration("[[handles]]\nsource = \"a\"\ndetail-type = \"B\"\nreads = [\"note\"]\n");
        assert!(parse(FILE, &relative).unwrap_err().to_string().contains("write it `/note`"));
        let unknown_key = declaration("owner = \"x\"\n");
        let error = parse(FILE, &unknown_key).unwrap_err().to_string();
        assert!(error.starts_with(FILE) && error.contains("owner"), "{error}");
    }

    #[test]
    fn a_change_hits_the_consumers_that_read_it_or_the_whole_event() {
        let reader = declaration(
            "[[handles]]\nsource = \"trading\"\ndetail-type = \"TradeCreated\"\nreads = [\"/trade/note\"]\n",
        );
        let mut whole =
            parse(FILE, &declaration("[[handles]]\nsource = \"trading\"\ndetail-type = \"TradeCreated\"\n"))
                .unwrap();
        whole.name = "inventory-sync".into();
        let consumers = Consumers { list: vec![parse(FILE, &reader).unwrap(), whole] };
        let names = |path: &str| -> Vec<(String, Vec<String>)> {
            consumers
                .hits("trading.TradeCreated", path)
                .into_iter()
                .map(|hit| (hit.consumer.name.clone(), hit.reads.iter().map(|r| r.to_string()).collect()))
                .collect()
        };
        assert_eq!(
            names("/trade/note"),
            [("billing-lambda".into(), vec!["/trade/note".into()]), ("inventory-sync".into(), vec![])]
        );
        assert_eq!(names("/trade/pricePerTonne"), [("inventory-sync".to_owned(), vec![])]);
        assert_eq!(names("").len(), 2);
        assert!(consumers.hits("trading.TradeCancelled", "").is_empty());
    }
}
