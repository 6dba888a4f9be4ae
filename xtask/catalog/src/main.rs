//! `xtask-catalog --out DIR`: what `cargo xtask catalog` runs (see `lib.rs`).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

/// Build the event catalog: static HTML pages for every event, with search.
#[derive(Debug, Parser)]
#[command(name = "cargo xtask catalog")]
struct Args {
    /// Workspace root whose schemas/ are read (default: the workspace this binary was built in).
    #[arg(long, value_name = "DIR")]
    root: Option<PathBuf>,
    /// Folder to write the site into.
    #[arg(long, value_name = "DIR", default_value = "target/catalog")]
    out: PathBuf,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let root = args.root.unwrap_or_else(xtask::workspace::root);
    let started = std::time::Instant::now();
    match xtask_catalog::build(&root, &args.out) {
        Ok(summary) => {
            println!(
                "catalog: {} events in {:.0} ms; open {}",
                summary.events,
                started.elapsed().as_secs_f64() * 1e3,
                summary.index.display()
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
