//! A throwaway PostgreSQL server for the event runtime's tests.
//!
//! `cargo xtask ci` creates a cluster in the system's temporary folder with the machine's
//! PostgreSQL 15 (`initdb`, as the unprivileged `postgres` user when CI runs as root: the server
//! refuses to run as root), starts it with `pg_ctl` on a free loopback port, hands the tests its URL in
//! `EVENT_RUNTIME_POSTGRES_URL`, and stops it and removes the cluster when the guard drops,
//! whether the tests passed or not. Durability is off (`fsync`): the cluster is thrown away.
//!
//! Not under `target/`: the `postgres` user must reach the cluster, and a checkout may sit
//! below a folder only its owner can enter (`mktemp -d` makes those). The folder's name comes
//! from the checkout's path, so a cluster left by an interrupted run of the same checkout is
//! stopped and replaced.

use anyhow::{Context as _, Result};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};

use crate::cmd::{Cmd, is_root};
use crate::services::{free_port, wait_until_listening};

/// The environment variable the tests read the server's URL from.
pub const URL_VARIABLE: &str = "EVENT_RUNTIME_POSTGRES_URL";

/// Where the PostgreSQL 15 binaries are (Debian's layout).
const BIN: &str = "/usr/lib/postgresql/15/bin";

/// The unprivileged system user that runs the server when CI runs as root.
const SYSTEM_USER: &str = "postgres";

/// A running PostgreSQL server; stopped, and its cluster removed, on drop.
pub struct PostgresServer {
    dir: PathBuf,
    as_root: bool,
    /// `postgres://postgres@127.0.0.1:<port>/postgres`.
    pub url: String,
}

impl PostgresServer {
    /// Creates a cluster in the temporary folder and starts it on a free port, waiting until
    /// it accepts connections.
    pub fn start(root: &Path) -> Result<Self> {
        let dir = cluster_dir(root);
        let as_root = is_root();
        let mut server = PostgresServer { dir, as_root, url: String::new() };
        if server.dir.exists() {
            server.stop(); // a cluster left by an interrupted run
        }
        std::fs::create_dir_all(&server.dir)
            .with_context(|| format!("could not create {}", server.dir.display()))?;
        if as_root {
            Cmd::new("chown").args(["-R", SYSTEM_USER]).arg(&server.dir).run_quiet()?;
        }
        let data = server.dir.join("data");
        server.run_pg(
            "initdb",
            &["-D", path(&data)?, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"],
        )?;
        let port = free_port()?;
        let options = format!(
            "-h 127.0.0.1 -p {port} -k {} -c fsync=off -c synchronous_commit=off -c full_page_writes=off",
            path(&server.dir)?
        );
        let log = server.dir.join("server.log");
        server.run_pg(
            "pg_ctl",
            &["-D", path(&data)?, "-l", path(&log)?, "-o", &options, "-w", "-t", "60", "start"],
        )?;
        wait_until_listening("PostgreSQL", port, None)?;
        server.url = format!("postgres://postgres@127.0.0.1:{port}/postgres");
        Ok(server)
    }

    /// Runs a PostgreSQL program, as the `postgres` user when this process is root; its
    /// output is shown only if it fails.
    fn run_pg(&self, program: &str, args: &[&str]) -> Result<()> {
        let binary = Path::new(BIN).join(program);
        let command = match self.as_root {
            true => Cmd::new("runuser").args(["-u", SYSTEM_USER, "--"]).arg(&binary),
            false => Cmd::new(&binary),
        };
        command.args(args).dir(&self.dir).run_quiet()
    }

    fn stop(&self) {
        let data = self.dir.join("data");
        if let Some(data) = data.to_str()
            && data_exists(&self.dir)
        {
            let _ = self.run_pg("pg_ctl", &["-D", data, "-m", "fast", "-w", "stop"]);
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl Drop for PostgresServer {
    fn drop(&mut self) {
        self.stop();
    }
}

fn data_exists(dir: &Path) -> bool {
    dir.join("data/PG_VERSION").exists()
}

/// `$TMPDIR/xtask-postgres-<hash of the checkout's path>`: one per checkout.
fn cluster_dir(root: &Path) -> PathBuf {
    let mut hasher = DefaultHasher::new();
    root.hash(&mut hasher);
    std::env::temp_dir().join(format!("xtask-postgres-{:016x}", hasher.finish()))
}

fn path(path: &Path) -> Result<&str> {
    path.to_str().with_context(|| format!("{} is not UTF-8", path.display()))
}
