//! `vsphere-cli privileges`: what a role needs for given calls, read from the SDK's tables
//! without a server. The expected privileges are those the documents state (as in
//! `generated/src/meta.rs`).

mod common;

use std::process::Output;

use serde_json::json;

/// Runs the CLI with `args` and no server configured.
fn run(args: &[&str]) -> Output {
    common::offline(args)
}

/// Stdout of a successful run.
fn ok(args: &[&str]) -> String {
    common::succeeded(args, run(args))
}

const VM_CALLS: [&str; 4] = [
    "privileges",
    "VirtualMachine.PowerOnVM_Task",
    "VirtualMachine.Destroy_Task",
    "Folder.CreateVM_Task",
];

#[test]
fn a_table_of_the_privileges_sorted_with_the_calls_needing_them() {
    assert_eq!(
        ok(&VM_CALLS),
        "\
Privilege                        Needed by
VirtualMachine.Interact.PowerOn  VirtualMachine.PowerOnVM_Task
VirtualMachine.Inventory.Create  Folder.CreateVM_Task
VirtualMachine.Inventory.Delete  VirtualMachine.Destroy_Task
"
    );
}

#[test]
fn json_lists_the_privileges_and_each_call() {
    let mut args = VM_CALLS.to_vec();
    args.push("--json");
    let value: serde_json::Value = serde_json::from_str(&ok(&args)).unwrap();
    assert_eq!(
        value,
        json!({
            "privileges": [
                "VirtualMachine.Interact.PowerOn",
                "VirtualMachine.Inventory.Create",
                "VirtualMachine.Inventory.Delete",
            ],
            "dynamic": [],
            "calls": [
                {"name": "VirtualMachine.PowerOnVM_Task", "kind": "method",
                 "declaredBy": "VirtualMachine", "privilege": "VirtualMachine.Interact.PowerOn",
                 "dynamic": false},
                // Declared by ManagedEntity with no privilege; the VirtualMachine page
                // states its own.
                {"name": "VirtualMachine.Destroy_Task", "kind": "method",
                 "declaredBy": "ManagedEntity", "privilege": "VirtualMachine.Inventory.Delete",
                 "dynamic": false},
                {"name": "Folder.CreateVM_Task", "kind": "method",
                 "declaredBy": "Folder", "privilege": "VirtualMachine.Inventory.Create",
                 "dynamic": false},
            ],
        })
    );
}

#[test]
fn duplicates_bare_names_properties_and_dynamic_privileges() {
    // A bare name is its declaration; asking twice counts once; `VirtualMachine.name` is
    // ManagedEntity's property and `setCustomValue` ExtensibleManagedObject's method.
    assert_eq!(
        ok(&[
            "privileges",
            "PowerOnVM_Task",
            "VirtualMachine.PowerOffVM_Task",
            "VirtualMachine.PowerOnVM_Task",
            "VirtualMachine.name",
            "Folder.MoveIntoFolder_Task",
            "VirtualMachine.setCustomValue",
            "VirtualMachine.config.hardware",
        ]),
        "\
Privilege                         Needed by
System.View                       VirtualMachine.name
VirtualMachine.Interact.PowerOff  VirtualMachine.PowerOffVM_Task
VirtualMachine.Interact.PowerOn   VirtualMachine.PowerOnVM_Task
(depends on arguments)            Folder.MoveIntoFolder_Task, VirtualMachine.setCustomValue
(none documented)                 VirtualMachine.config
"
    );
    let value: serde_json::Value = serde_json::from_str(&ok(&[
        "privileges",
        "--json",
        "Folder.MoveIntoFolder_Task",
        "VirtualMachine.name",
    ]))
    .unwrap();
    assert_eq!(value["privileges"], json!(["System.View"]));
    assert_eq!(value["dynamic"], json!(["Folder.MoveIntoFolder_Task"]));
    assert_eq!(
        value["calls"][0],
        json!({"name": "Folder.MoveIntoFolder_Task", "kind": "method", "declaredBy": "Folder",
               "privilege": null, "dynamic": true})
    );
    assert_eq!(
        value["calls"][1],
        json!({"name": "VirtualMachine.name", "kind": "property", "declaredBy": "ManagedEntity",
               "privilege": "System.View", "dynamic": false})
    );
}

#[test]
fn a_bare_name_declared_by_several_types_lists_each() {
    assert_eq!(
        ok(&["privileges", "AddKey"]),
        "\
Privilege                 Needed by
Cryptographer.ManageKeys  CryptoManager.AddKey, CryptoManagerHost.AddKey, CryptoManagerHostKMS.AddKey, CryptoManagerKmip.AddKey
"
    );
}

#[test]
fn unknown_names_fail_naming_each() {
    let out = run(&[
        "privileges",
        "VirtualMachine.PowerOnVM_Task",
        "VirtualMachine.PowerOnVM",
        "NoSuchMethod",
        "VirtualMachin.PowerOnVM_Task",
    ]);
    assert!(!out.status.success());
    assert!(out.stdout.is_empty());
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "\
VirtualMachine.PowerOnVM: `VirtualMachine` has no method or property `PowerOnVM`
NoSuchMethod: no method or property of that name
VirtualMachin.PowerOnVM_Task: no managed object type `VirtualMachin`
"
    );
    // At least one name is required.
    assert!(!run(&["privileges"]).status.success());
}
