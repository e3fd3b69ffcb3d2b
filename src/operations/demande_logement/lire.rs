//! `getDemandeLogement`: the current file of an application.

use super::{anomalie, capitalise, nom_fichier, reponse_fichier, CHEMIN_DEMANDE};
use crate::contract::{self, XsDateTime};
use crate::operations::parametres::{Champ, Champs};
use crate::operations::{faute_appelant, faute_interne, Contexte};
use crate::registry::{NumUnique, RegistryError};
use crate::soap::{Fault, OutMessage};
use crate::xml::Element;

/// Parameters of `getDemandeLogement`.
#[derive(Debug)]
pub struct DemandeLogementParametres {
    num_unique: String,
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
            ],
        )?;
        // `complet` is accepted for compatibility: the whole file is always returned.
        champs.booleen(3)?;
        Ok(DemandeLogementParametres { num_unique: champs.texte(0) })
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
        match ctx.registry.lire(ctx.appelant, &num, "getDemandeLogement").await {
            Ok(contenu) => Ok(reponse_fichier(
                "demandeLogementReponse",
                nom_fichier(guichet, num.as_str(), ctx.registry.horloge().maintenant()),
                contenu,
            )),
            Err(e @ RegistryError::Inconnue(_)) => inconnue(Some(num.as_str()), capitalise(&e.to_string())),
            Err(e) if e.is_caller_error() => Err(faute_appelant(capitalise(&e.to_string()))),
            Err(e) => Err(faute_interne(&e)),
        }
    }
}
