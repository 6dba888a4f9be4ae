//! The request context events are built from.

use uuid::Uuid;

use crate::EventMetadata;
#[cfg(feature = "samples")]
use crate::fakes::{self, FakeRng};

/// Who is acting and in which request: the part of a request every event it causes repeats.
///
/// Service code builds a `Context` once per request (with [`ContextFactory`]) and builds each
/// event's metadata from it with [`Context::metadata`], so no payload can forget or mix up
/// its correlation id, user or organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Context {
    /// The request's correlation id, carried on to every event it causes.
    pub correlation_id: Uuid,
    /// The authenticated user.
    pub user_id: Uuid,
    /// The organisation the user acts for.
    pub organisation_id: Uuid,
}

impl Context {
    /// The metadata to flatten into an event caused in this context.
    pub fn metadata(&self) -> EventMetadata {
        EventMetadata {
            correlation_id: self.correlation_id,
            user_id: self.user_id,
            organisation_id: self.organisation_id,
        }
    }
}

/// Builds [`Context`]s: for an incoming request, for a handler reacting to an event, and
/// fake ones for samples and tests.
#[derive(Debug, Clone, Copy, Default)]
pub struct ContextFactory;

impl ContextFactory {
    /// The context of an authenticated request. Without a correlation id from the caller
    /// (e.g. an `x-correlation-id` header) the request starts a new correlation.
    pub fn for_request(&self, user_id: Uuid, organisation_id: Uuid, correlation_id: Option<Uuid>) -> Context {
        Context { correlation_id: correlation_id.unwrap_or_else(Uuid::new_v4), user_id, organisation_id }
    }

    /// The context of a handler reacting to an event: same correlation, user and
    /// organisation, so follow-up events stay traceable to the original request.
    pub fn for_event(&self, metadata: &EventMetadata) -> Context {
        Context {
            correlation_id: metadata.correlation_id,
            user_id: metadata.user_id,
            organisation_id: metadata.organisation_id,
        }
    }

    /// A deterministic fake context for samples and tests.
    #[cfg(feature = "samples")]
    pub fn fake(&self, rng: &mut FakeRng) -> Context {
        Context {
            correlation_id: fakes::uuid(rng),
            user_id: fakes::uuid(rng),
            organisation_id: fakes::uuid(rng),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_without_correlation_id_starts_a_new_one() {
        let factory = ContextFactory;
        let (user, org) = (Uuid::new_v4(), Uuid::new_v4());
        let first = factory.for_request(user, org, None);
        let second = factory.for_request(user, org, None);
        assert_ne!(first.correlation_id, second.correlation_id);
        let given = Uuid::new_v4();
        assert_eq!(factory.for_request(user, org, Some(given)).correlation_id, given);
    }

    #[cfg(feature = "samples")]
    #[test]
    fn a_handler_context_continues_the_event_correlation() {
        let original = ContextFactory.fake(&mut fakes::rng_for("test", "Context"));
        let continued = ContextFactory.for_event(&original.metadata());
        assert_eq!(continued, original);
    }
}
