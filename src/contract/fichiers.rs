//! The search and event files: three schemas that each define a global `interfaceNuu` in the
//! file namespace (CONTRACT.md §1), so the operation, not the document, says which applies.
//!
//! Their anomalies are `listeAnomalies/anomalie` with a `code` attribute and a `message` child,
//! not the application file's `listeAnomalie`: that form has no `propriete`, so the element
//! path goes at the head of the message.

use crate::xml::{self, Element};

use super::generated::{
    evenement, evenement_schema, recherche, recherche_schema, type_evenement, type_evenement_schema,
};
use super::runtime::{FromXml, WriteXml, Writer};
use super::{validate, Anomalie, LectureError, NS_FICHIER};

/// Which of the three files an operation carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Genre {
    /// `InterfaceNuuRecherche_v0200.xsd` (`rechercheDemandeMulticritere`).
    Recherche,
    /// `InterfaceNuuGPEvenement_v0200.xsd` (events of an application).
    Evenements,
    /// `InterfaceNuuGPTypeEvenement_v0200.xsd` (event types).
    TypesEvenements,
}

/// The only interface version of these files.
pub const VERSION: &str = "02.00";

impl Genre {
    fn schema(self) -> &'static super::xsd::Schema {
        match self {
            Genre::Recherche => &recherche_schema::SCHEMA,
            Genre::Evenements => &evenement_schema::SCHEMA,
            Genre::TypesEvenements => &type_evenement_schema::SCHEMA,
        }
    }

    /// The schema file, as fault texts name it.
    pub fn fichier(self) -> &'static str {
        match self {
            Genre::Recherche => "InterfaceNuuRecherche_v0200.xsd",
            Genre::Evenements => "InterfaceNuuGPEvenement_v0200.xsd",
            Genre::TypesEvenements => "InterfaceNuuGPTypeEvenement_v0200.xsd",
        }
    }

    /// Every violation of `root` against this file's schema, in document order (at most
    /// [`validate::MAX_ANOMALIES`] and one `XSD-LIMITE`).
    pub fn verifier(self, root: &Element) -> Vec<Anomalie> {
        if !root.is(Some(NS_FICHIER), "interfaceNuu") {
            let found = match &root.ns {
                Some(ns) => format!("{{{ns}}}{}", root.name),
                None => root.name.clone(),
            };
            return vec![Anomalie::new(
                "XSD-RACINE",
                Some("interfaceNuu"),
                format!(
                    "L'élément racine doit être interfaceNuu dans l'espace de noms {NS_FICHIER} (trouvé : {}).",
                    crate::text::extrait(&found, 200)
                ),
            )];
        }
        validate::validate(self.schema(), "interfaceNuu", root, &mut |_, _| {})
    }

    /// Parses (with limits) and validates; `Ok` only without any anomaly.
    pub fn lire<T: FromXml>(self, bytes: &[u8], limits: xml::Limits) -> Result<T, LectureError> {
        let root = xml::parse(bytes, limits)?;
        super::conforme_xml(&root)?;
        let anomalies = self.verifier(&root);
        if anomalies.is_empty() {
            Ok(T::from_xml(&root))
        } else {
            Err(LectureError::Anomalies(anomalies))
        }
    }
}

/// Writes one of these files (prefix `ns2`, as every file the gateway returns).
pub fn ecrire<T: WriteXml>(fichier: &T) -> Vec<u8> {
    let mut w = Writer::new();
    fichier.write_xml(&mut w, "interfaceNuu");
    w.into_bytes()
}

/// `(code, message)` of each anomaly, the path leading the message since these files have no
/// `propriete`.
fn en_clair(anomalies: &[Anomalie]) -> impl Iterator<Item = (String, String)> + '_ {
    anomalies.iter().map(|a| {
        let message = match &a.propriete {
            Some(p) => format!("{p} : {}", a.message),
            None => a.message.clone(),
        };
        (a.code.chars().take(10).collect(), validate::truncate(message, validate::MAX_MESSAGE))
    })
}

/// The anomalies as the search file's `listeAnomalies` (`None` when there are none).
pub fn anomalies_recherche(anomalies: &[Anomalie]) -> Option<recherche::ListeAnomalies> {
    (!anomalies.is_empty()).then(|| recherche::ListeAnomalies {
        anomalie: en_clair(anomalies).map(|(code, message)| recherche::Anomalie { code, message }).collect(),
    })
}

/// The anomalies as the event file's `listeAnomalies` (`None` when there are none).
pub fn anomalies_evenements(anomalies: &[Anomalie]) -> Option<evenement::ListeAnomalies> {
    (!anomalies.is_empty()).then(|| evenement::ListeAnomalies {
        anomalie: en_clair(anomalies).map(|(code, message)| evenement::Anomalie { code, message }).collect(),
    })
}

/// The anomalies as the event-type file's `listeAnomalies` (`None` when there are none).
pub fn anomalies_types(anomalies: &[Anomalie]) -> Option<type_evenement::ListeAnomalies> {
    (!anomalies.is_empty()).then(|| type_evenement::ListeAnomalies {
        anomalie: en_clair(anomalies).map(|(code, message)| type_evenement::Anomalie { code, message }).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const RECHERCHE: &str = r#"<ns2:interfaceNuu xmlns:ns2="http://nuu.application.i2/" versionInterface="02.00">
  <ns2:entete><ns2:typeFichier>RMC</ns2:typeFichier><ns2:dateFichier>2026-12-01T10:00:00</ns2:dateFichier><ns2:codeGuichet>G1104</ns2:codeGuichet></ns2:entete>
  <ns2:operation><ns2:demandeMulticritere>
    <ns2:etatDemande>A</ns2:etatDemande>
    <ns2:dateDepotDebut>2026-01-01</ns2:dateDepotDebut>
    <ns2:personneRecherchee><ns2:nom>Lefèvre-Dupont</ns2:nom></ns2:personneRecherchee>
    <ns2:piecesJustificatives><ns2:codeCategorie>IDENTITE</ns2:codeCategorie><ns2:codeCategorie>AVISIMPOT</ns2:codeCategorie></ns2:piecesJustificatives>
  </ns2:demandeMulticritere></ns2:operation>
</ns2:interfaceNuu>"#;

    #[test]
    fn a_search_file_reads_into_its_own_types_and_writes_back_with_its_answer() {
        let mut f: recherche::InterfaceNuu =
            Genre::Recherche.lire(RECHERCHE.as_bytes(), xml::Limits::default()).unwrap();
        let c = &f.operation.demande_multicritere;
        assert_eq!(c.etat_demande.as_deref(), Some("A"));
        assert_eq!(c.personne_recherchee.as_ref().unwrap().nom.as_deref(), Some("Lefèvre-Dupont"));
        assert_eq!(c.pieces_justificatives.as_ref().unwrap().code_categorie, ["IDENTITE", "AVISIMPOT"]);
        f.liste_demandes = Some(recherche::ListeDemandes { num_unique: vec!["1110318016982G1104".into()] });
        let out = String::from_utf8(ecrire(&f)).unwrap();
        assert!(out.contains("<ns2:listeDemandes><ns2:numUnique>1110318016982G1104</ns2:numUnique></ns2:listeDemandes></ns2:interfaceNuu>"), "{out}");
        // What we write reads back under the same schema.
        let again: recherche::InterfaceNuu = Genre::Recherche.lire(out.as_bytes(), xml::Limits::default()).unwrap();
        assert_eq!(again, f);
    }

    #[test]
    fn each_file_is_checked_against_its_own_schema() {
        // The search file is not an event file: `operation` holds numUnique there.
        let Err(LectureError::Anomalies(a)) =
            Genre::Evenements.lire::<evenement::InterfaceNuu>(RECHERCHE.as_bytes(), xml::Limits::default())
        else {
            panic!("fichier de recherche accepté comme fichier d'événements")
        };
        assert!(a.iter().any(|a| a.code == "XSD-INATT"), "{a:?}");
        let mauvais =
            RECHERCHE.replace("<ns2:etatDemande>A</ns2:etatDemande>", "<ns2:etatDemande>AB</ns2:etatDemande>");
        let mauvais = mauvais.replace("versionInterface=\"02.00\"", "versionInterface=\"02.01\"");
        let Err(LectureError::Anomalies(a)) =
            Genre::Recherche.lire::<recherche::InterfaceNuu>(mauvais.as_bytes(), xml::Limits::default())
        else {
            panic!("fichier invalide accepté")
        };
        let codes: Vec<&str> = a.iter().map(|a| a.code.as_str()).collect();
        assert!(codes.contains(&"XSD-ATTR") && codes.contains(&"XSD-LONG"), "{a:?}");
        let liste = anomalies_recherche(&a).unwrap();
        assert!(liste
            .anomalie
            .iter()
            .any(|x| x.message.starts_with("interfaceNuu/operation/demandeMulticritere/etatDemande : ")));
        assert!(anomalies_recherche(&[]).is_none());
    }
}
