//! Every emitted field, parameter and return value is `Secret` exactly where the stored
//! model marks it secret, and `vsphere::meta::SECRETS` lists exactly those.
//!
//! The walk reads the generated sources with `syn`: each `data_object!` table maps a
//! struct's Rust fields to wire names, each method's `Wire name:` doc line and its
//! `Param::new("wire", &arg)` calls map a handle method to the model's method and params.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use generator::model::{ManagedObject, Method, Model};
use quote::ToTokens;

fn sources(dir: &Path) -> Vec<(String, syn::File)> {
    let mut out = Vec::new();
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        .collect();
    paths.sort();
    for p in paths {
        let text = std::fs::read_to_string(&p).unwrap();
        let file = syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        out.push((p.display().to_string(), file));
    }
    out
}

fn is_secret(ty: &impl ToTokens) -> bool {
    ty.to_token_stream().to_string().contains("Secret <")
}

fn doc_text(attrs: &[syn::Attribute]) -> String {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .map(|a| a.to_token_stream().to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The method `name` of `mo` or of its nearest base declaring it.
fn method_of<'m>(model: &'m Model, mo: &'m ManagedObject, name: &str) -> Option<&'m Method> {
    let mut at = Some(mo);
    while let Some(mo) = at {
        if let Some(m) = mo.methods.iter().find(|m| m.name == name) {
            return Some(m);
        }
        at = mo.base.as_deref().and_then(|b| model.managed_object(b));
    }
    None
}

#[test]
fn every_emitted_member_is_secret_exactly_where_the_model_says() {
    let root = common::repo_root();
    let model = generator::pipeline::read_stored_model(&root).unwrap();
    let by_wire: BTreeMap<&str, &generator::model::DataType> = model
        .data_types
        .iter()
        .chain(&model.fault_types)
        .map(|d| (d.wire_name.as_str(), d))
        .collect();
    let table = regex::Regex::new(r#"(\w+) = "(\w+)""#).unwrap();
    // (owner wire name, member wire name, kind) of every Secret the crate emits.
    let mut emitted: BTreeSet<(String, String, &str)> = BTreeSet::new();
    let (mut fields, mut params, mut methods) = (0, 0, 0);

    for (path, file) in sources(&root.join("generated/src/types")) {
        let mut structs: BTreeMap<String, &syn::ItemStruct> = BTreeMap::new();
        for item in &file.items {
            if let syn::Item::Struct(s) = item {
                structs.insert(s.ident.to_string(), s);
            }
        }
        for item in &file.items {
            let syn::Item::Macro(m) = item else { continue };
            if !m
                .mac
                .path
                .to_token_stream()
                .to_string()
                .ends_with("data_object")
            {
                continue;
            }
            let tokens = m.mac.tokens.to_string();
            let mut pairs = table
                .captures_iter(&tokens)
                .map(|c| (c[1].to_string(), c[2].to_string()));
            let (rust, wire) = pairs.next().unwrap_or_else(|| panic!("{path}: {tokens}"));
            let s = structs
                .get(&rust)
                .unwrap_or_else(|| panic!("{path}: no struct {rust}"));
            let d = by_wire
                .get(wire.as_str())
                .unwrap_or_else(|| panic!("{wire} is not in the model"));
            for (ident, field_wire) in pairs {
                let field = s
                    .fields
                    .iter()
                    .find(|f| f.ident.as_ref().is_some_and(|i| *i == ident))
                    .unwrap_or_else(|| panic!("{rust}.{ident} is in the table, not the struct"));
                let in_model = d
                    .fields
                    .iter()
                    .find(|f| f.name == field_wire)
                    .unwrap_or_else(|| panic!("{wire}.{field_wire} is not in the model"));
                assert_eq!(
                    is_secret(&field.ty),
                    in_model.secret,
                    "{wire}.{field_wire}: emitted as `{}`",
                    field.ty.to_token_stream()
                );
                if in_model.secret {
                    emitted.insert((wire.clone(), field_wire, "Field"));
                }
                fields += 1;
            }
        }
    }

    let mo_by_wire: BTreeMap<&str, &ManagedObject> = model
        .managed_objects
        .iter()
        .map(|m| (m.wire_name.as_str(), m))
        .collect();
    let wire_name = regex::Regex::new(r"Wire name: `(\w+)\.(\w+)`").unwrap();
    let param = regex::Regex::new(r#"Param :: new \("(\w+)" , & (\w+)\s*(?:,\s*)?\)"#).unwrap();
    for (path, file) in sources(&root.join("generated/src/managed")) {
        for item in &file.items {
            let syn::Item::Impl(imp) = item else { continue };
            for f in &imp.items {
                let syn::ImplItem::Fn(f) = f else { continue };
                let doc = doc_text(&f.attrs);
                let Some(c) = wire_name.captures(&doc) else {
                    continue;
                };
                let (owner, name) = (&c[1], &c[2]);
                let mo = mo_by_wire
                    .get(owner)
                    .unwrap_or_else(|| panic!("{path}: {owner}"));
                let m = method_of(&model, mo, name)
                    .unwrap_or_else(|| panic!("{owner}.{name} is not in the model"));
                let body = f.block.to_token_stream().to_string();
                let wires: BTreeMap<String, String> = param
                    .captures_iter(&body)
                    .map(|c| (c[2].to_string(), c[1].to_string()))
                    .collect();
                for arg in f.sig.inputs.iter().skip(1) {
                    let syn::FnArg::Typed(arg) = arg else {
                        panic!("{owner}.{name}: a second self")
                    };
                    let ident = arg.pat.to_token_stream().to_string();
                    let wire = wires.get(&ident).unwrap_or_else(|| {
                        panic!("{owner}.{name}: `{ident}` is sent by no Param::new")
                    });
                    let p = m
                        .params
                        .iter()
                        .find(|p| p.name == *wire)
                        .unwrap_or_else(|| panic!("{owner}.{name}.{wire} is not in the model"));
                    assert_eq!(
                        is_secret(&arg.ty),
                        p.secret,
                        "{owner}.{name}.{wire}: emitted as `{}`",
                        arg.ty.to_token_stream()
                    );
                    if p.secret {
                        emitted.insert((format!("{owner}.{name}"), wire.clone(), "Param"));
                    }
                    params += 1;
                }
                let syn::ReturnType::Type(_, out) = &f.sig.output else {
                    panic!("{owner}.{name}: no Result")
                };
                let secret_return = m.returns.as_ref().is_some_and(|r| r.secret);
                // `Result<T, E>`: only T can be secret (error enums carry faults).
                let ok = out.to_token_stream().to_string();
                let ok = ok.rsplit_once(',').map_or(ok.as_str(), |(t, _)| t);
                assert_eq!(
                    ok.contains("Secret <"),
                    secret_return,
                    "{owner}.{name} returns `{ok}`"
                );
                if secret_return {
                    emitted.insert((owner.to_string(), name.to_string(), "Return"));
                }
                methods += 1;
            }
        }
    }
    // The walk saw the whole crate, not a few files.
    assert!(
        fields > 7_000 && params > 800 && methods > 900,
        "{fields} fields, {params} params, {methods} methods"
    );

    let meta = std::fs::read_to_string(root.join("generated/src/meta.rs")).unwrap();
    let info = regex::Regex::new(
        r#"SecretInfo \{\s*owner: "([\w.]+)",\s*member: "(\w+)",\s*kind: SecretKind::(\w+),"#,
    )
    .unwrap();
    let listed: BTreeSet<(String, String, &str)> = info
        .captures_iter(&meta)
        .map(|c| {
            let kind = match &c[3] {
                "Field" => "Field",
                "Param" => "Param",
                "Return" => "Return",
                other => panic!("kind {other}"),
            };
            (c[1].to_string(), c[2].to_string(), kind)
        })
        .collect();
    assert_eq!(
        listed, emitted,
        "vsphere::meta::SECRETS against the emitted Secret members"
    );
    assert!(emitted.len() >= 40, "{} secrets", emitted.len());
}
