//! Speed of the compatibility gate on this repository's published schemas.
//!
//! `cargo bench -p schema-compat` (results and the exact command in BENCHMARKS.md).
//!
//! - `pair/*`: one comparison of a schema with an earlier version of itself that differs
//!   in several places (the largest schema, TradeCreated, and TradeCancelled);
//! - `pair/identical`: a byte-identical earlier version (the common case in git history);
//! - `transitive/13_events_x_100_versions`: every published schema against 100 earlier
//!   versions, each different from the current one (no identical shortcut), as
//!   `cargo xtask compat --transitive` would on a history of 100 commits per event.

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use schema_compat::{Policy, compare, compare_transitive};
use serde_json::{Value, json};

/// Earlier versions per event in the transitive benchmark.
const VERSIONS: usize = 100;

/// The published schemas (copies in `tests/fixtures`), by file name, sorted.
fn fixtures() -> Vec<(String, Value)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut all = Vec::new();
    for source in std::fs::read_dir(&root).expect("fixtures") {
        for file in std::fs::read_dir(source.expect("entry").path()).expect("source") {
            let path = file.expect("entry").path();
            let schema =
                serde_json::from_str(&std::fs::read_to_string(&path).expect("readable")).expect("JSON");
            all.push((path.file_name().expect("name").to_string_lossy().into_owned(), schema));
        }
    }
    all.sort_by(|a, b| a.0.cmp(&b.0));
    all
}

/// Version `k` of an earlier history of `current`: reworded, and depending on `k` without
/// one of the current top-level properties (added since), without the last value of every
/// documented enum (added since) and with a looser string bound.
fn earlier_version(current: &Value, k: usize) -> Value {
    let mut old = current.clone();
    old["description"] = json!(format!("Version {k}."));
    if let Some(properties) = old["properties"].as_object_mut().filter(|p| !p.is_empty()) {
        if k.is_multiple_of(3) {
            let name = properties.keys().nth(k % properties.len()).cloned().expect("in range");
            properties.remove(&name);
        } else if k % 3 == 1 {
            properties.insert(format!("retired{k}"), json!({"type": ["string", "null"]}));
        }
    }
    if k.is_multiple_of(2)
        && let Some(definitions) = old["definitions"].as_object_mut()
    {
        for definition in definitions.values_mut() {
            if let Some(branches) = definition["oneOf"].as_array_mut()
                && branches.len() > 2
                && branches.iter().all(|b| b.get("enum").is_some())
            {
                branches.pop();
            }
            if let Some(properties) = definition["properties"].as_object_mut() {
                for property in properties.values_mut() {
                    if property["type"] == "string" && property.get("format").is_none() {
                        property["maxLength"] = json!(200 + k);
                    }
                }
            }
        }
    }
    old
}

fn pairs(c: &mut Criterion) {
    let all = fixtures();
    let mut group = c.benchmark_group("pair");
    for name in ["TradeCreated.json", "TradeCancelled.json"] {
        let current = &all.iter().find(|(n, _)| n == name).expect("fixture").1;
        let old = earlier_version(current, 4);
        assert!(!compare(&old, current, Policy::Strict).expect("readable").is_empty());
        group.bench_function(name.trim_end_matches(".json"), |b| {
            b.iter(|| black_box(compare(black_box(&old), black_box(current), Policy::Strict)))
        });
    }
    let current = &all.iter().find(|(n, _)| n == "TradeCreated.json").expect("fixture").1;
    let same = current.clone();
    group.bench_function("identical", |b| {
        b.iter(|| black_box(compare(black_box(&same), current, Policy::Strict)))
    });
    group.finish();
}

fn transitive(c: &mut Criterion) {
    let all = fixtures();
    assert_eq!(all.len(), 13, "the repository publishes 13 event schemas");
    let histories: Vec<(Value, Vec<(String, Value)>)> = all
        .iter()
        .map(|(_, current)| {
            let versions = (0..VERSIONS).map(|k| (format!("v{k}"), earlier_version(current, k))).collect();
            (current.clone(), versions)
        })
        .collect();
    let mut group = c.benchmark_group("transitive");
    group.throughput(Throughput::Elements((all.len() * VERSIONS) as u64));
    group.bench_function("13_events_x_100_versions", |b| {
        b.iter(|| {
            for (current, versions) in &histories {
                let earlier = versions.iter().map(|(label, schema)| (label.as_str(), schema));
                black_box(compare_transitive(earlier, current, Policy::Strict).expect("readable"));
            }
        })
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(20);
    targets = pairs, transitive
}
criterion_main!(benches);
