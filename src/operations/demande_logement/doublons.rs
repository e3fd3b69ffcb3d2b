//! `getDoublons`, and the duplicate check of a `CRE`: the active applications of the territory on
//! which the applicant or a co-applicant already appears, answered in the Doublon schema.

use bytes::Bytes;

use super::{anomalie, reponse_fichier, CHEMIN_DEMANDE, TYPE_XML};
use crate::contract::types::{
    Adresse, AdresseLogement, AssociationOuPersonnePhysique, Doublon, DoublonAdresse, DoublonCodeCommune,
    DoublonCodeElement, DoublonCotitulaire, DoublonDemandeur, DoublonListeCotitulaire,
    DoublonListeLocalisationSouhaitee, DoublonLocalisationSouhaitee, DoublonLocalite, ListeDoublons, Localite,
};
use crate::contract::{self, Anomalie, FichierDemande, XsDate, NS_FICHIER};
use crate::operations::parametres::{Champ, Champs};
use crate::operations::{faute_appelant, faute_interne, Contexte};
use crate::registry::{Identite, NumUnique, RegistryError};
use crate::soap::{self, BinaryKind, Fault, OutChild, OutMessage};
use crate::xml::Element;

macro_rules! adresse {
    ($a:expr) => {
        DoublonAdresse {
            etranger: $a.etranger.valeur,
            appartement: $a.appartement.as_ref().map(|v| v.valeur.clone()),
            etage: $a.etage.as_ref().map(|v| v.valeur.clone()),
            escalier: $a.escalier.as_ref().map(|v| v.valeur.clone()),
            batiment: $a.batiment.as_ref().map(|v| v.valeur.clone()),
            comp_adresse: $a.comp_adresse.as_ref().map(|v| v.valeur.clone()),
            numero: $a.numero.as_ref().map(|v| v.valeur.clone()),
            voie: Some($a.voie.valeur.clone()),
            lieu_dit: $a.lieu_dit.as_ref().map(|v| v.valeur.clone()),
            doublon_localite: localite(&$a.localite),
            nom_hebergeant: $a.nom_hebergeant.as_ref().map(|v| v.valeur.clone()),
        }
    };
}

fn localite(l: &Localite) -> DoublonLocalite {
    match l {
        Localite::GroupeLocalite { code_postal, commune } => DoublonLocalite::DoublonGroupeLocalite {
            code_postal: Some(code_postal.valeur.clone()),
            commune: Some(DoublonCodeCommune { code: commune.code.clone() }),
        },
        Localite::GroupeLocaliteEtranger { code_postal_etranger, commune_etranger, pays } => {
            DoublonLocalite::DoublonGroupeLocaliteEtranger {
                code_postal_etranger: Some(code_postal_etranger.valeur.clone()),
                commune_etranger: Some(commune_etranger.valeur.clone()),
                pays: Some(pays.valeur.clone()),
            }
        }
    }
}

fn adresse_postale(a: &Adresse) -> DoublonAdresse {
    adresse!(a)
}

fn adresse_logement(a: &AdresseLogement) -> DoublonAdresse {
    adresse!(a)
}

/// A stored application as one `doublon`; `None` for an association (it has no person).
fn doublon_de(num: &NumUnique, f: &FichierDemande) -> Option<Doublon> {
    let AssociationOuPersonnePhysique::PersonnePhysique(p) = &f.demande_logement().association_ou_personne_physique
    else {
        return None;
    };
    let d = &p.demandeur;
    let demandeur = DoublonDemandeur {
        civilite: DoublonCodeElement { code: d.civilite.code.clone() },
        nom: d.nom.valeur.clone(),
        nom_patronymique: d.nom_patronymique.as_ref().map(|v| v.valeur.clone()),
        prenom: d.prenom.valeur.clone(),
        date_naissance: d.date_naissance.valeur.clone(),
        adresse_postale: adresse_postale(&d.adresse_postale),
        adresse_logement: p.adresse_logement.as_ref().map(adresse_logement),
    };
    let cotitulaires: Vec<DoublonCotitulaire> = p
        .liste_cotitulaire
        .iter()
        .flat_map(|l| &l.cotitulaire)
        .map(|c| DoublonCotitulaire {
            civilite: DoublonCodeElement { code: c.civilite.code.clone() },
            nom: c.nom.valeur.clone(),
            nom_patronymique: c.nom_patronymique.as_ref().map(|v| v.valeur.clone()),
            prenom: c.prenom.valeur.clone(),
            date_naissance: c.date_naissance.valeur.clone(),
        })
        .collect();
    let mut localisations: Vec<DoublonLocalisationSouhaitee> = f
        .demande_logement()
        .logement_recherche
        .iter()
        .flat_map(|l| &l.liste_localisation_souhaite.localisation_souhaite)
        .map(|l| DoublonLocalisationSouhaitee {
            commune: DoublonCodeCommune { code: l.commune.code.clone() },
            quartier: l.quartier.as_ref().map(|q| q.valeur.clone()),
        })
        .collect();
    // The Doublon schema wants at least one: an application without desired communes is
    // located by its applicant's postal commune (documented in the README).
    if localisations.is_empty() {
        if let Localite::GroupeLocalite { commune, .. } = &d.adresse_postale.localite {
            localisations.push(DoublonLocalisationSouhaitee {
                commune: DoublonCodeCommune { code: commune.code.clone() },
                quartier: None,
            });
        }
    }
    Some(Doublon {
        num_unique: num.to_string(),
        demandeur,
        liste_cotitulaire: (!cotitulaires.is_empty()).then_some(DoublonListeCotitulaire { cotitulaire: cotitulaires }),
        liste_localisation_souhaitee: DoublonListeLocalisationSouhaitee { localisation_souhaitee: localisations },
    })
}

/// The duplicates of `personnes` for the caller, read (and journaled as `operation`) and written
/// as a `listeDoublons`; `exclure` is left out (the application a `CRS` comes from).
pub(super) async fn chercher(
    ctx: &Contexte<'_>,
    personnes: &[Identite],
    exclure: Option<&NumUnique>,
    operation: &str,
) -> Result<ListeDoublons, RegistryError> {
    let mut nums = ctx.registry.doublons(ctx.appelant, personnes)?;
    nums.retain(|n| Some(n) != exclure);
    let fiches = ctx.registry.fiches(ctx.appelant, &nums, operation).await?;
    let doublon = ctx
        .compute
        .run(|| {
            fiches
                .iter()
                .filter_map(|(num, contenu)| {
                    let f = contract::lire_demande_enregistree(contenu).ok()?;
                    doublon_de(num, &f)
                })
                .collect()
        })
        .await;
    Ok(ListeDoublons { doublon })
}

/// The anomaly of a `CRE` that duplicates applications of the territory.
pub(super) fn anomalie_doublons(liste: &ListeDoublons) -> Anomalie {
    let nums: Vec<&str> = liste.doublon.iter().map(|d| d.num_unique.as_str()).collect();
    anomalie(
        "DOU-TROUVE",
        &format!("{CHEMIN_DEMANDE}/forcerDoublon"),
        format!(
            "Le demandeur ou un cotitulaire figure déjà sur {} demande(s) active(s) du territoire : {} (détail par getDoublons). Pour enregistrer malgré tout, renvoyez le fichier avec forcerDoublon à true.",
            nums.len(),
            nums.join(", ")
        ),
    )
}

/// Parameters of `getDoublons`.
#[derive(Debug)]
pub struct RechercheDoublonsParametres {
    nom_fichier: String,
    fichier: Bytes,
}

/// A person read from a partial file: each of nom, prenom and dateNaissance, or the anomaly.
fn personne(e: &Element, chemin: &str, out: &mut Vec<Identite>, anomalies: &mut Vec<Anomalie>) {
    let texte = |name: &str| {
        e.elements()
            .find(|c| c.is(Some(NS_FICHIER), name))
            .map(|c| c.text().trim().to_string())
            .filter(|t| !t.is_empty())
    };
    let mut manque = |name: &str| {
        anomalies.push(anomalie(
            "DOU-ABS",
            &format!("{chemin}/{name}"),
            format!("La recherche de doublons porte sur le nom, le prénom et la date de naissance : {name} manque."),
        ))
    };
    let (nom, prenom, date) = (texte("nom"), texte("prenom"), texte("dateNaissance"));
    if nom.is_none() {
        manque("nom");
    }
    if prenom.is_none() {
        manque("prenom");
    }
    let date = match date {
        None => {
            manque("dateNaissance");
            None
        }
        Some(d) => match XsDate::parse(&d).and_then(|d| d.to_date()) {
            Some(d) => Some(d),
            None => {
                anomalies.push(anomalie(
                    "XSD-FORMAT",
                    &format!("{chemin}/dateNaissance"),
                    format!("La date de naissance {} n'est pas une date AAAA-MM-JJ.", crate::text::extrait(&d, 30)),
                ));
                None
            }
        },
    };
    if let (Some(nom), Some(prenom), Some(date_naissance)) = (nom, prenom, date) {
        out.push(Identite { nom, nom_naissance: texte("nomPatronymique"), prenom, date_naissance });
    }
}

impl RechercheDoublonsParametres {
    /// Reads `rechercheDoublonsParametres`.
    pub fn lire(wrapper: &Element) -> Result<Self, Fault> {
        let champs = Champs::lire(
            wrapper,
            &[Champ { nom: "nomFichierDemande", requis: true }, Champ { nom: "fichierDemande", requis: true }],
        )?;
        let element = champs.get(1).expect("required field present");
        let fichier = soap::binary_content(element).map_err(|e| faute_appelant(e.to_string()))?;
        if fichier.is_empty() {
            return Err(faute_appelant("Le fichier de demande (fichierDemande) est vide.".into()));
        }
        Ok(RechercheDoublonsParametres { nom_fichier: champs.texte(0), fichier })
    }

    /// Searches the duplicates of the persons of a file, complete or partial (names and birth
    /// dates are enough: the rest of the schema is not required here).
    pub async fn executer(self, ctx: &Contexte<'_>) -> Result<OutMessage, Fault> {
        let root = super::arbre_partiel(ctx, &self.fichier, "Le fichier de recherche de doublons").await?;
        let pp = ["demande", "demandeLogement", "personnePhysique"]
            .iter()
            .try_fold(&root, |e, name| e.elements().find(|c| c.is(Some(NS_FICHIER), name)));
        let mut personnes = Vec::new();
        let mut anomalies = Vec::new();
        let chemin = format!("{CHEMIN_DEMANDE}/personnePhysique");
        match pp.and_then(|p| p.elements().find(|c| c.is(Some(NS_FICHIER), "demandeur")).map(|d| (p, d))) {
            None => anomalies.push(anomalie(
                "DOU-ABS",
                &format!("{chemin}/demandeur"),
                "La recherche de doublons porte sur une personne physique : personnePhysique/demandeur manque.".into(),
            )),
            Some((p, d)) => {
                personne(d, &format!("{chemin}/demandeur"), &mut personnes, &mut anomalies);
                let cotitulaires = p
                    .elements()
                    .filter(|c| c.is(Some(NS_FICHIER), "listeCotitulaire"))
                    .flat_map(|l| l.elements().filter(|c| c.is(Some(NS_FICHIER), "cotitulaire")));
                for (i, c) in cotitulaires.enumerate() {
                    personne(
                        c,
                        &format!("{chemin}/listeCotitulaire/cotitulaire[{}]", i + 1),
                        &mut personnes,
                        &mut anomalies,
                    );
                }
            }
        }
        let liste = if anomalies.is_empty() {
            match chercher(ctx, &personnes, None, "getDoublons").await {
                Ok(l) => l,
                Err(e) => return Err(faute_interne(&e)),
            }
        } else {
            ctx.anomalies(&anomalies);
            ListeDoublons::default()
        };
        // The request's tree, read once: the echo is written from it.
        let echo =
            ctx.compute.run(|| contract::ecrire_blocs_dans(root, &anomalies, Some(&liste))).await.ok_or_else(|| {
                faute_appelant("Le fichier de recherche de doublons n'a pas d'élément demandeLogement.".into())
            })?;
        let mut out = reponse_fichier("rechercheDoublonsReponse", self.nom_fichier, echo);
        // No duplicate: the Doublon schema wants at least one, so listeDoublons is left out.
        if !liste.doublon.is_empty() {
            let nom = super::dalo::nom_liste("DOU", ctx);
            let fichier = ctx.compute.run(|| contract::ecrire_liste_doublons(&liste)).await;
            out.children.splice(
                0..0,
                [
                    OutChild::Text { name: "nomFichierDoublons".into(), value: nom },
                    OutChild::Binary {
                        name: "listeDoublons".into(),
                        data: Bytes::from(fichier),
                        content_type: TYPE_XML.into(),
                        kind: BinaryKind::Xml,
                    },
                ],
            );
        }
        Ok(out)
    }
}
