//! MIME multipart/related with XOP: what the two readers and the writer share.
//!
//! [`whole`] splits a body held in memory and resolves its `xop:Include`s; [`stream`] reads a
//! body fed in chunks and hands the parts' bytes out as they come; [`write`] writes MTOM answers.
//! Both readers are deliberately tolerant of what deployed clients send (bare LF line ends, a
//! preamble, transport padding after boundary lines, any case in header names and transfer
//! encodings, Content-IDs with or without angle brackets, percent-encoded `cid:` references)
//! and strict about size: part count and header block size are bounded before anything is
//! allocated for them. What a part's headers say, how its transfer encoding is undone and how a
//! reference names it live here, once, so that both readers agree byte for byte.

pub(crate) mod stream;
pub(crate) mod whole;
pub(crate) mod write;

use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::{alphabet, DecodeError, DecodeSliceError, Engine};
use bytes::Bytes;
use percent_encoding::percent_decode_str;

use super::envelope::XOP_NS;
use super::SoapError;
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
    TOLERANT_BASE64.decode(&compact).map_err(|e| en_francais(&e))
}

/// A base64 decoding error in French; positions count the symbols from 1, white space aside.
pub(crate) fn en_francais(e: &DecodeError) -> String {
    let octet = |b: u8| {
        if b.is_ascii_graphic() {
            format!("« {} »", b as char)
        } else {
            format!("0x{b:02X}")
        }
    };
    match *e {
        DecodeError::InvalidByte(at, b) => format!("caractère {} invalide au symbole n° {}", octet(b), at + 1),
        DecodeError::InvalidLength(n) => {
            format!("longueur invalide ({n} symboles : un multiple de 4 est attendu, remplissage « = » compris)")
        }
        DecodeError::InvalidLastSymbol(at, b) => {
            format!("dernier symbole {} invalide au symbole n° {} (bits de fin non nuls)", octet(b), at + 1)
        }
        DecodeError::InvalidPadding => "remplissage « = » invalide".to_string(),
    }
}

/// Base64 decoded as it arrives, with exactly the outcome of [`decode_base64`] on the whole text.
///
/// Only the last group of a text may carry padding, a short length or trailing bits, so every
/// complete group of four symbols that another symbol follows is decoded at once; the last one to
/// four symbols wait for [`Base64Stream::finish`], which judges them as the final group.
#[derive(Debug, Default)]
pub(crate) struct Base64Stream {
    /// Symbols (white space removed) not yet decoded: at most four between calls.
    pending: Vec<u8>,
    /// Symbols decoded so far, so that errors give offsets in the whole text as the one-shot
    /// decoder does.
    decoded_symbols: usize,
}

impl Base64Stream {
    /// Appends to `out` what `input` completes.
    pub fn feed(&mut self, input: &[u8], out: &mut Vec<u8>) -> Result<(), String> {
        // Exactly what it may need, so that `out` (cleared between calls) stays the size of the
        // largest chunk's bytes rather than of the next power of two.
        out.reserve_exact(input.len() / 4 * 3 + 3);
        // A piece at a time, so that the symbols waiting to be decoded never amount to a chunk.
        for piece in input.chunks(4096) {
            self.pending.extend(piece.iter().copied().filter(|b| !b.is_ascii_whitespace()));
            self.decode_ready(out)?;
        }
        Ok(())
    }

    fn decode_ready(&mut self, out: &mut Vec<u8>) -> Result<(), String> {
        if self.pending.len() <= 4 {
            return Ok(());
        }
        let ready = (self.pending.len() - 1) / 4 * 4;
        let group = &self.pending[..ready];
        let start = out.len();
        out.resize(start + ready / 4 * 3, 0);
        match TOLERANT_BASE64.decode_slice(group, &mut out[start..]) {
            Ok(written) => out.truncate(start + written),
            Err(e) => return Err(self.shifted(e)),
        }
        // The engine judged the last group it was given as final and so accepted padding in it;
        // another symbol follows, so that padding is the invalid byte the whole text shows.
        if let Some(at) = memchr::memchr(b'=', &group[ready - 4..]) {
            out.truncate(start);
            return Err(en_francais(&DecodeError::InvalidByte(self.decoded_symbols + ready - 4 + at, b'=')));
        }
        self.decoded_symbols += ready;
        self.pending.drain(..ready);
        Ok(())
    }

    /// Appends the final group's bytes to `out`: the text is complete.
    pub fn finish(&mut self, out: &mut Vec<u8>) -> Result<(), String> {
        let last = std::mem::take(&mut self.pending);
        TOLERANT_BASE64.decode_vec(&last, out).map_err(|e| self.shifted(DecodeSliceError::DecodeError(e)))
    }

    fn shifted(&self, e: DecodeSliceError) -> String {
        let base = self.decoded_symbols;
        let e = match e {
            DecodeSliceError::DecodeError(DecodeError::InvalidByte(at, b)) => DecodeError::InvalidByte(base + at, b),
            DecodeSliceError::DecodeError(DecodeError::InvalidLength(n)) => DecodeError::InvalidLength(base + n),
            DecodeSliceError::DecodeError(DecodeError::InvalidLastSymbol(at, b)) => {
                DecodeError::InvalidLastSymbol(base + at, b)
            }
            DecodeSliceError::DecodeError(e) => e,
            DecodeSliceError::OutputSliceTooSmall => return "tampon de décodage trop petit".to_string(),
        };
        en_francais(&e)
    }

    /// Bytes held, for the memory bound's tests.
    pub fn buffered(&self) -> usize {
        self.pending.capacity()
    }
}

/// What a received part's headers say, as both readers use it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PartHead {
    /// Position in the message, from 1 (the root part of a streamed upload is 1).
    pub index: usize,
    /// Content-ID, without angle brackets.
    pub content_id: Option<String>,
    /// Content-Type, as received.
    pub content_type: Option<String>,
    /// Content-Transfer-Encoding, as received.
    pub transfer_encoding: Option<String>,
}

/// How a part's content travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Transfer {
    /// 8bit, 7bit, binary, or none said: the bytes are the content.
    Identity,
    /// Base64, white space tolerated.
    Base64,
}

impl PartHead {
    /// The head of part `index` whose header lines are `headers` (lowercase names).
    pub(crate) fn new(index: usize, headers: Vec<(String, String)>) -> PartHead {
        let mut head = PartHead { index, ..PartHead::default() };
        for (name, value) in headers {
            match name.as_str() {
                "content-type" => head.content_type = Some(value),
                "content-transfer-encoding" => head.transfer_encoding = Some(value),
                "content-id" => head.content_id = Some(strip_brackets(&value).to_string()),
                _ => {}
            }
        }
        head
    }

    /// `partie n°2 (Content-ID <x>)`, for errors.
    pub fn label(&self) -> String {
        match &self.content_id {
            Some(id) => format!("partie n°{} (Content-ID <{}>)", self.index, truncate(id, 100)),
            None => format!("partie n°{}", self.index),
        }
    }

    /// True when this part's Content-ID is the one named by `reference` (a `start` value
    /// without brackets, or a `cid:` URL without its scheme, as [`include_reference`] gives it).
    /// Raw and percent-decoded forms are both compared, so clients that encode and clients that
    /// do not both match.
    pub fn is_named(&self, reference: &str) -> bool {
        let Some(id) = &self.content_id else {
            return false;
        };
        let reference_decoded = percent_decode_str(reference).decode_utf8_lossy();
        let id_decoded = percent_decode_str(id).decode_utf8_lossy();
        let id = id.as_str();
        reference == id || reference_decoded == id || reference == id_decoded || reference_decoded == id_decoded
    }

    /// How the content travels, or why it cannot be read.
    pub(crate) fn transfer(&self) -> Result<Transfer, SoapError> {
        let encoding = self.transfer_encoding.as_deref().map(|e| e.trim().to_ascii_lowercase()).unwrap_or_default();
        match encoding.as_str() {
            "" | "8bit" | "7bit" | "binary" => Ok(Transfer::Identity),
            "base64" => Ok(Transfer::Base64),
            _ => Err(SoapError::UnsupportedTransferEncoding {
                part: self.label(),
                encoding: truncate(self.transfer_encoding.as_deref().unwrap_or(""), 60),
            }),
        }
    }

    /// `raw`, this part's content as received, with its transfer encoding undone.
    pub(crate) fn decode(&self, raw: &Bytes) -> Result<Bytes, SoapError> {
        match self.transfer()? {
            Transfer::Identity => Ok(raw.clone()),
            Transfer::Base64 => decode_base64(raw).map(Bytes::from).map_err(|reason| self.base64_error(reason)),
        }
    }

    pub(crate) fn base64_error(&self, reason: String) -> SoapError {
        SoapError::PartBase64 { part: self.label(), reason }
    }
}

/// Reads a part's header lines from `start`; returns (lowercase name, value) pairs and the
/// offset of the content, or `None` when the body ends inside the headers. Bare LF and CRLF
/// line ends are both accepted; folded lines are joined.
#[allow(clippy::type_complexity)]
pub(crate) fn read_headers(
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
                return Err(header_too_large(index, max));
            }
            return Ok(None);
        };
        let line_end = line_start + nl;
        if line_end + 1 - start > max {
            return Err(header_too_large(index, max));
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

pub(crate) fn header_too_large(index: usize, limit: usize) -> SoapError {
    SoapError::PartHeaderTooLarge { part: format!("partie n°{index}"), limit }
}

/// `<id>` -> `id` (either bracket optional).
pub(crate) fn strip_brackets(value: &str) -> &str {
    let v = value.trim();
    let v = v.strip_prefix('<').unwrap_or(v);
    v.strip_suffix('>').unwrap_or(v).trim()
}

pub(crate) fn is_include(e: &Element) -> bool {
    e.is(Some(XOP_NS), "Include")
}

/// The reference an Include's `href` names: the `cid:` URL without its scheme, as written.
pub(crate) fn include_href(include: &Element) -> Result<&str, SoapError> {
    let href = include.attribute("href").unwrap_or("").trim();
    match href.get(..4) {
        Some(scheme) if scheme.eq_ignore_ascii_case("cid:") && href.len() > 4 => Ok(&href[4..]),
        _ => Err(SoapError::BadIncludeHref(truncate(href, 100))),
    }
}

/// The `cid:` reference of the `xop:Include` that `element` holds (or is): the URL without its
/// scheme, otherwise as written. Match it against a part with [`PartHead::is_named`], which
/// compares raw and percent-decoded forms. `None` when there is no Include or its `href` is not a
/// `cid:` URL (an envelope the decoders returned has none of the latter).
pub fn include_reference(element: &Element) -> Option<String> {
    let include = if is_include(element) { element } else { element.elements().find(|e| is_include(e))? };
    include_href(include).ok().map(str::to_string)
}

/// Finds every element under `element` that holds an `xop:Include`, checks that it holds that one
/// Include and white space only, and asks `visit` about the Include: `Some(bytes)` replaces the
/// element's content with them, `None` leaves it as it is (a streamed part is not here yet).
pub(crate) fn walk_includes(
    element: &mut Element,
    visit: &mut dyn FnMut(&Element) -> Result<Option<Bytes>, SoapError>,
) -> Result<(), SoapError> {
    if element.elements().any(is_include) {
        let mut binary = None;
        let mut seen = false;
        for node in &element.children {
            match node {
                Node::Element(e) if is_include(e) && !seen => {
                    seen = true;
                    binary = visit(e)?;
                }
                Node::Text(t) if t.trim().is_empty() => {}
                _ => return Err(SoapError::IncludeMixedContent { element: truncate(&element.name, 100) }),
            }
        }
        if let Some(binary) = binary {
            element.children = vec![Node::Binary(binary)];
        }
        return Ok(());
    }
    for node in &mut element.children {
        if let Node::Element(e) = node {
            walk_includes(e, visit)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};

    fn head(enc: &str) -> PartHead {
        PartHead { index: 3, content_id: Some("c".into()), transfer_encoding: Some(enc.into()), content_type: None }
    }

    #[test]
    fn transfer_encodings_any_case() {
        let raw = |b: &[u8]| Bytes::copy_from_slice(b);
        for enc in ["8bit", "7BIT", "Binary"] {
            assert_eq!(&head(enc).decode(&raw(b"raw")).unwrap()[..], b"raw");
        }
        for enc in ["base64", "BASE64", "Base64"] {
            assert_eq!(&head(enc).decode(&raw(b"aGVs\r\nbG8=\r\n")).unwrap()[..], b"hello");
        }
        let err = head("base64").decode(&raw(b"!!!")).unwrap_err();
        assert!(err.to_string().contains("partie n°3 (Content-ID <c>)"), "{err}");
        let err = head("Quoted-Printable").decode(&raw(b"x")).unwrap_err();
        assert!(matches!(err, SoapError::UnsupportedTransferEncoding { .. }));
        assert!(err.to_string().contains("Quoted-Printable"));
    }

    #[test]
    fn names_match_raw_and_percent_decoded() {
        let p = |id: &str| PartHead { index: 1, content_id: Some(id.into()), ..PartHead::default() };
        assert!(p("a b@x").is_named("a%20b@x"));
        assert!(p("a%20b@x").is_named("a%20b@x"));
        assert!(p("a%20b@x").is_named("a b@x"));
        assert!(!p("a@x").is_named("b@x"));
        assert!(!PartHead::default().is_named("a@x"));
        assert_eq!(strip_brackets(" <x@y> "), "x@y");
        assert_eq!(strip_brackets("x@y"), "x@y");
    }

    fn streamed(text: &[u8], chunks: &[usize]) -> Result<Vec<u8>, String> {
        let mut decoder = Base64Stream::default();
        let mut out = Vec::new();
        let mut rest = text;
        for &n in chunks.iter().cycle() {
            if rest.is_empty() {
                break;
            }
            let (now, later) = rest.split_at(n.min(rest.len()));
            decoder.feed(now, &mut out)?;
            assert!(decoder.pending.len() <= 4);
            rest = later;
        }
        decoder.finish(&mut out)?;
        Ok(out)
    }

    #[test]
    fn base64_fed_in_pieces_decodes_as_the_whole_text() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(64);
        let symbols = b"AQgw+/Zz09=\r\n \t!";
        for round in 0..20_000 {
            let len = rng.gen_range(0..24);
            let text: Vec<u8> = if round % 2 == 0 {
                // Well-formed texts, cut into lines, padded or not.
                use base64::engine::general_purpose::STANDARD;
                let data: Vec<u8> = (0..len).map(|_| rng.gen()).collect();
                let mut t = STANDARD.encode(&data).into_bytes();
                if rng.gen_bool(0.3) {
                    while t.last() == Some(&b'=') {
                        t.pop();
                    }
                }
                let at = rng.gen_range(0..=t.len());
                t.splice(at..at, b"\r\n".iter().copied());
                t
            } else {
                (0..len).map(|_| symbols[rng.gen_range(0..symbols.len())]).collect()
            };
            let chunks = [rng.gen_range(1..6), rng.gen_range(1..9), 1];
            let whole = decode_base64(&text);
            assert_eq!(whole.is_ok(), streamed(&text, &chunks).is_ok(), "{:?}", String::from_utf8_lossy(&text));
            if let Ok(bytes) = whole {
                assert_eq!(streamed(&text, &chunks).unwrap(), bytes, "{:?}", String::from_utf8_lossy(&text));
            }
        }
        // Errors say where, in the whole text, as the one-shot decoder does.
        assert_eq!(streamed(b"aGVsbG8gd29y!GQ=", &[3]).unwrap_err(), decode_base64(b"aGVsbG8gd29y!GQ=").unwrap_err());
        assert_eq!(streamed(b"aGVs\nbG8=aGVs", &[2]).unwrap_err(), decode_base64(b"aGVs\nbG8=aGVs").unwrap_err());
    }
}
