//! Rust identifiers and types for model names.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

use crate::model::{snake_case, Model, TypeRef};
use crate::plan::{Gate, Plan, UNREFERENCED_FEATURE};

/// Rust keywords that cannot be field or function names as they are.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub",
    "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield", "gen",
];

/// A snake_case identifier for a wire name, escaping keywords (`type` → `type_`).
pub fn field_ident(wire: &str) -> Ident {
    let mut name = snake_case(wire);
    if KEYWORDS.contains(&name.as_str()) {
        name.push('_');
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    Ident::new(&name, Span::call_site())
}

/// An UpperCamel identifier for an enum value (`httpGet` → `HttpGet`).
pub fn variant_ident(value: &str) -> Ident {
    let mut out = String::new();
    let mut upper = true;
    for c in value.chars() {
        if c.is_ascii_alphanumeric() {
            if upper {
                out.push(c.to_ascii_uppercase());
                upper = false;
            } else {
                out.push(c);
            }
        } else {
            upper = true;
        }
    }
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'V');
    }
    if out == "Other" || out == "Self" {
        out.push('_');
    }
    format_ident!("{}", out)
}

/// Rust names and types for the selected model, read from its [`Plan`].
pub struct TypeTable<'p, 'm> {
    plan: &'p Plan<'m>,
}

impl<'p, 'm> TypeTable<'p, 'm> {
    /// Names and types from `plan`.
    pub fn new(plan: &'p Plan<'m>) -> Self {
        TypeTable { plan }
    }

    /// The plan of the model being emitted.
    pub fn plan(&self) -> &'p Plan<'m> {
        self.plan
    }

    /// The model being emitted.
    pub fn model(&self) -> &'m Model {
        self.plan.model()
    }

    /// The Cargo feature of selected managed object `i`: its wire name; one past the
    /// last object, [`UNREFERENCED_FEATURE`].
    pub fn feature_name(&self, i: usize) -> &'m str {
        match self.model().managed_objects.get(i) {
            Some(mo) => &mo.wire_name,
            None => UNREFERENCED_FEATURE,
        }
    }

    /// The `#[cfg(…)]` attribute of `gate` (nothing for an item always built).
    pub fn cfg(&self, gate: &Gate) -> TokenStream {
        let Gate::AnyOf(objects) = gate else {
            return TokenStream::new();
        };
        let names = objects.iter().map(|&i| self.feature_name(i));
        match objects.len() {
            1 => quote!(#[cfg(#(feature = #names)*)]),
            _ => quote!(#[cfg(any(#(feature = #names),*))]),
        }
    }

    /// The `#[cfg(…)]` of the struct (or enum) of data, fault or enum type `qualified`.
    pub fn type_cfg(&self, qualified: &str) -> TokenStream {
        let features = self.plan.features();
        if let Some(n) = self.plan.data_node(qualified) {
            return self.cfg(&features.data_gate(n));
        }
        match self.plan.lookup(qualified) {
            Some(crate::plan::TypeKey::Enum(e)) => self.cfg(&features.enum_gate(e)),
            _ => TokenStream::new(),
        }
    }

    /// The Rust struct/enum ident of a data, fault, enum or managed object type.
    pub fn type_ident(&self, qualified: &str) -> Ident {
        let name = self.plan.names().type_name(qualified).unwrap_or(qualified);
        format_ident!("{}", name)
    }

    /// The `Any…` enum ident of a polymorphic type.
    pub fn any_ident(&self, qualified: &str) -> Ident {
        format_ident!("Any{}", self.type_ident(qualified))
    }

    /// Whether `qualified` has selected subtypes.
    pub fn is_polymorphic(&self, qualified: &str) -> bool {
        self.plan.is_polymorphic(qualified)
    }

    /// Whether `qualified` is a managed object type (values are references).
    pub fn is_managed(&self, qualified: &str) -> bool {
        self.plan.is_managed(qualified)
    }

    /// Whether values of this (element) type are `Copy` scalars passed by value.
    pub fn is_copy(&self, ty: &TypeRef) -> bool {
        ty.as_primitive().is_some_and(|p| p.info().copy)
    }

    /// The Rust type of one element of `ty` (no `Vec`, `Option` or `Secret`).
    pub fn element_type(&self, ty: &TypeRef) -> TokenStream {
        let name = ty.name.as_str();
        if let Some(p) = ty.as_primitive() {
            let segments = p.info().rust.split("::").map(|s| format_ident!("{}", s));
            return quote!(#(#segments)::*);
        }
        match name {
            _ if self.is_managed(name) => quote!(vsphere_runtime::ManagedObjectReference),
            _ if self.is_polymorphic(name) => {
                let ident = self.any_ident(name);
                quote!(#ident)
            }
            _ => {
                let ident = self.type_ident(name);
                quote!(#ident)
            }
        }
    }

    /// The Rust type of a stored value (struct field or return value).
    pub fn value_type(
        &self,
        ty: &TypeRef,
        optional: bool,
        secret: bool,
        boxed: bool,
    ) -> TokenStream {
        let mut inner = self.element_type(ty);
        if secret {
            inner = quote!(vsphere_runtime::Secret<#inner>);
        }
        if ty.array {
            return quote!(Vec<#inner>);
        }
        if boxed {
            inner = quote!(Box<#inner>);
        }
        if optional {
            quote!(Option<#inner>)
        } else {
            inner
        }
    }

    /// The runtime's return-shape wrapper for a value of `ty` (`One`, `Maybe`, `Many`).
    pub fn response_type(&self, ty: &TypeRef, optional: bool, secret: bool) -> TokenStream {
        let mut inner = self.element_type(ty);
        if secret {
            inner = quote!(vsphere_runtime::Secret<#inner>);
        }
        if ty.array {
            quote!(vsphere_runtime::Many<#inner>)
        } else if optional {
            quote!(vsphere_runtime::Maybe<#inner>)
        } else {
            quote!(vsphere_runtime::One<#inner>)
        }
    }

    /// The Rust type of a method argument (borrowed where the value is not `Copy`).
    pub fn arg_type(&self, ty: &TypeRef, optional: bool, secret: bool) -> TokenStream {
        let element = self.element_type(ty);
        let element = if secret {
            quote!(vsphere_runtime::Secret<#element>)
        } else {
            element
        };
        let borrowed = if ty.array {
            quote!(&[#element])
        } else if self.is_copy(ty) && !secret {
            element
        } else if ty.name == "string" && !secret {
            quote!(&str)
        } else {
            quote!(&#element)
        };
        if optional {
            quote!(Option<#borrowed>)
        } else {
            borrowed
        }
    }
}
