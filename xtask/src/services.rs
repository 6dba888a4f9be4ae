//! What the throwaway test servers ([`crate::moto`], [`crate::postgres`]) share: a free
//! loopback port and a wait until the server listens.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::Child;
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, bail};

/// How long a server may take to accept its first connection.
const START_TIMEOUT: Duration = Duration::from_secs(60);

/// A loopback port no one listens on now (the OS picks it; the listener is closed at once).
pub fn free_port() -> Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0").context("no free loopback port")?;
    Ok(listener.local_addr()?.port())
}

/// Waits until `port` on 127.0.0.1 accepts connections. When the server runs as `child`, its
/// early exit is reported at once instead of after the timeout.
pub fn wait_until_listening(name: &str, port: u16, mut child: Option<&mut Child>) -> Result<()> {
    let address = SocketAddr::from(([127, 0, 0, 1], port));
    let deadline = Instant::now() + START_TIMEOUT;
    while Instant::now() < deadline {
        if TcpStream::connect_timeout(&address, Duration::from_millis(200)).is_ok() {
            return Ok(());
        }
        if let Some(child) = child.as_deref_mut()
            && let Some(status) = child.try_wait()?
        {
            bail!("{name} exited before it was ready ({status})");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    bail!("{name} did not accept connections on {address} within {} s", START_TIMEOUT.as_secs())
}
