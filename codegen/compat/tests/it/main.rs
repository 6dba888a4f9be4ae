//! Integration tests of the compatibility engine: reports, hostile input. (The planted cases
//! are `tests/cases.rs`, a test binary of their own: one test per case file.)
//!
//! Each file of the former `tests/` is a module here, so the crate's dependencies are linked
//! once, not once per file.

mod reports;
mod robustness;
