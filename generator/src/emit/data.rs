//! Data types, fault types and enums → Rust structs and enums, with the tables the
//! runtime encodes them from (`vsphere_runtime::data`): no serde derives, no per-type
//! encoder bodies.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::docs::{doc_attrs, Linker};
use super::rust_names::{field_ident, variant_ident, TypeTable};
use crate::model::{DataType, EnumType, Field, Version};

/// A struct for a data or fault type, with all inherited fields.
pub fn data_struct(
    types: &TypeTable<'_, '_>,
    linker: &Linker<'_, '_, '_>,
    d: &DataType,
) -> TokenStream {
    let ident = types.type_ident(&d.name);
    let wire = &d.wire_name;
    let mut doc = linker.markdown(d.description.as_deref().unwrap_or(""), Some(&d.name));
    if !doc.is_empty() {
        doc.push_str("\n\n");
    }
    doc.push_str(&format!("Wire type `{wire}` (`{}`)", d.name));
    if let Some(base) = &d.base {
        doc.push_str(&format!(", extends `{base}`"));
    }
    doc.push('.');
    if let Some(since) = &d.since {
        doc.push_str(&format!("\n\nSince {since}."));
    }
    let docs = doc_attrs(&doc);
    let plan = types.plan();
    let own: Vec<&Field> = d.fields.iter().collect();
    let fields = own.iter().zip(plan.boxed_fields(d)).map(|(f, &boxed)| {
        let name = field_ident(&f.name);
        let ty =
            f.ty.clone()
                .unwrap_or_else(|| crate::model::TypeRef::scalar("anyType"));
        let rust_ty = types.value_type(&ty, f.optional.unwrap_or(false), f.secret, boxed);
        let mut fdoc = linker.markdown(f.description.as_deref().unwrap_or(""), Some(&d.name));
        if let Some(since) = &f.since {
            if !fdoc.is_empty() {
                fdoc.push_str("\n\n");
            }
            fdoc.push_str(&format!("Since {since}."));
        }
        let fdocs = doc_attrs(&fdoc);
        let deprecated = super::docs::deprecated_attr(f.deprecated.as_ref());
        quote! {
            #fdocs
            #deprecated
            pub #name: #rust_ty,
        }
    });
    let base = d
        .base
        .as_deref()
        .and_then(|b| plan.data_type(b))
        .map(|b| Base {
            field: base_field(&own),
            ty: types.type_ident(&b.name),
        });
    let base_field = base.as_ref().map(|b| {
        let (field, ty) = (&b.field, &b.ty);
        let doc =
            format!(" The inherited fields: those of [`{ty}`], also reachable through `Deref`.");
        quote! {
            #[doc = #doc]
            pub #field: #ty,
        }
    });
    let cfg = types.type_cfg(&d.name);
    let table = data_object_impl(d, &ident, &own, base.as_ref(), &cfg);
    let deprecated = super::docs::deprecated_attr(d.deprecated.as_ref());
    quote! {
        #docs
        #cfg
        #deprecated
        // Users fill in what they need and write `..Default::default()`.
        #[derive(Clone, Default, PartialEq)]
        pub struct #ident {
            #base_field
            #(#fields)*
        }
        #table
    }
}

/// The field that holds a data object's inherited fields, and its type.
struct Base {
    field: Ident,
    ty: Ident,
}

/// `base`, or `base_` when the type has a field of its own called `base`.
fn base_field(own: &[&Field]) -> Ident {
    if own.iter().any(|f| field_ident(&f.name) == "base") {
        quote::format_ident!("base_")
    } else {
        quote::format_ident!("base")
    }
}

/// Whether a field must be present on the wire.
fn required(f: &Field) -> bool {
    !f.optional.unwrap_or(false) && !f.ty.as_ref().is_some_and(|t| t.array)
}

/// `DataObject` (the field table, the accessors by index, the base value), `Deref` to
/// the base, and the wire traits: one call of the runtime's `data_object!`.
fn data_object_impl(
    d: &DataType,
    ident: &Ident,
    fields: &[&Field],
    base: Option<&Base>,
    cfg: &TokenStream,
) -> TokenStream {
    let wire = &d.wire_name;
    let type_since = d.since.as_ref().map(super::managed::since_row);
    let rows = fields.iter().enumerate().map(|(i, f)| {
        let index = proc_macro2::Literal::usize_unsuffixed(i);
        let name = field_ident(&f.name);
        let wire = &f.name;
        let kind = if required(f) {
            quote!(required)
        } else {
            quote!(optional)
        };
        let since =
            Version::added_after(f.since.as_ref(), d.since.as_ref()).map(super::managed::since_row);
        quote!(#index #name = #wire #kind #since,)
    });
    let base = base.map(|b| {
        let (field, ty) = (&b.field, &b.ty);
        quote!(, #field: #ty)
    });
    quote! {
        #cfg
        vsphere_runtime::data_object! {
            #ident = #wire #type_since #base {
                #(#rows)*
            }
        }
    }
}

/// The `Any…` enum of a type with subtypes, keyed by `_typeName` on the wire, declared
/// with the runtime's `any_enum!`. Each variant carries the `cfg` of its struct where that
/// is not built wherever the enum is.
pub fn polymorphic_enum(types: &TypeTable<'_, '_>, d: &DataType) -> TokenStream {
    let plan = types.plan();
    let features = plan.features();
    let node = |name: &str| plan.data_node(name).expect("a planned type");
    let n = node(&d.name);
    let members = plan.descendants(d);
    let any = types.any_ident(&d.name);
    let base = types.type_ident(&d.name);
    let variants: Vec<Ident> = members.iter().map(|m| types.type_ident(&m.name)).collect();
    let wires: Vec<&str> = members.iter().map(|m| m.wire_name.as_str()).collect();
    let gates: Vec<TokenStream> = members
        .iter()
        .map(|m| types.cfg(&features.variant_gate(n, node(&m.name))))
        .collect();
    let cfg = types.cfg(&features.any_gate(n));
    let doc = doc_attrs(&format!(
        "A `{}` or any of its subtypes, told apart by `_typeName` on the wire.\n\nA subtype this SDK does not know (a newer server's) decodes as `Unknown`: the fields of [`{base}`] and the value as received, which is what is written back.",
        d.wire_name
    ));
    quote! {
        #cfg
        vsphere_runtime::any_enum! {
            #doc
            pub enum #any: #base {
                #( #gates #variants = #wires, )*
            }
        }
    }
}

/// A string enum with an `Other` case for values newer servers may send.
pub fn string_enum(
    linker: &Linker<'_, '_, '_>,
    e: &EnumType,
    ident: &proc_macro2::Ident,
    cfg: &TokenStream,
) -> TokenStream {
    let mut doc = linker.markdown(e.description.as_deref().unwrap_or(""), Some(&e.name));
    if !doc.is_empty() {
        doc.push_str("\n\n");
    }
    doc.push_str(&format!("Wire type `{}` (`{}`).", e.wire_name, e.name));
    let docs = doc_attrs(&doc);
    let variants: Vec<_> = e.values.iter().map(|v| variant_ident(&v.name)).collect();
    let values: Vec<&str> = e.values.iter().map(|v| v.name.as_str()).collect();
    let vdocs = e.values.iter().map(|v| {
        let text = match &v.description {
            Some(d) if d != &v.name => {
                format!("`{}`: {}", v.name, linker.markdown(d, Some(&e.name)))
            }
            _ => format!("`{}`.", v.name),
        };
        doc_attrs(&text)
    });
    quote! {
        #docs
        #cfg
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #ident {
            #( #vdocs #variants, )*
            /// A value this SDK does not know (from a newer server).
            Other(String),
        }

        #cfg
        impl #ident {
            /// The value as sent on the wire.
            #[inline]
            pub fn as_str(&self) -> &str {
                match self {
                    #( Self::#variants => #values, )*
                    Self::Other(s) => s,
                }
            }

            /// The value for a wire string (an unknown one as `Other`).
            #[inline]
            pub fn from_wire(s: &str) -> Self {
                match s {
                    #( #values => Self::#variants, )*
                    other => Self::Other(other.to_string()),
                }
            }
        }

        #cfg
        vsphere_runtime::string_enum!(#ident);
    }
}
