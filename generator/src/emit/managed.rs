//! Managed objects → handle structs with one async fn per method and one getter per
//! property; per-method error enums; method and property metadata.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::docs::{doc_attrs, Linker};
use super::rust_names::{field_ident, TypeTable};
use crate::model::{snake_case, ManagedObject, Method, TypeRef, Version};

/// Names shared by the emitters for one method.
pub struct MethodNames {
    /// The `async fn`.
    pub func: Ident,
    /// Its error enum.
    pub error: Ident,
    /// Its `MethodInfo` constant in `meta`.
    pub info: Ident,
}

/// Names for `method` of `mo`; a method name that several managed objects of the doc set
/// define gets the object's name as prefix on its error enum.
pub fn method_names(types: &TypeTable<'_, '_>, mo: &ManagedObject, method: &Method) -> MethodNames {
    let camel = upper_camel(&method.name);
    let error = if types.plan().names().is_ambiguous_method(&method.name) {
        format_ident!("{}{}Error", types.type_ident(&mo.name), camel)
    } else {
        format_ident!("{}Error", camel)
    };
    MethodNames {
        func: field_ident(&method.name),
        error,
        info: format_ident!(
            "{}",
            format!("{}_{}", snake_case(&mo.wire_name), snake_case(&method.name)).to_uppercase()
        ),
    }
}

/// A method's wire name as a Rust type-name part: `Rename_Task` → `RenameTask`,
/// `setCustomValue` → `SetCustomValue`.
fn upper_camel(wire: &str) -> String {
    let joined: String = wire.split('_').collect();
    let mut chars = joined.chars();
    match chars.next() {
        Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
        None => joined,
    }
}

/// `Some(ApiVersion::new(…))` for a since-version, or `None`.
fn version_tokens(v: &Option<Version>) -> TokenStream {
    match v {
        Some(v) => {
            let v = api_version(v);
            quote!(Some(#v))
        }
        None => quote!(None),
    }
}

/// `ApiVersion::new([a, b, c, d], u)` for a since-version.
fn api_version(v: &Version) -> TokenStream {
    let (n, u) = v.numbers();
    let (a, b, c, d) = (n[0], n[1], n[2], n[3]);
    quote!(vsphere_runtime::ApiVersion::new([#a, #b, #c, #d], #u))
}

/// `since(a, b, c, d, u)`, how `data_object!` rows name a since-version.
pub(super) fn since_row(v: &Version) -> TokenStream {
    let (n, u) = v.numbers();
    let [a, b, c, d, u] = [n[0], n[1], n[2], n[3], u].map(proc_macro2::Literal::u32_unsuffixed);
    quote!(since(#a, #b, #c, #d, #u))
}

fn opt_str(s: Option<&str>) -> TokenStream {
    match s {
        Some(s) => quote!(Some(#s)),
        None => quote!(None),
    }
}

/// The `MethodInfo` constant of a method.
pub fn method_info(mo: &ManagedObject, m: &Method, names: &MethodNames) -> TokenStream {
    let info = &names.info;
    let mo_wire = &mo.wire_name;
    let name = &m.name;
    let privilege = opt_str(m.privilege.as_deref());
    let since_label = opt_str(m.since.as_ref().map(|v| v.label()));
    let since = version_tokens(&m.since);
    let deprecated = m.deprecated.is_some();
    let doc = format!(" `{mo_wire}.{name}`.");
    quote! {
        #[doc = #doc]
        pub const #info: vsphere_runtime::MethodInfo = vsphere_runtime::MethodInfo {
            managed_object: #mo_wire,
            name: #name,
            privilege: #privilege,
            since_label: #since_label,
            since: #since,
            deprecated: #deprecated,
        };
    }
}

/// The `PropertyInfo` constant of a property.
pub fn property_info(mo: &ManagedObject, p: &crate::model::Property) -> (Ident, TokenStream) {
    let ident = format_ident!(
        "{}",
        format!("{}_{}", snake_case(&mo.wire_name), snake_case(&p.name)).to_uppercase()
    );
    let mo_wire = &mo.wire_name;
    let name = &p.name;
    let privilege = opt_str(p.privilege.as_deref());
    let doc = format!(" `{mo_wire}.{name}`.");
    let tokens = quote! {
        #[doc = #doc]
        pub const #ident: vsphere_runtime::PropertyInfo = vsphere_runtime::PropertyInfo {
            managed_object: #mo_wire,
            name: #name,
            privilege: #privilege,
        };
    };
    (ident, tokens)
}

/// The error enum of one method: a variant per documented fault, a catch-all for other
/// faults, and one for transport errors.
pub fn error_enum(
    types: &TypeTable<'_, '_>,
    linker: &Linker<'_, '_, '_>,
    mo: &ManagedObject,
    m: &Method,
    names: &MethodNames,
) -> TokenStream {
    let error = &names.error;
    let faults: Vec<_> = m
        .faults
        .iter()
        .filter_map(|f| Some((f, types.plan().data_type(&f.name)?)))
        .collect();
    let variants: Vec<Ident> = faults
        .iter()
        .map(|(f, _)| types.type_ident(&f.name))
        .collect();
    let details: Vec<TokenStream> = faults
        .iter()
        .map(|(f, _)| types.element_type(&TypeRef::scalar(&f.name)))
        .collect();
    let wires = fault_arms(types, &faults.iter().map(|(_, d)| *d).collect::<Vec<_>>());
    let vdocs = faults.iter().map(|(f, _)| {
        let text = match &f.description {
            Some(d) => format!("`{}`: {}", f.name, linker.markdown(d, Some(&mo.name))),
            None => format!("`{}`.", f.name),
        };
        doc_attrs(&text)
    });
    let handle = types.type_ident(&mo.name);
    let doc = doc_attrs(&format!(
        "Errors of [`{handle}::{}`](crate::{handle}::{}).",
        names.func, names.func
    ));
    let patterns = wires.iter().map(|w| quote!(#(#w)|*));
    quote! {
        vsphere_runtime::error_enum! {
            #doc
            pub enum #error {
                #( #vdocs #variants(#details) = #patterns, )*
            }
        }
    }
}

/// Per declared fault, the wire names that land in its variant: its own and those of its
/// subtypes whose nearest declared ancestor it is (`NotAuthenticated` lands in
/// `NoPermission` unless the method declares `NotAuthenticated` too).
fn fault_arms<'m>(
    types: &TypeTable<'_, 'm>,
    declared: &[&'m crate::model::DataType],
) -> Vec<Vec<&'m str>> {
    let plan = types.plan();
    let members: Vec<Vec<&'m crate::model::DataType>> =
        declared.iter().map(|d| plan.descendants(d)).collect();
    // A deeper declared fault has fewer descendants: assigning the larger sets first lets
    // the nearer ancestor overwrite.
    let mut order: Vec<usize> = (0..declared.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(members[i].len()));
    let mut owner: std::collections::HashMap<&'m str, usize> = std::collections::HashMap::new();
    for &i in &order {
        for m in &members[i] {
            owner.insert(m.wire_name.as_str(), i);
        }
    }
    let mut arms = vec![Vec::new(); declared.len()];
    for (i, ms) in members.iter().enumerate() {
        arms[i] = ms
            .iter()
            .map(|m| m.wire_name.as_str())
            .filter(|w| owner.get(w) == Some(&i))
            .collect();
    }
    arms
}

/// One `async fn` on the handle.
pub fn method_fn(
    types: &TypeTable<'_, '_>,
    linker: &Linker<'_, '_, '_>,
    mo: &ManagedObject,
    m: &Method,
    names: &MethodNames,
) -> TokenStream {
    let func = &names.func;
    let error = &names.error;
    let info = &names.info;
    let args = m.params.iter().map(|p| {
        let ident = field_ident(&p.name);
        let ty = types.arg_type(
            &param_type(p),
            p.optional.unwrap_or(false) && !param_type(p).array,
            p.secret,
        );
        quote!(#ident: #ty)
    });
    let params = m.params.iter().map(|p| {
        let ident = field_ident(&p.name);
        let wire = &p.name;
        let since = Version::added_after(p.since.as_ref(), m.since.as_ref()).map(|v| {
            let v = api_version(v);
            quote!(.since(#v))
        });
        // An optional array is a slice like a required one; empty, it is left out.
        let optional =
            (p.optional.unwrap_or(false) && param_type(p).array).then(|| quote!(.optional()));
        quote!(vsphere_runtime::Param::new(#wire, &#ident) #optional #since)
    });
    let (ret, shape, unwrap) = match m
        .returns
        .as_ref()
        .and_then(|r| r.ty.as_ref().map(|t| (t, r)))
    {
        // A reference to a selected managed object type comes back as its handle.
        Some((t, r)) if types.plan().managed_object(&t.name).is_some() => {
            let handle = types.type_ident(&t.name);
            let optional = r.optional && !t.array;
            let wrap = quote!(#handle::new(self.connection.clone(), r));
            let (ret, unwrap) = if t.array {
                (
                    quote!(Vec<#handle>),
                    quote!(.map(|r| r.0.into_iter().map(|r| #wrap).collect())),
                )
            } else if optional {
                (
                    quote!(Option<#handle>),
                    quote!(.map(|r| r.0.map(|r| #wrap))),
                )
            } else {
                (quote!(#handle), quote!(.map(|r| { let r = r.0; #wrap })))
            };
            (ret, types.response_type(t, optional, false), unwrap)
        }
        Some((t, r)) => {
            let optional = r.optional && !t.array;
            (
                types.value_type(t, optional, r.secret, false),
                types.response_type(t, optional, r.secret),
                quote!(.map(|r| r.0)),
            )
        }
        None => (
            quote!(()),
            quote!(vsphere_runtime::Nothing),
            quote!(.map(|_| ())),
        ),
    };
    let doc = method_doc(types, linker, mo, m, names);
    let deprecated = super::docs::deprecated_attr(m.deprecated.as_ref());
    quote! {
        #doc
        #deprecated
        // Compiled where it is called: a user's crate builds only the methods it uses.
        #[inline]
        pub async fn #func(&self #(, #args)*) -> Result<#ret, #error> {
            let reply = self.connection
                .invoke(&crate::meta::#info, &self.this, &[#(#params),*])
                .await?;
            reply.decode::<#shape>() #unwrap .map_err(#error::from)
        }
    }
}

/// A parameter's type (untyped parameters are sent as strings).
fn param_type(p: &crate::model::Param) -> TypeRef {
    p.ty.clone().unwrap_or_else(|| TypeRef::scalar("string"))
}

/// The rustdoc of a method: description, parameters, return value, errors, metadata.
fn method_doc(
    types: &TypeTable<'_, '_>,
    linker: &Linker<'_, '_, '_>,
    mo: &ManagedObject,
    m: &Method,
    names: &MethodNames,
) -> TokenStream {
    let ctx = Some(mo.name.as_str());
    let mut doc = linker.markdown(m.description.as_deref().unwrap_or("(undocumented)"), ctx);
    if !m.params.is_empty() {
        doc.push_str("\n\n# Parameters\n");
        for p in &m.params {
            doc.push_str(&param_doc(linker, ctx, p));
        }
    }
    if let Some(r) = &m.returns {
        if let (Some(t), desc) = (&r.ty, &r.description) {
            let desc = desc
                .as_deref()
                .map(|d| linker.markdown(d, ctx))
                .unwrap_or_default();
            doc.push_str(&format!("\n\n# Returns\n\n`{t}`. {desc}"));
        }
    }
    if let Some(result) = &m.task_result {
        doc.push_str(&format!(
            "\n\nThe task's `info.result` holds `{result}` on success."
        ));
    }
    doc.push_str(&errors_doc(types, linker, ctx, m, &names.error));
    doc.push_str(&metadata_doc(types, linker, ctx, mo, m));
    doc_attrs(&doc)
}

/// One `- name (type), optional: description` line of a method's parameter list.
fn param_doc(linker: &Linker<'_, '_, '_>, ctx: Option<&str>, p: &crate::model::Param) -> String {
    let desc = p
        .description
        .as_deref()
        .map(|d| linker.markdown(d, ctx))
        .unwrap_or_default();
    let kind =
        p.ty.as_ref()
            .map(|t| format!(" (`{t}`)"))
            .unwrap_or_default();
    let mut opt = if p.optional.unwrap_or(false) {
        ", optional".to_string()
    } else {
        String::new()
    };
    if let Some(since) = &p.since {
        opt.push_str(&format!(", since {since}"));
    }
    let desc = one_line(&desc);
    let sep = if desc.is_empty() { "" } else { ": " };
    format!("\n- `{}`{kind}{opt}{sep}{desc}", field_ident(&p.name))
}

/// The `# Errors` section: each documented fault, linked to its variant of `error`.
fn errors_doc(
    types: &TypeTable<'_, '_>,
    linker: &Linker<'_, '_, '_>,
    ctx: Option<&str>,
    m: &Method,
    error: &Ident,
) -> String {
    let mut doc = String::from("\n\n# Errors\n");
    for f in &m.faults {
        let desc = one_line(
            &f.description
                .as_deref()
                .map(|d| linker.markdown(d, ctx))
                .unwrap_or_default(),
        );
        let sep = if desc.is_empty() { "" } else { ": " };
        match types.plan().data_type(&f.name) {
            Some(_) => doc.push_str(&format!(
                "\n- [`{variant}`](crate::{error}::{variant}) (`{}`){sep}{desc}",
                f.name,
                variant = types.type_ident(&f.name),
            )),
            None => doc.push_str(&format!("\n- `{}` (as `OtherFault`){sep}{desc}", f.name)),
        }
    }
    doc.push_str(&format!(
        "\n- any other fault, as [`{error}::OtherFault`](crate::{error}::OtherFault), and transport errors as [`{error}::Transport`](crate::{error}::Transport)."
    ));
    doc
}

/// The `# Metadata` section: privilege, since-version, wire name, VI/JSON binding.
fn metadata_doc(
    types: &TypeTable<'_, '_>,
    linker: &Linker<'_, '_, '_>,
    ctx: Option<&str>,
    mo: &ManagedObject,
    m: &Method,
) -> String {
    let mut doc = String::from("\n\n# Metadata\n");
    if let Some(p) = &m.privilege {
        doc.push_str(&format!("\n- Required privilege: `{p}`"));
    }
    let on_subtypes = subtype_privileges(types, m);
    if !on_subtypes.is_empty() {
        doc.push_str("\n- Required privilege on a subtype that states its own:");
        for (subtype, privilege) in on_subtypes {
            let handle = types.type_ident(&subtype.name);
            doc.push_str(&format!(
                "\n  - [`{handle}`](crate::{handle}): `{privilege}`"
            ));
        }
    }
    if let Some(s) = &m.since {
        doc.push_str(&format!("\n- Since: {s}"));
    }
    doc.push_str(&format!("\n- Wire name: `{}.{}`", mo.wire_name, m.name));
    if let Some(h) = &m.http {
        doc.push_str(&format!("\n- VI/JSON: `{} {}`", h.verb, h.path));
        if let Some(rt) = &m.request_type {
            doc.push_str(&format!(" with a `{rt}` body"));
        }
    }
    if let Some(d) = &m.deprecated {
        doc.push_str(&format!("\n- Deprecated: {}", linker.markdown(d, ctx)));
    }
    doc
}

/// The subtypes in the SDK whose documents state another privilege for inherited method
/// `m`, with that privilege, in the model's order of subtype names.
pub fn subtype_privileges<'m>(
    types: &TypeTable<'m, '_>,
    m: &'m Method,
) -> Vec<(&'m ManagedObject, &'m str)> {
    m.privilege_on
        .iter()
        .filter_map(|(subtype, p)| {
            let mo = types.plan().managed_object(subtype)?;
            Some((mo, p.privilege.as_str()))
        })
        .collect()
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// One property getter on the handle: the runtime's property read (a VI/JSON `GET`, or
/// over SOAP a `PropertyCollector.RetrievePropertiesEx`).
pub fn property_fn(
    types: &TypeTable<'_, '_>,
    linker: &Linker<'_, '_, '_>,
    mo: &ManagedObject,
    p: &crate::model::Property,
    info: &Ident,
) -> TokenStream {
    let func = field_ident(&p.name);
    let ty = p.ty.clone().unwrap_or_else(|| TypeRef::scalar("anyType"));
    let optional = p.optional.unwrap_or(true) && !ty.array;
    let ret = types.value_type(&ty, optional, false, false);
    let shape = types.response_type(&ty, optional, false);
    let mut doc = linker.markdown(
        p.description.as_deref().unwrap_or("(undocumented)"),
        Some(&mo.name),
    );
    doc.push_str("\n\n# Metadata\n");
    if let Some(priv_) = &p.privilege {
        doc.push_str(&format!("\n- Required privilege: `{priv_}`"));
    }
    doc.push_str(&format!(
        "\n- Property: `{}.{}` (`{ty}`)",
        mo.wire_name, p.name
    ));
    if let Some(h) = &p.http {
        doc.push_str(&format!("\n- VI/JSON: `{} {}`", h.verb, h.path));
    }
    let doc = doc_attrs(&doc);
    let deprecated = super::docs::deprecated_attr(p.deprecated.as_ref());
    quote! {
        #doc
        #deprecated
        #[inline]
        pub async fn #func(&self) -> Result<#ret, vsphere_runtime::CallError> {
            let reply = self.connection.read_property(&crate::meta::#info, &self.this).await?;
            reply.decode::<#shape>().map(|r| r.0)
        }
    }
}

/// What a handle inherits: its base types, nearest first, whose methods and properties
/// it reaches through `Deref`, and the inherited methods that need another privilege on
/// it (empty for a root type).
fn inheritance_doc(types: &TypeTable<'_, '_>, mo: &ManagedObject) -> String {
    let model = types.model();
    let bases: Vec<&ManagedObject> = types
        .plan()
        .managed_bases(mo)
        .into_iter()
        .map(|i| &model.managed_objects[i])
        .collect();
    if bases.is_empty() {
        return String::new();
    }
    let links: Vec<String> = bases
        .iter()
        .map(|b| {
            let ident = types.type_ident(&b.name);
            format!("[`{ident}`](crate::{ident})")
        })
        .collect();
    let mut doc = format!(
        "\n\nExtends {}: their methods and properties are this handle's through `Deref`.",
        links.join(" → ")
    );
    let own: Vec<String> = bases
        .iter()
        .flat_map(|b| b.methods.iter().map(move |m| (b, m)))
        .filter_map(|(b, m)| {
            let p = m.privilege_on.get(&mo.name)?;
            let base = types.type_ident(&b.name);
            let func = method_names(types, b, m).func;
            let declared = match &m.privilege {
                Some(d) => format!("declared with `{d}`"),
                None => "the declaration names none".to_string(),
            };
            Some(format!(
                "\n- [`{}`](crate::{base}::{func}) needs `{}` ({declared})",
                m.name, p.privilege
            ))
        })
        .collect();
    if !own.is_empty() {
        doc.push_str(&format!(
            "\n\nInherited methods whose documents state another privilege on a `{}`:\n{}",
            mo.wire_name,
            own.concat()
        ));
    }
    doc
}

/// The handle struct of a managed object: its reference and connection (or its base
/// type's handle, which it derefs to), and [`ManagedObject`](vsphere_runtime::ManagedObject).
/// Built whatever features are on; its calls are in [`handle_calls`].
pub fn handle_struct(
    types: &TypeTable<'_, '_>,
    linker: &Linker<'_, '_, '_>,
    mo: &ManagedObject,
) -> TokenStream {
    let ident = types.type_ident(&mo.name);
    let mut doc = linker.markdown(mo.description.as_deref().unwrap_or(""), Some(&mo.name));
    doc.push_str(&format!(
        "\n\nManaged object `{}` (`{}`).",
        mo.wire_name, mo.name
    ));
    doc.push_str(&inheritance_doc(types, mo));
    let doc = doc_attrs(&doc);
    let plan = types.plan();
    let wires = managed_wires(types, mo);
    let base = mo.base.as_deref().and_then(|b| plan.managed_object(b));
    let (fields, new_body, accessors) = match base {
        Some(b) => {
            let base_ident = types.type_ident(&b.name);
            (
                quote! {
                    /// The handle of the base type, whose methods this one has.
                    pub(crate) base: #base_ident,
                },
                quote!(Self { base: #base_ident::new(connection, this) }),
                quote! {
                    impl std::ops::Deref for #ident {
                        type Target = #base_ident;
                        fn deref(&self) -> &#base_ident {
                            &self.base
                        }
                    }
                },
            )
        }
        None => (
            quote! {
                pub(crate) connection: vsphere_runtime::Connection,
                pub(crate) this: vsphere_runtime::ManagedObjectReference,
            },
            quote!(Self { connection, this }),
            quote! {
                impl #ident {
                    /// The reference this handle calls.
                    pub fn reference(&self) -> &vsphere_runtime::ManagedObjectReference {
                        &self.this
                    }
                }
            },
        ),
    };
    let deprecated = super::docs::deprecated_attr(mo.deprecated.as_ref());
    quote! {
        #doc
        #deprecated
        #[derive(Clone, Debug)]
        pub struct #ident {
            #fields
        }

        #accessors

        impl vsphere_runtime::ManagedObject for #ident {
            const TYPES: &'static [&'static str] = &[#(#wires),*];
            fn from_reference(connection: vsphere_runtime::Connection, this: vsphere_runtime::ManagedObjectReference) -> Self {
                Self::new(connection, this)
            }
            fn reference(&self) -> &vsphere_runtime::ManagedObjectReference {
                &self.this
            }
            fn connection(&self) -> &vsphere_runtime::Connection {
                &self.connection
            }
        }

        impl #ident {
            /// A handle for the object `this` reached over `connection`.
            pub fn new(connection: vsphere_runtime::Connection, this: vsphere_runtime::ManagedObjectReference) -> Self {
                #new_body
            }
        }
    }
}

/// The methods and property getters of a managed object's handle.
pub fn handle_calls(
    types: &TypeTable<'_, '_>,
    linker: &Linker<'_, '_, '_>,
    mo: &ManagedObject,
) -> TokenStream {
    let ident = types.type_ident(&mo.name);
    let methods = mo
        .methods
        .iter()
        .map(|m| method_fn(types, linker, mo, m, &method_names(types, mo, m)));
    let getters = mo.properties.iter().map(|p| {
        let (info, _) = property_info(mo, p);
        property_fn(types, linker, mo, p, &info)
    });
    quote! {
        impl #ident {
            #(#methods)*
            #(#getters)*
        }
    }
}

/// The wire names of `mo` and of every selected subtype, breadth first.
fn managed_wires<'m>(types: &TypeTable<'_, 'm>, mo: &'m ManagedObject) -> Vec<&'m str> {
    let plan = types.plan();
    let mut all = vec![mo];
    let mut i = 0;
    while i < all.len() {
        all.extend(plan.managed_subtypes(&all[i].name));
        i += 1;
    }
    all.iter().map(|m| m.wire_name.as_str()).collect()
}

#[cfg(test)]
mod tests {
    use super::upper_camel;

    #[test]
    fn method_names_become_upper_camel_type_name_parts() {
        assert_eq!(upper_camel("Rename_Task"), "RenameTask");
        assert_eq!(upper_camel("setCustomValue"), "SetCustomValue");
        assert_eq!(upper_camel("LoginBySSPI"), "LoginBySSPI");
    }
}
