//! Shared bodies of the fuzz targets. Each function must return normally for every
//! input: errors are fine, panics (and hangs, and unbounded memory) are findings.
//!
//! The response paths go through `vsphere_runtime::reply`, the same functions the
//! connection uses, so what is fuzzed is what runs.

use vsphere::{
    AnyMethodFault, AnySessionManagerServiceRequestSpec, InvalidLogin, LocalizedMethodFault,
    LoginError, MethodFault, NoPermission, NotFound, RetrieveResult, ServiceContent,
    TerminateSessionError, UserSession,
};
use vsphere_runtime::{
    AnyValue, CallError, JsonRead, JsonWrite, ManagedObjectReference, Many, Maybe, Nothing, One, PropertyValue,
    RawFault, Response, SoapRead, SoapWrite, SoapWriter,
};

// ---------------------------------------------------------------------------------------
// Documentation parsers

/// Loads `data` as a document named `name` (the suffix picks gzip and the format), parses
/// it, and renders the diagnostics the way the generator's CLI does.
pub fn parse_document_named(name: &str, data: &[u8]) {
    let doc = match generator::load::document_from_bytes(name, data) {
        Ok(doc) => doc,
        Err(e) => {
            let _ = e.to_string();
            return;
        }
    };
    match generator::parse::parse_document(&doc) {
        Ok(parsed) => {
            for (i, w) in parsed.warnings.iter().enumerate() {
                let _ = w.to_string();
                if i < 2 {
                    let _ = w.render(&doc.source.text);
                }
            }
        }
        Err(e) => {
            let _ = e.to_string();
            let _ = e.render(&doc.source.text);
        }
    }
}

// ---------------------------------------------------------------------------------------
// VI/JSON responses

/// Re-encodes a decoded value as JSON and decodes it again (no panic either way).
fn json_round_trip<T: JsonWrite + JsonRead + SoapRead>(value: &T) {
    let bytes = vsphere_runtime::json::to_vec(value);
    let _ = One::<T>::from_json_bytes(&bytes);
}

/// Every typed decoding of a fault the generated code does, plus the displays.
fn decode_fault(raw: RawFault) {
    let _ = raw.to_string();
    let _ = raw.decode::<InvalidLogin>().map(|f| f.to_string());
    let _ = raw.decode::<NoPermission>();
    let _ = raw.decode::<NotFound>();
    let _ = raw.decode::<MethodFault>();
    let _ = TerminateSessionError::from(CallError::Fault(raw.clone())).to_string();
    let _ = LoginError::from(CallError::Fault(raw)).to_string();
}

/// The VI/JSON decoders of the runtime and the generated types, on one body.
pub fn decode_json(data: &[u8]) {
    if let Ok(One(session)) = One::<UserSession>::from_json_bytes(data) {
        json_round_trip(&session);
        let _ = format!("{session:?}");
    }
    let _ = Maybe::<UserSession>::from_json_bytes(data);
    let _ = Many::<UserSession>::from_json_bytes(data);
    if let Ok(One(content)) = One::<ServiceContent>::from_json_bytes(data) {
        json_round_trip(&content);
    }
    let _ = Maybe::<ServiceContent>::from_json_bytes(data);
    let _ = Maybe::<RetrieveResult>::from_json_bytes(data);
    let _ = PropertyValue::<Many<UserSession>>::from_json_bytes(data);
    let _ = One::<LocalizedMethodFault>::from_json_bytes(data);
    let _ = One::<AnyMethodFault>::from_json_bytes(data).map(|v| json_round_trip(&v.0));
    let _ = vsphere_runtime::json::from_slice::<AnySessionManagerServiceRequestSpec>(data)
        .map(|v| vsphere_runtime::json::to_vec(&v));
    let _ = Many::<String>::from_json_bytes(data);
    let _ = Maybe::<vsphere_runtime::DateTime>::from_json_bytes(data);
    let _ = One::<i64>::from_json_bytes(data);
    let _ = One::<ManagedObjectReference>::from_json_bytes(data);
    // anyType values (a property's `val`): boxed primitives are unboxed on decode.
    if let Ok(One(any)) = One::<AnyValue>::from_json_bytes(data) {
        let _ = any.type_name();
        let _ = any.decode::<One<String>>();
        let _ = any.decode::<Many<ManagedObjectReference>>();
        let _ = any.decode::<Maybe<UserSession>>();
        let mut w = SoapWriter::new();
        any.write("val", &mut w);
        let _ = vsphere_runtime::xml::parse(w.finish().as_bytes());
    }
    // HTTP 500 with a JSON body: the connection's own fault path.
    if let Err(CallError::Fault(raw)) =
        vsphere_runtime::reply::json_reply(500, true, data.to_vec(), "fuzz")
    {
        decode_fault(raw);
    }
}

// ---------------------------------------------------------------------------------------
// SOAP responses

/// Writes a decoded value back as SOAP and reads it again: neither step may panic.
fn soap_round_trip<T: SoapRead + SoapWrite>(value: &T) {
    let mut w = SoapWriter::new();
    value.write("value", &mut w);
    if let Ok(doc) = vsphere_runtime::xml::parse(w.finish().as_bytes()) {
        let _ = T::read(doc.root());
    }
}

/// The SOAP decoders: the XML reader, the generated `SoapRead`s on the document element,
/// and the envelope → fault / returnval path the client takes.
pub fn decode_soap(data: &[u8]) {
    let Ok(doc) = vsphere_runtime::xml::parse(data) else {
        return;
    };
    let root = doc.root();
    let _ = root.to_node();
    // The generated readers straight on the document element.
    if let Ok(session) = UserSession::read(root) {
        soap_round_trip(&session);
    }
    if let Ok(content) = ServiceContent::read(root) {
        soap_round_trip(&content);
    }
    let _ = AnyMethodFault::read(root).map(|v| soap_round_trip(&v));
    let _ = RetrieveResult::read(root);
    // anyType: a property's `val`.
    if let Ok(any) = AnyValue::read(root) {
        let _ = any.type_name();
        let _ = serde_json::to_string(&any);
        let _ = any.decode::<One<String>>();
        let _ = any.decode::<Many<ManagedObjectReference>>();
        let _ = any.decode::<Maybe<UserSession>>();
        let mut w = SoapWriter::new();
        any.write("val", &mut w);
        let _ = vsphere_runtime::xml::parse(w.finish().as_bytes());
    }
    // The connection's own path (`reply::soap_reply`): Envelope → Body → Fault, or
    // `{method}Response/returnval` decoded as the method's result.
    let method = root
        .child("Body")
        .and_then(|b| b.children().next())
        .and_then(|r| r.name().strip_suffix("Response"))
        .unwrap_or("Fuzz")
        .to_string();
    for status in [200, 500] {
        if let Err(CallError::Fault(raw)) =
            vsphere_runtime::reply::soap_reply::<Nothing>(status, true, data, &method)
        {
            decode_fault(raw);
        }
    }
    let _ = vsphere_runtime::reply::soap_reply::<One<ServiceContent>>(200, true, data, &method);
    let _ = vsphere_runtime::reply::soap_reply::<One<UserSession>>(200, true, data, &method);
    let _ = vsphere_runtime::reply::soap_reply::<Maybe<UserSession>>(200, true, data, &method);
    let _ = vsphere_runtime::reply::soap_reply::<Many<UserSession>>(200, true, data, &method);
    let _ = vsphere_runtime::reply::soap_reply::<Maybe<RetrieveResult>>(200, true, data, &method);
    let _ = vsphere_runtime::reply::soap_reply::<Many<String>>(200, true, data, &method);
    let _ = vsphere_runtime::reply::soap_reply::<One<bool>>(200, true, data, &method);
    let _ = vsphere_runtime::reply::soap_reply::<Maybe<vsphere_runtime::DateTime>>(
        200, true, data, &method,
    );
    let _ = vsphere_runtime::reply::soap_reply::<PropertyValue<Many<UserSession>>>(
        200, true, data, &method,
    );
    let _ = vsphere_runtime::reply::soap_reply::<PropertyValue<Maybe<UserSession>>>(
        200, true, data, &method,
    );
}
