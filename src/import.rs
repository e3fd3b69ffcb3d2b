//! `sne-gateway pieces import`: a scanning provider's batch, deposited from disk through the
//! document service like any client would (`deposerPiece`, MTOM, one piece per call on one
//! kept-alive connection), with a progress bar, resumable, and a report of refused lines.
//!
//! The manifest is a CSV file (`;` or `,`), one piece per line: `numUnique`, `codeCategorie`,
//! `personne`, file path (relative to the manifest). A header line naming `numUnique` is skipped.
//! Progress is appended to `<manifest>.avancement` after each answer, so a run started again
//! skips what was answered; a piece deposited but not yet noted there (an interruption between
//! the answer and the note) is deposited again and the service, which recognises identical
//! content on an application, returns the same piece: nothing is deposited twice. Refused lines
//! are written to `<manifest>.refus.csv` with their anomaly codes and messages.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};

/// Why an import could not run (a refused line is not an error: it goes to the report).
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The manifest or the progress file could not be read or written.
    #[error("{0} : {1}")]
    Fichier(PathBuf, String),
    /// A manifest line is malformed.
    #[error("manifeste, ligne {ligne} : {raison}")]
    Manifeste {
        /// Line number (from 1).
        ligne: usize,
        /// What is wrong.
        raison: String,
    },
    /// The gateway could not be reached or answered something unreadable.
    #[error("passerelle : {0}")]
    Passerelle(String),
}

/// One line of the manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ligne {
    /// Line number in the manifest (from 1).
    pub numero: usize,
    /// The application.
    pub num_unique: String,
    /// Category code.
    pub categorie: String,
    /// `DEM`, `COT<n>`, `PAC<n>`.
    pub personne: String,
    /// The file.
    pub chemin: PathBuf,
}

/// Reads a manifest.
pub fn lire_manifeste(path: &Path) -> Result<Vec<Ligne>, ImportError> {
    let texte = std::fs::read_to_string(path).map_err(|e| ImportError::Fichier(path.to_path_buf(), e.to_string()))?;
    let base = path.parent().unwrap_or(Path::new("."));
    let mut out = Vec::new();
    for (i, brute) in texte.lines().enumerate() {
        let numero = i + 1;
        let l = brute.trim();
        if l.is_empty() || l.starts_with('#') || (numero == 1 && l.to_ascii_lowercase().contains("numunique")) {
            continue;
        }
        let sep = if l.contains(';') { ';' } else { ',' };
        let champs: Vec<&str> = l.split(sep).map(|c| c.trim().trim_matches('"')).collect();
        if champs.len() != 4 || champs.iter().any(|c| c.is_empty()) {
            return Err(ImportError::Manifeste {
                ligne: numero,
                raison: "4 champs attendus : numUnique;codeCategorie;personne;fichier".into(),
            });
        }
        let chemin = PathBuf::from(champs[3]);
        out.push(Ligne {
            numero,
            num_unique: champs[0].to_string(),
            categorie: champs[1].to_string(),
            personne: champs[2].to_string(),
            chemin: if chemin.is_absolute() { chemin } else { base.join(chemin) },
        });
    }
    Ok(out)
}

/// What a line came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Issue {
    /// Deposited (or already there): the piece id.
    Deposee(String),
    /// Refused: `code message`.
    Refusee(String),
}

fn avancement_path(manifeste: &Path) -> PathBuf {
    let mut p = manifeste.as_os_str().to_owned();
    p.push(".avancement");
    PathBuf::from(p)
}

fn refus_path(manifeste: &Path) -> PathBuf {
    let mut p = manifeste.as_os_str().to_owned();
    p.push(".refus.csv");
    PathBuf::from(p)
}

/// The lines already answered, from the progress file.
pub fn avancement(manifeste: &Path) -> Result<BTreeMap<usize, Issue>, ImportError> {
    let path = avancement_path(manifeste);
    let texte = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(BTreeMap::new()),
        Err(e) => return Err(ImportError::Fichier(path, e.to_string())),
    };
    let mut out = BTreeMap::new();
    // A line cut by an interruption (no final tab-separated field) is ignored: it is redone.
    for l in texte.lines() {
        let mut it = l.splitn(3, '\t');
        let (Some(n), Some(etat), Some(valeur)) = (it.next(), it.next(), it.next()) else { continue };
        let Ok(n) = n.parse::<usize>() else { continue };
        match etat {
            "depose" => out.insert(n, Issue::Deposee(valeur.to_string())),
            "refus" => out.insert(n, Issue::Refusee(valeur.to_string())),
            _ => continue,
        };
    }
    Ok(out)
}

/// Where and as whom to deposit.
pub struct Cible {
    /// `host:port` of the gateway.
    pub adresse: String,
    /// TLS name of the server (`localhost` in school mode).
    pub nom_serveur: String,
    /// Client TLS configuration (the provider's certificate).
    pub tls: Arc<rustls::ClientConfig>,
}

/// What an import did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Bilan {
    /// Lines answered in this run.
    pub traitees: usize,
    /// Lines skipped because an earlier run answered them.
    pub deja: usize,
    /// Deposited lines, all runs.
    pub deposees: usize,
    /// Refused lines, all runs.
    pub refusees: usize,
    /// The refusal report, when there are refusals.
    pub rapport: Option<PathBuf>,
}

const NS: &str = "http://ws.metier.nuu.application.i2/";

fn echapper(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// The MTOM request depositing `ligne` with its content.
fn requete(ligne: &Ligne, contenu: &[u8]) -> (String, Vec<u8>) {
    let boundary = format!("uuid:{}", hex::encode(rand::random::<[u8; 16]>()));
    let nom = ligne.chemin.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let root = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body><ns2:deposerPieceParametres xmlns:ns2="{NS}"><numUnique>{}</numUnique><codeCategorie>{}</codeCategorie><personne>{}</personne><nomFichier>{}</nomFichier><fichier><xop:Include xmlns:xop="http://www.w3.org/2004/08/xop/include" href="cid:piece@sne-gateway"/></fichier></ns2:deposerPieceParametres></soap:Body></soap:Envelope>"#,
        echapper(&ligne.num_unique),
        echapper(&ligne.categorie),
        echapper(&ligne.personne),
        echapper(&nom)
    );
    let mut body = Vec::with_capacity(contenu.len() + root.len() + 512);
    body.extend_from_slice(format!("--{boundary}\r\nContent-Type: application/xop+xml; charset=UTF-8; type=\"application/soap+xml\"\r\nContent-Transfer-Encoding: 8bit\r\nContent-ID: <root@sne-gateway>\r\n\r\n").as_bytes());
    body.extend_from_slice(root.as_bytes());
    body.extend_from_slice(format!("\r\n--{boundary}\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: binary\r\nContent-ID: <piece@sne-gateway>\r\n\r\n").as_bytes());
    body.extend_from_slice(contenu);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let ct = format!(
        "multipart/related; type=\"application/xop+xml\"; start=\"<root@sne-gateway>\"; start-info=\"application/soap+xml\"; action=\"{NS}deposerPiece\"; boundary=\"{boundary}\""
    );
    (ct, body)
}

type Sender = hyper::client::conn::http1::SendRequest<Full<Bytes>>;

async fn connecter(cible: &Cible) -> Result<Sender, ImportError> {
    let err = |e: &dyn std::fmt::Display| ImportError::Passerelle(format!("{} : {e}", cible.adresse));
    let tcp = tokio::net::TcpStream::connect(&cible.adresse).await.map_err(|e| err(&e))?;
    let name = rustls_pki_types::ServerName::try_from(cible.nom_serveur.clone()).map_err(|e| err(&e))?;
    let tls = tokio_rustls::TlsConnector::from(cible.tls.clone()).connect(name, tcp).await.map_err(|e| err(&e))?;
    let (sender, conn) =
        hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(tls)).await.map_err(|e| err(&e))?;
    tokio::spawn(conn);
    Ok(sender)
}

/// Deposits one line; the gateway's answer read into an [`Issue`].
async fn deposer(sender: &mut Sender, cible: &Cible, ligne: &Ligne) -> Result<Issue, ImportError> {
    let contenu = match std::fs::read(&ligne.chemin) {
        Ok(c) => c,
        Err(e) => return Ok(Issue::Refusee(format!("FICHIER {} : {e}", ligne.chemin.display()))),
    };
    let (ct, body) = requete(ligne, &contenu);
    let request = hyper::Request::post("/services/PieceJustificativeImplService/")
        .header("Host", &cible.adresse)
        .header("Content-Type", ct)
        .body(Full::new(Bytes::from(body)))
        .map_err(|e| ImportError::Passerelle(e.to_string()))?;
    let response = sender.send_request(request).await.map_err(|e| ImportError::Passerelle(e.to_string()))?;
    let content_type = response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    let body = response.into_body().collect().await.map_err(|e| ImportError::Passerelle(e.to_string()))?.to_bytes();
    let envelope = crate::soap::decode(&content_type, None, &body, &crate::soap::Limits::default())
        .map_err(|e| ImportError::Passerelle(format!("réponse illisible : {e}")))?;
    let b = &envelope.body;
    if let Some(reason) = b.child("Reason").or_else(|| b.child("faultstring")) {
        // A fault is about the call (identity, profile, limits): every line would get it.
        return Err(ImportError::Passerelle(format!("faute SOAP : {}", reason.text().trim())));
    }
    if let Some(liste) = b.child("listeAnomalie") {
        let anomalies: Vec<String> = liste
            .elements()
            .map(|a| {
                let code = a.attribute("code").unwrap_or_default();
                let message = a.child("message").map(|m| m.text()).unwrap_or_default();
                format!("{code} {}", message.trim())
            })
            .collect();
        return Ok(Issue::Refusee(anomalies.join(" | ")));
    }
    match b.child("idPiece") {
        Some(id) => Ok(Issue::Deposee(id.text().trim().to_string())),
        None => Err(ImportError::Passerelle("réponse sans idPiece ni listeAnomalie".into())),
    }
}

/// Deposits every line of `manifeste` not answered yet; `progres` is told each line done.
pub async fn importer(
    manifeste: &Path,
    cible: &Cible,
    mut progres: impl FnMut(usize, usize),
) -> Result<Bilan, ImportError> {
    let lignes = lire_manifeste(manifeste)?;
    let mut faites = avancement(manifeste)?;
    let path = avancement_path(manifeste);
    let mut note = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .map_err(|e| ImportError::Fichier(path.clone(), e.to_string()))?;
    // A line cut by an interruption is left alone; the next note starts on a line of its own.
    let coupee = std::fs::read(&path).map(|t| t.last().is_some_and(|b| *b != b'\n')).unwrap_or(false);
    if coupee {
        note.write_all(b"\n").map_err(|e| ImportError::Fichier(path.clone(), e.to_string()))?;
    }
    let mut bilan =
        Bilan { deja: lignes.iter().filter(|l| faites.contains_key(&l.numero)).count(), ..Bilan::default() };
    let mut sender: Option<Sender> = None;
    let total = lignes.len();
    for (i, ligne) in lignes.iter().enumerate() {
        if faites.contains_key(&ligne.numero) {
            progres(i + 1, total);
            continue;
        }
        if sender.as_ref().is_none_or(|s| s.is_closed()) {
            sender = Some(connecter(cible).await?);
        }
        let issue = deposer(sender.as_mut().expect("connecté"), cible, ligne).await?;
        let (etat, valeur) = match &issue {
            Issue::Deposee(id) => ("depose", id.clone()),
            Issue::Refusee(m) => ("refus", m.replace(['\t', '\n', '\r'], " ")),
        };
        writeln!(note, "{}\t{etat}\t{valeur}", ligne.numero)
            .and_then(|_| note.sync_data())
            .map_err(|e| ImportError::Fichier(path.clone(), e.to_string()))?;
        faites.insert(ligne.numero, issue);
        bilan.traitees += 1;
        progres(i + 1, total);
    }
    let mut refus = String::from("ligne;numUnique;codeCategorie;personne;fichier;anomalies\n");
    for ligne in &lignes {
        match faites.get(&ligne.numero) {
            Some(Issue::Deposee(_)) => bilan.deposees += 1,
            Some(Issue::Refusee(m)) => {
                bilan.refusees += 1;
                refus.push_str(&format!(
                    "{};{};{};{};{};\"{}\"\n",
                    ligne.numero,
                    ligne.num_unique,
                    ligne.categorie,
                    ligne.personne,
                    ligne.chemin.display(),
                    m.replace('"', "'")
                ));
            }
            None => {}
        }
    }
    let rapport = refus_path(manifeste);
    if bilan.refusees > 0 {
        std::fs::write(&rapport, refus).map_err(|e| ImportError::Fichier(rapport.clone(), e.to_string()))?;
        bilan.rapport = Some(rapport);
    } else {
        let _ = std::fs::remove_file(&rapport);
    }
    Ok(bilan)
}
