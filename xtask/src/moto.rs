//! A local moto server (an AWS mock from PyPI) for the AWS adapters' end-to-end tests.
//!
//! `cargo xtask ci` installs moto into a Python venv under `target/` (once; later runs reuse
//! it), starts it on a free loopback port, hands the tests its address in `MOTO_ENDPOINT`,
//! and stops it when the guard drops, whether the tests passed or not.

use std::path::Path;
use std::process::Child;

use anyhow::Result;

use crate::cmd::Cmd;
use crate::services::{free_port, wait_until_listening};

/// The moto release the end-to-end tests are written against.
pub const MOTO_REQUIREMENT: &str = "moto[server]==5.2.5";

/// The environment variable the tests read the endpoint from.
pub const ENDPOINT_VARIABLE: &str = "MOTO_ENDPOINT";

/// A running moto server; stopped on drop.
pub struct MotoServer {
    child: Child,
    /// `http://127.0.0.1:<port>`.
    pub endpoint: String,
}

impl MotoServer {
    /// Installs moto if needed and starts it on a free port, waiting until it accepts
    /// connections.
    pub fn start(root: &Path) -> Result<Self> {
        let venv = root.join("target/moto-venv");
        let server = venv.join("bin/moto_server");
        if !server.exists() {
            Cmd::new("python3").arg("-m").arg("venv").arg(&venv).run_quiet()?;
            Cmd::new(venv.join("bin/pip"))
                .args(["install", "--quiet", "--disable-pip-version-check", MOTO_REQUIREMENT])
                .run_quiet()?;
        }
        let port = free_port()?;
        let child = Cmd::new(&server).args(["-H", "127.0.0.1", "-p", &port.to_string()]).spawn_silent()?;
        let mut moto = MotoServer { child, endpoint: format!("http://127.0.0.1:{port}") };
        wait_until_listening("moto", port, Some(&mut moto.child))?;
        Ok(moto)
    }
}

impl Drop for MotoServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
