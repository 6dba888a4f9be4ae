//! Rust types through typify, wrapped so it never surprises.
//!
//! typify 0.8 is the newest that builds on our toolchain; it reads schemars 0.8's schema
//! model, which is also what the contracts derive, so no conversion is needed at the
//! boundary. Around it:
//! - `prepass.rs` names every type (typify drops untitled roots and names inline types
//!   without checking for clashes) and marks what the post-passes need;
//! - typify runs with its panics caught (`typify_driver.rs`), and its errors and panics
//!   become [`Diagnostic`]s naming the module;
//! - `postpass.rs` rejects or renames fields that collide after snake-casing and keeps `null`,
//!   `[]` and absent apart;
//! - the result is formatted with prettyplease under the caller's preamble, item by item,
//!   each repeated `impl` shape once (`items.rs`).
//!
//! [`emit_modules`] runs modules in parallel across the machine's cores; [`Cache`] skips
//! modules whose schemas did not change.

mod assemble;
mod cache;
mod deep_nesting;
mod enum_variants;
mod field_types;
mod hoist;
mod items;
mod layout;
mod postpass;
mod prepass;
mod tuple_structs;
mod typify_driver;
mod unions;

pub use assemble::{CrateSpec, lib_rs, manifest};
pub use cache::Cache;
pub use deep_nesting::recursion_limit_needed;
pub use field_types::FIXED_OFFSET;

use std::sync::atomic::{AtomicUsize, Ordering};

use crate::{Diagnostic, Namespace, Origin};

/// What the generated code of a set of modules needs from outside `std`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Needs {
    /// `chrono`, for `date-time` and `date` formats.
    pub chrono: bool,
    /// `uuid`, for the `uuid` format.
    pub uuid: bool,
    /// `regress`, for `pattern`.
    pub regress: bool,
    /// The crate root's `#![recursion_limit]`, when types nest deeper than the default allows.
    pub recursion_limit: Option<usize>,
}

impl Needs {
    /// What either needs.
    pub fn union(self, other: Needs) -> Needs {
        Needs {
            chrono: self.chrono || other.chrono,
            uuid: self.uuid || other.uuid,
            regress: self.regress || other.regress,
            recursion_limit: self.recursion_limit.max(other.recursion_limit),
        }
    }
}

/// The Rust source of one module, with what it needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RustModule {
    /// Formatted source, preamble included.
    pub code: String,
    /// Crates the code uses besides `serde` and `serde_json`.
    pub needs: Needs,
}

/// One module's code, or every problem that stopped it.
pub type Emitted = Result<RustModule, Vec<Diagnostic>>;

/// Generates the Rust module of one namespace; `preamble` starts the file.
pub fn emit_module(namespace: &Namespace, preamble: &str) -> Emitted {
    let mut types = hoist::hoist_inline_types(&namespace.types);
    let flattens = unions::prepare(&mut types);
    let variant_names = enum_variants::disambiguate(&mut types);
    if namespace.origin == Origin::Inferred {
        types.values_mut().for_each(prepass::drop_string_formats);
    }
    // Marked and read into typify's model type by type, on every core.
    let entries: Vec<(&String, &serde_json::Value)> = types.iter().collect();
    let prepared = parallel_map(&entries, |(name, schema)| {
        let (schema, count) = prepass::mark_optional_nullable(schema, &types);
        (count, typify_driver::parse(&namespace.name, name, schema).map(|schema| ((*name).clone(), schema)))
    });
    let marked = prepared.iter().map(|(count, _)| count).sum();
    let definitions = prepared.into_iter().map(|(_, parsed)| parsed).collect::<Result<Vec<_>, _>>()?;
    let (tokens, mut needs) = typify_driver::run(&namespace.name, definitions)?;
    let tokens = variant_names.restore(tokens, &namespace.name)?;
    let layout = postpass::Layout { types: &types, flattens: &flattens };
    let code = postpass::format_module(&namespace.name, tokens, marked, namespace.origin, &layout, preamble)?;
    // The post-pass measured how deep the module's types nest, and said so in the code.
    needs.recursion_limit = recursion_limit_needed(&code);
    Ok(RustModule { code, needs })
}

/// [`emit_module`] for every namespace, in parallel on the machine's cores; results in
/// input order.
pub fn emit_modules(namespaces: &[Namespace], preamble: &str) -> Vec<Emitted> {
    parallel_map(namespaces, |namespace| emit_module(namespace, preamble))
}

/// `f` over `items` on up to as many threads as the machine has cores, results in order.
/// typify is single-threaded, but modules are independent, and so is the preparation of a
/// module's definitions for it.
///
/// Called on one of its own threads (a module's work inside [`emit_modules`]), it runs on
/// that thread: the cores are busy already.
pub(crate) fn parallel_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    thread_local! {
        static WORKER: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).min(items.len());
    if workers <= 1 || WORKER.with(std::cell::Cell::get) {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let mut results: Vec<(usize, R)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    WORKER.with(|worker| worker.set(true));
                    let mut done = Vec::new();
                    loop {
                        let index = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(index) else { break done };
                        done.push((index, f(item)));
                    }
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p))).collect()
    });
    results.sort_by_key(|(index, _)| *index);
    results.into_iter().map(|(_, result)| result).collect()
}
