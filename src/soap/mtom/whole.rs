//! MIME multipart/related with XOP: splitting a received message into parts, resolving
//! `xop:Include` references, and writing MTOM responses.
//!
//! The reader is deliberately tolerant of what deployed clients send (bare LF line ends, a
//! preamble, transport padding after boundary lines, any case in header names and transfer
//! encodings, Content-IDs with or without angle brackets, percent-encoded `cid:` references)
//! and strict about size: part count and header block size are bounded before anything is
//! allocated for them.

use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD};
use base64::engine::DecodePaddingMode;
use base64::{alphabet, Engine};
use bytes::Bytes;
use memchr::memmem;
use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, CONTROLS};
use rand::RngCore;

use crate::soap::envelope::{SoapVersion, XOP_NS};
use crate::soap::{Encoded, SoapError};
use crate::text::extrait as truncate;
use crate::xml::{Element, Node};

/// Base64 as clients send it: standard alphabet, padding optional.
const TOLERANT_BASE64: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

/// Decodes base64 ignoring any ASCII white space (line breaks included).
pub(crate) fn decode_base64(text: &[u8]) -> Result<Vec<u8>, String> {
    let compact: Vec<u8> = text.iter().copied().filter(|b| !b.is_ascii_whitespace()).collect();
    TOLERANT_BASE64.decode(&compact).map_err(|e| e.to_string())
}

/// One part of a received multipart message, transfer encoding not yet undone.
#[derive(Debug)]
pub(crate) struct Part {
    /// Position, from 1, for error messages.
    index: usize,
    pub content_type: Option<String>,
    transfer_encoding: Option<String>,
    /// Without angle brackets.
    pub content_id: Option<String>,
    raw: Bytes,
}

impl Part {
    /// `partie n°2 (Content-ID <x>)`, for errors.
    pub fn label(&self) -> String {
        match &self.content_id {
            Some(id) => format!("partie n°{} (Content-ID <{}>)", self.index, truncate(id, 100)),
            None => format!("partie n°{}", self.index),
        }
    }

    /// The part's content with its Content-Transfer-Encoding undone.
    pub fn decoded(&self) -> Result<Bytes, SoapError> {
        let encoding = self.transfer_encoding.as_deref().map(|e| e.trim().to_ascii_lowercase()).unwrap_or_default();
        match encoding.as_str() {
            "" | "8bit" | "7bit" | "binary" => Ok(self.raw.clone()),
            "base64" => decode_base64(&self.raw)
                .map(Bytes::from)
                .map_err(|reason| SoapError::PartBase64 { part: self.label(), reason }),
            _ => Err(SoapError::UnsupportedTransferEncoding {
                part: self.label(),
                encoding: truncate(self.transfer_encoding.as_deref().unwrap_or(""), 60),
            }),
        }
    }

    /// True when this part's Content-ID is the one named by `reference` (a `start` value
    /// without brackets, or a `cid:` URL without its scheme). Raw and percent-decoded forms
    /// are both compared, so clients that encode and clients that do not both match.
    pub fn is_named(&self, reference: &str) -> bool {
        let Some(id) = &self.content_id else {
            return false;
        };
        let reference_decoded = percent_decode_str(reference).decode_utf8_lossy();
        let id_decoded = percent_decode_str(id).decode_utf8_lossy();
        let id = id.as_str();
        reference == id || reference_decoded == id || reference == id_decoded || reference_decoded == id_decoded
    }
}

/// Splits `body` on `boundary`, enforcing the part count and header size limits.
pub(crate) fn split_parts(
    body: &Bytes,
    boundary: &str,
    max_parts: usize,
    max_header_bytes: usize,
) -> Result<Vec<Part>, SoapError> {
    let mut delimiter = Vec::with_capacity(boundary.len() + 2);
    delimiter.extend_from_slice(b"--");
    delimiter.extend_from_slice(boundary.as_bytes());
    let finder = memmem::Finder::new(&delimiter);
    let no_parts = || SoapError::NoParts { boundary: truncate(boundary, 100) };
    let truncated = || SoapError::MissingClosingBoundary { boundary: truncate(boundary, 100) };

    // The first delimiter may open the body or follow a preamble.
    let mut cursor = match next_delimiter(body, 0, &finder, delimiter.len(), true) {
        None | Some((_, After::Close)) => return Err(no_parts()),
        Some((_, After::End)) => return Err(truncated()),
        Some((_, After::Part(start))) => start,
    };
    let mut parts = Vec::new();
    loop {
        if parts.len() == max_parts {
            return Err(SoapError::TooManyParts { limit: max_parts });
        }
        let index = parts.len() + 1;
        // The line break closing this part's boundary line tells the framing: with bare LF, a CR
        // before the next delimiter is content (a binary part may well end in 0x0D).
        let crlf = cursor >= 2 && &body[cursor - 2..cursor] == b"\r\n";
        let (headers, body_start) = read_headers(body, cursor, index, max_header_bytes)?.ok_or_else(truncated)?;
        let (line_start, after) =
            next_delimiter(body, body_start, &finder, delimiter.len(), false).ok_or_else(truncated)?;
        // The part ends before the line break that precedes the delimiter; when the delimiter
        // follows the blank line directly, that line break belongs to the headers.
        let mut end = line_start.saturating_sub(1).max(body_start);
        if crlf && end > body_start && body[end - 1] == b'\r' {
            end -= 1;
        }
        let mut part = Part {
            index,
            content_type: None,
            transfer_encoding: None,
            content_id: None,
            raw: body.slice(body_start..end),
        };
        for (name, value) in headers {
            match name.as_str() {
                "content-type" => part.content_type = Some(value),
                "content-transfer-encoding" => part.transfer_encoding = Some(value),
                "content-id" => part.content_id = Some(strip_brackets(&value).to_string()),
                _ => {}
            }
        }
        parts.push(part);
        match after {
            After::Close => return Ok(parts),
            After::End => return Err(truncated()),
            After::Part(next) => cursor = next,
        }
    }
}

/// What follows a delimiter line.
enum After {
    /// `--`: the closing delimiter.
    Close,
    /// A new part starts at this offset.
    Part(usize),
    /// The body ends right after the delimiter.
    End,
}

/// Finds the next delimiter line at or after `from`: one that starts a line (or the body, when
/// `first`) and is followed by `--`, or by optional padding and a line end.
fn next_delimiter(
    body: &[u8],
    from: usize,
    finder: &memmem::Finder<'_>,
    len: usize,
    first: bool,
) -> Option<(usize, After)> {
    // In a part, a delimiter right after the header block starts at `from`: the block's final
    // LF, at `from - 1`, is what puts it at the start of a line.
    let mut search = from;
    while let Some(found) = finder.find(&body[search..]) {
        let at = search + found;
        search = at + 1;
        let starts_line = if at == 0 { first } else { body[at - 1] == b'\n' };
        if !starts_line {
            continue;
        }
        let mut p = at + len;
        if body[p..].starts_with(b"--") {
            return Some((at, After::Close));
        }
        while p < body.len() && (body[p] == b' ' || body[p] == b'\t') {
            p += 1;
        }
        if p == body.len() {
            return Some((at, After::End));
        }
        if body[p..].starts_with(b"\r\n") {
            return Some((at, After::Part(p + 2)));
        }
        if body[p] == b'\n' {
            return Some((at, After::Part(p + 1)));
        }
        // The boundary text continues on this line: not a delimiter.
    }
    None
}

/// Reads a part's header lines from `start`; returns (lowercase name, value) pairs and the
/// offset of the content, or `None` when the body ends inside the headers. Bare LF and CRLF
/// line ends are both accepted; folded lines are joined.
#[allow(clippy::type_complexity)]
fn read_headers(
    body: &[u8],
    start: usize,
    index: usize,
    max: usize,
) -> Result<Option<(Vec<(String, String)>, usize)>, SoapError> {
    let mut headers: Vec<(String, String)> = Vec::new();
    let mut line_start = start;
    loop {
        let Some(nl) = memchr::memchr(b'\n', &body[line_start..]) else {
            if body.len() - start > max {
                return Err(too_large(index, max));
            }
            return Ok(None);
        };
        let line_end = line_start + nl;
        if line_end + 1 - start > max {
            return Err(too_large(index, max));
        }
        let mut line = &body[line_start..line_end];
        if let Some(stripped) = line.strip_suffix(b"\r") {
            line = stripped;
        }
        let next = line_end + 1;
        if line.is_empty() {
            return Ok(Some((headers, next)));
        }
        let text = String::from_utf8_lossy(line);
        if line[0] == b' ' || line[0] == b'\t' {
            if let Some((_, value)) = headers.last_mut() {
                value.push(' ');
                value.push_str(text.trim());
                line_start = next;
                continue;
            }
        }
        let Some((name, value)) = text.split_once(':') else {
            return Err(SoapError::MalformedPartHeader {
                part: format!("partie n°{index}"),
                line: truncate(&text, 100),
            });
        };
        headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
        line_start = next;
    }
}

fn too_large(index: usize, limit: usize) -> SoapError {
    SoapError::PartHeaderTooLarge { part: format!("partie n°{index}"), limit }
}

/// `<id>` -> `id` (either bracket optional).
pub(crate) fn strip_brackets(value: &str) -> &str {
    let v = value.trim();
    let v = v.strip_prefix('<').unwrap_or(v);
    v.strip_suffix('>').unwrap_or(v).trim()
}

/// Replaces every `xop:Include` under `element` with the bytes of the part it names.
/// `parts` is `None` for a message that is not multipart, where an Include is an error.
pub(crate) fn resolve_includes(
    element: &mut Element,
    parts: Option<&[Part]>,
    cache: &mut Vec<Option<Bytes>>,
) -> Result<(), SoapError> {
    if element.elements().any(is_include) {
        let mut binary = None;
        for node in &element.children {
            match node {
                Node::Element(e) if is_include(e) && binary.is_none() => {
                    binary = Some(lookup(e, parts, cache)?);
                }
                Node::Text(t) if t.trim().is_empty() => {}
                _ => return Err(SoapError::IncludeMixedContent { element: truncate(&element.name, 100) }),
            }
        }
        element.children = binary.map(Node::Binary).into_iter().collect();
        return Ok(());
    }
    for node in &mut element.children {
        if let Node::Element(e) = node {
            resolve_includes(e, parts, cache)?;
        }
    }
    Ok(())
}

fn is_include(e: &Element) -> bool {
    e.is(Some(XOP_NS), "Include")
}

fn lookup(include: &Element, parts: Option<&[Part]>, cache: &mut Vec<Option<Bytes>>) -> Result<Bytes, SoapError> {
    let parts = parts.ok_or(SoapError::IncludeOutsideMultipart)?;
    let href = include.attribute("href").unwrap_or("").trim();
    let reference = match href.get(..4) {
        Some(scheme) if scheme.eq_ignore_ascii_case("cid:") && href.len() > 4 => &href[4..],
        _ => return Err(SoapError::BadIncludeHref(truncate(href, 100))),
    };
    let position = parts
        .iter()
        .position(|p| p.is_named(reference))
        .ok_or_else(|| SoapError::DanglingReference(truncate(reference, 100)))?;
    if cache.len() < parts.len() {
        cache.resize(parts.len(), None);
    }
    if let Some(bytes) = &cache[position] {
        return Ok(bytes.clone());
    }
    let bytes = parts[position].decoded()?;
    cache[position] = Some(bytes.clone());
    Ok(bytes)
}

/// An attachment of an MTOM response.
pub(crate) struct Attachment {
    /// Without angle brackets.
    pub content_id: String,
    pub content_type: String,
    /// Raw 8bit (XML) or base64 in 76-character lines (opaque data).
    pub base64: bool,
    pub data: Bytes,
}

/// Characters percent-encoded in a `cid:` URL: those a URL cannot carry plus URL delimiters.
const CID_ENCODE: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// `cid:` URL naming a Content-ID (given without brackets).
pub(crate) fn cid_href(content_id: &str) -> String {
    format!("cid:{}", utf8_percent_encode(content_id, CID_ENCODE))
}

/// A fresh Content-ID for an attachment.
pub(crate) fn new_content_id() -> String {
    format!("{}@sne-gateway", uuid())
}

/// A random (version 4) UUID in its usual text form.
fn uuid() -> String {
    let mut b = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex::encode(b);
    format!("{}-{}-{}-{}-{}", &h[0..8], &h[8..12], &h[12..16], &h[16..20], &h[20..32])
}

/// Writes an MTOM message: the root part holding `envelope`, then `attachments`.
pub(crate) fn write_multipart(version: SoapVersion, envelope: Vec<u8>, attachments: Vec<Attachment>) -> Encoded {
    // A random boundary is practically never in the payloads; checking makes it certain.
    let id = loop {
        let id = uuid();
        let delimiter = format!("--uuid:{id}");
        let finder = memmem::Finder::new(delimiter.as_bytes());
        let clash =
            finder.find(&envelope).is_some() || attachments.iter().any(|a| !a.base64 && finder.find(&a.data).is_some());
        if !clash {
            break id;
        }
    };
    let boundary = format!("uuid:{id}");
    let root_id = format!("rootpart*{id}@sne-gateway");
    let media = version.media_type();
    let content_type = format!(
        "multipart/related; type=\"application/xop+xml\"; boundary=\"{boundary}\"; \
         start=\"<{root_id}>\"; start-info=\"{media}\""
    );

    let size: usize = envelope.len()
        + attachments.iter().map(|a| a.data.len() * 4 / 3 + a.data.len() / 57 * 2 + 256).sum::<usize>()
        + 512;
    let mut out = Vec::with_capacity(size);
    let line = |out: &mut Vec<u8>, s: &str| {
        out.extend_from_slice(s.as_bytes());
        out.extend_from_slice(b"\r\n");
    };
    line(&mut out, &format!("--{boundary}"));
    line(&mut out, &format!("Content-Type: application/xop+xml; charset=utf-8; type=\"{media}\""));
    line(&mut out, "Content-Transfer-Encoding: 8bit");
    line(&mut out, &format!("Content-ID: <{root_id}>"));
    line(&mut out, "");
    out.extend_from_slice(&envelope);
    out.extend_from_slice(b"\r\n");
    for a in &attachments {
        line(&mut out, &format!("--{boundary}"));
        line(&mut out, &format!("Content-Type: {}", header_safe(&a.content_type)));
        line(&mut out, if a.base64 { "Content-Transfer-Encoding: base64" } else { "Content-Transfer-Encoding: 8bit" });
        line(&mut out, &format!("Content-ID: <{}>", a.content_id));
        line(&mut out, "");
        if a.base64 {
            let encoded = STANDARD.encode(&a.data);
            for chunk in encoded.as_bytes().chunks(76) {
                out.extend_from_slice(chunk);
                out.extend_from_slice(b"\r\n");
            }
        } else {
            out.extend_from_slice(&a.data);
            out.extend_from_slice(b"\r\n");
        }
    }
    line(&mut out, &format!("--{boundary}--"));
    Encoded { content_type, body: out }
}

/// A caller-given header value cannot be allowed to inject lines.
fn header_safe(value: &str) -> String {
    value.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(body: &[u8], boundary: &str) -> Result<Vec<Part>, SoapError> {
        split_parts(&Bytes::copy_from_slice(body), boundary, 16, 8192)
    }

    #[test]
    fn splits_crlf_and_lf_with_preamble_padding_and_epilogue() {
        let crlf = b"preamble\r\n--b \t\r\nContent-ID: <a>\r\n\r\nAAA\r\n--b\r\ncontent-id: b\r\nX-Folded: 1\r\n 2\r\n\r\nBB\r\nB\r\n--b--\r\nepilogue";
        let parts = split(crlf, "b").unwrap();
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].content_id.as_deref(), Some("a"));
        assert_eq!(&parts[0].raw[..], b"AAA");
        assert_eq!(parts[1].content_id.as_deref(), Some("b"));
        assert_eq!(&parts[1].raw[..], b"BB\r\nB");

        let lf = b"--b\nContent-ID: <a>\n\nAAA\n--b\nContent-ID: <b>\n\n\n--b--";
        let parts = split(lf, "b").unwrap();
        assert_eq!(&parts[0].raw[..], b"AAA");
        assert_eq!(&parts[1].raw[..], b"");
    }

    #[test]
    fn empty_part_whose_delimiter_follows_the_blank_line() {
        let parts = split(b"--b\r\nContent-ID: <a>\r\n\r\n--b--\r\n", "b").unwrap();
        assert_eq!(parts.len(), 1);
        assert!(parts[0].raw.is_empty());
    }

    #[test]
    fn boundary_text_inside_content_is_not_a_delimiter() {
        let parts = split(b"--b\r\n\r\nx--b y\r\n--bz\r\n--b--", "b").unwrap();
        assert_eq!(&parts[0].raw[..], b"x--b y\r\n--bz");
    }

    #[test]
    fn refuses_missing_parts_closing_and_limits() {
        assert!(matches!(split(b"nothing here", "b"), Err(SoapError::NoParts { .. })));
        assert!(matches!(split(b"--b--\r\n", "b"), Err(SoapError::NoParts { .. })));
        assert!(matches!(split(b"--b\r\n\r\nAAA\r\n", "b"), Err(SoapError::MissingClosingBoundary { .. })));
        assert!(matches!(split(b"--b\r\n\r\nAAA\r\n--b\r\n", "b"), Err(SoapError::MissingClosingBoundary { .. })));
        let many = b"--b\n\nx\n--b\n\ny\n--b\n\nz\n--b--";
        let err = split_parts(&Bytes::copy_from_slice(many), "b", 2, 100).unwrap_err();
        assert_eq!(err, SoapError::TooManyParts { limit: 2 });
        assert!(err.to_string().contains("plus de 2 parties"));

        let mut big = b"--b\r\nX-Big: ".to_vec();
        big.extend(std::iter::repeat_n(b'a', 200));
        big.extend_from_slice(b"\r\n\r\nx\r\n--b--");
        let err = split_parts(&Bytes::from(big), "b", 4, 100).unwrap_err();
        assert!(matches!(err, SoapError::PartHeaderTooLarge { limit: 100, .. }), "{err}");
        assert!(err.to_string().contains("100 octets"));

        let err = split(b"--b\r\nno colon\r\n\r\nx\r\n--b--", "b").unwrap_err();
        assert!(matches!(err, SoapError::MalformedPartHeader { .. }));
    }

    #[test]
    fn transfer_encodings_any_case() {
        let part = |enc: &str, raw: &[u8]| Part {
            index: 3,
            content_type: None,
            transfer_encoding: Some(enc.into()),
            content_id: Some("c".into()),
            raw: Bytes::copy_from_slice(raw),
        };
        for enc in ["8bit", "7BIT", "Binary"] {
            assert_eq!(&part(enc, b"raw").decoded().unwrap()[..], b"raw");
        }
        for enc in ["base64", "BASE64", "Base64"] {
            assert_eq!(&part(enc, b"aGVs\r\nbG8=\r\n").decoded().unwrap()[..], b"hello");
        }
        let err = part("base64", b"!!!").decoded().unwrap_err();
        assert!(err.to_string().contains("partie n°3 (Content-ID <c>)"), "{err}");
        let err = part("Quoted-Printable", b"x").decoded().unwrap_err();
        assert!(matches!(err, SoapError::UnsupportedTransferEncoding { .. }));
        assert!(err.to_string().contains("Quoted-Printable"));
    }

    #[test]
    fn names_match_raw_and_percent_decoded() {
        let p = |id: &str| Part {
            index: 1,
            content_type: None,
            transfer_encoding: None,
            content_id: Some(id.into()),
            raw: Bytes::new(),
        };
        assert!(p("a b@x").is_named("a%20b@x"));
        assert!(p("a%20b@x").is_named("a%20b@x"));
        assert!(p("a%20b@x").is_named("a b@x"));
        assert!(!p("a@x").is_named("b@x"));
        assert_eq!(strip_brackets(" <x@y> "), "x@y");
        assert_eq!(strip_brackets("x@y"), "x@y");
    }

    #[test]
    fn cid_href_encodes_what_a_url_cannot_hold() {
        assert_eq!(cid_href("a b/c@x"), "cid:a%20b%2Fc@x");
        assert!(new_content_id().ends_with("@sne-gateway"));
        assert_ne!(uuid(), uuid());
        assert_eq!(uuid().len(), 36);
    }
}
