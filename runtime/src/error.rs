//! Errors: transport failures, raw server faults and typed faults.

use std::fmt;

use crate::json::JsonRead;
use crate::soap::SoapRead;
use crate::xml::{XmlDocument, XmlNode};
use crate::ApiVersion;

/// Anything that went wrong other than a fault the server raised on purpose.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The URL given to the builder is not usable.
    #[error("invalid server URL: {0}")]
    InvalidUrl(String),
    /// The HTTP client could not be set up (e.g. a bad CA certificate).
    #[error("cannot set up the HTTP client: {0}")]
    Setup(String),
    /// Connecting, sending or receiving failed (includes TLS and timeouts).
    #[error("HTTP request failed: {0}")]
    Http(#[source] HttpError),
    /// The server answered with a status that is neither success nor a fault.
    #[error("unexpected HTTP status {status}: {excerpt}")]
    Status {
        /// The HTTP status code.
        status: u16,
        /// The start of the response body.
        excerpt: String,
    },
    /// The response was not what the protocol says.
    #[error("cannot decode the response of {context}: {message}")]
    Decode {
        /// Which call.
        context: String,
        /// What was wrong.
        message: String,
    },
    /// The response body was larger than the configured limit.
    #[error("response body exceeds the limit of {limit} bytes")]
    BodyTooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// The method, or a parameter, data object type or field set in the call, is newer
    /// than the server's API version; no request was sent.
    #[error("{item} needs API version {since}, the server has {server}")]
    Unsupported {
        /// What is newer: `SessionManager.LoginByToken`, or ``parameter `locale` of
        /// SessionManager.Login``, ``field `VirtualMachineConfigSpec.sevEnabled` of
        /// VirtualMachine.ReconfigVM_Task``, ``type `HostTpmAttestationInfo` of …``.
        item: String,
        /// The version that introduced it.
        since: ApiVersion,
        /// The server's API version.
        server: ApiVersion,
    },
    /// The server's service content lacks something the SDK needs.
    #[error("bootstrap failed: {0}")]
    Bootstrap(String),
    /// The request cannot be made over the connection's protocol; no request was sent.
    #[error("not available over this protocol: {0}")]
    Protocol(String),
    /// The server raised a fault the method declares, but its body does not decode as
    /// that fault; the fault is kept as the server sent it.
    #[error("cannot decode the {} fault: {message}", fault.type_name)]
    UndecodableFault {
        /// The fault as received.
        fault: Box<RawFault>,
        /// What was wrong with it.
        message: String,
    },
}

/// Why an HTTP exchange failed: which step, and the underlying error as its source.
#[derive(Debug)]
pub struct HttpError {
    step: HttpStep,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum HttpStep {
    Connect,
    ConnectTimeout,
    Request,
    Timeout,
}

impl HttpError {
    pub(crate) fn connect(e: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        HttpError {
            step: HttpStep::Connect,
            source: Some(e.into()),
        }
    }

    pub(crate) fn connect_timeout() -> Self {
        HttpError {
            step: HttpStep::ConnectTimeout,
            source: None,
        }
    }

    pub(crate) fn request(e: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        HttpError {
            step: HttpStep::Request,
            source: Some(e.into()),
        }
    }

    pub(crate) fn timeout() -> Self {
        HttpError {
            step: HttpStep::Timeout,
            source: None,
        }
    }

    /// Connecting failed: TCP, TLS (certificate refused, …) or the connect timeout.
    pub fn is_connect(&self) -> bool {
        matches!(self.step, HttpStep::Connect | HttpStep::ConnectTimeout)
    }

    /// A timeout fired: the connect timeout or the one for the whole exchange.
    pub fn is_timeout(&self) -> bool {
        matches!(self.step, HttpStep::ConnectTimeout | HttpStep::Timeout)
    }

    /// The connection failed while the request was sent or the response read (e.g.
    /// the server hung up).
    pub fn is_request(&self) -> bool {
        self.step == HttpStep::Request
    }
}

impl fmt::Display for HttpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.step {
            HttpStep::Connect => "cannot connect",
            HttpStep::ConnectTimeout => "connect timed out",
            HttpStep::Request => "the exchange failed",
            HttpStep::Timeout => "timed out",
        };
        match &self.source {
            Some(source) => write!(f, "{what}: {source}"),
            None => f.write_str(what),
        }
    }
}

impl std::error::Error for HttpError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_deref().map(|e| e as _)
    }
}

/// The fault object as the server sent it.
#[derive(Clone, Debug, PartialEq)]
pub enum FaultBody {
    /// VI/JSON: the fault object (with `_typeName`).
    Json(serde_json::Value),
    /// SOAP: the first child of the fault's `detail` (e.g.
    /// `<InvalidLoginFault xsi:type="InvalidLogin">`), or the `Fault` element itself when
    /// the server sent no detail.
    Xml(XmlNode),
}

/// A fault the server raised, before it is matched to a method's typed error.
#[derive(Clone, Debug, PartialEq)]
pub struct RawFault {
    /// The fault's wire type name, e.g. `InvalidLogin`.
    pub type_name: String,
    /// The server's message, when it sent one.
    pub message: Option<String>,
    /// The fault object as the server sent it, for decoding into a typed fault.
    pub body: FaultBody,
}

impl RawFault {
    /// Decodes the fault object into the generated fault type `T` (or `Any…` enum),
    /// from whichever protocol's form it has. A body that does not decode is
    /// [`Error::UndecodableFault`], which keeps this fault.
    pub fn decode<T: JsonRead + SoapRead>(&self) -> Result<Fault<T>, Error> {
        let detail = match &self.body {
            FaultBody::Json(value) => T::read_json(value).map_err(|e| e.0),
            FaultBody::Xml(node) => T::read(XmlDocument::from_node(node).root()).map_err(|e| e.0),
        }
        .map_err(|message| Error::UndecodableFault {
            fault: Box::new(self.clone()),
            message,
        })?;
        Ok(Fault {
            detail,
            type_name: self.type_name.clone(),
            message: self.message.clone(),
        })
    }
}

impl fmt::Display for RawFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.message {
            Some(m) => write!(f, "{}: {m}", self.type_name),
            None => f.write_str(&self.type_name),
        }
    }
}

/// A typed fault: the generated fault struct plus the server's message.
#[derive(Clone, Debug, PartialEq)]
pub struct Fault<T> {
    /// The fault's own fields.
    pub detail: T,
    /// The fault's wire type name as sent (may be a subtype of `T`).
    pub type_name: String,
    /// The server's message, when it sent one.
    pub message: Option<String>,
}

impl<T> fmt::Display for Fault<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.message {
            Some(m) => write!(f, "{}: {m}", self.type_name),
            None => f.write_str(&self.type_name),
        }
    }
}

/// What a call returns before the generated code types the fault.
#[derive(Debug)]
pub enum CallError {
    /// The server raised a fault.
    Fault(RawFault),
    /// Anything else.
    Other(Error),
}

impl From<Error> for CallError {
    fn from(e: Error) -> Self {
        CallError::Other(e)
    }
}

impl fmt::Display for CallError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CallError::Fault(fault) => fmt::Display::fmt(fault, f),
            CallError::Other(e) => fmt::Display::fmt(e, f),
        }
    }
}

impl std::error::Error for CallError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            CallError::Fault(_) => None,
            CallError::Other(e) => Some(e),
        }
    }
}
