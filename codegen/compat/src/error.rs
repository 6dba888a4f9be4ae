//! What can go wrong reading a schema: every error names the schema (old or new), the place
//! and the fix.

use std::fmt;

/// Which of the two compared schemas.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The earlier version.
    Old,
    /// The version being checked.
    New,
}

impl fmt::Display for Side {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Side::Old => "old",
            Side::New => "new",
        })
    }
}

/// A schema the gate cannot read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// A `$ref` whose target is not in the document.
    #[error(
        "{side} schema, {at}: `$ref: \"{reference}\"` points to nothing; add the definition or fix the reference"
    )]
    UnresolvedRef {
        /// Which schema.
        side: Side,
        /// JSON Pointer of the schema holding the `$ref`.
        at: String,
        /// The reference as written.
        reference: String,
    },
    /// A `$ref` to another document.
    #[error(
        "{side} schema, {at}: `$ref: \"{reference}\"` is not a reference inside the document (`#...`); bundle the schema into one document first"
    )]
    ExternalRef {
        /// Which schema.
        side: Side,
        /// JSON Pointer of the schema holding the `$ref`.
        at: String,
        /// The reference as written.
        reference: String,
    },
    /// `$ref`s that only point at each other.
    #[error(
        "{side} schema, {at}: `$ref`s loop without reaching a schema ({chain}); point one of them at a real schema"
    )]
    RefCycle {
        /// Which schema.
        side: Side,
        /// JSON Pointer where the loop was entered.
        at: String,
        /// The references followed, in order.
        chain: String,
    },
    /// Something that is neither an object nor a boolean where a schema must be.
    #[error("{side} schema, {at}: expected a schema (an object or true/false), found {found}")]
    NotASchema {
        /// Which schema.
        side: Side,
        /// JSON Pointer of the value.
        at: String,
        /// What was there, e.g. `a number`.
        found: &'static str,
    },
    /// A `patternProperties` key that is not a regular expression.
    #[error(
        "{side} schema, {at}: `{pattern}` is not a valid ECMA-262 regular expression ({message}); fix the pattern"
    )]
    InvalidPattern {
        /// Which schema.
        side: Side,
        /// JSON Pointer of the `patternProperties` object.
        at: String,
        /// The pattern.
        pattern: String,
        /// The regex engine's complaint.
        message: String,
    },
    /// A keyword the gate cannot read as written (a later draft's spelling mixed with
    /// draft-07's, a malformed value): refused rather than silently ignored.
    #[error("{side} schema, {at}: `{keyword}` {problem}")]
    Keyword {
        /// Which schema.
        side: Side,
        /// JSON Pointer of the keyword.
        at: String,
        /// The keyword as written, e.g. `prefixItems`.
        keyword: &'static str,
        /// What is wrong and how to fix it.
        problem: String,
    },
    /// An error found while comparing against one earlier version in a transitive check.
    #[error("comparing with version {version}: {source}")]
    InVersion {
        /// The earlier version's label.
        version: String,
        /// What went wrong.
        source: Box<Error>,
    },
}

/// What a JSON value is, for error messages.
pub(crate) fn describe(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}
