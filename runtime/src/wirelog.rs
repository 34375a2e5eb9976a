//! Wire logging through `tracing`, off unless a client asks for it
//! ([`ConnectionBuilder::wire_log`](crate::ConnectionBuilder::wire_log)).
//!
//! Every call runs in a `vsphere_call` span (`object`, `method`), so an application's own
//! spans nest the SDK's calls. With [`WireLog::Summary`] each call ends with one `INFO`
//! event; [`WireLog::Detailed`] adds `DEBUG` events with the request body and the
//! decoded response. The events of the two transports have their own targets,
//! [`JSON_TARGET`] and [`SOAP_TARGET`], for filtering (`vsphere::wire::soap=debug`).
//!
//! Nothing secret is logged at any level: request bodies are encoded a second time with
//! every [`Secret`](crate::Secret) written as `[REDACTED]` (the password of `Login`, the
//! ticket of `CloneSession`, every field and parameter the model marks secret), responses
//! are logged as their decoded value's `Debug`, which redacts the same way, and headers
//! (the session cookie and header) are never logged.

use std::time::Duration;

use crate::Protocol;

/// The target of the VI/JSON transport's events.
pub const JSON_TARGET: &str = "vsphere::wire::json";
/// The target of the SOAP transport's events.
pub const SOAP_TARGET: &str = "vsphere::wire::soap";

/// What is written in place of a secret in logged bodies.
pub const REDACTED: &str = "[REDACTED]";

/// How much of each call a connection logs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub enum WireLog {
    /// Nothing (the default; spans are still entered).
    #[default]
    Off,
    /// One `INFO` event per call: managed object, method, transport, request and
    /// response size, HTTP status, fault name, duration.
    Summary,
    /// The summary, and `DEBUG` events with the request body (secrets redacted) and the
    /// decoded response (as its redacting `Debug`).
    Detailed,
}

/// What the summary event of one call says.
pub(crate) struct CallSummary<'a> {
    pub object: &'a str,
    pub method: &'a str,
    pub protocol: Protocol,
    pub request_bytes: usize,
    pub response_bytes: usize,
    /// The HTTP status of the answer, when one came.
    pub status: Option<u16>,
    /// The fault's type name, when the server raised one.
    pub fault: Option<&'a str>,
    pub elapsed: Duration,
}

impl CallSummary<'_> {
    /// Logs the summary at `INFO` on the transport's target.
    pub fn log(&self) {
        let transport = transport(self.protocol);
        let status = self.status.map(u64::from);
        let duration_ms = self.elapsed.as_secs_f64() * 1000.0;
        macro_rules! summary {
            ($target:expr) => {
                tracing::info!(
                    target: $target,
                    object = self.object,
                    method = self.method,
                    transport,
                    request_bytes = self.request_bytes,
                    response_bytes = self.response_bytes,
                    status,
                    fault = self.fault,
                    duration_ms,
                    "vSphere call"
                )
            };
        }
        match self.protocol {
            Protocol::VimJson => summary!(JSON_TARGET),
            Protocol::Soap => summary!(SOAP_TARGET),
        }
    }
}

/// Logs a request body (already redacted) at `DEBUG` on the transport's target.
pub(crate) fn log_request(protocol: Protocol, method: &str, body: &str) {
    match protocol {
        Protocol::VimJson => tracing::debug!(target: JSON_TARGET, method, body, "request"),
        Protocol::Soap => tracing::debug!(target: SOAP_TARGET, method, body, "request"),
    }
}

/// Logs a decoded response at `DEBUG` on the transport's target.
pub(crate) fn log_response(protocol: Protocol, method: &str, value: &dyn std::fmt::Debug) {
    match protocol {
        Protocol::VimJson => {
            tracing::debug!(target: JSON_TARGET, method, response = ?value, "response")
        }
        Protocol::Soap => {
            tracing::debug!(target: SOAP_TARGET, method, response = ?value, "response")
        }
    }
}

fn transport(protocol: Protocol) -> &'static str {
    match protocol {
        Protocol::VimJson => "vi-json",
        Protocol::Soap => "soap",
    }
}
