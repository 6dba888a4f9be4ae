//! EventBridge rule patterns and SAM `Events` generated from a manifest, so routing and
//! infrastructure cannot drift.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::{HandlerEntry, Manifest, ManifestError};

/// An EventBridge event pattern of exact values: `{"source": [...], "detail-type": [...]}`,
/// each list sorted and without duplicates, so the same manifest always gives the same bytes.
///
/// One pattern per rule lists every source and every detail-type of the handlers, so it also
/// matches a (source, detail-type) pair no handler takes if both halves exist; the
/// [`Router`](crate::Router) rejects such an event by source, and the runtime's tests check
/// that no registered event is matched without a handler.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RulePattern {
    /// The sources to match.
    pub source: Vec<String>,
    /// The detail-types to match.
    #[serde(rename = "detail-type")]
    pub detail_type: Vec<String>,
}

impl RulePattern {
    /// The pattern matching the events of `handlers`; `None` when there are none (an empty
    /// list matches nothing in EventBridge and is rejected as a pattern).
    pub fn of<'a>(handlers: impl IntoIterator<Item = &'a HandlerEntry>) -> Option<Self> {
        let (mut sources, mut detail_types) = (BTreeSet::new(), BTreeSet::new());
        for entry in handlers {
            sources.insert(entry.source().to_owned());
            detail_types.insert(entry.detail_type().to_owned());
        }
        (!sources.is_empty()).then(|| Self {
            source: sources.into_iter().collect(),
            detail_type: detail_types.into_iter().collect(),
        })
    }

    /// Whether EventBridge would match `event` (an envelope as JSON): each field of the
    /// pattern must be a string equal to one of its values.
    pub fn matches(&self, event: &serde_json::Value) -> bool {
        let field_matches = |field: &str, values: &[String]| {
            event
                .get(field)
                .and_then(serde_json::Value::as_str)
                .is_some_and(|value| values.iter().any(|v| v == value))
        };
        field_matches("source", &self.source) && field_matches("detail-type", &self.detail_type)
    }

    /// The pattern as JSON, e.g. for a rule's `EventPattern`.
    pub fn to_json(&self) -> serde_json::Value {
        json!({ "source": self.source, "detail-type": self.detail_type })
    }
}

impl Manifest {
    /// The rule pattern matching the events of every handler of the manifest.
    pub fn rule_pattern(&self) -> Option<RulePattern> {
        RulePattern::of(self.handlers())
    }

    /// The rule pattern for the [`Router`](crate::Router) with `prefix`: the events of the
    /// handlers whose key is exactly `prefix` + detail-type.
    pub fn rule_pattern_for(&self, prefix: Option<&str>) -> Option<RulePattern> {
        let prefix = prefix.unwrap_or_default();
        RulePattern::of(self.handlers().iter().filter(|entry| entry.prefix() == prefix))
    }

    /// The SAM `Events` of the function serving `prefix`, with the bus taken from the
    /// template parameter `bus_parameter`:
    ///
    /// ```json
    /// {"InventoryEvents": {"Type": "EventBridgeRule", "Properties": {
    ///     "EventBusName": {"Ref": "EventBusName"},
    ///     "Pattern": {"detail-type": ["OrganisationCreated"], "source": ["customers"]}}}}
    /// ```
    ///
    /// JSON is also YAML, so it pastes into either template format. The event's logical id
    /// is [`Manifest::logical_id`]; `Ok(None)` when no handler has the prefix.
    pub fn sam_events(
        &self,
        prefix: Option<&str>,
        bus_parameter: &str,
    ) -> Result<Option<serde_json::Value>, ManifestError> {
        let Some(pattern) = self.rule_pattern_for(prefix) else { return Ok(None) };
        let logical_id = self
            .logical_id(prefix.unwrap_or_default())
            .map_err(|problem| ManifestError { module: self.module().to_owned(), problems: vec![problem] })?;
        Ok(Some(json!({
            logical_id: {
                "Type": "EventBridgeRule",
                "Properties": {
                    "EventBusName": { "Ref": bus_parameter },
                    "Pattern": pattern.to_json(),
                }
            }
        })))
    }
}
