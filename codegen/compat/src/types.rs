//! JSON Schema's primitive types as a set, where `integer` is a subset of `number`.

use serde_json::Value;

/// A set of JSON types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Types(u8);

const NAMES: [(u8, &str); 7] = [
    (1, "null"),
    (2, "boolean"),
    (4, "object"),
    (8, "array"),
    (16, "number"),
    (32, "integer"),
    (64, "string"),
];

const NUMBER: u8 = 16;
const INTEGER: u8 = 32;

impl Types {
    /// No type: the `false` schema, or a union with only a null branch.
    pub const NONE: Types = Types(0);
    /// `null`.
    pub const NULL: Types = Types(1);
    /// Every type except `null` (nullability is tracked apart).
    pub const ANY: Types = Types(2 | 4 | 8 | 16 | 64);

    /// The set for one `type` name; unknown names give the empty set.
    pub fn named(name: &str) -> Types {
        Types(NAMES.iter().find(|(_, n)| *n == name).map_or(0, |(bit, _)| *bit)).normalised()
    }

    /// The type of a JSON value (`1.0` is an integer, as in draft-06 and later).
    pub fn of(value: &Value) -> Types {
        match value {
            Value::Null => Types::NULL,
            Value::Bool(_) => Types(2),
            Value::Object(_) => Types(4),
            Value::Array(_) => Types(8),
            Value::Number(n) if n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0) => {
                Types(INTEGER)
            }
            Value::Number(_) => Types(NUMBER),
            Value::String(_) => Types(64),
        }
    }

    /// `integer` is dropped where `number` already covers it.
    fn normalised(self) -> Types {
        if self.0 & NUMBER != 0 { Types(self.0 & !INTEGER) } else { self }
    }

    /// Both sets together.
    pub fn union(self, other: Types) -> Types {
        Types(self.0 | other.0).normalised()
    }

    /// What both sets accept (`number` and `integer` share the integers).
    pub fn intersect(self, other: Types) -> Types {
        let widen = |t: Types| if t.0 & NUMBER != 0 { t.0 | INTEGER } else { t.0 };
        Types(widen(self) & widen(other)).normalised()
    }

    /// Whether every value of `self` is in `other`.
    pub fn is_subset_of(self, other: Types) -> bool {
        self.intersect(other) == self.normalised()
    }

    /// Whether `self` includes all of `other`.
    pub fn contains(self, other: Types) -> bool {
        other.is_subset_of(self)
    }

    /// The same set without `null`.
    pub fn without_null(self) -> Types {
        Types(self.0 & !1)
    }

    /// Whether no type is left.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Whether the set accepts `value`'s type.
    pub fn admits(self, value: &Value) -> bool {
        Types::of(value).is_subset_of(self)
    }

    /// Whether `number` or `integer` is in the set.
    pub fn has_numbers(self) -> bool {
        self.0 & (NUMBER | INTEGER) != 0
    }

    /// Whether `string` is in the set.
    pub fn has_strings(self) -> bool {
        self.0 & 64 != 0
    }

    /// Whether `object` is in the set.
    pub fn has_objects(self) -> bool {
        self.0 & 4 != 0
    }

    /// Whether `array` is in the set.
    pub fn has_arrays(self) -> bool {
        self.0 & 8 != 0
    }

    /// Whether the set is exactly `integer`.
    pub fn is_integer(self) -> bool {
        self.0 == INTEGER
    }

    /// The types of `self` that `other` lacks.
    pub fn minus(self, other: Types) -> Types {
        let mut left = 0;
        for (bit, _) in NAMES {
            if self.0 & bit != 0 && !Types(bit).is_subset_of(other) {
                left |= bit;
            }
        }
        Types(left)
    }

    /// `string | integer`; `nothing` for the empty set.
    pub fn describe(self) -> String {
        if self.is_empty() {
            return "nothing".to_owned();
        }
        let names: Vec<&str> = NAMES.iter().filter(|(bit, _)| self.0 & bit != 0).map(|(_, n)| *n).collect();
        names.join(" | ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn integer_is_a_subset_of_number() {
        let (integer, number) = (Types::named("integer"), Types::named("number"));
        assert!(integer.is_subset_of(number));
        assert!(!number.is_subset_of(integer));
        assert_eq!(integer.intersect(number), integer);
        assert_eq!(number.minus(integer), number);
        assert!(integer.minus(number).is_empty());
    }

    #[test]
    fn values_have_types() {
        assert_eq!(Types::of(&json!(1.0)), Types::named("integer"));
        assert_eq!(Types::of(&json!(1.5)), Types::named("number"));
        assert!(Types::named("number").admits(&json!(3)));
        assert!(!Types::named("integer").admits(&json!(3.5)));
    }

    #[test]
    fn sets_describe_themselves_in_a_fixed_order() {
        let set = Types::named("string").union(Types::named("integer"));
        assert_eq!(set.describe(), "integer | string");
        assert_eq!(Types::ANY.describe(), "boolean | object | array | number | string");
    }
}
