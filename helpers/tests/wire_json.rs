//! The helpers at the HTTP level against a local server: which protocol `connect` picks
//! from the server's API version, and the exact VI/JSON requests of a property retrieval
//! with paging and of waiting for a task.

use serde_json::json;
use vsphere::{ManagedObjectReference, Protocol, Task};
use vsphere_helpers::{connect, property, task, ConnectOptions};
use wiremock::matchers::{body_string, body_string_contains, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Where VI/JSON bootstraps before it knows the server's release.
const JSON_BOOTSTRAP: &str =
    "/sdk/vim25/8.0.1.0/ServiceInstance/ServiceInstance/RetrieveServiceContent";

/// `ServiceContent` over SOAP, the server saying it is API `api_version`.
fn soap_service_content(api_version: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body><RetrieveServiceContentResponse xmlns="urn:vim25"><returnval><rootFolder type="Folder">group-d1</rootFolder><propertyCollector type="PropertyCollector">propertyCollector</propertyCollector><about><name>VMware vCenter Server</name><fullName>VMware vCenter Server</fullName><vendor>VMware, Inc.</vendor><version>8.0.2</version><build>1</build><osType>linux-x64</osType><productLineId>vpx</productLineId><apiType>VirtualCenter</apiType><apiVersion>{api_version}</apiVersion></about><sessionManager type="SessionManager">SessionManager</sessionManager></returnval></RetrieveServiceContentResponse></soapenv:Body></soapenv:Envelope>"#
    )
}

/// The same `ServiceContent` as VI/JSON.
fn json_service_content(api_version: &str) -> serde_json::Value {
    json!({
        "_typeName": "ServiceContent",
        "rootFolder": {"_typeName": "ManagedObjectReference", "type": "Folder", "value": "group-d1"},
        "propertyCollector": {"_typeName": "ManagedObjectReference", "type": "PropertyCollector", "value": "propertyCollector"},
        "sessionManager": {"_typeName": "ManagedObjectReference", "type": "SessionManager", "value": "SessionManager"},
        "about": {
            "_typeName": "AboutInfo",
            "name": "VMware vCenter Server", "fullName": "VMware vCenter Server", "vendor": "VMware, Inc.",
            "version": "8.0.2", "build": "1", "osType": "linux-x64", "productLineId": "vpx",
            "apiType": "VirtualCenter", "apiVersion": api_version
        }
    })
}

fn json_reply(body: serde_json::Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body.to_string(), "application/json")
}

/// A server answering the SOAP probe with `api_version`, and the VI/JSON bootstrap
/// (`json_bootstraps` times).
async fn server(api_version: &str, json_bootstraps: u64) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/sdk"))
        .and(body_string_contains("<RetrieveServiceContent"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(soap_service_content(api_version), "text/xml; charset=utf-8"),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(JSON_BOOTSTRAP))
        .respond_with(json_reply(json_service_content(api_version)))
        .expect(json_bootstraps)
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn connect_asks_over_soap_then_speaks_json_to_an_8_0_1_or_later_server() {
    let server = server("8.0.2.0", 1).await;
    Mock::given(method("POST"))
        .and(path(
            "/sdk/vim25/8.0.2.0/SessionManager/SessionManager/Login",
        ))
        .and(body_string(r#"{"userName":"admin","password":"s3cret"}"#))
        .respond_with(
            json_reply(json!({
                "_typeName": "UserSession", "key": "k", "userName": "admin", "fullName": "",
                "loginTime": "2026-12-07T10:00:00Z", "lastActiveTime": "2026-12-07T10:00:00Z",
                "locale": "en", "messageLocale": "en", "extensionSession": false,
                "ipAddress": "127.0.0.1", "userAgent": "t", "callCount": 0
            }))
            .insert_header("vmware-api-session-id", "session-1"),
        )
        .expect(1)
        .mount(&server)
        .await;
    let url = server.uri().replace("http://", "http://admin:s3cret@") + "/sdk";
    let client = connect(&url, &ConnectOptions::default()).await.unwrap();
    assert_eq!(client.connection().protocol(), Protocol::VimJson);
    assert_eq!(client.service_content().about.api_version, "8.0.2.0");
    assert_eq!(
        client.connection().session_id().map(|s| s.expose().clone()),
        Some("session-1".to_string())
    );
}

#[tokio::test]
async fn connect_stays_on_soap_for_an_older_server_and_a_forced_protocol_skips_the_probe() {
    // 7.0.3.0: the probe's answer is the bootstrap; no VI/JSON request is made.
    let old = server("7.0.3.0", 0).await;
    let client = connect(&(old.uri() + "/sdk"), &ConnectOptions::default())
        .await
        .unwrap();
    assert_eq!(client.connection().protocol(), Protocol::Soap);
    assert_eq!(client.service_content().about.api_version, "7.0.3.0");

    // Forced VI/JSON: one JSON bootstrap, no SOAP probe.
    let forced = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(JSON_BOOTSTRAP))
        .respond_with(json_reply(json_service_content("8.0.2.0")))
        .expect(1)
        .mount(&forced)
        .await;
    let options = ConnectOptions {
        protocol: Some(Protocol::VimJson),
        ..ConnectOptions::default()
    };
    let client = connect(&(forced.uri() + "/sdk"), &options).await.unwrap();
    assert_eq!(client.connection().protocol(), Protocol::VimJson);
    assert_eq!(forced.received_requests().await.unwrap().len(), 1);
}

/// A VI/JSON client of an 8.0.2.0 server, without login.
async fn json_client() -> (MockServer, vsphere::Client) {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(JSON_BOOTSTRAP))
        .respond_with(json_reply(json_service_content("8.0.2.0")))
        .mount(&server)
        .await;
    let options = ConnectOptions {
        protocol: Some(Protocol::VimJson),
        ..ConnectOptions::default()
    };
    let client = connect(&(server.uri() + "/sdk"), &options).await.unwrap();
    (server, client)
}

fn object(value: &str, name: &str) -> serde_json::Value {
    json!({
        "_typeName": "ObjectContent",
        "obj": {"_typeName": "ManagedObjectReference", "type": "VirtualMachine", "value": value},
        "propSet": [{"_typeName": "DynamicProperty", "name": "name", "val": {"_typeName": "string", "_value": name}}]
    })
}

#[tokio::test]
async fn retrieve_sends_one_filter_spec_and_follows_the_continuation_token() {
    let (server, client) = json_client().await;
    const PC: &str = "/sdk/vim25/8.0.2.0/PropertyCollector/propertyCollector";
    Mock::given(method("POST"))
        .and(path(format!("{PC}/RetrievePropertiesEx")))
        .and(header("content-type", "application/json"))
        .and(body_string(concat!(
            r#"{"specSet":[{"_typeName":"PropertyFilterSpec","#,
            r#""propSet":[{"_typeName":"PropertySpec","type":"VirtualMachine","all":false,"pathSet":["name"]}],"#,
            r#""objectSet":[{"_typeName":"ObjectSpec","obj":{"_typeName":"ManagedObjectReference","type":"VirtualMachine","value":"vm-1"}},"#,
            r#"{"_typeName":"ObjectSpec","obj":{"_typeName":"ManagedObjectReference","type":"VirtualMachine","value":"vm-2"}}]}],"#,
            r#""options":{"_typeName":"RetrieveOptions"}}"#
        )))
        .respond_with(json_reply(json!({
            "_typeName": "RetrieveResult", "token": "page-2", "objects": [object("vm-1", "web")]
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("{PC}/ContinueRetrievePropertiesEx")))
        .and(body_string(r#"{"token":"page-2"}"#))
        .respond_with(json_reply(json!({
            "_typeName": "RetrieveResult", "objects": [object("vm-2", "db")]
        })))
        .expect(1)
        .mount(&server)
        .await;
    let vms = [
        ManagedObjectReference::new("VirtualMachine", "vm-1"),
        ManagedObjectReference::new("VirtualMachine", "vm-2"),
    ];
    let found = property::retrieve(&client, "VirtualMachine", &vms, &["name"])
        .await
        .unwrap();
    let names: Vec<(String, Option<String>)> = found
        .iter()
        .map(|o| (o.obj.value.clone(), o.get::<String>("name").unwrap()))
        .collect();
    assert_eq!(
        names,
        [
            ("vm-1".to_string(), Some("web".to_string())),
            ("vm-2".to_string(), Some("db".to_string()))
        ]
    );
}

#[tokio::test]
async fn waiting_for_a_task_reads_its_info_until_it_succeeds_and_decodes_the_result() {
    let (server, client) = json_client().await;
    let info = |state: &str, result: Option<serde_json::Value>| {
        let mut info = json!({
            "_typeName": "TaskInfo", "key": "task-7",
            "task": {"_typeName": "ManagedObjectReference", "type": "Task", "value": "task-7"},
            "descriptionId": "VirtualMachine.clone", "state": state, "cancelled": false,
            "cancelable": false, "reason": {"_typeName": "TaskReasonUser", "userName": "admin"},
            "queueTime": "2026-12-07T10:00:00Z", "eventChainId": 1
        });
        if let Some(r) = result {
            info["result"] = r;
        }
        json_reply(info)
    };
    Mock::given(method("GET"))
        .and(path("/sdk/vim25/8.0.2.0/Task/task-7/info"))
        .respond_with(info("running", None))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    let made =
        json!({"_typeName": "ManagedObjectReference", "type": "VirtualMachine", "value": "vm-9"});
    Mock::given(method("GET"))
        .and(path("/sdk/vim25/8.0.2.0/Task/task-7/info"))
        .respond_with(info("success", Some(made)))
        .expect(1)
        .mount(&server)
        .await;
    let task = Task::new(
        client.connection().clone(),
        ManagedObjectReference::new("Task", "task-7"),
    );
    let outcome = task::wait(&task, task::WaitOptions::default())
        .await
        .unwrap();
    let vm = outcome
        .result_as::<vsphere_runtime::One<ManagedObjectReference>>()
        .unwrap()
        .0;
    assert_eq!(vm, ManagedObjectReference::new("VirtualMachine", "vm-9"));
}
