//! A SOAP message as the console's exchange view shows it (school mode keeps the envelopes):
//! the envelope laid out one element per line, and each file it carries, an MTOM part or inline
//! base64, decoded, laid out when it is XML, told by its type and size otherwise. The gateway's
//! own codec reads it, so the view shows a message as the gateway read it, and says why when it
//! could not.

use crate::soap;
use crate::xml::{indenter, Indente};

/// The elements of the services' wrappers that carry a file: those of type `tns:fichier` in
/// the wrapper schemas (a test reads them there).
const FICHIERS: &[&str] = &[
    "attestation",
    "certificat",
    "fichier",
    "fichierDalo",
    "fichierDemande",
    "fichierDemandesRadiees",
    "fichierNouveauxDalo",
    "fichierXml",
    "fichierXmlRetour",
    "listeDoublons",
];

/// A text to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Texte {
    /// Laid out, or as received (see `erreur`).
    pub indente: Indente,
    /// Why it is shown as received rather than laid out, in French.
    pub erreur: Option<String>,
}

impl Texte {
    fn lu(octets: &[u8], abreger_base64: bool) -> Texte {
        match indenter(octets, abreger_base64) {
            Ok(indente) => Texte { indente, erreur: None },
            Err(e) => Texte { indente: Indente::brut(&String::from_utf8_lossy(octets)), erreur: Some(e.to_string()) },
        }
    }
}

/// A file a message carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FichierLu {
    /// The element that carries it (`fichierDemande`, `attestation`...).
    pub element: String,
    /// How it travels: `pièce MTOM` or `base64 dans l'enveloppe`.
    pub transport: &'static str,
    /// The element's `contentType` attribute, when it has one.
    pub type_declare: Option<String>,
    /// Its size once decoded, in bytes.
    pub taille: usize,
    /// What its bytes are: `XML`, `PDF`, `JPEG`, `vide`...
    pub genre: &'static str,
    /// Its text laid out, when it is XML.
    pub texte: Option<Texte>,
    /// Why its content does not decode, in French.
    pub erreur: Option<String>,
}

/// A message made readable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageLu {
    /// The envelope (an MTOM package's root part), inline files mentioned rather than printed.
    pub enveloppe: Texte,
    /// The files of the operation's wrapper, in order.
    pub fichiers: Vec<FichierLu>,
}

/// Reads a message (request or answer) whose HTTP Content-Type was `content_type`. A
/// `text/plain` one (what the journal keeps of a message it did not hold) is shown as it is.
pub fn lire_message(content_type: &str, corps: &[u8]) -> MessageLu {
    let brut = |octets: &[u8], erreur: Option<String>| Texte {
        indente: Indente::brut(&String::from_utf8_lossy(octets)),
        erreur,
    };
    let essence = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    if essence.is_empty() || essence == "text/plain" {
        return MessageLu { enveloppe: brut(corps, None), fichiers: Vec::new() };
    }
    let limits = soap::Limits::default();
    let mut enveloppe = match soap::root_part(content_type, corps, &limits) {
        Ok(racine) => Texte::lu(&racine, true),
        Err(e) => brut(corps, Some(super::capitalise(&e.to_string()))),
    };
    let decode = soap::decode(content_type, None, corps, &limits);
    let envelope = match decode {
        Ok(envelope) => envelope,
        Err(e) => {
            if enveloppe.erreur.is_none() {
                enveloppe.erreur = Some(format!("Le décodeur SOAP de la passerelle refuse ce message : {e}."));
            }
            return MessageLu { enveloppe, fichiers: Vec::new() };
        }
    };
    let fichiers = envelope.body.elements().filter(|e| FICHIERS.contains(&e.name.as_str())).map(fichier).collect();
    MessageLu { enveloppe, fichiers }
}

fn fichier(e: &crate::xml::Element) -> FichierLu {
    let mtom = e.children.iter().any(|n| matches!(n, crate::xml::Node::Binary(_)));
    let mut lu = FichierLu {
        element: e.name.clone(),
        transport: if mtom { "pièce MTOM" } else { "base64 dans l'enveloppe" },
        type_declare: e.attribute("contentType").map(str::to_string),
        taille: 0,
        genre: "vide",
        texte: None,
        erreur: None,
    };
    match soap::binary_content(e) {
        Ok(octets) => {
            lu.taille = octets.len();
            lu.genre = genre(&octets);
            if lu.genre == "XML" {
                lu.texte = Some(Texte::lu(&octets, false));
            }
        }
        Err(err) => {
            lu.genre = "illisible";
            lu.erreur = Some(super::capitalise(&err.to_string()));
        }
    }
    lu
}

/// What bytes are, told by their first ones.
fn genre(octets: &[u8]) -> &'static str {
    let texte = octets.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(octets);
    let texte = &texte[texte.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(texte.len())..];
    const SIGNATURES: &[(&[u8], &str)] = &[
        (b"%PDF", "PDF"),
        (&[0xFF, 0xD8, 0xFF], "JPEG"),
        (&[0x89, b'P', b'N', b'G'], "PNG"),
        (b"II*\0", "TIFF"),
        (b"MM\0*", "TIFF"),
        (b"-----BEGIN", "PEM (certificat ou clé)"),
        (&[0x30, 0x82], "DER (certificat X.509)"),
    ];
    if octets.is_empty() {
        "vide"
    } else if texte.starts_with(b"<") {
        "XML"
    } else if let Some((_, nom)) = SIGNATURES.iter().find(|(s, _)| octets.starts_with(s) || texte.starts_with(s)) {
        nom
    } else if std::str::from_utf8(octets).is_ok() {
        "texte"
    } else {
        "binaire"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_elements_are_those_of_the_wrapper_schemas() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas");
        let mut noms = std::collections::BTreeSet::new();
        for entree in std::fs::read_dir(dir).unwrap() {
            let texte = std::fs::read_to_string(entree.unwrap().path()).unwrap();
            for ligne in texte.lines().filter(|l| l.contains("type=\"tns:fichier\"")) {
                let nom = ligne.split("name=\"").nth(1).unwrap().split('"').next().unwrap();
                noms.insert(nom.to_string());
            }
        }
        assert_eq!(noms.iter().map(String::as_str).collect::<Vec<_>>(), FICHIERS);
    }

    fn inline(fichier: &[u8]) -> Vec<u8> {
        use base64::Engine as _;
        let b64 = base64::engine::general_purpose::STANDARD.encode(fichier);
        format!(
            "<soap:Envelope xmlns:soap=\"http://www.w3.org/2003/05/soap-envelope\"><soap:Body>\
             <ns2:numUniqueParametres xmlns:ns2=\"http://ws.metier.nuu.application.i2/\">\
             <nomFichierDemande>d.xml</nomFichierDemande><fichierDemande>{b64}</fichierDemande>\
             <nomCertificat/><certificat>MIIB</certificat></ns2:numUniqueParametres></soap:Body></soap:Envelope>"
        )
        .into_bytes()
    }

    #[test]
    fn an_inline_file_is_decoded_and_laid_out() {
        let demande = "<interfaceNuu><nom>D&lt;</nom>".to_string() + &"<a/>".repeat(60) + "</interfaceNuu>";
        let m = lire_message("application/soap+xml; charset=utf-8", &inline(demande.as_bytes()));
        assert_eq!(m.enveloppe.erreur, None);
        assert!(m.enveloppe.indente.lignes.iter().any(|l| l.contains("caractères en base64")), "{m:?}");
        let noms: Vec<_> = m.fichiers.iter().map(|f| (f.element.as_str(), f.genre, f.transport)).collect();
        assert_eq!(
            noms,
            [
                ("fichierDemande", "XML", "base64 dans l'enveloppe"),
                ("certificat", "DER (certificat X.509)", "base64 dans l'enveloppe")
            ]
        );
        let texte = m.fichiers[0].texte.as_ref().unwrap();
        assert_eq!(texte.indente.lignes[1], "  <nom>D&lt;</nom>");
        assert_eq!(texte.indente.trouver("interfaceNuu/nom").unwrap().lignes, [1]);
    }

    #[test]
    fn what_does_not_read_is_shown_as_received_with_why() {
        let m = lire_message("text/plain; charset=utf-8", "(requête reçue en flux : non conservée)".as_bytes());
        assert_eq!((m.enveloppe.indente.lignes.len(), m.enveloppe.erreur), (1, None));
        let m = lire_message("application/soap+xml", b"<soap:Envelope");
        assert_eq!(m.enveloppe.indente.lignes, ["<soap:Envelope"]);
        assert!(m.enveloppe.erreur.unwrap().starts_with("XML mal formé"));
        // Well-formed but not a SOAP message: laid out, and the codec's reason given.
        let m = lire_message("application/soap+xml", b"<a><b/></a>");
        assert_eq!(m.enveloppe.indente.lignes, ["<a>", "  <b/>", "</a>"]);
        assert!(m.enveloppe.erreur.unwrap().starts_with("Le décodeur SOAP de la passerelle refuse ce message"));
        let m = lire_message("multipart/related; boundary=x", b"rien");
        assert!(m.enveloppe.erreur.is_some());
        let mauvais = String::from_utf8(inline(b"<x/>")).unwrap().replace("<certificat>MIIB", "<certificat>M!IB");
        let m = lire_message("application/soap+xml", mauvais.as_bytes());
        assert_eq!(m.fichiers[1].genre, "illisible");
        assert!(m.fichiers[1].erreur.as_deref().unwrap().contains("base64"), "{:?}", m.fichiers[1]);
        assert_eq!(genre(b"%PDF-1.7"), "PDF");
        assert_eq!(genre(b"\xEF\xBB\xBF <x/>"), "XML");
        assert_eq!(genre(&[0, 159, 146, 150]), "binaire");
        assert_eq!(genre(b""), "vide");
    }
}
