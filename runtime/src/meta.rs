//! What the generated code tells the runtime about each method and property, and lookups
//! over it: a method or property by name (following managed object inheritance) and the
//! privileges a set of calls needs.
//!
//! The generated crate holds the tables (`vsphere::meta::MANAGED_OBJECTS`, `METHODS`,
//! `PROPERTIES`) and one [`Catalog`] over them, `vsphere::meta::CATALOG`:
//!
//! ```
//! # use vsphere_runtime::{Catalog, ManagedObjectInfo, MethodInfo};
//! # static CATALOG: Catalog = Catalog {
//! #     managed_objects: &[ManagedObjectInfo { name: "VirtualMachine", base: None }],
//! #     methods: &[MethodInfo { managed_object: "VirtualMachine", name: "PowerOnVM_Task",
//! #         privilege: Some("VirtualMachine.Interact.PowerOn"), since_label: None,
//! #         since: None, deprecated: false }],
//! #     properties: &[],
//! #     inherited_privileges: &[],
//! # };
//! // With the generated crate: `vsphere::meta::CATALOG.privileges(...)`.
//! let needs = CATALOG.privileges(["VirtualMachine.PowerOnVM_Task"])?;
//! assert_eq!(needs.required, ["VirtualMachine.Interact.PowerOn"]);
//! # Ok::<(), vsphere_runtime::LookupError>(())
//! ```

use std::fmt;

use crate::ApiVersion;

/// The privilege the documents write for a call whose privilege depends on its arguments.
pub const DYNAMIC_PRIVILEGE: &str = "dynamic";

/// A method of a managed object type, as emitted from the model.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MethodInfo {
    /// Wire name of the managed object type, e.g. `SessionManager`.
    pub managed_object: &'static str,
    /// Wire name of the method, e.g. `Login`.
    pub name: &'static str,
    /// Privilege the call requires, as the documents write it (`dynamic` when it depends
    /// on the arguments; see [`MethodInfo::required_privilege`]).
    pub privilege: Option<&'static str>,
    /// The version label that introduced it, as the documents write it.
    pub since_label: Option<&'static str>,
    /// The version that introduced it (the call is refused on older servers).
    pub since: Option<ApiVersion>,
    /// Whether it is deprecated.
    pub deprecated: bool,
}

/// A property of a managed object type, as emitted from the model.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PropertyInfo {
    /// Wire name of the managed object type.
    pub managed_object: &'static str,
    /// Property name, e.g. `sessionList`.
    pub name: &'static str,
    /// Privilege reading it requires, as the documents write it.
    pub privilege: Option<&'static str>,
}

/// A member that carries a credential, as emitted from the model: its Rust type is
/// [`Secret`](crate::Secret), redacted in `Debug`, `Display` and logs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SecretInfo {
    /// The data type (its wire name), or the managed object and method
    /// (`SessionManager.Login`) a parameter belongs to, or the managed object of a method
    /// whose return value is secret.
    pub owner: &'static str,
    /// The field or parameter (wire name), or the method of a secret return value.
    pub member: &'static str,
    /// Field, parameter or return value.
    pub kind: SecretKind,
    /// The entry of the generator's `spec/secrets.yaml` that marked it (`file:line`).
    pub marked_by: &'static str,
}

/// What kind of member a [`SecretInfo`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SecretKind {
    /// A field of a data object or fault.
    Field,
    /// A method parameter.
    Param,
    /// The value a method returns.
    Return,
}

/// The privilege a method declared by a base type needs on one subtype, where the
/// subtype's documents state another one (`Destroy_Task` on a `VirtualMachine` needs
/// `VirtualMachine.Inventory.Delete`, on a `Folder` `Folder.Delete`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InheritedPrivilege {
    /// Wire name of the subtype, e.g. `VirtualMachine`.
    pub managed_object: &'static str,
    /// Wire name of the method, e.g. `Destroy_Task`.
    pub method: &'static str,
    /// The privilege, as the documents write it.
    pub privilege: &'static str,
}

/// A managed object type and its base, as emitted from the model.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ManagedObjectInfo {
    /// Wire name, e.g. `VirtualMachine`.
    pub name: &'static str,
    /// Wire name of its nearest base type in the SDK, e.g. `ManagedEntity`.
    pub base: Option<&'static str>,
}

/// The privilege a method or property needs, typed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Privilege {
    /// The documents name no privilege.
    None,
    /// This privilege, e.g. `VirtualMachine.Interact.PowerOn`.
    Named(&'static str),
    /// It depends on the arguments (the documents write `dynamic`).
    Dynamic,
}

impl Privilege {
    /// The privilege the documents write (`None`, a name, or `dynamic`).
    pub fn from_documented(privilege: Option<&'static str>) -> Privilege {
        match privilege {
            None => Privilege::None,
            Some(DYNAMIC_PRIVILEGE) => Privilege::Dynamic,
            Some(name) => Privilege::Named(name),
        }
    }
}

impl MethodInfo {
    /// The privilege calling it needs.
    pub fn required_privilege(&self) -> Privilege {
        Privilege::from_documented(self.privilege)
    }
}

impl PropertyInfo {
    /// The privilege reading it needs.
    pub fn required_privilege(&self) -> Privilege {
        Privilege::from_documented(self.privilege)
    }
}

/// A method or a property, where its managed object type declares it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Member {
    /// A method.
    Method(&'static MethodInfo),
    /// A property.
    Property(&'static PropertyInfo),
}

impl Member {
    /// The managed object type that declares it.
    pub fn managed_object(&self) -> &'static str {
        match self {
            Member::Method(m) => m.managed_object,
            Member::Property(p) => p.managed_object,
        }
    }

    /// Its name.
    pub fn name(&self) -> &'static str {
        match self {
            Member::Method(m) => m.name,
            Member::Property(p) => p.name,
        }
    }

    /// Whether it is a method (else a property).
    pub fn is_method(&self) -> bool {
        matches!(self, Member::Method(_))
    }

    /// The privilege calling (a method) or reading (a property) it needs.
    pub fn required_privilege(&self) -> Privilege {
        match self {
            Member::Method(m) => m.required_privilege(),
            Member::Property(p) => p.required_privilege(),
        }
    }
}

/// A name resolved to a member: the type it was looked up on, the member found there or
/// on a base type (`VirtualMachine.Destroy_Task` is declared by `ManagedEntity`), and the
/// privilege it needs on that type. Displays as `On.name`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Resolved {
    /// The managed object type the name was looked up on.
    pub on: &'static str,
    /// The member, with the type declaring it.
    pub member: Member,
    /// The privilege it needs on `on`: the declaration's, unless `on` (or a type between
    /// it and the declaring one) states its own ([`InheritedPrivilege`]).
    pub privilege: Privilege,
}

impl Resolved {
    /// The privilege the call needs.
    pub fn required_privilege(&self) -> Privilege {
        self.privilege
    }
}

impl fmt::Display for Resolved {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.on, self.member.name())
    }
}

/// Why a name did not resolve; each names what was asked.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LookupError {
    /// `Object.member` with an `Object` the catalog does not know.
    #[error("{name}: no managed object type `{object}`")]
    UnknownObject {
        /// The name as given.
        name: String,
        /// The managed object type it names.
        object: String,
    },
    /// `Object.member` where neither `Object` nor its bases have a method or property
    /// `member`.
    #[error("{name}: `{object}` has no method or property `{member}`")]
    UnknownMember {
        /// The name as given.
        name: String,
        /// The managed object type.
        object: String,
        /// The member it names.
        member: String,
    },
    /// A bare name no managed object type declares as a method or property.
    #[error("{name}: no method or property of that name")]
    Unknown {
        /// The name as given.
        name: String,
    },
}

/// What a set of calls needs: the named privileges, and apart from them the calls whose
/// privilege depends on their arguments.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Privileges {
    /// The named privileges, deduplicated and sorted.
    pub required: Vec<&'static str>,
    /// The calls whose privilege depends on their arguments (documented as `dynamic`),
    /// deduplicated, in the order given.
    pub dynamic: Vec<Resolved>,
    /// Every call asked about, deduplicated, in the order given.
    pub calls: Vec<Resolved>,
}

impl Privileges {
    /// The calls that need `privilege`, in the order given.
    pub fn needed_by<'a>(&'a self, privilege: &'a str) -> impl Iterator<Item = &'a Resolved> {
        self.calls.iter().filter(
            move |c| matches!(c.required_privilege(), Privilege::Named(p) if p == privilege),
        )
    }

    /// The calls for which the documents name no privilege, in the order given.
    pub fn unstated(&self) -> impl Iterator<Item = &Resolved> {
        self.calls
            .iter()
            .filter(|c| c.required_privilege() == Privilege::None)
    }
}

/// The privileges `calls` need: named privileges deduplicated and sorted, calls without a
/// documented privilege contributing nothing, `dynamic` ones listed apart.
pub fn privileges(calls: impl IntoIterator<Item = Resolved>) -> Privileges {
    let mut out = Privileges::default();
    for call in calls {
        if out.calls.contains(&call) {
            continue;
        }
        match call.required_privilege() {
            Privilege::None => {}
            Privilege::Named(name) => out.required.push(name),
            Privilege::Dynamic => out.dynamic.push(call),
        }
        out.calls.push(call);
    }
    out.required.sort_unstable();
    out.required.dedup();
    out
}

/// The generated tables together, with lookups by name.
///
/// Names are wire names, case-sensitive:
/// - `Object.member` is the method or property `member` of managed object type `Object`,
///   declared by it or inherited from its nearest base that declares it (a method first
///   when a type has both). `Object.property.path` (a property collector path) is the
///   property `property`: reading a nested path needs what reading the property needs.
/// - A bare `member` stands for every method and property of that name on every type
///   that declares it (`AddKey` is declared by four crypto managers; `Destroy_Task` only by
///   `ManagedEntity`): all are reported, so a role built from the result can call any of
///   them. Qualify the name to ask about one type.
#[derive(Clone, Copy, Debug)]
pub struct Catalog {
    /// Every managed object type with its base.
    pub managed_objects: &'static [ManagedObjectInfo],
    /// Every method, under the type that declares it.
    pub methods: &'static [MethodInfo],
    /// Every property, under the type that declares it.
    pub properties: &'static [PropertyInfo],
    /// The privileges inherited methods need on subtypes that state their own.
    pub inherited_privileges: &'static [InheritedPrivilege],
}

impl Catalog {
    /// The managed object type named `name`.
    pub fn managed_object(&self, name: &str) -> Option<&'static ManagedObjectInfo> {
        self.managed_objects.iter().find(|m| m.name == name)
    }

    /// `name` followed by its bases, nearest first; empty when the type is unknown.
    pub fn ancestry(&self, name: &str) -> Vec<&'static str> {
        let mut out: Vec<&'static str> = Vec::new();
        let mut next = self.managed_object(name);
        while let Some(mo) = next {
            if out.contains(&mo.name) {
                break;
            }
            out.push(mo.name);
            next = mo.base.and_then(|b| self.managed_object(b));
        }
        out
    }

    /// Method `name` of managed object type `object`, declared by it or by its nearest base
    /// that declares it.
    pub fn method(&self, object: &str, name: &str) -> Option<&'static MethodInfo> {
        self.ancestry(object).into_iter().find_map(|on| {
            self.methods
                .iter()
                .find(|m| m.managed_object == on && m.name == name)
        })
    }

    /// Property `name` of managed object type `object`, declared by it or by its nearest
    /// base that declares it.
    pub fn property(&self, object: &str, name: &str) -> Option<&'static PropertyInfo> {
        self.ancestry(object).into_iter().find_map(|on| {
            self.properties
                .iter()
                .find(|p| p.managed_object == on && p.name == name)
        })
    }

    /// Method or property `name` of `object` (or a base), the nearest declaration winning
    /// and a method before a property of one type; `name` may be a property path
    /// (`config.hardware`), which is its first property's.
    pub fn member(&self, object: &str, name: &str) -> Option<Member> {
        let property = name.split('.').next().unwrap_or(name);
        self.ancestry(object).into_iter().find_map(|on| {
            let method = self
                .methods
                .iter()
                .find(|m| m.managed_object == on && m.name == name)
                .map(Member::Method);
            method.or_else(|| {
                self.properties
                    .iter()
                    .find(|p| p.managed_object == on && p.name == property)
                    .map(Member::Property)
            })
        })
    }

    /// Every method and property named `name`, each where it is declared, in table order
    /// (methods first).
    pub fn declarations(&self, name: &str) -> Vec<Member> {
        let methods = self
            .methods
            .iter()
            .filter(|m| m.name == name)
            .map(Member::Method);
        let properties = self
            .properties
            .iter()
            .filter(|p| p.name == name)
            .map(Member::Property);
        methods.chain(properties).collect()
    }

    /// The privilege `member` needs on type `on`: the nearest type from `on` up to the
    /// declaring one that states its own, else the declaration's.
    pub fn privilege_on(&self, on: &str, member: Member) -> Privilege {
        let Member::Method(method) = member else {
            return member.required_privilege();
        };
        self.ancestry(on)
            .into_iter()
            .take_while(|t| *t != method.managed_object)
            .find_map(|t| {
                self.inherited_privileges
                    .iter()
                    .find(|i| i.managed_object == t && i.method == method.name)
            })
            .map_or(member.required_privilege(), |i| {
                Privilege::from_documented(Some(i.privilege))
            })
    }

    /// What `name` stands for (see [`Catalog`] for the forms): one member for
    /// `Object.member`, every declaration for a bare name.
    pub fn resolve(&self, name: &str) -> Result<Vec<Resolved>, LookupError> {
        let Some((object, member)) = name.split_once('.') else {
            let found: Vec<Resolved> = self
                .declarations(name)
                .into_iter()
                .map(|member| Resolved {
                    on: member.managed_object(),
                    member,
                    privilege: member.required_privilege(),
                })
                .collect();
            if found.is_empty() {
                return Err(LookupError::Unknown {
                    name: name.to_string(),
                });
            }
            return Ok(found);
        };
        let Some(on) = self.managed_object(object) else {
            return Err(LookupError::UnknownObject {
                name: name.to_string(),
                object: object.to_string(),
            });
        };
        match self.member(object, member) {
            Some(member) => Ok(vec![Resolved {
                on: on.name,
                member,
                privilege: self.privilege_on(on.name, member),
            }]),
            None => Err(LookupError::UnknownMember {
                name: name.to_string(),
                object: object.to_string(),
                member: member.to_string(),
            }),
        }
    }

    /// The privileges the calls `names` name need (see [`privileges`]); the first name that
    /// does not resolve fails.
    pub fn privileges<I>(&self, names: I) -> Result<Privileges, LookupError>
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        let mut calls = Vec::new();
        for name in names {
            calls.extend(self.resolve(name.as_ref())?);
        }
        Ok(privileges(calls))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const fn method(
        managed_object: &'static str,
        name: &'static str,
        privilege: Option<&'static str>,
    ) -> MethodInfo {
        MethodInfo {
            managed_object,
            name,
            privilege,
            since_label: None,
            since: None,
            deprecated: false,
        }
    }

    const fn mo(name: &'static str, base: Option<&'static str>) -> ManagedObjectInfo {
        ManagedObjectInfo { name, base }
    }

    static CATALOG: Catalog = Catalog {
        managed_objects: &[
            mo("ExtensibleManagedObject", None),
            mo("ManagedEntity", Some("ExtensibleManagedObject")),
            mo("VirtualMachine", Some("ManagedEntity")),
            mo("Folder", Some("ManagedEntity")),
            mo("CryptoManager", None),
            mo("CryptoManagerKmip", None),
            mo("Loop", Some("Loop")),
        ],
        methods: &[
            method("ExtensibleManagedObject", "setCustomValue", Some("dynamic")),
            method("ManagedEntity", "Destroy_Task", None),
            method("ManagedEntity", "Rename_Task", Some("System.View")),
            method(
                "VirtualMachine",
                "PowerOnVM_Task",
                Some("VirtualMachine.Interact.PowerOn"),
            ),
            method(
                "VirtualMachine",
                "PowerOffVM_Task",
                Some("VirtualMachine.Interact.PowerOff"),
            ),
            // A subtype redeclaring an inherited method with its own privilege.
            method("Folder", "Rename_Task", Some("Folder.Rename")),
            method(
                "Folder",
                "CreateVM_Task",
                Some("VirtualMachine.Inventory.Create"),
            ),
            method("Folder", "MoveIntoFolder_Task", Some("dynamic")),
            method("CryptoManager", "AddKey", Some("Cryptographer.ManageKeys")),
            method(
                "CryptoManagerKmip",
                "AddKey",
                Some("Cryptographer.ManageKeys"),
            ),
        ],
        properties: &[
            PropertyInfo {
                managed_object: "ManagedEntity",
                name: "name",
                privilege: Some("System.View"),
            },
            PropertyInfo {
                managed_object: "VirtualMachine",
                name: "config",
                privilege: Some("System.Read"),
            },
        ],
        inherited_privileges: &[InheritedPrivilege {
            managed_object: "Folder",
            method: "Destroy_Task",
            privilege: "Folder.Delete",
        }],
    };

    fn names(calls: &[Resolved]) -> Vec<String> {
        calls.iter().map(|c| c.to_string()).collect()
    }

    #[test]
    fn documented_privileges_are_typed() {
        assert_eq!(Privilege::from_documented(None), Privilege::None);
        assert_eq!(
            Privilege::from_documented(Some("dynamic")),
            Privilege::Dynamic
        );
        assert_eq!(
            Privilege::from_documented(Some("System.View")),
            Privilege::Named("System.View")
        );
    }

    #[test]
    fn ancestry_walks_bases_nearest_first_and_stops_on_a_cycle() {
        assert_eq!(
            CATALOG.ancestry("VirtualMachine"),
            ["VirtualMachine", "ManagedEntity", "ExtensibleManagedObject"]
        );
        assert_eq!(CATALOG.ancestry("Loop"), ["Loop"]);
        assert!(CATALOG.ancestry("Nothing").is_empty());
    }

    #[test]
    fn a_method_is_found_on_the_type_or_its_nearest_declaring_base() {
        let destroy = CATALOG.method("VirtualMachine", "Destroy_Task").unwrap();
        assert_eq!(destroy.managed_object, "ManagedEntity");
        let set = CATALOG.method("VirtualMachine", "setCustomValue").unwrap();
        assert_eq!(set.managed_object, "ExtensibleManagedObject");
        // Folder's own Rename_Task wins over ManagedEntity's.
        let rename = CATALOG.method("Folder", "Rename_Task").unwrap();
        assert_eq!(rename.privilege, Some("Folder.Rename"));
        let rename = CATALOG.method("VirtualMachine", "Rename_Task").unwrap();
        assert_eq!(rename.privilege, Some("System.View"));
        // Not on siblings or subtypes.
        assert_eq!(CATALOG.method("Folder", "PowerOnVM_Task"), None);
        assert_eq!(CATALOG.method("ManagedEntity", "PowerOnVM_Task"), None);
        assert_eq!(CATALOG.method("Nothing", "Destroy_Task"), None);
    }

    #[test]
    fn a_property_is_found_through_bases_and_by_its_path() {
        let name = CATALOG.property("VirtualMachine", "name").unwrap();
        assert_eq!(name.managed_object, "ManagedEntity");
        assert_eq!(CATALOG.property("Folder", "config"), None);
        let resolved = CATALOG.resolve("VirtualMachine.config.hardware").unwrap();
        assert_eq!(names(&resolved), ["VirtualMachine.config"]);
        assert_eq!(
            resolved[0].required_privilege(),
            Privilege::Named("System.Read")
        );
        assert!(!resolved[0].member.is_method());
    }

    #[test]
    fn a_qualified_name_resolves_on_the_type_named() {
        let found = CATALOG.resolve("VirtualMachine.Destroy_Task").unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].on, "VirtualMachine");
        assert_eq!(found[0].member.managed_object(), "ManagedEntity");
        assert_eq!(found[0].to_string(), "VirtualMachine.Destroy_Task");
    }

    #[test]
    fn a_bare_name_stands_for_every_declaration() {
        assert_eq!(
            names(&CATALOG.resolve("PowerOnVM_Task").unwrap()),
            ["VirtualMachine.PowerOnVM_Task"]
        );
        // Declarations only: not every subtype that inherits it.
        assert_eq!(
            names(&CATALOG.resolve("Destroy_Task").unwrap()),
            ["ManagedEntity.Destroy_Task"]
        );
        assert_eq!(
            names(&CATALOG.resolve("AddKey").unwrap()),
            ["CryptoManager.AddKey", "CryptoManagerKmip.AddKey"]
        );
        assert_eq!(
            names(&CATALOG.resolve("Rename_Task").unwrap()),
            ["ManagedEntity.Rename_Task", "Folder.Rename_Task"]
        );
        assert_eq!(
            names(&CATALOG.resolve("name").unwrap()),
            ["ManagedEntity.name"]
        );
    }

    #[test]
    fn unknown_names_fail_naming_them() {
        assert_eq!(
            CATALOG.resolve("PowerOnVM"),
            Err(LookupError::Unknown {
                name: "PowerOnVM".into()
            })
        );
        assert_eq!(
            CATALOG.resolve("Folder.PowerOnVM_Task"),
            Err(LookupError::UnknownMember {
                name: "Folder.PowerOnVM_Task".into(),
                object: "Folder".into(),
                member: "PowerOnVM_Task".into(),
            })
        );
        let vm = CATALOG.resolve("VirtualMachin.PowerOnVM_Task").unwrap_err();
        assert_eq!(
            vm,
            LookupError::UnknownObject {
                name: "VirtualMachin.PowerOnVM_Task".into(),
                object: "VirtualMachin".into(),
            }
        );
        assert_eq!(
            vm.to_string(),
            "VirtualMachin.PowerOnVM_Task: no managed object type `VirtualMachin`"
        );
        // Case matters: wire names are exact.
        assert!(CATALOG.resolve("virtualmachine.PowerOnVM_Task").is_err());
        assert!(CATALOG.resolve("").is_err());
        assert!(CATALOG.resolve("VirtualMachine.").is_err());
        // The first unknown name fails the whole question.
        assert_eq!(
            CATALOG.privileges(["PowerOnVM_Task", "Nope", "Nope2"]),
            Err(LookupError::Unknown {
                name: "Nope".into()
            })
        );
    }

    #[test]
    fn privileges_are_deduplicated_and_sorted_with_dynamic_apart() {
        let needs = CATALOG
            .privileges([
                "VirtualMachine.PowerOnVM_Task",
                "Folder.CreateVM_Task",
                "VirtualMachine.Destroy_Task",
                "VirtualMachine.PowerOffVM_Task",
                "PowerOnVM_Task",
                "VirtualMachine.name",
                "Folder.name",
                "VirtualMachine.setCustomValue",
                "Folder.MoveIntoFolder_Task",
                "VirtualMachine.setCustomValue",
            ])
            .unwrap();
        assert_eq!(
            needs.required,
            [
                "System.View",
                "VirtualMachine.Interact.PowerOff",
                "VirtualMachine.Interact.PowerOn",
                "VirtualMachine.Inventory.Create",
            ]
        );
        assert_eq!(
            names(&needs.dynamic),
            [
                "VirtualMachine.setCustomValue",
                "Folder.MoveIntoFolder_Task"
            ]
        );
        assert_eq!(
            names(&needs.calls),
            [
                "VirtualMachine.PowerOnVM_Task",
                "Folder.CreateVM_Task",
                "VirtualMachine.Destroy_Task",
                "VirtualMachine.PowerOffVM_Task",
                "VirtualMachine.name",
                "Folder.name",
                "VirtualMachine.setCustomValue",
                "Folder.MoveIntoFolder_Task",
            ]
        );
        let by: Vec<String> = needs
            .needed_by("System.View")
            .map(|c| c.to_string())
            .collect();
        assert_eq!(by, ["VirtualMachine.name", "Folder.name"]);
        let unstated: Vec<String> = needs.unstated().map(|c| c.to_string()).collect();
        assert_eq!(unstated, ["VirtualMachine.Destroy_Task"]);
    }

    #[test]
    fn an_inherited_method_needs_what_its_subtype_states() {
        let folder = CATALOG.resolve("Folder.Destroy_Task").unwrap();
        assert_eq!(folder[0].member.managed_object(), "ManagedEntity");
        assert_eq!(
            folder[0].required_privilege(),
            Privilege::Named("Folder.Delete")
        );
        // A sibling that states nothing, the declaring type and a bare name: the
        // declaration's.
        for name in [
            "VirtualMachine.Destroy_Task",
            "ManagedEntity.Destroy_Task",
            "Destroy_Task",
        ] {
            let found = CATALOG.resolve(name).unwrap();
            assert_eq!(found[0].required_privilege(), Privilege::None, "{name}");
        }
        let needs = CATALOG
            .privileges(["Folder.Destroy_Task", "VirtualMachine.Destroy_Task"])
            .unwrap();
        assert_eq!(needs.required, ["Folder.Delete"]);
        let by: Vec<String> = needs
            .needed_by("Folder.Delete")
            .map(|c| c.to_string())
            .collect();
        assert_eq!(by, ["Folder.Destroy_Task"]);
    }

    #[test]
    fn calls_without_a_privilege_contribute_nothing() {
        let needs = CATALOG.privileges(["Destroy_Task"]).unwrap();
        assert!(needs.required.is_empty());
        assert!(needs.dynamic.is_empty());
        assert_eq!(names(&needs.calls), ["ManagedEntity.Destroy_Task"]);
        assert_eq!(privileges([]), Privileges::default());
    }

    #[test]
    fn a_bare_name_needs_what_any_declaration_needs() {
        let needs = CATALOG.privileges(["Rename_Task", "AddKey"]).unwrap();
        assert_eq!(
            needs.required,
            ["Cryptographer.ManageKeys", "Folder.Rename", "System.View"]
        );
    }
}
