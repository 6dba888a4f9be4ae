//! Scale benchmark of the code emitters: Rust (typify) and TypeScript for synthetic sets of
//! 100, 1,000 and 5,000 varied event schemas.
//!
//! Run: `cargo bench -p xtask --bench emitters`. Prints the median of several runs per set,
//! per event, and the growth from 1,000 to 5,000 events (linear is 5x).

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use xtask::emit::model::{self, EventSchema};
use xtask::emit::{rust, typescript};

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

fn events(count: usize) -> Vec<EventSchema> {
    (0..count)
        .map(|n| EventSchema {
            source: format!("module{:03}", n / EVENTS_PER_SOURCE),
            detail_type: format!("Event{n}"),
            schema: event_schema(n),
            inferred: false,
        })
        .collect()
}

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

fn main() {
    println!("| events | Rust (typify) | TypeScript | total | per event |");
    println!("|---:|---:|---:|---:|---:|");
    let mut totals = Vec::new();
    for count in [100, 1_000, 5_000] {
        let input = events(count);
        let runs = if count > 1_000 { 3 } else { 5 };
        let (mut rust_runs, mut ts_runs, mut total_runs) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..runs {
            let started = Instant::now();
            let modules = model::modules(&input).expect("synthetic schemas are valid");
            let merged = started.elapsed();
            let files = rust::emit_crate(&modules).expect("typify accepts the synthetic schemas");
            let rust_time = started.elapsed();
            let samples = Default::default();
            let ts = typescript::emit_package(&modules, &samples).expect("TypeScript emits");
            let total = started.elapsed();
            assert!(files.len() > count / EVENTS_PER_SOURCE && !ts.is_empty());
            rust_runs.push(rust_time - merged);
            ts_runs.push(total - rust_time);
            total_runs.push(total);
        }
        let total = median(total_runs);
        totals.push(total);
        println!(
            "| {count} | {:.3} s | {:.3} s | {:.3} s | {:.2} ms |",
            median(rust_runs).as_secs_f64(),
            median(ts_runs).as_secs_f64(),
            total.as_secs_f64(),
            total.as_secs_f64() * 1e3 / count as f64
        );
    }
    println!(
        "\n5,000 / 1,000 events: {:.2}x (linear: 5x)",
        totals[2].as_secs_f64() / totals[1].as_secs_f64()
    );
}
