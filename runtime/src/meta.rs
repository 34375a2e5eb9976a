//! What the generated code tells the runtime about each method and property.

use crate::ApiVersion;

/// A method of a managed object type, as emitted from the model.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MethodInfo {
    /// Wire name of the managed object type, e.g. `SessionManager`.
    pub managed_object: &'static str,
    /// Wire name of the method, e.g. `Login`.
    pub name: &'static str,
    /// Privilege the call requires.
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
    /// Privilege reading it requires.
    pub privilege: Option<&'static str>,
}
