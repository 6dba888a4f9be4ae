//! What the inference tests share: the independent validator that proves schemas sound.

use serde_json::Value;

/// Every violation of `schema` (draft-07, formats checked, as every consumer validates) by
/// `instance`, as `pointer message` lines.
pub fn violations(schema: &Value, instance: &Value) -> Vec<String> {
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .should_validate_formats(true)
        .with_format("uuid", schema_infer::is_uuid)
        .build(schema)
        .unwrap_or_else(|e| panic!("the inferred schema is invalid: {e}\n{schema:#}"));
    validator.iter_errors(instance).map(|e| format!("{} {}", e.instance_path().as_str(), e)).collect()
}
