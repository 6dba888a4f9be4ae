//! Content models: what an object schema does with property names it does not declare, and
//! an array schema with items past its tuple.
//!
//! The content model that governs a name (or a position) decides what an added or removed
//! property (or tuple position) does to consumers:
//! - *closed* (`additionalProperties: false`, `additionalItems: false`): typify emits
//!   `#[serde(deny_unknown_fields)]` for a closed object, so a consumer rejects every event
//!   carrying a property its schema does not declare;
//! - *open* (no `additionalProperties`, no `additionalItems`): consumers ignore undeclared
//!   properties, but a producer may have written anything under a name its schema did not
//!   declare (the [`Policy::Strict`] concern);
//! - *partially open* (`additionalProperties`/`additionalItems` is a schema, or a
//!   `patternProperties` entry matches the name): consumers check the value against that
//!   catch-all schema, so the verdict comes from comparing the member's schema with it.

use serde_json::{Map, Value};

use crate::error::{Error, Side};
use crate::view::{View, is_annotation};
use crate::{Difference, Direction, Kind, Policy, Rule, pointer};

/// The `true` schema, for catch-alls that allow anything.
pub(crate) static TRUE: Value = Value::Bool(true);

/// What governs one undeclared property name, or the items past a tuple.
pub(crate) enum CatchAll<'a> {
    /// Anything goes.
    Open,
    /// The name is forbidden.
    Closed,
    /// The value must match these schemas (pointer, schema).
    Schemas(Vec<(String, &'a Value)>),
}

impl<'a> CatchAll<'a> {
    /// The content model a catch-all schema (`additionalProperties`, `additionalItems`) at
    /// `ptr` gives.
    pub fn of(ptr: &str, schema: &'a Value) -> CatchAll<'a> {
        match schema {
            Value::Bool(false) => CatchAll::Closed,
            schema if is_empty_schema(schema) => CatchAll::Open,
            schema => CatchAll::Schemas(vec![(ptr.to_owned(), schema)]),
        }
    }
}

/// `true` or a schema with nothing but annotations.
fn is_empty_schema(schema: &Value) -> bool {
    match schema {
        Value::Bool(b) => *b,
        Value::Object(map) => map.keys().all(|k| is_annotation(k)),
        _ => false,
    }
}

/// How one object schema treats names it does not declare.
pub(crate) struct Model<'a> {
    /// `additionalProperties` with its pointer; `None` when absent.
    additional: Option<(String, &'a Value)>,
    /// `patternProperties` entries: pattern, compiled pattern, pointer, schema.
    patterns: Vec<(&'a str, regress::Regex, String, &'a Value)>,
}

impl<'a> Model<'a> {
    pub fn of(view: &View<'a>) -> Result<Model<'a>, Error> {
        let additional = view
            .map
            .get("additionalProperties")
            .map(|v| (pointer::push(&view.ptr, "additionalProperties"), v));
        let mut patterns = Vec::new();
        if let Some(Value::Object(entries)) = view.map.get("patternProperties") {
            let base = pointer::push(&view.ptr, "patternProperties");
            for (pattern, schema) in entries {
                let regex = regress::Regex::new(pattern).map_err(|e| Error::InvalidPattern {
                    side: view.side,
                    at: base.clone(),
                    pattern: pattern.clone(),
                    message: e.to_string(),
                })?;
                patterns.push((pattern.as_str(), regex, pointer::push(&base, pattern), schema));
            }
        }
        Ok(Model { additional, patterns })
    }

    /// What governs names that no `patternProperties` entry matches.
    pub fn fallback(&self) -> CatchAll<'a> {
        match self.additional {
            None => CatchAll::Open,
            Some((ref ptr, schema)) => CatchAll::of(ptr, schema),
        }
    }

    /// The fallback as a schema (`true` when absent), with its pointer; `object_ptr` is the
    /// pointer of the object schema.
    pub fn fallback_schema(&self, object_ptr: &str) -> (String, &'a Value) {
        match self.additional {
            Some((ref ptr, schema)) => (ptr.clone(), schema),
            None => (pointer::push(object_ptr, "additionalProperties"), &TRUE),
        }
    }

    /// What governs the undeclared property `name`.
    pub fn catch_all(&self, name: &str) -> CatchAll<'a> {
        let matching: Vec<(String, &'a Value)> = self
            .patterns
            .iter()
            .filter(|(_, regex, ..)| regex.find(name).is_some())
            .map(|(_, _, ptr, schema)| (ptr.clone(), *schema))
            .collect();
        if matching.is_empty() { self.fallback() } else { CatchAll::Schemas(matching) }
    }

    /// The `patternProperties` entries by pattern.
    pub fn patterns(&self) -> impl Iterator<Item = (&'a str, &str, &'a Value)> {
        self.patterns.iter().map(|(pattern, _, ptr, schema)| (*pattern, ptr.as_str(), *schema))
    }
}

/// The names an object schema declares.
pub(crate) fn properties(map: &Map<String, Value>) -> &Map<String, Value> {
    static EMPTY: std::sync::LazyLock<Map<String, Value>> = std::sync::LazyLock::new(Map::new);
    match map.get("properties") {
        Some(Value::Object(properties)) => properties,
        _ => &EMPTY,
    }
}

/// `items` of one array schema: draft-07's tuple (`items: [..]` with `additionalItems`) or
/// list (`items: S`), or draft 2020-12's tuple spelling (`prefixItems: [..]` with `items`
/// for the rest), read as the same tuple.
pub(crate) struct Items<'a> {
    /// Tuple positions (pointer, schema); empty for a list.
    pub positions: Vec<(String, &'a Value)>,
    /// The schema of items past the positions (pointer, schema).
    pub rest: (String, &'a Value),
    /// Whether `items` was a single schema.
    pub list: bool,
    /// The keyword holding the positions: `items`, or `prefixItems`.
    pub keyword: &'static str,
}

impl<'a> Items<'a> {
    pub fn of(view: &View<'a>) -> Result<Items<'a>, Error> {
        if let Some(prefix) = view.map.get("prefixItems") {
            return Items::prefixed(view, prefix);
        }
        let items_ptr = pointer::push(&view.ptr, "items");
        Ok(match view.map.get("items") {
            Some(Value::Array(tuple)) => Items {
                positions: positions(&items_ptr, tuple),
                rest: (
                    pointer::push(&view.ptr, "additionalItems"),
                    view.map.get("additionalItems").unwrap_or(&TRUE),
                ),
                list: false,
                keyword: "items",
            },
            Some(schema) => {
                Items { positions: Vec::new(), rest: (items_ptr, schema), list: true, keyword: "items" }
            }
            None => Items { positions: Vec::new(), rest: (items_ptr, &TRUE), list: true, keyword: "items" },
        })
    }

    /// Draft 2020-12's tuple: `prefixItems`, and `items` for what follows. Mixed with
    /// draft-07's tuple spelling the meaning is ambiguous, so that is refused.
    fn prefixed(view: &View<'a>, prefix: &'a Value) -> Result<Items<'a>, Error> {
        let prefix_ptr = pointer::push(&view.ptr, "prefixItems");
        let refuse = |at: String, keyword: &'static str, problem: &str| Error::Keyword {
            side: view.side,
            at,
            keyword,
            problem: problem.to_owned(),
        };
        let Value::Array(tuple) = prefix else {
            return Err(refuse(
                prefix_ptr,
                "prefixItems",
                "must be an array of schemas, one per tuple position",
            ));
        };
        if view.map.get("items").is_some_and(Value::is_array) {
            return Err(refuse(
                pointer::push(&view.ptr, "items"),
                "items",
                "is a tuple beside `prefixItems`: draft-07 and draft 2020-12 tuples are mixed; keep \
                 `prefixItems` and make `items` the schema of the items that follow (or drop `prefixItems`)",
            ));
        }
        if view.map.contains_key("additionalItems") {
            return Err(refuse(
                pointer::push(&view.ptr, "additionalItems"),
                "additionalItems",
                "is draft-07's rest of an `items` tuple, and this tuple is `prefixItems` (draft 2020-12), \
                 where the rest is `items`; rename `additionalItems` to `items`",
            ));
        }
        let rest_ptr = pointer::push(&view.ptr, "items");
        Ok(Items {
            positions: positions(&prefix_ptr, tuple),
            rest: (rest_ptr, view.map.get("items").unwrap_or(&TRUE)),
            list: false,
            keyword: "prefixItems",
        })
    }

    /// Only what `additionalItems` says (`true` when absent), for arrays whose `items` is no
    /// tuple: the rest of a tuple that is empty.
    pub fn declared_additional(view: &View<'a>) -> Items<'a> {
        let rest = view.map.get("additionalItems").unwrap_or(&TRUE);
        let rest_ptr = pointer::push(&view.ptr, "additionalItems");
        Items { positions: Vec::new(), rest: (rest_ptr, rest), list: false, keyword: "items" }
    }

    /// The content model of the items past the tuple.
    pub fn rest_model(&self) -> CatchAll<'a> {
        CatchAll::of(&self.rest.0, self.rest.1)
    }
}

/// Tuple positions with their pointers under `base` (`.../items/0`, ...).
fn positions<'a>(base: &str, tuple: &'a [Value]) -> Vec<(String, &'a Value)> {
    tuple.iter().enumerate().map(|(i, s)| (pointer::push(base, &i.to_string()), s)).collect()
}

/// Which schema declares a member (a property, a tuple position) that the other lacks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Change {
    /// Only the new schema declares it.
    Added,
    /// Only the old schema declares it.
    Removed,
}

impl Change {
    /// The schema that declares the member.
    pub fn side(self) -> Side {
        match self {
            Change::Added => Side::New,
            Change::Removed => Side::Old,
        }
    }

    /// The direction whose consumers know the member and receive events from producers that
    /// do not: new consumers of old events when it was added, old consumers of new events
    /// when it was removed.
    pub fn knowing(self) -> Direction {
        match self {
            Change::Added => Direction::Backward,
            Change::Removed => Direction::Forward,
        }
    }

    /// A report's old and new text: `text` on the declaring side, nothing on the other.
    pub fn texts(self, text: String) -> (Option<String>, Option<String>) {
        match self {
            Change::Added => (None, Some(text)),
            Change::Removed => (Some(text), None),
        }
    }
}

/// A member only one schema declares, with what its verdict depends on.
pub(crate) struct Member<'a> {
    /// Which schema declares it.
    pub change: Change,
    /// Its schema, on the declaring side.
    pub view: View<'a>,
    /// Whether the declaring schema requires it (never, for a tuple position).
    pub required: bool,
    /// What governs it in the other schema.
    pub catch_all: CatchAll<'a>,
    /// The differences from the old side's schema to the new side's (the catch-all and the
    /// member's own, in that order when it was added), for a partially open catch-all.
    pub found: Vec<Difference>,
}

impl Member<'_> {
    /// The verdict (forward, backward) on the member as `kind`, whose rule per direction is
    /// the one source of truth: a direction whose rule is compatible never breaks, and one
    /// whose rule breaks does so unless this member cannot, namely
    /// - for consumers that know it: an optional member whose schema accepts anything (the
    ///   other side's producers cannot have written a value it rejects);
    /// - for consumers that do not: a member whose schema is `false` (no event carries it).
    ///
    /// A rule that depends on the schemas is decided by the catch-all comparison in
    /// [`Member::found`]; for consumers that know the member only when producers may have
    /// written it undeclared (`undeclared_written`: under [`Policy::Strict`] for a property,
    /// always for a tuple position).
    pub fn verdict(&self, kind: Kind, policy: Policy, undeclared_written: bool) -> (bool, bool) {
        let breaks = |direction: Direction| {
            let knowing = direction == self.change.knowing();
            match kind.rule(direction) {
                Rule::Depends(_) => {
                    (!knowing || undeclared_written) && self.found.iter().any(|d| d.breaks_in(direction))
                }
                rule => {
                    let cannot = if knowing {
                        !self.required && self.view.accepts_anything()
                    } else {
                        self.view.never
                    };
                    rule.breaks(policy) == Some(true) && !cannot
                }
            }
        };
        (breaks(Direction::Forward), breaks(Direction::Backward))
    }
}

/// Whether the policy lets producers write undeclared properties.
pub(crate) fn producers_may_write_undeclared(policy: Policy) -> bool {
    policy == Policy::Strict
}
