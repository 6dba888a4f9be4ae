//! Reports people read: named comparisons checked in one mode, rendered as text for the
//! terminal, Markdown for a pull-request comment, or JSON for tools.

mod json;
mod markdown;
mod text;

use serde::Serialize;

use crate::{Difference, Mode, Policy};

/// One compared schema: a name the caller chooses (`trading.TradeCancelled`) and what
/// changed in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Subject {
    /// How reports name the schema.
    pub name: String,
    /// What changed, breaking or not.
    pub differences: Vec<Difference>,
}

impl Subject {
    /// A named comparison.
    pub fn new(name: impl Into<String>, differences: Vec<Difference>) -> Subject {
        Subject { name: name.into(), differences }
    }

    /// Whether any difference fails a check in `mode` (breaks, and is not acknowledged).
    pub fn fails(&self, mode: Mode) -> bool {
        self.differences.iter().any(|d| d.fails(mode))
    }
}

/// Named comparisons checked in one mode under one policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// The directions checked.
    pub mode: Mode,
    /// The policy the differences were judged under (shown in the report).
    pub policy: Policy,
    /// The schemas compared, in the order they are shown.
    pub subjects: Vec<Subject>,
    /// What to do about a failure, shown after failing reports (the caller knows its
    /// workflow: "publish a new detail-type version, or acknowledge the change in ...").
    pub fix: Option<String>,
}

impl Report {
    /// A report without fix advice.
    pub fn new(mode: Mode, policy: Policy, subjects: Vec<Subject>) -> Report {
        Report { mode, policy, subjects, fix: None }
    }

    /// The same report, advising `fix` when it fails.
    pub fn with_fix(mut self, fix: impl Into<String>) -> Report {
        self.fix = Some(fix.into());
        self
    }

    /// Whether no difference fails the check: the gate passes.
    pub fn passes(&self) -> bool {
        !self.subjects.iter().any(|s| s.fails(self.mode))
    }

    /// Every difference that fails the check, with its subject.
    pub fn failures(&self) -> impl Iterator<Item = (&Subject, &Difference)> {
        self.subjects
            .iter()
            .flat_map(move |s| s.differences.iter().filter(|d| d.fails(self.mode)).map(move |d| (s, d)))
    }

    /// Plain text for the terminal.
    pub fn to_text(&self) -> String {
        text::render(self)
    }

    /// Markdown for a pull-request comment: a summary, then one table per changed schema.
    pub fn to_markdown(&self) -> String {
        markdown::render(self)
    }

    /// JSON for tools; the field names are stable (see the `json` module).
    pub fn to_json(&self) -> String {
        json::render(self)
    }

    /// `2 breaking changes in 1 of 3 schemas`, or `all 3 schemas are compatible`.
    fn summary(&self) -> String {
        let failing = self.failures().count();
        let failing_subjects = self.subjects.iter().filter(|s| s.fails(self.mode)).count();
        let total = self.subjects.len();
        let s = |n: usize| if n == 1 { "" } else { "s" };
        match (failing, total) {
            (0, 1) => "the schema is compatible".to_owned(),
            (0, _) => format!("all {total} schemas are compatible"),
            _ => format!(
                "{failing} breaking change{} in {failing_subjects} of {total} schema{}",
                s(failing),
                s(total)
            ),
        }
    }
}

/// How one difference stands in the report's mode.
pub(crate) enum Standing {
    /// Breaks in these directions and is not acknowledged.
    Fails(Vec<crate::Direction>),
    /// Breaks, but a reviewed acknowledgement accepts it.
    Acknowledged(Vec<crate::Direction>),
    /// Breaks, but no declared consumer reads what changed (the caller's consumer policy).
    Unread(Vec<crate::Direction>),
    /// Breaks nothing the mode checks.
    Compatible,
}

pub(crate) fn standing(difference: &Difference, mode: Mode) -> Standing {
    let broken = difference.broken_directions(mode);
    if broken.is_empty() {
        Standing::Compatible
    } else if difference.acknowledged.is_some() {
        Standing::Acknowledged(broken)
    } else if difference.unread {
        Standing::Unread(broken)
    } else {
        Standing::Fails(broken)
    }
}

/// `forward`, `backward`, or `forward and backward`.
pub(crate) fn directions(list: &[crate::Direction]) -> String {
    list.iter().map(ToString::to_string).collect::<Vec<_>>().join(" and ")
}

/// Differences in the order reports show them: failures, acknowledged, compatible.
pub(crate) fn ordered(subject: &Subject, mode: Mode) -> Vec<&Difference> {
    let rank = |d: &Difference| match standing(d, mode) {
        Standing::Fails(_) => 0,
        Standing::Acknowledged(_) => 1,
        Standing::Unread(_) => 2,
        Standing::Compatible => 3,
    };
    let mut list: Vec<&Difference> = subject.differences.iter().collect();
    list.sort_by_key(|d| rank(d));
    list
}

/// `a → b` with `(absent)` for a missing side.
pub(crate) fn change(difference: &Difference) -> String {
    difference.change()
}

/// `v1, v2, v3 and 4 more`.
pub(crate) fn versions(list: &[String]) -> String {
    const SHOWN: usize = 3;
    let head = list.iter().take(SHOWN).cloned().collect::<Vec<_>>().join(", ");
    if list.len() > SHOWN { format!("{head} and {} more", list.len() - SHOWN) } else { head }
}
