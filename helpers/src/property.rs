//! Chosen properties of many objects in one `RetrievePropertiesEx` (continued with
//! `ContinueRetrievePropertiesEx` while the server pages), without writing
//! `PropertyFilterSpec`s by hand. Nested paths (`runtime.powerState`) work; what the
//! server could not read (`missingSet`) and what does not decode are reported per object.

use std::collections::BTreeMap;

use vsphere::{
    AnyValue, Client, LocalizedMethodFault, ManagedObjectReference, ObjectSpec, PropertyFilterSpec,
    PropertySpec, RetrieveOptions, RetrieveResult, TraversalSpec,
};
use vsphere_runtime::{Many, Maybe};

/// The properties read of one object.
#[derive(Clone, Debug)]
pub struct ObjectProperties {
    /// The object.
    pub obj: ManagedObjectReference,
    /// The values the server sent, by property path.
    pub values: BTreeMap<String, AnyValue>,
    /// The paths the server could not read, with its fault.
    pub missing: Vec<(String, LocalizedMethodFault)>,
    /// The connection, whose decoding policy (strict or lenient) `get` applies.
    connection: vsphere::Connection,
}

/// Why a property of one object is not there as asked.
#[derive(Debug, thiserror::Error)]
pub enum PropertyError {
    /// The server could not read it (`missingSet`).
    #[error("{path} of {obj}: the server could not read it ({fault})")]
    Missing {
        /// The object.
        obj: String,
        /// The property path.
        path: String,
        /// The fault's wire name.
        fault: String,
    },
    /// Its value does not decode as the type asked for.
    #[error("{path} of {obj}: {error}")]
    Decode {
        /// The object.
        obj: String,
        /// The property path.
        path: String,
        /// The decoding error (it names the type and field at fault).
        error: vsphere::Error,
    },
}

impl ObjectProperties {
    /// The value at `path` as `T`; `Ok(None)` when the property is unset (the server
    /// leaves unset properties out).
    pub fn get<T>(&self, path: &str) -> Result<Option<T>, PropertyError>
    where
        Maybe<T>: vsphere_runtime::Response,
    {
        self.check_missing(path)?;
        match self.values.get(path) {
            None => Ok(None),
            Some(v) => self
                .connection
                .decode_value::<Maybe<T>>(v)
                .map(|m| m.0)
                .map_err(|error| self.decode_error(path, error)),
        }
    }

    /// The array value at `path` (empty when unset).
    pub fn get_all<T>(&self, path: &str) -> Result<Vec<T>, PropertyError>
    where
        Many<T>: vsphere_runtime::Response,
    {
        self.check_missing(path)?;
        match self.values.get(path) {
            None => Ok(Vec::new()),
            Some(v) => self
                .connection
                .decode_value::<Many<T>>(v)
                .map(|m| m.0)
                .map_err(|error| self.decode_error(path, error)),
        }
    }

    fn check_missing(&self, path: &str) -> Result<(), PropertyError> {
        match self.missing.iter().find(|(p, _)| p == path) {
            Some((_, fault)) => Err(PropertyError::Missing {
                obj: describe(&self.obj),
                path: path.to_string(),
                fault: crate::task::fault_type_name(&fault.fault).to_string(),
            }),
            None => Ok(()),
        }
    }

    fn decode_error(&self, path: &str, error: vsphere::Error) -> PropertyError {
        PropertyError::Decode {
            obj: describe(&self.obj),
            path: path.to_string(),
            error,
        }
    }
}

/// `Type:value`, the way govc prints a reference.
pub fn describe(r: &ManagedObjectReference) -> String {
    format!("{}:{}", r.type_, r.value)
}

/// Why a retrieval failed as a whole.
#[derive(Debug, thiserror::Error)]
pub enum RetrieveError {
    /// `RetrievePropertiesEx` failed (e.g. `ManagedObjectNotFound` for a stale reference).
    #[error("RetrievePropertiesEx: {0}")]
    Retrieve(Box<vsphere::RetrievePropertiesExError>),
    /// `ContinueRetrievePropertiesEx` failed.
    #[error("ContinueRetrievePropertiesEx: {0}")]
    Continue(Box<vsphere::ContinueRetrievePropertiesExError>),
}

impl From<vsphere::RetrievePropertiesExError> for RetrieveError {
    fn from(e: vsphere::RetrievePropertiesExError) -> Self {
        RetrieveError::Retrieve(Box::new(e))
    }
}

impl From<vsphere::ContinueRetrievePropertiesExError> for RetrieveError {
    fn from(e: vsphere::ContinueRetrievePropertiesExError) -> Self {
        RetrieveError::Continue(Box::new(e))
    }
}

/// Reads `paths` of every object in `objects` (all of type `type_`) in one retrieval.
///
/// ```no_run
/// # async fn run(client: vsphere::Client, vms: Vec<vsphere::ManagedObjectReference>) -> Result<(), Box<dyn std::error::Error>> {
/// let found = vsphere_helpers::property::retrieve(&client, "VirtualMachine", &vms,
///     &["name", "runtime.powerState"]).await?;
/// for vm in &found {
///     let name: Option<String> = vm.get("name")?;
///     println!("{name:?}");
/// }
/// # Ok(()) }
/// ```
pub async fn retrieve(
    client: &Client,
    type_: &str,
    objects: &[ManagedObjectReference],
    paths: &[&str],
) -> Result<Vec<ObjectProperties>, RetrieveError> {
    if objects.is_empty() {
        return Ok(Vec::new());
    }
    retrieve_spec(client, objects_spec(type_, objects, paths)).await
}

/// A filter spec selecting `paths` of the given objects of type `type_` (for a retrieval
/// or a [`crate::watch::Watch`]).
pub(crate) fn objects_spec(
    type_: &str,
    objects: &[ManagedObjectReference],
    paths: &[&str],
) -> PropertyFilterSpec {
    PropertyFilterSpec {
        prop_set: vec![property_spec(type_, paths)],
        object_set: objects
            .iter()
            .map(|obj| ObjectSpec {
                obj: obj.clone(),
                ..ObjectSpec::default()
            })
            .collect(),
        ..PropertyFilterSpec::default()
    }
}

/// Reads `paths` of every object of type `type_` a `ContainerView` shows (through its
/// `view` property, in one retrieval).
pub async fn retrieve_view(
    client: &Client,
    view: &ManagedObjectReference,
    type_: &str,
    paths: &[&str],
) -> Result<Vec<ObjectProperties>, RetrieveError> {
    retrieve_view_types(client, view, &[(type_, paths)]).await
}

/// Reads, for each `(type, paths)`, those paths of the view's objects of that type, all
/// in one retrieval.
pub async fn retrieve_view_types(
    client: &Client,
    view: &ManagedObjectReference,
    wanted: &[(&str, &[&str])],
) -> Result<Vec<ObjectProperties>, RetrieveError> {
    let through_view = TraversalSpec {
        type_: "ContainerView".to_string(),
        path: "view".to_string(),
        skip: Some(false),
        ..TraversalSpec::default()
    };
    let spec = PropertyFilterSpec {
        prop_set: wanted
            .iter()
            .map(|(type_, paths)| property_spec(type_, paths))
            .collect(),
        object_set: vec![ObjectSpec {
            obj: view.clone(),
            skip: Some(true),
            select_set: vec![through_view.into()],
            ..ObjectSpec::default()
        }],
        ..PropertyFilterSpec::default()
    };
    retrieve_spec(client, spec).await
}

fn property_spec(type_: &str, paths: &[&str]) -> PropertySpec {
    PropertySpec {
        type_: type_.to_string(),
        all: Some(false),
        path_set: paths.iter().map(|p| p.to_string()).collect(),
        ..PropertySpec::default()
    }
}

/// Runs one filter spec to the end of its pages.
async fn retrieve_spec(
    client: &Client,
    spec: PropertyFilterSpec,
) -> Result<Vec<ObjectProperties>, RetrieveError> {
    let collector = client.property_collector();
    let mut out = Vec::new();
    let mut page = collector
        .retrieve_properties_ex(&[spec], &RetrieveOptions::default())
        .await?;
    while let Some(result) = page {
        let token = take(result, client.connection(), &mut out);
        page = match token {
            Some(token) => Some(collector.continue_retrieve_properties_ex(&token).await?),
            None => None,
        };
    }
    Ok(out)
}

/// Moves a page's objects into `out`; the token of the next page.
fn take(
    result: RetrieveResult,
    connection: &vsphere::Connection,
    out: &mut Vec<ObjectProperties>,
) -> Option<String> {
    out.extend(result.objects.into_iter().map(|o| {
        ObjectProperties {
            obj: o.obj,
            values: o.prop_set.into_iter().map(|p| (p.name, p.val)).collect(),
            missing: o
                .missing_set
                .into_iter()
                .map(|m| (m.path, m.fault))
                .collect(),
            connection: connection.clone(),
        }
    }));
    result.token
}
