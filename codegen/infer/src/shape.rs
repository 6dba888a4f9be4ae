//! The shape: a compact summary of every value seen at one place of the samples.
//!
//! Inference never keeps the samples. Each value is folded into the [`Shape`] of its place
//! (counts per JSON kind, string formats and a few distinct values, array items, object
//! fields with how often each was present), so memory grows with the number of distinct
//! places, not with the input. Shapes of two sets of samples [`merge`](Shape::merge) into the
//! shape of their union, which is what makes adding samples one by one exact.

use std::collections::HashMap;

use crate::formats::{self, Format};

/// Everything seen at one place.
///
/// Cloning, merging and dropping follow the nesting of the samples, one level at a time
/// through [`crate::stack::deep`], so a shape of any depth is safe to handle.
#[derive(Debug, Default)]
pub struct Shape {
    /// Values seen (of any kind, nulls included).
    pub count: u64,
    /// `null`s seen.
    pub nulls: u64,
    /// Booleans seen.
    pub booleans: u64,
    /// Numbers that parsed as a 64-bit integer (signed or unsigned).
    pub integers: u64,
    /// Of those, how many were negative.
    pub negative_integers: u64,
    /// Of those, how many were above `i64::MAX` (they fit `u64`).
    pub integers_beyond_i64: u64,
    /// Of those, how many were beyond 2^53 - 1 in magnitude, where a JavaScript `number`
    /// stops being exact.
    pub unsafe_integers: u64,
    /// Other numbers (fractions, exponents, integers beyond 64 bits).
    pub floats: u64,
    /// Strings, if any were seen.
    pub strings: Option<Box<StringShape>>,
    /// Arrays, if any were seen.
    pub arrays: Option<Box<ArrayShape>>,
    /// Objects, if any were seen.
    pub objects: Option<Box<ObjectShape>>,
    /// The hints-file node for this place, if the file names it.
    pub hint: Option<usize>,
}

/// Strings seen at one place.
#[derive(Debug, Clone)]
pub struct StringShape {
    /// Strings seen.
    pub count: u64,
    /// The format all of them have, as far as seen.
    pub format: FormatState,
    /// The distinct values with their counts, while there are at most `cap` of them; `None`
    /// once there were more (or one was too long to be an enum value).
    pub values: Option<Vec<(String, u64)>>,
    /// How many distinct values to track before giving up on an enum.
    pub cap: usize,
    /// Longest value tracked before giving up on an enum.
    pub max_len: usize,
}

/// Whether every string at a place has one format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormatState {
    /// No string seen yet.
    Unseen,
    /// Every string so far has this format.
    All(Format),
    /// Some string had no format, or another one.
    None,
}

/// Longest string tracked as a possible enum value when no hint asks for an enum.
pub const MAX_ENUM_VALUE_LEN: usize = 64;

impl StringShape {
    /// An empty string shape that tracks up to `cap` distinct values of at most `max_len`
    /// bytes.
    pub fn new(cap: usize, max_len: usize) -> Self {
        StringShape { count: 0, format: FormatState::Unseen, values: Some(Vec::new()), cap, max_len }
    }

    /// Folds one string in.
    pub fn add(&mut self, text: &str) {
        self.count += 1;
        self.format = match self.format {
            FormatState::Unseen => formats::detect(text).map_or(FormatState::None, FormatState::All),
            FormatState::All(format) if formats::has_format(format, text) => FormatState::All(format),
            _ => FormatState::None,
        };
        if let Some(values) = &mut self.values {
            if let Some(entry) = values.iter_mut().find(|(v, _)| v == text) {
                entry.1 += 1;
            } else if values.len() < self.cap && text.len() <= self.max_len {
                values.push((text.to_owned(), 1));
            } else {
                self.values = None;
            }
        }
    }

    fn merge(&mut self, other: StringShape) {
        self.count += other.count;
        self.format = match (self.format, other.format) {
            (FormatState::Unseen, x) | (x, FormatState::Unseen) => x,
            (FormatState::All(a), FormatState::All(b)) if a == b => FormatState::All(a),
            _ => FormatState::None,
        };
        self.cap = self.cap.max(other.cap);
        self.max_len = self.max_len.max(other.max_len);
        self.values = match (self.values.take(), other.values) {
            (Some(mut mine), Some(theirs)) => {
                for (value, n) in theirs {
                    match mine.iter_mut().find(|(v, _)| *v == value) {
                        Some(entry) => entry.1 += n,
                        None => mine.push((value, n)),
                    }
                }
                (mine.len() <= self.cap).then_some(mine)
            }
            _ => None,
        };
    }
}

/// Arrays seen at one place.
#[derive(Debug, Default)]
pub struct ArrayShape {
    /// Arrays seen.
    pub count: u64,
    /// Of those, how many were empty.
    pub empty: u64,
    /// The shape of every element of every array here.
    pub items: Shape,
}

/// Objects seen at one place: either a record of named fields, or (when a hint says so or
/// it has too many keys to be a record) a map whose values share one shape.
#[derive(Debug, Clone, Default)]
pub struct ObjectShape {
    /// Objects seen.
    pub count: u64,
    /// The fields, in order of first appearance.
    pub fields: Vec<Field>,
    /// Field name to index in `fields`.
    pub index: HashMap<String, usize>,
    /// The shape of every value, once this place is a map (`fields` is then empty).
    pub map: Option<Box<Shape>>,
    /// Objects seen that had no keys at all.
    pub empty: u64,
}

/// One named field of a record.
#[derive(Debug, Clone, Default)]
pub struct Field {
    /// The key.
    pub name: String,
    /// Objects that had this key.
    pub present: u64,
    /// The serial (`ObjectShape::count`) of the last object that had it, so a key repeated
    /// within one object counts once.
    pub last_seen: u64,
    /// Every value the key had.
    pub shape: Shape,
}

/// Distinct keys at which a record becomes a map while folding: beyond this no record is
/// plausible, and keeping every key would make memory grow with the input.
pub const MAP_COLLAPSE_KEYS: usize = 1000;

impl ObjectShape {
    /// The index of `key`'s field, adding it if new.
    pub fn field_index(&mut self, key: &str) -> usize {
        if let Some(&index) = self.index.get(key) {
            return index;
        }
        self.fields.push(Field { name: key.to_owned(), ..Field::default() });
        self.index.insert(key.to_owned(), self.fields.len() - 1);
        self.fields.len() - 1
    }

    /// Turns this record into a map, merging every field's values into one shape.
    pub fn make_map(&mut self) {
        let mut values = self.map.take().map_or_else(Shape::default, |b| *b);
        for field in self.fields.drain(..) {
            values.merge(field.shape);
        }
        self.index = HashMap::new();
        self.map = Some(Box::new(values));
    }

    fn merge(&mut self, mut other: ObjectShape) {
        self.count += other.count;
        self.empty += other.empty;
        if self.map.is_some() || other.map.is_some() {
            self.make_map();
            other.make_map();
            if let (Some(mine), Some(theirs)) = (&mut self.map, other.map) {
                mine.merge(*theirs);
            }
            return;
        }
        for field in other.fields {
            let index = self.field_index(&field.name);
            let mine = &mut self.fields[index];
            mine.present += field.present;
            mine.shape.merge(field.shape);
        }
        if self.fields.len() > MAP_COLLAPSE_KEYS {
            self.make_map();
        }
    }
}

impl Clone for Shape {
    fn clone(&self) -> Self {
        crate::stack::deep(|| Shape {
            count: self.count,
            nulls: self.nulls,
            booleans: self.booleans,
            integers: self.integers,
            negative_integers: self.negative_integers,
            integers_beyond_i64: self.integers_beyond_i64,
            unsafe_integers: self.unsafe_integers,
            floats: self.floats,
            strings: self.strings.clone(),
            arrays: self
                .arrays
                .as_ref()
                .map(|a| Box::new(ArrayShape { count: a.count, empty: a.empty, items: a.items.clone() })),
            objects: self.objects.clone(),
            hint: self.hint,
        })
    }
}

impl Drop for Shape {
    fn drop(&mut self) {
        if self.arrays.is_some() || self.objects.is_some() {
            let (arrays, objects) = (self.arrays.take(), self.objects.take());
            crate::stack::deep(move || drop((arrays, objects)));
        }
    }
}

impl Shape {
    /// Whether nothing was ever seen here.
    pub fn is_unseen(&self) -> bool {
        self.count == 0
    }

    /// Folds `other` (the shape of other samples at the same place) into this one.
    pub fn merge(&mut self, other: Shape) {
        crate::stack::deep(|| self.merge_level(other));
    }

    fn merge_level(&mut self, mut other: Shape) {
        self.count += other.count;
        self.nulls += other.nulls;
        self.booleans += other.booleans;
        self.integers += other.integers;
        self.negative_integers += other.negative_integers;
        self.integers_beyond_i64 += other.integers_beyond_i64;
        self.unsafe_integers += other.unsafe_integers;
        self.floats += other.floats;
        self.hint = self.hint.or(other.hint);
        if let Some(theirs) = other.strings.take() {
            match &mut self.strings {
                Some(mine) => mine.merge(*theirs),
                None => self.strings = Some(theirs),
            }
        }
        if let Some(theirs) = other.arrays.take() {
            match &mut self.arrays {
                Some(mine) => {
                    let theirs = *theirs;
                    mine.count += theirs.count;
                    mine.empty += theirs.empty;
                    mine.items.merge(theirs.items);
                }
                None => self.arrays = Some(theirs),
            }
        }
        if let Some(theirs) = other.objects.take() {
            match &mut self.objects {
                Some(mine) => mine.merge(*theirs),
                None => self.objects = Some(theirs),
            }
        }
    }

    /// The JSON kinds seen here, ignoring null, as a bit set (see [`Kinds`]).
    pub fn kinds(&self) -> Kinds {
        let mut kinds = Kinds(0);
        for (seen, bit) in [
            (self.booleans > 0, Kinds::BOOLEAN),
            (self.integers + self.floats > 0, Kinds::NUMBER),
            (self.strings.is_some(), Kinds::STRING),
            (self.arrays.is_some(), Kinds::ARRAY),
            (self.objects.is_some(), Kinds::OBJECT),
        ] {
            if seen {
                kinds.0 |= bit;
            }
        }
        kinds
    }
}

/// A set of non-null JSON kinds (integer and number count as one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Kinds(pub u8);

impl Kinds {
    /// `true`/`false`.
    pub const BOOLEAN: u8 = 1;
    /// Any number.
    pub const NUMBER: u8 = 2;
    /// A string.
    pub const STRING: u8 = 4;
    /// An array.
    pub const ARRAY: u8 = 8;
    /// An object.
    pub const OBJECT: u8 = 16;

    /// How many kinds are in the set.
    pub fn len(self) -> u32 {
        self.0.count_ones()
    }

    /// Whether the set is empty.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(values: &[&str]) -> StringShape {
        let mut shape = StringShape::new(10, MAX_ENUM_VALUE_LEN);
        for v in values {
            shape.add(v);
        }
        shape
    }

    #[test]
    fn a_format_holds_only_while_every_string_has_it() {
        assert_eq!(strings(&["2024-01-01", "2024-02-02"]).format, FormatState::All(Format::Date));
        assert_eq!(strings(&["2024-01-01", "soon"]).format, FormatState::None);
        assert_eq!(strings(&["2024-01-01", "2024-01-01T00:00:00Z"]).format, FormatState::None);
        let mut merged = strings(&["2024-01-01"]);
        merged.merge(strings(&["x"]));
        assert_eq!(merged.format, FormatState::None);
    }

    #[test]
    fn distinct_values_are_tracked_up_to_the_cap() {
        let few = strings(&["a", "b", "a"]);
        assert_eq!(few.values, Some(vec![("a".into(), 2), ("b".into(), 1)]));
        let many: Vec<String> = (0..11).map(|i| i.to_string()).collect();
        let refs: Vec<&str> = many.iter().map(String::as_str).collect();
        assert_eq!(strings(&refs).values, None);
        assert_eq!(strings(&[&"x".repeat(MAX_ENUM_VALUE_LEN + 1)]).values, None);
    }

    #[test]
    fn merging_objects_adds_presence_and_keeps_absent_fields() {
        let mut a = ObjectShape { count: 1, ..Default::default() };
        let i = a.field_index("x");
        a.fields[i].present = 1;
        let mut b = ObjectShape { count: 1, ..Default::default() };
        let j = b.field_index("y");
        b.fields[j].present = 1;
        a.merge(b);
        assert_eq!(a.count, 2);
        let names: Vec<_> = a.fields.iter().map(|f| (f.name.as_str(), f.present)).collect();
        assert_eq!(names, [("x", 1), ("y", 1)]);
    }

    #[test]
    fn a_record_merged_with_a_map_becomes_a_map() {
        let mut record = ObjectShape { count: 1, ..Default::default() };
        let i = record.field_index("x");
        record.fields[i].shape.integers = 1;
        record.fields[i].shape.count = 1;
        let map = ObjectShape { count: 1, map: Some(Box::default()), ..Default::default() };
        record.merge(map);
        assert!(record.fields.is_empty());
        assert_eq!(record.map.as_ref().unwrap().integers, 1);
    }
}
