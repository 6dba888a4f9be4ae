//! An event's version history for its catalog page: every committed version of its schema,
//! oldest first, each change judged against the version before it by `schema-compat` in the
//! event's mode and policy, with the reviewed acknowledgements applied.

use schema_compat::{Mode, Policy, compare};
use serde::Serialize;
use serde_json::Value;

use xtask::compat::history::Version;
use xtask::compat::reviewed::Reviewed;

/// One version of an event's schema, as the page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HistoryRow {
    /// The commit (abbreviated), or `working tree` for uncommitted changes.
    pub commit: String,
    /// The commit's date, or "".
    pub date: String,
    /// The commit's subject line, or "".
    pub subject: String,
    /// `first version`, `compatible`, `breaks forward`, `acknowledged`, ...
    pub verdict: String,
    /// A CSS class for the verdict: `first`, `ok`, `acknowledged` or `breaks`.
    pub class: &'static str,
    /// One line per difference found: kind, path, old → new.
    pub changes: Vec<String>,
}

/// The rows for one event, newest first: `committed` as git lists them (newest first), then
/// the working tree's schema if it differs from the newest commit.
pub fn rows(
    event: &str,
    committed: &[Version],
    current: &Value,
    reviewed: &Reviewed,
    (mode, policy): (Mode, Policy),
) -> Vec<HistoryRow> {
    let mut chain: Vec<(String, String, String, Value)> = committed
        .iter()
        .rev()
        .filter_map(|v| {
            let value = serde_json::from_str(&v.text).ok()?;
            Some((v.commit.clone(), v.date.clone(), v.subject.clone(), value))
        })
        .collect();
    if chain.last().is_none_or(|(.., newest)| newest != current) {
        chain.push((
            "working tree".to_owned(),
            String::new(),
            "not committed yet".to_owned(),
            current.clone(),
        ));
    }
    let mut rows = Vec::with_capacity(chain.len());
    for index in 0..chain.len() {
        let (commit, date, subject, schema) = &chain[index];
        let (verdict, class, changes) = match index.checked_sub(1).map(|previous| &chain[previous].3) {
            None => ("first version".to_owned(), "first", Vec::new()),
            Some(previous) => judge(event, previous, schema, reviewed, mode, policy),
        };
        rows.push(HistoryRow {
            commit: commit.clone(),
            date: date.clone(),
            subject: subject.clone(),
            verdict,
            class,
            changes,
        });
    }
    rows.reverse();
    rows
}

fn judge(
    event: &str,
    old: &Value,
    new: &Value,
    reviewed: &Reviewed,
    mode: Mode,
    policy: Policy,
) -> (String, &'static str, Vec<String>) {
    let mut differences = match compare(old, new, policy) {
        Ok(found) => found,
        Err(error) => return (format!("not comparable: {error}"), "breaks", Vec::new()),
    };
    reviewed.apply(event, mode, &mut differences);
    let changes = differences
        .iter()
        .map(|d| {
            let path = if d.path.is_empty() { "/" } else { d.path.as_str() };
            let side = |s: &Option<String>| s.clone().unwrap_or_else(|| "(absent)".to_owned());
            format!("{} at {path}: {} → {}", d.kind, side(&d.old), side(&d.new))
        })
        .collect();
    let broken: Vec<String> = differences
        .iter()
        .filter(|d| d.fails(mode))
        .flat_map(|d| d.broken_directions(mode))
        .map(|direction| direction.to_string())
        .collect();
    if !broken.is_empty() {
        let mut directions = broken;
        directions.sort();
        directions.dedup();
        return (format!("breaks {}", directions.join(" and ")), "breaks", changes);
    }
    if differences.iter().any(|d| d.breaks(mode)) {
        return ("breaking, acknowledged".to_owned(), "acknowledged", changes);
    }
    let verdict = if differences.is_empty() { "compatible (annotations only)" } else { "compatible" };
    (verdict.to_owned(), "ok", changes)
}
