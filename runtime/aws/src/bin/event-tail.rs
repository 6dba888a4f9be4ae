//! `event-tail`: streams the events on an EventBridge bus, checking each against its schema.
//!
//! A thin layer over [`event_runtime_aws::tail`]: it creates a temporary SQS queue and a
//! catch-all rule targeting it, prints every event as it arrives (pretty JSON, or one line
//! each with `--json`) on stdout, flags on stderr the ones whose detail breaks its schema or
//! that no schema knows, and removes the rule, target and queue when it stops: on Ctrl-C,
//! after `--max-events`, or after `--timeout`.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context as _;
use clap::Parser;
use event_runtime_aws::AwsSettings;
use event_runtime_aws::schemas::SchemaCatalog;
use event_runtime_aws::tail::{self, Tail, Tally};

/// Stream the events on an EventBridge bus and check each against its schema.
///
/// Creates a temporary SQS queue and a catch-all rule on the bus targeting it, prints every
/// event (pretty JSON; one line each with --json) on stdout, flags on stderr those whose
/// detail breaks its schema or whose source/detail-type has no schema, and removes the rule,
/// target and queue on exit (Ctrl-C, --max-events or --timeout).
#[derive(Debug, Parser)]
#[command(name = "event-tail", version)]
struct Args {
    /// The event bus to tail (name or ARN).
    #[arg(long)]
    bus: String,
    /// Print each event as compact JSON on one line.
    #[arg(long)]
    json: bool,
    /// A custom endpoint, e.g. http://127.0.0.1:5000 for moto (else AWS_ENDPOINT_URL, else AWS).
    #[arg(long, value_name = "URL")]
    endpoint_url: Option<String>,
    /// The AWS region (else AWS_REGION or the profile's).
    #[arg(long, value_name = "R")]
    region: Option<String>,
    /// The AWS profile (else AWS_PROFILE or default).
    #[arg(long, value_name = "P")]
    profile: Option<String>,
    /// The schemas directory, with catalog.json.
    #[arg(long, value_name = "DIR", default_value_os_t = SchemaCatalog::workspace_dir())]
    schemas: PathBuf,
    /// Stop after this many events.
    #[arg(long, value_name = "N")]
    max_events: Option<usize>,
    /// Stop after this many seconds.
    #[arg(long, value_name = "SECS")]
    timeout: Option<u64>,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let catalog = SchemaCatalog::load(&args.schemas).context("loading the schemas")?;
    let mut settings = AwsSettings::from_env();
    settings.endpoint_url = args.endpoint_url.clone().or(settings.endpoint_url);
    settings.region = args.region.clone();
    settings.profile = args.profile.clone();
    let config = settings.load().await?;

    let mut tail = Tail::start(&config, &args.bus).await?;
    eprintln!(
        "event-tail: tailing bus {} through rule and queue {} ({} schemas); Ctrl-C to stop",
        tail.bus(),
        tail.name(),
        catalog.len()
    );
    let outcome = stream(&tail, &catalog, &args).await;
    let removed = tail.cleanup().await;
    let tally = outcome?;
    let removed = removed?;
    eprintln!(
        "event-tail: {} events, {} invalid, {} unknown; removed rule {} and queue {}",
        tally.events,
        tally.invalid,
        tally.unknown,
        removed.rule.unwrap_or_default(),
        removed.queue.unwrap_or_default()
    );
    Ok(())
}

/// Polls and prints until Ctrl-C, `--max-events` or `--timeout`.
async fn stream(tail: &Tail, catalog: &SchemaCatalog, args: &Args) -> anyhow::Result<Tally> {
    let deadline = args.timeout.map(|secs| tokio::time::Instant::now() + Duration::from_secs(secs));
    let mut tally = Tally::default();
    let ctrl_c = tokio::signal::ctrl_c();
    tokio::pin!(ctrl_c);
    loop {
        if args.max_events.is_some_and(|max| tally.events >= max) {
            return Ok(tally);
        }
        let wait = match deadline {
            Some(deadline) => {
                let left = deadline.saturating_duration_since(tokio::time::Instant::now());
                if left.is_zero() {
                    return Ok(tally);
                }
                left.min(Duration::from_secs(5))
            }
            None => Duration::from_secs(5),
        };
        let events = tokio::select! {
            _ = &mut ctrl_c => return Ok(tally),
            () = sleep_until(deadline) => return Ok(tally),
            events = tail.poll(wait) => events?,
        };
        for event in events {
            let verdict = tail::check(catalog, &event);
            println!("{}", tail::render(&event, args.json));
            if let Some(flag) = tail::flag(&event, &verdict) {
                eprintln!("event-tail: {flag}");
            }
            tally.count(&verdict);
            if args.max_events.is_some_and(|max| tally.events >= max) {
                break;
            }
        }
    }
}

async fn sleep_until(deadline: Option<tokio::time::Instant>) {
    match deadline {
        Some(deadline) => tokio::time::sleep_until(deadline).await,
        None => std::future::pending().await,
    }
}
