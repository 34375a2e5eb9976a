//! The Markdown-table conversion of the pyvmomi reference: data object, fault and enum
//! documents, and the whole vSphere 5.5 set from `../shared/docsets/`.

mod common;

use generator::model::{Model, TypeRef, Version};
use generator::pipeline::parse_dir;
use generator::reconcile::reconcile;

fn parsed(name: &str, text: &str) -> Model {
    let p = common::parse_bytes(name, text.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    assert!(p.warnings.is_empty(), "{:#?}", p.warnings);
    p.model
}

/// A data object: base and since from the lines under the title, plain property names.
#[test]
fn data_object_document() {
    let text = "\
vim.vm.Foo
==========
inherits from [vmodl.DynamicData](docs/vmodl.DynamicData.md)
as of [vSphere API 5.1](vim.version.md#vim.version.version8)

A data object.

| property | type | optional | priv | desc |
|:---------|:-----|:---------|:-----|:-----|
| size | long | true | None | How big. |
| bar | [vim.Bar](vim.Bar.md \"vim.Bar\") | None | None | A bar. |
";
    let model = parsed("x/y.md", text);
    assert!(model.managed_objects.is_empty());
    let [d] = &model.data_types[..] else {
        panic!("{model:#?}")
    };
    assert_eq!(d.name, "vim.vm.Foo");
    assert_eq!(d.base.as_deref(), Some("vmodl.DynamicData"));
    assert_eq!(d.since, Version::parse("vSphere API 5.1"));
    assert_eq!(d.description.as_deref(), Some("A data object."));
    let fields: Vec<(&str, Option<TypeRef>, Option<bool>)> = d
        .fields
        .iter()
        .map(|f| (f.name.as_str(), f.ty.clone(), f.optional))
        .collect();
    assert_eq!(
        fields,
        [
            ("size", Some(TypeRef::scalar("long")), Some(true)),
            ("bar", Some(TypeRef::scalar("vim.Bar")), None),
        ]
    );
}

/// A fault's three-column table; it is a fault by its base once reconciled.
#[test]
fn fault_document() {
    let text = "\
vim.fault.Foo
=============
inherits from [vim.fault.VimFault](docs/vim.fault.VimFault.md)

| property | type | optional |
|:---------|:-----|:---------|
| requestedState | [string](string.md \"string\") | true |
";
    let fault = parsed("x/f.md", text);
    let base = parsed(
        "x/b.md",
        "vim.fault.VimFault\n==================\ninherits from [vmodl.MethodFault](docs/vmodl.MethodFault.md)\n\n| property | type | optional |\n|:---------|:-----|:---------|\n",
    );
    assert_eq!(fault.data_types[0].fields[0].name, "requestedState");
    let sources = [fault, base]
        .into_iter()
        .map(|model| generator::reconcile::SourceModel {
            format: generator::model::Format::DocsMarkdown,
            model,
        })
        .collect();
    let merged = reconcile(sources).model;
    let faults: Vec<&str> = merged.fault_types.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(faults, ["vim.fault.Foo", "vim.fault.VimFault"]);
}

/// A managed object with neither methods nor properties is one by its base.
#[test]
fn managed_object_known_by_its_base() {
    let network = parsed(
        "x/n.md",
        "vim.Network\n===========\n\n| property | type | optional | priv | desc |\n|:---------|:-----|:---------|:-----|:-----|\n| <a href='name'>name</a> | string | None | System.View | Its name. |\n",
    );
    assert_eq!(network.managed_objects.len(), 1);
    let opaque = parsed(
        "x/o.md",
        "vim.OpaqueNetwork\n=================\ninherits from [vim.Network](vim.Network.md \"vim.Network\")\nas of [vSphere API 5.5](vim.version.md#vim.version.version9)\n\n| property | type | optional | priv | desc |\n|:---------|:-----|:---------|:-----|:-----|\n",
    );
    assert_eq!(opaque.data_types.len(), 1);
    let sources = [network, opaque]
        .into_iter()
        .map(|model| generator::reconcile::SourceModel {
            format: generator::model::Format::DocsMarkdown,
            model,
        })
        .collect();
    let merged = reconcile(sources).model;
    assert!(merged.data_types.is_empty());
    let o = merged.managed_object("vim.OpaqueNetwork").unwrap();
    assert_eq!(o.base.as_deref(), Some("vim.Network"));
    assert_eq!(o.since, Version::parse("vSphere API 5.5"));
    assert_eq!(
        merged.managed_object("vim.Network").unwrap().properties[0]
            .privilege
            .as_deref(),
        Some("System.View")
    );
}

const ENUMS: &str = "\
vSphere API enumerated types
============================


<a name='vim.cluster.Action.ActionType'>ActionType</a> - vim.cluster.Action
===========================================================================
Pre-defined constants for possible action types.
| name | description |
|:-----|:------------|
| MigrationV1 | Migration action type |
| VmPowerV1 | Virtual machine power action type |


<a name='vim.fault.AffinityConfigured.Affinity'>AffinityType</a> - vim.fault.AffinityConfigured
===============================================================================================
Types of affinities.
| name | description |
|:-----|:------------|
| memory | memory |
";

/// `enums.md` is the collection of every enum, each named by its heading's anchor.
#[test]
fn enum_collection() {
    let model = parsed("x/enums.md", ENUMS);
    let enums: Vec<(&str, Vec<&str>, u32)> = model
        .enums
        .iter()
        .map(|e| {
            (
                e.name.as_str(),
                e.values.iter().map(|v| v.name.as_str()).collect(),
                e.source.line,
            )
        })
        .collect();
    assert_eq!(
        enums,
        [
            (
                "vim.cluster.Action.ActionType",
                vec!["MigrationV1", "VmPowerV1"],
                5
            ),
            ("vim.fault.AffinityConfigured.Affinity", vec!["memory"], 14),
        ]
    );
    assert_eq!(
        model.enums[0].description.as_deref(),
        Some("Pre-defined constants for possible action types.")
    );
    assert_eq!(
        model.enums[0].values[1].description.as_deref(),
        Some("Virtual machine power action type")
    );

    // A heading without its anchor is an error at the heading.
    let broken = ENUMS.replace("<a name='vim.fault.AffinityConfigured.Affinity'>", "<b>");
    let e = common::parse_bytes("x/enums.md", broken.as_bytes()).unwrap_err();
    assert_eq!((e.line, e.column), (14, 1), "{e}");
}

#[test]
fn the_whole_pyvmomi_tables_5_5_set() {
    let root = common::repo_root();
    let set = root.join("../shared/docsets/pyvmomi-tables-5.5");
    assert!(
        set.join("docs").is_dir(),
        "{} is missing: it is the vSphere 5.5 Markdown-table set described in \
         ../shared/docsets/README.md (github.com/kevin1024/pyvmomi, branch docs)",
        set.display()
    );
    let parsed = parse_dir(&set, &set).unwrap_or_else(|e| panic!("{e}"));
    let skipped: Vec<String> = parsed.skipped.iter().map(|s| s.to_string()).collect();
    assert_eq!(
        skipped,
        [
            "License.txt: skipped: not documentation (a licence)",
            "Notice.txt: skipped: not documentation (a licence notice)",
            "docs/INDEX.md: skipped: an index page: it only lists links",
            "docs/README.md: skipped: its title `pyVmomi documentation` names no type, so it \
             documents none",
            "docs/vim.version.md: skipped: its title `vSphere API python binding \
             documentation` names no type, so it documents none",
            "docs/vmodl.md: skipped: its title `vSphere API python binding primitive types` \
             names no type, so it documents none",
        ]
    );
    assert_eq!(parsed.sources.len(), 2492);
    // 4,338 before the embedded HTML was read as markup, 64 before placeholders in angle
    // brackets (`<hostname>`) were kept as text, 47 before `### DEPRECATED` headings were
    // read; none of what is left is about the tags the set writes for paragraphs, lists,
    // code, bold, links or tables.
    assert_eq!(parsed.warnings.len(), 15);
    let vmotion = parsed
        .sources
        .iter()
        .flat_map(|s| &s.model.data_types)
        .find(|d| d.name == "vim.host.VMotionInfo")
        .unwrap();
    assert_eq!(vmotion.deprecated.as_deref(), Some("Deprecated."));
    assert!(
        !parsed
            .warnings
            .iter()
            .any(|w| w.message.contains("inline HTML \"<hostname>\"")),
        "placeholders are text"
    );
    for tag in [
        "<p>", "<ul>", "<li>", "<code>", "<b>", "<a ", "<td", "<dt>", "<br",
    ] {
        assert!(
            !parsed
                .warnings
                .iter()
                .any(|w| w.message.contains(&format!("inline HTML \"{tag}"))),
            "{tag}"
        );
    }
    let merged = reconcile(parsed.sources).model;
    let methods: usize = merged.managed_objects.iter().map(|m| m.methods.len()).sum();
    let properties: usize = merged
        .managed_objects
        .iter()
        .map(|m| m.properties.len())
        .sum();
    let values: usize = merged.enums.iter().map(|e| e.values.len()).sum();
    assert_eq!(
        (
            merged.managed_objects.len(),
            methods,
            properties,
            merged.data_types.len(),
            merged.fault_types.len(),
            merged.enums.len(),
            values
        ),
        // 214: `vim.Network.name` repeats `vim.ManagedEntity.name` with its type.
        (109, 611, 214, 1748, 634, 261, VALUES)
    );

    let vm = merged.managed_object("vim.VirtualMachine").unwrap();
    assert_eq!(vm.base.as_deref(), Some("vim.ManagedEntity"));
    let power_on = vm.methods.iter().find(|m| m.name == "PowerOnVM").unwrap();
    let params: Vec<(&str, Option<TypeRef>)> = power_on
        .params
        .iter()
        .map(|p| (p.name.as_str(), p.ty.clone()))
        .collect();
    assert_eq!(params, [("host", Some(TypeRef::scalar("vim.HostSystem")))]);
    assert_eq!(
        power_on.returns.as_ref().unwrap().ty,
        Some(TypeRef::scalar("vim.Task"))
    );
    assert_eq!(
        power_on.privilege.as_deref(),
        Some("VirtualMachine.Interact.PowerOn")
    );
    assert_eq!(power_on.since, Version::parse("1.0"));
    assert!(power_on
        .faults
        .iter()
        .any(|f| f.name == "vim.fault.InvalidPowerState"));

    let disk = merged.data_type("vim.vm.device.VirtualDisk").unwrap();
    assert_eq!(disk.base.as_deref(), Some("vim.vm.device.VirtualDevice"));
    let state = merged.enum_type("vim.VirtualMachine.PowerState").unwrap();
    let values: Vec<&str> = state.values.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(values, ["poweredOff", "poweredOn", "suspended"]);
    let opaque = merged.managed_object("vim.OpaqueNetwork").unwrap();
    assert_eq!(opaque.base.as_deref(), Some("vim.Network"));
    // The description with `|` in it (a grammar) is whole.
    let info = merged.data_type("vim.vApp.PropertyInfo").unwrap();
    let ty = info.fields.iter().find(|f| f.name == "type").unwrap();
    assert!(ty
        .description
        .as_deref()
        .unwrap()
        .contains("[ \"+\" | \"-\" }"));
}

const VALUES: usize = 1247;
