//! Tests for the VI/JSON reference page parser (`*.vijson.txt`).

mod common;

use generator::diag::{Diagnostic, Severity};
use generator::model::{Method, TypeRef};
use generator::parse::Parsed;

const SSPI: &str = "spec/docs/SessionManager.LoginBySSPI.vijson.txt";
const EXTENSION: &str = "spec/docs/SessionManager.LoginExtension.vijson.txt";

fn parse_file(rel: &str) -> Parsed {
    common::parse_repo_file(rel).unwrap_or_else(|e| panic!("{e}"))
}

fn sspi_text() -> String {
    std::fs::read_to_string(common::repo_root().join(SSPI)).unwrap()
}

fn parse_text(text: &str) -> Result<Parsed, Diagnostic> {
    common::parse_bytes("page.vijson.txt", text.as_bytes())
}

fn parse_err(text: &str) -> Diagnostic {
    match parse_text(text) {
        Ok(p) => panic!("expected an error, got {:#?}", p.model),
        Err(e) => {
            assert_eq!(e.severity, Severity::Error);
            e
        }
    }
}

/// Replaces the `n`-th (1-based) line of `text`.
fn replace_line(text: &str, n: usize, new: &str) -> String {
    let mut lines: Vec<&str> = text.split('\n').collect();
    lines[n - 1] = new;
    lines.join("\n")
}

/// The first `n` lines of `text`.
fn first_lines(text: &str, n: usize) -> String {
    text.split('\n').take(n).collect::<Vec<_>>().join("\n")
}

fn only_method(parsed: &Parsed) -> &Method {
    let model = &parsed.model;
    assert_eq!(model.managed_objects.len(), 1);
    let mo = &model.managed_objects[0];
    assert_eq!(mo.methods.len(), 1);
    &mo.methods[0]
}

#[test]
fn golden_login_extension() {
    let parsed = parse_file(EXTENSION);
    common::assert_golden("vijson/LoginExtension.yaml", &common::parsed_yaml(&parsed));
}

#[test]
fn golden_login_by_sspi() {
    let parsed = parse_file(SSPI);
    common::assert_golden("vijson/LoginBySSPI.yaml", &common::parsed_yaml(&parsed));
}

#[test]
fn real_pages_parse_without_warnings() {
    for rel in [SSPI, EXTENSION] {
        let parsed = parse_file(rel);
        assert!(parsed.warnings.is_empty(), "{rel}: {:?}", parsed.warnings);
    }
}

#[test]
fn login_by_sspi_method() {
    let parsed = parse_file(SSPI);
    let mo = &parsed.model.managed_objects[0];
    assert_eq!(mo.name, "SessionManager");
    assert_eq!(mo.wire_name, "SessionManager");
    assert_eq!(mo.source.line, 22);
    let m = only_method(&parsed);
    assert_eq!(m.name, "LoginBySSPI");
    assert_eq!(m.source.file, SSPI);
    assert_eq!(m.source.line, 1);
    let http = m.http.as_ref().unwrap();
    assert_eq!(http.verb, "POST");
    assert_eq!(http.path, "/SessionManager/{moId}/LoginBySSPI");
    assert_eq!(m.privilege.as_deref(), Some("System.Anonymous"));
    assert_eq!(m.since, None);
    assert_eq!(m.deprecated, None);
    let description = m.description.as_deref().unwrap();
    assert!(description.starts_with(
        "Log on to the server using SSPI pass-through authentication.\n\nThis method provides"
    ));
    assert!(description.ends_with("see the MSDN documentation on SSPI."));
    assert_eq!(description.matches("\n\n").count(), 5);

    let names: Vec<_> = m.params.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["base64Token", "locale"]);
    assert_eq!(m.params[0].optional, Some(false));
    assert_eq!(m.params[1].optional, Some(true));
    assert_eq!(m.params[0].ty, Some(TypeRef::scalar("string")));
    assert!(!m.params[0].secret);
    assert_eq!(m.params[0].source.line, 45);
    assert!(m.params[1]
        .description
        .as_deref()
        .unwrap()
        .contains("(like \"US\").\n\nExamples are"));

    let returns = m.returns.as_ref().unwrap();
    assert_eq!(returns.ty, Some(TypeRef::scalar("UserSession")));
    assert_eq!(
        returns.description.as_deref(),
        Some("The UserSession object.\n\nAs of vSphere API 5.1 for VirtualCenter login use SSO style LoginByToken")
    );

    let faults: Vec<_> = m.faults.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(
        faults,
        [
            "SSPIChallenge",
            "InvalidLogin",
            "NoPermission",
            "InvalidLocale",
            "NotSupported"
        ]
    );
    assert_eq!(
        m.faults[0].description.as_deref(),
        Some("if further negotiation is required.")
    );
    assert_eq!(
        m.faults[4].description.as_deref(),
        Some("if the service does not support SSPI authentication.")
    );
    assert_eq!(m.faults[0].source.line, 157);
}

#[test]
fn login_extension_method() {
    let parsed = parse_file(EXTENSION);
    let m = only_method(&parsed);
    assert_eq!(m.name, "LoginExtension");
    assert_eq!(
        m.http.as_ref().unwrap().path,
        "/SessionManager/{moId}/LoginExtension"
    );
    let params: Vec<_> = m
        .params
        .iter()
        .map(|p| (p.name.as_str(), p.optional))
        .collect();
    assert_eq!(
        params,
        [
            ("extensionKey", Some(false)),
            ("base64SignedCredentials", Some(false)),
            ("locale", Some(true)),
        ]
    );
    assert_eq!(
        m.deprecated.as_deref(),
        Some("Deprecated as of vSphere API 4.0, use SSO style of login instead LoginByToken.")
    );
    let description = m.description.as_deref().unwrap();
    assert!(description.starts_with("Creates a special privileged session"));
    assert!(!description.contains("Deprecated"));
    assert!(m.faults.is_empty());
    let returns = m.returns.as_ref().unwrap();
    assert_eq!(returns.ty, Some(TypeRef::scalar("UserSession")));
    // "OK" is the page's generic placeholder, not a description of the value.
    assert_eq!(returns.description, None);
}

#[test]
fn user_session_data_type() {
    for rel in [SSPI, EXTENSION] {
        let parsed = parse_file(rel);
        assert_eq!(parsed.model.data_types.len(), 1);
        let dt = &parsed.model.data_types[0];
        assert_eq!(dt.name, "UserSession");
        assert_eq!(dt.wire_name, "UserSession");
        assert_eq!(dt.base.as_deref(), Some("DataObject"));
        let names: Vec<_> = dt.fields.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "key",
                "userName",
                "fullName",
                "loginTime",
                "lastActiveTime",
                "locale",
                "messageLocale",
                "extensionSession",
                "ipAddress",
                "userAgent",
                "callCount"
            ]
        );
        let field = |name: &str| dt.fields.iter().find(|f| f.name == name).unwrap();
        assert_eq!(field("callCount").ty, Some(TypeRef::scalar("long")));
        assert_eq!(field("loginTime").ty, Some(TypeRef::scalar("dateTime")));
        assert_eq!(
            field("extensionSession").ty,
            Some(TypeRef::scalar("boolean"))
        );
        assert_eq!(field("key").optional, Some(false));
        assert_eq!(
            field("messageLocale").description.as_deref(),
            Some("The locale used for messages for the session.\n\nIf there are no localized messages for the user-specified locale, then the server determines this locale.")
        );
        assert!(parsed.model.fault_types.is_empty());
    }
}

#[test]
fn type_lines() {
    let text = sspi_text()
        .replace(
            "string\nbase64Token\nRequired",
            "string As password\nbase64Token\nRequired",
        )
        .replace(
            "string\nlocale\nOptional",
            "array of string\nlocale\nOptional",
        )
        .replace(
            "string\nkey\nRequired",
            "integer As int32 As int32\nkey\nOptional",
        )
        .replace("string\nuserName\nRequired", "number\nuserName\nRequired")
        .replace(
            "string\nfullName\nRequired",
            "ManagedObjectReference[]\nfullName\nRequired",
        )
        .replace(
            "string\nipAddress\nRequired",
            "integer\nipAddress\nRequired",
        )
        .replace(
            "string\nuserAgent\nRequired",
            "Description\nuserAgent\nRequired",
        );
    let parsed = parse_text(&text).unwrap();
    assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
    let m = only_method(&parsed);
    assert!(m.params[0].secret);
    assert_eq!(m.params[0].ty, Some(TypeRef::scalar("string")));
    assert_eq!(m.params[1].ty, Some(TypeRef::array_of("string")));
    assert!(!m.params[1].secret);
    let dt = &parsed.model.data_types[0];
    let ty = |name: &str| {
        let f = dt.fields.iter().find(|f| f.name == name).unwrap();
        f.ty.clone().unwrap()
    };
    assert_eq!(ty("key"), TypeRef::scalar("int"));
    assert_eq!(dt.fields[0].optional, Some(true));
    assert_eq!(ty("userName"), TypeRef::scalar("double"));
    assert_eq!(ty("fullName"), TypeRef::array_of("ManagedObjectReference"));
    assert_eq!(ty("ipAddress"), TypeRef::scalar("int"));
    assert_eq!(ty("userAgent"), TypeRef::scalar("Description"));
}

#[test]
fn unknown_format_is_a_warning() {
    let text = sspi_text().replace(
        "string\nbase64Token\nRequired",
        "string As email\nbase64Token\nRequired",
    );
    let parsed = parse_text(&text).unwrap();
    assert_eq!(parsed.warnings.len(), 1, "{:?}", parsed.warnings);
    let w = &parsed.warnings[0];
    assert_eq!(w.severity, Severity::Warning);
    assert_eq!((w.line, w.column), (45, 1));
    assert!(w.message.contains("As email"), "{w}");
    assert_eq!(
        only_method(&parsed).params[0].ty,
        Some(TypeRef::scalar("string"))
    );
}

#[test]
fn unrecognised_text_is_a_warning_not_a_drop() {
    let text = sspi_text()
        .replace("Authentication\n", "Mystery Block\n\nAuthentication\n")
        .replace(
            "authentication methods.\n",
            "authentication methods.\nsession_id (header)\n",
        )
        .replace(
            "500\n\nSSPIChallenge",
            "500\n\nSomething odd\n\nSSPIChallenge",
        )
        .replace(
            "NotSupported: if the service",
            "Something odd here\n\nNotSupported: if the service",
        );
    let parsed = parse_text(&text).unwrap();
    let warnings: Vec<_> = parsed
        .warnings
        .iter()
        .map(|w| (w.line, w.column, w.message.as_str()))
        .collect();
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert_eq!(warnings[0].0, 63);
    assert!(
        warnings[0].2.contains("session_id (header)"),
        "{warnings:?}"
    );
    assert_eq!(warnings[1].0, 160);
    assert!(warnings[1].2.contains("Something odd"), "{warnings:?}");
    // "Mystery Block" follows the locale description: it stays in that description.
    let m = only_method(&parsed);
    assert!(m.params[1]
        .description
        .as_deref()
        .unwrap()
        .ends_with("\n\nMystery Block"));
    // A paragraph after a fault line continues that fault's description.
    assert_eq!(m.faults.len(), 5);
    assert_eq!(
        m.faults[3].description.as_deref(),
        Some("if the locale is invalid or unknown to the server.\n\nSomething odd here")
    );
}

#[test]
fn unknown_top_level_text_and_path_parameters_warn() {
    let text = sspi_text()
        .replace("COPY\n", "COPY\nSome banner text\n\n")
        .replace(
            "string\nrelease\nRequired",
            "string\nrelease\nRequired\n\nThe release.\n\nstring\nextra\nOptional",
        );
    let parsed = parse_text(&text).unwrap();
    let warnings: Vec<_> = parsed
        .warnings
        .iter()
        .map(|w| (w.line, w.column, w.message.clone()))
        .collect();
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert_eq!(warnings[0].0, 24);
    assert!(warnings[0].2.contains("Some banner text"), "{warnings:?}");
    assert!(
        warnings[1].2.contains("path parameter `extra`"),
        "{warnings:?}"
    );
    assert_eq!(only_method(&parsed).params.len(), 2);
}

#[test]
fn void_method_and_since() {
    let text = "Session Manager Logout\n\nSession Manager Logout\n\nLog out and terminate the current session.\n\nSince: vSphere API 5.1\n\nRequired privileges: System.View\n\nRequest\nURI\nPOST\nhttps://{vcenter-host}/sdk/vim25/{release}/SessionManager/{moId}/Logout\nCOPY\nPath Parameters\nstring\nmoId\nRequired\n\nThe id.\n\nstring\nrelease\nRequired\n\nThe release.\n\nAuthentication\nThis operation uses the following authentication methods.\nResponses\n204\n\nNo Content\n\n500\n\nFailure\n\nReturns VimFault of type(s) application/json\nThis response body class contains all of the following: MethodFault\n{\n    \"_typeName\": \"string\"\n}\n";
    let parsed = parse_text(text).unwrap();
    assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
    let m = only_method(&parsed);
    assert_eq!(m.name, "Logout");
    assert!(m.params.is_empty());
    let returns = m.returns.as_ref().unwrap();
    assert_eq!(returns.ty, None);
    assert_eq!(returns.description.as_deref(), Some("No Content"));
    assert_eq!(m.since.as_ref().map(|v| v.label()), Some("vSphere API 5.1"));
    assert_eq!(
        m.description.as_deref(),
        Some("Log out and terminate the current session.")
    );
    assert!(m.faults.is_empty());
    assert!(parsed.model.data_types.is_empty());
}

#[test]
fn property_page() {
    let text = "Session Manager Message\n\nSession Manager Message\n\nThe system global message from the server.\n\nRequired privileges: System.View\n\nRequest\nURI\nGET\nhttps://{vcenter-host}/sdk/vim25/{release}/SessionManager/{moId}/message\nCOPY\nPath Parameters\nstring\nmoId\nRequired\n\nThe id.\n\nAuthentication\nThis operation uses the following authentication methods.\nResponses\n200\n\nOK\n\nReturns string of type(s) application/json\n\"string\"\n\n500\n\nFailure\n";
    let parsed = parse_text(text).unwrap();
    assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
    let mo = &parsed.model.managed_objects[0];
    assert!(mo.methods.is_empty());
    assert_eq!(mo.properties.len(), 1);
    let p = &mo.properties[0];
    assert_eq!(p.name, "message");
    assert_eq!(p.ty, Some(TypeRef::scalar("string")));
    assert_eq!(p.privilege.as_deref(), Some("System.View"));
    assert_eq!(p.http.as_ref().unwrap().verb, "GET");
    assert!(parsed.model.data_types.is_empty());
}

// ----- errors ----------------------------------------------------------------------------

#[test]
fn empty_file_is_an_error() {
    let e = parse_err("");
    assert_eq!((e.line, e.column), (1, 1));
    assert!(e.message.contains("empty"), "{e}");
    assert_eq!(e.file, "page.vijson.txt");
    let e = parse_err("\n  \n");
    assert_eq!((e.line, e.column), (3, 1));
    assert_eq!(e.found.as_deref(), Some("end of file"));
}

#[test]
fn missing_uri_block_is_an_error() {
    let text = sspi_text().replace(
        "Request\nURI\nPOST\nhttps://{vcenter-host}/sdk/vim25/{release}/SessionManager/{moId}/LoginBySSPI\nCOPY\n",
        "",
    );
    let e = parse_err(&text);
    assert_eq!((e.line, e.column), (19, 1), "{e}");
    assert!(e.message.contains("URI"), "{e}");
    assert_eq!(e.found.as_deref(), Some("Path Parameters"));
    assert!(e.expected.is_some());

    // Only a title and prose: the error is at the end of the file.
    let e = parse_err("Title\n\nSome text.\n");
    assert_eq!((e.line, e.column), (4, 1), "{e}");
    assert_eq!(e.found.as_deref(), Some("end of file"));
}

#[test]
fn bad_url_and_verb_are_errors() {
    let text = replace_line(&sspi_text(), 21, "FETCH");
    let e = parse_err(&text);
    assert_eq!((e.line, e.column), (21, 1), "{e}");
    let text = replace_line(
        &sspi_text(),
        22,
        "https://{vcenter-host}/sdk/vim25/{release}/SessionManager/LoginBySSPI",
    );
    let e = parse_err(&text);
    assert_eq!((e.line, e.column), (22, 43), "{e}");
}

#[test]
fn type_line_without_name_is_an_error() {
    // Second request body field: `string` then straight to `Optional`.
    let text = sspi_text().replace("string\nlocale\nOptional", "string\nOptional");
    let e = parse_err(&text);
    assert_eq!((e.line, e.column), (52, 1), "{e}");
    assert!(e.message.contains("not followed by a field name"), "{e}");
    assert_eq!(e.found.as_deref(), Some("Optional"));
    // First field after the JSON example.
    let text = sspi_text().replace("string\nbase64Token\nRequired", "string\nRequired");
    let e = parse_err(&text);
    assert_eq!((e.line, e.column), (46, 1), "{e}");
}

#[test]
fn truncated_field_is_an_error() {
    let text = first_lines(&sspi_text(), 46);
    let e = parse_err(&text);
    assert_eq!((e.line, e.column), (46, 12), "{e}");
    assert!(e.message.contains("base64Token"), "{e}");
    assert_eq!(e.expected.as_deref(), Some("`Required` or `Optional`"));
    assert_eq!(e.found.as_deref(), Some("end of file"));
    // A blank line where `Required` should be.
    let text = replace_line(&sspi_text(), 47, "");
    let e = parse_err(&text);
    assert_eq!((e.line, e.column), (47, 1), "{e}");
}

#[test]
fn unknown_type_is_an_error() {
    let text = replace_line(&sspi_text(), 45, "strnig");
    let e = parse_err(&text);
    assert_eq!((e.line, e.column), (45, 1), "{e}");
    assert!(e.message.contains("strnig"), "{e}");
    assert_eq!(e.found.as_deref(), Some("strnig"));
    // In a response field list too.
    let text = replace_line(&sspi_text(), 148, "  integr As int64");
    let e = parse_err(&text);
    assert_eq!((e.line, e.column), (148, 3), "{e}");
    // And as the response type.
    let text = replace_line(
        &sspi_text(),
        68,
        "Returns user session of type(s) application/json",
    );
    let e = parse_err(&text);
    assert_eq!((e.line, e.column), (68, 9), "{e}");
}

#[test]
fn duplicate_field_is_an_error() {
    let text = sspi_text().replace("string\nuserName\nRequired", "string\nkey\nRequired");
    let e = parse_err(&text);
    assert_eq!((e.line, e.column), (91, 1), "{e}");
    assert!(e.message.contains("duplicate field `key`"), "{e}");
}

#[test]
fn unterminated_json_is_an_error() {
    let text = first_lines(&sspi_text(), 43);
    let e = parse_err(&text);
    assert_eq!((e.line, e.column), (41, 1), "{e}");
}

#[test]
fn invalid_utf8_is_an_error() {
    let mut bytes = b"Session Manager Login By SSPI\n\nLog on \xff here\n".to_vec();
    bytes.extend_from_slice(sspi_text().as_bytes());
    let e = common::parse_bytes("SessionManager.LoginBySSPI.vijson.txt", &bytes).unwrap_err();
    assert_eq!(e.severity, Severity::Error);
    assert_eq!((e.line, e.column), (3, 8), "{e}");
    assert!(e.message.contains("UTF-8"), "{e}");
}

#[test]
fn crlf_line_endings_parse_the_same() {
    let lf = parse_file(SSPI);
    let crlf = parse_text(&sspi_text().replace('\n', "\r\n")).unwrap();
    assert!(crlf.warnings.is_empty(), "{:?}", crlf.warnings);
    assert_eq!(only_method(&crlf).params, {
        let mut params = only_method(&lf).params.clone();
        for p in &mut params {
            p.source.file = "page.vijson.txt".to_string();
        }
        params
    });
    assert_eq!(
        crlf.model.data_types[0].fields.len(),
        lf.model.data_types[0].fields.len()
    );
}

#[test]
fn large_page_parses_in_linear_time() {
    let text = sspi_text();
    let (head, tail) = text.split_at(text.find("\n\n500\n").unwrap());
    let mut big = head.to_string();
    for n in 0..20_000 {
        big.push_str(&format!(
            "\n\ninteger As int32\nfield{n}\nOptional\n\nField number {n}.\nSecond line."
        ));
    }
    big.push_str(tail);
    let started = std::time::Instant::now();
    let parsed = parse_text(&big).unwrap();
    assert!(started.elapsed().as_secs() < 10);
    assert!(parsed.warnings.is_empty(), "{:?}", &parsed.warnings[..1]);
    let fields = &parsed.model.data_types[0].fields;
    assert_eq!(fields.len(), 11 + 20_000);
    assert_eq!(
        fields[11].description.as_deref(),
        Some("Field number 0. Second line.")
    );
    assert_eq!(fields[11].ty, Some(TypeRef::scalar("int")));
}

#[test]
fn title_not_matching_the_url_warns() {
    let text = replace_line(&sspi_text(), 1, "Session Manager Login");
    let parsed = parse_text(&text).unwrap();
    assert_eq!(parsed.warnings.len(), 1, "{:?}", parsed.warnings);
    let w = &parsed.warnings[0];
    assert_eq!((w.line, w.column), (1, 1));
    assert!(w.message.contains("LoginBySSPI"), "{w}");
    // The repeated title no longer matches the first line, so it becomes description.
    let m = only_method(&parsed);
    assert!(m
        .description
        .as_deref()
        .unwrap()
        .starts_with("Session Manager Login By SSPI\n\nLog on"));
}
