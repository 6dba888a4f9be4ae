//! Headless Chromium, Debian's package, for the catalog's browser test.
//!
//! Chromium itself is the driver: `--dump-dom` prints the DOM after the page's scripts ran,
//! and `--screenshot` renders the page to a PNG. No WebDriver client, so no async HTTP
//! stack is compiled for one test. Every run gets a fresh profile directory and the flags
//! that keep a headless browser from reaching the network on its own.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context as _, Result, bail};

use crate::cmd::{Cmd, is_root};

/// The Debian packages `cargo xtask ci` installs when Chromium is missing.
pub const PACKAGES: &[&str] = &["chromium"];

/// How long one browser run may take before it is killed.
const TIMEOUT: Duration = Duration::from_secs(90);

/// The Chromium executable: `$CHROMIUM`, else the first of the usual names on the PATH.
pub fn chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("CHROMIUM") {
        return Some(PathBuf::from(path));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| ["chromium", "chromium-browser", "google-chrome"].map(|name| dir.join(name)))
        .find(|candidate| candidate.is_file())
}

/// Installs Chromium with apt when it is missing (CI runs as root on a fresh machine);
/// elsewhere says how.
pub fn ensure_installed() -> Result<()> {
    if chromium().is_some() {
        return Ok(());
    }
    if !is_root() {
        bail!(
            "headless Chromium is needed for the catalog's browser test: run `sudo apt-get install -y {}` (or set \
             CHROMIUM to a Chromium executable)",
            PACKAGES.join(" ")
        );
    }
    println!("ci: chromium: apt-get install -y {}", PACKAGES.join(" "));
    Cmd::new("apt-get").args(["update", "-qq"]).run()?;
    Cmd::new("apt-get")
        .args(["install", "-y", "-qq", "--no-install-recommends"])
        .args(PACKAGES)
        .env("DEBIAN_FRONTEND", "noninteractive")
        .run()?;
    if chromium().is_none() {
        bail!("`apt-get install {}` installed no Chromium executable on the PATH", PACKAGES.join(" "));
    }
    Ok(())
}

/// A headless run of Chromium on `url` with `extra` flags; returns its standard output.
fn run(url: &str, extra: &[String]) -> Result<String> {
    let executable = chromium().with_context(|| {
        format!(
            "Chromium is not installed: `apt-get install -y {}` (cargo xtask ci does it)",
            PACKAGES.join(" ")
        )
    })?;
    // A fresh, empty profile for every run, removed when it ends.
    let profile = tempfile::Builder::new()
        .prefix("xtask-chromium-")
        .tempdir()
        .context("could not create a Chromium profile directory")?;
    let output = Cmd::new(&executable)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(extra)
        .arg(url)
        .timeout(TIMEOUT)
        .read()
        .with_context(|| format!("Chromium failed on {url}"))?;
    Ok(output)
}

/// The DOM of `url` after its scripts ran, as HTML.
pub fn dump_dom(url: &str) -> Result<String> {
    run(url, &["--dump-dom".to_owned()])
}

/// Renders `url` at `width` x `height` pixels into the PNG file `out`.
pub fn screenshot(url: &str, out: &Path, (width, height): (u32, u32)) -> Result<()> {
    if let Some(dir) = out.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let _ = std::fs::remove_file(out);
    run(url, &[format!("--screenshot={}", out.display()), format!("--window-size={width},{height}")])?;
    if !out.is_file() {
        bail!("Chromium wrote no screenshot at {}", out.display());
    }
    Ok(())
}

/// `file://` URL of a local file.
pub fn file_url(path: &Path) -> String {
    let absolute = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let text = absolute
        .to_string_lossy()
        .replace('%', "%25")
        .replace(' ', "%20")
        .replace('#', "%23")
        .replace('?', "%3F");
    format!("file://{text}")
}
