//! XML documents for SOAP responses, built with quick-xml's streaming reader.
//!
//! [`parse`] reads a whole response into an [`XmlDocument`]: one flat array of elements in
//! document order whose names and text borrow from the response bytes, so a document of
//! a hundred thousand elements costs a few allocations rather than several per element.
//! [`XmlElement`] is a cheap, copyable view of one element; the generated `SoapRead`
//! impls read from it. [`XmlNode`] is the owned tree, for values that outlive the
//! response (an `anyType` value of an unknown type, a fault's detail).
//!
//! Names are kept without their namespace prefix: vim25 documents use one namespace
//! per element kind, so the local name is what identifies an element. An attribute with
//! a prefix and the local name `type` is taken as `xsi:type`; namespace declarations
//! (`xmlns`, `xmlns:*`) are dropped.

use std::borrow::Cow;

use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};

/// Why a SOAP document could not be read: malformed XML here, or (from the `SoapRead`
/// impls, which reach it as `soap::SoapError`) an element that does not hold its type.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct SoapError(pub String);

impl SoapError {
    /// A required element was absent.
    pub fn missing(owner: &str, field: &str) -> Self {
        SoapError(format!("`{owner}` has no `{field}` element"))
    }

    /// An element's text is not a valid value of its type.
    pub fn invalid(node: XmlElement<'_>, expected: &str) -> Self {
        let text: String = node.text().chars().take(60).collect();
        SoapError(format!(
            "<{}> holds {text:?}, expected {expected}",
            node.name()
        ))
    }

    /// A required attribute was absent.
    pub fn missing_attr(node: XmlElement<'_>, attr: &str) -> Self {
        SoapError(format!("<{}> has no `{attr}` attribute", node.name()))
    }
}

/// Deepest element nesting [`parse`] accepts; deeper documents are refused, so hostile
/// input cannot exhaust the stack of code that walks the tree recursively.
pub const MAX_DEPTH: usize = 256;

/// A parsed document: its elements in document order, each followed by its descendants.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct XmlDocument<'a> {
    elements: Vec<Element<'a>>,
    attrs: Vec<(Cow<'a, str>, Cow<'a, str>)>,
}

/// One element of an [`XmlDocument`].
#[derive(Clone, Debug, PartialEq)]
struct Element<'a> {
    name: Cow<'a, str>,
    xsi_type: Option<Cow<'a, str>>,
    /// Its attributes: `XmlDocument::attrs[attrs.0..attrs.1]`.
    attrs: (u32, u32),
    text: Cow<'a, str>,
    /// Index one past its last descendant: its children start right after it, and each
    /// child's `end` is where the next sibling starts.
    end: u32,
}

impl<'a> XmlDocument<'a> {
    /// The document element.
    pub fn root(&self) -> XmlElement<'_> {
        XmlElement {
            doc: self,
            index: 0,
        }
    }

    /// A document holding `node` as its document element, borrowing from it: the way to
    /// read an owned [`XmlNode`] with `SoapRead`.
    pub fn from_node(node: &'a XmlNode) -> Self {
        let mut doc = XmlDocument::default();
        doc.push_node(node);
        doc
    }

    fn push_node(&mut self, node: &'a XmlNode) {
        let index = self.elements.len();
        let first_attr = self.attrs.len() as u32;
        self.attrs.extend(
            node.attrs
                .iter()
                .map(|(k, v)| (Cow::Borrowed(k.as_str()), Cow::Borrowed(v.as_str()))),
        );
        self.elements.push(Element {
            name: Cow::Borrowed(&node.name),
            xsi_type: node.xsi_type.as_deref().map(Cow::Borrowed),
            attrs: (first_attr, self.attrs.len() as u32),
            text: Cow::Borrowed(&node.text),
            end: 0,
        });
        for child in &node.children {
            self.push_node(child);
        }
        self.elements[index].end = self.elements.len() as u32;
    }
}

/// A view of one element of an [`XmlDocument`]: its name, `xsi:type`, attributes, text and
/// child elements. Copying it copies a reference and an index.
#[derive(Clone, Copy)]
pub struct XmlElement<'a> {
    doc: &'a XmlDocument<'a>,
    index: usize,
}

impl<'a> XmlElement<'a> {
    fn element(&self) -> &'a Element<'a> {
        &self.doc.elements[self.index]
    }

    /// Local name, prefix stripped (`soapenv:Body` → `Body`).
    pub fn name(&self) -> &'a str {
        &self.element().name
    }

    /// Local part of `xsi:type` (`xsd:string` → `string`, `UserSession` as is).
    pub fn xsi_type(&self) -> Option<&'a str> {
        self.element().xsi_type.as_deref()
    }

    /// Unescaped text content (CDATA included). Whitespace between child elements is
    /// dropped.
    pub fn text(&self) -> &'a str {
        &self.element().text
    }

    /// The other attributes by local name, e.g. `("type", "SessionManager")` of a
    /// managed object reference.
    pub fn attrs(&self) -> impl Iterator<Item = (&'a str, &'a str)> {
        let (first, end) = self.element().attrs;
        self.doc.attrs[first as usize..end as usize]
            .iter()
            .map(|(k, v)| (k.as_ref(), v.as_ref()))
    }

    /// The value of the attribute with local name `name`.
    pub fn attr(&self, name: &str) -> Option<&'a str> {
        self.attrs().find(|(k, _)| *k == name).map(|(_, v)| v)
    }

    /// Whether the element carries `xsi:nil="true"`.
    pub fn is_nil(&self) -> bool {
        matches!(self.attr("nil"), Some("true" | "1"))
    }

    /// The child elements in document order.
    pub fn children(&self) -> Children<'a> {
        Children {
            doc: self.doc,
            next: self.index + 1,
            end: self.element().end as usize,
        }
    }

    /// Whether the element has child elements.
    pub fn has_children(&self) -> bool {
        self.element().end as usize > self.index + 1
    }

    /// The first child element named `name`.
    pub fn child(&self, name: &str) -> Option<XmlElement<'a>> {
        self.children().find(|c| c.name() == name)
    }

    /// Every child element named `name`.
    pub fn children_named<'n>(
        self,
        name: &'n str,
    ) -> impl Iterator<Item = XmlElement<'a>> + use<'a, 'n> {
        self.children().filter(move |c| c.name() == name)
    }

    /// An owned copy of the element and everything in it.
    pub fn to_node(&self) -> XmlNode {
        let e = self.element();
        XmlNode {
            name: e.name.to_string(),
            xsi_type: e.xsi_type.as_deref().map(str::to_string),
            attrs: self
                .attrs()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            text: e.text.to_string(),
            children: self.children().map(|c| c.to_node()).collect(),
        }
    }
}

impl std::fmt::Debug for XmlElement<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&self.to_node(), f)
    }
}

/// The child elements of an [`XmlElement`], from [`XmlElement::children`].
#[derive(Clone)]
pub struct Children<'a> {
    doc: &'a XmlDocument<'a>,
    next: usize,
    end: usize,
}

impl<'a> Iterator for Children<'a> {
    type Item = XmlElement<'a>;

    fn next(&mut self) -> Option<XmlElement<'a>> {
        if self.next >= self.end {
            return None;
        }
        let child = XmlElement {
            doc: self.doc,
            index: self.next,
        };
        self.next = self.doc.elements[self.next].end as usize;
        Some(child)
    }
}

/// An element as an owned tree: its name, `xsi:type`, other attributes, text and child
/// elements. [`XmlElement::to_node`] makes one; [`XmlDocument::from_node`] reads one.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct XmlNode {
    /// Local name, prefix stripped (`soapenv:Body` → `Body`).
    pub name: String,
    /// Local part of `xsi:type` (`xsd:string` → `string`, `UserSession` as is).
    pub xsi_type: Option<String>,
    /// The other attributes by local name, e.g. `("type", "SessionManager")` of a
    /// managed object reference.
    pub attrs: Vec<(String, String)>,
    /// Unescaped text content (CDATA included). Whitespace between child elements is
    /// dropped.
    pub text: String,
    /// Child elements in document order.
    pub children: Vec<XmlNode>,
}

impl XmlNode {
    /// An element with just a name.
    pub fn new(name: impl Into<String>) -> Self {
        XmlNode {
            name: name.into(),
            ..XmlNode::default()
        }
    }

    /// The first child element named `name`.
    pub fn child(&self, name: &str) -> Option<&XmlNode> {
        self.children.iter().find(|c| c.name == name)
    }

    /// Every child element named `name`.
    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a XmlNode> {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The value of the attribute with local name `name`.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Whether the element carries `xsi:nil="true"`.
    pub fn is_nil(&self) -> bool {
        matches!(self.attr("nil"), Some("true" | "1"))
    }
}

fn error_at(position: u64, message: impl std::fmt::Display) -> SoapError {
    SoapError(format!("malformed XML at byte {position}: {message}"))
}

/// Parses a whole document.
///
/// Refuses, with the byte position: malformed or truncated XML, input that is not UTF-8,
/// a document without an element, a DTD, entities other than the predefined and
/// character ones, and nesting deeper than [`MAX_DEPTH`].
pub fn parse(bytes: &[u8]) -> Result<XmlDocument<'_>, SoapError> {
    // Validated once here; every name, value and text below is a slice of `source` cut at
    // ASCII markup, so taking it as `&str` costs a bounds check, not another validation.
    let source = std::str::from_utf8(bytes)
        .map_err(|e| error_at(e.valid_up_to() as u64, "the document is not UTF-8"))?;
    let mut reader = Reader::from_reader(bytes);
    reader.config_mut().check_end_names = true;
    let mut doc = XmlDocument {
        // About one element per 40 bytes in vim25 responses.
        elements: Vec::with_capacity(bytes.len() / 40 + 1),
        attrs: Vec::new(),
    };
    // Indices of the open elements, innermost last.
    let mut open: Vec<usize> = Vec::with_capacity(32);
    loop {
        let event = reader
            .read_event()
            .map_err(|e| error_at(reader.error_position(), e))?;
        match event {
            Event::Start(ref start) | Event::Empty(ref start) => {
                if open.is_empty() && !doc.elements.is_empty() {
                    return Err(error_at(
                        reader.buffer_position(),
                        "content after the document element",
                    ));
                }
                if open.len() >= MAX_DEPTH {
                    return Err(error_at(
                        reader.buffer_position(),
                        format!("elements nested deeper than {MAX_DEPTH}"),
                    ));
                }
                let index = doc.elements.len();
                let element = element(source, start, &mut doc.attrs)
                    .map_err(|e| error_at(reader.buffer_position(), e))?;
                doc.elements.push(element);
                if matches!(event, Event::Start(_)) {
                    open.push(index);
                } else {
                    doc.elements[index].end = index as u32 + 1;
                }
            }
            Event::End(_) => {
                // quick-xml has checked that the end tag matches the open one.
                let Some(index) = open.pop() else {
                    return Err(error_at(reader.buffer_position(), "unmatched end tag"));
                };
                let end = doc.elements.len();
                let element = &mut doc.elements[index];
                element.end = end as u32;
                if end > index + 1 && is_xml_space(element.text.as_bytes()) {
                    element.text = Cow::Borrowed("");
                }
            }
            Event::Text(t) => match open.last() {
                Some(&index) => {
                    // Whitespace after a child element is indentation, not content.
                    if doc.elements.len() > index + 1 && is_xml_space(&t) {
                        continue;
                    }
                    let text = xml10_text(in_source(source, &t));
                    append(&mut doc.elements[index].text, text);
                }
                None if is_xml_space(&t) => {}
                None => {
                    return Err(error_at(
                        reader.buffer_position(),
                        "text outside the document element",
                    ))
                }
            },
            Event::CData(c) => match open.last() {
                Some(&index) => {
                    let text = xml10_text(in_source(source, &c));
                    append(&mut doc.elements[index].text, text);
                }
                None => {
                    return Err(error_at(
                        reader.buffer_position(),
                        "CDATA outside the document element",
                    ))
                }
            },
            Event::GeneralRef(r) => {
                let position = reader.buffer_position();
                let Some(&index) = open.last() else {
                    return Err(error_at(position, "reference outside the document element"));
                };
                let text = &mut doc.elements[index].text;
                match r.resolve_char_ref() {
                    Ok(Some(c)) => text.to_mut().push(c),
                    Ok(None) => match resolve_predefined_entity(&in_source(source, &r)) {
                        Some(s) => append(text, Cow::Borrowed(s)),
                        None => {
                            let name: String =
                                String::from_utf8_lossy(&r).chars().take(40).collect();
                            return Err(error_at(position, format!("unknown entity &{name};")));
                        }
                    },
                    Err(e) => return Err(error_at(position, e)),
                }
            }
            Event::DocType(_) => {
                return Err(error_at(reader.buffer_position(), "DTDs are not accepted"));
            }
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
            Event::Eof => break,
        }
    }
    if let Some(&index) = open.last() {
        return Err(error_at(
            reader.buffer_position(),
            format!("the document ends inside <{}>", doc.elements[index].name),
        ));
    }
    if doc.elements.is_empty() {
        return Err(error_at(reader.buffer_position(), "no document element"));
    }
    Ok(doc)
}

/// Adds a piece of text to an element's text, borrowing while it is the only piece.
fn append<'a>(text: &mut Cow<'a, str>, piece: Cow<'a, str>) {
    if text.is_empty() {
        *text = piece;
    } else {
        text.to_mut().push_str(&piece);
    }
}

fn is_xml_space(s: &[u8]) -> bool {
    s.iter().all(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
}

/// Text with XML 1.0 line ends normalised: `\r\n` and a lone `\r` become `\n`.
fn xml10_text(text: Cow<'_, str>) -> Cow<'_, str> {
    if text.contains('\r') {
        Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        text
    }
}

/// `part` as a slice of `source` when it lies inside it (quick-xml hands out names, values
/// and text that point into the document, as bytes under a shorter lifetime), otherwise
/// a copy. `source` is valid UTF-8 and quick-xml cuts only at ASCII markup, so a part
/// inside it starts and ends on character boundaries; a part that does not (or that is
/// not UTF-8, when it is a copy) has its invalid bytes replaced rather than panicking.
fn in_source<'a>(source: &'a str, part: &[u8]) -> Cow<'a, str> {
    let start = (part.as_ptr() as usize).wrapping_sub(source.as_ptr() as usize);
    match source.get(start..start.wrapping_add(part.len())) {
        Some(s) if s.as_ptr() == part.as_ptr() => Cow::Borrowed(s),
        _ => Cow::Owned(String::from_utf8_lossy(part).into_owned()),
    }
}

/// `f` applied to the text of `cow`, still borrowed when it was.
fn map_cow(cow: Cow<'_, str>, f: fn(&str) -> &str) -> Cow<'_, str> {
    match cow {
        Cow::Borrowed(v) => Cow::Borrowed(f(v)),
        Cow::Owned(v) => Cow::Owned(f(&v).to_string()),
    }
}

/// The local part of a qualified type name (`xsd:string` → `string`).
fn after_last_colon(name: &str) -> &str {
    name.rsplit_once(':').map_or(name, |(_, local)| local)
}

/// An element from its start tag: name, `xsi:type` and attributes (added to `attrs`).
fn element<'a>(
    source: &'a str,
    start: &BytesStart<'_>,
    attrs: &mut Vec<(Cow<'a, str>, Cow<'a, str>)>,
) -> Result<Element<'a>, String> {
    let name = in_source(source, start.local_name().into_inner());
    let first_attr = attrs.len() as u32;
    let mut xsi_type = None;
    for attr in start.attributes() {
        let attr = attr.map_err(|e| e.to_string())?;
        if attr.key.as_namespace_binding().is_some() {
            continue;
        }
        let (local, prefix) = attr.key.decompose();
        let local = in_source(source, local.into_inner());
        let value = match attr
            .normalized_value(XmlVersion::Implicit1_0)
            .map_err(|e| e.to_string())?
        {
            Cow::Borrowed(v) => in_source(source, v.as_bytes()),
            Cow::Owned(v) => Cow::Owned(v),
        };
        if prefix.is_some() && local == "type" {
            xsi_type = Some(map_cow(value, after_last_colon));
        } else {
            attrs.push((local, value));
        }
    }
    Ok(Element {
        name,
        xsi_type,
        attrs: (first_attr, attrs.len() as u32),
        text: Cow::Borrowed(""),
        end: 0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn namespaces_and_types() {
        let doc = br#"<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <soapenv:Body>
    <RetrieveResponse xmlns="urn:vim25">
      <returnval xsi:type="UserSession"><key>k</key></returnval>
      <returnval xsi:type="xsd:string">s</returnval>
      <obj type="SessionManager">SessionManager</obj>
    </RetrieveResponse>
  </soapenv:Body>
</soapenv:Envelope>"#;
        let doc = parse(doc).unwrap();
        let root = doc.root();
        assert_eq!(doc.elements.len(), 7);
        assert_eq!(root.name(), "Envelope");
        assert_eq!(root.attrs().count(), 0, "xmlns declarations are dropped");
        assert_eq!(root.text(), "");
        let response = root.child("Body").unwrap().children().next().unwrap();
        assert_eq!(response.name(), "RetrieveResponse");
        let children: Vec<_> = response.children().collect();
        assert_eq!(children.len(), 3);
        assert_eq!(children[0].xsi_type(), Some("UserSession"));
        assert_eq!(children[0].child("key").unwrap().text(), "k");
        assert_eq!(children[1].xsi_type(), Some("string"));
        assert_eq!(children[1].text(), "s");
        let obj = response.child("obj").unwrap();
        assert_eq!(obj.attr("type"), Some("SessionManager"));
        assert_eq!(obj.xsi_type(), None);
        assert_eq!(obj.text(), "SessionManager");
        assert_eq!(response.children_named("returnval").count(), 2);
        assert!(response.has_children() && !obj.has_children());
        // Nothing was copied: names, types, attributes and plain text point into `doc`.
        let borrowed = |c: &Cow<'_, str>| matches!(c, Cow::Borrowed(_));
        assert!(doc.elements.iter().all(|e| borrowed(&e.name)
            && borrowed(&e.text)
            && e.xsi_type.as_ref().is_none_or(borrowed)));
        assert!(doc.attrs.iter().all(|(k, v)| borrowed(k) && borrowed(v)));

        // Go's encoder (vcsim) declares its own prefix for the XSI namespace.
        let val = parse(br#"<val xmlns:XMLSchema-instance="http://www.w3.org/2001/XMLSchema-instance" XMLSchema-instance:type="ArrayOfCustomFieldValue"></val>"#).unwrap();
        assert_eq!(val.root().xsi_type(), Some("ArrayOfCustomFieldValue"));
        assert_eq!(val.root().attrs().count(), 0);
    }

    #[test]
    fn entities_cdata_and_whitespace() {
        let doc = parse(
            b"<a><b>x &amp; y &lt;&gt; &quot;&apos; &#65;&#x42;</b><c><![CDATA[<raw> & ]]>tail</c><d>  </d><e/>mixed</a>",
        )
        .unwrap();
        let root = doc.root();
        assert_eq!(root.child("b").unwrap().text(), "x & y <> \"' AB");
        assert_eq!(root.child("c").unwrap().text(), "<raw> & tail");
        assert_eq!(
            root.child("d").unwrap().text(),
            "  ",
            "a leaf keeps its whitespace"
        );
        let e = root.child("e").unwrap();
        assert_eq!((e.text(), e.children().count()), ("", 0));
        assert_eq!(root.text(), "mixed");
        let lines = parse(b"<a><b>x\r\ny\rz</b><c><![CDATA[1\r\n2]]></c></a>").unwrap();
        assert_eq!(lines.root().child("b").unwrap().text(), "x\ny\nz");
        assert_eq!(lines.root().child("c").unwrap().text(), "1\n2");
        let attr = parse(br#"<a k="1 &amp; 2" t="x"/>"#).unwrap();
        assert_eq!(attr.root().attr("k"), Some("1 & 2"));
        assert_eq!(attr.root().attr("t"), Some("x"));
        let typed = parse(br#"<a xsi:type="&#x78;sd:string"/>"#).unwrap();
        assert_eq!(typed.root().xsi_type(), Some("string"));
        assert!(parse(br#"<a xsi:nil="true"/>"#).unwrap().root().is_nil());
    }

    #[test]
    fn refuses_bad_documents() {
        let err = |doc: &[u8]| parse(doc).unwrap_err().0;
        assert!(err(b"<a></a></b>").contains("malformed XML"));
        assert!(err(b"<a><b></a>").contains("malformed XML"));
        let truncated = err(b"<a><b>text</b>");
        assert!(truncated.contains("ends inside <a>"), "{truncated}");
        assert!(err(b"<a><b>te").contains("malformed XML"));
        let utf8 = err(b"<a>\xff</a>");
        assert!(
            utf8.contains("not UTF-8") && utf8.contains("byte 3"),
            "{utf8}"
        );
        assert!(err(b"").contains("no document element"));
        assert!(err(b"  <!-- c -->  ").contains("no document element"));
        assert!(err(b"<a/><b/>").contains("after the document element"));
        assert!(err(b"text<a/>").contains("outside"));
        assert!(err(b"<a>&ent;</a>").contains("unknown entity"));
        assert!(err(b"<!DOCTYPE a [<!ENTITY e \"x\">]><a>&e;</a>").contains("DTD"));
    }

    #[test]
    fn depth_is_bounded() {
        let nested = |depth: usize| {
            let mut doc = String::new();
            for _ in 0..depth {
                doc.push_str("<a>");
            }
            for _ in 0..depth {
                doc.push_str("</a>");
            }
            doc
        };
        assert!(parse(nested(MAX_DEPTH).as_bytes()).is_ok());
        let deep = parse(nested(MAX_DEPTH + 1).as_bytes()).unwrap_err().0;
        assert!(deep.contains("deeper than 256"), "{deep}");
        // Far deeper than any stack could take recursively: still an error, not a crash.
        assert!(parse(nested(1_000_000).as_bytes()).is_err());
    }

    #[test]
    fn owned_nodes_read_back_the_same() {
        let doc = parse(
            br#"<r xmlns:xsi="i"><a xsi:type="T" k="v &amp; w">x<b>1</b><b/></a><c>t&lt;</c></r>"#,
        )
        .unwrap();
        let node = doc.root().to_node();
        assert_eq!(node.child("a").unwrap().attr("k"), Some("v & w"));
        assert_eq!(node.child("c").unwrap().text, "t<");
        assert_eq!(node.child("a").unwrap().children_named("b").count(), 2);
        let again = XmlDocument::from_node(&node);
        assert_eq!(again.root().to_node(), node);
        let a = again.root().child("a").unwrap();
        assert_eq!((a.xsi_type(), a.text()), (Some("T"), "x"));
        assert_eq!(
            format!("{:?}", doc.root().child("c").unwrap()),
            format!("{:?}", node.child("c").unwrap())
        );
    }
}
