//! PieceJustificativeImplService, the dossier unique (CONTRACT.md §7): `deposerPiece` and
//! `deposerLotPieces` (`deposer.rs`), `listerPieces`, `getPiece`, `qualifierPiece`,
//! `supprimerPiece` and `getEtatDossier` (`consulter.rs`).
//!
//! Business refusals are a `listeAnomalie` in the answer (same form as the application file's:
//! `anomalie@code`, `@propriete`, `message`); a profile that may not call an operation at all, or
//! a message that does not follow the schema's structure, is a `Sender` fault.

mod consulter;
mod deposer;

pub use consulter::{EtatDossierParametres, IdPieceParametres, ListerPiecesParametres, QualifierPieceParametres};
pub use deposer::{DepotEnCours, DepotParametres, Fichier};

use super::{capitalise, faute, faute_interne, NS_METIER};
use crate::contract::piece::categorie;
use crate::contract::Anomalie;
use crate::registry::depot::Piece;
use crate::registry::format::RefusFormat;
use crate::registry::pieces::{PieceError, RefusPiece};
use crate::soap::{Fault, FaultCode, OutChild, OutMessage};

/// Operations of the WSDL by wrapper.
pub(super) const OPERATIONS: &[(&str, &str)] = &[
    ("deposerPieceParametres", "deposerPiece"),
    ("deposerLotPiecesParametres", "deposerLotPieces"),
    ("listerPiecesParametres", "listerPieces"),
    ("getPieceParametres", "getPiece"),
    ("qualifierPieceParametres", "qualifierPiece"),
    ("supprimerPieceParametres", "supprimerPiece"),
    ("getEtatDossierParametres", "getEtatDossier"),
];

/// The anomaly for a business refusal, with the element it concerns.
pub(super) fn anomalie_de(refus: &RefusPiece) -> Anomalie {
    let (code, propriete) = match refus {
        RefusPiece::DemandeInconnue(_) => ("DEM-INC", "numUnique"),
        RefusPiece::PieceInconnue(_) => ("PIE-INC", "idPiece"),
        RefusPiece::DossierFerme { .. } => ("PIE-FERME", "numUnique"),
        RefusPiece::TropDePieces { .. } => ("PIE-NOMBRE", "numUnique"),
        RefusPiece::Taille { .. } => ("PIE-TAILLE", "fichier"),
        RefusPiece::Format(f) => (code_format(f), "fichier"),
        RefusPiece::TypeDiscordant { .. } => ("PIE-TYPE", "fichier/@contentType"),
        RefusPiece::DateFuture(_) => ("PIE-DATE", "dateDocument"),
        RefusPiece::PasDeposant { .. } => ("PIE-DEPOS", "idPiece"),
        RefusPiece::DemandeInactive(_) => ("PIE-ETAT", "idPiece"),
        RefusPiece::PersonneAbsente { .. } => ("PIE-PERS", "personne"),
    };
    Anomalie::new(code, Some(propriete), capitalise(&refus.to_string()))
}

fn code_format(refus: &RefusFormat) -> &'static str {
    match refus {
        RefusFormat::Vide => "PIE-VIDE",
        RefusFormat::FormatInconnu { .. } => "PIE-FORMAT",
        RefusFormat::ContenuActif { .. }
        | RefusFormat::CompressionExcessive { .. }
        | RefusFormat::FluxInverifiable { .. } => "PIE-ACTIF",
        _ => "PIE-STRUCT",
    }
}

/// A document-service error as the caller gets it: anomalies for refusals, a fault otherwise.
pub(super) fn issue(e: PieceError) -> Result<Vec<Anomalie>, Fault> {
    match e {
        PieceError::Refus(r) => Ok(vec![anomalie_de(&r)]),
        e @ PieceError::Profil { .. } => Err(faute(FaultCode::Sender, e.to_string())),
        PieceError::Depot(e) => Err(faute_interne(&e)),
    }
}

/// `listeAnomalie`, as the application file writes it: `message` first.
pub(super) fn liste_anomalie(anomalies: &[Anomalie]) -> OutChild {
    OutChild::element(
        "listeAnomalie",
        anomalies
            .iter()
            .map(|a| {
                let mut attributes = vec![("code".to_string(), a.code.clone())];
                if let Some(p) = &a.propriete {
                    attributes.push(("propriete".to_string(), p.clone()));
                }
                OutChild::Element {
                    name: "anomalie".into(),
                    attributes,
                    children: vec![OutChild::text("message", a.message.clone())],
                }
            })
            .collect(),
    )
}

fn instant(t: time::OffsetDateTime) -> String {
    crate::contract::XsDateTime::from_offset_datetime(t).to_string()
}

/// `descriptionPiece`, in the schema's order.
pub(super) fn description(name: &str, p: &Piece) -> OutChild {
    let mut c = vec![
        OutChild::text("idPiece", p.id.clone()),
        OutChild::text("numUnique", p.num.clone()),
        OutChild::text("codeCategorie", p.categorie.clone()),
        OutChild::text("sensible", p.sensible.to_string()),
        OutChild::text("personne", p.personne.clone()),
        OutChild::text("nomFichier", String::from_utf8_lossy(&p.nom_fichier.0).into_owned()),
        OutChild::text("contentType", p.content_type.clone()),
        OutChild::text("taille", p.taille.to_string()),
        OutChild::text("empreinte", p.empreinte.clone()),
        OutChild::text("dateDepot", instant(p.deposee_le)),
        OutChild::text("guichetDepot", p.deposant.clone()),
    ];
    if let Some(d) = p.date_document {
        c.push(OutChild::text("dateDocument", crate::contract::XsDate::from_date(d).to_string()));
    }
    c.push(OutChild::text("statut", p.statut.clone()));
    if let Some(m) = &p.motif_statut {
        c.push(OutChild::text("motifStatut", String::from_utf8_lossy(&m.0).into_owned()));
    }
    OutChild::element(name, c)
}

fn reponse(wrapper: &str, children: Vec<OutChild>) -> OutMessage {
    OutMessage { ns: NS_METIER.to_string(), wrapper: wrapper.to_string(), children }
}

/// Whether a category code is the schema's, and its sensitive flag.
fn categorie_connue(code: &str) -> Option<bool> {
    categorie(code).map(|c| c.sensible)
}

/// An unqualified child's trimmed text (`None` when absent).
fn texte(e: Option<&crate::xml::Element>) -> Option<String> {
    e.map(|e| e.text().trim().to_string())
}
