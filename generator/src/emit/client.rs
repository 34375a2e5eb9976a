//! The `Client`: bootstraps through the service instance and hands out handles for the
//! managed objects the service content names.

use proc_macro2::TokenStream;
use quote::quote;

use super::rust_names::{field_ident, TypeTable};
use crate::model::{Field, ManagedObject};

/// The bootstrap path every vSphere client takes: the managed object, its method that
/// returns the service content, and where the API version sits in that content.
const BOOTSTRAP_OBJECT: &str = "vim.ServiceInstance";
const BOOTSTRAP_METHOD: &str = "RetrieveServiceContent";
const CONTENT_TYPE: &str = "vim.ServiceInstanceContent";
/// Where the session ends: the service content's field for the session manager, and its
/// method that logs out.
const SESSION_OBJECT: &str = "vim.SessionManager";
const SESSION_FIELD: &str = "sessionManager";
const LOGOUT_METHOD: &str = "Logout";

/// The `Client` struct, or nothing when the model lacks the bootstrap method.
pub fn client(types: &TypeTable<'_, '_>) -> TokenStream {
    let plan = types.plan();
    let Some(si) = plan.managed_object(BOOTSTRAP_OBJECT) else {
        return quote!();
    };
    let Some(bootstrap) = si.methods.iter().find(|m| m.name == BOOTSTRAP_METHOD) else {
        return quote!();
    };
    let Some(content_type) = plan.data_type(CONTENT_TYPE) else {
        return quote!();
    };
    let si_ident = types.type_ident(&si.name);
    let retrieve = field_ident(BOOTSTRAP_METHOD);
    let content = types.type_ident(CONTENT_TYPE);
    // A handle accessor for every service-content field that references a selected object.
    let accessors = content_type.fields.iter().filter_map(|f| {
        let ty = f.ty.as_ref().filter(|t| !t.array)?;
        let mo = plan.managed_object(&ty.name)?;
        Some(handle_accessor(types, f, mo))
    });
    let retrieve_error = super::managed::method_names(types, si, bootstrap).error;
    let close = close_method(types);
    quote! {
        /// A connected vSphere client: the connection plus the server's service content.
        ///
        /// Build one with [`Client::builder`]. Clones share one connection and one session.
        ///
        /// Dropping the last clone sends nothing (a `Drop` cannot wait for the server): the
        /// session stays open on the server until it idles out (30 minutes on vCenter by
        /// default). Call [`Client::close`] to end it at once.
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

            #close
        }

        impl vsphere_runtime::Bootstrap for Client {
            async fn bootstrap(connection: vsphere_runtime::Connection) -> Result<Self, vsphere_runtime::Error> {
                let root = #si_ident::new(connection.clone(), vsphere_runtime::ManagedObjectReference::service_instance());
                let content = root.#retrieve().await.map_err(|e| match e {
                    #retrieve_error::Transport(e) => e,
                    other => vsphere_runtime::Error::Bootstrap(other.to_string()),
                })?;
                connection.set_server_version(&content.about.api_version);
                connection.set_property_collector(content.property_collector.clone());
                Ok(Client { connection, content })
            }
        }
    }
}

/// `Client::close`: logs out once, for every clone; nothing when the model lacks
/// `SessionManager.Logout`.
fn close_method(types: &TypeTable<'_, '_>) -> TokenStream {
    let Some(sm) = types.plan().managed_object(SESSION_OBJECT) else {
        return quote!();
    };
    let Some(logout) = sm.methods.iter().find(|m| m.name == LOGOUT_METHOD) else {
        return quote!();
    };
    let names = super::managed::method_names(types, sm, logout);
    let (error, func) = (&names.error, &names.func);
    let accessor = field_ident(SESSION_FIELD);
    quote! {
        /// Ends the session: logs out once, whichever clone calls it first. Later calls,
        /// concurrent ones and calls without a session return `Ok` without a request;
        /// after a failed logout a later call tries again. Other clones stay usable: their
        /// calls then fail as the server refuses calls without a session
        /// (`NotAuthenticated`), or log in again if a re-login hook is set.
        pub async fn close(&self) -> Result<(), #error> {
            if !self.connection.claim_close() {
                return Ok(());
            }
            let result = match self.#accessor() {
                Ok(sm) => sm.#func().await,
                Err(e) => Err(#error::Transport(e)),
            };
            if result.is_err() {
                self.connection.release_close();
            }
            result
        }
    }
}

/// The `Client` method that hands out the handle of service-content field `f`.
fn handle_accessor(types: &TypeTable<'_, '_>, f: &Field, mo: &ManagedObject) -> TokenStream {
    let func = field_ident(&f.name);
    let handle = types.type_ident(&mo.name);
    let doc = format!(
        " The `{}` of this server (service content field `{}`).",
        mo.wire_name, f.name
    );
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
}
