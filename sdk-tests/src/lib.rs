//! Tests and examples for the generated `vsphere` crate, and the code of the `sessions`
//! tool (`examples/sessions.rs`) so the tests can drive it.
//!
//! - `tests/wire_json.rs`: every method and property over VI/JSON against a local HTTP
//!   server, checking exact verbs, paths, headers and bodies.
//! - `tests/vcsim.rs`: every `SessionManager` method over SOAP against govmomi's vcsim.
//! - `tests/hostile.rs`: broken, slow, oversized and untrusted servers give typed errors.
//! - `tests/secrets.rs`: passwords, tickets and session ids never reach `Debug`, errors or logs.
//! - `tests/roundtrip.rs`: generated types survive VI/JSON and SOAP encode/decode (proptest).
//! - `examples/sessions.rs`: log in, show the server and its sessions, log out.

pub mod sessions;
