//! A manifest's consumer declaration: the TOML file the contracts repository keeps under
//! `schemas/consumers/<name>.toml`, so its catalog and its compatibility gate know who
//! handles each event and which fields they read.
//!
//! The TypeScript package's `declaration` prints the same format, byte for byte.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use contracts_common::Event;

use super::Manifest;

/// Who runs a manifest's handlers, and the fields of each event they read.
///
/// ```
/// use contracts_trading::TradeInventoryAllocated;
/// use event_runtime::Consumer;
///
/// let consumer = Consumer::new("trading-allocations", "trading", "https://github.com/agri-platform/trading")
///     .reads::<TradeInventoryAllocated>(["/tradeId", "/allocations/*/quantityKg"]);
/// # let _ = consumer;
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Consumer {
    name: String,
    team: String,
    repository: String,
    reads: BTreeMap<(String, String), BTreeSet<String>>,
}

/// The consumer declares what it reads of an event its manifest does not handle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnhandledReads {
    /// The event's source.
    pub event_source: String,
    /// The event's detail-type.
    pub detail_type: String,
}

impl fmt::Display for UnhandledReads {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the consumer declares what it reads of {} {:?}, which its manifest has no handler for; add the \
             handler or drop the reads",
            self.event_source, self.detail_type
        )
    }
}

impl std::error::Error for UnhandledReads {}

impl Consumer {
    /// A consumer named `name` (its declaration's file name), owned by `team`, with its code
    /// in `repository`. Until [`Consumer::reads`] says otherwise, it reads every field of
    /// every event it handles, so every change to those events is a change for it.
    pub fn new(name: impl Into<String>, team: impl Into<String>, repository: impl Into<String>) -> Consumer {
        Consumer {
            name: name.into(),
            team: team.into(),
            repository: repository.into(),
            reads: BTreeMap::new(),
        }
    }

    /// Declares the fields of `E`'s detail the consumer reads, as JSON Pointers (`/tradeId`,
    /// `/allocations/*/quantityKg`: `*` is any array item or map value). A change elsewhere
    /// in `E` does not touch it.
    #[must_use]
    pub fn reads<E: Event>(self, pointers: impl IntoIterator<Item = impl Into<String>>) -> Consumer {
        self.reads_detail(E::SOURCE, E::DETAIL_TYPE, pointers)
    }

    /// [`Consumer::reads`] for an event named by source and detail-type, such as an AWS
    /// service event.
    #[must_use]
    pub fn reads_detail(
        mut self,
        source: &str,
        detail_type: &str,
        pointers: impl IntoIterator<Item = impl Into<String>>,
    ) -> Consumer {
        let entry = self.reads.entry((source.to_owned(), detail_type.to_owned())).or_default();
        entry.extend(pointers.into_iter().map(Into::into));
        self
    }
}

impl Manifest {
    /// The consumer declaration of this manifest's handlers as `consumer`, in TOML: every
    /// event it handles, once (several prefixes may handle one event), sorted, with the fields
    /// `consumer` reads of it. Check it into the contracts repository as
    /// `schemas/consumers/<name>.toml`, where `cargo xtask schemas` checks each event and
    /// pointer against the schemas; printing it from a test or a command-line flag keeps it
    /// current (see the README, "Who consumes this event?").
    ///
    /// An error if `consumer` declares reads of an event no handler takes.
    pub fn declaration(&self, consumer: &Consumer) -> Result<String, UnhandledReads> {
        let handled: BTreeSet<(&str, &str)> =
            self.handlers.iter().map(|entry| (entry.source.as_str(), entry.detail_type.as_str())).collect();
        if let Some((source, detail_type)) =
            consumer.reads.keys().find(|(s, d)| !handled.contains(&(s.as_str(), d.as_str())))
        {
            return Err(UnhandledReads { event_source: source.clone(), detail_type: detail_type.clone() });
        }
        let mut out = format!(
            "# The events the consumer `{}` handles and the fields it reads: printed from its code.\n\
             # Checked against the event schemas by `cargo xtask schemas`.\n\
             name = {}\nteam = {}\nrepository = {}\n",
            consumer.name,
            quoted(&consumer.name),
            quoted(&consumer.team),
            quoted(&consumer.repository)
        );
        for (source, detail_type) in handled {
            out.push_str(&format!(
                "\n[[handles]]\nsource = {}\ndetail-type = {}\n",
                quoted(source),
                quoted(detail_type)
            ));
            if let Some(reads) = consumer.reads.get(&(source.to_owned(), detail_type.to_owned())) {
                let list: Vec<String> = reads.iter().map(|read| quoted(read)).collect();
                out.push_str(&format!("reads = [{}]\n", list.join(", ")));
            }
        }
        Ok(out)
    }
}

/// A TOML basic string: JSON's string escapes are all valid TOML ones.
fn quoted(text: &str) -> String {
    serde_json::to_string(text).expect("a string serialises")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{HandlerResult, RequestContext};
    use std::sync::Arc;

    async fn ignore(
        _: Arc<contracts_common::EventEnvelope<serde_json::Value>>,
        _: RequestContext,
    ) -> HandlerResult {
        Ok(())
    }

    fn manifest() -> Manifest {
        Manifest::builder("billing", "billing")
            .known_events([("trading", "TradeCreated"), ("aws.events", "Scheduled Event")])
            .add_json("BillTradeCreated", ignore)
            .add_json("AuditTradeCreated", ignore)
            .add_json("HandleScheduledEvent", ignore)
            .build()
            .unwrap()
    }

    #[test]
    fn a_declaration_lists_each_handled_event_once_sorted_with_what_is_read() {
        let consumer = Consumer::new("billing-lambda", "billing", "https://example.com/billing \"main\"")
            .reads_detail("trading", "TradeCreated", ["/trade/note", "/trade/id", "/trade/note"]);
        assert_eq!(
            manifest().declaration(&consumer).unwrap(),
            "# The events the consumer `billing-lambda` handles and the fields it reads: printed from its code.\n\
             # Checked against the event schemas by `cargo xtask schemas`.\n\
             name = \"billing-lambda\"\nteam = \"billing\"\nrepository = \"https://example.com/billing \\\"main\\\"\"\n\
             \n[[handles]]\nsource = \"aws.events\"\ndetail-type = \"Scheduled Event\"\n\
             \n[[handles]]\nsource = \"trading\"\ndetail-type = \"TradeCreated\"\nreads = [\"/trade/id\", \"/trade/note\"]\n"
        );
    }

    #[test]
    fn reads_of_an_unhandled_event_are_an_error() {
        let consumer = Consumer::new("billing-lambda", "billing", "repo").reads_detail(
            "trading",
            "TradeCancelled",
            ["/x"],
        );
        let error = manifest().declaration(&consumer).unwrap_err();
        assert_eq!(error.detail_type, "TradeCancelled");
        assert!(error.to_string().contains("no handler for"), "{error}");
    }
}
