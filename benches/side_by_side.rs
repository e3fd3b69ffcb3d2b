//! The side-by-side benchmark's two helpers; `benches/side_by_side.sh` drives them (see
//! `benches/README.md`).
//!
//! - `prepare`: against a running school-mode gateway, registers one application, deposits a
//!   piece of 500 KB, and writes for each scenario the request a deployed JAX-WS client sends
//!   (MTOM, files as attachments: `<name>.body`, `<name>.type`, `<name>.path`) and the
//!   gateway's answer to it (`<name>.answer`, `<name>.answer-type`). Every answer is checked
//!   (HTTP 200, no fault, no anomaly): a benchmark of refusals measures nothing.
//! - `ceiling`: a bare hyper + rustls server with the gateway's own TLS configuration (client
//!   certificates verified against the school CA), which reads each request's body whole and
//!   answers the bytes the gateway answered to that scenario (named by the `x-banc` header the
//!   load generator sends to both). It is the transport ceiling: what TLS, HTTP and the
//!   loopback cost for the same bytes, with nothing of the gateway's work.
//!
//! Loopback only.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{bail, ensure, Context, Result};
use bytes::Bytes;
use clap::{Parser, Subcommand};
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::SendRequest;
use hyper_util::rt::TokioIo;
use rustls::pki_types::ServerName;
use sne_gateway::registry::Horloge;
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::{TlsAcceptor, TlsConnector};

const NS_SOAP12: &str = "http://www.w3.org/2003/05/soap-envelope";
const NS_WS: &str = "http://ws.metier.nuu.application.i2/";
const DEMANDE: &str = "/services/DemandeLogementImplService/";
const PIECES: &str = "/services/PieceJustificativeImplService/";
const RECHERCHE: &str = "/services/RechercheDemandeImplService/";
const BOUNDARY: &str = "uuid:4f1d6c2e-banc-0f6c2a9e4d3b";
/// The scenarios, in the order the script runs them: reads first, then the writes that change
/// what the reads would find.
const SCENARIOS: [&str; 6] = ["lire", "doublons", "recherche", "getpiece", "mod", "cre"];
/// The size of the piece `getpiece` reads back.
const PIECE_OCTETS: usize = 500 * 1000;

#[derive(Parser)]
struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Writes each scenario's request and the gateway's answer into --out.
    Prepare {
        /// The gateway's port on 127.0.0.1.
        #[arg(long)]
        port: u16,
        /// The school PKI (ca.pem, client-G1104.pem/.key).
        #[arg(long)]
        pki: PathBuf,
        /// Where the scenarios go.
        #[arg(long)]
        out: PathBuf,
    },
    /// Serves the answers of --answers on 127.0.0.1:--port until killed.
    Ceiling {
        #[arg(long)]
        port: u16,
        /// The school PKI (server.pem/.key, ca.pem).
        #[arg(long)]
        pki: PathBuf,
        /// The directory `prepare` wrote.
        #[arg(long)]
        answers: PathBuf,
    },
}

#[tokio::main]
async fn main() -> Result<()> {
    match Args::parse().command {
        Command::Prepare { port, pki, out } => prepare(port, &pki, &out).await,
        Command::Ceiling { port, pki, answers } => ceiling(port, &pki, &answers).await,
    }
}

/// One request of a scenario.
struct Request {
    path: &'static str,
    content_type: String,
    body: Vec<u8>,
}

/// An MTOM request as JAX-WS writes it: the envelope in the root part, each `(cid, bytes)` of
/// `parts` an attachment its `xop:Include` names.
fn mtom(path: &'static str, operation: &str, wrapper: &str, children: &str, parts: &[(&str, &[u8])]) -> Request {
    let root = format!(
        "<?xml version='1.0' encoding='UTF-8'?><S:Envelope xmlns:S=\"{NS_SOAP12}\"><S:Body><ns2:{wrapper} xmlns:ns2=\"{NS_WS}\">{children}</ns2:{wrapper}></S:Body></S:Envelope>"
    );
    let mut body = format!(
        "--{BOUNDARY}\r\nContent-Id: <rootpart*banc@example.jaxws.sun.com>\r\nContent-Type: application/xop+xml;charset=utf-8;type=\"application/soap+xml\";action=\"{operation}\"\r\nContent-Transfer-Encoding: binary\r\n\r\n{root}"
    )
    .into_bytes();
    for (cid, content) in parts {
        body.extend_from_slice(
            format!("\r\n--{BOUNDARY}\r\nContent-Id: <{cid}>\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: binary\r\n\r\n")
                .as_bytes(),
        );
        body.extend_from_slice(content);
    }
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    let content_type = format!(
        "multipart/related; type=\"application/xop+xml\"; boundary=\"{BOUNDARY}\"; start=\"<rootpart*banc@example.jaxws.sun.com>\"; start-info=\"application/soap+xml\"; action=\"{NS_WS}{operation}\""
    );
    Request { path, content_type, body }
}

fn include(cid: &str) -> String {
    format!("<xop:Include xmlns:xop=\"http://www.w3.org/2004/08/xop/include\" href=\"cid:{cid}\"/>")
}

/// The complete example application, dated today, without `refInterne` (the same reference sent
/// again is a retry, not a registration).
fn application_file() -> Result<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/demande/valid/cre_complet_v0201.xml");
    let text = std::fs::read_to_string(&path).with_context(|| path.display().to_string())?;
    let today = sne_gateway::registry::HorlogeSysteme.aujourd_hui();
    let text = sne_gateway::school::dater(&text, today);
    let (a, b) = (text.find("<ns2:refInterne>"), text.find("</ns2:refInterne>"));
    Ok(match (a, b) {
        (Some(a), Some(b)) => format!("{}{}", &text[..a], &text[b + "</ns2:refInterne>".len()..]),
        _ => text,
    })
}

fn cre(file: &str) -> Request {
    let children = format!(
        "<nomFichierDemande>DEMG1104-banc.xml</nomFichierDemande><fichierDemande>{}</fichierDemande><nomCertificat></nomCertificat><certificat></certificat>",
        include("demande@banc")
    );
    mtom(DEMANDE, "getNumUnique", "numUniqueParametres", &children, &[("demande@banc", file.as_bytes())])
}

fn lire(num: &str) -> Request {
    let children = format!("<numUnique>{num}</numUnique><nomCertificat></nomCertificat><certificat></certificat>");
    mtom(DEMANDE, "getDemandeLogement", "demandeLogementParametres", &children, &[])
}

fn doublons(file: &str) -> Request {
    let children = format!(
        "<nomFichierDemande>DEMG1104-banc.xml</nomFichierDemande><fichierDemande>{}</fichierDemande>",
        include("demande@banc")
    );
    mtom(DEMANDE, "getDoublons", "rechercheDoublonsParametres", &children, &[("demande@banc", file.as_bytes())])
}

/// A search by the example's applicant (surname, first name, birth date): one application.
fn recherche() -> Request {
    let now = sne_gateway::registry::HorlogeSysteme.aujourd_hui();
    let file = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ns2:interfaceNuu xmlns:ns2=\"http://nuu.application.i2/\" versionInterface=\"02.00\"><ns2:entete><ns2:typeFichier>RMC</ns2:typeFichier><ns2:dateFichier>{now}T10:00:00</ns2:dateFichier><ns2:codeGuichet>G1104</ns2:codeGuichet></ns2:entete><ns2:operation><ns2:demandeMulticritere><ns2:personneRecherchee><ns2:nom>MARTIN</ns2:nom><ns2:prenom>Camille</ns2:prenom><ns2:dateNaissance>{}</ns2:dateNaissance></ns2:personneRecherchee></ns2:demandeMulticritere></ns2:operation></ns2:interfaceNuu>",
        birth_date()
    );
    let children = format!("<nomFichier>RMC-banc.xml</nomFichier><fichierXml>{}</fichierXml>", include("rmc@banc"));
    mtom(RECHERCHE, "rechercheDemandeMulticritere", "fichierXmlParametres", &children, &[("rmc@banc", file.as_bytes())])
}

/// The applicant's birth date in today's example (fixtures move in time whole).
fn birth_date() -> String {
    let file = application_file().unwrap_or_default();
    let start = file.find("<ns2:prenom>Camille</ns2:prenom>").unwrap_or(0);
    let rest = &file[start..];
    rest.split("<ns2:dateNaissance>").nth(1).and_then(|r| r.split('<').next()).unwrap_or_default().to_string()
}

/// A JPEG of `octets` bytes: a valid frame around bytes that never contain the boundary.
fn jpeg(octets: usize) -> Vec<u8> {
    let mut v = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10];
    v.extend_from_slice(b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0");
    let mut x: u32 = 0x9E37_79B9;
    while v.len() < octets - 2 {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        // No 0xFF: no marker inside, and no '-' runs that could look like a delimiter.
        v.push((x % 0xFE) as u8 + 1);
    }
    v.extend_from_slice(&[0xFF, 0xD9]);
    v
}

fn deposer(num: &str, content: &[u8]) -> Request {
    let children = format!(
        "<numUnique>{num}</numUnique><codeCategorie>IDENTITE</codeCategorie><personne>DEM</personne><nomFichier>cni.jpg</nomFichier><fichier>{}</fichier>",
        include("piece@banc")
    );
    mtom(PIECES, "deposerPiece", "deposerPieceParametres", &children, &[("piece@banc", content)])
}

fn get_piece(id: &str) -> Request {
    mtom(PIECES, "getPiece", "getPieceParametres", &format!("<idPiece>{id}</idPiece>"), &[])
}

/// The stored file sent back as a `MOD`, as a counter's software does.
fn modification(stored: &str) -> Result<String> {
    let current = stored
        .split("<ns2:typeFichier>")
        .nth(1)
        .and_then(|r| r.split('<').next())
        .context("typeFichier absent du fichier enregistré")?;
    let mut f = stored.replacen(
        &format!("<ns2:typeFichier>{current}</ns2:typeFichier>"),
        "<ns2:typeFichier>MOD</ns2:typeFichier>",
        1,
    );
    for name in ["dateDerniereModificationPiece", "radiation"] {
        let (open, close) = (format!("<ns2:{name}>"), format!("</ns2:{name}>"));
        if let (Some(a), Some(b)) = (f.find(&open), f.find(&close)) {
            f = format!("{}{}", &f[..a], &f[b + close.len()..]);
        }
    }
    Ok(f)
}

struct Client {
    sender: SendRequest<Full<Bytes>>,
}

struct Answer {
    status: u16,
    content_type: String,
    body: Bytes,
}

impl Client {
    async fn connect(port: u16, pki: &Path) -> Result<Client> {
        let tls = sne_gateway::pki::client_config(
            &pki.join("ca.pem"),
            Some((&pki.join("client-G1104.pem"), &pki.join("client-G1104.key"))),
        )?;
        let tcp = TcpStream::connect(SocketAddr::from(([127, 0, 0, 1], port))).await?;
        let tls = TlsConnector::from(tls).connect(ServerName::try_from("localhost")?, tcp).await?;
        let (sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(tls)).await?;
        tokio::spawn(conn);
        Ok(Client { sender })
    }

    async fn send(&mut self, r: &Request) -> Result<Answer> {
        self.sender.ready().await?;
        let req = hyper::Request::post(r.path)
            .header("Host", "localhost")
            .header("Content-Type", r.content_type.as_str())
            .body(Full::new(Bytes::from(r.body.clone())))?;
        let resp = self.sender.send_request(req).await?;
        let status = resp.status().as_u16();
        let content_type =
            resp.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
        let body = resp.into_body().collect().await?.to_bytes();
        Ok(Answer { status, content_type, body })
    }
}

/// The answer's wrapper, refused unless it is a 200 without fault or anomaly.
fn accepted(name: &str, a: &Answer) -> Result<sne_gateway::soap::Envelope> {
    ensure!(a.status == 200, "{name} : HTTP {} : {}", a.status, String::from_utf8_lossy(&a.body));
    let env = sne_gateway::soap::decode(&a.content_type, None, &a.body, &sne_gateway::soap::Limits::default())
        .map_err(|e| anyhow::anyhow!("{name} : réponse illisible : {e}"))?;
    for child in env.body.elements() {
        if let Ok(bytes) = sne_gateway::soap::binary_content(child) {
            if let Ok(text) = std::str::from_utf8(&bytes) {
                ensure!(!text.contains("listeAnomalie>"), "{name} : anomalies dans {} : {text}", child.name);
            }
        }
        ensure!(child.child("listeAnomalie").is_none(), "{name} : anomalies dans la réponse");
    }
    Ok(env)
}

fn text_of(env: &sne_gateway::soap::Envelope, name: &str) -> Result<String> {
    let el = env.body.child(name).with_context(|| format!("{name} absent de la réponse"))?;
    Ok(String::from_utf8(sne_gateway::soap::binary_content(el)?.to_vec())?)
}

fn element_text(xml: &str, name: &str) -> Option<String> {
    let start = xml.find(&format!(":{name}>"))? + name.len() + 2;
    Some(xml[start..].split('<').next()?.trim().to_string())
}

async fn prepare(port: u16, pki: &Path, out: &Path) -> Result<()> {
    std::fs::create_dir_all(out)?;
    let mut client = Client::connect(port, pki).await?;
    let file = application_file()?;
    let registration = cre(&file);
    let first = client.send(&registration).await?;
    let env = accepted("cre", &first)?;
    let num = element_text(&text_of(&env, "fichierDemande")?, "numUnique").context("numUnique absent")?;
    let stored = text_of(&accepted("lire", &client.send(&lire(&num)).await?)?, "fichierDemande")?;
    let depot = accepted("deposerPiece", &client.send(&deposer(&num, &jpeg(PIECE_OCTETS))).await?)?;
    let id = depot
        .body
        .child("idPiece")
        .or_else(|| depot.body.elements().find_map(|e| e.child("idPiece")))
        .map(|e| e.text().trim().to_string())
        .context("idPiece absent de la réponse de deposerPiece")?;
    let requests: HashMap<&str, Request> = HashMap::from([
        ("lire", lire(&num)),
        ("doublons", doublons(&file)),
        ("recherche", recherche()),
        ("getpiece", get_piece(&id)),
        ("mod", cre(&modification(&stored)?)),
        ("cre", registration),
    ]);
    for name in SCENARIOS {
        let r = &requests[name];
        // Twice: the second answer is what the load sees (a MOD sent again is still accepted,
        // a search finds what it found).
        accepted(name, &client.send(r).await?)?;
        let a = client.send(r).await?;
        let env = accepted(name, &a)?;
        match name {
            "recherche" => {
                let found = text_of(&env, "fichierXmlRetour")?;
                ensure!(found.contains(&num), "la recherche ne trouve pas {num} : {found}");
            }
            "doublons" => ensure!(env.body.child("listeDoublons").is_some(), "getDoublons ne trouve rien"),
            "getpiece" => ensure!(a.body.len() > PIECE_OCTETS, "getPiece : {} octets", a.body.len()),
            _ => {}
        }
        let write = |ext: &str, bytes: &[u8]| std::fs::write(out.join(format!("{name}.{ext}")), bytes);
        write("body", &r.body)?;
        write("type", r.content_type.as_bytes())?;
        write("path", r.path.as_bytes())?;
        write("answer", &a.body)?;
        write("answer-type", a.content_type.as_bytes())?;
        println!("{name}: requête {} octets, réponse {} octets", r.body.len(), a.body.len());
    }
    Ok(())
}

/// The recorded answers, by scenario.
type Answers = Arc<HashMap<String, (String, Bytes)>>;

async fn ceiling(port: u16, pki: &Path, dir: &Path) -> Result<()> {
    let mut answers = HashMap::new();
    for name in SCENARIOS {
        let body = std::fs::read(dir.join(format!("{name}.answer"))).with_context(|| format!("{name}.answer"))?;
        let content_type = std::fs::read_to_string(dir.join(format!("{name}.answer-type")))?;
        answers.insert(name.to_string(), (content_type, Bytes::from(body)));
    }
    let answers: Answers = Arc::new(answers);
    let tls = sne_gateway::http::server_config(&sne_gateway::config::TlsSettings {
        cert: pki.join("server.pem"),
        key: pki.join("server.key"),
        client_ca: pki.join("ca.pem"),
        crl: None,
    })?;
    let acceptor = TlsAcceptor::from(tls);
    let listener = TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], port))).await?;
    println!("plafond prêt sur 127.0.0.1:{port}");
    loop {
        let (tcp, _) = listener.accept().await?;
        let (acceptor, answers) = (acceptor.clone(), Arc::clone(&answers));
        tokio::spawn(async move {
            let _ = tcp.set_nodelay(true);
            let Ok(tls) = acceptor.accept(tcp).await else { return };
            let service = hyper::service::service_fn(move |req: hyper::Request<hyper::body::Incoming>| {
                let answers = Arc::clone(&answers);
                async move { answer(req, &answers).await }
            });
            let _ = hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(tls), service).await;
        });
    }
}

async fn answer(req: hyper::Request<hyper::body::Incoming>, answers: &Answers) -> Result<hyper::Response<Full<Bytes>>> {
    let name = req.headers().get("x-banc").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    // The whole body is read, as the gateway does before it answers.
    let body = req.into_body().collect().await?.to_bytes();
    let Some((content_type, bytes)) = answers.get(&name) else {
        bail!("scénario inconnu : {name:?} ({} octets reçus)", body.len());
    };
    Ok(hyper::Response::builder().header("Content-Type", content_type.as_str()).body(Full::new(bytes.clone()))?)
}
