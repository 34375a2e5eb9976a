//! Deprecations from the documents reach the generated crate as `#[deprecated(note)]`:
//! on data types and managed object handles, struct fields, property getters and methods,
//! each with the documents' note, and on nothing the stored model does not deprecate.

mod common;

use std::collections::BTreeMap;

use generator::model::Model;
use generator::reconcile::deprecations::note_of;

/// `#[deprecated(note = "…")]`'s note among `attrs`.
fn deprecation(attrs: &[syn::Attribute]) -> Option<String> {
    let attr = attrs.iter().find(|a| a.path().is_ident("deprecated"))?;
    let mut note = None;
    attr.parse_nested_meta(|meta| {
        note = Some(meta.value()?.parse::<syn::LitStr>()?.value());
        Ok(())
    })
    .unwrap_or_else(|e| panic!("{e}"));
    Some(note.expect("a note"))
}

/// Every deprecated item of the generated crate by name (`Struct`, `Struct.field`,
/// `Type::method`), with its note.
fn deprecated_items(root: &std::path::Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for dir in ["generated/src/types", "generated/src/managed"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            let file = syn::parse_file(&text).unwrap_or_else(|e| panic!("{path:?}: {e}"));
            for item in file.items {
                match item {
                    syn::Item::Struct(s) => {
                        let name = s.ident.to_string();
                        if let Some(note) = deprecation(&s.attrs) {
                            out.insert(name.clone(), note);
                        }
                        for f in &s.fields {
                            if let (Some(ident), Some(note)) = (&f.ident, deprecation(&f.attrs)) {
                                out.insert(format!("{name}.{ident}"), note);
                            }
                        }
                    }
                    syn::Item::Impl(i) => {
                        let ty = quote::ToTokens::to_token_stream(&i.self_ty).to_string();
                        for member in &i.items {
                            if let syn::ImplItem::Fn(f) = member {
                                if let Some(note) = deprecation(&f.attrs) {
                                    out.insert(format!("{ty}::{}", f.sig.ident), note);
                                }
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    out
}

#[test]
fn documented_deprecations_are_attributes_with_the_documents_note() {
    let root = common::repo_root();
    let items = deprecated_items(&root);
    let expected = [
        // A field, from its description's opening sentence.
        (
            "VirtualDisk.capacity_in_kb",
            "Deprecated as of vSphere API 5.5, use capacityInBytes.",
        ),
        // A type the tables Markdown heads `### DEPRECATED`.
        ("HostVMotionInfo", "Deprecated."),
        // A property getter, from the OpenAPI set's note on the property.
        (
            "ClusterComputeResource::configuration",
            // The document's own double full stop.
            "Deprecated as of VI API 2.5, use configurationEx, which is a ClusterConfigInfoEx data object..",
        ),
        // A method, as before.
        (
            "SessionManager::login_extension_by_subject_name",
            "Deprecated as of vSphere API 6.0, use SSO style of login instead LoginByToken.",
        ),
    ];
    for (item, note) in expected {
        assert_eq!(items.get(item).map(String::as_str), Some(note), "{item}");
    }
}

#[test]
fn every_deprecated_item_is_one_the_stored_model_deprecates() {
    let root = common::repo_root();
    let model: Model = generator::pipeline::read_stored_model(&root).unwrap();
    // Every note the model holds, as `plain_text` renders it into the attribute.
    let notes: std::collections::BTreeSet<String> = model
        .managed_objects
        .iter()
        .flat_map(|mo| {
            let props = mo.properties.iter().map(|p| p.deprecated.clone());
            let methods = mo.methods.iter().map(|m| m.deprecated.clone());
            std::iter::once(mo.deprecated.clone())
                .chain(props)
                .chain(methods)
        })
        .chain(
            model
                .data_types
                .iter()
                .chain(&model.fault_types)
                .flat_map(|d| {
                    std::iter::once(d.deprecated.clone())
                        .chain(d.fields.iter().map(|f| f.deprecated.clone()))
                }),
        )
        .flatten()
        .map(|n| generator::emit::plain_text(n.trim()))
        .collect();
    let items = deprecated_items(&root);
    assert!(items.len() > 200, "{} deprecated items", items.len());
    for (item, note) in &items {
        assert!(
            notes.contains(note),
            "{item}: {note:?} is no note of the model"
        );
    }
    // The model's notes from descriptions are their opening "Deprecated…" sentence.
    assert_eq!(
        note_of("Deprecated as of vSphere API 5.5, use capacityInBytes. More text.").as_deref(),
        Some("Deprecated as of vSphere API 5.5, use capacityInBytes.")
    );
}
