//! Every kind of difference the gate knows, with its stable id and its usual verdict.
//!
//! The ids follow Confluent Schema Registry's JSON Schema names where the meaning is the
//! same (`PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL` becomes the `OPTIONAL_`/`REQUIRED_`
//! pair, because required-ness decides the verdict), so an acknowledgement file reads
//! familiarly. An id never changes once released: acknowledgements refer to it.
//!
//! Names are written from the old schema to the new one: `ENUM_VALUE_ADDED` means the new
//! schema has a value the old one lacked.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::{Direction, Policy};

/// The usual verdict of a kind in one direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// Never breaks consumers in this direction.
    Compatible,
    /// Always breaks consumers in this direction.
    Breaks,
    /// Breaks under [`Policy::Strict`]; compatible under [`Policy::Lenient`], which trusts
    /// producers to write only the properties their schema declares.
    BreaksUnderStrict,
    /// Decided per difference by comparing the schemas involved; the text says how, and
    /// each difference's reason says what was found.
    Depends(&'static str),
}

impl Rule {
    /// The verdict under `policy`, when the rule does not depend on the schemas.
    pub fn breaks(self, policy: Policy) -> Option<bool> {
        match self {
            Rule::Compatible => Some(false),
            Rule::Breaks => Some(true),
            Rule::BreaksUnderStrict => Some(policy == Policy::Strict),
            Rule::Depends(_) => None,
        }
    }

    /// Short text for rule tables.
    pub fn label(self) -> &'static str {
        match self {
            Rule::Compatible => "compatible",
            Rule::Breaks => "breaks",
            Rule::BreaksUnderStrict => "breaks (strict), compatible (lenient)",
            Rule::Depends(how) => how,
        }
    }
}

const NEW_VALUES_VS_OLD_CATCH_ALL: &str =
    "breaks if the property allows values the old catch-all schema rejected";
const OLD_CATCH_ALL_VS_NEW_PROPERTY: &str =
    "breaks (strict) if the property rejects values the old catch-all schema allowed; compatible (lenient)";
const NEW_CATCH_ALL_VS_OLD_PROPERTY: &str =
    "breaks (strict) if the new catch-all schema allows values the property rejected; compatible (lenient)";
const OLD_VALUES_VS_NEW_CATCH_ALL: &str =
    "breaks if the new catch-all schema rejects values the property allowed";

/// Defines [`Kind`] from one table: variant, id, forward rule, backward rule, summary.
macro_rules! kinds {
    ($( $(#[doc = $doc:literal])+ $variant:ident = $id:literal, $forward:expr, $backward:expr; )+) => {
        /// A kind of difference between an old and a new schema.
        ///
        /// Serialised as its id (`"ENUM_VALUE_ADDED"`); [`Kind::from_str`] parses one.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Kind {
            $( $(#[doc = $doc])+ $variant, )+
        }

        impl Kind {
            /// Every kind, in table order.
            pub const ALL: &'static [Kind] = &[$(Kind::$variant),+];

            /// The stable id, e.g. `"OPTIONAL_PROPERTY_ADDED_TO_CLOSED_CONTENT_MODEL"`.
            pub fn id(self) -> &'static str {
                match self { $(Kind::$variant => $id,)+ }
            }

            /// What the kind means, in one sentence.
            pub fn summary(self) -> &'static str {
                match self { $(Kind::$variant => concat!($($doc),+).trim_ascii(),)+ }
            }

            /// The usual verdict in `direction`.
            pub fn rule(self, direction: Direction) -> Rule {
                use Rule::*;
                match (self, direction) {
                    $(
                        (Kind::$variant, Direction::Forward) => $forward,
                        (Kind::$variant, Direction::Backward) => $backward,
                    )+
                }
            }
        }
    };
}

kinds! {
    /// The whole schema is gone: an event removed, or its detail-type renamed.
    SchemaRemoved = "SCHEMA_REMOVED", Breaks, Breaks;
    /// The type changed to one that shares no values with the old (string to integer).
    TypeChanged = "TYPE_CHANGED", Breaks, Breaks;
    /// The type now accepts more (integer to number, or another type added).
    TypeExtended = "TYPE_EXTENDED", Breaks, Compatible;
    /// The type now accepts less (number to integer, or a type removed).
    TypeNarrowed = "TYPE_NARROWED", Compatible, Breaks;
    /// The value may now be null (in any spelling: `type: [T, "null"]`, a null branch, `nullable`).
    NullableAdded = "NULLABLE_ADDED", Breaks, Compatible;
    /// The value may no longer be null.
    NullableRemoved = "NULLABLE_REMOVED", Compatible, Breaks;
    /// A `$ref` points at another definition; the JSON is judged by structure, not by name.
    RefTargetChanged = "REF_TARGET_CHANGED", Compatible, Compatible;

    /// An enum gained a value.
    EnumValueAdded = "ENUM_VALUE_ADDED", Breaks, Compatible;
    /// An enum lost a value.
    EnumValueRemoved = "ENUM_VALUE_REMOVED", Compatible, Breaks;
    /// Values became restricted to a list (`enum` or `const` added).
    EnumAdded = "ENUM_ADDED", Compatible, Breaks;
    /// Values are no longer restricted to a list (`enum` or `const` removed).
    EnumRemoved = "ENUM_REMOVED", Breaks, Compatible;
    /// A single allowed value (`const`, a one-value `enum`, a variant tag) changed.
    ConstChanged = "CONST_CHANGED", Breaks, Breaks;

    /// An optional property was added where the old schema allowed any other property.
    OptionalPropertyAddedToOpenContentModel = "OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL", Compatible, BreaksUnderStrict;
    /// A required property was added where the old schema allowed any other property.
    RequiredPropertyAddedToOpenContentModel = "REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL", Compatible, Breaks;
    /// An optional property was added where the old schema allowed no other property.
    OptionalPropertyAddedToClosedContentModel = "OPTIONAL_PROPERTY_ADDED_TO_CLOSED_CONTENT_MODEL", Breaks, Compatible;
    /// A required property was added where the old schema allowed no other property.
    RequiredPropertyAddedToClosedContentModel = "REQUIRED_PROPERTY_ADDED_TO_CLOSED_CONTENT_MODEL", Breaks, Breaks;
    /// An optional property was added where the old schema checked other properties against a schema.
    OptionalPropertyAddedToPartiallyOpenContentModel = "OPTIONAL_PROPERTY_ADDED_TO_PARTIALLY_OPEN_CONTENT_MODEL", Depends(NEW_VALUES_VS_OLD_CATCH_ALL), Depends(OLD_CATCH_ALL_VS_NEW_PROPERTY);
    /// A required property was added where the old schema checked other properties against a schema.
    RequiredPropertyAddedToPartiallyOpenContentModel = "REQUIRED_PROPERTY_ADDED_TO_PARTIALLY_OPEN_CONTENT_MODEL", Depends(NEW_VALUES_VS_OLD_CATCH_ALL), Breaks;
    /// An optional property was removed and the new schema allows any other property.
    OptionalPropertyRemovedFromOpenContentModel = "OPTIONAL_PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL", BreaksUnderStrict, Compatible;
    /// A required property was removed and the new schema allows any other property.
    RequiredPropertyRemovedFromOpenContentModel = "REQUIRED_PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL", Breaks, Compatible;
    /// An optional property was removed and the new schema allows no other property.
    OptionalPropertyRemovedFromClosedContentModel = "OPTIONAL_PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL", Compatible, Breaks;
    /// A required property was removed and the new schema allows no other property.
    RequiredPropertyRemovedFromClosedContentModel = "REQUIRED_PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL", Breaks, Breaks;
    /// An optional property was removed and the new schema checks other properties against a schema.
    OptionalPropertyRemovedFromPartiallyOpenContentModel = "OPTIONAL_PROPERTY_REMOVED_FROM_PARTIALLY_OPEN_CONTENT_MODEL", Depends(NEW_CATCH_ALL_VS_OLD_PROPERTY), Depends(OLD_VALUES_VS_NEW_CATCH_ALL);
    /// A required property was removed and the new schema checks other properties against a schema.
    RequiredPropertyRemovedFromPartiallyOpenContentModel = "REQUIRED_PROPERTY_REMOVED_FROM_PARTIALLY_OPEN_CONTENT_MODEL", Breaks, Depends(OLD_VALUES_VS_NEW_CATCH_ALL);
    /// An existing property became required.
    RequiredAttributeAdded = "REQUIRED_ATTRIBUTE_ADDED", Compatible, Breaks;
    /// An existing property is no longer required.
    RequiredAttributeRemoved = "REQUIRED_ATTRIBUTE_REMOVED", Breaks, Compatible;
    /// A name that `properties` does not declare became required.
    RequiredUndeclaredPropertyAdded = "REQUIRED_UNDECLARED_PROPERTY_ADDED", Compatible, Breaks;
    /// A name that `properties` does not declare is no longer required.
    RequiredUndeclaredPropertyRemoved = "REQUIRED_UNDECLARED_PROPERTY_REMOVED", Breaks, Compatible;
    /// Undeclared properties were forbidden and now are allowed (`additionalProperties: false` removed).
    AdditionalPropertiesAdded = "ADDITIONAL_PROPERTIES_ADDED", BreaksUnderStrict, Compatible;
    /// Undeclared properties are now forbidden (`additionalProperties: false` added).
    AdditionalPropertiesRemoved = "ADDITIONAL_PROPERTIES_REMOVED", Compatible, BreaksUnderStrict;
    /// Undeclared properties were checked against a schema and now are not.
    AdditionalPropertiesExtended = "ADDITIONAL_PROPERTIES_EXTENDED", BreaksUnderStrict, Compatible;
    /// Undeclared properties, free before, are now checked against a schema.
    AdditionalPropertiesNarrowed = "ADDITIONAL_PROPERTIES_NARROWED", Compatible, BreaksUnderStrict;
    /// A `patternProperties` entry was added.
    PatternPropertyAdded = "PATTERN_PROPERTY_ADDED", Depends("breaks if the pattern's schema allows values the old catch-all rejected"), Depends("breaks if the pattern's schema rejects values the old catch-all allowed");
    /// A `patternProperties` entry was removed.
    PatternPropertyRemoved = "PATTERN_PROPERTY_REMOVED", Depends("breaks if the new catch-all allows values the pattern's schema rejected"), Depends("breaks if the new catch-all rejects values the pattern's schema allowed");
    /// A `dependencies` (or `dependentRequired`) entry was added: a property now requires others.
    DependencyArrayAdded = "DEPENDENCY_ARRAY_ADDED", Compatible, Breaks;
    /// A `dependencies` (or `dependentRequired`) entry was removed.
    DependencyArrayRemoved = "DEPENDENCY_ARRAY_REMOVED", Breaks, Compatible;
    /// A property dependency now requires more properties.
    DependencyArrayExtended = "DEPENDENCY_ARRAY_EXTENDED", Compatible, Breaks;
    /// A property dependency now requires fewer properties.
    DependencyArrayNarrowed = "DEPENDENCY_ARRAY_NARROWED", Breaks, Compatible;
    /// A property dependency now requires other properties (some added, some dropped).
    DependencyArrayChanged = "DEPENDENCY_ARRAY_CHANGED", Breaks, Breaks;
    /// A schema dependency (`dependencies` or `dependentSchemas` with a schema) was added.
    DependencySchemaAdded = "DEPENDENCY_SCHEMA_ADDED", Compatible, Breaks;
    /// A schema dependency was removed.
    DependencySchemaRemoved = "DEPENDENCY_SCHEMA_REMOVED", Breaks, Compatible;
    /// `minProperties` was added.
    MinPropertiesAdded = "MIN_PROPERTIES_ADDED", Compatible, Breaks;
    /// `minProperties` was removed.
    MinPropertiesRemoved = "MIN_PROPERTIES_REMOVED", Breaks, Compatible;
    /// `minProperties` went up.
    MinPropertiesIncreased = "MIN_PROPERTIES_INCREASED", Compatible, Breaks;
    /// `minProperties` went down.
    MinPropertiesDecreased = "MIN_PROPERTIES_DECREASED", Breaks, Compatible;
    /// `maxProperties` was added.
    MaxPropertiesAdded = "MAX_PROPERTIES_ADDED", Compatible, Breaks;
    /// `maxProperties` was removed.
    MaxPropertiesRemoved = "MAX_PROPERTIES_REMOVED", Breaks, Compatible;
    /// `maxProperties` went up.
    MaxPropertiesIncreased = "MAX_PROPERTIES_INCREASED", Breaks, Compatible;
    /// `maxProperties` went down.
    MaxPropertiesDecreased = "MAX_PROPERTIES_DECREASED", Compatible, Breaks;

    /// A tuple position was added where the old schema allowed any further items.
    ItemAddedToOpenContentModel = "ITEM_ADDED_TO_OPEN_CONTENT_MODEL", Compatible, Breaks;
    /// A tuple position was added where the old schema allowed no further items.
    ItemAddedToClosedContentModel = "ITEM_ADDED_TO_CLOSED_CONTENT_MODEL", Breaks, Compatible;
    /// A tuple position was added where the old schema checked further items against a schema.
    ItemAddedToPartiallyOpenContentModel = "ITEM_ADDED_TO_PARTIALLY_OPEN_CONTENT_MODEL", Depends("breaks if the position allows values the old additionalItems rejected"), Depends("breaks if the position rejects values the old additionalItems allowed");
    /// A tuple position was removed and the new schema allows any further items.
    ItemRemovedFromOpenContentModel = "ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL", Breaks, Compatible;
    /// A tuple position was removed and the new schema allows no further items.
    ItemRemovedFromClosedContentModel = "ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL", Compatible, Breaks;
    /// A tuple position was removed and the new schema checks further items against a schema.
    ItemRemovedFromPartiallyOpenContentModel = "ITEM_REMOVED_FROM_PARTIALLY_OPEN_CONTENT_MODEL", Depends("breaks if the new additionalItems allows values the old position rejected"), Depends("breaks if the new additionalItems rejects values the old position allowed");
    /// Items past the tuple were forbidden and now are allowed.
    AdditionalItemsAdded = "ADDITIONAL_ITEMS_ADDED", Breaks, Compatible;
    /// Items past the tuple are now forbidden.
    AdditionalItemsRemoved = "ADDITIONAL_ITEMS_REMOVED", Compatible, Breaks;
    /// Items past the tuple were checked against a schema and now are not.
    AdditionalItemsExtended = "ADDITIONAL_ITEMS_EXTENDED", Breaks, Compatible;
    /// Items past the tuple, free before, are now checked against a schema.
    AdditionalItemsNarrowed = "ADDITIONAL_ITEMS_NARROWED", Compatible, Breaks;
    /// `minItems` was added.
    MinItemsAdded = "MIN_ITEMS_ADDED", Compatible, Breaks;
    /// `minItems` was removed.
    MinItemsRemoved = "MIN_ITEMS_REMOVED", Breaks, Compatible;
    /// `minItems` went up.
    MinItemsIncreased = "MIN_ITEMS_INCREASED", Compatible, Breaks;
    /// `minItems` went down.
    MinItemsDecreased = "MIN_ITEMS_DECREASED", Breaks, Compatible;
    /// `maxItems` was added.
    MaxItemsAdded = "MAX_ITEMS_ADDED", Compatible, Breaks;
    /// `maxItems` was removed.
    MaxItemsRemoved = "MAX_ITEMS_REMOVED", Breaks, Compatible;
    /// `maxItems` went up.
    MaxItemsIncreased = "MAX_ITEMS_INCREASED", Breaks, Compatible;
    /// `maxItems` went down.
    MaxItemsDecreased = "MAX_ITEMS_DECREASED", Compatible, Breaks;
    /// Items must now be unique.
    UniqueItemsAdded = "UNIQUE_ITEMS_ADDED", Compatible, Breaks;
    /// Items no longer need to be unique.
    UniqueItemsRemoved = "UNIQUE_ITEMS_REMOVED", Breaks, Compatible;

    /// `minLength` was added.
    MinLengthAdded = "MIN_LENGTH_ADDED", Compatible, Breaks;
    /// `minLength` was removed.
    MinLengthRemoved = "MIN_LENGTH_REMOVED", Breaks, Compatible;
    /// `minLength` went up.
    MinLengthIncreased = "MIN_LENGTH_INCREASED", Compatible, Breaks;
    /// `minLength` went down.
    MinLengthDecreased = "MIN_LENGTH_DECREASED", Breaks, Compatible;
    /// `maxLength` was added.
    MaxLengthAdded = "MAX_LENGTH_ADDED", Compatible, Breaks;
    /// `maxLength` was removed.
    MaxLengthRemoved = "MAX_LENGTH_REMOVED", Breaks, Compatible;
    /// `maxLength` went up.
    MaxLengthIncreased = "MAX_LENGTH_INCREASED", Breaks, Compatible;
    /// `maxLength` went down.
    MaxLengthDecreased = "MAX_LENGTH_DECREASED", Compatible, Breaks;
    /// A `pattern` was added.
    PatternAdded = "PATTERN_ADDED", Compatible, Breaks;
    /// The `pattern` was removed.
    PatternRemoved = "PATTERN_REMOVED", Breaks, Compatible;
    /// The `pattern` changed (the gate cannot prove one pattern contains another).
    PatternChanged = "PATTERN_CHANGED", Breaks, Breaks;
    /// A `format` was added (breaks where generated consumers parse it: uuid, date, date-time, ip, integer widths).
    FormatAdded = "FORMAT_ADDED", Compatible, Depends("breaks if new consumers parse the format (uuid, date, date-time, ip, ipv4, ipv6, integer widths)");
    /// The `format` was removed (breaks where generated consumers parsed it).
    FormatRemoved = "FORMAT_REMOVED", Depends("breaks if old consumers parsed the format (uuid, date, date-time, ip, ipv4, ipv6, integer widths)"), Compatible;
    /// The `format` changed (judged by the values generated consumers accept for each).
    FormatChanged = "FORMAT_CHANGED", Depends("breaks if old consumers parse the old format and a new value may not fit it"), Depends("breaks if new consumers parse the new format and an old value may not fit it");

    /// `minimum` was added.
    MinimumAdded = "MINIMUM_ADDED", Compatible, Breaks;
    /// `minimum` was removed.
    MinimumRemoved = "MINIMUM_REMOVED", Breaks, Compatible;
    /// `minimum` went up.
    MinimumIncreased = "MINIMUM_INCREASED", Compatible, Breaks;
    /// `minimum` went down.
    MinimumDecreased = "MINIMUM_DECREASED", Breaks, Compatible;
    /// `maximum` was added.
    MaximumAdded = "MAXIMUM_ADDED", Compatible, Breaks;
    /// `maximum` was removed.
    MaximumRemoved = "MAXIMUM_REMOVED", Breaks, Compatible;
    /// `maximum` went up.
    MaximumIncreased = "MAXIMUM_INCREASED", Breaks, Compatible;
    /// `maximum` went down.
    MaximumDecreased = "MAXIMUM_DECREASED", Compatible, Breaks;
    /// `exclusiveMinimum` was added.
    ExclusiveMinimumAdded = "EXCLUSIVE_MINIMUM_ADDED", Compatible, Breaks;
    /// `exclusiveMinimum` was removed.
    ExclusiveMinimumRemoved = "EXCLUSIVE_MINIMUM_REMOVED", Breaks, Compatible;
    /// `exclusiveMinimum` went up.
    ExclusiveMinimumIncreased = "EXCLUSIVE_MINIMUM_INCREASED", Compatible, Breaks;
    /// `exclusiveMinimum` went down.
    ExclusiveMinimumDecreased = "EXCLUSIVE_MINIMUM_DECREASED", Breaks, Compatible;
    /// `exclusiveMaximum` was added.
    ExclusiveMaximumAdded = "EXCLUSIVE_MAXIMUM_ADDED", Compatible, Breaks;
    /// `exclusiveMaximum` was removed.
    ExclusiveMaximumRemoved = "EXCLUSIVE_MAXIMUM_REMOVED", Breaks, Compatible;
    /// `exclusiveMaximum` went up.
    ExclusiveMaximumIncreased = "EXCLUSIVE_MAXIMUM_INCREASED", Breaks, Compatible;
    /// `exclusiveMaximum` went down.
    ExclusiveMaximumDecreased = "EXCLUSIVE_MAXIMUM_DECREASED", Compatible, Breaks;
    /// `multipleOf` was added.
    MultipleOfAdded = "MULTIPLE_OF_ADDED", Compatible, Breaks;
    /// `multipleOf` was removed.
    MultipleOfRemoved = "MULTIPLE_OF_REMOVED", Breaks, Compatible;
    /// `multipleOf` became a multiple of the old one (fewer values allowed).
    MultipleOfExpanded = "MULTIPLE_OF_EXPANDED", Compatible, Breaks;
    /// `multipleOf` became a divisor of the old one (more values allowed).
    MultipleOfReduced = "MULTIPLE_OF_REDUCED", Breaks, Compatible;
    /// `multipleOf` changed to an unrelated number.
    MultipleOfChanged = "MULTIPLE_OF_CHANGED", Breaks, Breaks;

    /// A `oneOf`/`anyOf` branch (a variant) was added.
    SumTypeExtended = "SUM_TYPE_EXTENDED", Breaks, Compatible;
    /// A `oneOf`/`anyOf` branch (a variant) was removed.
    SumTypeNarrowed = "SUM_TYPE_NARROWED", Compatible, Breaks;
    /// An `allOf` branch was added.
    ProductTypeExtended = "PRODUCT_TYPE_EXTENDED", Compatible, Breaks;
    /// An `allOf` branch was removed.
    ProductTypeNarrowed = "PRODUCT_TYPE_NARROWED", Breaks, Compatible;
    /// The combinator changed between `oneOf` and `anyOf`.
    CombinedTypeChanged = "COMBINED_TYPE_CHANGED", Depends("breaks when oneOf becomes anyOf"), Depends("breaks when anyOf becomes oneOf");

    /// The `not` schema now excludes fewer values, so the schema accepts more.
    NotTypeNarrowed = "NOT_TYPE_NARROWED", Breaks, Compatible;
    /// The `not` schema now excludes more values, so the schema accepts fewer.
    NotTypeExtended = "NOT_TYPE_EXTENDED", Compatible, Breaks;
    /// The `not` schema now excludes some values it allowed and allows some it excluded.
    NotTypeChanged = "NOT_TYPE_CHANGED", Breaks, Breaks;

    /// A keyword the gate does not analyse in depth (`not`, `if`, `contains`, `propertyNames`) was added.
    ConstraintAdded = "CONSTRAINT_ADDED", Compatible, Breaks;
    /// A keyword the gate does not analyse in depth was removed.
    ConstraintRemoved = "CONSTRAINT_REMOVED", Breaks, Compatible;
    /// A keyword the gate does not analyse in depth changed.
    ConstraintChanged = "CONSTRAINT_CHANGED", Breaks, Breaks;
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// A string that names no [`Kind`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{0}` is not a difference kind; the kinds are listed by `schema_compat::Kind::ALL` (e.g. ENUM_VALUE_ADDED)"
)]
pub struct UnknownKind(pub String);

impl FromStr for Kind {
    type Err = UnknownKind;

    fn from_str(id: &str) -> Result<Self, Self::Err> {
        Kind::ALL.iter().copied().find(|kind| kind.id() == id).ok_or_else(|| UnknownKind(id.to_owned()))
    }
}

impl Serialize for Kind {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.id())
    }
}

impl<'de> Deserialize<'de> for Kind {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let id = String::deserialize(deserializer)?;
        id.parse().map_err(serde::de::Error::custom)
    }
}

/// What `cargo xtask compat --explain KIND` prints: the kind, its rule per direction, and
/// how its verdict compares with Confluent Schema Registry's checker.
impl Kind {
    /// How the gate's verdict differs on purpose from Confluent Schema Registry's checker, and
    /// why; `None` when they agree.
    pub fn unlike_confluent(self) -> Option<&'static str> {
        crate::confluent::difference(self)
    }

    /// A few lines explaining the kind, for people reading a report.
    pub fn explain(self) -> String {
        let confluent = match self.unlike_confluent() {
            Some(note) => format!("differs on purpose: {note}"),
            None => "the same verdicts as its JSON Schema checker".to_owned(),
        };
        format!(
            "{}: {}\n  forward (old consumers, new events): {}\n  backward (new consumers, old events): {}\n  \
             Confluent Schema Registry: {confluent}\n",
            self.id(),
            self.summary().trim_end_matches('.'),
            self.rule(Direction::Forward).label(),
            self.rule(Direction::Backward).label(),
        )
    }
}

/// The rules as a Markdown table (kind, meaning, forward, backward, and where the verdict
/// differs on purpose from Confluent's checker), generated from this table so the README
/// cannot drift from the code.
pub fn rules_markdown() -> String {
    let mut out = String::from(
        "| Change | Kind | Forward (old consumers, new events) | Backward (new consumers, old events) | Unlike Confluent's checker, because |\n",
    );
    out.push_str("|---|---|---|---|---|\n");
    for kind in Kind::ALL {
        out.push_str(&format!(
            "| {} | `{}` | {} | {} | {} |\n",
            kind.summary().trim_end_matches('.').replace('|', "\\|"),
            kind.id(),
            kind.rule(Direction::Forward).label(),
            kind.rule(Direction::Backward).label(),
            kind.unlike_confluent().unwrap_or("").replace('|', "\\|"),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_id_is_unique_screaming_snake_case_and_parses_back() {
        let mut seen = std::collections::BTreeSet::new();
        for kind in Kind::ALL {
            assert!(seen.insert(kind.id()), "duplicate id {}", kind.id());
            assert!(kind.id().chars().all(|c| c.is_ascii_uppercase() || c == '_'), "{}", kind.id());
            assert_eq!(kind.id().parse::<Kind>(), Ok(*kind));
        }
    }

    #[test]
    fn unknown_kind_is_an_error_naming_it() {
        let error = "PROPERTY_RENAMED".parse::<Kind>().unwrap_err();
        assert!(error.to_string().contains("`PROPERTY_RENAMED` is not a difference kind"));
    }

    #[test]
    fn kinds_serialise_as_their_ids() {
        assert_eq!(serde_json::to_string(&Kind::EnumValueAdded).unwrap(), "\"ENUM_VALUE_ADDED\"");
        assert_eq!(serde_json::from_str::<Kind>("\"TYPE_NARROWED\"").unwrap(), Kind::TypeNarrowed);
    }

    #[test]
    fn rules_table_has_one_row_per_kind_with_both_directions() {
        let table = rules_markdown();
        assert_eq!(table.lines().count(), Kind::ALL.len() + 2);
        assert!(table.contains("| An enum gained a value | `ENUM_VALUE_ADDED` | breaks | compatible |  |"));
        assert!(table.contains("| `FORMAT_ADDED` |") && table.contains("ignores `format`"));
    }
}

#[cfg(test)]
mod explain_tests {
    use super::*;

    #[test]
    fn explain_names_both_rules_and_the_confluent_difference() {
        let text = Kind::AdditionalPropertiesRemoved.explain();
        assert!(
            text.starts_with("ADDITIONAL_PROPERTIES_REMOVED: Undeclared properties are now forbidden"),
            "{text}"
        );
        assert!(
            text.contains("backward (new consumers, old events): breaks (strict), compatible (lenient)"),
            "{text}"
        );
        assert!(text.contains("Confluent Schema Registry: the same verdicts"), "{text}");
        let text = Kind::RequiredUndeclaredPropertyAdded.explain();
        assert!(text.contains("differs on purpose: Confluent's checker ignores `required` names"), "{text}");
    }
}
