//! The SOAP transport against a scripted HTTP server on 127.0.0.1: the request it sends
//! and how it treats responses vcsim does not produce.

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use vsphere_runtime::{
    AnyValue, Bootstrap, CallError, Connection, ConnectionBuilder, Error, ManagedObjectReference,
    MethodInfo, Nothing, One, Param, Protocol, Secret,
};

struct NoClient;

impl Bootstrap for NoClient {
    async fn bootstrap(_: Connection) -> Result<Self, Error> {
        Err(Error::Bootstrap("not used".into()))
    }
}

const PASSWORD: &str = "pa<ss&wörd";

struct Login {
    user_name: String,
    password: Secret<String>,
}

impl Login {
    fn params(&self) -> [Param<'_>; 2] {
        [
            Param::new("userName", &self.user_name),
            Param::new("password", &self.password),
        ]
    }
}

fn login() -> Login {
    Login {
        user_name: "root".into(),
        password: Secret::new(PASSWORD.into()),
    }
}

fn method(name: &'static str) -> MethodInfo {
    MethodInfo {
        managed_object: "SessionManager",
        name,
        privilege: None,
        since_label: None,
        since: None,
        deprecated: false,
    }
}

fn sm() -> ManagedObjectReference {
    ManagedObjectReference::new("SessionManager", "SessionManager")
}

fn response(status: &str, content_type: &str, extra: &str, body: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\n{extra}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

fn envelope(body: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>{body}</soapenv:Body></soapenv:Envelope>"#
    )
}

/// Serves `responses` in order, one connection each; returns the base URL and the
/// requests received.
async fn serve(responses: Vec<Vec<u8>>) -> (String, tokio::task::JoinHandle<Vec<String>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/sdk", listener.local_addr().unwrap());
    let handle = tokio::spawn(async move {
        let mut requests = Vec::new();
        for response in responses {
            let (mut socket, _) = listener.accept().await.unwrap();
            let mut request = Vec::new();
            let mut buf = [0u8; 4096];
            loop {
                let n = socket.read(&mut buf).await.unwrap();
                request.extend_from_slice(&buf[..n]);
                let text = String::from_utf8_lossy(&request);
                if let Some(end) = text.find("\r\n\r\n") {
                    let length = text[..end]
                        .lines()
                        .find_map(|l| {
                            l.to_ascii_lowercase()
                                .strip_prefix("content-length:")
                                .map(|v| v.trim().parse::<usize>().unwrap())
                        })
                        .unwrap_or(0);
                    if request.len() >= end + 4 + length {
                        break;
                    }
                }
                if n == 0 {
                    break;
                }
            }
            requests.push(String::from_utf8(request).unwrap());
            socket.write_all(&response).await.unwrap();
            socket.shutdown().await.unwrap();
        }
        requests
    });
    (url, handle)
}

fn connect(url: &str) -> Connection {
    ConnectionBuilder::<NoClient>::new(url)
        .protocol(Protocol::Soap)
        .max_body_bytes(4096)
        .connect()
        .unwrap()
}

#[tokio::test]
async fn request_shape_and_session_cookie() {
    let login_response = envelope(
        r#"<LoginResponse xmlns="urn:vim25"><returnval><key>k</key></returnval></LoginResponse>"#,
    );
    let (url, server) = serve(vec![
        response(
            "200 OK",
            "text/xml; charset=utf-8",
            "Set-Cookie: vmware_soap_session=\"52c0ffee\"; Path=/; HttpOnly; Secure;\r\n",
            &login_response,
        ),
        response(
            "200 OK",
            "text/xml",
            "",
            &envelope(r#"<LogoutResponse xmlns="urn:vim25"></LogoutResponse>"#),
        ),
    ])
    .await;
    let conn = connect(&url);
    let One(session) = conn
        .call::<One<AnyValue>>(&method("Login"), &sm(), &login().params())
        .await
        .unwrap();
    let AnyValue::Xml(session) = session else {
        panic!("{session:?}")
    };
    assert_eq!(session.child("key").unwrap().text, "k");
    assert_eq!(conn.session_id().unwrap().expose(), "52c0ffee");
    conn.call::<Nothing>(&method("Logout"), &sm(), &[])
        .await
        .unwrap();
    assert!(conn.session_id().is_none());

    let requests = server.await.unwrap();
    let first = &requests[0];
    let (head, body) = first.split_once("\r\n\r\n").unwrap();
    let head = head.to_ascii_lowercase();
    assert!(head.starts_with("post /sdk http/1.1"), "{head}");
    assert!(
        head.contains("content-type: text/xml; charset=utf-8"),
        "{head}"
    );
    assert!(head.contains("soapaction: \"urn:vim25/8.0.1.0\""), "{head}");
    assert!(!head.contains("cookie"), "{head}");
    assert_eq!(
        body,
        concat!(
            r#"<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>"#,
            r#"<Login xmlns="urn:vim25"><_this type="SessionManager">SessionManager</_this><userName>root</userName><password>pa&lt;ss&amp;wörd</password></Login>"#,
            "</soapenv:Body></soapenv:Envelope>"
        )
    );
    let second = requests[1].to_ascii_lowercase();
    assert!(
        second.contains("\r\ncookie: vmware_soap_session=52c0ffee\r\n"),
        "{second}"
    );
}

#[tokio::test]
async fn bad_responses_are_errors_not_panics() {
    let fault = envelope(
        r#"<soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring>nope</faultstring><detail><NotFoundFault xmlns="urn:vim25" xsi:type="NotFound"/></detail></soapenv:Fault>"#,
    );
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (
            response(
                "500 Internal Server Error",
                "text/html",
                "",
                "<html>oops</html>",
            ),
            "status 500",
        ),
        (
            response("500 Internal Server Error", "text/xml", "", &envelope("")),
            "status 500",
        ),
        (
            response("503 Service Unavailable", "text/xml", "", "busy"),
            "status 503",
        ),
        (
            response("200 OK", "application/json", "", "{}"),
            "decode: expected text/xml",
        ),
        (
            response("200 OK", "text/xml", "", "<soapenv:Envelope><soapenv:Body>"),
            "decode: malformed XML at byte",
        ),
        (
            response("200 OK", "text/xml", "", "<a>&#0;</a>"),
            "decode: malformed XML at byte",
        ),
        (
            {
                // Not UTF-8.
                let mut r = response("200 OK", "text/xml", "", "<a>..</a>");
                let n = r.len();
                r[n - 6..n - 4].copy_from_slice(b"\xff\xfe");
                r
            },
            "decode: malformed XML at byte",
        ),
        (
            response("200 OK", "text/xml", "", &envelope("<OtherResponse/>")),
            "decode: `Body` has no `LoginResponse` element",
        ),
        (
            response("200 OK", "text/xml", "", &"x".repeat(5000)),
            "too large",
        ),
        (
            response("200 OK", "text/xml", "", &fault),
            "fault NotFound: nope",
        ),
        (
            response("500 Internal Server Error", "text/xml", "", &fault),
            "fault NotFound: nope",
        ),
    ];
    let expected: Vec<&str> = cases.iter().map(|(_, e)| *e).collect();
    let (url, server) = serve(cases.into_iter().map(|(r, _)| r).collect()).await;
    let conn = connect(&url);
    for want in expected {
        let err = conn
            .call::<One<String>>(&method("Login"), &sm(), &login().params())
            .await
            .unwrap_err();
        let got = match &err {
            CallError::Fault(f) => format!("fault {f}"),
            CallError::Other(Error::Status { status, .. }) => format!("status {status}"),
            CallError::Other(Error::Decode { message, .. }) => format!("decode: {message}"),
            CallError::Other(Error::BodyTooLarge { .. }) => "too large".to_string(),
            other => panic!("unexpected {other:?}"),
        };
        assert!(got.starts_with(want), "got {got:?}, want {want:?}");
        let shown = format!("{err} {err:?}");
        assert!(
            !shown.contains("ss&w") && !shown.contains("&amp;w"),
            "{shown}"
        );
    }
    server.await.unwrap();
}

#[tokio::test]
async fn vi_json_keeps_working_with_response_shapes() {
    let (url, server) = serve(vec![
        response(
            "200 OK",
            "application/json",
            "vmware-api-session-id: abc\r\n",
            r#"{"_typeName":"UserSession","key":"k"}"#,
        ),
        response("200 OK", "application/json", "", r#""value""#),
        response(
            "500 Internal Server Error",
            "application/json",
            "",
            r#"{"_typeName":"InvalidLogin","faultMessage":[{"message":"bad"}]}"#,
        ),
        response("204 No Content", "application/json", "", ""),
    ])
    .await;
    let conn = ConnectionBuilder::<NoClient>::new(url).connect().unwrap();
    let One(session) = conn
        .call::<One<AnyValue>>(&method("Login"), &sm(), &login().params())
        .await
        .unwrap();
    assert_eq!(session.type_name(), Some("UserSession"));
    assert_eq!(conn.session_id().unwrap().expose(), "abc");
    let info = vsphere_runtime::PropertyInfo {
        managed_object: "SessionManager",
        name: "message",
        privilege: None,
    };
    let One(value) = conn.property::<One<String>>(&info, &sm()).await.unwrap();
    assert_eq!(value, "value");
    match conn
        .call::<Nothing>(&method("Login"), &sm(), &login().params())
        .await
    {
        Err(CallError::Fault(f)) => {
            assert_eq!(f.to_string(), "InvalidLogin: bad");
            assert!(matches!(f.body, vsphere_runtime::FaultBody::Json(_)));
        }
        other => panic!("{other:?}"),
    }
    conn.call::<Nothing>(&method("Logout"), &sm(), &[])
        .await
        .unwrap();
    assert!(conn.session_id().is_none());
    let requests = server.await.unwrap();
    assert!(requests[0].starts_with("POST /sdk/vim25/8.0.1.0/SessionManager/SessionManager/Login "));
    assert!(requests[0].contains(r#""password":"pa<ss&wörd""#));
    assert!(
        requests[1].starts_with("GET /sdk/vim25/8.0.1.0/SessionManager/SessionManager/message ")
    );
    assert!(requests[1]
        .to_ascii_lowercase()
        .contains("vmware-api-session-id: abc"));
    // No parameters: no body.
    assert!(requests[3].ends_with("\r\n\r\n"), "{}", requests[3]);
}
