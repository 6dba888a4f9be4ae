//! `cargo xtask infer`: a drop-in for `quicktype --lang schema|typescript|rust` over JSON.
//!
//! [`plan`] decides the types (a file is a type, a folder of folders is a module of types,
//! `--name` makes every input a sample of one type, no input is standard input);
//! [`inference`] reads and folds every sample on every core and infers each type; [`render`]
//! writes schema documents or one TypeScript or Rust module. Every input is read and inferred
//! before anything is written, and nothing is written if any fails.

pub mod inference;
pub mod plan;
pub mod render;

#[cfg(test)]
mod differential;

use std::fmt::{self, Write as _};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context as _, Result, bail};

use schema_infer::Hints;

pub use inference::{Inferences, NamedSchema, infer_all};
pub use plan::{TypeInput, plan};
pub use render::{OutputFile, emit_code, render};

/// How a quicktype user switches; shown by `cargo xtask infer --help`.
const FROM_QUICKTYPE: &str = "\
Coming from quicktype (26):
  quicktype -s json -l ts -o types.ts samples/     cargo xtask infer samples/ -o types.ts
  quicktype -l rust -t Event a.json b.json         cargo xtask infer -l rust -t Event a.json b.json
  quicktype -l schema < event.json                 cargo xtask infer < event.json
  quicktype -l ts webhooks/  (a folder of folders) cargo xtask infer webhooks/ -l ts
The same flags work: -o FILE (language from .ts, .rs or .json), -l/--lang (ts, rust, schema),
-t/--top-level NAME, -s json; a folder of folders is one module with a type per subfolder.
What differs: enums and maps only on evidence or a --hints file (never a surprise); integers
keep their range (u64 where no sample is negative); optional and nullable stay apart; names
that clash get their type's name as a prefix, never random words; every sample validates
against its schema; any nesting depth. Inference is documented in codegen/infer/src/.";

/// Infer JSON Schema (or types) from JSON samples.
#[derive(Debug, Clone, clap::Args)]
#[command(after_long_help = FROM_QUICKTYPE)]
pub struct InferArgs {
    /// Sample files, or directories: each `*.json` in a directory is one type, each
    /// subdirectory one type with its `*.json` files as samples. None, or `-`: standard input.
    #[arg(value_name = "FILES_OR_DIRS")]
    pub inputs: Vec<PathBuf>,
    /// Treat every input as a sample of one type with this name (quicktype's --top-level).
    #[arg(long, short = 't', visible_alias = "top-level", value_name = "NAME")]
    pub name: Option<String>,
    /// Hints file (JSON Pointer → "map" | "enum" | "string" | "any" | {"name": "T"}); only
    /// when the run infers exactly one type.
    #[arg(long, value_name = "FILE")]
    pub hints: Option<PathBuf>,
    /// Output language [default: from the extension of --out, else schema].
    #[arg(long, short = 'l', value_enum)]
    pub lang: Option<Lang>,
    /// Write to this file (`.ts`, `.rs` or `.json`, which also picks the language) or into
    /// this directory (one file per type) instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE_OR_DIR")]
    pub out: Option<PathBuf>,
    /// Source language, for quicktype's command lines: only `json`.
    #[arg(long = "src-lang", short = 's', value_name = "LANG")]
    pub src_lang: Option<String>,
    /// With `--lang rust`: write every type through typify instead of the printer that writes
    /// inferred types directly. The code is the same, byte for byte (tests and the corpus
    /// check prove it); this gets around a printer bug until it is fixed.
    #[arg(long)]
    pub via_typify: bool,
}

/// An output language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Lang {
    /// Draft-07 JSON Schema, one document per type.
    #[value(alias = "json-schema")]
    Schema,
    /// TypeScript declarations.
    #[value(alias = "ts")]
    Typescript,
    /// Rust types.
    #[value(alias = "rs")]
    Rust,
}

impl Lang {
    /// The language a file extension stands for.
    pub fn from_extension(path: &Path) -> Option<Lang> {
        match path.extension()?.to_str()? {
            "json" => Some(Lang::Schema),
            "ts" => Some(Lang::Typescript),
            "rs" => Some(Lang::Rust),
            _ => None,
        }
    }
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

/// Where the output goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    /// Standard output.
    Stdout,
    /// One file holding everything.
    File(PathBuf),
    /// A directory, one file per type (one for a module).
    Dir(PathBuf),
}

/// The language and destination `args` ask for: `-o` with a known extension is a file in
/// that language (as quicktype has it), any other `-o` a directory.
pub fn output_of(args: &InferArgs) -> Result<(Lang, Destination)> {
    let (from_extension, destination) = match &args.out {
        None => (None, Destination::Stdout),
        Some(path) if path.is_dir() => (None, Destination::Dir(path.clone())),
        Some(path) => match Lang::from_extension(path) {
            Some(lang) => (Some(lang), Destination::File(path.clone())),
            None => (None, Destination::Dir(path.clone())),
        },
    };
    let lang = match (args.lang, from_extension) {
        (Some(asked), Some(implied)) if asked != implied => bail!(
            "--lang {asked} but --out {} is a {implied} file; drop --lang or change the extension",
            args.out.as_deref().unwrap_or(Path::new("")).display()
        ),
        (asked, implied) => asked.or(implied).unwrap_or(Lang::Schema),
    };
    Ok((lang, destination))
}

/// Runs the subcommand: infers, prints warnings to stderr, and prints or writes the output.
pub fn run(args: &InferArgs) -> Result<ExitCode> {
    if let Some(source) = args.src_lang.as_deref().filter(|s| *s != "json") {
        bail!("--src-lang {source}: only JSON samples are read");
    }
    let (lang, destination) = output_of(args)?;
    if args.via_typify && lang != Lang::Rust {
        bail!("--via-typify applies to Rust output only; add --lang rust or write to a `.rs` file");
    }
    let types = plan(&args.inputs, args.name.as_deref())?;
    let hints = match &args.hints {
        Some(_) if types.len() != 1 => bail!(
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
    // Schema documents are written as each type is inferred; code needs every type at once.
    let inferred = match lang {
        Lang::Schema => inference::infer_all_then(&types, &hints, render::schema_file),
        Lang::Typescript | Lang::Rust => infer_all(&types, &hints).and_then(|(schemas, warnings)| {
            emit_code(lang, schemas, args.via_typify).map(|files| (files, warnings)).map_err(|e| vec![e])
        }),
    };
    let (files, warnings) = match inferred {
        Ok(result) => result,
        Err(errors) => {
            for error in &errors {
                eprintln!("error: {error:#}");
            }
            eprintln!("error: {} problem(s) in {} type(s); nothing written", errors.len(), types.len());
            return Ok(ExitCode::FAILURE);
        }
    };
    // One write: standard error is unbuffered, and a run can have hundreds of warnings.
    let mut lines = String::new();
    for (name, warning) in &warnings {
        let _ = writeln!(lines, "warning: {name}: {warning}");
    }
    eprint!("{lines}");
    match destination {
        Destination::Stdout => print!("{}", render::single_text(lang, &files)),
        Destination::File(path) => {
            if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
            }
            fs::write(&path, render::single_text(lang, &files).as_bytes())
                .with_context(|| format!("writing {}", path.display()))?;
            eprintln!("wrote {}", path.display());
        }
        Destination::Dir(dir) => {
            fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
            for file in &files {
                let path = dir.join(&file.file_name);
                fs::write(&path, &file.text).with_context(|| format!("writing {}", path.display()))?;
                eprintln!("wrote {}", path.display());
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;
    use serde_json::Value;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        infer: InferArgs,
    }

    fn args(line: &[&str]) -> InferArgs {
        Cli::try_parse_from(std::iter::once("infer").chain(line.iter().copied())).unwrap().infer
    }

    fn write(dir: &Path, path: &str, text: &str) {
        let path = dir.join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    #[test]
    fn quicktype_command_lines_parse_the_same() {
        let parsed = args(&["-s", "json", "-l", "ts", "-t", "Event", "-o", "out/types.ts", "a.json"]);
        assert_eq!(parsed.name.as_deref(), Some("Event"));
        assert_eq!(output_of(&parsed).unwrap(), (Lang::Typescript, Destination::File("out/types.ts".into())));
        assert_eq!(args(&["--top-level", "Event"]).name.as_deref(), Some("Event"));
        assert_eq!(args(&["--lang", "rs"]).lang, Some(Lang::Rust));
        assert_eq!(args(&["--lang", "json-schema"]).lang, Some(Lang::Schema));
    }

    #[test]
    fn the_output_file_extension_picks_the_language() {
        for (file, lang) in [("t.ts", Lang::Typescript), ("t.rs", Lang::Rust), ("t.json", Lang::Schema)] {
            assert_eq!(output_of(&args(&["-o", file])).unwrap(), (lang, Destination::File(file.into())));
        }
        assert_eq!(output_of(&args(&[])).unwrap(), (Lang::Schema, Destination::Stdout));
        assert_eq!(
            output_of(&args(&["-o", "outdir", "-l", "rust"])).unwrap().1,
            Destination::Dir("outdir".into())
        );
        let error = output_of(&args(&["-o", "t.ts", "--lang", "rust"])).unwrap_err().to_string();
        assert!(error.contains("--lang rust but --out t.ts is a typescript file"), "{error}");
    }

    #[test]
    fn help_shows_a_quicktype_user_how_to_switch() {
        let help = <Cli as clap::CommandFactory>::command().render_long_help().to_string();
        assert!(help.contains("Coming from quicktype"), "{help}");
        assert!(help.contains("cargo xtask infer samples/ -o types.ts"), "{help}");
    }

    #[test]
    fn out_file_holds_one_module_and_out_dir_one_file_per_type() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "in/a.json", "{\"x\": 1}");
        write(dir.path(), "in/b.json", "[1, 2]");
        let input = dir.path().join("in").display().to_string();
        let module = dir.path().join("gen/types.ts");
        assert_eq!(run(&args(&[&input, "-o", &module.display().to_string()])).unwrap(), ExitCode::SUCCESS);
        let text = fs::read_to_string(&module).unwrap();
        assert!(text.starts_with("// Generated by `cargo xtask infer`; do not edit.\n"), "{text}");
        assert!(
            text.contains("export interface A {") && text.contains("export type B = number[];"),
            "{text}"
        );

        let out = dir.path().join("out");
        assert_eq!(run(&args(&[&input, "--out", &out.display().to_string()])).unwrap(), ExitCode::SUCCESS);
        let written: Value = serde_json::from_str(&fs::read_to_string(out.join("A.json")).unwrap()).unwrap();
        assert_eq!(written["title"], "A");
        assert!(out.join("B.json").exists());

        write(dir.path(), "in2/c.json", "{\"x\": 1}");
        write(dir.path(), "in2/d.json", "{oops");
        let failing = dir.path().join("in2").display().to_string();
        assert_eq!(run(&args(&[&failing, "--out", &out.display().to_string()])).unwrap(), ExitCode::FAILURE);
        assert!(!out.join("C.json").exists(), "nothing is written when an input fails");
    }

    #[test]
    fn rust_through_typify_is_the_same_code_and_asked_for_rust_only() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "in/order.json", r#"{"id": 1, "note": null, "lines": [{"sku": "a", "qty": 2}]}"#);
        write(dir.path(), "in/other.json", r#"{"id": 2, "note": "x", "lines": [], "state": "open"}"#);
        let input = dir.path().join("in").display().to_string();
        let printed = dir.path().join("printed.rs").display().to_string();
        let typify = dir.path().join("typify.rs").display().to_string();
        assert_eq!(run(&args(&[&input, "-t", "Order", "-o", &printed])).unwrap(), ExitCode::SUCCESS);
        assert_eq!(
            run(&args(&[&input, "-t", "Order", "-o", &typify, "--via-typify"])).unwrap(),
            ExitCode::SUCCESS
        );
        let code = fs::read_to_string(&printed).unwrap();
        assert!(code.contains("pub struct Order {"), "{code}");
        assert_eq!(code, fs::read_to_string(&typify).unwrap());
        let error = run(&args(&[&input, "--via-typify"])).unwrap_err().to_string();
        assert!(error.contains("--via-typify applies to Rust output only"), "{error}");
    }

    #[test]
    fn a_source_language_other_than_json_is_refused() {
        let error = run(&args(&["-s", "schema", "a.json"])).unwrap_err().to_string();
        assert!(error.contains("only JSON samples"), "{error}");
    }
}
