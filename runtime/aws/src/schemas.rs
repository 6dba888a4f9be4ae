//! The contracts' JSON Schemas (`schemas/catalog.json` and one file per event), loaded to
//! check the `detail` of events seen on a bus.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use contracts_common::catalog::Catalog;
use contracts_common::validation;
use jsonschema::Validator;
use serde_json::Value;

/// The schemas of every event in a catalog, compiled, by `(source, detail-type)`.
pub struct SchemaCatalog {
    dir: PathBuf,
    validators: BTreeMap<(String, String), Validator>,
}

/// What a schema says of one event's `detail`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// The detail validates against its schema.
    Valid,
    /// The detail violates its schema: each violation as `<instance path>: <message>`.
    Invalid(Vec<String>),
    /// No schema has this source and detail-type.
    Unknown,
}

/// Why the catalog could not be loaded.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {message}")]
pub struct SchemaError {
    /// The file at fault.
    pub path: PathBuf,
    /// What was wrong with it.
    pub message: String,
}

impl SchemaCatalog {
    /// The workspace's `schemas/` directory (as seen from this crate's source).
    pub fn workspace_dir() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schemas")
    }

    /// Loads `dir/catalog.json` and compiles every schema it lists (draft-07, formats checked).
    pub fn load(dir: impl AsRef<Path>) -> Result<Self, SchemaError> {
        let dir = dir.as_ref().to_path_buf();
        let catalog: Catalog = read_json(&dir.join(Catalog::FILE_NAME))?;
        let mut validators = BTreeMap::new();
        for entry in catalog.events {
            let path = dir.join(&entry.schema);
            let schema: Value = read_json(&path)?;
            let validator = validation::validator(&schema)
                .map_err(|message| SchemaError { path: path.clone(), message })?;
            validators.insert((entry.source, entry.detail_type), validator);
        }
        Ok(Self { dir, validators })
    }

    /// The directory the catalog was loaded from.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// How many events the catalog knows.
    pub fn len(&self) -> usize {
        self.validators.len()
    }

    /// Whether the catalog knows no event.
    pub fn is_empty(&self) -> bool {
        self.validators.is_empty()
    }

    /// Checks `detail` against the schema of `source`/`detail_type`.
    pub fn check(&self, source: &str, detail_type: &str, detail: &Value) -> Verdict {
        let Some(validator) = self.validators.get(&(source.to_owned(), detail_type.to_owned())) else {
            return Verdict::Unknown;
        };
        let violations: Vec<String> = validation::violations_of(validator, detail)
            .into_iter()
            .map(|violation| format!("{}: {}", violation.path, violation.message))
            .collect();
        if violations.is_empty() { Verdict::Valid } else { Verdict::Invalid(violations) }
    }

    /// Checks the `detail` of a whole EventBridge envelope; an envelope without `source`,
    /// `detail-type` or `detail` is [`Verdict::Unknown`].
    pub fn check_envelope(&self, envelope: &Value) -> Verdict {
        match (
            envelope.get("source").and_then(Value::as_str),
            envelope.get("detail-type").and_then(Value::as_str),
            envelope.get("detail"),
        ) {
            (Some(source), Some(detail_type), Some(detail)) => self.check(source, detail_type, detail),
            _ => Verdict::Unknown,
        }
    }
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, SchemaError> {
    let text = std::fs::read_to_string(path)
        .map_err(|error| SchemaError { path: path.to_owned(), message: error.to_string() })?;
    serde_json::from_str(&text)
        .map_err(|error| SchemaError { path: path.to_owned(), message: error.to_string() })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalog() -> SchemaCatalog {
        SchemaCatalog::load(SchemaCatalog::workspace_dir()).unwrap()
    }

    fn example(path: &str) -> Value {
        let schema: Value = read_json(&SchemaCatalog::workspace_dir().join(path)).unwrap();
        schema["examples"][0].clone()
    }

    #[test]
    fn every_schema_accepts_its_own_example() {
        let catalog = catalog();
        assert!(catalog.len() >= 10, "{} schemas", catalog.len());
        let sample = example("trading/TradeInventoryAllocated.json");
        assert_eq!(catalog.check("trading", "TradeInventoryAllocated", &sample), Verdict::Valid);
    }

    #[test]
    fn a_detail_breaking_its_schema_is_invalid_with_the_path() {
        let mut sample = example("trading/TradeInventoryAllocated.json");
        sample["tradeId"] = Value::String("not-a-uuid".to_owned());
        let Verdict::Invalid(violations) = catalog().check("trading", "TradeInventoryAllocated", &sample)
        else {
            panic!("expected invalid");
        };
        assert!(violations.iter().any(|v| v.starts_with("/tradeId")), "{violations:?}");
    }

    #[test]
    fn an_unknown_source_or_detail_type_is_unknown() {
        let catalog = catalog();
        assert_eq!(catalog.check("acme.unknown", "Nobody Knows", &serde_json::json!({})), Verdict::Unknown);
        assert_eq!(catalog.check("trading", "Nobody Knows", &serde_json::json!({})), Verdict::Unknown);
        assert_eq!(catalog.check_envelope(&serde_json::json!({"detail": {}})), Verdict::Unknown);
    }

    #[test]
    fn a_missing_catalog_names_the_file() {
        let error = SchemaCatalog::load("/nonexistent").err().unwrap();
        assert!(error.to_string().starts_with("/nonexistent/catalog.json"), "{error}");
    }
}
