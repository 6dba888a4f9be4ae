//! Headless Chromium, Debian's package, for the catalog's browser test.
//!
//! Chromium itself is the driver: `--dump-dom` prints the DOM after the page's scripts ran,
//! and `--screenshot` renders the page to a PNG. No WebDriver client, so no async HTTP
//! stack is compiled for one test. Every run gets a fresh profile directory and the flags
//! that keep a headless browser from reaching the network on its own.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, bail};

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
    let root = Command::new("id").arg("-u").output().map(|o| o.stdout == b"0\n").unwrap_or(false);
    if !root {
        bail!(
            "headless Chromium is needed for the catalog's browser test: run `sudo apt-get install -y {}` (or set \
             CHROMIUM to a Chromium executable)",
            PACKAGES.join(" ")
        );
    }
    println!("ci: chromium: apt-get install -y {}", PACKAGES.join(" "));
    let update = Command::new("apt-get").args(["update", "-qq"]).status().context("could not run apt-get")?;
    if !update.success() {
        bail!("`apt-get update` failed ({update})");
    }
    let status = Command::new("apt-get")
        .args(["install", "-y", "-qq", "--no-install-recommends"])
        .args(PACKAGES)
        .env("DEBIAN_FRONTEND", "noninteractive")
        .status()
        .context("could not run apt-get")?;
    if !status.success() || chromium().is_none() {
        bail!("`apt-get install {}` failed ({status})", PACKAGES.join(" "));
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
    let profile = tempfile_dir()?;
    let mut child = Command::new(&executable)
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
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(url)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("could not start {}", executable.display()))?;
    let (stdout, stderr) = (child.stdout.take().expect("piped"), child.stderr.take().expect("piped"));
    // Both pipes are drained while the browser runs, so neither can fill and stall it.
    let reader = std::thread::spawn(move || std::io::read_to_string(stdout));
    let errors = std::thread::spawn(move || std::io::read_to_string(stderr).unwrap_or_default());
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if started.elapsed() > TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            let _ = std::fs::remove_dir_all(&profile);
            bail!("Chromium did not finish within {} s on {url}", TIMEOUT.as_secs());
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let output = reader.join().map_err(|_| anyhow::anyhow!("reading Chromium's output panicked"))??;
    let stderr = errors.join().unwrap_or_default();
    let _ = std::fs::remove_dir_all(&profile);
    if !status.success() {
        bail!("Chromium failed on {url} ({status}): {}", stderr.trim());
    }
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

/// A fresh, empty profile directory for one run.
fn tempfile_dir() -> Result<PathBuf> {
    let base = std::env::temp_dir();
    for attempt in 0..1000u32 {
        let dir = base.join(format!("xtask-chromium-{}-{attempt}", std::process::id()));
        if std::fs::create_dir(&dir).is_ok() {
            return Ok(dir);
        }
    }
    bail!("could not create a Chromium profile directory under {}", base.display())
}
