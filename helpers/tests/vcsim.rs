//! The helpers against vcsim's default VPX inventory over SOAP; expectations are computed
//! from the counts the simulator printed for its model.

use std::time::Duration;

use vsphere::{
    Client, ManagedObjectReference, Protocol, RetrievePropertiesExError, VirtualMachine,
    VirtualMachinePowerState,
};
use vsphere_helpers::find::{self, FindError, Inventory};
use vsphere_helpers::property::{self, RetrieveError};
use vsphere_helpers::task::{self, TaskError, WaitOptions};
use vsphere_helpers::view::View;
use vsphere_helpers::{connect, ConnectOptions};
use vsphere_runtime::ManagedObject;

fn sim() -> &'static vcsim_harness::Vcsim {
    vcsim_harness::shared()
}

/// Options for the simulator: SOAP (vcsim serves no VI/JSON), strict or lenient.
fn soap(lenient: bool) -> ConnectOptions {
    ConnectOptions {
        protocol: Some(Protocol::Soap),
        lenient,
        ..ConnectOptions::default()
    }
}

/// Logged in from the simulator's URL, credentials in it.
async fn client() -> Client {
    connect(&sim().url, &soap(false)).await.expect("connect")
}

/// How many VMs the model has: `machine` per standalone host and per cluster, per
/// datacenter.
fn vm_count() -> usize {
    let s = sim();
    s.count("datacenter") * (s.count("host") + s.count("cluster")) * s.count("machine")
}

#[tokio::test]
async fn connect_takes_credentials_from_the_url_and_refuses_a_wrong_password() {
    let c = client().await;
    let session = c
        .session_manager()
        .unwrap()
        .current_session()
        .await
        .unwrap();
    assert_eq!(session.map(|s| s.user_name), Some(sim().user()));
    let wrong = sim()
        .url
        .replace(&format!(":{}@", sim().password()), ":wrong@");
    let err = connect(&wrong, &soap(false)).await.unwrap_err();
    assert_eq!(err.to_string(), "login: InvalidLogin: Login failure");
}

#[tokio::test]
async fn the_inventory_has_the_models_datacenters_clusters_hosts_and_vms() {
    let s = sim();
    let c = client().await;
    let inv = Inventory::load(&c).await.unwrap();
    let names =
        |t: &str| -> Vec<String> { inv.of_type(t).iter().map(|e| e.name.clone()).collect() };
    let dcs: Vec<String> = (0..s.count("datacenter"))
        .map(|i| format!("DC{i}"))
        .collect();
    assert_eq!(names("Datacenter"), dcs);
    assert_eq!(
        names("ClusterComputeResource").len(),
        s.count("datacenter") * s.count("cluster")
    );
    assert_eq!(
        names("HostSystem").len(),
        s.count("datacenter") * (s.count("host") + s.count("cluster") * s.count("cluster_host"))
    );
    let datastores: Vec<String> = (0..s.count("datastore"))
        .map(|i| format!("LocalDS_{i}"))
        .collect();
    assert_eq!(names("Datastore"), datastores);
    assert!(
        names("Network").contains(&"VM Network".to_string()),
        "{:?}",
        names("Network")
    );
    // Every VM, by its inventory path (govc's `find / -type m`).
    let vms: Vec<String> = inv
        .of_type("VirtualMachine")
        .iter()
        .map(|e| e.path.clone())
        .collect();
    let mut expected = Vec::new();
    for dc in 0..s.count("datacenter") {
        for c in 0..s.count("cluster") {
            for m in 0..s.count("machine") {
                expected.push(format!("/DC{dc}/vm/DC{dc}_C{c}_RP0_VM{m}"));
            }
        }
        for h in 0..s.count("host") {
            for m in 0..s.count("machine") {
                expected.push(format!("/DC{dc}/vm/DC{dc}_H{h}_VM{m}"));
            }
        }
    }
    expected.sort();
    let mine: Vec<String> = vms
        .into_iter()
        .filter(|p| !p.contains("helpers-"))
        .collect();
    assert_eq!(mine, expected);
    assert_eq!(mine.len(), vm_count());
    // Paths with wildcards, absolute and relative to the only datacenter.
    let found: Vec<&str> = inv
        .find("/DC0/vm/DC0_H0_VM?", None)
        .unwrap()
        .iter()
        .map(|e| e.path.as_str())
        .collect();
    assert_eq!(found, ["/DC0/vm/DC0_H0_VM0", "/DC0/vm/DC0_H0_VM1"]);
    let relative = inv.find("host/DC0_C0/DC0_C0_H*", None).unwrap();
    assert_eq!(relative.len(), s.count("cluster_host"));
    let top: Vec<&str> = inv
        .children("/DC0", None)
        .unwrap()
        .iter()
        .map(|e| e.name.as_str())
        .collect();
    assert_eq!(top, ["datastore", "host", "network", "vm"]);
    match inv.find("/DC0/vm/nothing*", None) {
        Err(FindError::NotFound(p)) => assert_eq!(p, "/DC0/vm/nothing*"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn the_server_lookups_agree_with_the_inventory_paths() {
    let c = client().await;
    let inv = Inventory::load(&c).await.unwrap();
    let vm = inv.named("VirtualMachine", "DC0_H0_VM0", None).unwrap();
    assert_eq!(vm.path, "/DC0/vm/DC0_H0_VM0");
    let by_path = find::by_inventory_path(&c, &vm.path).await.unwrap();
    assert_eq!(by_path, vm.reference);
    let props = property::retrieve(
        &c,
        "VirtualMachine",
        std::slice::from_ref(&vm.reference),
        &["config.uuid"],
    )
    .await
    .unwrap();
    let uuid: String = props[0].get("config.uuid").unwrap().expect("a uuid");
    assert_eq!(find::by_uuid(&c, &uuid, true).await.unwrap(), vm.reference);
    let err = find::by_inventory_path(&c, "/DC0/vm/no-such-vm")
        .await
        .unwrap_err();
    assert_eq!(err.to_string(), "/DC0/vm/no-such-vm: not found");
    let err = find::by_uuid(&c, "00000000-0000-0000-0000-000000000000", true)
        .await
        .unwrap_err();
    assert!(matches!(err, FindError::NotFound(_)), "{err:?}");
}

#[tokio::test]
async fn a_view_lists_every_vms_name_power_state_and_memory_in_one_retrieval() {
    let c = client().await;
    let root = c.service_content().root_folder.clone();
    let view = View::create(&c, &root, &["VirtualMachine"], true)
        .await
        .unwrap();
    assert!(view.objects().await.unwrap().len() >= vm_count());
    let vms = view
        .retrieve(
            "VirtualMachine",
            &["name", "runtime.powerState", "config.hardware.memoryMB"],
        )
        .await
        .unwrap();
    let mut seen = 0;
    for vm in &vms {
        let name: String = vm.get("name").unwrap().unwrap();
        if name.contains("helpers-") {
            continue;
        }
        seen += 1;
        let state: Option<VirtualMachinePowerState> = vm.get("runtime.powerState").unwrap();
        assert!(state.is_some(), "{name}");
        let memory: i32 = vm.get("config.hardware.memoryMB").unwrap().unwrap();
        assert!(memory > 0, "{name}: {memory}");
        assert!(vm.missing.is_empty(), "{name}: {:?}", vm.missing);
    }
    assert_eq!(seen, vm_count());
    let reference = view.reference().clone();
    view.destroy().await.unwrap();
    // The view is gone on the server: reading through it now fails.
    let gone = property::retrieve_view(&c, &reference, "VirtualMachine", &["name"]).await;
    assert!(gone.is_err(), "{gone:?}");
}

#[tokio::test]
async fn a_stale_reference_gives_managed_object_not_found() {
    let c = client().await;
    let stale = ManagedObjectReference::new("VirtualMachine", "vm-does-not-exist");
    let err = property::retrieve(&c, "VirtualMachine", &[stale], &["name"])
        .await
        .unwrap_err();
    assert!(
        matches!(
            &err,
            RetrieveError::Retrieve(e)
                if matches!(**e, RetrievePropertiesExError::ManagedObjectNotFound(_))
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn fifty_concurrent_retrievals_over_one_session_all_succeed() {
    let c = client().await;
    let inv = Inventory::load(&c).await.unwrap();
    let vms: Vec<ManagedObjectReference> = inv
        .of_type("VirtualMachine")
        .iter()
        .map(|e| e.reference.clone())
        .collect();
    let runs = (0..50).map(|_| {
        let c = c.clone();
        let vms = vms.clone();
        tokio::spawn(async move { property::retrieve(&c, "VirtualMachine", &vms, &["name"]).await })
    });
    let mut ok = 0;
    for run in runs {
        let found = run.await.unwrap().unwrap();
        assert_eq!(found.len(), vms.len());
        ok += 1;
    }
    assert_eq!(ok, 50);
}

#[tokio::test]
async fn tasks_are_waited_for_with_progress_and_their_faults_typed() {
    let c = client().await;
    let inv = Inventory::load(&c).await.unwrap();
    let entry = inv.named("VirtualMachine", "DC0_H0_VM1", None).unwrap();
    let vm = VirtualMachine::new(c.connection().clone(), entry.reference.clone());
    let mut reports = 0;
    let options = WaitOptions {
        progress: Some(Box::new(|_| reports += 1)),
        timeout: Some(Duration::from_secs(30)),
    };
    let off = vm.power_off_vm_task().await.unwrap();
    task::wait(&off, options).await.unwrap();
    assert!(reports >= 1);
    let on = vm.power_on_vm_task(None).await.unwrap();
    task::wait(&on, WaitOptions::default()).await.unwrap();
    let again = vm.power_on_vm_task(None).await.unwrap();
    match task::wait(&again, WaitOptions::default()).await {
        Err(TaskError::Fault { fault, message }) => {
            assert!(
                matches!(*fault, vsphere::AnyMethodFault::InvalidPowerState(_)),
                "{fault:?}"
            );
            assert!(!message.is_empty());
        }
        other => panic!("{other:?}"),
    }
    let props = property::retrieve(
        &c,
        "VirtualMachine",
        std::slice::from_ref(&entry.reference),
        &["runtime.powerState"],
    )
    .await
    .unwrap();
    let state: Option<VirtualMachinePowerState> = props[0].get("runtime.powerState").unwrap();
    assert_eq!(state, Some(VirtualMachinePowerState::PoweredOn));
    let _ = vm.reference();
}

/// vcsim leaves out fields the documents call required (`device` of each
/// `HostHostBusAdapter` in `HostConfigInfo.storageDevice`): strict decoding
/// fails that one property naming the type and field, and leaves the object's other
/// properties readable; lenient decoding reads the whole `config` and counts each absence.
#[tokio::test]
async fn an_incomplete_host_config_fails_strictly_by_name_and_decodes_leniently() {
    let strict = client().await;
    let inv = Inventory::load(&strict).await.unwrap();
    let host = inv.of_type("HostSystem")[0].reference.clone();
    let found = property::retrieve(
        &strict,
        "HostSystem",
        std::slice::from_ref(&host),
        &["config", "name"],
    )
    .await
    .unwrap();
    let err = found[0]
        .get::<vsphere::HostConfigInfo>("config")
        .unwrap_err();
    let text = err.to_string();
    // The rest of the object is unharmed.
    assert!(found[0].get::<String>("name").unwrap().is_some());

    let lenient = connect(&sim().url, &soap(true)).await.unwrap();
    let host_ref = host.clone();
    let found = property::retrieve(&lenient, "HostSystem", &[host], &["config"])
        .await
        .unwrap();
    let config: vsphere::HostConfigInfo = found[0].get("config").unwrap().unwrap();
    // (vcsim's `config.host` says `ha-host`, as an ESXi host's own view would.)
    assert_eq!(config.host.type_, host_ref.type_);
    assert!(!config.product.full_name.is_empty());
    eprintln!(
        "absent: {:?}",
        lenient.connection().absent_required_fields()
    );
    let absent = lenient.connection().absent_required_fields();
    let fields: Vec<&str> = absent.iter().map(|(f, _)| f.as_str()).collect();
    assert!(fields.contains(&"HostHostBusAdapter.device"), "{absent:?}");
    // Strict decoding stopped at the first of them and named it.
    let (ty, field) = fields
        .iter()
        .map(|f| f.split_once('.').unwrap())
        .find(|(t, f)| text.contains(&format!("`{t}` has no `{f}`")))
        .unwrap_or_else(|| panic!("{text} names none of {fields:?}"));
    assert!(!ty.is_empty() && !field.is_empty());
}
