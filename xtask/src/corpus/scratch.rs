//! Scratch crates: generated Rust compiled on its own, outside the workspace, as a consumer
//! compiles it. The corpus check and the zoo test both build one, into one shared target
//! folder, so the generated code's dependencies are compiled once for both.

use std::path::Path;

use crate::cmd::Cmd;

/// Where every scratch crate is built, under the workspace's `target/`.
const TARGET_DIR: &str = "target/scratch-build";

/// The stack rustc's main thread gets for scratch builds: 256 MiB (address space, not memory).
pub const RUSTC_STACK: usize = 256 << 20;

/// `cargo ARGS --manifest-path MANIFEST`, offline, into the shared scratch target folder, and
/// without the lint wrapper `cargo xtask ci` sets for the workspace (generated code is
/// compiled as a consumer compiles it, not linted).
pub fn scratch_build(root: &Path, manifest: &Path, args: &[&str]) -> Cmd {
    Cmd::new("cargo")
        .args(args)
        .args(["--offline", "--manifest-path"])
        .arg(manifest)
        .env("CARGO_TARGET_DIR", root.join(TARGET_DIR))
        // rustc recurses once per level of nested types; modules inferred from samples
        // nested 1,000 deep overflow its default 8 MiB stack (the emitter says so in them).
        .env("RUST_MIN_STACK", RUSTC_STACK.to_string())
        .env_remove(crate::ci::WRAPPER_VARIABLE)
        .env_remove(crate::ci::CLIPPY_ARGS_VARIABLE)
}

/// The manifest of a scratch crate named `name`: the dependencies generated modules use, at
/// the workspace's versions (the caller copies `Cargo.lock` beside it).
pub fn scratch_crate_manifest(name: &str) -> String {
    format!(
        r#"[package]
name = "{name}"
version = "0.0.0"
edition = "2024"
publish = false

[workspace]

[dependencies]
chrono = {{ version = "0.4.42", default-features = false, features = ["serde", "std", "clock"] }}
regress = "0.12"
serde = {{ version = "1.0.228", features = ["derive"] }}
serde_json = {{ version = "1.0.145", features = ["unbounded_depth"] }}
uuid = {{ version = "1.18", features = ["serde"] }}

# No debug info: the generated modules are large, and rustc's memory and time grow with it.
# Not incremental: every build is of new code, and saving incremental state for it made a
# cold corpus check 45% slower (BENCHMARKS.md).
# Abort on panic: the harnesses catch none (a panic ends the run either way), and without
# unwinding paths rustc generates 17% less code for the serde impls (BENCHMARKS.md). What is
# type- and borrow-checked is the same.
[profile.dev]
debug = false
incremental = false
panic = "abort"
"#
    )
}
