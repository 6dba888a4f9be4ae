//! Type names for inferred definitions: readable, derived from property paths, and stable.
//!
//! A definition is named after the property that holds it, in PascalCase (`billing_address`
//! → `BillingAddress`); array items and map values take the singular (`addresses` →
//! `Address`, `items` → `Item`, `categories` → `Category`), or `…Item`/`…Value` when the
//! name has no plural to drop. A name wanted by two different shapes goes to neither: each is
//! prefixed with the name of the place that holds it (`/billing/address` and
//! `/shipping/address` become `BillingAddress` and `ShippingAddress`), and if that still
//! collides a number follows (`BillingAddress2`), in the order the places occur in the
//! samples (keys sorted), so the same samples always give the same names. No randomness, no
//! hashing, no dependence on the order samples were added.

use std::collections::{HashMap, HashSet};

pub use schema_ident::pascal_case;

/// The name for one element of a collection named `name` (already PascalCase). A name that
/// already ends with the suffix stays as it is, so arrays of arrays do not grow names without
/// bound (`Matrix` → `MatrixItem` → `MatrixItem`; naming then tells them apart).
pub fn element_name(name: &str, fallback_suffix: &str) -> String {
    if name.ends_with(fallback_suffix) && name.len() > fallback_suffix.len() {
        return name.to_owned();
    }
    let singular = singular(name);
    if singular == name || singular.is_empty() {
        format!("{name}{fallback_suffix}")
    } else if schema_ident::is_reserved(&singular) {
        format!("{singular}Type")
    } else {
        singular
    }
}

/// English singular of the last word of a PascalCase name, by suffix rules; unchanged when
/// it does not look plural.
fn singular(name: &str) -> String {
    const IRREGULAR: &[(&str, &str)] = &[
        ("Children", "Child"),
        ("Statuses", "Status"),
        ("People", "Person"),
        ("Men", "Man"),
        ("Women", "Woman"),
        ("Movies", "Movie"),
        ("Cookies", "Cookie"),
        ("Series", "Series"),
        ("Species", "Species"),
        ("News", "News"),
    ];
    for (plural, single) in IRREGULAR {
        if let Some(stem) = name.strip_suffix(plural) {
            return format!("{stem}{single}");
        }
    }
    let replace = |suffix: &str, with: &str| name.strip_suffix(suffix).map(|stem| format!("{stem}{with}"));
    if name.len() > 4
        && let Some(s) = replace("ies", "y")
    {
        return s;
    }
    for suffix in ["sses", "shes", "ches", "xes", "zzes"] {
        if name.ends_with(suffix) {
            return name[..name.len() - 2].to_owned();
        }
    }
    if name.ends_with("ss") || name.ends_with("us") || name.ends_with("is") || name.len() <= 2 {
        return name.to_owned();
    }
    replace("s", "").unwrap_or_else(|| name.to_owned())
}

/// What one definition would like to be called.
#[derive(Debug, Clone)]
pub struct Wish {
    /// The name from the property path.
    pub base: String,
    /// The name of the place holding it, used as a prefix on collision.
    pub parent: String,
    /// A name given by a hint, taken as is.
    pub hinted: Option<String>,
}

/// Final names for `wishes` (in order of first occurrence), with `root` reserved for the
/// top-level type. Hinted names are taken as given; a base name wanted by exactly one
/// definition is used as is; the others get the parent prefix, then a number.
pub fn assign(root: &str, wishes: &[Wish]) -> Vec<String> {
    let mut wanted: HashMap<&str, usize> = HashMap::new();
    for wish in wishes.iter().filter(|w| w.hinted.is_none()) {
        *wanted.entry(wish.base.as_str()).or_default() += 1;
    }
    let mut taken = Taken::default();
    taken.insert(root.to_owned());
    let mut names: Vec<Option<String>> = vec![None; wishes.len()];
    for (i, wish) in wishes.iter().enumerate() {
        if let Some(hinted) = &wish.hinted {
            names[i] = Some(taken.unique(hinted));
        }
    }
    for (i, wish) in wishes.iter().enumerate() {
        if names[i].is_none() && wanted[wish.base.as_str()] == 1 && !taken.contains(&wish.base) {
            taken.insert(wish.base.clone());
            names[i] = Some(wish.base.clone());
        }
    }
    for (i, wish) in wishes.iter().enumerate() {
        if names[i].is_none() {
            // `AddressLine` in `Address` stays; `CheckRun` in `CheckRun` becomes `CheckRunCheckRun`.
            let prefixed = if wish.base.starts_with(&wish.parent) && wish.base != wish.parent {
                wish.base.clone()
            } else {
                format!("{}{}", wish.parent, wish.base)
            };
            names[i] = Some(taken.unique(&prefixed));
        }
    }
    names.into_iter().map(Option::unwrap_or_default).collect()
}

/// Names given out so far, with the next number to try per name, so numbering thousands of
/// definitions wanting one name (deeply nested samples) stays linear.
#[derive(Default)]
struct Taken {
    names: HashSet<String>,
    next: HashMap<String, usize>,
}

impl Taken {
    fn contains(&self, name: &str) -> bool {
        self.names.contains(name)
    }

    fn insert(&mut self, name: String) {
        self.names.insert(name);
    }

    /// `name`, or `name2`, `name3`, ... whichever is free first; marks it taken.
    fn unique(&mut self, name: &str) -> String {
        if self.names.insert(name.to_owned()) {
            return name.to_owned();
        }
        let n = self.next.entry(name.to_owned()).or_insert(2);
        loop {
            let candidate = format!("{name}{n}");
            *n += 1;
            if self.names.insert(candidate.clone()) {
                return candidate;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn array_items_take_the_singular() {
        for (plural, single) in [
            ("Items", "Item"),
            ("Addresses", "Address"),
            ("Categories", "Category"),
            ("Statuses", "Status"),
            ("Boxes", "BoxType"),
            ("Matches", "Match"),
            ("Children", "Child"),
            ("Statuses", "Status"),
            ("LineItems", "LineItem"),
            ("Data", "DataItem"),
            ("Address", "AddressItem"),
            ("Series", "SeriesItem"),
            ("Houses", "House"),
        ] {
            assert_eq!(element_name(plural, "Item"), single, "{plural}");
        }
        assert_eq!(element_name("Prices", "Value"), "Price");
        assert_eq!(element_name("Tm", "Value"), "TmValue");
    }

    fn wish(base: &str, parent: &str) -> Wish {
        Wish { base: base.into(), parent: parent.into(), hinted: None }
    }

    #[test]
    fn colliding_names_get_the_parent_prefix_then_a_number() {
        let names = assign(
            "Order",
            &[
                wish("Address", "Billing"),
                wish("Address", "Shipping"),
                wish("Item", "Order"),
                wish("Address", "Billing"),
            ],
        );
        assert_eq!(names, ["BillingAddress", "ShippingAddress", "Item", "BillingAddress2"]);
    }

    #[test]
    fn the_root_name_and_hinted_names_are_reserved() {
        let names = assign(
            "Event",
            &[
                wish("Event", "Event"),
                wish("Detail", "Event"),
                Wish { hinted: Some("Detail".into()), ..wish("X", "Event") },
            ],
        );
        assert_eq!(names, ["EventEvent", "EventDetail", "Detail"]);
    }
}
