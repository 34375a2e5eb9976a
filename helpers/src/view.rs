//! A `ContainerView` over a folder, datacenter, compute resource, resource pool or host,
//! for chosen types, recursive or not: its objects, their properties in one retrieval,
//! and `DestroyView` when it is dropped or explicitly.

use vsphere::{Client, CreateContainerViewError, DestroyViewError, ManagedObjectReference};

use crate::property::{self, ObjectProperties, RetrieveError};

/// A server-side view, destroyed with [`View::destroy`] or, failing that, on drop (in the
/// background on the current tokio runtime; outside one it is left to the session's end,
/// which the server cleans up, and logged).
#[derive(Debug)]
pub struct View {
    client: Client,
    view: vsphere::ContainerView,
    types: Vec<String>,
    destroyed: bool,
}

impl View {
    /// A view of `container`'s objects of `types` (every managed entity when empty).
    ///
    /// ```no_run
    /// # async fn run(client: vsphere::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// use vsphere_helpers::view::View;
    /// let root = client.service_content().root_folder.clone();
    /// let view = View::create(&client, &root, &["VirtualMachine"], true).await?;
    /// for vm in view.retrieve("VirtualMachine", &["name", "runtime.powerState"]).await? {
    ///     println!("{:?}", vm.get::<String>("name")?);
    /// }
    /// view.destroy().await?;
    /// # Ok(()) }
    /// ```
    pub async fn create(
        client: &Client,
        container: &ManagedObjectReference,
        types: &[&str],
        recursive: bool,
    ) -> Result<View, CreateContainerViewError> {
        let types: Vec<String> = types.iter().map(|t| t.to_string()).collect();
        let view = client
            .view_manager()
            .map_err(CreateContainerViewError::Transport)?
            .create_container_view(container, &types, recursive)
            .await?;
        Ok(View {
            client: client.clone(),
            view,
            types,
            destroyed: false,
        })
    }

    /// The view's own reference.
    pub fn reference(&self) -> &ManagedObjectReference {
        use vsphere_runtime::ManagedObject;
        self.view.reference()
    }

    /// The objects in the view now.
    pub async fn objects(&self) -> Result<Vec<ManagedObjectReference>, vsphere::CallError> {
        self.view.view().await
    }

    /// `paths` of every object of type `type_` in the view, in one retrieval.
    pub async fn retrieve(
        &self,
        type_: &str,
        paths: &[&str],
    ) -> Result<Vec<ObjectProperties>, RetrieveError> {
        property::retrieve_view(&self.client, self.reference(), type_, paths).await
    }

    /// The types the view was created for.
    pub fn types(&self) -> &[String] {
        &self.types
    }

    /// Destroys the view on the server now.
    pub async fn destroy(mut self) -> Result<(), DestroyViewError> {
        self.destroyed = true;
        self.view.destroy_view().await
    }
}

impl Drop for View {
    fn drop(&mut self) {
        if self.destroyed {
            return;
        }
        let view = self.view.clone();
        match tokio::runtime::Handle::try_current() {
            Ok(runtime) => {
                runtime.spawn(async move {
                    if let Err(e) = view.destroy_view().await {
                        tracing::warn!(target: "vsphere::view", error = %e, "destroying a dropped view");
                    }
                });
            }
            Err(_) => tracing::warn!(
                target: "vsphere::view",
                view = %property::describe(self.reference()),
                "a view dropped outside a tokio runtime stays until the session ends"
            ),
        }
    }
}
