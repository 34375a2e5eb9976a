//! Change streams: `WaitForUpdatesEx` over a filter, as a sequence of typed property
//! changes.
//!
//! Each [`Watch`] has a property collector of its own (`CreatePropertyCollector`), so its
//! long polls and its `CancelWaitForUpdates` do not disturb the session's other calls.
//! The first batch is the current value of every watched property (`enter`); later
//! batches are what changed since, in the server's order.

use std::time::Duration;

use vsphere::{
    Client, ManagedObjectReference, ObjectUpdateKind, PropertyChangeOp, PropertyCollector,
    PropertyFilter, PropertyFilterSpec, WaitOptions,
};

use crate::property::{self, describe};

/// One property's new state, from an update batch.
#[derive(Clone, Debug)]
pub struct Change {
    /// The object whose property changed.
    pub obj: ManagedObjectReference,
    /// How the object itself changed: `enter` (first seen), `modify`, `leave`.
    pub kind: ObjectUpdateKind,
    /// The property path, e.g. `runtime.powerState`.
    pub path: String,
    /// How the property changed: `assign`, `add`, `remove`, `indirectRemove`.
    pub op: PropertyChangeOp,
    /// The new value (absent for a removal or an unset property), decoded with
    /// [`Change::value`].
    pub val: Option<vsphere::AnyValue>,
    connection: vsphere::Connection,
}

impl Change {
    /// The new value decoded as `T` (`None` when there is none), e.g.
    /// `change.value::<vsphere::VirtualMachinePowerState>()`.
    pub fn value<T>(&self) -> Result<Option<T>, vsphere::Error>
    where
        vsphere_runtime::Maybe<T>: vsphere_runtime::Response,
    {
        match &self.val {
            None => Ok(None),
            Some(v) => self
                .connection
                .decode_value::<vsphere_runtime::Maybe<T>>(v)
                .map(|m| m.0),
        }
    }
}

/// What a watch can fail with.
#[derive(Debug, thiserror::Error)]
pub enum WatchError {
    /// `CreatePropertyCollector` failed.
    #[error("creating a property collector: {0}")]
    Collector(#[from] vsphere::CreatePropertyCollectorError),
    /// `CreateFilter` failed (e.g. an unknown property path).
    #[error("creating the filter: {0}")]
    Filter(#[from] vsphere::CreateFilterError),
    /// `WaitForUpdatesEx` failed.
    #[error("waiting for updates: {0}")]
    Wait(#[from] vsphere::WaitForUpdatesExError),
    /// The watch was stopped.
    #[error("the watch is stopped")]
    Stopped,
}

/// A change stream over chosen properties of chosen objects. [`Watch::next`] gives the
/// next batch of changes; [`Watch::stop`] ends it (dropping it without `stop` destroys
/// its collector in the background).
///
/// ```no_run
/// # async fn run(client: vsphere::Client, vm: vsphere::ManagedObjectReference) -> Result<(), Box<dyn std::error::Error>> {
/// use vsphere_helpers::watch::Watch;
/// let mut watch = Watch::objects(&client, "VirtualMachine", &[vm], &["runtime.powerState"]).await?;
/// loop {
///     for change in watch.next().await? {
///         let state: Option<vsphere::VirtualMachinePowerState> = change.value()?;
///         println!("{} {}: {state:?}", change.obj.value, change.path);
///     }
/// }
/// # }
/// ```
pub struct Watch {
    collector: Option<PropertyCollector>,
    filter: Option<PropertyFilter>,
    version: Option<String>,
    max_wait: Option<Duration>,
    connection: vsphere::Connection,
}

impl Watch {
    /// Watches `paths` of the given objects of type `type_`.
    pub async fn objects(
        client: &Client,
        type_: &str,
        objects: &[ManagedObjectReference],
        paths: &[&str],
    ) -> Result<Watch, WatchError> {
        let spec = property::objects_spec(type_, objects, paths);
        Watch::spec(client, &spec).await
    }

    /// Watches what a filter spec of the caller's selects.
    pub async fn spec(client: &Client, spec: &PropertyFilterSpec) -> Result<Watch, WatchError> {
        let collector = client
            .property_collector()
            .create_property_collector()
            .await?;
        let filter = match collector.create_filter(spec, true).await {
            Ok(f) => f,
            Err(e) => {
                let _ = collector.destroy_property_collector().await;
                return Err(e.into());
            }
        };
        Ok(Watch {
            collector: Some(collector),
            filter: Some(filter),
            version: None,
            max_wait: None,
            connection: client.connection().clone(),
        })
    }

    /// Makes [`Watch::next`] return an empty batch after `wait` without changes (the
    /// server's `maxWaitSeconds`, whole seconds), instead of waiting indefinitely.
    pub fn max_wait(mut self, wait: Duration) -> Self {
        self.max_wait = Some(wait);
        self
    }

    /// The version the next call waits from: the last batch's, `None` before the first.
    pub fn version(&self) -> Option<&str> {
        self.version.as_deref()
    }

    /// The next batch of changes: at first every watched property's current value, then
    /// whatever changed since the previous batch. Waits for a change (or for
    /// [`Watch::max_wait`], then gives an empty batch). A truncated batch is continued
    /// by the next call.
    pub async fn next(&mut self) -> Result<Vec<Change>, WatchError> {
        let collector = self.collector.as_ref().ok_or(WatchError::Stopped)?;
        let options = WaitOptions {
            max_wait_seconds: self
                .max_wait
                .map(|d| d.as_secs().min(i32::MAX as u64) as i32),
            ..WaitOptions::default()
        };
        let Some(set) = collector
            .wait_for_updates_ex(self.version.as_deref(), Some(&options))
            .await?
        else {
            return Ok(Vec::new());
        };
        self.version = Some(set.version);
        let mut changes = Vec::new();
        for filter in set.filter_set {
            for object in filter.object_set {
                for change in object.change_set {
                    changes.push(Change {
                        obj: object.obj.clone(),
                        kind: object.kind.clone(),
                        path: change.name,
                        op: change.op,
                        val: change.val,
                        connection: self.connection.clone(),
                    });
                }
            }
        }
        Ok(changes)
    }

    /// Ends the watch: `CancelWaitForUpdates` (for a `next` running on another task),
    /// `DestroyPropertyFilter` and `DestroyPropertyCollector`. The first failure is
    /// returned; the later steps run anyway.
    pub async fn stop(mut self) -> Result<(), StopError> {
        let (collector, filter) = (self.collector.take(), self.filter.take());
        stop(collector, filter).await
    }

    /// The watch's own property collector.
    pub fn collector(&self) -> Option<&ManagedObjectReference> {
        self.collector.as_ref().map(|c| c.reference())
    }
}

/// What stopping a watch can fail with (the first failing step).
#[derive(Debug, thiserror::Error)]
pub enum StopError {
    /// `CancelWaitForUpdates` failed.
    #[error("cancelling the wait: {0}")]
    Cancel(#[from] vsphere::CancelWaitForUpdatesError),
    /// `DestroyPropertyFilter` failed.
    #[error("destroying the filter: {0}")]
    Filter(#[from] vsphere::DestroyPropertyFilterError),
    /// `DestroyPropertyCollector` failed.
    #[error("destroying the collector: {0}")]
    Collector(#[from] vsphere::DestroyPropertyCollectorError),
}

async fn stop(
    collector: Option<PropertyCollector>,
    filter: Option<PropertyFilter>,
) -> Result<(), StopError> {
    let mut first: Option<StopError> = None;
    if let Some(c) = &collector {
        if let Err(e) = c.cancel_wait_for_updates().await {
            first.get_or_insert(e.into());
        }
    }
    if let Some(f) = filter {
        if let Err(e) = f.destroy_property_filter().await {
            first.get_or_insert(e.into());
        }
    }
    if let Some(c) = collector {
        if let Err(e) = c.destroy_property_collector().await {
            first.get_or_insert(e.into());
        }
    }
    first.map_or(Ok(()), Err)
}

impl Drop for Watch {
    fn drop(&mut self) {
        let (collector, filter) = (self.collector.take(), self.filter.take());
        let Some(c) = &collector else { return };
        let name = describe(c.reference());
        match tokio::runtime::Handle::try_current() {
            Ok(handle) => {
                handle.spawn(async move {
                    if let Err(e) = stop(collector, filter).await {
                        tracing::warn!(target: "vsphere::watch", error = %e, collector = %name, "stopping a dropped watch");
                    }
                });
            }
            Err(_) => tracing::warn!(
                target: "vsphere::watch",
                collector = %name,
                "a watch dropped outside a tokio runtime stays until the session ends"
            ),
        }
    }
}
