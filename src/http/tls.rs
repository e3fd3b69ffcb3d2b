//! rustls server configuration: our certificate, and the CA that issues counters' certificates.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls::client::danger::HandshakeSignatureValid;
use rustls::server::danger::{ClientCertVerified, ClientCertVerifier};
use rustls::server::WebPkiClientVerifier;
use rustls::{DigitallySignedStruct, DistinguishedName, RootCertStore, ServerConfig, SignatureScheme};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, CertificateRevocationListDer, PrivateKeyDer, UnixTime};

use crate::config::TlsSettings;

/// Why the TLS material could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    /// A PEM file could not be read or held nothing usable.
    #[error("certificat ou clé illisible ({path}) : {reason}")]
    Pem {
        /// File.
        path: PathBuf,
        /// What went wrong.
        reason: String,
    },
    /// rustls refused the material.
    #[error("configuration TLS refusée : {0}")]
    Rustls(String),
}

fn pem_err(path: &Path, e: impl std::fmt::Display) -> TlsError {
    // The PEM reader's file errors are the system's English words.
    let text = e.to_string();
    let reason = if text.contains("No such file") {
        "fichier introuvable".to_string()
    } else if text.contains("Permission denied") {
        "accès refusé (droits du fichier)".to_string()
    } else if text.contains("no items found") || text.contains("section end") {
        "aucun bloc PEM lisible".to_string()
    } else {
        text
    };
    TlsError::Pem { path: path.to_path_buf(), reason }
}

/// Builds the server configuration. Client certificates are verified against `client_ca` (and
/// its CRL, when configured) when presented; a connection without one is still accepted so that
/// the WSDL can be fetched and a SOAP caller gets a readable fault instead of a bare handshake
/// failure.
pub fn server_config(tls: &TlsSettings) -> Result<Arc<ServerConfig>, TlsError> {
    let (cert, key, client_ca) = (&tls.cert, &tls.key, &tls.client_ca);
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(cert)
        .map_err(|e| pem_err(cert, e))?
        .collect::<Result<_, _>>()
        .map_err(|e| pem_err(cert, e))?;
    if chain.is_empty() {
        return Err(pem_err(cert, "aucun certificat"));
    }
    let key_der = PrivateKeyDer::from_pem_file(key).map_err(|e| pem_err(key, e))?;
    let mut roots = RootCertStore::empty();
    for ca in CertificateDer::pem_file_iter(client_ca).map_err(|e| pem_err(client_ca, e))? {
        roots.add(ca.map_err(|e| pem_err(client_ca, e))?).map_err(|e| pem_err(client_ca, e))?;
    }
    if roots.is_empty() {
        return Err(pem_err(client_ca, "aucune autorité de certification"));
    }
    let crls: Vec<CertificateRevocationListDer<'static>> = match &tls.crl {
        None => Vec::new(),
        Some(path) => CertificateRevocationListDer::pem_file_iter(path)
            .map_err(|e| pem_err(path, e))?
            .collect::<Result<_, _>>()
            .map_err(|e| pem_err(path, e))?,
    };
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier = WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider.clone())
        .with_crls(crls)
        .allow_unauthenticated()
        .build()
        .map_err(|e| TlsError::Rustls(e.to_string()))?;
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| TlsError::Rustls(e.to_string()))?
        .with_client_cert_verifier(Arc::new(LoggingVerifier(verifier)))
        .with_single_cert(chain, key_der)
        .map_err(|e| TlsError::Rustls(e.to_string()))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

/// The SHA-256 fingerprint of a certificate (DER), in lower-case hex: how counters are named.
pub fn fingerprint(der: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(der))
}

/// Verifies like its inner verifier, and logs a refused certificate (another authority, expired,
/// revoked) at WARN with its subject and fingerprint, never more: otherwise a refused handshake
/// leaves no trace on the server.
#[derive(Debug)]
struct LoggingVerifier(Arc<dyn ClientCertVerifier>);

impl ClientCertVerifier for LoggingVerifier {
    fn offer_client_auth(&self) -> bool {
        self.0.offer_client_auth()
    }
    fn client_auth_mandatory(&self) -> bool {
        self.0.client_auth_mandatory()
    }
    fn root_hint_subjects(&self) -> &[DistinguishedName] {
        self.0.root_hint_subjects()
    }
    fn verify_client_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        now: UnixTime,
    ) -> Result<ClientCertVerified, rustls::Error> {
        let verdict = self.0.verify_client_cert(end_entity, intermediates, now);
        if let Err(e) = &verdict {
            let subject = x509_parser::parse_x509_certificate(end_entity.as_ref())
                .map(|(_, c)| c.subject().to_string())
                .unwrap_or_else(|_| "(illisible)".into());
            tracing::warn!(
                sujet = %crate::text::extrait(&subject, 200),
                empreinte = %fingerprint(end_entity.as_ref()),
                raison = raison_en_francais(e),
                "certificat client refusé à la poignée de main TLS"
            );
        }
        verdict
    }
    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls12_signature(message, cert, dss)
    }
    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls13_signature(message, cert, dss)
    }
    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.supported_verify_schemes()
    }
}

/// Why rustls refused a client certificate, as an operator reads it (rustls says it in English
/// or as a Rust enum).
pub fn raison_en_francais(e: &rustls::Error) -> &'static str {
    use rustls::CertificateError as C;
    match e {
        rustls::Error::InvalidCertificate(c) => match c {
            C::Revoked => "certificat révoqué (liste de révocation tls.crl)",
            C::Expired | C::ExpiredContext { .. } => "certificat expiré",
            C::NotValidYet | C::NotValidYetContext { .. } => "certificat pas encore valide",
            C::UnknownIssuer => "autorité inconnue (pas émis par tls.client_ca)",
            C::BadSignature => "signature du certificat invalide",
            C::BadEncoding => "certificat mal encodé",
            C::InvalidPurpose | C::InvalidPurposeContext { .. } => {
                "certificat non prévu pour l'authentification d'un client"
            }
            C::UnknownRevocationStatus => "état de révocation inconnu",
            C::ExpiredRevocationList | C::ExpiredRevocationListContext { .. } => {
                "liste de révocation (tls.crl) expirée"
            }
            _ => "certificat invalide",
        },
        rustls::Error::InvalidCertRevocationList(_) => "liste de révocation (tls.crl) invalide",
        rustls::Error::NoCertificatesPresented => "aucun certificat présenté",
        _ => "certificat refusé",
    }
}
