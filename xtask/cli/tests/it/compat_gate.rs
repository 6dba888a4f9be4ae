//! `cargo xtask compat` on scratch git repositories: real commits, real `git`, the real
//! binary. Nothing here depends on this repository's history.

// Links every contract crate, so the registry sees every event.
use contracts_all as _;
use std::fs;
use std::path::PathBuf;

use serde_json::{Value, json};
use xtask::cmd::Cmd;

use crate::scratch_repo::ScratchRepo;

/// A scratch repository for the gate.
struct Repo(ScratchRepo);

impl std::ops::Deref for Repo {
    type Target = ScratchRepo;
    fn deref(&self) -> &ScratchRepo {
        &self.0
    }
}

impl Repo {
    fn new() -> Repo {
        Repo(ScratchRepo::new())
    }

    fn remove_schema(&self, event: &str) {
        fs::remove_file(self.schema_path(event)).unwrap();
    }

    fn acknowledge(&self, toml: &str) {
        self.reviewed(toml);
    }

    /// Runs `cargo xtask --root <repo> compat <args>`: exit code and stdout + stderr.
    fn compat(&self, args: &[&str]) -> (i32, String) {
        self.xtask("compat", args)
    }

    /// Writes the consumer declaration `schemas/consumers/<name>.toml`.
    fn declare(&self, name: &str, team: &str, handles: &str) {
        let dir = self.path().join("schemas/consumers");
        fs::create_dir_all(&dir).unwrap();
        let text = format!(
            "name = \"{name}\"\nteam = \"{team}\"\nrepository = \"https://example.com/{name}\"\n\n{handles}"
        );
        fs::write(dir.join(format!("{name}.toml")), text).unwrap();
    }
}

/// This repository's published `trading.TradeCancelled` schema (whatever it says today).
fn trade_cancelled() -> Value {
    let path: PathBuf = xtask::workspace::root().join("schemas/trading/TradeCancelled.json");
    serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap()
}

/// `schema` with property `from` renamed to `to` (and in `required`, if it is there).
fn rename_property(mut schema: Value, from: &str, to: &str) -> Value {
    let properties = schema["properties"].as_object_mut().unwrap();
    let moved = properties.remove(from).unwrap_or_else(|| panic!("the schema has no property `{from}`"));
    properties.insert(to.to_owned(), moved);
    if let Some(required) = schema.get_mut("required").and_then(Value::as_array_mut) {
        for name in required.iter_mut().filter(|n| *n == from) {
            *name = json!(to);
        }
    }
    schema
}

fn order(properties: Value, required: &[&str]) -> Value {
    json!({"type": "object", "properties": properties, "required": required})
}

#[test]
fn renaming_a_property_fails_naming_the_event_the_path_both_directions_and_the_fix() {
    let repo = Repo::new();
    repo.write_schema("trading.TradeCancelled", &trade_cancelled());
    repo.commit("TradeCancelled v1");
    repo.write_schema("trading.TradeCancelled", &rename_property(trade_cancelled(), "note", "remark"));
    repo.commit("rename note to remark");

    let (code, report) = repo.compat(&["--transitive"]);
    assert_eq!(code, 1, "{report}");
    assert!(report.contains("trading.TradeCancelled: INCOMPATIBLE"), "{report}");
    assert!(report.contains("/properties/note") && report.contains("/properties/remark"), "{report}");
    assert!(report.contains("BREAKS forward") && report.contains("BREAKS backward"), "{report}");
    assert!(report.contains("new detail-type such as `TradeCancelledV2`"), "{report}");
    assert!(report.contains("[[acknowledged]]\nevent = \"trading.TradeCancelled\""), "{report}");
}

#[test]
fn the_same_rename_with_acknowledgements_passes() {
    let repo = Repo::new();
    repo.write_schema("trading.TradeCancelled", &trade_cancelled());
    repo.commit("TradeCancelled v1");
    repo.write_schema("trading.TradeCancelled", &rename_property(trade_cancelled(), "note", "remark"));
    let (_, report) = repo.compat(&["--transitive"]);
    // The fix the failure prints, with a reason filled in, is the acknowledgement.
    let entries: String = report
        .split("[[acknowledged]]")
        .skip(1)
        .map(|entry| format!("[[acknowledged]]{}", entry.split("\n\n").next().unwrap()))
        .collect::<Vec<_>>()
        .join("\n")
        .replace("<why every consumer can take this; who agreed>", "no consumer reads the note yet");
    assert_eq!(entries.matches("[[acknowledged]]").count(), 2, "{report}");
    repo.acknowledge(&entries);
    repo.commit("rename note to remark, acknowledged");

    let (code, report) = repo.compat(&["--transitive"]);
    assert_eq!(code, 0, "{report}");
    assert!(report.contains("accepted: no consumer reads the note yet"), "{report}");
}

#[test]
fn adding_an_optional_field_passes_under_lenient_policy_and_fails_under_strict() {
    let repo = Repo::new();
    repo.write_schema("sales.OrderPlaced", &order(json!({"id": {"type": "string"}}), &["id"]));
    repo.commit("v1");
    let added = json!({"id": {"type": "string"}, "note": {"type": "string"}});
    repo.write_schema("sales.OrderPlaced", &order(added, &["id"]));
    repo.commit("an optional note");

    let (code, report) = repo.compat(&["--transitive", "--policy", "lenient"]);
    assert_eq!(code, 0, "{report}");
    let (code, report) = repo.compat(&["--transitive", "--policy", "strict"]);
    assert_eq!(code, 1, "{report}");
    assert!(report.contains("OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL at /properties/note"), "{report}");
    // The reviewed file can make lenient the project's default.
    repo.acknowledge("[defaults]\npolicy = \"lenient\"\n");
    assert_eq!(repo.compat(&["--transitive"]).0, 0);
}

#[test]
fn a_stale_acknowledgement_fails_the_transitive_check() {
    let repo = Repo::new();
    repo.write_schema("sales.OrderPlaced", &order(json!({"id": {"type": "string"}}), &["id"]));
    repo.acknowledge(
        "[[acknowledged]]\nevent = \"sales.OrderPlaced\"\nkind = \"ENUM_VALUE_ADDED\"\npath = \"/properties/status\"\n\
         reason = \"a change that was reverted\"\n",
    );
    repo.commit("v1");

    let (code, report) = repo.compat(&["--transitive"]);
    assert_eq!(code, 1, "{report}");
    assert!(
        report.contains(
            "FAILS: stale acknowledgement: sales.OrderPlaced ENUM_VALUE_ADDED at /properties/status"
        ),
        "{report}"
    );
}

#[test]
fn the_transitive_check_compares_with_every_version_not_only_the_last() {
    let repo = Repo::new();
    let name = |max: u64| order(json!({"name": {"type": "string", "maxLength": max}}), &["name"]);
    repo.write_schema("sales.OrderPlaced", &name(10));
    repo.commit("v1: names up to 10");
    repo.write_schema("sales.OrderPlaced", &name(20));
    repo.commit("v2: names up to 20");
    let first = repo.git(&["rev-parse", "--short=12", "HEAD~1"]);

    // Against the last commit nothing changed; against the first, old consumers reject long names.
    let (code, report) = repo.compat(&["--base", "HEAD"]);
    assert_eq!(code, 0, "{report}");
    let (code, report) = repo.compat(&["--transitive"]);
    assert_eq!(code, 1, "{report}");
    assert!(report.contains("MAX_LENGTH_INCREASED at /properties/name\n"), "{report}");
    assert!(report.contains(&format!("against: {}", first.trim())), "{report}");
}

#[test]
fn the_default_base_is_the_merge_base_with_main() {
    let repo = Repo::new();
    repo.write_schema("sales.OrderPlaced", &order(json!({"id": {"type": "string"}}), &["id"]));
    repo.commit("v1");
    repo.git(&["checkout", "--quiet", "-b", "feature"]);
    repo.write_schema("sales.OrderPlaced", &order(json!({"id": {"type": "integer"}}), &["id"]));
    repo.commit("id becomes a number");

    let (code, report) = repo.compat(&[]);
    assert_eq!(code, 1, "{report}");
    assert!(report.contains("TYPE_CHANGED at /properties/id"), "{report}");
    assert_eq!(repo.compat(&["--base", "feature"]).0, 0);
}

#[test]
fn a_removed_event_is_reported_and_a_new_one_in_its_source_named_as_a_possible_rename() {
    let repo = Repo::new();
    repo.write_schema("sales.OrderPlaced", &order(json!({"id": {"type": "string"}}), &["id"]));
    repo.commit("v1");
    repo.remove_schema("sales.OrderPlaced");
    repo.write_schema("sales.OrderSubmitted", &order(json!({"id": {"type": "string"}}), &["id"]));

    let (code, report) = repo.compat(&["--transitive"]);
    assert_eq!(code, 1, "{report}");
    assert!(report.contains("sales.OrderPlaced: INCOMPATIBLE"), "{report}");
    assert!(report.contains("SCHEMA_REMOVED"), "{report}");
    assert!(report.contains("sales.OrderSubmitted appeared in the same source"), "{report}");
    assert!(report.contains("new events (nothing to compare with): sales.OrderSubmitted"), "{report}");
}

#[test]
fn an_event_may_choose_its_mode_in_the_reviewed_file() {
    let repo = Repo::new();
    let status = |values: Value| order(json!({"status": {"type": "string", "enum": values}}), &["status"]);
    repo.write_schema("sales.OrderPlaced", &status(json!(["open", "closed"])));
    repo.commit("v1");
    // A new enum value breaks old consumers (forward) and nothing backward.
    repo.write_schema("sales.OrderPlaced", &status(json!(["open", "closed", "held"])));
    assert_eq!(repo.compat(&["--transitive"]).0, 1);
    repo.acknowledge("[events.\"sales.OrderPlaced\"]\nmode = \"backward\"\n");
    let (code, report) = repo.compat(&["--transitive"]);
    assert_eq!(code, 0, "{report}");
    assert!(report.contains("BACKWARD mode"), "{report}");
    // A choice for an event that does not exist is a mistake, not a silent no-op.
    repo.acknowledge("[events.\"sales.OrderPlace\"]\nmode = \"backward\"\n");
    let (code, report) = repo.compat(&["--transitive"]);
    assert_eq!(code, 1, "{report}");
    assert!(report.contains("`sales.OrderPlace` under [events], which is no event"), "{report}");
}

#[test]
fn the_json_report_is_one_document_for_tools() {
    let repo = Repo::new();
    repo.write_schema("sales.OrderPlaced", &order(json!({"id": {"type": "string"}}), &["id"]));
    repo.commit("v1");
    repo.write_schema("sales.OrderPlaced", &order(json!({"id": {"type": "string"}}), &[]));
    let (code, report) = repo.compat(&["--transitive", "--format", "json"]);
    assert_eq!(code, 1, "{report}");
    let document: Value = serde_json::from_str(&report).unwrap();
    assert_eq!(document["passes"], json!(false));
    let difference = &document["reports"][0]["subjects"][0]["differences"][0];
    assert_eq!(difference["kind"], json!("REQUIRED_ATTRIBUTE_REMOVED"), "{report}");

    let (_, markdown) = repo.compat(&["--transitive", "--format", "markdown"]);
    assert!(markdown.contains("### sales.OrderPlaced") && markdown.contains("```toml"), "{markdown}");
}

#[test]
fn file_pair_mode_exits_0_when_compatible_and_1_when_not() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old.json");
    let new = dir.path().join("new.json");
    fs::write(&old, order(json!({"id": {"type": "integer"}}), &["id"]).to_string()).unwrap();
    fs::write(&new, order(json!({"id": {"type": "number"}}), &["id"]).to_string()).unwrap();
    let run = |mode: &str| {
        let output = Cmd::new(env!("CARGO_BIN_EXE_xtask"))
            .args(["compat", "--old"])
            .arg(&old)
            .arg("--new")
            .arg(&new)
            .args(["--mode", mode, "--policy", "strict"])
            .output()
            .unwrap();
        (output.status.code().unwrap(), String::from_utf8_lossy(&output.stdout).into_owned())
    };
    // integer → number: new consumers read every old event; old consumers reject 1.5.
    assert_eq!(run("backward").0, 0);
    let (code, report) = run("forward");
    assert_eq!(code, 1, "{report}");
    assert!(report.contains("TYPE_EXTENDED at /properties/id"), "{report}");
}

#[test]
fn explain_prints_a_kinds_rules_and_where_it_differs_from_confluent() {
    let explain = |kind: &str| {
        let output =
            Cmd::new(env!("CARGO_BIN_EXE_xtask")).args(["compat", "--explain", kind]).output().unwrap();
        let text =
            String::from_utf8_lossy(&output.stdout).into_owned() + &String::from_utf8_lossy(&output.stderr);
        (output.status.code().unwrap(), text)
    };
    let (code, text) = explain("REQUIRED_UNDECLARED_PROPERTY_ADDED");
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("backward (new consumers, old events): breaks"), "{text}");
    assert!(text.contains("Confluent Schema Registry: differs on purpose"), "{text}");
    let (code, text) = explain("NOT_TYPE_NARROWED");
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("the same verdicts as its JSON Schema checker"), "{text}");
    let (code, text) = explain("PROPERTY_RENAMED");
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("`PROPERTY_RENAMED` is not a difference kind"), "{text}");
}

#[test]
fn a_shallow_clone_is_refused_for_the_transitive_check() {
    let repo = Repo::new();
    repo.write_schema("sales.OrderPlaced", &order(json!({"id": {"type": "string"}}), &["id"]));
    repo.commit("v1");
    repo.commit("v2");
    let clone = tempfile::tempdir().unwrap();
    let url = format!("file://{}", repo.path().display());
    Cmd::new("git")
        .args(["clone", "--quiet", "--depth", "1", &url])
        .arg(clone.path().join("c"))
        .run()
        .unwrap();
    let output = Cmd::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("--root")
        .arg(clone.path().join("c"))
        .args(["compat", "--transitive"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("git fetch --unshallow"));
}

/// `sales.OrderPlaced` with a shared `Money` used at `/total` and `/lines/*`.
fn order_with_money(note: bool, amount_type: &str) -> Value {
    let mut properties = json!({
        "id": {"type": "string"},
        "total": {"$ref": "#/definitions/Money"},
        "lines": {"type": "array", "items": {"$ref": "#/definitions/Money"}}
    });
    if note {
        properties["note"] = json!({"type": "string"});
    }
    let mut schema = order(properties, &["id"]);
    schema["definitions"] = json!({"Money": {
        "type": "object",
        "properties": {"amount": {"type": amount_type}, "currency": {"type": "string"}},
        "required": ["amount", "currency"]
    }});
    schema
}

const ORDER_PLACED: &str = "[[handles]]\nsource = \"sales\"\ndetail-type = \"OrderPlaced\"\n";

#[test]
fn each_breaking_change_names_the_declared_consumers_it_hits_and_what_they_read() {
    let repo = Repo::new();
    repo.write_schema("sales.OrderPlaced", &order_with_money(true, "number"));
    repo.declare(
        "billing-lambda",
        "billing",
        &format!("{ORDER_PLACED}reads = [\"/note\", \"/total/amount\"]\n"),
    );
    repo.declare("inventory-sync", "inventory", ORDER_PLACED);
    repo.declare("audit", "risk", &format!("{ORDER_PLACED}reads = [\"/lines/*/currency\"]\n"));
    repo.commit("v1 and its consumers");

    // Removing the note hits its reader and the consumer that reads the whole event.
    repo.write_schema("sales.OrderPlaced", &order_with_money(false, "number"));
    let (code, report) = repo.compat(&["--transitive"]);
    assert_eq!(code, 1, "{report}");
    assert!(
        report.contains(
            "consumers: breaks 2 consumers: billing-lambda (billing) reads /note; inventory-sync (inventory) handles \
             the event"
        ),
        "{report}"
    );

    // A change inside the shared `Money` is a change at every place it is used: `/total/amount`
    // (billing reads it) and `/lines/*/amount` (audit reads only the lines' currency).
    repo.write_schema("sales.OrderPlaced", &order_with_money(true, "string"));
    let (code, report) = repo.compat(&["--transitive", "--format", "json"]);
    assert_eq!(code, 1, "{report}");
    let document: Value = serde_json::from_str(&report).unwrap();
    let differences = document["reports"][0]["subjects"][0]["differences"].as_array().unwrap();
    let amount = differences.iter().find(|d| d["kind"] == json!("TYPE_CHANGED")).unwrap_or(&differences[0]);
    let hit: Vec<(&str, &Value)> = amount["consumers"]
        .as_array()
        .unwrap_or_else(|| panic!("{report}"))
        .iter()
        .map(|hit| (hit["name"].as_str().unwrap(), &hit["reads"]))
        .collect();
    assert_eq!(
        hit,
        [("billing-lambda", &json!(["/total/amount"])), ("inventory-sync", &json!([]))],
        "{report}"
    );
}

#[test]
fn under_the_consumers_policy_a_break_no_declared_consumer_reads_passes_and_is_still_shown() {
    let repo = Repo::new();
    repo.write_schema("sales.OrderPlaced", &order_with_money(true, "number"));
    repo.declare("billing-lambda", "billing", &format!("{ORDER_PLACED}reads = [\"/note\"]\n"));
    repo.commit("v1 and its consumer");

    // Nobody declared reading the money: the change breaks, but no declared consumer.
    repo.write_schema("sales.OrderPlaced", &order_with_money(true, "string"));
    let (code, report) = repo.compat(&["--transitive"]);
    assert_eq!(code, 1, "strict by default: {report}");
    assert!(
        report.contains("consumers: breaks no declared consumer (none reads /lines/*/amount)"),
        "{report}"
    );
    let (code, report) = repo.compat(&["--transitive", "--consumers"]);
    assert_eq!(code, 0, "{report}");
    assert!(report.contains("unread by declared consumers, breaks forward"), "{report}");
    assert!(report.contains("safe for the declared consumers: breaks no declared consumer"), "{report}");
    // The reviewed file can make the consumer policy the project's default.
    repo.acknowledge("[defaults]\nconsumers = true\n");
    assert_eq!(repo.compat(&["--transitive"]).0, 0);

    // A change to what a declared consumer reads still fails under the policy, naming it.
    repo.write_schema("sales.OrderPlaced", &order_with_money(false, "number"));
    let (code, report) = repo.compat(&["--transitive", "--consumers"]);
    assert_eq!(code, 1, "{report}");
    assert!(report.contains("breaks 1 consumer: billing-lambda (billing) reads /note"), "{report}");
}

#[test]
fn a_malformed_consumer_declaration_stops_the_gate_naming_the_file() {
    let repo = Repo::new();
    repo.write_schema("sales.OrderPlaced", &order_with_money(true, "number"));
    repo.declare("billing-lambda", "billing", "[[handles]]\nsource = \"sales\"\n");
    repo.commit("v1");
    let (code, report) = repo.compat(&["--transitive"]);
    assert_eq!(code, 2, "{report}");
    assert!(
        report.contains("schemas/consumers/billing-lambda.toml: is not a consumer declaration"),
        "{report}"
    );
    assert!(report.contains("detail-type"), "{report}");
}
