//! The whole API over SOAP against vcsim's default VPX inventory (its own simulator, apart
//! from the session tests): inherited methods and properties through a subtype's handle,
//! narrowing a `ManagedEntity` reference, task methods and their results, a polymorphic
//! device change, and a fault subtype inside a task's error.
// The API's deprecated members (`VirtualDisk.capacityInKB`, …) are still what the wire and
// older servers carry; these tests use them on purpose.
#![allow(deprecated)]

use std::time::Duration;

use vsphere::{
    AnyMethodFault, AnyVirtualDevice, AnyVirtualDeviceBackingInfo, AnyVirtualDeviceConfigSpec,
    Client, ComputeResource, Datacenter, Folder, ManagedEntity, Protocol, Secret, Task, TaskInfo,
    TaskInfoState, VirtualDeviceConfigSpec, VirtualDeviceConfigSpecFileOperation,
    VirtualDeviceConfigSpecOperation, VirtualDisk, VirtualDiskFlatVer2BackingInfo, VirtualMachine,
    VirtualMachineConfigSpec, VirtualMachineFileInfo, VirtualMachinePowerState,
};
use vsphere_runtime::{CallError, ManagedObject, ManagedObjectReference, One, PropertyInfo};

/// A client logged in over SOAP on this binary's simulator.
async fn logged_in() -> Client {
    let sim = vcsim_harness::shared();
    let client = Client::builder(sim.endpoint())
        .protocol(Protocol::Soap)
        .build()
        .await
        .expect("bootstrap over SOAP");
    client
        .session_manager()
        .unwrap()
        .login(&sim.user(), &Secret::new(sim.password()), None)
        .await
        .expect("login");
    client
}

/// The handle of type `T` for `reference`, which must be of that type.
fn handle<T: ManagedObject>(client: &Client, reference: ManagedObjectReference) -> T {
    let entity = ManagedEntity::new(client.connection().clone(), reference);
    entity
        .narrow::<T>()
        .unwrap_or_else(|| panic!("{:?} is not a {}", entity.reference(), T::TYPES[0]))
}

/// The simulator's only datacenter, `DC0`.
async fn datacenter(client: &Client) -> Datacenter {
    let children = client.root_folder().child_entity().await.unwrap();
    assert_eq!(children.len(), 1, "{children:?}");
    handle(client, children[0].clone())
}

/// The simulator's own virtual machines in `DC0`'s VM folder, by name (not those another
/// test of this file creates and destroys meanwhile).
async fn vms(client: &Client) -> Vec<(String, VirtualMachine)> {
    let dc = datacenter(client).await;
    let folder: Folder = handle(client, dc.vm_folder().await.unwrap().unwrap());
    let mut out = Vec::new();
    for child in folder.child_entity().await.unwrap() {
        let vm: VirtualMachine = handle(client, child);
        match vm.name().await {
            Ok(Some(name)) if name.starts_with("DC0_") => out.push((name, vm)),
            Ok(_) => {}
            Err(CallError::Fault(f)) if f.type_name == "ManagedObjectNotFound" => {}
            Err(e) => panic!("reading the name of {:?}: {e}", vm.reference()),
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// The VM called `name`.
async fn vm(client: &Client, name: &str) -> VirtualMachine {
    let all = vms(client).await;
    let names: Vec<&str> = all.iter().map(|(n, _)| n.as_str()).collect();
    all.iter()
        .find(|(n, _)| n == name)
        .map(|(_, vm)| vm.clone())
        .unwrap_or_else(|| panic!("no VM {name} among {names:?}"))
}

/// Polls `task` until it ends; its final info.
async fn wait(task: &Task) -> TaskInfo {
    for _ in 0..500 {
        let info = task.info().await.unwrap().expect("a task has info");
        if matches!(info.state, TaskInfoState::Success | TaskInfoState::Error) {
            return info;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("{:?} did not end in 10 s", task.reference())
}

/// `runtime.powerState`, read by its nested path: vcsim's `runtime` lacks
/// `faultToleranceState`, which the documents call required, so the whole `runtime`
/// does not decode.
async fn power_state(vm: &VirtualMachine) -> VirtualMachinePowerState {
    const POWER_STATE: PropertyInfo = PropertyInfo {
        managed_object: "VirtualMachine",
        name: "runtime.powerState",
        privilege: None,
    };
    let reply = vm
        .connection()
        .read_property(&POWER_STATE, vm.reference())
        .await
        .unwrap();
    reply.decode::<One<VirtualMachinePowerState>>().unwrap().0
}

#[tokio::test]
async fn inherited_properties_and_narrowing_walk_the_inventory() {
    let client = logged_in().await;
    let root = client.root_folder();
    // `name` and `parent` are `ManagedEntity`'s, reached through `Folder`'s handle.
    assert_eq!(root.name().await.unwrap().as_deref(), Some("Datacenters"));
    assert_eq!(root.parent().await.unwrap(), None);
    let children = root.child_entity().await.unwrap();
    let entity = ManagedEntity::new(client.connection().clone(), children[0].clone());
    assert!(entity.narrow::<VirtualMachine>().is_none());
    assert!(entity.narrow::<Folder>().is_none());
    let dc: Datacenter = entity
        .narrow()
        .expect("the root folder's child is a datacenter");
    assert_eq!(dc.name().await.unwrap().as_deref(), Some("DC0"));
    assert_eq!(dc.parent().await.unwrap().as_ref(), Some(root.reference()));
    // Every datacenter is a managed entity: a `Datacenter` narrows back to one.
    assert!(dc.narrow::<ManagedEntity>().is_some());
    // VPX: two VMs on the standalone host's pool, two in the cluster's pool.
    let names: Vec<String> = vms(&client).await.into_iter().map(|(n, _)| n).collect();
    assert_eq!(
        names,
        [
            "DC0_C0_RP0_VM0",
            "DC0_C0_RP0_VM1",
            "DC0_H0_VM0",
            "DC0_H0_VM1"
        ]
    );
}

#[tokio::test]
async fn power_off_and_on_with_tasks_and_a_typed_fault_subtype_in_the_task_error() {
    let client = logged_in().await;
    let vm = vm(&client, "DC0_H0_VM0").await;
    assert_eq!(power_state(&vm).await, VirtualMachinePowerState::PoweredOn);
    let info = wait(&vm.power_off_vm_task().await.unwrap()).await;
    assert_eq!(info.state, TaskInfoState::Success, "{info:?}");
    assert_eq!(info.entity.as_ref(), Some(vm.reference()));
    assert_eq!(power_state(&vm).await, VirtualMachinePowerState::PoweredOff);
    let info = wait(&vm.power_on_vm_task(None).await.unwrap()).await;
    assert_eq!(info.state, TaskInfoState::Success, "{info:?}");
    assert_eq!(power_state(&vm).await, VirtualMachinePowerState::PoweredOn);
    // Powering on a running VM: the task fails with `InvalidPowerState`, which the
    // error's `MethodFault` field carries as its own variant.
    let info = wait(&vm.power_on_vm_task(None).await.unwrap()).await;
    assert_eq!(info.state, TaskInfoState::Error);
    let error = info.error.expect("a failed task has an error");
    match &*error.fault {
        AnyMethodFault::InvalidPowerState(fault) => {
            assert_eq!(fault.existing_state, VirtualMachinePowerState::PoweredOn);
        }
        other => panic!("expected InvalidPowerState, got {other:?}"),
    }
}

#[tokio::test]
async fn reconfigure_adds_a_disk_through_a_polymorphic_device_change() {
    let client = logged_in().await;
    let vm = vm(&client, "DC0_H0_VM1").await;
    let disks = |devices: &[AnyVirtualDevice]| -> Vec<VirtualDisk> {
        devices
            .iter()
            .filter_map(|d| match d {
                AnyVirtualDevice::VirtualDisk(disk) => Some(disk.clone()),
                _ => None,
            })
            .collect()
    };
    let before = vm.config().await.unwrap().unwrap().hardware;
    let existing = disks(&before.device);
    assert_eq!(existing.len(), 1, "{:?}", before.device);
    let mut disk = VirtualDisk {
        capacity_in_kb: 1024 * 1024,
        ..Default::default()
    };
    disk.key = -1;
    disk.controller_key = existing[0].controller_key;
    // vcsim wants the unit of a disk it creates.
    disk.unit_number = Some(existing[0].unit_number.unwrap_or(0) + 1);
    disk.backing = Some(AnyVirtualDeviceBackingInfo::from(
        VirtualDiskFlatVer2BackingInfo {
            disk_mode: "persistent".into(),
            thin_provisioned: Some(true),
            ..Default::default()
        },
    ));
    let change = VirtualDeviceConfigSpec {
        operation: Some(VirtualDeviceConfigSpecOperation::Add),
        file_operation: Some(VirtualDeviceConfigSpecFileOperation::Create),
        device: AnyVirtualDevice::from(disk),
        ..Default::default()
    };
    let spec = VirtualMachineConfigSpec {
        memory_mb: Some(i64::from(before.memory_mb) * 2),
        device_change: vec![AnyVirtualDeviceConfigSpec::from(change)],
        ..Default::default()
    };
    let info = wait(&vm.reconfig_vm_task(&spec).await.unwrap()).await;
    assert_eq!(info.state, TaskInfoState::Success, "{info:?}");
    let after = vm.config().await.unwrap().unwrap().hardware;
    assert_eq!(after.memory_mb, before.memory_mb * 2);
    let added = disks(&after.device);
    assert_eq!(added.len(), 2, "{:?}", after.device);
    assert_eq!(added[1].capacity_in_kb, 1024 * 1024);
    assert!(
        matches!(
            added[1].backing,
            Some(AnyVirtualDeviceBackingInfo::VirtualDiskFlatVer2BackingInfo(
                _
            ))
        ),
        "{:?}",
        added[1].backing
    );
}

#[tokio::test]
async fn create_rename_and_destroy_a_vm_with_task_results_and_inherited_methods() {
    let client = logged_in().await;
    let dc = datacenter(&client).await;
    let hosts: Folder = handle(&client, dc.host_folder().await.unwrap().unwrap());
    let mut pool = None;
    for child in hosts.child_entity().await.unwrap() {
        // A cluster is a compute resource too: narrowing to the base type accepts both.
        let compute: ComputeResource = handle(&client, child);
        if compute.name().await.unwrap().as_deref() == Some("DC0_H0") {
            pool = compute.resource_pool().await.unwrap();
        }
    }
    let pool = pool.expect("the standalone host DC0_H0 has a resource pool");
    let vm_folder: Folder = handle(&client, dc.vm_folder().await.unwrap().unwrap());
    let config = VirtualMachineConfigSpec {
        name: Some("inventory-test-vm".into()),
        guest_id: Some("otherGuest".into()),
        num_cpus: Some(2),
        memory_mb: Some(256),
        files: Some(VirtualMachineFileInfo {
            vm_path_name: Some("[LocalDS_0]".into()),
            ..Default::default()
        }),
        ..Default::default()
    };
    let info = wait(
        &vm_folder
            .create_vm_task(&config, &pool, None)
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(info.state, TaskInfoState::Success, "{info:?}");
    // The docs name the result: the new virtual machine.
    let created = info
        .result
        .expect("CreateVM_Task has a result")
        .decode::<One<ManagedObjectReference>>()
        .unwrap()
        .0;
    let vm: VirtualMachine = handle(&client, created);
    assert_eq!(
        vm.name().await.unwrap().as_deref(),
        Some("inventory-test-vm")
    );
    let hardware = vm.config().await.unwrap().unwrap().hardware;
    assert_eq!((hardware.num_cpu, hardware.memory_mb), (2, 256));

    // `Rename_Task` and `Destroy_Task` are `ManagedEntity`'s, called on the VM's handle.
    let info = wait(&vm.rename_task("inventory-test-renamed").await.unwrap()).await;
    assert_eq!(info.state, TaskInfoState::Success, "{info:?}");
    assert_eq!(
        vm.name().await.unwrap().as_deref(),
        Some("inventory-test-renamed")
    );
    let info = wait(&vm.destroy_task().await.unwrap()).await;
    assert_eq!(info.state, TaskInfoState::Success, "{info:?}");
    let left = vm_folder.child_entity().await.unwrap();
    assert!(!left.contains(vm.reference()), "{left:?}");
}

#[tokio::test]
async fn a_field_newer_than_the_server_is_refused_before_the_reconfigure() {
    let client = logged_in().await;
    let server = client
        .connection()
        .server_version()
        .expect("vcsim reports its API version");
    // `ftEncryptionMode` is since vSphere API 7.0.2.0, newer than this vcsim.
    let since = vsphere::ApiVersion::parse("7.0.2").unwrap();
    assert!(server < since, "vcsim reports {server}");
    let vm = vm(&client, "DC0_C0_RP0_VM0").await;
    let before = vm.config().await.unwrap().unwrap().hardware.memory_mb;
    let spec = VirtualMachineConfigSpec {
        memory_mb: Some(i64::from(before) * 2),
        ft_encryption_mode: Some("ftEncryptionRequired".into()),
        ..Default::default()
    };
    match vm.reconfig_vm_task(&spec).await {
        Err(vsphere::ReconfigVMTaskError::Transport(e)) => assert_eq!(
            e.to_string(),
            format!(
                "field `VirtualMachineConfigSpec.ftEncryptionMode` of VirtualMachine.ReconfigVM_Task needs API version 7.0.2, the server has {server}"
            )
        ),
        other => panic!("expected Unsupported, got {other:?}"),
    }
    // Nothing reached the simulator: the memory size is as it was.
    let after = vm.config().await.unwrap().unwrap().hardware.memory_mb;
    assert_eq!(after, before);
}
