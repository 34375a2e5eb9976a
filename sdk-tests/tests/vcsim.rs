//! End to end over SOAP against govmomi's vCenter simulator (vcsim): every `SessionManager`
//! method and property, with asserted outcomes. vcsim is built from Debian's govmomi source
//! by `vcsim-harness` (one instance per test binary); nothing here is skipped when it is
//! missing — the harness fails with the command that installs it.
#![allow(deprecated)]

use vsphere::{
    AnySessionManagerServiceRequestSpec, Client, CloneSessionError, Protocol, Secret,
    SessionManager, SessionManagerHttpServiceRequestSpec, TerminateSessionError,
};
use vsphere_runtime::Error;

mod common;

/// A client bootstrapped over SOAP on the shared simulator (not logged in).
async fn client() -> Client {
    let sim = vcsim_harness::shared();
    Client::builder(sim.endpoint())
        .protocol(Protocol::Soap)
        .build()
        .await
        .expect("bootstrap over SOAP")
}

/// A client that has logged in, with its session manager and session.
async fn logged_in() -> (Client, SessionManager, vsphere::UserSession) {
    let sim = vcsim_harness::shared();
    let client = client().await;
    let sm = client.session_manager().unwrap();
    let me = sm
        .login(&sim.user(), &Secret::new(sim.password()), None)
        .await
        .expect("login with the simulator's credentials");
    (client, sm, me)
}

/// That a call needing a session fails with `NotAuthenticated` (the session `me` is over).
async fn assert_refused_without_session(sm: &SessionManager, me: &vsphere::UserSession) {
    let err = sm
        .session_is_active(&me.key, &me.user_name)
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string().split(':').next().unwrap(),
        "NotAuthenticated",
        "{err}"
    );
}

/// The fault type name of an error enum's catch-all, or a panic naming what it was.
fn other_fault_name<E: std::fmt::Debug>(e: &E, raw: Option<&vsphere::RawFault>) -> String {
    match raw {
        Some(f) => f.type_name.clone(),
        None => panic!("expected a server fault, got {e:?}"),
    }
}

#[tokio::test]
async fn bootstrap_reads_the_service_content() {
    let client = client().await;
    let about = &client.service_content().about;
    assert_eq!(about.api_type, "VirtualCenter");
    assert_eq!(about.api_version, "6.5");
    assert_eq!(
        client.connection().server_version().unwrap().to_string(),
        "6.5"
    );
    assert_eq!(
        client.session_manager().unwrap().reference().type_,
        "SessionManager"
    );
    assert_eq!(
        client.connection().property_collector().unwrap().type_,
        "PropertyCollector"
    );
}

#[tokio::test]
async fn login_current_session_session_list_and_logout() {
    let sim = vcsim_harness::shared();
    let (client, sm, me) = logged_in().await;
    assert_eq!(me.user_name, sim.user());
    assert!(!me.key.expose().is_empty());
    assert!(
        !format!("{me:?}").contains(me.key.expose().as_str()),
        "the session key is redacted"
    );
    let session_id = client
        .connection()
        .session_id()
        .expect("the session cookie was kept");
    assert_eq!(
        session_id.expose(),
        me.key.expose(),
        "vmware_soap_session is the session key"
    );

    let current = sm
        .current_session()
        .await
        .unwrap()
        .expect("logged in, so there is a current session");
    assert_eq!(current.key, me.key);
    assert_eq!(current.user_name, sim.user());
    let all = sm.session_list().await.unwrap();
    assert!(
        all.iter().any(|s| s.key == me.key),
        "sessionList holds our session"
    );

    sm.logout().await.unwrap();
    assert!(client.connection().session_id().is_none());
    // Logged out: vcsim now refuses calls that need a session.
    assert_refused_without_session(&sm, &me).await;
}

#[tokio::test]
async fn wrong_password_is_a_typed_invalid_login() {
    let sim = vcsim_harness::shared();
    let sm = client().await.session_manager().unwrap();
    match sm
        .login(&sim.user(), &Secret::from("not-the-password"), None)
        .await
    {
        Err(vsphere::LoginError::InvalidLogin(fault)) => {
            assert_eq!(fault.type_name, "InvalidLogin");
            assert_eq!(fault.message.as_deref(), Some("Login failure"));
            assert!(!format!("{fault:?}").contains("not-the-password"));
        }
        other => panic!("expected InvalidLogin, got {other:?}"),
    }
}

#[tokio::test]
async fn session_is_active_is_true_for_live_sessions_only() {
    let sim = vcsim_harness::shared();
    let (_a, _sm_a, me_a) = logged_in().await;
    let (_b, sm_b, _me_b) = logged_in().await;
    assert!(sm_b
        .session_is_active(&me_a.key, &sim.user())
        .await
        .unwrap());
    assert!(!sm_b
        .session_is_active(&me_a.key, "someone-else")
        .await
        .unwrap());
    assert!(!sm_b
        .session_is_active(&Secret::from("00000000-no-such-session"), &sim.user())
        .await
        .unwrap());
}

#[tokio::test]
async fn terminate_another_session_and_not_found_for_unknown_ids() {
    let sim = vcsim_harness::shared();
    let (_a, sm_a, me_a) = logged_in().await;
    let (_b, sm_b, me_b) = logged_in().await;
    sm_a.terminate_session(std::slice::from_ref(&me_b.key))
        .await
        .unwrap();
    assert!(
        !sm_a
            .session_is_active(&me_b.key, &sim.user())
            .await
            .unwrap(),
        "B is gone"
    );
    // B's own connection is no longer authenticated.
    assert!(sm_b.current_session().await.unwrap().is_none() || sm_b.session_list().await.is_err());

    match sm_a
        .terminate_session(&[Secret::from("no-such-session")])
        .await
    {
        Err(TerminateSessionError::NotFound(f)) => assert_eq!(f.type_name, "NotFound"),
        other => panic!("expected NotFound, got {other:?}"),
    }
    // The documentation says the current session cannot be terminated this way.
    match sm_a
        .terminate_session(std::slice::from_ref(&me_a.key))
        .await
    {
        Err(TerminateSessionError::InvalidArgument(f)) => {
            assert_eq!(f.type_name, "InvalidArgument")
        }
        other => panic!("expected InvalidArgument, got {other:?}"),
    }
}

#[tokio::test]
async fn clone_ticket_logs_a_second_client_in_once() {
    let sim = vcsim_harness::shared();
    let (_a, sm_a, me_a) = logged_in().await;
    let ticket = sm_a.acquire_clone_ticket().await.unwrap();
    assert!(!ticket.expose().is_empty());
    assert_eq!(format!("{ticket:?}"), "[REDACTED]");

    let second = client().await;
    let sm_second = second.session_manager().unwrap();
    let cloned = sm_second.clone_session(&ticket).await.unwrap();
    assert_eq!(cloned.user_name, me_a.user_name);
    assert_ne!(cloned.key, me_a.key, "a clone is a new session");
    assert!(sm_second
        .session_is_active(&cloned.key, &sim.user())
        .await
        .unwrap());

    // A ticket is good for one use.
    let third = client().await.session_manager().unwrap();
    match third.clone_session(&ticket).await {
        Err(CloneSessionError::InvalidLogin(f)) => {
            assert_eq!(f.message.as_deref(), Some("Login failure"))
        }
        other => panic!("expected InvalidLogin for a used ticket, got {other:?}"),
    }
}

#[tokio::test]
async fn login_by_token_without_a_token_is_invalid_login() {
    // vcsim reads the SAML token from the WS-Security header, which this SDK does not send.
    let sm = client().await.session_manager().unwrap();
    match sm.login_by_token(Some("en")).await {
        Err(vsphere::LoginByTokenError::InvalidLogin(f)) => assert_eq!(f.type_name, "InvalidLogin"),
        other => panic!("expected InvalidLogin, got {other:?}"),
    }
}

#[tokio::test]
async fn acquire_generic_service_ticket_sends_a_polymorphic_spec() {
    let (_c, sm, _me) = logged_in().await;
    let spec = AnySessionManagerServiceRequestSpec::from(SessionManagerHttpServiceRequestSpec {
        method: Some("httpGet".into()),
        url: "https://127.0.0.1/cgi-bin/vm-support.cgi".into(),
        ..Default::default()
    });
    let ticket = sm.acquire_generic_service_ticket(&spec).await.unwrap();
    assert_eq!(ticket.id.expose().len(), 36, "a UUID ticket");
    assert!(!format!("{ticket:?}").contains(ticket.id.expose().as_str()));
}

#[tokio::test]
async fn login_extension_by_certificate_without_a_certificate_is_typed() {
    let sm = client().await.session_manager().unwrap();
    match sm
        .login_extension_by_certificate("com.example.ext", None)
        .await
    {
        Err(vsphere::LoginExtensionByCertificateError::NoClientCertificate(f)) => {
            assert_eq!(f.type_name, "NoClientCertificate")
        }
        other => panic!("expected NoClientCertificate, got {other:?}"),
    }
}

/// Methods vcsim does not implement come back as a typed fault, never a panic or a
/// decode error.
#[tokio::test]
async fn unimplemented_methods_are_faults_not_decode_errors() {
    let (_c, sm, _me) = logged_in().await;
    let mut seen = Vec::new();
    macro_rules! fault_of {
        ($call:expr, $err:ident) => {{
            let e = $call.await.expect_err("vcsim does not implement this");
            let raw = match &e {
                vsphere::$err::OtherFault(f) => Some(f),
                _ => None,
            };
            let name = other_fault_name(&e, raw);
            seen.push((stringify!($err), name.clone()));
            name
        }};
    }
    // vcsim answers MethodNotFound for methods it lacks, InvalidRequest for ones its
    // type table lacks (LoginExtension is gone from the API since 5.0).
    let not_found = |n: &str| {
        [
            "MethodNotFound",
            "NotImplemented",
            "NotSupported",
            "InvalidRequest",
        ]
        .contains(&n)
    };
    assert!(not_found(&fault_of!(
        sm.update_service_message("hello"),
        UpdateServiceMessageError
    )));
    assert!(not_found(&fault_of!(sm.set_locale("de"), SetLocaleError)));
    assert!(not_found(&fault_of!(
        sm.impersonate_user("root", None),
        ImpersonateUserError
    )));
    assert!(not_found(&fault_of!(
        sm.acquire_local_ticket("root"),
        AcquireLocalTicketError
    )));
    assert!(not_found(&fault_of!(
        sm.login_extension_by_subject_name("com.example", None),
        LoginExtensionBySubjectNameError
    )));
    assert!(not_found(&fault_of!(
        sm.login_by_sspi(&Secret::from("TlRMTVNTUAAB"), None),
        LoginBySSPIError
    )));
    assert!(not_found(&fault_of!(
        sm.login_extension("com.example", &Secret::from("c2ln"), None),
        LoginExtensionError
    )));
    assert_eq!(seen.len(), 7, "{seen:?}");
    eprintln!("vcsim faults: {seen:?}");
}

#[tokio::test]
async fn locale_and_message_properties() {
    let (_c, sm, _me) = logged_in().await;
    // vcsim leaves these unset; they must read as empty, not fail to decode.
    let message = sm.message().await.unwrap();
    let default_locale = sm.default_locale().await.unwrap();
    let supported = sm.supported_locale_list().await.unwrap();
    let message_locales = sm.message_locale_list().await.unwrap();
    assert!(message.is_none() || message.as_deref() == Some(""));
    assert!(default_locale.is_none() || !default_locale.as_deref().unwrap().is_empty());
    assert!(supported.iter().all(|l| !l.is_empty()));
    assert!(message_locales.iter().all(|l| !l.is_empty()));
}

#[tokio::test]
async fn methods_newer_than_the_server_are_refused_locally() {
    // vcsim reports API 6.5; nothing in SessionManager is newer, so check the gate's
    // inputs instead: every since-version parses and none exceeds 6.5 for this server.
    let (client, _sm, _me) = logged_in().await;
    let server = client.connection().server_version().unwrap();
    for m in vsphere::meta::METHODS
        .iter()
        .filter(|m| m.managed_object == "SessionManager")
    {
        assert!(
            m.since.is_none_or(|s| s <= server),
            "{} since {:?}",
            m.name,
            m.since_label
        );
    }
    let current_time = client.service_instance().current_time().await.unwrap();
    assert!(current_time.timestamp() > 1_600_000_000);
    let _ = Error::Protocol(String::new());
}

/// The `sessions` tool over SOAP: the about info, a table with our session, a clean logout;
/// a wrong password is the server's fault.
#[tokio::test]
async fn the_sessions_tool_works_against_vcsim() {
    use vsphere_tests::sessions::{parse_args, run};
    let sim = vcsim_harness::shared();
    let args = parse_args(["--url".to_string(), sim.url.clone(), "--soap".into()]).unwrap();
    let report = run(&args).await.unwrap();
    assert!(report.contains("api version: 6.5"), "{report}");
    assert!(
        report.contains(&format!("logged in as {}", sim.user())),
        "{report}"
    );
    let table: Vec<&str> = report
        .lines()
        .skip_while(|l| !l.starts_with("USER"))
        .skip(1)
        .take_while(|l| !l.starts_with('('))
        .collect();
    assert!(!table.is_empty(), "{report}");
    assert!(
        table.iter().all(|row| row.contains("127.0.0.1")),
        "{report}"
    );
    assert!(report.trim_end().ends_with("logged out"));

    let bad_url = sim.url.replace(&format!(":{}@", sim.password()), ":wrong@");
    let bad = parse_args(["--url".to_string(), bad_url, "--soap".into()]).unwrap();
    let err = run(&bad).await.unwrap_err();
    assert_eq!(err.to_string(), "InvalidLogin: Login failure");
}

/// The sessions the simulator lists, as seen by a fresh observer session: (key, agent).
async fn listed_sessions() -> Vec<(String, String)> {
    let (observer, sm, _) = logged_in().await;
    let list = sm.session_list().await.unwrap();
    observer.close().await.unwrap();
    list.into_iter()
        .map(|s| (s.key.expose().clone(), s.user_agent))
        .collect()
}

#[tokio::test]
async fn the_application_named_in_the_user_agent_is_in_the_session_list() {
    let sim = vcsim_harness::shared();
    let client = Client::builder(sim.endpoint())
        .protocol(Protocol::Soap)
        .application("inventory-report", "2.1.0")
        .build()
        .await
        .unwrap();
    let me = client
        .session_manager()
        .unwrap()
        .login(&sim.user(), &Secret::new(sim.password()), None)
        .await
        .unwrap();
    let agent = format!(
        "inventory-report/2.1.0 vsphere-rs/{}",
        env!("CARGO_PKG_VERSION")
    );
    let listed = listed_sessions().await;
    assert!(
        listed.contains(&(me.key.expose().clone(), agent.clone())),
        "{agent} in {:?}",
        listed.iter().map(|(_, a)| a).collect::<Vec<_>>()
    );
    client.close().await.unwrap();
    // A name that is no HTTP token is refused before anything is sent.
    let err = Client::builder(sim.endpoint())
        .application("inventory report", "2.1.0")
        .build()
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "cannot set up the HTTP client: the application name \"inventory report\" is not an HTTP token"
    );
}

#[tokio::test]
async fn close_logs_out_once_for_every_clone() {
    let (client, sm, me) = logged_in().await;
    let clone = client.clone();
    let key = me.key.expose().clone();
    assert!(listed_sessions().await.iter().any(|(k, _)| *k == key));
    // Two clones close at once: one logout, both Ok.
    let (a, b) = tokio::join!(client.close(), clone.close());
    a.unwrap();
    b.unwrap();
    assert!(client.connection().session_id().is_none());
    assert!(
        !listed_sessions().await.iter().any(|(k, _)| *k == key),
        "the session is gone from the server"
    );
    // Closing again sends nothing and succeeds; the clones' calls are refused by the
    // server as calls without a session.
    clone.close().await.unwrap();
    assert_refused_without_session(&sm, &me).await;
    // A client that never logged in has nothing to close.
    crate::client().await.close().await.unwrap();
}

// `#[tokio::test]` runs on a current-thread runtime: dropping must neither block on it
// nor need it.
#[tokio::test]
async fn dropping_a_client_without_close_leaves_its_session_to_idle_out() {
    let (client, sm, me) = logged_in().await;
    let key = me.key.expose().clone();
    drop(sm);
    drop(client);
    assert!(
        listed_sessions().await.iter().any(|(k, _)| *k == key),
        "a dropped client's session stays until the server idles it out"
    );
}

/// A client over SOAP on the shared simulator with wire logging at `level`.
async fn logging_client(level: vsphere::WireLog) -> Client {
    Client::builder(vcsim_harness::shared().endpoint())
        .protocol(Protocol::Soap)
        .wire_log(level)
        .build()
        .await
        .unwrap()
}

// A current-thread runtime: the subscriber set for this thread sees every event.
#[tokio::test]
async fn the_detailed_wire_log_of_login_clone_session_and_query_connection_info_has_no_secret() {
    let sim = vcsim_harness::shared();
    let (log, _guard) = common::capture_logs();

    let first = logging_client(vsphere::WireLog::Detailed).await;
    let sm = first.session_manager().unwrap();
    let me = sm
        .login(&sim.user(), &Secret::new(sim.password()), None)
        .await
        .unwrap();
    let ticket = sm.acquire_clone_ticket().await.unwrap();
    let second = logging_client(vsphere::WireLog::Detailed).await;
    let cloned = second
        .session_manager()
        .unwrap()
        .clone_session(&ticket)
        .await
        .unwrap();
    let children = first.root_folder().child_entity().await.unwrap();
    let datacenter = vsphere::Datacenter::new(first.connection().clone(), children[0].clone());
    let host_password = "esx-Secret-81f3";
    // vcsim may refuse the call; its request is logged either way.
    let _ = datacenter
        .query_connection_info(
            "esx-1",
            443,
            "root",
            &Secret::new(host_password.into()),
            None,
        )
        .await;
    first.close().await.unwrap();
    second.close().await.unwrap();

    let text = log.text();
    let secrets = [
        me.key.expose().clone(),
        cloned.key.expose().clone(),
        ticket.expose().clone(),
        host_password.to_string(),
        format!(">{}<", sim.password()),
    ];
    for secret in &secrets {
        assert!(
            !text.contains(secret.as_str()),
            "{secret:?} is in the log:\n{text}"
        );
    }
    // The requests are there, with the secrets redacted in place.
    for logged in [
        "<password>[REDACTED]</password>",
        "<cloneTicket>[REDACTED]</cloneTicket>",
        "<hostname>esx-1</hostname>",
    ] {
        assert!(text.contains(logged), "{logged} is not in the log:\n{text}");
    }
    // A summary per call, on the SOAP target, inside the call's span.
    let login_summary = text
        .lines()
        .find(|l| l.contains("vSphere call") && l.contains("method=\"Login\""))
        .unwrap_or_else(|| panic!("no summary of Login in:\n{text}"));
    for part in [
        "vsphere_call{object=\"SessionManager\" method=\"Login\"}",
        "vsphere::wire::soap:",
        "transport=\"soap\"",
        "request_bytes=",
        "response_bytes=",
        "duration_ms=",
    ] {
        assert!(
            login_summary.contains(part),
            "{part} not in {login_summary}"
        );
    }
    // The decoded response of Login is logged with its session key redacted.
    assert!(
        text.lines().any(|l| l.contains("response")
            && l.contains("UserSession")
            && l.contains("key: [REDACTED]")),
        "{text}"
    );

    // Off by default: a client without wire logging adds no wire event.
    let before = text.matches("vsphere::wire").count();
    let quiet = client().await;
    quiet
        .session_manager()
        .unwrap()
        .session_is_active(&me.key, &me.user_name)
        .await
        .ok();
    assert_eq!(log.text().matches("vsphere::wire").count(), before);
}
