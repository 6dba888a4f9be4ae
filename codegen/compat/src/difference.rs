//! What a comparison finds: [`Difference`]s, judged per [`Direction`], checked in a [`Mode`]
//! under a [`Policy`].

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::Kind;

/// Which consumers a change can break.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// Consumers built from the OLD schema receive events from the NEW producer: every
    /// instance valid under the new schema must be valid under the old one.
    Forward,
    /// Consumers built from the NEW schema receive OLD events (replays, archives, producers
    /// not yet deployed): every instance valid under the old schema must be valid under the
    /// new one.
    Backward,
}

impl fmt::Display for Direction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Direction::Forward => "forward",
            Direction::Backward => "backward",
        })
    }
}

/// Which directions a check requires. Transitive checks are the caller's loop over earlier
/// versions (see [`crate::compare_transitive`]), so they need no mode of their own.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Mode {
    /// Only [`Direction::Backward`].
    Backward,
    /// Only [`Direction::Forward`].
    Forward,
    /// Both directions: the default.
    #[default]
    Full,
}

impl Mode {
    /// The directions this mode checks.
    pub fn directions(self) -> &'static [Direction] {
        match self {
            Mode::Backward => &[Direction::Backward],
            Mode::Forward => &[Direction::Forward],
            Mode::Full => &[Direction::Forward, Direction::Backward],
        }
    }

    /// Whether this mode checks `direction`.
    pub fn checks(self, direction: Direction) -> bool {
        self.directions().contains(&direction)
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Mode::Backward => "BACKWARD",
            Mode::Forward => "FORWARD",
            Mode::Full => "FULL",
        })
    }
}

/// A string that names no [`Mode`] or [`Policy`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{given}` is not a {what}; use one of: {choices}")]
pub struct UnknownChoice {
    /// What was given.
    pub given: String,
    /// `"mode"` or `"policy"`.
    pub what: &'static str,
    /// The accepted spellings.
    pub choices: &'static str,
}

impl FromStr for Mode {
    type Err = UnknownChoice;

    /// Parses `backward`, `forward` or `full` in any case (`FULL_TRANSITIVE` is the
    /// caller's concern: strip the suffix and loop over history).
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.to_ascii_lowercase().as_str() {
            "backward" => Ok(Mode::Backward),
            "forward" => Ok(Mode::Forward),
            "full" => Ok(Mode::Full),
            _ => Err(UnknownChoice {
                given: text.to_owned(),
                what: "mode",
                choices: "backward, forward, full",
            }),
        }
    }
}

/// How to judge properties that producers might have written without the schema naming them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Policy {
    /// Confluent Schema Registry's default: an open content model lets producers write any
    /// property, so adding an optional property to an open model may clash with what old
    /// producers wrote there (breaks backward), and removing one lets new producers write
    /// anything under its name (breaks forward).
    #[default]
    Strict,
    /// Trusts producers to write only declared properties (true of producers generated from
    /// the schema): adding or removing an optional property of an open model is compatible.
    Lenient,
}

impl fmt::Display for Policy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Policy::Strict => "strict",
            Policy::Lenient => "lenient",
        })
    }
}

impl FromStr for Policy {
    type Err = UnknownChoice;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.to_ascii_lowercase().as_str() {
            "strict" => Ok(Policy::Strict),
            "lenient" => Ok(Policy::Lenient),
            _ => Err(UnknownChoice { given: text.to_owned(), what: "policy", choices: "strict, lenient" }),
        }
    }
}

/// One difference between an old and a new schema, with its verdict per direction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Difference {
    /// What changed.
    pub kind: Kind,
    /// JSON Pointer into the schema where it changed (`/properties/note`,
    /// `/definitions/Money/properties/amount`). Points into the new schema, except for the
    /// last segment of something removed, which names what the old schema had there. A
    /// change inside a shared definition is reported once, at the definition.
    pub path: String,
    /// JSON Pointer into the event (the instance) where the affected value sits, through the
    /// first use of a shared definition: `/trade/pricePerTonne`, `/allocations/*` (`*` is
    /// any array item or map value).
    pub instance_path: String,
    /// What the old schema said, as short text; `None` when it said nothing.
    pub old: Option<String>,
    /// What the new schema says, as short text; `None` when it says nothing.
    pub new: Option<String>,
    /// Whether consumers built from the old schema reject events from the new producer.
    pub breaks_forward: bool,
    /// Whether consumers built from the new schema reject old events.
    pub breaks_backward: bool,
    /// Why, naming the consumers that break and what they do (or why nothing breaks).
    pub reason: String,
    /// Labels of the earlier versions this difference was found against; filled by
    /// [`crate::compare_transitive`], empty from [`crate::compare`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub versions: Vec<String>,
    /// Set by the caller when a reviewed acknowledgement accepts this difference (the
    /// acknowledgement's reason); acknowledged differences no longer fail a check.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acknowledged: Option<String>,
}

impl Difference {
    /// A whole schema removed: an event deleted, or its detail-type renamed. The caller
    /// knows which schemas disappeared; `path` is usually `""` (the root).
    pub fn schema_removed(title: &str) -> Difference {
        Difference {
            kind: Kind::SchemaRemoved,
            path: String::new(),
            instance_path: String::new(),
            old: Some(title.to_owned()),
            new: None,
            breaks_forward: true,
            breaks_backward: true,
            reason: format!(
                "the schema `{title}` no longer exists: consumers built from it stop receiving events \
                 (a rename is a new event to them), and new consumers have no type for the old events \
                 still in archives and replays"
            ),
            versions: Vec::new(),
            acknowledged: None,
        }
    }

    /// Whether this difference breaks consumers in `direction`.
    pub fn breaks_in(&self, direction: Direction) -> bool {
        match direction {
            Direction::Forward => self.breaks_forward,
            Direction::Backward => self.breaks_backward,
        }
    }

    /// Whether this difference breaks consumers in any direction `mode` checks, ignoring
    /// acknowledgements.
    pub fn breaks(&self, mode: Mode) -> bool {
        mode.directions().iter().any(|&direction| self.breaks_in(direction))
    }

    /// Whether this difference fails a check in `mode`: it breaks and is not acknowledged.
    pub fn fails(&self, mode: Mode) -> bool {
        self.breaks(mode) && self.acknowledged.is_none()
    }

    /// The directions of `mode` in which this difference breaks consumers.
    pub fn broken_directions(&self, mode: Mode) -> Vec<Direction> {
        mode.directions().iter().copied().filter(|&direction| self.breaks_in(direction)).collect()
    }
}
