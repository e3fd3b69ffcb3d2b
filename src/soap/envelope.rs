//! SOAP 1.1 / 1.2 envelopes: recognising a received one, writing ours.

use super::SoapError;
use crate::text::extrait as truncate;
use crate::xml::{self, Element, Node};

/// Namespace of SOAP 1.1 envelopes.
pub const SOAP11_NS: &str = "http://schemas.xmlsoap.org/soap/envelope/";
/// Namespace of SOAP 1.2 envelopes.
pub const SOAP12_NS: &str = "http://www.w3.org/2003/05/soap-envelope";
/// Namespace of `xop:Include`.
pub const XOP_NS: &str = "http://www.w3.org/2004/08/xop/include";

/// SOAP version of a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SoapVersion {
    /// SOAP 1.1 (`text/xml` + `SOAPAction`).
    V11,
    /// SOAP 1.2 (`application/soap+xml`).
    V12,
}

impl SoapVersion {
    /// Namespace of this version's Envelope.
    pub fn envelope_ns(self) -> &'static str {
        match self {
            SoapVersion::V11 => SOAP11_NS,
            SoapVersion::V12 => SOAP12_NS,
        }
    }

    /// Media type of a plain envelope of this version (also MTOM's `start-info`).
    pub fn media_type(self) -> &'static str {
        match self {
            SoapVersion::V11 => "text/xml",
            SoapVersion::V12 => "application/soap+xml",
        }
    }

    /// The version a SOAP media type announces (`application/soap+xml` or `text/xml`).
    pub(crate) fn from_media_type(essence: &str) -> Option<SoapVersion> {
        if essence.eq_ignore_ascii_case("application/soap+xml") {
            Some(SoapVersion::V12)
        } else if essence.eq_ignore_ascii_case("text/xml") {
            Some(SoapVersion::V11)
        } else {
            None
        }
    }

    fn label(self) -> &'static str {
        match self {
            SoapVersion::V11 => "SOAP 1.1",
            SoapVersion::V12 => "SOAP 1.2",
        }
    }
}

/// A recognised envelope before XOP resolution: version, Header, Body (not yet checked for its
/// single child, because `xop:Include` resolution may change what it holds).
pub(crate) struct RawEnvelope {
    pub version: SoapVersion,
    pub header: Option<Element>,
    pub body: Element,
}

/// Parses the envelope bytes and checks its shape. `declared` is the version the transport
/// announced, when it announced one.
pub(crate) fn read_envelope(
    bytes: &[u8],
    declared: Option<SoapVersion>,
    limits: xml::Limits,
) -> Result<RawEnvelope, SoapError> {
    let root = xml::parse(bytes, limits)?;
    if root.name != "Envelope" {
        return Err(SoapError::NotAnEnvelope(truncate(&root.name, 100)));
    }
    let version = match root.ns.as_deref() {
        Some(SOAP12_NS) => SoapVersion::V12,
        Some(SOAP11_NS) => SoapVersion::V11,
        Some(other) => return Err(SoapError::UnknownEnvelopeNamespace(truncate(other, 200))),
        None => return Err(SoapError::UnknownEnvelopeNamespace(String::new())),
    };
    if let Some(declared) = declared {
        if declared != version {
            return Err(SoapError::VersionMismatch {
                declared: declared.label().to_string(),
                found: version.label().to_string(),
            });
        }
    }
    let ns = Some(version.envelope_ns());
    let mut header = None;
    let mut body = None;
    for node in root.children {
        match node {
            Node::Element(e) if e.is(ns, "Header") && body.is_none() => {
                if header.is_some() {
                    return Err(SoapError::Duplicate("Header".into()));
                }
                header = Some(e);
            }
            Node::Element(e) if e.is(ns, "Body") => {
                if body.is_some() {
                    return Err(SoapError::Duplicate("Body".into()));
                }
                body = Some(e);
            }
            Node::Element(e) => {
                return Err(SoapError::UnexpectedEnvelopeContent(format!("élément {}", truncate(&qualified(&e), 200))))
            }
            Node::Text(t) if !t.trim().is_empty() => return Err(SoapError::UnexpectedEnvelopeContent("texte".into())),
            Node::Text(_) | Node::Binary(_) => {}
        }
    }
    let body = body.ok_or(SoapError::MissingBody)?;
    if let Some(h) = &header {
        refuse_must_understand(h, version)?;
    }
    Ok(RawEnvelope { version, header, body })
}

/// The gateway processes no header block, so one that is addressed to it and marked
/// `mustUnderstand` must be refused (SOAP 1.1 §4.2.3, SOAP 1.2 part 1 §5.2.3). Blocks addressed
/// to another role or actor are not ours to understand.
fn refuse_must_understand(header: &Element, version: SoapVersion) -> Result<(), SoapError> {
    let ns = version.envelope_ns();
    for block in header.elements() {
        let attr = |name: &str| {
            block.attributes.iter().find(|a| a.ns.as_deref() == Some(ns) && a.name == name).map(|a| a.value.trim())
        };
        let ours = match version {
            SoapVersion::V12 => matches!(
                attr("role"),
                None | Some("http://www.w3.org/2003/05/soap-envelope/role/next")
                    | Some("http://www.w3.org/2003/05/soap-envelope/role/ultimateReceiver")
            ),
            SoapVersion::V11 => matches!(attr("actor"), None | Some("http://schemas.xmlsoap.org/soap/actor/next")),
        };
        if ours && matches!(attr("mustUnderstand"), Some("1") | Some("true")) {
            return Err(SoapError::MustUnderstand(truncate(&qualified(block), 200)));
        }
    }
    Ok(())
}

/// The single element of a Body (the operation wrapper).
pub(crate) fn single_child(body: Element) -> Result<Element, SoapError> {
    let mut found = None;
    let mut count = 0usize;
    for node in body.children {
        match node {
            Node::Element(e) => {
                count += 1;
                found.get_or_insert(e);
            }
            Node::Text(t) if t.trim().is_empty() => {}
            // Text, or binary left by an xop:Include sitting directly in the Body.
            Node::Text(_) | Node::Binary(_) => return Err(SoapError::BodyText),
        }
    }
    match (count, found) {
        (1, Some(e)) => Ok(e),
        _ => Err(SoapError::BodyChildren { count }),
    }
}

fn qualified(e: &Element) -> String {
    match &e.ns {
        Some(ns) => format!("{{{ns}}}{}", e.name),
        None => e.name.clone(),
    }
}

/// Writes a whole envelope of `version` whose Body content is written by `body`.
pub(crate) fn write_envelope(version: SoapVersion, body: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
    let mut out = Vec::with_capacity(512);
    out.extend_from_slice(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
    out.extend_from_slice(b"<soap:Envelope xmlns:soap=\"");
    out.extend_from_slice(version.envelope_ns().as_bytes());
    out.extend_from_slice(b"\"><soap:Body>");
    body(&mut out);
    out.extend_from_slice(b"</soap:Body></soap:Envelope>");
    out
}

/// Appends character data, escaped. Characters XML 1.0 cannot carry become U+FFFD so the
/// response stays well-formed whatever the caller passed.
pub(crate) fn push_text(out: &mut Vec<u8>, s: &str) {
    push_escaped(out, s, false);
}

/// Appends an attribute value (to go between double quotes), escaped.
pub(crate) fn push_attr(out: &mut Vec<u8>, s: &str) {
    push_escaped(out, s, true);
}

fn push_escaped(out: &mut Vec<u8>, s: &str, attribute: bool) {
    let mut buf = [0u8; 4];
    for c in s.chars() {
        match c {
            '&' => out.extend_from_slice(b"&amp;"),
            '<' => out.extend_from_slice(b"&lt;"),
            '>' => out.extend_from_slice(b"&gt;"),
            '"' if attribute => out.extend_from_slice(b"&quot;"),
            // Kept as references so that line-ending normalisation does not alter them.
            '\r' => out.extend_from_slice(b"&#13;"),
            '\n' if attribute => out.extend_from_slice(b"&#10;"),
            '\t' if attribute => out.extend_from_slice(b"&#9;"),
            '\t' | '\n' => out.push(c as u8),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {
                out.extend_from_slice("\u{FFFD}".as_bytes())
            }
            c => out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(doc: &str, declared: Option<SoapVersion>) -> Result<RawEnvelope, SoapError> {
        read_envelope(doc.as_bytes(), declared, xml::Limits::default())
    }

    #[test]
    fn recognises_both_versions_with_optional_header() {
        let env = read(
            &format!(
                "<s:Envelope xmlns:s=\"{SOAP12_NS}\"><s:Header><h/></s:Header>\n<s:Body><w/></s:Body></s:Envelope>"
            ),
            Some(SoapVersion::V12),
        )
        .unwrap();
        assert_eq!(env.version, SoapVersion::V12);
        assert_eq!(env.header.unwrap().elements().count(), 1);
        assert_eq!(single_child(env.body).unwrap().name, "w");

        let env =
            read(&format!("<e:Envelope xmlns:e=\"{SOAP11_NS}\"><e:Body><w/></e:Body></e:Envelope>"), None).unwrap();
        assert_eq!(env.version, SoapVersion::V11);
        assert!(env.header.is_none());
    }

    #[test]
    fn refuses_wrong_version_unknown_namespace_and_bad_shape() {
        let v11 = format!("<e:Envelope xmlns:e=\"{SOAP11_NS}\"><e:Body><w/></e:Body></e:Envelope>");
        let err = read(&v11, Some(SoapVersion::V12)).err().unwrap();
        assert!(err.to_string().contains("version SOAP incohérente"), "{err}");

        let err = read("<e:Envelope xmlns:e=\"urn:other\"><e:Body/></e:Envelope>", None).err().unwrap();
        assert_eq!(err, SoapError::UnknownEnvelopeNamespace("urn:other".into()));
        assert!(err.to_string().contains("urn:other"));

        let err = read("<Body/>", None).err().unwrap();
        assert_eq!(err, SoapError::NotAnEnvelope("Body".into()));

        let err = read(&format!("<e:Envelope xmlns:e=\"{SOAP11_NS}\"></e:Envelope>"), None).err().unwrap();
        assert_eq!(err, SoapError::MissingBody);

        let two =
            format!("<e:Envelope xmlns:e=\"{SOAP11_NS}\"><e:Body><w/></e:Body><e:Body><w/></e:Body></e:Envelope>");
        assert_eq!(read(&two, None).err().unwrap(), SoapError::Duplicate("Body".into()));

        let stray = format!("<e:Envelope xmlns:e=\"{SOAP11_NS}\"><x/><e:Body><w/></e:Body></e:Envelope>");
        assert!(matches!(read(&stray, None), Err(SoapError::UnexpectedEnvelopeContent(_))));
    }

    #[test]
    fn body_must_hold_exactly_one_element() {
        let body = |inner: &str| {
            read(&format!("<e:Envelope xmlns:e=\"{SOAP11_NS}\"><e:Body>{inner}</e:Body></e:Envelope>"), None)
                .unwrap()
                .body
        };
        assert_eq!(single_child(body(" \n ")), Err(SoapError::BodyChildren { count: 0 }));
        assert_eq!(single_child(body("<a/><b/>")), Err(SoapError::BodyChildren { count: 2 }));
        assert_eq!(single_child(body("x<a/>")), Err(SoapError::BodyText));
        assert_eq!(single_child(body(" <a/> ")).unwrap().name, "a");
    }

    #[test]
    fn escapes_text_and_attributes() {
        let mut out = Vec::new();
        push_text(&mut out, "a<b>&\"c\"\r\n\u{1}é");
        assert_eq!(String::from_utf8(out).unwrap(), "a&lt;b&gt;&amp;\"c\"&#13;\n\u{FFFD}é");
        let mut out = Vec::new();
        push_attr(&mut out, "a\"b\n");
        assert_eq!(String::from_utf8(out).unwrap(), "a&quot;b&#10;");
    }
}
