//! Handler manifests: which handler takes which event, under keys that cannot collide.

mod declaration;
mod problems;

use std::fmt;
use std::sync::Arc;

use contracts_common::{Event, registry};
use serde::de::DeserializeOwned;

use crate::handler::{self, ErasedHandler, Handler};
use crate::keys::{self, key_form};
use crate::text::capped;

pub use declaration::{Consumer, UnhandledReads};
pub(crate) use problems::bus_problems;
pub use problems::{KeyProblem, ManifestError};

/// The handlers of one platform module, each under a unique key `<prefix><DetailType>`,
/// e.g. `InventoryOrganisationCreated` (an AWS detail-type with spaces takes its key form:
/// `HandleScheduledEvent` for `aws.events` "Scheduled Event", see [`key_form`]): the Rust form
/// of the seed platform's `IEventsManifest`, naming its module and database too.
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
    /// Shared, so a handler's context names it without copying.
    key: Arc<str>,
    prefix: String,
    source: String,
    detail_type: String,
    handler: Arc<dyn ErasedHandler>,
}

impl HandlerEntry {
    /// The handler's key: its prefix followed by the key form of the event's detail-type.
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

    /// The exact `detail-type` of the event the handler takes (`Scheduled Event`, not its key
    /// form).
    pub fn detail_type(&self) -> &str {
        &self.detail_type
    }

    pub(crate) fn key_shared(&self) -> Arc<str> {
        Arc::clone(&self.key)
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
        self.handlers.iter().find(|entry| &*entry.key == key)
    }

    /// The handler under `prefix` for the event `source`/`detail_type`, matched exactly, part
    /// by part.
    pub fn handler_for(&self, prefix: &str, source: &str, detail_type: &str) -> Option<&HandlerEntry> {
        self.handlers.iter().find(|entry| {
            entry.prefix == prefix && entry.detail_type == detail_type && entry.source == source
        })
    }

    /// The CloudFormation logical id of the events of the function serving `prefix`: the
    /// module in PascalCase, the prefix, then `Events` (`InventoryInventoryEvents`); an error
    /// if it breaks CloudFormation's rules (alphanumeric, at most 255 characters).
    pub fn logical_id(&self, prefix: &str) -> Result<String, KeyProblem> {
        let id = format!("{}{prefix}Events", keys::module_pascal_case(&self.module));
        keys::check_logical_id(&id).map_err(|reason| KeyProblem::LogicalId { id: id.clone(), reason })?;
        Ok(id)
    }

    /// Every key, sorted.
    pub fn keys(&self) -> Vec<&str> {
        let mut keys: Vec<&str> = self.handlers.iter().map(|entry| &*entry.key).collect();
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
        let handler = Arc::new(handler::Typed::<E, _>::new(handler));
        self.add_erased(prefix, E::SOURCE, E::DETAIL_TYPE, handler)
    }

    /// Adds a typed handler under a whole key, which must end with `E`'s detail-type.
    pub fn add_key<E: Event>(mut self, key: &str, handler: impl Handler<E>) -> Self {
        let form = match key_form(E::DETAIL_TYPE) {
            Ok(form) => form,
            Err(reason) => return self.problem(KeyProblem::Malformed { key: key.to_owned(), reason }),
        };
        let Some(prefix) = key.strip_suffix(form.as_str()) else {
            return self.problem(KeyProblem::WrongEvent { key: key.to_owned(), detail_type: form });
        };
        let handler = Arc::new(handler::Typed::<E, _>::new(handler));
        self.push(prefix, key, E::SOURCE, E::DETAIL_TYPE, handler);
        self
    }

    /// Adds a handler of an event that is not a contract type, such as an AWS service event,
    /// under `prefix` + the key form of `detail_type`: `add_detail::<ScheduledDetail>("Handle",
    /// "aws.events", "Scheduled Event", h)` gives the key `HandleScheduledEvent`. The handler
    /// gets the detail deserialised into `T` (`serde_json::Value` for the JSON itself).
    pub fn add_detail<T>(
        self,
        prefix: &str,
        source: &str,
        detail_type: &str,
        handler: impl Handler<T>,
    ) -> Self
    where
        T: DeserializeOwned + Send + Sync + 'static,
    {
        self.add_erased(prefix, source, detail_type, Arc::new(handler::Detail::<T, _>::new(handler)))
    }

    /// Adds a handler by string key, as the seed platform's manifests do: the key must end
    /// with the key form of a known event's detail-type (the longest that fits), and the
    /// handler gets that event's detail as JSON. [`ManifestBuilder::add_detail`] names the
    /// event explicitly instead.
    pub fn add_json(mut self, key: &str, handler: impl Handler<serde_json::Value>) -> Self {
        let known = self.known_event_list();
        let event = known
            .iter()
            .filter_map(|(source, detail_type)| Some((source, detail_type, key_form(detail_type).ok()?)))
            .filter(|(_, _, form)| key.ends_with(form.as_str()))
            .max_by_key(|(_, _, form)| form.len());
        match event {
            Some((source, detail_type, form)) => {
                let prefix = &key[..key.len() - form.len()];
                self.push(
                    prefix,
                    key,
                    source,
                    detail_type,
                    Arc::new(handler::Detail::<serde_json::Value, _>::new(handler)),
                );
            }
            None => {
                let mut known: Vec<String> =
                    known.iter().filter_map(|(_, detail_type)| key_form(detail_type).ok()).collect();
                known.sort();
                known.dedup();
                self.problems.push(KeyProblem::UnknownEvent { key: key.to_owned(), known });
            }
        }
        self
    }

    /// Replaces the registry as the set of events string keys may name, as
    /// `(source, detail-type)` pairs: for a binary that does not link the contract crates.
    /// A pair with an empty source or detail-type is an error at [`ManifestBuilder::build`].
    pub fn known_events<S: Into<String>>(mut self, events: impl IntoIterator<Item = (S, S)>) -> Self {
        let mut known = Vec::new();
        for (source, detail_type) in events {
            let (source, detail_type) = (source.into(), detail_type.into());
            if source.is_empty() || detail_type.is_empty() {
                self.problems.push(KeyProblem::EmptyKnownEvent { event_source: source, detail_type });
            } else {
                known.push((source, detail_type));
            }
        }
        self.known = Some(known);
        self
    }

    /// The manifest, or every problem with its keys and names.
    pub fn build(mut self) -> Result<Manifest, ManifestError> {
        if let Err(reason) = keys::check_module(&self.module) {
            self.problems.insert(0, KeyProblem::Module { module: self.module.clone(), reason });
        }
        self.problems
            .extend(problems::prefix_case_problems(self.handlers.iter().map(|entry| entry.prefix.as_str())));
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

    fn problem(mut self, problem: KeyProblem) -> Self {
        self.problems.push(problem);
        self
    }

    fn add_erased(
        mut self,
        prefix: &str,
        source: &str,
        detail_type: &str,
        handler: Arc<dyn ErasedHandler>,
    ) -> Self {
        match key_form(detail_type) {
            Ok(form) => self.push(prefix, &format!("{prefix}{form}"), source, detail_type, handler),
            Err(reason) => {
                let key = format!("{prefix}{}", capped(detail_type));
                self.problems.push(KeyProblem::Malformed { key, reason });
            }
        }
        self
    }

    fn push(
        &mut self,
        prefix: &str,
        key: &str,
        source: &str,
        detail_type: &str,
        handler: Arc<dyn ErasedHandler>,
    ) {
        let shape = keys::check_key_shape(key).and_then(|()| keys::check_prefix(prefix));
        let shape = shape.and_then(|()| {
            if source.is_empty() { Err("the event's source is empty".to_owned()) } else { Ok(()) }
        });
        if let Err(reason) = shape {
            self.problems.push(KeyProblem::Malformed { key: key.to_owned(), reason });
            return;
        }
        if let Some(existing) = self.handlers.iter().find(|entry| entry.key.eq_ignore_ascii_case(key)) {
            let problem = if &*existing.key != key {
                KeyProblem::CaseCollision { key: key.to_owned(), other: existing.key.to_string() }
            } else if existing.source == source && existing.detail_type == detail_type {
                KeyProblem::Duplicate { key: key.to_owned() }
            } else {
                KeyProblem::Collision {
                    key: key.to_owned(),
                    first: format!("{} {:?}", existing.source, existing.detail_type),
                    second: format!("{source} {:?}", capped(detail_type)),
                }
            };
            self.problems.push(problem);
            return;
        }
        self.handlers.push(HandlerEntry {
            key: key.into(),
            prefix: prefix.to_owned(),
            source: source.to_owned(),
            detail_type: detail_type.to_owned(),
            handler,
        });
    }
}
