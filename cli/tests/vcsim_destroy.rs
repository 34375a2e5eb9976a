//! `vm.destroy` on its own simulator (it removes VMs the other CLI tests count).

use std::process::Command;

fn cli(sim: &vcsim_harness::Vcsim, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_vsphere-cli"))
        .args(["--url", &sim.url, "--soap"])
        .args(args)
        .output()
        .expect("runs")
}

#[test]
fn vm_destroy_powers_off_and_removes_the_vm() {
    let sim = vcsim_harness::shared();
    let out = cli(sim, &["vm.destroy", "DC0_H0_VM1"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "Destroying /DC0/vm/DC0_H0_VM1... OK"
    );
    let listing = cli(sim, &["find", "/", "-type", "m"]);
    let paths = String::from_utf8_lossy(&listing.stdout).to_string();
    assert!(!paths.contains("DC0_H0_VM1"), "{paths}");
    assert!(paths.contains("DC0_H0_VM0"), "{paths}");
    let again = cli(sim, &["vm.destroy", "DC0_H0_VM1"]);
    assert_eq!(again.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&again.stderr).trim(),
        "DC0_H0_VM1: not found"
    );
}
