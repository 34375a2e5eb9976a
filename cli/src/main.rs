//! `vsphere-cli`: govc's everyday commands over the vsphere crate and its helpers.
//! Connection from `--url`/`VSPHERE_URL`, falling back to govc's `GOVC_URL`,
//! `GOVC_USERNAME`, `GOVC_PASSWORD` and `GOVC_INSECURE` (`privileges` needs no server).
//! Tables by default, `--json` everywhere. A failure prints the server's fault name and
//! message and exits with 1.

mod commands;

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use serde_json::{json, Value};
use vsphere::{Client, Protocol, Secret, VirtualMachine};
use vsphere_helpers::find::{Entry, Inventory};
use vsphere_helpers::task::{self, WaitOptions};
use vsphere_helpers::{connect, ConnectOptions};

/// govc-like commands for vSphere.
#[derive(Parser, Debug)]
#[command(name = "vsphere-cli", version)]
struct Cli {
    /// Server URL, `https://user:pass@host/sdk` (default: `VSPHERE_URL`, then `GOVC_URL`).
    #[arg(long, global = true)]
    url: Option<String>,
    /// Accept any server certificate (default: `GOVC_INSECURE`).
    #[arg(long, global = true)]
    insecure: bool,
    /// Speak SOAP whatever the server's version.
    #[arg(long, global = true)]
    soap: bool,
    /// Print JSON instead of a table.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// The server's product, version and API.
    #[command(name = "about")]
    About,
    /// The children of PATH (`/` by default).
    #[command(name = "ls")]
    Ls {
        /// An inventory path, wildcards allowed.
        path: Option<String>,
    },
    /// Every entity under PATH, of a type: m (VM), h (host), d (datacenter),
    /// s (datastore), n (network), c (cluster), f (folder).
    #[command(name = "find")]
    Find {
        /// Where to look (`/` by default).
        path: Option<String>,
        /// The type letter.
        #[arg(long = "type")]
        kind: Option<String>,
    },
    /// Name, path, power state, CPUs and memory of VMs.
    #[command(name = "vm.info")]
    VmInfo {
        /// VM names or paths.
        #[arg(required = true)]
        names: Vec<String>,
    },
    /// Power VMs on, off, reset or suspend.
    #[command(name = "vm.power")]
    VmPower {
        /// Power on.
        #[arg(long, group = "op")]
        on: bool,
        /// Power off.
        #[arg(long, group = "op")]
        off: bool,
        /// Reset.
        #[arg(long, group = "op")]
        reset: bool,
        /// Suspend.
        #[arg(long, group = "op")]
        suspend: bool,
        /// VM names or paths.
        #[arg(required = true)]
        names: Vec<String>,
    },
    /// Change a VM's memory or CPUs.
    #[command(name = "vm.change")]
    VmChange {
        /// The VM's name or path.
        #[arg(long)]
        vm: String,
        /// Memory in MB.
        #[arg(short = 'm')]
        memory_mb: Option<i64>,
        /// Number of CPUs.
        #[arg(short = 'c')]
        cpus: Option<i32>,
    },
    /// Power off (when on) and destroy VMs.
    #[command(name = "vm.destroy")]
    VmDestroy {
        /// VM names or paths.
        #[arg(required = true)]
        names: Vec<String>,
    },
    /// Hosts' name, path, CPU, memory and connection state.
    #[command(name = "host.info")]
    HostInfo {
        /// Host names or paths (every host when none).
        names: Vec<String>,
    },
    /// The server's sessions (user, user agent, IP, login time; never their keys).
    #[command(name = "session.ls")]
    SessionLs,
    /// Create a VM with a SCSI disk and an E1000 NIC.
    #[command(name = "vm.create")]
    VmCreate {
        /// The new VM's name.
        name: String,
        /// Memory in MB.
        #[arg(short = 'm', default_value_t = 1024)]
        memory_mb: i64,
        /// Number of CPUs.
        #[arg(short = 'c', default_value_t = 1)]
        cpus: i32,
        /// Disk size (e.g. 10G, 512M).
        #[arg(long, default_value = "1G")]
        disk: String,
        /// Datastore name (the datacenter's first by default).
        #[arg(long = "ds")]
        datastore: Option<String>,
        /// Folder path (the datacenter's `vm` folder by default).
        #[arg(long)]
        folder: Option<String>,
        /// Network of the NIC.
        #[arg(long = "net", default_value = "VM Network")]
        network: String,
    },
    /// Clone a VM next to it (powered off).
    #[command(name = "vm.clone")]
    VmClone {
        /// The source VM's name or path.
        #[arg(long)]
        vm: String,
        /// The clone's name.
        name: String,
    },
    /// Datastores' name, path, type, capacity, free space and URL.
    #[command(name = "datastore.info")]
    DatastoreInfo {
        /// Datastore names or paths (every datastore when none).
        names: Vec<String>,
    },
    /// The server's recent tasks.
    #[command(name = "tasks")]
    Tasks,
    /// The privileges a role needs for the given calls, from the SDK's tables (no server):
    /// `VirtualMachine.PowerOnVM_Task` (inherited methods too: `VirtualMachine.Destroy_Task`),
    /// a property `VirtualMachine.config`, or a bare name for every type declaring it.
    #[command(name = "privileges")]
    Privileges {
        /// Method or property names: `Object.member` or `member`.
        #[arg(required = true)]
        names: Vec<String>,
    },
    /// The latest events (of the given entities, else of all).
    #[command(name = "events")]
    Events {
        /// How many.
        #[arg(short = 'n', default_value_t = 25)]
        count: usize,
        /// Entity paths.
        paths: Vec<String>,
    },
}

/// govc's single-dash long flags (`-type m`, `-on`) as clap's `--type`, `--on`.
fn govc_flags(args: impl Iterator<Item = String>) -> Vec<String> {
    args.enumerate()
        .map(|(i, a)| {
            let single_dash_word = a.len() > 2 && a.starts_with('-') && !a.starts_with("--");
            if i > 0 && single_dash_word && !a[1..].starts_with(|c: char| c.is_ascii_digit()) {
                format!("-{a}")
            } else {
                a
            }
        })
        .collect()
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse_from(govc_flags(std::env::args()));
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

/// The connection settings from flags and environment.
fn options(cli: &Cli) -> Result<(String, ConnectOptions), String> {
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    let url = cli
        .url
        .clone()
        .or_else(|| env("VSPHERE_URL"))
        .or_else(|| env("GOVC_URL"))
        .ok_or("no server: pass --url or set VSPHERE_URL (or GOVC_URL)")?;
    let truthy = |v: Option<String>| v.is_some_and(|v| v == "1" || v.eq_ignore_ascii_case("true"));
    let options = ConnectOptions {
        user: env("GOVC_USERNAME"),
        password: env("GOVC_PASSWORD").map(Secret::new),
        insecure: cli.insecure || truthy(env("GOVC_INSECURE")),
        protocol: cli.soap.then_some(Protocol::Soap),
        lenient: true,
        ..ConnectOptions::default()
    };
    Ok((url, options))
}

async fn run(cli: Cli) -> Result<(), String> {
    if let Command::Privileges { names } = &cli.command {
        print(&commands::privileges(names)?, cli.json);
        return Ok(());
    }
    let (url, options) = options(&cli)?;
    let client = connect(&url, &options).await.map_err(|e| e.to_string())?;
    let out = match &cli.command {
        Command::About => about(&client),
        Command::Ls { path } => {
            let inv = inventory(&client).await?;
            let found = inv
                .children(path.as_deref().unwrap_or("/"), None)
                .map_err(|e| e.to_string())?;
            entries(&found)
        }
        Command::Find { path, kind } => {
            let inv = inventory(&client).await?;
            let base = path.as_deref().unwrap_or("/");
            let root = inv.find(base, None).map_err(|e| e.to_string())?;
            let prefixes: Vec<String> = root
                .iter()
                .map(|e| e.path.trim_end_matches('/').to_string() + "/")
                .collect();
            let wanted = kind.as_deref().map(type_of_letter).transpose()?;
            let found: Vec<&Entry> = inv
                .entries()
                .iter()
                .filter(|e| prefixes.iter().any(|p| e.path.starts_with(p.as_str())))
                .filter(|e| wanted.is_none_or(|types| types.contains(&e.reference.type_.as_str())))
                .collect();
            let mut found = found;
            found.sort_by(|a, b| a.path.cmp(&b.path));
            entries(&found)
        }
        Command::VmInfo { names } => vm_info(&client, names).await?,
        Command::VmPower {
            on,
            off,
            reset,
            suspend,
            names,
        } => vm_power(&client, names, (*on, *off, *reset, *suspend)).await?,
        Command::VmChange {
            vm,
            memory_mb,
            cpus,
        } => vm_change(&client, vm, *memory_mb, *cpus).await?,
        Command::VmDestroy { names } => vm_destroy(&client, names).await?,
        Command::HostInfo { names } => host_info(&client, names).await?,
        Command::SessionLs => session_ls(&client).await?,
        Command::VmCreate {
            name,
            memory_mb,
            cpus,
            disk,
            datastore,
            folder,
            network,
        } => {
            let args = commands::CreateArgs {
                name,
                memory_mb: *memory_mb,
                cpus: *cpus,
                disk_kb: commands::parse_size_kb(disk)?,
                datastore: datastore.as_deref(),
                folder: folder.as_deref(),
                network,
            };
            commands::vm_create(&client, &args).await?
        }
        Command::VmClone { vm, name } => commands::vm_clone(&client, vm, name).await?,
        Command::DatastoreInfo { names } => commands::datastore_info(&client, names).await?,
        Command::Tasks => commands::tasks(&client).await?,
        Command::Events { count, paths } => commands::events(&client, paths, *count).await?,
        Command::Privileges { .. } => unreachable!("answered without a server above"),
    };
    print(&out, cli.json);
    Ok(())
}

/// A command's output: rows of (column, value), printed as a table or JSON.
struct Output {
    columns: Vec<&'static str>,
    rows: Vec<Vec<String>>,
    json: Value,
}

fn print(out: &Output, json: bool) {
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&out.json).unwrap_or_default()
        );
        return;
    }
    if out.columns.len() == 1 {
        for row in &out.rows {
            println!("{}", row[0]);
        }
        return;
    }
    let widths: Vec<usize> = (0..out.columns.len())
        .map(|c| {
            out.rows
                .iter()
                .map(|r| r[c].len())
                .chain([out.columns[c].len()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: Vec<&str>| {
        let text: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        println!("{}", text.join("  ").trim_end());
    };
    line(out.columns.clone());
    for row in &out.rows {
        line(row.iter().map(String::as_str).collect());
    }
}

fn about(client: &Client) -> Output {
    let a = &client.service_content().about;
    let pairs = [
        ("FullName", a.full_name.clone()),
        ("Name", a.name.clone()),
        ("Vendor", a.vendor.clone()),
        ("Version", a.version.clone()),
        ("Build", a.build.clone()),
        ("OS type", a.os_type.clone()),
        ("API type", a.api_type.clone()),
        ("API version", a.api_version.clone()),
        ("Product ID", a.product_line_id.clone()),
    ];
    Output {
        columns: vec!["Property", "Value"],
        rows: pairs
            .iter()
            .map(|(k, v)| vec![k.to_string(), v.clone()])
            .collect(),
        json: Value::Object(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), json!(v)))
                .collect(),
        ),
    }
}

async fn inventory(client: &Client) -> Result<Inventory, String> {
    Inventory::load(client).await.map_err(|e| e.to_string())
}

/// Paths, one per line (`{"path", "type", "value"}` objects in JSON).
fn entries(found: &[&Entry]) -> Output {
    Output {
        columns: vec!["Path"],
        rows: found.iter().map(|e| vec![e.path.clone()]).collect(),
        json: Value::Array(
            found
                .iter()
                .map(|e| json!({"path": e.path, "type": e.reference.type_, "value": e.reference.value}))
                .collect(),
        ),
    }
}

/// The managed object types a `find -type` letter stands for.
fn type_of_letter(letter: &str) -> Result<&'static [&'static str], String> {
    Ok(match letter {
        "m" => &["VirtualMachine"],
        "h" => &["HostSystem"],
        "d" => &["Datacenter"],
        "s" => &["Datastore"],
        "n" => &["Network", "DistributedVirtualPortgroup", "OpaqueNetwork"],
        "c" => &["ClusterComputeResource", "ComputeResource"],
        "f" => &["Folder"],
        "p" => &["ResourcePool"],
        other => return Err(format!("unknown -type {other:?}: one of m h d s n c f p")),
    })
}

/// The VMs called or at each of `names`.
fn vms<'a>(inv: &'a Inventory, names: &[String]) -> Result<Vec<&'a Entry>, String> {
    names
        .iter()
        .map(|n| {
            inv.named("VirtualMachine", n, None)
                .map_err(|e| e.to_string())
        })
        .collect()
}

/// The entities of `type_` that `names` name (names or paths), or every one of them when
/// `names` is empty.
fn named_or_all<'a>(
    inv: &'a Inventory,
    type_: &str,
    names: &[String],
) -> Result<Vec<&'a Entry>, String> {
    if names.is_empty() {
        return Ok(inv.of_type(type_));
    }
    names
        .iter()
        .map(|n| inv.named(type_, n, None).map_err(|e| e.to_string()))
        .collect()
}

/// `paths` of each of `found` (of type `type_`), in `found`'s order, in one retrieval.
async fn properties(
    client: &Client,
    type_: &str,
    found: &[&Entry],
    paths: &[&str],
) -> Result<Vec<vsphere_helpers::property::ObjectProperties>, String> {
    let refs: Vec<_> = found.iter().map(|e| e.reference.clone()).collect();
    let props = vsphere_helpers::property::retrieve(client, type_, &refs, paths)
        .await
        .map_err(|e| e.to_string())?;
    found
        .iter()
        .map(|entry| {
            let at = props
                .iter()
                .position(|p| p.obj == entry.reference)
                .ok_or_else(|| format!("{}: no properties", entry.path))?;
            Ok(props[at].clone())
        })
        .collect()
}

async fn vm_info(client: &Client, names: &[String]) -> Result<Output, String> {
    let inv = inventory(client).await?;
    let found = vms(&inv, names)?;
    let paths = [
        "runtime.powerState",
        "config.hardware.numCPU",
        "config.hardware.memoryMB",
        "config.guestFullName",
    ];
    let props = properties(client, "VirtualMachine", &found, &paths).await?;
    let mut rows = Vec::new();
    let mut list = Vec::new();
    for (entry, p) in found.iter().zip(&props) {
        let state: Option<vsphere::VirtualMachinePowerState> =
            p.get("runtime.powerState").map_err(|e| e.to_string())?;
        let state = state.map(|s| format!("{s:?}")).unwrap_or_default();
        let cpus: Option<i32> = p.get("config.hardware.numCPU").map_err(|e| e.to_string())?;
        let memory: Option<i32> = p
            .get("config.hardware.memoryMB")
            .map_err(|e| e.to_string())?;
        let guest: Option<String> = p.get("config.guestFullName").map_err(|e| e.to_string())?;
        rows.push(vec![
            entry.name.clone(),
            entry.path.clone(),
            state.clone(),
            cpus.map(|c| c.to_string()).unwrap_or_default(),
            memory.map(|m| m.to_string()).unwrap_or_default(),
            guest.clone().unwrap_or_default(),
        ]);
        list.push(
            json!({"name": entry.name, "path": entry.path, "powerState": state,
            "numCPU": cpus, "memoryMB": memory, "guestFullName": guest}),
        );
    }
    Ok(Output {
        columns: vec![
            "Name",
            "Path",
            "Power state",
            "CPUs",
            "Memory (MB)",
            "Guest",
        ],
        rows,
        json: Value::Array(list),
    })
}

async fn vm_power(
    client: &Client,
    names: &[String],
    op: (bool, bool, bool, bool),
) -> Result<Output, String> {
    let inv = inventory(client).await?;
    let found = vms(&inv, names)?;
    let mut rows = Vec::new();
    let mut list = Vec::new();
    for entry in found {
        let vm = VirtualMachine::new(client.connection().clone(), entry.reference.clone());
        let (what, started) = match op {
            (true, _, _, _) => (
                "on",
                vm.power_on_vm_task(None).await.map_err(|e| e.to_string()),
            ),
            (_, true, _, _) => (
                "off",
                vm.power_off_vm_task().await.map_err(|e| e.to_string()),
            ),
            (_, _, true, _) => ("reset", vm.reset_vm_task().await.map_err(|e| e.to_string())),
            (_, _, _, true) => (
                "suspend",
                vm.suspend_vm_task().await.map_err(|e| e.to_string()),
            ),
            _ => return Err("vm.power: give one of -on, -off, -reset, -suspend".to_string()),
        };
        let task = started?;
        task::wait(&task, WaitOptions::default())
            .await
            .map_err(|e| e.to_string())?;
        rows.push(vec![format!("Powering {what} {}... OK", entry.path)]);
        list.push(json!({"path": entry.path, "power": what, "result": "success"}));
    }
    Ok(Output {
        columns: vec!["Result"],
        rows,
        json: Value::Array(list),
    })
}

/// Waits for `task`, its fault as `Name: message` on failure.
async fn finish<E: std::fmt::Display>(task: Result<vsphere::Task, E>) -> Result<(), String> {
    finish_with_result("Waiting for the task", task)
        .await
        .map(drop)
}

/// Waits for `task` with a progress bar on a terminal (`label` and the percentage on
/// stderr; nothing when stderr is not a terminal), its outcome or its fault as
/// `Name: message`.
async fn finish_with_result<E: std::fmt::Display>(
    label: &str,
    task: Result<vsphere::Task, E>,
) -> Result<task::TaskOutcome, String> {
    let task = task.map_err(|e| e.to_string())?;
    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new(100);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{msg} [{bar:30}] {pos:>3}%")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        bar.set_message(label.to_string());
        bar
    });
    let progress = bar.clone().map(|bar| {
        Box::new(move |p: &task::Progress| {
            if let Some(percent) = p.percent {
                bar.set_position(percent.clamp(0, 100) as u64);
            }
        }) as task::ProgressFn<'static>
    });
    let outcome = task::wait(
        &task,
        WaitOptions {
            progress,
            ..WaitOptions::default()
        },
    )
    .await;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    outcome.map_err(|e| e.to_string())
}

async fn vm_change(
    client: &Client,
    name: &str,
    memory_mb: Option<i64>,
    cpus: Option<i32>,
) -> Result<Output, String> {
    let inv = inventory(client).await?;
    let entry = inv
        .named("VirtualMachine", name, None)
        .map_err(|e| e.to_string())?;
    let vm = VirtualMachine::new(client.connection().clone(), entry.reference.clone());
    let spec = vsphere::VirtualMachineConfigSpec {
        memory_mb,
        num_cpus: cpus,
        ..Default::default()
    };
    finish(vm.reconfig_vm_task(&spec).await).await?;
    Ok(Output {
        columns: vec!["Result"],
        rows: vec![vec![format!("Reconfiguring {}... OK", entry.path)]],
        json: json!([{"path": entry.path, "memoryMB": memory_mb, "numCPUs": cpus, "result": "success"}]),
    })
}

async fn vm_destroy(client: &Client, names: &[String]) -> Result<Output, String> {
    let inv = inventory(client).await?;
    let found = vms(&inv, names)?;
    let refs: Vec<_> = found.iter().map(|e| e.reference.clone()).collect();
    let props = vsphere_helpers::property::retrieve(
        client,
        "VirtualMachine",
        &refs,
        &["runtime.powerState"],
    )
    .await
    .map_err(|e| e.to_string())?;
    let mut rows = Vec::new();
    for entry in &found {
        let vm = VirtualMachine::new(client.connection().clone(), entry.reference.clone());
        let state: Option<vsphere::VirtualMachinePowerState> = props
            .iter()
            .find(|p| p.obj == entry.reference)
            .and_then(|p| p.get("runtime.powerState").ok().flatten());
        if state == Some(vsphere::VirtualMachinePowerState::PoweredOn) {
            finish(vm.power_off_vm_task().await).await?;
        }
        finish(vm.destroy_task().await).await?;
        rows.push(vec![format!("Destroying {}... OK", entry.path)]);
    }
    let json = Value::Array(
        found
            .iter()
            .map(|e| json!({"path": e.path, "result": "destroyed"}))
            .collect(),
    );
    Ok(Output {
        columns: vec!["Result"],
        rows,
        json,
    })
}

async fn host_info(client: &Client, names: &[String]) -> Result<Output, String> {
    let inv = inventory(client).await?;
    let found = named_or_all(&inv, "HostSystem", names)?;
    let paths = [
        "summary.hardware.numCpuCores",
        "summary.hardware.memorySize",
        "runtime.connectionState",
        "summary.config.product.fullName",
    ];
    let props = properties(client, "HostSystem", &found, &paths).await?;
    let mut rows = Vec::new();
    let mut list = Vec::new();
    for (entry, p) in found.iter().zip(&props) {
        let cores: Option<i16> = p
            .get("summary.hardware.numCpuCores")
            .map_err(|e| e.to_string())?;
        let memory: Option<i64> = p
            .get("summary.hardware.memorySize")
            .map_err(|e| e.to_string())?;
        let state: Option<vsphere::HostSystemConnectionState> = p
            .get("runtime.connectionState")
            .map_err(|e| e.to_string())?;
        let product: Option<String> = p
            .get("summary.config.product.fullName")
            .map_err(|e| e.to_string())?;
        let memory_mb = memory.map(|m| m / (1024 * 1024));
        let state = state.map(|s| format!("{s:?}")).unwrap_or_default();
        rows.push(vec![
            entry.name.clone(),
            entry.path.clone(),
            cores.map(|c| c.to_string()).unwrap_or_default(),
            memory_mb.map(|m| m.to_string()).unwrap_or_default(),
            state.clone(),
            product.clone().unwrap_or_default(),
        ]);
        list.push(
            json!({"name": entry.name, "path": entry.path, "numCpuCores": cores,
            "memoryMB": memory_mb, "connectionState": state, "product": product}),
        );
    }
    Ok(Output {
        columns: vec![
            "Name",
            "Path",
            "CPU cores",
            "Memory (MB)",
            "State",
            "Product",
        ],
        rows,
        json: Value::Array(list),
    })
}

async fn session_ls(client: &Client) -> Result<Output, String> {
    let sessions = client
        .session_manager()
        .map_err(|e| e.to_string())?
        .session_list()
        .await
        .map_err(|e| e.to_string())?;
    let rows = sessions
        .iter()
        .map(|s| {
            vec![
                s.user_name.clone(),
                s.user_agent.clone(),
                s.ip_address.clone(),
                s.login_time.to_rfc3339(),
            ]
        })
        .collect();
    let json = Value::Array(
        sessions
            .iter()
            .map(|s| json!({"userName": s.user_name, "userAgent": s.user_agent, "ipAddress": s.ip_address, "loginTime": s.login_time.to_rfc3339()}))
            .collect(),
    );
    Ok(Output {
        columns: vec!["User", "User agent", "IP", "Login time"],
        rows,
        json,
    })
}
