//! The one way xtask runs a program: [`Cmd`], a command line with its folder, environment,
//! optional input and time limit, and the few ways of running it that the commands need.
//!
//! | how | output | fails when it exits non-zero | used for |
//! |---|---|---|---|
//! | [`Cmd::run`] | shown as it comes | yes | cargo builds, apt-get, the checks of `cargo xtask ci` |
//! | [`Cmd::run_quiet`] | kept, shown only in the error | yes | set-up steps (npm ci, initdb, pip) |
//! | [`Cmd::read`], [`Cmd::read_bytes`] | standard output returned | yes | git, rustc, cargo's JSON messages |
//! | [`Cmd::output`] | kept and returned | no: the caller reads the verdict | tsc, test binaries, harnesses |
//! | [`Cmd::status`] | shown as it comes | no: the caller passes it on | `cargo xtask tail` |
//! | [`Cmd::spawn_silent`], [`Cmd::spawn_logged`] | discarded, or into a file | the caller waits | servers, the corpus check beside the tests |
//!
//! A failure is an error naming the command line, its folder and exit status, followed by the
//! tail of what the command wrote to standard error (or to standard output, when it wrote
//! nothing to standard error, as tsc and npm do) whenever that was kept. As rust-analyzer's
//! `xshell`, but on `std::process` alone: with the time limit and background runs that
//! `xshell` lacks, and no crate to compile.

use std::ffi::{OsStr, OsString};
use std::fmt;
use std::io::{ErrorKind, Read, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, anyhow};

/// How many lines of a failed command's output its error repeats.
const TAIL_LINES: usize = 30;

/// A command to run: program, arguments, folder, environment changes, standard input and time
/// limit. Built by value, run by reference, so one `Cmd` may run several times.
#[derive(Debug, Clone)]
pub struct Cmd {
    program: OsString,
    args: Vec<OsString>,
    dir: Option<PathBuf>,
    /// Variables set (`Some`) or removed (`None`), in order.
    env: Vec<(OsString, Option<OsString>)>,
    stdin: Option<Vec<u8>>,
    timeout: Option<Duration>,
    show_stderr: bool,
}

impl Cmd {
    /// `program`, with no arguments, in this process's folder and environment.
    pub fn new(program: impl AsRef<OsStr>) -> Cmd {
        Cmd {
            program: program.as_ref().to_owned(),
            args: Vec::new(),
            dir: None,
            env: Vec::new(),
            stdin: None,
            timeout: None,
            show_stderr: false,
        }
    }

    /// Adds one argument.
    pub fn arg(mut self, arg: impl AsRef<OsStr>) -> Cmd {
        self.args.push(arg.as_ref().to_owned());
        self
    }

    /// Adds arguments.
    pub fn args(mut self, args: impl IntoIterator<Item = impl AsRef<OsStr>>) -> Cmd {
        self.args.extend(args.into_iter().map(|arg| arg.as_ref().to_owned()));
        self
    }

    /// Runs it in `dir`.
    pub fn dir(mut self, dir: impl AsRef<Path>) -> Cmd {
        self.dir = Some(dir.as_ref().to_owned());
        self
    }

    /// The folder it runs in, when one was given.
    pub fn get_dir(&self) -> Option<&Path> {
        self.dir.as_deref()
    }

    /// Sets an environment variable.
    pub fn env(mut self, key: impl AsRef<OsStr>, value: impl AsRef<OsStr>) -> Cmd {
        self.env.push((key.as_ref().to_owned(), Some(value.as_ref().to_owned())));
        self
    }

    /// Sets environment variables.
    pub fn envs(mut self, vars: impl IntoIterator<Item = (impl AsRef<OsStr>, impl AsRef<OsStr>)>) -> Cmd {
        for (key, value) in vars {
            self = self.env(key, value);
        }
        self
    }

    /// Removes an environment variable.
    pub fn env_remove(mut self, key: impl AsRef<OsStr>) -> Cmd {
        self.env.push((key.as_ref().to_owned(), None));
        self
    }

    /// Gives it `bytes` on standard input (written from a thread, so a command that answers
    /// while it reads, as `git cat-file --batch` does, cannot stall on a full pipe). Without
    /// it, standard input is empty for the runs that keep the output and inherited for the
    /// others.
    pub fn stdin(mut self, bytes: impl Into<Vec<u8>>) -> Cmd {
        self.stdin = Some(bytes.into());
        self
    }

    /// Kills it, and fails, if it has not finished within `limit`: finished meaning both its
    /// output streams closed, so the limit holds for the runs that keep the output
    /// ([`Cmd::read`], [`Cmd::output`]) and not for those that show it.
    pub fn timeout(mut self, limit: Duration) -> Cmd {
        self.timeout = Some(limit);
        self
    }

    /// Lets its standard error through as it comes, where [`Cmd::read`] and [`Cmd::output`]
    /// would keep it: cargo's rendered diagnostics beside the JSON messages read from its
    /// standard output.
    pub fn show_stderr(mut self) -> Cmd {
        self.show_stderr = true;
        self
    }

    /// Runs it with its output shown as it comes; fails unless it succeeds.
    pub fn run(&self) -> Result<()> {
        let status = self.status()?;
        if !status.success() {
            return Err(self.failed(status, None));
        }
        Ok(())
    }

    /// Runs it with its output kept; fails unless it succeeds, repeating the output's tail.
    pub fn run_quiet(&self) -> Result<()> {
        self.read().map(drop)
    }

    /// Runs it with its output kept and returns its standard output (lossily UTF-8); fails
    /// unless it succeeds, repeating the tail of its output.
    pub fn read(&self) -> Result<String> {
        self.read_bytes().map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
    }

    /// [`Cmd::read`], for output that is not text (or whose byte counts matter).
    pub fn read_bytes(&self) -> Result<Vec<u8>> {
        let output = self.output()?;
        if !output.status.success() {
            return Err(self.failed(output.status, Some(&output)));
        }
        Ok(output.stdout)
    }

    /// Runs it with its output shown as it comes, and returns its exit status, whatever it is.
    pub fn status(&self) -> Result<ExitStatus> {
        let mut command = self.command();
        if self.stdin.is_some() {
            return self.collect(command).map(|output| output.status);
        }
        command.status().with_context(|| self.could_not_run())
    }

    /// Runs it with its output kept, and returns it whatever the exit status: for the callers
    /// that read a failing command's output (a compiler's verdict, a test binary's report).
    pub fn output(&self) -> Result<Output> {
        let mut command = self.command();
        command.stdout(Stdio::piped());
        command.stderr(if self.show_stderr { Stdio::inherit() } else { Stdio::piped() });
        self.collect(command)
    }

    /// Starts it in the background with its output discarded (a server); the caller stops it.
    pub fn spawn_silent(&self) -> Result<Child> {
        let mut command = self.command();
        command.stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null());
        command.spawn().with_context(|| self.could_not_run())
    }

    /// Starts it in the background with its standard output and error written to `log`; the
    /// caller waits for it.
    pub fn spawn_logged(&self, log: &Path) -> Result<Child> {
        let file =
            std::fs::File::create(log).with_context(|| format!("could not create {}", log.display()))?;
        let mut command = self.command();
        command.stdin(Stdio::null()).stdout(file.try_clone()?).stderr(file);
        command.spawn().with_context(|| self.could_not_run())
    }

    fn command(&self) -> Command {
        let mut command = Command::new(&self.program);
        command.args(&self.args);
        if let Some(dir) = &self.dir {
            command.current_dir(dir);
        }
        for (key, value) in &self.env {
            match value {
                Some(value) => command.env(key, value),
                None => command.env_remove(key),
            };
        }
        command
    }

    /// Spawns `command`, feeds its input, drains its output pipes from threads (so neither
    /// can fill and stall it) and waits for it, killing it at the time limit.
    fn collect(&self, mut command: Command) -> Result<Output> {
        command.stdin(if self.stdin.is_some() { Stdio::piped() } else { Stdio::null() });
        let mut child = command.spawn().with_context(|| self.could_not_run())?;
        let input = child.stdin.take().zip(self.stdin.clone()).map(|(mut pipe, bytes)| {
            std::thread::spawn(move || match pipe.write_all(&bytes) {
                // It stopped reading: its exit status says why.
                Err(error) if error.kind() == ErrorKind::BrokenPipe => Ok(()),
                other => other,
            })
        });
        let (closed, pipes_closed) = mpsc::channel();
        let drain = |pipe: Option<Box<dyn Read + Send>>| {
            let closed = closed.clone();
            std::thread::spawn(move || {
                let mut bytes = Vec::new();
                let read = pipe.map_or(Ok(0), |mut pipe| pipe.read_to_end(&mut bytes));
                let _ = closed.send(());
                read.map(|_| bytes)
            })
        };
        let stdout = drain(child.stdout.take().map(|pipe| Box::new(pipe) as Box<dyn Read + Send>));
        let stderr = drain(child.stderr.take().map(|pipe| Box::new(pipe) as Box<dyn Read + Send>));
        if let Some(limit) = self.timeout {
            let deadline = Instant::now() + limit;
            for _ in 0..2 {
                if pipes_closed.recv_timeout(deadline.saturating_duration_since(Instant::now())).is_err() {
                    let _ = child.kill();
                    let _ = child.wait();
                    return Err(anyhow!(
                        "{self} did not finish within {} s; it was killed",
                        limit.as_secs_f64()
                    ));
                }
            }
        }
        let status = child.wait().with_context(|| format!("could not wait for {self}"))?;
        let joined = |thread: std::thread::JoinHandle<std::io::Result<Vec<u8>>>| {
            thread
                .join()
                .map_err(|_| anyhow!("reading the output of {self} panicked"))?
                .map_err(anyhow::Error::from)
        };
        let (stdout, stderr) = (joined(stdout)?, joined(stderr)?);
        if let Some(input) = input {
            input
                .join()
                .map_err(|_| anyhow!("writing to {self} panicked"))?
                .with_context(|| format!("could not write to {self}"))?;
        }
        Ok(Output { status, stdout, stderr })
    }

    fn could_not_run(&self) -> String {
        format!("could not run {self}{}", self.place())
    }

    /// The error for a run that ended with `status`, with the tail of its kept output.
    fn failed(&self, status: ExitStatus, output: Option<&Output>) -> anyhow::Error {
        let mut text = format!("{self}{} failed ({status})", self.place());
        if let Some(output) = output.filter(|_| !self.show_stderr) {
            let stream = if output.stderr.iter().all(u8::is_ascii_whitespace) {
                &output.stdout
            } else {
                &output.stderr
            };
            let tail = tail(&String::from_utf8_lossy(stream), TAIL_LINES);
            if !tail.is_empty() {
                text = format!("{text}:\n{tail}");
            }
        }
        anyhow!(text)
    }

    /// ` in DIR`: the folder it runs in.
    fn place(&self) -> String {
        match &self.dir {
            Some(dir) => format!(" in {}", dir.display()),
            None => std::env::current_dir().map(|dir| format!(" in {}", dir.display())).unwrap_or_default(),
        }
    }
}

/// The command line as a user would type it, in backticks.
impl fmt::Display for Cmd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}", self.program.to_string_lossy())?;
        for arg in &self.args {
            write!(f, " {}", arg.to_string_lossy())?;
        }
        write!(f, "`")
    }
}

/// The last `lines` lines of `text`, trimmed, with a note of how many were left out.
fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.trim_end().lines().collect();
    let skipped = all.len().saturating_sub(lines);
    let kept = all[skipped..].join("\n");
    match skipped {
        0 => kept.trim_start_matches('\n').to_owned(),
        _ => format!("[{skipped} earlier line(s) left out]\n{kept}"),
    }
}

/// Whether this process runs as root (`id -u` is 0), asked once per process.
pub fn is_root() -> bool {
    static ROOT: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *ROOT.get_or_init(|| Cmd::new("id").arg("-u").read().is_ok_and(|uid| uid.trim() == "0"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_returns_standard_output() {
        assert_eq!(Cmd::new("sh").args(["-c", "echo out; echo err >&2"]).read().unwrap(), "out\n");
    }

    #[test]
    fn a_failure_names_the_command_its_folder_status_and_the_tail_of_stderr() {
        let dir = std::env::temp_dir();
        let script = "for i in $(seq 1 40); do echo line$i >&2; done; exit 3";
        let error = Cmd::new("sh").args(["-c", script]).dir(&dir).read().unwrap_err().to_string();
        assert!(
            error.starts_with(&format!("`sh -c {script}` in {} failed (exit status: 3):\n", dir.display())),
            "{error}"
        );
        assert!(
            error.contains("[10 earlier line(s) left out]\nline11\n") && error.ends_with("line40"),
            "{error}"
        );
    }

    #[test]
    fn a_failure_without_stderr_repeats_the_tail_of_stdout() {
        let error = Cmd::new("sh").args(["-c", "echo 'error TS2322'; exit 2"]).run_quiet().unwrap_err();
        assert!(error.to_string().ends_with("failed (exit status: 2):\nerror TS2322"), "{error}");
    }

    #[test]
    fn a_program_that_cannot_start_is_named() {
        let error = Cmd::new("no-such-program-xtask").arg("x").run().unwrap_err();
        assert!(format!("{error:#}").starts_with("could not run `no-such-program-xtask x` in "), "{error:#}");
    }

    #[test]
    fn output_keeps_a_failing_commands_output_and_status() {
        let output = Cmd::new("sh").args(["-c", "echo verdict; exit 1"]).output().unwrap();
        assert_eq!((output.status.code(), output.stdout.as_slice()), (Some(1), &b"verdict\n"[..]));
    }

    #[test]
    fn stdin_is_written_while_the_output_is_read() {
        let input = "x".repeat(1 << 20);
        let echoed = Cmd::new("cat").stdin(input.clone()).read().unwrap();
        assert_eq!(echoed.len(), input.len());
    }

    #[test]
    fn environment_and_folder_are_applied() {
        let dir = std::env::temp_dir();
        let text = Cmd::new("sh")
            .args(["-c", "echo $XTASK_CMD_TEST; pwd"])
            .env("XTASK_CMD_TEST", "set")
            .dir(&dir)
            .read()
            .unwrap();
        let canonical = dir.canonicalize().unwrap();
        assert_eq!(text, format!("set\n{}\n", canonical.display()));
        let removed = Cmd::new("sh").args(["-c", "echo ${HOME:-unset}"]).env_remove("HOME").read().unwrap();
        assert_eq!(removed, "unset\n");
    }

    #[test]
    fn a_background_command_writes_both_streams_into_its_log() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("log");
        let mut child = Cmd::new("sh").args(["-c", "echo out; echo err >&2"]).spawn_logged(&log).unwrap();
        assert!(child.wait().unwrap().success());
        assert_eq!(std::fs::read_to_string(&log).unwrap(), "out\nerr\n");
    }

    #[test]
    fn a_command_past_its_time_limit_is_killed() {
        let started = Instant::now();
        let error = Cmd::new("sleep").arg("30").timeout(Duration::from_millis(300)).output().unwrap_err();
        assert!(started.elapsed() < Duration::from_secs(10));
        assert_eq!(error.to_string(), "`sleep 30` did not finish within 0.3 s; it was killed");
    }
}
