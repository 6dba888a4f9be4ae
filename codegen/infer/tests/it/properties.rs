//! Property tests: for arbitrary JSON values, and sets of them, inference never panics and
//! the schema accepts every input; text and value input give the same schema.

use proptest::prelude::*;
use schema_infer::{Hints, Inferrer, infer_values};
use serde_json::{Map, Number, Value};

use crate::support;
use support::violations;

/// Strings that exercise formats and enums as well as arbitrary text.
fn string() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[ab]{0,2}",
        "(19|20)[0-9]{2}-[01][0-9]-[0-3][0-9]",
        "(19|20)[0-9]{2}-[01][0-9]-[0-3][0-9][Tt ][0-2][0-9]:[0-5][0-9]:[0-6][0-9](\\.[0-9]{1,3})?(Z|z|[+-][0-2][0-9]:[0-5][0-9])?",
        "[0-2][0-9]:[0-5][0-9]:[0-6][0-9](Z|[+-][0-9]{2}:[0-9]{2})?",
        "[0-9a-fA-F]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-fg]{12}",
        "(https?|s3)://[a-z.]{0,6}(:[0-9]{0,6})?(/[a-z%0-9 ]{0,5}){0,2}(\\?[a-z=&]{0,5})?(#[a-z#]{0,3})?",
        "[a-z.]{0,4}@[a-z-]{0,4}(\\.[a-z0-9]{0,3}){0,2}",
    ]
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof!["[a-c]{1,2}", "[0-9]{1,3}", any::<String>(), Just(String::new()), Just("$ref".to_owned())]
}

fn number() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_filter_map("finite", |f| Number::from_f64(f).map(Value::Number)),
        (-3i64..3).prop_map(Value::from),
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        number(),
        string().prop_map(Value::String)
    ];
    leaf.prop_recursive(5, 64, 24, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..24).prop_map(Value::Array),
            prop::collection::vec((key(), inner), 0..8)
                .prop_map(|entries| Value::Object(entries.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

fn assert_sound(samples: &[Value]) -> Result<(), TestCaseError> {
    let inferred = infer_values("Arbitrary", samples).map_err(|e| TestCaseError::fail(e.to_string()))?;
    for sample in samples {
        let found = violations(&inferred.schema, sample);
        prop_assert!(found.is_empty(), "{sample} breaks {:#}: {found:?}", inferred.schema);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn the_schema_accepts_any_single_value(value in json_value()) {
        assert_sound(&[value])?;
    }

    #[test]
    fn the_schema_accepts_every_value_of_a_set(values in prop::collection::vec(json_value(), 1..6)) {
        assert_sound(&values)?;
    }

    #[test]
    fn text_and_value_input_give_the_same_schema(values in prop::collection::vec(json_value(), 1..4)) {
        let from_values = infer_values("Same", &values).unwrap();
        let mut inferrer = Inferrer::new("Same", Hints::default());
        for value in &values {
            inferrer.add_json_text("sample", &serde_json::to_string(value).unwrap()).unwrap();
        }
        prop_assert_eq!(inferrer.finish().unwrap(), from_values);
    }

    #[test]
    fn arbitrary_bytes_give_a_schema_or_an_error_never_a_panic(bytes in prop::collection::vec(any::<u8>(), 0..64)) {
        let mut inferrer = Inferrer::new("Bytes", Hints::default());
        if inferrer.add_json_bytes("bytes", &bytes).is_ok() {
            let schema = inferrer.finish().unwrap().schema;
            let value: Value = serde_json::from_slice(&bytes).unwrap();
            prop_assert!(violations(&schema, &value).is_empty());
        }
    }
}
