//! VI/JSON at the HTTP level beyond the session: a subtype's handle calling its base
//! type's method on its own path, the exact body of a polymorphic device change, a fault
//! subtype in the declared fault's variant, and an enum value the SDK does not know.
// The API's deprecated members (`VirtualDisk.capacityInKB`, …) are still what the wire and
// older servers carry; these tests use them on purpose.
#![allow(deprecated)]

mod common;

use common::connected;

use serde_json::json;
use vsphere::{
    AnyInvalidState, AnyVirtualDevice, AnyVirtualDeviceBackingInfo, AnyVirtualDeviceConfigSpec,
    ManagedObjectReference, PowerOnVMTaskError, VirtualDeviceConfigSpec,
    VirtualDeviceConfigSpecFileOperation, VirtualDeviceConfigSpecOperation, VirtualDisk,
    VirtualDiskFlatVer2BackingInfo, VirtualMachine, VirtualMachineConfigSpec,
    VirtualMachinePowerState,
};
use wiremock::matchers::{body_string, method, path};
use wiremock::{Mock, ResponseTemplate};

const VM_PATH: &str = "/sdk/vim25/8.0.2.0/VirtualMachine/vm-42";

fn json_response(status: u16, body: serde_json::Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.to_string(), "application/json")
}

fn task_reference() -> serde_json::Value {
    json!({"_typeName": "ManagedObjectReference", "type": "Task", "value": "task-7"})
}

fn vm(client: &vsphere::Client) -> VirtualMachine {
    VirtualMachine::new(
        client.connection().clone(),
        ManagedObjectReference::new("VirtualMachine", "vm-42"),
    )
}

#[tokio::test]
async fn an_inherited_method_goes_to_the_objects_own_path() {
    let (server, client) = connected("8.0.2.0").await;
    Mock::given(method("POST"))
        .and(path(format!("{VM_PATH}/Rename_Task")))
        .and(body_string(r#"{"newName":"web-01"}"#))
        .respond_with(json_response(200, task_reference()))
        .expect(1)
        .mount(&server)
        .await;
    // `rename_task` is `ManagedEntity`'s, reached through the VM handle's `Deref`.
    let task = vm(&client).rename_task("web-01").await.unwrap();
    assert_eq!(
        task.reference(),
        &ManagedObjectReference::new("Task", "task-7")
    );
}

#[tokio::test]
async fn a_disk_device_change_is_sent_with_its_type_names() {
    let (server, client) = connected("8.0.2.0").await;
    let mut disk = VirtualDisk {
        capacity_in_kb: 1048576,
        ..Default::default()
    };
    disk.key = -1;
    disk.controller_key = Some(1000);
    disk.backing = Some(AnyVirtualDeviceBackingInfo::from(
        VirtualDiskFlatVer2BackingInfo {
            disk_mode: "persistent".into(),
            thin_provisioned: Some(true),
            ..Default::default()
        },
    ));
    let spec = VirtualMachineConfigSpec {
        memory_mb: Some(2048),
        device_change: vec![AnyVirtualDeviceConfigSpec::from(VirtualDeviceConfigSpec {
            operation: Some(VirtualDeviceConfigSpecOperation::Add),
            file_operation: Some(VirtualDeviceConfigSpecFileOperation::Create),
            device: AnyVirtualDevice::from(disk),
            ..Default::default()
        })],
        ..Default::default()
    };
    let body = concat!(
        r#"{"spec":{"_typeName":"VirtualMachineConfigSpec","memoryMB":2048,"deviceChange":["#,
        r#"{"_typeName":"VirtualDeviceConfigSpec","operation":"add","fileOperation":"create","#,
        r#""device":{"_typeName":"VirtualDisk","key":-1,"backing":{"_typeName":"VirtualDiskFlatVer2BackingInfo","#,
        r#""fileName":"","diskMode":"persistent","thinProvisioned":true},"controllerKey":1000,"#,
        r#""capacityInKB":1048576}}]}}"#
    );
    Mock::given(method("POST"))
        .and(path(format!("{VM_PATH}/ReconfigVM_Task")))
        .and(body_string(body))
        .respond_with(json_response(200, task_reference()))
        .expect(1)
        .mount(&server)
        .await;
    vm(&client).reconfig_vm_task(&spec).await.unwrap();
}

#[tokio::test]
async fn a_fault_subtype_lands_in_its_declared_base_with_the_concrete_fault() {
    let (server, client) = connected("8.0.2.0").await;
    let fault = json!({"_typeName": "VmPowerOnDisabled", "faultMessage": []});
    Mock::given(method("POST"))
        .and(path(format!("{VM_PATH}/PowerOnVM_Task")))
        // The only parameter, `host`, is unset: no body.
        .and(body_string(""))
        .respond_with(json_response(500, fault))
        .expect(1)
        .mount(&server)
        .await;
    // PowerOnVM_Task declares InvalidState, VmPowerOnDisabled's base, and not it.
    match vm(&client).power_on_vm_task(None).await {
        Err(PowerOnVMTaskError::InvalidState(f)) => {
            assert_eq!(f.type_name, "VmPowerOnDisabled");
            assert!(
                matches!(f.detail, AnyInvalidState::VmPowerOnDisabled(_)),
                "{:?}",
                f.detail
            );
        }
        other => panic!("expected InvalidState, got {other:?}"),
    }
}

#[tokio::test]
async fn a_declared_fault_subtype_has_its_own_variant() {
    let (server, client) = connected("8.0.2.0").await;
    let fault = json!({
        "_typeName": "InvalidPowerState",
        "faultMessage": [],
        "requestedState": "poweredOn",
        "existingState": "poweredOn"
    });
    Mock::given(method("POST"))
        .and(path(format!("{VM_PATH}/PowerOnVM_Task")))
        .respond_with(json_response(500, fault))
        .expect(1)
        .mount(&server)
        .await;
    // The 8.0.1 documents declare InvalidPowerState too: the nearest declared fault wins.
    match vm(&client).power_on_vm_task(None).await {
        Err(PowerOnVMTaskError::InvalidPowerState(f)) => {
            assert_eq!(
                f.detail.requested_state,
                Some(VirtualMachinePowerState::PoweredOn)
            );
            assert_eq!(f.detail.existing_state, VirtualMachinePowerState::PoweredOn);
        }
        other => panic!("expected InvalidPowerState, got {other:?}"),
    }
}

#[tokio::test]
async fn an_enum_value_the_sdk_does_not_know_is_kept() {
    let (server, client) = connected("8.0.2.0").await;
    let runtime = json!({
        "_typeName": "VirtualMachineRuntimeInfo",
        "connectionState": "connected",
        "powerState": "hibernating",
        "faultToleranceState": "notConfigured",
        "toolsInstallerMounted": false,
        "numMksConnections": 0,
        "recordReplayState": "inactive",
        "onlineStandby": false,
        "consolidationNeeded": false
    });
    Mock::given(method("GET"))
        .and(path(format!("{VM_PATH}/runtime")))
        .respond_with(json_response(200, runtime))
        .expect(1)
        .mount(&server)
        .await;
    let runtime = vm(&client).runtime().await.unwrap().unwrap();
    assert_eq!(
        runtime.power_state,
        VirtualMachinePowerState::Other("hibernating".into())
    );
    assert_eq!(runtime.power_state.as_str(), "hibernating");
    assert_eq!(
        vsphere_runtime::json::to_string(&runtime.power_state),
        r#""hibernating""#
    );
}
