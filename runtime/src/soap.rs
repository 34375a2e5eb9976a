//! vim25 SOAP encoding: the traits the generated types implement, the writer they write
//! with, and the return-shape wrappers both protocols decode into.

use std::fmt::{self, Write as _};

use serde_json::Value;

use crate::json::{JsonError, JsonRead};
pub use crate::xml::SoapError;
use crate::xml::{XmlElement, XmlNode};
use crate::{DateTime, ManagedObjectReference, Secret, VersionGate};

/// Writes a value as an XML element of the given name.
pub trait SoapWrite {
    /// Writes `<name …>value</name>`.
    fn write(&self, name: &str, w: &mut SoapWriter);
}

/// Reads a value from an XML element.
pub trait SoapRead: Sized {
    /// Reads the value held by `node`.
    fn read(node: XmlElement<'_>) -> Result<Self, SoapError>;
}

/// An XML writer for request bodies. Text is escaped; element names are written as given.
#[derive(Debug, Default)]
pub struct SoapWriter {
    buf: String,
    pending_type: Option<&'static str>,
    gate: VersionGate,
    /// Whether secrets are written as [`REDACTED`](crate::wirelog::REDACTED) (for logs).
    redact: bool,
}

impl SoapWriter {
    /// An empty writer.
    pub fn new() -> Self {
        Self::default()
    }

    /// A writer for logs: every [`Secret`] is written as `[REDACTED]`.
    pub fn redacting() -> Self {
        SoapWriter {
            redact: true,
            ..Self::default()
        }
    }

    /// The version gate (see [`VersionGate`]): set it before writing to record the
    /// first item newer than its server.
    pub fn gate_mut(&mut self) -> &mut VersionGate {
        &mut self.gate
    }

    /// How many bytes are written so far (to tell whether a value wrote anything).
    pub fn written(&self) -> usize {
        self.buf.len()
    }

    /// The XML written so far.
    pub fn finish(self) -> String {
        self.buf
    }

    /// Makes the next opened element carry `xsi:type="ty"` (for polymorphic values).
    pub fn set_type(&mut self, ty: &'static str) {
        self.pending_type = Some(ty);
    }

    /// Takes back a type set with [`SoapWriter::set_type`] that no element used yet.
    pub fn take_type(&mut self) -> Option<&'static str> {
        self.pending_type.take()
    }

    /// Opens `<name>`, with `xsi:type` if one is pending and the extra attribute if given.
    pub fn open(&mut self, name: &str, attr: Option<(&str, &str)>) {
        self.open_attrs(name, attr.as_slice());
    }

    /// Opens `<name>` with `xsi:type` if one is pending, then `attrs` (values escaped,
    /// names written as given).
    pub fn open_attrs(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.buf.push('<');
        self.buf.push_str(name);
        if let Some(ty) = self.pending_type.take() {
            self.buf.push_str(" xsi:type=\"");
            self.buf.push_str(ty);
            self.buf.push('"');
        }
        for (k, v) in attrs {
            self.buf.push(' ');
            self.buf.push_str(k);
            self.buf.push_str("=\"");
            escape_attr_into(&mut self.buf, v);
            self.buf.push('"');
        }
        self.buf.push('>');
    }

    /// Writes `<name/>` (with a pending `xsi:type`).
    pub fn empty(&mut self, name: &str) {
        self.open_attrs(name, &[]);
        self.buf.insert(self.buf.len() - 1, '/');
    }

    /// Closes `</name>`.
    pub fn close(&mut self, name: &str) {
        self.buf.push_str("</");
        self.buf.push_str(name);
        self.buf.push('>');
    }

    /// Writes escaped text.
    pub fn text(&mut self, text: &str) {
        escape_into(&mut self.buf, text);
    }

    /// Writes `<name>text</name>`.
    pub fn simple(&mut self, name: &str, text: &str) {
        self.open(name, None);
        self.text(text);
        self.close(name);
    }

    /// Writes `<name>value</name>` for a value whose text needs no escaping (numbers).
    fn unescaped(&mut self, name: &str, value: impl fmt::Display) {
        self.open(name, None);
        let _ = write!(self.buf, "{value}");
        self.close(name);
    }

    /// Writes a required field.
    pub fn one<T: SoapWrite + ?Sized>(&mut self, name: &str, value: &T) {
        value.write(name, self);
    }

    /// Writes an optional field (nothing when unset).
    pub fn opt<T: SoapWrite>(&mut self, name: &str, value: &Option<T>) {
        if let Some(v) = value {
            v.write(name, self);
        }
    }

    /// Writes an array field as repeated elements.
    pub fn many<T: SoapWrite>(&mut self, name: &str, values: &[T]) {
        for v in values {
            v.write(name, self);
        }
    }
}

/// Escapes `&`, `<`, `>`, `"` and `'` into `out`, and `\r` as `&#13;`: a parser turns a
/// literal `\r` or `\r\n` in text into `\n` (XML 1.0 end-of-line handling), a character
/// reference survives.
pub fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\r' => out.push_str("&#13;"),
            c => out.push(c),
        }
    }
}

/// [`escape_into`] for attribute values, which a parser also normalizes `\t` and `\n`
/// in (to spaces): those are written as character references too.
fn escape_attr_into(out: &mut String, value: &str) {
    for c in value.chars() {
        match c {
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            c => escape_into(out, c.encode_utf8(&mut [0; 4])),
        }
    }
}

/// How a method's or property's value is decoded, whatever the protocol.
pub trait Response: Sized {
    /// From a parsed VI/JSON response body (`null` for an empty one).
    fn from_json(v: &Value) -> Result<Self, JsonError>;
    /// From the `returnval` elements of a SOAP response.
    fn from_returnvals(nodes: &[XmlElement<'_>]) -> Result<Self, SoapError>;
    /// From an `anyType` element holding the value (a property's `val`).
    fn from_any(node: XmlElement<'_>) -> Result<Self, SoapError>;

    /// From a VI/JSON response body's bytes (an empty body is `null`).
    fn from_json_bytes(body: &[u8]) -> Result<Self, JsonError> {
        Self::from_json(&crate::json::parse(body)?)
    }
}

/// A required single value.
#[derive(Clone, Debug, PartialEq)]
pub struct One<T>(pub T);

/// An optional single value.
#[derive(Clone, Debug, PartialEq)]
pub struct Maybe<T>(pub Option<T>);

/// An array.
#[derive(Clone, Debug, PartialEq)]
pub struct Many<T>(pub Vec<T>);

/// No value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Nothing;

impl<T: JsonRead + SoapRead> Response for One<T> {
    fn from_json(v: &Value) -> Result<Self, JsonError> {
        T::read_json(v).map(One)
    }
    fn from_returnvals(nodes: &[XmlElement<'_>]) -> Result<Self, SoapError> {
        let node = nodes
            .first()
            .ok_or_else(|| SoapError("the response has no returnval".into()))?;
        T::read(*node).map(One)
    }
    fn from_any(node: XmlElement<'_>) -> Result<Self, SoapError> {
        T::read(node).map(One)
    }
}

impl<T: JsonRead + SoapRead> Response for Maybe<T> {
    fn from_json(v: &Value) -> Result<Self, JsonError> {
        match v {
            Value::Null => Ok(Maybe(None)),
            v => T::read_json(v).map(|v| Maybe(Some(v))),
        }
    }
    fn from_returnvals(nodes: &[XmlElement<'_>]) -> Result<Self, SoapError> {
        nodes.first().map(|n| T::read(*n)).transpose().map(Maybe)
    }
    fn from_any(node: XmlElement<'_>) -> Result<Self, SoapError> {
        T::read(node).map(|v| Maybe(Some(v)))
    }
}

impl<T: JsonRead + SoapRead> Response for Many<T> {
    /// An array, or `null` for none.
    fn from_json(v: &Value) -> Result<Self, JsonError> {
        let mut items = Vec::new();
        if !v.is_null() {
            crate::data::FieldIn::read_member(&mut items, v)?;
        }
        Ok(Many(items))
    }
    fn from_returnvals(nodes: &[XmlElement<'_>]) -> Result<Self, SoapError> {
        nodes
            .iter()
            .map(|n| T::read(*n))
            .collect::<Result<_, _>>()
            .map(Many)
    }
    fn from_any(node: XmlElement<'_>) -> Result<Self, SoapError> {
        // `<val xsi:type="ArrayOfX"><X>…</X>…</val>`
        node.children()
            .map(T::read)
            .collect::<Result<_, _>>()
            .map(Many)
    }
}

impl Response for Nothing {
    fn from_json(_: &Value) -> Result<Self, JsonError> {
        Ok(Nothing)
    }
    fn from_returnvals(_: &[XmlElement<'_>]) -> Result<Self, SoapError> {
        Ok(Nothing)
    }
    fn from_any(_: XmlElement<'_>) -> Result<Self, SoapError> {
        Ok(Nothing)
    }
}

impl fmt::Display for Nothing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("nothing")
    }
}

// ---------------------------------------------------------------------------------------
// Primitive types

impl SoapRead for XmlNode {
    fn read(node: XmlElement<'_>) -> Result<Self, SoapError> {
        Ok(node.to_node())
    }
}

impl SoapWrite for str {
    fn write(&self, name: &str, w: &mut SoapWriter) {
        w.simple(name, self);
    }
}

impl SoapWrite for String {
    fn write(&self, name: &str, w: &mut SoapWriter) {
        w.simple(name, self);
    }
}

impl SoapRead for String {
    fn read(node: XmlElement<'_>) -> Result<Self, SoapError> {
        Ok(node.text().to_string())
    }
}

/// XML Schema's whitespace-collapsed value of a non-string primitive.
fn token<'a>(node: XmlElement<'a>) -> &'a str {
    node.text().trim_matches([' ', '\t', '\r', '\n'])
}

impl SoapWrite for bool {
    fn write(&self, name: &str, w: &mut SoapWriter) {
        w.unescaped(name, if *self { "true" } else { "false" });
    }
}

impl SoapRead for bool {
    fn read(node: XmlElement<'_>) -> Result<Self, SoapError> {
        match token(node) {
            "true" | "1" => Ok(true),
            "false" | "0" => Ok(false),
            _ => Err(SoapError::invalid(node, "a boolean")),
        }
    }
}

macro_rules! integers {
    ($($t:ty => $what:literal),*) => {$(
        impl SoapWrite for $t {
            fn write(&self, name: &str, w: &mut SoapWriter) {
                w.unescaped(name, self);
            }
        }

        impl SoapRead for $t {
            fn read(node: XmlElement<'_>) -> Result<Self, SoapError> {
                token(node)
                    .parse()
                    .map_err(|_| SoapError::invalid(node, $what))
            }
        }
    )*};
}

integers!(i8 => "a byte", i16 => "a short", i32 => "an int", i64 => "a long");

macro_rules! floats {
    ($($t:ty => $what:literal),*) => {$(
        impl SoapWrite for $t {
            fn write(&self, name: &str, w: &mut SoapWriter) {
                if self.is_nan() {
                    w.unescaped(name, "NaN");
                } else if self.is_infinite() {
                    w.unescaped(name, if *self > 0.0 { "INF" } else { "-INF" });
                } else {
                    w.unescaped(name, self);
                }
            }
        }

        impl SoapRead for $t {
            fn read(node: XmlElement<'_>) -> Result<Self, SoapError> {
                match token(node) {
                    "INF" | "+INF" => Ok(<$t>::INFINITY),
                    "-INF" => Ok(<$t>::NEG_INFINITY),
                    "NaN" => Ok(<$t>::NAN),
                    t => t.parse().map_err(|_| SoapError::invalid(node, $what)),
                }
            }
        }
    )*};
}

floats!(f32 => "a float", f64 => "a double");

impl SoapWrite for DateTime {
    /// RFC 3339 with `Z` for UTC and only as many fraction digits as needed
    /// (`2024-01-02T03:04:05.123456Z`). Years past 9999 are written without the `+`
    /// chrono puts before them, as `xsd:dateTime` has it (`10000-01-01T00:00:00Z`).
    fn write(&self, name: &str, w: &mut SoapWriter) {
        let text = self.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true);
        w.unescaped(name, text.strip_prefix('+').unwrap_or(&text));
    }
}

impl SoapRead for DateTime {
    /// RFC 3339 (`2024-01-02T03:04:05.123456Z`, `…+02:00`); a value without a zone,
    /// which `xsd:dateTime` allows, is taken as UTC. Years outside 0000–9999, which
    /// `xsd:dateTime` allows and RFC 3339 lacks (`-0044-03-15T…`, `10000-…`), are read too.
    fn read(node: XmlElement<'_>) -> Result<Self, SoapError> {
        let text = token(node);
        if let Ok(t) = chrono::DateTime::parse_from_rfc3339(text) {
            return Ok(t);
        }
        // chrono's `%Y` reads more than four digits only after a sign.
        let signed;
        let text = if text.starts_with(|c: char| c.is_ascii_digit()) {
            signed = format!("+{text}");
            &signed
        } else {
            text
        };
        chrono::DateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f%#z")
            .or_else(|_| {
                chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f")
                    .map(|t| t.and_utc().fixed_offset())
            })
            .map_err(|_| SoapError::invalid(node, "a dateTime"))
    }
}

impl SoapWrite for ManagedObjectReference {
    /// `<name type="SessionManager">SessionManager</name>`.
    fn write(&self, name: &str, w: &mut SoapWriter) {
        w.open(name, Some(("type", &self.type_)));
        w.text(&self.value);
        w.close(name);
    }
}

impl SoapRead for ManagedObjectReference {
    fn read(node: XmlElement<'_>) -> Result<Self, SoapError> {
        let type_ = node
            .attr("type")
            .ok_or_else(|| SoapError::missing_attr(node, "type"))?;
        Ok(ManagedObjectReference::new(type_, node.text()))
    }
}

impl<T: SoapWrite> SoapWrite for Secret<T> {
    fn write(&self, name: &str, w: &mut SoapWriter) {
        if w.redact {
            crate::wirelog::REDACTED.write(name, w);
        } else {
            self.expose().write(name, w);
        }
    }
}

impl<T: SoapRead> SoapRead for Secret<T> {
    fn read(node: XmlElement<'_>) -> Result<Self, SoapError> {
        T::read(node).map(Secret::new)
    }
}

impl<T: SoapWrite + ?Sized> SoapWrite for Box<T> {
    fn write(&self, name: &str, w: &mut SoapWriter) {
        (**self).write(name, w);
    }
}

impl<T: SoapRead> SoapRead for Box<T> {
    fn read(node: XmlElement<'_>) -> Result<Self, SoapError> {
        T::read(node).map(Box::new)
    }
}

impl<T: SoapWrite + ?Sized> SoapWrite for &T {
    fn write(&self, name: &str, w: &mut SoapWriter) {
        (**self).write(name, w);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xml::parse;

    fn written<T: SoapWrite + ?Sized>(value: &T) -> String {
        let mut w = SoapWriter::new();
        value.write("v", &mut w);
        w.finish()
    }

    fn round_trip<T: SoapWrite + SoapRead>(value: &T) -> T {
        T::read(parse(written(value).as_bytes()).unwrap().root()).unwrap()
    }

    #[test]
    fn writer_escapes_text_and_attributes() {
        let mut w = SoapWriter::new();
        w.set_type("xsd:string");
        w.open("a", Some(("k", "\"<&>'")));
        w.text("x < y & z > 'q' \"r\"");
        w.close("a");
        w.empty("b");
        w.set_type("T");
        w.empty("c");
        assert_eq!(
            w.finish(),
            "<a xsi:type=\"xsd:string\" k=\"&quot;&lt;&amp;&gt;&apos;\">\
             x &lt; y &amp; z &gt; &apos;q&apos; &quot;r&quot;</a><b/><c xsi:type=\"T\"/>"
        );
        let mut w = SoapWriter::new();
        w.set_type("T");
        assert_eq!(w.take_type(), Some("T"));
        w.simple("a", "");
        assert_eq!(w.finish(), "<a></a>");
    }

    #[test]
    fn primitives_round_trip() {
        for s in ["", "plain", "a<b>&\"c'", "ünï©ødé ✓", " padded "] {
            assert_eq!(round_trip(&s.to_string()), s);
        }
        assert_eq!(written("x&y"), "<v>x&amp;y</v>");
        assert!(round_trip(&true));
        assert!(!round_trip(&false));
        assert_eq!(written(&true), "<v>true</v>");
        assert_eq!(round_trip(&i8::MIN), i8::MIN);
        assert_eq!(round_trip(&i16::MAX), i16::MAX);
        assert_eq!(round_trip(&-42i32), -42);
        assert_eq!(round_trip(&i64::MAX), i64::MAX);
        assert_eq!(round_trip(&1.5f32), 1.5);
        assert_eq!(round_trip(&0.1f64), 0.1);
        assert_eq!(round_trip(&1e300f64), 1e300);
        assert_eq!(round_trip(&f64::INFINITY), f64::INFINITY);
        assert_eq!(written(&f64::NEG_INFINITY), "<v>-INF</v>");
        assert!(round_trip(&f32::NAN).is_nan());
        let moref = ManagedObjectReference::new("Folder", "group-d1");
        assert_eq!(written(&moref), "<v type=\"Folder\">group-d1</v>");
        assert_eq!(round_trip(&moref), moref);
        assert_eq!(round_trip(&Box::new(7i32)), Box::new(7));
        let secret = Secret::new("hunter2".to_string());
        assert_eq!(written(&secret), "<v>hunter2</v>");
        assert_eq!(round_trip(&secret).expose(), "hunter2");
        assert_eq!(written(&&5i64), "<v>5</v>");
    }

    #[test]
    fn primitives_read_leniently_and_refuse_garbage() {
        let node = |text: &str| XmlNode {
            text: text.to_string(),
            ..XmlNode::new("v")
        };
        fn read<T: SoapRead>(node: &XmlNode) -> Result<T, SoapError> {
            T::read(crate::xml::XmlDocument::from_node(node).root())
        }
        assert!(read::<bool>(&node(" 1 ")).unwrap());
        assert!(!read::<bool>(&node("0")).unwrap());
        assert!(read::<bool>(&node("yes")).is_err());
        assert_eq!(read::<i32>(&node("\n 12\n")).unwrap(), 12);
        assert_eq!(read::<i32>(&node("+3")).unwrap(), 3);
        let e = read::<i8>(&node("300")).unwrap_err();
        assert_eq!(e.0, "<v> holds \"300\", expected a byte");
        assert!(read::<f64>(&node("x")).is_err());
        assert_eq!(read::<f64>(&node("-INF")).unwrap(), f64::NEG_INFINITY);
        assert!(read::<ManagedObjectReference>(&node("x")).is_err());
    }

    #[test]
    fn date_times() {
        let t =
            DateTime::read(parse(b"<v>2024-01-02T03:04:05.123456Z</v>").unwrap().root()).unwrap();
        assert_eq!(written(&t), "<v>2024-01-02T03:04:05.123456Z</v>");
        assert_eq!(round_trip(&t), t);
        // vcsim (Go) writes nanoseconds.
        let go = parse(b"<v>2026-11-24T04:21:54.575346905Z</v>").unwrap();
        assert_eq!(
            written(&DateTime::read(go.root()).unwrap()),
            "<v>2026-11-24T04:21:54.575346905Z</v>"
        );
        let offset = parse(b"<v>2024-01-02T03:04:05+02:00</v>").unwrap();
        assert_eq!(
            written(&DateTime::read(offset.root()).unwrap()),
            "<v>2024-01-02T03:04:05+02:00</v>"
        );
        let local = parse(b"<v>2024-01-02T03:04:05</v>").unwrap();
        assert_eq!(
            written(&DateTime::read(local.root()).unwrap()),
            "<v>2024-01-02T03:04:05Z</v>"
        );
        assert!(DateTime::read(parse(b"<v>yesterday</v>").unwrap().root()).is_err());
        // Years outside 0000–9999, as xsd:dateTime writes them.
        for text in [
            "10000-01-02T03:04:05Z",
            "-0044-03-15T12:00:00.500+01:00",
            "-10000-01-01T00:00:00-00:30",
        ] {
            let doc = format!("<v>{text}</v>");
            let t = DateTime::read(parse(doc.as_bytes()).unwrap().root()).unwrap();
            assert_eq!(written(&t), doc);
            assert_eq!(round_trip(&t), t);
        }
        let far = DateTime::read(parse(b"<v>+10000-01-02T03:04:05</v>").unwrap().root()).unwrap();
        assert_eq!(written(&far), "<v>10000-01-02T03:04:05Z</v>");
        assert!(DateTime::read(parse(b"<v>2024-01-02T03:04:05+2</v>").unwrap().root()).is_err());
    }

    #[test]
    fn line_ends_and_tabs_survive_the_parser() {
        for s in ["a\rb", "a\r\nb", "\r", "\t x \n"] {
            assert_eq!(round_trip(&s.to_string()), s, "{s:?}");
            let moref = ManagedObjectReference::new(s, s);
            assert_eq!(round_trip(&moref), moref, "{s:?}");
        }
        assert_eq!(written("a\r\nb"), "<v>a&#13;\nb</v>");
        let mut w = SoapWriter::new();
        w.open("a", Some(("k", "\t\r\n")));
        assert_eq!(w.finish(), "<a k=\"&#9;&#13;&#10;\">");
    }
}
