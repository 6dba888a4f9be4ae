//! The EventBridge-style entry point: route by prefix + detail-type, deserialise, handle.

use std::sync::{Arc, Mutex};

use contracts_common::{EventEnvelope, Sample};
use contracts_customers::OrganisationCreated;
use contracts_trading::TradeCreated;
use event_runtime::{HandlerResult, MESSAGE_LIMIT, Manifest, RequestContext, RouteError, Router, Runtime};
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
    let runtime: Runtime = runtime(Backend::Sqlite, RecordingSink::new()).await;
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
async fn an_unknown_detail_type_is_an_error_listing_the_routers_keys() {
    let router = router(&Seen::default(), Some("Trading")).await;
    let mut event = raw_event::<OrganisationCreated>();
    event["detail-type"] = json!("OrganisationDeleted");

    let error = router.handle(&event).await.unwrap_err();

    let RouteError::UnknownDetailType { detail_type, prefix, known_keys } = &error else { panic!("{error}") };
    assert_eq!((detail_type.as_str(), prefix.as_str()), ("OrganisationDeleted", "Trading"));
    assert_eq!(known_keys, &["TradingOrganisationCreated", "TradingTradeCreated"]);
    assert!(
        error.to_string().contains("this router's keys: TradingOrganisationCreated, TradingTradeCreated"),
        "{error}"
    );
}

#[tokio::test]
async fn without_a_prefix_only_handlers_with_the_empty_prefix_are_candidates() {
    let router = router(&Seen::default(), None).await;

    let error = router.handle(&raw_event::<OrganisationCreated>()).await.unwrap_err();

    assert!(
        matches!(&error, RouteError::UnknownDetailType { prefix, known_keys, .. } if prefix.is_empty() && known_keys.is_empty()),
        "{error}"
    );
}

#[tokio::test]
async fn a_prefix_and_detail_type_are_matched_separately_never_as_one_string() {
    let seen = Seen::default();
    // The concatenations `` + `TradingOrganisationCreated` and `Tra` + `dingOrganisationCreated`
    // spell the key `TradingOrganisationCreated`; neither is that handler's event.
    let no_prefix = router(&seen, None).await;
    let short_prefix = router(&seen, Some("Tra")).await;
    for (router, detail_type) in
        [(&no_prefix, "TradingOrganisationCreated"), (&short_prefix, "dingOrganisationCreated")]
    {
        let mut event = raw_event::<OrganisationCreated>();
        event["detail-type"] = json!(detail_type);
        let error = router.handle(&event).await.unwrap_err();
        assert!(matches!(&error, RouteError::UnknownDetailType { .. }), "{error}");
    }
    assert!(seen.lock().unwrap().is_empty(), "no handler ran");
}

#[tokio::test]
async fn an_envelope_must_be_a_json_object() {
    let router = router(&Seen::default(), Some("Trading")).await;
    let envelope = raw_event::<OrganisationCreated>();
    let as_array = json!([
        envelope["version"],
        envelope["id"],
        envelope["detail-type"],
        envelope["source"],
        envelope["account"],
        envelope["time"],
        envelope["region"],
        envelope["resources"],
        envelope["detail"]
    ]);

    let error = router.handle(&as_array).await.unwrap_err();

    assert!(matches!(&error, RouteError::InvalidEnvelope { path, .. } if path == "."), "{error}");
    assert!(error.to_string().contains("JSON object"), "{error}");
    let mut detail_array = envelope.clone();
    detail_array["detail"] = json!([1, 2]);
    let error = router.handle(&detail_array).await.unwrap_err();
    assert!(matches!(&error, RouteError::InvalidEnvelope { path, .. } if path == "detail"), "{error}");
}

#[tokio::test]
async fn error_messages_quote_at_most_200_bytes_of_the_input() {
    let router = router(&Seen::default(), Some("Trading")).await;
    let mut event = raw_event::<OrganisationCreated>();
    event["detail-type"] = json!("X".repeat(2_000_000));
    let unknown = router.handle(&event).await.unwrap_err().to_string();
    let mut event = raw_event::<OrganisationCreated>();
    event["detail"]["organisation"]["kind"] = json!("y".repeat(2_000_000));
    let malformed = router.handle(&event).await.unwrap_err().to_string();
    let mut event = raw_event::<OrganisationCreated>();
    event["id"] = json!("z".repeat(2_000_000));
    let bad_id = router.handle(&event).await.unwrap_err().to_string();

    for message in [unknown, malformed, bad_id] {
        assert!(message.len() <= MESSAGE_LIMIT, "{} bytes: {}", message.len(), &message[..300]);
        assert!(message.contains("more bytes"), "{message}");
    }
}

async fn on_json(_: Arc<EventEnvelope<Value>>, _: RequestContext) -> HandlerResult {
    Ok(())
}

/// A router over 40 handlers under one prefix, of partner events `Thing 0 Happened`, ...
async fn router_with_40_keys() -> Router {
    let mut manifest = Manifest::builder("audit", "audit");
    for n in 0..40 {
        manifest = manifest.add_detail::<Value>("Audit", "partner", &format!("Thing {n} Happened"), on_json);
    }
    let runtime: Runtime = runtime(Backend::Sqlite, RecordingSink::new()).await;
    Router::new(runtime, manifest.build().unwrap(), Some("Audit"))
}

/// Whether `message` could forge or cut a log line.
fn has_control_characters(message: &str) -> bool {
    message.chars().any(|c| c.is_control() || ('\u{202a}'..='\u{202e}').contains(&c))
}

#[tokio::test]
async fn route_errors_escape_untrusted_text_and_stay_within_1_kib_with_many_keys() {
    let router = router_with_40_keys().await;
    let hostile = format!("Thing\nINFO forged log line\0\u{202e}{}", "🦀".repeat(500));
    let mut unknown = raw_event::<OrganisationCreated>();
    unknown["detail-type"] = json!(hostile);
    let mut wrong_source = raw_event::<OrganisationCreated>();
    wrong_source["detail-type"] = json!("Thing 7 Happened");
    wrong_source["source"] = json!(hostile);
    let mut bad_id = raw_event::<OrganisationCreated>();
    bad_id["detail-type"] = json!("Thing 7 Happened");
    bad_id["source"] = json!("partner");
    bad_id["id"] = json!(hostile);

    for event in [unknown, wrong_source, bad_id] {
        let error = router.handle(&event).await.unwrap_err();
        let message = error.to_string();
        assert!(!has_control_characters(&message), "{message:?}");
        assert!(message.contains("Thing\\nINFO forged log line\\u{0}\\u{202e}"), "{message}");
        assert!(message.len() <= MESSAGE_LIMIT, "{} bytes: {message}", message.len());
    }
    let mut unknown = raw_event::<OrganisationCreated>();
    unknown["detail-type"] = json!("Nothing Happened");
    let message = router.handle(&unknown).await.unwrap_err().to_string();
    assert!(message.contains("AuditThing0Happened, AuditThing10Happened"), "names the first keys: {message}");
    assert!(message.contains("more)") && !message.contains("AuditThing9Happened"), "not all 40: {message}");
}

#[tokio::test]
async fn an_error_in_the_flattened_metadata_names_the_field() {
    let router = router(&Seen::default(), Some("Trading")).await;
    let mut event = raw_event::<OrganisationCreated>();
    event["detail"]["correlationId"] = json!("not-a-uuid");

    let error = router.handle(&event).await.unwrap_err();

    let RouteError::MalformedDetail { path, .. } = &error else { panic!("{error}") };
    assert_eq!(path, "correlationId");
    assert!(error.to_string().contains("at `correlationId`"), "{error}");
    event["detail"].as_object_mut().unwrap().remove("userId");
    event["detail"]["correlationId"] = json!(uuid::Uuid::new_v4());
    let error = router.handle(&event).await.unwrap_err();
    assert!(
        error.to_string().contains("at `userId`") && error.to_string().contains("missing field"),
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
