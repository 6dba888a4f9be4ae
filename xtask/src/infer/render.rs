//! The output of a run: schema documents, or one TypeScript or Rust module of every type.

use std::borrow::Cow;

use anyhow::{Result, bail};
use serde_json::Value;

use schema_emit::{Format, preamble};
use schema_emit::{Origin, SchemaItem, rust, typescript};

use super::Lang;
use super::inference::NamedSchema;

/// The command every output names as its maker.
pub const TOOL: &str = "cargo xtask infer";

/// One output file: its name (no directory) and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// File name, e.g. `ScheduledEvent.json`.
    pub file_name: String,
    /// Contents.
    pub text: String,
}

/// The output files for `lang`: a schema document per type, or one module of all types.
pub fn render(lang: Lang, schemas: &[NamedSchema]) -> Result<Vec<OutputFile>> {
    match lang {
        Lang::Schema => Ok(schemas.iter().cloned().map(schema_file).collect()),
        other => emit_code(other, schemas.to_vec(), false),
    }
}

/// A schema as a published document: with a `$comment` naming the command that made it.
#[cfg(test)]
fn document(schema: &Value) -> Value {
    let mut document = schema.clone();
    if let Some(object) = document.as_object_mut() {
        object.insert("$comment".into(), preamble(TOOL, Format::Plain).into());
    }
    document
}

/// The published document of one type, as text (what [`render`] makes of it for `Lang::Schema`),
/// consuming the schema so it need not be kept.
pub fn schema_file(schema: NamedSchema) -> OutputFile {
    let mut document = schema.schema;
    if let Some(object) = document.as_object_mut() {
        object.insert("$comment".into(), preamble(TOOL, Format::Plain).into());
    }
    OutputFile { file_name: format!("{}.json", schema.name), text: canonical_text(&document) }
}

/// Canonical JSON text (keys sorted), without copying the value when `serde_json`'s maps
/// already keep keys sorted (unless some dependency turned on `preserve_order`).
fn canonical_text(value: &Value) -> String {
    let sorted_maps = {
        let probe: serde_json::Map<String, Value> =
            [("b".to_owned(), Value::Null), ("a".to_owned(), Value::Null)].into_iter().collect();
        probe.keys().next().is_some_and(|k| k == "a")
    };
    if !sorted_maps {
        return crate::json::to_canonical_string(value);
    }
    let mut text = serde_json::to_string_pretty(value).expect("a JSON value serialises");
    text.push('\n');
    text
}

/// TypeScript or Rust output (`lang` is one of them), through the same emitters as the
/// contracts.
///
/// All types go into one module (`<Name>.ts` or `<Name>.rs` for one type, `types.ts` or
/// `types.rs` for several), so shapes they share are declared once; names that clash get
/// their type's name as a prefix (see [`schema_emit::namespace`]). `via_typify` writes Rust
/// through typify alone (see `--via-typify`).
pub fn emit_code(lang: Lang, schemas: Vec<NamedSchema>, via_typify: bool) -> Result<Vec<OutputFile>> {
    if schemas.is_empty() {
        bail!("no types to emit");
    }
    let stem = match schemas.as_slice() {
        [one] => one.name.clone(),
        _ => "types".to_owned(),
    };
    // The schemas move into the namespace: each is held once.
    let items: Vec<SchemaItem> = schemas
        .into_iter()
        .map(|s| SchemaItem {
            label: s.name.clone(),
            name: s.name,
            schema: s.schema,
            origin: Origin::Inferred,
        })
        .collect();
    let namespace = schema_emit::namespace_of(&stem, items).map_err(diagnostics)?;
    let header = preamble(TOOL, Format::Slashes);
    let (extension, text) = match lang {
        Lang::Typescript => ("ts", typescript::emit_module(&namespace, &header)),
        Lang::Rust if via_typify => {
            ("rs", rust::emit_module_via_typify(&namespace, &header).map_err(diagnostics)?.code)
        }
        Lang::Rust => ("rs", rust::emit_module_owned(namespace, &header).map_err(diagnostics)?.code),
        Lang::Schema => bail!("JSON Schema is not code; see `render`"),
    };
    Ok(vec![OutputFile { file_name: format!("{stem}.{extension}"), text }])
}

fn diagnostics(found: Vec<schema_emit::Diagnostic>) -> anyhow::Error {
    anyhow::anyhow!(found.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))
}

/// The output as one text (for standard output or a single `-o` file): the one schema, or for
/// several types one JSON object mapping each type name to its document (written from the
/// documents' texts, so no second copy of every schema is built); code as it is.
pub fn single_text(lang: Lang, files: &[OutputFile]) -> Cow<'_, str> {
    match (lang, files) {
        // One file is written as it is: a copy would add its size to the peak memory.
        (_, [one]) => Cow::Borrowed(&one.text),
        (_, []) => Cow::Borrowed(""),
        (Lang::Schema, _) => {
            let mut text = String::from("{\n");
            for (index, file) in files.iter().enumerate() {
                let name = file.file_name.strip_suffix(".json").unwrap_or(&file.file_name);
                let key = serde_json::to_string(name).unwrap_or_default();
                text.push_str(&format!("  {key}: "));
                for (line_number, line) in file.text.trim_end().lines().enumerate() {
                    if line_number > 0 {
                        text.push_str("\n  ");
                    }
                    text.push_str(line);
                }
                text.push_str(if index + 1 < files.len() { ",\n" } else { "\n" });
            }
            text.push_str("}\n");
            Cow::Owned(text)
        }
        _ => Cow::Owned(files.iter().map(|f| f.text.as_str()).collect::<Vec<_>>().join("\n")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use schema_infer::{Hints, Inferrer};

    fn named(name: &str, detail_field: &str) -> NamedSchema {
        let mut inferrer = Inferrer::new(name, Hints::default());
        inferrer.add_json_text("t.json", &format!(r#"{{"detail": {{"{detail_field}": "x"}}}}"#)).unwrap();
        NamedSchema { name: name.into(), schema: inferrer.finish().unwrap().schema }
    }

    #[test]
    fn typescript_for_several_types_is_one_module_with_clashing_names_prefixed() {
        let files = render(Lang::Typescript, &[named("Created", "a"), named("Deleted", "b")]).unwrap();
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].file_name, "types.ts");
        assert!(files[0].text.starts_with("// Generated by `cargo xtask infer`; do not edit.\n"));
        assert!(files[0].text.contains("export interface CreatedDetail {"), "{}", files[0].text);
        assert!(files[0].text.contains("export interface DeletedDetail {"), "{}", files[0].text);
    }

    #[test]
    fn rust_for_one_type_is_named_after_it() {
        let files = render(Lang::Rust, &[named("Created", "a")]).unwrap();
        assert_eq!(files[0].file_name, "Created.rs");
        assert!(files[0].text.starts_with("// Generated by `cargo xtask infer`; do not edit.\n"));
        assert!(files[0].text.contains("pub struct Created {"), "{}", files[0].text);
    }

    #[test]
    fn schema_documents_name_the_command_that_made_them() {
        let files = render(Lang::Schema, &[named("Created", "a")]).unwrap();
        assert!(files[0].text.contains("\"$comment\": \"Generated by `cargo xtask infer`; do not edit.\""));
    }

    #[test]
    fn several_schemas_are_one_canonical_object_by_type_name() {
        let schemas = [named("Created", "a"), named("Deleted", "b")];
        let files = render(Lang::Schema, &schemas).unwrap();
        let expected = crate::json::to_canonical_string(&Value::Object(
            schemas.iter().map(|s| (s.name.clone(), document(&s.schema))).collect(),
        ));
        assert_eq!(single_text(Lang::Schema, &files), expected);
    }

    #[test]
    fn no_types_is_an_error_not_a_panic() {
        assert!(render(Lang::Typescript, &[]).is_err());
    }
}
