//! A small XML tree for SOAP responses, built with quick-xml's streaming reader.
//!
//! Names are kept without their namespace prefix: vim25 documents use one namespace
//! per element kind, so the local name is what identifies an element. An attribute with
//! a prefix and the local name `type` is taken as `xsi:type`; namespace declarations
//! (`xmlns`, `xmlns:*`) are dropped.

use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};

use crate::soap::SoapError;

/// Deepest element nesting [`parse`] accepts; deeper documents are refused, so hostile
/// input cannot exhaust the stack of code that walks the tree recursively.
pub const MAX_DEPTH: usize = 256;

/// An element: its name, `xsi:type`, other attributes, text and child elements.
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

/// Parses a whole document and returns its document element.
///
/// Refuses, with the byte position: malformed or truncated XML, input that is not UTF-8,
/// a document without an element, a DTD, entities other than the predefined and
/// character ones, and nesting deeper than [`MAX_DEPTH`].
pub fn parse(bytes: &[u8]) -> Result<XmlNode, SoapError> {
    let text = std::str::from_utf8(bytes)
        .map_err(|e| error_at(e.valid_up_to() as u64, "the document is not UTF-8"))?;
    let mut reader = Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    // Open elements, and for each the index in `done` where its children start: finished
    // elements wait in `done` until their parent ends and takes them in one exact-size
    // allocation, which is much cheaper than growing every `children` vector.
    let mut open: Vec<(XmlNode, usize)> = Vec::with_capacity(32);
    let mut done: Vec<XmlNode> = Vec::with_capacity(256);
    let mut root: Option<XmlNode> = None;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| error_at(reader.error_position(), e))?;
        match event {
            Event::Start(ref start) | Event::Empty(ref start) => {
                if root.is_some() {
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
                let node = element(start).map_err(|e| error_at(reader.buffer_position(), e))?;
                if matches!(event, Event::Start(_)) {
                    open.push((node, done.len()));
                } else if open.is_empty() {
                    root = Some(node);
                } else {
                    done.push(node);
                }
            }
            Event::End(_) => {
                // quick-xml has checked that the end tag matches the open one.
                let Some((mut node, first_child)) = open.pop() else {
                    return Err(error_at(reader.buffer_position(), "unmatched end tag"));
                };
                if first_child < done.len() {
                    node.children = done.drain(first_child..).collect();
                    if is_xml_space(&node.text) {
                        node.text = String::new();
                    }
                }
                if open.is_empty() {
                    root = Some(node);
                } else {
                    done.push(node);
                }
            }
            Event::Text(t) => match open.last_mut() {
                Some((top, first_child)) => {
                    // Whitespace after a child element is indentation, not content.
                    if *first_child < done.len() && is_xml_space(&t) {
                        continue;
                    }
                    let content = t.xml10_content();
                    if top.text.is_empty() {
                        top.text = content.into_owned();
                    } else {
                        top.text.push_str(&content);
                    }
                }
                None if is_xml_space(&t) => {}
                None => {
                    return Err(error_at(
                        reader.buffer_position(),
                        "text outside the document element",
                    ))
                }
            },
            Event::CData(c) => match open.last_mut() {
                Some((top, _)) => top.text.push_str(&c.xml10_content()),
                None => {
                    return Err(error_at(
                        reader.buffer_position(),
                        "CDATA outside the document element",
                    ))
                }
            },
            Event::GeneralRef(r) => {
                let position = reader.buffer_position();
                let Some((top, _)) = open.last_mut() else {
                    return Err(error_at(position, "reference outside the document element"));
                };
                match r.resolve_char_ref() {
                    Ok(Some(c)) => top.text.push(c),
                    Ok(None) => match resolve_predefined_entity(&r) {
                        Some(s) => top.text.push_str(s),
                        None => {
                            let name: String = r.chars().take(40).collect();
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
    if let Some((unclosed, _)) = open.last() {
        return Err(error_at(
            reader.buffer_position(),
            format!("the document ends inside <{}>", unclosed.name),
        ));
    }
    root.ok_or_else(|| error_at(reader.buffer_position(), "no document element"))
}

fn is_xml_space(s: &str) -> bool {
    s.bytes().all(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
}

/// An element from its start tag: name, `xsi:type` and attributes.
fn element(start: &BytesStart<'_>) -> Result<XmlNode, String> {
    let mut node = XmlNode::new(start.local_name().as_ref());
    for attr in start.attributes() {
        let attr = attr.map_err(|e| e.to_string())?;
        let key = attr.key.as_ref();
        let (prefix, local) = match key.bytes().position(|b| b == b':') {
            Some(i) => (Some(&key[..i]), &key[i + 1..]),
            None => (None, key),
        };
        if key == "xmlns" || prefix == Some("xmlns") {
            continue;
        }
        let value = attr
            .normalized_value(XmlVersion::Implicit1_0)
            .map_err(|e| e.to_string())?;
        if prefix.is_some() && local == "type" {
            let ty = match value.bytes().rposition(|b| b == b':') {
                Some(i) => &value[i + 1..],
                None => &value,
            };
            node.xsi_type = Some(ty.to_string());
        } else {
            node.attrs.push((local.to_string(), value.into_owned()));
        }
    }
    Ok(node)
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
        let root = parse(doc).unwrap();
        assert_eq!(root.name, "Envelope");
        assert!(root.attrs.is_empty(), "xmlns declarations are dropped");
        assert_eq!(root.text, "");
        let response = &root.child("Body").unwrap().children[0];
        assert_eq!(response.name, "RetrieveResponse");
        assert_eq!(response.children.len(), 3);
        let first = &response.children[0];
        assert_eq!(first.xsi_type.as_deref(), Some("UserSession"));
        assert_eq!(first.child("key").unwrap().text, "k");
        assert_eq!(response.children[1].xsi_type.as_deref(), Some("string"));
        assert_eq!(response.children[1].text, "s");
        let obj = response.child("obj").unwrap();
        assert_eq!(obj.attr("type"), Some("SessionManager"));
        assert_eq!(obj.xsi_type, None);
        assert_eq!(obj.text, "SessionManager");
        assert_eq!(response.children_named("returnval").count(), 2);

        // Go's encoder (vcsim) declares its own prefix for the XSI namespace.
        let val = parse(br#"<val xmlns:XMLSchema-instance="http://www.w3.org/2001/XMLSchema-instance" XMLSchema-instance:type="ArrayOfCustomFieldValue"></val>"#).unwrap();
        assert_eq!(val.xsi_type.as_deref(), Some("ArrayOfCustomFieldValue"));
        assert!(val.attrs.is_empty());
    }

    #[test]
    fn entities_cdata_and_whitespace() {
        let root = parse(
            b"<a><b>x &amp; y &lt;&gt; &quot;&apos; &#65;&#x42;</b><c><![CDATA[<raw> & ]]>tail</c><d>  </d><e/></a>",
        )
        .unwrap();
        assert_eq!(root.child("b").unwrap().text, "x & y <> \"' AB");
        assert_eq!(root.child("c").unwrap().text, "<raw> & tail");
        assert_eq!(
            root.child("d").unwrap().text,
            "  ",
            "a leaf keeps its whitespace"
        );
        let e = root.child("e").unwrap();
        assert_eq!((e.text.as_str(), e.children.len()), ("", 0));
        let attr = parse(br#"<a k="1 &amp; 2"/>"#).unwrap();
        assert_eq!(attr.attr("k"), Some("1 & 2"));
        assert!(parse(br#"<a xsi:nil="true"/>"#).unwrap().is_nil());
    }

    #[test]
    fn refuses_bad_documents() {
        let err = |doc: &[u8]| parse(doc).unwrap_err().0;
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
}
