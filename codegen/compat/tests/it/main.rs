//! Integration tests of the compatibility engine: planted cases, reports, hostile input.
//!
//! One test binary for the crate: each file of the former `tests/` is a module here, so
//! the crate's dependencies are linked once, not once per file.

mod cases;
mod reports;
mod robustness;
