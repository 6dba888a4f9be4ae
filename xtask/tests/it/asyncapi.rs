//! `schemas/asyncapi.yaml`: built from the pipeline's own events and schema documents, part
//! of the output set (so `schemas --check` covers it), and accepted by the AsyncAPI
//! initiative's parser, which rejects a broken document.

// Links every contract crate, so the registry sees every event.
use contracts_all as _;
use std::path::PathBuf;
use std::sync::OnceLock;

use serde_json::Value;
use xtask::consumers::Consumers;
use xtask::events::EventInput;
use xtask::outputs::{self, asyncapi};

/// The workspace's consumer declarations (`schemas/consumers/`).
fn consumers() -> Consumers {
    Consumers::load(&xtask::workspace::root()).unwrap_or_else(|problems| panic!("{problems:?}"))
}

/// Every event with the schema document the generator publishes for it, and the document
/// as `cargo xtask schemas` writes it (with the workspace's consumer declarations).
fn published() -> (Vec<EventInput>, Vec<Value>, String) {
    let root = xtask::workspace::root();
    let (events, _) = xtask::events::all(&root).expect("the workspace's events load");
    let options = outputs::Options { consumers: consumers(), ..Default::default() };
    let set = outputs::generate_with(&events, &options).expect("the workspace's events generate");
    let documents = events
        .iter()
        .map(|e| {
            let path = format!("schemas/{}/{}.json", e.source, e.detail_type);
            serde_json::from_str(&set.files[&path]).unwrap()
        })
        .collect();
    (events, documents, set.files[&asyncapi::path()].clone())
}

fn pairs<'e>(events: &'e [EventInput], documents: &[Value]) -> Vec<(&'e EventInput, Value)> {
    events.iter().zip(documents.iter().cloned()).collect()
}

fn object(entries: &[(&str, Value)], key: &str) -> Value {
    entries.iter().find(|(k, _)| *k == key).map(|(_, v)| v.clone()).unwrap()
}

#[test]
fn every_event_has_a_channel_a_message_with_its_schema_and_sample_and_an_operation() {
    let (events, documents, _) = published();
    let document = asyncapi::document(&pairs(&events, &documents), &consumers());
    let (channels, operations, components) =
        (object(&document, "channels"), object(&document, "operations"), object(&document, "components"));
    assert_eq!(channels.as_object().unwrap().len(), events.len());
    for (event, schema) in events.iter().zip(&documents) {
        let id = asyncapi::id(event);
        let channel = &channels[&id];
        assert_eq!(channel["x-eventbridge-source"], Value::from(event.source.clone()), "{id}");
        assert_eq!(channel["x-eventbridge-detail-type"], Value::from(event.detail_type.clone()), "{id}");
        let message = &components["messages"][&id];
        assert_eq!(message["payload"]["schemaFormat"], "application/schema+json;version=draft-07");
        let payload = &message["payload"]["schema"];
        let keys = |v: &Value, key: &str| {
            v.get(key).and_then(Value::as_object).map(|o| o.keys().cloned().collect::<Vec<_>>())
        };
        assert_eq!(
            payload.as_object().unwrap().keys().collect::<Vec<_>>(),
            schema.as_object().unwrap().keys().collect::<Vec<_>>(),
            "{id}"
        );
        assert_eq!(keys(payload, "properties"), keys(schema, "properties"), "{id}");
        assert_eq!(keys(payload, "definitions"), keys(schema, "definitions"), "{id}");
        assert_eq!(
            message["examples"][0]["payload"], schema["examples"][0],
            "{id}: the sample is the example"
        );
        // Sample-only events are received, never sent; platform events are sent by their module.
        let (action, other) = if event.is_inferred() { ("receive", "send") } else { ("send", "receive") };
        let operation = &operations[format!("{id}.{action}")];
        assert_eq!(operation["action"], action, "{id}");
        assert_eq!(operation["channel"]["$ref"], format!("#/channels/{id}"));
        assert!(operations.get(format!("{id}.{other}")).is_none(), "{id} has no {other} operation");
        let traits = message["traits"].to_string();
        assert_eq!(
            traits.contains("EventMetadata"),
            !event.is_inferred(),
            "{id}: metadata trait only on platform events"
        );
    }
    // The common metadata is described once, as components every message refers to.
    for name in ["EventBridgeEnvelope", "EventMetadata"] {
        assert!(components["schemas"][name]["schema"]["properties"].is_object(), "{name}");
    }
    assert!(components["schemas"]["EventBridgeEnvelope"]["schema"]["properties"].get("detail").is_none());
}

#[test]
fn every_declared_consumer_receives_each_event_it_handles() {
    let (events, documents, _) = published();
    let consumers = consumers();
    let document = asyncapi::document(&pairs(&events, &documents), &consumers);
    let operations = object(&document, "operations");
    let declared: usize = consumers.list.iter().map(|c| c.handles.len()).sum();
    assert!(declared > 0, "the workspace declares consumers");
    assert_eq!(
        operations.as_object().unwrap().len(),
        events.len() + declared,
        "one per event, one per handled event"
    );
    for consumer in &consumers.list {
        for handled in &consumer.handles {
            let event = events
                .iter()
                .find(|e| e.source == handled.source && e.detail_type == handled.detail_type)
                .unwrap();
            let id = asyncapi::id(event);
            let key = asyncapi::consumer_operation_id(&consumer.name, &id);
            let operation = &operations[&key];
            assert_eq!(operation["action"], "receive", "{key}");
            assert_eq!(operation["channel"]["$ref"], format!("#/channels/{id}"), "{key}");
            assert!(
                operation["messages"][0]["$ref"]
                    .as_str()
                    .unwrap()
                    .starts_with(&format!("#/channels/{id}/messages/"))
            );
            assert_eq!(operation["x-consumer"]["team"], Value::from(consumer.team.clone()), "{key}");
            assert_eq!(
                operation["x-consumer"]["repository"],
                Value::from(consumer.repository.clone()),
                "{key}"
            );
            assert_eq!(
                operation.get("x-reads").cloned(),
                handled.reads.as_ref().map(|r| Value::from(r.clone())),
                "{key}"
            );
        }
    }
    let allocations = &operations["trading-allocations.receive.trading.TradeInventoryAllocated"];
    assert!(allocations["x-reads"].as_array().unwrap().contains(&Value::from("/tradeId")), "{allocations}");
}

#[test]
fn the_document_is_part_of_the_output_set_and_deterministic() {
    let (events, documents, file) = published();
    let mut shuffled = pairs(&events, &documents);
    shuffled.reverse();
    assert_eq!(asyncapi::render(&shuffled, &consumers()), file, "the order events arrive in changes nothing");
    assert!(file.starts_with("# Generated by `cargo xtask schemas`; do not edit.\nasyncapi: \"3.0.0\"\n"));
}

fn validator() -> PathBuf {
    let dir = xtask::workspace::root().join(asyncapi::VALIDATOR_DIR);
    assert!(
        dir.join("node_modules/@asyncapi/parser").exists(),
        "the AsyncAPI validator is not installed: run `npm ci --ignore-scripts` in {} (`cargo xtask ci` does this first)",
        asyncapi::VALIDATOR_DIR
    );
    dir
}

/// The documents the validator is run on: the published one first, then each broken one.
const PUBLISHED: usize = 0;
const DANGLING_CHANNEL: usize = 1;
const UNKNOWN_ACTION: usize = 2;
const EXAMPLE_NOT_FITTING: usize = 3;

/// The validator's verdict on each document of [`documents`], from one run over all of them
/// (the parser loads once): whether it passes, and its part of the output.
fn verdicts() -> &'static [(bool, String)] {
    static VERDICTS: OnceLock<Vec<(bool, String)>> = OnceLock::new();
    VERDICTS.get_or_init(|| validate(&documents()))
}

/// Runs the validator once on `texts`: for each, whether it passes and its part of the output
/// (its problems and its summary line, `<file>: ...; <n> error(s), ...`, which ends the part).
fn validate(texts: &[String]) -> Vec<(bool, String)> {
    validator();
    let dir = tempfile::tempdir().unwrap();
    let files: Vec<PathBuf> =
        (0..texts.len()).map(|n| dir.path().join(format!("asyncapi-{n}.yaml"))).collect();
    for (file, text) in files.iter().zip(texts) {
        std::fs::write(file, text).unwrap();
    }
    let root = xtask::workspace::root();
    let output = asyncapi::validator_command(&root, files.iter().map(PathBuf::as_path)).output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let everything = format!("{stdout}{}", String::from_utf8_lossy(&output.stderr));
    let mut parts = Vec::new();
    let mut part = String::new();
    let mut lines = stdout.lines();
    for file in &files {
        let summary = format!("{}: ", file.display());
        for line in lines.by_ref() {
            part.push_str(line);
            part.push('\n');
            if line.starts_with(&summary) {
                // As the validator decides: no error, and the document parsed.
                let ok =
                    line.contains("; 0 error(s), ") && !line.starts_with(&format!("{summary}not parsed;"));
                parts.push((ok, std::mem::take(&mut part)));
                break;
            }
        }
    }
    assert_eq!(
        parts.len(),
        files.len(),
        "the validator did not give a verdict on every document:\n{everything}"
    );
    let any_failed = parts.iter().any(|(ok, _)| !ok);
    assert_eq!(
        output.status.success(),
        !any_failed,
        "the exit status disagrees with the verdicts:\n{everything}"
    );
    parts
}

/// The published document, then the broken ones the validation step must fail on.
fn documents() -> Vec<String> {
    let (events, _, file) = published();
    let id = asyncapi::id(&events[0]);
    // An operation on a channel that does not exist.
    let dangling = file.replacen(&format!("$ref: \"#/channels/{id}\""), "$ref: \"#/channels/nowhere\"", 1);
    assert_ne!(dangling, file);
    // An action AsyncAPI 3 does not have.
    let unknown_action = file.replacen("action: \"send\"", "action: \"publish\"", 1);
    // An example that does not fit its payload: a string-typed property given a number.
    // A message example (not the payload schema's own `examples`): the `correlationId` line
    // inside the `payload:` block of a message's `- name: "sample"` example.
    let lines: Vec<&str> = file.lines().collect();
    let indent = |line: &str| line.len() - line.trim_start().len();
    let sample_at = lines
        .iter()
        .enumerate()
        .filter(|(_, line)| line.trim_start() == "- name: \"sample\"")
        .find_map(|(at, _)| {
            let payload = (at..lines.len()).find(|&k| lines[k].trim_start().starts_with("payload:"))?;
            let depth = indent(lines[payload]);
            (payload + 1..lines.len()).take_while(|&k| indent(lines[k]) > depth).find(|&k| {
                indent(lines[k]) == depth + 2 && lines[k].trim_start().starts_with("correlationId: \"")
            })
        })
        .expect("a platform example has a correlationId");
    let mut broken_lines = lines.clone();
    let replaced = format!("{}correlationId: 42", " ".repeat(indent(lines[sample_at])));
    broken_lines[sample_at] = &replaced;
    let not_fitting = broken_lines.join("\n") + "\n";
    let mut documents = vec![String::new(); 4];
    documents[PUBLISHED] = file;
    documents[DANGLING_CHANNEL] = dangling;
    documents[UNKNOWN_ACTION] = unknown_action;
    documents[EXAMPLE_NOT_FITTING] = not_fitting;
    documents
}

#[test]
fn the_asyncapi_parser_accepts_the_document_with_zero_errors() {
    let (ok, output) = &verdicts()[PUBLISHED];
    assert!(ok, "{output}");
    assert!(output.contains("AsyncAPI 3.0.0") && output.contains("; 0 error(s)"), "{output}");
}

#[test]
fn the_validation_step_fails_on_a_broken_document() {
    let verdicts = verdicts();
    let (ok, output) = &verdicts[DANGLING_CHANNEL];
    assert!(!ok, "a dangling channel reference must fail:\n{output}");
    assert!(output.contains("#/channels/nowhere"), "{output}");
    let (ok, output) = &verdicts[UNKNOWN_ACTION];
    assert!(!ok && output.contains("action"), "{output}");
    let (ok, output) = &verdicts[EXAMPLE_NOT_FITTING];
    assert!(!ok, "{output}");
    assert!(output.contains("/payload/correlationId: must be string [example-matches-payload]"), "{output}");
}
