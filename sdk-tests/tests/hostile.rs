//! Hostile servers and careless callers: every broken, oversized, slow, mistyped or
//! untrusted answer ends in a typed error (the exact `vsphere::Error` or per-method error
//! variant is asserted), never a panic or a hang. VI/JSON and SOAP alike; the servers are
//! wiremock where it can say what is needed, and raw `TcpListener`s on 127.0.0.1 (with
//! rustls for TLS) where it cannot: silence, stalls, chunked floods, lying
//! `Content-Length`s and certificates.
//!
//! How unknown `_typeName`s decode (documented here, asserted below):
//! - as a fault: the method's `OtherFault`, carrying the name as sent;
//! - as a known fault whose body does not fit the fault type: `OtherFault` too;
//! - where a specific data type is expected (a method's result, a field): as that type —
//!   serde ignores the `_typeName` tag of a struct on input and skips unknown fields, and
//!   a SOAP struct read ignores `xsi:type` the same way;
//! - where an `Any…` enum is expected: as the enum's base variant (both protocols);
//! - either way, a required field the value lacks is a typed `Error::Decode`;
//! - inside an `anyType` (`AnyValue`): kept as sent, with its type name; decoding it as
//!   something it is not is `Error::Decode`.
#![allow(deprecated)]

mod common;

use common::{service_content, sm_path, JSON_BOOTSTRAP};

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use serde_json::json;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpSocket, TcpStream};
use vsphere::{
    AcquireGenericServiceTicketError, AnyNoPermission, AnySessionManagerServiceRequestSpec, Client,
    Error, LoginError, Protocol, Secret, SessionManagerHttpServiceRequestSpec,
    SessionManagerServiceRequestSpec, TerminateSessionError,
};
use vsphere_runtime::{Many, One};
use wiremock::matchers::{body_string_contains, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

// ---------------------------------------------------------------------------------------
// Fixtures

fn user_session() -> serde_json::Value {
    json!({
        "_typeName": "UserSession",
        "key": "52b0-key", "userName": "u", "fullName": "U",
        "loginTime": "2024-05-01T10:00:00Z", "lastActiveTime": "2024-05-01T10:05:00Z",
        "locale": "en", "messageLocale": "en", "extensionSession": false,
        "ipAddress": "10.0.0.5", "userAgent": "vsphere-rs", "callCount": 1
    })
}

fn json_reply(status: u16, body: impl Into<String>) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.into(), "application/json")
}

fn soap_envelope(body: &str) -> String {
    format!(
        concat!(
            r#"<?xml version="1.0" encoding="UTF-8"?>"#,
            r#"<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/""#,
            r#" xmlns:xsd="http://www.w3.org/2001/XMLSchema""#,
            r#" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">"#,
            "<soapenv:Body>{}</soapenv:Body></soapenv:Envelope>"
        ),
        body
    )
}

fn soap_service_content() -> String {
    soap_envelope(concat!(
        r#"<RetrieveServiceContentResponse xmlns="urn:vim25"><returnval>"#,
        r#"<rootFolder type="Folder">group-d1</rootFolder>"#,
        r#"<propertyCollector type="PropertyCollector">propertyCollector</propertyCollector>"#,
        "<about><name>VMware vCenter Server</name><fullName>VMware vCenter Server 8.0.2</fullName>",
        "<vendor>VMware, Inc.</vendor><version>8.0.2</version><build>1</build>",
        "<osType>linux-x64</osType><productLineId>vpx</productLineId>",
        "<apiType>VirtualCenter</apiType><apiVersion>8.0.2.0</apiVersion></about>",
        r#"<sessionManager type="SessionManager">SessionManager</sessionManager>"#,
        "</returnval></RetrieveServiceContentResponse>"
    ))
}

/// A `LoginResponse` whose `returnval` has the given attributes and inner XML.
fn soap_login_response(attrs: &str, inner: &str) -> String {
    soap_envelope(&format!(
        r#"<LoginResponse xmlns="urn:vim25"><returnval{attrs}>{inner}</returnval></LoginResponse>"#
    ))
}

const SOAP_USER_SESSION: &str = concat!(
    "<key>52b0-key</key><userName>u</userName><fullName>U</fullName>",
    "<loginTime>2024-05-01T10:00:00Z</loginTime><lastActiveTime>2024-05-01T10:05:00Z</lastActiveTime>",
    "<locale>en</locale><messageLocale>en</messageLocale><extensionSession>false</extensionSession>",
    "<ipAddress>10.0.0.5</ipAddress><userAgent>vsphere-rs</userAgent><callCount>1</callCount>"
);

fn soap_fault(code: &str, message: &str, detail: Option<&str>) -> String {
    let detail = detail.map_or(String::new(), |d| format!("<detail>{d}</detail>"));
    soap_envelope(&format!(
        "<soapenv:Fault><faultcode>{code}</faultcode><faultstring>{message}</faultstring>{detail}</soapenv:Fault>"
    ))
}

fn xml_reply(status: u16, body: impl Into<String>) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.into(), "text/xml; charset=utf-8")
}

const HTML_PAGE: &str = "<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1><p>nginx</p></body></html>";

fn html_reply(status: u16) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(HTML_PAGE, "text/html")
}

// ---------------------------------------------------------------------------------------
// wiremock servers: a valid bootstrap, then the hostile answer for the call under test

/// A VI/JSON server that bootstraps, and a client built on it.
async fn json_server(limit: Option<usize>) -> (MockServer, Client) {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(JSON_BOOTSTRAP))
        .respond_with(json_reply(200, service_content().to_string()))
        .expect(1)
        .mount(&server)
        .await;
    let mut builder = Client::builder(server.uri());
    if let Some(limit) = limit {
        builder = builder.max_body_bytes(limit);
    }
    let client = builder.build().await.expect("bootstrap");
    (server, client)
}

/// A SOAP server that bootstraps (POST /sdk), and a client built on it.
async fn soap_server(limit: Option<usize>) -> (MockServer, Client) {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/sdk"))
        .and(body_string_contains("<RetrieveServiceContent "))
        .respond_with(xml_reply(200, soap_service_content()))
        .expect(1)
        .mount(&server)
        .await;
    let mut builder = Client::builder(format!("{}/sdk", server.uri())).protocol(Protocol::Soap);
    if let Some(limit) = limit {
        builder = builder.max_body_bytes(limit);
    }
    let client = builder.build().await.expect("bootstrap over SOAP");
    (server, client)
}

async fn login(client: &Client) -> Result<vsphere::UserSession, LoginError> {
    client
        .session_manager()
        .unwrap()
        .login("u", &Secret::from("pw"), None)
        .await
}

/// The error of `Login` when the server answers it with `reply` over `protocol`.
async fn login_error_with_limit(
    protocol: Protocol,
    reply: ResponseTemplate,
    limit: Option<usize>,
) -> LoginError {
    let (server, client) = match protocol {
        Protocol::VimJson => json_server(limit).await,
        Protocol::Soap => soap_server(limit).await,
    };
    let mock = match protocol {
        Protocol::VimJson => Mock::given(method("POST")).and(path(sm_path("Login"))),
        Protocol::Soap => Mock::given(method("POST"))
            .and(path("/sdk"))
            .and(body_string_contains("<Login ")),
    };
    mock.respond_with(reply).expect(1).mount(&server).await;
    login(&client)
        .await
        .expect_err("a hostile answer is an error")
}

async fn login_error(protocol: Protocol, reply: ResponseTemplate) -> LoginError {
    login_error_with_limit(protocol, reply, None).await
}

/// The error of building a client when the server answers the bootstrap with `reply`.
async fn bootstrap_error(protocol: Protocol, reply: ResponseTemplate) -> Error {
    let server = MockServer::start().await;
    let (mock, url) = match protocol {
        Protocol::VimJson => (
            Mock::given(method("POST")).and(path(JSON_BOOTSTRAP)),
            server.uri(),
        ),
        Protocol::Soap => (
            Mock::given(method("POST")).and(path("/sdk")),
            format!("{}/sdk", server.uri()),
        ),
    };
    mock.respond_with(reply).expect(1).mount(&server).await;
    Client::builder(url)
        .protocol(protocol)
        .build()
        .await
        .expect_err("a hostile bootstrap answer is an error")
}

fn is_decode(e: &Error) -> bool {
    matches!(e, Error::Decode { .. })
}

fn decode_message(e: &LoginError) -> &str {
    match e {
        LoginError::Transport(Error::Decode { context, message }) => {
            assert_eq!(context, "Login");
            message
        }
        other => panic!("expected Transport(Decode), got {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------
// Raw servers, for what wiremock cannot do

/// What a raw server does with one request (numbered from 0 across connections).
enum Reply {
    /// Writes these bytes and waits for the next request on the connection.
    Send(Vec<u8>),
    /// Writes these bytes, then holds the connection open without another byte.
    SendThenHang(Vec<u8>),
    /// Never answers; holds the connection open.
    Hang,
    /// Closes the connection without answering.
    Close,
    /// Writes these bytes, then closes the connection (keep-alive not honoured).
    SendThenClose(Vec<u8>),
    /// A chunked body: the head, then at most `max` chunks of `chunk` until the client
    /// goes away.
    Chunked {
        head: Vec<u8>,
        chunk: Vec<u8>,
        max: usize,
    },
}

type Script = Arc<dyn Fn(usize) -> Reply + Send + Sync>;

fn http_response(status: u16, content_type: &str, body: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 {status} X\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

fn json_bootstrap_bytes() -> Vec<u8> {
    http_response(200, "application/json", &service_content().to_string())
}

fn soap_bootstrap_bytes() -> Vec<u8> {
    http_response(200, "text/xml; charset=utf-8", &soap_service_content())
}

/// Reads one request (head and `Content-Length` body); `None` when the peer closed.
async fn read_request<S: AsyncRead + Unpin>(stream: &mut S) -> Option<Vec<u8>> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
            let length = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok())
                .unwrap_or(0);
            if buf.len() >= end + 4 + length {
                return Some(buf);
            }
        }
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

async fn serve<S: AsyncRead + AsyncWrite + Unpin>(
    mut stream: S,
    script: Script,
    count: Arc<AtomicUsize>,
) {
    while read_request(&mut stream).await.is_some() {
        match script(count.fetch_add(1, Ordering::SeqCst)) {
            Reply::Send(bytes) => {
                if stream.write_all(&bytes).await.is_err() {
                    return;
                }
            }
            Reply::SendThenHang(bytes) => {
                let _ = stream.write_all(&bytes).await;
                std::future::pending::<()>().await;
            }
            Reply::Hang => std::future::pending::<()>().await,
            Reply::Close => return,
            Reply::SendThenClose(bytes) => {
                let _ = stream.write_all(&bytes).await;
                return;
            }
            Reply::Chunked { head, chunk, max } => {
                if stream.write_all(&head).await.is_err() {
                    return;
                }
                let mut framed = format!("{:x}\r\n", chunk.len()).into_bytes();
                framed.extend_from_slice(&chunk);
                framed.extend_from_slice(b"\r\n");
                for _ in 0..max {
                    if stream.write_all(&framed).await.is_err() {
                        return;
                    }
                }
                let _ = stream.write_all(b"0\r\n\r\n").await;
                return;
            }
        }
    }
}

/// A plain-HTTP server on 127.0.0.1 answering by `script`; returns its base URL. It lives
/// as long as the test's runtime.
async fn raw_server(script: impl Fn(usize) -> Reply + Send + Sync + 'static) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let script: Script = Arc::new(script);
    let count = Arc::new(AtomicUsize::new(0));
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(serve(stream, Arc::clone(&script), Arc::clone(&count)));
        }
    });
    format!("http://{addr}")
}

/// The bootstrap answer for request 0, then `then` for every later request.
fn after_bootstrap(
    protocol: Protocol,
    then: impl Fn() -> Reply + Send + Sync + 'static,
) -> impl Fn(usize) -> Reply + Send + Sync + 'static {
    move |n| match (n, protocol) {
        (0, Protocol::VimJson) => Reply::Send(json_bootstrap_bytes()),
        (0, Protocol::Soap) => Reply::Send(soap_bootstrap_bytes()),
        _ => then(),
    }
}

fn url_for(base: &str, protocol: Protocol) -> String {
    match protocol {
        Protocol::VimJson => base.to_string(),
        Protocol::Soap => format!("{base}/sdk"),
    }
}

const BOTH: [Protocol; 2] = [Protocol::VimJson, Protocol::Soap];

// ---------------------------------------------------------------------------------------
// Truncated and malformed bodies

#[tokio::test]
async fn truncated_json_is_a_decode_error() {
    let body = user_session().to_string();
    let err = login_error(Protocol::VimJson, json_reply(200, &body[..body.len() / 2])).await;
    let message = decode_message(&err);
    assert!(message.contains("EOF"), "{message}");

    // No value at all where one is required.
    for body in ["", "null", "  \n"] {
        let message = decode_message(&login_error(Protocol::VimJson, json_reply(200, body)).await)
            .to_string();
        assert!(message.contains("null"), "{body:?}: {message}");
    }

    let body = service_content().to_string();
    let err = bootstrap_error(Protocol::VimJson, json_reply(200, &body[..40])).await;
    assert!(
        matches!(&err, Error::Decode { context, .. } if context == "RetrieveServiceContent"),
        "{err:?}"
    );
}

#[tokio::test]
async fn truncated_or_unparsable_json_faults_are_decode_errors() {
    for body in [
        r#"{"_typeName":"InvalidLogin","faultMessage":[{"#,
        r#"{"faultMessage":[]}"#,
        "[1,2,3]",
    ] {
        let err = login_error(Protocol::VimJson, json_reply(500, body)).await;
        assert!(
            matches!(&err, LoginError::Transport(e) if is_decode(e)),
            "{body}: {err:?}"
        );
    }
}

#[tokio::test]
async fn json_nested_beyond_the_recursion_limit_is_a_decode_error() {
    // In an anyType field (the only place that takes any shape)…
    let deep = format!("{}1{}", "[".repeat(100_000), "]".repeat(100_000));
    let body = user_session().to_string().replacen(
        "\"_typeName\":\"UserSession\"",
        &format!(
            "\"_typeName\":\"UserSession\",\"dynamicProperty\":[{{\"name\":\"x\",\"val\":{deep}}}]"
        ),
        1,
    );
    let message =
        decode_message(&login_error(Protocol::VimJson, json_reply(200, body)).await).to_string();
    assert!(message.contains("recursion limit"), "{message}");

    // …and in a fault: a faultCause chain far deeper than the parser allows (built as
    // text: a `serde_json::Value` that deep would overflow this test's own stack).
    let depth = 50_000;
    let fault = format!(
        "{}{{\"_typeName\":\"InvalidLogin\"}}{}",
        r#"{"_typeName":"InvalidLogin","faultCause":{"_typeName":"LocalizedMethodFault","fault":"#
            .repeat(depth),
        "}}".repeat(depth)
    );
    let err = login_error(Protocol::VimJson, json_reply(500, fault)).await;
    assert!(
        matches!(&err, LoginError::Transport(Error::Decode { message, .. }) if message.contains("recursion limit")),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_deep_but_allowed_fault_cause_chain_decodes() {
    // 60 causes (120 JSON levels) are within serde_json's limit of 128.
    let mut fault = json!({"_typeName": "InvalidLogin"});
    for _ in 0..60 {
        fault = json!({"_typeName": "InvalidLogin", "faultCause": {"_typeName": "LocalizedMethodFault", "fault": fault}});
    }
    match login_error(Protocol::VimJson, json_reply(500, fault.to_string())).await {
        LoginError::InvalidLogin(f) => {
            let mut depth = 0;
            let mut cause = f.detail.fault_cause.as_deref();
            while let Some(c) = cause {
                depth += 1;
                cause = c.fault.fault_cause.as_deref();
            }
            assert_eq!(depth, 60);
        }
        other => panic!("expected InvalidLogin, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------
// Unknown type names

#[tokio::test]
async fn unknown_fault_type_is_the_methods_other_fault() {
    let body = json!({
        "_typeName": "FutureVimFault",
        "faultMessage": [{"_typeName": "LocalizableMessage", "key": "k", "message": "from the future"}],
        "someNewField": {"_typeName": "FutureType", "x": 1}
    });
    match login_error(Protocol::VimJson, json_reply(500, body.to_string())).await {
        LoginError::OtherFault(raw) => {
            assert_eq!(raw.type_name, "FutureVimFault");
            assert_eq!(raw.message.as_deref(), Some("from the future"));
            assert!(matches!(raw.body, vsphere_runtime::FaultBody::Json(_)));
        }
        other => panic!("expected OtherFault, got {other:?}"),
    }

    let detail = r#"<FutureVimFaultFault xmlns="urn:vim25" xsi:type="FutureVimFault"><newField>1</newField></FutureVimFaultFault>"#;
    match login_error(
        Protocol::Soap,
        xml_reply(
            500,
            soap_fault("ServerFaultCode", "from the future", Some(detail)),
        ),
    )
    .await
    {
        LoginError::OtherFault(raw) => {
            assert_eq!(raw.type_name, "FutureVimFault");
            assert_eq!(raw.message.as_deref(), Some("from the future"));
        }
        other => panic!("expected OtherFault, got {other:?}"),
    }
}

#[tokio::test]
async fn a_documented_fault_whose_body_does_not_fit_is_an_undecodable_fault_kept_whole() {
    // NoPermission needs `object` and `privilegeId`; without them it cannot be typed.
    let body = json!({"_typeName": "NoPermission", "faultMessage": [{"_typeName": "LocalizableMessage", "key": "k", "message": "no"}]});
    match login_error(Protocol::VimJson, json_reply(500, body.to_string())).await {
        LoginError::Transport(Error::UndecodableFault { fault, message }) => {
            assert_eq!(fault.type_name, "NoPermission");
            assert_eq!(fault.message.as_deref(), Some("no"));
            assert_eq!(fault.body, vsphere_runtime::FaultBody::Json(body));
            assert_eq!(message, "`NoPermission` has no `object` member");
        }
        other => panic!("expected Transport(UndecodableFault), got {other:?}"),
    }
    let detail =
        r#"<NoPermissionFault xmlns="urn:vim25" xsi:type="NoPermission"></NoPermissionFault>"#;
    match login_error(
        Protocol::Soap,
        xml_reply(500, soap_fault("ServerFaultCode", "no", Some(detail))),
    )
    .await
    {
        LoginError::Transport(Error::UndecodableFault { fault, message }) => {
            assert_eq!(fault.type_name, "NoPermission");
            assert!(matches!(fault.body, vsphere_runtime::FaultBody::Xml(_)));
            assert_eq!(message, "`NoPermission` has no `object` element");
        }
        other => panic!("expected Transport(UndecodableFault), got {other:?}"),
    }
}

#[tokio::test]
async fn a_subtype_of_a_declared_fault_lands_in_its_variant_with_the_concrete_fault() {
    // Login declares NoPermission; NotAuthenticated extends it.
    let body = json!({
        "_typeName": "NotAuthenticated",
        "object": {"_typeName": "ManagedObjectReference", "type": "SessionManager", "value": "SessionManager"},
        "privilegeId": "System.View",
        "faultMessage": [{"_typeName": "LocalizableMessage", "key": "k", "message": "log in first"}]
    });
    match login_error(Protocol::VimJson, json_reply(500, body.to_string())).await {
        LoginError::NoPermission(f) => {
            assert_eq!(f.type_name, "NotAuthenticated");
            assert!(
                matches!(f.detail, AnyNoPermission::NotAuthenticated(_)),
                "{f:?}"
            );
            // The base type's fields, through `Deref`.
            assert_eq!(f.detail.privilege_id, "System.View");
            assert_eq!(f.detail.fault_message[0].key, "k");
        }
        other => panic!("expected NoPermission, got {other:?}"),
    }
    let detail = r#"<NotAuthenticatedFault xmlns="urn:vim25" xsi:type="NotAuthenticated"><object type="SessionManager">SessionManager</object><privilegeId>System.View</privilegeId></NotAuthenticatedFault>"#;
    match login_error(
        Protocol::Soap,
        xml_reply(500, soap_fault("ServerFaultCode", "no", Some(detail))),
    )
    .await
    {
        LoginError::NoPermission(f) => {
            let AnyNoPermission::NotAuthenticated(n) = &f.detail else {
                panic!("expected NotAuthenticated, got {f:?}")
            };
            assert_eq!(n.object.value, "SessionManager");
        }
        other => panic!("expected NoPermission, got {other:?}"),
    }
}

#[tokio::test]
async fn unknown_subtype_where_a_data_type_is_expected_decodes_as_that_type() {
    let (server, client) = json_server(None).await;
    let sm = client.session_manager().unwrap();
    let spec = AnySessionManagerServiceRequestSpec::from(SessionManagerHttpServiceRequestSpec {
        url: "https://esx/".into(),
        ..Default::default()
    });
    Mock::given(method("POST"))
        .and(path(sm_path("AcquireGenericServiceTicket")))
        .respond_with(json_reply(
            200,
            json!({"_typeName": "SessionManagerFutureServiceTicket", "id": "t-1", "newField": [1, 2]})
                .to_string(),
        ))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    let ticket = sm.acquire_generic_service_ticket(&spec).await.unwrap();
    assert_eq!(ticket.id.expose(), "t-1");

    // The same unknown subtype without the base's required `id`: a typed decode error.
    Mock::given(method("POST"))
        .and(path(sm_path("AcquireGenericServiceTicket")))
        .respond_with(json_reply(
            200,
            json!({"_typeName": "SessionManagerFutureServiceTicket", "token": "t-2"}).to_string(),
        ))
        .mount(&server)
        .await;
    match sm.acquire_generic_service_ticket(&spec).await {
        Err(AcquireGenericServiceTicketError::Transport(Error::Decode { context, message })) => {
            assert_eq!(context, "AcquireGenericServiceTicket");
            assert_eq!(
                message,
                "`SessionManagerGenericServiceTicket` has no `id` member"
            );
        }
        other => panic!("expected Transport(Decode), got {other:?}"),
    }

    // SOAP: `xsi:type` of a struct is not checked either.
    let reply = xml_reply(
        200,
        soap_login_response(r#" xsi:type="FutureUserSession""#, SOAP_USER_SESSION),
    );
    let (server, client) = soap_server(None).await;
    Mock::given(method("POST"))
        .and(path("/sdk"))
        .and(body_string_contains("<Login "))
        .respond_with(reply)
        .mount(&server)
        .await;
    assert_eq!(login(&client).await.unwrap().key.expose(), "52b0-key");
}

#[test]
fn unknown_subtype_where_an_any_enum_is_expected_is_kept_whole() {
    use vsphere_runtime::{xml, AnyValue, SoapRead, SoapWrite, SoapWriter};
    let json = r#"{"_typeName":"SessionManagerFutureServiceRequestSpec","url":"https://esx/","newField":1}"#;
    let any: AnySessionManagerServiceRequestSpec = vsphere_runtime::json::from_str(json).unwrap();
    let AnySessionManagerServiceRequestSpec::Unknown(unknown) = &any else {
        panic!("expected Unknown, got {any:?}")
    };
    assert_eq!(unknown.type_name, "SessionManagerFutureServiceRequestSpec");
    assert_eq!(unknown.known, SessionManagerServiceRequestSpec::default());
    assert_eq!(
        unknown.raw,
        AnyValue::Json(serde_json::from_str(json).unwrap())
    );
    // Written back as received (members in serde_json's order); `Debug` names the type
    // but not the raw value.
    assert_eq!(
        vsphere_runtime::json::to_string(&any),
        r#"{"_typeName":"SessionManagerFutureServiceRequestSpec","newField":1,"url":"https://esx/"}"#
    );
    assert_eq!(
        format!("{any:?}"),
        "Unknown { type_name: \"SessionManagerFutureServiceRequestSpec\", known: SessionManagerServiceRequestSpec { base: DynamicData { dynamic_type: None, dynamic_property: [] } }, .. }"
    );
    let doc = br#"<spec xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="SessionManagerFutureServiceRequestSpec"><url>https://esx/</url><newField>1</newField></spec>"#;
    let any = AnySessionManagerServiceRequestSpec::read(xml::parse(doc).unwrap().root()).unwrap();
    let AnySessionManagerServiceRequestSpec::Unknown(unknown) = &any else {
        panic!("expected Unknown, got {any:?}")
    };
    assert_eq!(unknown.type_name, "SessionManagerFutureServiceRequestSpec");
    let mut w = SoapWriter::new();
    any.write("spec", &mut w);
    assert_eq!(
        w.finish(),
        r#"<spec xsi:type="SessionManagerFutureServiceRequestSpec"><url>https://esx/</url><newField>1</newField></spec>"#
    );
    // A known subtype that lacks a required field is a decode error, not the base.
    let err = vsphere_runtime::json::from_str::<AnySessionManagerServiceRequestSpec>(
        r#"{"_typeName":"SessionManagerHttpServiceRequestSpec"}"#,
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "`SessionManagerHttpServiceRequestSpec` has no `url` member"
    );
    let doc = br#"<spec xmlns:xsi="i" xsi:type="SessionManagerHttpServiceRequestSpec"/>"#;
    let err =
        AnySessionManagerServiceRequestSpec::read(xml::parse(doc).unwrap().root()).unwrap_err();
    assert!(err.0.contains("`url`"), "{err}");
}

#[tokio::test]
async fn unknown_types_inside_any_values_are_kept_and_refuse_the_wrong_decode() {
    let (server, client) = json_server(None).await;
    let fault = json!({
        "_typeName": "NotFound",
        "faultMessage": [{
            "_typeName": "LocalizableMessage", "key": "k", "message": "gone",
            "arg": [{"_typeName": "KeyAnyValue", "key": "what", "value": {"_typeName": "FutureType", "x": [1, 2]}}]
        }]
    });
    Mock::given(method("POST"))
        .and(path(sm_path("TerminateSession")))
        .respond_with(json_reply(500, fault.to_string()))
        .mount(&server)
        .await;
    let err = client
        .session_manager()
        .unwrap()
        .terminate_session(&[Secret::from("s")])
        .await
        .unwrap_err();
    let TerminateSessionError::NotFound(f) = err else {
        panic!("expected NotFound, got {err:?}")
    };
    let value = &f.detail.fault_message[0].arg[0].value;
    assert_eq!(value.type_name(), Some("FutureType"));
    assert!(matches!(
        value.decode::<One<String>>(),
        Err(Error::Decode { .. })
    ));
    assert!(matches!(
        value.decode::<Many<i64>>(),
        Err(Error::Decode { .. })
    ));
}

// ---------------------------------------------------------------------------------------
// Proxies, statuses and content types

#[tokio::test]
async fn an_html_page_from_a_proxy_is_a_decode_or_status_error() {
    for protocol in BOTH {
        let err = login_error(protocol, html_reply(200)).await;
        let message = decode_message(&err);
        assert!(message.contains("expected"), "{message}");
        assert!(message.contains("<html>"), "{message}");

        match login_error(protocol, html_reply(502)).await {
            LoginError::Transport(Error::Status { status, excerpt }) => {
                assert_eq!(status, 502);
                assert!(excerpt.contains("Bad Gateway"), "{excerpt}");
            }
            other => panic!("{protocol:?}: expected Status 502, got {other:?}"),
        }
        let err = bootstrap_error(protocol, html_reply(502)).await;
        assert!(
            matches!(err, Error::Status { status: 502, .. }),
            "{protocol:?}: {err:?}"
        );
        let err = bootstrap_error(protocol, html_reply(200)).await;
        assert!(is_decode(&err), "{protocol:?}: {err:?}");
    }
}

#[tokio::test]
async fn unauthorized_and_unavailable_are_status_errors() {
    for protocol in BOTH {
        for status in [401u16, 503] {
            let reply = ResponseTemplate::new(status)
                .set_body_raw("Service Unavailable or Unauthorized", "text/plain");
            match login_error(protocol, reply.clone()).await {
                LoginError::Transport(Error::Status { status: s, excerpt }) => {
                    assert_eq!(s, status);
                    assert!(excerpt.starts_with("Service Unavailable"), "{excerpt}");
                }
                other => panic!("{protocol:?} {status}: expected Status, got {other:?}"),
            }
            let err = bootstrap_error(protocol, reply).await;
            assert!(
                matches!(err, Error::Status { status: s, .. } if s == status),
                "{protocol:?} {status}: {err:?}"
            );
        }
        // Even with a body in the protocol's own content type.
        let reply = match protocol {
            Protocol::VimJson => json_reply(401, "{}"),
            Protocol::Soap => xml_reply(401, soap_envelope("")),
        };
        let err = login_error(protocol, reply).await;
        assert!(
            matches!(
                err,
                LoginError::Transport(Error::Status { status: 401, .. })
            ),
            "{err:?}"
        );
    }
}

#[tokio::test]
async fn a_wrong_content_type_is_refused() {
    // JSON-looking text/plain, for a success and for a fault.
    let reply = ResponseTemplate::new(200).set_body_raw(user_session().to_string(), "text/plain");
    let message = decode_message(&login_error(Protocol::VimJson, reply).await).to_string();
    assert!(message.contains("expected application/json"), "{message}");
    let fault = json!({"_typeName": "InvalidLogin"}).to_string();
    let err = login_error(
        Protocol::VimJson,
        ResponseTemplate::new(500).set_body_raw(fault, "text/plain"),
    )
    .await;
    assert!(
        matches!(
            err,
            LoginError::Transport(Error::Status { status: 500, .. })
        ),
        "{err:?}"
    );

    // SOAP 1.2's media type, and JSON, where vim25 speaks SOAP 1.1.
    for mime in ["application/soap+xml", "application/json"] {
        let reply = ResponseTemplate::new(200)
            .set_body_raw(soap_login_response("", SOAP_USER_SESSION), mime);
        let message = decode_message(&login_error(Protocol::Soap, reply).await).to_string();
        assert!(message.contains("expected text/xml"), "{mime}: {message}");
    }

    // No Content-Type at all.
    for protocol in BOTH {
        let base = raw_server(after_bootstrap(protocol, || {
            Reply::Send(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}".to_vec())
        }))
        .await;
        let client = Client::builder(url_for(&base, protocol))
            .protocol(protocol)
            .build()
            .await
            .unwrap();
        let err = login(&client).await.unwrap_err();
        decode_message(&err);
    }
}

// ---------------------------------------------------------------------------------------
// Body limits

#[test]
fn the_default_body_limit_is_64_mib() {
    let builder = Client::builder("https://vc.example.com");
    let debug = format!("{builder:?}");
    assert!(debug.contains("max_body_bytes: 67108864"), "{debug}");
}

#[tokio::test]
async fn a_body_over_the_limit_is_refused_by_its_content_length() {
    for protocol in BOTH {
        let big = "x".repeat(4096);
        let reply = match protocol {
            Protocol::VimJson => json_reply(200, format!("\"{big}\"")),
            Protocol::Soap => xml_reply(200, soap_login_response("", &big)),
        };
        let err = login_error_with_limit(protocol, reply, Some(2048)).await;
        assert!(
            matches!(
                err,
                LoginError::Transport(Error::BodyTooLarge { limit: 2048 })
            ),
            "{protocol:?}: {err:?}"
        );
        // Error pages too: the limit applies before the status is looked at.
        let page = ResponseTemplate::new(502).set_body_raw(big.clone(), "text/html");
        let err = login_error_with_limit(protocol, page, Some(2048)).await;
        assert!(
            matches!(
                err,
                LoginError::Transport(Error::BodyTooLarge { limit: 2048 })
            ),
            "{protocol:?}: {err:?}"
        );
    }
}

#[tokio::test]
async fn a_chunked_body_without_length_is_cut_at_the_limit() {
    for protocol in BOTH {
        let content_type = match protocol {
            Protocol::VimJson => "application/json",
            Protocol::Soap => "text/xml",
        };
        let head = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nTransfer-Encoding: chunked\r\n\r\n"
        )
        .into_bytes();
        // Up to 16 MiB in 16 KiB chunks; the client stops reading after 64 KiB.
        let base = raw_server(after_bootstrap(protocol, move || Reply::Chunked {
            head: head.clone(),
            chunk: vec![b' '; 16 * 1024],
            max: 1024,
        }))
        .await;
        let client = Client::builder(url_for(&base, protocol))
            .protocol(protocol)
            .max_body_bytes(64 * 1024)
            .build()
            .await
            .unwrap();
        let err = login(&client).await.unwrap_err();
        assert!(
            matches!(
                err,
                LoginError::Transport(Error::BodyTooLarge { limit: 65536 })
            ),
            "{protocol:?}: {err:?}"
        );
    }
}

#[tokio::test]
async fn the_default_limit_refuses_a_body_of_64_mib_and_one_byte() {
    for protocol in BOTH {
        // Announces one byte more than the default limit and sends none of it.
        let base = raw_server(after_bootstrap(protocol, || {
            Reply::SendThenHang(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 67108865\r\n\r\n"
                    .to_vec(),
            )
        }))
        .await;
        let client = Client::builder(url_for(&base, protocol))
            .protocol(protocol)
            .build()
            .await
            .unwrap();
        let err = login(&client).await.unwrap_err();
        assert!(
            matches!(
                err,
                LoginError::Transport(Error::BodyTooLarge { limit: 67_108_864 })
            ),
            "{protocol:?}: {err:?}"
        );
    }
}

// ---------------------------------------------------------------------------------------
// Silence, stalls and refusals

fn timed_out(e: &Error) -> bool {
    matches!(e, Error::Http(source) if source.is_timeout())
}

#[tokio::test]
async fn a_server_that_never_answers_times_out() {
    for protocol in BOTH {
        // At bootstrap…
        let base = raw_server(|_| Reply::Hang).await;
        let err = Client::builder(url_for(&base, protocol))
            .protocol(protocol)
            .timeout(Duration::from_millis(300))
            .build()
            .await
            .unwrap_err();
        assert!(timed_out(&err), "{protocol:?}: {err:?}");

        // …and on a later call.
        let base = raw_server(after_bootstrap(protocol, || Reply::Hang)).await;
        let client = Client::builder(url_for(&base, protocol))
            .protocol(protocol)
            .timeout(Duration::from_millis(300))
            .build()
            .await
            .unwrap();
        match login(&client).await {
            Err(LoginError::Transport(e)) => assert!(timed_out(&e), "{protocol:?}: {e:?}"),
            other => panic!("{protocol:?}: expected a timeout, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn a_body_that_stalls_times_out() {
    for protocol in BOTH {
        let base = raw_server(after_bootstrap(protocol, || {
            Reply::SendThenHang(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"_typeName\":"
                    .to_vec(),
            )
        }))
        .await;
        let client = Client::builder(url_for(&base, protocol))
            .protocol(protocol)
            .timeout(Duration::from_millis(300))
            .build()
            .await
            .unwrap();
        match login(&client).await {
            Err(LoginError::Transport(e)) => assert!(timed_out(&e), "{protocol:?}: {e:?}"),
            other => panic!("{protocol:?}: expected a timeout, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn a_server_that_hangs_up_is_an_http_error() {
    for protocol in BOTH {
        let base = raw_server(|_| Reply::Close).await;
        let err = Client::builder(url_for(&base, protocol))
            .protocol(protocol)
            .build()
            .await
            .unwrap_err();
        assert!(
            matches!(&err, Error::Http(e) if !e.is_timeout() && e.is_request()),
            "{protocol:?}: {err:?}"
        );
    }
}

/// A plain-HTTP server like [`raw_server`] that also counts the connections it accepted.
async fn counting_server(
    script: impl Fn(usize) -> Reply + Send + Sync + 'static,
) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let script: Script = Arc::new(script);
    let count = Arc::new(AtomicUsize::new(0));
    let connections = Arc::new(AtomicUsize::new(0));
    let accepted = Arc::clone(&connections);
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            accepted.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(serve(stream, Arc::clone(&script), Arc::clone(&count)));
        }
    });
    (format!("http://{addr}"), connections)
}

#[tokio::test]
async fn calls_reuse_one_connection() {
    for protocol in BOTH {
        let bootstrap = match protocol {
            Protocol::VimJson => json_bootstrap_bytes(),
            Protocol::Soap => soap_bootstrap_bytes(),
        };
        let (base, connections) = counting_server(move |_| Reply::Send(bootstrap.clone())).await;
        let client = Client::builder(url_for(&base, protocol))
            .protocol(protocol)
            .build()
            .await
            .unwrap();
        for _ in 0..5 {
            client
                .service_instance()
                .retrieve_service_content()
                .await
                .unwrap();
        }
        assert_eq!(connections.load(Ordering::SeqCst), 1, "{protocol:?}");
    }
}

#[tokio::test]
async fn a_connection_the_server_closed_is_replaced() {
    for protocol in BOTH {
        let bootstrap = match protocol {
            Protocol::VimJson => json_bootstrap_bytes(),
            Protocol::Soap => soap_bootstrap_bytes(),
        };
        // Every answer ends its connection, without `Connection: close` to warn.
        let (base, connections) =
            counting_server(move |_| Reply::SendThenClose(bootstrap.clone())).await;
        let client = Client::builder(url_for(&base, protocol))
            .protocol(protocol)
            .build()
            .await
            .unwrap();
        for i in 0..5 {
            client
                .service_instance()
                .retrieve_service_content()
                .await
                .unwrap_or_else(|e| panic!("{protocol:?} call {i}: {e:?}"));
        }
        assert_eq!(connections.load(Ordering::SeqCst), 6, "{protocol:?}");
    }
}

#[tokio::test]
async fn a_refused_connection_is_a_connect_error() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    for protocol in BOTH {
        let err = Client::builder(url_for(&format!("http://{addr}"), protocol))
            .protocol(protocol)
            .build()
            .await
            .unwrap_err();
        assert!(
            matches!(&err, Error::Http(e) if e.is_connect() && !e.is_timeout()),
            "{protocol:?}: {err:?}"
        );
    }
}

#[tokio::test]
async fn a_connect_that_gets_no_answer_hits_the_connect_timeout() {
    // A listener that never accepts, with its accept queue filled: Linux then drops
    // further SYNs, so a new connection gets no answer at all.
    let socket = TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let listener = socket.listen(1).unwrap();
    let addr = listener.local_addr().unwrap();
    let mut held = Vec::new();
    let mut full = false;
    for _ in 0..64 {
        match tokio::time::timeout(Duration::from_millis(200), TcpStream::connect(addr)).await {
            Ok(Ok(stream)) => held.push(stream),
            Ok(Err(e)) => panic!("connecting to the backlog listener failed: {e}"),
            Err(_) => {
                full = true;
                break;
            }
        }
    }
    assert!(full, "the accept queue never filled");
    let err = Client::builder(format!("http://{addr}"))
        .connect_timeout(Duration::from_millis(300))
        .timeout(Duration::from_secs(30))
        .build()
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Http(e) if e.is_connect() && e.is_timeout()),
        "{err:?}"
    );
    drop(held);
    drop(listener);
}

#[tokio::test]
async fn unusable_urls_are_refused_before_any_request() {
    for url in ["ftp://vc.example.com", "not a url", "https://"] {
        let err = Client::builder(url).build().await.unwrap_err();
        assert!(matches!(err, Error::InvalidUrl(_)), "{url}: {err:?}");
    }
}

// ---------------------------------------------------------------------------------------
// TLS

/// The rustls error somewhere in `e`'s chain (io errors hide theirs behind `get_ref`).
fn rustls_error(e: &vsphere_runtime::HttpError) -> Option<rustls::Error> {
    let mut current: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = current {
        if let Some(r) = err.downcast_ref::<rustls::Error>() {
            return Some(r.clone());
        }
        current = match err
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
        {
            Some(inner) => Some(inner),
            None => err.source(),
        };
    }
    None
}

struct Tls {
    url: String,
    /// PEM of the CA that signed the server's certificate (or of the self-signed one).
    ca_pem: String,
    /// The server certificate's SHA-256 thumbprint, `AB:CD:…`.
    thumbprint: String,
}

/// An HTTPS VI/JSON server on 127.0.0.1 that bootstraps every request; its certificate
/// is self-signed, or issued by a fresh CA, for `names`.
async fn tls_server(names: &[&str], with_ca: bool) -> Tls {
    use rcgen::{
        BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair,
        KeyUsagePurpose,
    };
    let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
    let leaf_key = KeyPair::generate().unwrap();
    let mut leaf_params = CertificateParams::new(names).unwrap();
    leaf_params
        .distinguished_name
        .push(DnType::CommonName, "vsphere-rs test server");
    let (leaf_der, ca_pem) = if with_ca {
        let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca_params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        ca_params
            .distinguished_name
            .push(DnType::CommonName, "vsphere-rs test CA");
        let ca = CertifiedIssuer::self_signed(ca_params, KeyPair::generate().unwrap()).unwrap();
        let leaf = leaf_params.signed_by(&leaf_key, &ca).unwrap();
        (leaf.der().clone(), ca.pem())
    } else {
        let leaf = leaf_params.self_signed(&leaf_key).unwrap();
        (leaf.der().clone(), leaf.pem())
    };
    let digest = ring::digest::digest(&ring::digest::SHA256, leaf_der.as_ref());
    let thumbprint = digest
        .as_ref()
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(":");
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            vec![leaf_der],
            rustls::pki_types::PrivateKeyDer::Pkcs8(leaf_key.serialize_der().into()),
        )
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let script: Script = Arc::new(|_| Reply::Send(json_bootstrap_bytes()));
    let count = Arc::new(AtomicUsize::new(0));
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            let script = Arc::clone(&script);
            let count = Arc::clone(&count);
            tokio::spawn(async move {
                // A client that refuses the certificate aborts the handshake.
                if let Ok(tls) = acceptor.accept(stream).await {
                    serve(tls, script, count).await;
                }
            });
        }
    });
    Tls {
        url: format!("https://{addr}"),
        ca_pem,
        thumbprint,
    }
}

fn certificate_error(err: &Error) -> rustls::CertificateError {
    match err {
        Error::Http(e) if e.is_connect() => match rustls_error(e) {
            Some(rustls::Error::InvalidCertificate(c)) => c,
            other => panic!("expected a certificate error, got {other:?} in {e:?}"),
        },
        other => panic!("expected Error::Http (connect), got {other:?}"),
    }
}

#[tokio::test]
async fn a_self_signed_server_is_refused_by_default() {
    let tls = tls_server(&["127.0.0.1"], false).await;
    let err = Client::builder(&tls.url).build().await.unwrap_err();
    assert_eq!(
        certificate_error(&err),
        rustls::CertificateError::UnknownIssuer
    );
}

#[tokio::test]
async fn a_self_signed_server_is_accepted_when_told_to() {
    let tls = tls_server(&["127.0.0.1"], false).await;
    let client = Client::builder(&tls.url)
        .danger_accept_invalid_certs(true)
        .build()
        .await
        .unwrap();
    assert_eq!(client.service_content().about.api_version, "8.0.2.0");
}

#[tokio::test]
async fn a_server_from_a_trusted_private_ca_is_accepted() {
    let tls = tls_server(&["127.0.0.1"], true).await;
    // Not without the CA…
    let err = Client::builder(&tls.url).build().await.unwrap_err();
    assert_eq!(
        certificate_error(&err),
        rustls::CertificateError::UnknownIssuer
    );
    // …and with it.
    let client = Client::builder(&tls.url)
        .add_root_certificate_pem(tls.ca_pem.as_bytes())
        .build()
        .await
        .unwrap();
    assert_eq!(client.service_content().about.api_type, "VirtualCenter");
}

#[tokio::test]
async fn a_trusted_certificate_for_another_name_is_refused() {
    let tls = tls_server(&["vc.example.com"], true).await;
    let err = Client::builder(&tls.url)
        .add_root_certificate_pem(tls.ca_pem.as_bytes())
        .build()
        .await
        .unwrap_err();
    let c = certificate_error(&err);
    assert!(
        matches!(
            c,
            rustls::CertificateError::NotValidForName
                | rustls::CertificateError::NotValidForNameContext { .. }
        ),
        "{c:?}"
    );
}

#[tokio::test]
async fn a_pinned_thumbprint_accepts_that_certificate_and_no_other() {
    let tls = tls_server(&["vc.example.com"], false).await;
    // Self-signed and for another name, but the one pinned: accepted, with or without `:`.
    for pin in [
        tls.thumbprint.clone(),
        tls.thumbprint.replace(':', "").to_lowercase(),
    ] {
        let client = Client::builder(&tls.url)
            .pin_certificate_sha256(&pin)
            .build()
            .await
            .unwrap();
        assert_eq!(client.service_content().about.api_version, "8.0.2.0");
    }
    let other = tls_server(&["127.0.0.1"], false).await;
    let err = Client::builder(&other.url)
        .pin_certificate_sha256(&tls.thumbprint)
        .build()
        .await
        .unwrap_err();
    match &err {
        Error::Http(e) if e.is_connect() => match rustls_error(e) {
            Some(rustls::Error::General(m)) => assert_eq!(
                *m,
                format!(
                    "the server certificate's SHA-256 thumbprint {} is not the pinned one",
                    other.thumbprint
                )
            ),
            other => panic!("{other:?}"),
        },
        other => panic!("{other:?}"),
    }
    let err = Client::builder(&tls.url)
        .pin_certificate_sha256("AB:CD")
        .build()
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        Error::Setup(
            "certificate thumbprint \"AB:CD\": expected 32 bytes of hex (SHA-256), e.g. AB:CD:…"
                .into()
        )
        .to_string()
    );
}

#[tokio::test]
async fn a_bad_ca_certificate_is_a_setup_error() {
    let err = Client::builder("https://127.0.0.1:9")
        .add_root_certificate_pem(
            "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n",
        )
        .build()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Setup(_)), "{err:?}");
}

// ---------------------------------------------------------------------------------------
// SOAP documents

#[tokio::test]
async fn malformed_soap_is_a_decode_error() {
    let full = soap_login_response("", SOAP_USER_SESSION);
    for (what, body) in [
        ("truncated", full[..full.len() / 2].to_string()),
        (
            "mismatched tags",
            full.replace("</userName>", "</fullName>"),
        ),
        (
            "not UTF-8",
            full.replace("<userName>u", "<userName>\u{FFFD}"),
        ),
        (
            "unknown entity",
            full.replace("<userName>u", "<userName>&bogus;"),
        ),
        (
            "not an envelope",
            "<html><body>hello</body></html>".to_string(),
        ),
        ("no Body", full.replace("soapenv:Body", "soapenv:Bodie")),
        (
            "another method's response",
            full.replace("LoginResponse", "LogoutResponse"),
        ),
        (
            "a required field missing",
            soap_login_response("", &SOAP_USER_SESSION.replace("<key>52b0-key</key>", "")),
        ),
        (
            "a bad value",
            soap_login_response(
                "",
                &SOAP_USER_SESSION.replace("<callCount>1<", "<callCount>many<"),
            ),
        ),
        ("empty", String::new()),
    ] {
        let mut bytes = body.into_bytes();
        if what == "not UTF-8" {
            let at = bytes
                .windows(3)
                .position(|w| w == "\u{FFFD}".as_bytes())
                .unwrap();
            bytes.splice(at..at + 3, [0xff]);
        }
        let reply = ResponseTemplate::new(200).set_body_raw(bytes, "text/xml; charset=utf-8");
        let err = login_error(Protocol::Soap, reply).await;
        let message = decode_message(&err);
        assert!(!message.is_empty(), "{what}");
    }
}

#[tokio::test]
async fn soap_500_without_a_fault_is_a_status_error() {
    for body in [
        soap_envelope(""),
        soap_envelope("<LoginResponse/>"),
        "<soapenv:Envelope><soapenv:Body><soapenv:Fault>".to_string(),
        "not xml at all".to_string(),
    ] {
        let err = login_error(Protocol::Soap, xml_reply(500, body.clone())).await;
        assert!(
            matches!(
                err,
                LoginError::Transport(Error::Status { status: 500, .. })
            ),
            "{body}: {err:?}"
        );
    }
}

#[tokio::test]
async fn a_soap_fault_without_detail_is_other_fault_named_by_its_code() {
    match login_error(
        Protocol::Soap,
        xml_reply(500, soap_fault("soapenv:Server", "internal error", None)),
    )
    .await
    {
        LoginError::OtherFault(raw) => {
            assert_eq!(raw.type_name, "Server");
            assert_eq!(raw.message.as_deref(), Some("internal error"));
            assert!(
                matches!(raw.body, vsphere_runtime::FaultBody::Xml(ref n) if n.name == "Fault")
            );
        }
        other => panic!("expected OtherFault, got {other:?}"),
    }
    // An empty detail, an empty code, and a fault inside a 200.
    for (status, body, name) in [
        (
            500,
            soap_fault("ServerFaultCode", "x", Some("")),
            "ServerFaultCode",
        ),
        (500, soap_fault("", "x", None), "Fault"),
        (
            200,
            soap_fault("ServerFaultCode", "x", None),
            "ServerFaultCode",
        ),
    ] {
        match login_error(Protocol::Soap, xml_reply(status, body)).await {
            LoginError::OtherFault(raw) => assert_eq!(raw.type_name, name),
            other => panic!("expected OtherFault {name}, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn a_soap_depth_bomb_is_refused() {
    let depth = 200_000;
    let inner = format!("{}{}", "<a>".repeat(depth), "</a>".repeat(depth));
    for status in [200, 500] {
        let body = soap_login_response("", &inner);
        let err = login_error(Protocol::Soap, xml_reply(status, body)).await;
        match (status, &err) {
            (200, _) => {
                let message = decode_message(&err);
                assert!(message.contains("deeper than 256"), "{message}");
            }
            // A 500 whose document cannot be parsed carries no fault: a status error.
            _ => assert!(
                matches!(
                    err,
                    LoginError::Transport(Error::Status { status: 500, .. })
                ),
                "{err:?}"
            ),
        }
    }
}

#[tokio::test]
async fn a_deep_but_allowed_soap_fault_cause_chain_decodes() {
    // Each cause nests two elements (faultCause, fault); 120 causes stay under 256.
    let mut detail = String::new();
    for _ in 0..120 {
        detail.push_str("<faultCause><fault xsi:type=\"InvalidLogin\">");
    }
    for _ in 0..120 {
        detail.push_str("</fault></faultCause>");
    }
    let detail = format!(
        r#"<InvalidLoginFault xmlns="urn:vim25" xsi:type="InvalidLogin">{detail}</InvalidLoginFault>"#
    );
    match login_error(
        Protocol::Soap,
        xml_reply(500, soap_fault("ServerFaultCode", "deep", Some(&detail))),
    )
    .await
    {
        LoginError::InvalidLogin(f) => {
            let mut depth = 0;
            let mut cause = f.detail.fault_cause.as_deref();
            while let Some(c) = cause {
                depth += 1;
                cause = c.fault.fault_cause.as_deref();
            }
            assert_eq!(depth, 120);
        }
        other => panic!("expected InvalidLogin, got {other:?}"),
    }
}

#[tokio::test]
async fn soap_with_a_dtd_or_entities_is_refused() {
    let laughs = concat!(
        r#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">"#,
        r#"<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">"#,
        r#"<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">"#,
        r#"<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">"#,
        r#"<!ENTITY lol9 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">]>"#,
    );
    let body = format!(
        "{laughs}{}",
        soap_login_response(
            "",
            &SOAP_USER_SESSION.replace("<userName>u", "<userName>&lol9;")
        )
        .trim_start_matches(r#"<?xml version="1.0" encoding="UTF-8"?>"#)
    );
    let err = login_error(Protocol::Soap, xml_reply(200, body.clone())).await;
    let message = decode_message(&err);
    assert!(message.contains("DTDs are not accepted"), "{message}");
    let err = login_error(Protocol::Soap, xml_reply(500, body)).await;
    assert!(
        matches!(
            err,
            LoginError::Transport(Error::Status { status: 500, .. })
        ),
        "{err:?}"
    );
    // An external entity without a DTD to declare it is an unknown entity.
    let body = soap_login_response(
        "",
        &SOAP_USER_SESSION.replace("<userName>u", "<userName>&xxe;"),
    );
    let message =
        decode_message(&login_error(Protocol::Soap, xml_reply(200, body)).await).to_string();
    assert!(message.contains("unknown entity"), "{message}");
}
