//! Credentials never show: not in any log line at TRACE (tracing events and spans, and
//! `log` records bridged into tracing), nor in the `Debug` of a result, client, connection or builder, nor in the
//! `Debug` or `Display` of an error.
//!
//! Each scenario, with detailed wire logging on (request bodies and decoded responses),
//! logs in with a password, keeps a session (a VI/JSON session header or the
//! SOAP cookie), acquires a clone ticket, clones the session and fails a login, then
//! checks everything it printed and everything logged so far. The local servers check that
//! each secret did travel (so its absence from the output means something), and one test
//! shows the capture would catch a leak: a reqwest client in `connection_verbose` mode,
//! which logs every byte it sends through `log`, does put a password into the log.
#![allow(deprecated)]

mod common;

use common::service_content;

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tracing_subscriber::fmt::format::FmtSpan;
use tracing_subscriber::fmt::MakeWriter;
use vsphere::{Client, CloneSessionError, LoginError, Protocol, Secret};

// ---------------------------------------------------------------------------------------
// Capturing every log line

static LOGS: Mutex<Vec<u8>> = Mutex::new(Vec::new());

struct Capture;

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        LOGS.lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

struct CaptureWriter;

impl<'a> MakeWriter<'a> for CaptureWriter {
    type Writer = Capture;

    fn make_writer(&'a self) -> Capture {
        Capture
    }
}

/// Installs, once per test binary, a global subscriber that writes every event and span
/// at TRACE into [`LOGS`], and routes `log` records into it.
fn capture_logs() {
    static INSTALLED: OnceLock<()> = OnceLock::new();
    INSTALLED.get_or_init(|| {
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_span_events(FmtSpan::FULL)
            .with_ansi(false)
            .with_writer(CaptureWriter)
            .finish();
        tracing::subscriber::set_global_default(subscriber).expect("no other subscriber");
        tracing_log::LogTracer::builder()
            .with_max_level(log::LevelFilter::Trace)
            .init()
            .expect("no other logger");
    });
}

fn logs() -> String {
    String::from_utf8_lossy(&LOGS.lock().unwrap_or_else(|e| e.into_inner())).into_owned()
}

/// Whether `needle` occurs in `haystack` as a word of its own (for short secrets such as
/// vcsim's password `pass`, which is also part of `password`).
fn contains_word(haystack: &str, needle: &str) -> bool {
    haystack.match_indices(needle).any(|(at, _)| {
        let before = haystack[..at].chars().next_back();
        let after = haystack[at + needle.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// Everything a scenario printed, and the check that no secret is in it or in the logs.
#[derive(Default)]
struct Printed(Vec<(String, String)>);

impl Printed {
    fn debug(&mut self, what: &str, value: &impl std::fmt::Debug) {
        self.0
            .push((format!("{what} (Debug)"), format!("{value:?}")));
        self.0
            .push((format!("{what} (Debug, pretty)"), format!("{value:#?}")));
    }

    fn error<E: std::fmt::Debug + std::fmt::Display + std::error::Error>(
        &mut self,
        what: &str,
        e: &E,
    ) {
        self.debug(what, e);
        self.0.push((format!("{what} (Display)"), e.to_string()));
        let mut source = e.source();
        while let Some(s) = source {
            self.0
                .push((format!("{what} (source Display)"), s.to_string()));
            self.0
                .push((format!("{what} (source Debug)"), format!("{s:?}")));
            source = s.source();
        }
    }

    fn assert_free_of(&self, secrets: &[&str]) {
        let logs = logs();
        assert!(!logs.is_empty(), "the capture recorded nothing");
        for secret in secrets {
            assert!(secret.len() >= 4, "too short to search for: {secret:?}");
            for (what, text) in &self.0 {
                assert!(
                    !contains_word(text, secret),
                    "{what} shows a secret: {text}"
                );
            }
            assert!(
                !contains_word(&logs, secret),
                "the logs show a secret {secret:?}"
            );
        }
    }
}

// ---------------------------------------------------------------------------------------
// Local servers that check the secrets arrive

/// The secrets of one scenario, unique to it.
struct Secrets {
    password: String,
    wrong_password: String,
    session: [String; 2],
    key: [String; 2],
    ticket: String,
}

impl Secrets {
    fn new(scenario: &str) -> Secrets {
        let s = |what: &str| format!("{scenario}-{what}-7f3c19e2a4");
        Secrets {
            password: s("password"),
            wrong_password: s("wrong"),
            session: [s("session0"), s("session1")],
            key: [s("key0"), s("key1")],
            ticket: s("ticket"),
        }
    }

    fn all(&self) -> Vec<&str> {
        vec![
            &self.password,
            &self.wrong_password,
            &self.session[0],
            &self.session[1],
            &self.key[0],
            &self.key[1],
            &self.ticket,
        ]
    }
}

struct Request {
    head: String,
    body: String,
}

impl Request {
    fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }
}

type Log = Arc<Mutex<Vec<Request>>>;

fn response(status: u16, content_type: &str, headers: &[(&str, &str)], body: &str) -> Vec<u8> {
    let mut head = format!(
        "HTTP/1.1 {status} X\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    format!("{head}\r\n{body}").into_bytes()
}

/// A plain-HTTP server on 127.0.0.1 answering with `route`; returns its URL and the
/// requests it got.
async fn server(route: impl Fn(&Request) -> Vec<u8> + Send + Sync + 'static) -> (String, Log) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let log: Log = Arc::default();
    let route = Arc::new(route);
    let requests = Arc::clone(&log);
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let route = Arc::clone(&route);
            let requests = Arc::clone(&requests);
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                loop {
                    let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") else {
                        match stream.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buf.extend_from_slice(&chunk[..n]),
                        }
                        continue;
                    };
                    let head = String::from_utf8_lossy(&buf[..end]).into_owned();
                    let length = head
                        .lines()
                        .find_map(|l| {
                            let (k, v) = l.split_once(':')?;
                            k.eq_ignore_ascii_case("content-length").then(|| v.trim())
                        })
                        .and_then(|v| v.parse::<usize>().ok())
                        .unwrap_or(0);
                    if buf.len() < end + 4 + length {
                        match stream.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buf.extend_from_slice(&chunk[..n]),
                        }
                        continue;
                    }
                    let body =
                        String::from_utf8_lossy(&buf[end + 4..end + 4 + length]).into_owned();
                    buf.drain(..end + 4 + length);
                    let request = Request { head, body };
                    let reply = route(&request);
                    requests.lock().unwrap().push(request);
                    if stream.write_all(&reply).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    (format!("http://{addr}"), log)
}

fn json_user_session(key: &str) -> String {
    json!({
        "_typeName": "UserSession",
        "key": key, "userName": "administrator@vsphere.local", "fullName": "Administrator",
        "loginTime": "2024-05-01T10:00:00Z", "lastActiveTime": "2024-05-01T10:05:00Z",
        "locale": "en", "messageLocale": "en", "extensionSession": false,
        "ipAddress": "127.0.0.1", "userAgent": "vsphere-rs", "callCount": 1
    })
    .to_string()
}

fn json_fault(type_name: &str) -> Vec<u8> {
    let body = json!({"_typeName": type_name, "faultMessage": [{"_typeName": "LocalizableMessage", "key": "k", "message": "Login failure"}]});
    response(500, "application/json", &[], &body.to_string())
}

/// A VI/JSON server for `secrets`: only the right password and the ticket log in.
fn json_route(secrets: &Secrets) -> impl Fn(&Request) -> Vec<u8> + Send + Sync + 'static {
    let password = format!("\"password\":\"{}\"", secrets.password);
    let ticket = secrets.ticket.clone();
    let (session, key) = (secrets.session.clone(), secrets.key.clone());
    let spent = AtomicBool::new(false);
    move |r| {
        let path = r.head.split_whitespace().nth(1).unwrap_or_default();
        let json = |body: String| response(200, "application/json", &[], &body);
        let login = |i: usize| {
            response(
                200,
                "application/json",
                &[("vmware-api-session-id", &session[i])],
                &json_user_session(&key[i]),
            )
        };
        match path.rsplit('/').next().unwrap_or_default() {
            "RetrieveServiceContent" => json(service_content().to_string()),
            "Login" if r.body.contains(&password) => login(0),
            "Login" => json_fault("InvalidLogin"),
            "AcquireCloneTicket" => json(format!("\"{ticket}\"")),
            "CloneSession" if r.body.contains(&ticket) && !spent.swap(true, Ordering::SeqCst) => {
                login(1)
            }
            "CloneSession" => json_fault("InvalidLogin"),
            "currentSession" => json(json_user_session(&key[0])),
            "sessionList" => json(format!(
                "[{},{}]",
                json_user_session(&key[0]),
                json_user_session(&key[1])
            )),
            "SessionIsActive" => json("true".into()),
            "TerminateSession" | "Logout" => response(204, "application/json", &[], ""),
            _ => response(404, "text/plain", &[], "no such path"),
        }
    }
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

fn soap_user_session(key: &str) -> String {
    format!(
        concat!(
            "<key>{}</key><userName>administrator@vsphere.local</userName><fullName>Administrator</fullName>",
            "<loginTime>2024-05-01T10:00:00Z</loginTime><lastActiveTime>2024-05-01T10:05:00Z</lastActiveTime>",
            "<locale>en</locale><messageLocale>en</messageLocale><extensionSession>false</extensionSession>",
            "<ipAddress>127.0.0.1</ipAddress><userAgent>vsphere-rs</userAgent><callCount>1</callCount>"
        ),
        key
    )
}

/// A SOAP server for `secrets`, setting the session cookie as vCenter does.
fn soap_route(secrets: &Secrets) -> impl Fn(&Request) -> Vec<u8> + Send + Sync + 'static {
    let password = format!("<password>{}</password>", secrets.password);
    let ticket = format!("<cloneTicket>{}</cloneTicket>", secrets.ticket);
    let clone_ticket = secrets.ticket.clone();
    let (session, key) = (secrets.session.clone(), secrets.key.clone());
    let spent = AtomicBool::new(false);
    move |r| {
        let xml = |body: String, headers: &[(&str, &str)]| {
            response(
                200,
                "text/xml; charset=utf-8",
                headers,
                &soap_envelope(&body),
            )
        };
        let fault = || {
            let body = soap_envelope(concat!(
                "<soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring>Login failure</faultstring>",
                r#"<detail><InvalidLoginFault xmlns="urn:vim25" xsi:type="InvalidLogin"></InvalidLoginFault></detail></soapenv:Fault>"#
            ));
            response(500, "text/xml; charset=utf-8", &[], &body)
        };
        let login = |method: &str, i: usize| {
            let cookie = format!(
                "vmware_soap_session=\"{}\"; Path=/; HttpOnly; Secure;",
                session[i]
            );
            xml(
                format!(
                    r#"<{method}Response xmlns="urn:vim25"><returnval>{}</returnval></{method}Response>"#,
                    soap_user_session(&key[i])
                ),
                &[("Set-Cookie", &cookie)],
            )
        };
        let b = &r.body;
        if b.contains("<RetrieveServiceContent ") {
            xml(
                concat!(
                    r#"<RetrieveServiceContentResponse xmlns="urn:vim25"><returnval>"#,
                    r#"<rootFolder type="Folder">group-d1</rootFolder>"#,
                    r#"<propertyCollector type="PropertyCollector">propertyCollector</propertyCollector>"#,
                    "<about><name>VMware vCenter Server</name><fullName>VMware vCenter Server 8.0.2</fullName>",
                    "<vendor>VMware, Inc.</vendor><version>8.0.2</version><build>1</build>",
                    "<osType>linux-x64</osType><productLineId>vpx</productLineId>",
                    "<apiType>VirtualCenter</apiType><apiVersion>8.0.2.0</apiVersion></about>",
                    r#"<sessionManager type="SessionManager">SessionManager</sessionManager>"#,
                    "</returnval></RetrieveServiceContentResponse>"
                )
                .to_string(),
                &[],
            )
        } else if b.contains("<Login ") {
            if b.contains(&password) {
                login("Login", 0)
            } else {
                fault()
            }
        } else if b.contains("<AcquireCloneTicket ") {
            xml(
                format!(
                    r#"<AcquireCloneTicketResponse xmlns="urn:vim25"><returnval>{clone_ticket}</returnval></AcquireCloneTicketResponse>"#
                ),
                &[],
            )
        } else if b.contains("<CloneSession ") {
            if b.contains(&ticket) && !spent.swap(true, Ordering::SeqCst) {
                login("CloneSession", 1)
            } else {
                fault()
            }
        } else if b.contains("<Logout ") {
            xml(
                r#"<LogoutResponse xmlns="urn:vim25"></LogoutResponse>"#.into(),
                &[],
            )
        } else {
            response(500, "text/plain", &[], "unexpected request")
        }
    }
}

// ---------------------------------------------------------------------------------------
// Scenarios

/// Login, clone ticket, clone session, a failed login and a failed clone; every value and
/// error is printed into `printed`. Returns the two clients' session ids as the
/// connections hold them.
async fn session_scenario(
    url: &str,
    protocol: Protocol,
    user: &str,
    password: &str,
    wrong_password: &str,
    printed: &mut Printed,
) -> Vec<String> {
    let builder = Client::builder(url)
        .protocol(protocol)
        .wire_log(vsphere::WireLog::Detailed);
    printed.debug("builder", &builder);
    let client = builder.build().await.expect("bootstrap");
    let sm = client.session_manager().unwrap();
    let password = Secret::from(password);
    printed.debug("password", &password);
    printed
        .0
        .push(("password (Display)".into(), password.to_string()));

    let me = sm.login(user, &password, None).await.expect("login");
    printed.debug("login result", &me);
    printed.debug("client", &client);
    printed.debug("connection", client.connection());
    printed.debug("session id", &client.connection().session_id());
    printed.debug("session manager", &sm);

    let ticket = sm.acquire_clone_ticket().await.expect("clone ticket");
    printed.debug("clone ticket", &ticket);
    printed
        .0
        .push(("clone ticket (Display)".into(), ticket.to_string()));

    let second = Client::builder(url)
        .wire_log(vsphere::WireLog::Detailed)
        .protocol(protocol)
        .build()
        .await
        .expect("bootstrap");
    let second_sm = second.session_manager().unwrap();
    let cloned = second_sm.clone_session(&ticket).await.expect("clone");
    printed.debug("clone result", &cloned);
    printed.debug("second client", &second);
    printed.debug("second connection", second.connection());

    // A ticket is good for one use.
    let third = Client::builder(url)
        .wire_log(vsphere::WireLog::Detailed)
        .protocol(protocol)
        .build()
        .await
        .unwrap();
    match third
        .session_manager()
        .unwrap()
        .clone_session(&ticket)
        .await
    {
        Err(e @ CloneSessionError::InvalidLogin(_)) => printed.error("clone error", &e),
        other => panic!("expected InvalidLogin for a spent ticket, got {other:?}"),
    }

    match third
        .session_manager()
        .unwrap()
        .login(user, &Secret::from(wrong_password), None)
        .await
    {
        Err(e @ LoginError::InvalidLogin(_)) => printed.error("login error", &e),
        other => panic!("expected InvalidLogin, got {other:?}"),
    }
    printed.debug("third connection", third.connection());

    let ids = [client.connection(), second.connection()]
        .iter()
        .map(|c| c.session_id().expect("a session").expose().clone())
        .collect();
    printed.debug("me.key", &me.key);
    printed.debug("cloned.key", &cloned.key);
    // Both sessions are used once more (and ended).
    second_sm.logout().await.expect("logout");
    sm.logout().await.expect("logout");
    printed.debug("connection after logout", client.connection());
    ids
}

#[tokio::test]
async fn vi_json_login_clone_and_failure_reveal_no_secret() {
    capture_logs();
    let secrets = Secrets::new("json");
    let (url, requests) = server(json_route(&secrets)).await;
    let mut printed = Printed::default();
    let ids = session_scenario(
        &url,
        Protocol::VimJson,
        "administrator@vsphere.local",
        &secrets.password,
        &secrets.wrong_password,
        &mut printed,
    )
    .await;
    assert_eq!(ids, secrets.session, "the session headers were kept");

    // More calls with the session and with session ids as parameters.
    let client = Client::builder(&url)
        .wire_log(vsphere::WireLog::Detailed)
        .build()
        .await
        .unwrap();
    let sm = client.session_manager().unwrap();
    sm.login(
        "administrator@vsphere.local",
        &Secret::from(secrets.password.as_str()),
        None,
    )
    .await
    .unwrap();
    let current = sm.current_session().await.unwrap();
    printed.debug("current session", &current);
    printed.debug("session list", &sm.session_list().await.unwrap());
    let key = Secret::new(secrets.key[1].clone());
    assert!(sm
        .session_is_active(&key, "administrator@vsphere.local")
        .await
        .unwrap());
    sm.terminate_session(std::slice::from_ref(&key))
        .await
        .unwrap();
    printed.debug("client after more calls", &client);

    // Every secret the client sends reached the server: passwords, ticket and session key
    // in bodies, session ids in headers. (Session keys otherwise only come back.)
    let requests = requests.lock().unwrap();
    let sent = |s: &str| {
        requests
            .iter()
            .any(|r| r.body.contains(s) || r.header("vmware-api-session-id") == Some(s))
    };
    for s in [
        &secrets.password,
        &secrets.wrong_password,
        &secrets.session[0],
        &secrets.session[1],
        &secrets.ticket,
        &secrets.key[1],
    ] {
        assert!(sent(s), "{s} was never sent");
    }
    printed.assert_free_of(&secrets.all());
}

#[tokio::test]
async fn soap_login_clone_and_failure_reveal_no_secret() {
    capture_logs();
    let secrets = Secrets::new("soap");
    let (url, requests) = server(soap_route(&secrets)).await;
    let mut printed = Printed::default();
    let ids = session_scenario(
        &url,
        Protocol::Soap,
        "administrator@vsphere.local",
        &secrets.password,
        &secrets.wrong_password,
        &mut printed,
    )
    .await;
    assert_eq!(ids, secrets.session, "the session cookies were kept");
    let requests = requests.lock().unwrap();
    let cookie = |s: &str| format!("vmware_soap_session={s}");
    let sent = |s: &str| {
        requests
            .iter()
            .any(|r| r.body.contains(s) || r.header("cookie") == Some(cookie(s).as_str()))
    };
    // The session keys themselves only come back from the server.
    for s in [
        &secrets.password,
        &secrets.wrong_password,
        &secrets.session[0],
        &secrets.session[1],
        &secrets.ticket,
    ] {
        assert!(sent(s), "{s} was never sent");
    }
    printed.assert_free_of(&secrets.all());
}

#[tokio::test]
async fn soap_against_vcsim_reveals_no_secret() {
    capture_logs();
    let sim = vcsim_harness::shared();
    let mut printed = Printed::default();
    let wrong = "vcsim-wrong-password-51d0e8";
    let ids = session_scenario(
        &sim.endpoint(),
        Protocol::Soap,
        &sim.user(),
        &sim.password(),
        wrong,
        &mut printed,
    )
    .await;
    let password = sim.password();
    let mut secrets: Vec<&str> = vec![&password, wrong];
    secrets.extend(ids.iter().map(String::as_str));
    printed.assert_free_of(&secrets);
    // The clone ticket is not known outside the scenario; acquire another and check it.
    let client = Client::builder(sim.endpoint())
        .wire_log(vsphere::WireLog::Detailed)
        .protocol(Protocol::Soap)
        .build()
        .await
        .unwrap();
    let sm = client.session_manager().unwrap();
    let me = sm
        .login(&sim.user(), &Secret::new(sim.password()), None)
        .await
        .unwrap();
    let ticket = sm.acquire_clone_ticket().await.unwrap();
    let mut printed = Printed::default();
    printed.debug("ticket", &ticket);
    printed.debug("me", &me);
    printed.debug("client", &client);
    let key = me.key.expose().clone();
    printed.assert_free_of(&[ticket.expose().as_str(), key.as_str()]);
}

#[test]
fn builder_debug_hides_credentials_in_the_url() {
    let builder = Client::builder("https://admin7:builder-secret-91aa@vc.example.com/sdk");
    let debug = format!("{builder:?} {builder:#?}");
    assert!(!debug.contains("builder-secret-91aa"), "{debug}");
    assert!(!debug.contains("admin7"), "{debug}");
    assert!(debug.contains("vc.example.com/sdk"), "{debug}");
}

/// The capture is not blind: a reqwest client in `connection_verbose` mode logs every
/// byte through `log` at TRACE, so a password it sends shows up; the runtime's own
/// tracing events are captured too.
#[tokio::test]
async fn the_capture_would_catch_a_leak() {
    capture_logs();
    let secrets = Secrets::new("canary");
    let (url, _requests) = server(json_route(&secrets)).await;
    let verbose = reqwest::Client::builder()
        .connection_verbose(true)
        .build()
        .unwrap();
    verbose
        .post(format!(
            "{url}/sdk/vim25/8.0.1.0/SessionManager/SessionManager/Login"
        ))
        .header("Content-Type", "application/json")
        .body(format!(
            r#"{{"userName":"u","password":"{}"}}"#,
            secrets.password
        ))
        .send()
        .await
        .unwrap();
    let client = Client::builder(&url)
        .wire_log(vsphere::WireLog::Detailed)
        .build()
        .await
        .unwrap();
    client
        .session_manager()
        .unwrap()
        .login("u", &Secret::from(secrets.password.as_str()), None)
        .await
        .unwrap();
    let logs = logs();
    assert!(
        logs.contains(&secrets.password),
        "connection_verbose leaks the password into the captured log"
    );
    assert!(
        logs.contains("vSphere call") && logs.contains("[REDACTED]"),
        "the runtime's wire log (detailed, redacted) is captured"
    );
    assert!(
        logs.contains("starting new connection"),
        "reqwest's log records are captured"
    );
}

#[test]
fn contains_word_finds_whole_words_only() {
    assert!(contains_word("<password>pass</password>", "pass"));
    assert!(contains_word("pass", "pass"));
    assert!(contains_word("user=u pass=x", "pass"));
    assert!(contains_word("t-1-used", "t-1"));
    assert!(!contains_word("password passes bypass apass", "pass"));
}
