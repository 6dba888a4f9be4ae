//! Inference as a specification: each test states one rule on small samples.

use serde_json::{Value, json};

use schema_infer::{Hints, InferError, Inferred, Inferrer, infer_values};

use crate::support;

fn infer(samples: &[Value]) -> Inferred {
    infer_values("Root", samples).unwrap()
}

fn infer_with(hints: &str, samples: &[Value]) -> Result<Inferred, InferError> {
    let mut inferrer = Inferrer::new("Root", Hints::parse(hints, "hints.json").unwrap());
    for sample in samples {
        inferrer.try_add_value("sample", sample)?;
    }
    inferrer.finish()
}

fn assert_sound(schema: &Value, samples: &[Value]) {
    for sample in samples {
        let found = support::violations(schema, sample);
        assert!(found.is_empty(), "{sample} breaks {schema:#}: {found:?}");
    }
}

/// `count` objects built by `make`.
fn many(count: usize, make: impl Fn(usize) -> Value) -> Vec<Value> {
    (0..count).map(make).collect()
}

#[test]
fn a_key_missing_from_some_sample_is_optional_and_null_makes_nullable() {
    let samples = [json!({"a": 1, "b": "x", "c": null}), json!({"a": 2, "c": "y"})];
    let schema = infer(&samples).schema;
    assert_eq!(schema["required"], json!(["a", "c"]));
    assert_eq!(schema["properties"]["b"], json!({"type": "string"}), "optional, not nullable");
    assert_eq!(schema["properties"]["c"], json!({"type": ["string", "null"]}), "nullable, not optional");
    assert_sound(&schema, &samples);
}

#[test]
fn optional_and_nullable_together_stay_both() {
    let samples = [json!({"a": null}), json!({}), json!({"a": 1})];
    let schema = infer(&samples).schema;
    assert_eq!(schema.get("required"), None);
    assert_eq!(schema["properties"]["a"], json!({"type": ["integer", "null"]}));
}

#[test]
fn integers_with_fractions_widen_to_number_and_huge_integers_are_numbers() {
    let schema = infer(&[json!({"n": 1, "m": 3}), json!({"n": 1.5, "m": 4})]).schema;
    assert_eq!(schema["properties"]["n"], json!({"type": "number"}));
    assert_eq!(schema["properties"]["m"], json!({"type": "integer"}));
    let huge: Value = serde_json::from_str("[18446744073709551616, -9223372036854775809, 1e300]").unwrap();
    let schema = infer(std::slice::from_ref(&huge)).schema;
    assert_eq!(schema["items"], json!({"type": "number"}));
    assert_sound(&schema, &[huge]);
}

#[test]
fn a_format_is_claimed_only_when_every_string_has_it() {
    let samples = [
        json!({"at": "2024-05-01T12:00:00Z", "day": "2024-05-01", "id": "67e55044-10b1-426f-9247-bb680e5fe0c8",
               "mixed": "2024-05-01", "url": "https://example.com/x", "mail": "a@example.com", "t": "10:00:00Z"}),
        json!({"at": "2024-05-02T00:00:00.5+02:00", "day": "2024-02-29", "id": "00000000-0000-0000-0000-000000000000",
               "mixed": "tomorrow", "url": "http://a.b", "mail": "b.c@d.org", "t": "23:59:59-01:00"}),
    ];
    let properties = infer(&samples).schema["properties"].clone();
    for (key, format) in [
        ("at", "date-time"),
        ("day", "date"),
        ("id", "uuid"),
        ("url", "uri"),
        ("mail", "email"),
        ("t", "time"),
    ] {
        assert_eq!(properties[key], json!({"type": "string", "format": format}), "{key}");
    }
    assert_eq!(properties["mixed"], json!({"type": "string"}));
}

#[test]
fn lenient_date_times_get_no_format() {
    let schema = infer(&[json!(["2024-05-01 12:00:00", "2024-05-01T12:00:00"])]).schema;
    assert_eq!(schema["items"], json!({"type": "string"}));
}

#[test]
fn strings_become_an_enum_only_on_evidence() {
    let statuses = ["open", "closed"];
    let enough = many(20, |i| json!({"status": statuses[i % 2], "name": format!("n{i}")}));
    let inferred = infer(&[json!(enough.clone())]);
    let definitions = &inferred.schema["definitions"];
    assert_eq!(
        definitions["Status"],
        json!({"title": "Status", "type": "string", "enum": ["closed", "open"]})
    );
    assert_eq!(definitions["RootItem"]["properties"]["status"], json!({"$ref": "#/definitions/Status"}));
    assert_eq!(definitions["RootItem"]["properties"]["name"], json!({"type": "string"}));
    assert_sound(&inferred.schema, &[json!(enough)]);

    let few = many(19, |i| json!({"status": statuses[i % 2]}));
    assert_eq!(
        infer(&[json!(few)]).schema["definitions"]["RootItem"]["properties"]["status"],
        json!({"type": "string"})
    );
}

#[test]
fn an_enum_hint_makes_an_enum_of_every_value_and_a_string_hint_drops_the_format() {
    let samples = [json!({"s": "a", "d": "2024-01-01"}), json!({"s": null, "d": "2024-01-02"})];
    let inferred = infer_with(r#"{"/s": "enum", "/d": "string"}"#, &samples).unwrap();
    assert_eq!(inferred.schema["definitions"]["S"]["enum"], json!(["a"]));
    assert_eq!(
        inferred.schema["properties"]["s"],
        json!({"anyOf": [{"$ref": "#/definitions/S"}, {"type": "null"}]}),
        "a nullable enum keeps null outside the enum"
    );
    assert_eq!(inferred.schema["properties"]["d"], json!({"type": "string"}));
    assert_sound(&inferred.schema, &samples);
}

#[test]
fn maps_need_data_like_keys_or_a_hint() {
    let years = json!({"data": {"189512": {"v": "1"}, "189612": {"v": "2"}}});
    let schema = infer(std::slice::from_ref(&years)).schema;
    assert_eq!(schema["properties"]["data"]["type"], "object");
    assert_eq!(
        schema["properties"]["data"]["additionalProperties"],
        json!({"$ref": "#/definitions/DataValue"})
    );

    let pairs = json!({"pairs": {"ltc_btc": {"fee": 1}, "eth_btc": {"fee": 2}}});
    let record = infer(std::slice::from_ref(&pairs)).schema;
    assert_eq!(
        record["properties"]["pairs"],
        json!({"$ref": "#/definitions/Pairs"}),
        "identifier keys: a record"
    );

    let hinted =
        infer_with(r#"{"/pairs": "map", "/pairs/-": {"name": "Pair"}}"#, std::slice::from_ref(&pairs))
            .unwrap();
    assert_eq!(
        hinted.schema["properties"]["pairs"],
        json!({"type": "object", "additionalProperties": {"$ref": "#/definitions/Pair"}})
    );
    assert_sound(&hinted.schema, &[pairs]);
}

#[test]
fn an_object_with_more_than_a_thousand_keys_is_a_map() {
    let wide: serde_json::Map<String, Value> = (0..1500).map(|i| (format!("key{i}"), json!(i))).collect();
    let sample = json!({"wide": wide});
    let schema = infer(std::slice::from_ref(&sample)).schema;
    assert_eq!(
        schema["properties"]["wide"],
        json!({"type": "object", "additionalProperties": {"type": "integer"}})
    );
    assert_sound(&schema, &[sample]);
}

#[test]
fn hints_at_unknown_pointers_or_contradicting_the_samples_are_errors() {
    let error = infer_with(r#"{"/nope": "map", "/a": "string"}"#, &[json!({"a": "x"})]).unwrap_err();
    assert_eq!(error.to_string(), "hints.json: no sample has a value at /nope; fix or remove these hints");
    let error = infer_with(r#"{"/a": "string"}"#, &[json!({"a": 1})]).unwrap_err();
    assert!(error.to_string().contains("hint \"string\" at \"/a\" does not fit"), "{error}");
    let error = infer_with(r#"{"/a": {"name": "A"}}"#, &[json!({"a": 1})]).unwrap_err();
    assert!(error.to_string().contains("only a record or an enum can be named"), "{error}");
    let error = infer_with(r#"{"/a": "map"}"#, &[json!({"a": [1]})]).unwrap_err();
    assert!(error.to_string().contains("no object there"), "{error}");
}

#[test]
fn an_any_hint_accepts_anything_below_it() {
    let samples = [json!({"p": {"x": 1}}), json!({"p": [true]})];
    let inferred = infer_with(r#"{"/p": "any"}"#, &samples).unwrap();
    assert_eq!(inferred.schema["properties"]["p"], json!({}));
    assert_sound(&inferred.schema, &samples);
}

#[test]
fn identical_shapes_share_one_definition() {
    let point = json!({"x": 1, "y": 2});
    let sample = json!({"from": point, "to": point, "path": [point]});
    let schema = infer(&[sample]).schema;
    let definitions = schema["definitions"].as_object().unwrap();
    assert_eq!(definitions.len(), 1, "{definitions:?}");
    assert_eq!(schema["properties"]["from"], schema["properties"]["to"]);
    assert_eq!(schema["properties"]["path"]["items"], schema["properties"]["to"]);
}

#[test]
fn names_come_from_paths_singular_for_items_with_readable_collision_suffixes() {
    let sample = json!({
        "addresses": [{"line": "a"}],
        "billing": {"address": {"street": "s"}},
        "shipping": {"address": {"street": "s", "zip": "z"}},
        "items": [{"sku": "x"}],
    });
    let schema = infer(&[sample]).schema;
    let mut names: Vec<&String> = schema["definitions"].as_object().unwrap().keys().collect();
    names.sort();
    // Three different shapes want `Address`, so none gets it bare: each takes its parent's name.
    assert_eq!(names, ["Billing", "BillingAddress", "Item", "RootAddress", "Shipping", "ShippingAddress"]);
    for (name, body) in schema["definitions"].as_object().unwrap() {
        assert_eq!(body["title"], json!(name), "every definition is titled with its name");
    }
    assert_eq!(schema["title"], "Root");
}

#[test]
fn a_name_hint_names_the_definition() {
    let inferred =
        infer_with(r#"{"/items/-": {"name": "LineItem"}}"#, &[json!({"items": [{"a": 1}]})]).unwrap();
    assert_eq!(inferred.schema["properties"]["items"]["items"], json!({"$ref": "#/definitions/LineItem"}));
}

#[test]
fn output_is_deterministic_whatever_the_key_or_sample_order() {
    let a = json!({"z": {"q": 1}, "a": [{"b": "2024-01-01"}], "m": null});
    let b = json!({"a": [], "m": 1, "n": {"q": 2}});
    let first = infer(&[a.clone(), b.clone()]);
    let text = |i: &Inferred| serde_json::to_string_pretty(&i.schema).unwrap();
    for _ in 0..3 {
        assert_eq!(text(&infer(&[a.clone(), b.clone()])), text(&first));
    }
    assert_eq!(text(&infer(&[b, a])), text(&first), "sample order does not matter");
}

#[test]
fn empty_arrays_always_null_values_and_empty_objects_are_warnings_with_permissive_schemas() {
    let samples = [json!({"tags": [], "gone": null, "meta": {}, "list": [[]]})];
    let inferred = infer(&samples);
    let properties = &inferred.schema["properties"];
    assert_eq!(properties["tags"], json!({"type": "array", "items": {}}));
    assert_eq!(properties["gone"], json!({}));
    assert_eq!(properties["meta"], json!({"type": "object"}));
    assert_eq!(properties["list"], json!({"type": "array", "items": {"type": "array", "items": {}}}));
    let paths: Vec<&str> = inferred.warnings.iter().map(|w| w.path.as_str()).collect();
    assert_eq!(paths, ["/gone", "/list/-", "/meta", "/tags"]);
    assert_sound(&inferred.schema, &samples);
}

#[test]
fn different_kinds_at_one_place_become_a_type_array_or_any_of() {
    let samples =
        [json!({"v": 1, "w": {"a": 1}}), json!({"v": "x", "w": [1]}), json!({"v": null, "w": null})];
    let schema = infer(&samples).schema;
    assert_eq!(schema["properties"]["v"], json!({"type": ["integer", "string", "null"]}));
    assert_eq!(
        schema["properties"]["w"],
        json!({"anyOf": [{"type": "array", "items": {"type": "integer"}}, {"$ref": "#/definitions/W"}, {"type": "null"}]})
    );
    assert_sound(&schema, &samples);
}

#[test]
fn a_top_level_scalar_or_array_gets_a_titled_schema() {
    let schema = infer(&[json!(123)]).schema;
    assert_eq!(schema, json!({"$schema": schema_infer::DRAFT_07, "title": "Root", "type": "integer"}));
    let schema = infer(&[json!([{"a": 1}])]).schema;
    assert_eq!(schema["items"], json!({"$ref": "#/definitions/RootItem"}));
}

#[test]
fn only_the_allowed_keywords_are_emitted() {
    const ALLOWED: &[&str] = &[
        "$schema",
        "title",
        "description",
        "type",
        "properties",
        "required",
        "additionalProperties",
        "items",
        "enum",
        "format",
        "anyOf",
        "$ref",
        "definitions",
    ];
    fn check(schema: &Value) {
        let Some(map) = schema.as_object() else { return };
        for (key, value) in map {
            assert!(ALLOWED.contains(&key.as_str()), "unexpected keyword {key}");
            match key.as_str() {
                "properties" | "definitions" => value.as_object().unwrap().values().for_each(check),
                "items" | "additionalProperties" => check(value),
                "anyOf" => value.as_array().unwrap().iter().for_each(check),
                _ => {}
            }
        }
    }
    let samples = many(30, |i| {
        let state = ["on", "off"][i % 2];
        let e = if i % 3 == 0 { json!(null) } else { json!({"f": i}) };
        json!({"a": [i, "x", {"b": state}], "c": {"1": {"d": null}, "2": {"d": 1.5}}, "e": e})
    });
    let inferred = infer(&samples);
    check(&inferred.schema);
    assert_sound(&inferred.schema, &samples);
}

#[test]
fn invalid_json_names_the_origin_line_and_column() {
    let mut inferrer = Inferrer::new("Root", Hints::default());
    let error = inferrer.add_json_text("events/a.json", "{\n  \"a\": [1,]\n}").unwrap_err();
    assert_eq!(error.to_string(), "events/a.json:2:11: invalid JSON: trailing comma");
    let error = inferrer.add_json_text("b.json", "{} {}").unwrap_err();
    assert_eq!(error.to_string(), "b.json:1:4: invalid JSON: trailing characters");
    assert!(matches!(inferrer.finish(), Err(InferError::NoSamples { .. })), "failed samples are not added");
}

#[test]
fn deep_values_are_inferred_not_refused() {
    let text = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let mut inferrer = Inferrer::new("Deep", Hints::default());
    inferrer.add_json_text("deep.json", &text).unwrap();
    assert_eq!(inferrer.finish().unwrap().warnings.len(), 1, "the innermost array is always empty");

    let mut deep = json!(1);
    for _ in 0..200 {
        deep = json!([deep]);
    }
    let mut inferrer = Inferrer::new("Deep", Hints::default());
    inferrer.add_value(&deep);
    let schema = inferrer.finish().unwrap().schema;
    assert_eq!(schema["type"], "array");
}

#[test]
fn duplicate_keys_count_once_per_object() {
    let mut inferrer = Inferrer::new("Root", Hints::default());
    inferrer.add_json_text("a", r#"{"a": 1, "a": "x"}"#).unwrap();
    inferrer.add_json_text("b", r#"{"b": 1}"#).unwrap();
    let schema = inferrer.finish().unwrap().schema;
    assert_eq!(schema.get("required"), None);
    assert_eq!(schema["properties"]["a"], json!({"type": ["integer", "string"]}));
}
