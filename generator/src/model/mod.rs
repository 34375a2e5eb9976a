//! The intermediate model: what every parser produces and what the emitters read.
//!
//! Parsers fill in only the facts their format states; everything a format is silent
//! about stays `None`. The reconciler merges several such partial models into one in
//! which each fact records the document it came from (`origin`).
//!
//! # Description text
//!
//! Every `description` (and deprecation note) is written in one small markup, whatever
//! format it was read from, so the emitters never see a document's own syntax:
//!
//! - a blank line separates paragraphs;
//! - a line starting `- ` or `* ` (or `1. `) is a list item;
//! - a line ```` ``` ```` opens or closes a literal block, whose lines are kept as written;
//! - `` `text` `` is code and `**text**` is bold;
//! - `[[vim.SessionManager.CloneSession]]` is a cross-reference to an API item by its
//!   qualified name (a type, or a type and a member), `[[Target|text]]` one shown as `text`;
//! - `[text](https://…)` is a link to a web page;
//! - everything else is prose: HTML, entities and the formats' own markup are already
//!   decoded, and the emitters escape what Markdown would read as markup.

mod fact;
mod names;
mod primitive;
pub mod store;
mod types;
mod version;

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

pub use fact::{Fact, UnknownFact};
pub use names::{
    lower_camel, snake_case, snake_to_lower_camel, wire_name_of, MANAGED_OBJECT_REFERENCE,
    MANAGED_ROOT, ROOT_TYPES, TASK_TYPE,
};
pub use primitive::{Primitive, PrimitiveInfo, PRIMITIVES};
pub use types::TypeRef;
pub use version::Version;

/// Where a fact was read: a file and a 1-based line. Written `{file, line}`, or `N:line`
/// inside a stored model (see [`store`]).
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Loc {
    /// Path of the document, as given to the parser.
    pub file: String,
    /// 1-based line number.
    pub line: u32,
}

impl Loc {
    /// A location in `file` at `line`.
    pub fn new(file: impl Into<String>, line: u32) -> Self {
        Loc {
            file: file.into(),
            line,
        }
    }
}

impl fmt::Display for Loc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// Which documentation format a fact came from; the reconciler's precedence is keyed on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// pyvmomi reStructuredText reference (normal or whitespace-collapsed).
    PyvmomiRst,
    /// pyvmomi docs converted to Markdown with tables.
    DocsMarkdown,
    /// OpenAPI-generator Markdown for the VI/JSON Python client.
    OpenApiMarkdown,
    /// Text scraped from a VI/JSON API reference web page.
    VijsonText,
    /// `spec/overrides.yaml`.
    Override,
}

/// Everything one document (or the merged set) says.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Model {
    /// Managed object types (have methods and properties; passed by reference).
    pub managed_objects: Vec<ManagedObject>,
    /// Data object types (passed by value), faults excluded.
    pub data_types: Vec<DataType>,
    /// Fault types: data types that derive from `vmodl.MethodFault`.
    pub fault_types: Vec<DataType>,
    /// Enumerations.
    pub enums: Vec<EnumType>,
    /// Managed object types that selected types refer to but that are not themselves
    /// selected: values of these types travel as managed object references.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub referenced_managed_objects: Vec<TypeName>,
}

/// A type's qualified and wire names.
#[derive(Clone, Default, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TypeName {
    /// Qualified vmodl name.
    pub name: String,
    /// Name on the wire.
    pub wire_name: String,
}

impl Model {
    /// Appends everything in `other` to `self` (no merging; see `reconcile` for that).
    pub fn extend(&mut self, other: Model) {
        self.managed_objects.extend(other.managed_objects);
        self.data_types.extend(other.data_types);
        self.fault_types.extend(other.fault_types);
        self.enums.extend(other.enums);
        self.referenced_managed_objects
            .extend(other.referenced_managed_objects);
    }

    /// Sorts every list of items by name (the stored model's canonical order; members keep
    /// their documented order).
    pub fn sort_by_name(&mut self) {
        self.managed_objects.sort_by(|a, b| a.name.cmp(&b.name));
        self.data_types.sort_by(|a, b| a.name.cmp(&b.name));
        self.fault_types.sort_by(|a, b| a.name.cmp(&b.name));
        self.enums.sort_by(|a, b| a.name.cmp(&b.name));
        self.referenced_managed_objects
            .sort_by(|a, b| a.name.cmp(&b.name));
    }

    /// Looks up a managed object by qualified name.
    pub fn managed_object(&self, name: &str) -> Option<&ManagedObject> {
        self.managed_objects.iter().find(|m| m.name == name)
    }

    /// Looks up a data or fault type by qualified name.
    pub fn data_type(&self, name: &str) -> Option<&DataType> {
        self.data_types
            .iter()
            .chain(&self.fault_types)
            .find(|d| d.name == name)
    }

    /// Looks up an enum by qualified name.
    pub fn enum_type(&self, name: &str) -> Option<&EnumType> {
        self.enums.iter().find(|e| e.name == name)
    }
}

/// A managed object type, e.g. `vim.SessionManager`.
#[derive(Clone, Default, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManagedObject {
    /// Qualified vmodl name, e.g. `vim.SessionManager`.
    pub name: String,
    /// Name on the wire, e.g. `SessionManager`.
    pub wire_name: String,
    /// Base managed type, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base: Option<String>,
    /// Documentation text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Version that introduced the type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<Version>,
    /// Deprecation note, when the documents deprecate it (see
    /// `reconcile::deprecations`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deprecated: Option<String>,
    /// Properties in documented order.
    pub properties: Vec<Property>,
    /// Methods in documented order.
    pub methods: Vec<Method>,
    /// Where the type is defined.
    pub source: Loc,
}

/// A property of a managed object.
#[derive(Clone, Default, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Property {
    /// Property name, e.g. `sessionList`.
    pub name: String,
    /// Value type.
    #[serde(rename = "type")]
    pub ty: Option<TypeRef>,
    /// Whether the value may be unset.
    pub optional: Option<bool>,
    /// Privilege required to read it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub privilege: Option<String>,
    /// Version that introduced it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<Version>,
    /// Deprecation note, when the documents deprecate it (see
    /// `reconcile::deprecations`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deprecated: Option<String>,
    /// Documentation text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// VI/JSON binding (GET path), when documented.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http: Option<HttpBinding>,
    /// Where it is defined.
    pub source: Loc,
    /// For a merged model: the document that supplied each fact.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub origin: BTreeMap<Fact, Loc>,
}

/// A method of a managed object.
#[derive(Clone, Default, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Method {
    /// Wire name, e.g. `LoginBySSPI`.
    pub name: String,
    /// Parameters in declared order (without `_this`).
    pub params: Vec<Param>,
    /// Return value: `None` while unknown; `Some(Returns { ty: None, .. })` for void.
    #[serde(
        default,
        skip_serializing_if = "types::returns_left_out",
        serialize_with = "types::ser_returns",
        deserialize_with = "types::de_returns"
    )]
    pub returns: Option<Returns>,
    /// Privilege required to call it.
    pub privilege: Option<String>,
    /// The privilege calling it on a subtype needs, where the subtype's page states
    /// another one (`ManagedEntity.Destroy_Task` on a `vim.VirtualMachine` needs
    /// `VirtualMachine.Inventory.Delete`), by the subtype's qualified name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub privilege_on: BTreeMap<String, SubtypePrivilege>,
    /// Version that introduced it.
    pub since: Option<Version>,
    /// Faults the method documents.
    #[serde(
        serialize_with = "types::ser_fault_names",
        deserialize_with = "types::de_fault_names"
    )]
    pub faults: Vec<FaultRef>,
    /// Documentation text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Deprecation note, when deprecated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deprecated: Option<String>,
    /// VI/JSON binding, when documented.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http: Option<HttpBinding>,
    /// Name of the VI/JSON request-body type (`LoginRequestType`), when documented.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_type: Option<String>,
    /// For a task method: the type of its task's `info.result`, as the return value's
    /// description names it (set by the reconciler).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_result: Option<TypeRef>,
    /// Where it is defined.
    pub source: Loc,
    /// For a merged model: the document that supplied each fact.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub origin: BTreeMap<Fact, Loc>,
}

impl Method {
    /// The method a VI/JSON request-body type belongs to: `LoginRequestType` → `Login`.
    pub fn of_request_type(type_name: &str) -> Option<&str> {
        type_name
            .strip_suffix("RequestType")
            .filter(|m| !m.is_empty())
    }
}

/// The privilege an inherited method needs on one subtype, and the page that says so.
#[derive(Clone, Default, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubtypePrivilege {
    /// The privilege, e.g. `VirtualMachine.Inventory.Delete`.
    pub privilege: String,
    /// Where the subtype's page states it.
    pub source: Loc,
}

/// A method parameter.
#[derive(Clone, Default, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Param {
    /// Wire name, e.g. `userName`.
    pub name: String,
    /// Declared type.
    #[serde(rename = "type")]
    pub ty: Option<TypeRef>,
    /// Whether it may be omitted.
    pub optional: Option<bool>,
    /// Whether it carries a credential (never printed or logged).
    pub secret: bool,
    /// Version that added the parameter, when newer than its method.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<Version>,
    /// Documentation text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Where it is defined.
    pub source: Loc,
    /// For a merged model: the document that supplied each fact.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub origin: BTreeMap<Fact, Loc>,
}

/// What a method returns.
#[derive(Clone, Default, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Returns {
    /// `None` for a method that returns nothing.
    pub ty: Option<TypeRef>,
    /// Whether the value may be unset.
    pub optional: bool,
    /// Whether the value is a credential.
    pub secret: bool,
    /// Documentation of the return value.
    pub description: Option<String>,
}

/// A fault a method documents.
#[derive(Clone, Default, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultRef {
    /// Qualified fault type, e.g. `vim.fault.InvalidLogin` (or a bare wire name before reconciling).
    pub name: String,
    /// When the method throws it.
    pub description: Option<String>,
    /// Where it is listed.
    pub source: Loc,
}

/// The VI/JSON binding of a method or property.
#[derive(Clone, Default, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HttpBinding {
    /// `GET` or `POST`.
    pub verb: String,
    /// Path relative to `/sdk/vim25/{release}`, e.g. `/SessionManager/{moId}/Login`.
    pub path: String,
}

/// A data object or fault type.
#[derive(Clone, Default, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataType {
    /// Qualified name, e.g. `vim.SessionManager.LocalTicket`.
    pub name: String,
    /// Name on the wire, e.g. `SessionManagerLocalTicket`.
    pub wire_name: String,
    /// Base type, e.g. `vmodl.DynamicData`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base: Option<String>,
    /// Documentation text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Version that introduced it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<Version>,
    /// Deprecation note, when the documents deprecate it (see
    /// `reconcile::deprecations`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deprecated: Option<String>,
    /// Own fields (not inherited ones) in documented order.
    pub fields: Vec<Field>,
    /// Where it is defined.
    pub source: Loc,
}

/// A field of a data object.
#[derive(Clone, Default, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Field {
    /// Wire name.
    pub name: String,
    /// Declared type.
    #[serde(rename = "type")]
    pub ty: Option<TypeRef>,
    /// Whether it may be unset.
    pub optional: Option<bool>,
    /// Whether it carries a credential.
    #[serde(default)]
    pub secret: bool,
    /// Version that introduced it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<Version>,
    /// Deprecation note, when the documents deprecate it (see
    /// `reconcile::deprecations`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deprecated: Option<String>,
    /// Documentation text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Where it is defined.
    pub source: Loc,
    /// The spec entry that set a fact the documents do not state (a secret rule, an override).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub origin: BTreeMap<Fact, Loc>,
}

/// An enumeration type.
#[derive(Clone, Default, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnumType {
    /// Qualified name.
    pub name: String,
    /// Name on the wire.
    pub wire_name: String,
    /// Documentation text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Version that introduced it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<Version>,
    /// Values in documented order.
    pub values: Vec<EnumValue>,
    /// Where it is defined.
    pub source: Loc,
}

/// One value of an enum.
#[derive(Clone, Default, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnumValue {
    /// Wire string.
    pub name: String,
    /// Documentation text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// How many methods of `model` return a task (`vim.Task`).
pub fn task_methods(model: &Model) -> usize {
    model
        .managed_objects
        .iter()
        .flat_map(|mo| &mo.methods)
        .filter(|m| {
            m.returns
                .as_ref()
                .and_then(|r| r.ty.as_ref())
                .is_some_and(|t| t.name == TASK_TYPE)
        })
        .count()
}
