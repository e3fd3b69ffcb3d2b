//! The 2017 code lists (their labels and the document made from them: `libelles.rs`), checked on
//! `@code` attributes of a schema-valid file.
//!
//! The schema only says a code is 1 to 6 letters or digits; which list applies depends on
//! where the element sits: `typeLogement` is a wished-for type (C, T1..T6P) under
//! `listeTypeLogement` but an RPLS type (T1..T8, T9P) under `attributionLogement`, and a
//! `ressource` is received (SAL, RET...) under `listeRessourceRecue*` but paid (PAV) under
//! `listeRessourceVersee*`. The `listeDoublons` block is written by the registry, not by the
//! counter, so it is not checked.

use crate::xml::Element;

use super::Anomalie;

/// A published code list.
#[derive(Debug)]
pub struct CodeList {
    /// Name of the list, as CONTRACT.md §3 calls it.
    pub nom: &'static str,
    /// Allowed codes.
    pub codes: &'static [&'static str],
}

macro_rules! list {
    ($id:ident, $nom:literal, [$($c:literal),* $(,)?]) => {
        /// Code list.
        pub static $id: CodeList = CodeList { nom: $nom, codes: &[$($c),*] };
    };
}

list!(CIVILITE, "civilite", ["1", "2", "3"]);
list!(NATIONALITE, "nationalite", ["1", "2", "3"]);
list!(SITUATION_FAMILIALE, "situationFamiliale", ["C", "M", "D", "S", "P", "U", "V"]);
list!(LIEN_DEMANDEUR, "lienDemandeur", ["M", "P", "C", "L"]);
list!(CATEGORIE_LOGEMENT_RECHERCHE, "categorieLogementRecherche", ["A", "M", "I"]);
list!(CATEGORIE_LOGEMENT, "categorieLogement", ["A", "M"]);
list!(TYPE_LOGEMENT, "typeLogement", ["C", "T1", "T2", "T3", "T4", "T5", "T6P"]);
list!(SEXE, "sexe", ["M", "F"]);
list!(LIEN_PARENTE, "lienParente", ["P", "E", "A"]);
list!(CO_PARENTALITE, "coParentalite", ["G", "D"]);
list!(TYPE_CONTRAT_TRAVAIL, "typeContratTravail", ["CDI", "CDD", "ART", "CHO", "APP", "ETU", "RET", "AUT"]);
list!(
    RESSOURCE_RECUE,
    "ressource (reçue)",
    ["SAL", "RET", "CHO", "PAR", "PINV", "AF", "AAH", "AEEH", "AJPP", "RSA", "AMV", "PAJE", "BE", "AUT",]
);
list!(RESSOURCE_VERSEE, "ressource (versée)", ["PAV"]);
list!(
    MODELE_LOGEMENT,
    "modeleLogement",
    [
        "HLM", "LP", "RS", "RHVS", "RE", "SLHT", "SH", "CDEFCM", "CPE", "CP", "LTG", "FONC", "POCC", "CAMCAR", "HOT",
        "SD", "SQUAT",
    ]
);
list!(
    MOTIF_DEMANDE,
    "motifDemande",
    [
        "01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12", "13", "14", "15", "16", "17", "18",
        "19", "20", "21", "22", "23",
    ]
);
list!(ETAT_HANDICAP, "etatHandicap", ["STA", "EVO"]);
list!(CAPACITE_MARCHE_HANDICAP, "capaciteMarcheHandicap", ["1", "2", "3", "4"]);
list!(NATURE_HANDICAP_MOTEUR, "natureHandicapMoteur", ["MS", "MI"]);
list!(NATURE_HANDICAP_SENSORIEL, "natureHandicapSensoriel", ["DA", "DV"]);
list!(AIDE_TECHNIQUE_HANDICAP, "aideTechniqueHandicap", ["1", "2", "3", "4", "5", "6", "7"]);
list!(EQUIPEMENT_HANDICAP, "equipementHandicap", ["1", "2", "3", "4", "5", "6"]);
// The empty code undoes a radiation (the schema's pattern refuses it in `@code`, so in practice
// the undo is a motifRadiation without code, which is not checked here).
list!(MOTIF_RADIATION, "motifRadiation", ["RADABA", "RADATT", "RADIRR", "RADCON", "RADREN", ""]);
list!(SOUS_MOTIF_IRRECEVABILITE, "sousMotifIrrecevabilite", ["IRRSEJ", "IRRRES"]);
list!(TYPE_RESERVATAIRE, "typeReservataire", ["COLTER", "COLACT", "PPRIOR", "PFONCT", "AUTRES", "AUCUN"]);
list!(ZUS, "zus", ["ZUSOUI", "ZUSNON", "ZUSNSP"]);
list!(STATUT_DALO, "statutDalo", ["NON", "ACTIF", "CADUC", "ACTREL"]);
list!(
    TYPOLOGIE_LOGEMENT_DALO,
    "typologieLogementDalo",
    [
        "01", "02", "03", "04", "05", "06", "08", "09", "21", "22", "23", "24", "25", "26", "28", "30", "31", "40",
        "41", "42", "43", "44", "45", "46", "47", "48", "49", "50", "99",
    ]
);
list!(DEJA_LOGE_PARC_BAILLEUR, "dejaLogeParcBailleur", ["OUI", "NON", "NONDOC"]);
list!(ACCORD_COLLECTIF, "accordCollectif", ["ACD", "ACI", "AUCUN", "NONDOC"]);
list!(TYPE_LOGEMENT_RPLS, "typeLogement RPLS", ["T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8", "T9P"]);

fn strip_index(segment: &str) -> &str {
    segment.split_once('[').map_or(segment, |(name, _)| name)
}

/// The list that applies to the element at `path` (a validator path, indexes included).
pub fn list_for(path: &str) -> Option<&'static CodeList> {
    if path.split('/').any(|s| strip_index(s) == "listeDoublons") {
        return None;
    }
    let mut rev = path.rsplit('/').map(strip_index);
    let name = rev.next()?;
    let parent = rev.next().unwrap_or("");
    let grandparent = rev.next().unwrap_or("");
    Some(match name {
        "civilite" => &CIVILITE,
        "nationalite" => &NATIONALITE,
        "situationFamiliale" => &SITUATION_FAMILIALE,
        "lienDemandeur" => &LIEN_DEMANDEUR,
        "categorieLogementRecherche" => &CATEGORIE_LOGEMENT_RECHERCHE,
        "categorieLogement" => &CATEGORIE_LOGEMENT,
        "typeLogement" if parent == "attributionLogement" => &TYPE_LOGEMENT_RPLS,
        // The current and the owned dwelling are described like a wished-for one.
        "typeLogement" | "typeLogementActuel" | "typeLogementPossede" => &TYPE_LOGEMENT,
        "sexe" => &SEXE,
        "lienParente" => &LIEN_PARENTE,
        "coParentalite" => &CO_PARENTALITE,
        "typeContratTravail" => &TYPE_CONTRAT_TRAVAIL,
        "ressource" if grandparent.starts_with("listeRessourceRecue") => &RESSOURCE_RECUE,
        "ressource" if grandparent.starts_with("listeRessourceVersee") => &RESSOURCE_VERSEE,
        "modeleLogement" => &MODELE_LOGEMENT,
        "motifDemande" => &MOTIF_DEMANDE,
        "etatHandicap" => &ETAT_HANDICAP,
        "capaciteMarcheHandicap" => &CAPACITE_MARCHE_HANDICAP,
        "natureHandicapMoteur" => &NATURE_HANDICAP_MOTEUR,
        "natureHandicapSensoriel" => &NATURE_HANDICAP_SENSORIEL,
        "aideTechniqueHandicap" => &AIDE_TECHNIQUE_HANDICAP,
        "equipementHandicap" => &EQUIPEMENT_HANDICAP,
        "motifRadiation" => &MOTIF_RADIATION,
        "sousMotifIrrecevabilite" => &SOUS_MOTIF_IRRECEVABILITE,
        "typeReservataire" => &TYPE_RESERVATAIRE,
        "zus" => &ZUS,
        "statutDalo" => &STATUT_DALO,
        "typologieLogementDalo" => &TYPOLOGIE_LOGEMENT_DALO,
        "dejaLogeParcBailleur" => &DEJA_LOGE_PARC_BAILLEUR,
        "accordCollectif" => &ACCORD_COLLECTIF,
        _ => return None,
    })
}

/// The allowed codes of `list` as a message gives them: with their labels when that stays short,
/// the codes alone and where the labels are otherwise. Made once per list: a hostile file may
/// carry tens of thousands of bad codes.
fn attendus(list: &CodeList) -> &'static str {
    static CACHE: std::sync::LazyLock<std::collections::HashMap<&'static str, String>> =
        std::sync::LazyLock::new(|| {
            super::libelles::LISTES
                .iter()
                .map(|list| {
                    let allowed: Vec<&str> = list.codes.iter().copied().filter(|c| !c.is_empty()).collect();
                    let labelled: Vec<String> = allowed
                        .iter()
                        .map(|c| match super::libelles::libelle(list.nom, c).map(|l| l.trim_start_matches('*')) {
                            Some(l) if l != *c => format!("{c} {l}"),
                            _ => c.to_string(),
                        })
                        .collect();
                    let labelled = labelled.join(", ");
                    // Room for the rest of the message within MAX_MESSAGE.
                    let shown = if labelled.chars().count() <= super::validate::MAX_MESSAGE - 150 {
                        labelled
                    } else {
                        format!("{} ; libellés : docs/listes-de-codes.md", allowed.join(", "))
                    };
                    (list.nom, shown)
                })
                .collect()
        });
    CACHE.get(list.nom).map(String::as_str).unwrap_or("")
}

/// The anomaly for element `e` at `path` when its `code` attribute is outside its list.
pub fn check(path: &str, e: &Element) -> Option<Anomalie> {
    let code = e.attribute("code")?;
    let list = list_for(path)?;
    if list.codes.contains(&code) {
        return None;
    }
    let message = format!("Le code {code} de {} n'appartient pas à la liste des codes ({}).", e.name, attendus(list));
    Some(Anomalie {
        code: "CODE-INC".to_string(),
        propriete: Some(super::validate::truncate(format!("{path}/@code"), super::validate::MAX_PROPRIETE)),
        message: super::validate::truncate(message, super::validate::MAX_MESSAGE),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn el(name: &str, code: &str) -> Element {
        Element {
            ns: Some(super::super::NS_FICHIER.into()),
            name: name.to_string(),
            attributes: vec![crate::xml::Attribute { ns: None, name: "code".into(), value: code.into() }],
            children: Vec::new(),
        }
    }

    const DL: &str = "interfaceNuu/demande/demandeLogement";

    #[test]
    fn type_logement_depends_on_its_parent() {
        let wished = format!("{DL}/logementRecherche/listeTypeLogement/typeLogement[2]");
        let rpls = format!("{DL}/radiation/attributionLogement/typeLogement");
        let a = check(&wished, &el("typeLogement", "T9P")).unwrap();
        assert_eq!(a.propriete.as_deref(), Some(format!("{wished}/@code").as_str()));
        assert!(a.message.contains("C Chambre, T1, T2, T3, T4, T5, T6P T6 et plus"), "{}", a.message);
        assert!(check(&wished, &el("typeLogement", "T6P")).is_none());
        assert!(check(&rpls, &el("typeLogement", "T9P")).is_none());
        assert!(check(&rpls, &el("typeLogement", "C")).is_some());
    }

    #[test]
    fn categories_and_resources_are_distinguished() {
        let lr = format!("{DL}/logementRecherche/categorieLogementRecherche");
        let la = format!("{DL}/personnePhysique/logementActuel/categorieLogement");
        assert!(check(&lr, &el("categorieLogementRecherche", "I")).is_none());
        assert!(check(&la, &el("categorieLogement", "I")).is_some());
        let d = format!("{DL}/personnePhysique/demandeur");
        let recue = format!("{d}/listeRessourceRecuePersACharge/detailRessource[1]/ressource");
        let versee = format!("{d}/listeRessourceVersee/detailRessource[3]/ressource");
        assert!(check(&recue, &el("ressource", "SAL")).is_none());
        assert!(check(&recue, &el("ressource", "PAV")).is_some());
        assert!(check(&versee, &el("ressource", "PAV")).is_none());
        assert!(check(&versee, &el("ressource", "SAL")).is_some());
    }

    #[test]
    fn civilite_message_quotes_the_value() {
        let p = format!("{DL}/personnePhysique/demandeur/civilite");
        let a = check(&p, &el("civilite", "9")).unwrap();
        assert_eq!(a.code, "CODE-INC");
        assert_eq!(
            a.message,
            "Le code 9 de civilite n'appartient pas à la liste des codes (1 Monsieur, 2 Madame, 3 Mademoiselle)."
        );
        // A long list gives its codes, and where their labels are.
        let m = check(&format!("{DL}/logementActuel/listeModeleLogement/modeleLogement"), &el("modeleLogement", "ZZ"))
            .unwrap()
            .message;
        assert!(m.contains("HLM, LP") && m.contains("docs/listes-de-codes.md") && !m.ends_with('…'), "{m}");
    }

    #[test]
    fn unchecked_places() {
        let mut e = el("civilite", "9");
        assert!(check(&format!("{DL}/listeDoublons/doublon[1]/demandeur/civilite"), &e).is_none());
        assert!(check(&format!("{DL}/personnePhysique/demandeur/adressePostale/commune"), &el("commune", "31555"))
            .is_none());
        e.attributes.clear();
        assert!(check(&format!("{DL}/personnePhysique/demandeur/civilite"), &e).is_none());
        assert!(check(&format!("{DL}/radiation/motifRadiation"), &el("motifRadiation", "RADATT")).is_none());
    }
}
