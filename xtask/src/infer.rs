//! `cargo xtask infer`: a drop-in for `quicktype --lang schema|typescript|rust` over files.
//!
//! Inputs are read as quicktype reads them: a file is one type (named from its stem in
//! PascalCase); in a directory, each `*.json` file is one type and each subdirectory is one
//! type whose samples are the `*.json` files under it. With `--name`, every input file is a
//! sample of the one type `NAME`. Two inputs that would give the same type name are an error,
//! never merged. Every input is read and inferred before anything is written, and nothing is
//! written if any fails.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::{fmt, fs};

use anyhow::{Context as _, Result, bail};
use serde_json::Value;

use schema_emit::preamble::{Format, preamble};
use schema_emit::{Origin, SchemaItem, rust, typescript};
use schema_ident::pascal_case;
use schema_infer::{Hints, Inferrer, Warning};

/// Infer JSON Schema (or types) from JSON samples.
#[derive(Debug, Clone, clap::Args)]
pub struct InferArgs {
    /// Sample files, or directories: each `*.json` in a directory is one type, each
    /// subdirectory one type with its `*.json` files as samples.
    #[arg(required = true, value_name = "FILES_OR_DIRS")]
    pub inputs: Vec<PathBuf>,
    /// Treat every input file as a sample of one type with this name.
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// Hints file (JSON Pointer → "map" | "enum" | "string" | "any" | {"name": "T"}); only
    /// when the run infers exactly one type.
    #[arg(long, value_name = "FILE")]
    pub hints: Option<PathBuf>,
    /// Output language.
    #[arg(long, value_enum, default_value_t = Lang::Schema)]
    pub lang: Lang,
    /// Write one file per type into this directory instead of printing.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// An output language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Lang {
    /// Draft-07 JSON Schema, one document per type.
    Schema,
    /// TypeScript declarations.
    Typescript,
    /// Rust types.
    Rust,
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Lang::Schema => "schema",
            Lang::Typescript => "typescript",
            Lang::Rust => "rust",
        })
    }
}

/// One top-level type to infer: its name and its sample files, in sorted order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeInput {
    /// PascalCase type name.
    pub name: String,
    /// Sample files.
    pub files: Vec<PathBuf>,
}

/// An inferred top-level type.
#[derive(Debug, Clone, PartialEq)]
pub struct NamedSchema {
    /// The type's name (also the schema's `title`).
    pub name: String,
    /// Its schema.
    pub schema: Value,
}

/// One output file: its name (no directory) and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// File name, e.g. `ScheduledEvent.json`.
    pub file_name: String,
    /// Contents.
    pub text: String,
}

/// Runs the subcommand: infers, prints warnings to stderr, and prints or writes the output.
pub fn run(args: &InferArgs) -> Result<ExitCode> {
    let types = plan(&args.inputs, args.name.as_deref())?;
    let hints = match &args.hints {
        Some(path) if types.len() != 1 => bail!(
            "--hints applies to one type, but this run infers {} ({}); pass --name or a single input",
            types.len(),
            types.iter().map(|t| t.name.as_str()).collect::<Vec<_>>().join(", ")
        ),
        Some(path) => {
            let text = fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
            Hints::parse(&text, &path.display().to_string())?
        }
        None => Hints::default(),
    };
    let (schemas, warnings) = match infer_all(&types, &hints) {
        Ok(result) => result,
        Err(errors) => {
            for error in &errors {
                eprintln!("error: {error:#}");
            }
            eprintln!("error: {} of {} types failed; nothing written", errors.len(), types.len());
            return Ok(ExitCode::FAILURE);
        }
    };
    for (name, warning) in &warnings {
        eprintln!("warning: {name}: {warning}");
    }
    let files = render(args.lang, &schemas)?;
    match &args.out {
        Some(dir) => {
            fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
            for file in &files {
                let path = dir.join(&file.file_name);
                fs::write(&path, &file.text).with_context(|| format!("writing {}", path.display()))?;
                eprintln!("wrote {}", path.display());
            }
        }
        None => print!("{}", stdout_text(args.lang, &schemas, &files)),
    }
    Ok(ExitCode::SUCCESS)
}

/// The top-level types `inputs` describe (see the module docs), sorted by name.
pub fn plan(inputs: &[PathBuf], name: Option<&str>) -> Result<Vec<TypeInput>> {
    if let Some(name) = name {
        let mut files = Vec::new();
        for input in inputs {
            if input.is_dir() {
                files.extend(json_files_under(input)?);
            } else {
                files.push(input.clone());
            }
        }
        if files.is_empty() {
            bail!("no *.json files in {}", display_list(inputs));
        }
        return Ok(vec![TypeInput { name: pascal_case(name), files }]);
    }
    let mut types: Vec<(TypeInput, PathBuf)> = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let mut found = 0;
            for entry in sorted_entries(input)? {
                if entry.is_dir() {
                    let files = json_files_under(&entry)?;
                    if !files.is_empty() {
                        types.push((TypeInput { name: type_name(&entry), files }, entry));
                        found += 1;
                    }
                } else if is_json(&entry) {
                    types.push((TypeInput { name: type_name(&entry), files: vec![entry.clone()] }, entry));
                    found += 1;
                }
            }
            if found == 0 {
                bail!("no *.json files or subdirectories with them in {}", input.display());
            }
        } else if input.exists() {
            types.push((TypeInput { name: type_name(input), files: vec![input.clone()] }, input.clone()));
        } else {
            bail!("{}: no such file or directory", input.display());
        }
    }
    types.sort_by(|a, b| a.0.name.cmp(&b.0.name));
    for pair in types.windows(2) {
        if pair[0].0.name == pair[1].0.name {
            bail!(
                "{} and {} would both be the type {}; distinct types are never merged: rename one, \
                 or pass --name to make all inputs samples of one type",
                pair[0].1.display(),
                pair[1].1.display(),
                pair[0].0.name
            );
        }
    }
    Ok(types.into_iter().map(|(t, _)| t).collect())
}

/// Every type's schema, and each warning with the name of its type.
pub type Inferences = (Vec<NamedSchema>, Vec<(String, Warning)>);

/// Infers every type; on failure, every error of every type (nothing is partial).
pub fn infer_all(types: &[TypeInput], hints: &Hints) -> std::result::Result<Inferences, Vec<anyhow::Error>> {
    let mut schemas = Vec::new();
    let mut warnings = Vec::new();
    let mut errors = Vec::new();
    for input in types {
        match infer_type(input, hints) {
            Ok((schema, type_warnings)) => {
                warnings.extend(type_warnings.into_iter().map(|w| (input.name.clone(), w)));
                schemas.push(NamedSchema { name: input.name.clone(), schema });
            }
            Err(error) => errors.push(error),
        }
    }
    if errors.is_empty() { Ok((schemas, warnings)) } else { Err(errors) }
}

fn infer_type(input: &TypeInput, hints: &Hints) -> Result<(Value, Vec<Warning>)> {
    let mut inferrer = Inferrer::new(&input.name, hints.clone());
    for file in &input.files {
        let bytes = fs::read(file).with_context(|| format!("reading {}", file.display()))?;
        inferrer.add_json_bytes(&file.display().to_string(), &bytes)?;
    }
    let inferred = inferrer.finish().with_context(|| format!("inferring {}", input.name))?;
    Ok((inferred.schema, inferred.warnings))
}

/// The output files for `lang`.
pub fn render(lang: Lang, schemas: &[NamedSchema]) -> Result<Vec<OutputFile>> {
    match lang {
        Lang::Schema => Ok(schemas
            .iter()
            .map(|s| OutputFile {
                file_name: format!("{}.json", s.name),
                text: crate::json::to_canonical_string(&s.schema),
            })
            .collect()),
        other => emit_code(other, schemas),
    }
}

/// TypeScript or Rust output (`lang` is one of them), through the same emitters as the
/// contracts.
///
/// All types go into one module (`<Name>.ts` or `<Name>.rs` for one type, `types.ts` or
/// `types.rs` for several), so shapes they share are declared once. A definition name that
/// two types use for different shapes is prefixed with its type's name in both (`Detail`
/// becomes `ScheduledEventDetail`), so nothing clashes and nothing is silently merged.
pub fn emit_code(lang: Lang, schemas: &[NamedSchema]) -> Result<Vec<OutputFile>> {
    if schemas.is_empty() {
        bail!("no types to emit");
    }
    let items: Vec<SchemaItem> = schemas
        .iter()
        .map(|s| SchemaItem {
            name: s.name.clone(),
            schema: s.schema.clone(),
            origin: Origin::Inferred,
            label: s.name.clone(),
        })
        .collect();
    let stem = match schemas {
        [one] => one.name.clone(),
        _ => "types".to_owned(),
    };
    let namespace = schema_emit::namespace(&stem, &items).map_err(diagnostics)?;
    let header = preamble("cargo xtask infer", Format::Slashes);
    let (extension, text) = match lang {
        Lang::Typescript => ("ts", typescript::emit_module(&namespace, &header)),
        Lang::Rust => ("rs", rust::emit_module(&namespace, &header).map_err(diagnostics)?.code),
        Lang::Schema => bail!("JSON Schema is not code; see `render`"),
    };
    Ok(vec![OutputFile { file_name: format!("{stem}.{extension}"), text }])
}

fn diagnostics(found: Vec<schema_emit::Diagnostic>) -> anyhow::Error {
    anyhow::anyhow!(found.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))
}

/// What is printed without `--out`: the one schema, or for several types one JSON object
/// mapping each type name to its schema; other languages' files one after another.
fn stdout_text(lang: Lang, schemas: &[NamedSchema], files: &[OutputFile]) -> String {
    match (lang, schemas) {
        (Lang::Schema, [_]) | (_, []) => files.iter().map(|f| f.text.as_str()).collect(),
        (Lang::Schema, _) => crate::json::to_canonical_string(&Value::Object(
            schemas.iter().map(|s| (s.name.clone(), s.schema.clone())).collect(),
        )),
        _ => files.iter().map(|f| f.text.as_str()).collect::<Vec<_>>().join("\n"),
    }
}

fn type_name(path: &Path) -> String {
    let stem = if path.is_dir() { path.file_name() } else { path.file_stem() };
    pascal_case(&stem.map(|s| s.to_string_lossy().into_owned()).unwrap_or_default())
}

fn is_json(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "json")
}

/// The entries directly in `dir`, sorted.
fn sorted_entries(dir: &Path) -> Result<Vec<PathBuf>> {
    let entries = crate::workspace::walk(dir, 1).map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(entries.into_iter().map(walkdir::DirEntry::into_path).collect())
}

/// Every `*.json` file under `dir`, recursively, sorted by path.
fn json_files_under(dir: &Path) -> Result<Vec<PathBuf>> {
    crate::workspace::files_with_extension(dir, "json", usize::MAX).map_err(|e| anyhow::anyhow!("{e}"))
}

fn display_list(paths: &[PathBuf]) -> String {
    paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, path: &str, text: &str) {
        let path = dir.join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    #[test]
    fn a_directory_gives_one_type_per_file_and_per_subdirectory() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "scheduled-event.json", "{}");
        write(dir.path(), "readme.md", "not json");
        write(dir.path(), "order_placed/a.json", "{}");
        write(dir.path(), "order_placed/b.json", "{}");
        let types = plan(&[dir.path().to_path_buf()], None).unwrap();
        let summary: Vec<_> = types.iter().map(|t| (t.name.as_str(), t.files.len())).collect();
        assert_eq!(summary, [("OrderPlaced", 2), ("ScheduledEvent", 1)]);
    }

    #[test]
    fn name_makes_every_file_a_sample_of_one_type() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "a.json", "{}");
        write(dir.path(), "sub/b.json", "{}");
        let types = plan(&[dir.path().to_path_buf()], Some("my event")).unwrap();
        assert_eq!(types.len(), 1);
        assert_eq!(types[0].name, "MyEvent");
        assert_eq!(types[0].files.len(), 2);
    }

    #[test]
    fn two_inputs_with_one_type_name_are_an_error_not_a_merge() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "x/event.json", "{}");
        write(dir.path(), "y/event.json", "{}");
        let error =
            plan(&[dir.path().join("x/event.json"), dir.path().join("y/event.json")], None).unwrap_err();
        assert!(error.to_string().contains("would both be the type Event"), "{error}");
    }

    #[test]
    fn invalid_json_fails_the_whole_run_naming_file_line_and_column() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "good.json", "{\"a\": 1}");
        write(dir.path(), "bad.json", "{\n  \"a\": 1,\n}");
        let types = plan(&[dir.path().to_path_buf()], None).unwrap();
        let errors = infer_all(&types, &Hints::default()).unwrap_err();
        assert_eq!(errors.len(), 1);
        let message = format!("{:#}", errors[0]);
        assert!(message.contains("bad.json:3:1: invalid JSON: trailing comma"), "{message}");
    }

    #[test]
    fn out_writes_one_file_per_type_and_nothing_on_failure() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "in/a.json", "{\"x\": 1}");
        write(dir.path(), "in/b.json", "[1, 2]");
        let out = dir.path().join("out");
        let args = |inputs: Vec<PathBuf>| InferArgs {
            inputs,
            name: None,
            hints: None,
            lang: Lang::Schema,
            out: Some(out.clone()),
        };
        assert_eq!(run(&args(vec![dir.path().join("in")])).unwrap(), ExitCode::SUCCESS);
        let written: Value = serde_json::from_str(&fs::read_to_string(out.join("A.json")).unwrap()).unwrap();
        assert_eq!(written["title"], "A");
        assert!(out.join("B.json").exists());

        write(dir.path(), "in2/c.json", "{\"x\": 1}");
        write(dir.path(), "in2/d.json", "{oops");
        assert_eq!(run(&args(vec![dir.path().join("in2")])).unwrap(), ExitCode::FAILURE);
        assert!(!out.join("C.json").exists());
    }

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
        assert!(files[0].text.contains("export interface CreatedDetail {"), "{}", files[0].text);
        assert!(files[0].text.contains("export interface DeletedDetail {"), "{}", files[0].text);
    }

    #[test]
    fn rust_for_one_type_is_named_after_it() {
        let files = render(Lang::Rust, &[named("Created", "a")]).unwrap();
        assert_eq!(files[0].file_name, "Created.rs");
        assert!(files[0].text.contains("pub struct Created {"), "{}", files[0].text);
    }

    #[test]
    fn no_types_is_an_error_not_a_panic() {
        assert!(render(Lang::Typescript, &[]).is_err());
    }
}
