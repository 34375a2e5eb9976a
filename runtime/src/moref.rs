//! Managed object references.

use serde::{Deserialize, Serialize};

/// A reference to a managed object on the server, e.g. `SessionManager:SessionManager`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "_typeName", rename = "ManagedObjectReference")]
pub struct ManagedObjectReference {
    /// The managed object type's wire name, e.g. `Folder`.
    #[serde(rename = "type")]
    pub type_: String,
    /// The server's id for the object, e.g. `group-d1`.
    pub value: String,
}

impl ManagedObjectReference {
    /// A reference to object `value` of type `type_`.
    pub fn new(type_: impl Into<String>, value: impl Into<String>) -> Self {
        ManagedObjectReference {
            type_: type_.into(),
            value: value.into(),
        }
    }

    /// The root object every session starts from.
    pub fn service_instance() -> Self {
        Self::new("ServiceInstance", "ServiceInstance")
    }
}

/// A generated managed object handle: a reference plus the connection it is called over.
/// A handle of a subtype dereferences to its base type's handle, so the base type's
/// methods and properties are called on it directly.
pub trait ManagedObject: Sized {
    /// The wire names a reference to this type may carry: its own and every subtype's.
    const TYPES: &'static [&'static str];

    /// A handle for `this` over `connection`, without checking its type.
    fn from_reference(connection: crate::Connection, this: ManagedObjectReference) -> Self;

    /// The reference this handle calls.
    fn reference(&self) -> &ManagedObjectReference;

    /// The connection this handle calls over.
    fn connection(&self) -> &crate::Connection;

    /// This object as a handle of type `T`, when its reference's type is `T` or one of
    /// `T`'s subtypes (a `ManagedEntity` that is a `VirtualMachine`); `None` otherwise.
    fn narrow<T: ManagedObject>(&self) -> Option<T> {
        T::TYPES
            .contains(&self.reference().type_.as_str())
            .then(|| T::from_reference(self.connection().clone(), self.reference().clone()))
    }
}
