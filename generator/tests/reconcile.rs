//! Reconciling at the scale of whole doc sets: identities across spellings.

use generator::model::{Fact, Format, Model};
use generator::reconcile::{reconcile, SourceModel};

fn source(format: Format, yaml: &str) -> SourceModel {
    SourceModel {
        format,
        model: serde_yaml::from_str::<Model>(yaml).unwrap(),
    }
}

/// The pyvmomi RST names the type and spells the field as the wire does; the 8.0.1
/// OpenAPI set names the type by its wire name and gives the field a lowerCamel guess from
/// its snake_case, plus a since-version and a field the RST lacks.
#[test]
fn fields_are_one_identity_across_spellings_and_keep_the_wire_spelling() {
    let rst = source(
        Format::PyvmomiRst,
        r#"
managed_objects: []
data_types:
- name: vim.vm.ConfigSpec
  wire_name: VirtualMachineConfigSpec
  source: {file: a.rst, line: 1}
  fields:
  - {name: numCPUs, type: int, optional: true, source: {file: a.rst, line: 2}}
fault_types: []
enums: []
"#,
    );
    let openapi = source(
        Format::OpenApiMarkdown,
        r#"
managed_objects: []
data_types:
- name: VirtualMachineConfigSpec
  wire_name: VirtualMachineConfigSpec
  source: {file: b.md, line: 1}
  fields:
  - {name: numCpus, type: int, optional: true, since: "vSphere API 4.0", source: {file: b.md, line: 5}}
  - {name: createDate, type: dateTime, optional: true, since: "vSphere API 6.7", source: {file: b.md, line: 6}}
fault_types: []
enums: []
"#,
    );
    let merged = reconcile(vec![openapi, rst]);
    assert_eq!(merged.model.data_types.len(), 1);
    let spec = &merged.model.data_types[0];
    assert_eq!(spec.name, "vim.vm.ConfigSpec");
    let names: Vec<&str> = spec.fields.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["numCPUs", "createDate"]);
    assert_eq!(
        spec.fields[0].since.as_ref().map(|v| v.to_string()),
        Some("vSphere API 4.0".to_string())
    );
    assert!(merged.conflicts.iter().all(|c| c.fact != Fact::Params));
}

/// A task method's request body is named without `_Task` (`PowerOnVMRequestType` is the body of
/// `PowerOnVM_Task`): that is no disagreement about identity.
#[test]
fn task_request_types_belong_to_their_task_methods() {
    let api = source(
        Format::OpenApiMarkdown,
        r#"
managed_objects:
- name: VirtualMachine
  wire_name: VirtualMachine
  source: {file: a.md, line: 1}
  properties: []
  methods:
  - {name: PowerOnVM_Task, params: [], returns: null, privilege: null, since: null, faults: [], request_type: PowerOnVMRequestType, source: {file: a.md, line: 2}}
  - {name: Reload, params: [], returns: null, privilege: null, since: null, faults: [], request_type: PowerOnVMRequestType, source: {file: a.md, line: 3}}
data_types: []
fault_types: []
enums: []
"#,
    );
    let merged = reconcile(vec![api]);
    let subjects: Vec<&str> = merged
        .conflicts
        .iter()
        .filter(|c| c.fact == Fact::RequestType)
        .map(|c| c.subject.as_str())
        .collect();
    assert_eq!(subjects, ["VirtualMachine.Reload"]);
}

/// No rule gives `PerfCounterInfo` from `vim.PerformanceManager.CounterInfo`; the documents
/// do: the wire-named type ends with the last segment and has the same fields. Its wire
/// name is the one the wire-named document states. A look-alike (`CounterInfo`'s fields
/// but not its name) is not taken, and the pyvmomi `CreateVM` is the wire's
/// `CreateVM_Task`.
#[test]
fn names_no_rule_gives_are_paired_by_the_documents_evidence() {
    let rst = source(
        Format::PyvmomiRst,
        r#"
managed_objects:
- name: vim.Folder
  wire_name: Folder
  source: {file: a.rst, line: 1}
  properties: []
  methods:
  - {name: CreateVM, params: [], returns: vim.Task, faults: [], source: {file: a.rst, line: 2}}
data_types:
- name: vim.PerformanceManager.CounterInfo
  wire_name: PerformanceManagerCounterInfo
  description: Metadata about a performance counter.
  source: {file: a.rst, line: 3}
  fields:
  - {name: key, type: int, optional: false, source: {file: a.rst, line: 4}}
  - {name: rollupType, type: string, optional: false, source: {file: a.rst, line: 5}}
fault_types: []
enums: []
"#,
    );
    let openapi = source(
        Format::OpenApiMarkdown,
        r#"
managed_objects:
- name: Folder
  wire_name: Folder
  source: {file: b.md, line: 1}
  properties: []
  methods:
  - {name: CreateVM_Task, params: [], returns: ManagedObjectReference, faults: [], source: {file: b.md, line: 2}}
data_types:
- name: PerfCounterInfo
  wire_name: PerfCounterInfo
  description: Metadata about a performance counter.
  source: {file: b.md, line: 3}
  fields:
  - {name: key, type: int, optional: false, source: {file: b.md, line: 4}}
  - {name: rollupType, type: string, optional: false, source: {file: b.md, line: 5}}
- name: PerfMetricId
  wire_name: PerfMetricId
  source: {file: b.md, line: 6}
  fields:
  - {name: key, type: int, optional: false, source: {file: b.md, line: 7}}
  - {name: rollupType, type: string, optional: false, source: {file: b.md, line: 8}}
fault_types: []
enums: []
"#,
    );
    let merged = reconcile(vec![openapi, rst]);
    let names: Vec<(&str, &str)> = merged
        .model
        .data_types
        .iter()
        .map(|d| (d.name.as_str(), d.wire_name.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("vim.PerformanceManager.CounterInfo", "PerfCounterInfo"),
            ("PerfMetricId", "PerfMetricId"),
        ]
    );
    assert_eq!(merged.identity.by_evidence, 1);
    assert!(merged.identity.unpaired.is_empty());
    let folder = &merged.model.managed_objects[0];
    let methods: Vec<&str> = folder.methods.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(methods, ["CreateVM_Task"]);
    // The VI/JSON `ManagedObjectReference` is a reference to any managed object.
    assert!(merged.unresolved.is_empty(), "{:?}", merged.unresolved);
    let returns = folder.methods[0].returns.as_ref().unwrap();
    assert_eq!(returns.ty.as_ref().unwrap().name, "vim.Task");
}

/// The pyvmomi RST set and the 8.0.1 OpenAPI set reconciled together: one identity per
/// type, the newer set's additions in, and what cannot be paired listed.
#[test]
fn the_rst_and_8_0_1_sets_reconcile_into_one_model() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let set = root.join("../shared/docsets/vmware-vi-8.0.1.0");
    assert!(
        set.is_dir(),
        "{} is missing (../shared/docsets/README.md says where it comes from)",
        set.display()
    );
    let mut sources = generator::pipeline::parse_dir(&root.join("spec/pyvmomi"), &root)
        .unwrap_or_else(|e| panic!("{e}"))
        .sources;
    sources.extend(
        generator::pipeline::parse_dir(&set, &set)
            .unwrap_or_else(|e| panic!("{e}"))
            .sources,
    );
    let merged = reconcile(sources);
    let m = &merged.model;
    let methods: usize = m.managed_objects.iter().map(|o| o.methods.len()).sum();
    assert_eq!(
        (m.managed_objects.len(), methods, m.enums.len()),
        (136, 964, 410)
    );
    // The 8.0.1 set repeats inherited methods and properties on every subtype's page (some
    // without their parameters): only the declaring object keeps them.
    let entity = m.managed_object("vim.ManagedEntity").unwrap();
    let rename = entity
        .methods
        .iter()
        .find(|x| x.name == "Rename_Task")
        .unwrap();
    assert_eq!(rename.params.len(), 1);
    assert_eq!(rename.params[0].name, "newName");
    let vm = m.managed_object("vim.VirtualMachine").unwrap();
    assert!(!vm.methods.iter().any(|x| x.name == "Rename_Task"));
    assert!(!vm.properties.iter().any(|p| p.name == "name"));
    assert!(merged
        .repeated_fields
        .contains(&"vim.VirtualMachine.Rename_Task".to_string()));
    assert_eq!(merged.identity.by_evidence, 815);
    // vim.VirtualizationManager is gone from 8.0.1; vmodl.DynamicData has no page there.
    assert_eq!(
        merged.identity.unpaired,
        ["vim.VirtualizationManager", "vmodl.DynamicData"]
    );
    let wire = |q: &str| {
        m.data_type(q)
            .map(|d| d.wire_name.clone())
            .unwrap_or_else(|| panic!("no {q}"))
    };
    assert_eq!(
        wire("vim.PerformanceManager.CounterInfo"),
        "PerfCounterInfo"
    );
    assert_eq!(
        wire("vim.host.DatastoreBrowser.FloppyImageQuery"),
        "FloppyImageFileQuery"
    );
    assert_eq!(
        wire("vim.vm.device.VirtualDiskSpec"),
        "VirtualDiskConfigSpec"
    );
    // A field added after 5.5, in the RST's type.
    let content = m.data_type("vim.ServiceInstanceContent").unwrap();
    assert!(content.fields.iter().any(|f| f.name == "cryptoManager"));
    // The task methods are one method each, by their wire names.
    let vm = m.managed_object("vim.VirtualMachine").unwrap();
    let power_on: Vec<&str> = vm
        .methods
        .iter()
        .filter(|x| x.name.to_ascii_lowercase().starts_with("poweronvm"))
        .map(|x| x.name.as_str())
        .collect();
    assert_eq!(power_on, ["PowerOnVM_Task"]);
    // A task method's result type, as its return value's description names it.
    let task_result = |mo: &str, method: &str| {
        m.managed_object(mo)
            .and_then(|o| o.methods.iter().find(|x| x.name == method))
            .and_then(|x| x.task_result.as_ref())
            .map(|t| (t.name.as_str(), t.array))
    };
    assert_eq!(
        task_result("vim.Folder", "CreateVM_Task"),
        Some(("vim.VirtualMachine", false))
    );
    assert_eq!(
        task_result("vim.DiagnosticManager", "GenerateLogBundles_Task"),
        Some(("vim.DiagnosticManager.BundleInfo", true))
    );
    assert_eq!(task_result("vim.VirtualMachine", "PowerOnVM_Task"), None);
    assert_eq!(merged.task_results, 24);
    // A single return value whose description says it may be null is optional; arrays
    // and tasks are not.
    let returns_optional = |mo: &str, method: &str| {
        m.managed_object(mo)
            .and_then(|o| o.methods.iter().find(|x| x.name == method))
            .and_then(|x| x.returns.as_ref())
            .map(|r| r.optional)
    };
    assert_eq!(
        returns_optional("vim.SearchIndex", "FindByInventoryPath"),
        Some(true)
    );
    assert_eq!(
        returns_optional("vim.SearchIndex", "FindByUuid"),
        Some(true)
    );
    assert_eq!(
        returns_optional("vim.SearchIndex", "FindAllByIp"),
        Some(false)
    );
    assert_eq!(
        returns_optional("vmodl.query.PropertyCollector", "WaitForUpdatesEx"),
        Some(true)
    );
    assert_eq!(
        returns_optional("vim.HostSystem", "UpdateProductLockerLocation_Task"),
        Some(false)
    );
    assert_eq!(returns_optional("vim.SessionManager", "Login"), Some(false));
    assert_eq!(merged.null_returns, 13);
}

/// A type another document refines is no disagreement: `string` where the 8.0.1 set names
/// the enum, a reference to any managed object where another names `vim.Task`; and an
/// 8.0.1-only `…_Task` method returns a task, not any reference.
#[test]
fn a_more_specific_type_is_chosen_without_a_conflict() {
    let rst = source(
        Format::PyvmomiRst,
        r#"
managed_objects:
- name: vim.Task
  wire_name: Task
  source: {file: a.rst, line: 1}
  properties: []
  methods: []
- name: vim.VirtualMachine
  wire_name: VirtualMachine
  source: {file: a.rst, line: 2}
  properties: []
  methods:
  - {name: PowerOnVM, params: [], returns: vim.Task, faults: [], source: {file: a.rst, line: 3}}
data_types:
- name: vim.vm.RuntimeInfo
  wire_name: VirtualMachineRuntimeInfo
  source: {file: a.rst, line: 4}
  fields:
  - {name: powerState, type: string, optional: false, source: {file: a.rst, line: 5}}
fault_types: []
enums:
- name: vim.VirtualMachine.PowerState
  wire_name: VirtualMachinePowerState
  source: {file: a.rst, line: 6}
  values: [{name: poweredOn}]
"#,
    );
    let openapi = source(
        Format::OpenApiMarkdown,
        r#"
managed_objects:
- name: VirtualMachine
  wire_name: VirtualMachine
  source: {file: b.md, line: 1}
  properties: []
  methods:
  - {name: PowerOnVM_Task, params: [], returns: ManagedObjectReference, faults: [], source: {file: b.md, line: 2}}
  - {name: InstantClone_Task, params: [], returns: ManagedObjectReference, faults: [], source: {file: b.md, line: 3}}
data_types:
- name: VirtualMachineRuntimeInfo
  wire_name: VirtualMachineRuntimeInfo
  source: {file: b.md, line: 4}
  fields:
  - {name: powerState, type: VirtualMachinePowerState, optional: false, source: {file: b.md, line: 5}}
fault_types: []
enums: []
"#,
    );
    let merged = reconcile(vec![openapi, rst]);
    assert!(merged.conflicts.is_empty(), "{:#?}", merged.conflicts);
    let info = merged.model.data_type("vim.vm.RuntimeInfo").unwrap();
    assert_eq!(
        info.fields[0].ty.as_ref().unwrap().name,
        "vim.VirtualMachine.PowerState"
    );
    let vm = merged.model.managed_object("vim.VirtualMachine").unwrap();
    let returns: Vec<(&str, &str)> = vm
        .methods
        .iter()
        .map(|m| {
            let ty = m.returns.as_ref().and_then(|r| r.ty.as_ref()).unwrap();
            (m.name.as_str(), ty.name.as_str())
        })
        .collect();
    assert_eq!(
        returns,
        [
            ("PowerOnVM_Task", "vim.Task"),
            ("InstantClone_Task", "vim.Task")
        ]
    );
}

/// The 8.0.1 set lists `dynamicProperty` among some types' own fields; a base declares it,
/// so it is inherited, dropped from the type and named in the record.
#[test]
fn a_field_a_base_declares_is_not_repeated_as_own() {
    let rst = source(
        Format::PyvmomiRst,
        r#"
managed_objects: []
data_types:
- name: vmodl.DynamicData
  wire_name: DynamicData
  source: {file: a.rst, line: 1}
  fields:
  - {name: dynamicProperty, type: "vmodl.DynamicProperty[]", optional: true, source: {file: a.rst, line: 2}}
- name: vim.dvs.DistributedVirtualPortgroup.ConfigSpec
  wire_name: DVPortgroupConfigSpec
  base: vmodl.DynamicData
  source: {file: a.rst, line: 3}
  fields:
  - {name: name, type: string, optional: true, source: {file: a.rst, line: 4}}
fault_types: []
enums: []
"#,
    );
    let openapi = source(
        Format::OpenApiMarkdown,
        r#"
managed_objects: []
data_types:
- name: DVPortgroupConfigSpec
  wire_name: DVPortgroupConfigSpec
  source: {file: b.md, line: 1}
  fields:
  - {name: name, type: string, optional: true, source: {file: b.md, line: 2}}
  - {name: dynamicProperty, type: "DynamicProperty[]", optional: true, source: {file: b.md, line: 3}}
fault_types: []
enums: []
"#,
    );
    let merged = reconcile(vec![openapi, rst]);
    let spec = merged
        .model
        .data_type("vim.dvs.DistributedVirtualPortgroup.ConfigSpec")
        .unwrap();
    let names: Vec<&str> = spec.fields.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["name"]);
    assert_eq!(
        merged.repeated_fields,
        ["vim.dvs.DistributedVirtualPortgroup.ConfigSpec.dynamicProperty"]
    );
}
