//! How inferred types share one module: identical shapes are shared, clashing names get
//! their root's name as a prefix, roots are never renamed or merged, and adding a type
//! renames nothing it does not clash with.

use schema_emit::{Namespace, Origin, SchemaItem, namespace};
use serde_json::{Value, json};

fn inferred(name: &str, schema: Value) -> SchemaItem {
    SchemaItem { name: name.into(), schema, origin: Origin::Inferred, label: format!("infer.{name}") }
}

fn record(properties: Value) -> Value {
    json!({"type": "object", "properties": properties})
}

fn reference(name: &str) -> Value {
    json!({"$ref": format!("#/definitions/{name}")})
}

/// An inferred root record with one property per `(property, definition, body)`.
fn root(fields: &[(&str, &str, Value)]) -> Value {
    let mut properties = serde_json::Map::new();
    let mut definitions = serde_json::Map::new();
    for (property, definition, body) in fields {
        properties.insert((*property).into(), reference(definition));
        definitions.insert((*definition).into(), body.clone());
    }
    json!({"type": "object", "properties": properties, "definitions": definitions})
}

fn names(ns: &Namespace) -> Vec<&str> {
    ns.types.keys().map(String::as_str).collect()
}

fn target<'a>(ns: &'a Namespace, ty: &str, property: &str) -> &'a str {
    ns.types[ty]["properties"][property]["$ref"].as_str().unwrap().trim_start_matches("#/definitions/")
}

#[test]
fn a_definition_named_like_a_root_gets_its_roots_name_as_prefix() {
    let suite = record(json!({"id": {"type": "integer"}}));
    let check_run = root(&[("check_suite", "CheckSuite", suite)]);
    let check_suite = json!({"type": "object", "properties": {"action": {"type": "string"}}});
    let ns =
        namespace("types", &[inferred("CheckRun", check_run), inferred("CheckSuite", check_suite)]).unwrap();
    assert_eq!(names(&ns), ["CheckRun", "CheckRunCheckSuite", "CheckSuite"]);
    assert_eq!(target(&ns, "CheckRun", "check_suite"), "CheckRunCheckSuite");
    assert_eq!(ns.types["CheckRunCheckSuite"]["title"], "CheckRunCheckSuite");
}

#[test]
fn a_definition_identical_to_a_root_of_its_name_is_that_root() {
    let label = record(json!({"name": {"type": "string"}}));
    let issue = root(&[("label", "Label", label.clone())]);
    let ns = namespace("types", &[inferred("Issue", issue), inferred("Label", label)]).unwrap();
    assert_eq!(names(&ns), ["Issue", "Label"]);
    assert_eq!(target(&ns, "Issue", "label"), "Label");
}

#[test]
fn the_shape_most_types_use_keeps_the_name_and_the_others_are_prefixed() {
    let user = record(json!({"login": {"type": "string"}}));
    let bot = record(json!({"login": {"type": "string"}, "app": {"type": "integer"}}));
    let items = [
        inferred("Fork", root(&[("sender", "Sender", user.clone())])),
        inferred("Push", root(&[("sender", "Sender", user.clone())])),
        inferred("Star", root(&[("sender", "Sender", bot)])),
    ];
    let ns = namespace("types", &items).unwrap();
    assert_eq!(target(&ns, "Fork", "sender"), "Sender");
    assert_eq!(target(&ns, "Push", "sender"), "Sender", "identical shapes are shared");
    assert_eq!(target(&ns, "Star", "sender"), "StarSender");
}

#[test]
fn on_a_tie_no_shape_keeps_the_bare_name() {
    let a = root(&[("detail", "Detail", record(json!({"a": {"type": "string"}})))]);
    let b = root(&[("detail", "Detail", record(json!({"b": {"type": "string"}})))]);
    let ns = namespace("types", &[inferred("A", a), inferred("B", b)]).unwrap();
    assert_eq!(names(&ns), ["A", "ADetail", "B", "BDetail"]);
}

#[test]
fn equal_text_with_different_nested_shapes_is_not_shared() {
    // Both say `Repository` refers to `Owner`, but the owners differ: the repositories do too.
    let repository = record(json!({"owner": reference("Owner")}));
    let with_owner = |owner: Value| {
        json!({"type": "object", "properties": {"repository": reference("Repository")},
            "definitions": {"Repository": repository.clone(), "Owner": owner}})
    };
    let a = with_owner(record(json!({"login": {"type": "string"}})));
    let b = with_owner(record(json!({"id": {"type": "integer"}})));
    let ns = namespace("types", &[inferred("A", a), inferred("B", b)]).unwrap();
    assert_eq!(names(&ns), ["A", "AOwner", "ARepository", "B", "BOwner", "BRepository"]);
    assert_eq!(target(&ns, "ARepository", "owner"), "AOwner");
    assert_eq!(target(&ns, "BRepository", "owner"), "BOwner");
}

#[test]
fn adding_a_type_does_not_rename_the_types_of_others() {
    let user = record(json!({"login": {"type": "string"}}));
    let other_user = record(json!({"id": {"type": "integer"}}));
    let before = [
        inferred("Fork", root(&[("sender", "Sender", user.clone()), ("forkee", "Forkee", user.clone())])),
        inferred("Push", root(&[("sender", "Sender", user.clone())])),
    ];
    let mut after = before.to_vec();
    // A new type with its own `Sender` shape, a name of its own, and a shared one.
    after.insert(
        0,
        inferred("Alpha", root(&[("sender", "Sender", other_user), ("forkee", "Forkee", user.clone())])),
    );
    let (old, new) = (namespace("types", &before).unwrap(), namespace("types", &after).unwrap());
    for (ty, property) in [("Fork", "sender"), ("Fork", "forkee"), ("Push", "sender")] {
        assert_eq!(target(&old, ty, property), target(&new, ty, property), "{ty}.{property}");
    }
    assert_eq!(target(&new, "Alpha", "sender"), "AlphaSender");
}

#[test]
fn a_prefixed_name_that_is_taken_gets_a_number() {
    let a = root(&[
        ("detail", "Detail", record(json!({"a": {"type": "string"}}))),
        ("a_detail", "ADetail", record(json!({"x": {"type": "string"}}))),
    ]);
    let b = root(&[("detail", "Detail", record(json!({"b": {"type": "string"}})))]);
    let ns = namespace("types", &[inferred("A", a), inferred("B", b)]).unwrap();
    assert_eq!(target(&ns, "A", "a_detail"), "ADetail");
    assert_eq!(target(&ns, "A", "detail"), "ADetail2");
    assert_eq!(target(&ns, "B", "detail"), "BDetail");
}

#[test]
fn two_roots_of_one_name_are_an_error_never_a_merge() {
    let same = json!({"type": "object", "properties": {"a": {"type": "string"}}});
    let errors = namespace("types", &[inferred("Event", same.clone()), inferred("event", same)]).unwrap_err();
    assert!(errors[0].to_string().contains("are both the type `Event`"), "{}", errors[0]);
}

#[test]
fn an_inferred_definition_yields_to_a_contract_definition_of_its_name() {
    let contract = SchemaItem {
        origin: Origin::Contract,
        label: "trading.Order".into(),
        ..inferred("Order", root(&[("address", "Address", record(json!({"line1": {"type": "string"}})))]))
    };
    let sampled =
        inferred("Shipped", root(&[("address", "Address", record(json!({"city": {"type": "string"}})))]));
    let ns = namespace("types", &[contract, sampled]).unwrap();
    assert_eq!(target(&ns, "Order", "address"), "Address");
    assert_eq!(target(&ns, "Shipped", "address"), "ShippedAddress");
}

#[test]
fn a_chain_of_ten_thousand_definitions_needs_no_deep_stack() {
    let mut definitions = serde_json::Map::new();
    for level in 0..10_000 {
        let next = if level + 1 < 10_000 {
            reference(&format!("A{}", level + 1))
        } else {
            json!({"type": "integer"})
        };
        definitions.insert(format!("A{level}"), record(json!({"a": next})));
    }
    let schema = json!({"type": "object", "properties": {"a": reference("A0")}, "definitions": definitions});
    let ns = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || namespace("deep", &[inferred("Deep", schema)]).unwrap())
        .unwrap()
        .join()
        .unwrap();
    assert_eq!(ns.types.len(), 10_001);
}
