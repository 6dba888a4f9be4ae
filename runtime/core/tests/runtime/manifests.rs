//! Handler manifests: keys are `<prefix><DetailType>`, unique, and name a registered event.

use std::sync::Arc;

use contracts_common::EventEnvelope;
use contracts_customers::OrganisationCreated;
use event_runtime::{
    HandlerResult, KeyProblem, MAX_KEY_LENGTH, MAX_LOGICAL_ID_LENGTH, MAX_MODULE_LENGTH, MAX_PREFIX_LENGTH,
    Manifest, RequestContext,
};

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

#[test]
fn prefixes_are_unique_ignoring_case() {
    let error = Manifest::builder("trading", "trading")
        .add::<OrganisationCreated>("Trading", on_organisation_created)
        .add_json("TRADINGOrganisationUpdated", on_json)
        .add_json("tradingUserInvited", on_json)
        .build()
        .unwrap_err();

    assert_eq!(
        error.problems,
        [KeyProblem::PrefixCase { prefixes: vec!["TRADING".into(), "Trading".into(), "trading".into()] }]
    );
    assert!(error.to_string().contains("differ only in case"), "{error}");
}

#[test]
fn a_manifest_error_with_a_thousand_bad_keys_names_the_first_within_1_kib() {
    let mut builder = Manifest::builder("trading", "trading");
    for n in 0..1_000 {
        builder = builder.add_key::<OrganisationCreated>(
            &format!("{n}\nBad OrganisationCreated"),
            on_organisation_created,
        );
    }
    let error = builder.build().unwrap_err();

    assert_eq!(error.problems.len(), 1_000, "every problem is kept");
    let message = error.to_string();
    assert!(message.len() <= event_runtime::MESSAGE_LIMIT, "{} bytes", message.len());
    assert!(message.starts_with("trading: 1000 bad handler key(s): handler key `0\\nBad"), "{message}");
    assert!(!message.contains('\n'), "{message:?}");
    assert!(message.contains("more"), "{message}");
}

#[test]
fn keys_and_prefixes_have_a_maximum_length() {
    let long_key = format!("{}OrganisationCreated", "K".repeat(100_000));
    let error = Manifest::builder("trading", "trading")
        .add_key::<OrganisationCreated>(&long_key, on_organisation_created)
        .add::<OrganisationCreated>(&"P".repeat(65), on_organisation_created)
        .build()
        .unwrap_err();

    assert_eq!(error.problems.len(), 2, "{error}");
    let message = error.to_string();
    assert!(message.contains(&format!("at most {MAX_KEY_LENGTH} characters")), "{}", &message[..400]);
    assert!(message.contains(&format!("at most {MAX_PREFIX_LENGTH} characters")), "{}", &message[..400]);
    assert!(message.len() < 2_000, "the 100,019-character key is not echoed whole");
}

#[test]
fn a_module_name_that_cannot_become_a_logical_id_is_an_error_never_mangled() {
    let error = Manifest::builder("trade-ïnventory!", "trading")
        .add::<OrganisationCreated>("Trading", on_organisation_created)
        .build()
        .unwrap_err();

    assert!(matches!(&error.problems[0], KeyProblem::Module { module, .. } if module == "trade-ïnventory!"));
    assert!(error.to_string().contains("'ï'"), "{error}");
    let long = Manifest::builder("m".repeat(MAX_MODULE_LENGTH + 1), "db").build().unwrap_err();
    assert!(matches!(&long.problems[0], KeyProblem::Module { .. }), "{long}");
}

#[test]
fn logical_ids_follow_cloudformation_rules() {
    let manifest = Manifest::builder("trade-inventory", "trading")
        .add::<OrganisationCreated>("Trading", on_organisation_created)
        .build()
        .unwrap();

    assert_eq!(manifest.logical_id("Trading").unwrap(), "TradeInventoryTradingEvents");
    let longest = Manifest::builder("m".repeat(MAX_MODULE_LENGTH), "db")
        .add::<OrganisationCreated>(&"P".repeat(MAX_PREFIX_LENGTH), on_organisation_created)
        .build()
        .unwrap();
    let id = longest.logical_id(&"P".repeat(MAX_PREFIX_LENGTH)).unwrap();
    assert!(id.len() <= MAX_LOGICAL_ID_LENGTH, "the longest module and prefix still fit");
    let error = manifest.logical_id("Trading-").unwrap_err();
    assert!(matches!(error, KeyProblem::LogicalId { .. }), "{error}");
    assert!(
        manifest
            .sam_events(Some("Trading"), "EventBusName")
            .unwrap()
            .unwrap()
            .get("TradeInventoryTradingEvents")
            .is_some()
    );
}

#[test]
fn known_events_with_an_empty_detail_type_is_an_error() {
    let error = Manifest::builder("trading", "trading")
        .known_events([("trading", ""), ("", "TradeCreated")])
        .add_json("AuditTradeCreated", on_json)
        .build()
        .unwrap_err();

    assert_eq!(
        error.problems[..2],
        [
            KeyProblem::EmptyKnownEvent { event_source: "trading".into(), detail_type: "".into() },
            KeyProblem::EmptyKnownEvent { event_source: "".into(), detail_type: "TradeCreated".into() },
        ]
    );
    assert!(
        matches!(&error.problems[2], KeyProblem::UnknownEvent { .. }),
        "no key is valid by an empty suffix"
    );
}

#[test]
fn aws_detail_types_with_spaces_take_their_key_form_and_map_back_exactly() {
    let manifest = Manifest::builder("scheduler", "scheduler")
        .add_detail::<serde_json::Value>("Handle", "aws.events", "Scheduled Event", on_json)
        .add_detail::<serde_json::Value>("Handle", "aws.s3", "Object Created", on_json)
        .known_events([("aws.s3", "Object Deleted")])
        .add_json("AuditObjectDeleted", on_json)
        .build()
        .unwrap();

    assert_eq!(manifest.keys(), ["AuditObjectDeleted", "HandleObjectCreated", "HandleScheduledEvent"]);
    let scheduled = manifest.handler("HandleScheduledEvent").unwrap();
    assert_eq!((scheduled.source(), scheduled.detail_type()), ("aws.events", "Scheduled Event"));
    assert_eq!(
        manifest.handler_for("Handle", "aws.s3", "Object Created").unwrap().key(),
        "HandleObjectCreated"
    );
    assert_eq!(manifest.handler("AuditObjectDeleted").unwrap().detail_type(), "Object Deleted");
    assert_eq!(
        manifest.rule_pattern_for(Some("Handle")).unwrap().detail_type,
        ["Object Created", "Scheduled Event"],
        "rules match the exact detail-type"
    );
}

#[test]
fn a_detail_type_of_only_separators_has_no_key_form_and_no_key() {
    for detail_type in [" ", "-_ ./", "  --  "] {
        let error = event_runtime::key_form(detail_type).unwrap_err();
        assert!(error.contains("has only separators"), "{detail_type:?}: {error}");
    }
    let error = Manifest::builder("scheduler", "scheduler")
        .add_detail::<serde_json::Value>("Handle", "partner", " ", on_json)
        .build()
        .unwrap_err();

    assert_eq!(error.problems.len(), 1, "{error}");
    assert!(matches!(&error.problems[0], KeyProblem::Malformed { .. }), "{error}");
    assert!(error.to_string().contains("detail-type ` ` has only separators"), "{error}");
}

#[test]
fn two_detail_types_with_one_key_form_collide_instead_of_merging() {
    let error = Manifest::builder("scheduler", "scheduler")
        .add_detail::<serde_json::Value>("Handle", "aws.s3", "Object Created", on_json)
        .add_detail::<serde_json::Value>("Handle", "aws.s3", "ObjectCreated", on_json)
        .add_detail::<serde_json::Value>("Handle", "aws.s3", "OBJECT CREATED", on_json)
        .add_detail::<serde_json::Value>("Handle", "aws.s3", "Objekt Créé", on_json)
        .build()
        .unwrap_err();

    assert!(
        matches!(&error.problems[0], KeyProblem::Collision { key, .. } if key == "HandleObjectCreated"),
        "{error}"
    );
    assert!(
        error.problems[0].to_string().contains(r#"aws.s3 "Object Created" and aws.s3 "ObjectCreated""#),
        "{error}"
    );
    assert!(matches!(&error.problems[1], KeyProblem::CaseCollision { .. }), "{error}");
    assert!(
        matches!(&error.problems[2], KeyProblem::Malformed { reason, .. } if reason.contains("'é'")),
        "{error}"
    );
}

#[test]
fn keys_differing_only_in_case_across_manifests_on_a_bus_collide() {
    let first = Manifest::builder("inventory", "inventory")
        .add::<OrganisationCreated>("Audit", on_organisation_created)
        .build()
        .unwrap();
    let second = Manifest::builder("trading", "trading")
        .add::<OrganisationCreated>("AUDIT", on_organisation_created)
        .build()
        .unwrap();

    let error = event_runtime::LocalBus::new([first, second]).unwrap_err();

    assert!(matches!(&error.problems[0], KeyProblem::CaseCollision { .. }), "{error}");
}
