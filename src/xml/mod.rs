//! A hardened XML reader shared by the SOAP and contract layers.
//!
//! It turns bytes into a small namespace-resolved tree and enforces the limits that keep hostile
//! input cheap to refuse: no DOCTYPE (so no entity expansion), a maximum nesting depth and a
//! maximum attribute count per element. It knows nothing of SOAP or of housing. [`indenter`]
//! lays a document it reads out for people (the console's exchange view).

mod indente;

pub use indente::{indenter, Indente, Place};

use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use quick_xml::NsReader;
use std::sync::Arc;

/// A namespace name, shared by every element and attribute of a document that uses it: a long
/// namespace inherited by many elements is stored once, not once per element.
pub type Ns = Arc<str>;

/// Limits applied while reading a document. Together they bound what a tree costs: see
/// [`COST_FACTOR`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Deepest element nesting accepted (the root element is depth 1).
    pub max_depth: usize,
    /// Most attributes (namespace declarations included) accepted on one element.
    pub max_attributes: usize,
    /// Most nodes (elements and text nodes) in the whole document.
    pub max_nodes: usize,
    /// Most attributes (namespace declarations excluded) in the whole document.
    pub max_total_attributes: usize,
    /// Most bytes of character data (after unescaping) in the whole document.
    pub max_text_bytes: usize,
    /// Most namespace declarations (`xmlns`, `xmlns:p`) in the whole document.
    pub max_namespace_declarations: usize,
}

impl Limits {
    /// The defaults, usable in constants. The contract's largest file has a few hundred
    /// elements; inline base64 can make one text node as large as the body limit.
    pub const DEFAULT: Limits = Limits {
        max_depth: 64,
        max_attributes: 32,
        max_nodes: 20_000,
        max_total_attributes: 20_000,
        max_text_bytes: 10 * 1024 * 1024,
        max_namespace_declarations: 64,
    };
}

impl Limits {
    /// These depth and per-element limits without the per-document counts: for re-reading a
    /// document that already passed its counts, or for testing what lies behind them.
    pub const fn uncounted(max_depth: usize, max_attributes: usize) -> Limits {
        Limits {
            max_depth,
            max_attributes,
            max_nodes: usize::MAX,
            max_total_attributes: usize::MAX,
            max_text_bytes: usize::MAX,
            max_namespace_declarations: usize::MAX,
        }
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits::DEFAULT
    }
}

/// The invariant ARCHITECTURE.md states and `tests/memory_bound.rs` checks with a counting
/// allocator: reading a document of `n` bytes allocates at its peak at most `COST_FACTOR * n +`
/// [`COST_CONSTANT`] bytes, whatever the document and even with every count limit lifted. A node
/// costs a fixed-size struct (about 100 bytes) and needs at least four bytes of markup (`<a/>`);
/// the vector of an open element's children grows by doubling, and a reallocation holds the old
/// and the new block at once; vectors are trimmed when their element closes, and namespace names
/// are shared ([`Ns`]), never copied per element. The count limits then cap the absolute cost:
/// with the defaults, a few megabytes per document.
pub const COST_FACTOR: usize = 128;
/// See [`COST_FACTOR`].
pub const COST_CONSTANT: usize = 64 * 1024;

/// Longest namespace name accepted. Real ones are URIs of a few dozen characters; a longer one
/// would make every namespace comparison a long memory scan.
pub const MAX_NAMESPACE_BYTES: usize = 2048;

/// Why a document was refused. Messages are in French: they end up in SOAP faults read by counters.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum XmlError {
    /// The bytes are not well-formed XML.
    #[error("XML mal formé : {0}")]
    Malformed(String),
    /// A DOCTYPE declaration was present.
    #[error("XML refusé : les déclarations DOCTYPE sont interdites")]
    Doctype,
    /// The nesting went deeper than allowed.
    #[error("XML refusé : profondeur d'imbrication supérieure à la limite de {limit} niveaux (limits.max_xml_depth)")]
    TooDeep {
        /// The configured limit.
        limit: usize,
    },
    /// An element carried too many attributes.
    #[error("XML refusé : l'élément {element} porte plus de {limit} attributs (limite limits.max_xml_attributes)")]
    TooManyAttributes {
        /// Local name of the element.
        element: String,
        /// The configured limit.
        limit: usize,
    },
    /// The document holds too many nodes.
    #[error("XML refusé : plus de {limit} nœuds (éléments et textes) dans le document (limite limits.max_xml_nodes)")]
    TooManyNodes {
        /// The configured limit.
        limit: usize,
    },
    /// The document holds too many attributes in all.
    #[error("XML refusé : plus de {limit} attributs dans le document (limite limits.max_xml_total_attributes)")]
    TooManyTotalAttributes {
        /// The configured limit.
        limit: usize,
    },
    /// The document holds too much character data.
    #[error("XML refusé : plus de {limit} octets de texte dans le document (limite limits.max_xml_text_bytes)")]
    TooMuchText {
        /// The configured limit.
        limit: usize,
    },
    /// The document declares too many namespaces.
    #[error("XML refusé : plus de {limit} déclarations d'espace de noms dans le document (limite limits.max_xml_namespace_declarations)")]
    TooManyNamespaceDeclarations {
        /// The configured limit.
        limit: usize,
    },
    /// A namespace name is longer than any real one.
    #[error("XML refusé : nom d'espace de noms de plus de {MAX_NAMESPACE_BYTES} octets")]
    NamespaceTooLong,
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

impl XmlError {
    /// The configuration key of the limit this error enforces, if it is one.
    pub fn limit_key(&self) -> Option<&'static str> {
        match self {
            XmlError::TooDeep { .. } => Some("limits.max_xml_depth"),
            XmlError::TooManyAttributes { .. } => Some("limits.max_xml_attributes"),
            XmlError::TooManyNodes { .. } => Some("limits.max_xml_nodes"),
            XmlError::TooManyTotalAttributes { .. } => Some("limits.max_xml_total_attributes"),
            XmlError::TooMuchText { .. } => Some("limits.max_xml_text_bytes"),
            XmlError::TooManyNamespaceDeclarations { .. } => Some("limits.max_xml_namespace_declarations"),
            _ => None,
        }
    }
}

/// An attribute with its resolved namespace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribute {
    /// Namespace URI, `None` for unqualified attributes.
    pub ns: Option<Ns>,
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
    pub ns: Option<Ns>,
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

/// What a document has cost so far, against its limits.
struct Budget {
    limits: Limits,
    nodes: usize,
    attributes: usize,
    text_bytes: usize,
    declarations: usize,
    /// Namespace names seen, each stored once. Bounded by the declaration limit.
    names: Vec<Ns>,
}

impl Budget {
    fn node(&mut self) -> Result<(), XmlError> {
        self.nodes += 1;
        if self.nodes > self.limits.max_nodes {
            return Err(XmlError::TooManyNodes { limit: self.limits.max_nodes });
        }
        Ok(())
    }

    fn attribute(&mut self) -> Result<(), XmlError> {
        self.attributes += 1;
        if self.attributes > self.limits.max_total_attributes {
            return Err(XmlError::TooManyTotalAttributes { limit: self.limits.max_total_attributes });
        }
        Ok(())
    }

    fn text(&mut self, len: usize) -> Result<(), XmlError> {
        self.text_bytes += len;
        if self.text_bytes > self.limits.max_text_bytes {
            return Err(XmlError::TooMuchText { limit: self.limits.max_text_bytes });
        }
        Ok(())
    }

    fn declaration(&mut self, value_len: usize) -> Result<(), XmlError> {
        self.declarations += 1;
        if self.declarations > self.limits.max_namespace_declarations {
            return Err(XmlError::TooManyNamespaceDeclarations { limit: self.limits.max_namespace_declarations });
        }
        if value_len > MAX_NAMESPACE_BYTES {
            return Err(XmlError::NamespaceTooLong);
        }
        Ok(())
    }

    /// The shared name for a resolved namespace.
    fn namespace(&mut self, resolved: &ResolveResult) -> Result<Option<Ns>, XmlError> {
        match resolved {
            ResolveResult::Bound(ns) => {
                let bytes = ns.as_ref();
                // Most documents use two or three namespaces: the most recent first.
                if let Some(found) = self.names.iter().rev().find(|n| n.as_bytes() == bytes) {
                    return Ok(Some(found.clone()));
                }
                let name: Ns = Arc::from(std::str::from_utf8(bytes).map_err(|_| non_utf8())?);
                self.names.push(name.clone());
                Ok(Some(name))
            }
            ResolveResult::Unbound => Ok(None),
            ResolveResult::Unknown(prefix) => Err(XmlError::Malformed(format!(
                "préfixe d'espace de noms non déclaré : {}",
                borne(&String::from_utf8_lossy(prefix))
            ))),
        }
    }
}

/// Reads a whole document into its root element, enforcing `limits`.
pub fn parse(bytes: &[u8], limits: Limits) -> Result<Element, XmlError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = NsReader::from_reader(bytes);
    reader.config_mut().trim_text(false);
    reader.config_mut().check_end_names = true;
    let mut budget = Budget { limits, nodes: 0, attributes: 0, text_bytes: 0, declarations: 0, names: Vec::new() };
    // Open elements, each with where its children start in `kids`: the children of every open
    // element wait there and are moved into a vector of their exact size when it closes (no
    // growth by doubling, no trimming: a quarter of the parse's time was reallocations).
    let mut stack: Vec<(Element, usize)> = Vec::new();
    let mut kids: Vec<Node> = Vec::new();
    let mut attrs: Vec<Attribute> = Vec::new();
    let mut root: Option<Element> = None;
    loop {
        // Where the event starts: parser errors say the line and column.
        let debut = reader.buffer_position();
        let malformed = |e: quick_xml::Error| malformed(e, bytes, debut);
        let (resolved, event) = reader.read_resolved_event().map_err(malformed)?;
        match event {
            Event::Start(_) | Event::Empty(_) if root.is_some() && stack.is_empty() => {
                return Err(XmlError::TrailingContent);
            }
            Event::Start(ref start) | Event::Empty(ref start) => {
                if stack.len() + 1 > limits.max_depth {
                    return Err(XmlError::TooDeep { limit: limits.max_depth });
                }
                budget.node()?;
                let name = utf8(start.local_name().as_ref())?;
                let ns = budget.namespace(&resolved)?;
                attrs.clear();
                let mut count = 0usize;
                for attr in start.attributes() {
                    let attr = attr.map_err(|e| malformed(e.into()))?;
                    count += 1;
                    if count > limits.max_attributes {
                        return Err(XmlError::TooManyAttributes {
                            element: borne(&name),
                            limit: limits.max_attributes,
                        });
                    }
                    let key = attr.key;
                    if key.as_namespace_binding().is_some() {
                        budget.declaration(attr.value.len())?;
                        continue;
                    }
                    budget.attribute()?;
                    let (attr_ns, local) = reader.resolve_attribute(key);
                    let value = attr.unescape_value().map_err(malformed)?;
                    budget.text(value.len())?;
                    attrs.push(Attribute {
                        ns: budget.namespace(&attr_ns)?,
                        name: utf8(local.as_ref())?,
                        value: value.into_owned(),
                    });
                }
                // Collected, not taken: a vector of their exact number, the scratch one kept.
                #[allow(clippy::drain_collect)]
                let attributes = attrs.drain(..).collect();
                let element = Element { ns, name, attributes, children: Vec::new() };
                if matches!(event, Event::Empty(_)) {
                    attach(&stack, &mut kids, &mut root, element);
                } else {
                    stack.push((element, kids.len()));
                }
            }
            Event::End(_) => {
                let (mut element, debut) =
                    stack.pop().ok_or_else(|| XmlError::Malformed("balise fermante sans balise ouvrante".into()))?;
                // Exactly as many as there are: a node costs its own size and the bound in
                // `COST_FACTOR` holds.
                element.children = kids.drain(debut..).collect();
                attach(&stack, &mut kids, &mut root, element);
            }
            Event::Text(text) => {
                let value = text.unescape().map_err(malformed)?;
                push_text(&stack, &mut kids, &value, &mut budget)?;
            }
            Event::CData(data) => {
                let value = utf8(&data.into_inner())?;
                push_text(&stack, &mut kids, &value, &mut budget)?;
            }
            Event::Decl(decl) => {
                if let Some(enc) = decl.encoding() {
                    let enc = enc.map_err(|e| malformed(e.into()))?;
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
            borne(stack.last().map(|(e, _)| e.name.as_str()).unwrap_or(""))
        )));
    }
    root.ok_or(XmlError::Empty)
}

/// The namespace and local name of the first child element under `path` (local names from the
/// root down, each in one of the namespaces `path_ns`), read without building anything, or `None` when the document does not get that
/// far or is malformed on the way (the full [`parse`] then says why). This is how a server
/// recognises an operation before it spends memory on a request it would refuse.
pub fn first_child_at(bytes: &[u8], path: &[&str], path_ns: &[&str]) -> Option<(Option<String>, String)> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = NsReader::from_reader(bytes);
    // How many elements of `path` are open, and how deep we are inside a subtree we skip.
    let mut matched = 0usize;
    let mut skipping = 0usize;
    loop {
        let (resolved, event) = reader.read_resolved_event().ok()?;
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(event, Event::Empty(_));
                if skipping > 0 {
                    skipping += usize::from(!empty);
                    continue;
                }
                if matched == path.len() {
                    let ns = match resolved {
                        ResolveResult::Bound(ns) => Some(std::str::from_utf8(ns.as_ref()).ok()?.to_string()),
                        ResolveResult::Unbound => None,
                        ResolveResult::Unknown(_) => return None,
                    };
                    return Some((ns, std::str::from_utf8(e.local_name().as_ref()).ok()?.to_string()));
                }
                let in_path_ns =
                    matches!(resolved, ResolveResult::Bound(ns) if path_ns.iter().any(|p| p.as_bytes() == ns.as_ref()));
                if e.local_name().as_ref() == path[matched].as_bytes() && in_path_ns {
                    if empty {
                        return None;
                    }
                    matched += 1;
                } else if matched == 0 {
                    return None;
                } else if !empty {
                    skipping = 1;
                }
            }
            Event::End(_) if skipping > 0 => skipping -= 1,
            Event::End(_) => return None,
            Event::DocType(_) | Event::Eof => return None,
            _ => {}
        }
    }
}

/// What an error quotes of the input: enough to find the place, never a whole hostile payload.
fn borne(s: &str) -> String {
    crate::text::extrait(s, 200)
}

/// A reader error in words that quote markup (tag names, prefixes) but never character data:
/// an entity or a text the parser choked on may be a name or a birth date, and the message ends
/// up in a fault and a log line.
fn malformed(e: quick_xml::Error, document: &[u8], position: u64) -> XmlError {
    use quick_xml::errors::{Error, IllFormedError, SyntaxError};
    use quick_xml::events::attributes::AttrError;
    let text = match e {
        Error::Syntax(s) => match s {
            SyntaxError::InvalidBangMarkup => "balise <! invalide (commentaire, CDATA ou DOCTYPE attendu)".to_string(),
            SyntaxError::UnclosedPIOrXmlDecl => {
                "instruction de traitement ou déclaration XML non fermée (?> attendu)".to_string()
            }
            SyntaxError::UnclosedComment => "commentaire non fermé (--> attendu)".to_string(),
            SyntaxError::UnclosedDoctype => "DOCTYPE non fermé".to_string(),
            SyntaxError::UnclosedCData => "section CDATA non fermée (]]> attendu)".to_string(),
            SyntaxError::UnclosedTag => "balise non fermée (> attendu)".to_string(),
        },
        Error::IllFormed(IllFormedError::MissingEndTag(n)) => format!("élément {} non fermé", borne(&n)),
        Error::IllFormed(IllFormedError::UnmatchedEndTag(n)) => {
            format!("balise fermante {} sans balise ouvrante", borne(&n))
        }
        Error::IllFormed(IllFormedError::MismatchedEndTag { expected, found }) => {
            format!("balise fermante {} au lieu de {}", borne(&found), borne(&expected))
        }
        Error::IllFormed(IllFormedError::DoubleHyphenInComment) => "« -- » interdit dans un commentaire".to_string(),
        Error::IllFormed(_) => "document mal formé".to_string(),
        Error::InvalidAttr(a) => match a {
            AttrError::ExpectedEq(_) => "attribut sans « = »".to_string(),
            AttrError::ExpectedValue(_) => "attribut sans valeur".to_string(),
            AttrError::UnquotedValue(_) => "valeur d'attribut sans guillemets".to_string(),
            AttrError::ExpectedQuote(_, _) => "valeur d'attribut non fermée (guillemet attendu)".to_string(),
            AttrError::Duplicated(_, _) => "attribut répété sur un même élément".to_string(),
        },
        Error::Encoding(_) => "octets invalides pour l'encodage UTF-8".to_string(),
        Error::Escape(_) => "référence d'entité ou de caractère inconnue ou invalide".to_string(),
        Error::Namespace(n) => format!("espace de noms invalide ({})", borne(&n.to_string())),
        Error::Io(_) => "lecture interrompue".to_string(),
    };
    let (ligne, colonne) = ligne_colonne(document, position);
    XmlError::Malformed(format!("{text}, ligne {ligne}, colonne {colonne}"))
}

/// Line and column (from 1, in characters) of byte `position` of `document`.
pub fn ligne_colonne(document: &[u8], position: u64) -> (usize, usize) {
    let avant = &document[..(position as usize).min(document.len())];
    let ligne = memchr::memchr_iter(b'\n', avant).count() + 1;
    let debut = memchr::memrchr(b'\n', avant).map_or(0, |i| i + 1);
    let colonne = String::from_utf8_lossy(&avant[debut..]).chars().count() + 1;
    (ligne, colonne)
}

fn push_text(
    stack: &[(Element, usize)],
    kids: &mut Vec<Node>,
    value: &str,
    budget: &mut Budget,
) -> Result<(), XmlError> {
    match stack.last() {
        Some(&(_, debut)) => {
            budget.text(value.len())?;
            // Text following text of the same element (around a comment) joins it.
            if kids.len() > debut {
                if let Some(Node::Text(prev)) = kids.last_mut() {
                    prev.push_str(value);
                    return Ok(());
                }
            }
            budget.node()?;
            kids.push(Node::Text(value.to_string()));
            Ok(())
        }
        None if value.trim().is_empty() => Ok(()),
        None => Err(XmlError::Malformed("texte hors de l'élément racine".into())),
    }
}

fn attach(stack: &[(Element, usize)], kids: &mut Vec<Node>, root: &mut Option<Element>, element: Element) {
    match stack.last() {
        Some(_) => kids.push(Node::Element(element)),
        None => *root = Some(element),
    }
}

fn non_utf8() -> XmlError {
    XmlError::Malformed("contenu non UTF-8".into())
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
        let limits = Limits { max_depth: 9, max_attributes: 2, ..Limits::DEFAULT };
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
    fn counts_nodes_attributes_text_and_declarations_against_their_limits() {
        let l = |f: fn(&mut Limits)| {
            let mut l = Limits::DEFAULT;
            f(&mut l);
            l
        };
        let doc = r#"<a xmlns="urn:a" xmlns:p="urn:p" x="1"><b p:y="2">texte</b><c/> </a>"#.as_bytes();
        // Elements a, b, c and the texts "texte" and " ": five nodes.
        assert!(parse(doc, l(|l| l.max_nodes = 5)).is_ok());
        let err = parse(doc, l(|l| l.max_nodes = 4)).unwrap_err();
        assert_eq!(err, XmlError::TooManyNodes { limit: 4 });
        assert!(err.to_string().contains("limits.max_xml_nodes"), "{err}");
        assert!(parse(doc, l(|l| l.max_total_attributes = 2)).is_ok());
        assert_eq!(parse(doc, l(|l| l.max_total_attributes = 1)), Err(XmlError::TooManyTotalAttributes { limit: 1 }));
        // Attribute values count as text: "1", "2", "texte", " ".
        assert!(parse(doc, l(|l| l.max_text_bytes = 8)).is_ok());
        assert_eq!(parse(doc, l(|l| l.max_text_bytes = 7)), Err(XmlError::TooMuchText { limit: 7 }));
        assert!(parse(doc, l(|l| l.max_namespace_declarations = 2)).is_ok());
        assert_eq!(
            parse(doc, l(|l| l.max_namespace_declarations = 1)),
            Err(XmlError::TooManyNamespaceDeclarations { limit: 1 })
        );
        let long = format!("<a xmlns='urn:{}'/>", "x".repeat(MAX_NAMESPACE_BYTES));
        assert_eq!(parse(long.as_bytes(), Limits::DEFAULT), Err(XmlError::NamespaceTooLong));
    }

    #[test]
    fn finds_the_first_child_under_a_path_without_reading_further() {
        let path = ["Envelope", "Body"];
        let doc = br#"<e:Envelope xmlns:e="urn:e"><e:Header><h><e:Body/></h></e:Header><e:Body><w:op xmlns:w="urn:w">"#;
        // The document is cut after the wrapper's start tag: nothing past it is read.
        assert_eq!(first_child_at(doc, &path, &["urn:e"]), Some((Some("urn:w".into()), "op".into())));
        assert_eq!(first_child_at(doc, &path, &["urn:autre"]), None);
        let e = |d: &str| first_child_at(d.as_bytes(), &path, &["urn:e"]);
        assert_eq!(e("<Envelope xmlns='urn:e'><Body/></Envelope>"), None);
        assert_eq!(e("<Other xmlns='urn:e'><Body><x/></Body></Other>"), None);
        assert_eq!(e("<Envelope xmlns='urn:e'><Body>"), None);
        assert_eq!(e("<Envelope xmlns='urn:e'><Body><x/></Body></Envelope>"), Some((Some("urn:e".into()), "x".into())));
    }

    #[test]
    fn elements_share_their_namespace_name() {
        let ns = "urn:".to_string() + &"n".repeat(1000);
        let doc = format!("<a xmlns='{ns}'><b/><c x='1'/></a>");
        let root = parse(doc.as_bytes(), Limits::DEFAULT).unwrap();
        let a = root.ns.clone().unwrap();
        for child in root.elements() {
            assert!(Arc::ptr_eq(&a, child.ns.as_ref().unwrap()), "{} copies the namespace", child.name);
        }
    }

    #[test]
    fn refuses_malformed_and_trailing() {
        assert!(matches!(parse(b"<a><b></a>", Limits::default()), Err(XmlError::Malformed(_))));
        assert_eq!(parse(b"<a/><b/>", Limits::default()), Err(XmlError::TrailingContent));
        assert_eq!(parse(b"  ", Limits::default()), Err(XmlError::Empty));
        assert!(matches!(parse(b"<p:a/>", Limits::default()), Err(XmlError::Malformed(_))));
    }
}
