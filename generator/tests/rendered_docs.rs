//! The rustdoc the generator wrote into `generated/src` (kept in step with the documents
//! by `cargo xtask check`): descriptions render as Markdown, with nothing of the formats'
//! own markup (HTML tags, entities, RST list markers) left as text.

use std::path::{Path, PathBuf};

fn generated_sources() -> Vec<(PathBuf, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../generated/src");
    let mut pending = vec![root];
    let mut files = Vec::new();
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                files.push((path, text));
            }
        }
    }
    files.sort();
    files
}

/// The `///` lines of the item declared by `decl` (e.g. `pub struct ServiceInstance {`).
fn doc_of<'a>(text: &'a str, decl: &str) -> Vec<&'a str> {
    let lines: Vec<&str> = text.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.trim_start().starts_with(decl))
        .unwrap_or_else(|| panic!("{decl} not found"));
    let mut start = at;
    while start > 0 && lines[start - 1].trim_start().starts_with("#[") {
        start -= 1;
    }
    let mut doc = Vec::new();
    while start > 0 && lines[start - 1].trim_start().starts_with("///") {
        start -= 1;
        doc.push(lines[start].trim_start());
    }
    doc.reverse();
    doc
}

#[test]
fn the_service_instance_lists_the_inventory_types_one_item_each() {
    let files = generated_sources();
    let (_, handles) = files
        .iter()
        .find(|(p, _)| p.ends_with("managed/handles.rs"))
        .unwrap();
    let doc = doc_of(handles, "pub struct ServiceInstance {");
    let items: Vec<&str> = doc
        .iter()
        .filter(|l| l.starts_with("/// - [`"))
        .copied()
        .collect();
    let types = [
        "ServiceInstance",
        "Datacenter",
        "Folder",
        "VirtualMachine",
        "VirtualApp",
        "ComputeResource",
        "ResourcePool",
        "HostSystem",
        "Network",
        "DistributedVirtualSwitch",
        "DistributedVirtualPortgroup",
        "Datastore",
    ];
    assert_eq!(items.len(), types.len(), "{doc:#?}");
    for (item, ty) in items.iter().zip(types) {
        let head = format!("/// - [`{ty}`](crate::{ty}) -- ");
        assert!(item.starts_with(&head), "{item}");
        assert!(item.len() > head.len() + 5, "{item} has no description");
    }
    // Paragraphs are kept: blank doc lines between them.
    assert!(doc.iter().filter(|l| **l == "///").count() >= 5, "{doc:#?}");
}

#[test]
fn no_html_entities_or_rst_markers_are_left_as_text() {
    let forbidden = [
        "<p>",
        "</p>",
        "<ul>",
        "<li>",
        "<code>",
        "<b>",
        "<a href",
        "&#x60;",
        "&#39;",
        "&quot;",
        "&lt;p&gt;",
        "&lt;code&gt;",
        "\\* --",
    ];
    let mut found = Vec::new();
    for (path, text) in generated_sources() {
        for (n, line) in text.lines().enumerate() {
            let line = line.trim_start();
            if !line.starts_with("///") && !line.starts_with("//!") {
                continue;
            }
            if let Some(f) = forbidden.iter().find(|f| line.contains(*f)) {
                found.push(format!("{}:{}: {f}", path.display(), n + 1));
            }
            // An RST bullet escaped into prose instead of a list item.
            if line.starts_with("/// \\* ") {
                found.push(format!("{}:{}: escaped bullet", path.display(), n + 1));
            }
        }
    }
    assert!(
        found.is_empty(),
        "{} lines, e.g. {:#?}",
        found.len(),
        &found[..found.len().min(10)]
    );
}

#[test]
fn a_method_with_faults_documents_each_and_its_metadata() {
    let files = generated_sources();
    let (_, vm) = files
        .iter()
        .find(|(p, _)| p.ends_with("managed/virtual_machine.rs"))
        .unwrap();
    let doc = doc_of(vm, "pub async fn power_on_vm_task(").join("\n");
    for part in [
        "# Parameters",
        "# Returns",
        "# Errors",
        "- [`InvalidPowerState`](crate::PowerOnVMTaskError::InvalidPowerState) (`vim.fault.InvalidPowerState`): if the power state is poweredOn.",
        "- Required privilege: `VirtualMachine.Interact.PowerOn`",
        "- Since: 1.0",
    ] {
        assert!(doc.contains(part), "{part} missing from:\n{doc}");
    }
}
