//! Evidence rules: when strings become an enum and when an object becomes a map.
//!
//! Both are claims a few samples cannot support (quicktype's best-known surprises are a
//! record turned into a map and a free-text field turned into an enum), so each needs
//! strong evidence, and a hints file can always say otherwise. Without evidence a string
//! stays a string and an object stays a record, which is always sound.
//!
//! **Enum**: the strings at a place become an enum of every value seen when all hold:
//! - at least [`ENUM_MIN_STRINGS`] strings were seen there;
//! - between [`ENUM_MIN_VALUES`] and [`ENUM_MAX_VALUES`] distinct values, each at most 64
//!   bytes and none empty;
//! - (distinct values)² ≤ strings seen, so every value recurs (2 values need 20 strings, 5
//!   need 25, 10 need 100);
//! - the strings have no standard format (dates and ids are never enums).
//!
//! **Map**: an object place becomes a map (`additionalProperties`) when it has at least
//! [`MAP_MIN_KEYS`] distinct keys whose values all share one shape (the same JSON kinds,
//! nulls aside, and for object values at least half their keys in common), and either
//! - every key looks like data rather than a name: it has no ASCII letter (`"189512"`,
//!   `"$%@#"`), or is a UUID or a date-time; or
//! - keys vary between objects: the place was seen at least [`MAP_MIN_OBJECTS`] times, has
//!   at least [`MAP_MIN_VARYING_KEYS`] distinct keys, and no key is in more than half of the
//!   objects.
//!
//! A place with more than [`MAP_COLLAPSE_KEYS`](crate::shape::MAP_COLLAPSE_KEYS) distinct keys
//! is a map whatever its values (it is collapsed while parsing, to bound memory).

use std::collections::BTreeSet;

use crate::formats::{self, Format};
use crate::shape::{FormatState, Kinds, ObjectShape, StringShape};

/// Fewest strings at a place for an inferred enum.
pub const ENUM_MIN_STRINGS: u64 = 20;
/// Fewest distinct values for an inferred enum (a single constant needs a hint).
pub const ENUM_MIN_VALUES: usize = 2;
/// Most distinct values for an inferred enum.
pub const ENUM_MAX_VALUES: usize = 10;
/// Fewest distinct keys for an inferred map.
pub const MAP_MIN_KEYS: usize = 2;
/// Fewest objects at a place for a map inferred from varying keys.
pub const MAP_MIN_OBJECTS: u64 = 4;
/// Fewest distinct keys for a map inferred from varying keys.
pub const MAP_MIN_VARYING_KEYS: usize = 20;

/// The values of the enum the strings at a place form, sorted, if the evidence is there.
pub fn enum_values(strings: &StringShape) -> Option<Vec<String>> {
    let values = strings.values.as_ref()?;
    let distinct = values.len();
    let evidence = strings.format == FormatState::None
        && strings.count >= ENUM_MIN_STRINGS
        && (ENUM_MIN_VALUES..=ENUM_MAX_VALUES).contains(&distinct)
        && (distinct * distinct) as u64 <= strings.count
        && values.iter().all(|(v, _)| !v.is_empty());
    evidence.then(|| sorted_values(strings)).flatten()
}

/// Every distinct value seen, sorted; `None` if there were too many to track.
pub fn sorted_values(strings: &StringShape) -> Option<Vec<String>> {
    let mut values: Vec<String> = strings.values.as_ref()?.iter().map(|(v, _)| v.clone()).collect();
    values.sort();
    Some(values)
}

/// Whether the record at a place is better described as a map.
pub fn is_map(objects: &ObjectShape) -> bool {
    let fields = &objects.fields;
    if fields.len() < MAP_MIN_KEYS || !values_share_a_shape(objects) {
        return false;
    }
    let data_keys = fields.iter().all(|f| looks_like_data(&f.name));
    let varying_keys = objects.count >= MAP_MIN_OBJECTS
        && fields.len() >= MAP_MIN_VARYING_KEYS
        && fields.iter().all(|f| f.present * 2 <= objects.count);
    data_keys || varying_keys
}

/// A key that is a value (a number, a code of symbols, an id, a timestamp), not a name.
fn looks_like_data(key: &str) -> bool {
    !key.bytes().any(|b| b.is_ascii_alphabetic())
        || crate::formats::is_uuid(key)
        || formats::detect(key) == Some(Format::DateTime)
}

fn values_share_a_shape(objects: &ObjectShape) -> bool {
    let kinds: BTreeSet<u8> =
        objects.fields.iter().map(|f| f.shape.kinds()).filter(|k| !k.is_empty()).map(|k| k.0).collect();
    let [kind] = kinds.into_iter().collect::<Vec<_>>()[..] else { return false };
    if Kinds(kind).len() != 1 || kind != Kinds::OBJECT {
        return Kinds(kind).len() == 1;
    }
    let key_sets: Vec<BTreeSet<&str>> = objects
        .fields
        .iter()
        .filter_map(|f| f.shape.objects.as_ref())
        .map(|o| {
            let keys = o.fields.iter().map(|f| f.name.as_str()).collect();
            if o.map.is_some() { BTreeSet::from(["\u{0}map"]) } else { keys }
        })
        .collect();
    let union: BTreeSet<&str> = key_sets.iter().flatten().copied().collect();
    let common = union.iter().filter(|k| key_sets.iter().all(|s| s.contains(*k))).count();
    common * 2 >= union.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shape::{MAX_ENUM_VALUE_LEN, Shape};

    fn strings(values: &[(&str, usize)]) -> StringShape {
        let mut shape = StringShape::new(ENUM_MAX_VALUES, MAX_ENUM_VALUE_LEN);
        for (value, times) in values {
            for _ in 0..*times {
                shape.add(value);
            }
        }
        shape
    }

    #[test]
    fn enums_need_recurring_values_and_enough_strings() {
        assert_eq!(
            enum_values(&strings(&[("open", 10), ("closed", 10)])),
            Some(vec!["closed".into(), "open".into()])
        );
        assert_eq!(enum_values(&strings(&[("open", 9), ("closed", 10)])), None, "too few strings");
        assert_eq!(enum_values(&strings(&[("open", 30)])), None, "a single constant");
        let five: Vec<(String, usize)> = (0..5).map(|i| (format!("v{i}"), 5)).collect();
        let five: Vec<(&str, usize)> = five.iter().map(|(v, n)| (v.as_str(), *n)).collect();
        assert!(enum_values(&strings(&five)).is_some(), "25 strings, 5 values");
        let eleven: Vec<(String, usize)> = (0..11).map(|i| (format!("v{i}"), 20)).collect();
        let eleven: Vec<(&str, usize)> = eleven.iter().map(|(v, n)| (v.as_str(), *n)).collect();
        assert_eq!(enum_values(&strings(&eleven)), None, "too many values");
        assert_eq!(enum_values(&strings(&[("2024-01-01", 15), ("2024-01-02", 15)])), None, "dates");
        assert_eq!(enum_values(&strings(&[("", 15), ("x", 15)])), None, "empty value");
    }

    fn record(objects: u64, fields: &[(&str, u64, Shape)]) -> ObjectShape {
        let mut shape = ObjectShape { count: objects, ..Default::default() };
        for (name, present, value) in fields {
            let i = shape.field_index(name);
            shape.fields[i].present = *present;
            shape.fields[i].shape = value.clone();
        }
        shape
    }

    fn int() -> Shape {
        let mut shape = Shape::default();
        (shape.count, shape.integers) = (1, 1);
        shape
    }

    fn text() -> Shape {
        let mut shape = Shape::default();
        shape.count = 1;
        shape.strings = Some(Box::new(StringShape::new(10, 64)));
        shape
    }

    #[test]
    fn data_like_keys_with_one_value_shape_make_a_map() {
        assert!(is_map(&record(1, &[("189512", 1, int()), ("189612", 1, int())])));
        assert!(is_map(&record(1, &[("^$#", 1, int()), ("$%@", 1, int())])));
        assert!(!is_map(&record(1, &[("189512", 1, int()), ("189612", 1, text())])), "mixed values");
        assert!(!is_map(&record(1, &[("189512", 1, int())])), "a single key");
        assert!(!is_map(&record(1, &[("first", 1, int()), ("second", 1, int())])), "names");
    }

    #[test]
    fn many_varying_keys_make_a_map_but_many_fixed_keys_stay_a_record() {
        let names: Vec<String> = (0..25).map(|i| format!("key{i}")).collect();
        let varying: Vec<(&str, u64, Shape)> = names.iter().map(|n| (n.as_str(), 1, int())).collect();
        assert!(is_map(&record(10, &varying)));
        let fixed: Vec<(&str, u64, Shape)> = names.iter().map(|n| (n.as_str(), 10, int())).collect();
        assert!(!is_map(&record(10, &fixed)), "a wide record of numbers is still a record");
    }
}
