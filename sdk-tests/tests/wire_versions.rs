//! Version gating at the HTTP level (VI/JSON): a parameter, a data object field or a data
//! object type newer than the server is refused with the typed `Unsupported` error before
//! any request is sent, naming the item, its since-version and the server's version;
//! unset, or on a server that has it, the same call goes out with the exact body.

mod common;

use common::connected;

use serde_json::json;
use vsphere::{
    AnyOptionValue, AnyVirtualDevice, AnyVirtualDeviceBackingInfo, AnyVirtualDeviceConfigSpec,
    ApiVersion, Datacenter, Error, ManagedObjectReference, OptionValue, PowerOnMultiVMTaskError,
    ReconfigVMTaskError, VirtualDeviceConfigSpec, VirtualDeviceConfigSpecOperation, VirtualDisk,
    VirtualDiskSeSparseBackingInfo, VirtualMachine, VirtualMachineConfigSpec,
};
use wiremock::matchers::{body_string, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn task_reply() -> ResponseTemplate {
    let task = json!({"_typeName": "ManagedObjectReference", "type": "Task", "value": "task-1"});
    ResponseTemplate::new(200).set_body_raw(task.to_string(), "application/json")
}

/// Expects exactly one POST to `path` with `body`.
async fn expect_call(server: &MockServer, at: String, body: &str) {
    Mock::given(method("POST"))
        .and(path(at))
        .and(body_string(body))
        .respond_with(task_reply())
        .expect(1)
        .mount(server)
        .await;
}

/// How many requests reached the server besides the bootstrap.
async fn calls_after_bootstrap(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().len() - 1
}

fn version(text: &str) -> ApiVersion {
    ApiVersion::parse(text).unwrap()
}

/// The `Unsupported` error's item, since and server version, and its message.
fn unsupported(e: &Error) -> (String, ApiVersion, ApiVersion, String) {
    match e {
        Error::Unsupported {
            item,
            since,
            server,
        } => (item.clone(), *since, *server, e.to_string()),
        other => panic!("expected Unsupported, got {other:?}"),
    }
}

fn vm(client: &vsphere::Client) -> VirtualMachine {
    VirtualMachine::new(
        client.connection().clone(),
        ManagedObjectReference::new("VirtualMachine", "vm-1"),
    )
}

fn ft_encryption_spec() -> VirtualMachineConfigSpec {
    // `ftEncryptionMode` is since vSphere API 7.0.2.0; the type is older.
    VirtualMachineConfigSpec {
        ft_encryption_mode: Some("ftEncryptionRequired".into()),
        ..Default::default()
    }
}

#[tokio::test]
async fn a_field_newer_than_the_server_is_refused_when_set() {
    let (server, client) = connected("7.0").await;
    let err = vm(&client)
        .reconfig_vm_task(&ft_encryption_spec())
        .await
        .unwrap_err();
    let ReconfigVMTaskError::Transport(e) = &err else {
        panic!("expected a transport error, got {err:?}");
    };
    assert_eq!(
        unsupported(e),
        (
            "field `VirtualMachineConfigSpec.ftEncryptionMode` of VirtualMachine.ReconfigVM_Task"
                .to_string(),
            version("7.0.2"),
            version("7.0"),
            "field `VirtualMachineConfigSpec.ftEncryptionMode` of VirtualMachine.ReconfigVM_Task \
             needs API version 7.0.2, the server has 7.0"
                .to_string()
        )
    );
    assert_eq!(calls_after_bootstrap(&server).await, 0, "nothing was sent");

    // Unset, the field is not sent, and the call goes out.
    expect_call(
        &server,
        "/sdk/vim25/7.0/VirtualMachine/vm-1/ReconfigVM_Task".into(),
        r#"{"spec":{"_typeName":"VirtualMachineConfigSpec","memoryMB":2048}}"#,
    )
    .await;
    let spec = VirtualMachineConfigSpec {
        memory_mb: Some(2048),
        ..Default::default()
    };
    vm(&client).reconfig_vm_task(&spec).await.unwrap();
}

#[tokio::test]
async fn a_field_is_sent_to_a_server_that_has_it() {
    let (server, client) = connected("7.0.2.0").await;
    expect_call(
        &server,
        "/sdk/vim25/7.0.2.0/VirtualMachine/vm-1/ReconfigVM_Task".into(),
        r#"{"spec":{"_typeName":"VirtualMachineConfigSpec","ftEncryptionMode":"ftEncryptionRequired"}}"#,
    )
    .await;
    vm(&client)
        .reconfig_vm_task(&ft_encryption_spec())
        .await
        .unwrap();
}

fn sesparse_disk_spec() -> VirtualMachineConfigSpec {
    // `VirtualDiskSeSparseBackingInfo` is since vSphere API 5.1.
    let mut disk = VirtualDisk {
        capacity_in_bytes: Some(1024),
        ..Default::default()
    };
    disk.key = -1;
    disk.backing = Some(AnyVirtualDeviceBackingInfo::from(
        VirtualDiskSeSparseBackingInfo {
            disk_mode: "persistent".into(),
            ..Default::default()
        },
    ));
    VirtualMachineConfigSpec {
        device_change: vec![AnyVirtualDeviceConfigSpec::from(VirtualDeviceConfigSpec {
            operation: Some(VirtualDeviceConfigSpecOperation::Add),
            device: AnyVirtualDevice::from(disk),
            ..Default::default()
        })],
        ..Default::default()
    }
}

#[tokio::test]
async fn a_subtype_newer_than_the_server_is_refused_deep_in_a_spec() {
    let (server, client) = connected("5.0").await;
    let err = vm(&client)
        .reconfig_vm_task(&sesparse_disk_spec())
        .await
        .unwrap_err();
    let ReconfigVMTaskError::Transport(e) = &err else {
        panic!("expected a transport error, got {err:?}");
    };
    let (item, since, server_version, _) = unsupported(e);
    assert_eq!(
        (item.as_str(), since, server_version),
        (
            "type `VirtualDiskSeSparseBackingInfo` of VirtualMachine.ReconfigVM_Task",
            version("5.1"),
            version("5.0")
        )
    );
    assert_eq!(calls_after_bootstrap(&server).await, 0, "nothing was sent");
}

#[tokio::test]
async fn a_parameter_newer_than_the_server_is_refused_when_set() {
    let (server, client) = connected("4.0").await;
    let datacenter = Datacenter::new(
        client.connection().clone(),
        ManagedObjectReference::new("Datacenter", "datacenter-2"),
    );
    let vms = [ManagedObjectReference::new("VirtualMachine", "vm-1")];
    // PowerOnMultiVM_Task is since VI API 2.5; its `option` parameter since 4.1.
    let option = AnyOptionValue::from(OptionValue {
        key: "OverrideAutomationLevel".into(),
        ..Default::default()
    });
    let err = datacenter
        .power_on_multi_vm_task(&vms, &[option])
        .await
        .unwrap_err();
    let PowerOnMultiVMTaskError::Transport(e) = &err else {
        panic!("expected a transport error, got {err:?}");
    };
    let (item, since, server_version, _) = unsupported(e);
    assert_eq!(
        (item.as_str(), since, server_version),
        (
            "parameter `option` of Datacenter.PowerOnMultiVM_Task",
            version("4.1"),
            version("4.0")
        )
    );
    assert_eq!(calls_after_bootstrap(&server).await, 0, "nothing was sent");

    // Without the option (an empty list is not sent), the call goes out; the virtual
    // machines are a list on the wire, as the request-body type says.
    expect_call(
        &server,
        "/sdk/vim25/4.0/Datacenter/datacenter-2/PowerOnMultiVM_Task".into(),
        r#"{"vm":[{"_typeName":"ManagedObjectReference","type":"VirtualMachine","value":"vm-1"}]}"#,
    )
    .await;
    datacenter.power_on_multi_vm_task(&vms, &[]).await.unwrap();
}
