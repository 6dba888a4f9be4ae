//! Shared by the workspace tests: the event registry with every contract crate linked.

use contracts_common::registry::Registration;

/// Every registered event, sorted by source and detail-type.
pub fn events() -> Vec<&'static Registration> {
    contracts_all::events()
}

/// The first (mandatory) sample of `event`, serialised.
pub fn sample(event: &Registration) -> serde_json::Value {
    event.samples().unwrap_or_else(|e| panic!("{e}")).remove(0)
}
