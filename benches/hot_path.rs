//! Hot-path micro-benchmarks: a small std::time harness (no criterion).
//!
//! `cargo bench --bench hot_path [-- FILTER]`. Every row: warm-up, then SAMPLES timed batches
//! (each batch long enough to dwarf the clock's resolution); median and min are per iteration.
//! The machines are noisy: read the RATIOS, which compare rows measured in the same run.
//!
//! Rows: (a) `xml::parse`, (b) `contract::lire_demande`, with its parts (schema + code lists
//! on a parsed tree, typing), (c) `contract::ecrire_demande`, (d) `soap::decode` of the MTOM
//! fixture (and of the inline base64 form), (e) a bare quick-xml event loop (the floor),
//! (f) the PDF certificate, and the MTOM answer's encoding; then (i) how refusing a file grows
//! with its number of anomalies, and (g) the store: insert + durable, one writer versus 64
//! concurrent tasks, in rounds.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use quick_xml::events::Event;
use sne_gateway::contract::runtime::FromXml;
use sne_gateway::contract::{self, types};
use sne_gateway::registry::attestation::{self, Attestation};
#[path = "../tests/kit/depot.rs"]
mod depot;

use sne_gateway::registry::depot::{CleIndex, Depot};
use sne_gateway::soap::{self, BinaryKind, OutChild, OutMessage, SoapVersion};
use sne_gateway::store::{MasterKey, Store};
use sne_gateway::xml;

const WARMUP: Duration = Duration::from_millis(300);
const SAMPLES: usize = 60;
/// Shortest batch: well above `Instant`'s cost and resolution.
const MIN_BATCH_TIME: Duration = Duration::from_millis(2);

struct Row {
    name: String,
    batch: u64,
    median: Duration,
    min: Duration,
    /// Input bytes per iteration, for a throughput column.
    bytes: Option<usize>,
}

struct Bench {
    filter: Option<String>,
    rows: Vec<Row>,
}

impl Bench {
    fn run<R>(&mut self, name: &str, bytes: Option<usize>, mut f: impl FnMut() -> R) -> Option<Duration> {
        if self.filter.as_deref().is_some_and(|flt| !name.contains(flt)) {
            return None;
        }
        let start = Instant::now();
        let mut n: u64 = 0;
        while start.elapsed() < WARMUP {
            black_box(f());
            n += 1;
        }
        let per = start.elapsed().as_nanos() / u128::from(n.max(1));
        let batch = (MIN_BATCH_TIME.as_nanos() / per.max(1)).max(1) as u64;
        let mut times: Vec<Duration> = (0..SAMPLES)
            .map(|_| {
                let t = Instant::now();
                for _ in 0..batch {
                    black_box(f());
                }
                t.elapsed() / batch as u32
            })
            .collect();
        times.sort();
        let row = Row { name: name.to_string(), batch, median: times[SAMPLES / 2], min: times[0], bytes };
        let median = row.median;
        eprintln!("  {name}: {}", fmt(median));
        self.rows.push(row);
        Some(median)
    }

    fn print(&self) {
        println!();
        println!("{:<58} {:>12} {:>12} {:>10} {:>14}", "row", "median", "min", "MB/s", "iters");
        println!("{}", "-".repeat(110));
        for r in &self.rows {
            let mbs = r
                .bytes
                .map(|b| format!("{:.1}", b as f64 / r.median.as_secs_f64() / 1e6))
                .unwrap_or_else(|| "-".into());
            println!(
                "{:<58} {:>12} {:>12} {:>10} {:>14}",
                r.name,
                fmt(r.median),
                fmt(r.min),
                mbs,
                format!("{}x{}", SAMPLES, r.batch)
            );
        }
    }
}

fn fmt(d: Duration) -> String {
    let ns = d.as_nanos();
    if ns >= 10_000_000 {
        format!("{:.2} ms", ns as f64 / 1e6)
    } else if ns >= 10_000 {
        format!("{:.1} µs", ns as f64 / 1e3)
    } else {
        format!("{ns} ns")
    }
}

fn ratio(label: &str, num: Option<Duration>, den: Option<Duration>) {
    if let (Some(n), Some(d)) = (num, den) {
        println!("  {label:<62} {:>7.2}x", n.as_secs_f64() / d.as_secs_f64());
    }
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

fn read(rel: &str) -> Vec<u8> {
    std::fs::read(fixtures().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The Content-Type line of a `fixtures/mtom/*.headers` file.
fn content_type(headers: &[u8]) -> String {
    String::from_utf8_lossy(headers)
        .lines()
        .find_map(|l| l.split_once(':').filter(|(k, _)| k.trim().eq_ignore_ascii_case("content-type")))
        .map(|(_, v)| v.trim().to_string())
        .expect("Content-Type in the fixture headers")
}

/// The floor: every event of the document, no tree, no namespace resolution, no copy.
fn bare_quick_xml(bytes: &[u8]) -> usize {
    let mut reader = quick_xml::Reader::from_reader(bytes);
    let mut events = 0usize;
    loop {
        match reader.read_event() {
            Ok(Event::Eof) => return events,
            Ok(_) => events += 1,
            Err(e) => panic!("{e}"),
        }
    }
}

/// What `xml::parse` asks of quick-xml minus building the tree: namespace resolution, end-name
/// checks, attribute and text unescaping, no owned strings kept.
fn ns_quick_xml(bytes: &[u8]) -> usize {
    let mut reader = quick_xml::NsReader::from_reader(bytes);
    reader.config_mut().check_end_names = true;
    let mut n = 0usize;
    loop {
        let (_ns, event) = reader.read_resolved_event().expect("well-formed");
        match event {
            Event::Start(s) | Event::Empty(s) => {
                for a in s.attributes() {
                    let a = a.expect("attribute");
                    let _ = reader.resolve_attribute(a.key);
                    n += a.unescape_value().expect("value").len();
                }
            }
            Event::Text(t) => n += t.unescape().expect("text").len(),
            Event::Eof => return n,
            _ => {}
        }
    }
}

fn inline_soap12(file: &[u8]) -> Vec<u8> {
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD.encode(file);
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body><ns2:numUniqueParametres xmlns:ns2="http://ws.metier.nuu.application.i2/"><nomFichierDemande>DEMG1104-202611021030-000001.xml</nomFichierDemande><fichierDemande>{b64}</fichierDemande><nomCertificat></nomCertificat><certificat></certificat></ns2:numUniqueParametres></soap:Body></soap:Envelope>"#
    )
    .into_bytes()
}

fn main() {
    // `cargo bench` passes `--bench`; the first other argument filters rows by name.
    let filter = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    let mut b = Bench { filter: filter.clone(), rows: Vec::new() };
    let limits = xml::Limits::default();
    let soap_limits = soap::Limits::default();

    let demande = read("demande/valid/cre_complet_v0201.xml");
    let mtom_body = read("mtom/crlf_8bit.body");
    let mtom_ct = content_type(&read("mtom/crlf_8bit.headers"));
    let inline = inline_soap12(&demande);
    let inline_ct = "application/soap+xml; charset=utf-8; action=\"http://ws.metier.nuu.application.i2/getNumUnique\"";
    let n = demande.len();

    // Sanity: every row must measure the success path, not an early refusal.
    let root = xml::parse(&demande, limits).expect("fixture parses");
    let fichier = contract::lire_demande(&demande, limits).expect("fixture is valid");
    let (_, anomalies) = contract::verifier(&root);
    assert!(anomalies.is_empty());
    let env = soap::decode(&mtom_ct, None, &mtom_body, &soap_limits).expect("MTOM fixture decodes");
    assert!(env.mtom);
    soap::decode(inline_ct, None, &inline, &soap_limits).expect("inline form decodes");
    let written = contract::ecrire_demande(&fichier);
    assert!(contract::lire_demande(&written, limits).is_ok(), "written file reads back");

    println!("hot_path: cre_complet_v0201.xml = {n} bytes, crlf_8bit.body = {} bytes", mtom_body.len());
    println!("warm-up {} ms, {SAMPLES} samples of >= {} ms each", WARMUP.as_millis(), MIN_BATCH_TIME.as_millis());

    let floor = b.run("(e) bare quick-xml Reader event loop (floor)", Some(n), || bare_quick_xml(&demande));
    let ns = b.run("(e2) quick-xml NsReader + attrs/text unescape", Some(n), || ns_quick_xml(&demande));
    let parse = b.run("(a) xml::parse (tree)", Some(n), || xml::parse(&demande, limits).unwrap());
    let verifier =
        b.run("(b1) contract::verifier (schema + code lists, parsed tree)", Some(n), || contract::verifier(&root));
    let typing =
        b.run("(b2) InterfaceNuu::from_xml (typing, parsed tree)", Some(n), || types::InterfaceNuu::from_xml(&root));
    let lire = b.run("(b) contract::lire_demande (parse+validate+codes+typing)", Some(n), || {
        contract::lire_demande(&demande, limits).unwrap()
    });
    let ecrire = b.run("(c) contract::ecrire_demande", Some(written.len()), || contract::ecrire_demande(&fichier));
    let decode_mtom = b.run("(d) soap::decode MTOM crlf_8bit", Some(mtom_body.len()), || {
        soap::decode(&mtom_ct, None, &mtom_body, &soap_limits).unwrap()
    });
    let decode_inline = b.run("(d2) soap::decode inline SOAP 1.2 (base64 file)", Some(inline.len()), || {
        soap::decode(inline_ct, None, &inline, &soap_limits).unwrap()
    });

    let communes: Vec<String> = fichier.communes_souhaitees().into_iter().map(str::to_string).collect();
    let day = time::macros::date!(2026 - 11 - 02);
    let att = Attestation {
        num_unique: "1111126000001G1104",
        date_depot: day,
        date_enregistrement: day,
        date_fin_validite: time::macros::date!(2027 - 11 - 02),
        demandeur: "Madame Jeanne DUPONT",
        communes: &communes,
        guichet_code: "G1104",
        guichet_nom: "Guichet école 1",
        territoire: "111",
        dossier_complet: Some(true),
        code_acces: Some("ABCD-EFGH-JKMN-PQRS"),
        portail: None,
    };
    let pdf = attestation::render(&att);
    let render = b.run("(f) attestation::render (PDF)", None, || attestation::render(&att));

    let reponse = OutMessage {
        ns: "http://ws.metier.nuu.application.i2/".into(),
        wrapper: "numUniqueReponse".into(),
        children: vec![
            OutChild::Text { name: "nomFichierDemande".into(), value: "DEMG1104-202611021030-000001.xml".into() },
            OutChild::Binary {
                name: "fichierDemande".into(),
                data: Bytes::from(written.clone()),
                content_type: "text/xml; charset=UTF-8".into(),
                kind: BinaryKind::Xml,
            },
            OutChild::Text { name: "nomAttestation".into(), value: "ATT.pdf".into() },
            OutChild::Binary {
                name: "attestation".into(),
                data: Bytes::from(pdf.clone()),
                content_type: "application/pdf".into(),
                kind: BinaryKind::Opaque,
            },
        ],
    };
    let encode = b.run("(h) soap::encode_response MTOM (file + PDF)", None, || {
        soap::encode_response(SoapVersion::V12, true, &reponse)
    });

    b.print();
    println!();
    println!("RATIOS (medians, same run):");
    ratio("validation = lire_demande / bare quick-xml", lire, floor);
    ratio("validation = lire_demande / xml::parse (our tree)", lire, parse);
    ratio("xml::parse / bare quick-xml", parse, floor);
    ratio("xml::parse / quick-xml NsReader+unescape (tree-building cost)", parse, ns);
    ratio("verifier (schema+codes) / xml::parse", verifier, parse);
    ratio("typing (from_xml) / xml::parse", typing, parse);
    ratio("ecrire_demande / xml::parse", ecrire, parse);
    ratio("soap::decode MTOM / xml::parse of the file", decode_mtom, parse);
    ratio("soap::decode inline base64 / soap::decode MTOM", decode_inline, decode_mtom);
    ratio("attestation::render / lire_demande", render, lire);
    ratio("encode_response MTOM / lire_demande", encode, lire);
    if let (Some(d), Some(l), Some(e), Some(r), Some(x)) = (decode_mtom, lire, ecrire, render, encode) {
        let cpu = d + l + e + r + x;
        println!("  CPU per registration, no TLS/HTTP/store (d+b+c+f+h)          {:>9}", fmt(cpu));
        println!("    => at most {:.0} registrations/s per core from this code", 1.0 / cpu.as_secs_f64());
        if let Some(f) = floor {
            println!(
                "  registration CPU (d+b+c+f+h) / bare quick-xml                 {:>8.2}x",
                cpu.as_secs_f64() / f.as_secs_f64()
            );
        }
    }
    println!("  PDF size {} bytes; written file {} bytes", pdf.len(), written.len());

    if filter.as_deref().is_none_or(|f| f.contains("scaling") || f == "(i)") {
        anomaly_scaling(&demande, limits);
    }
    if filter.as_deref().is_none_or(|f| f.contains("store") || f == "(g)") {
        // The gateway stores the file as it writes it back (with its number), not the input.
        store_bench(&written);
    }
}

/// (g): insert + durable, one writer against 64 concurrent tasks, each on a fresh store in a
/// temporary directory (on the same file system as the real data would be: not tmpfs here).
/// Disk and CPU are shared with whatever else runs, so the comparison is repeated in ROUNDS
/// and each figure's median is the one to quote.
fn store_bench(contenu: &[u8]) {
    const ROUNDS: usize = 5;
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    println!();
    println!(
        "(g) store creation (Depot::appliquer) + durable, {} byte records, fresh sled store per phase, {ROUNDS} rounds",
        contenu.len()
    );
    println!(
        "{:>5} {:>10} {:>10} {:>12} {:>12} {:>12} {:>11} {:>12} {:>11}",
        "round", "1w w/s", "1w flush/w", "64t w/s", "64t flush/w", "64t p50", "64t/1w w/s", "insert only", "disk KB/w"
    );
    let mut rows: Vec<StoreRound> = Vec::new();
    for round in 1..=ROUNDS {
        let r = store_round(&rt, contenu, round);
        println!(
            "{round:>5} {:>10.0} {:>10.3} {:>12.0} {:>12.3} {:>12} {:>10.2}x {:>12} {:>11.0}",
            r.single_wps,
            r.single_fpw,
            r.conc_wps,
            r.conc_fpw,
            fmt(r.conc_p50),
            r.conc_wps / r.single_wps,
            fmt(r.insert_cpu),
            r.disk_per_write / 1024.0
        );
        rows.push(r);
    }
    let med = |f: &dyn Fn(&StoreRound) -> f64| {
        let mut v: Vec<f64> = rows.iter().map(f).collect();
        v.sort_by(|a, b| a.partial_cmp(b).unwrap());
        v[v.len() / 2]
    };
    let fpw = med(&|r| r.conc_fpw);
    println!("RATIOS (store, median of {ROUNDS} rounds):");
    println!("  1 writer: {:.3} flushes per write (each write waits for its own flush)", med(&|r| r.single_fpw));
    println!("  {STORE_TASKS} concurrent writers: {fpw:.3} flushes per write ({:.1} writes per flush)", 1.0 / fpw);
    println!("  writes/s, {STORE_TASKS} concurrent / 1 writer: {:.2}x", med(&|r| r.conc_wps / r.single_wps));
    println!(
        "  appliquer alone (seal + vault + sled, no flush) / insert+durable, 1 writer: {:.2}x",
        med(&|r| r.insert_cpu.as_secs_f64() * r.single_wps)
    );
}

const STORE_SINGLE: usize = 300;
const STORE_TASKS: usize = 64;
const STORE_PER_TASK: usize = 15;

struct StoreRound {
    single_wps: f64,
    single_fpw: f64,
    conc_wps: f64,
    conc_fpw: f64,
    conc_p50: Duration,
    /// Mean time of one insert_demande with nobody flushing.
    insert_cpu: Duration,
    disk_per_write: f64,
}

fn store_round(rt: &tokio::runtime::Runtime, contenu: &[u8], round: usize) -> StoreRound {
    // A registration as the registry writes it: attributes, first version, identity and
    // expiry index entries.
    let record = |prefix: &str, i: usize| {
        let num = format!("{prefix}{round}-{i:06}");
        let contenu = contenu.to_vec();
        move |store: &Store| {
            let index = vec![
                CleIndex::new("identite", store.empreinte("111|DUPONT|JEANNE|1980-01-01")),
                CleIndex::new("expiration", "2027-11-02"),
            ];
            depot::creation(num, contenu, index)
        }
    };

    // CPU side of a write: inserts without waiting, then one flush for all of them.
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), MasterKey::random()).unwrap();
    let insert_time = rt.block_on(async {
        let t = Instant::now();
        for i in 0..STORE_SINGLE {
            store.appliquer(record("I", i)(&store)).unwrap();
        }
        let insert_time = t.elapsed();
        store.durable().await.unwrap();
        insert_time
    });
    drop(store);

    // One writer: every write waits for its own flush.
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), MasterKey::random()).unwrap();
    let (single_time, single_flushes) = rt.block_on(async {
        let f0 = store.flush_count();
        let t = Instant::now();
        for i in 0..STORE_SINGLE {
            store.appliquer(record("S", i)(&store)).unwrap();
            store.durable().await.unwrap();
        }
        (t.elapsed(), store.flush_count() - f0)
    });
    drop(store);

    // 64 tasks writing at once: they should share flushes.
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), MasterKey::random()).unwrap();
    let (conc_time, conc_flushes, mut lat) = rt.block_on(async {
        let barrier = Arc::new(tokio::sync::Barrier::new(STORE_TASKS + 1));
        let tasks: Vec<_> = (0..STORE_TASKS)
            .map(|k| {
                let store = store.clone();
                let barrier = barrier.clone();
                let recs: Vec<_> = (0..STORE_PER_TASK).map(|i| record(&format!("C{k:02}-"), i)(&store)).collect();
                tokio::spawn(async move {
                    barrier.wait().await;
                    let mut lat = Vec::with_capacity(STORE_PER_TASK);
                    for r in recs {
                        let t = Instant::now();
                        store.appliquer(r).unwrap();
                        store.durable().await.unwrap();
                        lat.push(t.elapsed());
                    }
                    lat
                })
            })
            .collect();
        barrier.wait().await;
        let f0 = store.flush_count();
        let t = Instant::now();
        let mut lat = Vec::new();
        for t in tasks {
            lat.extend(t.await.unwrap());
        }
        (t.elapsed(), store.flush_count() - f0, lat)
    });
    let conc_writes = STORE_TASKS * STORE_PER_TASK;
    assert_eq!(store.demandes_count().unwrap(), conc_writes);
    drop(store);
    let disk = dir_size(dir.path());
    lat.sort();
    StoreRound {
        single_wps: STORE_SINGLE as f64 / single_time.as_secs_f64(),
        single_fpw: single_flushes as f64 / STORE_SINGLE as f64,
        conc_wps: conc_writes as f64 / conc_time.as_secs_f64(),
        conc_fpw: conc_flushes as f64 / conc_writes as f64,
        conc_p50: lat[lat.len() / 2],
        insert_cpu: insert_time / STORE_SINGLE as u32,
        disk_per_write: disk as f64 / conc_writes as f64,
    }
}

fn dir_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| match e.metadata() {
                    Ok(m) if m.is_dir() => dir_size(&e.path()),
                    Ok(m) => m.len(),
                    Err(_) => 0,
                })
                .sum()
        })
        .unwrap_or(0)
}

/// (i): how refusing a file grows with its number of anomalies. K `typeLogement` with a code
/// outside its list (CODE-INC) and K with a code its pattern refuses (XSD-MOTIF), in the
/// unbounded `listeTypeLogement`. Linear work doubles with K; quadratic work quadruples.
fn anomaly_scaling(demande: &[u8], limits: xml::Limits) {
    let text = std::str::from_utf8(demande).unwrap();
    let anchor = r#"<ns2:typeLogement code="T4"/>"#;
    assert!(text.contains(anchor));
    println!();
    println!("(i) lire_demande of an invalid file: K codes outside their list + K codes refused by their pattern");
    println!(
        "{:>7} {:>10} {:>10} {:>12} {:>14} {:>12} {:>12}",
        "K", "file KB", "anomalies", "lire median", "t(K)/t(K/2)", "ecrire_rejet", "rejet KB"
    );
    let mut previous: Option<Duration> = None;
    for k in [500usize, 1000, 2000, 4000, 8000] {
        let mut extra = String::new();
        for _ in 0..k {
            extra.push_str(r#"<ns2:typeLogement code="ZZ"/><ns2:typeLogement code="!"/>"#);
        }
        let file = text.replacen(anchor, &format!("{anchor}{extra}"), 1).into_bytes();
        let anomalies = match contract::lire_demande(&file, limits) {
            Err(contract::LectureError::Anomalies(a)) => a,
            other => panic!("expected anomalies, got {:?}", other.map(|_| ())),
        };
        let mut times: Vec<Duration> = (0..5)
            .map(|_| {
                let t = Instant::now();
                black_box(contract::lire_demande(&file, limits).unwrap_err());
                t.elapsed()
            })
            .collect();
        times.sort();
        let median = times[2];
        let t = Instant::now();
        let rejet = contract::ecrire_rejet(&file, &anomalies).expect("the file can carry its anomalies");
        let rejet_time = t.elapsed();
        println!(
            "{k:>7} {:>10} {:>10} {:>12} {:>14} {:>12} {:>12}",
            file.len() / 1024,
            anomalies.len(),
            fmt(median),
            previous.map(|p| format!("{:.2}x", median.as_secs_f64() / p.as_secs_f64())).unwrap_or_else(|| "-".into()),
            fmt(rejet_time),
            rejet.len() / 1024
        );
        previous = Some(median);
    }
}
