//! The EventBridge-style entry point: route by prefix + detail-type, deserialise, handle.

use std::sync::{Arc, Mutex};

use contracts_common::{EventEnvelope, Sample};
use contracts_customers::OrganisationCreated;
use contracts_trading::TradeCreated;
use event_runtime::{HandlerResult, Manifest, RequestContext, RouteError, Router, Runtime};
use serde_json::{Value, json};

use crate::support::*;

type Seen = Arc<Mutex<Vec<String>>>;

/// A raw EventBridge event around `E`'s sample, as a Lambda receives it.
fn raw_event<E: Sample>() -> Value {
    json!({
        "version": "0",
        "id": "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
        "detail-type": E::DETAIL_TYPE,
        "source": E::SOURCE,
        "account": "111122223333",
        "time": "2026-03-01T12:00:00Z",
        "region": "ap-southeast-2",
        "resources": [],
        "detail": serde_json::to_value(E::sample()).unwrap(),
    })
}

/// The trading module's manifest: `Trading` and `Audit` handlers of `OrganisationCreated`.
fn trading_manifest(seen: &Seen) -> Manifest {
    let (trading, audit) = (seen.clone(), seen.clone());
    Manifest::builder("trading", "trading")
        .add("Trading", move |event: Arc<EventEnvelope<OrganisationCreated>>, ctx: RequestContext| {
            let seen = trading.clone();
            async move {
                assert_eq!(ctx.correlation_id, event.detail.metadata.correlation_id);
                seen.lock().unwrap().push(format!("Trading:{}", event.detail.organisation.legal_name));
                HandlerResult::Ok(())
            }
        })
        .add("Audit", move |event: Arc<EventEnvelope<OrganisationCreated>>, _: RequestContext| {
            let seen = audit.clone();
            async move {
                seen.lock().unwrap().push(format!("Audit:{}", event.id));
                HandlerResult::Ok(())
            }
        })
        .add("Trading", |_: Arc<EventEnvelope<TradeCreated>>, _: RequestContext| async {
            HandlerResult::Err("credit check failed".into())
        })
        .build()
        .unwrap()
}

async fn router(seen: &Seen, prefix: Option<&str>) -> Router {
    let runtime: Runtime = memory_runtime(RecordingSink::new()).await;
    Router::new(runtime, trading_manifest(seen), prefix)
}

#[tokio::test]
async fn routes_by_prefix_and_detail_type_to_the_typed_handler() {
    let seen = Seen::default();
    let trading = router(&seen, Some("Trading")).await;
    let audit = router(&seen, Some("Audit")).await;

    let outcome = trading.handle(&raw_event::<OrganisationCreated>()).await.unwrap();
    audit.handle_json(&raw_event::<OrganisationCreated>().to_string()).await.unwrap();

    assert_eq!(outcome.key, "TradingOrganisationCreated");
    assert_eq!(outcome.event_id.to_string(), "6a7e8feb-b491-4cf7-a9f1-bf3703467718");
    let name = OrganisationCreated::sample().organisation.legal_name;
    assert_eq!(*seen.lock().unwrap(), [format!("Trading:{name}"), format!("Audit:{}", outcome.event_id)]);
}

#[tokio::test]
async fn missing_account_and_region_are_tolerated() {
    let seen = Seen::default();
    let router = router(&seen, Some("Trading")).await;
    let mut event = raw_event::<OrganisationCreated>();
    let envelope = event.as_object_mut().unwrap();
    envelope.remove("account");
    envelope.remove("region");
    envelope.remove("resources");

    router.handle(&event).await.unwrap();

    assert_eq!(seen.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn an_unknown_detail_type_is_an_error_listing_the_known_keys() {
    let router = router(&Seen::default(), Some("Trading")).await;
    let mut event = raw_event::<OrganisationCreated>();
    event["detail-type"] = json!("OrganisationDeleted");

    let error = router.handle(&event).await.unwrap_err();

    let RouteError::UnknownDetailType { detail_type, key, known_keys } = &error else { panic!("{error}") };
    assert_eq!((detail_type.as_str(), key.as_str()), ("OrganisationDeleted", "TradingOrganisationDeleted"));
    assert_eq!(
        known_keys,
        &["AuditOrganisationCreated", "TradingOrganisationCreated", "TradingTradeCreated"]
    );
    assert!(
        error.to_string().contains("known keys: AuditOrganisationCreated, TradingOrganisationCreated"),
        "{error}"
    );
}

#[tokio::test]
async fn without_a_prefix_the_key_is_the_bare_detail_type() {
    let router = router(&Seen::default(), None).await;

    let error = router.handle(&raw_event::<OrganisationCreated>()).await.unwrap_err();

    assert!(
        matches!(&error, RouteError::UnknownDetailType { key, .. } if key == "OrganisationCreated"),
        "{error}"
    );
}

#[tokio::test]
async fn a_malformed_detail_is_an_error_with_its_json_path() {
    let router = router(&Seen::default(), Some("Trading")).await;
    let mut event = raw_event::<OrganisationCreated>();
    event["detail"]["organisation"]["registeredAddress"]["postcode"] = json!(2000);

    let error = router.handle(&event).await.unwrap_err();

    let RouteError::MalformedDetail { key, path, .. } = &error else { panic!("{error}") };
    assert_eq!(key, "TradingOrganisationCreated");
    assert_eq!(path, "organisation.registeredAddress.postcode");
    assert!(error.to_string().contains("at `organisation.registeredAddress.postcode`"), "{error}");
}

#[tokio::test]
async fn an_event_from_another_source_is_rejected() {
    let router = router(&Seen::default(), Some("Trading")).await;
    let mut event = raw_event::<OrganisationCreated>();
    event["source"] = json!("trading");

    let error = router.handle(&event).await.unwrap_err();

    assert!(
        matches!(&error, RouteError::SourceMismatch { expected, actual, .. } if expected == "customers" && actual == "trading")
    );
}

#[tokio::test]
async fn a_broken_envelope_and_a_failing_handler_are_errors_naming_the_place() {
    let router = router(&Seen::default(), Some("Trading")).await;
    let mut event = raw_event::<OrganisationCreated>();
    event.as_object_mut().unwrap().remove("detail-type");
    let error = router.handle(&event).await.unwrap_err();
    assert!(matches!(&error, RouteError::InvalidEnvelope { .. }), "{error}");
    assert!(error.to_string().contains("detail-type"), "{error}");

    let error = router.handle(&raw_event::<TradeCreated>()).await.unwrap_err();
    assert!(matches!(&error, RouteError::Handler { key, .. } if key == "TradingTradeCreated"), "{error}");
    assert!(error.to_string().contains("credit check failed"), "{error}");
}
