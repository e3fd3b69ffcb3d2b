//! `getDemandeLogement`: the current file of an application.

use super::{anomalie, capitalise, nom_fichier, reponse_fichier, CHEMIN_DEMANDE};
use crate::contract::{self, types, Valeur, XsDate, XsDateTime};
use crate::operations::parametres::{Champ, Champs};
use crate::operations::{faute_appelant, faute_interne, Contexte};
use crate::registry::depot::Radiation;
use crate::registry::{NumUnique, RegistryError};
use crate::soap::{Fault, OutMessage};
use crate::xml::Element;

/// Parameters of `getDemandeLogement`.
#[derive(Debug)]
pub struct DemandeLogementParametres {
    num_unique: String,
    /// A past version (the gateway's history extension), or the current state.
    version: Option<u32>,
}

impl DemandeLogementParametres {
    /// Reads `demandeLogementParametres`.
    pub fn lire(wrapper: &Element) -> Result<Self, Fault> {
        let champs = Champs::lire(
            wrapper,
            &[
                Champ { nom: "numUnique", requis: true },
                Champ { nom: "nomCertificat", requis: true },
                Champ { nom: "certificat", requis: true },
                Champ { nom: "complet", requis: false },
                Champ { nom: "version", requis: false },
            ],
        )?;
        // `complet` (any string) is accepted for compatibility: the whole file is always returned.
        let version = match champs.get(4) {
            None => None,
            Some(e) => Some(e.text().trim().parse::<u32>().ok().filter(|v| *v > 0).ok_or_else(|| {
                faute_appelant(format!(
                    "version {} invalide : un entier positif est attendu (1 pour l'enregistrement).",
                    crate::operations::extrait(e.text().trim())
                ))
            })?),
        };
        Ok(DemandeLogementParametres { num_unique: champs.texte(0), version })
    }

    /// Reads the stored file back.
    pub async fn executer(self, ctx: &Contexte<'_>) -> Result<OutMessage, Fault> {
        let guichet = ctx.appelant.code.as_str();
        let inconnue = |num: Option<&str>, message: String| {
            ctx.bilan().anomalies.push("DEM-INC".into());
            let file = contract::ecrire_reponse_anomalies(
                guichet,
                num,
                &XsDateTime::from_offset_datetime(ctx.registry.horloge().maintenant()),
                &[anomalie("DEM-INC", &format!("{CHEMIN_DEMANDE}/numUnique"), message)],
            );
            Ok(reponse_fichier(
                "demandeLogementReponse",
                nom_fichier(guichet, &self.num_unique, ctx.registry.horloge().maintenant()),
                file,
            ))
        };
        let num = match NumUnique::parse(&self.num_unique) {
            Ok(n) => n,
            // A malformed number is not echoed: it could be anything, of any length.
            Err(e) => return inconnue(None, capitalise(&e.to_string())),
        };
        match ctx.registry.lire(ctx.appelant, &num, self.version, "getDemandeLogement").await {
            Ok(lecture) => {
                // The current state carries the day its pieces last changed (02.01 files).
                let pieces = match self.version {
                    None => ctx.registry.modification_pieces(&num).map_err(|e| faute_interne(&e))?,
                    Some(_) => None,
                };
                let radiation = lecture.attributs.radiation.as_ref().filter(|_| self.version.is_none());
                let jour_pieces = pieces.map(|quand| XsDate::from_date(crate::registry::horloge::jour_a_paris(quand)));
                let contenu = match (radiation, &jour_pieces) {
                    (None, None) => lecture.contenu,
                    (None, Some(jour)) => match contract::dater_pieces(&lecture.contenu, jour) {
                        Some(contenu) => contenu,
                        None => ctx.compute.run(|| completer(lecture.contenu, None, jour_pieces)).await,
                    },
                    (Some(_), _) => ctx.compute.run(|| completer(lecture.contenu, radiation, jour_pieces)).await,
                };
                Ok(reponse_fichier(
                    "demandeLogementReponse",
                    nom_fichier(guichet, num.as_str(), ctx.registry.horloge().maintenant()),
                    contenu,
                ))
            }
            Err(e @ RegistryError::Inconnue(_)) => inconnue(Some(num.as_str()), capitalise(&e.to_string())),
            Err(e) if e.is_caller_error() => Err(faute_appelant(capitalise(&e.to_string()))),
            Err(e) => Err(faute_interne(&e)),
        }
    }
}

/// The current file shows the current state beyond the last file a counter sent: a radiation by
/// the system (`RADREN`) adds its block, and the last change of the application's pieces is
/// `dateDerniereModificationPiece` (in both interface versions).
fn completer(contenu: Vec<u8>, radiation: Option<&Radiation>, pieces: Option<XsDate>) -> Vec<u8> {
    let Ok(mut fichier) = contract::lire_demande_enregistree(&contenu) else { return contenu };
    let d = fichier.demande_logement_mut();
    let mut change = false;
    if let Some(r) = radiation {
        if d.radiation.as_ref().and_then(|x| x.motif_radiation.code.as_deref()) != Some(r.motif.as_str()) {
            d.radiation = Some(types::Radiation {
                modifie: None,
                date_radiation: Valeur::new(XsDate::from_date(r.date)),
                motif_radiation: types::CodeElement { code: Some(r.motif.clone()), modifie: None },
                sous_motif_irrecevabilite: None,
                absence_reponse: None,
                attribution_logement: None,
            });
            change = true;
        }
    }
    if let Some(jour) = pieces {
        d.date_derniere_modification_piece = Some(Valeur::new(jour));
        change = true;
    }
    if change {
        contract::ecrire_demande(&fichier)
    } else {
        contenu
    }
}
