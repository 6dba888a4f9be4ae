//! Integration tests of inference: rules, hostile input, properties and the shared corpus.
//!
//! One test binary for the crate: each file of the former `tests/` is a module here, so
//! the crate's dependencies are linked once, not once per file.

mod corpus;
mod hostile;
mod properties;
mod rules;
mod support;
