//! A hardened XML reader shared by the SOAP and contract layers.
//!
//! It turns bytes into a small namespace-resolved tree and enforces the limits that keep hostile
//! input cheap to refuse: no DOCTYPE (so no entity expansion), a maximum nesting depth and a
//! maximum attribute count per element. It knows nothing of SOAP or of housing.

use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use quick_xml::NsReader;

/// Limits applied while reading a document.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Deepest element nesting accepted (the root element is depth 1).
    pub max_depth: usize,
    /// Most attributes (namespace declarations included) accepted on one element.
    pub max_attributes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_depth: 64, max_attributes: 32 }
    }
}

/// Why a document was refused. Messages are in French: they end up in SOAP faults read by counters.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum XmlError {
    /// The bytes are not well-formed XML.
    #[error("XML mal formé : {0}")]
    Malformed(String),
    /// A DOCTYPE declaration was present.
    #[error("XML refusé : les déclarations DOCTYPE sont interdites")]
    Doctype,
    /// The nesting went deeper than allowed.
    #[error("XML refusé : profondeur d'imbrication supérieure à la limite de {limit} niveaux")]
    TooDeep {
        /// The configured limit.
        limit: usize,
    },
    /// An element carried too many attributes.
    #[error("XML refusé : l'élément {element} porte plus de {limit} attributs (limite configurée)")]
    TooManyAttributes {
        /// Local name of the element.
        element: String,
        /// The configured limit.
        limit: usize,
    },
    /// The document declared an encoding other than UTF-8.
    #[error("XML refusé : encodage {0} non pris en charge (UTF-8 attendu)")]
    Encoding(String),
    /// No root element.
    #[error("XML mal formé : aucun élément racine")]
    Empty,
    /// Something after the root element.
    #[error("XML mal formé : contenu après l'élément racine")]
    TrailingContent,
}

/// An attribute with its resolved namespace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribute {
    /// Namespace URI, `None` for unqualified attributes.
    pub ns: Option<String>,
    /// Local name.
    pub name: String,
    /// Unescaped value.
    pub value: String,
}

/// A node of the tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    /// A child element.
    Element(Element),
    /// Character data (CDATA included), unescaped.
    Text(String),
    /// Binary content put in place of an `xop:Include` by the SOAP layer.
    Binary(bytes::Bytes),
}

/// An element with its resolved namespace.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Element {
    /// Namespace URI, `None` when the element is in no namespace.
    pub ns: Option<String>,
    /// Local name.
    pub name: String,
    /// Attributes other than namespace declarations.
    pub attributes: Vec<Attribute>,
    /// Children in document order.
    pub children: Vec<Node>,
}

impl Element {
    /// True when the element has this namespace and local name.
    pub fn is(&self, ns: Option<&str>, name: &str) -> bool {
        self.ns.as_deref() == ns && self.name == name
    }

    /// Child elements, in order.
    pub fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|n| match n {
            Node::Element(e) => Some(e),
            _ => None,
        })
    }

    /// First child element with this local name (any namespace).
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.elements().find(|e| e.name == name)
    }

    /// Value of an unqualified attribute.
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes.iter().find(|a| a.ns.is_none() && a.name == name).map(|a| a.value.as_str())
    }

    /// Concatenated character data of the direct children.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for n in &self.children {
            if let Node::Text(t) = n {
                out.push_str(t);
            }
        }
        out
    }

    /// True when the element holds character data other than white space.
    pub fn has_significant_text(&self) -> bool {
        self.children.iter().any(|n| matches!(n, Node::Text(t) if !t.trim().is_empty()))
    }
}

/// Reads a whole document into its root element, enforcing `limits`.
pub fn parse(bytes: &[u8], limits: Limits) -> Result<Element, XmlError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = NsReader::from_reader(bytes);
    reader.config_mut().trim_text(false);
    reader.config_mut().check_end_names = true;
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    loop {
        let (resolved, event) = reader.read_resolved_event().map_err(malformed)?;
        match event {
            Event::Start(start) | Event::Empty(start) if root.is_some() && stack.is_empty() => {
                let _ = start;
                return Err(XmlError::TrailingContent);
            }
            Event::Start(ref start) | Event::Empty(ref start) => {
                if stack.len() + 1 > limits.max_depth {
                    return Err(XmlError::TooDeep { limit: limits.max_depth });
                }
                let name = utf8(start.local_name().as_ref())?;
                let ns = namespace(&resolved)?;
                let mut attributes = Vec::new();
                let mut count = 0usize;
                for attr in start.attributes() {
                    let attr = attr.map_err(malformed)?;
                    count += 1;
                    if count > limits.max_attributes {
                        return Err(XmlError::TooManyAttributes {
                            element: borne(&name),
                            limit: limits.max_attributes,
                        });
                    }
                    let key = attr.key;
                    if key.as_namespace_binding().is_some() {
                        continue;
                    }
                    let (attr_ns, local) = reader.resolve_attribute(key);
                    let value = attr.unescape_value().map_err(malformed)?.into_owned();
                    attributes.push(Attribute { ns: namespace(&attr_ns)?, name: utf8(local.as_ref())?, value });
                }
                let element = Element { ns, name, attributes, children: Vec::new() };
                if matches!(event, Event::Empty(_)) {
                    attach(&mut stack, &mut root, element);
                } else {
                    stack.push(element);
                }
            }
            Event::End(_) => {
                let element =
                    stack.pop().ok_or_else(|| XmlError::Malformed("balise fermante sans balise ouvrante".into()))?;
                attach(&mut stack, &mut root, element);
            }
            Event::Text(text) => {
                let value = text.unescape().map_err(malformed)?;
                push_text(&mut stack, &value)?;
            }
            Event::CData(data) => {
                let value = utf8(&data.into_inner())?;
                push_text(&mut stack, &value)?;
            }
            Event::Decl(decl) => {
                if let Some(enc) = decl.encoding() {
                    let enc = enc.map_err(malformed)?;
                    let enc = String::from_utf8_lossy(&enc).to_string();
                    if !enc.eq_ignore_ascii_case("utf-8") {
                        return Err(XmlError::Encoding(borne(&enc)));
                    }
                }
            }
            Event::DocType(_) => return Err(XmlError::Doctype),
            Event::Comment(_) | Event::PI(_) => {}
            Event::Eof => break,
        }
    }
    if !stack.is_empty() {
        return Err(XmlError::Malformed(format!(
            "élément {} non fermé",
            borne(stack.last().map(|e| e.name.as_str()).unwrap_or(""))
        )));
    }
    root.ok_or(XmlError::Empty)
}

/// What an error quotes of the input: enough to find the place, never a whole hostile payload.
fn borne(s: &str) -> String {
    crate::text::extrait(s, 200)
}

/// A reader error in words that quote markup (tag names, prefixes) but never character data:
/// an entity or a text the parser choked on may be a name or a birth date, and the message ends
/// up in a fault and a log line.
fn malformed(e: impl Into<quick_xml::Error>) -> XmlError {
    use quick_xml::errors::{Error, IllFormedError};
    let text = match e.into() {
        Error::Syntax(s) => format!("syntaxe invalide ({s})"),
        Error::IllFormed(IllFormedError::MissingEndTag(n)) => format!("élément {} non fermé", borne(&n)),
        Error::IllFormed(IllFormedError::UnmatchedEndTag(n)) => {
            format!("balise fermante {} sans balise ouvrante", borne(&n))
        }
        Error::IllFormed(IllFormedError::MismatchedEndTag { expected, found }) => {
            format!("balise fermante {} au lieu de {}", borne(&found), borne(&expected))
        }
        Error::IllFormed(_) => "document mal formé".to_string(),
        Error::InvalidAttr(a) => format!("attribut invalide ({a})"),
        Error::Encoding(_) => "octets invalides pour l'encodage UTF-8".to_string(),
        Error::Escape(_) => "référence d'entité ou de caractère inconnue ou invalide".to_string(),
        Error::Namespace(n) => format!("espace de noms invalide ({})", borne(&n.to_string())),
        Error::Io(_) => "lecture interrompue".to_string(),
    };
    XmlError::Malformed(text)
}

fn push_text(stack: &mut [Element], value: &str) -> Result<(), XmlError> {
    match stack.last_mut() {
        Some(parent) => {
            if let Some(Node::Text(prev)) = parent.children.last_mut() {
                prev.push_str(value);
            } else {
                parent.children.push(Node::Text(value.to_string()));
            }
            Ok(())
        }
        None if value.trim().is_empty() => Ok(()),
        None => Err(XmlError::Malformed("texte hors de l'élément racine".into())),
    }
}

fn attach(stack: &mut [Element], root: &mut Option<Element>, element: Element) {
    match stack.last_mut() {
        Some(parent) => parent.children.push(Node::Element(element)),
        None => *root = Some(element),
    }
}

fn namespace(resolved: &ResolveResult) -> Result<Option<String>, XmlError> {
    match resolved {
        ResolveResult::Bound(ns) => Ok(Some(utf8(ns.as_ref())?)),
        ResolveResult::Unbound => Ok(None),
        ResolveResult::Unknown(prefix) => Err(XmlError::Malformed(format!(
            "préfixe d'espace de noms non déclaré : {}",
            borne(&String::from_utf8_lossy(prefix))
        ))),
    }
}

fn utf8(bytes: &[u8]) -> Result<String, XmlError> {
    std::str::from_utf8(bytes).map(str::to_string).map_err(|_| XmlError::Malformed("contenu non UTF-8".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_namespaces_and_attributes() {
        let doc = br#"<?xml version="1.0" encoding="UTF-8"?>
<ns2:a xmlns:ns2="urn:x" xmlns:p="urn:p"><b p:m="true" c="1">t&amp;u</b><ns2:c/></ns2:a>"#;
        let root = parse(doc, Limits::default()).unwrap();
        assert!(root.is(Some("urn:x"), "a"));
        let b = root.child("b").unwrap();
        assert_eq!(b.ns, None);
        assert_eq!(b.text(), "t&u");
        assert_eq!(b.attribute("c"), Some("1"));
        assert_eq!(b.attributes[0].ns.as_deref(), Some("urn:p"));
        assert!(root.child("c").unwrap().is(Some("urn:x"), "c"));
    }

    #[test]
    fn refuses_doctype() {
        let doc = br#"<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>"#;
        assert_eq!(parse(doc, Limits::default()), Err(XmlError::Doctype));
    }

    #[test]
    fn refuses_depth_and_attributes_beyond_limits() {
        let deep = "<a>".repeat(10) + &"</a>".repeat(10);
        let limits = Limits { max_depth: 9, max_attributes: 2 };
        assert_eq!(parse(deep.as_bytes(), limits), Err(XmlError::TooDeep { limit: 9 }));
        let err = parse(br#"<a x="1" y="2" z="3"/>"#, limits).unwrap_err();
        assert!(err.to_string().contains("plus de 2 attributs"), "{err}");
    }

    #[test]
    fn reader_errors_never_quote_character_data() {
        let doc = "<a><nom>LEFEBVRE &MARTIN-née-1980-01-31;</nom></a>";
        let err = parse(doc.as_bytes(), Limits::default()).unwrap_err().to_string();
        assert!(err.contains("entité") && !err.contains("MARTIN") && !err.contains("1980"), "{err}");
        let err = parse(b"<a><b></c></a>", Limits::default()).unwrap_err().to_string();
        assert!(err.contains("c") && err.contains("au lieu de b"), "{err}");
    }

    #[test]
    fn refuses_malformed_and_trailing() {
        assert!(matches!(parse(b"<a><b></a>", Limits::default()), Err(XmlError::Malformed(_))));
        assert_eq!(parse(b"<a/><b/>", Limits::default()), Err(XmlError::TrailingContent));
        assert_eq!(parse(b"  ", Limits::default()), Err(XmlError::Empty));
        assert!(matches!(parse(b"<p:a/>", Limits::default()), Err(XmlError::Malformed(_))));
    }
}
