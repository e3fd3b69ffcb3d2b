//! `GestionPartageeEVTImplService`: six operations on one wrapper (`fichierXmlParametres`), so
//! the action chooses the operation, and the operation the schema of the file (event types or
//! events). The answer is the request's file completed with the list, or with `listeAnomalies`.

use super::fichier_xml::{self, FichierXmlParametres};
use super::{faute_appelant, faute_interne, Contexte};
use crate::contract::fichiers::{self, Genre};
use crate::contract::generated::{evenement as fe, type_evenement as ft};
use crate::contract::{Anomalie, XsDate, XsDateTime};
use crate::registry::depot::{Evenement, TypeEvenement};
use crate::registry::evenements::{
    derniere_modification, EvenementError, EvenementLu, RefusEvenement, SaisieEvenement,
};
use crate::registry::NumUnique;
use crate::soap::{Fault, OutMessage};

/// Operations of the service: all on one wrapper.
pub(super) const OPERATIONS: &[(&str, &str)] = &[
    (fichier_xml::WRAPPER, "listerTypesEvenementsNationaux"),
    (fichier_xml::WRAPPER, "listerTypesEvenementsTerritoriaux"),
    (fichier_xml::WRAPPER, "listerEvenementsDemande"),
    (fichier_xml::WRAPPER, "ajouterEvenementDemande"),
    (fichier_xml::WRAPPER, "modifierEvenementDemande"),
    (fichier_xml::WRAPPER, "supprimerEvenementDemande"),
];

/// Most characters of a text the event file's element takes.
fn borne(s: &str, max: usize) -> String {
    s.chars().take(max).collect()
}

fn date(d: Option<time::Date>) -> Option<XsDate> {
    d.map(XsDate::from_date)
}

/// A type as `t_typeEvenement` writes it.
fn type_xml(t: &TypeEvenement) -> ft::TypeEvenement {
    ft::TypeEvenement {
        code_type_evenement: t.code.clone(),
        texte_descriptif_pgp: borne(&t.texte_pgp, 500),
        texte_descriptif_sne: borne(&t.texte_sne, 500),
        a_publier_sur_pgp: t.a_publier,
        utilisable_multiples_attributions_sous_conditions: t.multiples_attributions,
        utilisable_recherche_instruction: t.recherche_instruction,
        reglementaire: t.reglementaire,
        date_debut_validite: date(t.debut_validite),
        date_fin_validite: date(t.fin_validite),
        code_territoire: t.territoire.clone(),
        libelle_type_evenement: Some(ft::LibelleTypeEvenement { libelle: borne(&t.libelle, 100) }),
        liste_caracteristiques_specifiques: (!t.caracteristiques.is_empty()).then(|| {
            ft::ListeCaracteristiquesSpecifiques {
                caracteristique_specifique: t
                    .caracteristiques
                    .iter()
                    .map(|c| ft::CaracteristiqueSpecifique {
                        code: c.code.clone(),
                        libelle: borne(&c.libelle, 100),
                        type_caracteristique_specifique: c.type_valeur.clone(),
                        obligatoire: c.obligatoire,
                        texte_descriptif: borne(&c.texte_descriptif, 500),
                        aide_a_la_saisie: borne(&c.aide_a_la_saisie, 500),
                        date_debut_validite: date(c.debut_validite),
                        date_fin_validite: date(c.fin_validite),
                    })
                    .collect(),
            }
        }),
    }
}

fn texte(c: &crate::registry::depot::Contenu) -> String {
    String::from_utf8_lossy(&c.0).into_owned()
}

/// An event as `t_evenement` writes it; `suppression` (who, when) for the answer to a deletion.
fn evenement_xml(e: &EvenementLu, suppression: Option<(&str, time::OffsetDateTime)>) -> fe::Evenement {
    let ev: &Evenement = &e.evenement;
    let t = e.type_evenement.as_ref();
    let derniere = match suppression {
        Some((qui, quand)) => Some((qui.to_string(), quand, "SUPPR".to_string())),
        None => derniere_modification(ev).map(|(qui, quand, nature)| (qui.to_string(), quand, nature.to_string())),
    };
    fe::Evenement {
        id_evenement: i64::try_from(ev.id).ok(),
        code_type_evenement: Some(ev.code_type.clone()),
        libelle_type_evenement: t.map(|t| borne(&t.libelle, 100)),
        auteur_creation: Some(ev.creation.0.clone()),
        date_creation: Some(XsDateTime::from_offset_datetime(ev.creation.1)),
        auteur_modification: derniere.as_ref().map(|d| d.0.clone()),
        date_modification: derniere.as_ref().map(|d| XsDateTime::from_offset_datetime(d.1)),
        nature_modification: derniere.as_ref().map(|d| borne(&d.2, 6)),
        date_survenance: date(ev.date_survenance),
        commentaire: ev.commentaire.as_ref().map(|c| borne(&texte(c), 500)),
        reglementaire: Some(ev.reglementaire),
        liste_caracteristiques_specifiques: (!ev.valeurs.is_empty()).then(|| fe::ListeCaracteristiquesSpecifiques {
            caracteristique_specifique: ev
                .valeurs
                .iter()
                .map(|(code, v)| {
                    let c = t.and_then(|t| t.caracteristiques.iter().find(|c| c.code == *code));
                    fe::CaracteristiqueSpecifique {
                        code: code.clone(),
                        libelle: c.map(|c| borne(&c.libelle, 100)),
                        texte_descriptif: c.map(|c| borne(&c.texte_descriptif, 500)),
                        valeur_caracteristique_specifique: Some(borne(&texte(v), 100)),
                    }
                })
                .collect(),
        }),
    }
}

/// What the counter gives of an event.
fn saisie(e: &fe::Evenement) -> SaisieEvenement {
    SaisieEvenement {
        code_type: e.code_type_evenement.clone().unwrap_or_default(),
        date_survenance: e.date_survenance.as_ref().and_then(XsDate::to_date),
        commentaire: e.commentaire.clone(),
        valeurs: e
            .liste_caracteristiques_specifiques
            .iter()
            .flat_map(|l| &l.caracteristique_specifique)
            .map(|c| (c.code.clone(), c.valeur_caracteristique_specifique.clone().unwrap_or_default()))
            .collect(),
    }
}

fn refus(r: &RefusEvenement, propriete: &str) -> Anomalie {
    Anomalie::new(r.code(), Some(propriete), format!("{}.", super::capitalise(&r.to_string())))
}

/// A registry failure: a refusal becomes an anomaly, the rest a fault.
fn echec(e: EvenementError, propriete: &str) -> Result<Anomalie, Fault> {
    match e {
        EvenementError::Refus(r) => Ok(refus(&r, propriete)),
        EvenementError::Profil { .. } => Err(faute_appelant(format!("Accès refusé : {e}"))),
        EvenementError::Concurrence(_) => Err(faute_appelant(super::capitalise(&e.to_string()))),
        EvenementError::Depot(e) => Err(faute_interne(&e)),
    }
}

impl FichierXmlParametres {
    /// `listerTypesEvenementsNationaux` and `listerTypesEvenementsTerritoriaux`.
    pub async fn lister_types(self, ctx: &Contexte<'_>, territoriaux: bool) -> Result<OutMessage, Fault> {
        let (mut f, anomalies) = match self.fichier::<ft::InterfaceNuu>(ctx, Genre::TypesEvenements).await? {
            Err((f, anomalies)) => (f, anomalies),
            Ok(mut f) => {
                let types = if territoriaux {
                    match f.operation.as_ref().map(|o| o.code_territoire.clone()) {
                        None => Err(EvenementError::Refus(RefusEvenement::Territoire("(absent)".into()))),
                        Some(t) => ctx.registry.types_territoriaux(ctx.appelant, &t),
                    }
                } else {
                    ctx.registry.types_nationaux(ctx.appelant)
                };
                match types {
                    Ok(types) => {
                        f.liste_types_evenements = (!types.is_empty())
                            .then(|| ft::ListeTypesEvenements { type_evenement: types.iter().map(type_xml).collect() });
                        (f, Vec::new())
                    }
                    Err(e) => (f, vec![echec(e, "interfaceNuu/operation/codeTerritoire")?]),
                }
            }
        };
        ctx.anomalies(&anomalies);
        if !anomalies.is_empty() {
            f.liste_types_evenements = None;
        }
        f.liste_anomalies = fichiers::anomalies_types(&anomalies);
        let minimal = || ft::InterfaceNuu {
            version_interface: fichiers::VERSION.into(),
            entete: entete_type(ctx),
            operation: None,
            liste_types_evenements: None,
            liste_anomalies: fichiers::anomalies_types(&anomalies),
        };
        let bytes = fichier_xml::ecrire_valide(Genre::TypesEvenements, &f, minimal);
        Ok(fichier_xml::reponse(self.nom_fichier, bytes))
    }

    /// The four operations on the events of an application.
    pub async fn evenements(self, ctx: &Contexte<'_>, operation: &'static str) -> Result<OutMessage, Fault> {
        let (mut f, anomalies) = match self.fichier::<fe::InterfaceNuu>(ctx, Genre::Evenements).await? {
            Err((f, anomalies)) => (f, anomalies),
            Ok(f) => executer(f, ctx, operation).await?,
        };
        ctx.anomalies(&anomalies);
        if !anomalies.is_empty() {
            f.liste_evenements = None;
        }
        f.liste_anomalies = fichiers::anomalies_evenements(&anomalies);
        let num = f.operation.num_unique.clone();
        let minimal = || fe::InterfaceNuu {
            version_interface: fichiers::VERSION.into(),
            entete: fe::Entete {
                type_fichier: "EVT".into(),
                date_fichier: XsDateTime::from_offset_datetime(ctx.registry.horloge().maintenant()),
                code_guichet: ctx.appelant.code.as_str().to_string(),
            },
            operation: fe::Operation { num_unique: borne(&num, 18) },
            liste_evenements: None,
            liste_anomalies: fichiers::anomalies_evenements(&anomalies),
        };
        let bytes = fichier_xml::ecrire_valide(Genre::Evenements, &f, minimal);
        Ok(fichier_xml::reponse(self.nom_fichier, bytes))
    }
}

fn entete_type(ctx: &Contexte<'_>) -> ft::Entete {
    ft::Entete {
        type_fichier: "TEVT".into(),
        date_fichier: XsDateTime::from_offset_datetime(ctx.registry.horloge().maintenant()),
        code_guichet: ctx.appelant.code.as_str().to_string(),
    }
}

/// Applies one event operation to a valid file: the file with its list, and the anomalies.
async fn executer(
    mut f: fe::InterfaceNuu,
    ctx: &Contexte<'_>,
    operation: &'static str,
) -> Result<(fe::InterfaceNuu, Vec<Anomalie>), Fault> {
    const NUM: &str = "interfaceNuu/operation/numUnique";
    const EVT: &str = "interfaceNuu/listeEvenements/evenement";
    let num = match NumUnique::parse(f.operation.num_unique.trim()) {
        Ok(n) => n,
        Err(e) => {
            let a = Anomalie::new("EVT-DEM", Some(NUM), format!("Numéro unique invalide : {e}."));
            return Ok((f, vec![a]));
        }
    };
    let registry = ctx.registry;
    let entrees: Vec<fe::Evenement> = f.liste_evenements.take().map(|l| l.evenement).unwrap_or_default();
    let une = |entrees: &[fe::Evenement]| -> Result<fe::Evenement, Anomalie> {
        match entrees {
            [e] => Ok(e.clone()),
            _ => Err(Anomalie::new(
                "EVT-NOMBRE",
                Some("interfaceNuu/listeEvenements"),
                format!("{operation} porte exactement un événement dans listeEvenements ({} reçu(s)).", entrees.len()),
            )),
        }
    };
    let id_de = |e: &fe::Evenement| -> Result<u64, Anomalie> {
        e.id_evenement.and_then(|i| u64::try_from(i).ok()).ok_or_else(|| {
            Anomalie::new(
                "EVT-INC",
                Some(&format!("{EVT}/idEvenement")),
                format!("{operation} désigne l'événement par idEvenement, absent."),
            )
        })
    };
    let resultat: Result<Vec<fe::Evenement>, Anomalie> = match operation {
        "listerEvenementsDemande" => match registry.lister_evenements(ctx.appelant, &num).await {
            Ok(liste) => Ok(liste.iter().map(|e| evenement_xml(e, None)).collect()),
            Err(e) => Err(echec(e, NUM)?),
        },
        "ajouterEvenementDemande" => match une(&entrees) {
            Err(a) => Err(a),
            Ok(e) => match registry.ajouter_evenement(ctx.appelant, &num, saisie(&e)).await {
                Ok(lu) => Ok(vec![evenement_xml(&lu, None)]),
                Err(err) => Err(echec(err, EVT)?),
            },
        },
        "modifierEvenementDemande" => match une(&entrees).and_then(|e| id_de(&e).map(|id| (e, id))) {
            Err(a) => Err(a),
            Ok((e, id)) => {
                let nature = e.nature_modification.clone();
                match registry.modifier_evenement(ctx.appelant, &num, id, saisie(&e), nature).await {
                    Ok(lu) => Ok(vec![evenement_xml(&lu, None)]),
                    Err(err) => Err(echec(err, EVT)?),
                }
            }
        },
        _ => match une(&entrees).and_then(|e| id_de(&e)) {
            Err(a) => Err(a),
            Ok(id) => match registry.supprimer_evenement(ctx.appelant, &num, id).await {
                Ok(evenement) => {
                    let lu = EvenementLu { type_evenement: None, evenement };
                    let quand = registry.horloge().maintenant();
                    Ok(vec![evenement_xml(&lu, Some((ctx.appelant.code.as_str(), quand)))])
                }
                Err(err) => Err(echec(err, EVT)?),
            },
        },
    };
    match resultat {
        Ok(liste) => {
            f.liste_evenements = (!liste.is_empty()).then_some(fe::ListeEvenements { evenement: liste });
            Ok((f, Vec::new()))
        }
        Err(a) => Ok((f, vec![a])),
    }
}
