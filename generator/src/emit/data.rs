//! Data types, fault types and enums → Rust structs and enums with serde.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::docs::{doc_attrs, Linker};
use super::rust_names::{field_ident, variant_ident, TypeTable};
use crate::model::{DataType, EnumType, Field};

/// A struct for a data or fault type, with all inherited fields.
pub fn data_struct(types: &TypeTable<'_, '_>, linker: &Linker<'_>, d: &DataType) -> TokenStream {
    let ident = types.type_ident(&d.name);
    let wire = &d.wire_name;
    let mut doc = linker.markdown(d.description.as_deref().unwrap_or(""), None);
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
    let fields = plan.all_fields(d).iter().zip(plan.boxed_fields(d)).map(|(f, &boxed)| {
        let name = field_ident(&f.name);
        let wire_field = &f.name;
        let ty =
            f.ty.clone()
                .unwrap_or_else(|| crate::model::TypeRef::scalar("anyType"));
        let optional = f.optional.unwrap_or(false);
        let rust_ty = types.value_type(&ty, optional, f.secret, boxed);
        let mut fdoc = linker.markdown(f.description.as_deref().unwrap_or(""), None);
        if let Some(since) = &f.since {
            if !fdoc.is_empty() {
                fdoc.push_str("\n\n");
            }
            fdoc.push_str(&format!("Since {since}."));
        }
        let fdocs = doc_attrs(&fdoc);
        let serde_attr = if ty.array {
            quote!(#[serde(rename = #wire_field, default, skip_serializing_if = "Vec::is_empty")])
        } else if optional {
            quote!(#[serde(rename = #wire_field, default, skip_serializing_if = "Option::is_none")])
        } else {
            quote!(#[serde(rename = #wire_field)])
        };
        quote! {
            #fdocs
            #serde_attr
            pub #name: #rust_ty,
        }
    });
    let soap = soap_struct_impls(types, d);
    // Users fill in what they need and write `..Default::default()`.
    let default = plan.derives_default(&d.name).then(|| quote!(Default,));
    quote! {
        #docs
        #[derive(Clone, Debug, #default PartialEq, vsphere_runtime::reexport::serde::Serialize, vsphere_runtime::reexport::serde::Deserialize)]
        #[serde(crate = "vsphere_runtime::reexport::serde", tag = "_typeName", rename = #wire)]
        pub struct #ident {
            #(#fields)*
        }
        #soap
    }
}

/// How a field is written and read in SOAP.
enum Cardinality {
    One,
    Optional,
    Many,
}

fn cardinality(f: &Field) -> Cardinality {
    match (&f.ty, f.optional.unwrap_or(false)) {
        (Some(t), _) if t.array => Cardinality::Many,
        (_, true) => Cardinality::Optional,
        _ => Cardinality::One,
    }
}

/// `SoapWrite`/`SoapRead` for a struct: fields in declared order, inherited first.
fn soap_struct_impls(types: &TypeTable<'_, '_>, d: &DataType) -> TokenStream {
    let ident = types.type_ident(&d.name);
    let wire = &d.wire_name;
    let fields = types.plan().all_fields(d);
    let writes = fields.iter().map(|f| {
        let name = field_ident(&f.name);
        let wire_field = &f.name;
        match cardinality(f) {
            Cardinality::One => quote!(w.one(#wire_field, &self.#name);),
            Cardinality::Optional => quote!(w.opt(#wire_field, &self.#name);),
            Cardinality::Many => quote!(w.many(#wire_field, &self.#name);),
        }
    });
    let locals: Vec<_> = (0..fields.len())
        .map(|i| quote::format_ident!("f{}", i))
        .collect();
    let inits = fields
        .iter()
        .zip(&locals)
        .map(|(f, l)| match cardinality(f) {
            Cardinality::Many => quote!(let mut #l = Vec::new();),
            _ => quote!(let mut #l = None;),
        });
    let arms = fields.iter().zip(&locals).map(|(f, l)| {
        let wire_field = &f.name;
        match cardinality(f) {
            Cardinality::Many => {
                quote!(#wire_field => #l.push(vsphere_runtime::SoapRead::read(child)?),)
            }
            _ => quote!(#wire_field => #l = Some(vsphere_runtime::SoapRead::read(child)?),),
        }
    });
    let builds = fields.iter().zip(&locals).map(|(f, l)| {
        let name = field_ident(&f.name);
        let wire_field = &f.name;
        match cardinality(f) {
            Cardinality::One => quote!(#name: #l.ok_or_else(|| vsphere_runtime::SoapError::missing(#wire, #wire_field))?,),
            _ => quote!(#name: #l,),
        }
    });
    let loop_ = if fields.is_empty() {
        quote!(let _ = node;)
    } else {
        quote! {
            for child in node.children() {
                match child.name() {
                    #(#arms)*
                    _ => {}
                }
            }
        }
    };
    quote! {
        impl vsphere_runtime::SoapWrite for #ident {
            fn write(&self, name: &str, w: &mut vsphere_runtime::SoapWriter) {
                w.open(name, None);
                #(#writes)*
                w.close(name);
            }
        }

        impl vsphere_runtime::SoapRead for #ident {
            fn read(node: vsphere_runtime::XmlElement<'_>) -> Result<Self, vsphere_runtime::SoapError> {
                #(#inits)*
                #loop_
                Ok(Self { #(#builds)* })
            }
        }
    }
}

/// The idents and wire names an `Any…` enum is written from.
struct AnyEnum<'a> {
    any: Ident,
    variants: Vec<Ident>,
    wires: Vec<&'a str>,
    base: Ident,
    base_wire: &'a str,
}

/// The `Any…` enum of a type with subtypes, keyed by `_typeName` on the wire.
pub fn polymorphic_enum(types: &TypeTable<'_, '_>, d: &DataType) -> TokenStream {
    let members = types.plan().descendants(d);
    let e = AnyEnum {
        any: types.any_ident(&d.name),
        variants: members.iter().map(|m| types.type_ident(&m.name)).collect(),
        wires: members.iter().map(|m| m.wire_name.as_str()).collect(),
        base: types.type_ident(&d.name),
        base_wire: d.wire_name.as_str(),
    };
    let (any, variants, wires) = (&e.any, &e.variants, &e.wires);
    let doc = doc_attrs(&format!(
        "A `{}` or any of its subtypes, told apart by `_typeName` on the wire.\n\nAn unknown subtype from a newer server decodes as its base, [`{}`].",
        d.wire_name, e.base
    ));
    let serde = any_serde_impls(&e);
    let soap = any_soap_impls(&e);
    quote! {
        #doc
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        pub enum #any {
            #(
                #[doc = concat!(" A `", #wires, "`.")]
                #variants(#variants),
            )*
        }

        #serde
        #soap

        #(
            impl From<#variants> for #any {
                fn from(v: #variants) -> Self {
                    Self::#variants(v)
                }
            }
        )*
    }
}

/// `Serialize`/`Deserialize` of an `Any…` enum: by the `_typeName` the value carries.
fn any_serde_impls(e: &AnyEnum<'_>) -> TokenStream {
    let (any, variants, wires, base, base_wire) =
        (&e.any, &e.variants, &e.wires, &e.base, e.base_wire);
    quote! {
        impl vsphere_runtime::reexport::serde::Serialize for #any {
            fn serialize<S: vsphere_runtime::reexport::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                match self {
                    #( Self::#variants(v) => v.serialize(s), )*
                }
            }
        }

        impl<'de> vsphere_runtime::reexport::serde::Deserialize<'de> for #any {
            fn deserialize<D: vsphere_runtime::reexport::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                use vsphere_runtime::reexport::serde::de::Error as _;
                use vsphere_runtime::reexport::serde_json::{from_value, Value};
                let value = Value::deserialize(d)?;
                let tag = value.get("_typeName").and_then(Value::as_str).unwrap_or(#base_wire);
                match tag {
                    #( #wires => from_value(value).map(Self::#variants).map_err(D::Error::custom), )*
                    _ => from_value(value).map(Self::#base).map_err(D::Error::custom),
                }
            }
        }
    }
}

/// `SoapWrite`/`SoapRead` of an `Any…` enum: by `xsi:type`.
fn any_soap_impls(e: &AnyEnum<'_>) -> TokenStream {
    let (any, variants, wires, base, base_wire) =
        (&e.any, &e.variants, &e.wires, &e.base, e.base_wire);
    quote! {
        impl vsphere_runtime::SoapWrite for #any {
            fn write(&self, name: &str, w: &mut vsphere_runtime::SoapWriter) {
                match self {
                    #( Self::#variants(v) => {
                        w.set_type(#wires);
                        v.write(name, w)
                    } )*
                }
            }
        }

        impl vsphere_runtime::SoapRead for #any {
            fn read(node: vsphere_runtime::XmlElement<'_>) -> Result<Self, vsphere_runtime::SoapError> {
                match node.xsi_type().unwrap_or(#base_wire) {
                    #( #wires => vsphere_runtime::SoapRead::read(node).map(Self::#variants), )*
                    _ => vsphere_runtime::SoapRead::read(node).map(Self::#base),
                }
            }
        }
    }
}

/// A string enum with an `Other` case for values newer servers may send.
pub fn string_enum(linker: &Linker<'_>, e: &EnumType, ident: &proc_macro2::Ident) -> TokenStream {
    let mut doc = linker.markdown(e.description.as_deref().unwrap_or(""), None);
    if !doc.is_empty() {
        doc.push_str("\n\n");
    }
    doc.push_str(&format!("Wire type `{}` (`{}`).", e.wire_name, e.name));
    let docs = doc_attrs(&doc);
    let variants: Vec<_> = e.values.iter().map(|v| variant_ident(&v.name)).collect();
    let values: Vec<&str> = e.values.iter().map(|v| v.name.as_str()).collect();
    let vdocs = e.values.iter().map(|v| {
        let text = match &v.description {
            Some(d) if d != &v.name => format!("`{}`: {}", v.name, linker.markdown(d, None)),
            _ => format!("`{}`.", v.name),
        };
        doc_attrs(&text)
    });
    quote! {
        #docs
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #ident {
            #( #vdocs #variants, )*
            /// A value this SDK does not know (from a newer server).
            Other(String),
        }

        impl #ident {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #( Self::#variants => #values, )*
                    Self::Other(s) => s,
                }
            }
        }

        impl From<&str> for #ident {
            fn from(s: &str) -> Self {
                match s {
                    #( #values => Self::#variants, )*
                    other => Self::Other(other.to_string()),
                }
            }
        }

        impl std::fmt::Display for #ident {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl vsphere_runtime::reexport::serde::Serialize for #ident {
            fn serialize<S: vsphere_runtime::reexport::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> vsphere_runtime::reexport::serde::Deserialize<'de> for #ident {
            fn deserialize<D: vsphere_runtime::reexport::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <String as vsphere_runtime::reexport::serde::Deserialize>::deserialize(d)?;
                Ok(Self::from(s.as_str()))
            }
        }

        impl vsphere_runtime::SoapWrite for #ident {
            fn write(&self, name: &str, w: &mut vsphere_runtime::SoapWriter) {
                w.simple(name, self.as_str());
            }
        }

        impl vsphere_runtime::SoapRead for #ident {
            fn read(node: vsphere_runtime::XmlElement<'_>) -> Result<Self, vsphere_runtime::SoapError> {
                Ok(Self::from(node.text()))
            }
        }
    }
}
