//! A client that deposits a large piece without holding it: the MTOM request is generated as it
//! is sent (a JPEG of the requested size, its body filler bytes). Tests (peak memory) and the
//! ingest benchmark share it.

#![allow(dead_code)]

use std::path::Path;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use bytes::Bytes;
use hyper::body::{Body, Frame, SizeHint};

const NS: &str = "http://ws.metier.nuu.application.i2/";
const BOUNDARY: &str = "uuid:3f0c9a1e-televersement";
const CHUNK: usize = 64 * 1024;
static FILLER: [u8; CHUNK] = [0x5A; CHUNK];

/// A request body made as it is sent: `head`, `reste` filler bytes in 64 KiB chunks, `tail`.
pub struct Genere {
    head: Option<Bytes>,
    reste: u64,
    tail: Option<Bytes>,
    total: u64,
}

impl Body for Genere {
    type Data = Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        if let Some(h) = self.head.take() {
            return Poll::Ready(Some(Ok(Frame::data(h))));
        }
        if self.reste > 0 {
            let n = self.reste.min(CHUNK as u64);
            self.reste -= n;
            return Poll::Ready(Some(Ok(Frame::data(Bytes::from_static(&FILLER[..n as usize])))));
        }
        Poll::Ready(self.tail.take().map(|t| Ok(Frame::data(t))))
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.total)
    }
}

/// The `deposerPiece` request of a JPEG of `taille` bytes on `num`, made unique by `graine` (the
/// same content twice would be recognised and not stored again): (Content-Type, body).
pub fn depot_genere(num: &str, taille: u64, graine: u64) -> (String, Genere) {
    let root = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body><ns2:deposerPieceParametres xmlns:ns2="{NS}"><numUnique>{num}</numUnique><codeCategorie>IDENTITE</codeCategorie><personne>DEM</personne><nomFichier>scan.jpg</nomFichier><fichier><xop:Include xmlns:xop="http://www.w3.org/2004/08/xop/include" href="cid:piece@client"/></fichier></ns2:deposerPieceParametres></soap:Body></soap:Envelope>"#
    );
    let mut head = format!(
        "--{BOUNDARY}\r\nContent-Type: application/xop+xml; charset=UTF-8; type=\"application/soap+xml\"\r\nContent-Transfer-Encoding: 8bit\r\nContent-ID: <root@client>\r\n\r\n{root}\r\n--{BOUNDARY}\r\nContent-Type: image/jpeg\r\nContent-Transfer-Encoding: binary\r\nContent-ID: <piece@client>\r\n\r\n"
    )
    .into_bytes();
    head.extend_from_slice(&[0xFF, 0xD8, 0xFF, 0xE0]);
    head.extend_from_slice(&graine.to_be_bytes());
    let mut tail = vec![0xFF, 0xD9];
    tail.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    // JPEG markers and seed: 14 bytes of the content are not filler.
    let reste = taille - 14;
    let total = head.len() as u64 + reste + tail.len() as u64;
    let ct = format!(
        "multipart/related; type=\"application/xop+xml\"; boundary=\"{BOUNDARY}\"; start=\"<root@client>\"; start-info=\"application/soap+xml\"; action=\"{NS}deposerPiece\""
    );
    (ct, Genere { head: Some(head.into()), reste, tail: Some(tail.into()), total })
}

/// POSTs `body` to `path` on `127.0.0.1:port` over a new TLS connection as the client of `tls`;
/// the answer's Content-Type and body.
pub async fn poster<B>(tls: Arc<rustls::ClientConfig>, port: u16, path: &str, ct: &str, body: B) -> (String, Bytes)
where
    B: Body + Send + 'static,
    B::Data: Send,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    use http_body_util::BodyExt;
    let tcp = tokio::net::TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    let tls = tokio_rustls::TlsConnector::from(tls)
        .connect(rustls::pki_types::ServerName::try_from("localhost").unwrap(), tcp)
        .await
        .unwrap();
    let (mut sender, conn) = hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(tls)).await.unwrap();
    tokio::spawn(conn);
    let req = hyper::Request::post(path)
        .header("Host", format!("localhost:{port}"))
        .header("Content-Type", ct)
        .body(body)
        .unwrap();
    let resp = sender.send_request(req).await.unwrap();
    let content_type = resp.headers()["content-type"].to_str().unwrap().to_string();
    (content_type, resp.into_body().collect().await.unwrap().to_bytes())
}

/// Deposits a generated JPEG of `taille` bytes on `num` at `127.0.0.1:port` as the client of
/// `tls`; the answer's Content-Type and body.
pub async fn deposer(
    tls: Arc<rustls::ClientConfig>,
    port: u16,
    num: &str,
    taille: u64,
    graine: u64,
) -> (String, Bytes) {
    let (ct, body) = depot_genere(num, taille, graine);
    poster(tls, port, "/services/PieceJustificativeImplService/", &ct, body).await
}

/// The school PKI's client configuration for identity `code`.
pub fn tls(pki: &Path, code: &str) -> Arc<rustls::ClientConfig> {
    sne_gateway::pki::client_config(
        &pki.join("ca.pem"),
        Some((&pki.join(format!("client-{code}.pem")), &pki.join(format!("client-{code}.key")))),
    )
    .unwrap()
}

/// Starts `bin serve --config` and returns it with its port and every line it writes on stderr
/// (filled as they come).
pub fn lancer(
    bin: &Path,
    config: &Path,
    args: &[&str],
    filter: &str,
) -> (std::process::Child, u16, Arc<std::sync::Mutex<Vec<String>>>) {
    use std::io::BufRead;
    let mut child = std::process::Command::new(bin)
        .args(args)
        .arg("serve")
        .arg("--config")
        .arg(config)
        .env("RUST_LOG", filter)
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut port = None;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let mut lines = stderr.lines();
    let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
    while port.is_none() && std::time::Instant::now() < deadline {
        let Some(Ok(line)) = lines.next() else { break };
        for marker in ["adresse=127.0.0.1:", "\"adresse\":\"127.0.0.1:"] {
            if let Some(at) = line.find(marker) {
                let rest = &line[at + marker.len()..];
                port = rest.split(|c: char| !c.is_ascii_digit()).next().and_then(|p| p.parse::<u16>().ok());
            }
        }
        seen.lock().unwrap().push(line);
    }
    let port = port.expect("le serveur n'a pas annoncé son adresse");
    let sink = seen.clone();
    std::thread::spawn(move || {
        for line in lines.map_while(Result::ok) {
            sink.lock().unwrap().push(line);
        }
    });
    (child, port, seen)
}
