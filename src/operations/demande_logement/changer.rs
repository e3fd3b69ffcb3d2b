//! `MOD`, `REN`, `RAD` and `SUP`: the life of a registered application.

use super::{
    anomalie, anomalie_metier, anomalies_metier, capitalise, dossier, extrait, fichier_enregistre, verifier_guichet,
    NumUniqueParametres, TypeFichier, CHEMIN_DEMANDE,
};
use crate::contract::{self, FichierDemande, XsDate, XsDateTime};
use crate::operations::{faute_appelant, faute_interne, Contexte};
use crate::registry::{Changement, DemandeRadiation, MotifRadiation, NumUnique, RegistryError};
use crate::soap::{Fault, OutMessage};

impl NumUniqueParametres {
    /// The number a `MOD`, `REN`, `RAD` or `SUP` file names, or the anomaly that answers it. A
    /// malformed number answers like an unknown one and is not echoed.
    fn numero(&self, fichier: &FichierDemande, type_fichier: &str) -> Result<NumUnique, contract::Anomalie> {
        let propriete = format!("{CHEMIN_DEMANDE}/numUnique");
        match fichier.num_unique() {
            None => Err(anomalie(
                "DEM-NUM",
                &propriete,
                format!("Un fichier {type_fichier} porte le numUnique de la demande qu'il concerne."),
            )),
            Some(n) => NumUnique::parse(n).map_err(|e| anomalie("DEM-INC", &propriete, capitalise(&e.to_string()))),
        }
    }

    /// Applies a `MOD`, `REN` or `RAD` file.
    pub(super) async fn changer(
        self,
        fichier: FichierDemande,
        ctx: &Contexte<'_>,
        type_fichier: TypeFichier,
    ) -> Result<OutMessage, Fault> {
        verifier_guichet(&fichier, ctx)?;
        let code = type_fichier.code();
        let num = match self.numero(&fichier, code) {
            Ok(n) => n,
            Err(a) => return self.rejet(ctx, &[a]),
        };
        let changement = match changement(&fichier, type_fichier) {
            Ok(c) => c,
            Err(a) => return self.rejet(ctx, &[a]),
        };
        // Another territory's application answers as unknown, before anything about the file.
        if let Err(e) = ctx.registry.etat(ctx.appelant, &num) {
            return self.refus(ctx, e);
        }
        // The controls of a filing apply to the state a MOD or REN declares; a RAD ends the
        // application and is not held back by them.
        let reference = match &changement {
            Changement::Modifier => Some(ctx.registry.horloge().aujourd_hui()),
            Changement::Renouveler(date) => Some(*date),
            _ => None,
        };
        if let Some(reference) = reference {
            let violations = ctx.registry.controler(ctx.appelant, &dossier::dossier(&fichier), reference);
            if !violations.is_empty() {
                return self.rejet(ctx, &anomalies_metier(violations));
            }
        }
        let maintenant = XsDateTime::from_offset_datetime(ctx.registry.horloge().maintenant());
        let resultat = ctx
            .registry
            .changer(ctx.appelant, &num, changement, extrait(&fichier), |version, anciennete, _| {
                // Seniority and the file counter are the registry's; the file is stored as sent
                // otherwise (its `modifie` flags included). Rendered again if another writer got
                // in first and the version changed.
                let mut f = fichier.clone();
                let d = f.demande_logement_mut();
                d.date_creation_demande.valeur = XsDate::from_date(anciennete);
                d.liste_anomalie = None;
                f.set_increment_fichier(Some(version.to_string()));
                f.interface.entete.date_fichier = maintenant.clone();
                contract::ecrire_demande(&f)
            })
            .await;
        match resultat {
            Ok(m) => Ok(fichier_enregistre(self.nom_fichier, m.contenu, m.attestation.map(|a| (&num, a)))),
            Err(e) => self.refus(ctx, e),
        }
    }

    /// Applies a `SUP` file: the application is erased at once.
    pub(super) async fn supprimer(self, fichier: FichierDemande, ctx: &Contexte<'_>) -> Result<OutMessage, Fault> {
        verifier_guichet(&fichier, ctx)?;
        let num = match self.numero(&fichier, "SUP") {
            Ok(n) => n,
            Err(a) => return self.rejet(ctx, &[a]),
        };
        match ctx.registry.supprimer(ctx.appelant, &num).await {
            Ok(()) => {
                let mut fichier = fichier;
                fichier.demande_logement_mut().liste_anomalie = None;
                fichier.interface.entete.date_fichier =
                    XsDateTime::from_offset_datetime(ctx.registry.horloge().maintenant());
                Ok(fichier_enregistre(self.nom_fichier, contract::ecrire_demande(&fichier), None))
            }
            Err(e) => self.refus(ctx, e),
        }
    }

    fn refus(&self, ctx: &Contexte<'_>, e: RegistryError) -> Result<OutMessage, Fault> {
        match anomalie_metier(&e) {
            Some(a) => self.rejet(ctx, &[a]),
            None if e.is_caller_error() => Err(faute_appelant(capitalise(&e.to_string()))),
            None => Err(faute_interne(&e)),
        }
    }
}

/// What a `MOD`, `REN` or `RAD` file asks, from its `renouvellement` or `radiation` block.
fn changement(f: &FichierDemande, type_fichier: TypeFichier) -> Result<Changement, contract::Anomalie> {
    let d = f.demande_logement();
    let date = |v: &XsDate, chemin: &str| {
        v.to_date().ok_or_else(|| {
            anomalie("XSD-FORMAT", &format!("{CHEMIN_DEMANDE}/{chemin}"), "Cette date n'est pas représentable.".into())
        })
    };
    match type_fichier {
        TypeFichier::Ren => {
            let Some(r) = &d.renouvellement else {
                return Err(anomalie(
                    "REN-ABS",
                    &format!("{CHEMIN_DEMANDE}/renouvellement"),
                    "Un fichier REN porte l'élément renouvellement et sa dateRenouvellement.".into(),
                ));
            };
            Ok(Changement::Renouveler(date(&r.date_renouvellement.valeur, "renouvellement/dateRenouvellement")?))
        }
        TypeFichier::Rad => {
            let Some(r) = &d.radiation else {
                return Err(anomalie(
                    "RAD-ABS",
                    &format!("{CHEMIN_DEMANDE}/radiation"),
                    "Un fichier RAD porte l'élément radiation (date, motif et détails du motif ; motif vide pour annuler une radiation)."
                        .into(),
                ));
            };
            let code = r.motif_radiation.code.as_deref().unwrap_or("").trim();
            if code.is_empty() {
                return Ok(Changement::AnnulerRadiation);
            }
            // The code list was checked with the schema: an unknown code cannot reach here.
            let motif = MotifRadiation::parse(code).ok_or_else(|| {
                anomalie(
                    "CODE-INC",
                    &format!("{CHEMIN_DEMANDE}/radiation/motifRadiation/@code"),
                    "Motif de radiation inconnu.".into(),
                )
            })?;
            Ok(Changement::Radier(DemandeRadiation {
                date: date(&r.date_radiation.valeur, "radiation/dateRadiation")?,
                motif,
                sous_motif_irrecevabilite: r.sous_motif_irrecevabilite.as_ref().and_then(|c| c.code.clone()),
                type_reservataire: r.attribution_logement.as_ref().and_then(|a| a.type_reservataire.code.clone()),
                date_courrier: r
                    .absence_reponse
                    .as_ref()
                    .and_then(|a| a.date_courrier.as_ref())
                    .and_then(|d| d.valeur.to_date()),
                date_signature_bail: r
                    .attribution_logement
                    .as_ref()
                    .and_then(|a| a.date_signature_bail.valeur.to_date()),
            }))
        }
        _ => Ok(Changement::Modifier),
    }
}
