//! The files around generated modules that make them a crate: `Cargo.toml` and `lib.rs`.

use proc_macro2::TokenStream;

use super::Needs;

/// What a generated crate is called and says about itself.
#[derive(Debug, Clone)]
pub struct CrateSpec<'a> {
    /// The package name, e.g. `platform-events`.
    pub package: &'a str,
    /// The package description.
    pub description: &'a str,
    /// The package version (`MAJOR.MINOR.PATCH`). A parameter, not a constant: the generated
    /// packages are versioned from the compatibility gate's verdicts (`cargo xtask version`),
    /// and the manifest must say the version they are released as.
    pub version: &'a str,
    /// The first line of `Cargo.toml`, a TOML comment saying the file is generated.
    pub toml_preamble: &'a str,
    /// Workspace dependencies the crate's own (not generated-type) code uses, by name.
    pub dependencies: &'a [&'a str],
    /// `[dev-dependencies]` lines, for the crate's examples and tests.
    pub dev_dependencies: &'a [&'a str],
    /// Benchmarks without the default harness (criterion's), by name: `benches/<name>.rs`.
    pub benches: &'a [&'a str],
}

/// The crate's `Cargo.toml`: the package, inheriting the workspace's edition, toolchain,
/// licence and publish settings, and only the dependencies the generated code uses (from
/// the workspace's pinned versions).
pub fn manifest(spec: &CrateSpec<'_>, needs: Needs) -> String {
    let optional = [("chrono", needs.chrono), ("regress", needs.regress), ("uuid", needs.uuid)];
    let mut dependencies: Vec<&str> = vec!["serde", "serde_json"];
    dependencies.extend(spec.dependencies);
    dependencies.extend(optional.iter().filter(|(_, used)| *used).map(|(name, _)| *name));
    dependencies.sort_unstable();
    dependencies.dedup();
    let dependencies: String = dependencies.iter().map(|name| format!("{name}.workspace = true\n")).collect();
    let dev_dependencies = match spec.dev_dependencies {
        [] => String::new(),
        lines => format!("\n[dev-dependencies]\n{}\n", lines.join("\n")),
    };
    let benches: String = spec
        .benches
        .iter()
        .map(|name| format!("\n[[bench]]\nname = \"{name}\"\nharness = false\n"))
        .collect();
    format!(
        "{preamble}\
         [package]\n\
         name = \"{package}\"\n\
         description = \"{description}\"\n\
         version = \"{version}\"\n\
         edition.workspace = true\n\
         rust-version.workspace = true\n\
         license.workspace = true\n\
         publish.workspace = true\n\
         \n\
         # Only what the generated code uses.\n\
         [dependencies]\n\
         {dependencies}{dev_dependencies}{benches}",
        preamble = spec.toml_preamble,
        package = spec.package,
        description = spec.description,
        version = spec.version,
    )
}

/// The crate's `lib.rs`: `preamble`, the crate docs (one string per `//!` line), a `pub mod`
/// per module and a `mod` per private module (neither reformatted by rustfmt: the emitters
/// format them), then `items` (re-exports and the like). `needs` gives the crate's
/// `recursion_limit`, when its types nest deeper than rustc's default allows.
pub fn lib_rs(
    preamble: &str,
    docs: &[&str],
    modules: &[String],
    private: &[&str],
    items: TokenStream,
    needs: Needs,
) -> String {
    let docs = docs.iter().map(|line| if line.is_empty() { String::new() } else { format!(" {line}") });
    let ident = |name: &str| syn::Ident::new(name, proc_macro2::Span::call_site());
    let modules = modules.iter().map(|m| ident(m));
    let private = private.iter().map(|m| ident(m));
    let limit = needs.recursion_limit.map(|limit| {
        let limit = limit.to_string();
        quote::quote!(#![recursion_limit = #limit])
    });
    let file: syn::File = syn::parse_quote! {
        #(#![doc = #docs])*
        #![allow(clippy::all)]
        #limit
        #( #[rustfmt::skip] pub mod #modules; )*
        #( #[rustfmt::skip] mod #private; )*
        #items
    };
    format!("{preamble}{}", prettyplease::unparse(&file))
}
