//! Running typify: settings, schema parsing, and typify's panics caught.

use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

use proc_macro2::TokenStream;
use schemars08::schema::Schema;
use serde_json::Value;
use typify_impl::{TypeSpace, TypeSpaceSettings};

use super::Needs;
use crate::Diagnostic;

/// A definition as typify reads it: `schema` in schemars 0.8's model.
pub fn parse(module: &str, name: &str, schema: Value) -> Result<Schema, Vec<Diagnostic>> {
    serde_json::from_value::<Schema>(schema).map_err(|error| {
        vec![Diagnostic::new(module, format!("type `{name}` is not a valid schema: {error}"))]
    })
}

/// typify's tokens for `parsed` definitions (name and schema, see [`parse`]), with what the
/// code needs.
pub fn run(module: &str, parsed: Vec<(String, Schema)>) -> Result<(TokenStream, Needs), Vec<Diagnostic>> {
    let mut settings = TypeSpaceSettings::default();
    settings
        .with_struct_builder(false)
        .with_derive("PartialEq".to_owned())
        // BTreeMap, not HashMap: maps serialise in one order on every run.
        .with_map_type("::std::collections::BTreeMap".to_owned());
    catch_panic(module, || {
        let mut space = TypeSpace::new(&settings);
        space.add_ref_types(parsed)?;
        let needs = Needs {
            chrono: space.uses_chrono(),
            uuid: space.uses_uuid(),
            regress: space.uses_regress(),
            recursion_limit: None,
        };
        Ok((space.to_stream(), needs))
    })
}

thread_local! {
    /// Set while this thread runs typify, whose panics the quiet hook keeps off stderr.
    static IN_TYPIFY: Cell<bool> = const { Cell::new(false) };
}

/// Installs, once per process, a panic hook that stays silent for panics inside typify and
/// hands every other panic to the hook installed before it. Swapping hooks per call would
/// race between threads (tests run in parallel, and so do modules).
fn install_quiet_hook() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !IN_TYPIFY.with(Cell::get) {
                previous(info);
            }
        }));
    });
}

/// Runs `run`, turning typify's errors and panics into one diagnostic naming `module`.
fn catch_panic<T>(
    module: &str,
    run: impl FnOnce() -> Result<T, typify_impl::Error>,
) -> Result<T, Vec<Diagnostic>> {
    install_quiet_hook();
    IN_TYPIFY.with(|flag| flag.set(true));
    let outcome = panic::catch_unwind(AssertUnwindSafe(run));
    IN_TYPIFY.with(|flag| flag.set(false));
    match outcome {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(error)) => Err(vec![Diagnostic::new(
            module,
            format!("typify cannot generate Rust for this source: {error}"),
        )]),
        Err(payload) => {
            let message = payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_else(|| "unknown panic".to_owned());
            Err(vec![Diagnostic::new(
                module,
                format!("typify failed on a construct it does not support: {message}"),
            )])
        }
    }
}
