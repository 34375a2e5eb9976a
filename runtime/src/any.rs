//! Values of vmodl `anyType`, as each protocol carries them.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::json::{JsonError, JsonRead, JsonWrite, JsonWriter};
use crate::soap::{Response, SoapError, SoapRead, SoapWrite, SoapWriter};
use crate::xml::{XmlDocument, XmlElement, XmlNode};
use crate::Error;

/// A value of vmodl `anyType` (a property's `val`, an option value, …), kept as the
/// protocol delivered it until [`AnyValue::decode`] gives it a type.
#[derive(Clone, Debug, PartialEq)]
pub enum AnyValue {
    /// From VI/JSON: the JSON value, with its `_typeName` when it has one.
    Json(serde_json::Value),
    /// From SOAP: the element holding the value, with its `xsi:type`.
    Xml(XmlNode),
}

impl AnyValue {
    /// The value's wire type name, when the protocol sent one (`xsi:type` or
    /// `_typeName`), e.g. `string`, `ArrayOfString`, `AboutInfo`.
    pub fn type_name(&self) -> Option<&str> {
        match self {
            AnyValue::Json(v) => v.get("_typeName").and_then(|t| t.as_str()),
            AnyValue::Xml(n) => n.xsi_type.as_deref(),
        }
    }

    /// Decodes the value as `R`, e.g. `One<String>` or `Many<ManagedObjectReference>`.
    ///
    /// A VI/JSON boxed primitive or array (`{"_typeName": "string", "_value": "x"}`) is
    /// unboxed first.
    pub fn decode<R: Response>(&self) -> Result<R, Error> {
        let decode_error = |message: String| Error::Decode {
            context: format!("anyType value of type {}", self.type_name().unwrap_or("?")),
            message,
        };
        match self {
            AnyValue::Json(value) => {
                R::from_json(unboxed(value).unwrap_or(value)).map_err(|e| decode_error(e.0))
            }
            AnyValue::Xml(node) => {
                R::from_any(XmlDocument::from_node(node).root()).map_err(|e| decode_error(e.0))
            }
        }
    }
}

/// The `_value` of a VI/JSON boxed value: an object with just `_typeName` and `_value`.
fn unboxed(value: &serde_json::Value) -> Option<&serde_json::Value> {
    let map = value.as_object()?;
    if map.len() == 2 && map.contains_key("_typeName") {
        map.get("_value")
    } else {
        None
    }
}

/// Serializes as JSON: the `Json` value as is; an `Xml` element as its text when it has
/// no child elements, otherwise (and when it is `xsi:nil`) as `null`. Structured SOAP
/// values are not converted to JSON: decode them with [`AnyValue::decode`].
impl Serialize for AnyValue {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            AnyValue::Json(v) => v.serialize(s),
            AnyValue::Xml(n) if n.children.is_empty() && !n.is_nil() => s.serialize_str(&n.text),
            AnyValue::Xml(_) => s.serialize_none(),
        }
    }
}

/// Deserializes any JSON value into [`AnyValue::Json`].
impl<'de> Deserialize<'de> for AnyValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        serde_json::Value::deserialize(d).map(AnyValue::Json)
    }
}

/// As [`Serialize`] writes it.
impl JsonWrite for AnyValue {
    fn write_json(&self, w: &mut JsonWriter) {
        w.serde(self);
    }
}

/// Keeps the JSON value as it is.
impl JsonRead for AnyValue {
    fn read_json(v: &serde_json::Value) -> Result<Self, JsonError> {
        Ok(AnyValue::Json(v.clone()))
    }
}

/// An empty VI/JSON value (`null`): a placeholder for a field not yet read.
impl Default for AnyValue {
    fn default() -> Self {
        AnyValue::Json(serde_json::Value::Null)
    }
}

/// Keeps the element as it is.
impl SoapRead for AnyValue {
    fn read(node: XmlElement<'_>) -> Result<Self, SoapError> {
        Ok(AnyValue::Xml(node.to_node()))
    }
}

/// The value of the one property a `PropertyCollector.RetrievePropertiesEx` call asked
/// for, decoded as `R` straight from the response: the `val` of the first `propSet` of
/// the first object, or `R`'s empty value (`None`, `[]`, an error for a required one)
/// when the server sent none, as it does for an unset property.
///
/// This is how property getters read over SOAP without keeping the value as an
/// [`AnyValue`] first.
#[derive(Clone, Debug, PartialEq)]
pub struct PropertyValue<R>(pub R);

impl<R: Response> Response for PropertyValue<R> {
    /// From a VI/JSON `RetrieveResult` (or `null`).
    fn from_json(result: &serde_json::Value) -> Result<Self, JsonError> {
        let val = result
            .get("objects")
            .and_then(|o| o.as_array())
            .into_iter()
            .flatten()
            .filter_map(|o| o.get("propSet").and_then(|p| p.as_array()))
            .flatten()
            .find_map(|p| p.get("val"));
        match val {
            Some(v) => R::from_json(unboxed(v).unwrap_or(v)),
            None => R::from_json(&serde_json::Value::Null),
        }
        .map(PropertyValue)
    }

    /// From the `returnval` (`RetrieveResult`) of a SOAP response.
    fn from_returnvals(nodes: &[XmlElement<'_>]) -> Result<Self, SoapError> {
        let val = nodes
            .iter()
            .flat_map(|r| r.children_named("objects"))
            .flat_map(|o| o.children_named("propSet"))
            .find_map(|p| p.child("val"));
        match val {
            Some(v) => R::from_any(v),
            None => R::from_returnvals(&[]),
        }
        .map(PropertyValue)
    }

    /// From an element holding a `RetrieveResult`.
    fn from_any(node: XmlElement<'_>) -> Result<Self, SoapError> {
        Self::from_returnvals(&[node])
    }
}

/// `Xml` is written back with its own `xsi:type`, attributes, text and children (under
/// the given name). `Json` is written best-effort: primitives with their `xsd:` type,
/// boxed values (`_typeName` + `_value`) and objects with `_typeName` as `xsi:type`
/// and their members as child elements in the map's (alphabetical) order — fine for
/// primitives, arrays of them and managed object references, but data objects whose
/// schema fixes an element order should be written through the generated types.
impl SoapWrite for AnyValue {
    fn write(&self, name: &str, w: &mut SoapWriter) {
        match self {
            AnyValue::Xml(node) => write_node(node, name, w),
            AnyValue::Json(value) => write_json(value, name, None, w),
        }
    }
}

/// XML Schema's built-in types vim25 uses; they need the `xsd:` prefix in `xsi:type`.
const XSD_TYPES: &[&str] = &[
    "anyType",
    "anyURI",
    "base64Binary",
    "boolean",
    "byte",
    "dateTime",
    "double",
    "float",
    "int",
    "long",
    "short",
    "string",
];

/// `xsi:type`'s value for a type's local name.
fn qualified(ty: &str) -> String {
    if XSD_TYPES.contains(&ty) {
        format!("xsd:{ty}")
    } else {
        ty.to_string()
    }
}

fn write_node(node: &XmlNode, name: &str, w: &mut SoapWriter) {
    let pending = w.take_type();
    let ty = match &node.xsi_type {
        Some(t) => Some(qualified(t)),
        None => pending.map(str::to_string),
    };
    let mut attrs: Vec<(&str, &str)> = Vec::with_capacity(node.attrs.len() + 1);
    if let Some(t) = &ty {
        attrs.push(("xsi:type", t));
    }
    for (k, v) in &node.attrs {
        attrs.push((if k == "nil" { "xsi:nil" } else { k }, v));
    }
    w.open_attrs(name, &attrs);
    w.text(&node.text);
    for child in &node.children {
        write_node(child, &child.name, w);
    }
    w.close(name);
}

/// The element name of an array's items: `ArrayOfString` → `string`,
/// `ArrayOfManagedObjectReference` → `ManagedObjectReference`.
fn item_name(array_type: &str) -> Option<String> {
    let item = array_type.strip_prefix("ArrayOf")?;
    let lower = {
        let mut c = item.chars();
        c.next()
            .map(|f| f.to_lowercase().chain(c).collect::<String>())
            .unwrap_or_default()
    };
    Some(if XSD_TYPES.contains(&lower.as_str()) {
        lower
    } else {
        item.to_string()
    })
}

fn write_json(value: &serde_json::Value, name: &str, ty: Option<&str>, w: &mut SoapWriter) {
    use serde_json::Value;
    let pending = w.take_type();
    let typed = |w: &mut SoapWriter, default: &str| {
        let t = ty.map(qualified);
        let t = t.as_deref().or(pending).unwrap_or(default).to_string();
        w.open_attrs(name, &[("xsi:type", &t)]);
    };
    match value {
        Value::Null => w.open_attrs(name, &[("xsi:nil", "true")]),
        Value::Bool(b) => {
            typed(w, "xsd:boolean");
            w.text(if *b { "true" } else { "false" });
        }
        Value::Number(n) => {
            typed(w, if n.is_f64() { "xsd:double" } else { "xsd:long" });
            w.text(&n.to_string());
        }
        Value::String(s) => {
            typed(w, "xsd:string");
            w.text(s);
        }
        Value::Array(items) => {
            typed(w, "ArrayOfAnyType");
            let item = ty.and_then(item_name);
            for v in items {
                write_json(v, item.as_deref().unwrap_or("anyType"), None, w);
            }
        }
        Value::Object(map) => {
            let type_name = map.get("_typeName").and_then(|t| t.as_str());
            if let (Some(t), Some(inner), 2) = (type_name, map.get("_value"), map.len()) {
                if let Some(p) = pending {
                    w.set_type(p);
                }
                return write_json(inner, name, Some(t), w);
            }
            if type_name == Some("ManagedObjectReference") {
                let attr = map.get("type").and_then(|t| t.as_str()).unwrap_or_default();
                w.set_type("ManagedObjectReference");
                w.open_attrs(name, &[("type", attr)]);
                w.text(
                    map.get("value")
                        .and_then(|t| t.as_str())
                        .unwrap_or_default(),
                );
                w.close(name);
                return;
            }
            let t = type_name.map(qualified);
            match t.as_deref().or(pending) {
                Some(t) => w.open_attrs(name, &[("xsi:type", t)]),
                None => w.open_attrs(name, &[]),
            }
            for (k, v) in map.iter().filter(|(k, _)| !k.starts_with('_')) {
                match v {
                    Value::Array(items) => {
                        for item in items {
                            write_json(item, k, None, w);
                        }
                    }
                    v => write_json(v, k, None, w),
                }
            }
        }
    }
    w.close(name);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::soap::{Many, Maybe, One};
    use crate::xml::parse;
    use crate::ManagedObjectReference;

    fn written(value: &AnyValue) -> String {
        let mut w = SoapWriter::new();
        value.write("val", &mut w);
        w.finish()
    }

    #[test]
    fn xml_values_round_trip_with_their_type() {
        let doc = br#"<val xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="x" xsi:type="xsd:string">a&amp;b</val>"#;
        let any = AnyValue::read(parse(doc).unwrap().root()).unwrap();
        assert_eq!(any.type_name(), Some("string"));
        assert_eq!(written(&any), r#"<val xsi:type="xsd:string">a&amp;b</val>"#);
        assert_eq!(serde_json::to_string(&any).unwrap(), r#""a&b""#);
        assert_eq!(any.decode::<One<String>>().unwrap(), One("a&b".to_string()));

        let doc = br#"<val xmlns:xsi="i" xsi:type="ArrayOfManagedObjectReference"><ManagedObjectReference type="Folder">group-d1</ManagedObjectReference><ManagedObjectReference type="Datacenter">dc-1</ManagedObjectReference></val>"#;
        let any = AnyValue::read(parse(doc).unwrap().root()).unwrap();
        assert_eq!(
            written(&any),
            r#"<val xsi:type="ArrayOfManagedObjectReference"><ManagedObjectReference type="Folder">group-d1</ManagedObjectReference><ManagedObjectReference type="Datacenter">dc-1</ManagedObjectReference></val>"#
        );
        assert_eq!(serde_json::to_value(&any).unwrap(), serde_json::Value::Null);
        let Many(refs) = any.decode::<Many<ManagedObjectReference>>().unwrap();
        assert_eq!(refs[1], ManagedObjectReference::new("Datacenter", "dc-1"));
        assert!(any.decode::<One<i32>>().is_err());
    }

    #[test]
    fn property_values_decode_from_either_protocol() {
        let doc = br#"<RetrieveResult xmlns:xsi="i"><objects><obj type="SessionManager">SessionManager</obj><propSet><name>message</name><val xsi:type="xsd:string">hi &amp; bye</val></propSet></objects></RetrieveResult>"#;
        let doc = parse(doc).unwrap();
        let PropertyValue(One(message)) =
            PropertyValue::<One<String>>::from_any(doc.root()).unwrap();
        assert_eq!(message, "hi & bye");
        let unset = parse(br#"<returnval><objects><obj type="SessionManager">SessionManager</obj></objects></returnval>"#).unwrap();
        let PropertyValue(Maybe(none)) =
            PropertyValue::<Maybe<String>>::from_returnvals(&[unset.root()]).unwrap();
        assert_eq!(none, None);
        assert!(PropertyValue::<One<String>>::from_returnvals(&[]).is_err());
        let PropertyValue(Many(empty)) = PropertyValue::<Many<i32>>::from_returnvals(&[]).unwrap();
        assert!(empty.is_empty());

        let json = br#"{"_typeName":"RetrieveResult","objects":[{"_typeName":"ObjectContent","propSet":[{"_typeName":"DynamicProperty","name":"locales","val":{"_typeName":"ArrayOfString","_value":["en","de"]}}]}]}"#;
        let PropertyValue(Many(locales)) =
            PropertyValue::<Many<String>>::from_json_bytes(json).unwrap();
        assert_eq!(locales, ["en", "de"]);
        let PropertyValue(Maybe(none)) =
            PropertyValue::<Maybe<String>>::from_json_bytes(b"null").unwrap();
        assert_eq!(none, None);
        assert!(PropertyValue::<One<i32>>::from_json_bytes(
            br#"{"objects":[{"propSet":[{"val":"x"}]}]}"#
        )
        .is_err());
    }

    #[test]
    fn json_values_decode_and_write() {
        // Doubles decode exactly (serde_json's `float_roundtrip`): without it this one
        // came back one unit in the last place off.
        let double: AnyValue =
            serde_json::from_str(r#"{"_typeName":"double","_value":27.634850449700018}"#).unwrap();
        assert_eq!(
            double.decode::<One<f64>>().unwrap(),
            One(27.634850449700018)
        );
        let boxed: AnyValue = serde_json::from_str(r#"{"_typeName":"int","_value":42}"#).unwrap();
        assert_eq!(boxed.type_name(), Some("int"));
        assert_eq!(boxed.decode::<One<i32>>().unwrap(), One(42));
        assert_eq!(written(&boxed), r#"<val xsi:type="xsd:int">42</val>"#);
        let array: AnyValue =
            serde_json::from_str(r#"{"_typeName":"ArrayOfString","_value":["a","b"]}"#).unwrap();
        assert_eq!(
            array.decode::<Many<String>>().unwrap(),
            Many(vec!["a".into(), "b".into()])
        );
        assert_eq!(
            written(&array),
            r#"<val xsi:type="ArrayOfString"><string xsi:type="xsd:string">a</string><string xsi:type="xsd:string">b</string></val>"#
        );
        let moref = AnyValue::Json(
            serde_json::from_slice(&crate::json::to_vec(&ManagedObjectReference::new(
                "Folder", "group-d1",
            )))
            .unwrap(),
        );
        assert_eq!(
            written(&moref),
            r#"<val xsi:type="ManagedObjectReference" type="Folder">group-d1</val>"#
        );
        assert_eq!(
            moref
                .decode::<One<ManagedObjectReference>>()
                .unwrap()
                .0
                .value,
            "group-d1"
        );
        assert_eq!(
            written(&AnyValue::Json("x<".into())),
            r#"<val xsi:type="xsd:string">x&lt;</val>"#
        );
        assert_eq!(
            written(&AnyValue::Json(true.into())),
            r#"<val xsi:type="xsd:boolean">true</val>"#
        );
        assert_eq!(
            written(&AnyValue::Json(serde_json::Value::Null)),
            r#"<val xsi:nil="true"></val>"#
        );
        let object: AnyValue = serde_json::from_str(
            r#"{"_typeName":"OptionValue","key":"k","value":{"_typeName":"long","_value":5}}"#,
        )
        .unwrap();
        assert_eq!(
            written(&object),
            r#"<val xsi:type="OptionValue"><key xsi:type="xsd:string">k</key><value xsi:type="xsd:long">5</value></val>"#
        );
    }
}
