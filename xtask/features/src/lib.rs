//! No code: the manifest is the point. See `Cargo.toml` for why this crate exists.
