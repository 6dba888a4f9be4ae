//! Who consumes an event, as its page shows it: each declared consumer
//! (`schemas/consumers/<name>.toml`, see [`crate::consumers`]) with its team, its repository
//! and what it reads, each read field with its type and description from the event's schema,
//! so a producer sees whom a change to a field reaches before making it.

use schema_model::instance;
use serde::Serialize;
use serde_json::Value;

use crate::fields::{self, Part};
use xtask::consumers::{Consumers, Handles};

/// One consumer of the event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConsumerRow {
    /// Its name.
    pub name: String,
    /// The team that owns it.
    pub team: String,
    /// Where its code lives.
    pub repository: String,
    /// Whether `repository` is a web address, shown as a link.
    pub repository_is_link: bool,
    /// Its declaration, relative to the workspace root.
    pub declaration: String,
    /// The fields it reads; empty when `reads_note` says why.
    pub reads: Vec<ReadField>,
    /// When it lists no field: that it reads the whole event, or no field of it.
    pub reads_note: String,
}

/// One field a consumer reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReadField {
    /// The JSON Pointer into the event's detail (`*` is any array item or map value).
    pub pointer: String,
    /// The field's type, as the field table labels it.
    pub kind: Vec<Part>,
    /// The field's description, or "".
    pub description: String,
}

/// What a consumer that declares no `reads` is taken to read.
pub const WHOLE_EVENT: &str = "the whole event (it declares no `reads`)";
/// What a consumer that declares `reads = []` reads.
pub const NO_FIELD: &str = "no field of the detail: the event's arrival is what it acts on";

/// The consumers of `source`/`detail_type`, sorted by name, with their reads resolved in
/// `schema` (the event's published schema document).
pub fn rows(consumers: &Consumers, source: &str, detail_type: &str, schema: &Value) -> Vec<ConsumerRow> {
    let mut rows: Vec<ConsumerRow> = consumers
        .of_event(source, detail_type)
        .map(|(consumer, handled)| {
            let (reads, reads_note) = reads(handled, schema);
            ConsumerRow {
                name: consumer.name.clone(),
                team: consumer.team.clone(),
                repository_is_link: consumer.repository.starts_with("https://")
                    || consumer.repository.starts_with("http://"),
                repository: consumer.repository.clone(),
                declaration: consumer.file.clone(),
                reads,
                reads_note,
            }
        })
        .collect();
    rows.sort_by(|a, b| a.name.cmp(&b.name));
    rows
}

fn reads(handled: &Handles, schema: &Value) -> (Vec<ReadField>, String) {
    match handled.reads.as_deref() {
        None => (Vec::new(), WHOLE_EVENT.to_owned()),
        Some([]) => (Vec::new(), NO_FIELD.to_owned()),
        Some(pointers) => {
            (pointers.iter().map(|pointer| read_field(schema, pointer)).collect(), String::new())
        }
    }
}

/// The field at `pointer`: its type from the first subschema the pointer reaches (a wrapper
/// that names a type, else the type itself), its description from the first that has one.
/// A pointer the schema lacks cannot get here (the declarations are checked first); it
/// shows with no type rather than failing the page.
fn read_field(schema: &Value, pointer: &str) -> ReadField {
    let reached = instance::schemas_at(schema, pointer).unwrap_or_default();
    ReadField {
        pointer: pointer.to_owned(),
        kind: reached.first().map(|first| fields::label(first)).unwrap_or_default(),
        description: reached
            .iter()
            .find_map(|s| s.get("description").and_then(Value::as_str).filter(|d| !d.is_empty()))
            .unwrap_or_default()
            .to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn declared(name: &str, reads: &str) -> xtask::consumers::Consumer {
        xtask::consumers::parse(
            &format!("schemas/consumers/{name}.toml"),
            &format!(
                "name = \"{name}\"\nteam = \"t-{name}\"\nrepository = \"https://example.com/{name}\"\n\n\
                 [[handles]]\nsource = \"trading\"\ndetail-type = \"TradeCreated\"\n{reads}"
            ),
        )
        .unwrap()
    }

    #[test]
    fn each_consumer_shows_its_team_and_what_it_reads_with_types_and_descriptions() {
        let schema = json!({
            "properties": {
                "tradeId": {"type": "string", "format": "uuid", "description": "The trade."},
                "lines": {"type": "array", "items": {"$ref": "#/definitions/Line"}}
            },
            "definitions": {"Line": {"type": "object", "properties": {"qty": {"type": "number", "description": "Tonnes."}}}}
        });
        let consumers = Consumers {
            list: vec![
                declared("whole", ""),
                declared("fields", "reads = [\"/tradeId\", \"/lines/*/qty\", \"/lines\"]\n"),
                declared("arrival", "reads = []\n"),
            ],
        };
        let rows = rows(&consumers, "trading", "TradeCreated", &schema);
        let names: Vec<&str> = rows.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["arrival", "fields", "whole"]);
        assert_eq!(rows[0].reads_note, NO_FIELD);
        assert_eq!(rows[2].reads_note, WHOLE_EVENT);
        let fields = &rows[1];
        assert_eq!((fields.team.as_str(), fields.repository_is_link), ("t-fields", true));
        assert_eq!(fields.reads_note, "");
        let shown: Vec<(String, String, String)> = fields
            .reads
            .iter()
            .map(|r| {
                (r.pointer.clone(), r.kind.iter().map(|p| p.text.as_str()).collect(), r.description.clone())
            })
            .collect();
        assert_eq!(
            shown,
            [
                ("/tradeId".into(), "string".into(), "The trade.".into()),
                ("/lines/*/qty".into(), "number".into(), "Tonnes.".into()),
                ("/lines".into(), "array of Line".into(), String::new()),
            ]
        );
        assert!(super::rows(&consumers, "trading", "TradeCancelled", &schema).is_empty());
    }
}
