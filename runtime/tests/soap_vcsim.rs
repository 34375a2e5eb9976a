//! The SOAP transport against govmomi's vCenter simulator, with hand-written request and
//! response types standing in for generated ones.

use serde::Deserialize;
use vsphere_runtime::{
    ApiVersion, Bootstrap, CallError, Connection, ConnectionBuilder, Error, FaultBody, JsonError,
    JsonRead, JsonWrite, JsonWriter, ManagedObjectReference, MethodInfo, Nothing, One, Param,
    Protocol, Secret, SoapError, SoapRead, SoapWrite, SoapWriter, XmlElement,
};

/// Never bootstrapped: the tests drive the connection by hand.
struct NoClient;

impl Bootstrap for NoClient {
    async fn bootstrap(_: Connection) -> Result<Self, Error> {
        Err(Error::Bootstrap("not used".into()))
    }
}

fn connect() -> Connection {
    ConnectionBuilder::<NoClient>::new(vcsim_harness::shared().url.clone())
        .protocol(Protocol::Soap)
        .connect()
        .expect("connection")
}

fn method(managed_object: &'static str, name: &'static str) -> MethodInfo {
    MethodInfo {
        managed_object,
        name,
        privilege: None,
        since_label: None,
        since: None,
        deprecated: false,
    }
}

fn session_manager() -> ManagedObjectReference {
    ManagedObjectReference::new("SessionManager", "SessionManager")
}

/// `JsonRead` through serde, for the hand-written response types (SOAP only here).
macro_rules! json_read_via_serde {
    ($($t:ty),*) => {$(
        impl JsonRead for $t {
            fn read_json(v: &serde_json::Value) -> Result<Self, JsonError> {
                <$t as Deserialize>::deserialize(v).map_err(|e| JsonError(e.to_string()))
            }
        }
    )*};
}

json_read_via_serde!(Content, UserSession, RetrieveResult);

fn child<'a>(node: XmlElement<'a>, owner: &str, name: &str) -> Result<XmlElement<'a>, SoapError> {
    node.child(name)
        .ok_or_else(|| SoapError::missing(owner, name))
}

/// The part of `ServiceContent` the tests look at.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Content {
    about: About,
    session_manager: ManagedObjectReference,
    property_collector: ManagedObjectReference,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct About {
    api_version: String,
}

impl SoapRead for Content {
    fn read(node: XmlElement<'_>) -> Result<Self, SoapError> {
        let about = child(node, "ServiceContent", "about")?;
        Ok(Content {
            about: About {
                api_version: String::read(child(about, "AboutInfo", "apiVersion")?)?,
            },
            session_manager: SoapRead::read(child(node, "ServiceContent", "sessionManager")?)?,
            property_collector: SoapRead::read(child(
                node,
                "ServiceContent",
                "propertyCollector",
            )?)?,
        })
    }
}

struct Login {
    user_name: String,
    password: Secret<String>,
}

impl Login {
    fn params(&self) -> [Param<'_>; 2] {
        [
            Param::new("userName", &self.user_name),
            Param::new("password", &self.password),
        ]
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct UserSession {
    key: String,
    user_name: String,
    login_time: vsphere_runtime::DateTime,
}

impl SoapRead for UserSession {
    fn read(node: XmlElement<'_>) -> Result<Self, SoapError> {
        Ok(UserSession {
            key: String::read(child(node, "UserSession", "key")?)?,
            user_name: String::read(child(node, "UserSession", "userName")?)?,
            login_time: SoapRead::read(child(node, "UserSession", "loginTime")?)?,
        })
    }
}

struct SessionIsActive {
    session_id: String,
    user_name: String,
}

impl SessionIsActive {
    fn params(&self) -> [Param<'_>; 2] {
        [
            Param::new("sessionID", &self.session_id),
            Param::new("userName", &self.user_name),
        ]
    }
}

async fn login(conn: &Connection, password: &str) -> Result<UserSession, CallError> {
    let vcsim = vcsim_harness::shared();
    let params = Login {
        user_name: vcsim.user(),
        password: Secret::new(password.to_string()),
    };
    conn.call::<One<UserSession>>(
        &method("SessionManager", "Login"),
        &session_manager(),
        &params.params(),
    )
    .await
    .map(|One(s)| s)
}

async fn is_active(conn: &Connection, session: &UserSession) -> Result<bool, CallError> {
    let params = SessionIsActive {
        session_id: session.key.clone(),
        user_name: session.user_name.clone(),
    };
    conn.call::<One<bool>>(
        &method("SessionManager", "SessionIsActive"),
        &session_manager(),
        &params.params(),
    )
    .await
    .map(|One(b)| b)
}

fn fault(result: Result<impl std::fmt::Debug, CallError>) -> vsphere_runtime::RawFault {
    match result {
        Err(CallError::Fault(f)) => f,
        other => panic!("expected a fault, got {other:?}"),
    }
}

#[tokio::test]
async fn retrieve_service_content() {
    let conn = connect();
    let One(content) = conn
        .call::<One<Content>>(
            &method("ServiceInstance", "RetrieveServiceContent"),
            &ManagedObjectReference::service_instance(),
            &[],
        )
        .await
        .expect("RetrieveServiceContent");
    assert_eq!(content.about.api_version, "6.5");
    assert_eq!(content.session_manager, session_manager());
    assert_eq!(content.property_collector.type_, "PropertyCollector");
    conn.set_server_version(&content.about.api_version);
    conn.set_property_collector(content.property_collector.clone());
    assert_eq!(conn.property_collector(), Some(content.property_collector));
    assert_eq!(conn.server_version(), ApiVersion::parse("6.5"));

    // Methods newer than the server are refused before anything is sent.
    let mut newer = method("SessionManager", "Logout");
    newer.since = ApiVersion::parse("7.0");
    newer.since_label = Some("7.0");
    let err = conn
        .call::<Nothing>(&newer, &session_manager(), &[])
        .await
        .unwrap_err();
    match &err {
        CallError::Other(e @ Error::Unsupported { .. }) => assert_eq!(
            e.to_string(),
            "SessionManager.Logout needs API version 7.0, the server has 6.5"
        ),
        other => panic!("expected Unsupported, got {other:?}"),
    }
    // ... and calls keep working with the server's release in SOAPAction.
    conn.call::<One<Content>>(
        &method("ServiceInstance", "RetrieveServiceContent"),
        &ManagedObjectReference::service_instance(),
        &[],
    )
    .await
    .expect("RetrieveServiceContent with urn:vim25/6.5");
}

#[tokio::test]
async fn wrong_password_is_an_invalid_login_fault() {
    let conn = connect();
    let err = login(&conn, "not-the-password").await.unwrap_err();
    let text = format!("{err} {err:?}");
    let f = fault(Err::<(), _>(err));
    assert_eq!(f.type_name, "InvalidLogin");
    assert_eq!(f.message.as_deref(), Some("Login failure"));
    assert!(matches!(&f.body, FaultBody::Xml(n) if n.name == "InvalidLoginFault"));
    assert!(!text.contains("not-the-password"), "{text}");
    assert!(conn.session_id().is_none());
}

#[tokio::test]
async fn session_cookie_is_sent_and_cleared_by_logout() {
    let conn = connect();
    let vcsim = vcsim_harness::shared();

    let anonymous = fault(
        conn.call::<Nothing>(&method("SessionManager", "Logout"), &session_manager(), &[])
            .await,
    );
    assert_eq!(anonymous.type_name, "NotAuthenticated");

    let session = login(&conn, &vcsim.password()).await.expect("Login");
    assert_eq!(session.user_name, vcsim.user());
    assert!(session.login_time.timestamp() > 1_600_000_000);
    // vcsim's cookie value is the session key.
    let cookie = conn.session_id().expect("the session cookie was captured");
    assert_eq!(cookie.expose(), &session.key);
    assert!(!format!("{conn:?}").contains(&session.key));

    // Only an authenticated request gets an answer.
    assert!(is_active(&conn, &session).await.expect("SessionIsActive"));
    // A second Login on the same session is refused, which shows the cookie is sent.
    assert_eq!(
        fault(login(&conn, &vcsim.password()).await).type_name,
        "InvalidLogin"
    );

    conn.call::<Nothing>(&method("SessionManager", "Logout"), &session_manager(), &[])
        .await
        .expect("Logout");
    assert!(conn.session_id().is_none());
    let after = fault(is_active(&conn, &session).await);
    assert_eq!(after.type_name, "NotAuthenticated");

    // A stale cookie is as good as none.
    conn.set_session_id(Some(cookie));
    assert_eq!(
        fault(is_active(&conn, &session).await).type_name,
        "NotAuthenticated"
    );
}

#[tokio::test]
async fn unknown_methods_are_typed_faults() {
    let conn = connect();
    let unknown = fault(
        conn.call::<Nothing>(
            &method("SessionManager", "NoSuchMethod"),
            &session_manager(),
            &[],
        )
        .await,
    );
    assert_eq!(unknown.type_name, "InvalidRequest");
    assert!(unknown
        .message
        .as_deref()
        .unwrap_or_default()
        .contains("NoSuchMethod"));

    // A real method the object does not have.
    login(&conn, &vcsim_harness::shared().password())
        .await
        .expect("Login");
    let wrong_object = fault(
        conn.call::<Nothing>(
            &method("SessionManager", "Destroy_Task"),
            &session_manager(),
            &[],
        )
        .await,
    );
    assert_eq!(wrong_object.type_name, "MethodNotFound");

    let missing = fault(
        conn.call::<Nothing>(
            &method("Folder", "Destroy_Task"),
            &ManagedObjectReference::new("Folder", "no-such-folder"),
            &[],
        )
        .await,
    );
    assert_eq!(missing.type_name, "ManagedObjectNotFound");
}

#[tokio::test]
async fn wrong_return_shape_is_a_decode_error() {
    let conn = connect();
    let err = conn
        .call::<One<bool>>(
            &method("ServiceInstance", "RetrieveServiceContent"),
            &ManagedObjectReference::service_instance(),
            &[],
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&err, CallError::Other(Error::Decode { context, .. }) if context == "RetrieveServiceContent"),
        "{err:?}"
    );
}

/// `specSet` of a `RetrievePropertiesEx` from the root folder through a `TraversalSpec`
/// (a polymorphic parameter, written with `xsi:type`); the result has `anyType` values.
#[derive(Debug)]
struct SpecSet;

impl SoapWrite for SpecSet {
    fn write(&self, name: &str, w: &mut SoapWriter) {
        w.open(name, None);
        for (ty, paths) in [
            ("Folder", &["name", "childEntity"][..]),
            ("Datacenter", &["name"]),
        ] {
            w.open("propSet", None);
            w.simple("type", ty);
            for p in paths {
                w.simple("pathSet", p);
            }
            w.close("propSet");
        }
        w.open("objectSet", None);
        ManagedObjectReference::new("Folder", "group-d1").write("obj", w);
        false.write("skip", w);
        w.set_type("TraversalSpec");
        w.open("selectSet", None);
        w.simple("name", "children");
        w.simple("type", "Folder");
        w.simple("path", "childEntity");
        false.write("skip", w);
        w.close("selectSet");
        w.close("objectSet");
        w.close(name);
    }
}

/// Not sent over VI/JSON in these tests.
impl JsonWrite for SpecSet {
    fn write_json(&self, w: &mut JsonWriter) {
        w.null();
    }
}

/// `RetrieveOptions` with nothing set.
#[derive(Debug)]
struct NoOptions;

impl SoapWrite for NoOptions {
    fn write(&self, name: &str, w: &mut SoapWriter) {
        w.open(name, None);
        w.close(name);
    }
}

impl JsonWrite for NoOptions {
    fn write_json(&self, w: &mut JsonWriter) {
        w.null();
    }
}

#[derive(Debug, Deserialize)]
struct RetrieveResult {
    objects: Vec<ObjectContent>,
}

#[derive(Debug, Deserialize)]
struct ObjectContent {
    obj: ManagedObjectReference,
    prop_set: Vec<(String, vsphere_runtime::AnyValue)>,
}

impl SoapRead for RetrieveResult {
    fn read(node: XmlElement<'_>) -> Result<Self, SoapError> {
        let objects = node
            .children_named("objects")
            .map(|o| {
                let prop_set = o
                    .children_named("propSet")
                    .map(|p| {
                        Ok((
                            String::read(child(p, "DynamicProperty", "name")?)?,
                            SoapRead::read(child(p, "DynamicProperty", "val")?)?,
                        ))
                    })
                    .collect::<Result<_, SoapError>>()?;
                Ok(ObjectContent {
                    obj: SoapRead::read(child(o, "ObjectContent", "obj")?)?,
                    prop_set,
                })
            })
            .collect::<Result<_, SoapError>>()?;
        Ok(RetrieveResult { objects })
    }
}

#[tokio::test]
async fn retrieve_properties_with_any_type_values() {
    use vsphere_runtime::{AnyValue, Many, Maybe};
    let conn = connect();
    // Without a session vcsim answers with a `missingSet` of NotAuthenticated faults.
    login(&conn, &vcsim_harness::shared().password())
        .await
        .expect("Login");
    let Maybe(result) = conn
        .call::<Maybe<RetrieveResult>>(
            &method("PropertyCollector", "RetrievePropertiesEx"),
            &ManagedObjectReference::new("PropertyCollector", "propertyCollector"),
            &[
                Param::new("specSet", &SpecSet),
                Param::new("options", &NoOptions),
            ],
        )
        .await
        .expect("RetrievePropertiesEx");
    let result = result.expect("a result");
    let prop = |obj: &str, name: &str| -> AnyValue {
        let o = result
            .objects
            .iter()
            .find(|o| o.obj.value == obj)
            .unwrap_or_else(|| panic!("no {obj} in {result:?}"));
        o.prop_set
            .iter()
            .find(|(n, _)| n == name)
            .unwrap_or_else(|| panic!("no {name} in {o:?}"))
            .1
            .clone()
    };
    let name = prop("group-d1", "name");
    assert_eq!(name.type_name(), Some("string"));
    assert_eq!(name.decode::<One<String>>().unwrap().0, "Datacenters");
    let children = prop("group-d1", "childEntity");
    assert_eq!(children.type_name(), Some("ArrayOfManagedObjectReference"));
    let Many(children) = children.decode::<Many<ManagedObjectReference>>().unwrap();
    assert!(
        children.iter().any(|c| c.type_ == "Datacenter"),
        "{children:?}"
    );
    // The traversal reached the datacenter.
    let dc = &children
        .iter()
        .find(|c| c.type_ == "Datacenter")
        .unwrap()
        .value;
    assert_eq!(prop(dc, "name").decode::<One<String>>().unwrap().0, "DC0");
}
