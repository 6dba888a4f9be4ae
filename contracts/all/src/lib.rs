//! Every contract crate, linked with its samples.
//!
//! The registry ([`contracts_common::registry`]) sees only events of crates linked into the
//! binary. The generator and the workspace tests depend on this crate, so each sees every
//! event; `build.rs` turns each `contracts-*` dependency into an `extern crate`, so a new
//! contract crate is one dependency line in this crate's `Cargo.toml`.

include!(concat!(env!("OUT_DIR"), "/links.rs"));

pub use contracts_common::registry::{Registration, all as events};
