//! Handler manifests: keys are `<prefix><DetailType>`, unique, and name a registered event.

use std::sync::Arc;

use contracts_common::EventEnvelope;
use contracts_customers::OrganisationCreated;
use event_runtime::{HandlerResult, KeyProblem, Manifest, RequestContext};

async fn on_organisation_created(
    _: Arc<EventEnvelope<OrganisationCreated>>,
    _: RequestContext,
) -> HandlerResult {
    Ok(())
}

async fn on_json(_: Arc<EventEnvelope<serde_json::Value>>, _: RequestContext) -> HandlerResult {
    Ok(())
}

#[test]
fn add_keys_a_handler_by_prefix_and_detail_type() {
    let manifest = Manifest::builder("trading", "trading_db")
        .add::<OrganisationCreated>("Trading", on_organisation_created)
        .add::<OrganisationCreated>("", on_organisation_created)
        .build()
        .unwrap();

    assert_eq!(manifest.module(), "trading");
    assert_eq!(manifest.database(), "trading_db");
    assert_eq!(manifest.keys(), ["OrganisationCreated", "TradingOrganisationCreated"]);
    let entry = manifest.handler("TradingOrganisationCreated").unwrap();
    assert_eq!(
        (entry.prefix(), entry.source(), entry.detail_type()),
        ("Trading", "customers", "OrganisationCreated")
    );
}

#[test]
fn string_keys_name_registered_events_for_compatibility() {
    let manifest = Manifest::builder("trading", "trading")
        .add_json("TradingOrganisationUpdated", on_json)
        .add_key::<OrganisationCreated>("LegacyOrganisationCreated", on_organisation_created)
        .build()
        .unwrap();

    let entry = manifest.handler("TradingOrganisationUpdated").unwrap();
    assert_eq!((entry.source(), entry.detail_type()), ("customers", "OrganisationUpdated"));
    assert_eq!(manifest.handler("LegacyOrganisationCreated").unwrap().prefix(), "Legacy");
}

#[test]
fn a_duplicate_key_is_rejected_naming_the_key() {
    let error = Manifest::builder("trading", "trading")
        .add::<OrganisationCreated>("Trading", on_organisation_created)
        .add_json("TradingOrganisationCreated", on_json)
        .build()
        .unwrap_err();

    assert_eq!(error.problems, [KeyProblem::Duplicate { key: "TradingOrganisationCreated".into() }]);
    assert!(error.to_string().contains("duplicate handler key `TradingOrganisationCreated`"), "{error}");
}

#[test]
fn a_key_not_ending_with_a_registered_detail_type_is_rejected_naming_the_key() {
    let error = Manifest::builder("trading", "trading")
        .add_json("TradingOrganisationDeleted", on_json)
        .build()
        .unwrap_err();

    let [KeyProblem::UnknownEvent { key, known }] = error.problems.as_slice() else { panic!("{error}") };
    assert_eq!(key, "TradingOrganisationDeleted");
    assert!(known.iter().any(|known| known == "OrganisationCreated"), "{known:?}");
    assert!(known.is_sorted());
    assert!(error.to_string().contains("`TradingOrganisationDeleted`"), "{error}");
}

#[test]
fn a_typed_key_must_end_with_its_own_events_detail_type() {
    let error = Manifest::builder("trading", "trading")
        .add_key::<OrganisationCreated>("TradingOrganisationUpdated", on_organisation_created)
        .build()
        .unwrap_err();

    assert_eq!(
        error.problems,
        [KeyProblem::WrongEvent {
            key: "TradingOrganisationUpdated".into(),
            detail_type: "OrganisationCreated".into()
        }]
    );
}

#[test]
fn malformed_keys_are_rejected_and_every_problem_is_reported() {
    let error = Manifest::builder("trading", "trading")
        .add::<OrganisationCreated>("Trading-", on_organisation_created)
        .add::<OrganisationCreated>("9", on_organisation_created)
        .add_json("Trading OrganisationUpdated", on_json)
        .build()
        .unwrap_err();

    let keys: Vec<&str> = error.problems.iter().map(KeyProblem::key).collect();
    assert_eq!(keys, ["Trading-OrganisationCreated", "9OrganisationCreated", "Trading OrganisationUpdated"]);
    assert!(error.problems.iter().all(|problem| matches!(problem, KeyProblem::Malformed { .. })));
    assert!(error.to_string().starts_with("trading: 3 bad handler key(s)"), "{error}");
}

#[test]
fn known_events_can_be_given_explicitly() {
    let manifest = Manifest::builder("trading", "trading")
        .known_events([("trading", "TradeCreated")])
        .add_json("AuditTradeCreated", on_json)
        .build()
        .unwrap();
    assert_eq!(manifest.handler("AuditTradeCreated").unwrap().source(), "trading");

    let error = Manifest::builder("trading", "trading")
        .known_events([("trading", "TradeCreated")])
        .add_json("AuditOrganisationUpdated", on_json)
        .build()
        .unwrap_err();
    assert!(
        matches!(&error.problems[0], KeyProblem::UnknownEvent { known, .. } if known == &["TradeCreated"])
    );
}
