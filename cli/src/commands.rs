//! vm.create, vm.clone, datastore.info, tasks, events and privileges.

use serde_json::{json, Value};
use vsphere::{
    AnyVirtualDevice, AnyVirtualDeviceBackingInfo, AnyVirtualDeviceConfigSpec, Client,
    EventFilterSpec, ManagedObjectReference, VirtualDeviceConfigSpec,
    VirtualDeviceConfigSpecFileOperation, VirtualDeviceConfigSpecOperation, VirtualDisk,
    VirtualDiskFlatVer2BackingInfo, VirtualE1000, VirtualEthernetCardNetworkBackingInfo,
    VirtualLsiLogicController, VirtualMachine, VirtualMachineCloneSpec, VirtualMachineConfigSpec,
    VirtualMachineFileInfo, VirtualMachineRelocateSpec, VirtualSCSISharing,
};
use vsphere_helpers::find::{Entry, Inventory};
use vsphere_helpers::property;
use vsphere_runtime::Polymorphic;

use crate::{finish_with_result, inventory, named_or_all, properties, Output};

/// What `vm.create` builds.
pub struct CreateArgs<'a> {
    pub name: &'a str,
    pub memory_mb: i64,
    pub cpus: i32,
    pub disk_kb: i64,
    pub datastore: Option<&'a str>,
    pub folder: Option<&'a str>,
    pub network: &'a str,
}

/// A disk size like `10G`, `512M`, `1048576K` or a number of KB, in KB.
pub fn parse_size_kb(text: &str) -> Result<i64, String> {
    let t = text.trim().trim_end_matches(['B', 'b']);
    let (digits, unit) = match t.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
        Some((at, _)) => t.split_at(at),
        None => (t, "K"),
    };
    let n: i64 = digits
        .parse()
        .map_err(|_| format!("invalid size {text:?}: e.g. 10G, 512M"))?;
    let factor = match unit.to_ascii_uppercase().as_str() {
        "K" => 1,
        "M" => 1024,
        "G" => 1024 * 1024,
        "T" => 1024 * 1024 * 1024,
        _ => return Err(format!("invalid size unit in {text:?}: one of K M G T")),
    };
    n.checked_mul(factor)
        .ok_or_else(|| format!("size {text:?} is too large"))
}

/// The one datacenter a command works in: the first (govc's default when there is one).
fn datacenter(inv: &Inventory) -> Result<&Entry, String> {
    inv.datacenters()
        .into_iter()
        .next()
        .ok_or_else(|| "the inventory has no datacenter".to_string())
}

/// The first entity of `type_` under `prefix`, or the one `name` names in datacenter `dc`.
fn pick<'a>(
    inv: &'a Inventory,
    type_: &str,
    name: Option<&str>,
    dc: &Entry,
    prefix: &str,
) -> Result<&'a Entry, String> {
    match name {
        Some(n) => inv
            .named(type_, n, Some(&dc.path))
            .map_err(|e| e.to_string()),
        None => inv
            .of_type(type_)
            .into_iter()
            .find(|e| e.path.starts_with(prefix))
            .ok_or_else(|| format!("no {type_} under {prefix}")),
    }
}

/// The config spec of a new VM: memory, CPUs, a SCSI controller with one thin disk, and
/// an E1000 NIC on `network` (all device changes, told apart by type on the wire).
// The inherited fields (`key`, `backing`, …) are set through `Deref` to the base, which a
// struct literal cannot name.
#[allow(clippy::field_reassign_with_default)]
fn create_spec(
    args: &CreateArgs<'_>,
    datastore: &str,
    network: &Entry,
) -> VirtualMachineConfigSpec {
    let mut controller = VirtualLsiLogicController::default();
    controller.key = -100;
    controller.bus_number = 0;
    controller.shared_bus = VirtualSCSISharing::NoSharing;
    // `capacityInKB` is deprecated for `capacityInBytes` but still required on the wire,
    // and older servers read only it: both are sent.
    #[allow(deprecated)]
    let mut disk = VirtualDisk {
        capacity_in_kb: args.disk_kb,
        capacity_in_bytes: Some(args.disk_kb * 1024),
        ..Default::default()
    };
    disk.key = -101;
    disk.controller_key = Some(-100);
    disk.unit_number = Some(0);
    disk.backing = Some(AnyVirtualDeviceBackingInfo::from(
        VirtualDiskFlatVer2BackingInfo {
            disk_mode: "persistent".into(),
            thin_provisioned: Some(true),
            ..Default::default()
        },
    ));
    let mut nic = VirtualE1000::default();
    nic.key = -102;
    let mut backing = VirtualEthernetCardNetworkBackingInfo::default();
    backing.network = Some(network.reference.clone());
    backing.device_name = network.name.clone();
    nic.backing = Some(AnyVirtualDeviceBackingInfo::from(backing));
    let add = |device: AnyVirtualDevice, create_file: bool| {
        AnyVirtualDeviceConfigSpec::from(VirtualDeviceConfigSpec {
            operation: Some(VirtualDeviceConfigSpecOperation::Add),
            file_operation: create_file.then_some(VirtualDeviceConfigSpecFileOperation::Create),
            device,
            ..Default::default()
        })
    };
    VirtualMachineConfigSpec {
        name: Some(args.name.to_string()),
        guest_id: Some("otherGuest".into()),
        num_cpus: Some(args.cpus),
        memory_mb: Some(args.memory_mb),
        files: Some(VirtualMachineFileInfo {
            vm_path_name: Some(format!("[{datastore}]")),
            ..Default::default()
        }),
        device_change: vec![
            add(controller.into(), false),
            add(disk.into(), true),
            add(nic.into(), false),
        ],
        ..Default::default()
    }
}

/// `vm.create`: CreateVM_Task into the folder (`vm` of the datacenter by default), on the
/// first resource pool and datastore of the datacenter unless named.
pub async fn vm_create(client: &Client, args: &CreateArgs<'_>) -> Result<Output, String> {
    let inv = inventory(client).await?;
    let dc = datacenter(&inv)?;
    let folder = pick(
        &inv,
        "Folder",
        Some(args.folder.unwrap_or("vm")),
        dc,
        &dc.path,
    )?;
    let pool = pick(
        &inv,
        "ResourcePool",
        None,
        dc,
        &format!("{}/host/", dc.path),
    )?;
    let ds = pick(
        &inv,
        "Datastore",
        args.datastore,
        dc,
        &format!("{}/datastore/", dc.path),
    )?;
    let network = pick(&inv, "Network", Some(args.network), dc, &dc.path)?;
    let spec = create_spec(args, &ds.name, network);
    let folder_handle = vsphere::Folder::new(client.connection().clone(), folder.reference.clone());
    let label = format!("Creating {}/{}", folder.path, args.name);
    let outcome = finish_with_result(
        &label,
        folder_handle
            .create_vm_task(&spec, &pool.reference, None)
            .await,
    )
    .await?;
    let vm = outcome
        .result_as::<vsphere_runtime::One<ManagedObjectReference>>()
        .map_err(|e| e.to_string())?
        .0;
    let path = format!("{}/{}", folder.path, args.name);
    Ok(Output {
        columns: vec!["Result"],
        rows: vec![vec![format!("{label}... OK ({})", vm.value)]],
        json: json!([{"path": path, "value": vm.value, "datastore": ds.name, "pool": pool.path, "result": "created"}]),
    })
}

/// `vm.clone -vm SRC NAME`: CloneVM_Task next to the source, powered off.
pub async fn vm_clone(client: &Client, source: &str, name: &str) -> Result<Output, String> {
    let inv = inventory(client).await?;
    let src = inv
        .named("VirtualMachine", source, None)
        .map_err(|e| e.to_string())?;
    let parent = src
        .parent
        .map(|i| &inv.entries()[i])
        .ok_or_else(|| format!("{}: no parent folder", src.path))?;
    let vm = VirtualMachine::new(client.connection().clone(), src.reference.clone());
    let spec = VirtualMachineCloneSpec {
        location: VirtualMachineRelocateSpec::default(),
        power_on: false,
        template: false,
        ..Default::default()
    };
    let label = format!("Cloning {} to {}/{name}", src.path, parent.path);
    let outcome = finish_with_result(
        &label,
        vm.clone_vm_task(&parent.reference, name, &spec).await,
    )
    .await?;
    let clone = outcome
        .result_as::<vsphere_runtime::One<ManagedObjectReference>>()
        .map_err(|e| e.to_string())?
        .0;
    Ok(Output {
        columns: vec!["Result"],
        rows: vec![vec![format!("{label}... OK ({})", clone.value)]],
        json: json!([{"source": src.path, "path": format!("{}/{name}", parent.path), "value": clone.value, "result": "cloned"}]),
    })
}

/// `datastore.info [NAME…]`: name, path, type, capacity, free space, URL.
pub async fn datastore_info(client: &Client, names: &[String]) -> Result<Output, String> {
    let inv = inventory(client).await?;
    let found = named_or_all(&inv, "Datastore", names)?;
    let props = properties(client, "Datastore", &found, &["summary"]).await?;
    let (mut rows, mut list) = (Vec::new(), Vec::new());
    for (entry, p) in found.iter().zip(&props) {
        let s: vsphere::DatastoreSummary = p
            .get("summary")
            .map_err(|e| e.to_string())?
            .ok_or_else(|| format!("{}: no summary", entry.path))?;
        let mb = |bytes: i64| bytes / (1024 * 1024);
        rows.push(vec![
            s.name.clone(),
            entry.path.clone(),
            s.type_.clone(),
            mb(s.capacity).to_string(),
            mb(s.free_space).to_string(),
            s.url.clone(),
        ]);
        list.push(json!({"name": s.name, "path": entry.path, "type": s.type_,
            "capacityMB": mb(s.capacity), "freeMB": mb(s.free_space), "url": s.url,
            "accessible": s.accessible}));
    }
    Ok(Output {
        columns: vec!["Name", "Path", "Type", "Capacity (MB)", "Free (MB)", "URL"],
        rows,
        json: Value::Array(list),
    })
}

/// `tasks`: the server's recent tasks (`TaskManager.recentTask`) with their state.
pub async fn tasks(client: &Client) -> Result<Output, String> {
    let manager = client
        .service_content()
        .task_manager
        .clone()
        .ok_or("the server has no TaskManager")?;
    let manager = vsphere::TaskManager::new(client.connection().clone(), manager);
    let recent = manager.recent_task().await.map_err(|e| e.to_string())?;
    let props = property::retrieve(client, "Task", &recent, &["info"])
        .await
        .map_err(|e| e.to_string())?;
    let (mut rows, mut list) = (Vec::new(), Vec::new());
    for p in &props {
        let Some(info) = p
            .get::<vsphere::TaskInfo>("info")
            .map_err(|e| e.to_string())?
        else {
            continue;
        };
        let name = info
            .name
            .clone()
            .unwrap_or_else(|| info.description_id.clone());
        let target = info.entity_name.clone().unwrap_or_default();
        let state = info.state.as_str().to_string();
        let queued = info.queue_time.to_rfc3339();
        rows.push(vec![
            info.key.clone(),
            name.clone(),
            target.clone(),
            state.clone(),
            queued.clone(),
        ]);
        list.push(json!({"key": info.key, "name": name, "target": target, "state": state, "queueTime": queued}));
    }
    Ok(Output {
        columns: vec!["Key", "Task", "Target", "State", "Queued"],
        rows,
        json: Value::Array(list),
    })
}

/// `events [-n N] [PATH…]`: the last N events (of the given entities, else all), oldest
/// first, by `EventManager.QueryEvents`.
pub async fn events(client: &Client, paths: &[String], count: usize) -> Result<Output, String> {
    let manager = client
        .service_content()
        .event_manager
        .clone()
        .ok_or("the server has no EventManager")?;
    let manager = vsphere::EventManager::new(client.connection().clone(), manager);
    let mut entities = Vec::new();
    if !paths.is_empty() {
        let inv = inventory(client).await?;
        for p in paths {
            let found = inv.find(p, None).map_err(|e| e.to_string())?;
            entities.extend(found.into_iter().map(|e| e.reference.clone()));
        }
    }
    let mut all = Vec::new();
    let filters: Vec<EventFilterSpec> = if entities.is_empty() {
        vec![EventFilterSpec::default()]
    } else {
        entities
            .iter()
            .map(|e| EventFilterSpec {
                entity: Some(vsphere::EventFilterSpecByEntity {
                    entity: e.clone(),
                    recursion: vsphere::EventFilterSpecRecursionOption::Self_,
                    ..Default::default()
                }),
                ..Default::default()
            })
            .collect()
    };
    for filter in &filters {
        all.extend(
            manager
                .query_events(filter)
                .await
                .map_err(|e| e.to_string())?,
        );
    }
    all.sort_by_key(|e| e.key);
    all.dedup_by_key(|e| e.key);
    let skip = all.len().saturating_sub(count);
    let (mut rows, mut list) = (Vec::new(), Vec::new());
    for event in &all[skip..] {
        let type_name = match event.as_unknown() {
            Some((t, _)) => t.to_string(),
            None => event.object().info().wire.to_string(),
        };
        let when = event.created_time.to_rfc3339();
        let message = event.full_formatted_message.clone().unwrap_or_default();
        rows.push(vec![when.clone(), type_name.clone(), message.clone()]);
        list.push(
            json!({"key": event.key, "createdTime": when, "type": type_name,
            "userName": event.user_name, "message": message}),
        );
    }
    Ok(Output {
        columns: vec!["Time", "Type", "Message"],
        rows,
        json: Value::Array(list),
    })
}

/// `privileges`: what a role needs to make the calls `names` name, from the SDK's tables
/// (no server). A row per privilege, sorted, with the calls needing it, then the calls whose
/// privilege depends on their arguments and those for which the documents name none. Every
/// name that does not resolve is reported, and the command fails.
pub fn privileges(names: &[String]) -> Result<Output, String> {
    let catalog = vsphere::meta::CATALOG;
    let (mut calls, mut unknown) = (Vec::new(), Vec::new());
    for name in names {
        match catalog.resolve(name) {
            Ok(found) => calls.extend(found),
            Err(e) => unknown.push(e.to_string()),
        }
    }
    if !unknown.is_empty() {
        return Err(unknown.join("\n"));
    }
    let needs = vsphere_runtime::privileges(calls);
    let list = |calls: Vec<&vsphere::meta::Resolved>| {
        calls
            .iter()
            .map(|c| c.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut rows: Vec<Vec<String>> = needs
        .required
        .iter()
        .map(|p| vec![p.to_string(), list(needs.needed_by(p).collect())])
        .collect();
    if !needs.dynamic.is_empty() {
        let dynamic = list(needs.dynamic.iter().collect());
        rows.push(vec!["(depends on arguments)".to_string(), dynamic]);
    }
    let unstated: Vec<_> = needs.unstated().collect();
    if !unstated.is_empty() {
        rows.push(vec!["(none documented)".to_string(), list(unstated)]);
    }
    let json_calls: Vec<Value> = needs
        .calls
        .iter()
        .map(|c| {
            let privilege = match c.required_privilege() {
                vsphere::meta::Privilege::Named(p) => Some(p),
                _ => None,
            };
            json!({
                "name": c.to_string(),
                "kind": if c.member.is_method() { "method" } else { "property" },
                "declaredBy": c.member.managed_object(),
                "privilege": privilege,
                "dynamic": c.required_privilege() == vsphere::meta::Privilege::Dynamic,
            })
        })
        .collect();
    let dynamic: Vec<String> = needs.dynamic.iter().map(|c| c.to_string()).collect();
    Ok(Output {
        columns: vec!["Privilege", "Needed by"],
        rows,
        json: json!({"privileges": needs.required, "dynamic": dynamic, "calls": json_calls}),
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn sizes_parse_in_kb() {
        assert_eq!(super::parse_size_kb("10G"), Ok(10 * 1024 * 1024));
        assert_eq!(super::parse_size_kb("512MB"), Ok(512 * 1024));
        assert_eq!(super::parse_size_kb("2048"), Ok(2048));
        assert!(super::parse_size_kb("ten").is_err());
        assert!(super::parse_size_kb("1X").is_err());
    }
}
