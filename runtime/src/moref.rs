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
