//! `vm.create`, `vm.clone`, `datastore.info`, `tasks` and `events` against a vcsim of
//! their own, each output checked against the simulator's model or a listing.

mod common;

use common::*;

#[test]
fn vm_create_then_clone_with_disk_and_nic_show_up_in_listings_tasks_and_events() {
    let created = ok(&[
        "vm.create",
        "cli-new",
        "-m",
        "512",
        "-c",
        "2",
        "-disk",
        "2G",
    ]);
    assert!(
        created.starts_with("Creating /DC0/vm/cli-new... OK (vm-"),
        "{created}"
    );
    let info = json(&["vm.info", "/DC0/vm/cli-new"]);
    assert_eq!(info[0]["memoryMB"], 512);
    assert_eq!(info[0]["numCPU"], 2);
    assert_eq!(info[0]["powerState"], "PoweredOff");

    let cloned = ok(&["vm.clone", "-vm", "cli-new", "cli-copy"]);
    assert!(
        cloned.starts_with("Cloning /DC0/vm/cli-new to /DC0/vm/cli-copy... OK (vm-"),
        "{cloned}"
    );
    let vms = ok(&["find", "/DC0/vm", "-type", "m"]);
    for path in ["/DC0/vm/cli-new", "/DC0/vm/cli-copy"] {
        assert_eq!(vms.lines().filter(|l| *l == path).count(), 1, "{vms}");
    }
    let copy = json(&["vm.info", "cli-copy"]);
    assert_eq!(copy[0]["memoryMB"], 512);

    // Both tasks are among the server's recent tasks, succeeded, on their targets: the
    // VM folder (CreateVM_Task) and the source VM (CloneVM_Task).
    let listing = json(&["ls", "/DC0"]);
    let folder = listing
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["path"] == "/DC0/vm")
        .map(|e| e["value"].as_str().unwrap().to_string())
        .unwrap();
    let source = created
        .trim_end()
        .rsplit('(')
        .next()
        .unwrap()
        .trim_end_matches(')')
        .to_string();
    let tasks = json(&["tasks"]);
    let succeeded = |name: &str, target: &str| {
        tasks.as_array().unwrap().iter().any(|t| {
            t["name"] == name && t["target"].as_str() == Some(target) && t["state"] == "success"
        })
    };
    assert!(succeeded("CreateVm", &folder), "{folder} {tasks}");
    assert!(succeeded("CloneVm", &source), "{source} {tasks}");

    // Events: typed by their wire names, at most -n of them.
    let events = json(&["events", "-n", "3"]);
    let list = events.as_array().unwrap();
    assert!(!list.is_empty() && list.len() <= 3, "{events}");
    assert!(
        list.iter()
            .all(|e| e["type"].as_str().is_some_and(|t| t.ends_with("Event"))),
        "{events}"
    );
    let all = json(&["events", "-n", "1000"]);
    let types: Vec<&str> = all
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["type"].as_str())
        .collect();
    assert!(types.contains(&"VmCreatedEvent"), "{types:?}");

    ok(&["vm.destroy", "cli-new", "cli-copy"]);
    let vms = ok(&["find", "/DC0/vm", "-type", "m"]);
    assert!(!vms.contains("cli-"), "{vms}");
}

#[test]
fn vm_create_into_a_missing_folder_names_it_and_fails() {
    let out = cli(&["vm.create", "cli-nowhere", "-folder", "no-such-folder"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no-such-folder"), "{err}");
}

#[test]
fn datastore_info_lists_the_models_datastores() {
    let list = json(&["datastore.info"]);
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["name"].as_str())
        .collect();
    let expected: Vec<String> = (0..sim().count("datastore"))
        .map(|i| format!("LocalDS_{i}"))
        .collect();
    assert_eq!(names, expected);
    for d in list.as_array().unwrap() {
        assert!(d["capacityMB"].as_i64().unwrap() > 0, "{d}");
        assert!(d["freeMB"].as_i64().unwrap() <= d["capacityMB"].as_i64().unwrap());
        assert_eq!(d["type"], "OTHER");
    }
    let table = ok(&["datastore.info", "LocalDS_0"]);
    let mut lines = table.lines();
    assert!(lines.next().unwrap().starts_with("Name"));
    assert!(lines
        .next()
        .unwrap()
        .starts_with("LocalDS_0  /DC0/datastore/LocalDS_0"));
}
