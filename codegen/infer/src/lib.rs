//! Schema inference: JSON samples of one type in, a draft-07 JSON Schema out.
//!
//! Events the platform consumes but does not define (AWS service events, webhooks) exist only
//! as samples; this module gives them a schema that the emitters turn into Rust and
//! TypeScript like any other. It learns from quicktype, genson and jtd-infer and avoids
//! their known faults: it never guesses (no enum or map without evidence, no non-standard
//! format, no type for an always-empty array), and the schema accepts every sample, always.
//!
//! ```
//! use serde_json::json;
//! use schema_infer::{Hints, Inferrer};
//!
//! let mut inferrer = Inferrer::new("Scheduled", Hints::default());
//! inferrer.add_json_text("a.json", r#"{"id": 1, "at": "2024-05-01T12:00:00Z"}"#).unwrap();
//! inferrer.add_json_text("b.json", r#"{"id": 2.5, "note": null}"#).unwrap();
//! let inferred = inferrer.finish().unwrap();
//! assert_eq!(inferred.schema["title"], "Scheduled");
//! assert_eq!(inferred.schema["required"], json!(["id"]));
//! assert_eq!(inferred.schema["properties"]["id"], json!({"type": "number"}));
//! assert_eq!(inferred.schema["properties"]["at"], json!({"type": "string", "format": "date-time"}));
//! assert_eq!(inferred.warnings[0].path, "/note"); // always null: reported, accepts anything
//! ```
//!
//! # Rules
//! - **Merging.** Any number of samples fold into one `shape.rs` per place. A key missing from
//!   some object is optional (left out of `required`); `null` makes a value nullable; the two
//!   stay distinct (`?: T | null` needs both). Integers with other numbers widen to `number`.
//!   Integers keep their range: beyond 2^53 - 1 (where JavaScript stops being exact) they are
//!   `{"type": "integer", "format": "int64"}`; above `i64::MAX` with no negative sample,
//!   `{"type": "integer", "format": "uint64", "minimum": 0}` (Rust `u64`); above `i64::MAX`
//!   with a negative sample, or beyond 64 bits, `number`.
//! - **Kinds.** Several JSON kinds at one place become a `type` array (scalars) or an `anyOf`
//!   (see `schema.rs` for the exact shapes emitted).
//! - **Formats.** `date-time`, `date`, `time`, `uuid`, `uri`, `email` only, and only when
//!   every string seen at the place has it, by strict recognisers (`formats.rs`).
//! - **Maps and enums** need evidence, with thresholds documented in `evidence.rs`, or a hint
//!   (`hints.rs` documents the file).
//! - **Definitions.** Records and enums are definitions; identical ones share one; names come
//!   from property paths, singular for array items, and collide into readable prefixes
//!   (`naming.rs`). Every definition and the root carry a `title` (typify needs it).
//! - **Warnings.** Always-null values, always-empty arrays, maps and objects get a permissive
//!   schema and a [`Warning`] with their path; nothing is guessed.
//! - **Bounded.** Values are folded while parsing (`fold.rs`): memory is O(shape), not
//!   O(input). Nesting depth is not limited: deep recursion continues on heap-allocated stack
//!   segments (`stack.rs`), and schemas nest at most [`MAX_INLINE_DEPTH`] levels
//!   inline before a definition starts, so no consumer of a schema recurses deeply either.
//! - **Parallel.** A sample can be folded on any thread ([`FoldedSample`]) and added later:
//!   read and fold files in parallel, merge in order; the result is the same.

mod evidence;
mod fold;
mod formats;
mod hints;
mod naming;
mod schema;
mod shape;
mod stack;

use std::fmt;

use serde::de::DeserializeSeed;
use serde_json::Value;

pub use formats::is_uuid;
pub use hints::{Hint, Hints, is_type_name};
pub use schema::{DRAFT_07, MAX_INLINE_DEPTH};

use fold::{Context, Fold};
use shape::Shape;

/// Why inference failed; every variant names the input or hint at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InferError {
    /// A sample is not valid JSON.
    #[error("{origin}:{line}:{column}: invalid JSON: {message}")]
    Json {
        /// The sample's file (or other name).
        origin: String,
        /// 1-based line of the error.
        line: usize,
        /// 1-based column of the error.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// A sample given as a value could not be used.
    #[error("{origin}: {message}")]
    Value {
        /// The sample's name.
        origin: String,
        /// What is wrong.
        message: String,
    },
    /// The hints file is malformed.
    #[error("{origin}: invalid hints file: {message}")]
    Hints {
        /// The hints file.
        origin: String,
        /// What is wrong.
        message: String,
    },
    /// Hints whose pointer matches no value in any sample.
    #[error("{origin}: no sample has a value at {}; fix or remove these hints", pointers.join(", "))]
    UnreachedHints {
        /// The hints file.
        origin: String,
        /// The pointers, sorted.
        pointers: Vec<String>,
    },
    /// A hint the samples contradict.
    #[error("hint {hint} at {pointer:?} does not fit the samples: {reason}")]
    HintMismatch {
        /// The hint's pointer.
        pointer: String,
        /// The hint as written.
        hint: String,
        /// Why it does not fit.
        reason: String,
    },
    /// `finish` without any sample.
    #[error("{name}: no samples to infer a schema from")]
    NoSamples {
        /// The type's name.
        name: String,
    },
}

/// Something the samples could not tell, and the permissive schema given for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// JSON Pointer to the place in the samples (`-` for every array element or map value;
    /// empty for the root), usable as is in a hints file.
    pub path: String,
    /// What was seen and what the schema says.
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = if self.path.is_empty() { "(root)" } else { &self.path };
        write!(f, "{path}: {}", self.message)
    }
}

/// The result of inference.
#[derive(Debug, Clone, PartialEq)]
pub struct Inferred {
    /// The draft-07 schema, with `title` and `definitions`.
    pub schema: Value,
    /// Places the samples said too little about, sorted by path.
    pub warnings: Vec<Warning>,
}

/// Accumulates samples of one type, then infers its schema.
///
/// Each sample is folded into a fresh shape and merged only if it was read completely, so a
/// sample that fails leaves the inferrer as it was.
#[derive(Debug)]
pub struct Inferrer {
    name: String,
    hints: Hints,
    shape: Shape,
    reached: Vec<bool>,
    samples: u64,
    deferred: Option<InferError>,
}

impl Inferrer {
    /// An inferrer for the type `name` (made PascalCase), following `hints`.
    pub fn new(name: &str, hints: Hints) -> Self {
        let reached = vec![false; hints.len()];
        Inferrer {
            name: naming::pascal_case(name),
            hints,
            shape: Shape::default(),
            reached,
            samples: 0,
            deferred: None,
        }
    }

    /// The type's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Adds one sample given as JSON text; `origin` (a file name) names it in errors, which
    /// give the line and column of invalid JSON.
    pub fn add_json_text(&mut self, origin: &str, text: &str) -> Result<(), InferError> {
        self.add_json_bytes(origin, text.as_bytes())
    }

    /// Adds one sample given as JSON bytes (UTF-8), as [`add_json_text`](Self::add_json_text).
    pub fn add_json_bytes(&mut self, origin: &str, bytes: &[u8]) -> Result<(), InferError> {
        let sample = FoldedSample::from_json_bytes(&self.hints, origin, bytes)?;
        self.add_folded(sample);
        Ok(())
    }

    /// Adds one sample given as a value. A value that cannot be used is not added, and
    /// [`finish`](Self::finish) reports it; use [`try_add_value`](Self::try_add_value) to get
    /// the error at once.
    pub fn add_value(&mut self, value: &Value) {
        if let Err(error) = self.try_add_value("a sample value", value) {
            self.deferred.get_or_insert(error);
        }
    }

    /// Adds one sample given as a value, or says why it cannot be used.
    pub fn try_add_value(&mut self, origin: &str, value: &Value) -> Result<(), InferError> {
        let sample = FoldedSample::fold(&self.hints, |seed| seed.deserialize(value))
            .map_err(|error| InferError::Value { origin: origin.to_owned(), message: error.to_string() })?;
        self.add_folded(sample);
        Ok(())
    }

    /// Adds a sample folded earlier (on any thread) with this inferrer's hints. Adding the
    /// same samples in the same order gives the same result however they were folded.
    ///
    /// # Panics
    /// If `sample` was folded with hints of another size than this inferrer's (a programming
    /// error, not an input one).
    pub fn add_folded(&mut self, sample: FoldedSample) {
        assert_eq!(sample.reached.len(), self.reached.len(), "a sample folded with other hints");
        self.shape.merge(sample.shape);
        for (mine, theirs) in self.reached.iter_mut().zip(sample.reached) {
            *mine |= theirs;
        }
        self.samples += sample.samples;
    }

    /// The hints this inferrer follows, to fold samples for it elsewhere.
    pub fn hints(&self) -> &Hints {
        &self.hints
    }

    /// Infers the schema of every sample added.
    pub fn finish(self) -> Result<Inferred, InferError> {
        if let Some(error) = self.deferred {
            return Err(error);
        }
        if self.samples == 0 {
            return Err(InferError::NoSamples { name: self.name });
        }
        let unreached = self.hints.unreached(&self.reached);
        if !unreached.is_empty() {
            return Err(InferError::UnreachedHints {
                origin: self.hints.origin().to_owned(),
                pointers: unreached,
            });
        }
        let name = match self.hints.hint(self.hints.root()) {
            Some(Hint::Name(name)) => name.clone(),
            _ => self.name,
        };
        let (schema, mut warnings) = schema::build(&name, &self.shape, &self.hints)?;
        warnings.sort_by(|a, b| a.path.cmp(&b.path).then_with(|| a.message.cmp(&b.message)));
        Ok(Inferred { schema, warnings })
    }
}

/// Samples read into their shape, not yet added to an [`Inferrer`].
///
/// Folding is the expensive part of inference (it parses the JSON) and needs only the hints,
/// so samples can be folded on several threads and added in order afterwards:
///
/// ```
/// use schema_infer::{FoldedSample, Hints, Inferrer};
///
/// let hints = Hints::default();
/// let texts = [r#"{"id": 1}"#, r#"{"id": 2, "note": "x"}"#];
/// let folded: Vec<FoldedSample> = std::thread::scope(|scope| {
///     let handles: Vec<_> = texts
///         .iter()
///         .map(|text| scope.spawn(|| FoldedSample::from_json_bytes(&hints, "t.json", text.as_bytes())))
///         .collect();
///     handles.into_iter().map(|h| h.join().unwrap().unwrap()).collect()
/// });
/// let mut inferrer = Inferrer::new("Order", hints.clone());
/// folded.into_iter().for_each(|sample| inferrer.add_folded(sample));
/// assert_eq!(inferrer.finish().unwrap().schema["required"], serde_json::json!(["id"]));
/// ```
///
/// One `FoldedSample` can also take many samples in turn ([`fold_json_bytes`]), folding each
/// straight into the shape so far: no shape per sample is built and merged, which is what
/// makes a large corpus fast.
///
/// [`fold_json_bytes`]: FoldedSample::fold_json_bytes
#[derive(Debug)]
pub struct FoldedSample {
    shape: Shape,
    reached: Vec<bool>,
    samples: u64,
}

impl FoldedSample {
    /// No sample yet, for `hints`.
    pub fn empty(hints: &Hints) -> Self {
        FoldedSample { shape: Shape::default(), reached: vec![false; hints.len()], samples: 0 }
    }

    /// Folds one sample given as JSON bytes (UTF-8); `origin` names it in errors, which give
    /// the line and column of invalid JSON.
    pub fn from_json_bytes(hints: &Hints, origin: &str, bytes: &[u8]) -> Result<Self, InferError> {
        let mut sample = FoldedSample::empty(hints);
        sample.fold_json_bytes(hints, origin, bytes)?;
        Ok(sample)
    }

    /// Folds one more sample (JSON bytes) straight into this one, with the same `hints` as
    /// before. On an error the shape holds part of the failed sample: discard it (an
    /// [`Inferrer`] adding samples one by one never keeps a failed one).
    pub fn fold_json_bytes(&mut self, hints: &Hints, origin: &str, bytes: &[u8]) -> Result<(), InferError> {
        // Valid UTF-8 (checked at once, which is faster than string by string) is read as
        // text; otherwise as bytes, so serde_json reports where the bad byte is.
        match std::str::from_utf8(bytes) {
            Ok(text) => self.fold_from(hints, origin, serde_json::Deserializer::from_str(text)),
            Err(_) => self.fold_from(hints, origin, serde_json::Deserializer::from_slice(bytes)),
        }
    }

    fn fold_from<'de, R: serde_json::de::Read<'de>>(
        &mut self,
        hints: &Hints,
        origin: &str,
        mut deserializer: serde_json::Deserializer<R>,
    ) -> Result<(), InferError> {
        // Depth is handled by the fold itself (see `stack`), so serde_json need not stop.
        deserializer.disable_recursion_limit();
        let mut context = Context { hints, reached: &mut self.reached };
        Fold { shape: &mut self.shape, context: &mut context, hint: hints.root() }
            .deserialize(&mut deserializer)
            .and_then(|()| deserializer.end())
            .map_err(|error| json_error(origin, &error))?;
        self.samples += 1;
        Ok(())
    }

    /// Adds `later`'s samples after this one's.
    pub fn merge(&mut self, later: FoldedSample) {
        self.shape.merge(later.shape);
        for (mine, theirs) in self.reached.iter_mut().zip(later.reached) {
            *mine |= theirs;
        }
        self.samples += later.samples;
    }

    /// How many samples were folded in.
    pub fn samples(&self) -> u64 {
        self.samples
    }

    fn fold<E>(hints: &Hints, read: impl FnOnce(Fold<'_, '_, '_>) -> Result<(), E>) -> Result<Self, E> {
        let mut sample = FoldedSample::empty(hints);
        let mut context = Context { hints, reached: &mut sample.reached };
        read(Fold { shape: &mut sample.shape, context: &mut context, hint: hints.root() })?;
        sample.samples = 1;
        Ok(sample)
    }
}

/// An invalid-JSON error with the place serde_json found it.
fn json_error(origin: &str, error: &serde_json::Error) -> InferError {
    let text = error.to_string();
    let message = match text.rfind(" at line ") {
        Some(at) => text[..at].to_owned(),
        None => text,
    };
    InferError::Json { origin: origin.to_owned(), line: error.line(), column: error.column(), message }
}

/// Infers the schema of `samples`, all of the type `name`, without hints.
pub fn infer_values<'a>(
    name: &str,
    samples: impl IntoIterator<Item = &'a Value>,
) -> Result<Inferred, InferError> {
    let mut inferrer = Inferrer::new(name, Hints::default());
    for (i, sample) in samples.into_iter().enumerate() {
        inferrer.try_add_value(&format!("sample {i}"), sample)?;
    }
    inferrer.finish()
}
