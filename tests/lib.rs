//! Shared by the workspace tests: the event registry with every contract crate linked.

use contracts_common::registry::{self, Registration};

// Link every contract crate so its registrations are seen, whatever else a test links.
use contracts_customers as _;
use contracts_inventory as _;
use contracts_trading as _;

/// Every registered event, sorted by source and detail-type.
pub fn events() -> Vec<&'static Registration> {
    registry::all()
}
