//! What `PlatformEvent::from_eventbridge` costs over bare `serde_json::from_str` into the same
//! type (the `Envelope<T>` its variant holds), on events as EventBridge delivers them.
//!
//! `cargo bench -p platform-events --bench from_eventbridge` (results, the ratio and the exact
//! command in BENCHMARKS.md). `from_eventbridge` reads the text into a `serde_json::Value`,
//! reads the envelope, picks the type by `source` and `detail-type`, then reads `detail`
//! through `serde_path_to_error` so a failure names its path; bare serde_json only has to
//! know the type in advance. Hand-kept; the crate's manifest, generated, declares it.

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use platform_events::{Envelope, PlatformEvent, customers, trading};
use serde_json::{Value, json};

/// The event's sample (its schema's first example, from `schemas/`) in an EventBridge envelope.
fn envelope(source: &str, detail_type: &str) -> String {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../../schemas/{source}/{detail_type}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let schema: Value = serde_json::from_str(&text).expect("a schema is JSON");
    let sample = schema["examples"][0].clone();
    assert!(sample.is_object(), "{} has no example", path.display());
    json!({
        "version": "0",
        "id": "3f6c1b2e-8d4a-4b7e-9c1d-2a5e6f7a8b9c",
        "detail-type": detail_type,
        "source": source,
        "account": "123456789012",
        "time": "2026-01-01T00:00:00Z",
        "region": "ap-southeast-2",
        "resources": [],
        "detail": sample,
    })
    .to_string()
}

/// One event both ways, asserting first that both read it, and read it alike.
fn compare<T>(
    c: &mut Criterion,
    source: &str,
    detail_type: &str,
    variant: fn(PlatformEvent) -> Option<Envelope<T>>,
) where
    T: serde::de::DeserializeOwned + std::fmt::Debug + PartialEq,
{
    let json = envelope(source, detail_type);
    let bare: Envelope<T> = serde_json::from_str(&json).expect("serde_json reads the sample");
    let parsed = PlatformEvent::from_eventbridge(&json).expect("from_eventbridge reads the sample");
    assert_eq!(variant(parsed).expect("the variant of its source and detail-type"), bare);
    let mut group = c.benchmark_group(format!("{source}.{detail_type}"));
    group.throughput(Throughput::Bytes(json.len() as u64));
    group
        .bench_function("from_eventbridge", |b| b.iter(|| PlatformEvent::from_eventbridge(black_box(&json))));
    group.bench_function("serde_json::from_str", |b| {
        b.iter(|| serde_json::from_str::<Envelope<T>>(black_box(&json)))
    });
    group.finish();
}

fn benches(c: &mut Criterion) {
    compare::<trading::TradeCreated>(c, "trading", "TradeCreated", |event| match event {
        PlatformEvent::TradingTradeCreated(envelope) => Some(envelope),
        _ => None,
    });
    compare::<customers::UserInvited>(c, "customers", "UserInvited", |event| match event {
        PlatformEvent::CustomersUserInvited(envelope) => Some(envelope),
        _ => None,
    });
}

criterion_group! {
    name = from_eventbridge;
    config = Criterion::default().warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    targets = benches
}
criterion_main!(from_eventbridge);
