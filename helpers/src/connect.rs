//! One call from a URL to a logged-in [`Client`]: credentials from the URL or given apart,
//! TLS verified by default (a CA file or a pinned SHA-256 thumbprint to trust a private
//! certificate, insecure only when asked), and the protocol chosen from the server's API
//! version unless forced.

use std::path::PathBuf;
use std::time::Duration;

use percent_encoding::percent_decode_str;
use vsphere::{ApiVersion, Client, LoginError, Protocol, Secret};

/// How to reach and trust the server; `Default` is "verify against the system's roots,
/// pick the protocol by API version, strict decoding".
#[derive(Clone, Debug, Default)]
pub struct ConnectOptions {
    /// User name (overrides the URL's).
    pub user: Option<String>,
    /// Password (overrides the URL's).
    pub password: Option<Secret<String>>,
    /// Accept any server certificate. Only for labs: it makes the session open to
    /// interception.
    pub insecure: bool,
    /// A PEM file of CA certificates to trust besides the Mozilla roots.
    pub ca_file: Option<PathBuf>,
    /// The SHA-256 thumbprint of the one server certificate to accept.
    pub thumbprint: Option<String>,
    /// The protocol to speak; `None` picks VI/JSON for API 8.0.1.0 and later, SOAP before.
    pub protocol: Option<Protocol>,
    /// Decode leniently (see `ConnectionBuilder::lenient_decoding`).
    pub lenient: bool,
    /// The whole-request timeout (the builder's default when `None`).
    pub timeout: Option<Duration>,
    /// The `User-Agent` (the builder's default when `None`).
    pub user_agent: Option<String>,
    /// Do not log in again when the server says the session is gone. By default a
    /// client logged in with credentials keeps them and, on `NotAuthenticated` (an
    /// expired or terminated session), logs in once more and repeats the call once.
    pub no_relogin: bool,
}

/// Why [`connect`] failed.
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    /// The URL does not parse or names no host.
    #[error("invalid URL: {0}")]
    Url(String),
    /// The CA file cannot be read.
    #[error("reading CA file {path}: {error}")]
    CaFile {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        error: std::io::Error,
    },
    /// Connecting or bootstrapping failed (TLS, HTTP, the service content).
    #[error("connecting: {0}")]
    Connect(Box<vsphere::Error>),
    /// The server refused the login.
    #[error("login: {0}")]
    Login(Box<LoginError>),
}

impl From<vsphere::Error> for ConnectError {
    fn from(e: vsphere::Error) -> Self {
        ConnectError::Connect(Box::new(e))
    }
}

impl From<LoginError> for ConnectError {
    fn from(e: LoginError) -> Self {
        ConnectError::Login(Box::new(e))
    }
}

/// The first API version that serves VI/JSON.
const FIRST_JSON_RELEASE: ApiVersion = ApiVersion::new([8, 0, 1, 0], 0);

/// A URL's parts: where the server is (without user info, path defaulting to `/sdk`)
/// and the credentials it carried.
#[derive(Clone, Debug)]
pub struct Target {
    /// `scheme://host[:port]/path`, without user info.
    pub url: String,
    /// The URL's user name, percent-decoded.
    pub user: Option<String>,
    /// The URL's password, percent-decoded.
    pub password: Option<Secret<String>>,
}

impl Target {
    /// Splits `https://user:pass@host/sdk` (a bare `host` means `https://host/sdk`).
    pub fn parse(text: &str) -> Result<Target, ConnectError> {
        let with_scheme = if text.contains("://") {
            text.to_string()
        } else {
            format!("https://{text}")
        };
        let mut url =
            url::Url::parse(&with_scheme).map_err(|e| ConnectError::Url(e.to_string()))?;
        if url.host_str().is_none() {
            return Err(ConnectError::Url(format!(
                "{:?} names no host",
                url.scheme()
            )));
        }
        let decode = |s: &str| percent_decode_str(s).decode_utf8_lossy().into_owned();
        let user = Some(decode(url.username())).filter(|u| !u.is_empty());
        let password = url.password().map(|p| Secret::new(decode(p)));
        url.set_username("").ok();
        url.set_password(None).ok();
        if url.path() == "/" || url.path().is_empty() {
            url.set_path("/sdk");
        }
        Ok(Target {
            url: url.to_string(),
            user,
            password,
        })
    }
}

/// Connects to `url` and logs in with the URL's or the options' credentials (no login
/// when there are none).
///
/// ```no_run
/// # async fn run() -> Result<(), vsphere_helpers::ConnectError> {
/// use vsphere_helpers::{connect, ConnectOptions};
/// let options = ConnectOptions { insecure: true, ..ConnectOptions::default() };
/// let client = connect("https://user:pass@127.0.0.1:8989/sdk", &options).await?;
/// println!("{}", client.service_content().about.full_name);
/// # Ok(()) }
/// ```
pub async fn connect(url: &str, options: &ConnectOptions) -> Result<Client, ConnectError> {
    let target = Target::parse(url)?;
    let protocol = match options.protocol {
        Some(p) => p,
        None => {
            // SOAP is served by every release: ask it which release this is.
            let probe = builder(&target, options, Protocol::Soap)?.build().await?;
            match ApiVersion::parse(&probe.service_content().about.api_version) {
                Some(v) if v >= FIRST_JSON_RELEASE => Protocol::VimJson,
                _ => return login(probe, &target, options).await,
            }
        }
    };
    let client = builder(&target, options, protocol)?.build().await?;
    login(client, &target, options).await
}

/// The connection builder for `target` with `options`.
fn builder(
    target: &Target,
    options: &ConnectOptions,
    protocol: Protocol,
) -> Result<vsphere::ConnectionBuilder<Client>, ConnectError> {
    let mut b = Client::builder(target.url.clone())
        .protocol(protocol)
        .danger_accept_invalid_certs(options.insecure)
        .lenient_decoding(options.lenient);
    if let Some(path) = &options.ca_file {
        let pem = std::fs::read(path).map_err(|error| ConnectError::CaFile {
            path: path.clone(),
            error,
        })?;
        b = b.add_root_certificate_pem(pem);
    }
    if let Some(thumbprint) = &options.thumbprint {
        b = b.pin_certificate_sha256(thumbprint);
    }
    if let Some(t) = options.timeout {
        b = b.timeout(t);
    }
    if let Some(agent) = &options.user_agent {
        b = b.user_agent(agent.clone());
    }
    Ok(b)
}

/// Logs `client` in when there are credentials, and installs the re-login hook unless
/// the options say not to.
async fn login(
    client: Client,
    target: &Target,
    options: &ConnectOptions,
) -> Result<Client, ConnectError> {
    let user = options.user.clone().or_else(|| target.user.clone());
    let password = options.password.clone().or_else(|| target.password.clone());
    if let Some(user) = user {
        let password = password.unwrap_or_else(|| Secret::new(String::new()));
        let manager = client.session_manager()?;
        manager.login(&user, &password, None).await?;
        if !options.no_relogin {
            client.connection().set_relogin(Some(relogin(
                manager.reference().clone(),
                user,
                password,
            )));
        }
    }
    Ok(client)
}

/// A hook that logs in as `user` again through `SessionManager` `manager`.
fn relogin(
    manager: vsphere::ManagedObjectReference,
    user: String,
    password: Secret<String>,
) -> vsphere_runtime::Relogin {
    std::sync::Arc::new(move |connection: vsphere::Connection| {
        let (manager, user, password) = (manager.clone(), user.clone(), password.clone());
        Box::pin(async move {
            let params = [
                vsphere_runtime::Param::new("userName", &user),
                vsphere_runtime::Param::new("password", &password),
            ];
            connection
                .invoke(&vsphere::meta::SESSION_MANAGER_LOGIN, &manager, &params)
                .await
                .map(drop)
        })
    })
}
