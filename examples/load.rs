//! Load generator: N concurrent TLS clients with kept-alive connections post `getNumUnique`
//! (or `getDemandeLogement`) for a bounded time, then print throughput, latency percentiles,
//! errors and, for an in-process gateway, the store's flushes per registration.
//!
//! ```sh
//! cargo run --release --example load -- --concurrency 32 --seconds 10
//! cargo run --release --example load -- --concurrency 32 --seconds 10 --body mtom
//! cargo run --release --example load -- --op read --concurrency 32 --seconds 10
//! cargo run --release --example load -- --endpoint https://127.0.0.1:8443/services/DemandeLogementImplService/ \
//!     --pki sne-data/pki
//! ```
//!
//! Without `--endpoint` it starts a gateway in this process (school mode in a temporary
//! directory, port 0), so client and server share the machine's cores: compare runs made the
//! same way. Loopback only, at most 60 s, at most 64 connections (the default
//! `limits.max_connections_per_counter`).

use std::net::{SocketAddr, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, ensure, Context, Result};
use bytes::Bytes;
use clap::{Parser, ValueEnum};
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::SendRequest;
use hyper_util::rt::TokioIo;
use rustls::pki_types::ServerName;
use sne_gateway::config::Settings;
use sne_gateway::school;
use sne_gateway::startup::Application;
use sne_gateway::store::Store;
use tokio::net::TcpStream;
use tokio::sync::Barrier;
use tokio_rustls::TlsConnector;

const NS_SOAP12: &str = "http://www.w3.org/2003/05/soap-envelope";
const ACTION_NUM_UNIQUE: &str = "http://ws.metier.nuu.application.i2/getNumUnique";
const ACTION_DEMANDE: &str = "http://ws.metier.nuu.application.i2/getDemandeLogement";
const DEFAULT_PATH: &str = "/services/DemandeLogementImplService/";
const MAX_SECONDS: u64 = 60;
/// An in-process gateway's task.
type Served = tokio::task::JoinHandle<Result<(), sne_gateway::startup::StartupError>>;

const MAX_CONCURRENCY: usize = 64;

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Op {
    /// getNumUnique (CRE): assigns a number, writes durably, renders the PDF.
    Register,
    /// getDemandeLogement of one number registered before the run.
    Read,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum BodyKind {
    /// SOAP 1.2 envelope with the file inline in base64 (built from cre_complet_v0201.xml).
    Inline,
    /// The MTOM fixture `fixtures/mtom/crlf_8bit.*` (JAX-WS style).
    Mtom,
}

/// Load generator for sne-gateway (loopback only).
#[derive(Parser)]
struct Args {
    /// Concurrent clients, each on its own kept-alive TLS connection (1 to 64).
    #[arg(long, default_value_t = 32)]
    concurrency: usize,
    /// Duration of the measured window (1 to 60).
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// An already running gateway (https://127.0.0.1:PORT/services/DemandeLogementImplService/);
    /// without it a gateway is started in this process.
    #[arg(long)]
    endpoint: Option<String>,
    /// With --endpoint: directory holding ca.pem and client-<GUICHET>.pem/.key (school layout).
    #[arg(long)]
    pki: Option<PathBuf>,
    /// What the clients do.
    #[arg(long, value_enum, default_value_t = Op::Register)]
    op: Op,
    /// Request form for --op register.
    #[arg(long, value_enum, default_value_t = BodyKind::Inline)]
    body: BodyKind,
    /// Counter whose certificate the clients present (it must match the file's numGuichet).
    #[arg(long, default_value = "G1104")]
    guichet: String,
}

/// Where and how to connect.
struct Target {
    addr: SocketAddr,
    server_name: ServerName<'static>,
    host: String,
    path: String,
    tls: Arc<rustls::ClientConfig>,
}

/// One request, sent again and again.
struct Prepared {
    content_type: String,
    body: Bytes,
    op: Op,
}

#[derive(Default)]
struct ClientStats {
    latencies: Vec<Duration>,
    /// Requests answered 200 whose answer passed the checks.
    ok: u64,
    /// Answers other than 200.
    http_errors: u64,
    /// 200 answers carrying a rejection (anomalies) or failing the checks.
    rejected: u64,
    /// Connection or protocol failures (the client reconnects).
    io_errors: u64,
    reconnects: u64,
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

fn read_fixture(rel: &str) -> Result<Vec<u8>> {
    let p = fixtures().join(rel);
    std::fs::read(&p).with_context(|| p.display().to_string())
}

fn inline_num_unique(file: &[u8]) -> Vec<u8> {
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD.encode(file);
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="{NS_SOAP12}"><soap:Body><ns2:numUniqueParametres xmlns:ns2="http://ws.metier.nuu.application.i2/"><nomFichierDemande>DEMG1104-202611021030-000001.xml</nomFichierDemande><fichierDemande>{b64}</fichierDemande><nomCertificat></nomCertificat><certificat></certificat></ns2:numUniqueParametres></soap:Body></soap:Envelope>"#
    )
    .into_bytes()
}

fn inline_demande_logement(num: &str) -> Vec<u8> {
    format!(
        r#"<soap:Envelope xmlns:soap="{NS_SOAP12}"><soap:Body><ns2:demandeLogementParametres xmlns:ns2="http://ws.metier.nuu.application.i2/"><numUnique>{num}</numUnique><nomCertificat/><certificat/></ns2:demandeLogementParametres></soap:Body></soap:Envelope>"#
    )
    .into_bytes()
}

fn soap12_content_type(action: &str) -> String {
    format!("application/soap+xml; charset=utf-8; action=\"{action}\"")
}

fn register_request(kind: BodyKind) -> Result<Prepared> {
    Ok(match kind {
        BodyKind::Inline => Prepared {
            content_type: soap12_content_type(ACTION_NUM_UNIQUE),
            body: Bytes::from(inline_num_unique(&read_fixture("demande/valid/cre_complet_v0201.xml")?)),
            op: Op::Register,
        },
        BodyKind::Mtom => {
            let headers = String::from_utf8(read_fixture("mtom/crlf_8bit.headers")?)?;
            let content_type = headers
                .lines()
                .filter_map(|l| l.split_once(':'))
                .find(|(k, _)| k.trim().eq_ignore_ascii_case("content-type"))
                .map(|(_, v)| v.trim().to_string())
                .context("Content-Type absent de crlf_8bit.headers")?;
            Prepared { content_type, body: Bytes::from(read_fixture("mtom/crlf_8bit.body")?), op: Op::Register }
        }
    })
}

fn client_config(pki: &Path, guichet: &str) -> Result<Arc<rustls::ClientConfig>> {
    let (cert, key) = (pki.join(format!("client-{guichet}.pem")), pki.join(format!("client-{guichet}.key")));
    Ok(sne_gateway::pki::client_config(&pki.join("ca.pem"), Some((&cert, &key)))?)
}

/// `https://HOST:PORT/PATH` -> (host, port, path), refusing anything that is not loopback.
fn parse_endpoint(url: &str) -> Result<(String, SocketAddr, String)> {
    let rest = url.strip_prefix("https://").context("--endpoint doit commencer par https://")?;
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], rest[i..].to_string()),
        None => (rest, DEFAULT_PATH.to_string()),
    };
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) if !h.ends_with(']') || h.starts_with('[') => (h, p.parse::<u16>().context("port")?),
        _ => (authority, 443),
    };
    let host = host.trim_start_matches('[').trim_end_matches(']').to_string();
    let addrs: Vec<SocketAddr> = (host.as_str(), port).to_socket_addrs()?.collect();
    ensure!(!addrs.is_empty(), "{host} ne se résout pas");
    if let Some(a) = addrs.iter().find(|a| !a.ip().is_loopback()) {
        bail!(
            "{host} résout vers {a}, qui n'est pas une adresse de bouclage : ce générateur ne vise que 127.0.0.1/::1"
        );
    }
    Ok((host, addrs[0], path))
}

async fn connect(t: &Target) -> Result<SendRequest<Full<Bytes>>> {
    let tcp = TcpStream::connect(t.addr).await?;
    tcp.set_nodelay(true)?;
    let tls = TlsConnector::from(t.tls.clone()).connect(t.server_name.clone(), tcp).await?;
    let (sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(tls)).await?;
    tokio::spawn(async move {
        let _ = conn.await;
    });
    Ok(sender)
}

struct Reply {
    status: u16,
    content_type: String,
    body: Bytes,
}

async fn send(sender: &mut SendRequest<Full<Bytes>>, t: &Target, p: &Prepared) -> Result<Reply> {
    sender.ready().await?;
    let req = hyper::Request::post(t.path.as_str())
        .header("Host", t.host.as_str())
        .header("Content-Type", p.content_type.as_str())
        .body(Full::new(p.body.clone()))?;
    let resp = sender.send_request(req).await?;
    let status = resp.status().as_u16();
    let content_type = resp.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    let body = resp.into_body().collect().await?.to_bytes();
    Ok(Reply { status, content_type, body })
}

/// The file carried by an answer, read with the gateway's own codec.
fn returned_file(reply: &Reply) -> Result<Vec<u8>> {
    let env = sne_gateway::soap::decode(&reply.content_type, None, &reply.body, &sne_gateway::soap::Limits::default())
        .map_err(|e| anyhow::anyhow!("réponse illisible : {e}"))?;
    let el = env.body.child("fichierDemande").context("fichierDemande absent de la réponse")?;
    Ok(sne_gateway::soap::binary_content(el)?.to_vec())
}

fn num_unique_of(file: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(file).ok()?;
    let start = text.find(":numUnique>")? + ":numUnique>".len();
    let end = start + text[start..].find('<')?;
    Some(text[start..end].to_string())
}

/// Full check of an answer (decoding it costs CPU the server shares, so it is done on each
/// connection's first answer only; the others get `cheap_check`).
fn full_check(reply: &Reply) -> Result<String> {
    ensure!(reply.status == 200, "HTTP {}", reply.status);
    let file = returned_file(reply)?;
    let text = String::from_utf8_lossy(&file);
    ensure!(!text.contains("listeAnomalie"), "fichier rejeté (listeAnomalie)");
    num_unique_of(&file).context("numUnique absent du fichier renvoyé")
}

fn cheap_check(reply: &Reply) -> bool {
    // A rejection is also a 200; in MTOM the file travels in clear and can be searched.
    reply.status == 200 && memchr::memmem::find(&reply.body, b"listeAnomalie").is_none()
}

async fn client(t: Arc<Target>, p: Arc<Prepared>, window: Duration, start: Arc<Barrier>) -> ClientStats {
    let mut s = ClientStats::default();
    // Handshakes happen before the window opens: the figures are about requests.
    let mut sender = connect(&t).await.ok();
    start.wait().await;
    let deadline = Instant::now() + window;
    let mut checked = false;
    while Instant::now() < deadline {
        let Some(conn) = sender.as_mut() else {
            match connect(&t).await {
                Ok(c) => {
                    s.reconnects += 1;
                    sender = Some(c);
                    checked = false;
                }
                Err(_) => {
                    s.io_errors += 1;
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
            }
            continue;
        };
        let t0 = Instant::now();
        match send(conn, &t, &p).await {
            Ok(reply) => {
                s.latencies.push(t0.elapsed());
                let good = if reply.status != 200 {
                    s.http_errors += 1;
                    continue;
                } else if !checked {
                    checked = true;
                    match full_check(&reply) {
                        Ok(_) => true,
                        Err(e) => {
                            eprintln!("réponse refusée : {e}");
                            false
                        }
                    }
                } else {
                    cheap_check(&reply)
                };
                if good {
                    s.ok += 1;
                } else {
                    s.rejected += 1;
                }
            }
            Err(_) => {
                s.io_errors += 1;
                sender = None;
            }
        }
    }
    s
}

/// User + system CPU time of this process (Linux), to see whether the cores were saturated.
fn process_cpu() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    // USER_HZ is 100 on every Linux this runs on.
    Some(Duration::from_millis(ticks * 10))
}

fn percentile(sorted: &[Duration], q: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

#[tokio::main]
async fn main() -> Result<()> {
    let args = Args::parse();
    ensure!((1..=MAX_SECONDS).contains(&args.seconds), "--seconds : 1 à {MAX_SECONDS}");
    ensure!((1..=MAX_CONCURRENCY).contains(&args.concurrency), "--concurrency : 1 à {MAX_CONCURRENCY}");

    // In-process gateway, or an existing one.
    let mut local: Option<(Store, tokio::sync::oneshot::Sender<()>, Served)> = None;
    let _tmp;
    let target = match &args.endpoint {
        Some(url) => {
            let pki =
                args.pki.as_deref().context("--endpoint demande --pki DIR (ca.pem, client-<GUICHET>.pem/.key)")?;
            let (host, addr, path) = parse_endpoint(url)?;
            let server_name = ServerName::try_from(host.clone())?;
            Target {
                addr,
                server_name,
                host: format!("{host}:{}", addr.port()),
                path,
                tls: client_config(pki, &args.guichet)?,
            }
        }
        None => {
            let tmp = tempfile::tempdir()?;
            let dir = tmp.path().join("sne-data");
            school::init(&dir, "127.0.0.1:0")?;
            let settings = Settings::load(&dir.join(school::CONFIG_FILE))?;
            let app = Application::build(settings).await?;
            let addr = app.local_addr();
            let store = app.store();
            let (tx, rx) = tokio::sync::oneshot::channel::<()>();
            let task = tokio::spawn(app.run_until(async {
                let _ = rx.await;
            }));
            local = Some((store, tx, task));
            let tls = client_config(&dir.join("pki"), &args.guichet)?;
            _tmp = tmp;
            Target {
                addr,
                server_name: ServerName::try_from("localhost")?,
                host: format!("localhost:{}", addr.port()),
                path: DEFAULT_PATH.to_string(),
                tls,
            }
        }
    };
    let target = Arc::new(target);

    // The request; a read needs a number registered first.
    let prepared = match args.op {
        Op::Register => register_request(args.body)?,
        Op::Read => {
            let reg = register_request(BodyKind::Inline)?;
            let mut c = connect(&target).await.context("connexion à la passerelle")?;
            let reply = send(&mut c, &target, &reg).await?;
            let num = full_check(&reply).context("enregistrement préalable à la lecture")?;
            Prepared {
                content_type: soap12_content_type(ACTION_DEMANDE),
                body: Bytes::from(inline_demande_logement(&num)),
                op: Op::Read,
            }
        }
    };
    let prepared = Arc::new(prepared);

    let before = local.as_ref().map(|(s, ..)| (s.flush_count(), s.demandes_count().unwrap_or(0)));
    let window = Duration::from_secs(args.seconds);
    let barrier = Arc::new(Barrier::new(args.concurrency + 1));
    let tasks: Vec<_> = (0..args.concurrency)
        .map(|_| tokio::spawn(client(target.clone(), prepared.clone(), window, barrier.clone())))
        .collect();
    barrier.wait().await;
    let cpu0 = process_cpu();
    let t0 = Instant::now();
    let mut total = ClientStats::default();
    for t in tasks {
        let s = t.await?;
        total.latencies.extend(s.latencies);
        total.ok += s.ok;
        total.http_errors += s.http_errors;
        total.rejected += s.rejected;
        total.io_errors += s.io_errors;
        total.reconnects += s.reconnects;
    }
    let elapsed = t0.elapsed();
    let cpu = process_cpu().zip(cpu0).map(|(a, b)| a.saturating_sub(b));
    total.latencies.sort();
    let l = &total.latencies;

    let what = match (prepared.op, args.body) {
        (Op::Read, _) => "getDemandeLogement (inline SOAP 1.2)",
        (Op::Register, BodyKind::Inline) => "getNumUnique (inline SOAP 1.2, cre_complet)",
        (Op::Register, BodyKind::Mtom) => "getNumUnique (MTOM crlf_8bit)",
    };
    println!(
        "{what} — concurrency {}, {:.1} s, {} gateway",
        args.concurrency,
        elapsed.as_secs_f64(),
        if local.is_some() { "in-process" } else { "external" }
    );
    println!(
        "requests: {} answered ({} ok, {} rejected/failed check, {} non-200), {} I/O errors, {} reconnects",
        l.len(),
        total.ok,
        total.rejected,
        total.http_errors,
        total.io_errors,
        total.reconnects
    );
    println!(
        "throughput: {:.1} requests/s ({:.1} ok/s)",
        l.len() as f64 / elapsed.as_secs_f64(),
        total.ok as f64 / elapsed.as_secs_f64()
    );
    println!(
        "latency: p50 {}  p90 {}  p99 {}  max {}",
        ms(percentile(l, 0.50)),
        ms(percentile(l, 0.90)),
        ms(percentile(l, 0.99)),
        ms(l.last().copied().unwrap_or_default())
    );
    if let Some(cpu) = cpu {
        println!(
            "process CPU: {:.1} s over {:.1} s wall = {:.2} cores busy{}",
            cpu.as_secs_f64(),
            elapsed.as_secs_f64(),
            cpu.as_secs_f64() / elapsed.as_secs_f64(),
            if local.is_some() { " (clients and gateway together)" } else { " (clients only)" }
        );
    }
    if let Some((store, tx, task)) = local {
        let (f0, n0) = before.unwrap_or_default();
        let flushes = store.flush_count() - f0;
        let stored = store.demandes_count().unwrap_or(0) - n0;
        match prepared.op {
            Op::Register => {
                println!(
                    "store: {stored} registrations stored, {flushes} flushes = {:.3} flushes per registration ({:.1} registrations per flush)",
                    flushes as f64 / stored.max(1) as f64,
                    stored as f64 / flushes.max(1) as f64
                );
                if stored as u64 != total.ok {
                    println!("WARNING: {} ok answers but {stored} stored", total.ok);
                }
            }
            Op::Read => println!("store: {flushes} flushes, {stored} registrations during the read run"),
        }
        let _ = tx.send(());
        match tokio::time::timeout(Duration::from_secs(15), task).await {
            Ok(r) => r??,
            Err(_) => bail!("la passerelle ne s'est pas arrêtée en 15 s"),
        }
    } else {
        println!("store: flush count not available for an external gateway");
    }
    let failures = total.rejected + total.http_errors + total.io_errors;
    ensure!(failures == 0 || total.ok > 0, "aucune requête réussie");
    Ok(())
}
