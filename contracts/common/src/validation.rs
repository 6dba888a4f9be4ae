//! Validation of JSON against the contracts' schemas, configured one way everywhere.
//!
//! The generator validates samples (schemars derives the schema and serde writes the sample
//! from the same type; the `jsonschema` crate, which shares no code with either, proves they
//! agree), inference checks its formats, and `event-tail` checks events seen on a bus: all
//! through [`validator`], so a format accepted in one place is accepted in all.
//! Behind the `validation` feature, so contract crates do not compile a validator.

use jsonschema::{Draft, Validator};
use serde_json::Value;

/// One way an instance breaks its schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// JSON Pointer to the offending value in the instance (empty for the root).
    pub path: String,
    /// The validator's message.
    pub message: String,
}

/// A draft-07 validator of `schema` with formats checked, or why the schema is invalid.
pub fn validator(schema: &Value) -> Result<Validator, String> {
    jsonschema::options()
        .with_draft(Draft::Draft7)
        .should_validate_formats(true)
        // Draft-07 predates `uuid`, so the validator would ignore it; schemars emits it for
        // every `Uuid`, and consumers rely on it.
        .with_format("uuid", is_hyphenated_uuid)
        .build(schema)
        .map_err(|e| format!("the schema is invalid: {e}"))
}

/// Every violation of `validator`'s schema by `instance`.
pub fn violations_of(validator: &Validator, instance: &Value) -> Vec<Violation> {
    validator
        .iter_errors(instance)
        .map(|error| Violation {
            path: error.instance_path().as_str().to_owned(),
            message: error.to_string(),
        })
        .collect()
}

/// Every violation of `schema` (draft-07, formats checked) by `instance`, or an error when
/// the schema itself is invalid.
pub fn violations(schema: &Value, instance: &Value) -> Result<Vec<Violation>, String> {
    Ok(violations_of(&validator(schema)?, instance))
}

/// RFC 4122 text form: 8-4-4-4-12 hexadecimal digits.
pub fn is_hyphenated_uuid(text: &str) -> bool {
    text.len() == 36
        && text.char_indices().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => c == '-',
            _ => c.is_ascii_hexdigit(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reports_each_violation_with_its_path_and_checks_formats() {
        let schema = json!({
            "type": "object",
            "properties": {"id": {"type": "string", "format": "uuid"}, "n": {"type": "integer"}}
        });
        let found = violations(&schema, &json!({"id": "not-a-uuid", "n": "x"})).unwrap();
        let mut paths: Vec<_> = found.iter().map(|v| v.path.as_str()).collect();
        paths.sort();
        assert_eq!(paths, ["/id", "/n"]);
        assert!(
            violations(&schema, &json!({"id": "67e55044-10b1-426f-9247-bb680e5fe0c8", "n": 1}))
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn uuids_must_be_hyphenated_hex() {
        assert!(is_hyphenated_uuid("67e55044-10b1-426f-9247-bb680e5fe0c8"));
        assert!(!is_hyphenated_uuid("67e5504410b1426f9247bb680e5fe0c8"));
        assert!(!is_hyphenated_uuid("67e55044-10b1-426f-9247-bb680e5fe0cg"));
    }

    #[test]
    fn an_invalid_schema_is_an_error() {
        assert!(violations(&json!({"type": 12}), &json!(null)).is_err());
    }
}
