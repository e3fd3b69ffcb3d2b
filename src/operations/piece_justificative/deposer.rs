//! `deposerPiece` and `deposerLotPieces`: every entry is checked, its content received (from the
//! message, or streamed from an MTOM part straight to disk) and decided on its own.

use bytes::Bytes;

use super::{categorie_connue, issue, liste_anomalie, reponse, texte};
use crate::contract::Anomalie;
use crate::operations::parametres::{Champ, Champs};
use crate::operations::{faute_appelant, Contexte};
use crate::registry::pieces::{DescriptionDepot, Reception};
use crate::registry::NumUnique;
use crate::soap::{Fault, OutChild, OutMessage};
use crate::xml::Element;

/// Where an entry's content is.
#[derive(Clone)]
pub enum Fichier {
    /// In the message: inline base64, or an MTOM part the whole-body reader resolved.
    Octets(Bytes),
    /// An MTOM part still to come, by its `cid:` reference (streamed upload).
    Partie(String),
}

impl std::fmt::Debug for Fichier {
    // A document is personal: its size only.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Fichier::Octets(b) => write!(f, "Octets(<{} octets>)", b.len()),
            Fichier::Partie(r) => f.debug_tuple("Partie").field(r).finish(),
        }
    }
}

const CHAMPS: &[Champ] = &[
    Champ { nom: "numUnique", requis: true },
    Champ { nom: "codeCategorie", requis: true },
    Champ { nom: "personne", requis: true },
    Champ { nom: "nomFichier", requis: true },
    Champ { nom: "fichier", requis: true },
    Champ { nom: "dateDocument", requis: false },
];

/// Longest `nomFichier`.
const MAX_NOM: usize = 255;

/// One piece to deposit, read from the message.
#[derive(Debug)]
struct Entree {
    description: Result<DescriptionDepot, Vec<Anomalie>>,
    fichier: Fichier,
}

/// Parameters of `deposerPiece` (one entry) or `deposerLotPieces` (many).
#[derive(Debug)]
pub struct DepotParametres {
    lot: bool,
    entrees: Vec<Entree>,
}

fn lire_entree(e: &Element, fichier: &(dyn Fn(&Element) -> Result<Fichier, Fault> + Sync)) -> Result<Entree, Fault> {
    let champs = Champs::lire(e, CHAMPS)?;
    let element = champs.get(4).expect("required field present");
    let fichier = fichier(element)?;
    let type_declare = element.attribute("contentType").map(|t| t.trim().to_string()).filter(|t| !t.is_empty());
    let mut anomalies = Vec::new();
    let num = champs.texte(0);
    let num_unique = match NumUnique::parse(&num) {
        Ok(n) => Some(n),
        Err(err) => {
            anomalies.push(Anomalie::new("DEM-INC", Some("numUnique"), super::capitalise(&err.to_string())));
            None
        }
    };
    let code = champs.texte(1);
    let sensible = categorie_connue(&code);
    if sensible.is_none() {
        anomalies.push(Anomalie::new(
            "PIE-CAT",
            Some("codeCategorie"),
            format!(
                "Catégorie de pièce inconnue : {:?} (voir le tableau des catégories)",
                crate::operations::extrait(&code)
            ),
        ));
    }
    let personne = champs.texte(2);
    if !crate::registry::pieces::personne_valide(&personne) {
        anomalies.push(Anomalie::new(
            "PIE-PERS",
            Some("personne"),
            format!(
                "Personne {:?} invalide : DEM (demandeur), COT1 à COT99 (cotitulaire) ou PAC1 à PAC99 (personne à charge)",
                crate::operations::extrait(&personne)
            ),
        ));
    }
    let nom_fichier = champs.texte(3);
    if nom_fichier.is_empty() || nom_fichier.chars().count() > MAX_NOM {
        anomalies.push(Anomalie::new(
            "PIE-NOM",
            Some("nomFichier"),
            format!("Le nom du fichier est vide ou dépasse {MAX_NOM} caractères"),
        ));
    }
    let date_document = match texte(champs.get(5)) {
        None => None,
        Some(t) => match crate::contract::XsDate::parse(&t).and_then(|d| d.to_date()) {
            Some(d) => Some(d),
            None => {
                anomalies.push(Anomalie::new(
                    "PIE-DATE",
                    Some("dateDocument"),
                    format!("Date du document invalide : {:?} (AAAA-MM-JJ)", crate::operations::extrait(&t)),
                ));
                None
            }
        },
    };
    let description = match (num_unique, sensible, anomalies.is_empty()) {
        (Some(num), Some(sensible), true) => {
            Ok(DescriptionDepot { num, categorie: code, sensible, personne, nom_fichier, type_declare, date_document })
        }
        _ => Err(anomalies),
    };
    Ok(Entree { description, fichier })
}

impl DepotParametres {
    /// Reads `deposerPieceParametres` (`lot` false) or `deposerLotPiecesParametres`; `fichier`
    /// says where each `fichier` element's content is.
    pub fn lire(
        wrapper: &Element,
        lot: bool,
        max_par_lot: usize,
        fichier: &(dyn Fn(&Element) -> Result<Fichier, Fault> + Sync),
    ) -> Result<Self, Fault> {
        if !lot {
            return Ok(DepotParametres { lot, entrees: vec![lire_entree(wrapper, fichier)?] });
        }
        if wrapper.has_significant_text() {
            return Err(faute_appelant(format!("Texte inattendu dans {}", wrapper.name)));
        }
        let mut entrees = Vec::new();
        for e in wrapper.elements() {
            if e.name != "piece" || e.ns.is_some() {
                return Err(faute_appelant(format!(
                    "Élément inattendu {} dans {} (attendu : piece, sans espace de noms)",
                    crate::operations::extrait(&e.name),
                    wrapper.name
                )));
            }
            if entrees.len() == max_par_lot {
                return Err(faute_appelant(format!(
                    "Lot trop grand : plus de {max_par_lot} pièces dans deposerLotPieces (pieces.max_par_lot)"
                )));
            }
            entrees.push(lire_entree(e, fichier)?);
        }
        if entrees.is_empty() {
            return Err(faute_appelant("Élément obligatoire piece absent de deposerLotPiecesParametres".into()));
        }
        Ok(DepotParametres { lot, entrees })
    }

    /// Checks every entry and opens the blob of each acceptable one: the deposit in progress.
    /// A profile that may not deposit is a fault, whatever the entries.
    pub async fn preparer(self, ctx: &Contexte<'_>) -> Result<DepotEnCours, Fault> {
        if let Err(e) = ctx.registry.peut_deposer(ctx.appelant) {
            issue(e)?;
        }
        let mut receptions = Vec::with_capacity(self.entrees.len());
        for entree in &self.entrees {
            let r = match &entree.description {
                Err(a) => Err(a.clone()),
                Ok(d) => match ctx.compute.run(|| ctx.registry.preparer_depot(ctx.appelant, &d.num)).await {
                    Ok(r) => Ok(r),
                    Err(e) => Err(issue(e)?),
                },
            };
            receptions.push(r);
        }
        let types_parties = vec![None; self.entrees.len()];
        Ok(DepotEnCours { parametres: self, receptions, types_parties, recues: Vec::new() })
    }

    /// The whole-message path: prepares, feeds each content held in the message, decides.
    pub async fn executer(self, ctx: &Contexte<'_>) -> Result<OutMessage, Fault> {
        let mut en_cours = self.preparer(ctx).await?;
        ctx.compute.run(|| en_cours.recevoir_le_message()).await;
        en_cours.conclure(ctx).await
    }
}

/// A deposit whose contents are being received.
#[derive(Debug)]
pub struct DepotEnCours {
    parametres: DepotParametres,
    /// Per entry: the reception, or the entry's refusal.
    receptions: Vec<Result<Reception, Vec<Anomalie>>>,
    /// The Content-Type of each entry's MTOM part, when streamed.
    types_parties: Vec<Option<String>>,
    /// Entries whose content was received.
    recues: Vec<usize>,
}

impl DepotEnCours {
    /// The entries whose content is an MTOM part still to come: (entry, `cid:` reference
    /// without its scheme).
    pub fn references(&self) -> Vec<(usize, String)> {
        self.parametres
            .entrees
            .iter()
            .enumerate()
            .filter_map(|(i, e)| match &e.fichier {
                Fichier::Partie(r) => Some((i, r.clone())),
                Fichier::Octets(_) => None,
            })
            .collect()
    }

    /// Feeds the contents the message itself carries (inline base64, or parts already read):
    /// in a streamed upload, the entries that are not MTOM parts.
    pub fn recevoir_le_message(&mut self) {
        for i in 0..self.parametres.entrees.len() {
            if let Fichier::Octets(data) = self.parametres.entrees[i].fichier.clone() {
                for morceau in data.chunks(64 * 1024) {
                    self.recevoir(i, morceau);
                }
                self.recues.push(i);
            }
        }
    }

    /// A part for entry `i` starts, of type `content_type`.
    pub fn debut_partie(&mut self, i: usize, content_type: Option<String>) {
        self.types_parties[i] = content_type;
        self.recues.push(i);
    }

    /// Bytes of entry `i`'s content (dropped for a refused entry).
    pub fn recevoir(&mut self, i: usize, data: &[u8]) {
        if let Some(Ok(r)) = self.receptions.get_mut(i) {
            r.recevoir(data);
        }
    }

    /// Decides every entry and writes the answer.
    pub async fn conclure(self, ctx: &Contexte<'_>) -> Result<OutMessage, Fault> {
        let DepotEnCours { parametres, receptions, types_parties, .. } = self;
        let mut resultats = Vec::with_capacity(receptions.len());
        for (i, ((entree, reception), type_partie)) in
            parametres.entrees.into_iter().zip(receptions).zip(types_parties).enumerate()
        {
            let mut enfants = Vec::new();
            if parametres.lot {
                enfants.push(OutChild::text("rang", (i + 1).to_string()));
            }
            let issue_depot = match (entree.description, reception) {
                (Ok(mut d), Ok(r)) => {
                    // The part's own type stands for an absent attribute, unless it says nothing.
                    if d.type_declare.is_none() {
                        d.type_declare = type_partie
                            .map(|t| t.split(';').next().unwrap_or("").trim().to_string())
                            .filter(|t| !t.is_empty() && !t.eq_ignore_ascii_case("application/octet-stream"));
                    }
                    match ctx.registry.deposer(ctx.appelant, d, r).await {
                        Ok(depot) => Ok(depot),
                        Err(e) => Err(issue(e)?),
                    }
                }
                (Err(a), _) | (_, Err(a)) => Err(a),
            };
            match issue_depot {
                Ok(depot) => {
                    let p = &depot.piece;
                    enfants.extend([
                        OutChild::text("idPiece", p.id.clone()),
                        OutChild::text("empreinte", p.empreinte.clone()),
                        OutChild::text("taille", p.taille.to_string()),
                        OutChild::text("dateDepot", super::instant(p.deposee_le)),
                        OutChild::text("statut", p.statut.clone()),
                    ]);
                    if depot.deja_deposee {
                        enfants.push(OutChild::text("dejaDeposee", "true"));
                    }
                }
                Err(anomalies) => {
                    ctx.anomalies(&anomalies);
                    enfants.push(liste_anomalie(&anomalies));
                }
            }
            resultats.push(enfants);
        }
        if parametres.lot {
            Ok(reponse(
                "deposerLotPiecesReponse",
                resultats.into_iter().map(|e| OutChild::element("resultat", e)).collect(),
            ))
        } else {
            Ok(reponse("deposerPieceReponse", resultats.pop().unwrap_or_default()))
        }
    }
}
