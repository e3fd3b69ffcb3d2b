//! Robustness of the parsers on hostile input: a seeded mutation fuzzer over the fixtures, and
//! named hostile cases.
//!
//! The fuzzer is deterministic: mutant `i` of a run is built from `StdRng::seed_from_u64(base +
//! i)`, so a failure names the seed that rebuilds it, and its input is also written to
//! `<target>/robustness-failures/` where `replay_saved_failures` runs it again. The number of
//! mutants and the base seed can be raised for a longer local run:
//! `ROBUSTNESS_MUTANTS=20000 ROBUSTNESS_SEED=7 cargo test --test robustness`.
//!
//! Properties checked on every mutant (each call inside `catch_unwind`):
//! - no panic, and no single call slower than `CALL_BUDGET`;
//! - every error has a non-empty Display of bounded length, and its SOAP fault is well-formed
//!   XML 1.0;
//! - `lire_demande`: `Err(Anomalies)` is never empty; codes <= 10 characters, `propriete` <= 255,
//!   `message` non-empty and <= 512;
//! - accepted files: `ecrire_demande` writes XML 1.0 that `lire_demande` reads back to the same
//!   typed value;
//! - `ecrire_rejet`: whatever it returns is well-formed XML 1.0 with the anomalies in it.
//! - the piece examiner (`registry::format`) on mutants of hostile PDFs: the same verdict
//!   whole and in chunks of any size, bounded memory, bounded messages.

use std::any::Any;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sne_gateway::contract::{self, Anomalie, LectureError};
use sne_gateway::registry::format::{Examen, Format, Limites, RefusFormat, ACTIFS};
use sne_gateway::soap::{self, SoapError, SoapVersion};
use sne_gateway::xml;

#[path = "kit/pdf.rs"]
#[allow(dead_code)]
mod pdf;

/// Longest a single call may take on inputs of a few MB in a debug build. Generous on purpose:
/// it catches quadratic or runaway behaviour, not slowness.
const CALL_BUDGET: Duration = Duration::from_secs(3);
/// Longest error message accepted: errors are echoed into faults, so hostile input must not be
/// able to make them large.
const MAX_ERROR_CHARS: usize = 2048;
/// Mutants grow by insertion; beyond this they are cut back (the HTTP layer bounds bodies to
/// 10 MB anyway).
const MAX_MUTANT_BYTES: usize = 3 * 1024 * 1024;

const DEFAULT_SEED: u64 = 0x5EED_50A9;

// ----------------------------------------------------------------------------------------------
// Corpus

#[derive(Clone)]
struct SoapSeed {
    name: String,
    content_type: String,
    soap_action: Option<String>,
    body: Vec<u8>,
}

#[derive(Clone)]
struct FileSeed {
    name: String,
    body: Vec<u8>,
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn sorted_files(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .collect();
    files.sort();
    files
}

fn header_value(headers: &str, name: &str) -> Option<String> {
    headers.lines().find_map(|l| {
        let (n, v) = l.split_once(':')?;
        n.trim().eq_ignore_ascii_case(name).then(|| v.trim().to_string())
    })
}

fn soap_seeds() -> Vec<SoapSeed> {
    let seeds: Vec<SoapSeed> = sorted_files(&root().join("fixtures/mtom"), "body")
        .into_iter()
        .map(|body_path| {
            let headers = std::fs::read_to_string(body_path.with_extension("headers")).unwrap();
            SoapSeed {
                name: body_path.file_stem().unwrap().to_string_lossy().into_owned(),
                content_type: header_value(&headers, "Content-Type").expect("Content-Type"),
                soap_action: header_value(&headers, "SOAPAction"),
                body: std::fs::read(&body_path).unwrap(),
            }
        })
        .collect();
    assert!(seeds.len() >= 9, "fixtures/mtom: {} seeds", seeds.len());
    seeds
}

/// (valid files, invalid files).
fn file_seeds() -> (Vec<FileSeed>, Vec<FileSeed>) {
    let read = |dir: &str| -> Vec<FileSeed> {
        sorted_files(&root().join(dir), "xml")
            .into_iter()
            .map(|path| FileSeed {
                name: path.file_stem().unwrap().to_string_lossy().into_owned(),
                body: std::fs::read(&path).unwrap(),
            })
            .collect()
    };
    let (valid, invalid) = (read("fixtures/demande/valid"), read("fixtures/demande/invalid"));
    assert!(valid.len() >= 6 && invalid.len() >= 25, "fixtures/demande: {} + {}", valid.len(), invalid.len());
    (valid, invalid)
}

// ----------------------------------------------------------------------------------------------
// Mutations

/// Markup and encoding tokens that break parsers in interesting places.
const TOKENS: &[&[u8]] = &[
    b"<",
    b"&",
    b"]]>",
    b">",
    b"</",
    b"/>",
    b"<!DOCTYPE x [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">]>",
    b"<!DOCTYPE x SYSTEM \"file:///etc/passwd\">",
    b"<!DOCTYPE",
    b"&b;",
    b"&#0;",
    b"&#1;",
    b"&#x1F;",
    b"&#xD800;",
    b"&#x110000;",
    b"&#xFFFE;",
    b"&#65;",
    b"&#99999999999;",
    b"&lt;",
    b"&amp",
    b"&;",
    b"<![CDATA[",
    b"<![CDATA[x]]>",
    b"<!--",
    b"-->",
    b"<!-- x -- y -->",
    b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>",
    b"<?xml version=\"1.0\"?>",
    b"<?pi x?>",
    b"\0",
    b"\x01",
    b"\x1b",
    b"\"",
    b"'",
    b"=",
    b" xmlns=\"urn:autre\"",
    b" xmlns:ns2=\"urn:autre\"",
    b" xmlns:ns2=\"\"",
    b" xmlns:xop=\"http://www.w3.org/2004/08/xop/include\"",
    b"ns9:",
    b"xop:",
    b"<xop:Include xmlns:xop=\"http://www.w3.org/2004/08/xop/include\" href=\"cid:x\"/>",
    b"<xop:Include xmlns:xop=\"http://www.w3.org/2004/08/xop/include\"/>",
    b" ns2:modifie=\"true\"",
    b" modifie=\"oui\"",
    b"\r",
    b"\n",
    b"\r\n",
    b"\r\n\r\n",
    b"\t",
    "é".as_bytes(),
    "\u{FFFF}".as_bytes(),
    "\u{FEFF}".as_bytes(),
    "\u{202E}".as_bytes(),
    b"--",
    b"%",
    b"%zz",
    b"%00",
    b"%C3%28",
    b"%25%",
    b"cid:",
    b"cid:%",
    b"!*@$",
    b"====",
    b"Content-Transfer-Encoding: base64\r\n",
    b"Content-Transfer-Encoding: quoted-printable\r\n",
    b"Content-ID: <>\r\n",
    b"Content-Type: text/xml; charset=\"\r\n",
    b"sans deux-points\r\n",
    b" folded\r\n",
];

const INVALID_UTF8: &[&[u8]] = &[
    b"\xFF",
    b"\xFE\xFF",
    b"\xC3",
    b"\xC3\x28",
    b"\xED\xA0\x80",
    b"\xF4\x90\x80\x80",
    b"\xC0\xAF",
    b"\x80",
    b"\xE2\x82",
];

const NUMBERS: &[&str] = &[
    "99999999999999999999999",
    "2147483648",
    "-2147483649",
    "-9223372036854775809",
    "-0",
    "+1",
    "1e5",
    "0x10",
    "٣",
    "",
    " 1 ",
    "00000000000000000000000000000001",
    "NaN",
];

fn pick<'a, T>(rng: &mut StdRng, items: &'a [T]) -> &'a T {
    &items[rng.gen_range(0..items.len())]
}

fn pos(rng: &mut StdRng, data: &[u8]) -> usize {
    rng.gen_range(0..=data.len())
}

fn splice(data: &mut Vec<u8>, at: usize, bytes: &[u8]) {
    data.splice(at..at, bytes.iter().copied());
}

/// A position just after a markup character found from a random place (falls back to random).
fn markup_pos(rng: &mut StdRng, data: &[u8]) -> usize {
    let start = pos(rng, data);
    data[start..].iter().position(|b| matches!(b, b'<' | b'>' | b'"' | b'\n')).map(|i| start + i + 1).unwrap_or(start)
}

fn find_all(data: &[u8], needle: &[u8]) -> Vec<usize> {
    memchr::memmem::find_iter(data, needle).collect()
}

/// Applies one mutation; returns its name for reports.
fn mutate(rng: &mut StdRng, data: &mut Vec<u8>, boundary: Option<&str>) -> &'static str {
    match rng.gen_range(0..19) {
        0 => {
            for _ in 0..rng.gen_range(1..=8) {
                if !data.is_empty() {
                    let i = rng.gen_range(0..data.len());
                    data[i] ^= 1 << rng.gen_range(0..8);
                }
            }
            "bit flips"
        }
        1 => {
            if !data.is_empty() {
                let i = rng.gen_range(0..data.len());
                data[i] = rng.gen();
            }
            "random byte"
        }
        2 => {
            let at = pos(rng, data);
            data.truncate(at);
            "truncation"
        }
        3 => {
            let at = pos(rng, data);
            let token = *pick(rng, TOKENS);
            splice(data, at, token);
            "token"
        }
        4 => {
            let at = markup_pos(rng, data);
            let token = *pick(rng, TOKENS);
            splice(data, at, token);
            "token after markup"
        }
        5 => {
            let n = *pick(rng, &[65usize, 100, 257, 300, 2_000, 10_000]);
            const TAGS: [&[u8]; 4] = [b"a", b"ns2:demande", b"xop:Include", b"S:Body"];
            let tag = *pick(rng, &TAGS);
            let mut burst = Vec::new();
            for _ in 0..n {
                burst.push(b'<');
                burst.extend_from_slice(tag);
                burst.push(b'>');
            }
            if rng.gen_bool(0.5) {
                for _ in 0..n {
                    burst.extend_from_slice(b"</");
                    burst.extend_from_slice(tag);
                    burst.push(b'>');
                }
            }
            let at = markup_pos(rng, data);
            splice(data, at, &burst);
            "deep nesting burst"
        }
        6 => {
            // After an element name: a run of attributes (distinct, duplicated or qualified).
            let start = pos(rng, data);
            let Some(lt) = data[start..].iter().position(|&b| b == b'<').map(|i| start + i) else {
                return "attribute run (no element)";
            };
            let name_end = data[lt..]
                .iter()
                .position(|&b| matches!(b, b' ' | b'>' | b'/' | b'\n'))
                .map(|i| lt + i)
                .unwrap_or(data.len());
            let n = rng.gen_range(20..400);
            let style = rng.gen_range(0..3);
            let mut run = Vec::new();
            for i in 0..n {
                match style {
                    0 => run.extend_from_slice(format!(" a{i}=\"v\"").as_bytes()),
                    1 => run.extend_from_slice(b" a=\"1\""),
                    _ => run.extend_from_slice(format!(" ns2:a{i}=\"{}\"", "x".repeat(i % 50)).as_bytes()),
                }
            }
            splice(data, name_end, &run);
            "huge attribute run"
        }
        7 => {
            let Some(b) = boundary else {
                let at = pos(rng, data);
                splice(data, at, b"\r\n--\r\n");
                return "boundary (none known)";
            };
            let delimiters = find_all(data, format!("--{b}").as_bytes());
            match rng.gen_range(0..6) {
                0 => {
                    let at = markup_pos(rng, data);
                    splice(data, at, format!("\r\n--{b}\r\n").as_bytes());
                }
                1 => {
                    let at = markup_pos(rng, data);
                    splice(data, at, format!("\r\n--{b}--\r\n").as_bytes());
                }
                2 => {
                    // The same delimiter line many times: an empty part flood.
                    let n = rng.gen_range(2..60);
                    let line = format!("--{b}\r\n\r\n").repeat(n);
                    let at = delimiters.first().copied().unwrap_or(0);
                    splice(data, at, line.as_bytes());
                }
                3 => {
                    // Remove the closing delimiter.
                    if let Some(&last) = delimiters.last() {
                        data.truncate(last);
                    }
                }
                4 => {
                    // A delimiter with the boundary text altered.
                    if !delimiters.is_empty() {
                        let d = *pick(rng, &delimiters[..]);
                        let i = d + 2 + rng.gen_range(0..b.len().max(1));
                        if i < data.len() {
                            data[i] = b'#';
                        }
                    }
                }
                _ => {
                    // The boundary string doubled inside a delimiter line.
                    if !delimiters.is_empty() {
                        let d = *pick(rng, &delimiters[..]);
                        splice(data, d + 2, b.as_bytes());
                    }
                }
            }
            "boundary duplication"
        }
        8 => {
            let at = pos(rng, data);
            let bad = *pick(rng, INVALID_UTF8);
            splice(data, at, bad);
            "invalid UTF-8"
        }
        9 => {
            let crlf = find_all(data, b"\r\n");
            match rng.gen_range(0..4) {
                0 => *data = String::from_utf8_lossy(data).replace("\r\n", "\n").into_bytes(),
                1 => {
                    let mut out = Vec::with_capacity(data.len() + data.len() / 20);
                    for &c in data.iter() {
                        if c == b'\n' {
                            out.push(b'\r');
                        }
                        out.push(c);
                    }
                    *data = out;
                }
                2 => {
                    // Some CRLF become LF (mixed line ends).
                    for &at in crlf.iter().rev() {
                        if rng.gen_bool(0.3) {
                            data.remove(at);
                        }
                    }
                }
                _ => {
                    // Bare CR line ends.
                    for &at in crlf.iter().rev() {
                        if rng.gen_bool(0.5) {
                            data.remove(at + 1);
                        }
                    }
                }
            }
            "CRLF/LF swap"
        }
        10 => {
            let mut spots = find_all(data, b"cid:");
            spots.extend(find_all(data, b"Content-Id: <").iter().map(|p| p + 12));
            spots.extend(find_all(data, b"Content-ID: <").iter().map(|p| p + 12));
            if spots.is_empty() {
                return "cid garbage (none)";
            }
            let at = *pick(rng, &spots[..]) + 4;
            let garbage = *pick(
                rng,
                &[
                    &b"%"[..],
                    b"%zz",
                    b"%00",
                    b"%C3%28",
                    b"%25",
                    b"%%%%",
                    b"%2",
                    b"%E2%80%AE",
                    b"\xFF",
                    b" ",
                    b"\"",
                    b">",
                ],
            );
            let at = at.min(data.len());
            splice(data, at, garbage);
            "percent garbage in cid"
        }
        11 => {
            if data.is_empty() {
                return "slice duplication (empty)";
            }
            let a = rng.gen_range(0..data.len());
            let len = rng.gen_range(1..=2_000usize).min(data.len() - a);
            let slice = data[a..a + len].to_vec();
            let at = pos(rng, data);
            splice(data, at, &slice);
            "slice duplication"
        }
        12 => {
            if data.is_empty() {
                return "slice deletion (empty)";
            }
            let a = rng.gen_range(0..data.len());
            let len = rng.gen_range(1..=500usize).min(data.len() - a);
            data.drain(a..a + len);
            "slice deletion"
        }
        13 => {
            let n = *pick(rng, &[37usize, 256, 513, 5_000, 100_000]);
            let unit = *pick(rng, &["A", "é", "𝄞", " ", "\u{301}"]);
            let at = markup_pos(rng, data);
            splice(data, at, unit.repeat(n).as_bytes());
            "long text run"
        }
        14 => {
            let start = pos(rng, data);
            let Some(d) = data[start..].iter().position(u8::is_ascii_digit).map(|i| start + i) else {
                return "number garbage (none)";
            };
            let end = data[d..].iter().position(|b| !b.is_ascii_digit()).map(|i| d + i).unwrap_or(data.len());
            let replacement = *pick(rng, NUMBERS);
            data.splice(d..end, replacement.bytes());
            "number garbage"
        }
        15 => {
            // A long header line or header block at the start of a part.
            let n = *pick(rng, &[100usize, 8_000, 9_000, 70_000]);
            let line = if rng.gen_bool(0.5) {
                format!("X-Long: {}\r\n", "a".repeat(n))
            } else {
                "X-Many: a\r\n".repeat(n / 10)
            };
            let spots = match boundary {
                Some(b) => {
                    find_all(data, format!("--{b}\r\n").as_bytes()).into_iter().map(|p| p + b.len() + 4).collect()
                }
                None => Vec::new(),
            };
            let at = if spots.is_empty() { pos(rng, data) } else { *pick(rng, &spots[..]) };
            splice(data, at.min(data.len()), line.as_bytes());
            "long part header"
        }
        16 => {
            // An element swapped for another of the document (same name space, other place).
            let starts = find_all(data, b"<ns2:");
            if starts.len() < 2 {
                return "element swap (none)";
            }
            let a = *pick(rng, &starts[..]);
            let b = *pick(rng, &starts[..]);
            let end = |p: usize| data[p..].iter().position(|&c| c == b'>').map(|i| p + i + 1);
            if let (Some(ea), Some(_)) = (end(a), end(b)) {
                let tag = data[a..ea].to_vec();
                splice(data, b, &tag);
            }
            "element tag copy"
        }
        17 => {
            // Base64 text made invalid in place.
            let at = pos(rng, data);
            let garbage = *pick(rng, &[&b"*"[..], b"=", b"==A", b"\xC3\xA9", b"-_", b"A"]);
            splice(data, at, garbage);
            "base64 garbage"
        }
        _ => {
            // Two slices exchanged.
            if data.len() < 4 {
                return "slice swap (short)";
            }
            let mut cuts = [pos(rng, data), pos(rng, data), pos(rng, data)];
            cuts.sort_unstable();
            let [a, b, c] = cuts;
            data[a..c].rotate_left(b - a);
            "slice swap"
        }
    }
}

/// Values put in place of an element's text or an attribute value: mostly still valid, some at
/// the edges of their type.
const VALUES: &[&str] = &[
    "",
    " ",
    "x",
    "G1104",
    "&amp;&lt;&gt;&quot;&apos;",
    "&#13;&#10;",
    "a\r\nb",
    "a\rb",
    "<![CDATA[<&>]]>",
    "<![CDATA[]]>",
    "é𝄞\u{301}",
    "  espacé  ",
    "\t",
    "&#x20AC;",
    "&#xD;",
    "1",
    "0",
    "-1",
    "+007",
    "true",
    "false",
    " true ",
    "2024-02-29",
    "2024-02-29Z",
    " 2026-11-02 ",
    "2026-11-02+14:00",
    "2026-11-02T24:00:00",
    "2026-11-02T10:30:00.123456789123-05:00",
    "31555",
    "2A004",
    "0612345678",
    "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJ",
    "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJK",
    "<!-- commentaire -->x",
    "x<?pi y?>",
];

/// A run of character data between a start tag and an end tag, from a random place.
fn text_span(rng: &mut StdRng, data: &[u8]) -> Option<(usize, usize)> {
    let start = pos(rng, data);
    let mut i = start;
    while let Some(gt) = data.get(i..)?.iter().position(|&b| b == b'>').map(|k| i + k) {
        let lt = data[gt..].iter().position(|&b| b == b'<').map(|k| gt + k)?;
        if data.get(lt + 1) == Some(&b'/') && gt > 0 && data[gt - 1] != b'/' {
            return Some((gt + 1, lt));
        }
        i = gt + 1;
    }
    None
}

/// Mutations that keep the document well-formed and often valid, so that the round trip is
/// exercised on many shapes of accepted files.
fn gentle(rng: &mut StdRng, data: &mut Vec<u8>) -> &'static str {
    match rng.gen_range(0..10) {
        0 => {
            if let Some((a, b)) = text_span(rng, data) {
                let v = *pick(rng, VALUES);
                data.splice(a..b, v.bytes());
            }
            "element text"
        }
        1 => {
            let quotes = find_all(data, b"code=\"");
            if !quotes.is_empty() {
                let a = *pick(rng, &quotes[..]) + 6;
                if let Some(b) = data[a..].iter().position(|&c| c == b'"').map(|k| a + k) {
                    let v = pick(rng, VALUES).replace('"', "&quot;").replace('<', "&lt;");
                    data.splice(a..b, v.bytes());
                }
            }
            "attribute value"
        }
        2 => {
            let at = markup_pos(rng, data);
            if at > 0 && data[at - 1] == b'>' {
                let c = *pick(rng, &["<!-- c -->", "<?pi x?>", "<!---->", "\r\n\t "]);
                splice(data, at, c.as_bytes());
            }
            "comment or PI between elements"
        }
        3 => {
            if let Some((a, b)) = text_span(rng, data) {
                let text = data[a..b].to_vec();
                if !text.windows(3).any(|w| w == b"]]>") && !text.contains(&b'&') && !text.contains(&b'<') {
                    let mut cdata = b"<![CDATA[".to_vec();
                    cdata.extend_from_slice(&text);
                    cdata.extend_from_slice(b"]]>");
                    data.splice(a..b, cdata);
                }
            }
            "CDATA"
        }
        4 => {
            let text = String::from_utf8_lossy(data).into_owned();
            let text = if rng.gen_bool(0.5) {
                text.replace("ns2:", "p:").replace("xmlns:ns2=", "xmlns:p=")
            } else {
                // Elements in the default namespace; `ns2:modifie` keeps its prefix.
                text.replace("<ns2:", "<").replace("</ns2:", "</").replacen(
                    "xmlns:ns2=\"http://nuu.application.i2/\"",
                    "xmlns=\"http://nuu.application.i2/\" xmlns:ns2=\"http://nuu.application.i2/\"",
                    1,
                )
            };
            *data = text.into_bytes();
            "namespace prefix"
        }
        5 => {
            let text = String::from_utf8_lossy(data).into_owned();
            *data =
                text.replace("=\"", "='").replace("\" ", "' ").replace("\">", "'>").replace("\"/>", "'/>").into_bytes();
            "attribute quotes"
        }
        6 => {
            let text = String::from_utf8_lossy(data).into_owned();
            *data = match rng.gen_range(0..3) {
                0 => text.lines().map(str::trim).collect::<String>(),
                1 => text.replace('\n', "\r\n"),
                _ => text.replace("\"/>", "\" />").replace("</ns2:nom>", "</ns2:nom  >"),
            }
            .into_bytes();
            "whitespace"
        }
        7 => {
            // An empty-element tag opened up, or an empty pair closed.
            let text = String::from_utf8_lossy(data).into_owned();
            *data = text
                .replacen("<ns2:listeRessourceRecue/>", "<ns2:listeRessourceRecue></ns2:listeRessourceRecue>", 1)
                .replacen("<ns2:civilite code=\"1\"/>", "<ns2:civilite code=\"1\"></ns2:civilite>", 1)
                .into_bytes();
            "empty element form"
        }
        8 => {
            let decl_end = data.windows(2).position(|w| w == b"?>").map(|i| i + 2);
            let decl = *pick(
                rng,
                &[
                    "",
                    "<?xml version=\"1.0\"?>",
                    "<?xml version=\"1.0\" encoding=\"utf-8\" standalone=\"no\"?>",
                    "\u{FEFF}<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
                    "<?xml version=\"1.0\" encoding=\"latin1\"?>",
                ],
            );
            match decl_end {
                Some(end) if data.starts_with(b"<?xml") => {
                    data.splice(0..end, decl.bytes());
                }
                _ => splice(data, 0, decl.as_bytes()),
            }
            "XML declaration"
        }
        _ => {
            // A whole element repeated in place (an optional one becomes a list of two).
            if let Some((a, b)) = text_span(rng, data) {
                let open = data[..a].iter().rposition(|&c| c == b'<');
                let close = data[b..].iter().position(|&c| c == b'>').map(|k| b + k + 1);
                if let (Some(o), Some(c)) = (open, close) {
                    let element = data[o..c].to_vec();
                    splice(data, c, &element);
                }
            }
            "element repeated"
        }
    }
}

/// A hostile variant of a Content-Type.
fn mutate_content_type(rng: &mut StdRng, ct: &str) -> String {
    let boundary =
        soap::ContentType::parse(ct).ok().and_then(|c| c.param("boundary").map(str::to_string)).unwrap_or_default();
    match rng.gen_range(0..16) {
        0 => ct.replace("boundary=", "x-boundary="),
        1 => ct.replace(&boundary, &boundary[..boundary.len().saturating_sub(1)]),
        2 => ct.replace(&boundary, &format!("{boundary}x")),
        3 => ct.replace(&format!("\"{boundary}\""), "\"\""),
        4 => ct.replace("start=", "x-start="),
        5 => ct.replace("rootpart", "autrepart"),
        6 => format!("{ct}; action=\"urn:x/autreOperation\""),
        7 => format!("{ct}; x=\"non fermé"),
        8 => format!("{ct}; x=\"a\\\\\\\"b\\"),
        9 => format!("{ct}; x={}", "é".repeat(rng.gen_range(1..20_000))),
        10 => format!("multipart/related; boundary=\"autre\"; {ct}"),
        11 => pick(
            rng,
            &[
                "",
                " ",
                "multipart/related",
                "multipart/related;",
                "text/xml",
                "application/soap+xml",
                "application/xop+xml",
                "/",
                "a/b/c",
                ";;;",
                "multipart/related; boundary=",
            ],
        )
        .to_string(),
        12 => {
            let essence = *pick(rng, &["text/xml", "application/soap+xml", "TEXT/XML", "application/json"]);
            match ct.split_once(';') {
                Some((_, rest)) => format!("{essence};{rest}"),
                None => essence.to_string(),
            }
        }
        13 => ct.replace("start-info=\"application/soap+xml\"", "start-info=\"text/xml; action=\\\"urn:autre\\\"\""),
        14 => ct.replace(';', "\r\n\t;"),
        _ => {
            let mut bytes = ct.as_bytes().to_vec();
            for _ in 0..rng.gen_range(1..4) {
                if !bytes.is_empty() {
                    let i = rng.gen_range(0..bytes.len());
                    bytes[i] = rng.gen_range(0x20..0x7f);
                }
            }
            String::from_utf8_lossy(&bytes).into_owned()
        }
    }
}

// ----------------------------------------------------------------------------------------------
// Checks

fn panic_message(p: &(dyn Any + Send)) -> String {
    if let Some(s) = p.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = p.downcast_ref::<String>() {
        s.clone()
    } else {
        "(charge de panique non textuelle)".to_string()
    }
}

/// Runs one call under `catch_unwind` and the time budget.
fn guarded<T>(what: &str, f: impl FnOnce() -> T) -> Result<T, String> {
    let start = Instant::now();
    let out =
        catch_unwind(AssertUnwindSafe(f)).map_err(|p| format!("{what} : PANIQUE « {} »", panic_message(p.as_ref())))?;
    let elapsed = start.elapsed();
    if elapsed > CALL_BUDGET {
        return Err(format!("{what} : {elapsed:?}, au-delà du budget de {CALL_BUDGET:?}"));
    }
    Ok(out)
}

/// True for characters XML 1.0 can carry (the `Char` production).
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

/// Output must be UTF-8 made of XML 1.0 characters and read back by the tree reader.
fn check_output_xml(what: &str, out: &[u8], limits: xml::Limits) -> Result<xml::Element, String> {
    let text = std::str::from_utf8(out).map_err(|e| format!("{what} : sortie non UTF-8 ({e})"))?;
    if let Some((i, c)) = text.char_indices().find(|&(_, c)| !is_xml_char(c)) {
        return Err(format!(
            "{what} : sortie non XML 1.0, caractère U+{:04X} à l'octet {i} (« {} »)",
            c as u32,
            text[..i].chars().rev().take(40).collect::<Vec<_>>().into_iter().rev().collect::<String>().escape_debug()
        ));
    }
    let root = xml::parse(out, limits).map_err(|e| format!("{what} : sortie illisible ({e})"))?;
    // The tree reader is lenient about names; a strict reader (xmllint, JAX-WS) is not.
    let mut stack = vec![&root];
    while let Some(e) = stack.pop() {
        for name in std::iter::once(&e.name).chain(e.attributes.iter().map(|a| &a.name)) {
            if !is_xml_name(name) {
                return Err(format!("{what} : sortie avec un nom non XML : {:?}", name.escape_debug().to_string()));
            }
        }
        stack.extend(e.elements());
    }
    Ok(root)
}

/// XML 1.0 `NCName`, with the non-ASCII ranges taken as a whole (enough to catch markup and
/// control characters in names).
fn is_xml_name(name: &str) -> bool {
    let mut chars = name.chars();
    let start = |c: char| {
        c.is_ascii_alphabetic() || c == '_' || (c as u32 >= 0xC0 && is_xml_char(c) && c != '\u{D7}' && c != '\u{F7}')
    };
    matches!(chars.next(), Some(c) if start(c))
        && chars.all(|c| start(c) || c.is_ascii_digit() || matches!(c, '-' | '.' | '\u{B7}'))
}

fn check_display(what: &str, e: &dyn std::fmt::Display) -> Result<(), String> {
    let text = e.to_string();
    if text.trim().is_empty() {
        return Err(format!("{what} : erreur au message vide"));
    }
    let chars = text.chars().count();
    if chars > MAX_ERROR_CHARS {
        return Err(format!(
            "{what} : message d'erreur de {chars} caractères (> {MAX_ERROR_CHARS}) : « {}… »",
            text.chars().take(160).collect::<String>().escape_debug()
        ));
    }
    Ok(())
}

fn check_soap_error(e: &SoapError) -> Result<(), String> {
    check_display("soap::decode", e)?;
    // The fault that would answer it must stay well-formed whatever the error echoes.
    let fault = e.fault().with_detail("http://ws.metier.nuu.application.i2/", "demandeLogementException");
    for (version, mtom) in [(SoapVersion::V12, false), (SoapVersion::V11, false), (SoapVersion::V12, true)] {
        let enc = guarded("soap::encode_fault", || soap::encode_fault(version, mtom, &fault))?;
        if !mtom {
            check_output_xml("soap::encode_fault", &enc.body, xml::Limits::default())?;
        }
        let back = guarded("soap::decode(faute)", || {
            soap::decode(&enc.content_type, None, &enc.body, &soap::Limits::default())
        })?;
        back.map_err(|err| format!("la faute écrite pour « {e} » ne se relit pas : {err}"))?;
    }
    Ok(())
}

fn check_anomalies(list: &[Anomalie]) -> Result<(), String> {
    if list.is_empty() {
        return Err("lire_demande : Err(Anomalies) avec une liste vide".into());
    }
    for a in list {
        let code_len = a.code.chars().count();
        if a.code.is_empty() || code_len > 10 {
            return Err(format!("anomalie au code de {code_len} caractères : {a:?}"));
        }
        if let Some(p) = &a.propriete {
            if p.chars().count() > 255 {
                return Err(format!("anomalie {} : propriete de {} caractères", a.code, p.chars().count()));
            }
        }
        let m = a.message.chars().count();
        if a.message.trim().is_empty() || m > 512 {
            return Err(format!("anomalie {} : message de {m} caractères", a.code));
        }
    }
    Ok(())
}

/// Limits without the per-document counts, for the tests of what lies behind them (anomaly
/// caps, shared decoding): the counts would refuse these documents first.
const UNCOUNTED: xml::Limits =
    xml::Limits::uncounted(xml::Limits::DEFAULT.max_depth, xml::Limits::DEFAULT.max_attributes);

const RELECTURE: xml::Limits = xml::Limits::uncounted(256, 256);

fn check_rejet(original: &[u8], anomalies: &[Anomalie]) -> Result<(), String> {
    let Some(out) = guarded("contract::ecrire_rejet", || contract::ecrire_rejet(original, anomalies))? else {
        return Ok(());
    };
    let root = check_output_xml("contract::ecrire_rejet", &out, RELECTURE)?;
    let liste = root
        .child("demande")
        .and_then(|d| d.child("demandeLogement"))
        .and_then(|dl| dl.child("listeAnomalie"))
        .ok_or("contract::ecrire_rejet : listeAnomalie absente de la sortie")?;
    let written = liste.elements().filter(|e| e.name == "anomalie").count();
    if written != anomalies.len() {
        return Err(format!("ecrire_rejet : {written} anomalies écrites pour {}", anomalies.len()));
    }
    // What we answer must itself be readable without panic.
    let _ = guarded("lire_demande(ecrire_rejet)", || contract::lire_demande(&out, xml::Limits::default()))?;
    Ok(())
}

/// Every property of the contract layer on one input; `Ok(true)` when the file was accepted.
fn check_file(bytes: &[u8]) -> Result<bool, String> {
    let limits = xml::Limits::default();
    match guarded("contract::lire_demande", || contract::lire_demande(bytes, limits))? {
        Ok(f) => {
            let out = guarded("contract::ecrire_demande", || contract::ecrire_demande(&f))?;
            check_output_xml("contract::ecrire_demande", &out, limits)?;
            match guarded("lire_demande(ecrire_demande)", || contract::lire_demande(&out, limits))? {
                Ok(g) if g == f => {}
                Ok(_) => return Err("aller-retour : ecrire_demande puis lire_demande donne une autre valeur".into()),
                Err(LectureError::Anomalies(a)) => {
                    return Err(format!("aller-retour : la sortie d'ecrire_demande est refusée : {a:?}"))
                }
                Err(e) => return Err(format!("aller-retour : la sortie d'ecrire_demande est refusée : {e}")),
            }
            let a = Anomalie::new("CRE-NUM", Some("interfaceNuu/demande/demandeLogement/numUnique"), "règle métier");
            let rejetee = guarded("contract::ecrire_demande_rejetee", || {
                contract::ecrire_demande_rejetee(&f, std::slice::from_ref(&a))
            })?;
            check_output_xml("contract::ecrire_demande_rejetee", &rejetee, limits)?;
            check_rejet(bytes, &[a])?;
            return Ok(true);
        }
        Err(LectureError::Anomalies(list)) => {
            check_anomalies(&list)?;
            check_rejet(bytes, &list)?;
        }
        Err(e @ LectureError::Xml(_)) => {
            check_display("contract::lire_demande", &e)?;
            check_rejet(bytes, &[Anomalie::new("XML", None, "illisible")])?;
        }
    }
    Ok(false)
}

/// Every property of the SOAP layer (and of the files it carries) on one request.
fn check_request(content_type: &str, soap_action: Option<&str>, body: &[u8]) -> Result<(), String> {
    let limits = soap::Limits::default();
    let decoded = guarded("soap::decode", || soap::decode(content_type, soap_action, body, &limits))?;
    let env = match decoded {
        Err(e) => return check_soap_error(&e),
        Ok(env) => env,
    };
    if let Some(op) = env.action_operation() {
        if op.is_empty() {
            return Err("action_operation vide".into());
        }
    }
    for child in env.body.elements() {
        match guarded("soap::binary_content", || soap::binary_content(child))? {
            Err(e) => check_display("soap::binary_content", &e)?,
            Ok(bytes) if child.name == "fichierDemande" => {
                check_file(&bytes)?;
            }
            Ok(_) => {}
        }
    }
    Ok(())
}

// ----------------------------------------------------------------------------------------------
// Failure records and the run loop

fn failures_dir() -> PathBuf {
    // CARGO_TARGET_TMPDIR is `<target>/tmp`: failures go beside it, in the target in use.
    Path::new(env!("CARGO_TARGET_TMPDIR")).parent().expect("target directory").join("robustness-failures")
}

/// Writes a failing input for `replay_saved_failures`: `<name>.body` and `<name>.meta` (kind,
/// Content-Type, SOAPAction, one per line).
fn save_failure(name: &str, kind: &str, content_type: &str, soap_action: Option<&str>, body: &[u8]) -> PathBuf {
    let dir = failures_dir();
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}.body"));
    std::fs::write(&path, body).unwrap();
    let meta = format!(
        "{kind}\n{}\n{}\n",
        content_type.replace(['\r', '\n'], " "),
        soap_action.unwrap_or("").replace(['\r', '\n'], " ")
    );
    std::fs::write(dir.join(format!("{name}.meta")), meta).unwrap();
    path
}

fn mutant_count(default: u64) -> u64 {
    std::env::var("ROBUSTNESS_MUTANTS").ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn base_seed(salt: u64) -> u64 {
    let base = std::env::var("ROBUSTNESS_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or(DEFAULT_SEED);
    base ^ salt.rotate_left(32)
}

fn cap(data: &mut Vec<u8>) {
    if data.len() > MAX_MUTANT_BYTES {
        data.truncate(MAX_MUTANT_BYTES);
    }
}

fn report(test: &str, failures: &[String], count: u64, started: Instant) {
    eprintln!("{test} : {count} mutants en {:?}", started.elapsed());
    assert!(
        failures.is_empty(),
        "{} échec(s) sur {count} mutants (entrées dans {}) :\n{}",
        failures.len(),
        failures_dir().display(),
        failures.join("\n")
    );
}

#[test]
fn fuzz_soap_decode_on_mutated_mtom_and_plain_requests() {
    let seeds = soap_seeds();
    let count = mutant_count(2_000);
    let base = base_seed(1);
    let started = Instant::now();
    let mut failures = Vec::new();
    // The unmutated fixtures first: they must pass every property.
    for s in &seeds {
        if let Err(why) = check_request(&s.content_type, s.soap_action.as_deref(), &s.body) {
            failures.push(format!("fixture {} : {why}", s.name));
        }
    }
    for i in 0..count {
        let seed = base.wrapping_add(i);
        let mut rng = StdRng::seed_from_u64(seed);
        let s = pick(&mut rng, &seeds);
        let boundary =
            soap::ContentType::parse(&s.content_type).ok().and_then(|c| c.param("boundary").map(str::to_string));
        let mut body = s.body.clone();
        let mut applied = Vec::new();
        for _ in 0..rng.gen_range(1..=3) {
            applied.push(mutate(&mut rng, &mut body, boundary.as_deref()));
        }
        cap(&mut body);
        let content_type = if rng.gen_bool(0.25) {
            applied.push("content type");
            mutate_content_type(&mut rng, &s.content_type)
        } else {
            s.content_type.clone()
        };
        let soap_action = match rng.gen_range(0..10) {
            0 => None,
            1 => Some("\"urn:x/autreOperation\"".to_string()),
            2 => Some(format!("\"{}\"", "a/".repeat(5_000))),
            _ => s.soap_action.clone(),
        };
        if let Err(why) = check_request(&content_type, soap_action.as_deref(), &body) {
            let name = format!("soap-{seed:016x}-{}", s.name);
            let path = save_failure(&name, "soap", &content_type, soap_action.as_deref(), &body);
            failures.push(format!(
                "mutant {i} (graine {seed}, {} + {applied:?}) -> {} : {why}",
                s.name,
                path.display()
            ));
        }
    }
    report("fuzz_soap_decode", &failures, count, started);
}

#[test]
fn fuzz_contract_on_mutated_application_files() {
    let (valid, invalid) = file_seeds();
    let all: Vec<FileSeed> = valid.iter().chain(&invalid).cloned().collect();
    let count = mutant_count(2_500);
    let base = base_seed(2);
    let started = Instant::now();
    let mut failures = Vec::new();
    let mut accepted = 0u64;
    for s in &all {
        if let Err(why) = check_file(&s.body) {
            failures.push(format!("fixture {} : {why}", s.name));
        }
    }
    for i in 0..count {
        let seed = base.wrapping_add(i);
        let mut rng = StdRng::seed_from_u64(seed);
        let gentle_only = rng.gen_bool(0.6);
        let s = if gentle_only && rng.gen_bool(0.8) { pick(&mut rng, &valid) } else { pick(&mut rng, &all) };
        let mut body = s.body.clone();
        let mut applied = Vec::new();
        // Structure-preserving mutations for a good share of mutants, mostly of valid files,
        // so that many stay valid and exercise the round trip; hostile ones for the rest, or
        // on top.
        if gentle_only {
            for _ in 0..rng.gen_range(1..=3) {
                applied.push(gentle(&mut rng, &mut body));
            }
            if rng.gen_bool(0.25) {
                applied.push(mutate(&mut rng, &mut body, None));
            }
        } else {
            for _ in 0..rng.gen_range(1..=2) {
                applied.push(mutate(&mut rng, &mut body, None));
            }
        }
        cap(&mut body);
        let mut result = check_file(&body).map(|ok| accepted += u64::from(ok));
        // The same bytes as a plain SOAP body, where the envelope reader sees them.
        if result.is_ok() {
            result = check_request("application/soap+xml; charset=utf-8", None, &body);
        }
        if let Err(why) = result {
            let name = format!("fichier-{seed:016x}-{}", s.name);
            let path = save_failure(&name, "fichier", "", None, &body);
            failures.push(format!(
                "mutant {i} (graine {seed}, {} + {applied:?}) -> {} : {why}",
                s.name,
                path.display()
            ));
        }
    }
    eprintln!("fuzz_contract : {accepted} mutants acceptés par lire_demande (aller-retour vérifié)");
    // The round-trip property is only worth something if some mutants are accepted.
    assert!(accepted * 10 >= count, "trop peu de mutants acceptés ({accepted}) pour l'aller-retour");
    report("fuzz_contract", &failures, count, started);
}

/// One search or event file under each of the three schemas (the operation, not the document,
/// chooses): never a panic; a refusal lists bounded anomalies whose `listeAnomalies` form
/// (path at the head of the message) still fits `t_string512`; an accepted file writes back as
/// XML 1.0 that reads to the same value. Returns how many schemas accepted it.
fn check_fichier_outil(bytes: &[u8]) -> Result<u32, String> {
    use contract::fichiers::{self, Genre};
    use contract::generated::{evenement, recherche, type_evenement};
    fn un<T: sne_gateway::contract::runtime::FromXml + sne_gateway::contract::runtime::WriteXml + PartialEq>(
        genre: Genre,
        bytes: &[u8],
    ) -> Result<u32, String> {
        let quoi = genre.fichier();
        match guarded(quoi, || genre.lire::<T>(bytes, xml::Limits::default()))? {
            Ok(f) => {
                let out = fichiers::ecrire(&f);
                check_output_xml(quoi, &out, xml::Limits::default())?;
                match guarded(quoi, || genre.lire::<T>(&out, xml::Limits::default()))? {
                    Ok(again) if again == f => Ok(1),
                    Ok(_) => Err(format!("{quoi} : l'aller-retour change la valeur")),
                    Err(e) => Err(format!("{quoi} : relu refusé : {e}")),
                }
            }
            Err(LectureError::Anomalies(a)) => {
                check_anomalies(&a)?;
                let liste = fichiers::anomalies_evenements(&a).ok_or("liste vide")?;
                if liste.anomalie.iter().any(|x| x.message.chars().count() > 512 || x.code.chars().count() > 10) {
                    return Err(format!("{quoi} : listeAnomalies hors de ses bornes"));
                }
                Ok(0)
            }
            Err(e) => {
                check_display(quoi, &e)?;
                Ok(0)
            }
        }
    }
    Ok(un::<recherche::InterfaceNuu>(Genre::Recherche, bytes)?
        + un::<evenement::InterfaceNuu>(Genre::Evenements, bytes)?
        + un::<type_evenement::InterfaceNuu>(Genre::TypesEvenements, bytes)?)
}

#[test]
fn fuzz_contract_on_mutated_search_and_event_files() {
    let seeds: Vec<FileSeed> = sorted_files(&root().join("fixtures/fichiers"), "xml")
        .into_iter()
        .map(|path| FileSeed {
            name: path.file_stem().unwrap().to_string_lossy().into_owned(),
            body: std::fs::read(&path).unwrap(),
        })
        .collect();
    assert!(seeds.len() >= 3, "fixtures/fichiers : {} graines", seeds.len());
    let count = mutant_count(1_500);
    let base = base_seed(3);
    let started = Instant::now();
    let mut failures = Vec::new();
    let mut accepted = 0u64;
    for s in &seeds {
        match check_fichier_outil(&s.body) {
            Ok(1) => {}
            Ok(n) => failures.push(format!("fixture {} : acceptée par {n} schémas au lieu d'un", s.name)),
            Err(why) => failures.push(format!("fixture {} : {why}", s.name)),
        }
    }
    for i in 0..count {
        let seed = base.wrapping_add(i);
        let mut rng = StdRng::seed_from_u64(seed);
        let s = pick(&mut rng, &seeds);
        let mut body = s.body.clone();
        let mut applied = Vec::new();
        if rng.gen_bool(0.6) {
            for _ in 0..rng.gen_range(1..=3) {
                applied.push(gentle(&mut rng, &mut body));
            }
        } else {
            for _ in 0..rng.gen_range(1..=2) {
                applied.push(mutate(&mut rng, &mut body, None));
            }
        }
        cap(&mut body);
        match check_fichier_outil(&body) {
            Ok(n) => accepted += u64::from(n > 0),
            Err(why) => {
                let name = format!("outil-{seed:016x}-{}", s.name);
                let path = save_failure(&name, "fichier", "", None, &body);
                failures.push(format!(
                    "mutant {i} (graine {seed}, {} + {applied:?}) -> {} : {why}",
                    s.name,
                    path.display()
                ));
            }
        }
    }
    eprintln!("fuzz_outils : {accepted} mutants acceptés (aller-retour vérifié)");
    assert!(accepted * 20 >= count, "trop peu de mutants acceptés ({accepted}) pour l'aller-retour");
    report("fuzz_outils", &failures, count, started);
}

/// Runs the checks again on inputs saved by a failed run (after a fix, they must pass; delete
/// the directory once they do).
#[test]
fn replay_saved_failures() {
    let dir = failures_dir();
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return;
    };
    let mut failures = Vec::new();
    let mut paths: Vec<PathBuf> =
        entries.map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|x| x == "body")).collect();
    paths.sort();
    for path in &paths {
        let body = std::fs::read(path).unwrap();
        let meta = std::fs::read_to_string(path.with_extension("meta")).unwrap_or_default();
        let mut lines = meta.lines();
        let kind = lines.next().unwrap_or("fichier");
        let ct = lines.next().unwrap_or("");
        let action = lines.next().filter(|a| !a.is_empty());
        let result = match kind {
            "soap" => check_request(ct, action, &body),
            "pdf" => check_pdf(&body, seed_of(path)).map(|_| ()),
            _ => check_file(&body).and_then(|_| check_request(SOAP12, None, &body)),
        };
        if let Err(why) = result {
            failures.push(format!("{} : {why}", path.display()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

// ----------------------------------------------------------------------------------------------
// Named hostile cases

const SOAP12: &str = "application/soap+xml; charset=utf-8";
const BOUNDARY: &str = "uuid:b0b0";
const WRAPPER_NS: &str = "http://ws.metier.nuu.application.i2/";

fn mtom_ct() -> String {
    format!(
        "multipart/related; type=\"application/xop+xml\"; boundary=\"{BOUNDARY}\"; \
         start=\"<root@x>\"; start-info=\"application/soap+xml\""
    )
}

fn envelope(body_inner: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><S:Envelope xmlns:S=\"http://www.w3.org/2003/05/soap-envelope\">\
         <S:Body><ns2:numUniqueParametres xmlns:ns2=\"{WRAPPER_NS}\">{body_inner}</ns2:numUniqueParametres></S:Body></S:Envelope>"
    )
}

fn include(cid: &str) -> String {
    format!("<xop:Include xmlns:xop=\"http://www.w3.org/2004/08/xop/include\" href=\"cid:{cid}\"/>")
}

/// A multipart body: the root part (Content-ID `root@x`) then `(headers, content)` parts.
fn multipart(root_xml: &str, parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(
        format!("--{BOUNDARY}\r\nContent-Type: application/xop+xml; charset=utf-8; type=\"application/soap+xml\"\r\nContent-ID: <root@x>\r\n\r\n")
            .as_bytes(),
    );
    out.extend_from_slice(root_xml.as_bytes());
    for (headers, content) in parts {
        out.extend_from_slice(format!("\r\n--{BOUNDARY}\r\n{headers}\r\n\r\n").as_bytes());
        out.extend_from_slice(content);
    }
    out.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    out
}

fn decode_mtom(body: &[u8]) -> Result<soap::Envelope, SoapError> {
    soap::decode(&mtom_ct(), None, body, &soap::Limits::default())
}

fn valid_file() -> Vec<u8> {
    std::fs::read(root().join("fixtures/demande/valid/cre_minimal_v0200.xml")).unwrap()
}

/// The file with `prolog` put between the XML declaration and the root element.
fn file_with_prolog(prolog: &str) -> Vec<u8> {
    let text = String::from_utf8(valid_file()).unwrap();
    let at = text.find("?>").map(|i| i + 2).unwrap_or(0);
    format!("{}{prolog}{}", &text[..at], &text[at..]).into_bytes()
}

fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let out = f();
    (out, start.elapsed())
}

#[test]
fn billion_laughs_and_external_entities_are_refused_as_doctype() {
    let laughs = "<!DOCTYPE lolz [<!ENTITY lol \"lol\">\
        <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\
        <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\
        <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\
        <!ENTITY lol9 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">]>";
    let external = "<!DOCTYPE x [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>";
    let system_dtd = "<!DOCTYPE interfaceNuu SYSTEM \"http://attacker.example/x.dtd\">";
    for (what, doctype, reference) in
        [("billion laughs", laughs, "&lol9;"), ("XXE", external, "&xxe;"), ("DTD externe", system_dtd, "")]
    {
        // In a plain envelope.
        let env = format!(
            "<?xml version=\"1.0\"?>{doctype}{}",
            envelope(&format!("<nomFichierDemande>{reference}</nomFichierDemande>")).replacen(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
                "",
                1
            )
        );
        let (r, t) = timed(|| soap::decode(SOAP12, None, env.as_bytes(), &soap::Limits::default()));
        assert_eq!(r.unwrap_err(), SoapError::Xml(xml::XmlError::Doctype), "{what} (enveloppe)");
        assert!(t < Duration::from_secs(1), "{what}: {t:?}");
        // In the root part of an MTOM package.
        let body = multipart(&env, &[]);
        assert_eq!(decode_mtom(&body).unwrap_err(), SoapError::Xml(xml::XmlError::Doctype), "{what} (MTOM)");
        // In the application file itself.
        let file = file_with_prolog(doctype);
        let err = contract::lire_demande(&file, xml::Limits::default()).unwrap_err();
        assert!(matches!(err, LectureError::Xml(xml::XmlError::Doctype)), "{what} (fichier) : {err}");
        assert!(err.to_string().contains("DOCTYPE"), "{err}");
        assert_eq!(contract::ecrire_rejet(&file, &[Anomalie::new("X", None, "x")]), None, "{what} (rejet)");
    }
    // An entity reference without any DOCTYPE is refused, not left as text or expanded.
    let env = envelope("<nomFichierDemande>&xxe;</nomFichierDemande>");
    let err = soap::decode(SOAP12, None, env.as_bytes(), &soap::Limits::default()).unwrap_err();
    assert!(matches!(err, SoapError::Xml(xml::XmlError::Malformed(_))), "{err}");
    // A DOCTYPE hidden after the root element is refused too.
    let mut file = valid_file();
    file.extend_from_slice(laughs.as_bytes());
    assert!(contract::lire_demande(&file, xml::Limits::default()).is_err());
}

/// Runs `f` on a thread with a small stack: a recursive descent over a deep document would
/// overflow it (and abort the test binary).
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new().stack_size(256 * 1024).spawn(f).unwrap().join().expect("no panic on the small stack")
}

#[test]
fn ten_thousand_deep_nesting_is_refused_at_the_depth_limit_without_stack_overflow() {
    let deep = |tag: &str, close: bool| {
        let mut s = format!("<{tag}>").repeat(10_000);
        if close {
            s.push_str(&format!("</{tag}>").repeat(10_000));
        }
        s
    };
    for close in [true, false] {
        let inner = deep("a", close);
        let env = envelope(&inner);
        let (r, t) =
            on_small_stack(move || timed(|| soap::decode(SOAP12, None, env.as_bytes(), &soap::Limits::default())));
        assert_eq!(r.unwrap_err(), SoapError::Xml(xml::XmlError::TooDeep { limit: 64 }), "fermé : {close}");
        assert!(t < Duration::from_secs(2), "{t:?}");

        let mut includes = deep("xop:Include xmlns:xop=\"http://www.w3.org/2004/08/xop/include\"", false);
        if close {
            includes.push_str(&"</xop:Include>".repeat(10_000));
        }
        let body = multipart(&envelope(&includes), &[]);
        let r = on_small_stack(move || decode_mtom(&body));
        assert_eq!(r.unwrap_err(), SoapError::Xml(xml::XmlError::TooDeep { limit: 64 }));

        let text = String::from_utf8(valid_file()).unwrap();
        let file = text.replace("<ns2:nom>", &format!("{}<ns2:nom>", deep("ns2:x", close))).into_bytes();
        let file2 = file.clone();
        let r = on_small_stack(move || contract::lire_demande(&file, xml::Limits::default()));
        let err = r.unwrap_err();
        assert!(matches!(err, LectureError::Xml(xml::XmlError::TooDeep { limit: 64 })), "{err}");
        assert!(err.to_string().contains("64"), "the message names the limit: {err}");
        // The rejection writer reads under its own, wider, limits: still refused.
        let r = on_small_stack(move || contract::ecrire_rejet(&file2, &[Anomalie::new("X", None, "x")]));
        assert_eq!(r, None);
    }
    // Just under the writer's re-reading limit (256): written back recursively, which must fit
    // a normal thread's stack.
    let text = String::from_utf8(valid_file()).unwrap();
    let n = 240;
    let nested = format!("{}{}", "<ns2:x>".repeat(n), "</ns2:x>".repeat(n));
    let file = text.replace("<ns2:nom>", &format!("{nested}<ns2:nom>")).into_bytes();
    let out = std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(move || contract::ecrire_rejet(&file, &[Anomalie::new("X", None, "x")]))
        .unwrap()
        .join()
        .expect("ecrire_rejet at depth 240 on a 2 MB stack");
    assert!(out.is_some());
}

#[test]
fn ten_thousand_parts_are_refused_at_max_parts_without_reading_them_all() {
    let part = format!("--{BOUNDARY}\r\nContent-ID: <p>\r\n\r\nx\r\n");
    let make = |n: usize, poison_at: Option<usize>| {
        let mut body = Vec::new();
        for i in 0..n {
            if Some(i) == poison_at {
                // A part the reader would refuse for another reason, if it ever got there.
                body.extend_from_slice(format!("--{BOUNDARY}\r\nsans deux-points\r\n\r\nx\r\n").as_bytes());
            } else {
                body.extend_from_slice(part.as_bytes());
            }
        }
        body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
        body
    };
    let limits = soap::Limits::default();
    for n in [17, 10_000, 100_000] {
        let body = make(n, Some(n - 1));
        let (r, t) = timed(|| soap::decode(&mtom_ct(), None, &body, &limits));
        assert_eq!(r.unwrap_err(), SoapError::TooManyParts { limit: limits.max_parts }, "{n} parties");
        assert!(t < Duration::from_millis(500), "{n} parties : {t:?}");
    }
    // Part 17 poisoned: the limit is reached before it is read, so it is the limit that speaks.
    let body = make(10_000, Some(16));
    assert_eq!(decode_mtom(&body).unwrap_err(), SoapError::TooManyParts { limit: 16 });
    // Part 16 poisoned: it is read (it is within the limit), and refused for what it is.
    let body = make(10_000, Some(15));
    assert!(matches!(decode_mtom(&body).unwrap_err(), SoapError::MalformedPartHeader { .. }));
    // Exactly max_parts parts: read (then refused only because part 1 is no envelope).
    let body = make(16, None);
    assert!(!matches!(decode_mtom(&body).unwrap_err(), SoapError::TooManyParts { .. }));
    let msg = SoapError::TooManyParts { limit: 16 }.to_string();
    assert!(msg.contains("16"), "{msg}");
}

#[test]
fn a_one_megabyte_part_header_is_refused_naming_the_limit() {
    let limits = soap::Limits::default();
    let mb = 1024 * 1024;
    let root = envelope("<nomFichierDemande>f</nomFichierDemande>");
    // One long line, in the second part.
    let long_line = format!("Content-ID: <f>\r\nX-Long: {}", "a".repeat(mb));
    let body = multipart(&root, &[(&long_line, b"x")]);
    let (r, t) = timed(|| decode_mtom(&body));
    let err = r.unwrap_err();
    assert_eq!(err, SoapError::PartHeaderTooLarge { part: "partie n°2".into(), limit: limits.max_part_header_bytes });
    assert!(err.to_string().contains("8192 octets"), "{err}");
    assert!(t < Duration::from_millis(500), "{t:?}");
    // Many short lines adding up to 1 MB.
    let many = "X-Petit: a\r\n".repeat(mb / 12);
    let body = multipart(&root, &[(many.trim_end(), b"x")]);
    assert!(matches!(decode_mtom(&body).unwrap_err(), SoapError::PartHeaderTooLarge { limit: 8192, .. }));
    // A header block that never ends (no line break at all after 1 MB).
    let mut body = format!("--{BOUNDARY}\r\nX: ").into_bytes();
    body.extend(std::iter::repeat_n(b'a', mb));
    assert!(matches!(decode_mtom(&body).unwrap_err(), SoapError::PartHeaderTooLarge { limit: 8192, .. }));
    // A folded header growing past the limit through continuation lines.
    let folded = format!("X-Plie: a{}", "\r\n b".repeat(mb / 4));
    let body = multipart(&root, &[(&folded, b"x")]);
    assert!(matches!(decode_mtom(&body).unwrap_err(), SoapError::PartHeaderTooLarge { .. }));
}

#[test]
fn a_boundary_that_never_closes_is_refused_as_truncated() {
    let root = envelope("<nomFichierDemande>f</nomFichierDemande>");
    let complete = multipart(&root, &[("Content-ID: <f>", b"<x/>")]);
    assert!(decode_mtom(&complete).is_ok());
    let closing = format!("\r\n--{BOUNDARY}--\r\n");
    let without_close = &complete[..complete.len() - closing.len()];
    for body in [
        without_close.to_vec(),
        [without_close, b"\r\n"].concat(),
        [without_close, format!("\r\n--{BOUNDARY}").as_bytes()].concat(),
        [without_close, format!("\r\n--{BOUNDARY}\r\n").as_bytes()].concat(),
        [without_close, format!("\r\n--{BOUNDARY}-").as_bytes()].concat(),
        [without_close, format!("\r\n--{BOUNDARY}x--").as_bytes()].concat(),
    ] {
        let (r, t) = timed(|| decode_mtom(&body));
        let err = r.unwrap_err();
        assert!(matches!(err, SoapError::MissingClosingBoundary { .. }), "{err}");
        assert!(err.to_string().contains(&format!("--{BOUNDARY}--")), "{err}");
        assert!(t < Duration::from_millis(200));
    }
    // A boundary that never appears at all, in a large body.
    let body = vec![b'x'; 2 * 1024 * 1024];
    let err = decode_mtom(&body).unwrap_err();
    assert!(matches!(err, SoapError::NoParts { .. }), "{err}");
    // The boundary text everywhere, but never at a line start: still no part, and quickly.
    let body = format!("x--{BOUNDARY}").repeat(50_000).into_bytes();
    let (r, t) = timed(|| decode_mtom(&body));
    assert!(matches!(r.unwrap_err(), SoapError::NoParts { .. }));
    assert!(t < Duration::from_secs(1), "{t:?}");
    // A huge boundary parameter is echoed truncated.
    let ct = format!("multipart/related; boundary=\"{}\"", "b".repeat(100_000));
    let err = soap::decode(&ct, None, b"nothing", &soap::Limits::default()).unwrap_err();
    assert!(err.to_string().chars().count() < 400, "{}", err.to_string().len());
}

#[test]
fn xop_include_of_the_root_part_or_in_a_cycle_is_not_expanded() {
    // The root part names itself: its raw bytes come back once, never re-read as XML.
    let root = envelope(&format!("<fichierDemande>{}</fichierDemande>", include("root@x")));
    let body = multipart(&root, &[]);
    let (r, t) = timed(|| decode_mtom(&body));
    assert!(t < Duration::from_millis(200));
    match r {
        Err(e) => check_display("include racine", &e).unwrap(),
        Ok(env) => {
            let bytes = soap::binary_content(env.body.child("fichierDemande").unwrap()).unwrap();
            assert_eq!(&bytes[..], root.as_bytes(), "the root part's bytes, verbatim");
            let err = contract::lire_demande(&bytes, xml::Limits::default()).unwrap_err();
            assert!(matches!(err, LectureError::Anomalies(ref a) if a[0].code == "XSD-RACINE"), "{err}");
        }
    }
    // Two attachments that include each other: attachments are data, never resolved.
    let a = include("b@x");
    let b = include("a@x");
    let root = envelope(&format!("<fichierDemande>{}</fichierDemande>", include("a@x")));
    let body = multipart(&root, &[("Content-ID: <a@x>", a.as_bytes()), ("Content-ID: <b@x>", b.as_bytes())]);
    let env = decode_mtom(&body).unwrap();
    let bytes = soap::binary_content(env.body.child("fichierDemande").unwrap()).unwrap();
    assert_eq!(&bytes[..], a.as_bytes());
    // Handed to the contract layer, such an attachment is just a file with the wrong root.
    let err = contract::lire_demande(&bytes, xml::Limits::default()).unwrap_err();
    assert!(matches!(err, LectureError::Anomalies(_)), "{err}");
    // An Include inside an Include's target element, in the envelope itself: the first wins,
    // the second is mixed content.
    let root = envelope(&format!("<fichierDemande>{}{}</fichierDemande>", include("a@x"), include("a@x")));
    let body = multipart(&root, &[("Content-ID: <a@x>", b"x")]);
    let err = decode_mtom(&body).unwrap_err();
    assert_eq!(err, SoapError::IncludeMixedContent { element: "fichierDemande".into() });
}

#[test]
fn two_includes_of_the_same_part_share_one_decoding() {
    // A 1 MB base64 attachment referenced from 500 elements: decoded once, shared.
    use base64::Engine;
    let data: Vec<u8> = (0..1024 * 1024u32).map(|i| (i % 251) as u8).collect();
    let encoded = base64::engine::general_purpose::STANDARD.encode(&data);
    let lines: Vec<&str> = encoded.as_bytes().chunks(76).map(|c| std::str::from_utf8(c).unwrap()).collect();
    let b64 = lines.join("\r\n");
    let refs: String = (0..500).map(|_| format!("<fichierDemande>{}</fichierDemande>", include("big@x"))).collect();
    let root = envelope(&refs);
    let body = multipart(&root, &[("Content-ID: <big@x>\r\nContent-Transfer-Encoding: base64", b64.as_bytes())]);
    let limits = soap::Limits { xml: UNCOUNTED, ..soap::Limits::default() };
    let (r, t) = timed(|| soap::decode(&mtom_ct(), None, &body, &limits));
    let env = r.unwrap();
    assert!(t < Duration::from_secs(2), "{t:?}");
    let first = soap::binary_content(env.body.elements().next().unwrap()).unwrap();
    assert_eq!(&first[..], &data[..]);
    for e in env.body.elements() {
        let b = soap::binary_content(e).unwrap();
        assert_eq!(b.as_ptr(), first.as_ptr(), "every Include shares the one decoded buffer");
    }
    // Two plain (8bit) Includes of the same part: same bytes, zero-copy slices of the body.
    let root = envelope(&format!(
        "<fichierDemande>{}</fichierDemande><certificat>{}</certificat>",
        include("f@x"),
        include("f@x")
    ));
    let body = multipart(&root, &[("Content-ID: <f@x>", b"<a/>")]);
    let env = decode_mtom(&body).unwrap();
    let f = soap::binary_content(env.body.child("fichierDemande").unwrap()).unwrap();
    let c = soap::binary_content(env.body.child("certificat").unwrap()).unwrap();
    assert_eq!((&f[..], f.as_ptr()), (&c[..], c.as_ptr()));
}

#[test]
fn base64_with_garbage_characters_gets_an_error_naming_the_part_or_element() {
    let root = envelope(&format!("<fichierDemande>{}</fichierDemande>", include("f@x")));
    for garbage in [&b"!!!!"[..], b"aGVs*bG8=", b"aGVsbG8=aGVs\xC3\xA9", b"====", b"aGVsbG8===", b"a"] {
        let body = multipart(&root, &[("Content-ID: <f@x>\r\nContent-Transfer-Encoding: base64", garbage)]);
        let err = decode_mtom(&body).unwrap_err();
        assert!(matches!(err, SoapError::PartBase64 { .. }), "{:?}: {err}", String::from_utf8_lossy(garbage));
        let msg = err.to_string();
        assert!(msg.contains("partie n°2 (Content-ID <f@x>)") && msg.contains("base64"), "{msg}");
    }
    // The root part itself in broken base64.
    let mut body =
        format!("--{BOUNDARY}\r\nContent-ID: <root@x>\r\nContent-Transfer-Encoding: base64\r\n\r\n").into_bytes();
    body.extend_from_slice(b"PD94bWw*\r\n");
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    let err = decode_mtom(&body).unwrap_err();
    assert!(err.to_string().contains("partie n°1 (Content-ID <root@x>)"), "{err}");
    // Inline base64 in a plain envelope.
    for garbage in ["!!!!", "aGVs*bG8=", "aGVsbG8=aGVs", "é"] {
        let env = envelope(&format!("<fichierDemande>{garbage}</fichierDemande>"));
        let env = soap::decode(SOAP12, None, env.as_bytes(), &soap::Limits::default()).unwrap();
        let err = soap::binary_content(env.body.child("fichierDemande").unwrap()).unwrap_err();
        assert!(
            matches!(err, SoapError::ElementBase64 { ref element, .. } if element == "fichierDemande"),
            "{garbage}: {err}"
        );
        assert!(err.to_string().contains("fichierDemande"), "{err}");
    }
}

#[test]
fn hostile_names_make_bounded_soap_errors() {
    // Errors echo names from the input; a 100 000-character name must not make a 100 kB fault.
    let long = "x".repeat(100_000);
    let cases: Vec<(&str, String)> = vec![
        ("racine", format!("<{long}/>")),
        ("espace de noms", format!("<S:Envelope xmlns:S=\"urn:{long}\"><S:Body/></S:Envelope>")),
        ("contenu d'Envelope", format!("<S:Envelope xmlns:S=\"http://www.w3.org/2003/05/soap-envelope\"><{long}/><S:Body><a/></S:Body></S:Envelope>")),
    ];
    let mut failures = Vec::new();
    for (what, doc) in &cases {
        let err = soap::decode(SOAP12, None, doc.as_bytes(), &soap::Limits::default()).unwrap_err();
        // A namespace name longer than any real one is refused by the reader itself.
        let long_ns = matches!(err, SoapError::Xml(xml::XmlError::NamespaceTooLong));
        assert!(!matches!(err, SoapError::Xml(_)) || long_ns, "{what}: {err}");
        if let Err(why) = check_soap_error(&err) {
            failures.push(format!("{what} : {why}"));
        }
    }
    // Element names reaching the binary reader.
    for inner in [format!("<{long}><a/></{long}>"), format!("<{long}>!!!</{long}>")] {
        let env = envelope(&inner);
        let env = soap::decode(SOAP12, None, env.as_bytes(), &soap::Limits::default()).unwrap();
        let err = soap::binary_content(env.body.elements().next().unwrap()).unwrap_err();
        if let Err(why) = check_display("binary_content", &err) {
            failures.push(format!("élément binaire : {why}"));
        }
    }
    // An element holding an Include and something else.
    let env = envelope(&format!("<{long}>x{}</{long}>", include("a@x")));
    let body = multipart(&env, &[("Content-ID: <a@x>", b"x")]);
    let err = decode_mtom(&body).unwrap_err();
    assert!(matches!(err, SoapError::IncludeMixedContent { .. }), "{err}");
    if let Err(why) = check_display("include mêlé", &err) {
        failures.push(format!("include mêlé : {why}"));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `XmlError` quotes names and quick-xml messages; a 100 000-character tag name must not make a
/// 100 000-character fault (and log line).
#[test]
fn xml_reader_errors_are_bounded() {
    let long = "x".repeat(100_000);
    let mut failures = Vec::new();
    for (what, doc) in [
        ("balise fermante", format!("<a></{long}>")),
        ("préfixe", format!("<{long}:a/>")),
        ("attributs", format!("<{long} {}/>", (0..40).map(|i| format!("a{i}=\"v\"")).collect::<Vec<_>>().join(" "))),
        ("encodage", format!("<?xml version=\"1.0\" encoding=\"{long}\"?><a/>")),
    ] {
        let err = xml::parse(doc.as_bytes(), xml::Limits::default()).unwrap_err();
        let n = err.to_string().chars().count();
        if n > MAX_ERROR_CHARS {
            failures.push(format!("{what} : {n} caractères"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_answer_without_application_survives_any_number_text() {
    // `ecrire_reponse_anomalies` echoes the number asked for; it must never panic (it has an
    // `expect` on re-reading its own skeleton) and must write XML 1.0.
    let date = contract::XsDateTime::parse("2026-11-28T10:00:00Z").unwrap();
    let a = Anomalie::new("DEM-INC", Some("interfaceNuu/demande/demandeLogement/numUnique"), "inconnue");
    let mut rng = StdRng::seed_from_u64(base_seed(3));
    let mut samples: Vec<String> =
        ["", "<", "&", "]]>", "\r\n", "\u{0}", "\u{1}", "\u{FFFE}", "&#1;", "\"'", "<![CDATA[x]]>"]
            .iter()
            .map(|s| s.to_string())
            .collect();
    for _ in 0..300 {
        let n = rng.gen_range(0..40);
        samples.push((0..n).map(|_| char::from_u32(rng.gen_range(0..0x11000)).unwrap_or('\u{FFFD}')).collect());
    }
    let mut failures = Vec::new();
    for s in &samples {
        let r = guarded("ecrire_reponse_anomalies", || {
            contract::ecrire_reponse_anomalies("G1104", Some(s), &date, std::slice::from_ref(&a))
        });
        let r = r.and_then(|out| check_output_xml("ecrire_reponse_anomalies", &out, RELECTURE).map(|_| ()));
        if let Err(why) = r {
            failures.push(format!("{:?} : {why}", s.escape_debug().to_string()));
        }
    }
    assert!(
        failures.is_empty(),
        "{} échecs :\n{}",
        failures.len(),
        failures.iter().take(10).cloned().collect::<Vec<_>>().join("\n")
    );
}

#[test]
fn characters_xml_1_0_forbids_are_refused_and_never_written_back() {
    // XML 1.0 forbids C0 controls other than tab, LF and CR, even as character references: a
    // file carrying one is refused (it could never be sent back as XML), and a rejection that
    // echoes the file does not carry them either.
    let text = String::from_utf8(valid_file()).unwrap();
    for injected in ["&#1;", "\u{1}", "&#xFFFE;", "\u{FFFE}", "&#x1B;", "\u{0}"] {
        let file = text.replacen("<ns2:nom>", &format!("<ns2:nom>{injected}"), 1).into_bytes();
        let err = contract::lire_demande(&file, xml::Limits::default()).unwrap_err();
        assert!(matches!(err, LectureError::Xml(_)), "{injected:?}: {err}");
        check_display("lire_demande", &err).unwrap();
        let out = contract::ecrire_rejet(&file, &[Anomalie::new("X", None, "x")]);
        if let Some(out) = out {
            check_output_xml("ecrire_rejet", &out, RELECTURE).unwrap();
        }
    }
}

#[test]
fn a_flood_of_unknown_elements_gives_a_bounded_anomaly_list() {
    // 100 000 unknown elements (800 kB) used to give 100 000 anomalies and a 20 MB rejection.
    let text = String::from_utf8(valid_file()).unwrap();
    let n = 100_000;
    let file = text.replacen("<ns2:numGuichet>", &format!("{}<ns2:numGuichet>", "<ns2:x/>".repeat(n)), 1).into_bytes();
    let (r, t) = timed(|| contract::lire_demande(&file, UNCOUNTED));
    let Err(LectureError::Anomalies(a)) = r else { panic!("refus attendu") };
    assert_eq!(a.len(), 1001, "1000 anomalies listées et une qui compte le reste");
    assert!(a[..1000].iter().all(|a| a.code == "XSD-INATT"));
    let last = &a[1000];
    assert_eq!(last.code, "XSD-LIMITE");
    assert!(last.message.contains("99000") && last.message.contains("1000"), "{}", last.message);
    check_anomalies(&a).unwrap();
    let (out, t2) = timed(|| contract::ecrire_rejet(&file, &a).unwrap());
    assert!(out.len() < 2 * file.len(), "rejet de {} octets pour {} en entrée", out.len(), file.len());
    check_output_xml("ecrire_rejet", &out, RELECTURE).unwrap();
    assert!(t + t2 < Duration::from_secs(3), "{t:?} + {t2:?}");
}

#[test]
fn schema_and_code_anomalies_merge_in_linear_time() {
    // 40 000 unknown elements plus 40 000 out-of-list codes (1.5 MB): the merge used to compare
    // every pair (about 17 s in a debug build); now about a tenth of a second.
    let text = String::from_utf8(valid_file()).unwrap();
    let n = 40_000;
    let file = text
        .replacen("<ns2:numGuichet>", &format!("{}<ns2:numGuichet>", "<ns2:x/>".repeat(n)), 1)
        .replacen("<ns2:modeleLogement code=\"LP\"/>", &"<ns2:modeleLogement code=\"ZZ\"/>".repeat(n), 1)
        .into_bytes();
    let (r, t) = timed(|| contract::lire_demande(&file, UNCOUNTED));
    let Err(LectureError::Anomalies(a)) = r else { panic!("refus attendu") };
    assert_eq!(a.len(), 1001);
    assert!(a[1000].message.starts_with(&format!("{} autre(s)", 2 * n - 1000)), "{}", a[1000].message);
    assert!(t < Duration::from_secs(3), "{t:?}");
    // Below the limit, code anomalies still follow the schema ones, once per path.
    let file = text
        .replacen("<ns2:numGuichet>", &format!("{}<ns2:numGuichet>", "<ns2:x/>".repeat(10)), 1)
        .replacen("<ns2:modeleLogement code=\"LP\"/>", &"<ns2:modeleLogement code=\"ZZ\"/>".repeat(10), 1)
        .into_bytes();
    let Err(LectureError::Anomalies(a)) = contract::lire_demande(&file, xml::Limits::default()) else { panic!() };
    let codes: Vec<&str> = a.iter().map(|a| a.code.as_str()).collect();
    assert_eq!(codes, [vec!["XSD-INATT"; 10], vec!["CODE-INC"; 10]].concat());
}

// ----------------------------------------------------------------------------------------------
// PDF active content: the piece examiner on hostile PDFs

/// Decoded bytes a mutant may produce: mutations can turn data into a filter's bomb.
const PDF_BUDGET: u64 = 16 * 1024 * 1024;
/// Most bytes an examination holds: head and tail, five streams (the current one and four beside
/// the objects) of eight inflaters (64 KiB of output and 4 KiB of data kept each) and a
/// predictor's two rows of 256 KiB, with room for their small state.
const PDF_MEMOIRE: usize = 5 * (8 * 70 * 1024 + 2 * 256 * 1024) + 64 * 1024;

/// The verdict on `document` fed in chunks of sizes drawn by `taille`, and the most memory the
/// examination held.
fn examiner_pdf(
    document: &[u8],
    limites: Limites,
    mut taille: impl FnMut() -> usize,
) -> (Result<Format, RefusFormat>, usize) {
    let mut examen = Examen::new(limites);
    let mut memoire = 0;
    let mut reste = document;
    while !reste.is_empty() {
        let (morceau, suite) = reste.split_at(taille().clamp(1, reste.len()));
        examen.ajouter(morceau);
        memoire = memoire.max(examen.memoire());
        reste = suite;
    }
    (examen.conclure(), memoire)
}

/// Chunk sizes: mostly tiny, some large, from `graine`.
fn tailles(graine: u64) -> impl FnMut() -> usize {
    let mut rng = StdRng::seed_from_u64(graine);
    move || if rng.gen_bool(0.8) { rng.gen_range(1..=17) } else { rng.gen_range(1..=5000) }
}

/// The seed a saved PDF failure's name carries (`pdf-<seed>-...`), for its chunk sizes.
fn seed_of(path: &Path) -> u64 {
    let name = path.file_stem().and_then(|n| n.to_str()).unwrap_or_default();
    name.split('-').nth(1).and_then(|h| u64::from_str_radix(h, 16).ok()).unwrap_or(0)
}

/// Every property of the examiner on one PDF: no panic, within the time budget, the same verdict
/// whole and in two random cuttings, memory and messages bounded. Returns the verdict.
fn check_pdf(document: &[u8], graine: u64) -> Result<Result<Format, RefusFormat>, String> {
    let limites = Limites { max_inflation_octets: PDF_BUDGET };
    let (entier, memoire) = guarded("examen entier", || examiner_pdf(document, limites, || usize::MAX))?;
    for (k, graine) in [graine, graine.rotate_left(17) ^ 0x9E37_79B9].into_iter().enumerate() {
        let (decoupe, memoire_decoupe) =
            guarded("examen par morceaux", || examiner_pdf(document, limites, tailles(graine)))?;
        if decoupe != entier {
            return Err(format!("verdict par morceaux ({k}) {decoupe:?} au lieu de {entier:?}"));
        }
        if memoire_decoupe > PDF_MEMOIRE {
            return Err(format!("mémoire {memoire_decoupe} octets par morceaux, au-delà de {PDF_MEMOIRE}"));
        }
    }
    if memoire > PDF_MEMOIRE {
        return Err(format!("mémoire {memoire} octets, au-delà de {PDF_MEMOIRE}"));
    }
    if let Err(refus) = &entier {
        check_display("refus", refus)?;
    }
    Ok(entier)
}

/// `nom (libellé)` as the refusal says it.
fn libelle(nom: &str) -> String {
    let (_, libelle) = ACTIFS.iter().find(|(n, _)| *n == nom).expect("un nom de ACTIFS");
    format!("{libelle} ({nom})")
}

#[test]
fn hostile_pdf_variants_are_refused_naming_what_they_hide() {
    let mut failures = Vec::new();
    for (k, variante) in pdf::hostiles().into_iter().enumerate() {
        match check_pdf(&variante.document, base_seed(3) ^ k as u64) {
            Ok(Err(RefusFormat::ContenuActif { elements })) if elements == variante.attendus => {
                let message = RefusFormat::ContenuActif { elements }.to_string();
                for nom in variante.attendus {
                    if !message.contains(&libelle(nom)) {
                        failures.push(format!("{} : « {} » manque dans « {message} »", variante.nom, libelle(nom)));
                    }
                }
            }
            Ok(verdict) => failures.push(format!("{} : {verdict:?}, attendu {:?}", variante.nom, variante.attendus)),
            Err(why) => failures.push(format!("{} : {why}", variante.nom)),
        }
    }
    for (k, (nom, document)) in pdf::innocents().into_iter().enumerate() {
        match check_pdf(&document, base_seed(4) ^ k as u64) {
            Ok(Ok(Format::Pdf)) => {}
            Ok(verdict) => failures.push(format!("{nom} (sans contenu actif) : {verdict:?}")),
            Err(why) => failures.push(format!("{nom} : {why}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Tokens that move a streaming PDF reader: stream boundaries, dictionaries, strings, filters,
/// end marks of the decoders, names.
const PDF_TOKENS: &[&[u8]] = &[
    b"endstream",
    b"stream\n",
    b"stream\r\n",
    b"stream\r",
    b"\nendobj\n",
    b"5 0 obj\n",
    b"<<",
    b">>",
    b"(",
    b")",
    b"\\",
    b"<",
    b">",
    b"~>",
    b"<~",
    b"%",
    b"#",
    b"#4",
    b"[",
    b"]",
    b"9 0 R",
    b"null",
    b"/Filter /FlateDecode",
    b"/Filter [/AHx /Fl]",
    b"/Filter [/A85 /LZW /RL]",
    b"/Filter /Crypt",
    b"/Filter /DCTDecode",
    b"/Filter [/Fl /Fl /Fl /Fl /Fl /Fl /Fl /Fl /Fl]",
    b"/F /AHx",
    b"/DecodeParms << /Predictor 12 /Columns 3 >>",
    b"/DecodeParms [null << /Predictor 2 /Colors 3 /BitsPerComponent 4 /Columns 7 >>]",
    b"/DecodeParms << /Predictor 15 /Columns 99999999 >>",
    b"/EarlyChange 0",
    b"x\x9c",
    b"\x80\x0b",
    b"\x80",
    b"/JavaScript",
    b"/XFA",
    b"<script>",
    b"\xEF\xBB\xBF<",
];

/// One mutation of a PDF; returns its name.
fn mutate_pdf(rng: &mut StdRng, data: &mut Vec<u8>, others: &[Vec<u8>]) -> &'static str {
    match rng.gen_range(0..9) {
        0 if !data.is_empty() => {
            let at = rng.gen_range(0..data.len());
            data[at] ^= 1 << rng.gen_range(0..8);
            "bit"
        }
        1 | 2 => {
            let at = pos(rng, data);
            splice(data, at, pick::<&[u8]>(rng, PDF_TOKENS));
            "jeton"
        }
        3 if !data.is_empty() => {
            let at = pos(rng, data);
            let end = (at + rng.gen_range(1..=64)).min(data.len());
            data.drain(at..end);
            "suppression"
        }
        4 if !data.is_empty() => {
            let at = pos(rng, data);
            let end = (at + rng.gen_range(1..=4096)).min(data.len());
            let copy = data[at..end].to_vec();
            let to = pos(rng, data);
            splice(data, to, &copy);
            "duplication"
        }
        5 => {
            let cut = pos(rng, data);
            data.truncate(cut);
            if rng.gen_bool(0.7) {
                data.extend_from_slice(b"\n%%EOF\n");
            }
            "troncature"
        }
        6 => {
            let other = pick(rng, others);
            let at = pos(rng, other);
            let end = (at + rng.gen_range(1..=2048)).min(other.len());
            let to = pos(rng, data);
            let piece = other[at..end].to_vec();
            splice(data, to, &piece);
            "greffe"
        }
        7 => {
            let bytes: Vec<u8> = (0..rng.gen_range(1..=64)).map(|_| rng.gen()).collect();
            let at = pos(rng, data);
            splice(data, at, &bytes);
            "octets"
        }
        _ => {
            // A digit changed: lengths, offsets, parameters.
            let digits: Vec<usize> = (0..data.len()).filter(|&i| data[i].is_ascii_digit()).collect();
            if let Some(&at) = digits.get(rng.gen_range(0..digits.len().max(1))) {
                data[at] = b'0' + rng.gen_range(0..10);
            }
            "chiffre"
        }
    }
}

#[test]
fn fuzz_pdf_examiner_on_mutated_hostile_variants() {
    let variantes: Vec<Vec<u8>> =
        pdf::hostiles().into_iter().map(|v| v.document).chain(pdf::innocents().into_iter().map(|(_, d)| d)).collect();
    let count = mutant_count(1_500);
    let base = base_seed(5);
    let started = Instant::now();
    let mut failures = Vec::new();
    let mut refuses = 0u64;
    for i in 0..count {
        let seed = base.wrapping_add(i);
        let mut rng = StdRng::seed_from_u64(seed);
        let origine = rng.gen_range(0..variantes.len());
        let mut document = variantes[origine].clone();
        let mut applied = Vec::new();
        for _ in 0..rng.gen_range(1..=4) {
            applied.push(mutate_pdf(&mut rng, &mut document, &variantes));
        }
        cap(&mut document);
        match check_pdf(&document, seed) {
            Ok(verdict) => refuses += u64::from(matches!(verdict, Err(RefusFormat::ContenuActif { .. }))),
            Err(why) => {
                let path = save_failure(&format!("pdf-{seed:016x}-{origine}"), "pdf", "", None, &document);
                failures.push(format!(
                    "mutant {i} (graine {seed}, variante {origine} + {applied:?}) -> {} : {why}",
                    path.display()
                ));
            }
        }
    }
    eprintln!("fuzz_pdf : {refuses} mutants refusés pour contenu actif");
    // Most mutants keep what they hid: the screen is exercised, not only the parser.
    assert!(refuses * 3 >= count, "trop peu de mutants refusés ({refuses})");
    report("fuzz_pdf", &failures, count, started);
}
