//! School-mode test PKI: a local certificate authority that issues the gateway's server
//! certificate and one client certificate per counter, for mutual TLS without a real PKI.
//!
//! Keys are ECDSA P-256, written as PKCS#8 PEM (`BEGIN PRIVATE KEY`), which rustls, OpenSSL
//! and curl all read. Certificates are identified by the SHA-256 of their DER encoding.

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::path::{Path, PathBuf};

use rcgen::{
    BasicConstraints, Certificate, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    KeyPair, KeyUsagePurpose, SanType, SerialNumber,
};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::CertificateDer;
use time::{Duration, OffsetDateTime};

/// Organisation written in every certificate of the school PKI.
pub const ORGANISATION: &str = "sne-gateway école";

/// Common name of the CA that [`write_school_pki`] creates.
pub const SCHOOL_CA_NAME: &str = "sne-gateway école - autorité de test";

const CA_YEARS: i32 = 10;
const LEAF_YEARS: i32 = 2;
// X.520 upper bound for a common name; longer names are cut rather than refused.
const MAX_CN_CHARS: usize = 64;
// Counter codes end up in file names, so they are kept to a safe alphabet and length.
const MAX_CODE_CHARS: usize = 32;

/// Failure to create, load or write test certificates.
#[derive(Debug, thiserror::Error)]
pub enum PkiError {
    /// The certificate library refused the parameters or the key.
    #[error("génération de certificat impossible : {0}")]
    Rcgen(#[from] rcgen::Error),
    /// A PEM input could not be read.
    #[error("PEM illisible ({what}) : {source}")]
    Pem {
        /// Which input was unreadable.
        what: &'static str,
        /// Underlying PEM error.
        source: rustls_pki_types::pem::Error,
    },
    /// The CA certificate cannot be reused to sign (structure not supported here).
    #[error("certificat d'autorité non utilisable : {0}")]
    UnsupportedCa(&'static str),
    /// The CA key does not belong to the CA certificate.
    #[error("la clé privée ne correspond pas au certificat d'autorité")]
    KeyMismatch,
    /// A counter code is empty, too long or holds characters unsafe in a file name.
    #[error("code de guichet invalide {0:?} : 1 à 32 caractères parmi A-Z, a-z, 0-9, '-' et '_'")]
    InvalidCode(String),
    /// A counter name is empty.
    #[error("nom de guichet vide pour le code {0}")]
    EmptyName(String),
    /// The same counter code was given twice.
    #[error("code de guichet en double : {0}")]
    DuplicateCode(String),
    /// A server DNS name is not a valid host name.
    #[error("nom DNS invalide pour le certificat serveur : {0:?}")]
    InvalidDnsName(String),
    /// A server certificate needs at least one DNS name or IP address.
    #[error("certificat serveur sans nom DNS ni adresse IP")]
    NoServerName,
    /// rustls refused the client material.
    #[error("configuration TLS du client refusée : {0}")]
    Client(String),
    /// A target file exists already; the school PKI is never overwritten.
    #[error("{0} existe déjà : la PKI école n'est pas réécrite")]
    AlreadyExists(PathBuf),
    /// Writing a file or creating the directory failed.
    #[error("écriture de {path} impossible : {source}")]
    Io {
        /// File or directory at fault.
        path: PathBuf,
        /// Underlying IO error.
        source: std::io::Error,
    },
}

/// A certificate issued by a [`TestCa`], with its private key.
#[derive(Debug, Clone)]
pub struct IssuedCert {
    /// Certificate, PEM.
    pub cert_pem: String,
    /// Private key, PKCS#8 PEM.
    pub key_pem: String,
    /// SHA-256 of the certificate DER, lowercase hex.
    pub fingerprint: String,
}

/// A test certificate authority able to issue server and counter certificates.
pub struct TestCa {
    // Used only as the issuer when signing: on reload it is rebuilt with the same subject
    // and key identifier as the published certificate, which is all a signature refers to.
    issuer: Certificate,
    cert_der: CertificateDer<'static>,
    key: KeyPair,
}

impl std::fmt::Debug for TestCa {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TestCa").field("fingerprint", &fingerprint(&self.cert_der)).finish_non_exhaustive()
    }
}

impl TestCa {
    /// Creates a new CA (ECDSA P-256, valid ten years) named `common_name`.
    pub fn generate(common_name: &str) -> Result<TestCa, PkiError> {
        let key = KeyPair::generate()?;
        let mut params = CertificateParams::default();
        params.distinguished_name = distinguished_name(common_name);
        // Path length 0: this CA signs end-entity certificates only.
        params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
        params.key_usages = ca_key_usages();
        params.serial_number = Some(random_serial());
        (params.not_before, params.not_after) = validity(CA_YEARS);
        let issuer = params.self_signed(&key)?;
        Ok(TestCa { cert_der: issuer.der().clone(), issuer, key })
    }

    /// Reloads a CA from its certificate and PKCS#8 key, to issue more certificates later.
    pub fn from_pem(cert_pem: &str, key_pem: &str) -> Result<TestCa, PkiError> {
        // Decoded here rather than by `from_ca_cert_pem` so that a bad PEM is reported as such.
        let cert_der = CertificateDer::from_pem_slice(cert_pem.as_bytes())
            .map_err(|source| PkiError::Pem { what: "certificat d'autorité", source })?;
        let key = KeyPair::from_pem(key_pem)?;
        let (_, original) = x509_parser::parse_x509_certificate(&cert_der)
            .map_err(|_| PkiError::UnsupportedCa("structure DER illisible"))?;
        if original.public_key().raw != key.public_key_der().as_slice() {
            return Err(PkiError::KeyMismatch);
        }
        // Subject, key usages and subject key identifier come from the published certificate:
        // issued certificates name their issuer and its key identifier from these.
        let params = CertificateParams::from_ca_cert_der(&cert_der)?;
        let issuer = params.self_signed(&key)?;
        // Chain building compares the issuer name byte for byte, and rcgen folds repeated
        // attribute types: refuse a CA whose subject would be re-encoded differently.
        let (_, rebuilt) = x509_parser::parse_x509_certificate(issuer.der())
            .map_err(|_| PkiError::UnsupportedCa("structure DER illisible"))?;
        if rebuilt.subject().as_raw() != original.subject().as_raw() {
            return Err(PkiError::UnsupportedCa("nom distinctif non reproductible"));
        }
        Ok(TestCa { issuer, cert_der: cert_der.into_owned(), key })
    }

    /// CA certificate, PEM.
    pub fn cert_pem(&self) -> String {
        pem_encode("CERTIFICATE", &self.cert_der)
    }

    /// CA private key, PKCS#8 PEM.
    pub fn key_pem(&self) -> String {
        self.key.serialize_pem()
    }

    /// CA certificate, DER.
    pub fn cert_der(&self) -> &CertificateDer<'static> {
        &self.cert_der
    }

    /// SHA-256 fingerprint of the CA certificate.
    pub fn fingerprint(&self) -> String {
        fingerprint(&self.cert_der)
    }

    /// Server cert valid for the given DNS names and IPs (e.g. ["localhost"], [127.0.0.1]); EKU serverAuth.
    pub fn issue_server(&self, dns: &[&str], ips: &[IpAddr]) -> Result<IssuedCert, PkiError> {
        let common_name = dns
            .first()
            .map(|name| (*name).to_string())
            .or_else(|| ips.first().map(IpAddr::to_string))
            .ok_or(PkiError::NoServerName)?;
        let mut sans = Vec::with_capacity(dns.len() + ips.len());
        for name in dns {
            if rustls_pki_types::DnsName::try_from(*name).is_err() {
                return Err(PkiError::InvalidDnsName((*name).to_string()));
            }
            let ia5 = (*name).try_into().map_err(|_| PkiError::InvalidDnsName((*name).to_string()))?;
            sans.push(SanType::DnsName(ia5));
        }
        sans.extend(ips.iter().map(|ip| SanType::IpAddress(*ip)));
        let mut params = leaf_params(&common_name);
        params.subject_alt_names = sans;
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        self.sign(params)
    }

    /// Client cert for a counter: CN = "<code> - <name>", O = "sne-gateway école", EKU clientAuth.
    pub fn issue_client(&self, code: &str, name: &str) -> Result<IssuedCert, PkiError> {
        check_code(code)?;
        if name.trim().is_empty() {
            return Err(PkiError::EmptyName(code.to_string()));
        }
        let common_name: String = format!("{code} - {}", name.trim()).chars().take(MAX_CN_CHARS).collect();
        let mut params = leaf_params(common_name.trim_end());
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
        self.sign(params)
    }

    /// A certificate revocation list (PEM) naming `serials` (DER integer contents), valid a
    /// year, numbered `number` (each new list must carry a higher number).
    pub fn crl(&self, serials: &[Vec<u8>], number: u64) -> Result<String, PkiError> {
        let now = OffsetDateTime::now_utc().replace_nanosecond(0).unwrap_or_else(|_| OffsetDateTime::now_utc());
        let params = rcgen::CertificateRevocationListParams {
            this_update: now - Duration::minutes(5),
            next_update: now + Duration::days(365),
            crl_number: SerialNumber::from(number),
            issuing_distribution_point: None,
            revoked_certs: serials
                .iter()
                .map(|s| rcgen::RevokedCertParams {
                    serial_number: SerialNumber::from_slice(s),
                    revocation_time: now - Duration::minutes(5),
                    reason_code: Some(rcgen::RevocationReason::Unspecified),
                    invalidity_date: None,
                })
                .collect(),
            key_identifier_method: rcgen::KeyIdMethod::Sha256,
        };
        Ok(params.signed_by(&self.issuer, &self.key)?.pem()?)
    }

    fn sign(&self, params: CertificateParams) -> Result<IssuedCert, PkiError> {
        let key = KeyPair::generate()?;
        let cert = params.signed_by(&key, &self.issuer, &self.key)?;
        Ok(IssuedCert { cert_pem: cert.pem(), key_pem: key.serialize_pem(), fingerprint: fingerprint(cert.der()) })
    }
}

/// SHA-256 fingerprint (lowercase hex) of a DER certificate.
pub use crate::http::fingerprint;

/// A TLS client trusting `ca` and presenting `identity` (certificate and key PEM files), or no
/// certificate: what the `exemple` command, the load generator and the tests connect with.
pub fn client_config(
    ca: &Path,
    identity: Option<(&Path, &Path)>,
) -> Result<std::sync::Arc<rustls::ClientConfig>, PkiError> {
    let pem = |what| move |source| PkiError::Pem { what, source };
    let mut roots = rustls::RootCertStore::empty();
    for c in CertificateDer::pem_file_iter(ca).map_err(pem("autorité"))? {
        roots.add(c.map_err(pem("autorité"))?).map_err(|e| PkiError::Client(e.to_string()))?;
    }
    let builder =
        rustls::ClientConfig::builder_with_provider(std::sync::Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()
            .map_err(|e| PkiError::Client(e.to_string()))?
            .with_root_certificates(roots);
    let config = match identity {
        None => builder.with_no_client_auth(),
        Some((cert, key)) => {
            let certs = CertificateDer::pem_file_iter(cert)
                .map_err(pem("certificat client"))?
                .collect::<Result<Vec<_>, _>>()
                .map_err(pem("certificat client"))?;
            let key = rustls_pki_types::PrivateKeyDer::from_pem_file(key).map_err(pem("clé client"))?;
            builder.with_client_auth_cert(certs, key).map_err(|e| PkiError::Client(e.to_string()))?
        }
    };
    Ok(std::sync::Arc::new(config))
}

/// Files written by [`write_school_pki`].
#[derive(Debug, Clone)]
pub struct SchoolPki {
    /// Directory holding the PKI.
    pub dir: PathBuf,
    /// CA certificate (`ca.pem`), the trust anchor for servers and clients.
    pub ca: PathBuf,
    /// CA private key (`ca.key`), kept to issue more certificates with [`TestCa::from_pem`].
    pub ca_key: PathBuf,
    /// SHA-256 fingerprint of the CA certificate.
    pub ca_fingerprint: String,
    /// Server certificate (`server.pem`).
    pub server_cert: PathBuf,
    /// Server private key (`server.key`).
    pub server_key: PathBuf,
    /// SHA-256 fingerprint of the server certificate.
    pub server_fingerprint: String,
    /// One entry per counter, in the order given.
    pub clients: Vec<ClientFiles>,
}

/// A counter's client certificate and key on disk.
#[derive(Debug, Clone)]
pub struct ClientFiles {
    /// Counter code.
    pub code: String,
    /// `client-<code>.pem`.
    pub cert: PathBuf,
    /// `client-<code>.key`.
    pub key: PathBuf,
    /// SHA-256 fingerprint of the certificate.
    pub fingerprint: String,
}

/// Writes the school PKI into `dir` (created if needed): ca.pem, ca.key, server.pem, server.key,
/// and for each (code, name) client-<code>.pem / client-<code>.key; key files mode 0600 on unix.
/// Returns what was written, with fingerprints. Does not overwrite existing files: if ca.pem exists, error.
///
/// The server certificate covers `localhost`, 127.0.0.1 and ::1. If writing fails midway,
/// the files already written by this call are removed.
pub fn write_school_pki(dir: &Path, counters: &[(&str, &str)]) -> Result<SchoolPki, PkiError> {
    let mut seen = std::collections::HashSet::new();
    for (code, name) in counters {
        check_code(code)?;
        if name.trim().is_empty() {
            return Err(PkiError::EmptyName((*code).to_string()));
        }
        if !seen.insert(*code) {
            return Err(PkiError::DuplicateCode((*code).to_string()));
        }
    }

    let ca_path = dir.join("ca.pem");
    if ca_path.exists() {
        return Err(PkiError::AlreadyExists(ca_path));
    }
    fs::create_dir_all(dir).map_err(|source| PkiError::Io { path: dir.to_path_buf(), source })?;

    let ca = TestCa::generate(SCHOOL_CA_NAME)?;
    let server =
        ca.issue_server(&["localhost"], &[IpAddr::V4(Ipv4Addr::LOCALHOST), IpAddr::V6(Ipv6Addr::LOCALHOST)])?;
    let mut clients = Vec::with_capacity(counters.len());
    let mut issued = Vec::with_capacity(counters.len());
    for (code, name) in counters {
        let cert = ca.issue_client(code, name)?;
        clients.push(ClientFiles {
            code: (*code).to_string(),
            cert: dir.join(format!("client-{code}.pem")),
            key: dir.join(format!("client-{code}.key")),
            fingerprint: cert.fingerprint.clone(),
        });
        issued.push(cert);
    }
    let pki = SchoolPki {
        dir: dir.to_path_buf(),
        ca: ca_path,
        ca_key: dir.join("ca.key"),
        ca_fingerprint: ca.fingerprint(),
        server_cert: dir.join("server.pem"),
        server_key: dir.join("server.key"),
        server_fingerprint: server.fingerprint.clone(),
        clients,
    };

    // ca.pem goes last: its presence marks a complete PKI.
    let ca_key_pem = ca.key_pem();
    let ca_pem = ca.cert_pem();
    let mut files: Vec<(&Path, &str, bool)> = vec![
        (pki.ca_key.as_path(), ca_key_pem.as_str(), true),
        (pki.server_cert.as_path(), server.cert_pem.as_str(), false),
        (pki.server_key.as_path(), server.key_pem.as_str(), true),
    ];
    for (client, cert) in pki.clients.iter().zip(&issued) {
        files.push((client.cert.as_path(), cert.cert_pem.as_str(), false));
        files.push((client.key.as_path(), cert.key_pem.as_str(), true));
    }
    files.push((pki.ca.as_path(), ca_pem.as_str(), false));

    if let Some((path, _, _)) = files.iter().find(|(p, _, _)| p.exists()) {
        return Err(PkiError::AlreadyExists(path.to_path_buf()));
    }
    let mut written: Vec<&Path> = Vec::with_capacity(files.len());
    for (path, contents, secret) in &files {
        if let Err(e) = write_new(path, contents.as_bytes(), *secret) {
            for done in written {
                let _ = fs::remove_file(done);
            }
            return Err(e);
        }
        written.push(path);
    }
    Ok(pki)
}

/// Writes a new private key file (0600), never replacing one.
pub fn write_private(path: &Path, contents: &[u8]) -> Result<(), PkiError> {
    write_new(path, contents, true)
}

/// Creates `path` (never replacing a file) and writes `contents`; secrets are created 0600
/// so that they are never readable by others, not even briefly.
fn write_new(path: &Path, contents: &[u8], secret: bool) -> Result<(), PkiError> {
    let io = |source| PkiError::Io { path: path.to_path_buf(), source };
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(if secret { 0o600 } else { 0o644 });
    }
    #[cfg(not(unix))]
    let _ = secret;
    let mut file = options.open(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            PkiError::AlreadyExists(path.to_path_buf())
        } else {
            io(e)
        }
    })?;
    file.write_all(contents).map_err(io)?;
    file.sync_all().map_err(io)
}

fn check_code(code: &str) -> Result<(), PkiError> {
    let ok = !code.is_empty()
        && code.len() <= MAX_CODE_CHARS
        && code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(PkiError::InvalidCode(code.to_string()))
    }
}

fn distinguished_name(common_name: &str) -> DistinguishedName {
    let mut dn = DistinguishedName::new();
    dn.push(DnType::OrganizationName, ORGANISATION);
    dn.push(DnType::CommonName, common_name);
    dn
}

fn ca_key_usages() -> Vec<KeyUsagePurpose> {
    vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign, KeyUsagePurpose::DigitalSignature]
}

fn leaf_params(common_name: &str) -> CertificateParams {
    let mut params = CertificateParams::default();
    params.distinguished_name = distinguished_name(common_name);
    params.is_ca = IsCa::ExplicitNoCa;
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    params.use_authority_key_identifier_extension = true;
    params.serial_number = Some(random_serial());
    (params.not_before, params.not_after) = validity(LEAF_YEARS);
    params
}

// rcgen would otherwise derive the serial from the public key; a random one is unique
// even when a key is reused.
fn random_serial() -> SerialNumber {
    let mut bytes: [u8; 16] = rand::random();
    // Positive, and no leading zero byte, so the DER INTEGER keeps all 16 bytes.
    bytes[0] = (bytes[0] & 0x7f) | 0x40;
    SerialNumber::from_slice(&bytes)
}

fn validity(years: i32) -> (OffsetDateTime, OffsetDateTime) {
    let now = OffsetDateTime::now_utc().replace_nanosecond(0).unwrap_or_else(|_| OffsetDateTime::now_utc());
    // A few minutes of slack for clocks that run behind the issuing host.
    let not_before = now - Duration::minutes(5);
    let date = now.date();
    let target_year = date.year() + years;
    let not_after = date
        .replace_year(target_year)
        // 29 February of a leap year has no twin in a common year.
        .or_else(|_| date.replace_day(28).and_then(|d| d.replace_year(target_year)))
        .map(|d| now.replace_date(d))
        .unwrap_or_else(|_| now + Duration::days(365 * i64::from(years)));
    (not_before, not_after)
}

fn pem_encode(label: &str, der: &[u8]) -> String {
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(chunk).unwrap_or_default());
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rustls::client::danger::ServerCertVerifier;
    use rustls::crypto::CryptoProvider;
    use rustls::pki_types::{PrivateKeyDer, ServerName, UnixTime};
    use rustls::server::WebPkiClientVerifier;
    use rustls::{ClientConfig, RootCertStore, ServerConfig};
    use std::process::Command;
    use std::sync::Arc;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::{TcpListener, TcpStream};
    use tokio_rustls::{TlsAcceptor, TlsConnector};
    use x509_parser::oid_registry::{OID_X509_COMMON_NAME, OID_X509_ORGANIZATION_NAME};

    /// First value of `attribute` (e.g. `OID_X509_COMMON_NAME`) in the certificate subject.
    fn subject_attribute(cert: &[u8], attribute: &x509_parser::oid_registry::Oid) -> Option<String> {
        let (_, cert) = x509_parser::parse_x509_certificate(cert).ok()?;
        let value = cert.subject().iter_attributes().find(|a| a.attr_type() == attribute)?.as_str().ok()?.to_string();
        Some(value)
    }

    fn provider() -> Arc<CryptoProvider> {
        Arc::new(rustls::crypto::ring::default_provider())
    }

    fn der(pem: &str) -> CertificateDer<'static> {
        CertificateDer::from_pem_slice(pem.as_bytes()).unwrap()
    }

    fn key(pem: &str) -> PrivateKeyDer<'static> {
        PrivateKeyDer::from_pem_slice(pem.as_bytes()).unwrap()
    }

    fn roots(ca: &TestCa) -> Arc<RootCertStore> {
        let mut roots = RootCertStore::empty();
        roots.add(ca.cert_der().clone()).unwrap();
        Arc::new(roots)
    }

    fn verify_client(ca: &TestCa, cert: &IssuedCert) -> Result<(), rustls::Error> {
        let verifier = WebPkiClientVerifier::builder_with_provider(roots(ca), provider()).build().unwrap();
        verifier.verify_client_cert(&der(&cert.cert_pem), &[], UnixTime::now()).map(|_| ())
    }

    fn verify_server(ca: &TestCa, cert: &IssuedCert, name: ServerName<'_>) -> Result<(), rustls::Error> {
        let verifier =
            rustls::client::WebPkiServerVerifier::builder_with_provider(roots(ca), provider()).build().unwrap();
        verifier.verify_server_cert(&der(&cert.cert_pem), &[], &name, &[], UnixTime::now()).map(|_| ())
    }

    fn localhost() -> ServerName<'static> {
        ServerName::try_from("localhost").unwrap()
    }

    fn loopback() -> ServerName<'static> {
        ServerName::IpAddress(IpAddr::V4(Ipv4Addr::LOCALHOST).into())
    }

    fn server_cert(ca: &TestCa) -> IssuedCert {
        ca.issue_server(&["localhost"], &[IpAddr::V4(Ipv4Addr::LOCALHOST)]).unwrap()
    }

    #[test]
    fn client_cert_chains_to_its_ca_and_names_the_counter() {
        let ca = TestCa::generate("CA de test").unwrap();
        let client = ca.issue_client("G1104", "Mairie de Rouen").unwrap();
        verify_client(&ca, &client).unwrap();
        let cert = der(&client.cert_pem);
        assert_eq!(subject_attribute(&cert, &OID_X509_COMMON_NAME).as_deref(), Some("G1104 - Mairie de Rouen"));
        assert_eq!(subject_attribute(&cert, &OID_X509_ORGANIZATION_NAME).as_deref(), Some(ORGANISATION));
        assert!(client.key_pem.starts_with("-----BEGIN PRIVATE KEY-----"));
    }

    #[test]
    fn client_cert_from_another_ca_is_rejected() {
        let ca = TestCa::generate("CA de test").unwrap();
        let other = TestCa::generate("CA de test").unwrap();
        let intruder = other.issue_client("G1104", "Mairie de Rouen").unwrap();
        assert!(verify_client(&ca, &intruder).is_err());
        assert!(verify_client(&other, &intruder).is_ok());
    }

    #[test]
    fn key_usage_is_enforced_both_ways() {
        let ca = TestCa::generate("CA de test").unwrap();
        let server = server_cert(&ca);
        let client = ca.issue_client("G1104", "Mairie").unwrap();
        assert!(verify_client(&ca, &server).is_err(), "un certificat serveur n'identifie pas un guichet");
        assert!(verify_server(&ca, &client, localhost()).is_err());
    }

    #[test]
    fn server_cert_is_valid_for_its_names_only() {
        let ca = TestCa::generate("CA de test").unwrap();
        let server = server_cert(&ca);
        verify_server(&ca, &server, localhost()).unwrap();
        verify_server(&ca, &server, loopback()).unwrap();
        assert!(verify_server(&ca, &server, ServerName::try_from("exemple.fr").unwrap()).is_err());
        let other = TestCa::generate("Autre").unwrap();
        assert!(verify_server(&other, &server, localhost()).is_err());
    }

    #[test]
    fn fingerprints_are_sha256_of_der() {
        let ca = TestCa::generate("CA de test").unwrap();
        let client = ca.issue_client("G1104", "Mairie").unwrap();
        let expected = {
            use sha2::{Digest, Sha256};
            hex::encode(Sha256::digest(der(&client.cert_pem).as_ref()))
        };
        assert_eq!(client.fingerprint, expected);
        assert_eq!(client.fingerprint.len(), 64);
        assert!(client.fingerprint.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
        assert_eq!(ca.fingerprint(), fingerprint(&der(&ca.cert_pem())));
        // SHA-256 of the empty string, to pin the algorithm and the hex case.
        assert_eq!(fingerprint(b""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    #[test]
    fn reloaded_ca_issues_certs_that_chain_to_the_original() {
        let ca = TestCa::generate("CA de l'école").unwrap();
        let reloaded = TestCa::from_pem(&ca.cert_pem(), &ca.key_pem()).unwrap();
        assert_eq!(reloaded.cert_der(), ca.cert_der());
        assert_eq!(reloaded.cert_pem(), ca.cert_pem());
        let client = reloaded.issue_client("GDPUB", "Portail grand public").unwrap();
        verify_client(&ca, &client).unwrap();
        let server = reloaded.issue_server(&["gateway.test"], &[]).unwrap();
        verify_server(&ca, &server, ServerName::try_from("gateway.test").unwrap()).unwrap();
    }

    #[test]
    fn reload_refuses_a_key_of_another_ca() {
        let ca = TestCa::generate("CA").unwrap();
        let other = TestCa::generate("CA").unwrap();
        assert!(matches!(TestCa::from_pem(&ca.cert_pem(), &other.key_pem()), Err(PkiError::KeyMismatch)));
        assert!(matches!(TestCa::from_pem("pas un PEM", &ca.key_pem()), Err(PkiError::Pem { .. })));
    }

    #[test]
    fn invalid_inputs_are_refused() {
        let ca = TestCa::generate("CA").unwrap();
        assert!(matches!(ca.issue_client("../x", "Mairie"), Err(PkiError::InvalidCode(_))));
        assert!(matches!(ca.issue_client("", "Mairie"), Err(PkiError::InvalidCode(_))));
        assert!(matches!(ca.issue_client("G1104", "  "), Err(PkiError::EmptyName(_))));
        assert!(matches!(ca.issue_server(&[], &[]), Err(PkiError::NoServerName)));
        assert!(matches!(ca.issue_server(&["bad name"], &[]), Err(PkiError::InvalidDnsName(_))));
    }

    #[test]
    fn long_counter_names_are_cut_to_the_cn_bound() {
        let ca = TestCa::generate("CA").unwrap();
        let client = ca.issue_client("G1104", &"é".repeat(100)).unwrap();
        let cn = subject_attribute(&der(&client.cert_pem), &OID_X509_COMMON_NAME).unwrap();
        assert_eq!(cn.chars().count(), MAX_CN_CHARS);
        assert!(cn.starts_with("G1104 - éé"));
    }

    #[test]
    fn validity_periods() {
        let now = OffsetDateTime::now_utc();
        let (not_before, not_after) = validity(CA_YEARS);
        assert!(not_before < now && now - not_before <= Duration::minutes(6));
        assert_eq!(not_after.year() - now.year(), CA_YEARS);
        let (_, leaf) = validity(LEAF_YEARS);
        let days = (leaf - now).whole_days();
        assert!((729..=731).contains(&days), "{days}");
    }

    fn server_config(ca: &TestCa, server: &IssuedCert) -> ServerConfig {
        let verifier = WebPkiClientVerifier::builder_with_provider(roots(ca), provider()).build().unwrap();
        ServerConfig::builder_with_provider(provider())
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_client_cert_verifier(verifier)
            .with_single_cert(vec![der(&server.cert_pem)], key(&server.key_pem))
            .unwrap()
    }

    fn client_config(ca: &TestCa, client: Option<&IssuedCert>) -> ClientConfig {
        let builder = ClientConfig::builder_with_provider(provider())
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_root_certificates(roots(ca));
        match client {
            Some(c) => builder.with_client_auth_cert(vec![der(&c.cert_pem)], key(&c.key_pem)).unwrap(),
            None => builder.with_no_client_auth(),
        }
    }

    /// Accepts one connection; returns the peer certificate fingerprint or the TLS error text.
    async fn serve_once(listener: TcpListener, acceptor: TlsAcceptor) -> Result<String, String> {
        let (tcp, _) = listener.accept().await.map_err(|e| e.to_string())?;
        let mut tls = acceptor.accept(tcp).await.map_err(|e| e.to_string())?;
        let peer = tls
            .get_ref()
            .1
            .peer_certificates()
            .and_then(|c| c.first())
            .map(|c| fingerprint(c))
            .ok_or("pas de certificat client")?;
        let mut request = Vec::new();
        let mut buf = [0u8; 1024];
        while !request.windows(4).any(|w| w == b"\r\n\r\n") {
            let n = tls.read(&mut buf).await.map_err(|e| e.to_string())?;
            if n == 0 {
                break;
            }
            request.extend_from_slice(&buf[..n]);
        }
        tls.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 7\r\nConnection: close\r\n\r\nbonjour")
            .await
            .map_err(|e| e.to_string())?;
        tls.shutdown().await.map_err(|e| e.to_string())?;
        Ok(peer)
    }

    async fn handshake(ca: &TestCa, client: Option<&IssuedCert>) -> (Result<String, String>, Result<Vec<u8>, String>) {
        let server = server_cert(ca);
        let acceptor = TlsAcceptor::from(Arc::new(server_config(ca, &server)));
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let server_task = tokio::spawn(serve_once(listener, acceptor));

        let connector = TlsConnector::from(Arc::new(client_config(ca, client)));
        let client_result = async {
            let tcp = TcpStream::connect(addr).await.map_err(|e| e.to_string())?;
            let mut tls = connector.connect(loopback(), tcp).await.map_err(|e| e.to_string())?;
            tls.write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").await.map_err(|e| e.to_string())?;
            let mut response = Vec::new();
            tls.read_to_end(&mut response).await.map_err(|e| e.to_string())?;
            Ok(response)
        }
        .await;
        (server_task.await.unwrap(), client_result)
    }

    #[tokio::test]
    async fn mutual_tls_handshake_identifies_the_counter() {
        let ca = TestCa::generate("CA de test").unwrap();
        let client = ca.issue_client("G1104", "Mairie de Rouen").unwrap();
        let (server_side, client_side) = handshake(&ca, Some(&client)).await;
        assert_eq!(server_side.unwrap(), client.fingerprint);
        assert!(client_side.unwrap().ends_with(b"bonjour"));
    }

    #[tokio::test]
    async fn handshake_fails_without_client_cert_or_with_a_foreign_one() {
        let ca = TestCa::generate("CA de test").unwrap();
        let (server_side, client_side) = handshake(&ca, None).await;
        assert!(server_side.is_err(), "{server_side:?}");
        assert!(client_side.is_err());

        let other = TestCa::generate("CA de test").unwrap();
        let intruder = other.issue_client("G1104", "Mairie de Rouen").unwrap();
        // The client trusts the real CA (so it can talk to the server) but presents a
        // certificate signed by another one.
        let (server_side, client_side) = handshake(&ca, Some(&intruder)).await;
        assert!(server_side.is_err(), "{server_side:?}");
        assert!(client_side.is_err());
    }

    /// CI installs openssl and curl (tests/interop/install.sh); their absence fails the test
    /// rather than skipping the check silently.
    fn tool(name: &str) -> bool {
        let found = Command::new(name).arg("--version").output().is_ok();
        assert!(found, "{name} est requis pour ce test (apt-get install {name})");
        found
    }

    #[test]
    fn school_pki_files_are_complete_private_and_never_overwritten() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("pki");
        let pki = write_school_pki(&dir, &[("G1104", "Mairie de Rouen"), ("GDPUB", "Portail")]).unwrap();
        assert_eq!(pki.clients.len(), 2);
        assert_eq!(pki.clients[0].cert, dir.join("client-G1104.pem"));
        assert_eq!(pki.clients[1].key, dir.join("client-GDPUB.key"));

        let ca =
            TestCa::from_pem(&fs::read_to_string(&pki.ca).unwrap(), &fs::read_to_string(&pki.ca_key).unwrap()).unwrap();
        assert_eq!(ca.fingerprint(), pki.ca_fingerprint);
        for client in &pki.clients {
            let cert = IssuedCert {
                cert_pem: fs::read_to_string(&client.cert).unwrap(),
                key_pem: fs::read_to_string(&client.key).unwrap(),
                fingerprint: client.fingerprint.clone(),
            };
            assert_eq!(fingerprint(&der(&cert.cert_pem)), client.fingerprint);
            verify_client(&ca, &cert).unwrap();
        }
        let server = IssuedCert {
            cert_pem: fs::read_to_string(&pki.server_cert).unwrap(),
            key_pem: fs::read_to_string(&pki.server_key).unwrap(),
            fingerprint: pki.server_fingerprint.clone(),
        };
        assert_eq!(fingerprint(&der(&server.cert_pem)), pki.server_fingerprint);
        verify_server(&ca, &server, localhost()).unwrap();
        verify_server(&ca, &server, loopback()).unwrap();
        verify_server(&ca, &server, ServerName::IpAddress(IpAddr::V6(Ipv6Addr::LOCALHOST).into())).unwrap();

        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&pki.ca_key), 0o600);
            assert_eq!(mode(&pki.server_key), 0o600);
            for client in &pki.clients {
                assert_eq!(mode(&client.key), 0o600);
            }
        }

        let before = fs::read(&pki.ca).unwrap();
        let again = write_school_pki(&dir, &[("G1104", "Mairie de Rouen")]);
        assert!(matches!(again, Err(PkiError::AlreadyExists(p)) if p == pki.ca));
        assert_eq!(fs::read(&pki.ca).unwrap(), before);

        if tool("openssl") {
            let mut pems = vec![pki.ca.clone(), pki.server_cert.clone()];
            pems.extend(pki.clients.iter().map(|c| c.cert.clone()));
            for pem in &pems {
                let out = Command::new("openssl").args(["x509", "-noout", "-text", "-in"]).arg(pem).output().unwrap();
                assert!(out.status.success(), "openssl x509 {pem:?}: {}", String::from_utf8_lossy(&out.stderr));
            }
            let text = |p: &Path| {
                String::from_utf8(
                    Command::new("openssl").args(["x509", "-noout", "-text", "-in"]).arg(p).output().unwrap().stdout,
                )
                .unwrap()
            };
            assert!(text(&pki.clients[0].cert).contains("TLS Web Client Authentication"));
            assert!(text(&pki.server_cert).contains("TLS Web Server Authentication"));
            assert!(text(&pki.server_cert).contains("IP Address:127.0.0.1"));
            assert!(text(&pki.ca).contains("CA:TRUE"));
            let end_year = |p: &Path| {
                let out = Command::new("openssl").args(["x509", "-noout", "-enddate", "-in"]).arg(p).output().unwrap();
                let line = String::from_utf8(out.stdout).unwrap();
                line.trim().rsplit(' ').nth(1).unwrap().parse::<i32>().unwrap()
            };
            let year = OffsetDateTime::now_utc().year();
            assert_eq!(end_year(&pki.ca), year + CA_YEARS);
            assert_eq!(end_year(&pki.server_cert), year + LEAF_YEARS);
            assert_eq!(end_year(&pki.clients[0].cert), year + LEAF_YEARS);
            let verify = Command::new("openssl")
                .args(["verify", "-CAfile"])
                .arg(&pki.ca)
                .arg(&pki.server_cert)
                .arg(&pki.clients[0].cert)
                .output()
                .unwrap();
            assert!(verify.status.success(), "{}", String::from_utf8_lossy(&verify.stdout));
            for key in [&pki.ca_key, &pki.server_key, &pki.clients[0].key] {
                let out = Command::new("openssl").args(["pkey", "-noout", "-in"]).arg(key).output().unwrap();
                assert!(out.status.success(), "openssl pkey {key:?}");
            }
        }
    }

    #[test]
    fn school_pki_refuses_bad_counters_before_writing() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("pki");
        assert!(matches!(write_school_pki(&dir, &[("G1104", "A"), ("G1104", "B")]), Err(PkiError::DuplicateCode(_))));
        assert!(matches!(write_school_pki(&dir, &[("../../etc", "A")]), Err(PkiError::InvalidCode(_))));
        assert!(!dir.exists());
    }

    #[test]
    fn school_pki_leaves_nothing_when_a_file_is_in_the_way() {
        let tmp = tempfile::tempdir().unwrap();
        fs::write(tmp.path().join("client-G1104.key"), b"existant").unwrap();
        let err = write_school_pki(tmp.path(), &[("G1104", "Mairie")]).unwrap_err();
        assert!(matches!(err, PkiError::AlreadyExists(_)));
        let mut names: Vec<_> = fs::read_dir(tmp.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        names.sort();
        assert_eq!(names, vec![std::ffi::OsString::from("client-G1104.key")]);
        assert_eq!(fs::read(tmp.path().join("client-G1104.key")).unwrap(), b"existant");
    }

    /// curl (when installed) talks to a rustls server with the written files, as a counter would.
    #[tokio::test]
    async fn curl_accepts_the_written_files() {
        if !tool("curl") {
            return;
        }
        let tmp = tempfile::tempdir().unwrap();
        let pki = write_school_pki(tmp.path(), &[("G1104", "Mairie de Rouen")]).unwrap();
        let ca =
            TestCa::from_pem(&fs::read_to_string(&pki.ca).unwrap(), &fs::read_to_string(&pki.ca_key).unwrap()).unwrap();
        let server = IssuedCert {
            cert_pem: fs::read_to_string(&pki.server_cert).unwrap(),
            key_pem: fs::read_to_string(&pki.server_key).unwrap(),
            fingerprint: pki.server_fingerprint.clone(),
        };
        let acceptor = TlsAcceptor::from(Arc::new(server_config(&ca, &server)));
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let server_task = tokio::spawn(serve_once(listener, acceptor));

        let out = tokio::process::Command::new("curl")
            .arg("-sS")
            .arg("--max-time")
            .arg("20")
            .arg("--cert")
            .arg(&pki.clients[0].cert)
            .arg("--key")
            .arg(&pki.clients[0].key)
            .arg("--cacert")
            .arg(&pki.ca)
            .arg(format!("https://127.0.0.1:{port}/"))
            .output()
            .await
            .unwrap();
        assert!(out.status.success(), "curl: {}", String::from_utf8_lossy(&out.stderr));
        assert_eq!(out.stdout, b"bonjour");
        assert_eq!(server_task.await.unwrap().unwrap(), pki.clients[0].fingerprint);
    }
}
