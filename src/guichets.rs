//! The test authority's counter management, for the operator of a test base who hands access
//! codes to publishers and in-house teams: issue a counter's client certificate (PEM and
//! PKCS#12), record it in the configuration, revoke it through the CRL, list the counters.
//!
//! The configuration file is edited in place with its comments kept (`toml_edit`), checked as a
//! whole before it replaces the old one. The authority's key is the `client_ca` file with the
//! extension `.key` (as `init` writes it). Issued certificates are kept under `emis/` beside the
//! authority, so that a revocation can name their serial numbers.

use std::path::{Path, PathBuf};

use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, CertificateRevocationListDer};
use toml_edit::{value, Array, DocumentMut, Item, Table};

use crate::config::{normalise_empreinte, Settings};
use crate::pki::{fingerprint, TestCa};

/// Why a counter could not be issued, revoked or listed.
#[derive(Debug, thiserror::Error)]
pub enum GuichetsError {
    /// The configuration could not be read or is invalid.
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    /// The file could not be parsed for editing.
    #[error("configuration {0} illisible pour modification : {1}")]
    Edition(PathBuf, String),
    /// A file could not be read or written.
    #[error("{0} : {1}")]
    Io(PathBuf, std::io::Error),
    /// The test authority.
    #[error(transparent)]
    Pki(#[from] crate::pki::PkiError),
    /// What the operator asked makes no sense.
    #[error("{0}")]
    Demande(String),
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> GuichetsError + '_ {
    move |e| GuichetsError::Io(path.to_path_buf(), e)
}

/// What `ajouter` wrote.
#[derive(Debug)]
pub struct Emission {
    /// Client certificate, PEM.
    pub cert: PathBuf,
    /// Private key, PKCS#8 PEM.
    pub key: PathBuf,
    /// Certificate and key in a PKCS#12 bundle.
    pub p12: PathBuf,
    /// SHA-256 fingerprint recorded in the configuration.
    pub empreinte: String,
    /// True when the counter existed: the new fingerprint was added beside the old ones.
    pub renouvellement: bool,
}

/// One counter as `lister` shows it.
#[derive(Debug)]
pub struct Ligne {
    /// Code.
    pub code: String,
    /// Territory.
    pub territoire: String,
    /// Name.
    pub nom: String,
    /// Fingerprints with their revocation.
    pub empreintes: Vec<(String, bool)>,
    /// Rate limit, if any.
    pub debit: Option<(f64, u32)>,
}

fn authority(settings: &Settings) -> Result<TestCa, GuichetsError> {
    let ca = &settings.tls.client_ca;
    let key = ca.with_extension("key");
    let cert_pem = std::fs::read_to_string(ca).map_err(io(ca))?;
    let key_pem = std::fs::read_to_string(&key).map_err(|e| {
        GuichetsError::Demande(format!(
            "clé de l'autorité de test {} illisible ({e}) : seule une autorité de test (init) peut émettre des certificats ici",
            key.display()
        ))
    })?;
    Ok(TestCa::from_pem(&cert_pem, &key_pem)?)
}

fn issued_dir(settings: &Settings) -> PathBuf {
    settings.tls.client_ca.parent().unwrap_or(Path::new(".")).join("emis")
}

fn read_document(config: &Path) -> Result<DocumentMut, GuichetsError> {
    let text = std::fs::read_to_string(config).map_err(io(config))?;
    text.parse::<DocumentMut>().map_err(|e| GuichetsError::Edition(config.to_path_buf(), e.to_string()))
}

/// Writes the edited configuration after checking it loads, through a temporary file, so a
/// broken edit never replaces a working file.
fn write_document(config: &Path, doc: &DocumentMut) -> Result<(), GuichetsError> {
    let tmp = config.with_extension("toml.nouveau");
    std::fs::write(&tmp, doc.to_string()).map_err(io(&tmp))?;
    if let Err(e) = Settings::load(&tmp) {
        let _ = std::fs::remove_file(&tmp);
        return Err(e.into());
    }
    std::fs::rename(&tmp, config).map_err(io(config))
}

fn guichets_mut(doc: &mut DocumentMut) -> &mut toml_edit::ArrayOfTables {
    if !doc.contains_key("guichets") {
        doc.insert("guichets", Item::ArrayOfTables(Default::default()));
    }
    doc["guichets"].as_array_of_tables_mut().expect("guichets est une liste de tables")
}

fn push_unique(table: &mut Table, key: &str, item: &str) {
    if !table.contains_key(key) {
        table.insert(key, value(Array::new()));
    }
    if let Some(array) = table[key].as_array_mut() {
        if !array.iter().any(|v| v.as_str().map(normalise_empreinte).as_deref() == Some(item)) {
            array.push(item);
        }
    }
}

/// Issues a client certificate for counter `code` into `sortie` and records its fingerprint. A
/// new counter needs its territory and name; an existing one gets a second fingerprint, so the
/// old certificate keeps working until it is revoked.
pub fn ajouter(
    config: &Path,
    code: &str,
    territoire: Option<&str>,
    nom: Option<&str>,
    sortie: &Path,
    mot_de_passe: &str,
) -> Result<Emission, GuichetsError> {
    let settings = Settings::load(config)?;
    let existing = settings.guichets.iter().find(|g| g.code == code);
    let nom = match (existing, nom) {
        (_, Some(n)) => n.to_string(),
        (Some(g), None) => g.nom.clone(),
        (None, None) => return Err(GuichetsError::Demande(format!("nouveau guichet {code} : --nom est requis"))),
    };
    if existing.is_none() && territoire.is_none() {
        return Err(GuichetsError::Demande(format!("nouveau guichet {code} : --territoire est requis")));
    }
    let ca = authority(&settings)?;
    let issued = ca.issue_client(code, &nom)?;

    let mut doc = read_document(config)?;
    let guichets = guichets_mut(&mut doc);
    let at = guichets.iter().position(|t| t.get("code").and_then(|c| c.as_str()) == Some(code));
    match at.and_then(|i| guichets.get_mut(i)) {
        Some(table) => push_unique(table, "empreintes", &issued.fingerprint),
        None => {
            let mut table = Table::new();
            table.insert("code", value(code));
            table.insert("territoire", value(territoire.unwrap_or_default()));
            table.insert("nom", value(nom.as_str()));
            table.insert("empreinte", value(issued.fingerprint.as_str()));
            guichets.push(table);
        }
    }

    std::fs::create_dir_all(sortie).map_err(io(sortie))?;
    let stem = format!("client-{code}-{}", &issued.fingerprint[..8]);
    let cert = sortie.join(format!("{stem}.pem"));
    let key = sortie.join(format!("{stem}.key"));
    let p12 = sortie.join(format!("{stem}.p12"));
    std::fs::write(&cert, &issued.cert_pem).map_err(io(&cert))?;
    crate::pki::write_private(&key, issued.key_pem.as_bytes())?;
    std::fs::write(&p12, pkcs12(&issued.cert_pem, &issued.key_pem, &ca, code, mot_de_passe)?).map_err(io(&p12))?;
    let archive = issued_dir(&settings);
    std::fs::create_dir_all(&archive).map_err(io(&archive))?;
    let kept = archive.join(format!("{}.pem", issued.fingerprint));
    std::fs::write(&kept, &issued.cert_pem).map_err(io(&kept))?;
    // The configuration last: a failure before leaves files nobody trusts yet.
    write_document(config, &doc)?;
    Ok(Emission { cert, key, p12, empreinte: issued.fingerprint, renouvellement: existing.is_some() })
}

fn pkcs12(cert_pem: &str, key_pem: &str, ca: &TestCa, code: &str, password: &str) -> Result<Vec<u8>, GuichetsError> {
    let bad = |e: &dyn std::fmt::Display| GuichetsError::Demande(format!("paquet PKCS#12 : {e}"));
    let cert_der = CertificateDer::from_pem_slice(cert_pem.as_bytes()).map_err(|e| bad(&e))?;
    let key_der = rustls_pki_types::PrivatePkcs8KeyDer::from_pem_slice(key_pem.as_bytes()).map_err(|e| bad(&e))?;
    let leaf = p12_keystore::Certificate::from_der(cert_der.as_ref()).map_err(|e| bad(&e))?;
    let authority = p12_keystore::Certificate::from_der(ca.cert_der().as_ref()).map_err(|e| bad(&e))?;
    let key = p12_keystore::PrivateKey::from_der(key_der.secret_pkcs8_der()).map_err(|e| bad(&e))?;
    let chain = p12_keystore::PrivateKeyChain::new(rand::random::<[u8; 20]>().to_vec(), key, [leaf, authority]);
    let mut store = p12_keystore::KeyStore::new();
    store.add_entry(&format!("guichet-{code}"), p12_keystore::KeyStoreEntry::PrivateKeyChain(chain));
    store.writer(password).write().map_err(|e| bad(&e))
}

/// Revokes the certificates of `code` (all of them, or the one of `empreinte`): their serial
/// numbers join the CRL, their fingerprints `empreintes_revoquees`. Returns the fingerprints.
pub fn revoquer(config: &Path, code: &str, empreinte: Option<&str>) -> Result<Vec<String>, GuichetsError> {
    let settings = Settings::load(config)?;
    let guichet = settings
        .guichets
        .iter()
        .find(|g| g.code == code)
        .ok_or_else(|| GuichetsError::Demande(format!("guichet {code} inconnu de {}", config.display())))?;
    let mut cibles: Vec<String> = guichet.empreintes().into_iter().map(|(e, _)| e).collect();
    if let Some(e) = empreinte {
        let e = normalise_empreinte(e);
        if !cibles.contains(&e) {
            return Err(GuichetsError::Demande(format!(
                "l'empreinte {e} n'est pas celle d'un certificat du guichet {code}"
            )));
        }
        cibles = vec![e];
    }
    let ca = authority(&settings)?;
    let crl_path = settings
        .tls
        .crl
        .clone()
        .unwrap_or_else(|| settings.tls.client_ca.parent().unwrap_or(Path::new(".")).join("crl.pem"));
    let mut serials = crl_serials(&crl_path)?;
    let known = issued_certificates(&settings)?;
    for cible in &cibles {
        match known.iter().find(|(fp, _)| fp == cible) {
            Some((_, serial)) if !serials.contains(serial) => serials.push(serial.clone()),
            Some(_) => {}
            // Issued elsewhere: refused by its fingerprint alone.
            None => {}
        }
    }
    let number = time::OffsetDateTime::now_utc().unix_timestamp().max(1) as u64;
    std::fs::write(&crl_path, ca.crl(&serials, number)?).map_err(io(&crl_path))?;

    let mut doc = read_document(config)?;
    if settings.tls.crl.is_none() {
        let base = config.parent().unwrap_or(Path::new("."));
        let shown = crl_path.strip_prefix(base).unwrap_or(&crl_path).to_string_lossy().into_owned();
        doc["tls"]["crl"] = value(shown);
    }
    let table = guichets_mut(&mut doc)
        .iter_mut()
        .find(|t| t.get("code").and_then(|c| c.as_str()) == Some(code))
        .expect("present in the loaded settings");
    for cible in &cibles {
        push_unique(table, "empreintes_revoquees", cible);
    }
    write_document(config, &doc)?;
    Ok(cibles)
}

/// The serial numbers an existing CRL names (none when there is no file yet).
fn crl_serials(path: &Path) -> Result<Vec<Vec<u8>>, GuichetsError> {
    if !path.exists() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    let lists = CertificateRevocationListDer::pem_file_iter(path)
        .map_err(|e| GuichetsError::Demande(format!("{} illisible : {e}", path.display())))?;
    for der in lists {
        let der = der.map_err(|e| GuichetsError::Demande(format!("{} illisible : {e}", path.display())))?;
        let (_, crl) = x509_parser::parse_x509_crl(der.as_ref())
            .map_err(|e| GuichetsError::Demande(format!("{} illisible : {e}", path.display())))?;
        out.extend(crl.iter_revoked_certificates().map(|r| r.raw_serial().to_vec()));
    }
    Ok(out)
}

/// (fingerprint, serial) of every certificate this authority is known to have issued: the
/// archive, and the client certificates beside the authority (those `init` wrote).
fn issued_certificates(settings: &Settings) -> Result<Vec<(String, Vec<u8>)>, GuichetsError> {
    let mut out = Vec::new();
    let pki = settings.tls.client_ca.parent().unwrap_or(Path::new(".")).to_path_buf();
    for dir in [pki.clone(), issued_dir(settings)] {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().is_none_or(|e| e != "pem") {
                continue;
            }
            let Ok(ders) = CertificateDer::pem_file_iter(&path) else { continue };
            for der in ders.flatten() {
                if let Ok((_, cert)) = x509_parser::parse_x509_certificate(der.as_ref()) {
                    out.push((fingerprint(der.as_ref()), cert.raw_serial().to_vec()));
                }
            }
        }
    }
    Ok(out)
}

/// The counters of a configuration.
pub fn lister(config: &Path) -> Result<Vec<Ligne>, GuichetsError> {
    let settings = Settings::load(config)?;
    Ok(settings
        .guichets
        .iter()
        .map(|g| Ligne {
            code: g.code.clone(),
            territoire: g.territoire.clone(),
            nom: g.nom.clone(),
            empreintes: g.empreintes(),
            debit: g.debit(),
        })
        .collect())
}
