//! The planning step on small hand-built models: cycles and boxes, `Default`, names.

use generator::model::Model;
use generator::plan::{NameTable, Plan};

/// A data type: name, base, and fields as (name, type, optional).
type TypeSpec<'a> = (&'a str, Option<&'a str>, &'a [(&'a str, &'a str, bool)]);

/// A model of data types given as (name, base, [(field, type, optional)]), built as YAML.
fn model(types: &[TypeSpec<'_>]) -> Model {
    let mut yaml = String::from("managed_objects: []\nfault_types: []\nenums: []\ndata_types:\n");
    for (name, base, fields) in types {
        let wire = name.rsplit('.').next().unwrap();
        yaml.push_str(&format!("  - name: {name}\n    wire_name: {wire}\n"));
        if let Some(b) = base {
            yaml.push_str(&format!("    base: {b}\n"));
        }
        yaml.push_str("    source: { file: t, line: 1 }\n    fields:\n");
        if fields.is_empty() {
            yaml.truncate(yaml.len() - 1);
            yaml.push_str(" []\n");
        }
        for (field, ty, optional) in *fields {
            yaml.push_str(&format!(
                "      - {{ name: {field}, type: \"{ty}\", optional: {optional}, source: {{ file: t, line: 1 }} }}\n"
            ));
        }
    }
    serde_yaml::from_str(&yaml).unwrap_or_else(|e| panic!("{e}\n{yaml}"))
}

fn graph_model() -> Model {
    model(&[
        // A 2-cycle through an optional by-value field; the Vec edge does not count.
        (
            "vim.A",
            None,
            &[("b", "vim.B", false), ("list", "vim.Chain1[]", false)],
        ),
        ("vim.B", None, &[("a", "vim.A", true)]),
        // A self-loop, and a self-reference through a Vec.
        (
            "vim.Node",
            None,
            &[
                ("next", "vim.Node", true),
                ("children", "vim.Node[]", false),
            ],
        ),
        // An acyclic chain.
        ("vim.Chain1", None, &[("c2", "vim.Chain2", false)]),
        ("vim.Chain2", None, &[("c3", "vim.Chain3", false)]),
        (
            "vim.Chain3",
            None,
            &[("n", "int", false), ("s", "string", false)],
        ),
        // A cycle through a subtype: a reference to Base is an `AnyBase`, holding Derived.
        ("vim.Base", None, &[("n", "int", true)]),
        (
            "vim.Derived",
            Some("vim.Base"),
            &[("parent", "vim.Base", true)],
        ),
        // A base with a subtype that nothing refers to: no value of it can be anything else.
        ("vim.Unheld", None, &[("n", "int", true)]),
        ("vim.UnheldChild", Some("vim.Unheld"), &[]),
        // No default: a required dateTime, and a chain that ends in it.
        ("vim.NoDefault", None, &[("when", "dateTime", false)]),
        ("vim.Holds1", None, &[("h2", "vim.Holds2", false)]),
        ("vim.Holds2", None, &[("x", "vim.NoDefault", false)]),
        // A cycle of required fields can never be defaulted.
        ("vim.R1", None, &[("r2", "vim.R2", false)]),
        ("vim.R2", None, &[("r1", "vim.R1", false)]),
    ])
}

fn boxes(plan: &Plan<'_>, name: &str) -> Vec<(String, bool)> {
    let d = plan.data_type(name).unwrap();
    d.fields
        .iter()
        .zip(plan.boxed_fields(d))
        .map(|(f, &b)| (f.name.clone(), b))
        .collect()
}

fn pairs(expected: &[(&str, bool)]) -> Vec<(String, bool)> {
    expected.iter().map(|(n, b)| (n.to_string(), *b)).collect()
}

#[test]
fn boxes_exactly_the_by_value_edges_inside_cycles() {
    let m = graph_model();
    let names = NameTable::new(&m);
    let plan = Plan::new(&m, &names);
    assert_eq!(
        boxes(&plan, "vim.A"),
        pairs(&[("b", true), ("list", false)])
    );
    assert_eq!(boxes(&plan, "vim.B"), pairs(&[("a", true)]));
    assert_eq!(
        boxes(&plan, "vim.Node"),
        pairs(&[("next", true), ("children", false)])
    );
    assert_eq!(boxes(&plan, "vim.Chain1"), pairs(&[("c2", false)]));
    assert_eq!(boxes(&plan, "vim.Chain2"), pairs(&[("c3", false)]));
    assert_eq!(
        boxes(&plan, "vim.Chain3"),
        pairs(&[("n", false), ("s", false)])
    );
    assert_eq!(boxes(&plan, "vim.Base"), pairs(&[("n", false)]));
    // Own fields only: the inherited `n` lives in the `base` struct, held by value.
    assert_eq!(boxes(&plan, "vim.Derived"), pairs(&[("parent", true)]));
    assert_eq!(boxes(&plan, "vim.R1"), pairs(&[("r2", true)]));
}

#[test]
fn subtypes_and_any_enum_members() {
    let m = graph_model();
    let names = NameTable::new(&m);
    let plan = Plan::new(&m, &names);
    assert!(plan.is_polymorphic("vim.Base"));
    assert!(!plan.is_polymorphic("vim.Derived"));
    let members: Vec<_> = plan
        .descendants(plan.data_type("vim.Base").unwrap())
        .iter()
        .map(|d| d.name.as_str())
        .collect();
    assert_eq!(members, ["vim.Base", "vim.Derived"]);
    let subs: Vec<_> = plan.subtypes("vim.Base").map(|d| d.name.as_str()).collect();
    assert_eq!(subs, ["vim.Derived"]);
    // Only a type that something holds is polymorphic: `vim.Unheld` has a subtype, but no
    // field, property, parameter, return or fault refers to it.
    assert!(!plan.is_polymorphic("vim.Unheld"));
    let subs: Vec<_> = plan
        .subtypes("vim.Unheld")
        .map(|d| d.name.as_str())
        .collect();
    assert_eq!(subs, ["vim.UnheldChild"]);
}

#[test]
fn default_follows_required_fields_through_a_chain() {
    let m = graph_model();
    let names = NameTable::new(&m);
    let plan = Plan::new(&m, &names);
    for yes in [
        "vim.Chain1",
        "vim.Chain2",
        "vim.Chain3",
        "vim.A",
        "vim.B",
        "vim.Node",
    ] {
        assert!(plan.derives_default(yes), "{yes} should derive Default");
    }
    for no in [
        "vim.NoDefault",
        "vim.Holds1",
        "vim.Holds2",
        "vim.R1",
        "vim.R2",
    ] {
        assert!(!plan.derives_default(no), "{no} should not derive Default");
    }
    // A required polymorphic field defaults to an empty base value.
    let m = model(&[
        ("vim.Base", None, &[]),
        ("vim.Derived", Some("vim.Base"), &[]),
        ("vim.User", None, &[("b", "vim.Base", false)]),
    ]);
    let names = NameTable::new(&m);
    let plan = Plan::new(&m, &names);
    assert!(plan.derives_default("vim.Base"));
    assert!(plan.derives_default("vim.User"));
}

#[test]
fn eq_excludes_floats_anywhere_inside() {
    let m = model(&[
        ("vim.F", None, &[("x", "double", true)]),
        ("vim.HoldsF", None, &[("f", "vim.F[]", false)]),
        (
            "vim.Plain",
            None,
            &[("s", "string", false), ("me", "vim.Plain", true)],
        ),
    ]);
    let names = NameTable::new(&m);
    let plan = Plan::new(&m, &names);
    assert!(!plan.derives_eq("vim.F"));
    assert!(!plan.derives_eq("vim.HoldsF"));
    assert!(plan.derives_eq("vim.Plain"));
}

#[test]
fn names_do_not_change_when_a_type_is_deselected() {
    // Two types share the wire name `Foo`; the whole set names both after their
    // qualified names, and a selection without one of them keeps that name.
    let mut full = model(&[("vim.Foo", None, &[("n", "int", false)])]);
    let fault = model(&[("vim.fault.Foo", None, &[])]);
    full.fault_types = fault.data_types;
    let names = NameTable::new(&full);
    let mut selected = full.clone();
    selected.fault_types.clear();
    for m in [&full, &selected] {
        let files = generator::emit::sdk_crate(m, &names).unwrap().sources;
        let types = &files
            .iter()
            .find(|(p, _)| p.ends_with("types/vim.rs"))
            .unwrap()
            .1;
        assert!(types.contains("pub struct VimFoo {"), "{types}");
    }
    // Names from the selection alone would have renamed it.
    let alone = generator::emit::sdk_sources(&selected).unwrap();
    let vim = alone.iter().find(|(p, _)| p.ends_with("types/vim.rs"));
    assert!(vim.unwrap().1.contains("pub struct Foo {"));
}
