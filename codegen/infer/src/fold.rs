//! Folding JSON into a [`Shape`] while it is parsed.
//!
//! [`Fold`] is a serde [`DeserializeSeed`]: the parser calls it for each value, and it updates
//! the shape of the value's place directly, so no `serde_json::Value` tree is ever built and
//! memory is O(shape), not O(input). A 50 MB array of objects costs its text plus a few
//! kilobytes. The same seed reads a `&Value` (serde_json's `Value` is a `Deserializer` too),
//! so text and values go through one code path.
//!
//! Nesting is not limited: serde_json's recursion limit is turned off, and each level of the
//! fold runs through [`crate::stack::deep`], which moves to a new stack segment when the
//! current one runs low, so the parser and the fold take any depth that fits in memory.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use crate::hints::{Hint, Hints, WILDCARD};
use crate::shape::{MAP_COLLAPSE_KEYS, MAX_ENUM_VALUE_LEN, ObjectShape, Shape, StringShape};

/// Integers beyond this magnitude are not exact in a JavaScript `number` (2^53 - 1).
pub const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// Distinct values tracked for a place that is not hinted as an enum.
pub const ENUM_TRACK_CAP: usize = 10;

/// Distinct values a hinted enum may have.
pub const HINTED_ENUM_CAP: usize = 1000;

/// What the fold needs besides the shape: the hints, and which hint nodes were reached.
pub struct Context<'a> {
    /// The hints file.
    pub hints: &'a Hints,
    /// Per hints node, whether some value lay there.
    pub reached: &'a mut Vec<bool>,
}

/// Folds one value into `shape`.
pub struct Fold<'s, 'c, 'h> {
    /// The shape of the value's place.
    pub shape: &'s mut Shape,
    /// Hints and their bookkeeping.
    pub context: &'c mut Context<'h>,
    /// The hints node for this place.
    pub hint: Option<usize>,
}

impl<'de> DeserializeSeed<'de> for Fold<'_, '_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        if let Some(node) = self.hint {
            self.context.reached[node] = true;
            if self.context.hints.hint(Some(node)).is_some() {
                self.shape.hint = Some(node);
            }
        }
        if self.context.hints.hint(self.hint) == Some(&Hint::Any) {
            self.shape.count += 1;
            deserializer.deserialize_ignored_any(IgnoredAny)?;
            return Ok(());
        }
        crate::stack::deep(|| deserializer.deserialize_any(self))
    }
}

impl<'de> Visitor<'de> for Fold<'_, '_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.shape.count += 1;
        self.shape.nulls += 1;
        Ok(())
    }

    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        self.visit_unit()
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        self.shape.count += 1;
        self.shape.booleans += 1;
        Ok(())
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<(), E> {
        self.shape.count += 1;
        self.shape.integers += 1;
        self.shape.negative_integers += u64::from(value < 0);
        self.shape.unsafe_integers += u64::from(value.unsigned_abs() > MAX_SAFE_INTEGER);
        Ok(())
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<(), E> {
        self.shape.count += 1;
        self.shape.integers += 1;
        self.shape.integers_beyond_i64 += u64::from(value > i64::MAX as u64);
        self.shape.unsafe_integers += u64::from(value > MAX_SAFE_INTEGER);
        Ok(())
    }

    fn visit_i128<E: de::Error>(self, value: i128) -> Result<(), E> {
        // Only reachable with other deserializers; outside 64 bits a JSON parser gives f64.
        if let Ok(value) = i64::try_from(value) {
            return self.visit_i64(value);
        }
        if let Ok(value) = u64::try_from(value) {
            return self.visit_u64(value);
        }
        self.shape.count += 1;
        self.shape.floats += 1;
        Ok(())
    }

    fn visit_u128<E: de::Error>(self, value: u128) -> Result<(), E> {
        self.visit_i128(i128::try_from(value).unwrap_or(i128::MAX))
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        self.shape.count += 1;
        self.shape.floats += 1;
        Ok(())
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<(), E> {
        self.shape.count += 1;
        let enum_hinted = self.context.hints.hint(self.hint) == Some(&Hint::Enum);
        let (cap, max_len) =
            if enum_hinted { (HINTED_ENUM_CAP, usize::MAX) } else { (ENUM_TRACK_CAP, MAX_ENUM_VALUE_LEN) };
        self.shape.strings.get_or_insert_with(|| Box::new(StringShape::new(cap, max_len))).add(text);
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        self.shape.count += 1;
        let hints = self.context.hints;
        let item_hint = hints.child(self.hint, WILDCARD);
        let arrays = self.shape.arrays.get_or_insert_with(Box::default);
        arrays.count += 1;
        let mut len = 0u64;
        while let Some(()) =
            seq.next_element_seed(Fold { shape: &mut arrays.items, context: self.context, hint: item_hint })?
        {
            len += 1;
        }
        if len == 0 {
            arrays.empty += 1;
        }
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        self.shape.count += 1;
        let hints = self.context.hints;
        let map_hinted = hints.hint(self.hint) == Some(&Hint::Map);
        let objects = self.shape.objects.get_or_insert_with(|| {
            let map = map_hinted.then(Box::default);
            Box::new(ObjectShape { map, ..ObjectShape::default() })
        });
        objects.count += 1;
        let serial = objects.count;
        let mut keys = 0u64;
        // Objects at one place usually list their keys in one order: try the field after the
        // last one first, and hash the key only when that guess is wrong.
        let mut guess = 0;
        while let Some(slot) = map.next_key_seed(KeySlot { objects, hints, hint: self.hint, guess })? {
            keys += 1;
            let (shape, hint) = match slot {
                Slot::Field(index, hint) => {
                    guess = index + 1;
                    let field = &mut objects.fields[index];
                    if field.last_seen != serial {
                        field.last_seen = serial;
                        field.present += 1;
                    }
                    (&mut field.shape, hint)
                }
                Slot::MapValue => {
                    let values = objects.map.get_or_insert_with(Box::default);
                    (&mut **values, hints.child(self.hint, WILDCARD))
                }
            };
            map.next_value_seed(Fold { shape, context: self.context, hint })?;
        }
        if keys == 0 {
            objects.empty += 1;
        }
        Ok(())
    }
}

/// Where a key's value goes: a record field (by index, with the hints node for the key) or
/// the values of a map.
enum Slot {
    Field(usize, Option<usize>),
    MapValue,
}

/// Reads one object key and finds its slot, allocating only for keys not seen before.
struct KeySlot<'o, 'h> {
    objects: &'o mut ObjectShape,
    hints: &'h Hints,
    hint: Option<usize>,
    /// The field index to compare with first.
    guess: usize,
}

impl<'de> DeserializeSeed<'de> for KeySlot<'_, '_> {
    type Value = Slot;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Slot, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySlot<'_, '_> {
    type Value = Slot;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object key")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Slot, E> {
        if self.objects.map.is_some() {
            return Ok(Slot::MapValue);
        }
        if self.objects.fields.len() >= MAP_COLLAPSE_KEYS && !self.objects.index.contains_key(key) {
            self.objects.make_map();
            return Ok(Slot::MapValue);
        }
        let index = match self.objects.fields.get(self.guess) {
            Some(field) if field.name == key => self.guess,
            _ => self.objects.field_index(key),
        };
        Ok(Slot::Field(index, self.hints.child(self.hint, key)))
    }
}
