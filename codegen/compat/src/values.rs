//! Enumerated values: `enum`, `const`, and documented enums (a `oneOf` of one-value
//! branches). Generated consumers hold these in closed types (Rust enums, TypeScript
//! unions of literals), so every new value breaks old consumers and every removed value
//! breaks new ones.

use serde_json::Value;

use crate::Kind;
use crate::findings::{Findings, Place};
use crate::same::same_value;
use crate::view::View;

/// Compares the allowed values of two nodes.
pub(crate) fn compare(f: &mut Findings, o: &View<'_>, n: &View<'_>, at: &Place) {
    let field = at.field();
    match (&o.values, &n.values) {
        (None, None) => {}
        (Some(old), None) => f.report(
            Kind::EnumRemoved,
            at,
            Some(list(old)),
            Some(n.describe()),
            format!(
                "{field} is no longer restricted to {}: old consumers hold it in a closed type (a Rust enum, a \
                 TypeScript union of literals) and reject any other value from new producers",
                list(old)
            ),
        ),
        (None, Some(new)) => f.report(
            Kind::EnumAdded,
            at,
            Some(o.describe()),
            Some(list(new)),
            format!(
                "{field} is now restricted to {}: new consumers hold it in a closed type (a Rust enum, a \
                 TypeScript union of literals) and reject other values in old events",
                list(new)
            ),
        ),
        (Some(old), Some(new)) if old.len() == 1 && new.len() == 1 => {
            if !same_value(old[0], new[0]) {
                f.report(
                    Kind::ConstChanged,
                    at,
                    Some(old[0].to_string()),
                    Some(new[0].to_string()),
                    format!(
                        "the only value of {field} changed from {} to {}: old consumers reject new events and new \
                         consumers reject old ones (for a variant tag, the variant was renamed)",
                        old[0], new[0]
                    ),
                );
            }
        }
        (Some(old), Some(new)) => {
            for value in new.iter().filter(|v| !contains(old, v)) {
                f.report(
                    Kind::EnumValueAdded,
                    at,
                    None,
                    Some(value.to_string()),
                    format!(
                        "old Rust consumers reject the new value {value} of {field} (generated enums are closed); \
                         old TypeScript unions of literals lack it, so exhaustive switches miss it"
                    ),
                );
            }
            for value in old.iter().filter(|v| !contains(new, v)) {
                f.report(
                    Kind::EnumValueRemoved,
                    at,
                    Some(value.to_string()),
                    None,
                    format!(
                        "new Rust consumers reject old events carrying {value} at {field} (generated enums are \
                         closed); new TypeScript unions of literals lack it"
                    ),
                );
            }
        }
    }
}

fn contains(values: &[&Value], value: &Value) -> bool {
    values.iter().any(|v| same_value(v, value))
}

/// `"a", "b", "c"`, shortened after eight values.
fn list(values: &[&Value]) -> String {
    let shown: Vec<String> = values.iter().take(8).map(|v| v.to_string()).collect();
    let more = if values.len() > 8 { format!(" and {} more", values.len() - 8) } else { String::new() };
    format!("{}{more}", shown.join(", "))
}
