//! What the CLI tests share: the simulator of the test binary and running the CLI on it.

use std::process::{Command, Output};

/// This test binary's simulator.
pub fn sim() -> &'static vcsim_harness::Vcsim {
    vcsim_harness::shared()
}

/// Runs the CLI with `args` against the simulator over SOAP.
pub fn cli(args: &[&str]) -> Output {
    let url = sim().url.clone();
    offline(&[&["--url", &url, "--soap"], args].concat())
}

/// Runs the CLI with `args` and no server configured.
pub fn offline(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vsphere-cli"))
        .args(args)
        .env_remove("VSPHERE_URL")
        .env_remove("GOVC_URL")
        .output()
        .expect("runs")
}

/// Stdout of a successful run against the simulator.
#[allow(dead_code)] // not every test binary runs on the simulator
pub fn ok(args: &[&str]) -> String {
    succeeded(args, cli(args))
}

/// Stdout of `out`, the run of `args`, which must have succeeded.
pub fn succeeded(args: &[&str], out: Output) -> String {
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The `--json` output of a successful run against the simulator.
#[allow(dead_code)] // not every test binary reads JSON this way
pub fn json(args: &[&str]) -> serde_json::Value {
    let mut all = args.to_vec();
    all.push("--json");
    serde_json::from_str(&ok(&all)).unwrap()
}
