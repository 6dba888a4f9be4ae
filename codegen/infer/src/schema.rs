//! Turning a [`Shape`] into a draft-07 JSON Schema.
//!
//! One walk over the shape, keys sorted, builds each place's schema. Records and enums become
//! definitions: their bodies are interned by canonical text, so identical shapes anywhere
//! share one definition; references are placeholders until every definition has its name
//! (see [`crate::naming`]), then become `#/definitions/<Name>`.
//!
//! The output uses only `$schema`, `title`, `type`, `properties`, `required`,
//! `additionalProperties`, `items`, `enum`, `format`, `anyOf`, `$ref` and `definitions`, in
//! the shapes schemars produces, so the emitters for Rust-defined events read it too:
//! - one kind: `{"type": "integer"}`, `{"type": "string", "format": "date"}`,
//!   `{"type": "array", "items": …}`, `{"$ref": …}` (records, enums),
//!   `{"type": "object", "additionalProperties": …}` (maps);
//! - nullable: `"type": [T, "null"]` beside the same keywords, or
//!   `{"anyOf": [{"$ref": …}, {"type": "null"}]}` for references and enums;
//! - several scalar kinds: `"type": ["integer", "string"]`; any other mix: `anyOf` of the
//!   one-kind schemas (plus `{"type": "null"}` when nullable);
//! - nothing known (always null, items of arrays always empty): `{}`, with a [`Warning`].

use std::cell::OnceCell;
use std::collections::HashMap;

use serde_json::{Map, Value, json};

use crate::evidence;
use crate::hints::{Hint, Hints};
use crate::naming::{self, Wish};
use crate::shape::{FormatState, ObjectShape, Shape, StringShape};
use crate::{InferError, Warning};

/// The `$schema` of every inferred schema.
pub const DRAFT_07: &str = "http://json-schema.org/draft-07/schema#";

/// Marks a placeholder `$ref` (a definition id) until names are assigned.
const PLACEHOLDER: char = '\u{0}';

/// Builds the schema of `shape` for the type `root`.
pub fn build(root: &str, shape: &Shape, hints: &Hints) -> Result<(Value, Vec<Warning>), InferError> {
    let mut builder =
        Builder { hints, defs: Vec::new(), interned: HashMap::new(), warnings: Vec::new(), order: 0 };
    let place = Place { up: None, base: Base::Known(root.to_owned()), parent: root, root: true, inline: 0 };
    let mut schema = builder.place(shape, &place)?;
    let wishes: Vec<Wish> = builder.defs.iter().map(Def::wish).collect();
    let names = naming::assign(root, &wishes);
    let mut definitions = Map::new();
    for (def, name) in builder.defs.iter_mut().zip(&names) {
        let mut body = std::mem::take(&mut def.body);
        resolve_refs(&mut body, &names);
        if let Value::Object(map) = &mut body {
            map.insert("title".into(), Value::String(name.clone()));
        }
        definitions.insert(name.clone(), body);
    }
    resolve_refs(&mut schema, &names);
    let mut root_schema = match schema {
        Value::Object(map) => map,
        _ => Map::new(),
    };
    root_schema.insert("$schema".into(), DRAFT_07.into());
    root_schema.insert("title".into(), root.into());
    if !definitions.is_empty() {
        root_schema.insert("definitions".into(), Value::Object(definitions));
    }
    Ok((Value::Object(root_schema), builder.warnings))
}

/// Deepest inline nesting of schemas (arrays in arrays, maps in maps) inside one definition
/// or the root; a deeper place becomes a definition of its own. Real JSON rarely comes near
/// it, and it keeps every schema this module writes shallow, so nothing that reads one
/// (validators, emitters, `serde_json`'s recursive drop) recurses deeply however deep the
/// samples were.
pub const MAX_INLINE_DEPTH: usize = 32;

/// Where in the samples a schema is being built, and what a definition there would be called.
struct Place<'a> {
    /// The enclosing place and this place's key under it (`-` for array elements and map
    /// values); `None` at the root. The JSON Pointer is built from these only when needed,
    /// so deep samples do not cost a pointer string per level.
    up: Option<(&'a Place<'a>, &'a str)>,
    /// Name a definition here would like (see [`Place::base`]).
    base: Base<'a>,
    /// Name of the enclosing place, the prefix on a name collision.
    parent: &'a str,
    /// The sample's root, whose record or enum is the schema itself, not a definition.
    root: bool,
    /// Inline nesting below the enclosing definition (or the root).
    inline: usize,
}

/// A place's base name, made only when asked for: most places (strings, numbers) never
/// define anything, so most never need theirs.
enum Base<'a> {
    Known(String),
    /// A property's name in PascalCase, made once.
    Field(&'a str, OnceCell<String>),
    /// Another place's base (a branch of the same place).
    Same(&'a Place<'a>),
    /// Another place's base with a suffix, made once.
    Suffixed(&'a Place<'a>, &'static str, OnceCell<String>),
}

impl<'a> Place<'a> {
    fn child(&'a self, segment: &'a str, base: Base<'a>, parent: &'a str, inline: usize) -> Place<'a> {
        Place { up: Some((self, segment)), base, parent, root: false, inline }
    }

    /// The name a definition here would like.
    fn base(&self) -> &str {
        match &self.base {
            Base::Known(name) => name,
            Base::Field(name, made) => made.get_or_init(|| naming::pascal_case(name)),
            Base::Same(place) => place.base(),
            Base::Suffixed(place, suffix, made) => made.get_or_init(|| format!("{}{suffix}", place.base())),
        }
    }

    /// This place as one branch of the schemas it holds, whose definition at the root
    /// (several kinds there) takes `suffix`.
    fn branch(&'a self, suffix: &'static str, inline: bool) -> Place<'a> {
        let base = if self.root && !inline {
            Base::Suffixed(self, suffix, OnceCell::new())
        } else {
            Base::Same(self)
        };
        Place { up: self.up, base, parent: self.parent, root: self.root, inline: self.inline }
    }

    /// JSON Pointer of the place (RFC 6901; the hints file's syntax).
    fn pointer(&self) -> String {
        let mut segments = Vec::new();
        let mut place = self;
        while let Some((up, segment)) = place.up {
            segments.push(segment);
            place = up;
        }
        schema_model::pointer::from_segments(segments.into_iter().rev())
    }
}

/// A definition being built: its body (without title) and every place it occurred.
struct Def {
    body: Value,
    hinted: Option<String>,
    /// (pre-order position, base name, parent name) of each occurrence.
    occurrences: Vec<(usize, String, String)>,
}

impl Def {
    /// The most common base name among the occurrences (the first on ties).
    fn wish(&self) -> Wish {
        let mut counts: HashMap<&str, usize> = HashMap::new();
        for (_, base, _) in &self.occurrences {
            *counts.entry(base).or_default() += 1;
        }
        let best = self
            .occurrences
            .iter()
            .max_by(|a, b| counts[a.1.as_str()].cmp(&counts[b.1.as_str()]).then(b.0.cmp(&a.0)));
        let (_, base, parent) = best.cloned().unwrap_or_default();
        Wish { base, parent, hinted: self.hinted.clone() }
    }
}

struct Builder<'h> {
    hints: &'h Hints,
    defs: Vec<Def>,
    /// Per hash of a definition's text (hinted name and body), the definitions with it.
    interned: HashMap<u64, Vec<usize>>,
    warnings: Vec<Warning>,
    order: usize,
}

impl Builder<'_> {
    fn warn(&mut self, place: &Place<'_>, message: &str) {
        self.warnings.push(Warning { path: place.pointer(), message: message.to_owned() });
    }

    fn mismatch(&self, shape: &Shape, hint: &Hint, reason: &str) -> InferError {
        let pointer = shape.hint.map(|n| self.hints.pointer(n).to_owned()).unwrap_or_default();
        InferError::HintMismatch { pointer, hint: hint.spelling(), reason: reason.to_owned() }
    }

    /// The schema of every value seen at `place`.
    fn place(&mut self, shape: &Shape, place: &Place<'_>) -> Result<Value, InferError> {
        crate::stack::deep(|| self.place_level(shape, place))
    }

    fn place_level(&mut self, shape: &Shape, place: &Place<'_>) -> Result<Value, InferError> {
        let order = self.order;
        self.order += 1;
        let hint = self.hints.hint(shape.hint).cloned();
        if hint == Some(Hint::Any) || shape.is_unseen() {
            return Ok(json!({}));
        }
        let kinds = shape.kinds();
        let only_strings = kinds.0 & !crate::shape::Kinds::STRING == 0 && shape.strings.is_some();
        match &hint {
            Some(h @ (Hint::String | Hint::Enum)) if !only_strings => {
                return Err(self.mismatch(
                    shape,
                    h,
                    "the samples have values other than strings (or null) there",
                ));
            }
            Some(h @ Hint::Map) if shape.objects.is_none() => {
                return Err(self.mismatch(shape, h, "the samples have no object there"));
            }
            _ => {}
        }
        if kinds.is_empty() {
            self.warn(place, "always null in the samples; accepts anything");
            return Ok(json!({}));
        }
        let inline = place.root && kinds.len() == 1;
        // Too deep inline: this place becomes a definition, and its children start over.
        let nests = shape.arrays.is_some() || shape.objects.is_some();
        let defining = !place.root && place.inline >= MAX_INLINE_DEPTH && nests;
        let child_inline = if defining { 1 } else { place.inline + 1 };
        let mut branches = Vec::new();
        let mut defined = false;
        if shape.booleans > 0 {
            branches.push(object([("type", "boolean".into())]));
        }
        if shape.integers + shape.floats > 0 {
            branches.push(number_schema(shape));
        }
        if let Some(strings) = &shape.strings {
            let (schema, is_def) =
                self.strings(strings, shape, &hint, &place.branch("Enum", inline), order, inline)?;
            defined |= is_def;
            branches.push(schema);
        }
        if let Some(arrays) = &shape.arrays {
            let items_place = place.child(
                "-",
                Base::Known(naming::element_name(place.base(), "Item")),
                place.parent,
                child_inline,
            );
            let items = if arrays.items.is_unseen() {
                self.warn(place, "array is always empty in the samples; its items accept anything");
                json!({})
            } else {
                self.place(&arrays.items, &items_place)?
            };
            branches.push(object([("type", "array".into()), ("items", items)]));
        }
        if let Some(objects) = &shape.objects {
            let (schema, is_def) = self.objects(
                objects,
                shape,
                &hint,
                &place.branch("Object", inline),
                order,
                inline,
                child_inline,
            )?;
            defined |= is_def;
            branches.push(schema);
        }
        if let Some(h @ Hint::Name(_)) = &hint
            && !defined
        {
            return Err(self.mismatch(
                shape,
                h,
                "only a record or an enum can be named, and there is neither",
            ));
        }
        let schema = combine(branches, shape.nulls > 0);
        if defining && schema.get("$ref").is_none() {
            return Ok(self.define(schema, place, &None, order, false));
        }
        Ok(schema)
    }

    /// The schema of the strings at a place: plain, with a format, or an enum definition.
    fn strings(
        &mut self,
        strings: &StringShape,
        shape: &Shape,
        hint: &Option<Hint>,
        place: &Place<'_>,
        order: usize,
        inline: bool,
    ) -> Result<(Value, bool), InferError> {
        let values = match hint {
            Some(Hint::String) => return Ok((object([("type", "string".into())]), false)),
            Some(h @ Hint::Enum) => Some(evidence::sorted_values(strings).ok_or_else(|| {
                self.mismatch(shape, h, "the samples have more than 1000 distinct strings there")
            })?),
            _ => evidence::enum_values(strings),
        };
        if let Some(values) = values {
            let values = values.into_iter().map(Value::String).collect();
            let body = definition([("type", "string".into()), ("enum", Value::Array(values))]);
            return Ok((self.define(body, place, hint, order, inline), true));
        }
        Ok(match strings.format {
            FormatState::All(format) => {
                (object([("type", "string".into()), ("format", format.keyword().into())]), false)
            }
            _ => (object([("type", "string".into())]), false),
        })
    }

    /// The schema of the objects at a place: a record definition, or an inline map whose
    /// values nest `child_inline` levels deep.
    #[allow(clippy::too_many_arguments)]
    fn objects(
        &mut self,
        objects: &ObjectShape,
        shape: &Shape,
        hint: &Option<Hint>,
        place: &Place<'_>,
        order: usize,
        inline: bool,
        child_inline: usize,
    ) -> Result<(Value, bool), InferError> {
        if objects.map.is_some() || evidence::is_map(objects) {
            if let Some(h @ Hint::Name(_)) = hint {
                return Err(self.mismatch(shape, h, "the object there is a map, which is not a definition"));
            }
            let mut merged;
            let values = match &objects.map {
                Some(values) => &**values,
                None => {
                    merged = objects.clone();
                    merged.make_map();
                    merged.map.as_deref().unwrap_or(shape)
                }
            };
            let values_place = place.child(
                "-",
                Base::Known(naming::element_name(place.base(), "Value")),
                place.base(),
                child_inline,
            );
            let schema = if values.is_unseen() {
                // A `map` hint already says the emptiness is expected: no warning then.
                if !matches!(hint, Some(Hint::Map)) {
                    self.warn(place, "map is always empty in the samples; its values accept anything");
                }
                json!({})
            } else {
                self.place(values, &values_place)?
            };
            return Ok((object([("type", "object".into()), ("additionalProperties", schema)]), false));
        }
        if objects.fields.is_empty() {
            self.warn(place, "object is always empty in the samples; accepts any object");
            return Ok((object([("type", "object".into())]), false));
        }
        let mut fields: Vec<_> = objects.fields.iter().collect();
        fields.sort_by(|a, b| a.name.cmp(&b.name));
        let mut properties = Map::with_capacity(fields.len());
        let mut required = Vec::new();
        for field in fields {
            let field_place =
                place.child(&field.name, Base::Field(&field.name, OnceCell::new()), place.base(), 1);
            properties.insert(field.name.clone(), self.place(&field.shape, &field_place)?);
            if field.present == objects.count {
                required.push(Value::String(field.name.clone()));
            }
        }
        let mut body = Map::with_capacity(4);
        body.insert("type".into(), "object".into());
        body.insert("properties".into(), Value::Object(properties));
        if !required.is_empty() {
            body.insert("required".into(), Value::Array(required));
        }
        let body = Value::Object(body);
        Ok((self.define(body, place, hint, order, inline), true))
    }

    /// A reference to the definition with `body` (interned), or `body` itself at the root.
    fn define(
        &mut self,
        body: Value,
        place: &Place<'_>,
        hint: &Option<Hint>,
        order: usize,
        inline: bool,
    ) -> Value {
        if inline {
            return body;
        }
        let hinted = match hint {
            Some(Hint::Name(name)) => Some(name.clone()),
            _ => None,
        };
        // Interned by text (hinted name and body): compared in place, not written out.
        let hinted_text = hinted.as_deref().unwrap_or("");
        let mut hasher = TextHasher::default();
        hasher.str(hinted_text);
        hasher.value(&body);
        let same = self.interned.entry(hasher.0).or_default();
        let defs = &self.defs;
        let found = same.iter().copied().find(|&id| {
            defs[id].hinted.as_deref().unwrap_or("") == hinted_text && same_text(&defs[id].body, &body)
        });
        let id = match found {
            Some(id) => id,
            None => {
                same.push(self.defs.len());
                self.defs.push(Def { body, hinted, occurrences: Vec::new() });
                self.defs.len() - 1
            }
        };
        self.defs[id].occurrences.push((order, place.base().to_owned(), place.parent.to_owned()));
        object([("$ref", format!("{PLACEHOLDER}{id}").into())])
    }
}

/// Whether `a` and `b` have the same JSON text: the same values with object keys in the same
/// order, numbers by their representation (`1`, `-1` and `1.0` are written differently).
fn same_text(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Null, Value::Null) => true,
        (Value::Bool(a), Value::Bool(b)) => a == b,
        (Value::Number(a), Value::Number(b)) => number_key(a) == number_key(b),
        (Value::String(a), Value::String(b)) => a == b,
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(a, b)| same_text(a, b))
        }
        (Value::Object(a), Value::Object(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|((ka, va), (kb, vb))| ka == kb && same_text(va, vb))
        }
        _ => false,
    }
}

/// A number as its representation: which of `u64`, `i64` and `f64` it reads as.
fn number_key(number: &serde_json::Number) -> (Option<u64>, Option<i64>, Option<u64>) {
    (number.as_u64(), number.as_i64(), number.as_f64().map(f64::to_bits))
}

/// A fast, non-cryptographic hash (rustc's Fx) of JSON text, consistent with [`same_text`]: a
/// collision only costs a comparison, which decides.
#[derive(Default)]
struct TextHasher(u64);

impl TextHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    fn str(&mut self, text: &str) {
        self.add(text.len() as u64);
        let mut chunks = text.as_bytes().chunks_exact(8);
        for chunk in &mut chunks {
            self.add(u64::from_le_bytes(chunk.try_into().expect("eight bytes")));
        }
        for &byte in chunks.remainder() {
            self.add(u64::from(byte));
        }
    }

    fn value(&mut self, value: &Value) {
        match value {
            Value::Null => self.add(1),
            Value::Bool(flag) => self.add(2 + u64::from(*flag)),
            Value::Number(number) => {
                let (unsigned, signed, float) = number_key(number);
                self.add(4);
                self.add(unsigned.unwrap_or(0) ^ signed.unwrap_or(0) as u64 ^ float.unwrap_or(0));
            }
            Value::String(text) => {
                self.add(5);
                self.str(text);
            }
            Value::Array(list) => {
                self.add(6);
                self.add(list.len() as u64);
                list.iter().for_each(|item| self.value(item));
            }
            Value::Object(map) => {
                self.add(7);
                self.add(map.len() as u64);
                for (key, item) in map {
                    self.str(key);
                    self.value(item);
                }
            }
        }
    }
}

/// The schema of the numbers at a place, keeping their range: exact integers are `integer`;
/// beyond 2^53 - 1 `int64` (TypeScript warns); above `i64::MAX` and never negative `uint64`
/// with `minimum: 0` (typify makes it `u64`); anything wider, or any fraction, `number`.
fn number_schema(shape: &Shape) -> Value {
    let beyond_i64 = shape.integers_beyond_i64 > 0;
    if shape.floats > 0 || (beyond_i64 && shape.negative_integers > 0) {
        object([("type", "number".into())])
    } else if beyond_i64 {
        object([("type", "integer".into()), ("format", "uint64".into()), ("minimum", 0.into())])
    } else if shape.unsafe_integers > 0 {
        object([("type", "integer".into()), ("format", "int64".into())])
    } else {
        object([("type", "integer".into())])
    }
}

/// One schema for a place from the schemas of each kind seen there.
fn combine(mut branches: Vec<Value>, nullable: bool) -> Value {
    let simple = |b: &Value| {
        b.as_object()
            .is_some_and(|m| m.keys().all(|k| matches!(k.as_str(), "type" | "format" | "items" | "minimum")))
    };
    if branches.len() == 1 {
        let branch = branches.pop().unwrap_or_default();
        if !nullable {
            return branch;
        }
        if simple(&branch)
            || branch.get("properties").is_some()
            || branch.get("additionalProperties").is_some()
        {
            return with_null_type(branch);
        }
        return object([("anyOf", Value::Array(vec![branch, object([("type", "null".into())])]))]);
    }
    let scalar = |b: &Value| b.as_object().is_some_and(|m| m.keys().all(|k| k == "type" || k == "format"));
    // One `type` array only while at most one kind has a keyword of its own (a string's
    // format): two would be ambiguous side by side, so then each kind is its own branch.
    let with_keywords = branches.iter().filter(|b| b.as_object().is_some_and(|m| m.len() > 1)).count();
    if branches.iter().all(scalar) && with_keywords <= 1 {
        let mut types: Vec<Value> = branches.iter().filter_map(|b| b.get("type").cloned()).collect();
        if nullable {
            types.push("null".into());
        }
        return match branches.iter().find_map(|b| b.get("format")) {
            Some(format) => object([("type", Value::Array(types)), ("format", format.clone())]),
            None => object([("type", Value::Array(types))]),
        };
    }
    if nullable {
        branches.push(object([("type", "null".into())]));
    }
    branches.shrink_to_fit();
    object([("anyOf", Value::Array(branches))])
}

/// A schema object of `entries`, in order, with room for no more. (`json!` would copy each
/// value it is given, and leave room for four entries.)
fn object<const N: usize>(entries: [(&str, Value); N]) -> Value {
    object_with_room(entries, 0)
}

/// [`object`] with room for its `title` too: the body of a definition.
fn definition<const N: usize>(entries: [(&str, Value); N]) -> Value {
    object_with_room(entries, 1)
}

fn object_with_room<const N: usize>(entries: [(&str, Value); N], room: usize) -> Value {
    let mut map = Map::with_capacity(N + room);
    for (key, value) in entries {
        map.insert(key.to_owned(), value);
    }
    Value::Object(map)
}

/// `{"type": T, …}` as `{"type": [T, "null"], …}`.
fn with_null_type(mut schema: Value) -> Value {
    if let Some(Value::String(kind)) = schema.get("type").cloned() {
        schema["type"] = json!([kind, "null"]);
    }
    schema
}

/// Replaces placeholder `$ref`s with `#/definitions/<Name>`.
fn resolve_refs(schema: &mut Value, names: &[String]) {
    if let Some(Value::String(target)) = schema.get_mut("$ref")
        && let Some(id) = target.strip_prefix(PLACEHOLDER).and_then(|id| id.parse::<usize>().ok())
    {
        *target = format!("#/definitions/{}", names[id]);
    }
    schema_model::for_each_subschema_mut(schema, |sub| resolve_refs(sub, names));
}
