//! The connection to a server: configuration, session state, and the VI/JSON and SOAP calls
//! (sent with `crate::http`).
//!
//! Dropping the last clone of a [`Connection`] does not log out: the server keeps the
//! session until it times out (vCenter's default idle timeout is 30 minutes). Call the
//! generated `SessionManager::logout` to end it at once.

use std::collections::BTreeMap;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http::header::{HeaderValue, ACCEPT, CONTENT_TYPE, COOKIE, SET_COOKIE};
use http::Request;
use http_body_util::Full;

use crate::data::{self, Param};
use crate::envelope;
use crate::error::{CallError, Error, FaultBody, RawFault};
use crate::http::{Reply, Settings, Transport};
use crate::soap::{Response, SoapError, SoapWrite, SoapWriter};
use crate::wirelog::{self, WireLog};
use crate::xml;
use crate::{
    ApiVersion, ManagedObjectReference, MethodInfo, PropertyInfo, Secret, TooNew, VersionGate,
};
use tracing::Instrument;

/// The header VI/JSON uses to carry the session id.
pub const SESSION_HEADER: &str = "vmware-api-session-id";

/// The cookie SOAP uses to carry the session id.
pub const SOAP_SESSION_COOKIE: &str = "vmware_soap_session";

/// The release used until the server's own API version is known: the VI/JSON path
/// (8.0.1.0 is the first release that serves VI/JSON) and the SOAP `SOAPAction`
/// (`urn:vim25/8.0.1.0`).
pub const BOOTSTRAP_RELEASE: &str = "8.0.1.0";

/// Which wire protocol to speak.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Protocol {
    /// VI/JSON (`/sdk/vim25/{release}/…`), vCenter 8.0U1 and later.
    #[default]
    VimJson,
    /// vim25 SOAP (`/sdk`), every vCenter and ESXi.
    Soap,
}

/// Built by the generated client's `bootstrap`: how a connection becomes a client.
pub trait Bootstrap: Sized {
    /// Retrieves the service content over `connection` and builds the client.
    fn bootstrap(
        connection: Connection,
    ) -> impl std::future::Future<Output = Result<Self, Error>> + Send;
}

/// Configures a connection; `build` connects and bootstraps the client type `C`.
#[must_use]
pub struct ConnectionBuilder<C> {
    url: String,
    protocol: Protocol,
    accept_invalid_certs: bool,
    root_certificates: Vec<Vec<u8>>,
    pinned_sha256: Option<Result<[u8; 32], String>>,
    lenient: bool,
    connect_timeout: Duration,
    timeout: Duration,
    user_agent: String,
    /// Why the name or version given to [`ConnectionBuilder::application`] is refused.
    application_error: Option<String>,
    release: String,
    max_body_bytes: usize,
    wire_log: WireLog,
    _client: PhantomData<fn() -> C>,
}

impl<C: Bootstrap> ConnectionBuilder<C> {
    /// Starts a builder for the server at `url` (`https://vc.example.com`, optionally
    /// ending in `/sdk`). TLS certificates are verified by default.
    pub fn new(url: impl Into<String>) -> Self {
        ConnectionBuilder {
            url: url.into(),
            protocol: Protocol::default(),
            accept_invalid_certs: false,
            root_certificates: Vec::new(),
            pinned_sha256: None,
            lenient: false,
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(60),
            user_agent: SDK_AGENT.to_string(),
            application_error: None,
            release: BOOTSTRAP_RELEASE.to_string(),
            max_body_bytes: 64 * 1024 * 1024,
            wire_log: WireLog::Off,
            _client: PhantomData,
        }
    }

    /// Chooses the wire protocol (VI/JSON by default).
    pub fn protocol(mut self, protocol: Protocol) -> Self {
        self.protocol = protocol;
        self
    }

    /// Accepts any server certificate, even self-signed or expired ones. Only for
    /// lab servers: it makes the connection open to interception.
    pub fn danger_accept_invalid_certs(mut self, accept: bool) -> Self {
        self.accept_invalid_certs = accept;
        self
    }

    /// Trusts an additional CA certificate (PEM).
    pub fn add_root_certificate_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.root_certificates.push(pem.into());
        self
    }

    /// Accepts exactly the server certificate whose SHA-256 thumbprint is `thumbprint`
    /// (64 hex digits, `:`-separated pairs or not), whoever issued it: the usual way to
    /// trust a host's self-signed certificate. Checked by `connect`.
    pub fn pin_certificate_sha256(mut self, thumbprint: &str) -> Self {
        self.pinned_sha256 = Some(crate::http::parse_thumbprint(thumbprint));
        self
    }

    /// Decodes leniently: a field the documents call required that a response lacks
    /// takes its empty value instead of failing the whole response (vcsim and some real
    /// hosts omit such fields). Every such absence is counted, by `Type.field`, in
    /// [`Connection::absent_required_fields`] and logged at `warn`. Off by default:
    /// strict decoding fails with an error naming the type and the field.
    pub fn lenient_decoding(mut self, lenient: bool) -> Self {
        self.lenient = lenient;
        self
    }

    /// Time allowed to establish a connection (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Time allowed for a whole request, response included (default 60 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The `User-Agent` header, whole (default `vsphere-rs/<version>`); see
    /// [`ConnectionBuilder::application`] to name the application in it.
    pub fn user_agent(mut self, agent: impl Into<String>) -> Self {
        self.user_agent = agent.into();
        self
    }

    /// Names the application in the `User-Agent` header, before the SDK's own name:
    /// `my-tool/1.2 vsphere-rs/0.1.0`. Servers record it for each session
    /// (`SessionManager.sessionList[].userAgent`). Name and version must be HTTP tokens
    /// (no spaces, `/` or control characters), else [`ConnectionBuilder::connect`] fails.
    pub fn application(mut self, name: &str, version: &str) -> Self {
        self.user_agent = format!("{name}/{version} {SDK_AGENT}");
        self.application_error = [("name", name), ("version", version)]
            .into_iter()
            .find(|(_, t)| !is_token(t))
            .map(|(what, t)| format!("the application {what} {t:?} is not an HTTP token"));
        self
    }

    /// The VI/JSON release path used for the bootstrap call (default `8.0.1.0`).
    pub fn release(mut self, release: impl Into<String>) -> Self {
        self.release = release.into();
        self
    }

    /// How much of each call to log through `tracing` (default [`WireLog::Off`]); see
    /// [`wirelog`](crate::wirelog) for the events, their targets and what is redacted.
    pub fn wire_log(mut self, level: WireLog) -> Self {
        self.wire_log = level;
        self
    }

    /// Largest response body accepted (default 64 MiB).
    pub fn max_body_bytes(mut self, limit: usize) -> Self {
        self.max_body_bytes = limit;
        self
    }

    /// Checks the settings and prepares the connection; nothing is sent until the
    /// first call.
    pub fn connect(self) -> Result<Connection, Error> {
        if let Some(e) = self.application_error {
            return Err(Error::Setup(e));
        }
        let server = Server::parse(&self.url)?;
        let pinned_sha256 = self.pinned_sha256.transpose().map_err(Error::Setup)?;
        let transport = Transport::new(Settings {
            https: server.https,
            host: server.host.clone(),
            port: server.port,
            accept_invalid_certs: self.accept_invalid_certs,
            root_certificates: self.root_certificates,
            pinned_sha256,
            connect_timeout: self.connect_timeout,
            timeout: self.timeout,
            user_agent: self.user_agent,
            max_body_bytes: self.max_body_bytes,
        })?;
        Ok(Connection {
            inner: Arc::new(Inner {
                transport,
                soap_action: RwLock::new(soap_action(&self.release)?),
                base: server.base,
                protocol: self.protocol,
                release: RwLock::new(self.release),
                server_version: RwLock::new(None),
                session: Mutex::new(None),
                property_collector: RwLock::new(None),
                absent: self.lenient.then(|| Arc::new(Mutex::new(BTreeMap::new()))),
                relogin: RwLock::new(None),
                relogin_lock: tokio::sync::Mutex::new(()),
                closing: AtomicBool::new(false),
                relogins: AtomicU64::new(0),
                wire_log: self.wire_log,
            }),
        })
    }

    /// Connects and bootstraps the client.
    pub async fn build(self) -> Result<C, Error> {
        C::bootstrap(self.connect()?).await
    }
}

/// Without the URL's user info (`https://user:password@vc/sdk` is a common way to pass
/// credentials around) and without the CA certificates' bytes.
impl<C> std::fmt::Debug for ConnectionBuilder<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConnectionBuilder")
            .field("url", &redacted_url(&self.url))
            .field("protocol", &self.protocol)
            .field("accept_invalid_certs", &self.accept_invalid_certs)
            .field("root_certificates", &self.root_certificates.len())
            .field("pinned_sha256", &self.pinned_sha256.is_some())
            .field("lenient", &self.lenient)
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("user_agent", &self.user_agent)
            .field("release", &self.release)
            .field("max_body_bytes", &self.max_body_bytes)
            .finish()
    }
}

/// The URL with any user info replaced by `[REDACTED]` (the whole text when it has an
/// `@` but no `scheme://` to tell user info from the rest).
/// The SDK's own product token in the `User-Agent` header.
const SDK_AGENT: &str = concat!("vsphere-rs/", env!("CARGO_PKG_VERSION"));

/// Whether `text` is an HTTP token (RFC 9110 `tchar`s, at least one).
fn is_token(text: &str) -> bool {
    !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

fn redacted_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return if url.contains('@') {
            "[REDACTED]".to_string()
        } else {
            url.to_string()
        };
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{scheme}://[REDACTED]@{}", &rest[at + 1..]),
        None => url.to_string(),
    }
}

/// Where the server is, from the user's URL (credentials and path dropped).
struct Server {
    https: bool,
    /// Host name or IP address, IPv6 without brackets.
    host: String,
    port: u16,
    /// `scheme://host[:port]`, for `Debug`.
    base: String,
}

impl Server {
    fn parse(url: &str) -> Result<Server, Error> {
        let invalid = |why: String| Error::InvalidUrl(why);
        let parsed: http::Uri = url.parse().map_err(|e| invalid(format!("{url:?}: {e}")))?;
        let https = match parsed.scheme_str() {
            Some("https") => true,
            Some("http") => false,
            Some(other) => return Err(invalid(format!("unsupported scheme {other:?}"))),
            None => return Err(invalid(format!("{url:?}: no scheme (https://…)"))),
        };
        let host = match parsed.host() {
            Some(h) if !h.is_empty() => h,
            _ => return Err(invalid(format!("{url:?}: no host"))),
        };
        // `Uri::host` keeps an IPv6 address in brackets; the TLS server name has none.
        let bracketed = host.to_ascii_lowercase();
        let host = bracketed
            .strip_prefix('[')
            .and_then(|h| h.strip_suffix(']'))
            .unwrap_or(&bracketed)
            .to_string();
        let scheme = if https { "https" } else { "http" };
        let base = match parsed.port_u16() {
            Some(port) => format!("{scheme}://{bracketed}:{port}"),
            None => format!("{scheme}://{bracketed}"),
        };
        Ok(Server {
            https,
            host,
            port: parsed.port_u16().unwrap_or(if https { 443 } else { 80 }),
            base,
        })
    }
}

/// An open connection: HTTP client, session and server version. Cheap to clone; all
/// clones share the session.
#[derive(Clone)]
pub struct Connection {
    inner: Arc<Inner>,
}

struct Inner {
    transport: Transport,
    base: String,
    /// `"urn:vim25/{release}"`, rebuilt only when the release changes.
    soap_action: RwLock<HeaderValue>,
    protocol: Protocol,
    release: RwLock<String>,
    server_version: RwLock<Option<ApiVersion>>,
    session: Mutex<Option<Secret<String>>>,
    property_collector: RwLock<Option<ManagedObjectReference>>,
    /// With lenient decoding: how often each `Type.field` was required but absent.
    absent: Option<AbsentFields>,
    /// How to log in again when the server says the session is gone.
    relogin: RwLock<Option<Relogin>>,
    /// Held while a re-login runs, so that concurrent calls renew the session once.
    relogin_lock: tokio::sync::Mutex<()>,
    /// Set while or after a close logs the session out (cleared by a new session).
    closing: AtomicBool,
    /// How much of each call is logged.
    wire_log: WireLog,
    /// How many re-logins have succeeded: a call that failed before the latest one
    /// retries without logging in again.
    relogins: AtomicU64,
}

/// Logs a [`Connection`] in again (e.g. `SessionManager.Login` with kept credentials),
/// installed with [`Connection::set_relogin`].
pub type Relogin = Arc<
    dyn Fn(Connection) -> Pin<Box<dyn Future<Output = Result<(), CallError>> + Send>> + Send + Sync,
>;

/// Methods that are never retried after a re-login: logging in and out themselves.
const SESSION_METHODS: &[&str] = &[
    "Login",
    "LoginByToken",
    "LoginBySSPI",
    "LoginExtensionByCertificate",
    "LoginExtensionBySubjectName",
    "ImpersonateUser",
    "AcquireSessionTicket",
    "CloneSession",
    "Logout",
];

/// Counts of required fields found absent, by `Type.field`.
type AbsentFields = Arc<Mutex<BTreeMap<String, u64>>>;

impl std::fmt::Debug for Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connection")
            .field("base", &self.inner.base)
            .field("protocol", &self.inner.protocol)
            .field("server_version", &self.server_version())
            .field("session", &self.session_id().map(|_| "[REDACTED]"))
            .finish()
    }
}

impl Connection {
    /// With [lenient decoding](ConnectionBuilder::lenient_decoding): every required
    /// field responses lacked so far, as `Type.field`, with how many times; empty when
    /// decoding is strict.
    pub fn absent_required_fields(&self) -> Vec<(String, u64)> {
        self.inner
            .absent
            .as_ref()
            .map(|a| {
                let counts = a.lock().unwrap_or_else(|e| e.into_inner());
                counts.iter().map(|(k, v)| (k.clone(), *v)).collect()
            })
            .unwrap_or_default()
    }

    /// Decodes an `anyType` value (a retrieved property's `val`, a task's result) as
    /// `R` with this connection's decoding policy, strict or
    /// [lenient](ConnectionBuilder::lenient_decoding).
    pub fn decode_value<R: Response>(&self, value: &crate::AnyValue) -> Result<R, Error> {
        with_policy(self.inner.absent.as_ref(), || value.decode())
    }

    /// The protocol this connection speaks.
    pub fn protocol(&self) -> Protocol {
        self.inner.protocol
    }

    /// The server's API version, once bootstrapped.
    pub fn server_version(&self) -> Option<ApiVersion> {
        *self
            .inner
            .server_version
            .read()
            .unwrap_or_else(|e| e.into_inner())
    }

    /// Records the server's `about.apiVersion`: later calls use it as release (VI/JSON
    /// path, SOAP `SOAPAction`) and methods newer than it are refused.
    pub fn set_server_version(&self, api_version: &str) {
        let parsed = ApiVersion::parse(api_version);
        *self
            .inner
            .server_version
            .write()
            .unwrap_or_else(|e| e.into_inner()) = parsed;
        if parsed.is_some() {
            *self
                .inner
                .release
                .write()
                .unwrap_or_else(|e| e.into_inner()) = api_version.to_string();
            if let Ok(action) = soap_action(api_version) {
                *self
                    .inner
                    .soap_action
                    .write()
                    .unwrap_or_else(|e| e.into_inner()) = action;
            }
        }
    }

    /// The current session id, if logged in (VI/JSON: `vmware-api-session-id`; SOAP: the
    /// `vmware_soap_session` cookie's value).
    pub fn session_id(&self) -> Option<Secret<String>> {
        self.inner
            .session
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Replaces the session id (e.g. to reuse a session obtained elsewhere).
    pub fn set_session_id(&self, id: Option<Secret<String>>) {
        let new_session = id.is_some();
        *self.inner.session.lock().unwrap_or_else(|e| e.into_inner()) = id;
        if new_session {
            self.inner.closing.store(false, Ordering::SeqCst);
        }
    }

    /// Claims the closing of the session: `true` for the one caller that should log out
    /// (there is a session, and no close has claimed it since it began); `false` for
    /// every other.
    pub fn claim_close(&self) -> bool {
        self.session_id().is_some() && !self.inner.closing.swap(true, Ordering::SeqCst)
    }

    /// Gives up a claim of [`Connection::claim_close`] whose logout failed, so that a
    /// later close tries again.
    pub fn release_close(&self) {
        self.inner.closing.store(false, Ordering::SeqCst);
    }

    /// The PropertyCollector the generated code reads properties through over SOAP
    /// (recorded from the service content at bootstrap).
    pub fn property_collector(&self) -> Option<ManagedObjectReference> {
        self.inner
            .property_collector
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Records the service content's PropertyCollector.
    pub fn set_property_collector(&self, r: ManagedObjectReference) {
        *self
            .inner
            .property_collector
            .write()
            .unwrap_or_else(|e| e.into_inner()) = Some(r);
    }

    /// Installs (`Some`) or removes (`None`) the hook that logs this connection in again
    /// when a call finds its session gone (`NotAuthenticated`). A successful `Logout`
    /// removes it.
    pub fn set_relogin(&self, hook: Option<Relogin>) {
        *self
            .inner
            .relogin
            .write()
            .unwrap_or_else(|e| e.into_inner()) = hook;
    }

    fn relogin_hook(&self) -> Option<Relogin> {
        self.inner
            .relogin
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Logs in again now with the [re-login hook](Connection::set_relogin) (e.g. from a
    /// keepalive that found the session gone): `Ok(false)` without a hook.
    pub async fn renew_session(&self) -> Result<bool, CallError> {
        let seen = self.inner.relogins.load(Ordering::Acquire);
        self.relogin_since(seen).await
    }

    /// Runs the re-login hook unless a re-login succeeded since `seen` (then there is a
    /// new session already). `Ok(false)` without a hook.
    async fn relogin_since(&self, seen: u64) -> Result<bool, CallError> {
        let Some(hook) = self.relogin_hook() else {
            return Ok(false);
        };
        let _one_at_a_time = self.inner.relogin_lock.lock().await;
        if self.inner.relogins.load(Ordering::Acquire) != seen {
            return Ok(true);
        }
        tracing::info!(target: "vsphere::session", "the session is gone; logging in again");
        self.set_session_id(None);
        hook(self.clone()).await?;
        self.inner.relogins.fetch_add(1, Ordering::AcqRel);
        Ok(true)
    }

    /// Runs `attempt`; when it fails with `NotAuthenticated` and a re-login hook is set,
    /// logs in again (once, shared with concurrent calls) and runs `attempt` once more.
    async fn renewing<F, Fut>(&self, method: &str, attempt: F) -> Result<ReplyBody, CallError>
    where
        F: Fn() -> Fut,
        Fut: Future<Output = Result<ReplyBody, CallError>>,
    {
        let seen = self.inner.relogins.load(Ordering::Acquire);
        let first = attempt().await;
        let expired =
            matches!(&first, Err(CallError::Fault(f)) if f.type_name == "NotAuthenticated");
        if !expired || SESSION_METHODS.contains(&method) {
            return first;
        }
        match self.relogin_since(seen).await {
            Ok(true) => attempt().await,
            Ok(false) => first,
            Err(e) => {
                tracing::warn!(target: "vsphere::session", error = %e, "logging in again failed");
                first
            }
        }
    }

    /// Invokes `info` on `this` with `params` (written as the VI/JSON body's members or
    /// the SOAP request's elements) and decodes the answer as `R`.
    ///
    /// Refused without a request when the method is newer than the server. A successful
    /// `Logout` forgets the session.
    pub async fn call<R: Response + std::fmt::Debug>(
        &self,
        info: &MethodInfo,
        this: &ManagedObjectReference,
        params: &[Param<'_>],
    ) -> Result<R, CallError> {
        self.invoke(info, this, params).await?.decode()
    }

    /// [`Connection::call`] without the decoding: the answer's body, for
    /// [`ReplyBody::decode`]. The generated methods call this, so that the one future
    /// per call is not generic over the return type.
    ///
    /// With a [re-login hook](Connection::set_relogin), a `NotAuthenticated` fault (an
    /// expired or terminated session) makes it log in again once and repeat the call
    /// once; the second answer is final.
    pub async fn invoke(
        &self,
        info: &MethodInfo,
        this: &ManagedObjectReference,
        params: &[Param<'_>],
    ) -> Result<ReplyBody, CallError> {
        let span = tracing::info_span!(
            "vsphere_call",
            object = info.managed_object,
            method = info.name
        );
        self.renewing(info.name, || self.invoke_once(info, this, params))
            .instrument(span)
            .await
    }

    async fn invoke_once(
        &self,
        info: &MethodInfo,
        this: &ManagedObjectReference,
        params: &[Param<'_>],
    ) -> Result<ReplyBody, CallError> {
        let server = self.server_version();
        let refused = |item: String, since| {
            CallError::Other(Error::Unsupported {
                item,
                since,
                server: server.unwrap_or(since),
            })
        };
        let gate = VersionGate::new(server);
        if let Some(since) = info.since.filter(|_| gate.refuses(info.since)) {
            return Err(refused(
                format!("{}.{}", info.managed_object, info.name),
                since,
            ));
        }
        let too_new = |t: TooNew| {
            refused(
                format!("{} of {}.{}", t.item, info.managed_object, info.name),
                t.since,
            )
        };
        let protocol = self.inner.protocol;
        let log = self.inner.wire_log;
        // A request refused by the gate is neither sent nor logged.
        let log_request = |redacted: &dyn Fn() -> String| {
            if log >= WireLog::Detailed {
                wirelog::log_request(protocol, info.name, &redacted());
            }
        };
        let (result, request_bytes, started) = match protocol {
            Protocol::VimJson => {
                let payload = data::json_params(params, gate).map_err(too_new)?;
                log_request(&|| data::json_params_redacted(params));
                let size = payload.as_ref().map_or(0, Vec::len);
                let started = Instant::now();
                (self.call_json(info, this, payload).await, size, started)
            }
            Protocol::Soap => {
                let payload = envelope::request(info.name, this, params, gate).map_err(too_new)?;
                log_request(&|| envelope::request_redacted(info.name, this, params));
                let size = payload.len();
                let started = Instant::now();
                (self.call_soap(info.name, payload).await, size, started)
            }
        };
        if log >= WireLog::Summary {
            let (status, fault) = match &result {
                Ok(_) => (None, None),
                Err(CallError::Fault(f)) => (Some(500), Some(f.type_name.as_str())),
                Err(CallError::Other(Error::Status { status, .. })) => (Some(*status), None),
                Err(CallError::Other(_)) => (None, None),
            };
            wirelog::CallSummary {
                object: info.managed_object,
                method: info.name,
                protocol,
                request_bytes,
                response_bytes: result.as_ref().map_or(0, Vec::len),
                status,
                fault,
                elapsed: started.elapsed(),
            }
            .log();
        }
        if result.is_ok() && info.name == "Logout" {
            // A session logged out on purpose is not renewed.
            self.set_relogin(None);
            self.set_session_id(None);
        }
        result.map(|body| ReplyBody {
            method: info.name,
            body,
            absent: self.inner.absent.clone(),
            shape: match self.inner.protocol {
                Protocol::VimJson => BodyShape::Json,
                Protocol::Soap => BodyShape::Soap,
            },
            log_as: (log >= WireLog::Detailed).then_some(protocol),
        })
    }

    async fn call_json(
        &self,
        info: &MethodInfo,
        this: &ManagedObjectReference,
        payload: Option<Vec<u8>>,
    ) -> Result<Vec<u8>, CallError> {
        let request =
            Request::post(self.json_path(this, info.name)?).header(ACCEPT, "application/json");
        let request = match payload {
            Some(payload) => request
                .header(CONTENT_TYPE, "application/json")
                .body(Full::new(Bytes::from(payload))),
            None => request.body(Full::default()),
        };
        self.send_json(request, info.name).await
    }

    /// Reads property `info` of `this`: a GET of its path over VI/JSON; over SOAP, where
    /// properties have no address of their own, one `PropertyCollector.RetrievePropertiesEx`
    /// call for that one property, through the collector recorded at bootstrap
    /// ([`Connection::property_collector`]). Decode the answer with
    /// [`ReplyBody::decode`]; every fault comes back untyped.
    pub async fn read_property(
        &self,
        info: &PropertyInfo,
        this: &ManagedObjectReference,
    ) -> Result<ReplyBody, CallError> {
        self.renewing(info.name, || self.read_property_once(info, this))
            .await
    }

    async fn read_property_once(
        &self,
        info: &PropertyInfo,
        this: &ManagedObjectReference,
    ) -> Result<ReplyBody, CallError> {
        if self.inner.protocol == Protocol::Soap {
            let collector = self.property_collector().ok_or_else(|| {
                CallError::Other(Error::Bootstrap(
                    "the connection has no property collector".into(),
                ))
            })?;
            let spec = OnePropertySpec {
                this,
                path: info.name,
            };
            let options = EmptyElement;
            let params = [
                Param::new("specSet", &spec),
                Param::new("options", &options),
            ];
            // Types of the oldest API: nothing to gate.
            let payload = envelope::request(
                "RetrievePropertiesEx",
                &collector,
                &params,
                VersionGate::default(),
            )
            .map_err(|t| Error::Protocol(format!("{} is newer than the server", t.item)))?;
            let body = self.call_soap("RetrievePropertiesEx", payload).await?;
            return Ok(ReplyBody {
                method: "RetrievePropertiesEx",
                body,
                absent: self.inner.absent.clone(),
                shape: BodyShape::SoapProperty,
                log_as: None,
            });
        }
        let body = self.property_json(info, this).await?;
        Ok(ReplyBody {
            method: info.name,
            body,
            absent: self.inner.absent.clone(),
            shape: BodyShape::Json,
            log_as: None,
        })
    }

    /// Reads property `info` of `this` with a GET (VI/JSON only).
    async fn property_json(
        &self,
        info: &PropertyInfo,
        this: &ManagedObjectReference,
    ) -> Result<Vec<u8>, CallError> {
        tracing::debug!(property = info.name, object = %this.value, "vSphere property read");
        let request = Request::get(self.json_path(this, info.name)?)
            .header(ACCEPT, "application/json")
            .body(Full::default());
        self.send_json(request, info.name).await
    }

    /// Reads property `info` of `this` over VI/JSON and decodes it as `R`. Over SOAP it
    /// is refused without a request: use [`Connection::read_property`], which reads
    /// through the PropertyCollector.
    pub async fn property<R: Response>(
        &self,
        info: &PropertyInfo,
        this: &ManagedObjectReference,
    ) -> Result<R, CallError> {
        if self.inner.protocol == Protocol::Soap {
            return Err(CallError::Other(Error::Protocol(format!(
                "{}.{} cannot be read with a GET over SOAP; property reads over SOAP go \
                 through the PropertyCollector",
                info.managed_object, info.name
            ))));
        }
        let body = self.property_json(info, this).await?;
        R::from_json_bytes(&body).map_err(|e| decode(info.name, e))
    }

    fn release(&self) -> String {
        self.inner
            .release
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// `/sdk/vim25/{release}/{type}/{id}/{name}`, each segment percent-encoded.
    fn json_path(&self, this: &ManagedObjectReference, name: &str) -> Result<String, Error> {
        let release = self.release();
        let mut path = String::from("/sdk/vim25");
        for segment in [release.as_str(), &this.type_, &this.value, name] {
            path.push('/');
            path.extend(percent_encoding::utf8_percent_encode(segment, PATH_SEGMENT));
        }
        Ok(path)
    }

    /// Sends a VI/JSON request; returns the body of a success, `null` for an empty one.
    async fn send_json(
        &self,
        request: Result<Request<Full<Bytes>>, http::Error>,
        context: &str,
    ) -> Result<Vec<u8>, CallError> {
        let mut request = request.map_err(|e| Error::InvalidUrl(e.to_string()))?;
        if let Some(id) = self.session_id() {
            request
                .headers_mut()
                .insert(SESSION_HEADER, sensitive(id.expose())?);
        }
        let reply = self.inner.transport.send(request).await?;
        if let Some(id) = reply.headers.get(SESSION_HEADER) {
            if let Ok(id) = id.to_str() {
                self.set_session_id(Some(Secret::new(id.to_string())));
            }
        }
        let is_json = has_media_type(&reply, "application/json");
        json_reply(reply.status, is_json, reply.body, context)
    }

    /// A vim25 SOAP call: POST of the envelope to `/sdk`, session in the
    /// `vmware_soap_session` cookie. Returns the body of a `text/xml` success; a
    /// fault in it is found when it is decoded.
    async fn call_soap(&self, method: &str, payload: String) -> Result<Vec<u8>, CallError> {
        let action = self
            .inner
            .soap_action
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        let mut request = Request::post("/sdk")
            .header(CONTENT_TYPE, "text/xml; charset=utf-8")
            .header("SOAPAction", action)
            .body(Full::new(Bytes::from(payload)))
            .map_err(|e| Error::InvalidUrl(e.to_string()))?;
        if let Some(id) = self.session_id() {
            let cookie = format!("{SOAP_SESSION_COOKIE}={}", id.expose());
            request.headers_mut().insert(COOKIE, sensitive(&cookie)?);
        }
        let reply = self.inner.transport.send(request).await?;
        for value in reply.headers.get_all(SET_COOKIE) {
            if let Some(id) = value.to_str().ok().and_then(soap_session_cookie) {
                self.set_session_id(Some(Secret::new(id.to_string())));
            }
        }
        let is_xml = has_media_type(&reply, "text/xml");
        if (200..300).contains(&reply.status) && is_xml {
            return Ok(reply.body);
        }
        // Every other reply is refused here (a fault, a bad status or media type).
        let refused = soap_reply::<crate::Nothing>(reply.status, is_xml, &reply.body, method);
        refused.map(|_| reply.body)
    }
}

/// Runs `decode` strictly (no counts) or leniently (counting into `absent`).
fn with_policy<T>(absent: Option<&AbsentFields>, decode: impl FnOnce() -> T) -> T {
    let Some(absent) = absent else {
        return decode();
    };
    let (result, missing) = data::leniently(decode);
    record_absent(absent, missing);
    result
}

/// Counts and logs required fields that lenient decoding found absent.
fn record_absent(absent: &AbsentFields, missing: Vec<String>) {
    if missing.is_empty() {
        return;
    }
    let mut counts = absent.lock().unwrap_or_else(|e| e.into_inner());
    for path in missing {
        tracing::warn!(target: "vsphere::decode", field = %path,
            "a required field is absent; decoded as empty (lenient decoding)");
        *counts.entry(path).or_insert(0) += 1;
    }
}

/// The body of a successful call, before it is decoded.
#[derive(Clone, Debug)]
pub struct ReplyBody {
    method: &'static str,
    body: Vec<u8>,
    shape: BodyShape,
    /// With detailed wire logging: the transport whose target the decoded value is
    /// logged on.
    log_as: Option<Protocol>,
    /// Where lenient decoding counts absent required fields; `None` when strict.
    absent: Option<AbsentFields>,
}

/// What a [`ReplyBody`] holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum BodyShape {
    /// A VI/JSON value.
    Json,
    /// A SOAP envelope with the method's `returnval`s.
    Soap,
    /// A SOAP envelope with the `RetrieveResult` of a one-property read.
    SoapProperty,
}

impl ReplyBody {
    /// Decodes the value as `R` (`One<T>`, `Maybe<T>`, `Many<T>`, `Nothing`). A SOAP
    /// fault carried in a success status comes back as the fault.
    // A `CallError` is as large as the fault it carries; this returns it like every call.
    #[allow(clippy::result_large_err)]
    pub fn decode<R: Response + std::fmt::Debug>(self) -> Result<R, CallError> {
        let absent = self.absent.clone();
        let (method, log_as) = (self.method, self.log_as);
        let decoded = with_policy(absent.as_ref(), || self.decode_now());
        if let (Some(protocol), Ok(value)) = (log_as, &decoded) {
            wirelog::log_response(protocol, method, value);
        }
        decoded
    }

    #[allow(clippy::result_large_err)]
    fn decode_now<R: Response>(self) -> Result<R, CallError> {
        match self.shape {
            BodyShape::Json => R::from_json_bytes(&self.body).map_err(|e| decode(self.method, e)),
            BodyShape::Soap => soap_reply(200, true, &self.body, self.method),
            BodyShape::SoapProperty => {
                soap_reply::<crate::PropertyValue<R>>(200, true, &self.body, self.method)
                    .map(|v| v.0)
            }
        }
    }
}

/// `specSet` of a one-property read: `PropertyFilterSpec` with one `PropertySpec` and
/// one `ObjectSpec`, written by hand so the runtime needs no generated type.
#[derive(Debug)]
struct OnePropertySpec<'a> {
    this: &'a ManagedObjectReference,
    path: &'a str,
}

impl SoapWrite for OnePropertySpec<'_> {
    fn write(&self, name: &str, w: &mut SoapWriter) {
        w.open(name, None);
        w.open("propSet", None);
        w.simple("type", &self.this.type_);
        w.simple("pathSet", self.path);
        w.close("propSet");
        w.open("objectSet", None);
        self.this.write("obj", w);
        w.close("objectSet");
        w.close(name);
    }
}

/// Never written: the spec goes over SOAP only.
impl crate::JsonWrite for OnePropertySpec<'_> {
    fn write_json(&self, w: &mut crate::JsonWriter) {
        w.null();
    }
}

/// An empty element (`RetrieveOptions` with nothing set).
#[derive(Debug)]
struct EmptyElement;

impl SoapWrite for EmptyElement {
    fn write(&self, name: &str, w: &mut SoapWriter) {
        w.open(name, None);
        w.close(name);
    }
}

/// Never written: the options go over SOAP only.
impl crate::JsonWrite for EmptyElement {
    fn write_json(&self, w: &mut crate::JsonWriter) {
        w.null();
    }
}

/// The characters percent-encoded in a VI/JSON path segment: controls, space, and
/// what would end or split the segment.
const PATH_SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}');

/// Classifies a VI/JSON reply: the body of a success (`null` for an empty one), the fault
/// of a 500, or an error for anything else. `is_json` says whether the reply's media type
/// is `application/json`.
// A `CallError` is as large as the fault it carries; these return it like every call does.
#[allow(clippy::result_large_err)]
pub fn json_reply(
    status: u16,
    is_json: bool,
    body: Vec<u8>,
    context: &str,
) -> Result<Vec<u8>, CallError> {
    match status {
        200..=299 => {
            if body.iter().all(u8::is_ascii_whitespace) {
                return Ok(b"null".to_vec());
            }
            if !is_json {
                return Err(Error::Decode {
                    context: context.to_string(),
                    message: format!(
                        "expected application/json, got a body starting {:?}",
                        excerpt(&body)
                    ),
                }
                .into());
            }
            Ok(body)
        }
        500 if is_json => Err(CallError::Fault(json_fault(&body, context)?)),
        _ => Err(Error::Status {
            status,
            excerpt: excerpt(&body),
        }
        .into()),
    }
}

/// Decodes a SOAP reply to `method`: its `returnval`s as `R`, the fault of a 500 (or of a
/// 200 that carries one), or an error for anything else. `is_xml` says whether the reply's
/// media type is `text/xml`.
#[allow(clippy::result_large_err)]
pub fn soap_reply<R: Response>(
    status: u16,
    is_xml: bool,
    bytes: &[u8],
    method: &str,
) -> Result<R, CallError> {
    match status {
        200..=299 => {
            if !is_xml {
                return Err(Error::Decode {
                    context: method.to_string(),
                    message: format!(
                        "expected text/xml, got a body starting {:?}",
                        excerpt(bytes)
                    ),
                }
                .into());
            }
            let doc = xml::parse(bytes).map_err(|e| soap_decode(method, e))?;
            let body = envelope::body(doc.root()).map_err(|e| soap_decode(method, e))?;
            if let Some(fault) = envelope::fault(body) {
                return Err(CallError::Fault(fault));
            }
            let values = envelope::returnvals(body, method).map_err(|e| soap_decode(method, e))?;
            R::from_returnvals(&values).map_err(|e| soap_decode(method, e))
        }
        500 if is_xml => {
            let fault = xml::parse(bytes)
                .ok()
                .and_then(|doc| envelope::body(doc.root()).ok().and_then(envelope::fault));
            match fault {
                Some(fault) => Err(CallError::Fault(fault)),
                None => Err(Error::Status {
                    status,
                    excerpt: excerpt(bytes),
                }
                .into()),
            }
        }
        _ => Err(Error::Status {
            status,
            excerpt: excerpt(bytes),
        }
        .into()),
    }
}

/// The `SOAPAction` header for a release: `"urn:vim25/8.0.2.0"`.
fn soap_action(release: &str) -> Result<HeaderValue, Error> {
    HeaderValue::from_str(&format!("\"urn:vim25/{release}\""))
        .map_err(|e| Error::Setup(format!("release {release:?} is not a header value: {e}")))
}

fn decode(context: &str, e: crate::JsonError) -> CallError {
    Error::Decode {
        context: context.to_string(),
        message: e.0,
    }
    .into()
}

/// Parses a VI/JSON fault body (`{"_typeName": …, "faultMessage": […], …}`).
fn json_fault(body: &[u8], context: &str) -> Result<RawFault, Error> {
    let value: serde_json::Value = serde_json::from_slice(body).map_err(|e| Error::Decode {
        context: context.to_string(),
        message: e.to_string(),
    })?;
    let type_name = value
        .get("_typeName")
        .and_then(|t| t.as_str())
        .ok_or_else(|| Error::Decode {
            context: context.to_string(),
            message: "fault body has no `_typeName`".into(),
        })?
        .to_string();
    let messages: Vec<&str> = value
        .get("faultMessage")
        .and_then(|m| m.as_array())
        .into_iter()
        .flatten()
        .filter_map(|m| m.get("message").and_then(|m| m.as_str()))
        .collect();
    let message = if messages.is_empty() {
        value
            .get("localizedMessage")
            .or_else(|| value.get("message"))
            .and_then(|m| m.as_str())
            .map(str::to_string)
    } else {
        Some(messages.join("; "))
    };
    Ok(RawFault {
        type_name,
        message,
        body: FaultBody::Json(value),
    })
}

fn soap_decode(context: &str, e: SoapError) -> CallError {
    Error::Decode {
        context: context.to_string(),
        message: e.0,
    }
    .into()
}

/// A header value that HTTP libraries must not print (session ids).
fn sensitive(value: &str) -> Result<HeaderValue, Error> {
    let mut v = HeaderValue::from_str(value)
        .map_err(|_| Error::Setup("the session id is not a valid header value".into()))?;
    v.set_sensitive(true);
    Ok(v)
}

/// Whether the response's `Content-Type` is `media_type` (parameters ignored).
fn has_media_type(reply: &Reply, media_type: &str) -> bool {
    reply
        .headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case(media_type))
}

/// The session id in a `Set-Cookie` value if it sets `vmware_soap_session` (quotes
/// removed, as HTTP clients send it back unquoted).
fn soap_session_cookie(set_cookie: &str) -> Option<&str> {
    let pair = set_cookie.split(';').next()?;
    let (name, value) = pair.split_once('=')?;
    if name.trim() != SOAP_SESSION_COOKIE {
        return None;
    }
    let value = value.trim();
    let value = value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .unwrap_or(value);
    (!value.is_empty()).then_some(value)
}

/// The first 200 characters of a body, for error messages.
fn excerpt(body: &[u8]) -> String {
    String::from_utf8_lossy(body).chars().take(200).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_urls_drop_credentials_and_path() {
        let s = Server::parse("http://user:pw@127.0.0.1:8989/sdk").unwrap();
        assert_eq!(
            (s.https, s.host.as_str(), s.port, s.base.as_str()),
            (false, "127.0.0.1", 8989, "http://127.0.0.1:8989")
        );
        let s = Server::parse("https://vc.example.com").unwrap();
        assert_eq!(
            (s.https, s.host.as_str(), s.port, s.base.as_str()),
            (true, "vc.example.com", 443, "https://vc.example.com")
        );
        let s = Server::parse("https://[::1]:8443/sdk").unwrap();
        assert_eq!(
            (s.host.as_str(), s.base.as_str()),
            ("::1", "https://[::1]:8443")
        );
        assert!(matches!(
            Server::parse("ftp://x"),
            Err(Error::InvalidUrl(_))
        ));
        assert!(matches!(
            Server::parse("not a url"),
            Err(Error::InvalidUrl(_))
        ));
    }

    #[test]
    fn json_paths_encode_their_segments() {
        let conn = ConnectionBuilder::<Never>::new("http://127.0.0.1:9")
            .connect()
            .unwrap();
        let this = ManagedObjectReference::new("Folder", "group d/1?");
        assert_eq!(
            conn.json_path(&this, "CreateFolder").unwrap(),
            "/sdk/vim25/8.0.1.0/Folder/group%20d%2F1%3F/CreateFolder"
        );
    }

    #[test]
    fn json_faults_carry_type_and_message() {
        let body = br#"{"_typeName":"InvalidLogin","faultMessage":[{"key":"k","message":"bad password"}]}"#;
        let fault = json_fault(body, "Login").unwrap();
        assert_eq!(fault.type_name, "InvalidLogin");
        assert_eq!(fault.message.as_deref(), Some("bad password"));
        assert!(matches!(fault.body, FaultBody::Json(_)));
        assert!(json_fault(b"{}", "Login").is_err());
    }

    #[test]
    fn soap_session_cookies() {
        let c = soap_session_cookie;
        assert_eq!(c("vmware_soap_session=e05f-d7; HttpOnly"), Some("e05f-d7"));
        assert_eq!(
            c(r#"vmware_soap_session="52a3"; Path=/; HttpOnly; Secure;"#),
            Some("52a3")
        );
        assert_eq!(c("vmware_soap_session=; Max-Age=0"), None);
        assert_eq!(c("other=1"), None);
        assert_eq!(c("garbage"), None);
    }

    #[test]
    fn property_reads_over_soap_are_refused() {
        let conn = ConnectionBuilder::<Never>::new("http://127.0.0.1:9/sdk")
            .protocol(Protocol::Soap)
            .connect()
            .unwrap();
        let info = PropertyInfo {
            managed_object: "SessionManager",
            name: "currentSession",
            privilege: None,
        };
        let this = ManagedObjectReference::new("SessionManager", "SessionManager");
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let err = rt
            .block_on(conn.property::<crate::Nothing>(&info, &this))
            .unwrap_err();
        let text = err.to_string();
        assert!(matches!(err, CallError::Other(Error::Protocol(_))));
        assert!(text.contains("PropertyCollector"), "{text}");
    }

    #[test]
    fn builder_debug_hides_url_credentials() {
        let b = ConnectionBuilder::<Never>::new("https://admin7:hunter2@vc.example.com:8443/sdk");
        let debug = format!("{b:?}");
        assert!(
            !debug.contains("hunter2") && !debug.contains("admin7"),
            "{debug}"
        );
        assert!(
            debug.contains("https://[REDACTED]@vc.example.com:8443/sdk"),
            "{debug}"
        );
        assert!(debug.contains("max_body_bytes: 67108864"), "{debug}");
        let plain = format!(
            "{:?}",
            ConnectionBuilder::<Never>::new("http://127.0.0.1:9/sdk")
        );
        assert!(plain.contains("\"http://127.0.0.1:9/sdk\""), "{plain}");
        for odd in ["user:pw@@ bad", "https://u:pw@a@host/x@y", "u:pw@host"] {
            let debug = format!("{:?}", ConnectionBuilder::<Never>::new(odd));
            assert!(!debug.contains("pw"), "{debug}");
        }
    }

    #[test]
    fn connection_debug_hides_the_session() {
        let conn = ConnectionBuilder::<Never>::new("http://127.0.0.1:9/sdk")
            .connect()
            .unwrap();
        conn.set_session_id(Some(Secret::new("s3cr3t-id".into())));
        let debug = format!("{conn:?}");
        assert!(!debug.contains("s3cr3t"), "{debug}");
        assert!(debug.contains("REDACTED"));
    }

    struct Never;

    impl Bootstrap for Never {
        async fn bootstrap(_: Connection) -> Result<Self, Error> {
            Err(Error::Bootstrap("unused".into()))
        }
    }
}
