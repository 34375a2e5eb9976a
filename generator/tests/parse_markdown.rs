//! Tests for the two Markdown parsers: pyvmomi tables Markdown (`docs_md`) and
//! OpenAPI-Generator Markdown (`openapi_md`).

mod common;

use generator::diag::{Diagnostic, Severity};
use generator::model::{ManagedObject, Method, TypeRef};
use generator::parse::Parsed;

const DOCS: &str = "spec/docs/SessionManager.tables.md";
const OPENAPI: &str = "spec/docs/SessionManagerApi.openapi.md";

fn only_object(parsed: &Parsed) -> &ManagedObject {
    assert_eq!(parsed.model.managed_objects.len(), 1);
    &parsed.model.managed_objects[0]
}

fn method<'a>(mo: &'a ManagedObject, name: &str) -> &'a Method {
    mo.methods
        .iter()
        .find(|m| m.name == name)
        .unwrap_or_else(|| panic!("no method {name}"))
}

/// 1-based line of the first line containing `needle`.
fn line_of(text: &str, needle: &str) -> u32 {
    text.lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("{needle:?} not in the text")) as u32
        + 1
}

/// Column just after the last non-blank character of `line`.
fn end_column(text: &str, line: u32) -> u32 {
    text.lines()
        .nth(line as usize - 1)
        .unwrap()
        .trim_end()
        .chars()
        .count() as u32
        + 1
}

fn parse(name: &str, text: &str) -> Result<Parsed, Diagnostic> {
    common::parse_bytes(name, text.as_bytes())
}

fn error(name: &str, text: &str) -> Diagnostic {
    match parse(name, text) {
        Ok(parsed) => panic!("expected an error, got {:#?}", parsed.model),
        Err(e) => {
            assert_eq!(e.severity, Severity::Error, "{e}");
            e
        }
    }
}

fn assert_at(e: &Diagnostic, line: u32, column: u32) {
    assert_eq!((e.line, e.column), (line, column), "{e}");
}

// ---------------------------------------------------------------------------------------
// docs_md: the real document

#[test]
fn docs_md_golden() {
    let parsed = common::parse_repo_file(DOCS).unwrap();
    common::assert_golden("docs_md/SessionManager.yaml", &common::parsed_yaml(&parsed));
}

#[test]
fn docs_md_reads_the_whole_document_without_warnings() {
    let parsed = common::parse_repo_file(DOCS).unwrap();
    assert!(parsed.warnings.is_empty(), "{:#?}", parsed.warnings);
    let mo = only_object(&parsed);
    assert_eq!(mo.name, "vim.SessionManager");
    assert_eq!(mo.wire_name, "SessionManager");
    assert_eq!(mo.source.line, 1);
    assert!(mo.description.as_deref().unwrap().starts_with(
        "This managed object type includes methods for logging on and logging off clients,"
    ));
    let names: Vec<&str> = mo.methods.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "UpdateServiceMessage",
            "LoginByToken",
            "Login",
            "LoginBySSPI",
            "Logout",
            "AcquireLocalTicket",
            "AcquireGenericServiceTicket",
            "TerminateSession",
            "SetLocale",
            "LoginExtensionBySubjectName",
            "LoginExtensionByCertificate",
            "ImpersonateUser",
            "SessionIsActive",
            "AcquireCloneTicket",
            "CloneSession",
        ]
    );
}

#[test]
fn docs_md_properties() {
    let parsed = common::parse_repo_file(DOCS).unwrap();
    let mo = only_object(&parsed);
    assert_eq!(mo.properties.len(), 6);
    let p = &mo.properties[0];
    assert_eq!(p.name, "sessionList");
    assert_eq!(p.ty, Some(TypeRef::scalar("vim.UserSession")));
    assert_eq!(p.optional, Some(true));
    assert_eq!(p.privilege.as_deref(), Some("Sessions.TerminateSession"));
    assert_eq!(
        p.description.as_deref(),
        Some("The list of currently active sessions.")
    );
    assert_eq!(p.source.line, 9);
    // The table says `string` for the list properties; that is what is recorded.
    let locales = mo
        .properties
        .iter()
        .find(|p| p.name == "supportedLocaleList")
        .unwrap();
    assert_eq!(locales.ty, Some(TypeRef::scalar("string")));
    // `None` in the optional column means "not stated".
    let default_locale = mo
        .properties
        .iter()
        .find(|p| p.name == "defaultLocale")
        .unwrap();
    assert_eq!(default_locale.optional, None);
    assert!(mo
        .properties
        .iter()
        .all(|p| p.http.is_none() && p.since.is_none()));
}

#[test]
fn docs_md_methods() {
    let parsed = common::parse_repo_file(DOCS).unwrap();
    let mo = only_object(&parsed);
    assert_eq!(mo.methods.len(), 15);
    for m in &mo.methods {
        assert!(m.since.is_some(), "{} has no since", m.name);
        assert!(m.description.is_none() && m.http.is_none() && m.deprecated.is_none());
        assert!(m.params.iter().all(|p| p.optional.is_none() && !p.secret));
    }

    let login = method(mo, "Login");
    assert_eq!(login.since.as_ref().unwrap().label(), "1.0");
    assert_eq!(login.privilege.as_deref(), Some("System.Anonymous"));
    assert_eq!(login.source.line, 52);
    let params: Vec<(&str, String)> = login
        .params
        .iter()
        .map(|p| (p.name.as_str(), p.ty.as_ref().unwrap().to_string()))
        .collect();
    assert_eq!(
        params,
        [
            ("userName", "string".to_string()),
            ("password", "string".to_string()),
            ("locale", "string".to_string())
        ]
    );
    // The empty `return type` cell means unknown, not void.
    assert!(login.returns.is_none());
    let faults: Vec<(&str, Option<&str>)> = login
        .faults
        .iter()
        .map(|f| (f.name.as_str(), f.description.as_deref()))
        .collect();
    assert_eq!(
        faults,
        [
            (
                "vim.fault.InvalidLogin",
                Some("if the user and password combination is invalid.")
            ),
            (
                "vim.fault.InvalidLocale",
                Some("if the locale is invalid or unknown to the server.")
            ),
            (
                "vim.fault.NoPermission",
                Some("if the user is valid, but has no access granted.")
            ),
        ]
    );
    assert_eq!(login.faults[0].source.line, 65);

    let by_token = method(mo, "LoginByToken");
    assert_eq!(by_token.since.as_ref().unwrap().label(), "vSphere API 5.1");
    assert_eq!(
        by_token.faults[0].description.as_deref(),
        Some("if there is no token provided or the token could not be validated.")
    );

    let spec = &method(mo, "AcquireGenericServiceTicket").params[0];
    assert_eq!(
        spec.ty,
        Some(TypeRef::scalar("vim.SessionManager.ServiceRequestSpec"))
    );

    let active = method(mo, "SessionIsActive");
    assert_eq!(
        active.returns.as_ref().unwrap().ty,
        Some(TypeRef::scalar("boolean"))
    );
    let clone_ticket = method(mo, "AcquireCloneTicket");
    assert_eq!(
        clone_ticket.returns.as_ref().unwrap().ty,
        Some(TypeRef::scalar("string"))
    );
    assert!(clone_ticket.params.is_empty());
    assert_eq!(clone_ticket.since.as_ref().unwrap().label(), "VI API 2.5u2");
    // `<br>` and `<a href>` inside a fault description.
    assert_eq!(
        clone_ticket.faults[0].description.as_deref(),
        Some(
            "if the current session is not authenticated\n\nSee [[vim.SessionManager.CloneSession]]"
        )
    );
    // Runs of spaces are collapsed.
    let sspi = method(mo, "LoginBySSPI");
    assert_eq!(
        sspi.faults.iter().find(|f| f.name == "vim.fault.InvalidLogin").unwrap().description.as_deref(),
        Some("if the user context could not be passed successfully, or the context is not valid on the server.")
    );
    assert_eq!(sspi.faults.len(), 5);
    // A "description" that only repeats the fault's name says nothing.
    let impersonate = method(mo, "ImpersonateUser");
    assert!(impersonate.faults.iter().all(|f| f.description.is_none()));
    assert_eq!(impersonate.faults.len(), 2);
    // Faults from the table and the `raises` line are united.
    let subject = method(mo, "LoginExtensionBySubjectName");
    assert_eq!(subject.faults.len(), 6);
}

// ---------------------------------------------------------------------------------------
// docs_md: small documents

const DOCS_SMALL: &str = "\
vim.Foo
=======

A type with a [link](https://example.com/foo) and a [reference](vim.Bar.md).

| property | type | optional | priv | desc |
|:---------|:-----|:---------|:-----|:-----|
| <a href='p'>p</a> | [vim.Bar](vim.Bar.md \"vim.Bar\") | false | System.View | See <a href=\"vim.Foo.md#doBar\">DoBar</a>. |


DoBar([x](#string \"string\"), [y](#vim.Bar \"vim.Bar[]\"))
---------------------------------------------------------
 raises [vim.fault.NotFound](vim.fault.NotFound.md \"vim.fault.NotFound\"), [vmodl.fault.InvalidArgument](vmodl.fault.InvalidArgument.md \"vmodl.fault.InvalidArgument\")

---
| service name | DoBar |
|:--|:--|
| since version | [vSphere API 6.5](vim.version.md#None) |
| privilege    | System.View |
| return type | [vim.Bar](vim.Bar.md \"vim.Bar\") |
### Faults
| fault | description |
|:------|:------------|
| [vim.fault.NotFound](vim.fault.NotFound.md \"vim.fault.NotFound\") | if there is no bar. |
";

const DOCS_METHOD: &str = "\
Other([z](#int \"int\"))
-----------------------

| service name | Other |
|:--|:--|
| since version | None |
| privilege    | None |
| return type |  |
### Faults
| fault | description |
|:------|:------------|
";

#[test]
fn docs_md_small_document() {
    let text = format!("{DOCS_SMALL}\n\n{DOCS_METHOD}");
    let parsed = parse("x/Foo.tables.md", &text).unwrap();
    assert!(parsed.warnings.is_empty(), "{:#?}", parsed.warnings);
    let mo = only_object(&parsed);
    assert_eq!(mo.name, "vim.Foo");
    assert_eq!(
        mo.description.as_deref(),
        Some("A type with a [link](https://example.com/foo) and a [[vim.Bar]].")
    );
    let p = &mo.properties[0];
    assert_eq!(p.optional, Some(false));
    assert_eq!(p.ty, Some(TypeRef::scalar("vim.Bar")));
    assert_eq!(p.description.as_deref(), Some("See [[vim.Foo.DoBar]]."));

    let m = method(mo, "DoBar");
    assert_eq!(m.params[1].ty, Some(TypeRef::array_of("vim.Bar")));
    assert_eq!(
        m.returns.as_ref().unwrap().ty,
        Some(TypeRef::scalar("vim.Bar"))
    );
    // A fault only on the `raises` line keeps no description and comes after the table's.
    let faults: Vec<(&str, Option<&str>, u32)> = m
        .faults
        .iter()
        .map(|f| (f.name.as_str(), f.description.as_deref(), f.source.line))
        .collect();
    assert_eq!(
        faults,
        [
            (
                "vim.fault.NotFound",
                Some("if there is no bar."),
                line_of(&text, "| [vim.fault.NotFound]")
            ),
            (
                "vmodl.fault.InvalidArgument",
                None,
                line_of(&text, " raises ")
            ),
        ]
    );

    let other = method(mo, "Other");
    assert!(other.since.is_none() && other.privilege.is_none() && other.returns.is_none());
    assert_eq!(other.params[0].ty, Some(TypeRef::scalar("int")));
    assert_eq!(other.source.line, line_of(&text, "Other(["));
}

#[test]
fn docs_md_unknown_content_is_a_warning() {
    let text = format!(
        "{DOCS_SMALL}\nA stray paragraph.\n\n| a | b |\n|--|--|\n| wrong | table |\n\n| odd key | x |\n\n{}",
        DOCS_METHOD.replace("| privilege    | None |", "| privilege    | None |\n| colour | blue |")
    );
    let parsed = parse("x/Foo.tables.md", &text).unwrap();
    let lines: Vec<u32> = parsed.warnings.iter().map(|w| w.line).collect();
    assert_eq!(
        lines,
        [
            line_of(&text, "A stray paragraph."),
            line_of(&text, "| a | b |"),
            line_of(&text, "| odd key"),
            line_of(&text, "| colour"),
        ],
        "{:#?}",
        parsed.warnings
    );
    assert!(parsed
        .warnings
        .iter()
        .all(|w| w.severity == Severity::Warning));
    assert!(
        parsed.warnings[0].message.contains("paragraph"),
        "{}",
        parsed.warnings[0]
    );
    assert_eq!(only_object(&parsed).methods.len(), 2);
}

#[test]
fn docs_md_empty_file() {
    let e = error("x/Empty.tables.md", "");
    assert_at(&e, 1, 1);
    assert!(e.message.contains("empty"), "{e}");
    assert_eq!(e.found.as_deref(), Some("end of file"));
}

#[test]
fn docs_md_truncated_row() {
    let cut =
        DOCS_SMALL.find("| privilege    | System.View |").unwrap() + "| privilege    | Sys".len();
    let text = &DOCS_SMALL[..cut];
    let e = error("x/Foo.tables.md", text);
    let line = line_of(text, "| privilege    | Sys");
    assert_at(&e, line, end_column(text, line));
    assert!(e.message.contains("cut off"), "{e}");
    assert_eq!(e.expected.as_deref(), Some("`|` closing the row"));
}

#[test]
fn docs_md_table_cut_before_a_required_row() {
    let cut = DOCS_SMALL.find("| privilege    | System.View |").unwrap();
    let text = &DOCS_SMALL[..cut];
    let e = error("x/Foo.tables.md", text);
    assert_at(&e, line_of(DOCS_SMALL, "| privilege    | System.View |"), 1);
    assert!(e.message.contains("no `privilege` row"), "{e}");
    assert_eq!(e.found.as_deref(), Some("end of file"));
}

#[test]
fn docs_md_row_with_missing_cell() {
    let text = DOCS_SMALL.replace("| false | System.View | See", "| false | See");
    let e = error("x/Foo.tables.md", &text);
    let line = line_of(&text, "<a href='p'>");
    assert_at(&e, line, end_column(&text, line));
    assert!(e.message.contains("4 cell(s) where 5"), "{e}");
}

#[test]
fn docs_md_row_with_extra_cell() {
    let text = DOCS_SMALL.replace(
        "| privilege    | System.View |",
        "| privilege    | System.View | extra |",
    );
    let e = error("x/Foo.tables.md", &text);
    let line = line_of(&text, "| extra |");
    let column = text
        .lines()
        .nth(line as usize - 1)
        .unwrap()
        .find("extra")
        .unwrap() as u32
        + 1;
    assert_at(&e, line, column);
    assert!(e.message.contains("more cells"), "{e}");
}

/// A property description holding `|` (the 5.5 set's `vim.vApp.PropertyInfo.type` quotes a
/// grammar with `[ "+" | "-" ]`): the surplus cells are the description's text.
#[test]
fn docs_md_bar_in_a_property_description_stays_in_the_description() {
    let text = DOCS_SMALL.replace(
        "| See <a href=\"vim.Foo.md#doBar\">DoBar</a>. |",
        "| A sign, `+` | `-`, then <a href=\"vim.Foo.md#doBar\">DoBar</a>. |",
    );
    let parsed = parse("x/Foo.tables.md", &text).unwrap();
    assert!(parsed.warnings.is_empty(), "{:#?}", parsed.warnings);
    let p = &only_object(&parsed).properties[0];
    assert_eq!(p.privilege.as_deref(), Some("System.View"));
    assert_eq!(
        p.description.as_deref(),
        Some("A sign, `+` | `-`, then [[vim.Foo.DoBar]].")
    );
    // A row that is not closed after such a description is still cut off.
    let cut = text.replace("[[", "").replace("DoBar</a>. |", "DoBar</a>.");
    let e = error("x/Foo.tables.md", &cut);
    assert!(e.message.contains("cut off"), "{e}");
}

#[test]
fn docs_md_method_heading_without_body() {
    let text = format!("{}\n\nEmpty()\n-------\n\n\n{DOCS_METHOD}", &DOCS_SMALL);
    let e = error("x/Foo.tables.md", &text);
    assert_at(&e, line_of(&text, "Other(["), 1);
    assert!(
        e.message.contains("`Empty` has no `service name` table"),
        "{e}"
    );
    assert_eq!(e.found.as_deref(), Some("Other([z](#int \"int\"))"));

    let text = format!("{DOCS_SMALL}\n\nEmpty()\n-------\n");
    let e = error("x/Foo.tables.md", &text);
    assert_at(&e, text.lines().count() as u32 + 1, 1);
    assert_eq!(e.found.as_deref(), Some("end of file"));
}

#[test]
fn docs_md_duplicate_method() {
    let text = format!("{DOCS_SMALL}\n\n{DOCS_METHOD}\n\n{DOCS_METHOD}");
    let e = error("x/Foo.tables.md", &text);
    let second = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.starts_with("Other("))
        .nth(1)
        .unwrap()
        .0;
    assert_at(&e, second as u32 + 1, 1);
    assert!(e.message.contains("`Other` is documented twice"), "{e}");
}

#[test]
fn docs_md_parameter_without_type() {
    let text = DOCS_SMALL.replace("[x](#string \"string\")", "[x](#string)");
    let e = error("x/Foo.tables.md", &text);
    assert_at(&e, line_of(&text, "DoBar(["), 7);
    assert!(e.message.contains("parameter `x` has no type"), "{e}");

    let text = DOCS_SMALL.replace("[x](#string \"string\")", "[x](#string \"not a type\")");
    let e = error("x/Foo.tables.md", &text);
    assert_at(&e, line_of(&text, "DoBar(["), 7);
    assert!(e.message.contains("unknown type reference"), "{e}");
}

#[test]
fn docs_md_malformed_heading_and_title() {
    let text = DOCS_SMALL.replace("DoBar([x]", "DoBar [x]");
    let e = error("x/Foo.tables.md", &text);
    assert_at(&e, line_of(&text, "DoBar [x]"), 1);

    let e = error("x/Foo.tables.md", "Just a paragraph.\n");
    assert_at(&e, 1, 1);
    let e = error("x/Foo.tables.md", "not a name\n==========\n");
    assert_at(&e, 1, 1);
}

#[test]
fn docs_md_invalid_utf8() {
    let e = common::parse_bytes("x/Foo.tables.md", b"vim.Foo\n=======\n\nab\xffcd\n").unwrap_err();
    assert_at(&e, 4, 3);
    assert!(e.message.contains("UTF-8"), "{e}");
}

#[test]
fn docs_md_deep_nesting_is_an_error_not_a_crash() {
    let text = format!("vim.Foo\n=======\n\n{}x\n", ">".repeat(10_000));
    let e = error("x/Foo.tables.md", &text);
    assert_eq!(e.line, 4, "{e}");
}

// ---------------------------------------------------------------------------------------
// openapi_md: the real document

#[test]
fn openapi_md_golden() {
    let parsed = common::parse_repo_file(OPENAPI).unwrap();
    common::assert_golden(
        "openapi_md/SessionManagerApi.yaml",
        &common::parsed_yaml(&parsed),
    );
}

#[test]
fn openapi_md_methods() {
    let parsed = common::parse_repo_file(OPENAPI).unwrap();
    assert!(parsed.warnings.is_empty(), "{:#?}", parsed.warnings);
    let mo = only_object(&parsed);
    assert_eq!(
        (mo.name.as_str(), mo.wire_name.as_str()),
        ("SessionManager", "SessionManager")
    );
    assert_eq!(mo.methods.len(), 16);
    for m in &mo.methods {
        let http = m.http.as_ref().unwrap();
        assert_eq!(http.verb, "POST");
        assert_eq!(http.path, format!("/SessionManager/{{moId}}/{}", m.name));
        assert!(m.params.is_empty(), "{} has invented params", m.name);
        assert!(
            m.returns.is_some(),
            "{}: the signature states the return type",
            m.name
        );
        assert!(m.privilege.is_some(), "{} has no privilege", m.name);
    }
    assert!(mo.methods.iter().any(|m| m.name == "LoginExtension"));

    let sspi = method(mo, "LoginBySSPI");
    assert_eq!(sspi.since.as_ref().unwrap().label(), "VI API 2.5");
    assert_eq!(sspi.source.line, 981);
    assert!(sspi
        .description
        .as_deref()
        .unwrap()
        .contains("behaves like [[SessionManager.Login]]."));

    let clone_ticket = method(mo, "AcquireCloneTicket");
    let returns = clone_ticket.returns.as_ref().unwrap();
    assert_eq!(returns.ty, Some(TypeRef::scalar("string")));
    assert_eq!(
        returns.description.as_deref(),
        Some("one-time secret ticket string.")
    );
    assert_eq!(clone_ticket.since.as_ref().unwrap().label(), "VI API 2.5u2");
    assert_eq!(clone_ticket.privilege.as_deref(), Some("System.View"));
    let description = clone_ticket.description.as_deref().unwrap();
    assert!(description.starts_with("Acquire a session-specific ticket string which can be used to clone the current session. The caller"));
    assert!(description.contains("can then call [[SessionManager.CloneSession]] with"));
    assert!(!description.contains("Since") && !description.contains("Required privileges"));

    let logout = method(mo, "Logout");
    assert_eq!(logout.returns.as_ref().unwrap().ty, None, "void");
    assert_eq!(
        method(mo, "AcquireLocalTicket")
            .returns
            .as_ref()
            .unwrap()
            .ty,
        Some(TypeRef::scalar("SessionManagerLocalTicket"))
    );
    assert_eq!(
        method(mo, "SessionIsActive").returns.as_ref().unwrap().ty,
        Some(TypeRef::scalar("boolean"))
    );

    let login = method(mo, "Login");
    assert!(login.since.is_none(), "the Login section states no version");
    let faults: Vec<(&str, Option<&str>)> = login
        .faults
        .iter()
        .map(|f| (f.name.as_str(), f.description.as_deref()))
        .collect();
    assert_eq!(
        faults,
        [
            (
                "InvalidLogin",
                Some("if the user and password combination is invalid.")
            ),
            (
                "NoPermission",
                Some("if the user is valid, but has no access granted.")
            ),
            (
                "InvalidLocale",
                Some("if the locale is invalid or unknown to the server.")
            ),
        ]
    );
    assert_eq!(login.faults[0].source.line, 977);
    assert_eq!(
        login.returns.as_ref().unwrap().description.as_deref(),
        Some("The UserSession object. As of vSphere API 5.1 for VirtualCenter login use SSO style [[SessionManager.LoginByToken]]")
    );
    // `Failure` lists no faults.
    assert!(method(mo, "ImpersonateUser").faults.is_empty());

    let extension = method(mo, "LoginExtension");
    assert_eq!(
        extension.deprecated.as_deref(),
        Some("Deprecated as of vSphere API 4.0, use SSO style of login instead [[SessionManager.LoginByToken]].")
    );
    assert!(extension
        .description
        .as_deref()
        .unwrap()
        .starts_with("Creates a special privileged session that includes the Sessions.ImpersonateUser privilege. Requires exchange"));
    assert_eq!(extension.since.as_ref().unwrap().label(), "VI API 2.5");

    // Entities are decoded and doubled escapes undone.
    let subject = method(mo, "LoginExtensionBySubjectName");
    assert_eq!(
        subject.faults[0].description.as_deref(),
        Some("if the extension is not registered, or the subject name doesn't match the subject name of the extension.")
    );
    let ticket = method(mo, "AcquireGenericServiceTicket")
        .returns
        .as_ref()
        .unwrap();
    let text = ticket.description.as_deref().unwrap();
    assert!(
        text.contains("authenticating the host is [[GenericServiceTicket.sslCertificate]]."),
        "{text}"
    );
    assert!(
        text.contains("host: 1. If the VC system supports"),
        "{text}"
    );
    let yaml = common::parsed_yaml(&parsed);
    assert!(!yaml.contains("&#") && !yaml.contains("&amp;"));
}

#[test]
fn openapi_md_properties() {
    let parsed = common::parse_repo_file(OPENAPI).unwrap();
    let mo = only_object(&parsed);
    assert_eq!(mo.properties.len(), 6);
    for p in &mo.properties {
        let http = p.http.as_ref().unwrap();
        assert_eq!(http.verb, "GET");
        assert_eq!(http.path, format!("/SessionManager/{{moId}}/{}", p.name));
        assert!(p.ty.is_some() && p.privilege.is_some() && p.optional.is_none());
    }
    let names: Vec<&str> = mo.properties.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "currentSession",
            "defaultLocale",
            "message",
            "messageLocaleList",
            "sessionList",
            "supportedLocaleList"
        ]
    );
    let current = &mo.properties[0];
    assert_eq!(current.ty, Some(TypeRef::scalar("UserSession")));
    assert_eq!(
        current.description.as_deref(),
        Some("This property contains information about the client's current session. If the client is not logged on, the value is null.")
    );
    assert_eq!(mo.properties[3].ty, Some(TypeRef::array_of("string")));
    assert_eq!(mo.properties[4].ty, Some(TypeRef::array_of("UserSession")));
}

// ---------------------------------------------------------------------------------------
// openapi_md: small documents

const API_HEAD: &str = "\
# vmware_vi.FooApi

All URIs are relative to *https://localhost/sdk/vim25/8.0.1.0*

Method | HTTP request | Description
------------- | ------------- | -------------
[**foo_bar**](FooApi.md#foo_bar) | **POST** /Foo/{moId}/Bar | Does bar. 
[**foo_get_baz**](FooApi.md#foo_get_baz) | **GET** /Foo/{moId}/baz | The baz. 

";

const API_BAR: &str = "\
# **foo_bar**
> str foo_bar(mo_id, bar_request_type)

Does bar. 

Deprecated as of vSphere API 7.0, use *Foo.Qux*.  Does bar &amp; more, see *Foo.Baz* and [the docs](https://example.com/bar).  ***Since:*** vSphere API 6.5  ***Required privileges:*** System.View 

### Example

```python
print(&quot;not parsed&quot;)
```

### Parameters

Name | Type | Description  | Notes
------------- | ------------- | ------------- | -------------
 **mo_id** | **str**| The id. | 
 **bar_request_type** | [**BarRequestType**](BarRequestType.md)|  | 

### Return type

**str**

### HTTP response details
| Status code | Description | Response headers |
|-------------|-------------|------------------|
**200** | the bar.  |  -  |
**500** | ***NotFound***: if there is no bar.  ***InvalidArgument***: if the bar is bad.  |  -  |

[[Back to top]](#) [[Back to API list]](../README.md#documentation-for-api-endpoints)

";

const API_BAZ: &str = "\
# **foo_get_baz**
> List[str] foo_get_baz(mo_id)

The baz. 

The baz.  ***Required privileges:*** System.Anonymous 

### Return type

**List[str]**
";

#[test]
fn openapi_md_small_document() {
    let text = format!("{API_HEAD}{API_BAR}{API_BAZ}");
    let parsed = parse("x/FooApi.openapi.md", &text).unwrap();
    assert!(parsed.warnings.is_empty(), "{:#?}", parsed.warnings);
    let mo = only_object(&parsed);
    assert_eq!(mo.name, "Foo");
    let bar = method(mo, "Bar");
    assert_eq!(bar.source.line, line_of(&text, "# **foo_bar**"));
    assert_eq!(bar.since.as_ref().unwrap().label(), "vSphere API 6.5");
    assert_eq!(bar.privilege.as_deref(), Some("System.View"));
    assert_eq!(
        bar.deprecated.as_deref(),
        Some("Deprecated as of vSphere API 7.0, use [[Foo.Qux]].")
    );
    assert_eq!(
        bar.description.as_deref(),
        Some("Does bar.\n\nDoes bar & more, see [[Foo.Baz]] and [the docs](https://example.com/bar).")
    );
    let returns = bar.returns.as_ref().unwrap();
    assert_eq!(returns.ty, Some(TypeRef::scalar("string")));
    assert_eq!(returns.description.as_deref(), Some("the bar."));
    let faults: Vec<(&str, Option<&str>)> = bar
        .faults
        .iter()
        .map(|f| (f.name.as_str(), f.description.as_deref()))
        .collect();
    assert_eq!(
        faults,
        [
            ("NotFound", Some("if there is no bar.")),
            ("InvalidArgument", Some("if the bar is bad."))
        ]
    );
    let baz = &mo.properties[0];
    assert_eq!(baz.name, "baz");
    assert_eq!(baz.ty, Some(TypeRef::array_of("string")));
    assert_eq!(baz.privilege.as_deref(), Some("System.Anonymous"));
}

#[test]
fn openapi_md_unknown_content_is_a_warning() {
    let text = format!(
        "{API_HEAD}{}{API_BAZ}\n### Notes\n\nSomething new.\n",
        API_BAR
            .replace(
                "**200** | the bar.",
                "**404** | gone.  |  -  |\n**200** | the bar."
            )
            .replace(
                " **bar_request_type**",
                " **verbose** | **bool**| Talk more. | \n **bar_request_type**"
            )
    );
    let parsed = parse("x/FooApi.openapi.md", &text).unwrap();
    let lines: Vec<u32> = parsed.warnings.iter().map(|w| w.line).collect();
    assert_eq!(
        lines,
        [
            line_of(&text, "**verbose**"),
            line_of(&text, "**404**"),
            line_of(&text, "### Notes")
        ],
        "{:#?}",
        parsed.warnings
    );
    assert!(parsed
        .warnings
        .iter()
        .all(|w| w.severity == Severity::Warning));
}

#[test]
fn openapi_md_endpoint_without_section() {
    let text = format!("{API_HEAD}{API_BAR}");
    let parsed = parse("x/FooApi.openapi.md", &text).unwrap();
    assert_eq!(parsed.warnings.len(), 1, "{:#?}", parsed.warnings);
    assert_eq!(parsed.warnings[0].line, line_of(&text, "[**foo_get_baz**]"));
    let mo = only_object(&parsed);
    let baz = &mo.properties[0];
    assert_eq!(
        (baz.name.as_str(), baz.description.as_deref()),
        ("baz", Some("The baz."))
    );
    assert!(baz.ty.is_none());
}

#[test]
fn openapi_md_empty_file() {
    let e = error("x/FooApi.openapi.md", "");
    assert_at(&e, 1, 1);
    assert!(e.message.contains("empty"), "{e}");
}

#[test]
fn openapi_md_parameter_row_with_wrong_cell_count() {
    let text = format!("{API_HEAD}{API_BAR}{API_BAZ}").replace(
        " **bar_request_type** | [**BarRequestType**](BarRequestType.md)|  | ",
        " **bar_request_type** | [**BarRequestType**](BarRequestType.md)",
    );
    let e = error("x/FooApi.openapi.md", &text);
    let line = line_of(&text, "**bar_request_type**");
    assert_at(&e, line, end_column(&text, line));
    assert!(e.message.contains("2 cell(s) where 3"), "{e}");
}

#[test]
fn openapi_md_truncated_response_table() {
    let full = format!("{API_HEAD}{API_BAR}");
    let cut =
        full.find("**500** | ***NotFound***: if").unwrap() + "**500** | ***NotFound***: if".len();
    let text = &full[..cut];
    let e = error("x/FooApi.openapi.md", text);
    let line = line_of(text, "**500**");
    assert_at(&e, line, end_column(text, line));
    assert!(e.message.contains("cut off"), "{e}");
}

#[test]
fn openapi_md_heading_without_body() {
    let text = format!("{API_HEAD}# **foo_bar**\n\n{API_BAZ}");
    let e = error("x/FooApi.openapi.md", &text);
    assert_at(&e, line_of(&text, "# **foo_get_baz**"), 1);
    assert!(e.message.contains("`foo_bar` has no signature"), "{e}");
    assert_eq!(e.found.as_deref(), Some("# **foo_get_baz**"));
}

#[test]
fn openapi_md_duplicate_operation() {
    let text = format!("{API_HEAD}{API_BAR}{API_BAR}{API_BAZ}");
    let e = error("x/FooApi.openapi.md", &text);
    let second = text
        .lines()
        .enumerate()
        .filter(|(_, l)| *l == "# **foo_bar**")
        .nth(1)
        .unwrap()
        .0;
    assert_at(&e, second as u32 + 1, 1);
    assert!(e.message.contains("documented twice"), "{e}");

    let text = API_HEAD.replace("/Foo/{moId}/baz", "/Foo/{moId}/Bar");
    let text = format!("{text}{API_BAR}{}", API_BAZ.replace("List[str]", "str"));
    let e = error("x/FooApi.openapi.md", &text);
    assert_at(&e, line_of(&text, "# **foo_get_baz**"), 1);
    assert!(e.message.contains("`Bar` is documented twice"), "{e}");
}

#[test]
fn openapi_md_unknown_type_reference() {
    let text = format!(
        "{API_HEAD}{}{API_BAZ}",
        API_BAR.replace("> str foo_bar", "> Dict[str, Foo] foo_bar")
    );
    let e = error("x/FooApi.openapi.md", &text);
    assert_at(&e, line_of(&text, "> Dict"), 3);
    assert!(e.message.contains("unknown type reference"), "{e}");

    let text = format!(
        "{API_HEAD}{}{API_BAZ}",
        API_BAR
            .replace("> str foo_bar", "> Foo foo_bar")
            .replace("\n**str**\n", "\n[**Foo**](Bar.md)\n")
    );
    let e = error("x/FooApi.openapi.md", &text);
    assert_at(&e, line_of(&text, "[**Foo**](Bar.md)"), 1);
    assert!(e.message.contains("links to `Bar.md`"), "{e}");
}

#[test]
fn openapi_md_malformed_endpoint_and_title() {
    let text = format!(
        "{}{API_BAR}{API_BAZ}",
        API_HEAD.replace("**POST** /Foo/{moId}/Bar", "/Foo/{moId}/Bar")
    );
    let e = error("x/FooApi.openapi.md", &text);
    let line = line_of(&text, "[**foo_bar**]");
    let column = text
        .lines()
        .nth(line as usize - 1)
        .unwrap()
        .find("/Foo")
        .unwrap() as u32;
    assert_at(&e, line, column);

    let e = error("x/FooApi.openapi.md", "# Foo\n");
    assert_at(&e, 1, 1);
    let e = error(
        "x/FooApi.openapi.md",
        &format!("# vmware_vi.FooApi\n\n{API_BAR}"),
    );
    assert_at(&e, 3, 1);
    assert!(e.message.contains("no endpoint table"), "{e}");
}

#[test]
fn openapi_md_invalid_utf8() {
    let e =
        common::parse_bytes("x/FooApi.openapi.md", b"# vmware_vi.FooApi\n\xc3\x28").unwrap_err();
    assert_at(&e, 2, 1);
    assert!(e.message.contains("UTF-8"), "{e}");
}

// ---------------------------------------------------------------------------------------
// Both: size

#[test]
fn large_documents_parse() {
    let mut docs = String::from(DOCS_SMALL);
    let mut api = format!("{}\n", API_HEAD.trim_end());
    let mut sections = String::new();
    for i in 0..3000 {
        docs.push_str(&format!(
            "\n\n{}",
            DOCS_METHOD.replace("Other", &format!("Other{i}"))
        ));
        api.push_str(&format!(
            "[**foo_op{i}**](FooApi.md#foo_op{i}) | **POST** /Foo/{{moId}}/Op{i} | Op. \n"
        ));
        sections.push_str(&API_BAR.replace("foo_bar", &format!("foo_op{i}")));
    }
    let parsed = parse("x/Foo.tables.md", &docs).unwrap();
    assert_eq!(only_object(&parsed).methods.len(), 3001);
    let parsed = parse(
        "x/FooApi.openapi.md",
        &format!("{api}\n{API_BAR}{sections}{API_BAZ}"),
    )
    .unwrap();
    assert_eq!(only_object(&parsed).methods.len(), 3001);
}

#[test]
fn truncated_documents_never_panic() {
    for (rel, step) in [(DOCS, 29), (OPENAPI, 797)] {
        let text = std::fs::read_to_string(common::repo_root().join(rel)).unwrap();
        let name = rel.rsplit('/').next().unwrap();
        let mut cut = 0;
        while cut < text.len() {
            if text.is_char_boundary(cut) {
                // Ok or Err are both fine; a panic fails the test.
                let _ = parse(name, &text[..cut]);
                // Dropping a line in the middle must not panic either.
                let mut lines: Vec<&str> = text[..cut].lines().collect();
                if lines.len() > 2 {
                    lines.remove(lines.len() / 2);
                    let _ = parse(name, &lines.join("\n"));
                }
            }
            cut += step;
        }
    }
}
