//! The OpenAPI-Generator Markdown type documents (`docs/<Type>.md`): synthetic documents of
//! each kind, malformed input, and the whole vSphere 8.0.1.0 set from `../shared/docsets/`.

mod common;

use std::collections::BTreeMap;

use generator::diag::{Diagnostic, Severity};
use generator::model::{DataType, EnumType, Field, Model, TypeRef};
use generator::parse::Parsed;
use generator::pipeline::parse_dir;

const TAIL: &str = "## Example

```python
from vmware_vi.models.foo import Foo
```
[[Back to Model list]](../README.md#documentation-for-models) [[Back to API list]](../README.md#documentation-for-api-endpoints) [[Back to README]](../README.md)
";

const HEADER: &str = "Name | Type | Description | Notes
------------ | ------------- | ------------- | -------------
";

fn doc(title: &str, description: &str, rows: &str) -> String {
    format!("# {title}\n\n{description} \n\n## Properties\n{HEADER}{rows}\n{TAIL}")
}

fn parse(name: &str, text: &str) -> Result<Parsed, Diagnostic> {
    common::parse_bytes(name, text.as_bytes())
}

fn parsed(name: &str, text: &str) -> Model {
    let p = parse(name, text).unwrap_or_else(|e| panic!("{e}"));
    assert!(p.warnings.is_empty(), "{:#?}", p.warnings);
    p.model
}

fn only_type(model: &Model) -> &DataType {
    assert_eq!(model.data_types.len(), 1, "{model:#?}");
    assert!(model.enums.is_empty() && model.managed_objects.is_empty());
    &model.data_types[0]
}

fn field<'a>(d: &'a DataType, name: &str) -> &'a Field {
    d.fields
        .iter()
        .find(|f| f.name == name)
        .unwrap_or_else(|| panic!("no field {name} in {:?}", d.fields))
}

fn ty(name: &str, array: bool) -> Option<TypeRef> {
    Some(TypeRef {
        name: name.into(),
        array,
    })
}

fn error(name: &str, text: &str) -> Diagnostic {
    match parse(name, text) {
        Ok(p) => panic!("expected an error, got {:#?}", p.model),
        Err(e) => {
            assert_eq!(e.severity, Severity::Error, "{e}");
            e
        }
    }
}

#[test]
fn data_type_fields_since_optional_arrays_and_references() {
    let rows = "\
**v_disk_id** | [**ID**](ID.md) | Durable id.  ***Since:*** vSphere API 6.5  | [optional] 
**capacity_in_kb** | **int** | Deprecated as of vSphere API 5.5, use *VirtualDisk.capacityInBytes*.  Capacity in kilobytes.  | 
**names** | **List[str]** | Like \\&quot;en\\&quot; or &#x60;fr&#x60;, it&#39;s fine.  | [optional] 
**disks** | [**List[VirtualDisk]**](VirtualDisk.md) |  | 
**state** | [**VirtualMachinePowerStateEnum**](VirtualMachinePowerStateEnum.md) |  | [optional] 
**var_from** | **datetime** | Start.  | 
**any** | [**Any**](Any.md) | A value.  | 
";
    let text = doc(
        "FooInfo",
        "The *FooInfo* data object.  ***Since:*** VI API 2.5u2",
        rows,
    );
    let model = parsed("x/FooInfo.md", &text);
    let d = only_type(&model);
    assert_eq!(
        (d.name.as_str(), d.wire_name.as_str()),
        ("FooInfo", "FooInfo")
    );
    assert_eq!(d.base, None);
    assert_eq!(
        d.description.as_deref(),
        Some("The [[FooInfo]] data object.")
    );
    assert_eq!(d.since.as_ref().unwrap().label(), "VI API 2.5u2");
    assert_eq!(d.source.line, 1);
    let names: Vec<&str> = d.fields.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "vDiskId",
            "capacityInKb",
            "names",
            "disks",
            "state",
            "from",
            "any"
        ]
    );

    let id = field(d, "vDiskId");
    assert_eq!(id.ty, ty("ID", false));
    assert_eq!(id.optional, Some(true));
    assert_eq!(id.since.as_ref().unwrap().label(), "vSphere API 6.5");
    assert_eq!(id.description.as_deref(), Some("Durable id."));
    assert_eq!(id.source.line, 8);

    let kb = field(d, "capacityInKb");
    // Python `int` may be vmodl `long`: read as the wider type.
    assert_eq!(kb.ty, ty("long", false));
    assert_eq!(kb.optional, Some(false));
    assert_eq!(kb.since, None);
    assert_eq!(
        kb.description.as_deref(),
        Some("Deprecated as of vSphere API 5.5, use [[VirtualDisk.capacityInBytes]]. Capacity in kilobytes.")
    );

    let names = field(d, "names");
    assert_eq!(names.ty, ty("string", true));
    assert_eq!(
        names.description.as_deref(),
        Some("Like \"en\" or `fr`, it's fine.")
    );
    assert_eq!(field(d, "disks").ty, ty("VirtualDisk", true));
    assert_eq!(field(d, "disks").description, None);
    assert_eq!(field(d, "state").ty, ty("VirtualMachinePowerState", false));
    assert_eq!(field(d, "from").ty, ty("dateTime", false));
    assert_eq!(field(d, "any").ty, ty("anyType", false));
}

#[test]
fn enum_document_values_and_since() {
    let text = doc(
        "FooPowerStateEnum",
        "The states.  Possible values: - `poweredOff`: Off. - `poweredOn`: On, see *Foo.bar*.      ***Since:*** vSphere API 6.0 - `suspended`  ***Since:*** vSphere API 5.0",
        "",
    );
    let model = parsed("x/FooPowerStateEnum.md", &text);
    assert!(model.data_types.is_empty());
    let [e]: &[EnumType] = &model.enums[..] else {
        panic!("{model:#?}")
    };
    assert_eq!(
        (e.name.as_str(), e.wire_name.as_str()),
        ("FooPowerState", "FooPowerState")
    );
    assert_eq!(e.description.as_deref(), Some("The states."));
    assert_eq!(e.since.as_ref().unwrap().label(), "vSphere API 5.0");
    let values: Vec<(&str, Option<&str>)> = e
        .values
        .iter()
        .map(|v| (v.name.as_str(), v.description.as_deref()))
        .collect();
    assert_eq!(
        values,
        [
            ("poweredOff", Some("Off.")),
            (
                "poweredOn",
                Some("On, see [[Foo.bar]]. Since: vSphere API 6.0")
            ),
            ("suspended", None),
        ]
    );
}

#[test]
fn boxed_enum_array_and_primitive_wrappers_add_nothing() {
    let boxed = doc(
        "FooPowerState",
        "A boxed *FooPowerState_enum*. To be used in *Any* placeholders.",
        "**value** | [**FooPowerStateEnum**](FooPowerStateEnum.md) |  | \n",
    );
    assert_eq!(parsed("x/FooPowerState.md", &boxed), Model::default());

    let array = doc(
        "ArrayOfFooPowerState",
        "A boxed array of *FooPowerState_enum*. To be used in *Any* placeholders.",
        "**value** | [**List[FooPowerStateEnum]**](FooPowerStateEnum.md) |  | \n",
    );
    assert_eq!(
        parsed("x/ArrayOfFooPowerState.md", &array),
        Model::default()
    );

    let primitive = doc(
        "PrimitiveBoolean",
        "A boxed bool primitive. To be used in *Any* placeholders.",
        "**value** | **bool** |  | \n",
    );
    assert_eq!(
        parsed("x/PrimitiveBoolean.md", &primitive),
        Model::default()
    );

    // A type named like a wrapper whose fields are not a wrapper's is a data type.
    let not_array = doc(
        "ArrayOfFoo",
        "Not a wrapper.",
        "**value** | **str** |  | \n",
    );
    let model = parsed("x/ArrayOfFoo.md", &not_array);
    assert_eq!(only_type(&model).name, "ArrayOfFoo");
}

#[test]
fn request_type_is_a_data_type() {
    let text = doc(
        "LoginRequestType",
        "The parameters of *SessionManager.Login*.",
        "**user_name** | **str** | The user.  | \n**locale** | **str** | A locale.  | [optional] \n",
    );
    let model = parsed("x/LoginRequestType.md", &text);
    let d = only_type(&model);
    assert_eq!(d.name, "LoginRequestType");
    assert_eq!(
        d.description.as_deref(),
        Some("The parameters of [[SessionManager.Login]].")
    );
    let fields: Vec<(&str, Option<bool>)> = d
        .fields
        .iter()
        .map(|f| (f.name.as_str(), f.optional))
        .collect();
    assert_eq!(fields, [("userName", Some(false)), ("locale", Some(true))]);
}

#[test]
fn description_with_unescaped_pipes_keeps_its_notes_cell() {
    let rows = "**profile** | **str** | See the map.  P | ^P --- | E|  of each  ***Since:*** vSphere API 4.0  Refers instances of *Profile*.  | [optional] \n**other** | **bool** | a | b  | [optional] \n";
    let model = parsed("x/Check.md", &doc("Check", "Checks.", rows));
    let d = only_type(&model);
    let p = field(d, "profile");
    assert_eq!(p.optional, Some(true));
    assert_eq!(p.since.as_ref().unwrap().label(), "vSphere API 4.0");
    assert_eq!(
        p.description.as_deref(),
        Some("See the map. P | ^P --- | E| of each Refers instances of Profile.")
    );
    let o = field(d, "other");
    assert_eq!(o.optional, Some(true));
    assert_eq!(o.description.as_deref(), Some("a | b"));
}

#[test]
fn api_endpoint_row_with_an_empty_description() {
    let text = "# vmware_vi.FooApi

All URIs are relative to *https://vcenter/sdk/vim25/8.0.1.0*

Method | HTTP request | Description
------------- | ------------- | -------------
[**foo_get_config**](FooApi.md#foo_get_config) | **GET** /Foo/{moId}/config | 
[**foo_bar**](FooApi.md#foo_bar) | **POST** /Foo/{moId}/Bar | 

";
    let p = parse("x/FooApi.md", text).unwrap();
    let mo = &p.model.managed_objects[0];
    assert_eq!(mo.properties.len(), 1);
    assert_eq!(mo.properties[0].name, "config");
    assert_eq!(mo.properties[0].description, None);
    assert_eq!(mo.methods[0].name, "Bar");
    assert_eq!(mo.methods[0].description, None);
    // Neither has an operation section: one warning each, at its row.
    let lines: Vec<u32> = p.warnings.iter().map(|w| w.line).collect();
    assert_eq!(lines, [7, 8], "{:#?}", p.warnings);

    // A row cut off before its second `|` is still an error.
    let cut = text.replace("**POST** /Foo/{moId}/Bar | ", "**POST** /Foo/{moId}/Bar");
    let e = error("x/FooApi.md", &cut);
    assert_eq!((e.line, e.column), (8, 60), "{e}");
}

#[test]
fn malformed_type_documents() {
    // A truncated properties table: the last row lost its cells.
    let text = doc("Foo", "Foo.", "**a** | **str** | A.  | \n**b** | **str**\n");
    let e = error("x/Foo.md", &text);
    assert_eq!((e.line, e.column), (9, 16), "{e}");
    assert!(e.message.contains("2 cell(s) where 3 are needed"), "{e}");

    // A type cell that is not a type.
    let text = doc("Foo", "Foo.", "**a** | **strng** | A.  | \n");
    let e = error("x/Foo.md", &text);
    assert_eq!((e.line, e.column), (8, 8), "{e}");
    assert!(e.message.contains("not a known Python type"), "{e}");

    // A link to another type's page.
    let text = doc("Foo", "Foo.", "**a** | [**Bar**](Baz.md) | A.  | \n");
    let e = error("x/Foo.md", &text);
    assert_eq!((e.line, e.column), (8, 8), "{e}");

    // No properties section at all.
    let e = error("x/Foo.md", "# Foo\n\nFoo.\n");
    assert_eq!((e.line, e.column), (1, 1), "{e}");

    // Notes that are not `[optional]`: a warning with its place.
    let text = doc("Foo", "Foo.", "**a** | **str** | A.  | [required] \n");
    let p = parse("x/Foo.md", &text).unwrap();
    let [w] = &p.warnings[..] else {
        panic!("{:#?}", p.warnings)
    };
    assert_eq!(
        (w.line, w.column, w.severity),
        (8, 24, Severity::Warning),
        "{w}"
    );
    assert_eq!(p.model.data_types[0].fields[0].optional, None);
}

// ---------------------------------------------------------------------------------------
// The whole 8.0.1.0 set

#[test]
fn the_whole_vmware_vi_8_0_1_0_set() {
    let root = common::repo_root();
    let set = root.join("../shared/docsets/vmware-vi-8.0.1.0");
    assert!(
        set.join("docs").is_dir(),
        "{} is missing: it is the vSphere 8.0.1.0 OpenAPI-Generator Markdown set described in \
         ../shared/docsets/README.md (github.com/situation-sh/vmware-vi, docs/)",
        set.display()
    );
    let parsed = parse_dir(&set, &set).unwrap_or_else(|e| panic!("{e}"));

    let skipped: Vec<&str> = parsed.skipped.iter().map(|s| s.file.as_str()).collect();
    assert_eq!(skipped, ["LICENSE", "README.md"]);
    assert_eq!(parsed.sources.len(), 7294);

    let mut all = Model::default();
    let mut empty = 0;
    for s in &parsed.sources {
        if s.model == Model::default() {
            empty += 1;
        }
        all.extend(s.model.clone());
    }
    // The boxed `Any` wrappers add nothing: 66 enums (`VirtualMachinePowerState.md`),
    // 2,985 arrays (`ArrayOfVirtualDevice.md`), 14 primitives (`PrimitiveBoolean.md`), and
    // the reference type `ManagedObjectReference.md`.
    assert_eq!(empty, 66 + 2985 + 14 + 1);
    let count = |what: &str| -> usize {
        let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
        kinds.insert("managed", all.managed_objects.len());
        kinds.insert(
            "methods",
            all.managed_objects.iter().map(|m| m.methods.len()).sum(),
        );
        kinds.insert(
            "properties",
            all.managed_objects.iter().map(|m| m.properties.len()).sum(),
        );
        kinds.insert("data", all.data_types.len());
        kinds.insert(
            "requests",
            all.data_types
                .iter()
                .filter(|d| d.name.ends_with("RequestType"))
                .count(),
        );
        kinds.insert(
            "fields",
            all.data_types.iter().map(|d| d.fields.len()).sum(),
        );
        kinds.insert("enums", all.enums.len());
        kinds.insert("values", all.enums.iter().map(|e| e.values.len()).sum());
        kinds[what]
    };
    assert_eq!(count("managed"), 135);
    assert_eq!(count("methods"), 1116);
    assert_eq!(count("properties"), 593);
    assert_eq!(count("data"), 3683);
    assert_eq!(count("requests"), 779);
    assert_eq!(count("fields"), FIELDS);
    assert_eq!(count("enums"), 410);
    assert_eq!(count("values"), VALUES);
    assert!(all.fault_types.is_empty(), "faults are decided by bases");
    assert_eq!(
        parsed.warnings.len(),
        WARNINGS,
        "{:#?}",
        &parsed.warnings[..5]
    );
    // Every warning is about an `…Api.md` operation section the model has no slot for.
    assert!(parsed.warnings.iter().all(|w| w.file.ends_with("Api.md")));

    spot_checks(&all);
}

const FIELDS: usize = 8831;
const VALUES: usize = 2061;
/// Warnings of the set: 336 before its HTML (`<code>`, `<td>`, `<dt>`…) was read as markup,
/// 137 before properties kept their deprecation notes.
const WARNINGS: usize = 119;

fn spot_checks(all: &Model) {
    let sc = all.data_type("ServiceContent").unwrap();
    let crypto = field(sc, "cryptoManager");
    assert_eq!(crypto.ty, ty("ManagedObjectReference", false));
    assert_eq!(crypto.optional, Some(true));
    // The document gives `cryptoManager` no description, so no since-version either.
    assert_eq!(crypto.since, None);
    assert_eq!(field(sc, "rootFolder").optional, Some(false));

    let cluster = all.managed_object("ClusterComputeResource").unwrap();
    let configuration = cluster
        .properties
        .iter()
        .find(|p| p.name == "configuration")
        .unwrap();
    assert_eq!(
        configuration.deprecated.as_deref(),
        Some("Deprecated as of VI API 2.5, use [[ComputeResource.configurationEx]], which is a [[ClusterConfigInfoEx]] data object..")
    );

    let vm = all.managed_object("VirtualMachine").unwrap();
    let power_on = vm
        .methods
        .iter()
        .find(|m| m.name == "PowerOnVM_Task")
        .unwrap();
    let http = power_on.http.as_ref().unwrap();
    assert_eq!(
        (http.verb.as_str(), http.path.as_str()),
        ("POST", "/VirtualMachine/{moId}/PowerOnVM_Task")
    );
    assert_eq!(
        power_on.returns.as_ref().unwrap().ty,
        ty("ManagedObjectReference", false)
    );
    assert_eq!(
        power_on.privilege.as_deref(),
        Some("VirtualMachine.Interact.PowerOn")
    );
    assert_eq!(power_on.since, None);
    let faults: Vec<&str> = power_on.faults.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(
        faults,
        [
            "InvalidPowerState",
            "TaskInProgress",
            "NotEnoughLicenses",
            "NotSupported",
            "InvalidState",
            "InsufficientResourcesFault",
            "VmConfigFault",
            "FileFault",
            "DisallowedOperationOnFailoverHost"
        ]
    );
    assert_eq!(
        power_on.request_type.as_deref(),
        Some("PowerOnVMRequestType")
    );
    let request = all.data_type("PowerOnVMRequestType").unwrap();
    let params: Vec<(&str, Option<TypeRef>, Option<bool>)> = request
        .fields
        .iter()
        .map(|f| (f.name.as_str(), f.ty.clone(), f.optional))
        .collect();
    assert_eq!(
        params,
        [("host", ty("ManagedObjectReference", false), Some(true))]
    );

    let state = all.enum_type("VirtualMachinePowerState").unwrap();
    let values: Vec<&str> = state.values.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(values, ["poweredOff", "poweredOn", "suspended"]);
    assert!(all.data_type("VirtualMachinePowerState").is_none());
    let disk = all.data_type("VirtualDisk").unwrap();
    assert_eq!(field(disk, "capacityInKb").ty, ty("long", false));
    assert_eq!(
        field(disk, "diskObjectId").since.as_ref().unwrap().label(),
        "vSphere API 5.5"
    );
    // The reference type is the runtime's, not a data type; its `type` enum stays.
    assert!(all.data_type("ManagedObjectReference").is_none());
    assert!(all.enum_type("MoTypes").is_some());
    // Faults list only their own fields (`MethodFault`'s are not repeated).
    assert!(all.data_type("InvalidLogin").unwrap().fields.is_empty());
}
