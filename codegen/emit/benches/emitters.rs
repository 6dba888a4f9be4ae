//! Scale benchmark of the code emitters: Rust (typify) and TypeScript for synthetic sets of
//! 100, 1,000 and 5,000 varied event schemas, 25 per module.
//!
//! Run: `cargo bench -p schema-emit --bench emitters`. Prints two tables, medians of several
//! runs:
//! 1. emission from scratch (cold cache): one thread, then parallel on every core;
//! 2. regeneration with the cache after one event of 1,000 changed: only its module is
//!    emitted again.

use std::time::{Duration, Instant};

/// The allocator the `xtask` binary uses, so the bench measures what `cargo xtask schemas` does.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use schema_emit::rust::{self, Cache};
use schema_emit::{Namespace, Origin, SchemaItem, namespace, typescript};
use serde_json::{Value, json};

/// Events per source module, as on the platform (a module has tens of events).
const EVENTS_PER_SOURCE: usize = 25;

/// One synthetic event schema; `n` varies its shape: nested objects, arrays of objects,
/// string enums, a tagged union, maps, optional and nullable fields, formats.
fn event_schema(n: usize) -> Value {
    let variant = |tag: &str, field: &str| {
        json!({"type": "object", "required": ["kind", field], "properties": {
            "kind": {"type": "string", "enum": [tag]}, field: {"type": "string"}}})
    };
    let mut properties = serde_json::Map::new();
    properties.insert("correlationId".into(), json!({"type": "string", "format": "uuid"}));
    properties.insert("occurredAt".into(), json!({"type": "string", "format": "date-time"}));
    properties.insert(
        format!("line{}", n % 7),
        json!({"type": "array", "items": {"$ref": format!("#/definitions/Line{n}")}}),
    );
    properties.insert("status".into(), json!({"$ref": format!("#/definitions/Status{}", n % 13)}));
    properties.insert("note".into(), json!({"type": ["string", "null"]}));
    properties.insert("quantityKg".into(), json!({"type": "integer", "format": "uint64", "minimum": 0}));
    properties.insert("specs".into(), json!({"type": "object", "additionalProperties": {"type": "number"}}));
    properties.insert(
        "storage".into(),
        json!({"oneOf": [variant("silo", "siloNumber"), variant("bunker", "bunkerName")]}),
    );
    let required: Vec<&str> = vec!["correlationId", "occurredAt", "status", "quantityKg"];
    json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": format!("Event{n}"),
        "type": "object",
        "required": required,
        "properties": properties,
        "definitions": {
            format!("Line{n}"): {"type": "object", "required": ["sku", "amount"], "properties": {
                "sku": {"type": "string"}, "amount": {"type": "string", "pattern": "^-?[0-9]+(\\.[0-9]+)?$"},
                "deliveredOn": {"type": "string", "format": "date"},
                "address": {"$ref": "#/definitions/Address"}
            }},
            format!("Status{}", n % 13): {"type": "string", "enum": ["open", "closed", format!("state{}", n % 13)]},
            "Address": {"type": "object", "required": ["line1"], "properties": {
                "line1": {"type": "string"}, "postcode": {"type": "string"}}}
        }
    })
}

/// The synthetic events as namespaces, one per module of 25 events.
fn namespaces(count: usize, changed: Option<usize>) -> Vec<Namespace> {
    let items: Vec<(String, SchemaItem)> = (0..count)
        .map(|n| {
            let mut schema = event_schema(n);
            if changed == Some(n) {
                schema["properties"]["refundDue"] = json!({"type": "boolean"});
            }
            let item = SchemaItem {
                name: format!("Event{n}"),
                schema,
                origin: Origin::Contract,
                label: format!("Event{n}"),
            };
            (format!("module{:03}", n / EVENTS_PER_SOURCE), item)
        })
        .collect();
    items
        .chunk_by(|a, b| a.0 == b.0)
        .map(|chunk| {
            let module: Vec<SchemaItem> = chunk.iter().map(|(_, item)| item.clone()).collect();
            namespace(&chunk[0].0, &module).expect("synthetic schemas are valid")
        })
        .collect()
}

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

/// Rust and TypeScript for `namespaces`: Rust through `emit` (one thread, parallel, or the
/// cache), then TypeScript for every module, as `cargo xtask schemas` does.
fn emit_all(
    namespaces: &[Namespace],
    emit: &dyn Fn(&[Namespace]) -> Vec<rust::Emitted>,
) -> (Duration, Duration) {
    let started = Instant::now();
    let modules = emit(namespaces);
    assert!(modules.iter().all(Result::is_ok), "typify accepts the synthetic schemas");
    let rust_time = started.elapsed();
    let ts: usize = namespaces.iter().map(|ns| typescript::emit_module(ns, PREAMBLE).len()).sum();
    assert!(ts > 0);
    (rust_time, started.elapsed())
}

const PREAMBLE: &str = "// bench\n";

fn main() {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!("Emission from scratch (no cache), {cores} core(s):\n");
    println!("| events | one thread | parallel | speed-up | parallel, per event |");
    println!("|---:|---:|---:|---:|---:|");
    let serial = |ns: &[Namespace]| ns.iter().map(|n| rust::emit_module(n, PREAMBLE)).collect::<Vec<_>>();
    let parallel = |ns: &[Namespace]| rust::emit_modules(ns, PREAMBLE);
    for count in [100, 1_000, 5_000] {
        let input = namespaces(count, None);
        let runs = if count > 1_000 { 3 } else { 5 };
        let one: Vec<Duration> = (0..runs).map(|_| emit_all(&input, &serial).1).collect();
        let many: Vec<Duration> = (0..runs).map(|_| emit_all(&input, &parallel).1).collect();
        let (one, many) = (median(one), median(many));
        println!(
            "| {count} | {:.3} s | {:.3} s | {:.2}x | {:.2} ms |",
            one.as_secs_f64(),
            many.as_secs_f64(),
            one.as_secs_f64() / many.as_secs_f64(),
            many.as_secs_f64() * 1e3 / count as f64
        );
    }

    println!("\nWith the cache, 1,000 events:\n");
    println!("| run | Rust | Rust + TypeScript |");
    println!("|---|---:|---:|");
    let (mut cold, mut one_changed, mut unchanged) = (Vec::new(), Vec::new(), Vec::new());
    let before = namespaces(1_000, None);
    for run in 0..5 {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let cache = Cache::new(dir.path());
        let with_cache = |ns: &[Namespace]| cache.emit_modules(ns, PREAMBLE);
        cold.push(emit_all(&before, &with_cache));
        unchanged.push(emit_all(&before, &with_cache));
        one_changed.push(emit_all(&namespaces(1_000, Some(run * 97)), &with_cache));
    }
    for (name, runs) in
        [("cold cache", cold), ("nothing changed", unchanged), ("one event changed", one_changed)]
    {
        let rust = median(runs.iter().map(|r| r.0).collect());
        let total = median(runs.iter().map(|r| r.1).collect());
        println!("| {name} | {:.3} s | {:.3} s |", rust.as_secs_f64(), total.as_secs_f64());
    }
}
