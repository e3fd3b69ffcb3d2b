//! The result files of `getDemandesRadieesDepuisLe` and `getNouveauxDaloDepuisLe`
//! (`schemas/ListeNumUnique_v0100.xsd`): an `interfaceNuu` of version 01.00, so deployed clients
//! find it and its anomalies where they look for every file of the service.

use time::Date;

use super::runtime::escape_into;
use super::{validate, Anomalie, XsDateTime, NS_FICHIER};

/// `typeFichier` of a radiated-since list.
pub const LISTE_RADIEES: &str = "LRA";
/// `typeFichier` of a new-DALO list.
pub const LISTE_DALO: &str = "LDA";

/// One application of a list.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DemandeRetenue {
    /// Its number.
    pub num_unique: String,
    /// Radiation date, when radiated.
    pub date_radiation: Option<Date>,
    /// Radiation motive code.
    pub motif_radiation: Option<String>,
    /// `typeReservataire` of a `RADATT`.
    pub type_reservataire: Option<String>,
    /// DALO status code.
    pub statut_dalo: Option<String>,
    /// DALO decision date.
    pub date_decision_dalo: Option<Date>,
}

fn element(buf: &mut Vec<u8>, name: &str, text: &str) {
    buf.extend_from_slice(format!("<ns2:{name}>").as_bytes());
    escape_into(buf, text, false);
    buf.extend_from_slice(format!("</ns2:{name}>").as_bytes());
}

fn code(buf: &mut Vec<u8>, name: &str, code: &str) {
    buf.extend_from_slice(format!("<ns2:{name} code=\"").as_bytes());
    escape_into(buf, code, true);
    buf.extend_from_slice(b"\"/>");
}

fn jour(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// Writes a list file: `demandes` in the order given, or `anomalies` when the request was refused.
pub fn ecrire_liste(
    type_fichier: &str,
    num_guichet: &str,
    date_fichier: &XsDateTime,
    resultat: Result<&[DemandeRetenue], &[Anomalie]>,
) -> Vec<u8> {
    let mut buf = Vec::with_capacity(1024);
    buf.extend_from_slice(b"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>");
    buf.extend_from_slice(
        format!("<ns2:interfaceNuu xmlns:ns2=\"{NS_FICHIER}\" versionInterface=\"01.00\">").as_bytes(),
    );
    buf.extend_from_slice(b"<ns2:entete>");
    element(&mut buf, "typeFichier", type_fichier);
    element(&mut buf, "dateFichier", date_fichier.as_str());
    buf.extend_from_slice(b"</ns2:entete><ns2:demande><ns2:demandeLogement>");
    element(&mut buf, "numGuichet", num_guichet);
    match resultat {
        Ok(demandes) => {
            buf.extend_from_slice(b"<ns2:listeDemande>");
            for d in demandes {
                buf.extend_from_slice(b"<ns2:demandeRetenue>");
                element(&mut buf, "numUnique", &d.num_unique);
                if let Some(x) = d.date_radiation {
                    element(&mut buf, "dateRadiation", &jour(x));
                }
                if let Some(x) = &d.motif_radiation {
                    code(&mut buf, "motifRadiation", x);
                }
                if let Some(x) = &d.type_reservataire {
                    code(&mut buf, "typeReservataire", x);
                }
                if let Some(x) = &d.statut_dalo {
                    code(&mut buf, "statutDalo", x);
                }
                if let Some(x) = d.date_decision_dalo {
                    element(&mut buf, "dateDecisionDalo", &jour(x));
                }
                buf.extend_from_slice(b"</ns2:demandeRetenue>");
            }
            buf.extend_from_slice(b"</ns2:listeDemande>");
        }
        Err(anomalies) => {
            buf.extend_from_slice(b"<ns2:listeAnomalie>");
            for a in anomalies {
                buf.extend_from_slice(b"<ns2:anomalie code=\"");
                escape_into(&mut buf, &a.code.chars().take(10).collect::<String>(), true);
                buf.push(b'"');
                if let Some(p) = &a.propriete {
                    buf.extend_from_slice(b" propriete=\"");
                    escape_into(&mut buf, &validate::truncate(p.clone(), validate::MAX_PROPRIETE), true);
                    buf.push(b'"');
                }
                buf.push(b'>');
                element(&mut buf, "message", &validate::truncate(a.message.clone(), validate::MAX_MESSAGE));
                buf.extend_from_slice(b"</ns2:anomalie>");
            }
            buf.extend_from_slice(b"</ns2:listeAnomalie>");
        }
    }
    buf.extend_from_slice(b"</ns2:demandeLogement></ns2:demande></ns2:interfaceNuu>");
    buf
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_is_an_interface_nuu_with_its_entries_escaped() {
        let date = XsDateTime::parse("2026-11-02T10:00:00Z").unwrap();
        let d = DemandeRetenue {
            num_unique: "1110318016982G1104".into(),
            date_radiation: Some(time::macros::date!(2026 - 10 - 30)),
            motif_radiation: Some("RADATT".into()),
            type_reservataire: Some("COL&".into()),
            ..Default::default()
        };
        let text = String::from_utf8(ecrire_liste(LISTE_RADIEES, "G1104", &date, Ok(&[d]))).unwrap();
        assert!(text.contains("<ns2:interfaceNuu xmlns:ns2=\"http://nuu.application.i2/\" versionInterface=\"01.00\">"));
        assert!(text.contains("<ns2:dateRadiation>2026-10-30</ns2:dateRadiation><ns2:motifRadiation code=\"RADATT\"/>"));
        assert!(text.contains("code=\"COL&amp;\""), "{text}");
        let vide = String::from_utf8(ecrire_liste(LISTE_DALO, "G1104", &date, Ok(&[]))).unwrap();
        assert!(vide.contains("<ns2:listeDemande></ns2:listeDemande>"), "{vide}");
    }
}
