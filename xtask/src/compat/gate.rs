//! The gate over a repository: the working tree's event schemas against a base revision or
//! against every committed version, with the reviewed file's modes and acknowledgements.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use anyhow::{Context as _, Result};
use schema_compat::{ConsumerHit, Difference, Mode, Policy, Report, Subject, compare_transitive};
use schema_model::instance;
use serde_json::{Value, json};

use super::history::{self, Version};
use super::reviewed::{self, Acknowledgement, Choice, Reviewed};
use crate::consumers::Consumers;
use crate::workspace::{self, SCHEMAS_DIR};

/// What the working tree is compared with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Against {
    /// The event schemas at one revision.
    Base(String),
    /// Every committed version of every event schema (the `_TRANSITIVE` modes).
    History,
}

/// The gate's findings: one report per mode and policy in use, plus the file-level checks.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Reports grouped by the (mode, policy) the events chose, each with its subjects.
    pub reports: Vec<Report>,
    /// Events in the working tree that nothing earlier had.
    pub new_events: Vec<String>,
    /// Acknowledgements that matched no breaking difference (a failure when checking the
    /// whole history, where every acknowledged change is visible).
    pub stale: Vec<Acknowledgement>,
    /// Whether stale acknowledgements fail the check (only against the whole history).
    pub stale_fails: bool,
    /// `[events]` entries of the reviewed file that name no event.
    pub unknown_events: Vec<String>,
}

impl Outcome {
    /// Whether the gate passes.
    pub fn passes(&self) -> bool {
        self.reports.iter().all(Report::passes)
            && (self.stale.is_empty() || !self.stale_fails)
            && self.unknown_events.is_empty()
    }

    /// Every breaking, unacknowledged difference with its event.
    pub fn failures(&self) -> impl Iterator<Item = (&Subject, &Difference)> {
        self.reports.iter().flat_map(Report::failures)
    }
}

/// Compares the event schemas under `root`'s working tree with `against`.
pub fn check(root: &Path, against: &Against, command_line: Choice) -> Result<Outcome> {
    let reviewed = Reviewed::load(root)?;
    let consumers = declared_consumers(root)?;
    let current = working_tree_schemas(root)?;
    let earlier: BTreeMap<String, Vec<Version>> = match against {
        Against::History => {
            history::require_full_history(root)?;
            history::all_versions(root)?
        }
        Against::Base(revision) => {
            let commit = history::git(root, &["rev-parse", "--short=12", &format!("{revision}^{{commit}}")])?;
            history::schemas_at(root, revision)?
                .into_iter()
                .map(|(path, text)| {
                    let version = Version {
                        commit: commit.trim().to_owned(),
                        date: format!("base {revision}"),
                        subject: String::new(),
                        text,
                    };
                    (path, vec![version])
                })
                .collect()
        }
    };
    let paths: BTreeSet<&String> = current.keys().chain(earlier.keys()).collect();
    let mut groups: BTreeMap<(ModeKey, PolicyKey), Vec<Subject>> = BTreeMap::new();
    let mut used = BTreeSet::new();
    let mut new_events = Vec::new();
    let added_names: Vec<String> =
        current.keys().filter(|p| !earlier.contains_key(*p)).map(|p| history::event_name(p)).collect();
    for path in paths {
        let event = history::event_name(path);
        let (mode, policy) = reviewed.choice_for(&event, command_line);
        let versions = earlier.get(path).map(Vec::as_slice).unwrap_or_default();
        let mut differences = match current.get(path) {
            Some(_) if versions.is_empty() => {
                new_events.push(event);
                continue;
            }
            Some(new) => compare_with_versions(path, versions, new, policy)?,
            None => vec![removed(&event, &versions[0], &added_names)],
        };
        used.extend(reviewed.apply(&event, mode, &mut differences));
        if let Some(consumers) = &consumers {
            let judged = reviewed.consumers_for(&event, command_line);
            name_consumers(consumers, &event, current.get(path), mode, judged, &mut differences);
        }
        groups.entry((ModeKey(mode), PolicyKey(policy))).or_default().push(Subject::new(event, differences));
    }
    let reports = groups
        .into_iter()
        .map(|((mode, policy), subjects)| Report::new(mode.0, policy.0, subjects))
        .collect();
    let stale = reviewed
        .acknowledged
        .iter()
        .enumerate()
        .filter(|(i, _)| !used.contains(i))
        .map(|(_, a)| a.clone())
        .collect();
    let known: Vec<String> = current.keys().chain(earlier.keys()).map(|p| history::event_name(p)).collect();
    let unknown_events = reviewed.unknown_events(&known).map(str::to_owned).collect();
    Ok(Outcome { reports, new_events, stale, stale_fails: *against == Against::History, unknown_events })
}

/// The consumer declarations, or `None` when there are none; each malformed one is an error.
fn declared_consumers(root: &Path) -> Result<Option<Consumers>> {
    let consumers = Consumers::read(root)?;
    Ok((!consumers.list.is_empty()).then_some(consumers))
}

/// Names, on each difference that breaks something in `mode`, the declared consumers it hits:
/// those reading a field at or around any place the changed schema location is used (every
/// use of a shared definition), or handling the event without declaring reads. When `judged`
/// (the consumer policy), a breaking difference no declared consumer reads is `unread`.
fn name_consumers(
    consumers: &Consumers,
    event: &str,
    new_schema: Option<&Value>,
    mode: Mode,
    judged: bool,
    differences: &mut [Difference],
) {
    for difference in differences.iter_mut().filter(|d| d.breaks(mode)) {
        let mut places =
            new_schema.map(|schema| instance::uses_of(schema, &difference.path)).unwrap_or_default();
        places.push(difference.instance_path.clone());
        let mut hits: BTreeMap<&str, ConsumerHit> = BTreeMap::new();
        for place in &places {
            for hit in consumers.hits(event, place) {
                let entry = hits.entry(&hit.consumer.name).or_insert_with(|| ConsumerHit {
                    name: hit.consumer.name.clone(),
                    team: hit.consumer.team.clone(),
                    reads: Vec::new(),
                });
                entry.reads.extend(hit.reads.iter().map(|read| read.to_string()));
            }
        }
        let hits: Vec<ConsumerHit> = hits
            .into_values()
            .map(|mut hit| {
                hit.reads.sort();
                hit.reads.dedup();
                hit
            })
            .collect();
        difference.unread = judged && hits.is_empty() && difference.acknowledged.is_none();
        difference.consumers = Some(hits);
    }
}

/// Every event schema in the working tree, parsed, by relative path.
pub fn working_tree_schemas(root: &Path) -> Result<BTreeMap<String, Value>> {
    let files = workspace::files_with_extension(&root.join(SCHEMAS_DIR), "json", 2)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut schemas = BTreeMap::new();
    for file in files {
        let relative = workspace::relative(root, &file);
        if !history::is_event_schema(&relative) {
            continue;
        }
        let text = std::fs::read_to_string(&file).with_context(|| format!("could not read {relative}"))?;
        let value = serde_json::from_str(&text)
            .with_context(|| format!("{relative} is not JSON; regenerate it with `cargo xtask schemas`"))?;
        schemas.insert(relative, value);
    }
    Ok(schemas)
}

fn compare_with_versions(
    path: &str,
    versions: &[Version],
    new: &Value,
    policy: Policy,
) -> Result<Vec<Difference>> {
    let mut parsed = Vec::with_capacity(versions.len());
    for version in versions {
        let value: Value = serde_json::from_str(&version.text).with_context(|| {
            format!("{path} as committed in {} is not JSON, so it cannot be compared", version.label())
        })?;
        parsed.push((version.label(), value));
    }
    compare_transitive(parsed.iter().map(|(label, value)| (label.as_str(), value)), new, policy)
        .with_context(|| format!("comparing {path}"))
}

/// The difference for an event whose schema is gone, saying which new events of the same
/// source might be its rename.
fn removed(event: &str, newest: &Version, added: &[String]) -> Difference {
    let mut difference = Difference::schema_removed(event);
    difference.versions = vec![newest.label()];
    let source = event.rsplit_once('.').map(|(s, _)| s).unwrap_or_default();
    let candidates: Vec<&str> = added
        .iter()
        .filter(|name| name.rsplit_once('.').map(|(s, _)| s) == Some(source))
        .map(String::as_str)
        .collect();
    if !candidates.is_empty() {
        difference.reason.push_str(&format!(
            "; {} appeared in the same source: if this is a rename of the detail-type, consumers subscribed to \
             `{event}` receive nothing until they subscribe to the new name",
            candidates.join(", ")
        ));
    }
    difference
}

/// The fix a failing report advises, with the acknowledgement entries to paste.
pub fn fix_advice(report: &Report, fenced: bool) -> String {
    let entries: String = report
        .failures()
        .map(|(subject, difference)| reviewed::entry_for(&subject.name, difference))
        .collect::<Vec<_>>()
        .join("\n");
    let (open, close) = if fenced { ("```toml\n", "```") } else { ("", "") };
    let example = report
        .failures()
        .next()
        .and_then(|(subject, _)| {
            subject.name.rsplit_once('.').map(|(_, detail_type)| format!("{detail_type}V2"))
        })
        .unwrap_or_else(|| "OrderPlacedV2".to_owned());
    format!(
        "make the change compatible; or publish it as a new event (a new detail-type such as `{example}`, \
         published beside the old one until every consumer has moved); or, if every consumer can take it, \
         acknowledge each breaking difference in {}:\n\n{open}{entries}{close}",
        reviewed::FILE
    )
}

/// The whole outcome as text, Markdown or JSON.
pub fn render(outcome: &Outcome, format: super::Format) -> String {
    use super::Format;
    match format {
        Format::Json => {
            let reports: Vec<Value> = outcome
                .reports
                .iter()
                .map(|r| serde_json::from_str(&r.to_json()).expect("the report's JSON parses"))
                .collect();
            let stale: Vec<Value> = outcome
                .stale
                .iter()
                .map(|a| json!({"event": a.event, "kind": a.kind, "path": a.path, "reason": a.reason}))
                .collect();
            let document = json!({
                "passes": outcome.passes(),
                "reports": reports,
                "newEvents": outcome.new_events,
                "staleAcknowledgements": stale,
                "staleAcknowledgementsFail": outcome.stale_fails,
                "unknownEvents": outcome.unknown_events,
            });
            format!("{}\n", serde_json::to_string_pretty(&document).expect("JSON serialises"))
        }
        Format::Text | Format::Markdown => {
            let markdown = format == Format::Markdown;
            let mut out = String::new();
            for report in &outcome.reports {
                let report = report.clone().with_fix(fix_advice(report, markdown));
                out.push_str(&if markdown { report.to_markdown() } else { report.to_text() });
                out.push('\n');
            }
            if outcome.reports.is_empty() {
                out.push_str("no event schemas to compare\n\n");
            }
            if !outcome.new_events.is_empty() {
                out.push_str(&format!(
                    "new events (nothing to compare with): {}\n",
                    outcome.new_events.join(", ")
                ));
            }
            for name in &outcome.unknown_events {
                out.push_str(&format!(
                    "FAILS: {} names `{name}` under [events], which is no event; fix or remove the entry\n",
                    reviewed::FILE
                ));
            }
            for ack in &outcome.stale {
                let verdict =
                    if outcome.stale_fails { "FAILS: stale acknowledgement" } else { "note: unused here" };
                out.push_str(&format!(
                    "{verdict}: {} {} at {} matches no breaking difference{}; remove it from {}\n",
                    ack.event,
                    ack.kind,
                    if ack.path.is_empty() { "/" } else { &ack.path },
                    if outcome.stale_fails {
                        ""
                    } else {
                        " against this base (`--transitive` decides staleness)"
                    },
                    reviewed::FILE
                ));
            }
            out
        }
    }
}

/// [`Mode`] ordered for grouping (FULL first).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct ModeKey(Mode);

impl Ord for ModeKey {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        let rank = |m: Mode| match m {
            Mode::Full => 0,
            Mode::Backward => 1,
            Mode::Forward => 2,
        };
        rank(self.0).cmp(&rank(other.0))
    }
}

impl PartialOrd for ModeKey {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// [`Policy`] ordered for grouping (strict first).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct PolicyKey(Policy);

impl Ord for PolicyKey {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.0 == Policy::Lenient).cmp(&(other.0 == Policy::Lenient))
    }
}

impl PartialOrd for PolicyKey {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
