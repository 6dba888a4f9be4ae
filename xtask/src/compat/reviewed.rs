//! `schemas/compat-acknowledged.toml`: the reviewed exceptions to the compatibility gate.
//!
//! The file chooses each event's mode and policy (else the defaults: FULL, strict) and lists
//! every accepted breaking change: the event, the difference kind's id, the JSON path and
//! why it is safe. An acknowledgement passes exactly the differences it names; one that
//! names nothing the gate finds is stale and fails the check, so the file cannot rot.
//!
//! ```toml
//! [defaults]
//! mode = "full"          # full | forward | backward
//! policy = "strict"      # strict | lenient
//!
//! [events."trading.TradeCancelled"]
//! mode = "backward"
//! consumers = true       # judge by the declared consumers (see `--consumers`)
//!
//! [[acknowledged]]
//! event = "trading.TradeCancelled"
//! kind = "REQUIRED_PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL"
//! path = "/properties/note"
//! reason = "no consumer reads the note yet; agreed with the settlement team"
//! ```

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use anyhow::{Context as _, Result, bail};
use schema_compat::{Difference, Kind, Mode, Policy};
use serde::Deserialize;

/// The reviewed file, relative to the workspace root.
pub const FILE: &str = "schemas/compat-acknowledged.toml";

/// The parsed file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reviewed {
    /// Mode and policy for events that choose none.
    #[serde(default)]
    pub defaults: Choice,
    /// Per event (`source.DetailType`), its own mode or policy.
    #[serde(default)]
    pub events: BTreeMap<String, Choice>,
    /// Accepted breaking changes.
    #[serde(default)]
    pub acknowledged: Vec<Acknowledgement>,
}

/// A mode and a policy, either of which may be left to the level above.
#[derive(Debug, Clone, Copy, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    /// `full`, `forward` or `backward`.
    #[serde(default, deserialize_with = "choice")]
    pub mode: Option<Mode>,
    /// `strict` or `lenient`.
    #[serde(default, deserialize_with = "choice")]
    pub policy: Option<Policy>,
    /// Whether the consumer declarations are the whole truth (`--consumers`): a breaking
    /// change to a field no declared consumer reads does not fail.
    #[serde(default)]
    pub consumers: Option<bool>,
}

/// One accepted breaking change.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Acknowledgement {
    /// `source.DetailType`.
    pub event: String,
    /// The difference kind's id, e.g. `ENUM_VALUE_ADDED`.
    pub kind: Kind,
    /// JSON Pointer into the schema, as the report shows it (`/` or `""` is the root).
    pub path: String,
    /// Why it is safe: who agreed, which consumers were checked.
    pub reason: String,
}

fn choice<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: std::str::FromStr,
    T::Err: std::fmt::Display,
{
    let text = String::deserialize(deserializer)?;
    text.parse().map(Some).map_err(serde::de::Error::custom)
}

impl Reviewed {
    /// Reads the file under `root`; a missing file is an empty one.
    pub fn load(root: &Path) -> Result<Reviewed> {
        let path = root.join(FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Reviewed::default()),
            Err(e) => return Err(e).with_context(|| format!("could not read {FILE}")),
        };
        Reviewed::parse(&text)
    }

    /// Parses the file's text; errors name the file, line and column.
    pub fn parse(text: &str) -> Result<Reviewed> {
        let reviewed: Reviewed = toml::from_str(text).map_err(|e| anyhow::anyhow!("{FILE}: {e}"))?;
        for (index, entry) in reviewed.acknowledged.iter().enumerate() {
            if entry.reason.trim().is_empty() {
                bail!(
                    "{FILE}: acknowledgement {} ({} {} at {}) has no reason; say why the change is safe for its \
                     consumers",
                    index + 1,
                    entry.event,
                    entry.kind,
                    entry.path
                );
            }
        }
        Ok(reviewed)
    }

    /// Whether `event` is judged by its declared consumers: the command line's `--consumers`,
    /// else the event's own `consumers`, else the file's default, else not.
    pub fn consumers_for(&self, event: &str, command_line: Choice) -> bool {
        let own = self.events.get(event).and_then(|choice| choice.consumers);
        command_line.consumers.or(own).or(self.defaults.consumers).unwrap_or(false)
    }

    /// The mode and policy of `event`: the command line's, else the event's own, else the
    /// file's defaults, else FULL and strict.
    pub fn choice_for(&self, event: &str, command_line: Choice) -> (Mode, Policy) {
        let own = self.events.get(event).copied().unwrap_or_default();
        let mode = command_line.mode.or(own.mode).or(self.defaults.mode).unwrap_or_default();
        let policy = command_line.policy.or(own.policy).or(self.defaults.policy).unwrap_or_default();
        (mode, policy)
    }

    /// Marks the differences of `event` that an acknowledgement accepts; returns the indexes
    /// of the acknowledgements used. Only differences that break in `mode` need (and use) one.
    pub fn apply(&self, event: &str, mode: Mode, differences: &mut [Difference]) -> Vec<usize> {
        let mut used = Vec::new();
        for difference in differences.iter_mut().filter(|d| d.breaks(mode)) {
            let matching = self.acknowledged.iter().enumerate().find(|(_, ack)| {
                ack.event == event && ack.kind == difference.kind && same_path(&ack.path, &difference.path)
            });
            if let Some((index, ack)) = matching {
                difference.acknowledged = Some(ack.reason.clone());
                used.push(index);
            }
        }
        used
    }

    /// Entries of `[events]` that name no known event.
    pub fn unknown_events<'a>(&'a self, known: &'a [String]) -> impl Iterator<Item = &'a str> {
        self.events.keys().map(String::as_str).filter(|name| !known.iter().any(|k| k == name))
    }
}

fn same_path(acknowledged: &str, found: &str) -> bool {
    let root = |p: &str| if p == "/" { String::new() } else { p.to_owned() };
    root(acknowledged) == root(found)
}

/// The TOML entry that would acknowledge `difference` of `event`: the copy-paste fix.
pub fn entry_for(event: &str, difference: &Difference) -> String {
    let mut text = String::new();
    let _ = writeln!(text, "[[acknowledged]]");
    let _ = writeln!(text, "event = {}", toml_string(event));
    let _ = writeln!(text, "kind = \"{}\"", difference.kind);
    let _ = writeln!(text, "path = {}", toml_string(&difference.path));
    let _ = writeln!(text, "reason = \"<why every consumer can take this; who agreed>\"");
    text
}

/// A TOML basic string (JSON's escaping is valid TOML for these characters).
fn toml_string(text: &str) -> String {
    serde_json::to_string(text).expect("a string serialises")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_kind_is_an_error_naming_the_file() {
        let text =
            "[[acknowledged]]\nevent = \"a.B\"\nkind = \"PROPERTY_RENAMED\"\npath = \"/x\"\nreason = \"r\"\n";
        let error = Reviewed::parse(text).unwrap_err().to_string();
        assert!(error.contains(FILE) && error.contains("PROPERTY_RENAMED"), "{error}");
    }

    #[test]
    fn an_acknowledgement_without_a_reason_is_refused() {
        let text =
            "[[acknowledged]]\nevent = \"a.B\"\nkind = \"ENUM_VALUE_ADDED\"\npath = \"/x\"\nreason = \" \"\n";
        assert!(Reviewed::parse(text).unwrap_err().to_string().contains("has no reason"));
    }

    #[test]
    fn the_command_line_beats_the_event_which_beats_the_defaults() {
        let text = "[defaults]\npolicy = \"lenient\"\n[events.\"a.B\"]\nmode = \"backward\"\n";
        let reviewed = Reviewed::parse(text).unwrap();
        assert_eq!(reviewed.choice_for("a.B", Choice::default()), (Mode::Backward, Policy::Lenient));
        assert_eq!(reviewed.choice_for("a.C", Choice::default()), (Mode::Full, Policy::Lenient));
        let forced = Choice { mode: Some(Mode::Forward), policy: Some(Policy::Strict), consumers: None };
        assert_eq!(reviewed.choice_for("a.B", forced), (Mode::Forward, Policy::Strict));
    }

    #[test]
    fn the_suggested_entry_parses_back_once_given_a_reason() {
        let difference = Difference::schema_removed("a.B");
        let entry =
            entry_for("a.\"B\"", &difference).replace("<why every consumer can take this; who agreed>", "ok");
        let parsed = Reviewed::parse(&entry).unwrap();
        assert_eq!(parsed.acknowledged[0].event, "a.\"B\"");
        assert_eq!(parsed.acknowledged[0].kind, Kind::SchemaRemoved);
    }
}
