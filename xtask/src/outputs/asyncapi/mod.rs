//! `schemas/asyncapi.yaml`: the whole catalog as one AsyncAPI 3.0.0 document.
//!
//! - A channel per event. EventBridge has no AsyncAPI binding, so its `source` and
//!   `detail-type` are `x-eventbridge-source` and `x-eventbridge-detail-type`, and the rule
//!   pattern that subscribes to the event is `x-eventbridge-rule-pattern`.
//! - Operations: AsyncAPI 3 gives an operation exactly one channel, so each producing module
//!   has one `send` operation per event it publishes, tagged with the module (the tag groups
//!   them). Sample-only events (AWS events the platform consumes) have `receive` operations
//!   only: the platform never sends them.
//! - A `receive` operation per declared consumer and event it handles
//!   (`schemas/consumers/<name>.toml`, see [`crate::consumers`]), keyed
//!   `<consumer>.receive.<source>.<DetailType>`: who receives the event, with the consumer's
//!   name, team, repository and declaration file in `x-consumer` and the JSON Pointers it
//!   reads in `x-reads` (absent when it reads the whole event, as in the declaration).
//! - A message per event whose payload is the event's published draft-07 schema, marked
//!   `schemaFormat: application/schema+json;version=draft-07`, with its sample as the
//!   example. The schema's own `#/definitions/...` references are rewritten to point at the
//!   same definitions inside the document, the way a bundler does; nothing else changes.
//! - The common metadata is described once in `components` and reused by reference: the
//!   EventBridge envelope (the message headers) and, for platform events, the
//!   `EventMetadata` fields every payload carries with `correlationId` as the message's
//!   correlation id; both as message traits.
//!
//! Keys are emitted in a fixed order and every list is sorted by source and detail-type, so
//! the same events always give the same bytes. [`yaml`] writes the YAML.

mod yaml;

use contracts_common::{EventEnvelope, EventMetadata};
use schema_emit::Format;
use schema_model::{pointer, subschemas_mut};
use serde_json::{Map, Value, json};

use super::preamble;
use crate::consumers::{Consumer, Consumers, Handles};
use crate::events::EventInput;
use crate::workspace::SCHEMAS_DIR;

/// Where the document is written, relative to the workspace root.
pub fn path() -> String {
    format!("{SCHEMAS_DIR}/asyncapi.yaml")
}

/// The `schemaFormat` of every payload and header schema.
pub const SCHEMA_FORMAT: &str = "application/schema+json;version=draft-07";

const ENVELOPE: &str = "EventBridgeEnvelope";
const METADATA: &str = "EventMetadata";

/// The document for `published` (each event with its published schema document) and the
/// `consumers` that declare which of them they handle, as YAML with the generated-file
/// preamble.
pub fn render(published: &[(&EventInput, Value)], consumers: &Consumers) -> String {
    format!("{}{}", preamble(Format::Hash), yaml::document(&document(published, consumers)))
}

/// The document's top-level entries, in the order they are written.
pub fn document(published: &[(&EventInput, Value)], consumers: &Consumers) -> Vec<(&'static str, Value)> {
    let mut events: Vec<&(&EventInput, Value)> = published.iter().collect();
    events.sort_by(|(a, _), (b, _)| (&a.source, &a.detail_type).cmp(&(&b.source, &b.detail_type)));
    let mut channels = Map::new();
    let mut operations = Map::new();
    let mut messages = Map::new();
    let mut tags = Map::new();
    for (event, document) in events {
        // The schema as its file has it (keys sorted, properties in declaration order), so
        // the YAML is the same whatever order the document's maps were built in.
        let document = &crate::json::sorted(document);
        let id = id(event);
        let message = message_name(event);
        let channel_ref = format!("#/channels/{id}");
        channels.insert(id.clone(), channel(event, document, &id, &message));
        let verb = if event.is_inferred() { "receive" } else { "send" };
        let operation = json!({
            "action": verb,
            "channel": {"$ref": channel_ref},
            "title": format!("{} {}", capitalised(verb), event.detail_type),
            "summary": operation_summary(event),
            "messages": [{"$ref": format!("{channel_ref}/messages/{message}")}],
            "tags": [{"$ref": format!("#/components/tags/{}", tag_id(&event.source))}],
        });
        operations.insert(format!("{id}.{verb}"), operation);
        let mut receivers: Vec<_> = consumers.of_event(&event.source, &event.detail_type).collect();
        receivers.sort_by(|(a, _), (b, _)| a.name.cmp(&b.name));
        for (consumer, handled) in receivers {
            operations.insert(
                consumer_operation_id(&consumer.name, &id),
                consumer_operation(event, consumer, handled, &channel_ref, &message),
            );
        }
        messages.insert(id.clone(), message_object(event, document, &id));
        tags.insert(tag_id(&event.source), tag(event));
    }
    let components = json!({
        "schemas": common_schemas(),
        "messages": messages,
        "messageTraits": message_traits(),
        "correlationIds": {"correlationId": {
            "description": "Ties together every event and log line caused by one user request.",
            "location": "$message.payload#/correlationId",
        }},
        "tags": tags,
    });
    vec![
        ("asyncapi", json!("3.0.0")),
        ("info", info()),
        ("defaultContentType", json!("application/json")),
        ("channels", Value::Object(channels)),
        ("operations", Value::Object(operations)),
        ("components", components),
    ]
}

/// The validator's folder (`npm ci` there installs it; `cargo xtask ci` does).
pub const VALIDATOR_DIR: &str = "xtask/asyncapi-check";

/// `node <validator> <file>...`: the AsyncAPI parser and an example check on each file, in one
/// process (the parser loads once); each file's problems, then its summary line
/// (`<file>: ...; <n> error(s), ...`); exits 1 on any error in any file.
pub fn validator_command<'f>(
    root: &std::path::Path,
    files: impl IntoIterator<Item = &'f std::path::Path>,
) -> crate::cmd::Cmd {
    crate::cmd::Cmd::new("node").arg(root.join(VALIDATOR_DIR).join("validate.mjs")).args(files)
}

/// The id of an event's channel, message and operations: `source.DetailType` with the
/// detail-type as an identifier (component keys allow only `[A-Za-z0-9._-]`).
pub fn id(event: &EventInput) -> String {
    format!("{}.{}", event.source, message_name(event))
}

fn message_name(event: &EventInput) -> String {
    schema_ident::pascal_case(&event.detail_type)
}

/// The key of a consumer's `receive` operation of the event whose id is `event_id`:
/// `<consumer>.receive.<source>.<DetailType>`, the consumer's name made a valid key.
pub fn consumer_operation_id(consumer: &str, event_id: &str) -> String {
    format!("{}.receive.{event_id}", tag_id(consumer))
}

/// A key of `components` or `operations`: `[A-Za-z0-9._-]` only.
fn tag_id(source: &str) -> String {
    source.chars().map(|c| if c.is_ascii_alphanumeric() || c == '.' || c == '-' { c } else { '_' }).collect()
}

/// One declared consumer's `receive` operation of `event`: who receives it, who owns that
/// code and which fields it reads, so a producer knows whom a change reaches.
fn consumer_operation(
    event: &EventInput,
    consumer: &Consumer,
    handled: &Handles,
    channel_ref: &str,
    message: &str,
) -> Value {
    let reads = match handled.reads.as_deref() {
        None => "It reads the whole event.".to_owned(),
        Some([]) => "It reads no field of the detail: the event's arrival is what it acts on.".to_owned(),
        Some(reads) => {
            let list: Vec<String> = reads.iter().map(|read| format!("`{read}`")).collect();
            format!("It reads these fields of the detail: {}.", list.join(", "))
        }
    };
    let mut operation = json!({
        "action": "receive",
        "channel": {"$ref": channel_ref},
        "title": format!("{} receives {}", consumer.name, event.detail_type),
        "summary": format!(
            "`{}` (team `{}`) handles `{}` events from `{}`.",
            consumer.name, consumer.team, event.detail_type, event.source
        ),
        "description": format!(
            "Declared in `{}`; its code is at {}. {reads}",
            consumer.file, consumer.repository
        ),
        "messages": [{"$ref": format!("{channel_ref}/messages/{message}")}],
        "x-consumer": {
            "name": consumer.name,
            "team": consumer.team,
            "repository": consumer.repository,
            "declaration": consumer.file,
        },
    });
    if let Some(reads) = &handled.reads {
        operation["x-reads"] = json!(reads);
    }
    operation
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map(|first| first.to_ascii_uppercase().to_string() + chars.as_str()).unwrap_or_default()
}

fn info() -> Value {
    json!({
        "title": "Agri-trading platform events",
        "version": env!("CARGO_PKG_VERSION"),
        "description": "Every event on the platform's EventBridge bus: the domain events its modules \
            publish (one `send` operation each, tagged with the module) and the AWS events it consumes \
            (`receive` only), with a `receive` operation per declared consumer of each event (its team \
            and repository in `x-consumer`, the JSON Pointers it reads in `x-reads`). Each message's \
            payload is the event's `detail` as its draft-07 JSON Schema (also in \
            `schemas/<source>/<detail-type>.json`), with the event's sample as the example. Events \
            are versioned by detail-type: a breaking change is a new detail-type, which \
            `cargo xtask compat` enforces.",
    })
}

/// The rule pattern that subscribes to exactly this event.
pub fn rule_pattern(event: &EventInput) -> Value {
    json!({"source": [event.source], "detail-type": [event.detail_type]})
}

fn description(event: &EventInput, document: &Value) -> String {
    match document.get("description").and_then(Value::as_str) {
        Some(text) => text.to_owned(),
        None if event.is_inferred() => {
            format!(
                "An event the platform consumes but does not define, known from the samples in {}.",
                event.defined_in
            )
        }
        None => format!("The `{}` event of `{}`.", event.detail_type, event.source),
    }
}

fn channel(event: &EventInput, document: &Value, id: &str, message: &str) -> Value {
    json!({
        "address": null,
        "title": event.detail_type,
        "description": description(event, document),
        "messages": {message: {"$ref": format!("#/components/messages/{id}")}},
        "x-eventbridge-source": event.source,
        "x-eventbridge-detail-type": event.detail_type,
        "x-eventbridge-rule-pattern": rule_pattern(event),
    })
}

fn operation_summary(event: &EventInput) -> String {
    if event.is_inferred() {
        format!(
            "The platform receives `{}` events from `{}` (AWS publishes them).",
            event.detail_type, event.source
        )
    } else {
        format!("The `{}` module publishes `{}` to the bus.", event.source, event.detail_type)
    }
}

fn tag(event: &EventInput) -> Value {
    let description = if event.is_inferred() {
        format!("Events from `{}`, an AWS service: the platform consumes them.", event.source)
    } else {
        format!("Events the `{}` module publishes.", event.source)
    };
    json!({"name": event.source, "description": description})
}

fn message_object(event: &EventInput, document: &Value, id: &str) -> Value {
    let mut traits = vec![json!({"$ref": format!("#/components/messageTraits/{ENVELOPE}")})];
    if !event.is_inferred() {
        traits.push(json!({"$ref": format!("#/components/messageTraits/{METADATA}")}));
    }
    let schema_location = format!("#/components/messages/{}/payload/schema", pointer::escape(id));
    let mut message = json!({
        "name": event.detail_type,
        "title": event.detail_type,
        "summary": description(event, document),
        "contentType": "application/json",
        "payload": {"schemaFormat": SCHEMA_FORMAT, "schema": relocate_refs(document, &schema_location)},
        "traits": traits,
    });
    if let Some(sample) = document.get("examples").and_then(|e| e.get(0)) {
        message["examples"] =
            json!([{"name": "sample", "summary": "The event's deterministic sample.", "payload": sample}]);
    }
    message
}

/// `schema` with every local reference (`#/...`) made to point under `location`, so it
/// resolves inside the AsyncAPI document. Only the schema's own `$ref`s move: a sample in
/// `examples` keeps a `"$ref"` key of its own data as it is.
fn relocate_refs(schema: &Value, location: &str) -> Value {
    let mut moved = schema.clone();
    relocate_in(&mut moved, location);
    moved
}

fn relocate_in(schema: &mut Value, location: &str) {
    if let Some(Value::String(target)) = schema.get_mut("$ref")
        && let Some(fragment) = target.strip_prefix('#')
    {
        *target = format!("{location}{fragment}");
    }
    for sub in subschemas_mut(schema) {
        relocate_in(sub, location);
    }
}

/// The EventBridge envelope (without `detail`, which is the payload) and the platform's
/// event metadata, each derived from its Rust type.
fn common_schemas() -> Value {
    let mut envelope = serde_json::to_value(contracts_common::registry::schema_of::<EventEnvelope<()>>())
        .expect("a schemars schema serialises");
    if let Some(object) = envelope.as_object_mut() {
        object.remove("title");
        object.remove("$schema");
        if let Some(properties) = object.get_mut("properties").and_then(Value::as_object_mut) {
            properties.remove("detail");
        }
        if let Some(required) = object.get_mut("required").and_then(Value::as_array_mut) {
            required.retain(|name| name != "detail");
        }
        object.insert(
            "description".into(),
            json!("The EventBridge envelope around every event; its `detail` is the message payload."),
        );
    }
    let mut metadata = serde_json::to_value(contracts_common::registry::schema_of::<EventMetadata>())
        .expect("a schemars schema serialises");
    if let Some(object) = metadata.as_object_mut() {
        object.remove("$schema");
    }
    let mut schemas = serde_json::Map::new();
    schemas.insert(ENVELOPE.into(), json!({"schemaFormat": SCHEMA_FORMAT, "schema": envelope}));
    schemas.insert(METADATA.into(), json!({"schemaFormat": SCHEMA_FORMAT, "schema": metadata}));
    Value::Object(schemas)
}

fn message_traits() -> Value {
    let mut traits = serde_json::Map::new();
    traits.insert(
        ENVELOPE.into(),
        json!({
            "summary": "Delivered by EventBridge: the envelope fields are the message headers.",
            "headers": {"$ref": format!("#/components/schemas/{ENVELOPE}")},
            "contentType": "application/json",
        }),
    );
    traits.insert(
        METADATA.into(),
        json!({
            "summary": "A platform event: its payload carries the fields of components.schemas.EventMetadata \
                (correlationId, userId, organisationId) beside its own; correlationId ties it to the request \
                that caused it.",
            "correlationId": {"$ref": "#/components/correlationIds/correlationId"},
        }),
    );
    Value::Object(traits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_references_are_moved_under_the_payload_and_others_are_kept() {
        let schema = json!({"properties": {"a": {"$ref": "#/definitions/A"}, "b": {"$ref": "other.json#/x"}},
                            "definitions": {"A": {"items": [{"$ref": "#"}]}}});
        let moved = relocate_refs(&schema, "#/components/messages/m.A/payload/schema");
        assert_eq!(
            moved["properties"]["a"]["$ref"],
            "#/components/messages/m.A/payload/schema/definitions/A"
        );
        assert_eq!(moved["properties"]["b"]["$ref"], "other.json#/x");
        assert_eq!(moved["definitions"]["A"]["items"][0]["$ref"], "#/components/messages/m.A/payload/schema");
    }

    #[test]
    fn each_declared_consumer_receives_on_the_events_channel_with_what_it_reads() {
        let event = EventInput {
            source: "trading".into(),
            detail_type: "trade created".into(),
            defined_in: "tests".into(),
            schema: json!({}),
            samples: Ok(vec![json!({})]),
            kind: crate::events::EventKind::Test,
        };
        let declaration = |name: &str, reads: &str| {
            crate::consumers::parse(
                &format!("schemas/consumers/{name}.toml"),
                &format!(
                    "name = \"{name}\"\nteam = \"ops\"\nrepository = \"https://example.com/{name}\"\n\n\
                     [[handles]]\nsource = \"trading\"\ndetail-type = \"trade created\"\n{reads}"
                ),
            )
            .unwrap()
        };
        let consumers = Consumers {
            list: vec![
                declaration("whole", ""),
                declaration("nothing", "reads = []\n"),
                declaration("some", "reads = [\"/id\"]\n"),
            ],
        };
        let entries = document(&[(&event, json!({"description": "Made."}))], &consumers);
        let operations = entries.iter().find(|(k, _)| *k == "operations").unwrap().1.clone();
        let keys: Vec<&String> = operations.as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            [
                "trading.TradeCreated.send",
                "nothing.receive.trading.TradeCreated",
                "some.receive.trading.TradeCreated",
                "whole.receive.trading.TradeCreated",
            ]
        );
        let some = &operations["some.receive.trading.TradeCreated"];
        assert_eq!(some["action"], "receive");
        assert_eq!(some["channel"]["$ref"], "#/channels/trading.TradeCreated");
        assert_eq!(some["messages"][0]["$ref"], "#/channels/trading.TradeCreated/messages/TradeCreated");
        assert_eq!(some["x-consumer"]["team"], "ops");
        assert_eq!(some["x-consumer"]["repository"], "https://example.com/some");
        assert_eq!(some["x-consumer"]["declaration"], "schemas/consumers/some.toml");
        assert_eq!(some["x-reads"], json!(["/id"]));
        assert_eq!(operations["nothing.receive.trading.TradeCreated"]["x-reads"], json!([]));
        let whole = &operations["whole.receive.trading.TradeCreated"];
        assert!(whole.get("x-reads").is_none(), "no `reads` is the whole event, as in the declaration");
        assert!(whole["description"].as_str().unwrap().ends_with("It reads the whole event."));
    }

    #[test]
    fn a_consumer_name_becomes_a_valid_operation_key() {
        assert_eq!(
            consumer_operation_id("billing lambda/v2", "trading.A"),
            "billing_lambda_v2.receive.trading.A"
        );
    }
}
