//! HTTP/1.1 on hyper: keep-alive connections to one server, plain or over rustls, with
//! a connect timeout, a timeout for the whole exchange and a limit on the body.
//!
//! vSphere clients talk to one host and make one call at a time per task, so the pool is
//! a list of idle connections: a call takes one (or opens one) and gives it back once the
//! response body has been read. A request that a reused connection turned out to be
//! closed for, before any of it was written, is sent again on a new connection.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http::header::{HeaderValue, HOST, USER_AGENT};
use http::{HeaderMap, Request};
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::{self, SendRequest};
use hyper_util::rt::TokioIo;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;

use crate::error::{Error, HttpError};

/// Idle connections kept per server; more are closed when given back.
const MAX_IDLE: usize = 8;

/// What the transport needs to reach the server.
pub(crate) struct Settings {
    /// Whether to speak TLS.
    pub https: bool,
    /// Host name or IP address (IPv6 without brackets).
    pub host: String,
    /// TCP port.
    pub port: u16,
    /// Accept any certificate (no verification).
    pub accept_invalid_certs: bool,
    /// Extra CA certificates (PEM) trusted besides the Mozilla roots.
    pub root_certificates: Vec<Vec<u8>>,
    /// The SHA-256 digest of the one server certificate to accept, instead of a CA chain.
    pub pinned_sha256: Option<[u8; 32]>,
    /// Time allowed for TCP connect and TLS handshake.
    pub connect_timeout: Duration,
    /// Time allowed for a whole exchange (connect, request, response body).
    pub timeout: Duration,
    /// The `User-Agent` header.
    pub user_agent: String,
    /// Largest body accepted.
    pub max_body_bytes: usize,
}

/// A response: status, headers and the whole body.
pub(crate) struct Reply {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

/// The connections to one server.
pub(crate) struct Transport {
    address: (String, u16),
    tls: Option<(tokio_rustls::TlsConnector, ServerName<'static>)>,
    host: HeaderValue,
    user_agent: HeaderValue,
    connect_timeout: Duration,
    timeout: Duration,
    max_body_bytes: usize,
    idle: Mutex<Vec<SendRequest<Full<Bytes>>>>,
}

impl Transport {
    /// Checks the settings and builds the TLS configuration; connects nothing yet.
    pub fn new(s: Settings) -> Result<Self, Error> {
        let tls = if s.https {
            let config = tls_config(
                s.accept_invalid_certs,
                s.pinned_sha256,
                &s.root_certificates,
            )?;
            let name = ServerName::try_from(s.host.clone())
                .map_err(|e| Error::InvalidUrl(format!("{}: {e}", s.host)))?;
            Some((tokio_rustls::TlsConnector::from(Arc::new(config)), name))
        } else {
            None
        };
        let default_port = if s.https { 443 } else { 80 };
        let host = if s.host.contains(':') {
            format!("[{}]", s.host)
        } else {
            s.host.clone()
        };
        let authority = if s.port == default_port {
            host
        } else {
            format!("{host}:{}", s.port)
        };
        Ok(Transport {
            address: (s.host, s.port),
            tls,
            host: HeaderValue::from_str(&authority)
                .map_err(|_| Error::InvalidUrl(format!("bad host {authority:?}")))?,
            user_agent: HeaderValue::from_str(&s.user_agent)
                .map_err(|_| Error::Setup(format!("bad user agent {:?}", s.user_agent)))?,
            connect_timeout: s.connect_timeout,
            timeout: s.timeout,
            max_body_bytes: s.max_body_bytes,
            idle: Mutex::new(Vec::new()),
        })
    }

    /// Sends `request` (origin-form URI, e.g. `/sdk`; `Host` and `User-Agent` are added)
    /// and reads the whole response, within the timeout.
    pub async fn send(&self, mut request: Request<Full<Bytes>>) -> Result<Reply, Error> {
        let headers = request.headers_mut();
        headers.insert(HOST, self.host.clone());
        headers.insert(USER_AGENT, self.user_agent.clone());
        match tokio::time::timeout(self.timeout, self.exchange(request)).await {
            Ok(result) => result,
            Err(_) => Err(Error::Http(HttpError::timeout())),
        }
    }

    async fn exchange(&self, mut request: Request<Full<Bytes>>) -> Result<Reply, Error> {
        loop {
            let (mut sender, reused) = match self.take_idle().await {
                Some(sender) => (sender, true),
                None => (self.connect().await?, false),
            };
            let response = match sender.try_send_request(request).await {
                Ok(response) => response,
                Err(mut e) => match e.take_message() {
                    // Not written: the idle connection had been closed; use a new one.
                    Some(unsent) if reused => {
                        request = unsent;
                        continue;
                    }
                    _ => return Err(Error::Http(HttpError::request(e.into_error()))),
                },
            };
            let (parts, body) = response.into_parts();
            let body = self.read_body(&parts.headers, body).await?;
            self.give_back(sender);
            return Ok(Reply {
                status: parts.status.as_u16(),
                headers: parts.headers,
                body,
            });
        }
    }

    async fn read_body(
        &self,
        headers: &HeaderMap,
        mut body: hyper::body::Incoming,
    ) -> Result<Vec<u8>, Error> {
        let limit = self.max_body_bytes;
        let length = headers
            .get(http::header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        if length.is_some_and(|n| n > limit as u64) {
            return Err(Error::BodyTooLarge { limit });
        }
        let mut out = Vec::with_capacity(length.unwrap_or(0) as usize);
        while let Some(frame) = body.frame().await {
            let frame = frame.map_err(|e| Error::Http(HttpError::request(e)))?;
            if let Ok(data) = frame.into_data() {
                if out.len() + data.len() > limit {
                    return Err(Error::BodyTooLarge { limit });
                }
                out.extend_from_slice(&data);
            }
        }
        Ok(out)
    }

    /// An idle connection that is still open and ready for a request.
    async fn take_idle(&self) -> Option<SendRequest<Full<Bytes>>> {
        loop {
            let mut sender = self.idle.lock().unwrap_or_else(|e| e.into_inner()).pop()?;
            if !sender.is_closed() && sender.ready().await.is_ok() {
                return Some(sender);
            }
        }
    }

    fn give_back(&self, sender: SendRequest<Full<Bytes>>) {
        if sender.is_closed() {
            return;
        }
        let mut idle = self.idle.lock().unwrap_or_else(|e| e.into_inner());
        if idle.len() < MAX_IDLE {
            idle.push(sender);
        }
    }

    /// A new connection (TCP, then TLS when configured), within the connect timeout.
    async fn connect(&self) -> Result<SendRequest<Full<Bytes>>, Error> {
        let connecting = async {
            let (host, port) = &self.address;
            let tcp = TcpStream::connect((host.as_str(), *port))
                .await
                .map_err(HttpError::connect)?;
            tcp.set_nodelay(true).map_err(HttpError::connect)?;
            match &self.tls {
                None => handshake(tcp).await,
                Some((connector, name)) => {
                    let tls = connector
                        .connect(name.clone(), tcp)
                        .await
                        .map_err(HttpError::connect)?;
                    handshake(tls).await
                }
            }
        };
        match tokio::time::timeout(self.connect_timeout, connecting).await {
            Ok(result) => result.map_err(Error::Http),
            Err(_) => Err(Error::Http(HttpError::connect_timeout())),
        }
    }
}

/// HTTP/1.1 over `io`; the connection is driven by a task of its own.
async fn handshake<I>(io: I) -> Result<SendRequest<Full<Bytes>>, HttpError>
where
    I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let (sender, connection) = http1::handshake(TokioIo::new(io))
        .await
        .map_err(HttpError::connect)?;
    tokio::spawn(async move {
        if let Err(e) = connection.await {
            tracing::debug!(error = %e, "HTTP connection ended");
        }
    });
    Ok(sender)
}

/// rustls with ring: the Mozilla roots plus `extra` PEM certificates, or no verification
/// at all when `accept_invalid` is set.
fn tls_config(
    accept_invalid: bool,
    pinned_sha256: Option<[u8; 32]>,
    extra: &[Vec<u8>],
) -> Result<rustls::ClientConfig, Error> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(Arc::clone(&provider))
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::Setup(e.to_string()))?;
    let mut config = if accept_invalid || pinned_sha256.is_some() {
        let verifier = OwnVerifier {
            provider,
            pinned_sha256,
        };
        builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(verifier))
            .with_no_client_auth()
    } else {
        let mut roots = rustls::RootCertStore::empty();
        roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        for pem in extra {
            let mut added = 0;
            for cert in CertificateDer::pem_slice_iter(pem) {
                let cert = cert.map_err(|e| Error::Setup(format!("CA certificate: {e}")))?;
                roots
                    .add(cert)
                    .map_err(|e| Error::Setup(format!("CA certificate: {e}")))?;
                added += 1;
            }
            if added == 0 {
                return Err(Error::Setup(
                    "CA certificate: no certificate in the PEM".into(),
                ));
            }
        }
        builder.with_root_certificates(roots).with_no_client_auth()
    };
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

/// Parses a SHA-256 certificate thumbprint: 64 hex digits, in pairs separated by `:`
/// (as `openssl x509 -fingerprint -sha256` and vCenter print it) or not.
pub(crate) fn parse_thumbprint(text: &str) -> Result<[u8; 32], String> {
    let hex: String = text.chars().filter(|c| *c != ':').collect();
    let bad = || {
        format!(
            "certificate thumbprint {text:?}: expected 32 bytes of hex (SHA-256), \
             e.g. AB:CD:…"
        )
    };
    if hex.len() != 64 || !hex.is_ascii() {
        return Err(bad());
    }
    let mut out = [0u8; 32];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).map_err(|_| bad())?;
    }
    Ok(out)
}

/// The verifier of a pinned thumbprint (the server's certificate must have that SHA-256
/// digest, whatever its issuer and names) or of `danger_accept_invalid_certs` (any
/// certificate for any name); the handshake signatures are checked either way.
#[derive(Debug)]
struct OwnVerifier {
    provider: Arc<rustls::crypto::CryptoProvider>,
    pinned_sha256: Option<[u8; 32]>,
}

impl rustls::client::danger::ServerCertVerifier for OwnVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _: &[CertificateDer<'_>],
        _: &ServerName<'_>,
        _: &[u8],
        _: rustls::pki_types::UnixTime,
    ) -> Result<rustls::client::danger::ServerCertVerified, rustls::Error> {
        if let Some(pin) = self.pinned_sha256 {
            let digest = ring::digest::digest(&ring::digest::SHA256, end_entity.as_ref());
            if digest.as_ref() != pin {
                return Err(rustls::Error::General(format!(
                    "the server certificate's SHA-256 thumbprint {} is not the pinned one",
                    thumbprint_text(digest.as_ref())
                )));
            }
        }
        Ok(rustls::client::danger::ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// `AB:CD:…`, the way vCenter and `openssl` print a thumbprint.
pub(crate) fn thumbprint_text(digest: &[u8]) -> String {
    digest
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(":")
}
