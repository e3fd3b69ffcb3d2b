//! Writing MTOM answers: a whole message at once, or all of one but the content of its last
//! part, which the caller streams between a head and a tail.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use bytes::Bytes;
use memchr::memmem;
use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
use rand::RngCore;

use crate::soap::envelope::SoapVersion;
use crate::soap::{Encoded, StreamedResponse};

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
    let (content_type, boundary, mut out) = write_parts(version, &envelope, &attachments);
    line(&mut out, &format!("--{boundary}--"));
    Encoded { content_type, body: out }
}

/// The part of an answer whose content the caller streams.
pub(crate) struct StreamedPart {
    /// Without angle brackets.
    pub content_id: String,
    pub content_type: String,
}

/// Writes an MTOM message whose last part is `streamed`, up to its content (the head) and from
/// after it (the tail). The content travels as `binary`: it is read from disk and may be large,
/// and base64 would have to be cut into lines on the way.
pub(crate) fn write_streamed(
    version: SoapVersion,
    envelope: Vec<u8>,
    attachments: Vec<Attachment>,
    streamed: &StreamedPart,
) -> StreamedResponse {
    // The content cannot be searched for the boundary as the other parts are; a delimiter holds
    // 122 fresh random bits, so a document holding one by chance is not a practical concern.
    let (content_type, boundary, mut head) = write_parts(version, &envelope, &attachments);
    line(&mut head, &format!("--{boundary}"));
    line(&mut head, &format!("Content-Type: {}", header_safe(&streamed.content_type)));
    line(&mut head, "Content-Transfer-Encoding: binary");
    line(&mut head, &format!("Content-ID: <{}>", streamed.content_id));
    line(&mut head, "");
    let tail = format!("\r\n--{boundary}--\r\n").into_bytes();
    StreamedResponse { content_type, head, tail }
}

/// Chooses the boundary and writes the root part and `attachments`, each closed by its line
/// break: returns the HTTP Content-Type, the boundary and the bytes, which the next delimiter
/// line continues.
fn write_parts(version: SoapVersion, envelope: &[u8], attachments: &[Attachment]) -> (String, String, Vec<u8>) {
    // A random boundary is practically never in the payloads; checking makes it certain.
    let id = loop {
        let id = uuid();
        let delimiter = format!("--uuid:{id}");
        let finder = memmem::Finder::new(delimiter.as_bytes());
        let clash =
            finder.find(envelope).is_some() || attachments.iter().any(|a| !a.base64 && finder.find(&a.data).is_some());
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
    line(&mut out, &format!("--{boundary}"));
    line(&mut out, &format!("Content-Type: application/xop+xml; charset=utf-8; type=\"{media}\""));
    line(&mut out, "Content-Transfer-Encoding: 8bit");
    line(&mut out, &format!("Content-ID: <{root_id}>"));
    line(&mut out, "");
    out.extend_from_slice(envelope);
    out.extend_from_slice(b"\r\n");
    for a in attachments {
        line(&mut out, &format!("--{boundary}"));
        line(&mut out, &format!("Content-Type: {}", header_safe(&a.content_type)));
        line(&mut out, if a.base64 { "Content-Transfer-Encoding: base64" } else { "Content-Transfer-Encoding: 8bit" });
        line(&mut out, &format!("Content-ID: <{}>", a.content_id));
        line(&mut out, "");
        if a.base64 {
            // Line by line straight into the message (57 bytes make a 76-character line): no
            // copy of the whole text (an attestation's 70 KB encoded then copied was a tenth of a
            // registration's CPU with its reallocations).
            for chunk in a.data.chunks(57) {
                let debut = out.len();
                out.resize(debut + 76, 0);
                let n = STANDARD
                    .encode_slice(chunk, &mut out[debut..])
                    .expect("57 octets tiennent en 76 caractères base64");
                out.truncate(debut + n);
                out.extend_from_slice(b"\r\n");
            }
        } else {
            out.extend_from_slice(&a.data);
            out.extend_from_slice(b"\r\n");
        }
    }
    (content_type, boundary, out)
}

fn line(out: &mut Vec<u8>, s: &str) {
    out.extend_from_slice(s.as_bytes());
    out.extend_from_slice(b"\r\n");
}

/// A caller-given header value cannot be allowed to inject lines.
fn header_safe(value: &str) -> String {
    value.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cid_href_encodes_what_a_url_cannot_hold() {
        assert_eq!(cid_href("a b/c@x"), "cid:a%20b%2Fc@x");
        assert!(new_content_id().ends_with("@sne-gateway"));
        assert_ne!(uuid(), uuid());
        assert_eq!(uuid().len(), 36);
    }
}
