//! Integration tests of the emitters: named schemas to Rust and TypeScript.
//!
//! One test binary for the crate: each file of the former `tests/` is a module here, so
//! the crate's dependencies are linked once, not once per file.

mod colliding_names;
mod namespace;
mod rust_emitter;
mod typescript;
mod wide_integers;
