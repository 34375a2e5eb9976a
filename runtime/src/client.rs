//! The connection to a server: configuration, session state and the VI/JSON transport.
//!
//! Dropping the last clone of a [`Connection`] does not log out: the server keeps the
//! session until it times out (vCenter's default idle timeout is 30 minutes). Call the
//! generated `SessionManager::logout` to end it at once.

use std::marker::PhantomData;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::error::{CallError, Error, RawFault};
use crate::{ApiVersion, ManagedObjectReference, MethodInfo, PropertyInfo, Secret};

/// The header VI/JSON uses to carry the session id.
pub const SESSION_HEADER: &str = "vmware-api-session-id";

/// The VI/JSON release path used until the server's own API version is known.
/// 8.0.1.0 is the first release that serves VI/JSON.
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
#[derive(Debug)]
#[must_use]
pub struct ConnectionBuilder<C> {
    url: String,
    protocol: Protocol,
    accept_invalid_certs: bool,
    root_certificates: Vec<Vec<u8>>,
    connect_timeout: Duration,
    timeout: Duration,
    user_agent: String,
    client: Option<reqwest::Client>,
    release: String,
    max_body_bytes: usize,
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
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(60),
            user_agent: concat!("vsphere-rs/", env!("CARGO_PKG_VERSION")).to_string(),
            client: None,
            release: BOOTSTRAP_RELEASE.to_string(),
            max_body_bytes: 64 * 1024 * 1024,
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

    /// The `User-Agent` header.
    pub fn user_agent(mut self, agent: impl Into<String>) -> Self {
        self.user_agent = agent.into();
        self
    }

    /// Uses an existing `reqwest::Client`; TLS, timeout and user-agent settings of this
    /// builder are then not applied (the client's own are).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.client = Some(client);
        self
    }

    /// The VI/JSON release path used for the bootstrap call (default `8.0.1.0`).
    pub fn release(mut self, release: impl Into<String>) -> Self {
        self.release = release.into();
        self
    }

    /// Largest response body accepted (default 64 MiB).
    pub fn max_body_bytes(mut self, limit: usize) -> Self {
        self.max_body_bytes = limit;
        self
    }

    /// Opens the connection without bootstrapping.
    pub fn connect(self) -> Result<Connection, Error> {
        let base = base_url(&self.url)?;
        let http = match self.client {
            Some(c) => c,
            None => {
                let mut b = reqwest::Client::builder()
                    .connect_timeout(self.connect_timeout)
                    .timeout(self.timeout)
                    .user_agent(self.user_agent)
                    .danger_accept_invalid_certs(self.accept_invalid_certs);
                for pem in &self.root_certificates {
                    let cert = reqwest::Certificate::from_pem(pem)
                        .map_err(|e| Error::Setup(e.to_string()))?;
                    b = b.add_root_certificate(cert);
                }
                b.build().map_err(|e| Error::Setup(e.to_string()))?
            }
        };
        Ok(Connection {
            inner: Arc::new(Inner {
                http,
                base,
                protocol: self.protocol,
                max_body_bytes: self.max_body_bytes,
                release: RwLock::new(self.release),
                server_version: RwLock::new(None),
                session: Mutex::new(None),
            }),
        })
    }

    /// Connects and bootstraps the client.
    pub async fn build(self) -> Result<C, Error> {
        C::bootstrap(self.connect()?).await
    }
}

/// `scheme://host[:port]` of the user's URL, without credentials or path.
fn base_url(url: &str) -> Result<String, Error> {
    let parsed = reqwest::Url::parse(url).map_err(|e| Error::InvalidUrl(e.to_string()))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(Error::InvalidUrl(format!("unsupported scheme {:?}", parsed.scheme())));
    }
    let host = parsed
        .host_str()
        .ok_or_else(|| Error::InvalidUrl("no host".into()))?;
    let host = if host.contains(':') && !host.starts_with('[') {
        format!("[{host}]")
    } else {
        host.to_string()
    };
    Ok(match parsed.port() {
        Some(port) => format!("{}://{host}:{port}", parsed.scheme()),
        None => format!("{}://{host}", parsed.scheme()),
    })
}

/// An open connection: HTTP client, session and server version. Cheap to clone; all
/// clones share the session.
#[derive(Clone)]
pub struct Connection {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base: String,
    protocol: Protocol,
    max_body_bytes: usize,
    release: RwLock<String>,
    server_version: RwLock<Option<ApiVersion>>,
    session: Mutex<Option<Secret<String>>>,
}

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
    /// The protocol this connection speaks.
    pub fn protocol(&self) -> Protocol {
        self.inner.protocol
    }

    /// The server's API version, once bootstrapped.
    pub fn server_version(&self) -> Option<ApiVersion> {
        *self.inner.server_version.read().unwrap_or_else(|e| e.into_inner())
    }

    /// Records the server's `about.apiVersion`: later VI/JSON calls use it as release path
    /// and methods newer than it are refused.
    pub fn set_server_version(&self, api_version: &str) {
        let parsed = ApiVersion::parse(api_version);
        *self.inner.server_version.write().unwrap_or_else(|e| e.into_inner()) = parsed;
        if parsed.is_some() {
            *self.inner.release.write().unwrap_or_else(|e| e.into_inner()) = api_version.to_string();
        }
    }

    /// The current session id, if logged in.
    pub fn session_id(&self) -> Option<Secret<String>> {
        self.inner.session.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Replaces the session id (e.g. to reuse a session obtained elsewhere).
    pub fn set_session_id(&self, id: Option<Secret<String>>) {
        *self.inner.session.lock().unwrap_or_else(|e| e.into_inner()) = id;
    }

    /// Invokes `info` on `this` with the request body `body` (a struct of the parameters).
    pub async fn call<B, R>(
        &self,
        info: &MethodInfo,
        this: &ManagedObjectReference,
        body: &B,
    ) -> Result<R, CallError>
    where
        B: Serialize,
        R: DeserializeOwned,
    {
        if let (Some(since), Some(server)) = (info.since, self.server_version()) {
            if since > server {
                return Err(CallError::Other(Error::Unsupported {
                    method: format!("{}.{}", info.managed_object, info.name),
                    since: info.since_label.unwrap_or_default().to_string(),
                    server: server.to_string(),
                }));
            }
        }
        tracing::debug!(method = info.name, object = %this.value, "vSphere call");
        let payload = serde_json::to_vec(body).map_err(|e| Error::Decode {
            context: format!("{} request", info.name),
            message: e.to_string(),
        })?;
        let url = format!(
            "{}/{}/{}/{}",
            self.json_root(),
            this.type_,
            this.value,
            info.name
        );
        let mut request = self.inner.http.post(url).header("Accept", "application/json");
        if payload != b"{}" {
            request = request
                .header("Content-Type", "application/json")
                .body(payload);
        }
        let result = self.send_json(request, info.name).await;
        if result.is_ok() && info.name == "Logout" {
            self.set_session_id(None);
        }
        result
    }

    /// Reads property `info` of `this`.
    pub async fn property<R: DeserializeOwned>(
        &self,
        info: &PropertyInfo,
        this: &ManagedObjectReference,
    ) -> Result<R, CallError> {
        tracing::debug!(property = info.name, object = %this.value, "vSphere property read");
        let url = format!(
            "{}/{}/{}/{}",
            self.json_root(),
            this.type_,
            this.value,
            info.name
        );
        let request = self.inner.http.get(url).header("Accept", "application/json");
        self.send_json(request, info.name).await
    }

    fn json_root(&self) -> String {
        let release = self.inner.release.read().unwrap_or_else(|e| e.into_inner());
        format!("{}/sdk/vim25/{release}", self.inner.base)
    }

    async fn send_json<R: DeserializeOwned>(
        &self,
        mut request: reqwest::RequestBuilder,
        context: &str,
    ) -> Result<R, CallError> {
        if let Some(id) = self.session_id() {
            request = request.header(SESSION_HEADER, id.expose().as_str());
        }
        let response = request.send().await?;
        if let Some(id) = response.headers().get(SESSION_HEADER) {
            if let Ok(id) = id.to_str() {
                self.set_session_id(Some(Secret::new(id.to_string())));
            }
        }
        let status = response.status().as_u16();
        let is_json = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
        let body = self.read_body(response).await?;
        match status {
            200..=299 => {
                if body.iter().all(u8::is_ascii_whitespace) {
                    return serde_json::from_slice(b"null").map_err(|e| decode(context, e));
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
                serde_json::from_slice(&body).map_err(|e| decode(context, e))
            }
            500 if is_json => Err(CallError::Fault(json_fault(&body, context)?)),
            _ => Err(Error::Status {
                status,
                excerpt: excerpt(&body),
            }
            .into()),
        }
    }

    async fn read_body(&self, mut response: reqwest::Response) -> Result<Vec<u8>, CallError> {
        let limit = self.inner.max_body_bytes;
        if response.content_length().is_some_and(|n| n as usize > limit) {
            return Err(Error::BodyTooLarge { limit }.into());
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await? {
            if body.len() + chunk.len() > limit {
                return Err(Error::BodyTooLarge { limit }.into());
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }
}

fn decode(context: &str, e: serde_json::Error) -> CallError {
    Error::Decode {
        context: context.to_string(),
        message: e.to_string(),
    }
    .into()
}

/// Parses a VI/JSON fault body (`{"_typeName": …, "faultMessage": […], …}`).
fn json_fault(body: &[u8], context: &str) -> Result<RawFault, CallError> {
    let value: serde_json::Value = serde_json::from_slice(body).map_err(|e| decode(context, e))?;
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
        body: value,
    })
}

/// The first 200 characters of a body, for error messages.
fn excerpt(body: &[u8]) -> String {
    String::from_utf8_lossy(body).chars().take(200).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_drops_credentials_and_path() {
        assert_eq!(
            base_url("http://user:pw@127.0.0.1:8989/sdk").unwrap(),
            "http://127.0.0.1:8989"
        );
        assert_eq!(base_url("https://vc.example.com").unwrap(), "https://vc.example.com");
        assert!(matches!(base_url("ftp://x"), Err(Error::InvalidUrl(_))));
        assert!(matches!(base_url("not a url"), Err(Error::InvalidUrl(_))));
    }

    #[test]
    fn json_faults_carry_type_and_message() {
        let body = br#"{"_typeName":"InvalidLogin","faultMessage":[{"key":"k","message":"bad password"}]}"#;
        let fault = json_fault(body, "Login").unwrap();
        assert_eq!(fault.type_name, "InvalidLogin");
        assert_eq!(fault.message.as_deref(), Some("bad password"));
        assert!(json_fault(b"{}", "Login").is_err());
    }
}
