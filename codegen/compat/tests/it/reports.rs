//! The reports people read: what the text, Markdown and JSON renderings must show, and how
//! modes, acknowledgements and transitive checks change the verdict.

use schema_compat::{
    Difference, Direction, Kind, Mode, Policy, Report, Subject, compare, compare_transitive,
};
use serde_json::{Value, json};

fn trade_cancelled() -> Value {
    let text = include_str!("../fixtures/trading/TradeCancelled.json");
    serde_json::from_str(text).expect("fixture is JSON")
}

/// TradeCancelled with `note` renamed to `comment`.
fn renamed_note() -> Value {
    let mut new = trade_cancelled();
    let properties = new["properties"].as_object_mut().expect("properties");
    let note = properties.remove("note").expect("note");
    properties.insert("comment".into(), note);
    new
}

fn rename_report(mode: Mode) -> Report {
    let differences = compare(&trade_cancelled(), &renamed_note(), Policy::Strict).expect("readable");
    Report::new(
        mode,
        Policy::Strict,
        vec![
            Subject::new("trading.TradeCancelled", differences),
            Subject::new("customers.UserInvited", Vec::new()),
        ],
    )
    .with_fix("publish a new detail-type version, or acknowledge the change")
}

#[test]
fn text_names_subject_direction_kind_path_change_reason_and_fix() {
    let text = rename_report(Mode::Full).to_text();
    assert!(
        text.starts_with(
            "schema compatibility (FULL mode, strict policy): 2 breaking changes in 1 of 2 schemas\n"
        ),
        "{text}"
    );
    assert!(text.contains("trading.TradeCancelled: INCOMPATIBLE"), "{text}");
    assert!(
        text.contains(
            "BREAKS forward: OPTIONAL_PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL at /properties/note"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "BREAKS backward: OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL at /properties/comment"
        ),
        "{text}"
    );
    assert!(text.contains("    string | null (optional) → (absent)\n"), "{text}");
    assert!(text.contains("why: optional property `note` removed from an open object"), "{text}");
    assert!(text.contains("`note` → `comment` looks like a rename"), "{text}");
    assert!(text.contains("customers.UserInvited: unchanged"), "{text}");
    assert!(
        text.ends_with("\nfix: publish a new detail-type version, or acknowledge the change\n"),
        "{text}"
    );
}

#[test]
fn a_mode_checks_only_its_directions() {
    let report = rename_report(Mode::Forward);
    assert!(!report.passes());
    let failing: Vec<&str> = report.failures().map(|(_, d)| d.path.as_str()).collect();
    assert_eq!(failing, ["/properties/note"]);
    let text = report.to_text();
    assert!(
        text.contains("compatible: OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL at /properties/comment"),
        "{text}"
    );
}

#[test]
fn a_passing_report_says_so_and_gives_no_fix() {
    let new = {
        let mut new = trade_cancelled();
        new["properties"]["refundedAt"] = json!({"type": ["string", "null"], "format": "date-time"});
        new
    };
    let differences = compare(&trade_cancelled(), &new, Policy::Lenient).expect("readable");
    let report =
        Report::new(Mode::Full, Policy::Lenient, vec![Subject::new("trading.TradeCancelled", differences)])
            .with_fix("never shown");
    assert!(report.passes());
    let text = report.to_text();
    assert!(
        text.starts_with("schema compatibility (FULL mode, lenient policy): the schema is compatible"),
        "{text}"
    );
    assert!(
        text.contains("compatible: OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL at /properties/refundedAt"),
        "{text}"
    );
    assert!(!text.contains("never shown"), "{text}");
    assert!(report.to_markdown().starts_with(
        "## Schema compatibility (FULL mode, lenient policy)\n\nPasses: the schema is compatible."
    ));
}

#[test]
fn acknowledged_differences_are_shown_but_do_not_fail() {
    let mut report = rename_report(Mode::Full);
    for difference in &mut report.subjects[0].differences {
        difference.acknowledged = Some("note renamed before any consumer shipped".into());
    }
    assert!(report.passes());
    let text = report.to_text();
    assert!(
        text.contains("acknowledged, breaks forward: OPTIONAL_PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL"),
        "{text}"
    );
    assert!(text.contains("    accepted: note renamed before any consumer shipped\n"), "{text}");
    let markdown = report.to_markdown();
    assert!(
        markdown.contains(
            "| acknowledged (breaks forward) | `OPTIONAL_PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL` |"
        ),
        "{markdown}"
    );
    assert!(markdown.contains("Accepted: note renamed before any consumer shipped"), "{markdown}");
    let json: Value = serde_json::from_str(&report.to_json()).expect("JSON");
    assert_eq!(json["passes"], true);
    assert_eq!(json["subjects"][0]["differences"][0]["fails"], false);
    assert_eq!(
        json["subjects"][0]["differences"][0]["acknowledged"],
        "note renamed before any consumer shipped"
    );
}

#[test]
fn markdown_has_one_table_per_changed_schema_with_escaped_cells() {
    let markdown = rename_report(Mode::Full).to_markdown();
    assert!(markdown.contains("**Fails**: 2 breaking changes in 1 of 2 schemas."), "{markdown}");
    assert!(markdown.contains("\n1 unchanged schema not shown.\n"), "{markdown}");
    assert!(!markdown.contains("customers.UserInvited"), "unchanged schemas are not listed: {markdown}");
    assert_eq!(markdown.matches("| Verdict | Kind | Path | Old → new | Why |").count(), 1, "{markdown}");
    assert!(markdown.contains("### trading.TradeCancelled\n\n| Verdict |"), "{markdown}");
    assert!(
        markdown.contains(
            "| **breaks forward** | `OPTIONAL_PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL` | `/properties/note` | string \\| null (optional) → (absent) |"
        ),
        "{markdown}"
    );
    for row in markdown.lines().filter(|l| l.starts_with("| **breaks")) {
        assert_eq!(row.matches(" | ").count(), 4, "a row has five cells: {row}");
    }
    assert!(
        markdown.ends_with("**Fix:** publish a new detail-type version, or acknowledge the change\n"),
        "{markdown}"
    );
}

#[test]
fn json_has_stable_field_names_and_the_verdict_in_the_mode() {
    let json: Value = serde_json::from_str(&rename_report(Mode::Backward).to_json()).expect("JSON");
    assert_eq!(json["mode"], "BACKWARD");
    assert_eq!(json["policy"], "strict");
    assert_eq!(json["passes"], false);
    let subject = &json["subjects"][0];
    assert_eq!(subject["name"], "trading.TradeCancelled");
    assert_eq!(subject["passes"], false);
    let differences = subject["differences"].as_array().expect("differences");
    let added = differences.iter().find(|d| d["path"] == "/properties/comment").expect("comment");
    assert_eq!(added["kind"], "OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL");
    assert_eq!(added["instance_path"], "/comment");
    assert_eq!(added["old"], Value::Null);
    assert_eq!(added["new"], "string | null (optional)");
    assert_eq!(added["breaks_forward"], false);
    assert_eq!(added["breaks_backward"], true);
    assert_eq!(added["fails"], true);
    assert_eq!(added["versions"], json!([]));
    let removed = differences.iter().find(|d| d["path"] == "/properties/note").expect("note");
    assert_eq!(removed["fails"], false, "forward-only breaks do not fail a BACKWARD check");
    assert_eq!(
        json["subjects"][1],
        json!({"name": "customers.UserInvited", "passes": true, "differences": []})
    );
}

#[test]
fn transitive_checks_report_each_difference_once_with_every_version() {
    let v1 = json!({"type": "object", "properties": {"status": {"enum": ["open"]}}});
    let v2 = json!({"type": "object", "properties": {"status": {"enum": ["open", "held"]}}});
    let v3 = json!({"type": "object", "properties": {"status": {"enum": ["open", "held", "closed"]}}});
    let found = compare_transitive([("v1", &v1), ("v2", &v2)], &v3, Policy::Strict).expect("readable");
    let closed: Vec<&Difference> = found.iter().filter(|d| d.new.as_deref() == Some("\"closed\"")).collect();
    assert_eq!(closed.len(), 1);
    assert_eq!(closed[0].versions, ["v1", "v2"]);
    let held: Vec<&Difference> = found.iter().filter(|d| d.new.as_deref() == Some("\"held\"")).collect();
    assert_eq!(held.len(), 1, "v1 → v3 also adds `held`, which v2 → v3 does not");
    assert_eq!(held[0].versions, ["v1"]);
    let report = Report::new(Mode::Full, Policy::Strict, vec![Subject::new("s", found)]);
    assert!(report.to_text().contains("    against: v1, v2\n"));
}

#[test]
fn transitive_errors_name_the_version() {
    let broken = json!({"$ref": "#/definitions/Gone"});
    let error = compare_transitive([("abc123", &broken)], &json!({}), Policy::Strict).unwrap_err();
    assert!(error.to_string().starts_with("comparing with version abc123: old schema"), "{error}");
}

#[test]
fn a_removed_schema_breaks_both_ways_and_reads_like_one() {
    let removed = Difference::schema_removed("trading.TradeCancelled");
    assert_eq!(removed.kind, Kind::SchemaRemoved);
    assert!(removed.breaks_in(Direction::Forward) && removed.breaks_in(Direction::Backward));
    let text = Report::new(
        Mode::Backward,
        Policy::Strict,
        vec![Subject::new("trading.TradeCancelled", vec![removed])],
    )
    .to_text();
    assert!(text.contains("BREAKS backward: SCHEMA_REMOVED at / (the root)"), "{text}");
    assert!(text.contains("trading.TradeCancelled → (absent)"), "{text}");
}

#[test]
fn modes_and_policies_parse_from_their_names() {
    assert_eq!("full".parse::<Mode>(), Ok(Mode::Full));
    assert_eq!("BACKWARD".parse::<Mode>(), Ok(Mode::Backward));
    assert_eq!("Lenient".parse::<Policy>(), Ok(Policy::Lenient));
    let error = "sideways".parse::<Mode>().unwrap_err();
    assert_eq!(error.to_string(), "`sideways` is not a mode; use one of: backward, forward, full");
    assert_eq!(Mode::default(), Mode::Full);
    assert_eq!(Policy::default(), Policy::Strict);
}
