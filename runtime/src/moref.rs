//! Managed object references.

use std::fmt;

use serde::de::{self, MapAccess, Visitor};
use serde::ser::SerializeStruct;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A reference to a managed object on the server, e.g. `SessionManager:SessionManager`.
///
/// In JSON: `{"_typeName":"ManagedObjectReference","type":"Folder","value":"group-d1"}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct ManagedObjectReference {
    /// The managed object type's wire name, e.g. `Folder`.
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

/// The JSON type name of a reference.
const TYPE_NAME: &str = "ManagedObjectReference";

impl Serialize for ManagedObjectReference {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct(TYPE_NAME, 3)?;
        s.serialize_field("_typeName", TYPE_NAME)?;
        s.serialize_field("type", &self.type_)?;
        s.serialize_field("value", &self.value)?;
        s.end()
    }
}

impl<'de> Deserialize<'de> for ManagedObjectReference {
    /// A map with `_typeName` = `ManagedObjectReference`, `type` and `value`; other keys
    /// are ignored.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Fields;
        impl<'de> Visitor<'de> for Fields {
            type Value = ManagedObjectReference;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a ManagedObjectReference object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let (mut tag, mut type_, mut value) = (None, None, None);
                while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                    match &*key {
                        "_typeName" => tag = Some(map.next_value::<String>()?),
                        "type" => type_ = Some(map.next_value::<String>()?),
                        "value" => value = Some(map.next_value::<String>()?),
                        _ => {
                            map.next_value::<de::IgnoredAny>()?;
                        }
                    }
                }
                match tag.as_deref() {
                    Some(TYPE_NAME) => {}
                    Some(other) => {
                        return Err(de::Error::invalid_value(
                            de::Unexpected::Str(other),
                            &TYPE_NAME,
                        ))
                    }
                    None => return Err(de::Error::missing_field("_typeName")),
                }
                Ok(ManagedObjectReference {
                    type_: type_.ok_or_else(|| de::Error::missing_field("type"))?,
                    value: value.ok_or_else(|| de::Error::missing_field("value"))?,
                })
            }
        }
        deserializer.deserialize_struct(TYPE_NAME, &["_typeName", "type", "value"], Fields)
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

#[cfg(test)]
mod serde_tests {
    use super::ManagedObjectReference;

    #[test]
    fn json_form_round_trips_and_checks_its_type_name() {
        let r = ManagedObjectReference::new("Folder", "group-d1");
        let json = serde_json::to_string(&r).unwrap();
        assert_eq!(
            json,
            r#"{"_typeName":"ManagedObjectReference","type":"Folder","value":"group-d1"}"#
        );
        let extra =
            r#"{"value":"group-d1","x":[1],"type":"Folder","_typeName":"ManagedObjectReference"}"#;
        assert_eq!(
            serde_json::from_str::<ManagedObjectReference>(extra).unwrap(),
            r
        );
        let wrong = r#"{"_typeName":"Folder","type":"Folder","value":"group-d1"}"#;
        let err = serde_json::from_str::<ManagedObjectReference>(wrong).unwrap_err();
        assert!(
            err.to_string().contains("invalid value: string \"Folder\""),
            "{err}"
        );
        let untagged = r#"{"type":"Folder","value":"group-d1"}"#;
        let err = serde_json::from_str::<ManagedObjectReference>(untagged).unwrap_err();
        assert!(
            err.to_string().contains("missing field `_typeName`"),
            "{err}"
        );
    }
}
