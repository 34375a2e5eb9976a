//! Fixtures shared by the test files: VI/JSON bootstrap mocks, log capture.
#![allow(dead_code)]

use serde_json::json;

/// Where the client's bootstrap call goes before it knows the server's release.
pub const JSON_BOOTSTRAP: &str =
    "/sdk/vim25/8.0.1.0/ServiceInstance/ServiceInstance/RetrieveServiceContent";

/// The VI/JSON path of a `SessionManager` method on an 8.0.2.0 server.
pub fn sm_path(method_name: &str) -> String {
    format!("/sdk/vim25/8.0.2.0/SessionManager/SessionManager/{method_name}")
}

/// A `ServiceContent` body whose `about.apiVersion` is `api_version`.
pub fn service_content_of(api_version: &str) -> serde_json::Value {
    json!({
        "_typeName": "ServiceContent",
        "rootFolder": {"_typeName": "ManagedObjectReference", "type": "Folder", "value": "group-d1"},
        "propertyCollector": {"_typeName": "ManagedObjectReference", "type": "PropertyCollector", "value": "propertyCollector"},
        "sessionManager": {"_typeName": "ManagedObjectReference", "type": "SessionManager", "value": "SessionManager"},
        "about": {
            "_typeName": "AboutInfo",
            "name": "VMware vCenter Server", "fullName": "VMware vCenter Server 8.0.2", "vendor": "VMware, Inc.",
            "version": "8.0.2", "build": "1", "osType": "linux-x64", "productLineId": "vpx",
            "apiType": "VirtualCenter", "apiVersion": api_version
        }
    })
}

/// The `ServiceContent` of an 8.0.2.0 server.
pub fn service_content() -> serde_json::Value {
    service_content_of("8.0.2.0")
}

/// A wiremock server whose bootstrap answers with `api_version`, and a client bootstrapped
/// on it over VI/JSON.
pub async fn connected(api_version: &str) -> (wiremock::MockServer, vsphere::Client) {
    use wiremock::matchers::{method, path};
    let server = wiremock::MockServer::start().await;
    wiremock::Mock::given(method("POST"))
        .and(path(JSON_BOOTSTRAP))
        .respond_with(wiremock::ResponseTemplate::new(200).set_body_raw(
            service_content_of(api_version).to_string(),
            "application/json",
        ))
        .expect(1)
        .mount(&server)
        .await;
    let client = vsphere::Client::builder(server.uri())
        .build()
        .await
        .expect("bootstrap");
    (server, client)
}

/// A `tracing` writer into a shared buffer.
#[derive(Clone, Default)]
pub struct Captured(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    /// Everything logged so far.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

/// Captures every `tracing` event of this thread at `DEBUG` and above, as the `fmt`
/// subscriber writes them, until the guard is dropped. A `#[tokio::test]` runs on one
/// thread, so it sees every event of its calls.
pub fn capture_logs() -> (Captured, tracing::subscriber::DefaultGuard) {
    let log = Captured::default();
    let writer = log.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    (log, tracing::subscriber::set_default(subscriber))
}
