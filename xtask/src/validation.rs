//! Validation of a sample against its schema with an independent validator: the one
//! configuration every part of the project uses, from `contracts_common::validation`.

pub use contracts_common::validation::*;
