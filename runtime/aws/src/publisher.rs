//! [`EventBridgePublisher`]: the [`EventSink`] that puts events on an EventBridge bus.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use aws_sdk_eventbridge::error::{DisplayErrorContext, ProvideErrorMetadata};
use aws_sdk_eventbridge::types::PutEventsRequestEntry;
use event_runtime::{Backoff, BoxFuture, DeliveryReport, EventSink, FailedEntry, OutboundEvent};

use crate::entry::{entry_size, to_entry};
use crate::{AwsSettings, SettingsError};

/// The most entries one `PutEvents` call takes.
pub const MAX_ENTRIES_PER_CALL: usize = 10;

/// Entry error codes that fail the same way however often they are sent: not retried.
const PERMANENT_CODES: &[&str] = &[
    "InvalidArgument",
    "MalformedDetail",
    "ValidationException",
    "AccessDeniedException",
    "NotAuthorizedForSourceException",
    "NotAuthorizedForDetailTypeException",
];

/// The one EventBridge call the publisher makes, behind a trait so tests can count calls and
/// inject the partial failures a local server never produces. [`SdkPutEvents`] is the real one.
pub trait PutEventsApi: Send + Sync + 'static {
    /// Sends `entries` (at most 10) in one `PutEvents` call and returns one outcome per entry,
    /// in order; `Err` when the call as a whole failed (network, throttling of the call, ...).
    fn put_events(
        &self,
        entries: Vec<PutEventsRequestEntry>,
    ) -> BoxFuture<'_, Result<Vec<EntryOutcome>, CallError>>;
}

/// What became of one entry of a `PutEvents` call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryOutcome {
    /// EventBridge took it and gave it this envelope id.
    Accepted {
        /// The id EventBridge assigned.
        event_id: Option<String>,
    },
    /// EventBridge refused it (counted in `FailedEntryCount`).
    Failed {
        /// The entry's `ErrorCode`, e.g. `ThrottlingException`.
        code: String,
        /// The entry's `ErrorMessage`.
        message: String,
    },
}

/// A `PutEvents` call that failed as a whole: every entry of it failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{code}: {message}")]
pub struct CallError {
    /// The service's error code, or `CallFailed` when there is none (e.g. no connection).
    pub code: String,
    /// The error with its causes.
    pub message: String,
}

/// [`PutEventsApi`] on the AWS SDK client.
#[derive(Debug, Clone)]
pub struct SdkPutEvents(pub aws_sdk_eventbridge::Client);

impl PutEventsApi for SdkPutEvents {
    fn put_events(
        &self,
        entries: Vec<PutEventsRequestEntry>,
    ) -> BoxFuture<'_, Result<Vec<EntryOutcome>, CallError>> {
        Box::pin(async move {
            let sent = entries.len();
            let output =
                self.0.put_events().set_entries(Some(entries)).send().await.map_err(|error| CallError {
                    code: error.code().unwrap_or("CallFailed").to_owned(),
                    message: DisplayErrorContext(&error).to_string(),
                })?;
            let mut outcomes: Vec<EntryOutcome> = output
                .entries()
                .iter()
                .map(|entry| match entry.error_code() {
                    Some(code) => EntryOutcome::Failed {
                        code: code.to_owned(),
                        message: entry.error_message().unwrap_or_default().to_owned(),
                    },
                    None => EntryOutcome::Accepted { event_id: entry.event_id().map(str::to_owned) },
                })
                .collect();
            // The response has one result per request entry; be safe if it does not.
            outcomes.resize(
                sent,
                EntryOutcome::Failed {
                    code: "MissingResult".to_owned(),
                    message: "PutEvents returned no result for this entry".to_owned(),
                },
            );
            Ok(outcomes)
        })
    }
}

/// How the publisher sizes entries and retries failures.
#[derive(Debug, Clone)]
pub struct PublishOptions {
    /// The largest entry, in bytes by AWS's rule ([`entry_size`](crate::entry_size)); bigger
    /// entries are never sent and are reported failed. Default 262144 (256 KB, the long-standing
    /// limit; AWS has since raised it, so raise this only where the account allows it).
    pub max_entry_size: usize,
    /// How many times an entry is sent at most (the first try included). Default 4.
    pub max_attempts: u32,
    /// The wait before each retry: 50 ms before the first, doubling up to 1 s, with equal
    /// jitter (between half and all of it), so publishers throttled together do not retry
    /// together. The runtime's one policy, the outbox relay's too.
    pub backoff: Backoff,
}

impl Default for PublishOptions {
    fn default() -> Self {
        Self {
            max_entry_size: 262_144,
            max_attempts: 4,
            backoff: Backoff::new(Duration::from_millis(50), Duration::from_secs(1)),
        }
    }
}

/// An [`EventSink`] that puts events on an EventBridge bus with `PutEvents`.
///
/// - batches of at most 10 entries, sent one call after another in the order given;
/// - an entry larger than [`PublishOptions::max_entry_size`] by AWS's size rule is not sent
///   and is reported failed with its source, detail-type, id and size;
/// - entries a call fails (`FailedEntryCount`), or every entry of a call that fails as a
///   whole, are sent again, only those, with jittered exponential backoff
///   ([`PublishOptions::backoff`]), up to
///   [`PublishOptions::max_attempts`]; permanent errors (`MalformedDetail`, `InvalidArgument`,
///   access denied) are not retried;
/// - the [`DeliveryReport`] lists every entry that never went through with its last error
///   code and message, so the outbox relay keeps exactly those pending.
///
/// Each entry carries the runtime's event id as the resource `urn:event-id:<uuid>`
/// ([`event_id_resource`](crate::event_id_resource)) since EventBridge assigns its own `id`.
/// EventBridge does not promise delivery order to targets, and a retried entry can arrive
/// after later ones.
#[derive(Clone)]
pub struct EventBridgePublisher {
    api: Arc<dyn PutEventsApi>,
    bus: String,
    options: PublishOptions,
}

impl fmt::Debug for EventBridgePublisher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventBridgePublisher")
            .field("bus", &self.bus)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

/// An entry still to be sent: its position in the batch and its last error.
struct Pending {
    index: usize,
    entry: PutEventsRequestEntry,
    last_error: Option<CallError>,
}

impl EventBridgePublisher {
    /// A publisher to the bus `bus` (a name or ARN) through `client`.
    pub fn new(client: aws_sdk_eventbridge::Client, bus: impl Into<String>) -> Self {
        Self::with_api(Arc::new(SdkPutEvents(client)), bus)
    }

    /// A publisher to `bus` configured by `settings` (profile, region, endpoint).
    pub async fn connect(settings: &AwsSettings, bus: impl Into<String>) -> Result<Self, SettingsError> {
        Ok(Self::new(aws_sdk_eventbridge::Client::new(&settings.load().await?), bus))
    }

    /// A publisher calling `PutEvents` through `api` (a test double, or a decorator).
    pub fn with_api(api: Arc<dyn PutEventsApi>, bus: impl Into<String>) -> Self {
        Self { api, bus: bus.into(), options: PublishOptions::default() }
    }

    /// The same publisher with `options`.
    #[must_use]
    pub fn with_options(mut self, options: PublishOptions) -> Self {
        self.options = options;
        self
    }

    /// The bus events go to.
    pub fn bus(&self) -> &str {
        &self.bus
    }

    /// The size limit and retry policy.
    pub fn options(&self) -> &PublishOptions {
        &self.options
    }

    /// Puts `events` on the bus and returns the entries that never went through, in the order
    /// of `events` (empty: all delivered).
    pub async fn put(&self, events: &[OutboundEvent]) -> Vec<FailedEntry> {
        let mut failed = BTreeMap::new();
        let mut pending = Vec::with_capacity(events.len());
        for (index, event) in events.iter().enumerate() {
            match to_entry(event, &self.bus) {
                Err(error) => {
                    failed.insert(index, describe(event, "SerializationFailed", &error.to_string(), None));
                }
                Ok(entry) => {
                    let size = entry_size(&entry);
                    if size > self.options.max_entry_size {
                        let message = format!(
                            "the entry is {size} bytes by AWS's size rule, over the limit of {} bytes; not sent",
                            self.options.max_entry_size
                        );
                        failed.insert(index, describe(event, "EntryTooLarge", &message, None));
                    } else {
                        pending.push(Pending { index, entry, last_error: None });
                    }
                }
            }
        }

        let mut attempt = 0;
        while !pending.is_empty() {
            attempt += 1;
            if attempt > 1 {
                tokio::time::sleep(self.options.backoff.delay(attempt - 1)).await;
            }
            let mut retry = Vec::new();
            let mut queue = pending.into_iter().peekable();
            while queue.peek().is_some() {
                let batch: Vec<Pending> = queue.by_ref().take(MAX_ENTRIES_PER_CALL).collect();
                let entries = batch.iter().map(|pending| pending.entry.clone()).collect();
                match self.api.put_events(entries).await {
                    Ok(outcomes) => {
                        for (mut pending, outcome) in batch.into_iter().zip(outcomes) {
                            if let EntryOutcome::Failed { code, message } = outcome {
                                pending.last_error = Some(CallError { code, message });
                                retry.push(pending);
                            }
                        }
                    }
                    Err(error) => retry.extend(batch.into_iter().map(|mut pending| {
                        pending.last_error = Some(error.clone());
                        pending
                    })),
                }
            }
            let (permanent, retriable): (Vec<Pending>, Vec<Pending>) =
                retry.into_iter().partition(|pending| pending.last_error.as_ref().is_some_and(is_permanent));
            pending = retriable;
            let mut given_up = permanent;
            if attempt >= self.options.max_attempts {
                given_up.append(&mut pending);
            }
            for Pending { index, last_error, .. } in given_up {
                let error = last_error.unwrap_or_else(|| CallError {
                    code: "Unknown".to_owned(),
                    message: "no error was reported".to_owned(),
                });
                failed.insert(index, describe(&events[index], &error.code, &error.message, Some(attempt)));
            }
        }
        failed.into_values().collect()
    }
}

fn is_permanent(error: &CallError) -> bool {
    PERMANENT_CODES.contains(&error.code.as_str())
}

/// A failed entry naming its event: `trading.TradeCreated <id>: <code>: <message>`.
fn describe(event: &OutboundEvent, code: &str, message: &str, attempts: Option<u32>) -> FailedEntry {
    let tries = match attempts {
        Some(1) => " (after 1 attempt)".to_owned(),
        Some(n) => format!(" (after {n} attempts)"),
        None => String::new(),
    };
    FailedEntry {
        event_id: event.id(),
        error: format!("{}.{} {}: {code}: {message}{tries}", event.source(), event.detail_type(), event.id()),
    }
}

impl EventSink for EventBridgePublisher {
    /// Each entry of a `PutEvents` call succeeds or fails by itself, and the publisher sends
    /// the entries after a failed one: the relay may mix units in one call.
    fn entries_fail_independently(&self) -> bool {
        true
    }

    fn send<'a>(&'a self, events: &'a [OutboundEvent]) -> BoxFuture<'a, DeliveryReport> {
        Box::pin(
            async move { DeliveryReport { failed: self.put(events).await, handler_failures: Vec::new() } },
        )
    }
}
