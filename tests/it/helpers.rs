//! A gateway started per test on 127.0.0.1:0 with a school PKI in a temporary directory, and a
//! TLS client that presents (or not) a counter's certificate.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Once};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use rustls::pki_types::ServerName;
use sne_gateway::config::Settings;
use sne_gateway::school;
use sne_gateway::startup::Application;
use tokio::net::TcpStream;
use tokio::sync::oneshot;
use tokio_rustls::TlsConnector;

pub const NS_SOAP12: &str = "http://www.w3.org/2003/05/soap-envelope";
pub const ACTION_NUM_UNIQUE: &str = "http://ws.metier.nuu.application.i2/getNumUnique";
pub const ACTION_DEMANDE: &str = "http://ws.metier.nuu.application.i2/getDemandeLogement";

static LOG: Once = Once::new();

fn init_log() {
    LOG.call_once(|| {
        if std::env::var_os("TEST_LOG").is_some() {
            let _ = tracing_subscriber::fmt().with_env_filter("debug").with_test_writer().try_init();
        }
    });
}

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// A fixture as a counter would send it to a gateway running on the system clock: filed today
/// in Paris (counters have one month to register; the whole file moves in time with it, income
/// years included: `school::dater`) and `forcerDoublon` true (tests register the same person
/// again and again).
pub fn fixture_du_jour(rel: &str) -> Vec<u8> {
    use sne_gateway::registry::Horloge;
    let text = String::from_utf8(fixture(rel)).unwrap();
    let text = school::dater(&text, sne_gateway::registry::HorlogeSysteme.aujourd_hui());
    let (before, rest) = text.split_once("<ns2:dateCreationDemande>").expect("dateCreationDemande");
    let (date, after) = rest.split_once("</ns2:dateCreationDemande>").unwrap();
    let after = match after.split_once("<ns2:forcerDoublon>") {
        Some((head, tail)) => format!("{head}<ns2:forcerDoublon>true{}", &tail[tail.find('<').unwrap()..]),
        None => format!("<ns2:forcerDoublon>true</ns2:forcerDoublon>{after}"),
    };
    format!("{before}<ns2:dateCreationDemande>{date}</ns2:dateCreationDemande>{after}").into_bytes()
}

pub fn fixture(rel: &str) -> Vec<u8> {
    std::fs::read(fixtures().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// A running gateway and its school directory.
pub struct TestGateway {
    pub addr: SocketAddr,
    pub metrics_addr: SocketAddr,
    pub dir: PathBuf,
    pub settings: Settings,
    /// The store it serves, until it stops (a restart in the same process opens it again).
    store: Option<sne_gateway::store::Store>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<Result<(), sne_gateway::startup::StartupError>>>,
    _tmp: Option<tempfile::TempDir>,
}

/// Who the client claims to be.
#[derive(Clone, Copy)]
pub enum As {
    Guichet(&'static str),
    Nobody,
}

pub struct Reply {
    pub status: u16,
    pub content_type: String,
    pub headers: hyper::HeaderMap,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Starts a gateway on a fresh school directory.
pub async fn spawn_gateway() -> TestGateway {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("sne-data");
    school::init(&dir, "127.0.0.1:0").unwrap();
    let mut gw = start(&dir).await;
    gw._tmp = Some(tmp);
    gw
}

/// Starts a gateway on an existing school directory (after `stop`, to test restarts).
pub async fn start(dir: &Path) -> TestGateway {
    start_with(dir, |_| {}).await
}

pub async fn start_with(dir: &Path, tweak: impl FnOnce(&mut Settings)) -> TestGateway {
    start_on(dir, tweak, None).await
}

/// Starts a gateway on a fresh school directory whose registry reads the time from `horloge`.
pub async fn spawn_gateway_at(horloge: sne_gateway::registry::HorlogeFixe) -> TestGateway {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("sne-data");
    school::init(&dir, "127.0.0.1:0").unwrap();
    let settings = Settings::load(&dir.join(school::CONFIG_FILE)).unwrap();
    let key = sne_gateway::store::MasterKey::load(&settings.server.master_key_file).unwrap();
    let store = sne_gateway::store::Store::open(&settings.server.data_dir, key).unwrap();
    let mut gw = launch(&dir, settings, Some((store, Some(Arc::new(horloge))))).await;
    gw._tmp = Some(tmp);
    gw
}

/// Starts a gateway on `store` when given (an engine that fails, say), else on its own.
pub async fn start_on(
    dir: &Path,
    tweak: impl FnOnce(&mut Settings),
    store: Option<sne_gateway::store::Store>,
) -> TestGateway {
    let mut settings = Settings::load(&dir.join(school::CONFIG_FILE)).unwrap();
    tweak(&mut settings);
    launch(dir, settings, store.map(|s| (s, None))).await
}

type Clock = Arc<dyn sne_gateway::registry::Horloge>;

/// Starts a gateway on `dir` with `settings` (already tweaked), its registry on `horloge`.
pub async fn launch_at(dir: &Path, settings: Settings, horloge: sne_gateway::registry::HorlogeFixe) -> TestGateway {
    let key = sne_gateway::store::MasterKey::load(&settings.server.master_key_file).unwrap();
    let store = sne_gateway::store::Store::open(&settings.server.data_dir, key).unwrap();
    launch(dir, settings, Some((store, Some(Arc::new(horloge))))).await
}

/// The day the fixtures are dated (`dateCreationDemande` 2026-11-02), 11:00 in Paris: tests run
/// on it so that the one-month registration rule does not age them.
pub fn jour_des_fixtures() -> sne_gateway::registry::HorlogeFixe {
    sne_gateway::registry::HorlogeFixe::a(time::macros::datetime!(2026-11-02 10:00 UTC))
}

async fn launch(
    dir: &Path,
    settings: Settings,
    store: Option<(sne_gateway::store::Store, Option<Clock>)>,
) -> TestGateway {
    init_log();
    let (store, horloge) = match store {
        Some((store, horloge)) => (store, horloge),
        None => {
            let key = sne_gateway::store::MasterKey::load(&settings.server.master_key_file).unwrap();
            (sne_gateway::store::Store::open(&settings.server.data_dir, key).unwrap(), None)
        }
    };
    let horloge = horloge.unwrap_or_else(|| Arc::new(jour_des_fixtures()));
    let app = Application::build_with_clock(settings.clone(), store.clone(), horloge).await.unwrap();
    let addr = app.local_addr();
    let metrics_addr = app.metrics_addr();
    let (tx, rx) = oneshot::channel();
    let task = tokio::spawn(app.run_until(async {
        let _ = rx.await;
    }));
    TestGateway {
        addr,
        metrics_addr,
        dir: dir.to_path_buf(),
        settings,
        store: Some(store),
        stop: Some(tx),
        task: Some(task),
        _tmp: None,
    }
}

impl TestGateway {
    /// The store it serves (tests wait for its background work, read what it holds).
    pub fn store(&self) -> &sne_gateway::store::Store {
        self.store.as_ref().expect("passerelle arrêtée")
    }

    /// Stops the gateway and waits for it; keeps the directory.
    pub async fn stop(&mut self) {
        self.store = None;
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.task.take() {
            t.await.unwrap().unwrap();
        }
    }

    /// Waits for the gateway to stop by itself (after a failed flush, say), at most `within`.
    pub async fn stopped_by_itself(
        &mut self,
        within: std::time::Duration,
    ) -> Result<(), sne_gateway::startup::StartupError> {
        let task = self.task.take().expect("gateway running");
        self.store = None;
        tokio::time::timeout(within, task).await.expect("la passerelle ne s'est pas arrêtée").unwrap()
    }

    /// GET on the plain-HTTP metrics listener: (status, body).
    pub async fn get_metrics_listener(&self, path: &str) -> (u16, String) {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let mut tcp = TcpStream::connect(self.metrics_addr).await.unwrap();
        tcp.write_all(format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").as_bytes()).await.unwrap();
        let mut out = Vec::new();
        tcp.read_to_end(&mut out).await.unwrap();
        let text = String::from_utf8_lossy(&out).into_owned();
        let status = text.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0);
        let body = text.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
        (status, body)
    }

    /// Takes ownership of the temporary directory so it outlives this gateway.
    /// Keeps `tmp` (the school directory's parent) alive as long as the gateway.
    pub fn hold(&mut self, tmp: tempfile::TempDir) {
        self._tmp = Some(tmp);
    }

    pub fn keep_dir(&mut self) -> Option<tempfile::TempDir> {
        self._tmp.take()
    }

    pub fn tls_config(&self, who: As) -> Arc<rustls::ClientConfig> {
        client_config(&self.dir.join("pki"), who)
    }

    pub async fn connect(&self, who: As) -> tokio_rustls::client::TlsStream<TcpStream> {
        let tcp = TcpStream::connect(self.addr).await.unwrap();
        let name = ServerName::try_from("localhost").unwrap();
        TlsConnector::from(self.tls_config(who)).connect(name, tcp).await.unwrap()
    }

    /// Sends one HTTP request over a new TLS connection.
    pub async fn request(&self, who: As, method: &str, path: &str, headers: &[(&str, &str)], body: Vec<u8>) -> Reply {
        let tls = self.connect(who).await;
        let (mut sender, conn) =
            hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(tls)).await.unwrap();
        tokio::spawn(conn);
        let mut req = hyper::Request::builder().method(method).uri(path);
        if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("host")) {
            req = req.header("Host", format!("localhost:{}", self.addr.port()));
        }
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let resp = sender.send_request(req.body(Full::new(Bytes::from(body))).unwrap()).await.unwrap();
        let status = resp.status().as_u16();
        let content_type =
            resp.headers().get("content-type").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
        let headers = resp.headers().clone();
        let body = resp.into_body().collect().await.unwrap().to_bytes().to_vec();
        Reply { status, content_type, headers, body }
    }

    /// POSTs a SOAP body to the application service.
    pub async fn post_soap(&self, who: As, headers: &[(&str, &str)], body: Vec<u8>) -> Reply {
        self.request(who, "POST", "/services/DemandeLogementImplService/", headers, body).await
    }

    /// POSTs a raw fixture request (`fixtures/mtom/<name>.headers` + `.body`).
    pub async fn post_fixture(&self, who: As, name: &str) -> Reply {
        let headers = String::from_utf8(fixture(&format!("mtom/{name}.headers"))).unwrap();
        let pairs: Vec<(String, String)> = headers
            .lines()
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
            .filter(|(k, _)| !k.eq_ignore_ascii_case("content-length"))
            .collect();
        let refs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        self.post_soap(who, &refs, fixture(&format!("mtom/{name}.body"))).await
    }
}

impl Drop for TestGateway {
    fn drop(&mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
    }
}

/// A client presenting the certificate and key in these files.
pub fn client_config_files(ca: &Path, cert: &Path, key: &Path) -> Arc<rustls::ClientConfig> {
    sne_gateway::pki::client_config(ca, Some((cert, key))).unwrap()
}

/// One SOAP 1.2 POST over a TLS connection already open (kept alive): (status, body), or what
/// broke the connection.
pub async fn post_on(
    sender: &mut hyper::client::conn::http1::SendRequest<Full<Bytes>>,
    action: &str,
    body: Vec<u8>,
) -> Result<(u16, String), String> {
    let req = hyper::Request::post("/services/DemandeLogementImplService/")
        .header("Host", "localhost")
        .header("Content-Type", soap12_headers(action))
        .body(Full::new(Bytes::from(body)))
        .unwrap();
    sender.ready().await.map_err(|e| format!("{e:?}"))?;
    let resp = sender.send_request(req).await.map_err(|e| format!("{e:?}"))?;
    let status = resp.status().as_u16();
    let body = resp.into_body().collect().await.map_err(|e| format!("{e:?}"))?.to_bytes();
    Ok((status, String::from_utf8_lossy(&body).into_owned()))
}

/// Opens a kept-alive TLS connection with `config`: the request sender, or the handshake error.
pub async fn open(
    addr: SocketAddr,
    config: Arc<rustls::ClientConfig>,
) -> Result<hyper::client::conn::http1::SendRequest<Full<Bytes>>, String> {
    let tcp = TcpStream::connect(addr).await.map_err(|e| e.to_string())?;
    let name = ServerName::try_from("localhost").unwrap();
    let tls = TlsConnector::from(config).connect(name, tcp).await.map_err(|e| e.to_string())?;
    let (sender, conn) =
        hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(tls)).await.map_err(|e| e.to_string())?;
    tokio::spawn(conn);
    Ok(sender)
}

pub fn client_config(pki: &Path, who: As) -> Arc<rustls::ClientConfig> {
    let files = match who {
        As::Nobody => None,
        As::Guichet(code) => Some((pki.join(format!("client-{code}.pem")), pki.join(format!("client-{code}.key")))),
    };
    sne_gateway::pki::client_config(&pki.join("ca.pem"), files.as_ref().map(|(c, k)| (c.as_path(), k.as_path())))
        .unwrap()
}

/// Inline SOAP 1.2 getNumUnique request carrying `file` as base64.
pub fn num_unique_inline(file: &[u8]) -> Vec<u8> {
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD.encode(file);
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="{NS_SOAP12}"><soap:Body><ns2:numUniqueParametres xmlns:ns2="http://ws.metier.nuu.application.i2/"><nomFichierDemande>DEMG1104-202611021030-000001.xml</nomFichierDemande><fichierDemande>{b64}</fichierDemande><nomCertificat></nomCertificat><certificat></certificat></ns2:numUniqueParametres></soap:Body></soap:Envelope>"#
    )
    .into_bytes()
}

pub fn soap12_headers(action: &str) -> String {
    format!("application/soap+xml; charset=utf-8; action=\"{action}\"")
}

/// Inline SOAP 1.2 getDemandeLogement request.
pub fn demande_logement_inline(num: &str) -> Vec<u8> {
    format!(
        r#"<soap:Envelope xmlns:soap="{NS_SOAP12}"><soap:Body><ns2:demandeLogementParametres xmlns:ns2="http://ws.metier.nuu.application.i2/"><numUnique>{num}</numUnique><nomCertificat/><certificat/></ns2:demandeLogementParametres></soap:Body></soap:Envelope>"#
    )
    .into_bytes()
}

/// Decodes a response envelope with the gateway's own SOAP codec and returns the wrapper.
pub fn decode_reply(reply: &Reply) -> sne_gateway::soap::Envelope {
    sne_gateway::soap::decode(&reply.content_type, None, &reply.body, &sne_gateway::soap::Limits::default())
        .unwrap_or_else(|e| panic!("réponse illisible ({e}): {}", reply.text()))
}

/// Binary child of a response wrapper.
pub fn binary_child(env: &sne_gateway::soap::Envelope, name: &str) -> Vec<u8> {
    let el = env.body.child(name).unwrap_or_else(|| panic!("{name} absent de {}", env.body.name));
    sne_gateway::soap::binary_content(el).unwrap().to_vec()
}

/// The registration number in a returned application file.
pub fn num_unique_of(file: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(file).ok()?;
    let start = text.find(":numUnique>")? + ":numUnique>".len();
    let end = start + text[start..].find('<')?;
    Some(text[start..end].to_string())
}

/// `xmllint --noout --schema` verdict (CI installs xmllint; its absence fails the test).
pub fn xmllint_accepts(schema: &Path, doc: &[u8]) -> bool {
    let tmp = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(tmp.path(), doc).unwrap();
    let out = std::process::Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(schema)
        .arg(tmp.path())
        .output()
        .expect(
            "xmllint est requis : lancez `bash tests/run.sh` (qui l'installe) ou `apt-get install -y libxml2-utils`",
        );
    out.status.success()
}

/// Stops the gateway, opens its store directly and counts the applications in it.
pub async fn stored_count(gw: &mut TestGateway) -> usize {
    gw.stop().await;
    let key = sne_gateway::store::MasterKey::load(&gw.settings.server.master_key_file).unwrap();
    let store = sne_gateway::store::Store::open(&gw.settings.server.data_dir, key).unwrap();
    store.demandes_count().unwrap()
}

/// (code, propriete) of every anomaly in a returned file, each checked to carry its `message` as
/// first child.
pub fn anomalies_of(file: &[u8]) -> Vec<(String, String)> {
    let root = sne_gateway::xml::parse(file, sne_gateway::xml::Limits::default()).unwrap();
    let mut out = Vec::new();
    fn walk(e: &sne_gateway::xml::Element, out: &mut Vec<(String, String)>) {
        if e.name == "anomalie" {
            // Deployed clients print the first child as the message (CONTRACT §1).
            let premier = e.elements().next().map(|c| c.name.as_str());
            assert_eq!(premier, Some("message"), "anomalie {:?} : message d'abord", e.attribute("code"));
            out.push((
                e.attribute("code").unwrap_or("").to_string(),
                e.attribute("propriete").unwrap_or("").to_string(),
            ));
        }
        for c in e.elements() {
            walk(c, out);
        }
    }
    walk(&root, &mut out);
    out
}

/// A multipart body split the plain way (boundary lines, blank line after headers), independent
/// of the gateway's codec so that a bug shared by its reader and writer cannot hide.
pub fn split_multipart(content_type: &str, body: &[u8]) -> Vec<(String, Vec<u8>)> {
    let boundary =
        content_type.split(';').find_map(|p| p.trim().strip_prefix("boundary=")).expect("boundary").trim_matches('"');
    let delimiter = format!("\r\n--{boundary}");
    let mut text = b"\r\n".to_vec();
    text.extend_from_slice(body);
    let mut parts = Vec::new();
    let mut rest: &[u8] = &text;
    while let Some(at) = find(rest, delimiter.as_bytes()) {
        let after = &rest[at + delimiter.len()..];
        if after.starts_with(b"--") {
            break;
        }
        let after = after.strip_prefix(b"\r\n").expect("CRLF after a boundary");
        let end = find(after, delimiter.as_bytes()).expect("closing boundary");
        let part = &after[..end];
        let split = find(part, b"\r\n\r\n").expect("blank line after part headers");
        parts.push((String::from_utf8(part[..split].to_vec()).unwrap(), part[split + 4..].to_vec()));
        rest = &after[end..];
    }
    parts
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The part whose Content-ID is named by `href="cid:..."` in `root` after `<element>`.
pub fn part_for<'a>(parts: &'a [(String, Vec<u8>)], root: &str, element: &str) -> &'a (String, Vec<u8>) {
    let after = root.split(&format!("<{element}>")).nth(1).unwrap_or_else(|| panic!("{element} absent"));
    let cid = after.split("href=\"cid:").nth(1).unwrap().split('"').next().unwrap();
    let cid = percent_encoding::percent_decode_str(cid).decode_utf8().unwrap().to_string();
    parts
        .iter()
        .find(|(h, _)| {
            h.lines().any(|l| l.to_ascii_lowercase().starts_with("content-id:") && l.contains(&format!("<{cid}>")))
        })
        .unwrap_or_else(|| panic!("partie {cid} absente"))
}
