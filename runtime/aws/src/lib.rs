//! The event runtime on AWS: the adapters that put [`event_runtime`] on EventBridge and
//! Lambda, kept out of the runtime crate so the code generator's build never compiles the
//! AWS SDK.
//!
//! - [`EventBridgePublisher`] is an [`EventSink`](event_runtime::EventSink): `PutEvents` to a
//!   named bus in batches of at most 10, entry sizes checked by AWS's rule, failed entries
//!   retried with bounded exponential backoff, every entry that never went through reported.
//!   It drops in wherever the in-process bus does, including as the outbox relay's sink.
//! - [`LambdaHandler`] serves a manifest's [`Router`](event_runtime::Router) as a Lambda
//!   function.
//! - [`tail`] streams a bus through a temporary SQS queue and checks every event against its
//!   schema; the `event-tail` binary is its command line.
//! - [`AwsSettings`] says where AWS is: a profile and region, or a local endpoint (moto).
//!
//! See `runtime/aws/README.md` for pointing them at a real account or at moto.

mod entry;
mod lambda;
mod publisher;
pub mod schemas;
mod settings;
pub mod tail;

pub use entry::{EVENT_ID_URN_PREFIX, entry_size, event_id_from_resources, event_id_resource};
pub use lambda::{DATABASE_URL_ENV, EVENT_BUS_ENV, LambdaHandler, LambdaHandlerError};
pub use publisher::{
    CallError, EntryOutcome, EventBridgePublisher, PublishOptions, PutEventsApi, SdkPutEvents,
};
pub use settings::{AwsSettings, SettingsError};

/// The AWS SDK crates this crate is built on, so applications configure them at the same
/// versions.
pub use {aws_config, aws_lambda_events, aws_sdk_eventbridge, aws_sdk_sqs, lambda_runtime};
