//! Model → the SDK crate in `generated/`: Rust built with `quote!`, formatted with
//! `prettyplease`. Deterministic: the same model gives the same bytes.

mod client;
mod data;
mod docs;
mod managed;
mod rust_names;

use std::collections::HashMap;
use std::path::PathBuf;

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::Model;
use crate::pipeline::GENERATED_HEADER;
use docs::Linker;
use rust_names::TypeTable;

/// Formats emitted tokens as a Rust source file with the `@generated` header.
pub fn format_file(tokens: TokenStream) -> Result<String, syn::Error> {
    let file: syn::File = syn::parse2(tokens)?;
    Ok(format!(
        "// {GENERATED_HEADER}\n\n{}",
        prettyplease::unparse(&file)
    ))
}

/// The Rust sources of the SDK crate, as (path relative to the crate, contents).
pub fn sdk_sources(model: &Model) -> Result<Vec<(PathBuf, String)>, syn::Error> {
    let types = TypeTable::new(model);
    let linker = Linker::new(model);
    let mut out = Vec::new();

    // Data types, polymorphic enums and string enums.
    let mut items = Vec::new();
    for d in &model.data_types {
        items.push(data::data_struct(&types, &linker, d));
        if types.is_polymorphic(&d.name) {
            items.push(data::polymorphic_enum(&types, d));
        }
    }
    for e in &model.enums {
        items.push(data::string_enum(&linker, e, &types.type_ident(&e.name)));
    }
    out.push((
        PathBuf::from("src/types.rs"),
        format_file(quote! {
            //! Data object and enum types.
            #![allow(clippy::large_enum_variant, clippy::doc_lazy_continuation)]
            #[allow(unused_imports)]
            use crate::faults::*;
            #(#items)*
        })?,
    ));

    // Fault types.
    let faults = model
        .fault_types
        .iter()
        .map(|d| data::data_struct(&types, &linker, d));
    out.push((
        PathBuf::from("src/faults.rs"),
        format_file(quote! {
            //! Fault types: what a method's error enum carries.
            #![allow(clippy::doc_lazy_continuation)]
            #[allow(unused_imports)]
            use crate::types::*;
            #(#faults)*
        })?,
    ));

    // Managed object handles, their errors and metadata.
    let mut counts: HashMap<String, usize> = HashMap::new();
    for mo in &model.managed_objects {
        for m in &mo.methods {
            *counts.entry(m.name.clone()).or_default() += 1;
        }
    }
    let mut handles = Vec::new();
    let mut errors = Vec::new();
    let mut infos = Vec::new();
    let mut info_names = Vec::new();
    let mut prop_infos = Vec::new();
    let mut prop_names = Vec::new();
    for mo in &model.managed_objects {
        handles.push(managed::handle(&types, &linker, mo, &counts));
        for m in &mo.methods {
            let names = managed::method_names(mo, m, &counts);
            errors.push(managed::error_enum(&types, &linker, mo, m, &names));
            infos.push(managed::method_info(mo, m, &names));
            info_names.push(names.info);
        }
        for p in &mo.properties {
            let (ident, tokens) = managed::property_info(mo, p);
            prop_infos.push(tokens);
            prop_names.push(ident);
        }
    }
    out.push((
        PathBuf::from("src/managed.rs"),
        format_file(quote! {
            //! Managed object handles: one async fn per method, one getter per property.
            #![allow(clippy::doc_lazy_continuation, clippy::too_many_arguments)]
            #[allow(unused_imports)]
            use crate::types::*;
            #[allow(unused_imports)]
            use crate::errors::*;
            #(#handles)*
        })?,
    ));
    out.push((
        PathBuf::from("src/errors.rs"),
        format_file(quote! {
            //! One error enum per method: a variant per documented fault, a catch-all for
            //! other faults and one for transport errors.
            #![allow(clippy::doc_lazy_continuation, clippy::large_enum_variant)]
            #[allow(unused_imports)]
            use crate::faults::*;
            #(#errors)*
        })?,
    ));
    out.push((
        PathBuf::from("src/meta.rs"),
        format_file(quote! {
            //! Each method's and property's privilege and since-version, as data.
            #(#infos)*
            /// Every method of the SDK.
            pub const METHODS: &[vsphere_runtime::MethodInfo] = &[#(#info_names),*];
            #(#prop_infos)*
            /// Every property of the SDK.
            pub const PROPERTIES: &[vsphere_runtime::PropertyInfo] = &[#(#prop_names),*];
        })?,
    ));

    let client = client::client(&types);
    let read_property = client::read_property_soap(&types);
    out.push((
        PathBuf::from("src/lib.rs"),
        format_file(quote! {
            //! A typed Rust SDK for the vSphere API, generated from its reference documentation.
            //!
            //! Start with [`Client::builder`]; every method is an `async fn` on a managed
            //! object handle and fails with its own error enum. See `meta` for the privilege
            //! and since-version of every call.
            #![allow(deprecated)]
            // Links are written with explicit `crate::` paths so they resolve from any module.
            #![allow(rustdoc::redundant_explicit_links)]
            pub mod errors;
            pub mod faults;
            pub mod managed;
            pub mod meta;
            pub mod types;
            pub use errors::*;
            pub use faults::*;
            pub use managed::*;
            pub use types::*;
            pub use vsphere_runtime::{AnyValue, ApiVersion, CallError, Connection, ConnectionBuilder, DateTime, Error, Fault, ManagedObjectReference, MethodInfo, PropertyInfo, Protocol, RawFault, Secret};
            #client
            #read_property
        })?,
    ));
    Ok(out)
}
