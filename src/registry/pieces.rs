//! The dossier unique: the supporting documents of an application, deposited once and read by
//! every service of the territory entitled to them (CONTRACT.md §6 and §7).
//!
//! A deposit streams: [`Registry::preparer_depot`] checks who may deposit on which application
//! and opens a blob; the caller feeds the bytes to the [`Reception`] (hashed, counted against
//! the size limit and examined for their format as they pass, encrypted to disk by the store);
//! [`Registry::deposer`] decides on what was received and records the piece, the point of
//! acknowledgment. Reads and lists are written to the access journal, durably, before any data
//! is returned.

use sha2::{Digest, Sha256};
use time::{Date, OffsetDateTime};

use super::depot::{Acces, Contenu, DepotError, Ecriture, EcritureBlob, Etat, Piece, Transaction};
use super::format::{self, Examen, Format, RefusFormat};
use super::guichet::AUTEUR_DEMANDEUR;
use super::guichet::{Consultation, Profil};
use super::{Guichet, NumUnique, Registry};

/// Limits on pieces, each named by its configuration key when hit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LimitesPieces {
    /// Bytes of one piece (`pieces.taille_max_octets`).
    pub taille_max: u64,
    /// Pieces of one application (`pieces.max_par_demande`).
    pub max_par_demande: usize,
    /// Entries of one `deposerLotPieces` (`pieces.max_par_lot`).
    pub max_par_lot: usize,
    /// Decompressed bytes the PDF check may scan in one piece (`pieces.max_inflation_octets`).
    pub max_inflation: u64,
}

impl Default for LimitesPieces {
    fn default() -> Self {
        LimitesPieces { taille_max: 20 << 20, max_par_demande: 200, max_par_lot: 100, max_inflation: 256 << 20 }
    }
}

/// One piece a stage asks for: any of these categories will do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exigence {
    /// Categories, alternatives of one another.
    pub categories: Vec<String>,
}

/// What a territory's convention fixes (the bulletin's §1.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegleTerritoire {
    /// The day its dossier unique opened; deposits before it are refused.
    pub ouverture: Option<Date>,
    /// Pieces required at registration.
    pub enregistrement: Vec<Exigence>,
    /// Pieces required before the allocation committee.
    pub commission: Vec<Exigence>,
    /// Days after registration by which the registration pieces are expected.
    pub delai_depot_jours: u32,
}

impl Default for RegleTerritoire {
    fn default() -> Self {
        let e = |c: &[&str]| Exigence { categories: c.iter().map(|s| s.to_string()).collect() };
        RegleTerritoire {
            ouverture: None,
            enregistrement: vec![e(&["IDENTITE", "SEJOUR"])],
            commission: vec![
                e(&["IDENTITE", "SEJOUR"]),
                e(&["AVISIMPOT"]),
                e(&["REVENUS", "PRESTATION"]),
                e(&["LOGEMENT"]),
            ],
            delai_depot_jours: 15,
        }
    }
}

/// The rules of every territory, and the limits.
#[derive(Debug, Clone, Default)]
pub struct ReglesPieces {
    /// Limits.
    pub limites: LimitesPieces,
    /// For a territory without its own rules.
    pub defaut: RegleTerritoire,
    /// Per territory code.
    pub territoires: std::collections::HashMap<String, RegleTerritoire>,
}

impl ReglesPieces {
    /// The rules of `territoire`.
    pub fn regle(&self, territoire: &str) -> &RegleTerritoire {
        self.territoires.get(territoire).unwrap_or(&self.defaut)
    }
}

/// What a piece may be qualified as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Statut {
    /// Received and usable (the state at deposit).
    Deposee,
    /// Unreadable or incomplete.
    Inexploitable,
    /// Not in the legal list.
    HorsPerimetre,
    /// Superseded by a newer piece.
    Obsolete,
}

impl Statut {
    /// Every status, as the schema spells them.
    pub const TOUS: [Statut; 4] = [Statut::Deposee, Statut::Inexploitable, Statut::HorsPerimetre, Statut::Obsolete];

    /// The schema's code.
    pub fn code(self) -> &'static str {
        match self {
            Statut::Deposee => "DEPOSEE",
            Statut::Inexploitable => "INEXPLOITABLE",
            Statut::HorsPerimetre => "HORS_PERIMETRE",
            Statut::Obsolete => "OBSOLETE",
        }
    }

    /// As pages show it.
    pub fn libelle(self) -> &'static str {
        match self {
            Statut::Deposee => "déposée",
            Statut::Inexploitable => "inexploitable",
            Statut::HorsPerimetre => "hors périmètre",
            Statut::Obsolete => "obsolète",
        }
    }

    /// The label of a stored code (the code itself when unknown).
    pub fn libelle_de(code: &str) -> &str {
        Statut::parse(code).map_or(code, |s| s.libelle())
    }

    /// The status of a code.
    pub fn parse(code: &str) -> Option<Statut> {
        Statut::TOUS.into_iter().find(|s| s.code() == code)
    }
}

/// A business refusal of the document service: an anomaly for the caller, nothing changed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RefusPiece {
    /// No application of that number is visible to the caller.
    #[error("aucune demande n° {0} n'est accessible à votre guichet")]
    DemandeInconnue(String),
    /// No piece of that id is visible to the caller.
    #[error("aucune pièce {0} n'est accessible à votre guichet")]
    PieceInconnue(String),
    /// The territory's dossier unique is not open yet.
    #[error(
        "le dossier unique du territoire {territoire} ouvre le {ouverture} : aucun dépôt de pièce avant cette date"
    )]
    DossierFerme {
        /// Territory.
        territoire: String,
        /// Opening day.
        ouverture: Date,
    },
    /// The application holds as many pieces as allowed.
    #[error("la demande porte déjà {limite} pièces, le maximum (pieces.max_par_demande)")]
    TropDePieces {
        /// The limit.
        limite: usize,
    },
    /// The content is larger than allowed.
    #[error("la pièce dépasse la taille maximale de {limite} octets (pieces.taille_max_octets)")]
    Taille {
        /// The limit.
        limite: u64,
    },
    /// The content is not an accepted document.
    #[error("{0}")]
    Format(RefusFormat),
    /// The declared type is not the recognised format's.
    #[error("le type déclaré {declare} ne correspond pas au contenu, reconnu comme {reconnu} ({attendu})")]
    TypeDiscordant {
        /// What the caller declared.
        declare: String,
        /// The format recognised.
        reconnu: &'static str,
        /// Its MIME type.
        attendu: &'static str,
    },
    /// The document's date is after today.
    #[error("la date du document ({0}) est postérieure au jour du dépôt")]
    DateFuture(Date),
    /// Only the depositing identity deletes a piece.
    #[error("seul le déposant de la pièce ({deposant}) peut la supprimer")]
    PasDeposant {
        /// Who deposited it.
        deposant: String,
    },
    /// The person named is not on the application.
    #[error("la demande {num} ne compte pas de personne {personne} (personnes de la demande : {presentes})")]
    PersonneAbsente {
        /// The application.
        num: String,
        /// The code given.
        personne: String,
        /// The codes the application has.
        presentes: String,
    },
    /// Pieces of a radiated application are kept until its erasure.
    #[error("la demande {0} n'est plus active (radiée) : ses pièces sont conservées jusqu'à son effacement")]
    DemandeInactive(String),
}

/// Why a document operation did not happen.
#[derive(Debug, thiserror::Error)]
pub enum PieceError {
    /// A business refusal.
    #[error(transparent)]
    Refus(#[from] RefusPiece),
    /// The caller's profile does not allow the operation at all.
    #[error("Accès refusé : le profil {profil} ({code}) ne permet pas {operation}")]
    Profil {
        /// The caller's profile.
        profil: &'static str,
        /// The caller's code.
        code: String,
        /// What it tried.
        operation: &'static str,
    },
    /// Storage failed.
    #[error(transparent)]
    Depot(#[from] DepotError),
}

/// A deposit's description (everything but the content).
#[derive(Clone)]
pub struct DescriptionDepot {
    /// The application.
    pub num: NumUnique,
    /// Category code (checked against the schema's list by the caller).
    pub categorie: String,
    /// Whether the category is sensitive.
    pub sensible: bool,
    /// Who it concerns (`DEM`, `COT<n>`, `PAC<n>`).
    pub personne: String,
    /// File name as the depositor knows it.
    pub nom_fichier: String,
    /// The declared MIME type, if any.
    pub type_declare: Option<String>,
    /// Date of the document.
    pub date_document: Option<Date>,
}

impl std::fmt::Debug for DescriptionDepot {
    // The file name may be personal ("passeport-dupont.pdf"): never in a log.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DescriptionDepot")
            .field("num", &self.num)
            .field("categorie", &self.categorie)
            .field("personne", &self.personne)
            .finish_non_exhaustive()
    }
}

/// A content being received for a piece: hashed, counted and examined as it passes, encrypted
/// to disk by the store. Past the size limit it stops writing and only counts.
pub struct Reception {
    blob: Option<Box<dyn EcritureBlob>>,
    sha: Sha256,
    taille: u64,
    limite: u64,
    examen: Examen,
    erreur: Option<DepotError>,
}

impl std::fmt::Debug for Reception {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reception").field("taille", &self.taille).finish_non_exhaustive()
    }
}

impl Reception {
    /// Takes the next bytes. Never fails: a problem is kept for [`Registry::deposer`], and the
    /// caller keeps feeding (and the reception keeps discarding) until the part ends.
    pub fn recevoir(&mut self, donnees: &[u8]) {
        self.taille += donnees.len() as u64;
        if self.taille > self.limite || self.erreur.is_some() {
            // Nothing more reaches the disk; what was written goes with the blob.
            self.blob = None;
            return;
        }
        self.sha.update(donnees);
        self.examen.ajouter(donnees);
        if let Some(blob) = self.blob.as_mut() {
            if let Err(e) = blob.ecrire(donnees) {
                self.erreur = Some(e);
                self.blob = None;
            }
        }
    }

    /// Bytes received so far.
    pub fn taille(&self) -> u64 {
        self.taille
    }
}

/// Whether `p` names a person of a dossier: `DEM` (the applicant), `COT1`..`COT99`
/// (co-applicants), `PAC1`..`PAC99` (dependants).
pub fn personne_valide(p: &str) -> bool {
    if p == "DEM" {
        return true;
    }
    let Some(n) = p.strip_prefix("COT").or_else(|| p.strip_prefix("PAC")) else { return false };
    !n.is_empty() && n.len() <= 2 && !n.starts_with('0') && n.bytes().all(|b| b.is_ascii_digit())
}

/// A deposit's outcome.
#[derive(Debug, Clone)]
pub struct Depot {
    /// The piece recorded (or the one already holding the same content).
    pub piece: Piece,
    /// True when an identical content was already deposited on the application.
    pub deja_deposee: bool,
}

/// Completeness of one requirement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EtatExigence {
    /// A usable piece of one of its categories is there.
    Presente,
    /// Only unusable ones.
    Inexploitable,
    /// None.
    Manquante,
}

impl EtatExigence {
    /// The code the answer carries.
    pub fn code(self) -> &'static str {
        match self {
            EtatExigence::Presente => "PRESENTE",
            EtatExigence::Inexploitable => "INEXPLOITABLE",
            EtatExigence::Manquante => "MANQUANTE",
        }
    }
}

/// One stage of a dossier.
#[derive(Debug, Clone)]
pub struct EtapeDossier {
    /// `ENREGISTREMENT` or `COMMISSION`.
    pub code: &'static str,
    /// Every requirement is present.
    pub complet: bool,
    /// Each requirement with its state.
    pub exigences: Vec<(Exigence, EtatExigence)>,
}

/// The completeness of a dossier under its territory's rules.
#[derive(Debug, Clone)]
pub struct EtatDossier {
    /// When the territory's dossier unique opened.
    pub ouverture: Option<Date>,
    /// Registration + the deposit delay.
    pub date_limite: Date,
    /// Registration, then committee.
    pub etapes: Vec<EtapeDossier>,
}

/// Whether `profil` sees a piece in lists.
pub(super) fn voit_dans_liste(profil: &Profil, sensible: bool) -> bool {
    match profil {
        Profil::Guichet | Profil::Consultant(Consultation::Sensible) => true,
        Profil::Consultant(_) => !sensible,
        Profil::Prestataire { .. } | Profil::Demandeur { .. } => false,
    }
}

/// Whether `appelant` sees `p` in lists: an applicant, every piece but the sensitive ones the
/// services deposited.
fn voit_la_piece(appelant: &Guichet, p: &Piece) -> bool {
    match appelant.profil {
        Profil::Demandeur { .. } => !p.sensible || p.deposant == AUTEUR_DEMANDEUR,
        ref profil => voit_dans_liste(profil, p.sensible),
    }
}

/// Whether `profil` reads a piece's content.
pub fn lit_le_contenu(profil: &Profil, sensible: bool) -> bool {
    match profil {
        Profil::Guichet | Profil::Consultant(Consultation::Sensible) => true,
        Profil::Consultant(Consultation::Demande) => !sensible,
        _ => false,
    }
}

const SUPPRIMER: &str = "de supprimer des pièces";

fn supprime_des_pieces(profil: &Profil) -> bool {
    matches!(profil, Profil::Guichet | Profil::Demandeur { .. })
}

/// Whether `appelant` may delete `piece` of an application in state `etat`: a counter or the
/// applicant, its own deposits only, while the application is active. The pages offer
/// "Supprimer" by this same rule.
pub fn peut_supprimer(appelant: &Guichet, piece: &Piece, etat: Etat) -> Result<(), PieceError> {
    if !supprime_des_pieces(&appelant.profil) {
        return Err(refuse(appelant, SUPPRIMER));
    }
    if piece.deposant != appelant.auteur() {
        return Err(RefusPiece::PasDeposant { deposant: piece.deposant.clone() }.into());
    }
    if etat != Etat::Active {
        return Err(RefusPiece::DemandeInactive(piece.num.clone()).into());
    }
    Ok(())
}

fn refuse(appelant: &Guichet, operation: &'static str) -> PieceError {
    PieceError::Profil { profil: appelant.profil.nom(), code: appelant.code.as_str().to_string(), operation }
}

/// A fresh piece id: `PJ`, 4 hex digits of the piece's rank on its application (ids of one
/// application sort in deposit order, even within one clock tick; the rank says nothing the
/// list of the application's pieces does not), 20 hex digits of randomness (an id cannot be
/// guessed from another).
fn nouvel_id(rang: u64) -> String {
    format!("PJ{:04x}{}", rang & 0xFFFF, hex::encode(rand::random::<[u8; 10]>()))
}

impl Registry {
    /// The rules and limits of the document service.
    pub fn regles_pieces(&self) -> &ReglesPieces {
        &self.pieces
    }

    /// The application `num` if `appelant` acts in its territory (an application of another
    /// territory answers like an unknown one).
    fn demande_visible(&self, appelant: &Guichet, num: &str) -> Result<super::depot::Entete, PieceError> {
        match self.depot.entete(num)? {
            Some(e)
                if appelant.voit_la_demande(num)
                    && appelant.couvre(&super::Territoire::parse(&e.attributs.territoire).map_err(|_| {
                        DepotError::Corrompue { cle: format!("demande/{num}"), raison: "territoire illisible".into() }
                    })?) =>
            {
                Ok(e)
            }
            _ => Err(RefusPiece::DemandeInconnue(num.to_string()).into()),
        }
    }

    /// Refuses a piece about a person the application does not have (`COT7` on a file with one
    /// co-applicant), when the registry knows how to read the household of a file
    /// ([`Registry::avec_foyer`]). The file is opened internally: nothing of it is returned.
    async fn personne_du_foyer(&self, num: &str, personne: &str) -> Result<(), PieceError> {
        let Some(lire_foyer) = self.foyer else { return Ok(()) };
        let presentes =
            self.compute.run(|| self.depot.lire(num).map(|f| f.and_then(|f| lire_foyer(&f.contenu.0)))).await?;
        match presentes {
            Some(p) if !p.iter().any(|c| c == personne) => Err(RefusPiece::PersonneAbsente {
                num: num.to_string(),
                personne: crate::text::extrait(personne, 10),
                presentes: p.join(", "),
            }
            .into()),
            _ => Ok(()),
        }
    }

    /// Checks that `appelant` may deposit on `num` now, and opens the blob its content streams to.
    pub fn preparer_depot(&self, appelant: &Guichet, num: &NumUnique) -> Result<Reception, PieceError> {
        self.peut_deposer(appelant)?;
        let entete = self.demande_visible(appelant, num.as_str())?;
        if matches!(appelant.profil, Profil::Demandeur { .. }) && entete.attributs.etat != Etat::Active {
            return Err(RefusPiece::DemandeInactive(num.to_string()).into());
        }
        let regle = self.pieces.regle(&entete.attributs.territoire);
        if let Some(ouverture) = regle.ouverture.filter(|o| self.horloge.aujourd_hui() < *o) {
            return Err(RefusPiece::DossierFerme { territoire: entete.attributs.territoire, ouverture }.into());
        }
        let limites = &self.pieces.limites;
        if self.depot.pieces(num.as_str())?.len() >= limites.max_par_demande {
            return Err(RefusPiece::TropDePieces { limite: limites.max_par_demande }.into());
        }
        Ok(Reception {
            blob: Some(self.depot.ecrire_blob(num.as_str())?),
            sha: Sha256::new(),
            taille: 0,
            limite: limites.taille_max,
            examen: Examen::new(format::Limites { max_inflation_octets: limites.max_inflation }),
            erreur: None,
        })
    }

    /// Decides on a received content and records the piece, durably, or refuses it (its blob
    /// destroyed). An identical content already on the application returns that piece.
    #[tracing::instrument(skip_all, fields(guichet = appelant.code.as_str(), num_unique = description.num.as_str()))]
    pub async fn deposer(
        &self,
        appelant: &Guichet,
        description: DescriptionDepot,
        mut reception: Reception,
    ) -> Result<Depot, PieceError> {
        // Everything is judged before the content is finished: a content not kept is dropped
        // unfinished, and its temporary file goes with it.
        if let Some(e) = reception.erreur.take() {
            return Err(e.into());
        }
        let Some(ecriture) = reception.blob.take().filter(|_| reception.taille <= reception.limite) else {
            return Err(RefusPiece::Taille { limite: reception.limite }.into());
        };
        let format = reception.examen.conclure().map_err(RefusPiece::Format)?;
        if let Some(declare) = description.type_declare.as_deref().filter(|d| !format.accepte_type(d)) {
            return Err(RefusPiece::TypeDiscordant {
                declare: crate::text::extrait(declare, 100),
                reconnu: format.nom(),
                attendu: format.content_type(),
            }
            .into());
        }
        if let Some(d) = description.date_document.filter(|d| *d > self.horloge.aujourd_hui()) {
            return Err(RefusPiece::DateFuture(d).into());
        }
        let empreinte = hex::encode(reception.sha.finalize());
        let num = description.num.as_str();
        // The application may have changed while the content streamed in, and other deposits
        // (a batch's earlier entries) may have been recorded since the reception opened.
        let entete = self.demande_visible(appelant, num)?;
        self.personne_du_foyer(num, &description.personne).await?;
        let existantes = self.compute.run(|| self.depot.pieces(num)).await?;
        if let Some(p) = existantes.iter().find(|p| p.empreinte == empreinte) {
            self.depot.journaliser(vec![self.entree(appelant, num, "deposerPiece/deja")]).await?;
            return Ok(Depot { piece: p.clone(), deja_deposee: true });
        }
        let limites = &self.pieces.limites;
        if existantes.len() >= limites.max_par_demande {
            return Err(RefusPiece::TropDePieces { limite: limites.max_par_demande }.into());
        }
        // Syncing the file, renaming it and syncing its directory block: off the async workers.
        let blob = self.compute.run(|| ecriture.terminer()).await?;
        let maintenant = self.horloge.maintenant();
        let abandon = |e: PieceError| -> PieceError {
            if let Err(err) = self.depot.abandonner_blob(&blob) {
                tracing::warn!(erreur = %err, "contenu non gardé resté sur disque (orphelin retiré au prochain démarrage)");
            }
            e
        };
        let rang = self.depot.sequence_suivante(&format!("pieces-{num}")).map_err(|e| abandon(e.into()))?;
        let piece = Piece {
            id: nouvel_id(rang),
            num: num.to_string(),
            categorie: description.categorie,
            sensible: description.sensible,
            personne: description.personne,
            nom_fichier: Contenu(description.nom_fichier.into_bytes()),
            content_type: format.content_type().to_string(),
            taille: reception.taille,
            empreinte,
            deposee_le: maintenant,
            deposant: appelant.auteur().to_string(),
            date_document: description.date_document,
            statut: Statut::Deposee.code().to_string(),
            motif_statut: None,
            modifiee_le: maintenant,
            blob: blob.clone(),
        };
        // The search finds the application by the categories it holds.
        let categorie = super::recherche::entree_categorie(&entete.attributs, &piece.categorie);
        let transaction = Transaction {
            ecritures: vec![
                Ecriture::AjouterPiece(piece.clone()),
                Ecriture::Indexer { num: num.to_string(), retirer: Vec::new(), ajouter: vec![categorie] },
                Ecriture::Journaliser(self.entree(appelant, num, "deposerPiece")),
            ],
        };
        if let Err(e) = self.compute.run(|| self.depot.appliquer(transaction)).await {
            let e = match e {
                DepotError::Inconnue(_) => RefusPiece::DemandeInconnue(num.to_string()).into(),
                e => e.into(),
            };
            return Err(abandon(e));
        }
        self.depot.durable().await?;
        Ok(Depot { piece, deja_deposee: false })
    }

    /// Whether `appelant`'s profile deposits at all (counters, scanning providers, applicants).
    pub fn peut_deposer(&self, appelant: &Guichet) -> Result<(), PieceError> {
        match appelant.profil {
            Profil::Guichet | Profil::Prestataire { .. } | Profil::Demandeur { .. } => Ok(()),
            _ => Err(refuse(appelant, "de déposer des pièces")),
        }
    }

    /// The pieces of `num` the caller may see, by deposit time, after recording the read.
    pub async fn lister_pieces(
        &self,
        appelant: &Guichet,
        num: &NumUnique,
        categorie: Option<&str>,
    ) -> Result<Vec<Piece>, PieceError> {
        if matches!(appelant.profil, Profil::Prestataire { .. }) {
            return Err(refuse(appelant, "de lister des pièces"));
        }
        self.demande_visible(appelant, num.as_str())?;
        let mut pieces: Vec<Piece> = self
            .depot
            .pieces(num.as_str())?
            .into_iter()
            .filter(|p| voit_la_piece(appelant, p))
            .filter(|p| categorie.is_none_or(|c| p.categorie == c))
            .collect();
        pieces.sort_by(|a, b| (a.deposee_le, &a.id).cmp(&(b.deposee_le, &b.id)));
        self.journaliser_pieces(appelant, num.as_str(), "listerPieces").await?;
        Ok(pieces)
    }

    /// A piece the caller may read, with its content, after recording the read.
    pub async fn lire_piece(
        &self,
        appelant: &Guichet,
        id: &str,
    ) -> Result<(Piece, Box<dyn std::io::Read + Send>), PieceError> {
        if !matches!(
            appelant.profil,
            Profil::Guichet
                | Profil::Consultant(Consultation::Demande | Consultation::Sensible)
                | Profil::Demandeur { .. }
        ) {
            return Err(refuse(appelant, "de lire le contenu des pièces"));
        }
        // An applicant reads back what they deposited themselves.
        let piece = self.piece_visible(appelant, id, |p| match appelant.profil {
            Profil::Demandeur { .. } => p.deposant == AUTEUR_DEMANDEUR,
            ref profil => lit_le_contenu(profil, p.sensible),
        })?;
        let contenu = self.depot.lire_blob(&piece)?;
        self.journaliser_pieces(appelant, &piece.num, &format!("getPiece/{}", piece.id)).await?;
        Ok((piece, contenu))
    }

    /// Qualifies a piece (counters of the territory).
    pub async fn qualifier_piece(
        &self,
        appelant: &Guichet,
        id: &str,
        statut: Statut,
        motif: Option<String>,
    ) -> Result<Piece, PieceError> {
        if appelant.profil != Profil::Guichet {
            return Err(refuse(appelant, "de qualifier des pièces"));
        }
        let mut piece = self.piece_visible(appelant, id, |_| true)?;
        piece.statut = statut.code().to_string();
        piece.motif_statut = motif.filter(|m| !m.trim().is_empty()).map(|m| Contenu(m.into_bytes()));
        piece.modifiee_le = self.horloge.maintenant();
        let acces = Ecriture::Journaliser(Acces {
            num: piece.num.clone(),
            horodatage: piece.modifiee_le,
            qui: appelant.auteur().to_string(),
            operation: format!("qualifierPiece/{}", piece.id),
        });
        let transaction = Transaction { ecritures: vec![Ecriture::RemplacerPiece(piece.clone()), acces] };
        self.depot.appliquer(transaction).map_err(|e| match e {
            DepotError::Inconnue(_) => PieceError::Refus(RefusPiece::PieceInconnue(id.to_string())),
            e => e.into(),
        })?;
        self.depot.durable().await?;
        Ok(piece)
    }

    /// Deletes a piece: only the identity that deposited it, only while the application is active.
    pub async fn supprimer_piece(&self, appelant: &Guichet, id: &str) -> Result<Piece, PieceError> {
        if !supprime_des_pieces(&appelant.profil) {
            return Err(refuse(appelant, SUPPRIMER));
        }
        let piece = self.piece_visible(appelant, id, |p| voit_la_piece(appelant, p))?;
        let entete = self.demande_visible(appelant, &piece.num)?;
        peut_supprimer(appelant, &piece, entete.attributs.etat)?;
        let maintenant = self.horloge.maintenant();
        // The deletion is in the application's journal, with who did it, in the same transaction.
        let mut transaction = Transaction {
            ecritures: vec![
                Ecriture::RetirerPiece { num: piece.num.clone(), id: piece.id.clone(), horodatage: maintenant },
                Ecriture::Journaliser(Acces {
                    num: piece.num.clone(),
                    horodatage: maintenant,
                    qui: appelant.auteur().to_string(),
                    operation: format!("supprimerPiece/{}", piece.id),
                }),
            ],
        };
        // The last piece of its category gone, the search no longer finds the application by it.
        let autres = self.depot.pieces(&piece.num)?;
        if !autres.iter().any(|p| p.id != piece.id && p.categorie == piece.categorie) {
            transaction.ecritures.push(Ecriture::Indexer {
                num: piece.num.clone(),
                retirer: vec![super::recherche::entree_categorie(&entete.attributs, &piece.categorie)],
                ajouter: Vec::new(),
            });
        }
        self.depot.appliquer(transaction).map_err(|e| match e {
            DepotError::Inconnue(_) => PieceError::Refus(RefusPiece::PieceInconnue(id.to_string())),
            e => e.into(),
        })?;
        self.depot.durable().await?;
        Ok(piece)
    }

    /// The completeness of `num`'s dossier, on the pieces the caller sees.
    pub fn etat_dossier(&self, appelant: &Guichet, num: &NumUnique) -> Result<EtatDossier, PieceError> {
        if matches!(appelant.profil, Profil::Prestataire { .. }) {
            return Err(refuse(appelant, "de consulter l'état des dossiers"));
        }
        let entete = self.demande_visible(appelant, num.as_str())?;
        // The applicant's dossier counts every piece, even a service's sensitive one they do not
        // see: it is theirs, and they are not asked again for what is there. Others count what
        // they see, so completeness tells nothing of a piece hidden from them.
        let compte = |p: &Piece| matches!(appelant.profil, Profil::Demandeur { .. }) || voit_la_piece(appelant, p);
        let pieces: Vec<Piece> = self.depot.pieces(num.as_str())?.into_iter().filter(compte).collect();
        Ok(etat_du_dossier(
            self.pieces.regle(&entete.attributs.territoire),
            entete.attributs.date_enregistrement,
            &pieces,
        ))
    }

    /// When the pieces of `num` last changed (for `dateDerniereModificationPiece`).
    pub fn modification_pieces(&self, num: &NumUnique) -> Result<Option<OffsetDateTime>, PieceError> {
        Ok(self.depot.modification_pieces(num.as_str())?)
    }

    fn piece_visible(&self, appelant: &Guichet, id: &str, voit: impl Fn(&Piece) -> bool) -> Result<Piece, PieceError> {
        let inconnue = || PieceError::Refus(RefusPiece::PieceInconnue(crate::text::extrait(id, 40)));
        let piece = self.depot.piece(id)?.ok_or_else(inconnue)?;
        if self.demande_visible(appelant, &piece.num).is_err() || !voit(&piece) {
            return Err(inconnue());
        }
        Ok(piece)
    }

    async fn journaliser_pieces(&self, appelant: &Guichet, num: &str, operation: &str) -> Result<(), PieceError> {
        self.depot.journaliser(vec![self.entree(appelant, num, operation)]).await?;
        Ok(())
    }
}

/// One incomplete active dossier of the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DossierIncomplet {
    /// The counter that registered it.
    pub guichet: String,
    /// Its number.
    pub num: String,
    /// When the registration pieces were due.
    pub date_limite: Date,
    /// Requirements not met at registration (alternatives joined by `|`).
    pub enregistrement: Vec<String>,
    /// Requirements not met for the committee.
    pub commission: Vec<String>,
}

impl Registry {
    /// The active dossiers of `territoire` that are incomplete for a stage, by counter then
    /// number (an operators' report: it reads every application of the store).
    pub fn rapport_pieces(&self, territoire: &str) -> Result<Vec<DossierIncomplet>, PieceError> {
        let regle = self.pieces.regle(territoire);
        let mut out = Vec::new();
        let mut apres: Option<String> = None;
        loop {
            let nums = self.depot.numeros(apres.as_deref(), 1000)?;
            let Some(dernier) = nums.last().cloned() else { break };
            for num in nums {
                let Some(e) = self.depot.entete(&num)? else { continue };
                if e.attributs.territoire != territoire || e.attributs.etat != Etat::Active {
                    continue;
                }
                let pieces = self.depot.pieces(&num)?;
                let etat = etat_du_dossier(regle, e.attributs.date_enregistrement, &pieces);
                let manquantes = |code: &str| -> Vec<String> {
                    etat.etapes
                        .iter()
                        .filter(|x| x.code == code)
                        .flat_map(|x| &x.exigences)
                        .filter(|(_, s)| *s != EtatExigence::Presente)
                        .map(|(x, _)| x.categories.join("|"))
                        .collect()
                };
                let (enregistrement, commission) = (manquantes("ENREGISTREMENT"), manquantes("COMMISSION"));
                if !enregistrement.is_empty() || !commission.is_empty() {
                    out.push(DossierIncomplet {
                        guichet: e.attributs.guichet.clone(),
                        num,
                        date_limite: etat.date_limite,
                        enregistrement,
                        commission,
                    });
                }
            }
            apres = Some(dernier);
        }
        out.sort_by(|a, b| (&a.guichet, &a.num).cmp(&(&b.guichet, &b.num)));
        Ok(out)
    }
}

/// The completeness of a dossier registered on `enregistrement` holding `pieces`.
pub fn etat_du_dossier(regle: &RegleTerritoire, enregistrement: Date, pieces: &[Piece]) -> EtatDossier {
    let etat = |e: &Exigence| {
        let mut etat = EtatExigence::Manquante;
        for p in pieces.iter().filter(|p| e.categories.contains(&p.categorie)) {
            match Statut::parse(&p.statut) {
                Some(Statut::Deposee) => return EtatExigence::Presente,
                Some(Statut::Inexploitable) => etat = EtatExigence::Inexploitable,
                _ => {}
            }
        }
        etat
    };
    let etape = |code: &'static str, exigences: &[Exigence]| {
        let exigences: Vec<(Exigence, EtatExigence)> = exigences.iter().map(|e| (e.clone(), etat(e))).collect();
        EtapeDossier { code, complet: exigences.iter().all(|(_, s)| *s == EtatExigence::Presente), exigences }
    };
    EtatDossier {
        ouverture: regle.ouverture,
        date_limite: enregistrement.saturating_add(time::Duration::days(i64::from(regle.delai_depot_jours))),
        etapes: vec![etape("ENREGISTREMENT", &regle.enregistrement), etape("COMMISSION", &regle.commission)],
    }
}

/// The format a content type designates, if it is one the service accepts (for messages).
pub fn format_accepte(content_type: &str) -> Option<Format> {
    [Format::Pdf, Format::Jpeg, Format::Png, Format::Tiff].into_iter().find(|f| f.accepte_type(content_type))
}
