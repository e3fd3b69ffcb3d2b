//! The streaming reader: a multipart/related body fed in chunks and read as it comes, so that a
//! document of hundreds of MiB goes from the socket to disk without ever being held whole.
//!
//! It frames exactly as [`super::whole`] does (the same delimiter, line-end, padding and header
//! rules), but releases a part's bytes as soon as they cannot be the beginning of a delimiter
//! line: it holds at most that line's length (and its padding, bounded like a header block)
//! beyond the chunk it was last fed. The root part is held whole, up to
//! [`Limits::max_root_bytes`], because the envelope must be read before the caller knows where
//! the parts go; it must therefore come first.

use bytes::Bytes;
use memchr::memmem;

use super::{header_too_large, read_headers, strip_brackets, Base64Stream, PartHead, Transfer};
use crate::soap::{streamed_envelope, ContentType, Envelope, Limits, SoapError, Wrappers};
use crate::text::extrait as truncate;

/// What the reader has to say next (see [`StreamingDecoder::next_event`]).
#[derive(Debug, PartialEq, Eq)]
pub enum Event<'a> {
    /// Nothing more can be said until [`StreamingDecoder::push`] or
    /// [`StreamingDecoder::end_of_input`] is called. Never returned after the end of input.
    NeedMore,
    /// The root part is complete: its envelope, read and checked as [`crate::soap::decode_for`]
    /// does (version, actions, wrapper, header blocks), but with its `xop:Include`s left in place
    /// for the caller to find with [`crate::soap::include_reference`].
    Envelope(Envelope),
    /// A part that an Include names starts. Parts that none names are read past without events,
    /// as the whole-body reader ignores them, and so is a second part with a Content-ID already
    /// served. Match it to its Include(s) with [`PartHead::is_named`].
    PartStart(&'a PartHead),
    /// The next bytes of the current part, transfer encoding undone. Valid until the next call.
    PartData(&'a [u8]),
    /// The current part is complete.
    PartEnd,
    /// The closing delimiter was read and every Include was served by a part. Said again to
    /// every later call; bytes pushed after it (an epilogue) are dropped.
    End,
}

/// A sans-IO reader of MTOM uploads: fed the body in chunks with [`push`](Self::push), it
/// yields [`Event`]s from [`next_event`](Self::next_event). Call `next_event` until it says
/// [`Event::NeedMore`] before pushing again: what it holds is then bounded by the largest chunk
/// pushed plus one delimiter line, whatever the size of the parts (plus the root part, bounded by
/// [`Limits::max_root_bytes`]).
///
/// Once it has returned an error it returns that error to every call.
#[derive(Debug)]
pub struct StreamingDecoder {
    ct: ContentType,
    soap_action: Option<String>,
    /// The `start` parameter, brackets removed.
    start: Option<String>,
    limits: Limits,
    wrappers: Option<Vec<(String, String)>>,
    boundary: String,
    /// `--boundary`.
    delimiter: Vec<u8>,
    /// `\r\n--boundary`: the longest beginning of a delimiter line a part's end may hold back.
    crlf_delimiter: Vec<u8>,
    /// Finds `\n--boundary`.
    finder: memmem::Finder<'static>,
    /// Bytes received and not yet released.
    buf: Vec<u8>,
    /// Bytes at the front of `buf` that the last event lent out, dropped at the next call.
    spent: usize,
    eof: bool,
    state: State,
    /// Parts begun so far.
    parts: usize,
    /// Whether the current part's delimiter line ended with CRLF: then a CR before the next
    /// delimiter line is the framing's, otherwise it is content (as in the whole-body reader).
    crlf: bool,
    /// `buf[0]` begins a line (the body's first byte, or a part's first byte after its header
    /// block), so a delimiter may start right there.
    line_start: bool,
    /// How much of `buf` has been searched for header lines, so a header block arriving a byte
    /// at a time is parsed once per line rather than once per byte.
    headers_seen: usize,
    /// The current part's headers.
    head: PartHead,
    root: Vec<u8>,
    base64: Base64Stream,
    /// The last base64 bytes decoded, lent out by [`Event::PartData`].
    decoded: Vec<u8>,
    /// The Includes' references, and whether a part has served each.
    references: Vec<(String, bool)>,
    failed: Option<SoapError>,
}

#[derive(Debug, Clone, Copy)]
enum State {
    /// Before the first delimiter line.
    Preamble,
    /// In a part's header block, which starts at `buf[0]`.
    Headers,
    /// In the root part's content.
    Root,
    /// In the content of a part an Include names.
    Part(Transfer),
    /// In the content of a part nothing names.
    Skip,
    /// A part's content is over; `part_end` is true while [`Event::PartEnd`] is still owed.
    Between {
        next: Next,
        part_end: bool,
    },
    Done,
}

/// Whose content is being read.
#[derive(Debug, Clone, Copy)]
enum Content {
    Root,
    Named(Transfer),
    Unnamed,
}

/// What a delimiter line says comes next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Next {
    /// `--`: the closing delimiter.
    Close,
    /// Another part.
    Part,
    /// The body ended right after the delimiter.
    Truncated,
}

/// Where the next delimiter line is, as far as `buf` tells.
enum Scan {
    /// None decided yet: `buf[..n]` is content for sure, the rest may begin a delimiter line.
    Partial(usize),
    /// The content ends at `end`; the delimiter line announces `next`, which starts at `resume`.
    Found { end: usize, next: Next, resume: usize, crlf: bool },
}

/// What the bytes after a `--boundary` that starts a line make of it.
enum Class {
    /// A delimiter line: what comes next, where, and whether the line ended with CRLF.
    Delimiter(Next, usize, bool),
    /// Boundary text inside content.
    Not,
    /// Cannot tell before more bytes come.
    More,
}

/// An event before its borrows are taken, so that the state machine can loop on `&mut self`.
enum Step {
    Again,
    NeedMore,
    Envelope(Envelope),
    PartStart,
    /// `buf[..n]`.
    Raw(usize),
    Decoded,
    PartEnd,
    End,
}

impl StreamingDecoder {
    /// A reader for a body of HTTP Content-Type `content_type`, which must be multipart/related
    /// with a boundary (plain SOAP goes to [`crate::soap::decode_for`]). `soap_action` is the
    /// SOAPAction header; `wrappers`, as for `decode_for`, refuses an unknown operation from its
    /// start tag, before the envelope's tree is built.
    pub fn new(
        content_type: &str,
        soap_action: Option<&str>,
        limits: &Limits,
        wrappers: Option<Wrappers<'_>>,
    ) -> Result<StreamingDecoder, SoapError> {
        let ct = ContentType::parse(content_type)?;
        if ct.essence() != "multipart/related" {
            return Err(SoapError::UnsupportedContentType(truncate(content_type, 200)));
        }
        let boundary = ct.param("boundary").filter(|b| !b.is_empty()).ok_or(SoapError::MissingBoundary)?.to_string();
        let start = ct.param("start").map(strip_brackets).filter(|s| !s.is_empty()).map(str::to_string);
        let delimiter = [b"--", boundary.as_bytes()].concat();
        let crlf_delimiter = [b"\r\n", &delimiter[..]].concat();
        let finder = memmem::Finder::new(&crlf_delimiter[1..]).into_owned();
        Ok(StreamingDecoder {
            ct,
            soap_action: soap_action.map(str::to_string),
            start,
            limits: *limits,
            wrappers: wrappers.map(|w| w.iter().map(|(ns, name)| (ns.to_string(), name.to_string())).collect()),
            boundary,
            delimiter,
            crlf_delimiter,
            finder,
            buf: Vec::new(),
            spent: 0,
            eof: false,
            state: State::Preamble,
            parts: 0,
            crlf: false,
            line_start: true,
            headers_seen: 0,
            head: PartHead::default(),
            root: Vec::new(),
            base64: Base64Stream::default(),
            decoded: Vec::new(),
            references: Vec::new(),
            failed: None,
        })
    }

    /// Feeds the next bytes of the body. Ignored after [`end_of_input`](Self::end_of_input), an
    /// error, or [`Event::End`].
    pub fn push(&mut self, chunk: &[u8]) {
        self.drop_spent();
        if self.eof || self.failed.is_some() || matches!(self.state, State::Done) {
            return;
        }
        // Growing by doubling would keep twice the largest chunk for good; what is held beyond
        // one chunk is a delimiter line's beginning at most.
        self.buf.reserve_exact(chunk.len());
        self.buf.extend_from_slice(chunk);
    }

    /// No more bytes will come.
    pub fn end_of_input(&mut self) {
        self.eof = true;
    }

    /// The next event; [`Event::NeedMore`] when the reader must be fed first.
    pub fn next_event(&mut self) -> Result<Event<'_>, SoapError> {
        if let Some(e) = &self.failed {
            return Err(e.clone());
        }
        self.drop_spent();
        loop {
            match self.step() {
                Ok(Step::Again) => {}
                Ok(step) => return Ok(self.event(step)),
                Err(e) => {
                    self.failed = Some(e.clone());
                    self.buf = Vec::new();
                    self.root = Vec::new();
                    self.decoded = Vec::new();
                    return Err(e);
                }
            }
        }
    }

    /// Bytes of memory the reader holds in its buffers, for the tests of its bound.
    #[doc(hidden)]
    pub fn buffered(&self) -> usize {
        self.buf.capacity() + self.root.capacity() + self.decoded.capacity() + self.base64.buffered()
    }

    fn event(&self, step: Step) -> Event<'_> {
        match step {
            Step::Again | Step::NeedMore => Event::NeedMore,
            Step::Envelope(envelope) => Event::Envelope(envelope),
            Step::PartStart => Event::PartStart(&self.head),
            Step::Raw(n) => Event::PartData(&self.buf[..n]),
            Step::Decoded => Event::PartData(&self.decoded),
            Step::PartEnd => Event::PartEnd,
            Step::End => Event::End,
        }
    }

    fn step(&mut self) -> Result<Step, SoapError> {
        match self.state {
            State::Preamble => self.preamble(),
            State::Headers => self.headers(),
            State::Root => self.content(Content::Root),
            State::Part(transfer) => self.content(Content::Named(transfer)),
            State::Skip => self.content(Content::Unnamed),
            State::Between { next, part_end } => self.between(next, part_end),
            State::Done => Ok(Step::End),
        }
    }

    fn preamble(&mut self) -> Result<Step, SoapError> {
        match self.scan()? {
            Scan::Partial(_) if self.eof => Err(self.no_parts()),
            Scan::Partial(n) => {
                self.consume(n);
                Ok(Step::NeedMore)
            }
            Scan::Found { next: Next::Close, .. } => Err(self.no_parts()),
            Scan::Found { next: Next::Truncated, .. } => Err(self.truncated()),
            Scan::Found { next: Next::Part, resume, crlf, .. } => {
                self.consume(resume);
                self.crlf = crlf;
                self.begin_part()
            }
        }
    }

    fn begin_part(&mut self) -> Result<Step, SoapError> {
        if self.parts == self.limits.max_parts {
            return Err(SoapError::TooManyParts { limit: self.limits.max_parts });
        }
        self.state = State::Headers;
        self.headers_seen = 0;
        Ok(Step::Again)
    }

    fn headers(&mut self) -> Result<Step, SoapError> {
        let index = self.parts + 1;
        let max = self.limits.max_part_header_bytes;
        let new_line = memchr::memchr(b'\n', &self.buf[self.headers_seen..]).is_some();
        if !new_line && self.buf.len() <= max && !self.eof {
            self.headers_seen = self.buf.len();
            return Ok(Step::NeedMore);
        }
        let Some((headers, content)) = read_headers(&self.buf, 0, index, max)? else {
            if self.eof {
                return Err(self.truncated());
            }
            self.headers_seen = self.buf.len();
            return Ok(Step::NeedMore);
        };
        self.consume(content);
        self.line_start = true;
        self.parts = index;
        self.head = PartHead::new(index, headers);
        if index == 1 {
            if let Some(start) = &self.start {
                if !self.head.is_named(start) {
                    return Err(SoapError::RootNotFirst { start: truncate(start, 100), first: self.head.label() });
                }
            }
            self.state = State::Root;
            return Ok(Step::Again);
        }
        // Every reference this part answers is served, as the whole-body reader gives each
        // reference the first part it names.
        let mut named = false;
        for (reference, served) in &mut self.references {
            if !*served && self.head.is_named(reference) {
                *served = true;
                named = true;
            }
        }
        if !named {
            self.state = State::Skip;
            return Ok(Step::Again);
        }
        let transfer = self.head.transfer()?;
        self.base64 = Base64Stream::default();
        self.state = State::Part(transfer);
        Ok(Step::PartStart)
    }

    fn content(&mut self, content: Content) -> Result<Step, SoapError> {
        let (end, found) = match self.scan()? {
            Scan::Partial(_) if self.eof => return Err(self.truncated()),
            Scan::Partial(n) => (n, None),
            Scan::Found { end, next, resume, crlf } => (end, Some((next, resume, crlf))),
        };
        // Where the next part starts, once this one is over.
        let resume = match found {
            Some((_, resume, crlf)) => {
                self.crlf = crlf;
                resume
            }
            None => end,
        };
        let over = found.map(|(next, _, _)| next);
        match content {
            Content::Root => {
                if self.root.len() + end > self.limits.max_root_bytes {
                    return Err(SoapError::RootTooLarge { limit: self.limits.max_root_bytes });
                }
                self.root.extend_from_slice(&self.buf[..end]);
                self.consume(resume);
                let Some(next) = over else {
                    return Ok(Step::NeedMore);
                };
                self.state = State::Between { next, part_end: false };
                let raw = Bytes::from(std::mem::take(&mut self.root));
                let wrappers: Option<Vec<(&str, &str)>> =
                    self.wrappers.as_ref().map(|w| w.iter().map(|(ns, name)| (ns.as_str(), name.as_str())).collect());
                let (envelope, references) = streamed_envelope(
                    &self.ct,
                    &self.head,
                    &raw,
                    self.soap_action.as_deref(),
                    &self.limits,
                    wrappers.as_deref(),
                )?;
                self.references = references.into_iter().map(|r| (r, false)).collect();
                Ok(Step::Envelope(envelope))
            }
            Content::Unnamed => {
                self.consume(resume);
                match over {
                    Some(next) => {
                        self.state = State::Between { next, part_end: false };
                        Ok(Step::Again)
                    }
                    None => Ok(Step::NeedMore),
                }
            }
            Content::Named(Transfer::Identity) => {
                if let Some(next) = over {
                    self.state = State::Between { next, part_end: true };
                }
                if end == 0 {
                    self.consume(resume);
                    return Ok(if over.is_some() { Step::Again } else { Step::NeedMore });
                }
                // Lent as they lie in the buffer: released at the next call.
                self.spent = resume;
                Ok(Step::Raw(end))
            }
            Content::Named(Transfer::Base64) => {
                self.decoded.clear();
                let mut fed = self.base64.feed(&self.buf[..end], &mut self.decoded);
                if over.is_some() {
                    fed = fed.and_then(|()| self.base64.finish(&mut self.decoded));
                }
                fed.map_err(|reason| self.head.base64_error(reason))?;
                self.consume(resume);
                if let Some(next) = over {
                    self.state = State::Between { next, part_end: true };
                }
                Ok(match (self.decoded.is_empty(), over) {
                    (false, _) => Step::Decoded,
                    (true, Some(_)) => Step::Again,
                    (true, None) => Step::NeedMore,
                })
            }
        }
    }

    fn between(&mut self, next: Next, part_end: bool) -> Result<Step, SoapError> {
        if part_end {
            self.state = State::Between { next, part_end: false };
            return Ok(Step::PartEnd);
        }
        match next {
            Next::Part => self.begin_part(),
            Next::Truncated => Err(self.truncated()),
            Next::Close => {
                self.state = State::Done;
                self.buf = Vec::new();
                if let Some((reference, _)) = self.references.iter().find(|(_, served)| !served) {
                    return Err(SoapError::DanglingReference(truncate(reference, 100)));
                }
                Ok(Step::End)
            }
        }
    }

    /// Looks for the delimiter line that ends the content (or preamble) starting at `buf[0]`,
    /// with the rules of the whole-body reader's `next_delimiter`: `--boundary` at the start of
    /// a line, followed by `--`, or by optional padding and a line end.
    fn scan(&self) -> Result<Scan, SoapError> {
        let buf = &self.buf[..];
        let d = &self.delimiter[..];
        if self.line_start {
            if buf.starts_with(d) {
                match self.classify(d.len())? {
                    Class::Delimiter(next, resume, crlf) => return Ok(Scan::Found { end: 0, next, resume, crlf }),
                    Class::More => return Ok(Scan::Partial(0)),
                    Class::Not => {}
                }
            } else if !self.eof && d.starts_with(buf) {
                return Ok(Scan::Partial(0));
            }
        }
        let mut from = 0;
        while let Some(found) = self.finder.find(&buf[from..]) {
            let lf = from + found;
            match self.classify(lf + 1 + d.len())? {
                Class::Delimiter(next, resume, crlf) => {
                    return Ok(Scan::Found { end: self.content_end(lf), next, resume, crlf })
                }
                Class::More => return Ok(Scan::Partial(self.content_end(lf))),
                Class::Not => from = lf + 1,
            }
        }
        Ok(Scan::Partial(self.undecided_tail()))
    }

    /// Where the content ends when the line break before a delimiter is at `lf`: that break is
    /// the delimiter's, and so is a CR before it under CRLF framing.
    fn content_end(&self, lf: usize) -> usize {
        if self.crlf && lf > 0 && self.buf[lf - 1] == b'\r' {
            lf - 1
        } else {
            lf
        }
    }

    fn classify(&self, after: usize) -> Result<Class, SoapError> {
        let buf = &self.buf[..];
        let rest = &buf[after..];
        if rest.starts_with(b"--") {
            return Ok(Class::Delimiter(Next::Close, after + 2, false));
        }
        if !self.eof && b"--".starts_with(rest) {
            return Ok(Class::More);
        }
        let padding = rest.iter().take_while(|&&b| b == b' ' || b == b'\t').count();
        let p = after + padding;
        if p == buf.len() {
            if self.eof {
                return Ok(Class::Delimiter(Next::Truncated, p, false));
            }
            // The whole-body reader takes any padding; held here, it must be bounded.
            if padding > self.limits.max_part_header_bytes {
                return Err(header_too_large(self.parts + 1, self.limits.max_part_header_bytes));
            }
            return Ok(Class::More);
        }
        if buf[p..].starts_with(b"\r\n") {
            return Ok(Class::Delimiter(Next::Part, p + 2, true));
        }
        if buf[p] == b'\n' {
            return Ok(Class::Delimiter(Next::Part, p + 1, buf[p - 1] == b'\r'));
        }
        if buf[p] == b'\r' && p + 1 == buf.len() && !self.eof {
            return Ok(Class::More);
        }
        Ok(Class::Not)
    }

    /// The start of the shortest end of `buf` that may grow into a delimiter line's beginning
    /// (`\n--boundary`, or `\r\n--boundary` under CRLF framing, where that CR is not content);
    /// `buf.len()` when there is none.
    fn undecided_tail(&self) -> usize {
        let buf = &self.buf[..];
        let lf_delimiter = &self.crlf_delimiter[1..];
        let from = buf.len().saturating_sub(self.crlf_delimiter.len() - 1);
        (from..buf.len())
            .find(|&h| match buf[h] {
                b'\n' => lf_delimiter.starts_with(&buf[h..]),
                b'\r' => self.crlf && self.crlf_delimiter.starts_with(&buf[h..]),
                _ => false,
            })
            .unwrap_or(buf.len())
    }

    fn consume(&mut self, n: usize) {
        if n > 0 {
            self.buf.drain(..n);
            self.line_start = false;
        }
    }

    fn drop_spent(&mut self) {
        let spent = std::mem::take(&mut self.spent);
        self.consume(spent);
    }

    fn no_parts(&self) -> SoapError {
        SoapError::NoParts { boundary: truncate(&self.boundary, 100) }
    }

    fn truncated(&self) -> SoapError {
        SoapError::MissingClosingBoundary { boundary: truncate(&self.boundary, 100) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::soap::mtom::whole::split_parts;
    use crate::soap::{decode, decode_for, include_reference, SoapVersion, SOAP12_NS, XOP_NS};
    use crate::xml::{Element, Node};
    use base64::Engine;
    use rand::rngs::StdRng;
    use rand::{Rng, RngCore, SeedableRng};

    type Parts = Vec<(PartHead, Vec<u8>)>;

    /// Reads `body` fed in chunks whose sizes `chunk` chooses, through to the end.
    fn read_with(
        ct: &str,
        action: Option<&str>,
        body: &[u8],
        limits: &Limits,
        chunk: &mut dyn FnMut() -> usize,
    ) -> Result<(Envelope, Parts), SoapError> {
        let mut decoder = StreamingDecoder::new(ct, action, limits, None)?;
        let mut fed = 0;
        let mut envelope = None;
        let mut parts: Parts = Vec::new();
        let mut open = false;
        loop {
            match decoder.next_event()? {
                Event::NeedMore => {
                    assert!(!decoder.eof, "NeedMore after the end of input");
                    if fed == body.len() {
                        decoder.end_of_input();
                    } else {
                        let n = chunk().clamp(1, body.len() - fed);
                        decoder.push(&body[fed..fed + n]);
                        fed += n;
                    }
                }
                Event::Envelope(e) => {
                    assert!(envelope.is_none() && parts.is_empty());
                    envelope = Some(e);
                }
                Event::PartStart(head) => {
                    assert!(envelope.is_some() && !open);
                    open = true;
                    parts.push((head.clone(), Vec::new()));
                }
                Event::PartData(bytes) => {
                    assert!(open && !bytes.is_empty());
                    parts.last_mut().unwrap().1.extend_from_slice(bytes);
                }
                Event::PartEnd => {
                    assert!(open);
                    open = false;
                }
                Event::End => {
                    assert!(!open);
                    assert_eq!(decoder.next_event(), Ok(Event::End));
                    return Ok((envelope.expect("End before the envelope"), parts));
                }
            }
        }
    }

    /// The envelope with each Include replaced by the bytes of the part it names, as the
    /// whole-body reader gives it.
    fn resolved(mut envelope: Envelope, parts: &Parts) -> Envelope {
        fn walk(e: &mut Element, parts: &Parts) {
            if let Some(reference) = include_reference(e) {
                let (_, bytes) = parts.iter().find(|(h, _)| h.is_named(&reference)).expect("part served");
                e.children = vec![Node::Binary(Bytes::copy_from_slice(bytes))];
                return;
            }
            for node in &mut e.children {
                if let Node::Element(child) = node {
                    walk(child, parts);
                }
            }
        }
        if let Some(h) = envelope.header.as_mut() {
            walk(h, parts);
        }
        walk(&mut envelope.body, parts);
        envelope
    }

    /// Chooses the size of each chunk fed.
    type Chunker = Box<dyn FnMut() -> usize>;

    /// The chunkings every body is read in: bytes one by one, 7 at a time, random sizes, whole.
    fn chunkings(seed: u64) -> Vec<(&'static str, Chunker)> {
        let mut rng = StdRng::seed_from_u64(seed);
        vec![
            ("1", Box::new(|| 1)),
            ("7", Box::new(|| 7)),
            ("1..5000", Box::new(move || rng.gen_range(1..5000))),
            ("entier", Box::new(|| usize::MAX)),
        ]
    }

    /// Reads `body` whole and streamed in every chunking, and insists on the same outcome: the
    /// same envelope once the Includes are resolved, and each part's bytes as
    /// `Part::decoded()` gives them. Returns whether the body was accepted.
    fn agree(ct: &str, action: Option<&str>, body: &[u8], seed: u64) -> bool {
        let limits = Limits::default();
        let whole = decode(ct, action, body, &limits);
        for (name, mut chunk) in chunkings(seed) {
            let streamed = read_with(ct, action, body, &limits, &mut chunk);
            let (envelope, parts) = match (&whole, streamed) {
                (Ok(_), Ok(streamed)) => streamed,
                (Err(_), Err(_)) => continue,
                (whole, streamed) => panic!("découpage {name} : en entier {whole:?}, en flux {streamed:?}"),
            };
            assert_eq!(&resolved(envelope, &parts), whole.as_ref().unwrap(), "découpage {name}");
            let boundary = ContentType::parse(ct).unwrap().param("boundary").unwrap().to_string();
            let split = split_parts(&Bytes::copy_from_slice(body), &boundary, 16, 8192).unwrap();
            for (head, bytes) in &parts {
                let part = &split[head.index - 1];
                assert_eq!(head, &part.head);
                assert_eq!(&part.decoded().unwrap()[..], &bytes[..], "découpage {name}, {}", head.label());
            }
        }
        whole.is_ok()
    }

    #[test]
    fn every_fixture_reads_the_same_in_any_chunking() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/mtom");
        let mut read = 0;
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().and_then(|e| e.to_str()) != Some("body") {
                continue;
            }
            let headers = std::fs::read_to_string(path.with_extension("headers")).unwrap();
            let header = |name: &str| {
                headers.lines().find_map(|l| {
                    let (n, v) = l.split_once(':')?;
                    n.trim().eq_ignore_ascii_case(name).then(|| v.trim().to_string())
                })
            };
            let ct = header("Content-Type").unwrap();
            if !ct.starts_with("multipart/") {
                continue;
            }
            let body = std::fs::read(&path).unwrap();
            assert!(agree(&ct, header("SOAPAction").as_deref(), &body, read), "{}", path.display());
            read += 1;
        }
        assert!(read >= 7, "{read} fixtures MTOM");
    }

    /// Bytes that come close to a delimiter without being one, for `boundary`.
    fn near_misses(boundary: &str) -> Vec<Vec<u8>> {
        let d = format!("--{boundary}");
        let mut v: Vec<Vec<u8>> = vec![
            b"\r".to_vec(),
            b"\n".to_vec(),
            b"\r\n".to_vec(),
            b"-".to_vec(),
            b"--".to_vec(),
            format!("\r\n{d}x").into_bytes(),
            format!("\n{d}-x").into_bytes(),
            format!("\n{d} \tx\r\n").into_bytes(),
            format!("\n{d}\rx").into_bytes(),
            format!("x{d}\r\n").into_bytes(),
        ];
        for k in 1..d.len() {
            v.push(format!("\r\n{}", &d[..k]).into_bytes());
            v.push(format!("\n{}", &d[..k]).into_bytes());
        }
        v
    }

    fn content(rng: &mut StdRng, boundary: &str) -> Vec<u8> {
        let misses = near_misses(boundary);
        let mut out = Vec::new();
        // Content that starts with a piece of delimiter sits right after the header block.
        if rng.gen_bool(0.3) {
            let d = format!("--{boundary}");
            out.extend_from_slice(&d.as_bytes()[..rng.gen_range(1..d.len())]);
        }
        for _ in 0..rng.gen_range(0..12) {
            if rng.gen_bool(0.5) {
                out.extend_from_slice(&misses[rng.gen_range(0..misses.len())]);
            } else {
                let mut noise = vec![0u8; rng.gen_range(0..300)];
                rng.fill_bytes(&mut noise);
                out.extend_from_slice(&noise);
            }
        }
        out
    }

    /// A random MTOM request: root first, then parts the envelope names (binary, 8bit or base64
    /// cut into lines of any width), sometimes one nothing names; bare LF or CRLF, with or
    /// without a preamble, padding after the boundary lines, and headers in any case.
    fn synthetic(rng: &mut StdRng) -> (String, Vec<u8>) {
        let boundary = ["b", "MIME_boundary_42", "uuid:0f6c2a9e-4d3b-4c7a-8e21-5b9d1f3a6c40"][rng.gen_range(0..3)];
        let eol = if rng.gen_bool(0.5) { "\r\n" } else { "\n" };
        let count = rng.gen_range(1..4);
        let mut elements = String::new();
        for i in 0..count {
            elements.push_str(&format!(
                "<piece{i}>\n  <xop:Include xmlns:xop=\"{XOP_NS}\" href=\"cid:part%20{i}@x\"/>\n</piece{i}>"
            ));
        }
        let root = format!(
            "<?xml version=\"1.0\"?><s:Envelope xmlns:s=\"{SOAP12_NS}\"><s:Body><w:op xmlns:w=\"urn:w\">{elements}</w:op></s:Body></s:Envelope>"
        );
        let with_start = rng.gen_bool(0.5);
        let ct = format!(
            "multipart/related; type=\"application/xop+xml\"; boundary=\"{boundary}\"{}",
            if with_start { "; start=\"<root@x>\"" } else { "" }
        );
        let line = |out: &mut Vec<u8>, rng: &mut StdRng, last: bool| {
            out.extend_from_slice(format!("--{boundary}{}", if last { "--" } else { "" }).as_bytes());
            if rng.gen_bool(0.2) {
                out.extend_from_slice(b" \t ");
            }
            out.extend_from_slice(eol.as_bytes());
        };
        let mut body = Vec::new();
        if rng.gen_bool(0.3) {
            body.extend_from_slice(format!("preamble --{boundary}x{eol}").as_bytes());
        }
        line(&mut body, rng, false);
        body.extend_from_slice(
            format!(
                "content-type: application/xop+xml; type=\"application/soap+xml\"{eol}CONTENT-ID: <root@x>{eol}{eol}"
            )
            .as_bytes(),
        );
        body.extend_from_slice(root.as_bytes());
        body.extend_from_slice(eol.as_bytes());
        let mut order: Vec<usize> = (0..count).collect();
        if rng.gen_bool(0.5) {
            order.reverse();
        }
        for i in order {
            if rng.gen_bool(0.2) {
                line(&mut body, rng, false);
                body.extend_from_slice(
                    format!("Content-ID: <junk@x>{eol}Content-Transfer-Encoding: x-inconnu{eol}{eol}??{eol}")
                        .as_bytes(),
                );
            }
            line(&mut body, rng, false);
            let id = if rng.gen_bool(0.5) { format!("<part {i}@x>") } else { format!("part%20{i}@x") };
            let data = content(rng, boundary);
            let encoding = ["binary", "8bit", "BASE64", ""][rng.gen_range(0..4)];
            body.extend_from_slice(format!("Content-Id: {id}{eol}").as_bytes());
            if !encoding.is_empty() {
                body.extend_from_slice(format!("content-transfer-encoding: {encoding}{eol}").as_bytes());
            }
            body.extend_from_slice(eol.as_bytes());
            if encoding == "BASE64" {
                let text = base64::engine::general_purpose::STANDARD.encode(&data);
                let width = rng.gen_range(1..100);
                for piece in text.as_bytes().chunks(width) {
                    body.extend_from_slice(piece);
                    body.extend_from_slice(eol.as_bytes());
                }
            } else {
                body.extend_from_slice(&data);
                body.extend_from_slice(eol.as_bytes());
            }
        }
        line(&mut body, rng, true);
        if rng.gen_bool(0.3) {
            body.extend_from_slice(b"epilogue");
        }
        (ct, body)
    }

    #[test]
    fn synthetic_bodies_read_the_same_in_any_chunking() {
        let mut rng = StdRng::seed_from_u64(0x5eed);
        let mut accepted = 0;
        for round in 0..150 {
            let (ct, body) = synthetic(&mut rng);
            if agree(&ct, None, &body, round) {
                accepted += 1;
            }
            // Cut anywhere, the body is refused by both readers alike; with a byte changed, they
            // still agree on whether and how to read it.
            let cut = rng.gen_range(0..body.len());
            agree(&ct, None, &body[..cut], round);
            let mut mutant = body.clone();
            for _ in 0..rng.gen_range(1..4) {
                let at = rng.gen_range(0..mutant.len());
                let bytes = b"\r\n-b: <>x\x00";
                mutant[at] = bytes[rng.gen_range(0..bytes.len())];
            }
            agree(&ct, None, &mutant, round);
        }
        assert!(accepted >= 140, "{accepted} corps acceptés sur 150");
    }

    #[test]
    fn delimiters_at_the_edges_of_parts() {
        let root = format!(
            "<s:Envelope xmlns:s=\"{SOAP12_NS}\"><s:Body><w><a><xop:Include xmlns:xop=\"{XOP_NS}\" href=\"cid:a\"/></a></w></s:Body></s:Envelope>"
        );
        let ct = "multipart/related; boundary=b";
        for (framing, body) in [
            // The delimiter right after the blank line: an empty part.
            ("crlf", format!("--b\r\n\r\n{root}\r\n--b\r\nContent-ID: a\r\n\r\n--b--")),
            ("lf", format!("--b\n\n{root}\n--b\nContent-ID: a\n\n--b--\n")),
            // A part of one line break, and one ending in CR under each framing.
            ("crlf", format!("--b\r\n\r\n{root}\r\n--b\r\nContent-ID: a\r\n\r\n\r\n\r\n--b--")),
            ("lf", format!("--b\n\n{root}\n--b\nContent-ID: a\n\n\r\n--b--")),
            ("lf", format!("--b\n\n{root}\n--b\nContent-ID: a\n\nx\r\r\n--b--")),
            // Boundary text that is content.
            ("crlf", format!("--b\r\n\r\n{root}\r\n--b\r\nContent-ID: a\r\n\r\n--bx\r\n--b-\r\n--b x\r\n--b--")),
        ] {
            assert!(agree(ct, None, body.as_bytes(), 1), "{framing}: {body:?}");
        }
    }

    fn simple(parts: &[(&str, &[u8])]) -> Vec<u8> {
        let mut body = Vec::new();
        for (headers, content) in parts {
            body.extend_from_slice(b"--b\r\n");
            body.extend_from_slice(headers.as_bytes());
            body.extend_from_slice(b"\r\n\r\n");
            body.extend_from_slice(content);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(b"--b--\r\n");
        body
    }

    fn envelope_naming(references: &[&str]) -> String {
        let elements: String = references
            .iter()
            .enumerate()
            .map(|(i, r)| format!("<e{i}><xop:Include xmlns:xop=\"{XOP_NS}\" href=\"cid:{r}\"/></e{i}>"))
            .collect();
        format!("<s:Envelope xmlns:s=\"{SOAP12_NS}\"><s:Body><w:op xmlns:w=\"urn:w\">{elements}</w:op></s:Body></s:Envelope>")
    }

    fn read(ct: &str, body: &[u8], limits: &Limits) -> Result<(Envelope, Parts), SoapError> {
        read_with(ct, None, body, limits, &mut || 3)
    }

    const CT: &str = "multipart/related; type=\"application/xop+xml\"; boundary=b; start=\"<root@x>\"";

    #[test]
    fn the_envelope_comes_first_with_its_includes_in_place() {
        let root = envelope_naming(&["f%20a@x", "f%20a@x"]);
        let body = simple(&[("Content-ID: <root@x>", root.as_bytes()), ("Content-ID: <f a@x>", b"fichier")]);
        let (envelope, parts) = read(CT, &body, &Limits::default()).unwrap();
        assert_eq!(envelope.version, SoapVersion::V12);
        assert!(envelope.mtom);
        let e0 = envelope.body.child("e0").unwrap();
        assert_eq!(include_reference(e0).as_deref(), Some("f%20a@x"));
        assert_eq!(include_reference(e0.elements().next().unwrap()).as_deref(), Some("f%20a@x"));
        assert_eq!(include_reference(&envelope.body), None);
        // One part serves both Includes that name it.
        assert_eq!(parts.len(), 1);
        assert!(parts[0].0.is_named("f%20a@x"));
        assert_eq!(parts[0].0.index, 2);
        assert_eq!(parts[0].1, b"fichier");
    }

    #[test]
    fn the_root_part_must_come_first() {
        let root = envelope_naming(&["f@x"]);
        let body = simple(&[("Content-ID: <f@x>", b"fichier"), ("Content-ID: <root@x>", root.as_bytes())]);
        // The whole-body reader takes it; a stream cannot.
        decode(CT, None, &body, &Limits::default()).unwrap();
        let err = read(CT, &body, &Limits::default()).unwrap_err();
        assert_eq!(
            err,
            SoapError::RootNotFirst { start: "root@x".into(), first: "partie n°1 (Content-ID <f@x>)".into() }
        );
        assert!(err.to_string().contains("doit précéder les pièces jointes"), "{err}");
        // Without `start`, the first part is the root.
        let err = read("multipart/related; boundary=b", &body, &Limits::default()).unwrap_err();
        assert!(matches!(err, SoapError::Xml(_)), "{err}");
    }

    #[test]
    fn the_root_part_is_bounded() {
        let root = envelope_naming(&["f@x"]);
        let body = simple(&[("Content-ID: <root@x>", root.as_bytes()), ("Content-ID: <f@x>", &[b'x'; 10_000])]);
        let limits = Limits { max_root_bytes: root.len(), ..Limits::default() };
        read(CT, &body, &limits).unwrap();
        let limits = Limits { max_root_bytes: root.len() - 1, ..Limits::default() };
        let err = read(CT, &body, &limits).unwrap_err();
        assert_eq!(err, SoapError::RootTooLarge { limit: root.len() - 1 });
        assert!(err.to_string().contains("max_root_bytes"), "{err}");
    }

    #[test]
    fn refusals_of_the_whole_body_reader_hold() {
        let limits = Limits::default();
        let root = envelope_naming(&["f@x"]);
        let body = simple(&[("Content-ID: <root@x>", root.as_bytes()), ("Content-ID: <f@x>", b"fichier")]);
        let boundary = || "b".to_string();

        for cut in [body.len() - 9, body.len() - 20, 30, 5] {
            let err = read(CT, &body[..cut], &limits).unwrap_err();
            assert_eq!(err, SoapError::MissingClosingBoundary { boundary: boundary() }, "coupé à {cut}");
        }
        assert_eq!(read(CT, b"rien", &limits).unwrap_err(), SoapError::NoParts { boundary: boundary() });
        assert_eq!(read(CT, b"--b--\r\n", &limits).unwrap_err(), SoapError::NoParts { boundary: boundary() });

        let three = simple(&[("Content-ID: <root@x>", root.as_bytes()), ("Content-ID: <f@x>", b"f"), ("", b"")]);
        let err = read(CT, &three, &Limits { max_parts: 2, ..limits }).unwrap_err();
        assert_eq!(err, SoapError::TooManyParts { limit: 2 });

        let long = format!("Content-ID: <f@x>\r\nX-Long: {}", "a".repeat(200));
        let big = simple(&[("Content-ID: <root@x>", root.as_bytes()), (&long, b"f")]);
        let err = read(CT, &big, &Limits { max_part_header_bytes: 100, ..limits }).unwrap_err();
        assert_eq!(err, SoapError::PartHeaderTooLarge { part: "partie n°2".into(), limit: 100 });

        // Padding after a boundary line is held while it lasts, so it is bounded too.
        let mut padded = body.clone();
        padded.splice(3..3, std::iter::repeat_n(b' ', 200));
        read(CT, &padded, &limits).unwrap();
        let err = read(CT, &padded, &Limits { max_part_header_bytes: 100, ..limits }).unwrap_err();
        assert_eq!(err, SoapError::PartHeaderTooLarge { part: "partie n°1".into(), limit: 100 });

        let dangling = simple(&[("Content-ID: <root@x>", root.as_bytes()), ("Content-ID: <g@x>", b"g")]);
        assert_eq!(read(CT, &dangling, &limits).unwrap_err(), SoapError::DanglingReference("f@x".into()));

        let qp = simple(&[
            ("Content-ID: <root@x>", root.as_bytes()),
            ("Content-ID: <junk@x>\r\nContent-Transfer-Encoding: x-inconnu", b"??"),
            ("Content-ID: <f@x>\r\nContent-Transfer-Encoding: quoted-printable", b"f"),
        ]);
        let err = read(CT, &qp, &limits).unwrap_err();
        assert!(matches!(err, SoapError::UnsupportedTransferEncoding { .. }), "{err}");
        assert!(err.to_string().contains("partie n°3 (Content-ID <f@x>)"), "{err}");

        let bad = simple(&[
            ("Content-ID: <root@x>", root.as_bytes()),
            ("Content-ID: <f@x>\r\nContent-Transfer-Encoding: base64", b"aGVs!G8="),
        ]);
        let err = read(CT, &bad, &limits).unwrap_err();
        assert_eq!(err, decode(CT, None, &bad, &limits).unwrap_err());

        let in_body = format!("<s:Envelope xmlns:s=\"{SOAP12_NS}\"><s:Body><xop:Include xmlns:xop=\"{XOP_NS}\" href=\"cid:f@x\"/></s:Body></s:Envelope>");
        let body_include = simple(&[("Content-ID: <root@x>", in_body.as_bytes()), ("Content-ID: <f@x>", b"f")]);
        assert_eq!(decode(CT, None, &body_include, &limits).unwrap_err(), SoapError::BodyText);
        assert_eq!(read(CT, &body_include, &limits).unwrap_err(), SoapError::BodyText);

        let href = envelope_naming(&[]).replace(
            "<w:op xmlns:w=\"urn:w\">",
            &format!("<w:op xmlns:w=\"urn:w\"><a><xop:Include xmlns:xop=\"{XOP_NS}\" href=\"http://x\"/></a>"),
        );
        let bad_href = simple(&[("Content-ID: <root@x>", href.as_bytes())]);
        assert_eq!(read(CT, &bad_href, &limits).unwrap_err(), SoapError::BadIncludeHref("http://x".into()));

        assert!(matches!(
            StreamingDecoder::new("application/soap+xml", None, &limits, None).unwrap_err(),
            SoapError::UnsupportedContentType(_)
        ));
        assert_eq!(
            StreamingDecoder::new("multipart/related", None, &limits, None).unwrap_err(),
            SoapError::MissingBoundary
        );
        assert_eq!(StreamingDecoder::new("", None, &limits, None).unwrap_err(), SoapError::MissingContentType);
    }

    #[test]
    fn an_unknown_operation_is_refused_with_the_envelope_and_errors_stick() {
        let root = envelope_naming(&["f@x"]);
        let body = simple(&[("Content-ID: <root@x>", root.as_bytes()), ("Content-ID: <f@x>", b"fichier")]);
        let limits = Limits::default();
        let wrappers: &[(&str, &str)] = &[("urn:w", "autre")];
        let expected = decode_for(CT, None, &body, &limits, Some(wrappers)).unwrap_err();
        assert!(matches!(expected, SoapError::UnknownOperation { .. }));
        let mut decoder = StreamingDecoder::new(CT, None, &limits, Some(wrappers)).unwrap();
        let root_end = memchr::memmem::find(&body, b"</s:Envelope>").unwrap() + 20;
        decoder.push(&body[..root_end]);
        assert_eq!(decoder.next_event().unwrap_err(), expected);
        decoder.push(&body[root_end..]);
        assert_eq!(decoder.next_event().unwrap_err(), expected);
        assert_eq!(decoder.buffered(), 0);

        let wrappers: &[(&str, &str)] = &[("urn:w", "op")];
        let mut decoder = StreamingDecoder::new(CT, None, &limits, Some(wrappers)).unwrap();
        decoder.push(&body[..root_end]);
        assert!(matches!(decoder.next_event(), Ok(Event::Envelope(_))));
    }

    #[test]
    fn actions_are_read_as_the_whole_body_reader_reads_them() {
        let root = envelope_naming(&[]);
        let headers = "Content-ID: <root@x>\r\nContent-Type: application/xop+xml; type=\"application/soap+xml\"; action=\"getNumUnique\"";
        let body = simple(&[(headers, root.as_bytes())]);
        let ct = format!("{CT}; action=\"urn:ws/getNumUnique\"");
        let (envelope, _) = read(&ct, &body, &Limits::default()).unwrap();
        assert_eq!(envelope, decode(&ct, None, &body, &Limits::default()).unwrap());
        assert_eq!(envelope.action.as_deref(), Some("urn:ws/getNumUnique"));
        let err = read(&format!("{CT}; action=\"urn:ws/autre\""), &body, &Limits::default()).unwrap_err();
        assert!(matches!(err, SoapError::ActionMismatch { .. }), "{err}");
    }

    /// Reads a body whose second part is `size` bytes (base64 when `base64`) fed in chunks of
    /// 64 KiB, and returns the most the reader held at any time.
    fn held_while_reading(size: usize, base64: bool) -> usize {
        const CHUNK: usize = 64 * 1024;
        let boundary = "uuid:0f6c2a9e-4d3b-4c7a-8e21-5b9d1f3a6c40";
        let mut rng = StdRng::seed_from_u64(size as u64);
        let mut data = vec![0u8; size];
        rng.fill_bytes(&mut data);
        // Beginnings of delimiter lines across the chunks' edges.
        let near = format!("\r\n--{}", &boundary[..boundary.len() - 1]);
        let mut at = CHUNK - 7;
        while at + near.len() < size {
            data[at..at + near.len()].copy_from_slice(near.as_bytes());
            at += CHUNK + 13;
        }
        let root = envelope_naming(&["doc@x"]);
        let (encoding, content) = if base64 {
            let text = base64::engine::general_purpose::STANDARD.encode(&data);
            let lines: Vec<&[u8]> = text.as_bytes().chunks(76).collect();
            ("base64", lines.join(&b"\r\n"[..]))
        } else {
            ("binary", data.clone())
        };
        let body = [
            format!("--{boundary}\r\nContent-ID: <root@x>\r\n\r\n{root}\r\n--{boundary}\r\nContent-ID: <doc@x>\r\nContent-Transfer-Encoding: {encoding}\r\n\r\n").as_bytes(),
            &content,
            format!("\r\n--{boundary}--\r\n").as_bytes(),
        ]
        .concat();
        let ct = format!("multipart/related; boundary=\"{boundary}\"; start=\"<root@x>\"");
        let mut decoder = StreamingDecoder::new(&ct, None, &Limits::default(), None).unwrap();
        let mut chunks = body.chunks(CHUNK);
        let mut held = 0;
        let mut received = 0;
        let mut mismatch = None;
        loop {
            held = held.max(decoder.buffered());
            match decoder.next_event().unwrap() {
                Event::NeedMore => match chunks.next() {
                    Some(chunk) => decoder.push(chunk),
                    None => decoder.end_of_input(),
                },
                Event::PartData(bytes) => {
                    if mismatch.is_none() && data[received..received + bytes.len()] != *bytes {
                        mismatch = Some(received);
                    }
                    received += bytes.len();
                }
                Event::End => break,
                Event::Envelope(_) | Event::PartStart(_) | Event::PartEnd => {}
            }
        }
        assert_eq!(mismatch, None);
        assert_eq!(received, size);
        held
    }

    #[test]
    fn memory_held_does_not_grow_with_the_part() {
        // A chunk, the beginning of a delimiter line, and for base64 the chunk's decoded bytes,
        // whatever the size of the part.
        const CHUNK: usize = 64 * 1024;
        let held = held_while_reading(50 << 20, false);
        assert!(held <= CHUNK + 4096, "{held} octets tenus pour une partie de 50 Mio");
        let held = held_while_reading(8 << 20, true);
        assert!(held <= CHUNK + CHUNK * 3 / 4 + 8192, "{held} octets tenus pour une partie base64 de 8 Mio");
    }
}
