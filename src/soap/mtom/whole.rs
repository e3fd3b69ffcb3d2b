//! The whole-body reader: splits a message held in memory into parts and replaces every
//! `xop:Include` with the bytes of the part it names. For small calls; documents go through
//! [`super::stream`].

use bytes::Bytes;
use memchr::memmem;

use super::{include_href, read_headers, PartHead};
use crate::soap::SoapError;
use crate::text::extrait as truncate;
use crate::xml::Element;

/// One part of a received multipart message, transfer encoding not yet undone.
#[derive(Debug)]
pub(crate) struct Part {
    pub head: PartHead,
    raw: Bytes,
}

impl Part {
    /// The part's content with its Content-Transfer-Encoding undone.
    pub fn decoded(&self) -> Result<Bytes, SoapError> {
        self.head.decode(&self.raw)
    }

    /// True when this part is the one `reference` names (see [`PartHead::is_named`]).
    pub fn is_named(&self, reference: &str) -> bool {
        self.head.is_named(reference)
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
        parts.push(Part { head: PartHead::new(index, headers), raw: body.slice(body_start..end) });
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

/// What replaces each `xop:Include` of a message split into `parts`: the bytes of the part it
/// names, each part decoded once however many Includes name it.
pub(crate) fn resolver(parts: &[Part]) -> impl FnMut(&Element) -> Result<Option<Bytes>, SoapError> + '_ {
    let mut cache: Vec<Option<Bytes>> = vec![None; parts.len()];
    move |include| lookup(include, parts, &mut cache).map(Some)
}

fn lookup(include: &Element, parts: &[Part], cache: &mut [Option<Bytes>]) -> Result<Bytes, SoapError> {
    let reference = include_href(include)?;
    let position = parts
        .iter()
        .position(|p| p.is_named(reference))
        .ok_or_else(|| SoapError::DanglingReference(truncate(reference, 100)))?;
    if let Some(bytes) = &cache[position] {
        return Ok(bytes.clone());
    }
    let bytes = parts[position].decoded()?;
    cache[position] = Some(bytes.clone());
    Ok(bytes)
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
        assert_eq!(parts[0].head.content_id.as_deref(), Some("a"));
        assert_eq!(&parts[0].raw[..], b"AAA");
        assert_eq!(parts[1].head.content_id.as_deref(), Some("b"));
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
}
