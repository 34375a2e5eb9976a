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
