//! The memory invariant of ARCHITECTURE.md, proved with a counting allocator: decoding a request
//! (its envelope, MTOM parts and the business file it carries) allocates at its peak at most
//! `xml::COST_FACTOR` times the request's size plus `xml::COST_CONSTANT`, whatever the bytes;
//! and an unknown operation is refused before anything proportional to the body is built.
//!
//! The allocator's counters are global to the process, so the tests take one lock: cases running
//! on parallel test threads would see each other's allocations.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use sne_gateway::soap;
use sne_gateway::{contract, xml};

struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = CURRENT.fetch_add(layout.size(), Ordering::SeqCst) + layout.size();
            PEAK.fetch_max(now, Ordering::SeqCst);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        CURRENT.fetch_sub(layout.size(), Ordering::SeqCst);
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size >= layout.size() {
                let now = CURRENT.fetch_add(new_size - layout.size(), Ordering::SeqCst) + new_size - layout.size();
                // A realloc may hold old and new blocks at once.
                PEAK.fetch_max(now + layout.size(), Ordering::SeqCst);
            } else {
                CURRENT.fetch_sub(layout.size() - new_size, Ordering::SeqCst);
            }
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Bytes allocated at the peak of `f`, beyond what was allocated before it, its result included.
fn peak_of<R>(f: impl FnOnce() -> R) -> usize {
    let before = CURRENT.load(Ordering::SeqCst);
    PEAK.store(before, Ordering::SeqCst);
    let result = f();
    let peak = PEAK.load(Ordering::SeqCst);
    drop(result);
    peak - before
}

const SOAP12: &str = "application/soap+xml; charset=utf-8";
const NS_METIER: &str = "http://ws.metier.nuu.application.i2/";

fn envelope(body: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><S:Envelope xmlns:S="http://www.w3.org/2003/05/soap-envelope"><S:Body>{body}</S:Body></S:Envelope>"#
    )
}

/// A request of the corpus: what it is, its Content-Type and body.
struct Case {
    name: String,
    content_type: String,
    body: Vec<u8>,
}

fn case(name: impl Into<String>, body: String) -> Case {
    Case { name: name.into(), content_type: SOAP12.into(), body: body.into_bytes() }
}

/// The hostile shapes of the issue and the ones refused before, at several sizes.
fn hostile_corpus() -> Vec<Case> {
    let mut out = Vec::new();
    for n in [1_000usize, 10_000, 100_000] {
        // A long default namespace inherited by every empty element (it used to be copied each time).
        let long_ns = format!("urn:{}", "n".repeat(2000));
        out.push(case(
            format!("{n} éléments vides, espace de noms par défaut long"),
            envelope(&format!(
                r#"<w:numUniqueParametres xmlns:w="{NS_METIER}"><x xmlns="{long_ns}">{}</x></w:numUniqueParametres>"#,
                "<a/>".repeat(n)
            )),
        ));
        out.push(case(
            format!("{n} éléments vides, espace de noms préfixé long"),
            envelope(&format!(
                r#"<w:numUniqueParametres xmlns:w="{NS_METIER}" xmlns:p="{long_ns}">{}</w:numUniqueParametres>"#,
                "<p:a/>".repeat(n)
            )),
        ));
        out.push(case(
            format!("{n} éléments vides séparés de blancs"),
            envelope(&format!(
                r#"<w:numUniqueParametres xmlns:w="{NS_METIER}">{}</w:numUniqueParametres>"#,
                "<a/> ".repeat(n)
            )),
        ));
        out.push(case(
            format!("{n} attributs"),
            envelope(&format!(
                r#"<w:numUniqueParametres xmlns:w="{NS_METIER}">{}</w:numUniqueParametres>"#,
                r#"<a b="" c="" d=""/>"#.repeat(n / 3 + 1)
            )),
        ));
        out.push(case(
            format!("{n} déclarations d'espace de noms"),
            envelope(&format!(
                r#"<w:numUniqueParametres xmlns:w="{NS_METIER}">{}</w:numUniqueParametres>"#,
                (0..n).map(|i| format!(r#"<a xmlns:q{i}="urn:{i}"/>"#)).collect::<String>()
            )),
        ));
        out.push(case(
            format!("{n} entités et textes"),
            envelope(&format!(
                r#"<w:numUniqueParametres xmlns:w="{NS_METIER}">{}</w:numUniqueParametres>"#,
                "<a>&amp;&#x41;<![CDATA[x]]></a>".repeat(n)
            )),
        ));
        out.push(case(
            format!("imbrication de {} niveaux", n / 100),
            envelope(&format!(
                r#"<w:numUniqueParametres xmlns:w="{NS_METIER}">{}{}</w:numUniqueParametres>"#,
                "<a>".repeat(n / 100),
                "</a>".repeat(n / 100)
            )),
        ));
        out.push(case(
            format!("opération inconnue, {n} éléments"),
            envelope(&format!(
                r#"<w:inventeParametres xmlns:w="{NS_METIER}">{}</w:inventeParametres>"#,
                "<a/>".repeat(n)
            )),
        ));
        // Many MTOM parts, each with its own headers.
        let boundary = "b";
        let mut body = format!(
            "--{boundary}\r\nContent-Type: application/xop+xml; type=\"application/soap+xml\"\r\nContent-ID: <root@x>\r\n\r\n{}",
            envelope(&format!(r#"<w:numUniqueParametres xmlns:w="{NS_METIER}"/>"#))
        );
        for i in 0..n / 100 {
            body.push_str(&format!("\r\n--{boundary}\r\nContent-ID: <p{i}@x>\r\n\r\nxxxx"));
        }
        body.push_str(&format!("\r\n--{boundary}--\r\n"));
        out.push(Case {
            name: format!("MTOM de {} parties", n / 100 + 1),
            content_type: format!(
                r#"multipart/related; type="application/xop+xml"; boundary="{boundary}"; start="<root@x>"; start-info="application/soap+xml""#
            ),
            body: body.into_bytes(),
        });
    }
    out
}

/// The byte fixtures deployed clients send, and the business files.
fn fixture_corpus() -> Vec<Case> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(root.join("mtom")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "body") {
            let headers = std::fs::read_to_string(path.with_extension("headers")).unwrap();
            let content_type = headers
                .lines()
                .find_map(|l| l.strip_prefix("Content-Type:").map(|v| v.trim().to_string()))
                .expect("Content-Type");
            out.push(Case { name: path.display().to_string(), content_type, body: std::fs::read(&path).unwrap() });
        }
    }
    out
}

fn business_files() -> Vec<(String, Vec<u8>)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/demande");
    let mut out = Vec::new();
    for dir in ["valid", "invalid"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "xml") {
                out.push((path.display().to_string(), std::fs::read(&path).unwrap()));
            }
        }
    }
    out
}

fn bound(size: usize) -> usize {
    xml::COST_FACTOR * size + xml::COST_CONSTANT
}

#[test]
fn decoding_costs_at_most_k_times_the_size_plus_a_constant() {
    let _serial = SERIAL.lock().unwrap_or_else(|p| p.into_inner());
    let wrappers = [(NS_METIER, "numUniqueParametres"), (NS_METIER, "demandeLogementParametres")];
    // Default limits, then limits so loose that only the construction itself bounds the cost.
    let loose = soap::Limits {
        xml: xml::Limits::uncounted(100_000, 100_000),
        max_parts: usize::MAX,
        ..soap::Limits::default()
    };
    let mut report = Vec::new();
    let mut worst = 0f64;
    let cases: Vec<Case> = hostile_corpus().into_iter().chain(fixture_corpus()).collect();
    for limits in [soap::Limits::default(), loose] {
        for c in &cases {
            // The deep-nesting cases recurse on drop: run them on a thread with room.
            let peak = std::thread::scope(|s| {
                std::thread::Builder::new()
                    .stack_size(256 << 20)
                    .spawn_scoped(s, || {
                        peak_of(|| soap::decode_for(&c.content_type, None, &c.body, &limits, Some(&wrappers)))
                    })
                    .unwrap()
                    .join()
                    .unwrap()
            });
            worst = worst.max(peak as f64 / c.body.len() as f64);
            if peak > bound(c.body.len()) {
                report.push(format!("{} ({} octets) : {peak} octets alloués", c.name, c.body.len()));
            }
        }
    }
    for (name, file) in business_files() {
        let peak = peak_of(|| contract::lire_demande(&file, xml::Limits::default()));
        worst = worst.max(peak as f64 / file.len() as f64);
        if peak > bound(file.len()) {
            report.push(format!("{name} ({} octets) : {peak} octets alloués", file.len()));
        }
    }
    assert!(
        report.is_empty(),
        "borne {}×taille + {} dépassée :\n{}",
        xml::COST_FACTOR,
        xml::COST_CONSTANT,
        report.join("\n")
    );
    eprintln!("pire rapport pic/taille : {worst:.1}");
}

#[test]
fn an_unknown_operation_is_refused_before_its_body_is_built() {
    let _serial = SERIAL.lock().unwrap_or_else(|p| p.into_inner());
    let body = envelope(&format!(
        r#"<w:inventeParametres xmlns:w="{NS_METIER}">{}</w:inventeParametres>"#,
        "<a/>".repeat(200_000)
    ));
    let wrappers = [(NS_METIER, "numUniqueParametres")];
    let mut outcome = None;
    let peak = peak_of(|| {
        outcome = Some(soap::decode_for(SOAP12, None, body.as_bytes(), &soap::Limits::default(), Some(&wrappers)))
    });
    let err = outcome.unwrap().unwrap_err();
    assert!(matches!(err, soap::SoapError::UnknownOperation { .. }), "{err}");
    assert!(err.to_string().contains("inventeParametres") && err.to_string().contains("numUniqueParametres"), "{err}");
    // A few small buffers, nothing in proportion to the 800 KB body.
    assert!(peak < 16 * 1024, "{peak} octets alloués pour refuser une opération inconnue");
}
