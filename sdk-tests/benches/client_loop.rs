//! Client CPU per call: Login → SessionIsActive → Logout, N cycles, with this SDK over
//! SOAP against a running vcsim. Not a criterion benchmark: `benches/peers/run.sh` builds
//! it with `cargo bench --no-run` and runs the binary with
//!
//! - `BENCH_URL`: `http://user:pass@127.0.0.1:PORT/sdk` (what vcsim prints), required;
//! - `BENCH_N`: cycles (default 300);
//! - `BENCH_PROTOCOL`: `soap` (default) or `json`.
//!
//! The client (and its bootstrap, `RetrieveServiceContent`) is built before the loop; the
//! CPU time of this process (user + sys, `getrusage(RUSAGE_SELF)`) is read right before
//! and right after the loop, so process start-up is excluded. Prints one line:
//! `RESULT impl=… calls=… user_s=… sys_s=… wall_s=…`. Without `BENCH_URL` (as when
//! `cargo bench` runs every bench target) it says so and exits successfully.

use std::process::ExitCode;
use std::time::Instant;

use vsphere::{Client, Protocol, Secret};

/// User and system CPU seconds of this process so far.
fn cpu_times() -> (f64, f64) {
    // SAFETY: getrusage only writes into the struct it is given.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        assert_eq!(
            libc::getrusage(libc::RUSAGE_SELF, &mut usage),
            0,
            "getrusage"
        );
        usage
    };
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    (secs(usage.ru_utime), secs(usage.ru_stime))
}

/// Splits `scheme://user:pass@host/path` into the URL without credentials, user, password.
fn split_url(url: &str) -> Option<(String, String, String)> {
    let (scheme, rest) = url.split_once("://")?;
    let (userinfo, host) = rest.split_once('@')?;
    let (user, pass) = userinfo.split_once(':').unwrap_or((userinfo, ""));
    Some((
        format!("{scheme}://{host}"),
        user.to_string(),
        pass.to_string(),
    ))
}

fn main() -> ExitCode {
    let Ok(url) = std::env::var("BENCH_URL") else {
        eprintln!("client_loop: BENCH_URL is not set; run benches/peers/run.sh");
        return ExitCode::SUCCESS;
    };
    let n: usize = std::env::var("BENCH_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300);
    let protocol = match std::env::var("BENCH_PROTOCOL").as_deref() {
        Ok("json") => Protocol::VimJson,
        _ => Protocol::Soap,
    };
    let Some((endpoint, user, password)) = split_url(&url) else {
        eprintln!("client_loop: BENCH_URL needs user:pass@ before the host: {url}");
        return ExitCode::from(2);
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let result = runtime.block_on(async move {
        let client = Client::builder(&endpoint)
            .protocol(protocol)
            .build()
            .await
            .map_err(|e| format!("bootstrap: {e}"))?;
        let sm = client.session_manager().map_err(|e| e.to_string())?;
        let password = Secret::new(password);
        let (user0, sys0) = cpu_times();
        let wall = Instant::now();
        for i in 0..n {
            let session = sm
                .login(&user, &password, Some("en_US"))
                .await
                .map_err(|e| format!("cycle {i}: Login: {e}"))?;
            let active = sm
                .session_is_active(&session.key, &session.user_name)
                .await
                .map_err(|e| format!("cycle {i}: SessionIsActive: {e}"))?;
            if !active {
                return Err(format!("cycle {i}: SessionIsActive returned false"));
            }
            sm.logout()
                .await
                .map_err(|e| format!("cycle {i}: Logout: {e}"))?;
        }
        let wall = wall.elapsed().as_secs_f64();
        let (user1, sys1) = cpu_times();
        Ok((user1 - user0, sys1 - sys0, wall))
    });
    match result {
        Ok((user_s, sys_s, wall_s)) => {
            let name = match protocol {
                Protocol::Soap => "vsphere-rs (SOAP)",
                _ => "vsphere-rs (VI/JSON)",
            };
            println!(
                "RESULT impl={name:?} calls={} user_s={user_s:.6} sys_s={sys_s:.6} wall_s={wall_s:.6}",
                3 * n
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("client_loop: {e}");
            ExitCode::FAILURE
        }
    }
}
