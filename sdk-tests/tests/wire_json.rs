//! VI/JSON at the HTTP level: exact verb, path, headers and body of every `SessionManager`
//! method and property, session-header handling, typed faults and version gating.
#![allow(deprecated)]

mod common;

use common::{connected, sm_path};

use serde_json::json;
use vsphere::{
    AnyNoPermission, AnySessionManagerServiceRequestSpec, LoginError, Protocol, Secret,
    SessionManagerHttpServiceRequestSpec, TerminateSessionError,
};
use wiremock::matchers::{body_string, header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const SESSION: &str = "5fd3e2c3-session";

/// The `UserSession` body printed in the LoginExtension page (003), with values filled in.
fn user_session() -> serde_json::Value {
    json!({
        "_typeName": "UserSession",
        "key": "52b0-key",
        "userName": "VSPHERE.LOCAL\\Administrator",
        "fullName": "Administrator vsphere.local",
        "loginTime": "2024-05-01T10:00:00.123Z",
        "lastActiveTime": "2024-05-01T10:05:00Z",
        "locale": "en",
        "messageLocale": "en",
        "extensionSession": false,
        "ipAddress": "10.0.0.5",
        "userAgent": "vsphere-rs",
        "callCount": 42
    })
}

fn json_response(status: u16, body: serde_json::Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.to_string(), "application/json")
}

/// Mounts the mock of one `Login` of `administrator@vsphere.local` with password
/// `s3cret!`, answered with [`user_session`] and the session header.
async fn expect_login(server: &MockServer) {
    expect_post(
        server,
        "Login",
        Some(r#"{"userName":"administrator@vsphere.local","password":"s3cret!"}"#),
        json_response(200, user_session()).insert_header("vmware-api-session-id", SESSION),
    )
    .await;
}

/// Mounts a mock for one POST with an exact body (or no body) and returns the server's requests later.
async fn expect_post(
    server: &MockServer,
    method_name: &str,
    body: Option<&str>,
    reply: ResponseTemplate,
) {
    let mut mock = Mock::given(method("POST")).and(path(sm_path(method_name)));
    if let Some(b) = body {
        mock = mock
            .and(body_string(b.to_string()))
            .and(header("content-type", "application/json"));
    }
    mock.respond_with(reply).expect(1).mount(server).await;
}

fn last_request(requests: &[Request]) -> &Request {
    requests.last().expect("a request was sent")
}

#[tokio::test]
async fn bootstrap_picks_release_from_api_version() {
    let (server, client) = connected("8.0.2.0").await;
    assert_eq!(client.connection().protocol(), Protocol::VimJson);
    assert_eq!(client.service_content().about.api_version, "8.0.2.0");
    assert_eq!(
        client.connection().server_version().unwrap().to_string(),
        "8.0.2"
    );
    assert_eq!(
        client.session_manager().unwrap().reference().value,
        "SessionManager"
    );
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1);
    assert!(
        requests[0].body.is_empty(),
        "RetrieveServiceContent has no parameters, so no body"
    );
}

#[tokio::test]
async fn login_sends_exact_body_and_keeps_the_session_header() {
    let (server, client) = connected("8.0.2.0").await;
    let sm = client.session_manager().unwrap();
    expect_login(&server).await;
    let me = sm
        .login(
            "administrator@vsphere.local",
            &Secret::from("s3cret!"),
            None,
        )
        .await
        .unwrap();
    assert_eq!(me.user_name, "VSPHERE.LOCAL\\Administrator");
    assert_eq!(me.call_count, 42);
    assert_eq!(me.key.expose(), "52b0-key");
    assert_eq!(me.login_time.to_rfc3339(), "2024-05-01T10:00:00.123+00:00");
    assert!(
        !format!("{me:?}").contains("52b0-key"),
        "the session key is a secret"
    );

    // Later calls carry the session id.
    Mock::given(method("POST"))
        .and(path(sm_path("Logout")))
        .and(header("vmware-api-session-id", SESSION))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    sm.logout().await.unwrap();
    assert!(
        client.connection().session_id().is_none(),
        "logout forgets the session"
    );
}

#[tokio::test]
async fn optional_parameters_are_omitted_or_sent() {
    let (server, client) = connected("8.0.2.0").await;
    let sm = client.session_manager().unwrap();
    expect_post(
        &server,
        "Login",
        Some(r#"{"userName":"u","password":"p","locale":"de"}"#),
        json_response(200, user_session()),
    )
    .await;
    sm.login("u", &Secret::from("p"), Some("de")).await.unwrap();
}

/// Every other method: exact path and body, and the decoded result.
#[tokio::test]
async fn every_session_manager_method_has_its_wire_form() {
    let (server, client) = connected("8.0.2.0").await;
    let sm = client.session_manager().unwrap();
    let ticket = Secret::from("cst-VCT-1234");

    expect_post(
        &server,
        "UpdateServiceMessage",
        Some(r#"{"message":"maintenance at 6"}"#),
        ResponseTemplate::new(204),
    )
    .await;
    sm.update_service_message("maintenance at 6").await.unwrap();

    expect_post(
        &server,
        "LoginByToken",
        Some(r#"{"locale":"en"}"#),
        json_response(200, user_session()),
    )
    .await;
    assert_eq!(sm.login_by_token(Some("en")).await.unwrap().locale, "en");

    expect_post(
        &server,
        "LoginBySSPI",
        Some(r#"{"base64Token":"TlRMTVNTUAAB"}"#),
        json_response(200, user_session()),
    )
    .await;
    sm.login_by_sspi(&Secret::from("TlRMTVNTUAAB"), None)
        .await
        .unwrap();

    expect_post(
        &server,
        "AcquireLocalTicket",
        Some(r#"{"userName":"root"}"#),
        json_response(200, json!({"_typeName": "SessionManagerLocalTicket", "userName": "root", "passwordFilePath": "/var/run/ticket"})),
    )
    .await;
    let local = sm.acquire_local_ticket("root").await.unwrap();
    assert_eq!(local.password_file_path, "/var/run/ticket");

    expect_post(
        &server,
        "AcquireGenericServiceTicket",
        Some(r#"{"spec":{"_typeName":"SessionManagerHttpServiceRequestSpec","method":"httpGet","url":"https://esx/cgi-bin/vm-support.cgi"}}"#),
        json_response(200, json!({"_typeName": "SessionManagerGenericServiceTicket", "id": "ticket-1"})),
    )
    .await;
    let spec = AnySessionManagerServiceRequestSpec::from(SessionManagerHttpServiceRequestSpec {
        method: Some("httpGet".into()),
        url: "https://esx/cgi-bin/vm-support.cgi".into(),
        ..Default::default()
    });
    let generic = sm.acquire_generic_service_ticket(&spec).await.unwrap();
    assert_eq!(generic.id.expose(), "ticket-1");

    expect_post(
        &server,
        "TerminateSession",
        Some(r#"{"sessionId":["s1","s2"]}"#),
        ResponseTemplate::new(204),
    )
    .await;
    sm.terminate_session(&[Secret::from("s1"), Secret::from("s2")])
        .await
        .unwrap();

    expect_post(
        &server,
        "SetLocale",
        Some(r#"{"locale":"fr"}"#),
        ResponseTemplate::new(204),
    )
    .await;
    sm.set_locale("fr").await.unwrap();

    expect_post(
        &server,
        "LoginExtensionBySubjectName",
        Some(r#"{"extensionKey":"com.example.ext"}"#),
        json_response(200, user_session()),
    )
    .await;
    sm.login_extension_by_subject_name("com.example.ext", None)
        .await
        .unwrap();

    expect_post(
        &server,
        "LoginExtensionByCertificate",
        Some(r#"{"extensionKey":"com.example.ext","locale":"en"}"#),
        json_response(200, user_session()),
    )
    .await;
    sm.login_extension_by_certificate("com.example.ext", Some("en"))
        .await
        .unwrap();

    expect_post(
        &server,
        "ImpersonateUser",
        Some(r#"{"userName":"bob"}"#),
        json_response(200, user_session()),
    )
    .await;
    sm.impersonate_user("bob", None).await.unwrap();

    expect_post(
        &server,
        "SessionIsActive",
        Some(r#"{"sessionID":"s1","userName":"bob"}"#),
        json_response(200, json!(true)),
    )
    .await;
    assert!(sm
        .session_is_active(&Secret::from("s1"), "bob")
        .await
        .unwrap());

    expect_post(
        &server,
        "AcquireCloneTicket",
        None,
        json_response(200, json!("cst-VCT-1234")),
    )
    .await;
    let acquired = sm.acquire_clone_ticket().await.unwrap();
    assert_eq!(acquired, ticket);
    assert_eq!(format!("{acquired:?}"), "[REDACTED]");

    expect_post(
        &server,
        "CloneSession",
        Some(r#"{"cloneTicket":"cst-VCT-1234"}"#),
        json_response(200, user_session()),
    )
    .await;
    sm.clone_session(&ticket).await.unwrap();

    expect_post(
        &server,
        "LoginExtension",
        Some(r#"{"extensionKey":"com.example.ext","base64SignedCredentials":"c2lnbmVk"}"#),
        json_response(200, user_session()),
    )
    .await;
    sm.login_extension("com.example.ext", &Secret::from("c2lnbmVk"), None)
        .await
        .unwrap();

    // Every documented method was exercised (Login and Logout in their own tests).
    let methods: Vec<&str> = vsphere::meta::METHODS
        .iter()
        .filter(|m| m.managed_object == "SessionManager")
        .map(|m| m.name)
        .collect();
    assert_eq!(methods.len(), 16, "{methods:?}");
    let requests = server.received_requests().await.unwrap();
    for name in methods.iter().filter(|n| !["Login", "Logout"].contains(n)) {
        assert!(
            requests.iter().any(|r| r.url.path() == sm_path(name)),
            "{name} was not called"
        );
    }
    assert!(requests.iter().skip(1).all(|r| r.method.as_str() == "POST"));
    let _ = last_request(&requests);
}

#[tokio::test]
async fn properties_are_gets_on_their_own_path() {
    let (server, client) = connected("8.0.2.0").await;
    let sm = client.session_manager().unwrap();
    let get = |name: &str, body: serde_json::Value| {
        Mock::given(method("GET"))
            .and(path(format!(
                "/sdk/vim25/8.0.2.0/SessionManager/SessionManager/{name}"
            )))
            .respond_with(json_response(200, body))
            .expect(1)
    };
    get("sessionList", json!([user_session(), user_session()]))
        .mount(&server)
        .await;
    get("currentSession", user_session()).mount(&server).await;
    get("message", json!("hello")).mount(&server).await;
    get("messageLocaleList", json!(["en", "de"]))
        .mount(&server)
        .await;
    get("supportedLocaleList", json!(["en", "de", "fr"]))
        .mount(&server)
        .await;
    get("defaultLocale", json!("en")).mount(&server).await;

    assert_eq!(sm.session_list().await.unwrap().len(), 2);
    assert_eq!(
        sm.current_session().await.unwrap().unwrap().user_agent,
        "vsphere-rs"
    );
    assert_eq!(sm.message().await.unwrap().as_deref(), Some("hello"));
    assert_eq!(sm.message_locale_list().await.unwrap(), ["en", "de"]);
    assert_eq!(sm.supported_locale_list().await.unwrap().len(), 3);
    assert_eq!(sm.default_locale().await.unwrap().as_deref(), Some("en"));
    let props: Vec<&str> = vsphere::meta::PROPERTIES
        .iter()
        .filter(|p| p.managed_object == "SessionManager")
        .map(|p| p.name)
        .collect();
    assert_eq!(props.len(), 6);
}

#[tokio::test]
async fn unset_optional_property_is_none() {
    let (server, client) = connected("8.0.2.0").await;
    Mock::given(method("GET"))
        .and(path(
            "/sdk/vim25/8.0.2.0/SessionManager/SessionManager/currentSession",
        ))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    assert!(client
        .session_manager()
        .unwrap()
        .current_session()
        .await
        .unwrap()
        .is_none());
}

/// The `VimFault` body printed in the pages: `_typeName`, `faultCause`, `faultMessage`.
fn fault(type_name: &str, message: &str) -> serde_json::Value {
    json!({
        "_typeName": type_name,
        "faultCause": null,
        "faultMessage": [{"_typeName": "LocalizableMessage", "key": "vim.fault.X", "arg": [{"_typeName": "KeyAnyValue", "key": "user", "value": {"_typeName": "string", "_value": "bob"}}], "message": message}]
    })
}

#[tokio::test]
async fn each_documented_fault_decodes_into_its_variant() {
    let (server, client) = connected("8.0.2.0").await;
    let sm = client.session_manager().unwrap();
    for (fault_name, check) in [
        (
            "InvalidLogin",
            (|e: &LoginError| matches!(e, LoginError::InvalidLogin(_))) as fn(&LoginError) -> bool,
        ),
        ("InvalidLocale", |e| {
            matches!(e, LoginError::InvalidLocale(_))
        }),
        ("NoPermission", |e| {
            matches!(e, LoginError::NoPermission(f)
                    if matches!(&f.detail, AnyNoPermission::NoPermission(d) if d.privilege_id == "System.View"))
        }),
        (
            "NotSupported",
            |e| matches!(e, LoginError::OtherFault(f) if f.type_name == "NotSupported"),
        ),
    ] {
        server.reset().await;
        let mut body = fault(fault_name, "Cannot complete login");
        if fault_name == "NoPermission" {
            body["object"] = json!({"_typeName": "ManagedObjectReference", "type": "Folder", "value": "group-d1"});
            body["privilegeId"] = json!("System.View");
        }
        Mock::given(method("POST"))
            .and(path(sm_path("Login")))
            .respond_with(json_response(500, body))
            .expect(1)
            .mount(&server)
            .await;
        let err = sm
            .login("u", &Secret::from("wrong"), None)
            .await
            .unwrap_err();
        assert!(check(&err), "{fault_name} decoded as {err:?}");
        assert_eq!(
            err.to_string(),
            format!("{fault_name}: Cannot complete login")
        );
        assert!(!format!("{err:?}").contains("wrong"));
    }
}

#[tokio::test]
async fn terminate_session_not_found_is_typed() {
    let (server, client) = connected("8.0.2.0").await;
    let sm = client.session_manager().unwrap();
    Mock::given(method("POST"))
        .and(path(sm_path("TerminateSession")))
        .respond_with(json_response(
            500,
            fault("NotFound", "The object has already been deleted"),
        ))
        .mount(&server)
        .await;
    match sm.terminate_session(&[Secret::from("nope")]).await {
        Err(TerminateSessionError::NotFound(f)) => {
            assert_eq!(f.type_name, "NotFound");
            assert_eq!(
                f.detail.fault_message[0].message.as_deref(),
                Some("The object has already been deleted")
            );
        }
        other => panic!("expected NotFound, got {other:?}"),
    }
}

#[tokio::test]
async fn methods_newer_than_the_server_are_refused_without_a_request() {
    let (server, client) = connected("5.0").await;
    let sm = client.session_manager().unwrap();
    // LoginByToken is since vSphere API 5.1.
    let err = sm.login_by_token(None).await.unwrap_err();
    match err {
        vsphere::LoginByTokenError::Transport(vsphere::Error::Unsupported {
            item,
            since,
            server: v,
        }) => {
            assert_eq!(item, "SessionManager.LoginByToken");
            assert_eq!(since.to_string(), "5.1");
            assert_eq!(v.to_string(), "5.0");
        }
        other => panic!("expected Unsupported, got {other:?}"),
    }
    assert_eq!(
        server.received_requests().await.unwrap().len(),
        1,
        "only the bootstrap call was sent"
    );
}

#[test]
fn metadata_lists_privileges_and_since_versions() {
    let login = vsphere::meta::SESSION_MANAGER_LOGIN;
    assert_eq!(login.privilege, Some("System.Anonymous"));
    assert_eq!(login.since_label, Some("1.0"));
    let terminate = vsphere::meta::SESSION_MANAGER_TERMINATE_SESSION;
    assert_eq!(terminate.privilege, Some("Sessions.TerminateSession"));
    let privileges: std::collections::BTreeSet<&str> = vsphere::meta::METHODS
        .iter()
        .filter(|m| m.managed_object == "SessionManager")
        .filter_map(|m| m.privilege)
        .collect();
    assert!(privileges.contains("Sessions.ImpersonateUser"));
    let deprecated: Vec<&str> = vsphere::meta::METHODS
        .iter()
        .filter(|m| m.deprecated)
        .map(|m| m.name)
        .collect();
    assert!(deprecated.contains(&"LoginExtension"), "{deprecated:?}");
    // ManagedEntity declares Destroy_Task with no privilege; the subtypes' pages state
    // their own, and a role is built from those.
    let needs = vsphere::meta::privileges([
        "VirtualMachine.Destroy_Task",
        "Folder.Destroy_Task",
        "ManagedEntity.Destroy_Task",
    ])
    .unwrap();
    assert_eq!(
        needs.required,
        ["Folder.Delete", "VirtualMachine.Inventory.Delete"]
    );
    let unstated: Vec<String> = needs.unstated().map(|c| c.to_string()).collect();
    assert_eq!(unstated, ["ManagedEntity.Destroy_Task"]);
}

#[tokio::test]
async fn the_detailed_wire_log_redacts_the_password_and_summarizes_faults() {
    let (log, _guard) = common::capture_logs();
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(common::JSON_BOOTSTRAP))
        .respond_with(json_response(200, common::service_content()))
        .mount(&server)
        .await;
    let client = vsphere::Client::builder(server.uri())
        .wire_log(vsphere::WireLog::Detailed)
        .build()
        .await
        .unwrap();
    let sm = client.session_manager().unwrap();
    expect_login(&server).await;
    sm.login(
        "administrator@vsphere.local",
        &Secret::from("s3cret!"),
        None,
    )
    .await
    .unwrap();
    Mock::given(method("POST"))
        .and(path(sm_path("TerminateSession")))
        .respond_with(json_response(500, fault("NotFound", "gone")))
        .mount(&server)
        .await;
    sm.terminate_session(&[Secret::from("other-session-id")])
        .await
        .unwrap_err();

    let text = log.text();
    for secret in ["s3cret!", "52b0-key", "other-session-id", SESSION] {
        assert!(!text.contains(secret), "{secret:?} is in the log:\n{text}");
    }
    for logged in [
        // The fmt subscriber escapes the body's quotes.
        r#"body="{\"userName\":\"administrator@vsphere.local\",\"password\":\"[REDACTED]\"}""#,
        r#"body="{\"sessionId\":[\"[REDACTED]\"]}""#,
    ] {
        assert!(text.contains(logged), "{logged} is not in the log:\n{text}");
    }
    let summary = text
        .lines()
        .find(|l| l.contains("vSphere call") && l.contains("method=\"TerminateSession\""))
        .unwrap_or_else(|| panic!("no summary of TerminateSession in:\n{text}"));
    for part in [
        "vsphere::wire::json:",
        "transport=\"vi-json\"",
        "status=500",
        "fault=\"NotFound\"",
    ] {
        assert!(summary.contains(part), "{part} not in {summary}");
    }
}
