//! Handler manifests: which handler takes which event, under keys that cannot collide.

use std::collections::BTreeSet;
use std::fmt;
use std::sync::Arc;

use contracts_common::{Event, registry};

use crate::handler::{self, ErasedHandler, Handler};

/// The handlers of one platform module, each under a unique key `<prefix><DetailType>`,
/// e.g. `InventoryOrganisationCreated`: the Rust form of the seed platform's
/// `IEventsManifest`, naming its module and database too.
///
/// Build one with [`Manifest::builder`]. A [`LocalBus`](crate::LocalBus) runs its handlers
/// in-process; a [`Router`](crate::Router) is its EventBridge (Lambda) entry point; its
/// [`rule_pattern`](Manifest::rule_pattern) is the EventBridge rule that feeds that router.
#[derive(Debug, Clone)]
pub struct Manifest {
    module: String,
    database: String,
    handlers: Vec<HandlerEntry>,
}

/// One handler of a manifest and the event it takes.
#[derive(Clone)]
pub struct HandlerEntry {
    key: String,
    prefix: String,
    source: String,
    detail_type: String,
    handler: Arc<dyn ErasedHandler>,
}

impl HandlerEntry {
    /// The handler's key: its prefix followed by the event's detail-type.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The part of the key before the detail-type (may be empty).
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// The `source` of the event the handler takes.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The `detail-type` of the event the handler takes.
    pub fn detail_type(&self) -> &str {
        &self.detail_type
    }

    pub(crate) fn handler(&self) -> &dyn ErasedHandler {
        &*self.handler
    }
}

impl fmt::Debug for HandlerEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HandlerEntry")
            .field("key", &self.key)
            .field("source", &self.source)
            .field("detail_type", &self.detail_type)
            .finish_non_exhaustive()
    }
}

impl Manifest {
    /// Starts the manifest of `module`, whose handlers use the database `database`.
    ///
    /// String keys ([`ManifestBuilder::add_json`]) are checked against the events in
    /// [`contracts_common::registry::all`]: every contract crate linked into the binary.
    /// Typed handlers need no registry: their event type names its detail-type.
    pub fn builder(module: impl Into<String>, database: impl Into<String>) -> ManifestBuilder {
        ManifestBuilder {
            module: module.into(),
            database: database.into(),
            known: None,
            handlers: Vec::new(),
            problems: Vec::new(),
        }
    }

    /// The platform module the handlers belong to.
    pub fn module(&self) -> &str {
        &self.module
    }

    /// The database the module's handlers use.
    pub fn database(&self) -> &str {
        &self.database
    }

    /// Every handler, in registration order.
    pub fn handlers(&self) -> &[HandlerEntry] {
        &self.handlers
    }

    /// The handler under `key`.
    pub fn handler(&self, key: &str) -> Option<&HandlerEntry> {
        self.handlers.iter().find(|entry| entry.key == key)
    }

    /// Every key, sorted.
    pub fn keys(&self) -> Vec<&str> {
        let mut keys: Vec<&str> = self.handlers.iter().map(|entry| entry.key.as_str()).collect();
        keys.sort_unstable();
        keys
    }
}

/// Builds a [`Manifest`], collecting every bad key so [`ManifestBuilder::build`] reports
/// them all at once.
#[must_use = "call build() to get the manifest and its key errors"]
pub struct ManifestBuilder {
    module: String,
    database: String,
    known: Option<Vec<(String, String)>>,
    handlers: Vec<HandlerEntry>,
    problems: Vec<KeyProblem>,
}

impl ManifestBuilder {
    /// Adds a typed handler under `prefix` + `E`'s detail-type:
    /// `add::<OrganisationCreated>("Trading", h)` gives the key `TradingOrganisationCreated`.
    pub fn add<E: Event>(self, prefix: &str, handler: impl Handler<E>) -> Self {
        let key = format!("{prefix}{}", E::DETAIL_TYPE);
        self.add_key::<E>(&key, handler)
    }

    /// Adds a typed handler under a whole key, which must end with `E`'s detail-type.
    pub fn add_key<E: Event>(mut self, key: &str, handler: impl Handler<E>) -> Self {
        if !key.ends_with(E::DETAIL_TYPE) {
            self.problems
                .push(KeyProblem::WrongEvent { key: key.to_owned(), detail_type: E::DETAIL_TYPE.to_owned() });
            return self;
        }
        self.push(key, E::SOURCE, E::DETAIL_TYPE, Arc::new(handler::Typed::<E, _>::new(handler)));
        self
    }

    /// Adds a handler by string key, as the seed platform's manifests do: the key must end
    /// with a registered event's detail-type (the longest that fits), and the handler gets
    /// that event's detail as JSON.
    pub fn add_json(mut self, key: &str, handler: impl Handler<serde_json::Value>) -> Self {
        let known = self.known_event_list();
        let event = known
            .iter()
            .filter(|(_, detail_type)| key.ends_with(detail_type.as_str()))
            .max_by_key(|(_, detail_type)| detail_type.len());
        match event {
            Some((source, detail_type)) => {
                let (source, detail_type) = (source.clone(), detail_type.clone());
                self.push(key, &source, &detail_type, Arc::new(handler::Json(handler)));
            }
            None => {
                let mut known: Vec<String> = known.into_iter().map(|(_, detail_type)| detail_type).collect();
                known.sort();
                known.dedup();
                self.problems.push(KeyProblem::UnknownEvent { key: key.to_owned(), known });
            }
        }
        self
    }

    /// Replaces the registry as the set of events string keys may name, as
    /// `(source, detail-type)` pairs: for a binary that does not link the contract crates.
    pub fn known_events<S: Into<String>>(mut self, events: impl IntoIterator<Item = (S, S)>) -> Self {
        self.known = Some(
            events.into_iter().map(|(source, detail_type)| (source.into(), detail_type.into())).collect(),
        );
        self
    }

    /// The manifest, or every problem with its keys.
    pub fn build(self) -> Result<Manifest, ManifestError> {
        if !self.problems.is_empty() {
            return Err(ManifestError { module: self.module, problems: self.problems });
        }
        Ok(Manifest { module: self.module, database: self.database, handlers: self.handlers })
    }

    fn known_event_list(&self) -> Vec<(String, String)> {
        match &self.known {
            Some(known) => known.clone(),
            None => registry::all()
                .into_iter()
                .map(|event| (event.source.to_owned(), event.detail_type.to_owned()))
                .collect(),
        }
    }

    fn push(&mut self, key: &str, source: &str, detail_type: &str, handler: Arc<dyn ErasedHandler>) {
        if let Err(reason) = check_key_shape(key) {
            self.problems.push(KeyProblem::Malformed { key: key.to_owned(), reason });
            return;
        }
        if self.handlers.iter().any(|entry| entry.key == key) {
            self.problems.push(KeyProblem::Duplicate { key: key.to_owned() });
            return;
        }
        self.handlers.push(HandlerEntry {
            key: key.to_owned(),
            prefix: key[..key.len() - detail_type.len()].to_owned(),
            source: source.to_owned(),
            detail_type: detail_type.to_owned(),
            handler,
        });
    }
}

/// A key becomes a CloudFormation logical id (an `Events` entry) and a Lambda routing key:
/// ASCII letters and digits only, starting with a letter.
fn check_key_shape(key: &str) -> Result<(), String> {
    if !key.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return Err("a key must start with an ASCII letter".to_owned());
    }
    if let Some(bad) = key.chars().find(|c| !c.is_ascii_alphanumeric()) {
        return Err(format!("a key may hold only ASCII letters and digits, not {bad:?}"));
    }
    Ok(())
}

/// What is wrong with one handler key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyProblem {
    /// Two handlers under one key.
    #[error("duplicate handler key `{key}`")]
    Duplicate {
        /// The key.
        key: String,
    },
    /// The key has characters a key may not have.
    #[error("handler key `{key}` is malformed: {reason}")]
    Malformed {
        /// The key.
        key: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A typed handler's key does not end with its event's detail-type.
    #[error(
        "handler key `{key}` does not end with `{detail_type}`, the detail-type of the event its handler takes"
    )]
    WrongEvent {
        /// The key.
        key: String,
        /// The detail-type it should end with.
        detail_type: String,
    },
    /// A string key does not end with any registered event's detail-type.
    #[error("handler key `{key}` does not end with the detail-type of any registered event; known: {}", known.join(", "))]
    UnknownEvent {
        /// The key.
        key: String,
        /// The detail-types of the registered events, sorted.
        known: Vec<String>,
    },
}

impl KeyProblem {
    /// The key the problem is with.
    pub fn key(&self) -> &str {
        match self {
            Self::Duplicate { key } | Self::Malformed { key, .. } => key,
            Self::WrongEvent { key, .. } | Self::UnknownEvent { key, .. } => key,
        }
    }
}

/// A manifest (or a set of manifests on one bus) with bad keys; lists every problem.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{module}: {} bad handler key(s): {}", problems.len(), describe(problems))]
pub struct ManifestError {
    /// The manifest's module (or the modules sharing a bus).
    pub module: String,
    /// Every problem, in registration order.
    pub problems: Vec<KeyProblem>,
}

fn describe(problems: &[KeyProblem]) -> String {
    problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")
}

/// Every key of `manifests` that more than one handler uses.
pub(crate) fn duplicate_keys<'a>(manifests: impl IntoIterator<Item = &'a Manifest>) -> Vec<KeyProblem> {
    let mut seen = BTreeSet::new();
    let mut duplicates = BTreeSet::new();
    for entry in manifests.into_iter().flat_map(Manifest::handlers) {
        if !seen.insert(entry.key.as_str()) {
            duplicates.insert(entry.key.as_str());
        }
    }
    duplicates.into_iter().map(|key| KeyProblem::Duplicate { key: key.to_owned() }).collect()
}
