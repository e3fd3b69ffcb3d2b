//! `RechercheDemandeImplService`: `rechercheDemandeMulticritere`. The search file's criteria
//! become registry [`Criteres`]; the answer is the same file with `listeDemandes` (by filing
//! date then number) or `listeAnomalies`.

use super::fichier_xml::{self, FichierXmlParametres};
use super::{faute_appelant, faute_interne, Contexte};
use crate::contract::fichiers::{self, Genre};
use crate::contract::generated::recherche::{self as fichier, InterfaceNuu};
use crate::contract::{codes, piece, Anomalie, XsDate};
use crate::registry::recherche::{Criteres, EtatRecherche, Periode, PersonneRecherchee, RechercheError};
use crate::registry::NumUnique;
use crate::soap::{Fault, OutMessage};

/// Operations of the service by wrapper.
pub(super) const OPERATIONS: &[(&str, &str)] = &[(fichier_xml::WRAPPER, "rechercheDemandeMulticritere")];

const CHEMIN: &str = "interfaceNuu/operation/demandeMulticritere";

fn anomalie(code: &str, element: &str, message: String) -> Anomalie {
    Anomalie::new(code, Some(&format!("{CHEMIN}/{element}")), message)
}

/// The criteria of a valid file, or the business anomalies that refuse it.
fn criteres(c: &fichier::DemandeMulticritere, ctx: &Contexte<'_>) -> Result<Criteres, Vec<Anomalie>> {
    let mut anomalies = Vec::new();
    let mut jour = |element: &str, d: &Option<XsDate>| -> Option<time::Date> {
        let d = d.as_ref()?;
        let jour = d.to_date();
        if jour.is_none() {
            anomalies.push(anomalie(
                "RCH-DATE",
                element,
                format!("La date {} n'est pas une date du calendrier.", d.as_str()),
            ));
        }
        jour
    };
    let depot =
        Periode { debut: jour("dateDepotDebut", &c.date_depot_debut), fin: jour("dateDepotFin", &c.date_depot_fin) };
    let renouvellement = Periode {
        debut: jour("dateRenouvellementDebut", &c.date_renouvellement_debut),
        fin: jour("dateRenouvellementFin", &c.date_renouvellement_fin),
    };
    let radiation = Periode {
        debut: jour("dateRadiationDebut", &c.date_radiation_debut),
        fin: jour("dateRadiationFin", &c.date_radiation_fin),
    };
    for (nom, p) in [("dateDepot", depot), ("dateRenouvellement", renouvellement), ("dateRadiation", radiation)] {
        if let (Some(d), Some(f)) = (p.debut, p.fin) {
            if d > f {
                anomalies.push(anomalie(
                    "RCH-DATES",
                    &format!("{nom}Fin"),
                    format!("La période {nom} finit ({f}) avant de commencer ({d})."),
                ));
            }
        }
    }
    let num = c.num_unique.as_deref().and_then(|n| match NumUnique::parse(n.trim()) {
        Ok(n) => Some(n),
        Err(e) => {
            anomalies.push(anomalie("RCH-NUM", "numUnique", format!("Numéro unique invalide : {e}.")));
            None
        }
    });
    let etat = c.etat_demande.as_deref().and_then(|e| {
        let etat = EtatRecherche::parse(e);
        if etat.is_none() {
            anomalies.push(anomalie(
                "RCH-ETAT",
                "etatDemande",
                format!("L'état {} n'existe pas (A : active, R : radiée).", crate::text::extrait(e, 10)),
            ));
        }
        etat
    });
    let mut code = |element: &str, valeur: &Option<String>, liste: &codes::CodeList| -> Option<String> {
        let v = valeur.as_deref()?.trim();
        if v.is_empty() || !liste.codes.contains(&v) {
            anomalies.push(anomalie(
                "RCH-CODE",
                element,
                format!("Le code {} n'est pas de la liste {}.", crate::text::extrait(v, 10), liste.nom),
            ));
            return None;
        }
        Some(v.to_string())
    };
    let motif_demande = code("motifDemande", &c.motif_demande, &codes::MOTIF_DEMANDE);
    let motif_radiation = code("motifRadiation", &c.motif_radiation, &codes::MOTIF_RADIATION);
    let association = c.association.as_ref().map(|a| a.nom.clone());
    if association.as_deref().is_some_and(|n| crate::registry::normaliser(n).is_empty()) {
        anomalies.push(anomalie(
            "RCH-NOM",
            "association/nom",
            "Le nom de l'association recherchée ne contient ni lettre ni chiffre.".into(),
        ));
    }
    let personne = c.personne_recherchee.as_ref().map(|p| PersonneRecherchee {
        nom: p.nom.clone(),
        prenom: p.prenom.clone(),
        date_naissance: p.date_naissance.as_ref().and_then(XsDate::to_date),
    });
    if let Some(p) = &personne {
        if p.nom.is_none() && p.prenom.is_none() && p.date_naissance.is_none() {
            anomalies.push(anomalie(
                "RCH-PERS",
                "personneRecherchee",
                "La personne recherchée n'a ni nom, ni prénom, ni date de naissance valide.".into(),
            ));
        }
        for (element, v) in [("nom", &p.nom), ("prenom", &p.prenom)] {
            if v.as_deref().is_some_and(|n| crate::registry::normaliser(n).is_empty()) {
                anomalies.push(anomalie(
                    "RCH-NOM",
                    &format!("personneRecherchee/{element}"),
                    format!("Le {element} recherché ne contient ni lettre ni chiffre."),
                ));
            }
        }
    }
    let mut categories = Vec::new();
    for (i, code) in c.pieces_justificatives.iter().flat_map(|p| &p.code_categorie).enumerate() {
        let element = format!("piecesJustificatives/codeCategorie[{}]", i + 1);
        match piece::categorie(code) {
            None => anomalies.push(anomalie(
                "RCH-CAT",
                &element,
                format!("{} n'est pas une catégorie de pièce (tableau des catégories).", crate::text::extrait(code, 10)),
            )),
            Some(cat) if !ctx.registry.voit_categorie(ctx.appelant, cat.sensible) => anomalies.push(anomalie(
                "RCH-CAT",
                &element,
                format!(
                    "La catégorie {} est sensible : le profil {} ne voit pas ces pièces et ne peut pas chercher par elle.",
                    cat.code,
                    ctx.appelant.profil.nom()
                ),
            )),
            Some(cat) if !categories.iter().any(|c| c == cat.code) => categories.push(cat.code.to_string()),
            Some(_) => {}
        }
    }
    if !anomalies.is_empty() {
        return Err(anomalies);
    }
    Ok(Criteres {
        num,
        etat,
        depot,
        renouvellement,
        radiation,
        motif_demande,
        motif_radiation,
        commune_souhaitee: c.commune_souhaitee.clone(),
        commune_attribution: c.commune_attribution.clone(),
        delai_anormalement_long: c.est_delai_anormalement_long,
        multiples_attributions: c.est_multiples_attributions_sous_conditions,
        association,
        personne,
        categories,
    })
}

impl FichierXmlParametres {
    /// `rechercheDemandeMulticritere`.
    pub async fn rechercher(self, ctx: &Contexte<'_>) -> Result<OutMessage, Fault> {
        let lu = self.fichier::<InterfaceNuu>(ctx, Genre::Recherche).await?;
        let (mut f, anomalies) = match lu {
            Ok(f) => match criteres(&f.operation.demande_multicritere, ctx) {
                Ok(c) => {
                    let resultat = ctx.registry.rechercher(ctx.appelant, &c).await.map_err(|e| match e {
                        RechercheError::Profil { .. } => faute_appelant(format!("Accès refusé : {e}")),
                        RechercheError::Depot(e) => faute_interne(&e),
                    })?;
                    let mut anomalies = Vec::new();
                    if resultat.tronque {
                        anomalies.push(Anomalie::new(
                            "RCH-LIMITE",
                            Some("interfaceNuu/listeDemandes"),
                            format!(
                                "Plus de {max} demandes répondent aux critères : seules les {max} premières (par date de dépôt puis numéro) sont renvoyées ; précisez la recherche (recherche.max_resultats).",
                                max = ctx.registry.max_resultats()
                            ),
                        ));
                    }
                    let mut f = f;
                    f.liste_demandes = (!resultat.nums.is_empty()).then(|| fichier::ListeDemandes {
                        num_unique: resultat.nums.iter().map(ToString::to_string).collect(),
                    });
                    (f, anomalies)
                }
                Err(anomalies) => (InterfaceNuu { liste_demandes: None, ..f }, anomalies),
            },
            Err((f, anomalies)) => (InterfaceNuu { liste_demandes: None, ..f }, anomalies),
        };
        ctx.anomalies(&anomalies);
        f.liste_anomalies = fichiers::anomalies_recherche(&anomalies);
        f.version_interface = fichiers::VERSION.to_string();
        let appelant = ctx.appelant.code.as_str().to_string();
        let anomalies_seules = f.liste_anomalies.clone();
        let bytes = fichier_xml::ecrire_valide(Genre::Recherche, &f, || InterfaceNuu {
            version_interface: fichiers::VERSION.to_string(),
            entete: fichier::Entete {
                type_fichier: "RMC".into(),
                date_fichier: crate::contract::XsDateTime::from_offset_datetime(ctx.registry.horloge().maintenant()),
                code_guichet: appelant,
            },
            operation: fichier::Operation::default(),
            liste_demandes: None,
            liste_anomalies: anomalies_seules,
        });
        Ok(fichier_xml::reponse(self.nom_fichier, bytes))
    }
}
