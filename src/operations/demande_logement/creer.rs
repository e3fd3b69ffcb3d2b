//! `CRE` and `CRS`: a new application and its number.

use super::{
    anomalie, anomalie_metier, anomalies_metier, dossier, doublons, extrait, fichier_enregistre, verifier_guichet,
    NumUniqueParametres, CHEMIN_DEMANDE,
};
use crate::contract::{self, FichierDemande, XsDateTime};
use crate::operations::{faute_appelant, faute_interne, Contexte};
use crate::registry::{NouvelleDemande, NumUnique};
use crate::soap::{Fault, OutMessage};

impl NumUniqueParametres {
    /// Registers the file; `crs` when it comes from a separated couple's application
    /// (`numUniqueAssocie`, whose seniority it keeps).
    pub(super) async fn creer(
        self,
        mut fichier: FichierDemande,
        ctx: &Contexte<'_>,
        crs: bool,
    ) -> Result<OutMessage, Fault> {
        verifier_guichet(&fichier, ctx)?;
        let type_fichier = if crs { "CRS" } else { "CRE" };
        let mut anomalies = Vec::new();
        if fichier.num_unique().is_some() {
            anomalies.push(anomalie(
                "CRE-NUM",
                &format!("{CHEMIN_DEMANDE}/numUnique"),
                format!(
                    "Un fichier {type_fichier} ne porte pas de numUnique : le numéro est attribué par le registre."
                ),
            ));
        }
        let num_associe = match (crs, fichier.num_unique_associe()) {
            (false, _) => None,
            (true, None) => {
                anomalies.push(anomalie(
                    "CRS-ASSOC",
                    &format!("{CHEMIN_DEMANDE}/numUniqueAssocie"),
                    "Un fichier CRS porte le numUniqueAssocie de la demande dont il est issu (séparation du couple)."
                        .into(),
                ));
                None
            }
            (true, Some(n)) => match NumUnique::parse(n) {
                Ok(n) => Some(n),
                Err(_) => {
                    anomalies.push(anomalie(
                        "CRS-ASSOC",
                        &format!("{CHEMIN_DEMANDE}/numUniqueAssocie"),
                        "Le numUniqueAssocie n'est pas un numéro unique (18 caractères) d'une demande accessible à votre guichet."
                            .into(),
                    ));
                    None
                }
            },
        };
        let Some(date_depot) = fichier.date_creation_demande().to_date() else {
            // The validator already checked the lexical form; a date `time` cannot represent
            // (year beyond its range) is still the caller's problem.
            anomalies.push(anomalie(
                "XSD-FORMAT",
                &format!("{CHEMIN_DEMANDE}/dateCreationDemande"),
                "La date de création de la demande n'est pas une date représentable.".into(),
            ));
            return self.rejet(ctx, &anomalies);
        };
        anomalies.extend(anomalies_metier(ctx.registry.controler(
            ctx.appelant,
            &dossier::dossier(&fichier),
            date_depot,
        )));
        let e = extrait(&fichier);
        let nouvelle = NouvelleDemande {
            num_guichet: ctx.appelant.code.clone(),
            date_depot,
            demandeur: e.demandeur,
            identites: e.identites,
            communes: e.communes,
            faits: e.faits,
            complet: self.complet,
            num_associe,
            ref_interne: fichier.demande_logement().ref_interne.as_ref().map(|r| r.valeur.clone()),
            dalo: fichier.interface.demande.information_dalo.as_ref().and_then(|i| {
                let statut = i.statut_dalo.as_ref()?.code.clone()?;
                Some((statut, i.date_decision_dalo.as_ref().and_then(|d| d.valeur.to_date())))
            }),
        };
        anomalies.extend(
            nouvelle.regles_non_respectees(ctx.registry.horloge().aujourd_hui()).iter().filter_map(anomalie_metier),
        );
        if !anomalies.is_empty() {
            return self.rejet(ctx, &anomalies);
        }
        // Duplicates: a person already on an active application of the territory, unless the
        // counter forces the registration (the application a CRS comes from is expected).
        let forcer = fichier.demande_logement().forcer_doublon.as_ref().is_some_and(|v| v.valeur);
        // A retry (same counter, same refInterne) answers the first registration: it is not a
        // duplicate of itself.
        let reprise = match &nouvelle.ref_interne {
            Some(r) => ctx.registry.par_reference(ctx.appelant, r).map_err(|e| faute_interne(&e))?.is_some(),
            None => false,
        };
        if !forcer && !reprise {
            let liste =
                doublons::chercher(ctx, &nouvelle.identites, nouvelle.num_associe.as_ref(), "getNumUnique/doublons")
                    .await
                    .map_err(|e| faute_interne(&e))?;
            // The numbers go in the message only: a refused CRE carries no `numUnique` element
            // anywhere, not even a duplicate's (getDoublons gives the details).
            if !liste.doublon.is_empty() {
                return self.rejet(ctx, &[doublons::anomalie_doublons(&liste)]);
            }
        }
        let maintenant = XsDateTime::from_offset_datetime(ctx.registry.horloge().maintenant());
        let enregistrement = ctx
            .registry
            .enregistrer(ctx.appelant, nouvelle, |num, anciennete| {
                // The server fills in the number, the seniority, the file counter and the file
                // date on the way back.
                fichier.set_num_unique(Some(num.as_str().to_string()));
                fichier.demande_logement_mut().date_creation_demande.valeur = contract::XsDate::from_date(anciennete);
                fichier.set_increment_fichier(Some("1".to_string()));
                fichier.demande_logement_mut().liste_anomalie = None;
                fichier.interface.entete.date_fichier = maintenant;
                contract::ecrire_demande(&fichier)
            })
            .await;
        match enregistrement {
            Ok(e) => {
                ctx.bilan().reprise = e.reprise;
                Ok(fichier_enregistre(self.nom_fichier, e.contenu, Some((&e.num_unique, e.attestation))))
            }
            Err(e) if anomalie_metier(&e).is_some() => self.rejet(ctx, &[anomalie_metier(&e).expect("checked")]),
            Err(e) if e.is_caller_error() => Err(faute_appelant(super::capitalise(&e.to_string()))),
            Err(e) => Err(faute_interne(&e)),
        }
    }
}
