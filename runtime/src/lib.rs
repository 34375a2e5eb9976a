//! Runtime of the generated vSphere SDK: the small, hand-written part that the emitted
//! code calls into. It knows the wire protocols, not the API: every type, method and
//! fault of the API lives in the generated crate.

mod any;
mod client;
pub mod data;
mod envelope;
mod error;
mod http;
pub mod json;
mod meta;
mod moref;
mod secret;
pub mod soap;
mod version;
pub mod wirelog;
pub mod xml;

pub use any::{AnyValue, PropertyValue};
pub use client::{Bootstrap, Connection, ConnectionBuilder, Protocol, Relogin, ReplyBody};
pub use data::{DataInfo, DataObject, FieldIn, FieldInfo, FieldOut, Param, Polymorphic, Unknown};
pub use json::{JsonError, JsonRead, JsonWrite, JsonWriter};

/// How the connection classifies and decodes replies, as pure functions of status, media
/// type and body: the exact code path of every call, for fuzzing and tests.
#[doc(hidden)]
pub mod reply {
    pub use crate::client::{json_reply, soap_reply};
}
pub use error::{CallError, Error, Fault, FaultBody, HttpError, RawFault};
pub use meta::{
    privileges, Catalog, InheritedPrivilege, LookupError, ManagedObjectInfo, Member, MethodInfo,
    Privilege, Privileges, PropertyInfo, Resolved, SecretInfo, SecretKind, DYNAMIC_PRIVILEGE,
};
pub use moref::{ManagedObject, ManagedObjectReference};
pub use secret::Secret;
pub use soap::{Many, Maybe, Nothing, One, Response, SoapError, SoapRead, SoapWrite, SoapWriter};
pub use version::{ApiVersion, TooNew, VersionGate};
pub use wirelog::WireLog;
pub use xml::{XmlDocument, XmlElement, XmlNode};

/// Date-time values on the wire (`xsd:dateTime`).
pub type DateTime = chrono::DateTime<chrono::FixedOffset>;

/// Re-exports the generated code relies on, so users need not depend on them.
#[doc(hidden)]
pub mod reexport {
    pub use serde;
    pub use serde_json;
}
