//! Listing every VM through a view, R times, with this SDK over SOAP against a running
//! vcsim, the way a user of `vsphere-helpers` writes it: `connect` from the URL, then per
//! listing `View::create(root folder, ["VirtualMachine"], recursive)`, `View::retrieve`
//! of `name`, `runtime.powerState`, `config.hardware.memoryMB` (one
//! `RetrievePropertiesEx`, continued while the server pages), each value read as its type,
//! `View::destroy`. Not a criterion benchmark: `benches/peers/list-vms.sh` builds it with
//! `cargo bench --no-run` and runs the binary with
//!
//! - `BENCH_URL`: `http://user:pass@127.0.0.1:PORT/sdk` (what vcsim prints), required;
//! - `BENCH_R`: listings (default 20);
//! - `BENCH_VMS`: the number of VMs each listing must return (default: what the first,
//!   untimed listing returns).
//!
//! One listing is done before the timed ones (and checked like them). The CPU time of this
//! process (user + sys, `getrusage(RUSAGE_SELF)`) is read right before and right after the
//! R timed listings. Prints one line:
//! `RESULT impl=… listings=… vms=… user_s=… sys_s=… wall_s=…`. Without `BENCH_URL` (as
//! when `cargo bench` runs every bench target) it says so and exits successfully.

use std::process::ExitCode;
use std::time::Instant;

use vsphere::{Client, Protocol, VirtualMachinePowerState};
use vsphere_helpers::view::View;
use vsphere_helpers::{connect, ConnectOptions};

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

/// One VM as listed.
struct Vm {
    name: String,
    power_state: VirtualMachinePowerState,
    memory_mb: i32,
}

/// One listing: a view over the root folder, the three properties of every VM in it,
/// the view destroyed.
async fn list(client: &Client) -> Result<Vec<Vm>, Box<dyn std::error::Error>> {
    let root = client.service_content().root_folder.clone();
    let view = View::create(client, &root, &["VirtualMachine"], true).await?;
    let found = view
        .retrieve(
            "VirtualMachine",
            &["name", "runtime.powerState", "config.hardware.memoryMB"],
        )
        .await?;
    view.destroy().await?;
    let mut vms = Vec::with_capacity(found.len());
    for vm in &found {
        vms.push(Vm {
            name: vm.get("name")?.ok_or("a VM without a name")?,
            power_state: vm
                .get("runtime.powerState")?
                .ok_or("a VM without runtime.powerState")?,
            memory_mb: vm
                .get("config.hardware.memoryMB")?
                .ok_or("a VM without config.hardware.memoryMB")?,
        });
    }
    Ok(vms)
}

/// Checks a listing: `expected` VMs, each with some memory.
fn check(vms: &[Vm], expected: usize, which: &str) -> Result<(), String> {
    if vms.len() != expected {
        return Err(format!("{which}: {} VMs, expected {expected}", vms.len()));
    }
    if let Some(vm) = vms.iter().find(|vm| vm.memory_mb <= 0) {
        return Err(format!("{which}: {} has {} MB", vm.name, vm.memory_mb));
    }
    Ok(())
}

fn main() -> ExitCode {
    let Ok(url) = std::env::var("BENCH_URL") else {
        eprintln!("list_vms: BENCH_URL is not set; run benches/peers/list-vms.sh");
        return ExitCode::SUCCESS;
    };
    let r: usize = std::env::var("BENCH_R")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20);
    let expected: Option<usize> = std::env::var("BENCH_VMS").ok().and_then(|v| v.parse().ok());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let result = runtime.block_on(async move {
        let options = ConnectOptions {
            protocol: Some(Protocol::Soap),
            ..ConnectOptions::default()
        };
        let client = connect(&url, &options)
            .await
            .map_err(|e| format!("connect: {e}"))?;
        let first = list(&client)
            .await
            .map_err(|e| format!("warm-up listing: {e}"))?;
        let expected = expected.unwrap_or(first.len());
        check(&first, expected, "warm-up listing")?;
        let (user0, sys0) = cpu_times();
        let wall = Instant::now();
        let mut powered_on = 0;
        for i in 0..r {
            let vms = list(&client)
                .await
                .map_err(|e| format!("listing {i}: {e}"))?;
            check(&vms, expected, &format!("listing {i}"))?;
            powered_on += vms
                .iter()
                .filter(|vm| vm.power_state == VirtualMachinePowerState::PoweredOn)
                .count();
        }
        let wall = wall.elapsed().as_secs_f64();
        let (user1, sys1) = cpu_times();
        std::hint::black_box(powered_on);
        Ok::<_, String>((expected, user1 - user0, sys1 - sys0, wall))
    });
    match result {
        Ok((vms, user_s, sys_s, wall_s)) => {
            println!(
                "RESULT impl=\"vsphere-rs (SOAP)\" listings={r} vms={vms} user_s={user_s:.6} sys_s={sys_s:.6} wall_s={wall_s:.6}"
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("list_vms: {e}");
            ExitCode::FAILURE
        }
    }
}
