//! `cargo xtask`: the project's commands, as thin glue between the contracts and the code
//! generation engines (`schema-infer`, `schema-emit`).
//!
//! The binary (`xtask/cli`, package `xtask-cli`) only parses arguments and links the contract
//! crates; everything here is a library so it can be tested, and so a contract edit does not
//! recompile it. The event pipeline of `cargo xtask schemas` ([`schemas`] runs it), one module
//! per step:
//!
//! 1. [`events`] gathers every event: registered ones from the contract crates, sample-only
//!    ones from `contracts/consumed`;
//! 2. [`outputs::checks`] proves each event's samples round-trip, cover its schema
//!    ([`coverage`]) and validate against it ([`validation`]);
//! 3. [`outputs`] renders the whole output set in memory (schemas, catalog, snapshots, the
//!    Rust crate and the TypeScript package);
//! 4. [`freshness`] writes that set to disk, or compares it with the disk in `--check` mode;
//!    [`snapshots`] has insta refresh the sample snapshots.
//!
//! The other commands: [`infer`] (the quicktype replacement), [`corpus`] (inference and both
//! emitters proven on real JSON), [`compat`] (the compatibility gate over git history),
//! [`version`] (the generated packages' version from the gate's verdicts), [`ci`] (every check
//! CI runs, with [`moto`] for the AWS tests). The HTML event catalog is the `xtask-catalog`
//! crate (tested in headless Chromium through [`browser`]), a binary of its own so the main
//! job does not compile it. Every child process is run through [`cmd`].

pub mod browser;
pub mod ci;
pub mod cmd;
pub mod compat;
pub mod consumers;
pub mod corpus;
pub mod coverage;
pub mod events;
pub mod freshness;
pub mod infer;
pub mod json;
pub mod keyed;
pub mod moto;
pub mod outputs;
pub mod panics;
pub mod parallel;
pub mod postgres;
pub mod schemas;
pub mod services;
pub mod snapshots;
pub mod validation;
pub mod version;
pub mod workspace;

pub use outputs::{GenerationError, OutputSet, generate};

// The unit tests see every registered event, as the binary does.
#[cfg(test)]
use contracts_all as _;
