//! The SOAP layer: a sans-IO codec between HTTP bodies and operation wrappers.
//!
//! **It does no IO and knows nothing of housing.** [`decode`] takes the HTTP Content-Type, the
//! `SOAPAction` header and the body bytes, and returns a fully recognised [`Envelope`] — SOAP
//! 1.1 or 1.2, plain or MTOM/XOP, every `xop:Include` replaced by the bytes of the part it
//! names — or a typed [`SoapError`] whose French message becomes a `Sender` fault. Limits
//! ([`Limits`]) are enforced inside it. [`encode_response`] and [`encode_fault`] write into a
//! buffer and return it with its Content-Type; the caller (HTTP layer) sends it.
//!
//! Documents too large to hold go through [`StreamingDecoder`], fed the body in chunks: it
//! yields the envelope (Includes left in place, see [`include_reference`]), then the bytes of
//! each part an Include names, as they come. [`encode_streamed_response`] writes an MTOM answer
//! but for one part's content, which the caller streams between its head and its tail.
//!
//! Operation names, wrapper namespaces and fault detail elements are the caller's: nothing of
//! the registry contract is named here, so the layer can be tested with byte fixtures alone.

mod content_type;
mod envelope;
mod error;
mod fault;
mod mtom;
#[cfg(test)]
mod tests;

use bytes::Bytes;

use crate::xml::{self, Element, Node};

pub use content_type::ContentType;
pub use envelope::{SoapVersion, SOAP11_NS, SOAP12_NS, XOP_NS};
pub use error::SoapError;
pub use fault::{encode_fault, Fault, FaultCode, FaultDetail};

pub use mtom::stream::{Event, StreamingDecoder};
pub use mtom::{include_reference, PartHead};

use crate::text::extrait as truncate;
use envelope::{push_attr, push_text, read_envelope, single_child, write_envelope, RawEnvelope};
use mtom::whole::{resolver, split_parts};
use mtom::write::{Attachment, StreamedPart};
use mtom::{include_href, is_include, strip_brackets, walk_includes};

/// Limits the codec enforces while decoding.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Limits of the XML reader (depth, attributes), applied to the envelope.
    pub xml: xml::Limits,
    /// Most parts accepted in a multipart message. The contract's largest request has four
    /// (root, file, certificate, maybe one more): 16 leaves room without inviting floods.
    pub max_parts: usize,
    /// Largest header block of one part, in bytes.
    pub max_part_header_bytes: usize,
    /// Largest root part (the SOAP envelope, before its transfer encoding is undone) that
    /// [`StreamingDecoder`] holds, in bytes. The whole-body reader is bounded by the body itself;
    /// a streamed upload is not, and its envelope only holds names and Includes.
    pub max_root_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { xml: xml::Limits::default(), max_parts: 16, max_part_header_bytes: 8 * 1024, max_root_bytes: 1 << 20 }
    }
}

/// A recognised request envelope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Envelope {
    /// SOAP version of the request (answer in the same).
    pub version: SoapVersion,
    /// True when the request was multipart/related (MTOM/XOP): answer in MTOM too.
    pub mtom: bool,
    /// The action as received (quotes stripped): full URI or bare operation name.
    pub action: Option<String>,
    /// The SOAP Header, if any.
    pub header: Option<Element>,
    /// The single Body child (operation wrapper), every `xop:Include` replaced by
    /// [`Node::Binary`] ([`StreamingDecoder`] leaves them in place).
    pub body: Element,
}

impl Envelope {
    /// Operation name named by the action: last segment after '/' or '#', quotes stripped;
    /// `None` if no action.
    pub fn action_operation(&self) -> Option<&str> {
        self.action.as_deref().and_then(operation_of)
    }
}

/// The operation an action names: its last segment after '/' or '#'.
fn operation_of(action: &str) -> Option<&str> {
    let a = action.trim().trim_matches('"').trim().trim_end_matches('/');
    a.rsplit(['/', '#']).next().filter(|op| !op.is_empty())
}

/// Collects the actions a request carries (Content-Type parameters, SOAPAction header) and
/// insists they name one operation: dispatch must not depend on which one a reader picks.
#[derive(Default)]
struct Actions {
    first: Option<String>,
}

impl Actions {
    fn add(&mut self, candidate: Option<&str>) -> Result<(), SoapError> {
        let Some(candidate) = candidate.map(|a| a.trim().trim_matches('"').trim()) else {
            return Ok(());
        };
        if candidate.is_empty() {
            return Ok(());
        }
        match &self.first {
            None => self.first = Some(candidate.to_string()),
            Some(first) => {
                let same = first == candidate
                    || matches!((operation_of(first), operation_of(candidate)), (Some(a), Some(b)) if a == b);
                if !same {
                    return Err(SoapError::ActionMismatch {
                        first: truncate(first, 200),
                        second: truncate(candidate, 200),
                    });
                }
            }
        }
        Ok(())
    }
}

/// Reads a request. `content_type`: the HTTP Content-Type; `soap_action`: the HTTP SOAPAction
/// header if any. Any Body wrapper is accepted; see [`decode_for`].
pub fn decode(
    content_type: &str,
    soap_action: Option<&str>,
    body: &[u8],
    limits: &Limits,
) -> Result<Envelope, SoapError> {
    decode_for(content_type, soap_action, body, limits, None)
}

/// The Body wrappers a service accepts, as (namespace, local name).
pub type Wrappers<'a> = &'a [(&'a str, &'a str)];

/// Reads a request whose Body wrapper is one of `wrappers` (any, when `None`). The wrapper is
/// recognised from its start tag, before the envelope is built: an unknown operation costs a
/// scan of the bytes, never a tree.
pub fn decode_for(
    content_type: &str,
    soap_action: Option<&str>,
    body: &[u8],
    limits: &Limits,
    wrappers: Option<Wrappers<'_>>,
) -> Result<Envelope, SoapError> {
    let ct = ContentType::parse(content_type)?;
    match ct.essence() {
        "application/soap+xml" | "text/xml" => {
            let declared = SoapVersion::from_media_type(ct.essence());
            check_wrapper(body, wrappers)?;
            let raw = read_envelope(body, declared, limits.xml)?;
            let mut actions = Actions::default();
            let params = [ct.param("action")];
            add_actions(&mut actions, raw.version, &params, soap_action)?;
            finish(raw, false, actions, &mut |_| Err(SoapError::IncludeOutsideMultipart))
        }
        "multipart/related" => decode_multipart(&ct, soap_action, body, limits, wrappers),
        _ => Err(SoapError::UnsupportedContentType(truncate(content_type, 200))),
    }
}

/// Adds the actions in the order that makes the returned one the version's own: Content-Type
/// parameters first for SOAP 1.2, the SOAPAction header first for SOAP 1.1.
fn add_actions(
    actions: &mut Actions,
    version: SoapVersion,
    params: &[Option<&str>],
    soap_action: Option<&str>,
) -> Result<(), SoapError> {
    if version == SoapVersion::V11 {
        actions.add(soap_action)?;
    }
    for p in params {
        actions.add(*p)?;
    }
    if version == SoapVersion::V12 {
        actions.add(soap_action)?;
    }
    Ok(())
}

fn decode_multipart(
    ct: &ContentType,
    soap_action: Option<&str>,
    body: &[u8],
    limits: &Limits,
    wrappers: Option<Wrappers<'_>>,
) -> Result<Envelope, SoapError> {
    let boundary = ct.param("boundary").filter(|b| !b.is_empty()).ok_or(SoapError::MissingBoundary)?;
    let data = Bytes::copy_from_slice(body);
    let parts = split_parts(&data, boundary, limits.max_parts, limits.max_part_header_bytes)?;
    let root = root_of(ct, &parts)?;
    let (raw, actions) = read_root(ct, &root.head, || root.decoded(), soap_action, limits, wrappers)?;
    let mut resolve = resolver(&parts);
    finish(raw, true, actions, &mut resolve)
}

/// The envelope's own bytes as received, for a reader to look at: the whole body of a plain
/// message, the root part of a multipart package (its transfer encoding undone). Nothing is
/// checked beyond what finding the root part needs.
pub fn root_part(content_type: &str, body: &[u8], limits: &Limits) -> Result<Bytes, SoapError> {
    let ct = ContentType::parse(content_type)?;
    if ct.essence() != "multipart/related" {
        return Ok(Bytes::copy_from_slice(body));
    }
    let boundary = ct.param("boundary").filter(|b| !b.is_empty()).ok_or(SoapError::MissingBoundary)?;
    let data = Bytes::copy_from_slice(body);
    let parts = split_parts(&data, boundary, limits.max_parts, limits.max_part_header_bytes)?;
    root_of(&ct, &parts)?.decoded()
}

/// The root part of a package: the one `start` names, else the first.
fn root_of<'p>(ct: &ContentType, parts: &'p [mtom::whole::Part]) -> Result<&'p mtom::whole::Part, SoapError> {
    match ct.param("start").map(strip_brackets).filter(|s| !s.is_empty()) {
        Some(start) => {
            parts.iter().find(|p| p.is_named(start)).ok_or_else(|| SoapError::StartNotFound(truncate(start, 100)))
        }
        // `split_parts` returns at least one part.
        None => Ok(&parts[0]),
    }
}

/// The envelope of a streamed upload, whose root part `head` arrived as `raw`, and the `cid:`
/// references of its Includes, which are left in place: the parts come later.
fn streamed_envelope(
    ct: &ContentType,
    head: &PartHead,
    raw: &Bytes,
    soap_action: Option<&str>,
    limits: &Limits,
    wrappers: Option<Wrappers<'_>>,
) -> Result<(Envelope, Vec<String>), SoapError> {
    let (envelope, actions) = read_root(ct, head, || head.decode(raw), soap_action, limits, wrappers)?;
    let mut references = Vec::new();
    let envelope = finish(envelope, true, actions, &mut |include| {
        references.push(include_href(include)?.to_string());
        Ok(None)
    })?;
    Ok((envelope, references))
}

/// Reads the root part of a multipart package, whether the package was read whole or streamed:
/// its envelope, and the actions the package carries.
fn read_root(
    ct: &ContentType,
    root: &PartHead,
    decoded: impl FnOnce() -> Result<Bytes, SoapError>,
    soap_action: Option<&str>,
    limits: &Limits,
    wrappers: Option<Wrappers<'_>>,
) -> Result<(RawEnvelope, Actions), SoapError> {
    // `start-info` and the root part's `type` may carry their own parameters (some stacks put
    // `action` there), so they are parsed as Content-Types too.
    let start_info = ct.param("start-info").map(ContentType::parse).transpose()?;
    let root_ct = root.content_type.as_deref().map(ContentType::parse).transpose()?;
    let root_type = root_ct.as_ref().and_then(|c| c.param("type")).map(ContentType::parse).transpose()?;
    // In a multipart package the version labels (root `type`, `start-info`) are only hints:
    // toolkits such as node-soap label every package `text/xml` whatever they put in it. The
    // Envelope namespace decides, and the answer follows it.
    let root_bytes = decoded()?;
    check_wrapper(&root_bytes, wrappers)?;
    let raw = read_envelope(&root_bytes, None, limits.xml)?;
    let mut actions = Actions::default();
    let params = [
        ct.param("action"),
        start_info.as_ref().and_then(|s| s.param("action")),
        root_ct.as_ref().and_then(|c| c.param("action")),
        root_type.as_ref().and_then(|t| t.param("action")),
    ];
    add_actions(&mut actions, raw.version, &params, soap_action)?;
    Ok((raw, actions))
}

/// Refuses a Body wrapper outside `wrappers`, read from its start tag alone. A document that
/// does not get that far is left to the full reader, which says what is wrong with it.
fn check_wrapper(envelope: &[u8], wrappers: Option<Wrappers<'_>>) -> Result<(), SoapError> {
    let Some(wrappers) = wrappers else { return Ok(()) };
    let Some((ns, name)) = xml::first_child_at(envelope, &["Envelope", "Body"], &[SOAP12_NS, SOAP11_NS]) else {
        return Ok(());
    };
    if wrappers.iter().any(|(n, w)| ns.as_deref() == Some(*n) && name == *w) {
        return Ok(());
    }
    Err(SoapError::UnknownOperation {
        ns: truncate(ns.as_deref().unwrap_or(""), 100),
        name: truncate(&name, 100),
        expected: {
            let mut attendus: Vec<String> = wrappers.iter().map(|(n, w)| format!("{{{n}}}{w}")).collect();
            attendus.dedup();
            attendus.join(", ")
        },
    })
}

/// Checks the envelope's shape once `visit` has said what becomes of each `xop:Include` (see
/// [`walk_includes`]).
fn finish(
    raw: RawEnvelope,
    mtom: bool,
    actions: Actions,
    visit: &mut dyn FnMut(&Element) -> Result<Option<Bytes>, SoapError>,
) -> Result<Envelope, SoapError> {
    let mut header = raw.header;
    if let Some(h) = header.as_mut() {
        walk_includes(h, visit)?;
    }
    let mut body = raw.body;
    walk_includes(&mut body, visit)?;
    // An Include left for a streamed part must not pass for the operation wrapper; resolved, it
    // is binary, which `single_child` refuses as text.
    if body.elements().any(is_include) {
        return Err(SoapError::BodyText);
    }
    let body = single_child(body)?;
    Ok(Envelope { version: raw.version, mtom, action: actions.first, header, body })
}

/// Binary content of an element: [`Node::Binary`] from MTOM, or base64 text (any whitespace,
/// tolerant) -> bytes. Empty element -> empty bytes.
pub fn binary_content(element: &Element) -> Result<Bytes, SoapError> {
    let mut binary = None;
    let mut text = String::new();
    for node in &element.children {
        match node {
            Node::Binary(b) if binary.is_none() => binary = Some(b.clone()),
            Node::Text(t) => text.push_str(t),
            Node::Binary(_) => return Err(SoapError::IncludeMixedContent { element: truncate(&element.name, 100) }),
            Node::Element(_) => return Err(SoapError::NotBinary { element: truncate(&element.name, 100) }),
        }
    }
    match binary {
        Some(b) if text.trim().is_empty() => Ok(b),
        Some(_) => Err(SoapError::IncludeMixedContent { element: truncate(&element.name, 100) }),
        None => mtom::decode_base64(text.as_bytes())
            .map(Bytes::from)
            .map_err(|reason| SoapError::ElementBase64 { element: truncate(&element.name, 100), reason }),
    }
}

/// A response to write: `<ns2:WRAPPER xmlns:ns2="NS">` with unqualified children in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutMessage {
    /// Wrapper namespace.
    pub ns: String,
    /// Wrapper local name.
    pub wrapper: String,
    /// Children, in order.
    pub children: Vec<OutChild>,
}

/// A child of a response wrapper. Names must be XML names (the caller's constants).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutChild {
    /// Unqualified child with escaped text.
    Text {
        /// Local name.
        name: String,
        /// Text content.
        value: String,
    },
    /// Unqualified child with binary content: an MTOM attachment, or inline base64.
    Binary {
        /// Local name.
        name: String,
        /// The bytes.
        data: Bytes,
        /// Content-Type of the attachment part (MTOM only).
        content_type: String,
        /// How the attachment travels.
        kind: BinaryKind,
    },
    /// Unqualified child with attributes and children of its own (structured answers).
    Element {
        /// Local name.
        name: String,
        /// Attributes (unqualified), in order; values escaped on writing.
        attributes: Vec<(String, String)>,
        /// Children, in order.
        children: Vec<OutChild>,
    },
    /// Unqualified child whose binary content the caller streams: see
    /// [`encode_streamed_response`], which takes one. [`encode_response`] writes it empty.
    Streamed {
        /// Local name.
        name: String,
        /// Content-Type of the streamed part.
        content_type: String,
    },
}

impl OutChild {
    /// A text child.
    pub fn text(name: &str, value: impl Into<String>) -> OutChild {
        OutChild::Text { name: name.to_string(), value: value.into() }
    }

    /// An element child with `children`.
    pub fn element(name: &str, children: Vec<OutChild>) -> OutChild {
        OutChild::Element { name: name.to_string(), attributes: Vec::new(), children }
    }

    fn name(&self) -> &str {
        match self {
            OutChild::Text { name, .. }
            | OutChild::Binary { name, .. }
            | OutChild::Element { name, .. }
            | OutChild::Streamed { name, .. } => name,
        }
    }
}

/// How an MTOM attachment travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinaryKind {
    /// The attachment holds raw XML, sent as 8bit (clients search the raw response for it).
    Xml,
    /// Opaque bytes (e.g. PDF), sent with `Content-Transfer-Encoding: base64` because some
    /// clients decode the whole answer as UTF-8 text.
    Opaque,
}

/// Bytes to send and their Content-Type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Encoded {
    /// The HTTP Content-Type.
    pub content_type: String,
    /// The HTTP body.
    pub body: Vec<u8>,
}

/// An MTOM answer but for the content of one part: send `head`, the content, then `tail`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StreamedResponse {
    /// The HTTP Content-Type.
    pub content_type: String,
    /// Everything before the streamed content: the root part, the other attachments, and the
    /// streamed part's delimiter line and headers.
    pub head: Vec<u8>,
    /// Everything after it: the line break that ends it and the closing delimiter.
    pub tail: Vec<u8>,
}

fn plain_content_type(version: SoapVersion) -> String {
    format!("{}; charset=utf-8", version.media_type())
}

/// Writes a response of `version`; as MTOM (binary children as attachments) when `mtom`,
/// else as a plain envelope with inline base64.
pub fn encode_response(version: SoapVersion, mtom: bool, message: &OutMessage) -> Encoded {
    let (envelope, attachments, _) = write_message(version, mtom, false, message);
    if mtom {
        mtom::write::write_multipart(version, envelope, attachments)
    } else {
        Encoded { content_type: plain_content_type(version), body: envelope }
    }
}

/// Writes an MTOM response of `version` whose [`OutChild::Streamed`] child (the first, if the
/// caller gave several: the others are written empty) travels as the last part, with
/// `Content-Transfer-Encoding: binary` and its own Content-Type, referenced by an
/// `xop:Include`. The caller sends `head`, the content, then `tail` (the content may be empty,
/// and needs no escaping: the boundary is random).
pub fn encode_streamed_response(version: SoapVersion, message: &OutMessage) -> StreamedResponse {
    let (envelope, attachments, streamed) = write_message(version, true, true, message);
    debug_assert!(streamed.is_some(), "encode_streamed_response sans enfant OutChild::Streamed");
    // Without a Streamed child, the content still has a part to go to: one nothing references,
    // which readers ignore.
    let streamed = streamed.unwrap_or_else(|| StreamedPart {
        content_id: mtom::write::new_content_id(),
        content_type: "application/octet-stream".into(),
    });
    mtom::write::write_streamed(version, envelope, attachments, &streamed)
}

/// Writes the envelope of `message` and collects its attachments; when `stream`, the first
/// [`OutChild::Streamed`] child becomes an Include of the part returned last.
fn write_message(
    version: SoapVersion,
    mtom: bool,
    stream: bool,
    message: &OutMessage,
) -> (Vec<u8>, Vec<Attachment>, Option<StreamedPart>) {
    let mut attachments = Vec::new();
    let mut streamed = None;
    let envelope = write_envelope(version, |out| {
        out.extend_from_slice(b"<ns2:");
        out.extend_from_slice(message.wrapper.as_bytes());
        out.extend_from_slice(b" xmlns:ns2=\"");
        push_attr(out, &message.ns);
        out.extend_from_slice(b"\">");
        for child in &message.children {
            write_child(out, child, mtom, stream, &mut attachments, &mut streamed);
        }
        out.extend_from_slice(b"</ns2:");
        out.extend_from_slice(message.wrapper.as_bytes());
        out.push(b'>');
    });
    (envelope, attachments, streamed)
}

fn push_include(out: &mut Vec<u8>, content_id: &str) {
    out.extend_from_slice(b"<xop:Include xmlns:xop=\"");
    out.extend_from_slice(XOP_NS.as_bytes());
    out.extend_from_slice(b"\" href=\"");
    push_attr(out, &mtom::write::cid_href(content_id));
    out.extend_from_slice(b"\"/>");
}

fn write_child(
    out: &mut Vec<u8>,
    child: &OutChild,
    mtom: bool,
    stream: bool,
    attachments: &mut Vec<Attachment>,
    streamed: &mut Option<StreamedPart>,
) {
    let name = child.name();
    debug_assert!(is_xml_name(name), "nom d'élément invalide : {name}");
    out.push(b'<');
    out.extend_from_slice(name.as_bytes());
    if let OutChild::Element { attributes, .. } = child {
        for (a, v) in attributes {
            debug_assert!(is_xml_name(a), "nom d'attribut invalide : {a}");
            out.push(b' ');
            out.extend_from_slice(a.as_bytes());
            out.extend_from_slice(b"=\"");
            push_attr(out, v);
            out.push(b'"');
        }
    }
    out.push(b'>');
    match child {
        OutChild::Text { value, .. } => push_text(out, value),
        OutChild::Binary { data, content_type, kind, .. } if mtom => {
            let content_id = mtom::write::new_content_id();
            push_include(out, &content_id);
            attachments.push(Attachment {
                content_id,
                content_type: content_type.clone(),
                base64: *kind == BinaryKind::Opaque,
                data: data.clone(),
            });
        }
        OutChild::Binary { data, .. } => {
            use base64::Engine;
            out.extend_from_slice(base64::engine::general_purpose::STANDARD.encode(data).as_bytes());
        }
        OutChild::Streamed { content_type, .. } if stream && streamed.is_none() => {
            let content_id = mtom::write::new_content_id();
            push_include(out, &content_id);
            *streamed = Some(StreamedPart { content_id, content_type: content_type.clone() });
        }
        OutChild::Streamed { .. } => {}
        OutChild::Element { children, .. } => {
            for c in children {
                write_child(out, c, mtom, stream, attachments, streamed);
            }
        }
    }
    out.extend_from_slice(b"</");
    out.extend_from_slice(name.as_bytes());
    out.push(b'>');
}

fn is_xml_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
}
