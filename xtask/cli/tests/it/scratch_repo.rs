//! A scratch git repository on `main` for the commands that read history (`compat`,
//! `version`): real commits, real `git`, the real binary.

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;
use xtask::cmd::Cmd;

/// A temporary repository with a `main` branch and a committer.
pub struct ScratchRepo {
    dir: tempfile::TempDir,
}

impl ScratchRepo {
    pub fn new() -> ScratchRepo {
        let repo = ScratchRepo { dir: tempfile::tempdir().unwrap() };
        repo.git(&["init", "--quiet", "--initial-branch=main"]);
        repo.git(&["config", "user.email", "scratch@example.com"]);
        repo.git(&["config", "user.name", "Scratch Test"]);
        repo.git(&["config", "commit.gpgsign", "false"]);
        repo
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn git(&self, args: &[&str]) -> String {
        Cmd::new("git").args(args).dir(self.path()).read().unwrap_or_else(|error| panic!("{error:#}"))
    }

    /// Commits everything in the work tree.
    pub fn commit(&self, message: &str) {
        self.git(&["add", "--all"]);
        self.git(&["commit", "--quiet", "--allow-empty", "-m", message]);
    }

    /// `schemas/<source>/<DetailType>.json` of `event` (`source.DetailType`).
    pub fn schema_path(&self, event: &str) -> PathBuf {
        let (source, detail_type) = event.split_once('.').unwrap();
        self.path().join(format!("schemas/{source}/{detail_type}.json"))
    }

    /// Writes `event`'s schema, pretty-printed.
    pub fn write_schema(&self, event: &str, schema: &Value) {
        let path = self.schema_path(event);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, serde_json::to_string_pretty(schema).unwrap() + "\n").unwrap();
    }

    /// Writes the reviewed file `schemas/compat-acknowledged.toml`.
    pub fn reviewed(&self, toml: &str) {
        fs::create_dir_all(self.path().join("schemas")).unwrap();
        fs::write(self.path().join("schemas/compat-acknowledged.toml"), toml).unwrap();
    }

    /// Runs `cargo xtask --root <repo> <command> <args>`: exit code and stdout + stderr.
    pub fn xtask(&self, command: &str, args: &[&str]) -> (i32, String) {
        let output = Cmd::new(env!("CARGO_BIN_EXE_xtask"))
            .arg("--root")
            .arg(self.path())
            .arg(command)
            .args(args)
            .output()
            .unwrap();
        let text =
            format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
        (output.status.code().unwrap(), text)
    }
}
