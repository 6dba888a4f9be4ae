//! Inference throughput on one file against serde_json's own parse speed of that file.
//!
//! ```sh
//! cargo run --release -p schema-infer --example throughput -- FILE [RUNS]
//! ```
//!
//! Prints, per way of reading the file (median of RUNS, default 5, in one process, the file
//! already in memory): serde_json into a `Value` (what most tools do first), serde_json
//! skipping every value (`IgnoredAny`: the parser alone, the practical limit), and inference
//! (fold, then build the schema); with MB/s and inference's speed relative to each.

use std::time::{Duration, Instant};

use schema_infer::{Hints, Inferrer};

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

fn time(runs: usize, mut work: impl FnMut()) -> Duration {
    median(
        (0..runs)
            .map(|_| {
                let start = Instant::now();
                work();
                start.elapsed()
            })
            .collect(),
    )
}

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: throughput FILE [RUNS]");
        std::process::exit(2);
    };
    let runs: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(5);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("reading {path}: {e}"));
    let megabytes = bytes.len() as f64 / 1e6;
    let value = time(runs, || {
        let mut deserializer = serde_json::Deserializer::from_slice(&bytes);
        deserializer.disable_recursion_limit();
        let parsed: serde_json::Value =
            serde::Deserialize::deserialize(&mut deserializer).expect("valid JSON");
        std::hint::black_box(parsed);
    });
    let skip = time(runs, || {
        let mut deserializer = serde_json::Deserializer::from_slice(&bytes);
        deserializer.disable_recursion_limit();
        let parsed: serde::de::IgnoredAny =
            serde::Deserialize::deserialize(&mut deserializer).expect("valid JSON");
        std::hint::black_box(parsed);
    });
    let infer = time(runs, || {
        let mut inferrer = Inferrer::new("Sample", Hints::default());
        inferrer.add_json_bytes(&path, &bytes).expect("valid JSON");
        std::hint::black_box(inferrer.finish().expect("inferred"));
    });
    let rate = |d: Duration| megabytes / d.as_secs_f64();
    println!("{path}: {megabytes:.2} MB, median of {runs} runs");
    println!("| reading | time (ms) | MB/s | inference's speed relative to it |");
    println!("| --- | ---: | ---: | ---: |");
    for (what, took) in
        [("serde_json into a Value", value), ("serde_json skipping values (IgnoredAny)", skip)]
    {
        let share = took.as_secs_f64() / infer.as_secs_f64();
        println!("| {what} | {:.1} | {:.0} | {:.0}% |", took.as_secs_f64() * 1e3, rate(took), share * 100.0);
    }
    println!("| inference (fold + schema) | {:.1} | {:.0} | |", infer.as_secs_f64() * 1e3, rate(infer));
}
