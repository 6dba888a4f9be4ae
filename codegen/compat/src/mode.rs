//! What a check asks for: the directions it requires ([`Direction`], [`Mode`]) and how it
//! judges properties producers may have written undeclared ([`Policy`]).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

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
