//! `cargo xtask`: the project's commands. The parts are in the `xtask` library; this binary
//! parses arguments and links every contract crate.

use std::ffi::{OsStr, OsString};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Parser, Subcommand};
use xtask::cmd::Cmd;
use xtask::workspace;

// Links every contract crate, so the registry sees every event.
use contracts_all as _;

/// typify, syn and prettyplease allocate per token: with mimalloc, emitting 1,000 events takes
/// about a quarter less time than with glibc's malloc (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The event contracts' generator and checks.
#[derive(Debug, Parser)]
#[command(name = "cargo xtask", bin_name = "cargo xtask", version, about)]
struct Cli {
    /// Workspace root whose files are read and written (default: the workspace this binary
    /// was built in). Registered events are compiled in; sample-only events, generated files
    /// and tools are taken from here.
    #[arg(long, global = true, value_name = "DIR")]
    root: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Generate schemas/, the catalog, sample snapshots, the Rust crate and the TypeScript
    /// package from every event.
    ///
    /// Builds each event's samples, derives its schema, checks the samples cover every field
    /// and validate against the schema, then writes every file (and deletes orphans), or
    /// nothing at all if any event fails. Each event's TypeScript validator is compiled by
    /// ajv in Node (one `node` process, only for events not in target/xtask-cache), so Node.js
    /// 20 with npm must be on the PATH; it runs `npm ci` in generated/typescript when needed.
    Schemas(xtask::schemas::SchemasArgs),
    /// Run every check CI runs: npm ci, formatting, clippy, all tests, `schemas --check`, tsc.
    Ci {
        /// Also prove inference and both emitters on every JSON file under DIR (see `corpus`).
        #[arg(long, value_name = "DIR")]
        corpus: Option<PathBuf>,
    },
    /// Prove inference and both emitters on every JSON file under DIR.
    ///
    /// Infers a schema per file; both validators (jsonschema, ajv) must accept the file, its
    /// TypeScript must pass tsc --strict with the file assigned to it, and its Rust must
    /// compile and round-trip the file. Prints a table; exits 1 on any failure.
    Corpus {
        /// Folder of JSON files, searched recursively.
        dir: PathBuf,
        /// Check everything again: read no verdict kept under target/corpus-cache.
        #[arg(long)]
        fresh: bool,
    },
    /// Stream events from an EventBridge bus, validating each against its schema.
    ///
    /// Runs `event-tail` from the AWS adapters crate (built on first use, so the generator
    /// never compiles the AWS SDK); everything after `tail` goes to it: see
    /// `cargo xtask tail --help`.
    #[command(disable_help_flag = true)]
    Tail {
        /// Arguments for event-tail, e.g. `--bus platform --json`.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Infer JSON Schema (or types) from JSON samples, like `quicktype --lang schema`.
    ///
    /// Each file is one type; in a directory each `*.json` is one type and each subdirectory
    /// one type with its files as samples. Nothing is written if any input fails.
    Infer(xtask::infer::InferArgs),
    /// Check every event schema change for what it breaks: the compatibility gate.
    ///
    /// Compares the working tree's schemas/ with a base revision (default: the merge-base
    /// with main) or, with --transitive, with every committed version in git history; or
    /// two files with --old and --new. Breaking changes fail unless acknowledged in
    /// schemas/compat-acknowledged.toml. Exits 0 compatible, 1 incompatible, 2 on error.
    Compat(xtask::compat::CompatArgs),
    /// Version the generated packages from the gate's verdicts, and write their changelog.
    ///
    /// Compares the working tree's event schemas with those of the last version (the commit
    /// that last changed generated/packages.toml, as of the merge-base with main): a breaking
    /// change (acknowledged or not) or a removed event is a major bump, an added event or a
    /// compatible change a minor one, descriptions and samples a patch. Writes the version into
    /// generated/packages.toml, the crate's Cargo.toml, Cargo.lock, package.json and
    /// package-lock.json, and the version's entry into generated/CHANGELOG.md. With --check,
    /// writes nothing and exits 1 when a package's version is behind.
    Version(xtask::version::VersionArgs),
    /// Build the event catalog: static HTML pages for every event, with search.
    ///
    /// Reads schemas/ (run `cargo xtask schemas` first), the consumer declarations in
    /// schemas/consumers/ (a problem in one is an error) and git history; writes index.html
    /// (with a picture of modules, events and consumers), events/<source>.<Name>.html,
    /// style.css and search.js into DIR (its events/ folder is replaced). Open DIR/index.html
    /// in a browser.
    Catalog {
        /// Folder to write the site into.
        #[arg(long, value_name = "DIR", default_value = "target/catalog")]
        out: PathBuf,
    },
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// `cargo run --quiet TARGET -- ARGS` in the workspace this binary was built in (where the
/// package is, whatever `--root` says), with its exit status.
fn cargo_run(target: &[&str], args: &[impl AsRef<OsStr>]) -> Result<ExitCode> {
    let status = Cmd::new("cargo")
        .args(["run", "--quiet"])
        .args(target)
        .arg("--")
        .args(args)
        .dir(workspace::root())
        .status()?;
    Ok(if status.success() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

fn run(cli: Cli) -> Result<ExitCode> {
    let root = cli.root.unwrap_or_else(workspace::root);
    match cli.command {
        Command::Schemas(args) => return xtask::schemas::run(&root, &args),
        Command::Ci { corpus } => xtask::ci::run(&root, corpus.as_deref())?,
        Command::Corpus { dir, fresh } => xtask::corpus::check_with(&root, &dir, !fresh)?,
        Command::Tail { args } => {
            return cargo_run(&["--package", "event-runtime-aws", "--bin", "event-tail"], &args);
        }
        Command::Infer(args) => return xtask::infer::run(&args),
        Command::Compat(args) => return Ok(xtask::compat::run(&root, &args)),
        Command::Version(args) => return xtask::version::run(&root, &args),
        Command::Catalog { out } => {
            // A binary of its own (package `xtask-catalog`), built on first use, so the main
            // job's build never compiles the pages and their templates.
            let out = std::env::current_dir()?.join(out);
            let args = [OsString::from("--root"), root.into(), "--out".into(), out.into()];
            return cargo_run(&["--package", "xtask-catalog"], &args);
        }
    }
    Ok(ExitCode::SUCCESS)
}
