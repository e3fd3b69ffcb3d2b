//! The labels of the code lists, and the document `docs/listes-de-codes.md` made from them.
//!
//! The contract publishes the codes; for some lists it names what a code means, for others the
//! counters' own forms do. Labels marked `*` in the document are the gateway's wording of a code
//! whose meaning the contract does not spell out. The document is generated from these tables and
//! `codes.rs` (a test keeps it fresh), so the codes the gateway enforces and the codes the
//! documentation lists are one list.

use super::codes::{self, CodeList};

/// Every list the gateway checks, in the order of the document.
pub static LISTES: &[&CodeList] = &[
    &codes::CIVILITE,
    &codes::NATIONALITE,
    &codes::SITUATION_FAMILIALE,
    &codes::LIEN_DEMANDEUR,
    &codes::CATEGORIE_LOGEMENT_RECHERCHE,
    &codes::CATEGORIE_LOGEMENT,
    &codes::TYPE_LOGEMENT,
    &codes::SEXE,
    &codes::LIEN_PARENTE,
    &codes::CO_PARENTALITE,
    &codes::TYPE_CONTRAT_TRAVAIL,
    &codes::RESSOURCE_RECUE,
    &codes::RESSOURCE_VERSEE,
    &codes::MODELE_LOGEMENT,
    &codes::MOTIF_DEMANDE,
    &codes::ETAT_HANDICAP,
    &codes::CAPACITE_MARCHE_HANDICAP,
    &codes::NATURE_HANDICAP_MOTEUR,
    &codes::NATURE_HANDICAP_SENSORIEL,
    &codes::AIDE_TECHNIQUE_HANDICAP,
    &codes::EQUIPEMENT_HANDICAP,
    &codes::MOTIF_RADIATION,
    &codes::SOUS_MOTIF_IRRECEVABILITE,
    &codes::TYPE_RESERVATAIRE,
    &codes::ZUS,
    &codes::STATUT_DALO,
    &codes::TYPOLOGIE_LOGEMENT_DALO,
    &codes::DEJA_LOGE_PARC_BAILLEUR,
    &codes::ACCORD_COLLECTIF,
    &codes::TYPE_LOGEMENT_RPLS,
];

/// (list, code, label); a label starting with `*` is the gateway's own wording.
static LIBELLES: &[(&str, &str, &str)] = &[
    ("civilite", "1", "Monsieur"),
    ("civilite", "2", "Madame"),
    ("civilite", "3", "Mademoiselle"),
    ("nationalite", "1", "Française"),
    ("nationalite", "2", "Union européenne"),
    ("nationalite", "3", "Hors Union européenne"),
    ("situationFamiliale", "C", "Célibataire"),
    ("situationFamiliale", "M", "Marié(e)"),
    ("situationFamiliale", "D", "Divorcé(e)"),
    ("situationFamiliale", "S", "Séparé(e)"),
    ("situationFamiliale", "P", "Pacsé(e)"),
    ("situationFamiliale", "U", "Union libre"),
    ("situationFamiliale", "V", "Veuf, veuve"),
    ("lienDemandeur", "M", "Conjoint(e)"),
    ("lienDemandeur", "P", "Partenaire de PACS"),
    ("lienDemandeur", "C", "Concubin(e)"),
    ("lienDemandeur", "L", "Colocataire"),
    ("categorieLogementRecherche", "A", "Appartement"),
    ("categorieLogementRecherche", "M", "Maison"),
    ("categorieLogementRecherche", "I", "Indifférent"),
    ("categorieLogement", "A", "Appartement"),
    ("categorieLogement", "M", "Maison"),
    ("typeLogement", "C", "Chambre"),
    ("typeLogement", "T1", "T1"),
    ("typeLogement", "T2", "T2"),
    ("typeLogement", "T3", "T3"),
    ("typeLogement", "T4", "T4"),
    ("typeLogement", "T5", "T5"),
    ("typeLogement", "T6P", "T6 et plus"),
    ("sexe", "M", "Masculin"),
    ("sexe", "F", "Féminin"),
    ("lienParente", "P", "Parent"),
    ("lienParente", "E", "Enfant"),
    ("lienParente", "A", "Autre"),
    ("coParentalite", "G", "Garde alternée"),
    ("coParentalite", "D", "Droit de visite"),
    ("typeContratTravail", "CDI", "*Contrat à durée indéterminée ou titulaire"),
    ("typeContratTravail", "CDD", "*Contrat à durée déterminée, intérim"),
    ("typeContratTravail", "ART", "*Artisan, commerçant, profession libérale"),
    ("typeContratTravail", "CHO", "*Sans emploi"),
    ("typeContratTravail", "APP", "*Apprenti"),
    ("typeContratTravail", "ETU", "*Étudiant"),
    ("typeContratTravail", "RET", "*Retraité"),
    ("typeContratTravail", "AUT", "*Autre"),
    ("ressource (reçue)", "SAL", "*Salaires et revenus d'activité"),
    ("ressource (reçue)", "RET", "*Retraite"),
    ("ressource (reçue)", "CHO", "*Allocations chômage"),
    ("ressource (reçue)", "PAR", "*Pension alimentaire reçue"),
    ("ressource (reçue)", "PINV", "*Pension d'invalidité"),
    ("ressource (reçue)", "AF", "*Allocations familiales"),
    ("ressource (reçue)", "AAH", "*Allocation aux adultes handicapés"),
    ("ressource (reçue)", "AEEH", "*Allocation d'éducation de l'enfant handicapé"),
    ("ressource (reçue)", "AJPP", "*Allocation journalière de présence parentale"),
    ("ressource (reçue)", "RSA", "*Revenu de solidarité active"),
    ("ressource (reçue)", "AMV", "*Allocation du minimum vieillesse"),
    ("ressource (reçue)", "PAJE", "*Prestation d'accueil du jeune enfant"),
    ("ressource (reçue)", "BE", "*Bourse d'études"),
    ("ressource (reçue)", "AUT", "*Autres ressources"),
    ("ressource (versée)", "PAV", "*Pension alimentaire versée"),
    ("modeleLogement", "HLM", "*Locataire d'un logement social"),
    ("modeleLogement", "LP", "*Locataire du parc privé"),
    ("modeleLogement", "RS", "*Résidence sociale, foyer, pension de famille"),
    ("modeleLogement", "RHVS", "*Résidence hôtelière à vocation sociale"),
    ("modeleLogement", "RE", "*Résidence étudiante"),
    ("modeleLogement", "SLHT", "*Sous-locataire ou hébergé à titre temporaire"),
    ("modeleLogement", "SH", "*Structure d'hébergement"),
    ("modeleLogement", "CDEFCM", "*Centre de l'enfance et de la famille, centre maternel"),
    ("modeleLogement", "CPE", "*Chez ses parents ou ses enfants"),
    ("modeleLogement", "CP", "*Chez un particulier"),
    ("modeleLogement", "LTG", "*Logé à titre gratuit"),
    ("modeleLogement", "FONC", "*Logement de fonction"),
    ("modeleLogement", "POCC", "*Propriétaire occupant"),
    ("modeleLogement", "CAMCAR", "*Camping, caravane"),
    ("modeleLogement", "HOT", "*Hôtel"),
    ("modeleLogement", "SD", "*Sans abri, abri de fortune"),
    ("modeleLogement", "SQUAT", "*Squat"),
    ("motifDemande", "01", "*Sans logement propre"),
    ("motifDemande", "02", "*Démolition"),
    ("motifDemande", "03", "*Logement non décent, insalubre ou dangereux"),
    ("motifDemande", "04", "*Local impropre à l'habitation"),
    ("motifDemande", "05", "*Logement repris ou mis en vente par son propriétaire"),
    ("motifDemande", "06", "*Procédure d'expulsion"),
    ("motifDemande", "07", "*Violences familiales"),
    ("motifDemande", "08", "*Handicap"),
    ("motifDemande", "09", "*Raisons de santé"),
    ("motifDemande", "10", "*Logement trop cher"),
    ("motifDemande", "11", "*Logement trop grand"),
    ("motifDemande", "12", "*Divorce, séparation"),
    ("motifDemande", "13", "*Décohabitation"),
    ("motifDemande", "14", "*Futur couple"),
    ("motifDemande", "15", "*Regroupement familial"),
    ("motifDemande", "16", "*Assistant(e) maternel(le) ou familial(e)"),
    ("motifDemande", "17", "*Problèmes d'environnement ou de voisinage"),
    ("motifDemande", "18", "*Mutation professionnelle"),
    ("motifDemande", "19", "*Rapprochement du lieu de travail"),
    ("motifDemande", "20", "*Rapprochement des équipements et services"),
    ("motifDemande", "21", "*Rapprochement de la famille"),
    ("motifDemande", "22", "*Accédant à la propriété en difficulté"),
    ("motifDemande", "23", "Autre motif, précisé dans compAutreMotif"),
    ("etatHandicap", "STA", "*Stabilisé"),
    ("etatHandicap", "EVO", "*Évolutif"),
    ("capaciteMarcheHandicap", "1", "*Niveau 1"),
    ("capaciteMarcheHandicap", "2", "*Niveau 2"),
    ("capaciteMarcheHandicap", "3", "*Niveau 3"),
    ("capaciteMarcheHandicap", "4", "*Niveau 4"),
    ("natureHandicapMoteur", "MS", "*Membres supérieurs"),
    ("natureHandicapMoteur", "MI", "*Membres inférieurs"),
    ("natureHandicapSensoriel", "DA", "*Déficience auditive"),
    ("natureHandicapSensoriel", "DV", "*Déficience visuelle"),
    ("aideTechniqueHandicap", "1", "*Aide technique 1 du formulaire"),
    ("aideTechniqueHandicap", "2", "*Aide technique 2 du formulaire"),
    ("aideTechniqueHandicap", "3", "*Aide technique 3 du formulaire"),
    ("aideTechniqueHandicap", "4", "*Aide technique 4 du formulaire"),
    ("aideTechniqueHandicap", "5", "*Aide technique 5 du formulaire"),
    ("aideTechniqueHandicap", "6", "*Aide technique 6 du formulaire"),
    ("aideTechniqueHandicap", "7", "*Aide technique 7 du formulaire"),
    ("equipementHandicap", "1", "*Équipement 1 du formulaire"),
    ("equipementHandicap", "2", "*Équipement 2 du formulaire"),
    ("equipementHandicap", "3", "*Équipement 3 du formulaire"),
    ("equipementHandicap", "4", "*Équipement 4 du formulaire"),
    ("equipementHandicap", "5", "*Équipement 5 du formulaire"),
    ("equipementHandicap", "6", "*Équipement 6 du formulaire"),
    ("motifRadiation", "RADABA", "Renoncement du demandeur"),
    ("motifRadiation", "RADATT", "Attribution d'un logement"),
    ("motifRadiation", "RADIRR", "Irrecevabilité"),
    ("motifRadiation", "RADCON", "Demandeur injoignable"),
    ("motifRadiation", "RADREN", "Non-renouvellement"),
    ("motifRadiation", "", "(vide) annulation de la radiation"),
    ("sousMotifIrrecevabilite", "IRRSEJ", "Séjour irrégulier"),
    ("sousMotifIrrecevabilite", "IRRRES", "Ressources au-delà des plafonds"),
    ("typeReservataire", "COLTER", "*Collectivité territoriale"),
    ("typeReservataire", "COLACT", "*Action Logement"),
    ("typeReservataire", "PPRIOR", "*Préfet, publics prioritaires"),
    ("typeReservataire", "PFONCT", "*Préfet, agents publics"),
    ("typeReservataire", "AUTRES", "*Autre réservataire"),
    ("typeReservataire", "AUCUN", "*Aucun réservataire"),
    ("zus", "ZUSOUI", "*En zone urbaine sensible"),
    ("zus", "ZUSNON", "*Hors zone urbaine sensible"),
    ("zus", "ZUSNSP", "*Ne sait pas"),
    ("statutDalo", "NON", "*Pas de décision DALO"),
    ("statutDalo", "ACTIF", "*Décision favorable en cours"),
    ("statutDalo", "CADUC", "*Décision caduque"),
    ("statutDalo", "ACTREL", "*Décision favorable, demandeur relogé"),
    ("dejaLogeParcBailleur", "OUI", "*Oui"),
    ("dejaLogeParcBailleur", "NON", "*Non"),
    ("dejaLogeParcBailleur", "NONDOC", "*Non renseigné"),
    ("accordCollectif", "ACD", "*Accord collectif départemental"),
    ("accordCollectif", "ACI", "*Accord collectif intercommunal"),
    ("accordCollectif", "AUCUN", "*Aucun"),
    ("accordCollectif", "NONDOC", "*Non renseigné"),
    ("typeLogement RPLS", "T9P", "T9 et plus"),
];

/// The label of `code` in the list named `liste`.
pub fn libelle(liste: &str, code: &str) -> Option<&'static str> {
    LIBELLES.iter().find(|(l, c, _)| *l == liste && *c == code).map(|(_, _, t)| *t)
}

/// What the label of a code is in the document: its own, or the code itself for the numbered
/// types whose label is the code (`T1`..., DALO typologies).
fn affiche(liste: &str, code: &str) -> String {
    match libelle(liste, code) {
        Some(t) => t.to_string(),
        None if liste == "typeLogement RPLS" => code.to_string(),
        None if liste == "typologieLogementDalo" => format!("*Typologie {code} du relevé DALO"),
        None => String::new(),
    }
}

/// `docs/listes-de-codes.md`.
pub fn document() -> String {
    let mut out = String::from(
        "# Listes de codes\n\nGénéré depuis `src/contract/codes.rs` et `src/contract/libelles.rs` ; ne pas modifier à la main \
         (`UPDATE_GENERATED=1 cargo test listes_de_codes_a_jour`).\n\n\
         Ce sont les listes de 2017 que la passerelle contrôle sur les attributs `code` : un code hors de sa liste \
         est l'anomalie `CODE-INC`, avec le chemin de l'élément dans `propriete`. Un libellé marqué `*` est la \
         formulation de la passerelle pour un code dont le contrat ne donne que la valeur.\n",
    );
    for liste in LISTES {
        out.push_str(&format!("\n## {}\n\n| code | libellé |\n|---|---|\n", liste.nom));
        for code in liste.codes {
            let shown = if code.is_empty() { "(vide)".to_string() } else { format!("`{code}`") };
            out.push_str(&format!("| {shown} | {} |\n", affiche(liste.nom, code)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_a_label_and_every_label_a_code() {
        for liste in LISTES {
            for code in liste.codes {
                assert!(!affiche(liste.nom, code).is_empty(), "{} {code:?} sans libellé", liste.nom);
            }
        }
        for (l, c, _) in LIBELLES {
            let liste = LISTES.iter().find(|x| x.nom == *l).unwrap_or_else(|| panic!("liste {l} inconnue"));
            assert!(liste.codes.contains(c), "libellé pour un code absent : {l} {c}");
        }
    }

    #[test]
    fn every_list_of_codes_rs_is_documented() {
        let source = include_str!("codes.rs");
        let declared = source.matches("\nlist!(").count();
        assert_eq!(declared, LISTES.len(), "une liste de codes.rs manque à LISTES (et au document)");
    }

    #[test]
    fn listes_de_codes_a_jour() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/listes-de-codes.md");
        let fresh = document();
        if std::env::var_os("UPDATE_GENERATED").is_some() {
            std::fs::write(&path, &fresh).unwrap();
        }
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            current == fresh,
            "docs/listes-de-codes.md n'est plus à jour : lancez `UPDATE_GENERATED=1 cargo test listes_de_codes_a_jour` et commitez"
        );
    }
}
