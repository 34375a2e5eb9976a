//! SOAP 1.1 envelopes of vim25: the request around a method's parameters, and the
//! response's return values or fault.

use crate::data::{soap_params, Param};
use crate::error::{FaultBody, RawFault};
use crate::soap::{SoapError, SoapWrite, SoapWriter};
use crate::xml::XmlElement;
use crate::{ManagedObjectReference, TooNew, VersionGate};

const OPEN: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8"?>"#,
    r#"<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/""#,
    r#" xmlns:xsd="http://www.w3.org/2001/XMLSchema""#,
    r#" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">"#,
    "<soapenv:Body>",
);
const CLOSE: &str = "</soapenv:Body></soapenv:Envelope>";

/// The request envelope of `method` on `this` with `params`' elements, written through
/// `gate`; or the first parameter, type or field in them that `gate`'s server does not
/// have.
pub(crate) fn request(
    method: &str,
    this: &ManagedObjectReference,
    params: &[Param<'_>],
    gate: VersionGate,
) -> Result<String, TooNew> {
    let mut w = SoapWriter::new();
    *w.gate_mut() = gate;
    envelope(method, this, params, w)
}

/// [`request`] for a log: every secret written as `[REDACTED]`, nothing gated.
pub(crate) fn request_redacted(
    method: &str,
    this: &ManagedObjectReference,
    params: &[Param<'_>],
) -> String {
    envelope(method, this, params, SoapWriter::redacting()).unwrap_or_default()
}

fn envelope(
    method: &str,
    this: &ManagedObjectReference,
    params: &[Param<'_>],
    mut w: SoapWriter,
) -> Result<String, TooNew> {
    w.open_attrs(method, &[("xmlns", "urn:vim25")]);
    this.write("_this", &mut w);
    soap_params(params, &mut w);
    w.close(method);
    if let Some(too_new) = w.gate_mut().too_new() {
        return Err(too_new.clone());
    }
    let inner = w.finish();
    let mut out = String::with_capacity(OPEN.len() + inner.len() + CLOSE.len());
    out.push_str(OPEN);
    out.push_str(&inner);
    out.push_str(CLOSE);
    Ok(out)
}

/// The `Body` of an envelope.
pub(crate) fn body(envelope: XmlElement<'_>) -> Result<XmlElement<'_>, SoapError> {
    if envelope.name() != "Envelope" {
        return Err(SoapError(format!(
            "the document element is <{}>, not a SOAP Envelope",
            envelope.name()
        )));
    }
    envelope
        .child("Body")
        .ok_or_else(|| SoapError::missing("Envelope", "Body"))
}

/// The fault in a `Body`, if it holds one.
pub(crate) fn fault(body: XmlElement<'_>) -> Option<RawFault> {
    let fault = body.child("Fault")?;
    let message = fault
        .child("faultstring")
        .map(|m| m.text().trim())
        .filter(|m| !m.is_empty())
        .map(str::to_string);
    let (type_name, body) = match fault.child("detail").and_then(|d| d.children().next()) {
        Some(d) => {
            let name = d.xsi_type().unwrap_or_else(|| {
                let name = d.name();
                name.strip_suffix("Fault").unwrap_or(name)
            });
            (name.to_string(), d.to_node())
        }
        None => {
            // No detail: all there is to go by is the fault code (`ServerFaultCode`).
            let code = fault.child("faultcode").map_or("", |c| c.text().trim());
            let code = code.rsplit_once(':').map_or(code, |(_, l)| l);
            let name = if code.is_empty() { "Fault" } else { code };
            (name.to_string(), fault.to_node())
        }
    };
    Some(RawFault {
        type_name,
        message,
        body: FaultBody::Xml(body),
    })
}

/// The `returnval`s of `{method}Response` in an envelope's `Body`.
pub(crate) fn returnvals<'a>(
    body: XmlElement<'a>,
    method: &str,
) -> Result<Vec<XmlElement<'a>>, SoapError> {
    let response = body
        .children()
        .find(|c| c.name().strip_suffix("Response") == Some(method))
        .ok_or_else(|| SoapError::missing("Body", &format!("{method}Response")))?;
    Ok(response.children_named("returnval").collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::soap::{Many, One, Response};
    use crate::xml::parse;
    use crate::Secret;

    #[test]
    fn request_envelope() {
        let password = Secret::new("p<w".to_string());
        let locale: Option<&str> = None;
        let login = [
            Param::new("userName", &"a&b"),
            Param::new("password", &password),
            Param::new("locale", &locale),
        ];
        let sm = ManagedObjectReference::new("SessionManager", "SessionManager");
        assert_eq!(
            request("Login", &sm, &login, VersionGate::default()).unwrap(),
            concat!(
                r#"<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>"#,
                r#"<Login xmlns="urn:vim25"><_this type="SessionManager">SessionManager</_this><userName>a&amp;b</userName><password>p&lt;w</password></Login>"#,
                "</soapenv:Body></soapenv:Envelope>"
            )
        );
        let si = ManagedObjectReference::service_instance();
        let doc = request("RetrieveServiceContent", &si, &[], VersionGate::default()).unwrap();
        assert!(doc.contains(r#"<RetrieveServiceContent xmlns="urn:vim25"><_this type="ServiceInstance">ServiceInstance</_this></RetrieveServiceContent>"#));
        parse(doc.as_bytes()).unwrap();
    }

    #[test]
    fn parameters_newer_than_the_server_are_refused_when_set() {
        let v = |s| crate::ApiVersion::parse(s).unwrap();
        let sm = ManagedObjectReference::new("SessionManager", "SessionManager");
        let unset: Option<&str> = None;
        let set = Some("en");
        let gate = || VersionGate::new(Some(v("6.7")));
        // Unset, a newer parameter is not sent, so the request goes.
        let params = [Param::new("locale", &unset).since(v("7.0"))];
        request("Login", &sm, &params, gate()).unwrap();
        let params = [
            Param::new("userName", &"u"),
            Param::new("locale", &set).since(v("7.0")),
        ];
        assert_eq!(
            request("Login", &sm, &params, gate()),
            Err(TooNew {
                item: "parameter `locale`".into(),
                since: v("7.0")
            })
        );
        // Not newer than the server: sent.
        let params = [Param::new("locale", &set).since(v("6.7"))];
        let doc = request("Login", &sm, &params, gate()).unwrap();
        assert!(doc.contains("<locale>en</locale>"), "{doc}");
    }

    /// As vcsim (govmomi 0.24) sends it for a wrong password.
    const INVALID_LOGIN: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/" xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body><soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring>Login failure</faultstring><detail><InvalidLoginFault xmlns="urn:vim25" xsi:type="InvalidLogin"></InvalidLoginFault></detail></soapenv:Fault></soapenv:Body></soapenv:Envelope>"#;

    #[test]
    fn faults() {
        let envelope = parse(INVALID_LOGIN.as_bytes()).unwrap();
        let f = fault(body(envelope.root()).unwrap()).unwrap();
        assert_eq!(f.type_name, "InvalidLogin");
        assert_eq!(f.message.as_deref(), Some("Login failure"));
        let FaultBody::Xml(detail) = &f.body else {
            panic!("{f:?}")
        };
        assert_eq!(detail.name, "InvalidLoginFault");
        assert_eq!(f.to_string(), "InvalidLogin: Login failure");

        // Decoding into a fault type, as the generated ones are written.
        #[derive(Default, PartialEq)]
        struct NotAuthenticated {
            object: ManagedObjectReference,
            privilege_id: String,
        }
        impl crate::data::DataObject for NotAuthenticated {
            fn info(&self) -> &'static crate::data::DataInfo {
                use crate::data::{DataInfo, FieldInfo};
                static INFO: DataInfo = DataInfo {
                    wire: "NotAuthenticated",
                    rust: "NotAuthenticated",
                    fields: &[
                        FieldInfo::required("object", "object"),
                        FieldInfo::required("privilegeId", "privilege_id"),
                    ],
                    since: None,
                };
                &INFO
            }
            fn field(&self, index: usize) -> &dyn crate::data::FieldOut {
                match index {
                    0 => &self.object,
                    _ => &self.privilege_id,
                }
            }
            fn field_mut(&mut self, index: usize) -> &mut dyn crate::data::FieldIn {
                match index {
                    0 => &mut self.object,
                    _ => &mut self.privilege_id,
                }
            }
        }
        crate::data_object!(NotAuthenticated);
        let doc = br#"<soapenv:Envelope xmlns:soapenv="e" xmlns:xsi="i"><soapenv:Body><soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring></faultstring><detail><NotAuthenticatedFault xmlns="urn:vim25" xsi:type="NotAuthenticated"><object type="SessionManager">SessionManager</object><privilegeId>System.View</privilegeId></NotAuthenticatedFault></detail></soapenv:Fault></soapenv:Body></soapenv:Envelope>"#;
        let f = fault(body(parse(doc).unwrap().root()).unwrap()).unwrap();
        assert_eq!(
            (f.type_name.as_str(), f.message.as_deref()),
            ("NotAuthenticated", None)
        );
        let typed = f.decode::<NotAuthenticated>().unwrap();
        assert_eq!(typed.detail.privilege_id, "System.View");
        assert_eq!(typed.detail.object.type_, "SessionManager");
        assert_eq!(
            format!("{:?}", typed.detail),
            r#"NotAuthenticated { object: ManagedObjectReference { type_: "SessionManager", value: "SessionManager" }, privilege_id: "System.View" }"#
        );
        let missing =
            br#"<f xmlns:xsi="i" xsi:type="NotAuthenticated"><privilegeId>x</privilegeId></f>"#;
        let raw = RawFault {
            type_name: "NotAuthenticated".into(),
            message: None,
            body: FaultBody::Xml(parse(missing).unwrap().root().to_node()),
        };
        assert_eq!(
            raw.decode::<NotAuthenticated>().unwrap_err().to_string(),
            "cannot decode the NotAuthenticated fault: `NotAuthenticated` has no `object` element"
        );
        let json = RawFault {
            type_name: "NotAuthenticated".into(),
            message: None,
            body: FaultBody::Json(serde_json::json!({
                "_typeName": "NotAuthenticated",
                "object": {"_typeName": "ManagedObjectReference", "type": "Folder", "value": "f"},
                "privilegeId": "System.Read",
                "newerField": 1
            })),
        };
        let typed = json.decode::<NotAuthenticated>().unwrap();
        assert_eq!(typed.detail.privilege_id, "System.Read");
        assert_eq!(
            crate::json::to_string(&typed.detail),
            r#"{"_typeName":"NotAuthenticated","object":{"_typeName":"ManagedObjectReference","type":"Folder","value":"f"},"privilegeId":"System.Read"}"#
        );

        // Without xsi:type the element name minus `Fault`; without detail the fault code.
        let doc = br#"<Envelope><Body><Fault><faultcode>soapenv:Client</faultcode><faultstring>bad</faultstring><detail><NotFoundFault/></detail></Fault></Body></Envelope>"#;
        assert_eq!(
            fault(body(parse(doc).unwrap().root()).unwrap())
                .unwrap()
                .type_name,
            "NotFound"
        );
        let doc = br#"<Envelope><Body><Fault><faultcode>soapenv:Client</faultcode><faultstring>bad</faultstring></Fault></Body></Envelope>"#;
        let f = fault(body(parse(doc).unwrap().root()).unwrap()).unwrap();
        assert_eq!(
            (f.type_name.as_str(), f.message.as_deref()),
            ("Client", Some("bad"))
        );
    }

    #[test]
    fn return_values() {
        let doc = br#"<soapenv:Envelope xmlns:soapenv="e"><soapenv:Body><FindResponse xmlns="urn:vim25"><returnval>1</returnval><returnval>2</returnval></FindResponse></soapenv:Body></soapenv:Envelope>"#;
        let envelope = parse(doc).unwrap();
        let b = body(envelope.root()).unwrap();
        assert!(fault(b).is_none());
        let vals = returnvals(b, "Find").unwrap();
        assert_eq!(
            Many::<i32>::from_returnvals(&vals).unwrap(),
            Many(vec![1, 2])
        );
        assert_eq!(One::<i32>::from_returnvals(&vals).unwrap(), One(1));
        assert!(returnvals(b, "Other").is_err());
        let empty = parse(br#"<Envelope><Body><LogoutResponse/></Body></Envelope>"#).unwrap();
        let vals = returnvals(body(empty.root()).unwrap(), "Logout").unwrap();
        assert!(vals.is_empty());
        assert!(One::<i32>::from_returnvals(&vals).is_err());
        assert!(body(parse(b"<html/>").unwrap().root()).is_err());
    }
}
