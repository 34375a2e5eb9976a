//! The `Client`: bootstraps through the service instance and hands out handles for the
//! managed objects the service content names.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::rust_names::{field_ident, TypeTable};

/// The bootstrap path every vSphere client takes: the managed object, its method that
/// returns the service content, and where the API version sits in that content.
const BOOTSTRAP_OBJECT: &str = "vim.ServiceInstance";
const BOOTSTRAP_METHOD: &str = "RetrieveServiceContent";
const CONTENT_TYPE: &str = "vim.ServiceInstanceContent";

/// The `Client` struct, or nothing when the model lacks the bootstrap method.
pub fn client(types: &TypeTable<'_>) -> TokenStream {
    let model = types.model();
    let Some(si) = model.managed_object(BOOTSTRAP_OBJECT) else {
        return quote!();
    };
    if !si.methods.iter().any(|m| m.name == BOOTSTRAP_METHOD) || model.data_type(CONTENT_TYPE).is_none() {
        return quote!();
    }
    let si_ident = format_ident!("{}", si.wire_name);
    let retrieve = field_ident(BOOTSTRAP_METHOD);
    let content = types.type_ident(CONTENT_TYPE);
    let content_type = model.data_type(CONTENT_TYPE).expect("checked above");
    // A handle accessor for every service-content field that references a selected object.
    let handles: Vec<_> = content_type
        .fields
        .iter()
        .filter_map(|f| {
            let ty = f.ty.as_ref()?;
            let mo = model.managed_object(&ty.name)?;
            (!ty.array).then_some((f, mo))
        })
        .collect();
    let accessors = handles.iter().map(|(f, mo)| {
        let func = field_ident(&f.name);
        let handle = format_ident!("{}", mo.wire_name);
        let doc = format!(" The `{}` of this server (service content field `{}`).", mo.wire_name, f.name);
        if f.optional.unwrap_or(false) {
            let missing = format!("the service content has no {}", f.name);
            quote! {
                #[doc = #doc]
                pub fn #func(&self) -> Result<#handle, vsphere_runtime::Error> {
                    self.content
                        .#func
                        .clone()
                        .map(|r| #handle::new(self.connection.clone(), r))
                        .ok_or_else(|| vsphere_runtime::Error::Bootstrap(#missing.to_string()))
                }
            }
        } else {
            quote! {
                #[doc = #doc]
                pub fn #func(&self) -> #handle {
                    #handle::new(self.connection.clone(), self.content.#func.clone())
                }
            }
        }
    });
    let retrieve_error = format_ident!("{}Error", BOOTSTRAP_METHOD);
    quote! {
        /// A connected vSphere client: the connection plus the server's service content.
        ///
        /// Build one with [`Client::builder`]. Dropping the client does not log out; the
        /// server ends the session when it idles out. Call
        /// [`SessionManager::logout`](crate::SessionManager::logout) to end it at once.
        #[derive(Clone, Debug)]
        pub struct Client {
            connection: vsphere_runtime::Connection,
            content: #content,
        }

        impl Client {
            /// Starts configuring a client for the server at `url`.
            pub fn builder(url: impl Into<String>) -> vsphere_runtime::ConnectionBuilder<Client> {
                vsphere_runtime::ConnectionBuilder::new(url)
            }

            /// The underlying connection (session id, server version).
            pub fn connection(&self) -> &vsphere_runtime::Connection {
                &self.connection
            }

            /// The service content retrieved when the client was built.
            pub fn service_content(&self) -> &#content {
                &self.content
            }

            /// The root object of the server.
            pub fn service_instance(&self) -> #si_ident {
                #si_ident::new(self.connection.clone(), vsphere_runtime::ManagedObjectReference::service_instance())
            }

            #(#accessors)*
        }

        impl vsphere_runtime::Bootstrap for Client {
            async fn bootstrap(connection: vsphere_runtime::Connection) -> Result<Self, vsphere_runtime::Error> {
                let root = #si_ident::new(connection.clone(), vsphere_runtime::ManagedObjectReference::service_instance());
                let content = root.#retrieve().await.map_err(|e| match e {
                    #retrieve_error::Transport(e) => e,
                    other => vsphere_runtime::Error::Bootstrap(other.to_string()),
                })?;
                connection.set_server_version(&content.about.api_version);
                Ok(Client { connection, content })
            }
        }
    }
}
