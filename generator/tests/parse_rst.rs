//! Tests of the pyvmomi reStructuredText parser (`generator::parse::rst`).

mod common;

use std::io::Write;

use common::*;
use generator::diag::{Diagnostic, Severity, SourceText};
use generator::load::{documents_under, load_file, read_document, Loaded};
use generator::model::{Method, Model, TypeRef};
use generator::parse::{parse_document, rst, Parsed};

fn parse_ok(rel: &str) -> Parsed {
    parse_repo_file(rel).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn parse_text(name: &str, text: &str) -> Result<Parsed, Diagnostic> {
    rst::parse(&SourceText::new(name, text))
}

fn err_text(name: &str, text: &str) -> Diagnostic {
    match parse_text(name, text) {
        Ok(p) => panic!("expected an error, got {}", parsed_yaml(&p)),
        Err(e) => e,
    }
}

fn golden(rel: &str, golden_name: &str) -> Parsed {
    let parsed = parse_ok(rel);
    assert_golden(&format!("rst/{golden_name}.yaml"), &parsed_yaml(&parsed));
    parsed
}

fn method<'m>(model: &'m Model, ty: &str, name: &str) -> &'m Method {
    model
        .managed_object(ty)
        .unwrap_or_else(|| panic!("no managed object {ty}"))
        .methods
        .iter()
        .find(|m| m.name == name)
        .unwrap_or_else(|| panic!("no method {ty}.{name}"))
}

// ---------------------------------------------------------------------------------------
// Golden files
// ---------------------------------------------------------------------------------------

#[test]
fn golden_session_manager() {
    let p = golden("spec/pyvmomi/vim/SessionManager.rst.gz", "SessionManager");
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);
    let sm = p.model.managed_object("vim.SessionManager").unwrap();
    assert_eq!(sm.properties.len(), 6);
    assert_eq!(sm.methods.len(), 15);
    assert_eq!(
        sm.properties[0].ty,
        Some(TypeRef::array_of("vim.UserSession"))
    );
    assert_eq!(sm.properties[0].optional, None);
    assert_eq!(
        sm.properties[0].privilege.as_deref(),
        Some("Sessions.TerminateSession")
    );
}

#[test]
fn golden_session_manager_collapsed() {
    let p = golden(
        "spec/docs/SessionManager.collapsed.rst",
        "SessionManager.collapsed",
    );
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);
    let sm = p.model.managed_object("vim.SessionManager").unwrap();
    assert_eq!(sm.properties.len(), 6);
    assert!(sm.source.line == 1 && sm.methods.iter().all(|m| m.source.line == 1));

    let login = method(&p.model, "vim.SessionManager", "Login");
    let params: Vec<(&str, String, Option<bool>)> = login
        .params
        .iter()
        .map(|p| {
            (
                p.name.as_str(),
                p.ty.as_ref().unwrap().to_string(),
                p.optional,
            )
        })
        .collect();
    assert_eq!(
        params,
        [
            ("userName", "string".to_string(), Some(false)),
            ("password", "string".to_string(), Some(false)),
            ("locale", "string".to_string(), Some(true)),
        ]
    );
    let ret = login.returns.as_ref().unwrap();
    assert_eq!(ret.ty, Some(TypeRef::scalar("vim.UserSession")));
    assert_eq!(ret.description.as_deref(), Some("The UserSession object.As of vSphere API 5.1 for VirtualCenter login use SSO style [[vim.SessionManager.LoginByToken]]"));
    assert_eq!(login.privilege.as_deref(), Some("System.Anonymous"));
    let faults: Vec<&str> = login.faults.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(
        faults,
        [
            "vim.fault.InvalidLogin",
            "vim.fault.InvalidLocale",
            "vim.fault.NoPermission"
        ]
    );
    assert!(login.params.iter().all(|p| !p.secret));

    let sspi = method(&p.model, "vim.SessionManager", "LoginBySSPI");
    assert_eq!(sspi.since.as_ref().map(|v| v.label()), Some("VI API 2.5"));
    let logout = method(&p.model, "vim.SessionManager", "Logout");
    assert!(logout.params.is_empty());
    assert_eq!(logout.returns.as_ref().map(|r| r.ty.is_none()), Some(true));
}

#[test]
fn golden_user_session() {
    let p = golden("spec/pyvmomi/vim/UserSession.rst", "UserSession");
    let us = p.model.data_type("vim.UserSession").unwrap();
    assert_eq!(us.base.as_deref(), Some("vmodl.DynamicData"));
    assert_eq!(us.fields.len(), 11);
    let login_time = us.fields.iter().find(|f| f.name == "loginTime").unwrap();
    assert_eq!(login_time.ty, Some(TypeRef::scalar("dateTime")));
    assert_eq!(login_time.optional, Some(false));
    let calls = us.fields.iter().find(|f| f.name == "callCount").unwrap();
    assert_eq!(calls.ty, Some(TypeRef::scalar("long")));
}

#[test]
fn golden_http_service_request_spec() {
    let p = golden(
        "spec/pyvmomi/vim/SessionManager/HttpServiceRequestSpec.rst",
        "HttpServiceRequestSpec",
    );
    let d = p
        .model
        .data_type("vim.SessionManager.HttpServiceRequestSpec")
        .unwrap();
    assert_eq!(d.wire_name, "SessionManagerHttpServiceRequestSpec");
    assert_eq!(
        d.base.as_deref(),
        Some("vim.SessionManager.ServiceRequestSpec")
    );
    assert_eq!(d.since.as_ref().map(|v| v.label()), Some("vSphere API 5.0"));
    assert_eq!(d.fields[0].optional, Some(true));
    assert_eq!(d.fields[1].optional, Some(false));
    let url = d.fields[1].description.as_deref().unwrap();
    assert!(url.contains("requests:\n* only the path"), "{url}");
    assert!(p.model.fault_types.is_empty());
}

#[test]
fn golden_http_service_request_spec_method_enum() {
    let p = golden(
        "spec/pyvmomi/vim/SessionManager/HttpServiceRequestSpec/Method.rst",
        "HttpServiceRequestSpec.Method",
    );
    let e = p
        .model
        .enum_type("vim.SessionManager.HttpServiceRequestSpec.Method")
        .unwrap();
    let values: Vec<&str> = e.values.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(
        values,
        [
            "httpGet",
            "httpTrace",
            "httpHead",
            "httpOptions",
            "httpDelete",
            "httpPost",
            "httpConnect",
            "httpPut"
        ]
    );
    assert_eq!(e.description.as_deref(), Some("HTTP request methods."));
}

#[test]
fn golden_invalid_login_fault() {
    let p = golden("spec/pyvmomi/vim/fault/InvalidLogin.rst", "InvalidLogin");
    let f = p.model.data_type("vim.fault.InvalidLogin").unwrap();
    assert_eq!(f.base.as_deref(), Some("vim.fault.VimFault"));
    assert!(f.fields.is_empty());
    assert!(p.model.fault_types.is_empty());
}

#[test]
fn golden_method_fault() {
    let p = golden("spec/pyvmomi/vmodl/MethodFault.rst", "MethodFault");
    let f = p.model.data_type("vmodl.MethodFault").unwrap();
    assert_eq!(f.base, None);
    let names: Vec<(&str, Option<bool>)> = f
        .fields
        .iter()
        .map(|f| (f.name.as_str(), f.optional))
        .collect();
    assert_eq!(
        names,
        [
            ("dynamicType", Some(true)),
            ("dynamicProperty", Some(true)),
            ("faultCause", Some(true)),
            ("faultMessage", Some(true)),
        ]
    );
    assert!(f.fields.iter().all(|f| f.description.is_none()));
}

#[test]
fn golden_service_instance() {
    let p = golden("spec/pyvmomi/vim/ServiceInstance.rst.gz", "ServiceInstance");
    let si = p.model.managed_object("vim.ServiceInstance").unwrap();
    assert_eq!(si.properties.len(), 3);
    let rsc = method(&p.model, "vim.ServiceInstance", "RetrieveServiceContent");
    assert_eq!(
        rsc.returns.as_ref().and_then(|r| r.ty.clone()),
        Some(TypeRef::scalar("vim.ServiceInstanceContent"))
    );
    assert!(rsc.params.is_empty());
    let time = method(&p.model, "vim.ServiceInstance", "CurrentTime");
    assert_eq!(
        time.returns.as_ref().and_then(|r| r.ty.clone()),
        Some(TypeRef::scalar("dateTime"))
    );
}

#[test]
fn golden_service_instance_content() {
    let p = golden(
        "spec/pyvmomi/vim/ServiceInstanceContent.rst.gz",
        "ServiceInstanceContent",
    );
    let sc = p.model.data_type("vim.ServiceInstanceContent").unwrap();
    assert_eq!(sc.wire_name, "ServiceContent");
    let root = sc.fields.iter().find(|f| f.name == "rootFolder").unwrap();
    assert_eq!(root.ty, Some(TypeRef::scalar("vim.Folder")));
    assert_eq!(root.optional, Some(false));
}

// ---------------------------------------------------------------------------------------
// Both layouts of SessionManager
// ---------------------------------------------------------------------------------------

/// The facts of a method, without locations or descriptions.
fn method_facts(m: &Method) -> String {
    let params: Vec<String> = m
        .params
        .iter()
        .map(|p| format!("{}:{:?}:{:?}", p.name, p.ty, p.optional))
        .collect();
    let returns = m.returns.as_ref().map(|r| (r.ty.clone(), r.optional));
    let faults: Vec<&str> = m.faults.iter().map(|f| f.name.as_str()).collect();
    format!(
        "{} ({}) -> {:?} priv={:?} since={:?} faults={:?} deprecated={:?}",
        m.name,
        params.join(", "),
        returns,
        m.privilege,
        m.since.as_ref().map(|v| v.label()),
        faults,
        m.deprecated
    )
}

#[test]
fn collapsed_and_normal_session_manager_agree() {
    let normal = parse_ok("spec/pyvmomi/vim/SessionManager.rst.gz").model;
    let collapsed = parse_ok("spec/docs/SessionManager.collapsed.rst").model;
    let (n, c) = (&normal.managed_objects[0], &collapsed.managed_objects[0]);
    assert_eq!(n.name, c.name);
    assert_eq!(n.base, c.base);
    assert_eq!(n.since, c.since);
    let facts = |m: &generator::model::ManagedObject| -> Vec<String> {
        m.methods.iter().map(method_facts).collect()
    };
    assert_eq!(facts(n), facts(c));
    let props = |m: &generator::model::ManagedObject| -> Vec<String> {
        m.properties
            .iter()
            .map(|p| format!("{}:{:?}:{:?}:{:?}", p.name, p.ty, p.optional, p.privilege))
            .collect()
    };
    assert_eq!(props(n), props(c));
    // Descriptions may differ only in whitespace.
    let squash = |s: &Option<String>| {
        s.as_deref()
            .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
    };
    for (a, b) in n.methods.iter().zip(&c.methods) {
        assert_eq!(squash(&a.description), squash(&b.description), "{}", a.name);
        for (x, y) in a.params.iter().zip(&b.params) {
            assert_eq!(squash(&x.description), squash(&y.description));
        }
        for (x, y) in a.faults.iter().zip(&b.faults) {
            assert_eq!(squash(&x.description), squash(&y.description));
        }
    }
    assert_eq!(squash(&n.description), squash(&c.description));
}

/// All facts of a model except locations and descriptions, one line each.
fn facts(m: &Model) -> Vec<String> {
    let mut out = Vec::new();
    for mo in &m.managed_objects {
        out.push(format!(
            "MO {} base={:?} since={:?}",
            mo.name, mo.base, mo.since
        ));
        for p in &mo.properties {
            out.push(format!(
                "  P {}:{:?}:{:?}:{:?}:{:?}",
                p.name, p.ty, p.optional, p.privilege, p.since
            ));
        }
        out.extend(
            mo.methods
                .iter()
                .map(|m| format!("  M {}", method_facts(m))),
        );
    }
    for d in &m.data_types {
        out.push(format!(
            "D {} base={:?} since={:?}",
            d.name, d.base, d.since
        ));
        for f in &d.fields {
            out.push(format!(
                "  F {}:{:?}:{:?}:{:?}",
                f.name, f.ty, f.optional, f.since
            ));
        }
    }
    for e in &m.enums {
        out.push(format!("E {} since={:?}", e.name, e.since));
    }
    out
}

/// The collapsed-layout design, tested on every page: flattening a document's whitespace
/// must not change its facts (enum values excepted: they are reported, not guessed).
#[test]
fn every_document_collapsed_keeps_its_facts() {
    let root = repo_root();
    let mut checked = 0;
    for f in documents_under(&root.join("spec/pyvmomi")).unwrap() {
        let rel = f
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let doc = read_document(&f, &rel).unwrap();
        let normal = parse_document(&doc).unwrap();
        let flat = doc
            .source
            .text
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let collapsed = parse_text(&rel, &flat).unwrap_or_else(|e| panic!("collapsed {rel}: {e}"));
        assert_eq!(facts(&normal.model), facts(&collapsed.model), "{rel}");
        let extra = usize::from(!normal.model.enums.is_empty());
        assert_eq!(
            normal.warnings.len() + extra,
            collapsed.warnings.len(),
            "{rel}: {:?}",
            collapsed.warnings
        );
        checked += 1;
    }
    assert_eq!(checked, 2754);
}

#[test]
fn collapsed_enum_is_reported_not_guessed() {
    let doc = read_document(
        &repo_root().join("spec/pyvmomi/vim/SessionManager/HttpServiceRequestSpec/Method.rst"),
        "Method.rst",
    )
    .unwrap();
    let flat = doc
        .source
        .text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let p = parse_text("Method.rst", &flat).unwrap();
    assert_eq!(p.model.enums.len(), 1);
    assert!(p.model.enums[0].values.is_empty());
    assert_eq!(p.warnings.len(), 1);
    assert!(
        p.warnings[0].message.contains("collapsed"),
        "{}",
        p.warnings[0]
    );
}

// ---------------------------------------------------------------------------------------
// Formats details
// ---------------------------------------------------------------------------------------

const MO_HEAD: &str = r#".. _str: https://docs.python.org/2/library/stdtypes.html
.. _vim.Foo: ../vim/Foo.rst
.. _vim.fault.Bad: ../vim/fault/Bad.rst
.. _VI API 2.5: ../vim/version.rst#v2

vim.Thing
=========
  A thing.

Attributes
----------
    name (`str`_):
      privilege: System.View
       The name.

Methods
-------

"#;

#[test]
fn method_blocks_and_deprecation() {
    let body = r#"Do(x, y):
   Does it. Deprecated as of vSphere API 5.0. Use Other.
  since: `VI API 2.5`_


  Privilege:
               System.View


  Args:
    x (`vim.Foo`_, optional):
       The x.


    y ([`str`_]):
       The ys. See `docs <https://example.com/y>`_ and `str`_.


  Returns:
    [`vim.Foo`_]:
         Foos.

  Raises:

    `vim.fault.Bad`_: 
       if bad.
"#;
    let text = format!("{MO_HEAD}{body}");
    let p = parse_text("Thing.rst", &text).unwrap();
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);
    let m = method(&p.model, "vim.Thing", "Do");
    assert_eq!(
        m.deprecated.as_deref(),
        Some("Deprecated as of vSphere API 5.0.")
    );
    assert_eq!(m.params[0].ty, Some(TypeRef::scalar("vim.Foo")));
    assert_eq!(m.params[0].optional, Some(true));
    assert_eq!(m.params[1].ty, Some(TypeRef::array_of("string")));
    assert_eq!(
        m.params[1].description.as_deref(),
        Some("The ys. See [docs](https://example.com/y) and str.")
    );
    let r = m.returns.as_ref().unwrap();
    assert_eq!(
        (r.ty.clone(), r.description.as_deref()),
        (Some(TypeRef::array_of("vim.Foo")), Some("Foos."))
    );
    assert_eq!(m.faults[0].name, "vim.fault.Bad");
    assert_eq!(m.faults[0].description.as_deref(), Some("if bad."));
    assert_eq!(m.source.line, 19);
    assert_eq!(m.since.as_ref().map(|v| v.label()), Some("VI API 2.5"));
    assert_eq!(m.privilege.as_deref(), Some("System.View"));
    assert_eq!(m.params[1].source.line, 33);
}

#[test]
fn method_without_returns_block_has_unknown_returns() {
    let text = format!("{MO_HEAD}Do():\n   Does it.\n");
    let p = parse_text("Thing.rst", &text).unwrap();
    let m = method(&p.model, "vim.Thing", "Do");
    assert!(m.returns.is_none());
    assert_eq!(m.privilege, None);
}

#[test]
fn unknown_sections_fields_and_stray_lines_are_warnings() {
    let text = r#".. _vmodl.DynamicData: x

vim.Foo
=======
  Foo.
:extends: vmodl.DynamicData_
:colour: blue

Attributes:
    a (`str`_):

       The a.
    stray text at the term level

Notes
-----
  whatever
"#;
    let p = parse_text("Foo.rst", text).unwrap();
    let d = p.model.data_type("vim.Foo").unwrap();
    assert_eq!(d.fields.len(), 1);
    assert_eq!(d.description.as_deref(), Some("Foo."));
    let messages: Vec<String> = p.warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(messages.len(), 3, "{messages:#?}");
    assert!(
        messages[0].contains("Foo.rst:7:1: warning: unknown field `:colour:`"),
        "{}",
        messages[0]
    );
    assert!(
        messages[1].contains("Foo.rst:13:5: warning: unexpected line in Attributes:"),
        "{}",
        messages[1]
    );
    assert!(
        messages[2].contains("Foo.rst:15:1: warning: unknown section `Notes`"),
        "{}",
        messages[2]
    );
    assert!(p.warnings.iter().all(|w| w.severity == Severity::Warning));
}

#[test]
fn version_table_page_is_not_a_type() {
    let p = parse_ok("spec/pyvmomi/vim/version.rst");
    assert_eq!(p.model, Model::default());
    assert_eq!(p.warnings.len(), 1);
}

// ---------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------

fn assert_error(e: &Diagnostic, line: u32, column: u32, message: &str) {
    assert_eq!(e.severity, Severity::Error);
    assert_eq!((e.line, e.column), (line, column), "{e}");
    assert!(e.message.contains(message), "{e}");
    assert!(e.expected.is_some() && e.found.is_some(), "{e}");
}

#[test]
fn error_empty_file() {
    let e = parse_bytes("empty.rst", b"").err().unwrap();
    assert_error(&e, 1, 1, "empty");
    let e = err_text("blank.rst", "\n   \n");
    assert_error(&e, 3, 1, "empty");
}

#[test]
fn error_no_title() {
    let e = err_text("t.rst", ".. _str: x\n\n  Some text but no title.\n");
    assert_error(&e, 3, 3, "no title");
    assert_eq!(e.found.as_deref(), Some("Some text but no title."));
    let e = err_text("t.rst", ".. _str: x\n.. _bool: y\n");
    assert_error(&e, 3, 1, "no title");
    assert_eq!(e.found.as_deref(), Some("end of document"));
    let e = err_text("t.rst", ".. _str: x\n\nAttributes\n----------\n");
    assert_error(&e, 3, 1, "no title");
}

#[test]
fn error_method_heading_without_body() {
    let text = format!("{MO_HEAD}Do():\nAgain():\n   Body.\n");
    let e = err_text("Thing.rst", &text);
    assert_error(&e, 20, 1, "method `Do` has no body");
    assert_eq!(e.found.as_deref(), Some("Again():"));

    let text = format!("{MO_HEAD}Do():\n\n");
    let e = err_text("Thing.rst", &text);
    assert_error(&e, 19, 6, "method `Do` has no body");
    assert_eq!(e.found.as_deref(), Some("end of document"));
}

#[test]
fn error_duplicate_method() {
    let text = format!("{MO_HEAD}Do():\n   Once.\n\nDo():\n   Twice.\n");
    let e = err_text("Thing.rst", &text);
    assert_error(&e, 22, 1, "method `Do` is documented twice");
}

#[test]
fn error_truncated_attributes() {
    let text = ".. _str: x\n\nvim.Foo\n=======\n  Foo.\n\nAttributes:\n    a (`str`_):\n       The a.\n    name (";
    let e = err_text("Foo.rst", text);
    assert_error(&e, 10, 11, "malformed declaration `name (`");
    assert_eq!(e.found.as_deref(), Some("end of document"));

    let text = format!(
        "{}    other ([`vim.Foo",
        &MO_HEAD[..MO_HEAD.find("Methods").unwrap()]
    );
    let e = err_text("Thing.rst", &text);
    assert_error(&e, 16, 13, "malformed declaration");
    assert_eq!(e.found.as_deref(), Some("`vim.Foo"));

    // The same cut in a collapsed document is found by the splitter.
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let e = err_text("Thing.rst", &flat);
    assert_eq!(e.line, 1);
    assert!(e.message.contains("malformed declaration"), "{e}");
}

#[test]
fn error_unknown_type_reference() {
    let text = ".. _str: x\n\nvim.Foo\n=======\n  Foo.\n\nAttributes:\n    a (`vim.Nowhere`_, optional):\n       The a.\n";
    let e = err_text("Foo.rst", text);
    assert_error(&e, 8, 8, "unknown type reference `vim.Nowhere`");
    // Python types need no target; a fault listed in Raises does.
    let text =
        format!("{MO_HEAD}Do():\n   Does.\n  Raises:\n    `vim.fault.Missing`_:\n       never.\n");
    let e = err_text("Thing.rst", &text);
    assert_error(&e, 22, 5, "unknown type reference `vim.fault.Missing`");
}

#[test]
fn error_invalid_utf8_and_non_gzip() {
    let e = parse_bytes("bad.rst", b".. _str: x\n\nvim.Foo\n=======\n  caf\xe9\n")
        .err()
        .unwrap();
    assert_eq!((e.line, e.column), (5, 6), "{e}");
    assert!(e.message.contains("UTF-8"), "{e}");
    let e = parse_bytes("bad.rst.gz", b"vim.Foo\n=======\n")
        .err()
        .unwrap();
    assert!(e.message.contains("not a gzip file"), "{e}");
    let e = parse_bytes("short.rst.gz", b"v").err().unwrap();
    assert!(e.message.contains("not a gzip file"), "{e}");

    // A real gzip stream goes through.
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(
        b".. _str: x\n\nvim.Foo\n=======\n  Foo.\n\nAttributes:\n    a (`str`_):\n       The a.\n",
    )
    .unwrap();
    let p = parse_bytes("Foo.rst.gz", &enc.finish().unwrap()).unwrap();
    assert_eq!(p.model.data_types[0].fields[0].name, "a");
}

#[test]
fn never_panics_on_truncated_input() {
    for rel in [
        "spec/pyvmomi/vim/SessionManager.rst.gz",
        "spec/docs/SessionManager.collapsed.rst",
    ] {
        let doc = read_document(&repo_root().join(rel), rel).unwrap();
        let text = &doc.source.text;
        let mut cut = 0;
        while cut < text.len() {
            if text.is_char_boundary(cut) {
                let _ = parse_text(rel, &text[..cut]);
            }
            cut += 37;
        }
    }
}

// ---------------------------------------------------------------------------------------
// The whole document set
// ---------------------------------------------------------------------------------------

#[test]
fn whole_pyvmomi_set_parses_without_errors() {
    let root = repo_root();
    let files = documents_under(&root.join("spec/pyvmomi")).unwrap();
    // Debian's python-pyvmomi-doc 6.7.1: 2,754 files, 111 of them gzip-compressed.
    assert_eq!(files.len(), 2754);
    let mut model = Model::default();
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let mut skipped = Vec::new();
    for f in &files {
        let rel = f
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        match load_file(f, &rel).unwrap_or_else(|e| panic!("{e}")) {
            Loaded::Skipped(s) => skipped.push(s.to_string()),
            Loaded::Document(doc) => match parse_document(&doc) {
                Ok(p) => {
                    warnings.extend(p.warnings);
                    model.extend(p.model);
                }
                Err(e) => errors.push(e.to_string()),
            },
        }
    }
    assert!(
        errors.is_empty(),
        "{} errors:\n{}",
        errors.len(),
        errors.join("\n")
    );
    assert_eq!(
        skipped,
        [
            "spec/pyvmomi/vim/version.rst: skipped: its title `vSphere API supported versions` \
          names no type, so it documents none"
        ]
    );
    assert_eq!(warnings, []);

    let methods: Vec<&Method> = model
        .managed_objects
        .iter()
        .flat_map(|m| &m.methods)
        .collect();
    let counts = [
        ("managed objects", model.managed_objects.len()),
        ("methods", methods.len()),
        (
            "properties",
            model
                .managed_objects
                .iter()
                .map(|m| m.properties.len())
                .sum(),
        ),
        ("parameters", methods.iter().map(|m| m.params.len()).sum()),
        (
            "documented faults",
            methods.iter().map(|m| m.faults.len()).sum(),
        ),
        (
            "methods with a Returns block",
            methods.iter().filter(|m| m.returns.is_some()).count(),
        ),
        (
            "method privileges",
            methods.iter().filter(|m| m.privilege.is_some()).count(),
        ),
        ("data types (faults included)", model.data_types.len()),
        (
            "data type fields",
            model.data_types.iter().map(|d| d.fields.len()).sum(),
        ),
        ("enums", model.enums.len()),
        (
            "enum values",
            model.enums.iter().map(|e| e.values.len()).sum(),
        ),
    ];
    let expected = [
        ("managed objects", 111),
        ("methods", 615),
        ("properties", 222),
        ("parameters", 890),
        ("documented faults", 1617),
        ("methods with a Returns block", 615),
        ("method privileges", 553),
        ("data types (faults included)", 2381),
        ("data type fields", 5297),
        ("enums", 261),
        ("enum values", 1247),
    ];
    assert_eq!(counts, expected);
    assert_eq!(files.len() - skipped.len(), 2753);
    assert!(model.fault_types.is_empty());
}
