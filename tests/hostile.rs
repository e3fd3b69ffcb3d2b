//! The hostile corpus (`fixtures/hostile/corpus.toml`) replayed against the release binary: each
//! case gets its refusal within its time bound, the server's peak resident memory stays under
//! `PEAK_RSS_BOUND`, and afterwards it still registers an application.
//!
//! The release binary is built first when needed (`cargo build --release`): these bounds are
//! about the product as shipped, not a debug build.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rustls::pki_types::ServerName;
use serde::Deserialize;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;

#[path = "kit/answer.rs"]
mod answer;
#[path = "kit/release.rs"]
mod release;
use answer::read_answer;
use release::{peak_rss, release_binary};

/// Peak resident memory of the server over the whole corpus (46 MB measured, release build). Before
/// the bounded reader, one
/// 420 KB request of the corpus took the server to 1.9 GB.
const PEAK_RSS_BOUND: u64 = 128 * 1024 * 1024;

const NS_METIER: &str = "http://ws.metier.nuu.application.i2/";
const CT: &str = "application/soap+xml; charset=utf-8; action=\"http://ws.metier.nuu.application.i2/getNumUnique\"";

#[derive(Deserialize)]
struct Corpus {
    limites: toml::Table,
    cas: Vec<Cas>,
}

#[derive(Deserialize)]
struct Cas {
    nom: String,
    classe: String,
    statut: u16,
    contient: String,
    secondes: u64,
}

use answer::Outcome;

struct Server {
    child: Child,
    addr: SocketAddr,
    dir: PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(tmp: &Path, limits: &toml::Table) -> Server {
    let dir = tmp.join("sne-data");
    sne_gateway::school::init(&dir, "127.0.0.1:0").unwrap();
    let config = dir.join(sne_gateway::school::CONFIG_FILE);
    let mut text = std::fs::read_to_string(&config).unwrap();
    text.push_str(&format!("\n[limits]\n{}", toml::to_string(limits).unwrap()));
    std::fs::write(&config, text).unwrap();
    let mut child = Command::new(release_binary())
        .args(["serve", "--config"])
        .arg(&config)
        .env("RUST_LOG", "warn,sne_gateway=info")
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let mut port = None;
    while port.is_none() {
        let Some(Ok(line)) = lines.next() else { panic!("le serveur s'est arrêté au démarrage") };
        if let Some(at) = line.find("adresse=127.0.0.1:") {
            port = line[at + 18..].split(|c: char| !c.is_ascii_digit()).next().and_then(|p| p.parse().ok());
        }
    }
    std::thread::spawn(move || for _ in lines {});
    Server { child, addr: SocketAddr::from(([127, 0, 0, 1], port.unwrap())), dir }
}

fn tls_config(pki: &Path, counter: Option<&str>) -> Arc<rustls::ClientConfig> {
    let files = counter.map(|code| (pki.join(format!("client-{code}.pem")), pki.join(format!("client-{code}.key"))));
    sne_gateway::pki::client_config(&pki.join("ca.pem"), files.as_ref().map(|(c, k)| (c.as_path(), k.as_path())))
        .unwrap()
}

struct Client {
    addr: SocketAddr,
    counter: Arc<rustls::ClientConfig>,
    nobody: Arc<rustls::ClientConfig>,
    dir: PathBuf,
}

/// One request on a new connection, as a browser (no certificate): the answer's status line and
/// headers, and its body.
async fn navigateur(c: &Client, requete: String) -> (String, String) {
    let mut tls = c.connect(&c.nobody).await;
    tls.write_all(requete.as_bytes()).await.unwrap();
    let o = read_answer(&mut tls).await;
    let (tete, corps) = o.text.split_once("\r\n\r\n").unwrap_or((&o.text, ""));
    (tete.to_string(), corps.to_string())
}

fn cookies_de(tete: &str) -> Vec<String> {
    tete.lines()
        .filter(|l| l.to_ascii_lowercase().starts_with("set-cookie:"))
        .map(|l| l[11..].trim().to_string())
        .map(|c| c.split(';').next().unwrap_or("").to_string())
        .collect()
}

fn jeton(html: &str) -> String {
    let i = html.find("name=\"csrf\" value=\"").expect("jeton CSRF") + 19;
    html[i..i + html[i..].find('"').unwrap()].to_string()
}

impl Client {
    /// Signs in the school agent `g1104` (its password from `agents-ecole.txt`): the session's
    /// cookies and a form token.
    async fn console(&self) -> (String, String) {
        let agents = std::fs::read_to_string(self.dir.join("agents-ecole.txt")).unwrap();
        let mdp = agents.lines().find_map(|l| l.strip_prefix("g1104\t")).unwrap().trim().to_string();
        let (tete, corps) = navigateur(self, "GET /console/connexion HTTP/1.1\r\nHost: localhost\r\n\r\n".into()).await;
        let cookies = cookies_de(&tete).join("; ");
        let formulaire = form_urlencoded::Serializer::new(String::new())
            .extend_pairs([("csrf", jeton(&corps).as_str()), ("login", "g1104"), ("mot_de_passe", &mdp)])
            .finish();
        let (tete, _) = navigateur(
            self,
            format!(
                "POST /console/connexion HTTP/1.1\r\nHost: localhost\r\nCookie: {cookies}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{formulaire}",
                formulaire.len()
            ),
        )
        .await;
        let session = cookies_de(&tete).join("; ");
        assert!(!session.is_empty(), "connexion refusée : {tete}");
        let (_, page) = navigateur(
            self,
            format!("GET /console/recherche HTTP/1.1\r\nHost: localhost\r\nCookie: {session}\r\n\r\n"),
        )
        .await;
        (session, jeton(&page))
    }

    async fn connect(&self, config: &Arc<rustls::ClientConfig>) -> tokio_rustls::client::TlsStream<TcpStream> {
        let tcp = TcpStream::connect(self.addr).await.unwrap();
        TlsConnector::from(config.clone()).connect(ServerName::try_from("localhost").unwrap(), tcp).await.unwrap()
    }

    /// POSTs `body` with Content-Length, as the counter.
    async fn post(&self, body: Vec<u8>) -> Outcome {
        self.post_as(&self.counter, CT, body).await
    }

    async fn post_as(&self, config: &Arc<rustls::ClientConfig>, ct: &str, body: Vec<u8>) -> Outcome {
        let mut tls = self.connect(config).await;
        let head = format!(
            "POST /services/DemandeLogementImplService/ HTTP/1.1\r\nHost: localhost\r\nContent-Type: {ct}\r\nContent-Length: {}\r\n\r\n",
            body.len()
        );
        // The server may answer and close before the whole body is sent: that is a refusal too.
        let _ = tls.write_all(head.as_bytes()).await;
        let _ = tls.write_all(&body).await;
        read_answer(&mut tls).await
    }
}

fn wrapper(inner: &str) -> Vec<u8> {
    format!(
        r#"<S:Envelope xmlns:S="http://www.w3.org/2003/05/soap-envelope"><S:Body><w:numUniqueParametres xmlns:w="{NS_METIER}">{inner}</w:numUniqueParametres></S:Body></S:Envelope>"#
    )
    .into_bytes()
}

fn prefixed_flood() -> Vec<u8> {
    let ns = format!("urn:{}", "p".repeat(2000));
    wrapper(&format!(r#"<x xmlns:p="{ns}">{}</x>"#, "<p:a/>".repeat(200_000)))
}

fn valid_registration() -> Vec<u8> {
    use base64::Engine;
    let file =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/demande/valid/cre_minimal_v0200.xml"))
            .unwrap();
    let b64 = base64::engine::general_purpose::STANDARD.encode(file);
    wrapper(&format!(
        "<nomFichierDemande>DEMG1104-202611021030-000001.xml</nomFichierDemande><fichierDemande>{b64}</fichierDemande><nomCertificat/><certificat/>"
    ))
}

async fn run_case(name: &str, c: &Client) -> Outcome {
    match name {
        "espace_de_noms_par_defaut_de_20000_caracteres" => {
            let ns = format!("urn:{}", "n".repeat(20_000));
            c.post(wrapper(&format!(r#"<x xmlns="{ns}">{}</x>"#, "<a/>".repeat(100_000)))).await
        }
        "espace_de_noms_prefixe_sur_200000_elements" => c.post(prefixed_flood()).await,
        "dix_mega_octets_d_elements_vides" => c.post(wrapper(&"<a/>".repeat(2_500_000))).await,
        "six_requetes_simultanees" => {
            let (a, b, d, e, f, g) = tokio::join!(
                c.post(prefixed_flood()),
                c.post(prefixed_flood()),
                c.post(prefixed_flood()),
                c.post(prefixed_flood()),
                c.post(prefixed_flood()),
                c.post(prefixed_flood())
            );
            let all = vec![a, b, d, e, f, g];
            let bad = all.iter().find(|o| o.status != 500 || !o.text.contains("limits.max_xml_nodes"));
            match bad {
                Some(o) => Outcome { status: o.status, text: o.text.clone() },
                None => all.into_iter().next().unwrap(),
            }
        }
        "operation_inconnue_de_deux_mega_octets" => {
            let body = format!(
                r#"<S:Envelope xmlns:S="http://www.w3.org/2003/05/soap-envelope"><S:Body><w:inventeParametres xmlns:w="{NS_METIER}">{}</w:inventeParametres></S:Body></S:Envelope>"#,
                "<a/>".repeat(500_000)
            );
            c.post(body.into_bytes()).await
        }
        "bombe_d_entites" => {
            // A billion laughs: ten levels of ten references each.
            let mut doc = String::from("<!DOCTYPE x [<!ENTITY a0 \"aaaaaaaaaa\">");
            for i in 1..10 {
                doc.push_str(&format!("<!ENTITY a{i} \"{}\">", format!("&a{};", i - 1).repeat(10)));
            }
            doc.push_str("]>");
            let mut body = doc.into_bytes();
            body.extend(wrapper("&a9;"));
            c.post(body).await
        }
        "imbrication_de_100000_niveaux" => {
            c.post(wrapper(&format!("{}{}", "<a>".repeat(100_000), "</a>".repeat(100_000)))).await
        }
        "attributs_en_masse" => {
            let attrs: String = (0..1000).map(|i| format!(" a{i}=\"x\"")).collect();
            c.post(wrapper(&format!("<a{attrs}/>"))).await
        }
        "cent_mille_parties_mime" => {
            let mut body = String::from("--b\r\nContent-Type: application/xop+xml; type=\"application/soap+xml\"\r\nContent-ID: <root@x>\r\n\r\n");
            body.push_str(std::str::from_utf8(&wrapper("")).unwrap());
            for i in 0..100_000 {
                body.push_str(&format!("\r\n--b\r\nContent-ID: <p{i}@x>\r\n\r\nx"));
            }
            body.push_str("\r\n--b--\r\n");
            let ct = "multipart/related; type=\"application/xop+xml\"; boundary=\"b\"; start=\"<root@x>\"; start-info=\"application/soap+xml\"";
            c.post_as(&c.counter, ct, body.into_bytes()).await
        }
        "corps_trop_gros_annonce" => {
            let mut tls = c.connect(&c.counter).await;
            let head = format!("POST /services/DemandeLogementImplService/ HTTP/1.1\r\nHost: localhost\r\nContent-Type: {CT}\r\nContent-Length: 20000000\r\n\r\n");
            tls.write_all(head.as_bytes()).await.unwrap();
            read_answer(&mut tls).await
        }
        "corps_trop_gros_sans_longueur" => {
            let mut tls = c.connect(&c.counter).await;
            let head = format!("POST /services/DemandeLogementImplService/ HTTP/1.1\r\nHost: localhost\r\nContent-Type: {CT}\r\nTransfer-Encoding: chunked\r\n\r\n");
            tls.write_all(head.as_bytes()).await.unwrap();
            let chunk = vec![b'a'; 64 * 1024];
            for _ in 0..200 {
                let framed = [format!("{:x}\r\n", chunk.len()).into_bytes(), chunk.clone(), b"\r\n".to_vec()].concat();
                if tls.write_all(&framed).await.is_err() {
                    break;
                }
            }
            read_answer(&mut tls).await
        }
        "longueur_mensongere" => {
            let mut tls = c.connect(&c.counter).await;
            let head = format!("POST /services/DemandeLogementImplService/ HTTP/1.1\r\nHost: localhost\r\nContent-Type: {CT}\r\nContent-Length: 100000\r\n\r\n<S:Envelope");
            tls.write_all(head.as_bytes()).await.unwrap();
            read_answer(&mut tls).await
        }
        "corps_au_compte_gouttes" => {
            let mut tls = c.connect(&c.counter).await;
            let head = format!("POST /services/DemandeLogementImplService/ HTTP/1.1\r\nHost: localhost\r\nContent-Type: {CT}\r\nContent-Length: 100000\r\n\r\n");
            tls.write_all(head.as_bytes()).await.unwrap();
            let (mut read, mut write) = tokio::io::split(tls);
            let trickle = tokio::spawn(async move {
                for _ in 0..200 {
                    if write.write_all(b"<").await.is_err() {
                        break;
                    }
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            });
            let o = read_answer(&mut read).await;
            trickle.abort();
            o
        }
        "en_tetes_au_compte_gouttes" => {
            let mut tls = c.connect(&c.counter).await;
            tls.write_all(b"POST /services/DemandeLogementImplService/ HTTP/1.1\r\nHost: localhost\r\n").await.unwrap();
            read_answer(&mut tls).await
        }
        "poignees_de_main_bloquees_et_connexions_muettes" => {
            let mut flood = Vec::new();
            for i in 0..600 {
                let mut tcp = TcpStream::connect(c.addr).await.unwrap();
                if i % 2 == 0 {
                    tcp.write_all(&[0x16, 0x03, 0x01, 0x02, 0x00, 0x01]).await.unwrap();
                }
                flood.push(tcp);
            }
            let o = c.post(valid_registration()).await;
            drop(flood);
            o
        }
        "http_en_clair" => {
            let mut tcp = TcpStream::connect(c.addr).await.unwrap();
            tcp.write_all(b"GET /services/DemandeLogementImplService/?wsdl HTTP/1.1\r\nHost: localhost\r\n\r\n")
                .await
                .unwrap();
            read_answer(&mut tcp).await
        }
        "sans_certificat" => c.post_as(&c.nobody, CT, valid_registration()).await,
        "formulaires_web_aux_champs_geants" => {
            // An agent of the console (school mode's own), signed in; then 16 deposits at once,
            // each an unfinished 19 MiB text field sent while the answer is read.
            let (cookies, csrf) = c.console().await;
            let mut taches = Vec::new();
            for _ in 0..16 {
                let tls = c.connect(&c.nobody).await;
                let (cookies, csrf) = (cookies.clone(), csrf.clone());
                taches.push(tokio::spawn(async move {
                    let b = "xformulaire";
                    let debut = format!(
                        "--{b}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n--{b}\r\nContent-Disposition: form-data; name=\"categorie\"\r\n\r\n"
                    );
                    let tete = format!(
                        "POST /console/demandes/1111126000001G1104/pieces HTTP/1.1\r\nHost: localhost\r\nCookie: {cookies}\r\nContent-Type: multipart/form-data; boundary={b}\r\nContent-Length: {}\r\n\r\n{debut}",
                        20 << 20
                    );
                    let (mut lecture, mut ecriture) = tokio::io::split(tls);
                    let envoi = tokio::spawn(async move {
                        if ecriture.write_all(tete.as_bytes()).await.is_err() {
                            return;
                        }
                        let morceau = vec![b'A'; 1 << 20];
                        for _ in 0..19 {
                            if ecriture.write_all(&morceau).await.is_err() {
                                return;
                            }
                        }
                    });
                    let o = read_answer(&mut lecture).await;
                    envoi.abort();
                    o
                }));
            }
            let mut issues = Vec::new();
            for t in taches {
                issues.push(t.await.unwrap());
            }
            match issues.iter().find(|o| o.status != 413 || !o.text.contains("Champ « categorie »")) {
                Some(o) => Outcome { status: o.status, text: o.text.clone() },
                None => issues.into_iter().next().unwrap(),
            }
        }
        other => panic!("aucun générateur pour le cas {other} du corpus"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_hostile_corpus_is_refused_in_time_with_bounded_memory() {
    rlimit::increase_nofile_limit(8192).unwrap();
    let text =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/hostile/corpus.toml")).unwrap();
    let corpus: Corpus = toml::from_str(&text).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let server = start(tmp.path(), &corpus.limites);
    let pki = server.dir.join("pki");
    let client = Client {
        addr: server.addr,
        counter: tls_config(&pki, Some("G1104")),
        nobody: tls_config(&pki, None),
        dir: server.dir.clone(),
    };
    let mut failures = Vec::new();
    let mut report = Vec::new();
    for cas in &corpus.cas {
        let start = Instant::now();
        let o = run_case(&cas.nom, &client).await;
        let took = start.elapsed();
        report.push(format!(
            "{:<50} {:>4} {:>6} ms  {} Mo",
            cas.nom,
            o.status,
            took.as_millis(),
            peak_rss(server.child.id()) >> 20
        ));
        let mut why = Vec::new();
        if o.status != cas.statut {
            why.push(format!("statut {} au lieu de {}", o.status, cas.statut));
        }
        if !o.text.contains(&cas.contient) {
            why.push(format!("« {} » absent", cas.contient));
        }
        if took > Duration::from_secs(cas.secondes) {
            why.push(format!("{took:?} au-delà de {} s", cas.secondes));
        }
        if !why.is_empty() {
            let excerpt: String = o.text.chars().take(600).collect();
            failures.push(format!("{} ({}) : {} ; réponse : {excerpt}", cas.nom, cas.classe, why.join(", ")));
        }
    }
    eprintln!("{}", report.join("\n"));
    // Still serving.
    let o = client.post(valid_registration()).await;
    assert_eq!(o.status, 200, "plus de service après le corpus : {}", o.text);
    let peak = peak_rss(server.child.id());
    eprintln!("pic de mémoire résidente : {} Mo", peak >> 20);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(peak < PEAK_RSS_BOUND, "pic de mémoire résidente {} Mo au-delà de {} Mo", peak >> 20, PEAK_RSS_BOUND >> 20);
}
