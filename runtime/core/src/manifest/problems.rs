//! What can be wrong with a manifest's keys and names, reported all at once.

use std::collections::BTreeMap;

use crate::text::{bounded, capped};

use super::Manifest;

/// What is wrong with one handler key, prefix or name of a manifest.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyProblem {
    /// Two handlers of one event under one key.
    #[error("duplicate handler key `{}`", capped(key))]
    Duplicate {
        /// The key.
        key: String,
    },
    /// Two different events would share a key (their detail-types have one key form under one
    /// prefix, e.g. `Object Created` and `ObjectCreated`).
    #[error(
        "handler key `{}` would take both {first} and {second}; give one of them another prefix",
        capped(key)
    )]
    Collision {
        /// The key.
        key: String,
        /// The event registered first, as `source "detail-type"`.
        first: String,
        /// The event registered second.
        second: String,
    },
    /// Two keys that differ only in case (they would collide as logical ids and file names
    /// on case-insensitive systems).
    #[error("handler keys `{}` and `{}` differ only in case", capped(key), capped(other))]
    CaseCollision {
        /// The key registered second.
        key: String,
        /// The key registered first.
        other: String,
    },
    /// Prefixes that differ only in case: `Trading`, `TRADING` and `trading` would be three
    /// functions that read as one.
    #[error("prefixes {} differ only in case; use one spelling", prefixes.iter().map(|p| format!("`{}`", capped(p))).collect::<Vec<_>>().join(", "))]
    PrefixCase {
        /// The spellings, sorted.
        prefixes: Vec<String>,
    },
    /// The key, its prefix or its detail-type cannot follow the key rules.
    #[error("handler key `{}` is malformed: {reason}", capped(key))]
    Malformed {
        /// The key (or what it would have been).
        key: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A typed handler's key does not end with its event's detail-type (in key form).
    #[error(
        "handler key `{}` does not end with `{detail_type}`, the key form of the detail-type of the event its handler takes",
        capped(key)
    )]
    WrongEvent {
        /// The key.
        key: String,
        /// The key form it should end with.
        detail_type: String,
    },
    /// A string key does not end with the key form of any known event's detail-type.
    #[error("handler key `{}` does not end with the detail-type of any known event; known: {}", capped(key), known.join(", "))]
    UnknownEvent {
        /// The key.
        key: String,
        /// The key forms of the known events' detail-types, sorted.
        known: Vec<String>,
    },
    /// An entry of `known_events` has an empty source or detail-type (which every key would
    /// end with).
    #[error("known event ({event_source:?}, {detail_type:?}) has an empty source or detail-type")]
    EmptyKnownEvent {
        /// The source given.
        event_source: String,
        /// The detail-type given.
        detail_type: String,
    },
    /// The module name cannot start a CloudFormation logical id.
    #[error("module name `{}` is invalid: {reason}", capped(module))]
    Module {
        /// The module name.
        module: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A CloudFormation logical id derived from the manifest breaks CloudFormation's rules.
    #[error("logical id `{}` is invalid: {reason}", capped(id))]
    LogicalId {
        /// The logical id.
        id: String,
        /// What is wrong with it.
        reason: String,
    },
}

impl KeyProblem {
    /// The key (or prefix, module name, logical id) the problem is with.
    pub fn key(&self) -> &str {
        match self {
            Self::Duplicate { key } | Self::Malformed { key, .. } | Self::Collision { key, .. } => key,
            Self::WrongEvent { key, .. }
            | Self::UnknownEvent { key, .. }
            | Self::CaseCollision { key, .. } => key,
            Self::PrefixCase { prefixes } => prefixes.first().map_or("", String::as_str),
            Self::EmptyKnownEvent { detail_type, .. } => detail_type,
            Self::Module { module, .. } => module,
            Self::LogicalId { id, .. } => id,
        }
    }
}

/// A manifest (or a set of manifests on one bus) with bad keys; lists every problem.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", summary(module, problems))]
pub struct ManifestError {
    /// The manifest's module (or the modules sharing a bus).
    pub module: String,
    /// Every problem, in registration order.
    pub problems: Vec<KeyProblem>,
}

/// The module, the number of problems and the first few, within
/// [`MESSAGE_LIMIT`](crate::MESSAGE_LIMIT) bytes ([`ManifestError::problems`] has them all).
fn summary(module: &str, problems: &[KeyProblem]) -> String {
    const SHOWN: usize = 5;
    let mut listed = problems.iter().take(SHOWN).map(ToString::to_string).collect::<Vec<_>>().join("; ");
    if problems.len() > SHOWN {
        listed.push_str(&format!("; … and {} more", problems.len() - SHOWN));
    }
    let message = format!("{}: {} bad handler key(s): {listed}", capped(module), problems.len());
    bounded(&message).into_owned()
}

/// What is wrong with `manifests` together (on one bus), though each is fine alone: a key that
/// more than one handler uses, exactly or ignoring case, and prefixes that differ only in case
/// across manifests.
pub(crate) fn bus_problems(manifests: &[Manifest]) -> Vec<KeyProblem> {
    let mut problems = duplicate_keys(manifests);
    problems.extend(prefix_case_problems(
        manifests.iter().flat_map(Manifest::handlers).map(|entry| entry.prefix()),
    ));
    problems
}

/// Every key of `manifests` that more than one handler uses, exactly or ignoring case.
fn duplicate_keys(manifests: &[Manifest]) -> Vec<KeyProblem> {
    let mut seen: BTreeMap<String, &str> = BTreeMap::new();
    let mut problems = Vec::new();
    for entry in manifests.iter().flat_map(Manifest::handlers) {
        match seen.get(&entry.key().to_ascii_lowercase()) {
            Some(other) if *other == entry.key() => {
                problems.push(KeyProblem::Duplicate { key: entry.key().to_owned() })
            }
            Some(other) => problems
                .push(KeyProblem::CaseCollision { key: entry.key().to_owned(), other: (*other).to_owned() }),
            None => {
                seen.insert(entry.key().to_ascii_lowercase(), entry.key());
            }
        }
    }
    problems
}

/// The prefixes of `prefixes` that differ only in case, each group sorted.
pub(crate) fn prefix_case_problems<'a>(prefixes: impl IntoIterator<Item = &'a str>) -> Vec<KeyProblem> {
    let mut groups: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for prefix in prefixes {
        let group = groups.entry(prefix.to_ascii_lowercase()).or_default();
        if !group.iter().any(|seen| seen == prefix) {
            group.push(prefix.to_owned());
        }
    }
    groups
        .into_values()
        .filter(|group| group.len() > 1)
        .map(|mut prefixes| {
            prefixes.sort();
            KeyProblem::PrefixCase { prefixes }
        })
        .collect()
}
