//! Integration tests of the `cargo xtask` binary, run as a user runs it.
//!
//! One test binary for the crate: each file of the former `tests/` is a module here, so
//! the crate's dependencies are linked once, not once per file.

mod check_mode;
mod compat_gate;
mod package_versions;
mod scratch_repo;
mod typescript_package;
