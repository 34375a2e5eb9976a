//! SOAP 1.1 envelopes of vim25: the request around a method's parameters, and the
//! response's return values or fault.

use crate::error::{FaultBody, RawFault};
use crate::soap::{SoapError, SoapRequest, SoapWrite, SoapWriter};
use crate::xml::XmlNode;
use crate::ManagedObjectReference;

const OPEN: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8"?>"#,
    r#"<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/""#,
    r#" xmlns:xsd="http://www.w3.org/2001/XMLSchema""#,
    r#" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">"#,
    "<soapenv:Body>",
);
const CLOSE: &str = "</soapenv:Body></soapenv:Envelope>";

/// The request envelope of `method` on `this` with `params`' elements.
pub(crate) fn request<B: SoapRequest + ?Sized>(
    method: &str,
    this: &ManagedObjectReference,
    params: &B,
) -> String {
    let mut w = SoapWriter::new();
    w.open_attrs(method, &[("xmlns", "urn:vim25")]);
    this.write("_this", &mut w);
    params.write_params(&mut w);
    w.close(method);
    let inner = w.finish();
    let mut out = String::with_capacity(OPEN.len() + inner.len() + CLOSE.len());
    out.push_str(OPEN);
    out.push_str(&inner);
    out.push_str(CLOSE);
    out
}

/// The `Body` of an envelope.
pub(crate) fn body(envelope: &XmlNode) -> Result<&XmlNode, SoapError> {
    if envelope.name != "Envelope" {
        return Err(SoapError(format!(
            "the document element is <{}>, not a SOAP Envelope",
            envelope.name
        )));
    }
    envelope
        .child("Body")
        .ok_or_else(|| SoapError::missing("Envelope", "Body"))
}

/// The fault in a `Body`, if it holds one.
pub(crate) fn fault(body: &XmlNode) -> Option<RawFault> {
    let fault = body.child("Fault")?;
    let message = fault
        .child("faultstring")
        .map(|m| m.text.trim())
        .filter(|m| !m.is_empty())
        .map(str::to_string);
    let detail = fault.child("detail").and_then(|d| d.children.first());
    let (type_name, body) = match detail {
        Some(d) => {
            let name = d
                .xsi_type
                .clone()
                .unwrap_or_else(|| d.name.strip_suffix("Fault").unwrap_or(&d.name).to_string());
            (name, d.clone())
        }
        None => {
            // No detail: all there is to go by is the fault code (`ServerFaultCode`).
            let code = fault.child("faultcode").map_or("", |c| c.text.trim());
            let code = code.rsplit_once(':').map_or(code, |(_, l)| l);
            let name = if code.is_empty() { "Fault" } else { code };
            (name.to_string(), fault.clone())
        }
    };
    Some(RawFault {
        type_name,
        message,
        body: FaultBody::Xml(body),
    })
}

/// Takes the `returnval`s of `{method}Response` out of a parsed envelope.
pub(crate) fn into_returnvals(envelope: XmlNode, method: &str) -> Result<Vec<XmlNode>, SoapError> {
    body(&envelope)?;
    let body = envelope
        .children
        .into_iter()
        .find(|c| c.name == "Body")
        .ok_or_else(|| SoapError::missing("Envelope", "Body"))?;
    let response = body
        .children
        .into_iter()
        .find(|c| c.name.strip_suffix("Response") == Some(method))
        .ok_or_else(|| SoapError::missing("Body", &format!("{method}Response")))?;
    Ok(response
        .children
        .into_iter()
        .filter(|c| c.name == "returnval")
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::soap::{Many, One, Response};
    use crate::xml::parse;
    use crate::Secret;

    struct Login {
        user: String,
        password: Secret<String>,
        locale: Option<String>,
    }

    impl SoapRequest for Login {
        fn write_params(&self, w: &mut SoapWriter) {
            w.one("userName", &self.user);
            w.one("password", &self.password);
            w.opt("locale", &self.locale);
        }
    }

    #[test]
    fn request_envelope() {
        let login = Login {
            user: "a&b".into(),
            password: Secret::new("p<w".into()),
            locale: None,
        };
        let sm = ManagedObjectReference::new("SessionManager", "SessionManager");
        assert_eq!(
            request("Login", &sm, &login),
            concat!(
                r#"<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>"#,
                r#"<Login xmlns="urn:vim25"><_this type="SessionManager">SessionManager</_this><userName>a&amp;b</userName><password>p&lt;w</password></Login>"#,
                "</soapenv:Body></soapenv:Envelope>"
            )
        );
        let si = ManagedObjectReference::service_instance();
        let doc = request("RetrieveServiceContent", &si, &());
        assert!(doc.contains(r#"<RetrieveServiceContent xmlns="urn:vim25"><_this type="ServiceInstance">ServiceInstance</_this></RetrieveServiceContent>"#));
        parse(doc.as_bytes()).unwrap();
    }

    /// As vcsim (govmomi 0.24) sends it for a wrong password.
    const INVALID_LOGIN: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/" xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body><soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring>Login failure</faultstring><detail><InvalidLoginFault xmlns="urn:vim25" xsi:type="InvalidLogin"></InvalidLoginFault></detail></soapenv:Fault></soapenv:Body></soapenv:Envelope>"#;

    #[test]
    fn faults() {
        let envelope = parse(INVALID_LOGIN.as_bytes()).unwrap();
        let f = fault(body(&envelope).unwrap()).unwrap();
        assert_eq!(f.type_name, "InvalidLogin");
        assert_eq!(f.message.as_deref(), Some("Login failure"));
        let FaultBody::Xml(detail) = &f.body else {
            panic!("{f:?}")
        };
        assert_eq!(detail.name, "InvalidLoginFault");
        assert_eq!(f.to_string(), "InvalidLogin: Login failure");

        // Decoding into a fault type through SoapRead.
        #[derive(Debug, PartialEq, serde::Deserialize)]
        struct NotAuthenticated {
            object: ManagedObjectReference,
            #[serde(rename = "privilegeId")]
            privilege_id: String,
        }
        impl crate::SoapRead for NotAuthenticated {
            fn read(node: &XmlNode) -> Result<Self, SoapError> {
                let child = |n: &str| {
                    node.child(n)
                        .ok_or_else(|| SoapError::missing("NotAuthenticated", n))
                };
                Ok(NotAuthenticated {
                    object: crate::SoapRead::read(child("object")?)?,
                    privilege_id: crate::SoapRead::read(child("privilegeId")?)?,
                })
            }
        }
        let doc = br#"<soapenv:Envelope xmlns:soapenv="e" xmlns:xsi="i"><soapenv:Body><soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring></faultstring><detail><NotAuthenticatedFault xmlns="urn:vim25" xsi:type="NotAuthenticated"><object type="SessionManager">SessionManager</object><privilegeId>System.View</privilegeId></NotAuthenticatedFault></detail></soapenv:Fault></soapenv:Body></soapenv:Envelope>"#;
        let f = fault(body(&parse(doc).unwrap()).unwrap()).unwrap();
        assert_eq!(
            (f.type_name.as_str(), f.message.as_deref()),
            ("NotAuthenticated", None)
        );
        let typed = f.decode::<NotAuthenticated>().unwrap();
        assert_eq!(typed.detail.privilege_id, "System.View");
        assert_eq!(typed.detail.object.type_, "SessionManager");

        // Without xsi:type the element name minus `Fault`; without detail the fault code.
        let doc = br#"<Envelope><Body><Fault><faultcode>soapenv:Client</faultcode><faultstring>bad</faultstring><detail><NotFoundFault/></detail></Fault></Body></Envelope>"#;
        assert_eq!(
            fault(body(&parse(doc).unwrap()).unwrap())
                .unwrap()
                .type_name,
            "NotFound"
        );
        let doc = br#"<Envelope><Body><Fault><faultcode>soapenv:Client</faultcode><faultstring>bad</faultstring></Fault></Body></Envelope>"#;
        let f = fault(body(&parse(doc).unwrap()).unwrap()).unwrap();
        assert_eq!(
            (f.type_name.as_str(), f.message.as_deref()),
            ("Client", Some("bad"))
        );
    }

    #[test]
    fn return_values() {
        let doc = br#"<soapenv:Envelope xmlns:soapenv="e"><soapenv:Body><FindResponse xmlns="urn:vim25"><returnval>1</returnval><returnval>2</returnval></FindResponse></soapenv:Body></soapenv:Envelope>"#;
        let envelope = parse(doc).unwrap();
        let b = body(&envelope).unwrap();
        assert!(fault(b).is_none());
        let vals = into_returnvals(envelope.clone(), "Find").unwrap();
        assert_eq!(
            Many::<i32>::from_returnvals_owned(vals.clone()).unwrap(),
            Many(vec![1, 2])
        );
        assert_eq!(One::<i32>::from_returnvals_owned(vals).unwrap(), One(1));
        assert!(into_returnvals(envelope, "Other").is_err());
        let empty = br#"<Envelope><Body><LogoutResponse/></Body></Envelope>"#;
        let vals = into_returnvals(parse(empty).unwrap(), "Logout").unwrap();
        assert!(vals.is_empty());
        assert!(One::<i32>::from_returnvals_owned(vals).is_err());
        assert!(body(&parse(b"<html/>").unwrap()).is_err());
    }
}
