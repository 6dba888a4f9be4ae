//! The files around generated modules that make them a crate: `Cargo.toml` and `lib.rs`.

use super::Needs;

/// What a generated crate is called and says about itself.
#[derive(Debug, Clone)]
pub struct CrateSpec<'a> {
    /// The package name, e.g. `platform-events`.
    pub package: &'a str,
    /// The package description.
    pub description: &'a str,
    /// The first line of `Cargo.toml`, a TOML comment saying the file is generated.
    pub toml_preamble: &'a str,
}

/// The crate's `Cargo.toml`: the package, inheriting the workspace's edition, toolchain,
/// licence and publish settings, and only the dependencies the generated code uses (from
/// the workspace's pinned versions).
pub fn manifest(spec: &CrateSpec<'_>, needs: Needs) -> String {
    let optional = [("chrono", needs.chrono), ("regress", needs.regress), ("uuid", needs.uuid)];
    let mut dependencies: Vec<&str> = vec!["serde", "serde_json"];
    dependencies.extend(optional.iter().filter(|(_, used)| *used).map(|(name, _)| *name));
    dependencies.sort_unstable();
    let dependencies: String = dependencies.iter().map(|name| format!("{name}.workspace = true\n")).collect();
    format!(
        "{preamble}\
         [package]\n\
         name = \"{package}\"\n\
         description = \"{description}\"\n\
         version = \"0.1.0\"\n\
         edition.workspace = true\n\
         rust-version.workspace = true\n\
         license.workspace = true\n\
         publish.workspace = true\n\
         \n\
         # Only what the generated code uses.\n\
         [dependencies]\n\
         {dependencies}",
        preamble = spec.toml_preamble,
        package = spec.package,
        description = spec.description,
    )
}

/// The crate's `lib.rs`: `preamble`, the crate docs (`//!` lines), a `pub mod` per module,
/// the private modules, and `tail` (re-exports).
pub fn lib_rs(preamble: &str, docs: &[&str], modules: &[String], private: &[&str], tail: &str) -> String {
    let mut text = String::from(preamble);
    for line in docs {
        text.push_str(if line.is_empty() { "//!" } else { "//! " });
        text.push_str(line);
        text.push('\n');
    }
    text.push_str(
        "\n// Generated code is checked by its round-trip tests, not by style lints.\n\
         #![allow(clippy::all)]\n\n",
    );
    for module in modules {
        text.push_str(&format!("#[rustfmt::skip]\npub mod {module};\n"));
    }
    for module in private {
        text.push_str(&format!("#[rustfmt::skip]\nmod {module};\n"));
    }
    text.push('\n');
    text.push_str(tail);
    text
}
