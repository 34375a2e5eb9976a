//! Every `vsphere-cli` command against vcsim's VPX inventory, its output checked; the
//! expectations come from the counts the simulator printed for its model.

mod common;

use common::*;

#[test]
fn about_shows_the_servers_api() {
    let text = ok(&["about"]);
    let api = text
        .lines()
        .find(|l| l.starts_with("API type"))
        .expect("an API type row");
    assert_eq!(api.split_whitespace().last(), Some("VirtualCenter"));
    let json: serde_json::Value = serde_json::from_str(&ok(&["about", "--json"])).unwrap();
    assert_eq!(json["API type"], "VirtualCenter");
}

#[test]
fn ls_and_find_list_the_inventory_by_path() {
    let s = sim();
    let dcs: Vec<String> = (0..s.count("datacenter"))
        .map(|i| format!("/DC{i}"))
        .collect();
    assert_eq!(ok(&["ls"]).lines().collect::<Vec<_>>(), dcs);
    assert_eq!(
        ok(&["ls", "/DC0"]).lines().collect::<Vec<_>>(),
        ["/DC0/datastore", "/DC0/host", "/DC0/network", "/DC0/vm"]
    );
    let vms: Vec<String> = ok(&["find", "/", "-type", "m"])
        .lines()
        .filter(|l| !l.contains("cli-"))
        .map(String::from)
        .collect();
    let per_dc = (s.count("host") + s.count("cluster")) * s.count("machine");
    assert_eq!(vms.len(), s.count("datacenter") * per_dc);
    assert!(
        vms.iter()
            .all(|p| p.starts_with("/DC") && p.contains("/vm/")),
        "{vms:?}"
    );
    let hosts = ok(&["find", "-type", "h"]).lines().count();
    assert_eq!(
        hosts,
        s.count("datacenter") * (s.count("host") + s.count("cluster") * s.count("cluster_host"))
    );
    let json: serde_json::Value =
        serde_json::from_str(&ok(&["find", "/DC0/vm", "-type", "m", "--json"])).unwrap();
    assert!(json
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["type"] == "VirtualMachine"));
    // A path that matches nothing: non-zero, naming it.
    let out = cli(&["ls", "/DC0/vm/nothing-here"]);
    assert!(!out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).trim(),
        "/DC0/vm/nothing-here: not found"
    );
}

#[test]
fn vm_info_and_power_with_the_servers_fault_on_failure() {
    let info = ok(&["vm.info", "DC0_C0_RP0_VM0", "--json"]);
    let json: serde_json::Value = serde_json::from_str(&info).unwrap();
    assert_eq!(json[0]["path"], "/DC0/vm/DC0_C0_RP0_VM0");
    assert!(json[0]["memoryMB"].as_i64().unwrap() > 0);
    let table = ok(&["vm.info", "/DC0/vm/DC0_C0_RP0_VM0"]);
    assert!(table.lines().next().unwrap().starts_with("Name"), "{table}");
    assert_eq!(
        ok(&["vm.power", "-off", "DC0_C0_RP0_VM0"]).trim(),
        "Powering off /DC0/vm/DC0_C0_RP0_VM0... OK"
    );
    assert_eq!(
        ok(&["vm.power", "-on", "DC0_C0_RP0_VM0"]).trim(),
        "Powering on /DC0/vm/DC0_C0_RP0_VM0... OK"
    );
    let out = cli(&["vm.power", "-on", "DC0_C0_RP0_VM0"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.starts_with("InvalidPowerState: "), "{err}");
    let out = cli(&["vm.info", "no-such-vm"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).trim(),
        "no-such-vm: not found"
    );
}

#[test]
fn vm_change_sets_memory_and_cpus() {
    assert_eq!(
        ok(&["vm.change", "-vm", "DC0_H0_VM0", "-m", "1536", "-c", "3"]).trim(),
        "Reconfiguring /DC0/vm/DC0_H0_VM0... OK"
    );
    let json: serde_json::Value =
        serde_json::from_str(&ok(&["vm.info", "DC0_H0_VM0", "--json"])).unwrap();
    assert_eq!(json[0]["memoryMB"], 1536);
    assert_eq!(json[0]["numCPU"], 3);
}

/// `host.info` reads `summary` and `runtime` of every host; vcsim's are incomplete
/// against the documents, and the CLI decodes leniently, so every host is listed.
#[test]
fn host_info_lists_every_host_connected() {
    let s = sim();
    let json: serde_json::Value = serde_json::from_str(&ok(&["host.info", "--json"])).unwrap();
    let hosts = json.as_array().unwrap();
    assert_eq!(
        hosts.len(),
        s.count("datacenter") * (s.count("host") + s.count("cluster") * s.count("cluster_host"))
    );
    assert!(
        hosts.iter().all(|h| h["connectionState"] == "Connected"),
        "{json}"
    );
    assert!(
        hosts.iter().all(|h| h["memoryMB"].as_i64().unwrap() > 0),
        "{json}"
    );
    let table = ok(&["host.info", "DC0_H0"]);
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), 2, "{table}");
    assert!(lines[1].starts_with("DC0_H0 "), "{table}");
}

#[test]
fn session_ls_shows_this_session_without_its_key() {
    let text = ok(&["session.ls", "--json"]);
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mine: Vec<&serde_json::Value> = json
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| {
            s["userAgent"]
                .as_str()
                .unwrap_or("")
                .starts_with("vsphere-rs/")
        })
        .collect();
    assert!(!mine.is_empty(), "{json}");
    assert!(mine.iter().all(|s| s["userName"] == sim().user()));
    assert!(!text.contains("\"key\""), "{text}");
}
