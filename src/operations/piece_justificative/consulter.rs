//! `listerPieces`, `getPiece`, `qualifierPiece`, `supprimerPiece` and `getEtatDossier`.

use super::{description, issue, liste_anomalie, reponse, texte};
use crate::contract::{Anomalie, XsDate};
use crate::operations::parametres::{Champ, Champs};
use crate::operations::{faute_appelant, Contexte, Reponse};
use crate::registry::pieces::Statut;
use crate::registry::NumUnique;
use crate::soap::{Fault, OutChild, OutMessage};
use crate::xml::Element;

fn num_ou_anomalie(num: &str) -> Result<NumUnique, Vec<Anomalie>> {
    NumUnique::parse(num)
        .map_err(|e| vec![Anomalie::new("DEM-INC", Some("numUnique"), super::capitalise(&e.to_string()))])
}

fn refus(ctx: &Contexte<'_>, wrapper: &str, anomalies: Vec<Anomalie>) -> OutMessage {
    ctx.anomalies(&anomalies);
    reponse(wrapper, vec![liste_anomalie(&anomalies)])
}

/// Parameters of `listerPieces`.
#[derive(Debug)]
pub struct ListerPiecesParametres {
    num_unique: String,
    categorie: Option<String>,
}

impl ListerPiecesParametres {
    /// Reads `listerPiecesParametres`.
    pub fn lire(wrapper: &Element) -> Result<Self, Fault> {
        let champs = Champs::lire(
            wrapper,
            &[Champ { nom: "numUnique", requis: true }, Champ { nom: "codeCategorie", requis: false }],
        )?;
        Ok(ListerPiecesParametres { num_unique: champs.texte(0), categorie: texte(champs.get(1)) })
    }

    /// Lists the pieces the caller sees.
    pub async fn executer(self, ctx: &Contexte<'_>) -> Result<OutMessage, Fault> {
        const W: &str = "listerPiecesReponse";
        let num = match num_ou_anomalie(&self.num_unique) {
            Ok(n) => n,
            Err(a) => return Ok(refus(ctx, W, a)),
        };
        if let Some(c) = self.categorie.as_deref().filter(|c| super::categorie_connue(c).is_none()) {
            let message = format!("Catégorie de pièce inconnue : {:?}", crate::operations::extrait(c));
            return Ok(refus(ctx, W, vec![Anomalie::new("PIE-CAT", Some("codeCategorie"), message)]));
        }
        match ctx.registry.lister_pieces(ctx.appelant, &num, self.categorie.as_deref()).await {
            Ok(pieces) => Ok(reponse(W, pieces.iter().map(|p| description("piece", p)).collect())),
            Err(e) => Ok(refus(ctx, W, issue(e)?)),
        }
    }
}

/// Parameters of `getPiece` and `supprimerPiece`: a piece id.
#[derive(Debug)]
pub struct IdPieceParametres {
    id: String,
}

impl IdPieceParametres {
    /// Reads `getPieceParametres` or `supprimerPieceParametres`.
    pub fn lire(wrapper: &Element) -> Result<Self, Fault> {
        let champs = Champs::lire(wrapper, &[Champ { nom: "idPiece", requis: true }])?;
        Ok(IdPieceParametres { id: champs.texte(0) })
    }

    /// `getPiece`: the description, and the content streamed from disk.
    pub async fn lire_piece(self, ctx: &Contexte<'_>) -> Result<Reponse, Fault> {
        const W: &str = "getPieceReponse";
        match ctx.registry.lire_piece(ctx.appelant, &self.id).await {
            Ok((piece, contenu)) => Ok(Reponse::Flux {
                message: reponse(W, vec![description("piece", &piece)]),
                element: "fichier",
                content_type: piece.content_type.clone(),
                taille: piece.taille,
                contenu,
            }),
            Err(e) => Ok(Reponse::Message(refus(ctx, W, issue(e)?))),
        }
    }

    /// `supprimerPiece`.
    pub async fn supprimer(self, ctx: &Contexte<'_>) -> Result<OutMessage, Fault> {
        const W: &str = "supprimerPieceReponse";
        match ctx.registry.supprimer_piece(ctx.appelant, &self.id).await {
            Ok(p) => Ok(reponse(W, vec![OutChild::text("idPiece", p.id)])),
            Err(e) => Ok(refus(ctx, W, issue(e)?)),
        }
    }
}

/// Parameters of `qualifierPiece`.
#[derive(Debug)]
pub struct QualifierPieceParametres {
    id: String,
    statut: String,
    motif: Option<String>,
}

/// Longest qualification reason kept.
const MAX_MOTIF: usize = 500;

impl QualifierPieceParametres {
    /// Reads `qualifierPieceParametres`.
    pub fn lire(wrapper: &Element) -> Result<Self, Fault> {
        let champs = Champs::lire(
            wrapper,
            &[
                Champ { nom: "idPiece", requis: true },
                Champ { nom: "statut", requis: true },
                Champ { nom: "motif", requis: false },
            ],
        )?;
        let motif = texte(champs.get(2)).filter(|m| !m.is_empty());
        if motif.as_ref().is_some_and(|m| m.chars().count() > MAX_MOTIF) {
            return Err(faute_appelant(format!("motif de qualification trop long : {MAX_MOTIF} caractères au plus")));
        }
        Ok(QualifierPieceParametres { id: champs.texte(0), statut: champs.texte(1), motif })
    }

    /// Qualifies the piece.
    pub async fn executer(self, ctx: &Contexte<'_>) -> Result<OutMessage, Fault> {
        const W: &str = "qualifierPieceReponse";
        let Some(statut) = Statut::parse(&self.statut) else {
            let message = format!(
                "Statut {:?} inconnu : DEPOSEE, INEXPLOITABLE, HORS_PERIMETRE ou OBSOLETE",
                crate::operations::extrait(&self.statut)
            );
            return Ok(refus(ctx, W, vec![Anomalie::new("PIE-STATUT", Some("statut"), message)]));
        };
        match ctx.registry.qualifier_piece(ctx.appelant, &self.id, statut, self.motif).await {
            Ok(p) => Ok(reponse(W, vec![description("piece", &p)])),
            Err(e) => Ok(refus(ctx, W, issue(e)?)),
        }
    }
}

/// Parameters of `getEtatDossier`.
#[derive(Debug)]
pub struct EtatDossierParametres {
    num_unique: String,
}

impl EtatDossierParametres {
    /// Reads `getEtatDossierParametres`.
    pub fn lire(wrapper: &Element) -> Result<Self, Fault> {
        let champs = Champs::lire(wrapper, &[Champ { nom: "numUnique", requis: true }])?;
        Ok(EtatDossierParametres { num_unique: champs.texte(0) })
    }

    /// The completeness of the dossier.
    pub fn executer(self, ctx: &Contexte<'_>) -> Result<OutMessage, Fault> {
        const W: &str = "getEtatDossierReponse";
        let num = match num_ou_anomalie(&self.num_unique) {
            Ok(n) => n,
            Err(a) => return Ok(refus(ctx, W, a)),
        };
        let etat = match ctx.registry.etat_dossier(ctx.appelant, &num) {
            Ok(e) => e,
            Err(e) => return Ok(refus(ctx, W, issue(e)?)),
        };
        let mut c = vec![OutChild::text("numUnique", num.to_string())];
        if let Some(o) = etat.ouverture {
            c.push(OutChild::text("dateOuverture", XsDate::from_date(o).to_string()));
        }
        c.push(OutChild::text("dateLimiteDepot", XsDate::from_date(etat.date_limite).to_string()));
        for etape in &etat.etapes {
            let mut e = vec![OutChild::text("code", etape.code), OutChild::text("complet", etape.complet.to_string())];
            for (exigence, statut) in &etape.exigences {
                let mut x: Vec<OutChild> =
                    exigence.categories.iter().map(|cat| OutChild::text("codeCategorie", cat.clone())).collect();
                x.push(OutChild::text("etat", statut.code()));
                e.push(OutChild::element("exigence", x));
            }
            c.push(OutChild::element("etape", e));
        }
        Ok(reponse(W, c))
    }
}
