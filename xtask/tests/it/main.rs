//! Integration tests of the `xtask` library: the generator's commands on the workspace's own events.
//!
//! One test binary for the crate: each file of the former `tests/` is a module here, so
//! the crate's dependencies are linked once, not once per file. The zoo test (`tests/zoo.rs`)
//! keeps a binary of its own: it links the zoo's contracts, whose events every test here
//! would otherwise see.

mod asyncapi;
mod change_locality;
mod consumer_declarations;
mod consumer_package;
mod freshness;
mod generated_rust;
mod hostile_inference;
mod readme_rules;
mod registration;
mod sample_checks;
