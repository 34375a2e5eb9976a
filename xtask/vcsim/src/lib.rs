//! Runs govmomi's vCenter simulator (`vcsim`) for integration tests.
//!
//! [`Vcsim::start`] builds `main.go` (next to this crate's `Cargo.toml`) once per content
//! hash into `target/vcsim/`, starts it on 127.0.0.1 at a free port and reads the URL it
//! prints. The simulator exits when its standard input closes, so it never outlives the
//! test process, even one that is killed.
//!
//! Needs Go and govmomi's sources from Debian:
//! `apt-get install -y golang-go golang-github-vmware-govmomi-dev`.

use std::fs::{self, File};
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

/// Where Debian's `golang-github-vmware-govmomi-dev` puts govmomi.
pub const GOPATH: &str = "/usr/share/gocode";

/// How to get what the simulator needs.
pub const INSTALL_HINT: &str = "install with `apt-get install -y golang-go golang-github-vmware-govmomi-dev` (or run `cargo xtask test`, which installs them)";

/// How long the simulator may take to print its URL.
const STARTUP_TIMEOUT: Duration = Duration::from_secs(60);

/// The Go source of the simulator command.
const MAIN_GO: &str = include_str!("../main.go");

/// A running simulator; stopped when dropped.
#[derive(Debug)]
pub struct Vcsim {
    /// The URL the simulator printed, credentials included:
    /// `http://user:pass@127.0.0.1:PORT/sdk`.
    pub url: String,
    /// The simulator model's counts, as it printed them (`datacenter` → 1, …).
    pub model: std::collections::BTreeMap<String, usize>,
    child: Child,
    stdin: Option<ChildStdin>,
    stderr: Arc<Mutex<Vec<u8>>>,
}

impl Vcsim {
    /// Builds the simulator if needed, starts it and waits until it prints its URL.
    pub fn start() -> Result<Vcsim, String> {
        let binary = build()?;
        let mut child = Command::new(&binary)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", binary.display()))?;
        let stdin = child.stdin.take();
        let stdout = child.stdout.take().expect("stdout is piped");
        let stderr = Arc::new(Mutex::new(Vec::new()));
        if let Some(pipe) = child.stderr.take() {
            drain(pipe, Arc::clone(&stderr));
        }
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            let mut line = String::new();
            let mut model = String::new();
            let result = reader
                .read_line(&mut line)
                .and_then(|_| reader.read_line(&mut model))
                .map(|_| (line, model));
            let _ = tx.send(result);
            // Keep reading so the simulator never blocks on a full pipe.
            let _ = std::io::copy(&mut reader, &mut std::io::sink());
        });
        let mut vcsim = Vcsim {
            url: String::new(),
            model: Default::default(),
            child,
            stdin,
            stderr,
        };
        match rx.recv_timeout(STARTUP_TIMEOUT) {
            Ok(Ok((line, model))) if line.trim().starts_with("http") => {
                vcsim.url = line.trim().to_string();
                vcsim.model = model
                    .split_whitespace()
                    .skip(1)
                    .filter_map(|kv| kv.split_once('='))
                    .filter_map(|(k, v)| Some((k.to_string(), v.parse().ok()?)))
                    .collect();
                Ok(vcsim)
            }
            Ok(Ok((line, _))) => {
                Err(vcsim.failure(&format!("printed {line:?} instead of its URL")))
            }
            Ok(Err(e)) => Err(vcsim.failure(&format!("cannot read its output: {e}"))),
            Err(_) => Err(vcsim.failure(&format!(
                "printed no URL within {} s",
                STARTUP_TIMEOUT.as_secs()
            ))),
        }
    }

    /// The URL without credentials: `http://127.0.0.1:PORT/sdk`.
    pub fn endpoint(&self) -> String {
        match self.url.split_once("://") {
            Some((scheme, rest)) => match rest.split_once('@') {
                Some((_, host)) => format!("{scheme}://{host}"),
                None => self.url.clone(),
            },
            None => self.url.clone(),
        }
    }

    /// The model's count `name` (`datacenter`, `cluster`, `cluster_host`, `host`,
    /// `machine`, `datastore`, `pool`, `portgroup`); panics when it did not print it.
    pub fn count(&self, name: &str) -> usize {
        *self
            .model
            .get(name)
            .unwrap_or_else(|| panic!("vcsim printed no {name} count: {:?}", self.model))
    }

    /// The user name in the URL.
    pub fn user(&self) -> String {
        self.credentials().0
    }

    /// The password in the URL.
    pub fn password(&self) -> String {
        self.credentials().1
    }

    fn credentials(&self) -> (String, String) {
        let rest = self.url.split_once("://").map_or("", |(_, r)| r);
        let userinfo = rest.split_once('@').map_or("", |(u, _)| u);
        let (user, pass) = userinfo.split_once(':').unwrap_or((userinfo, ""));
        (user.to_string(), pass.to_string())
    }

    /// Stops the simulator and describes why it failed, with the end of its stderr.
    fn failure(&mut self, what: &str) -> String {
        self.stop();
        let stderr = self.stderr.lock().unwrap_or_else(|e| e.into_inner());
        let text = String::from_utf8_lossy(&stderr);
        let tail: String = {
            let chars: Vec<char> = text.chars().collect();
            chars[chars.len().saturating_sub(2000)..].iter().collect()
        };
        format!("vcsim {what}; its stderr ends with:\n{tail}")
    }

    /// Closes the simulator's stdin so it exits cleanly (removing its temporary
    /// datastore directories); kills it if it has not exited after a few seconds.
    fn stop(&mut self) {
        drop(self.stdin.take());
        for _ in 0..100 {
            match self.child.try_wait() {
                Ok(None) => std::thread::sleep(Duration::from_millis(30)),
                Ok(Some(_)) | Err(_) => break,
            }
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Vcsim {
    fn drop(&mut self) {
        self.stop();
    }
}

/// One simulator shared by every test of the calling test binary, started on first use.
///
/// It is never dropped; it exits when the test process does, because its standard input
/// (a pipe from this process) closes then. Panics if it cannot start.
pub fn shared() -> &'static Vcsim {
    static SHARED: OnceLock<Vcsim> = OnceLock::new();
    SHARED.get_or_init(|| Vcsim::start().unwrap_or_else(|e| panic!("cannot start vcsim: {e}")))
}

/// Copies `pipe` into `sink` until it closes, keeping at most the last 64 KiB.
fn drain(mut pipe: impl Read + Send + 'static, sink: Arc<Mutex<Vec<u8>>>) {
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = pipe.read(&mut buf) {
            if n == 0 {
                break;
            }
            let mut sink = sink.lock().unwrap_or_else(|e| e.into_inner());
            sink.extend_from_slice(&buf[..n]);
            let excess = sink.len().saturating_sub(64 * 1024);
            sink.drain(..excess);
        }
    });
}

/// The workspace's target directory.
fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"),
    }
}

/// FNV-1a, stable across toolchains, to name the binary after its source.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Builds the simulator unless a binary for this `main.go` exists; returns its path.
fn build() -> Result<PathBuf, String> {
    let dir = target_dir().join("vcsim");
    let binary = dir.join(format!("vcsim-{:016x}", fnv1a(MAIN_GO.as_bytes())));
    if binary.is_file() {
        return Ok(binary);
    }
    if !Path::new(GOPATH)
        .join("src/github.com/vmware/govmomi/simulator")
        .is_dir()
    {
        return Err(format!(
            "govmomi's sources are missing from {GOPATH}; {INSTALL_HINT}"
        ));
    }
    fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    // Parallel test binaries build once: the others wait on the lock, then find the binary.
    let lock_path = dir.join("build.lock");
    let lock = File::create(&lock_path)
        .map_err(|e| format!("cannot create {}: {e}", lock_path.display()))?;
    lock.lock()
        .map_err(|e| format!("cannot lock {}: {e}", lock_path.display()))?;
    if binary.is_file() {
        return Ok(binary);
    }
    let source = dir.join(format!("main-{}.go", std::process::id()));
    let partial = dir.join(format!(".vcsim-{}.partial", std::process::id()));
    fs::write(&source, MAIN_GO).map_err(|e| format!("cannot write {}: {e}", source.display()))?;
    let output = Command::new("go")
        .arg("build")
        .arg("-o")
        .arg(&partial)
        .arg(&source)
        .current_dir(&dir)
        .env("GOPATH", GOPATH)
        .env("GO111MODULE", "off")
        .env("GOFLAGS", "")
        .env("CGO_ENABLED", "0")
        .env("GOCACHE", dir.join("gocache"))
        .stdin(Stdio::null())
        .output();
    let _ = fs::remove_file(&source);
    let output = match output {
        Ok(o) => o,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(format!("`go` is not installed; {INSTALL_HINT}"));
        }
        Err(e) => return Err(format!("cannot run `go build`: {e}")),
    };
    if !output.status.success() {
        let _ = fs::remove_file(&partial);
        return Err(format!(
            "`go build` of the simulator failed ({}); {INSTALL_HINT}\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    fs::rename(&partial, &binary)
        .map_err(|e| format!("cannot move the simulator to {}: {e}", binary.display()))?;
    Ok(binary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_is_stable() {
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }

    #[test]
    fn starts_serves_and_stops() {
        use std::net::TcpStream;
        let vcsim = Vcsim::start().unwrap();
        assert!(
            vcsim.url.starts_with("http://user:pass@127.0.0.1:"),
            "{}",
            vcsim.url
        );
        assert!(vcsim.url.ends_with("/sdk"), "{}", vcsim.url);
        let addr = vcsim.endpoint()["http://".len()..]
            .trim_end_matches("/sdk")
            .to_string();
        TcpStream::connect(&addr).expect("vcsim listens");
        let pid = vcsim.child.id();
        drop(vcsim);
        assert!(TcpStream::connect(&addr).is_err(), "vcsim still listens");
        assert!(
            !Path::new(&format!("/proc/{pid}")).exists(),
            "vcsim {pid} still runs"
        );
        // A second start reuses the binary.
        let again = Vcsim::start().unwrap();
        assert_ne!(again.url, "");
        // The VPX model's counts, as govmomi's `simulator.VPX()` sets them.
        assert_eq!(again.count("datacenter"), 1);
        assert_eq!(again.count("cluster"), 1);
        assert_eq!(again.count("cluster_host"), 3);
        assert_eq!(again.count("host"), 1);
        assert_eq!(again.count("machine"), 2);
        assert!(std::ptr::eq(shared(), shared()));
    }

    #[test]
    fn url_parts() {
        let parts = |url: &str| {
            let v = Vcsim {
                url: url.to_string(),
                model: Default::default(),
                child: Command::new("true").spawn().unwrap(),
                stdin: None,
                stderr: Arc::default(),
            };
            (v.endpoint(), v.user(), v.password())
        };
        assert_eq!(
            parts("http://user:pass@127.0.0.1:1234/sdk"),
            (
                "http://127.0.0.1:1234/sdk".to_string(),
                "user".to_string(),
                "pass".to_string()
            )
        );
    }
}
