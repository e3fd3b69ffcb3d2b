//! The wrapper the search and event services share: `fichierXmlParametres` (nomFichier,
//! fichierXml, nomCertificat) in, `fichierXmlReponse` (nomFichierXmlRetour, fichierXmlRetour)
//! out, and the reading of the file it carries under the schema the operation names.

use bytes::Bytes;

use super::parametres::{Champ, Champs};
use super::{faute_appelant, Contexte, NS_METIER};
use crate::contract::fichiers::Genre;
use crate::contract::runtime::{FromXml, WriteXml};
use crate::contract::Anomalie;
use crate::soap::{self, BinaryKind, Fault, OutChild, OutMessage};
use crate::xml::Element;

/// The wrapper of every operation of both services.
pub(super) const WRAPPER: &str = "fichierXmlParametres";

/// `fichierXmlParametres`, read.
#[derive(Debug)]
pub struct FichierXmlParametres {
    /// `nomFichier`, echoed as `nomFichierXmlRetour`.
    pub nom_fichier: String,
    /// `fichierXml`, the business file.
    pub fichier: Bytes,
}

impl FichierXmlParametres {
    /// Reads the wrapper. `nomCertificat` is accepted and ignored: identity is the TLS
    /// certificate's.
    pub fn lire(wrapper: &Element) -> Result<Self, Fault> {
        let champs = Champs::lire(
            wrapper,
            &[
                Champ { nom: "nomFichier", requis: false },
                Champ { nom: "fichierXml", requis: true },
                Champ { nom: "nomCertificat", requis: false },
            ],
        )?;
        let element = champs.get(1).expect("required field present");
        let fichier = soap::binary_content(element).map_err(|e| faute_appelant(e.to_string()))?;
        if fichier.is_empty() {
            return Err(faute_appelant("Le fichier XML (fichierXml) est vide.".into()));
        }
        Ok(FichierXmlParametres { nom_fichier: champs.texte(0), fichier })
    }

    /// The file read under `genre`'s schema: `Ok(Ok(file))` when valid, `Ok(Err((echo,
    /// anomalies)))` when it breaks its schema, with what of it can be echoed; a fault when it
    /// is not XML at all.
    pub async fn fichier<T: FromXml + Send>(
        &self,
        ctx: &Contexte<'_>,
        genre: Genre,
    ) -> Result<Result<T, (T, Vec<Anomalie>)>, Fault> {
        let limites = ctx.limites_xml;
        let bytes = &self.fichier;
        ctx.compute
            .run_selon(bytes.len(), || {
                let root = match crate::xml::parse(bytes, limites) {
                    Ok(r) => r,
                    Err(e) => {
                        ctx.bilan().limite = e.limit_key();
                        return Err(faute_appelant(format!("Fichier XML illisible : {e}")));
                    }
                };
                if let Err(e) = crate::contract::conforme_xml(&root) {
                    return Err(faute_appelant(format!("Fichier XML illisible : {e}")));
                }
                let anomalies = genre.verifier(&root);
                let lu = T::from_xml(&root);
                Ok(if anomalies.is_empty() { Ok(lu) } else { Err((lu, anomalies)) })
            })
            .await
    }
}

/// The answer: the file written back under the request's file name.
pub(super) fn reponse(nom_fichier: String, fichier: Vec<u8>) -> OutMessage {
    OutMessage {
        ns: NS_METIER.to_string(),
        wrapper: "fichierXmlReponse".to_string(),
        children: vec![
            OutChild::Text { name: "nomFichierXmlRetour".into(), value: nom_fichier },
            OutChild::Binary {
                name: "fichierXmlRetour".into(),
                data: Bytes::from(fichier),
                content_type: "text/xml".into(),
                kind: BinaryKind::Xml,
            },
        ],
    }
}

/// Writes `echo`, or `minimal` when the echo would itself break the schema (a refused file's
/// values are echoed only where they are valid): what we send back always validates.
pub(super) fn ecrire_valide<T: WriteXml + FromXml>(genre: Genre, echo: &T, minimal: impl FnOnce() -> T) -> Vec<u8> {
    let bytes = crate::contract::fichiers::ecrire(echo);
    let valide = crate::xml::parse(&bytes, crate::xml::Limits::default())
        .map(|root| genre.verifier(&root).is_empty())
        .unwrap_or(false);
    if valide {
        bytes
    } else {
        crate::contract::fichiers::ecrire(&minimal())
    }
}
