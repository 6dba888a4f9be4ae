//! Handlers: what a manifest maps each key to.

use std::any::Any;
use std::future::Future;
use std::marker::PhantomData;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use contracts_common::{Event, EventEnvelope};
use serde::de::DeserializeOwned;
use tracing::Instrument;

use crate::BoxFuture;
use crate::context::RequestContext;
use crate::error::{HandlerError, HandlerResult};
use crate::outbound::{DetailError, OutboundEvent};

/// Handles events of type `E`: the envelope (shared, not copied, between the handlers of one
/// event) and a [`RequestContext`] continuing the publishing request's correlation, user and
/// organisation, so follow-up events stay traceable.
///
/// Implemented for every `Fn(Arc<EventEnvelope<E>>, RequestContext) -> impl Future<Output =
/// HandlerResult>`, so an `async` closure or function is a handler:
///
/// ```
/// use std::sync::Arc;
/// use contracts_common::EventEnvelope;
/// use event_runtime::{HandlerResult, RequestContext};
/// # #[derive(Debug)] struct OrganisationCreated;
/// async fn on_organisation_created(
///     event: Arc<EventEnvelope<OrganisationCreated>>,
///     _ctx: RequestContext,
/// ) -> HandlerResult {
///     println!("organisation created: {}", event.id);
///     Ok(())
/// }
/// ```
pub trait Handler<E>: Send + Sync + 'static {
    /// Handles one event.
    fn handle(&self, event: Arc<EventEnvelope<E>>, ctx: RequestContext) -> BoxFuture<'static, HandlerResult>;
}

impl<E, F, Fut> Handler<E> for F
where
    E: Send + Sync + 'static,
    F: Fn(Arc<EventEnvelope<E>>, RequestContext) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = HandlerResult> + Send + 'static,
{
    fn handle(&self, event: Arc<EventEnvelope<E>>, ctx: RequestContext) -> BoxFuture<'static, HandlerResult> {
        Box::pin(self(event, ctx))
    }
}

/// A handler with its event type erased, as a manifest stores it.
pub(crate) trait ErasedHandler: Send + Sync {
    /// Starts the handler on `event`; fails when the detail does not fit its type.
    fn start(
        &self,
        event: &OutboundEvent,
        ctx: RequestContext,
    ) -> Result<BoxFuture<'static, HandlerResult>, DetailError>;
}

/// A handler of a typed event.
pub(crate) struct Typed<E, H> {
    handler: H,
    event: PhantomData<fn() -> E>,
}

impl<E, H> Typed<E, H> {
    pub(crate) fn new(handler: H) -> Self {
        Self { handler, event: PhantomData }
    }
}

impl<E: Event, H: Handler<E>> ErasedHandler for Typed<E, H> {
    fn start(
        &self,
        event: &OutboundEvent,
        ctx: RequestContext,
    ) -> Result<BoxFuture<'static, HandlerResult>, DetailError> {
        Ok(self.handler.handle(event.typed::<E>()?, ctx))
    }
}

/// A handler of a detail type that is not a contract event: an AWS service event's detail,
/// or `serde_json::Value` for handlers registered by string key.
pub(crate) struct Detail<T, H> {
    handler: H,
    detail: PhantomData<fn() -> T>,
}

impl<T, H> Detail<T, H> {
    pub(crate) fn new(handler: H) -> Self {
        Self { handler, detail: PhantomData }
    }
}

impl<T, H> ErasedHandler for Detail<T, H>
where
    T: DeserializeOwned + Send + Sync + 'static,
    H: Handler<T>,
{
    fn start(
        &self,
        event: &OutboundEvent,
        ctx: RequestContext,
    ) -> Result<BoxFuture<'static, HandlerResult>, DetailError> {
        Ok(self.handler.handle(event.detail_as::<T>()?, ctx))
    }
}

/// The `handle` span of one handler run on one event; `None` when no subscriber listens, so
/// in-process dispatch pays nothing for it (sqlx turns on tracing's `log` feature, which makes
/// even a disabled span cost a check per event).
pub(crate) fn handle_span(key: &str, event: &OutboundEvent, ctx: &RequestContext) -> Option<tracing::Span> {
    if !tracing::enabled!(tracing::Level::INFO) {
        return None;
    }
    Some(tracing::info_span!(
        "handle",
        key,
        event_id = %event.id(),
        source = event.source(),
        detail_type = event.detail_type(),
        correlation_id = %ctx.correlation_id,
    ))
}

/// Runs `future` inside `span`, if there is one.
pub(crate) async fn in_span<T>(span: Option<tracing::Span>, future: impl Future<Output = T>) -> T {
    match span {
        Some(span) => future.instrument(span).await,
        None => future.await,
    }
}

/// A handler started on an event, or why it could not start.
pub(crate) enum Started {
    /// The handler is running.
    Running(BoxFuture<'static, HandlerResult>),
    /// The event's detail does not fit the handler's type.
    BadDetail(DetailError),
    /// The handler panicked before returning its future.
    Panicked(HandlerError),
}

/// Starts `handler` on `event`, catching a panic.
pub(crate) fn start(handler: &dyn ErasedHandler, event: &OutboundEvent, ctx: RequestContext) -> Started {
    match std::panic::catch_unwind(AssertUnwindSafe(|| handler.start(event, ctx))) {
        Ok(Ok(future)) => Started::Running(future),
        Ok(Err(detail)) => Started::BadDetail(detail),
        Err(panic) => Started::Panicked(panic_error(panic)),
    }
}

/// Runs a started handler to completion, turning a panic into an error.
pub(crate) async fn finish(future: BoxFuture<'static, HandlerResult>) -> HandlerResult {
    CatchUnwind(future).await.unwrap_or_else(|panic| Err(panic_error(panic)))
}

/// Runs `handler` on `event` to completion; every way it can fail becomes an error, so one
/// handler cannot stop the others.
pub(crate) async fn run(
    handler: &dyn ErasedHandler,
    event: &OutboundEvent,
    ctx: RequestContext,
) -> HandlerResult {
    match start(handler, event, ctx) {
        Started::Running(future) => finish(future).await,
        Started::BadDetail(detail) => Err(detail.into()),
        Started::Panicked(error) => Err(error),
    }
}

/// A future that turns a panic while polling into an `Err` with the payload.
struct CatchUnwind<F>(F);

impl<F: Future + Unpin> Future for CatchUnwind<F> {
    type Output = Result<F::Output, Box<dyn Any + Send>>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let inner = &mut self.0;
        match std::panic::catch_unwind(AssertUnwindSafe(|| Pin::new(inner).poll(cx))) {
            Ok(Poll::Pending) => Poll::Pending,
            Ok(Poll::Ready(output)) => Poll::Ready(Ok(output)),
            Err(panic) => Poll::Ready(Err(panic)),
        }
    }
}

fn panic_error(panic: Box<dyn Any + Send>) -> HandlerError {
    let message = panic
        .downcast_ref::<&str>()
        .map(|text| (*text).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "non-string panic payload".to_owned());
    format!("handler panicked: {message}").into()
}
