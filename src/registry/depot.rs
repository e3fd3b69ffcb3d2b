//! What the registry needs from storage (DESIGN.md, seam 1): the port every engine implements.
//!
//! The registry names its needs in its own words and the store (`src/store/`) implements them,
//! once per engine. **This module is the only part of the registry the store may name**: plain
//! types and one trait, no rule.
//!
//! The trait maps one-to-one onto SQL: [`Depot::appliquer`] is one transaction (its conditions
//! are `WHERE version = $lue` clauses; a failed condition rolls everything back), reads are
//! `SELECT`s, [`Depot::parcourir`] is an index range scan with keyset paging,
//! [`Depot::durable`] is the point where a commit is on disk, and [`Depot::journaliser`] is an
//! `INSERT` into the access journal committed on its own (the database's group commit shares
//! the flushes; a replica keeps nothing of it on its local disk). An application is a row of clear,
//! non-personal [`Attributs`] plus a sealed content per version; sealing, identity hashing and the
//! destruction of keys belong to the store, above the engine, so there is one owner of the
//! encoding.

use std::fmt;
use std::future::Future;
use std::pin::Pin;

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

/// Why storage refused or failed. Messages in French, never with personal data.
#[derive(Debug, thiserror::Error)]
pub enum DepotError {
    /// A creation named an application that exists (or existed: numbers are never reused).
    #[error("la demande {0} existe déjà")]
    Existe(String),
    /// A replacement or erasure named an application that is not stored.
    #[error("la demande {0} est inconnue du stockage")]
    Inconnue(String),
    /// A unique index entry is held by another application (`UNIQUE` constraint).
    #[error("la valeur d'index unique {index} est déjà celle de la demande {num}")]
    Unique {
        /// The index.
        index: String,
        /// The application holding the value.
        num: String,
    },
    /// The version read is no longer the current one: someone else wrote in between.
    #[error("la demande {num} a changé depuis sa lecture (version {lue} lue, {actuelle} en stock)")]
    Conflit {
        /// The application.
        num: String,
        /// The version the writer read.
        lue: u32,
        /// The version stored now.
        actuelle: u32,
    },
    /// An argument cannot be stored (empty sequence name, malformed number, a control character
    /// in an index value).
    #[error("argument invalide pour le stockage : {0}")]
    Argument(String),
    /// A stored value cannot be read back.
    #[error("donnée corrompue sous la clé {cle} : {raison}")]
    Corrompue {
        /// The storage key.
        cle: String,
        /// What is wrong with it.
        raison: String,
    },
    /// The engine failed (IO, failed flush, closed store); the store's own error is the source.
    #[error("erreur du stockage : {0}")]
    Moteur(#[source] Box<dyn std::error::Error + Send + Sync>),
}

/// The state of a stored application. An erased one is not stored: only its [`Effacement`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Etat {
    /// Registered and valid (possibly past its expiry, until the system radiates it).
    Active,
    /// Radiated; erased one year later.
    Radiee,
}

/// A radiation as stored in clear (motive codes are not personal).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Radiation {
    /// Radiation date given in the file (or the system's day for `RADREN`).
    pub date: Date,
    /// `RADABA`, `RADATT`, `RADCON`, `RADIRR`, `RADREN`.
    pub motif: String,
    /// The Paris day the radiation was recorded, from which erasure and undoing are counted.
    pub enregistree_le: Date,
    /// `attributionLogement/typeReservataire` of a `RADATT` (not personal: who reserved the
    /// dwelling), for the radiated-since filters.
    pub type_reservataire: Option<String>,
}

/// The clear, non-personal attributes of an application: what rules, indexes and time rules
/// read without opening the sealed content. An SQL engine stores them as columns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attributs {
    /// Territory code.
    pub territoire: String,
    /// Counter that registered it.
    pub guichet: String,
    /// Active or radiated.
    pub etat: Etat,
    /// Seniority: first filing (for `CRS`, the original application's).
    pub date_depot: Date,
    /// The Paris day it was registered.
    pub date_enregistrement: Date,
    /// Last renewal, if any.
    pub date_renouvellement: Option<Date>,
    /// End of validity (one year after the first filing or the last renewal).
    pub date_expiration: Date,
    /// The current radiation, if radiated.
    pub radiation: Option<Radiation>,
    /// Desired communes (INSEE codes).
    pub communes: Vec<String>,
    /// The application this one was split from (`CRS`).
    pub num_associe: Option<String>,
    /// DALO status code, when a decision was declared.
    pub statut_dalo: Option<String>,
    /// When the last DALO decision was declared.
    pub date_dalo: Option<OffsetDateTime>,
    /// The date of that DALO decision (`dateDecisionDalo`).
    pub decision_dalo: Option<Date>,
    /// Keyed hash of the counter's `refInterne`, which makes a repeated CRE a safe retry.
    pub cle_ref_interne: Option<String>,
}

/// A content given to or read from storage: the business file, personal data. It is sealed
/// before it reaches an engine; its `Debug` shows the size only, so a stray `{:?}` cannot log it.
#[derive(Clone, PartialEq, Eq)]
pub struct Contenu(pub Vec<u8>);

impl fmt::Debug for Contenu {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Contenu(<{} octets>)", self.0.len())
    }
}

/// Who wrote a version, when, and what file type it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionInfo {
    /// 1 for the registration, then one more per accepted change.
    pub version: u32,
    /// `CRE`, `CRS`, `MOD`, `REN`, `RAD`, `DALO`, or `RADREN` for the system's radiation.
    pub type_fichier: String,
    /// The counter's code, or `systeme`.
    pub auteur: String,
    /// When it was accepted.
    pub horodatage: OffsetDateTime,
}

/// An application as read: its current attributes and content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fiche {
    /// Registration number.
    pub num: String,
    /// The current version, to give back to a conditional [`Ecriture::Remplacer`].
    pub version: u32,
    /// Clear attributes.
    pub attributs: Attributs,
    /// The current content.
    pub contenu: Contenu,
}

/// An application's clear part only (no decryption).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entete {
    /// Registration number.
    pub num: String,
    /// The current version.
    pub version: u32,
    /// Clear attributes.
    pub attributs: Attributs,
}

/// One entry of an index: the registry chooses the index names and their values.
///
/// Values are compared as bytes, so dates are written `YYYY-MM-DD`. A value derived from personal
/// data must be a keyed hash ([`Depot::empreinte`]), never the data itself.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct CleIndex {
    /// Index name (`identite`, `expiration`...).
    pub index: String,
    /// Value under which the application is found.
    pub valeur: String,
    /// No two applications may hold this value in this index ([`DepotError::Unique`]).
    pub unique: bool,
    /// A number kept with the entry and returned by scans (0 when the index needs none): what
    /// would otherwise take entries of their own, such as which persons of an application hold
    /// a value.
    #[serde(default)]
    pub donnee: u32,
}

impl CleIndex {
    /// An entry of `index` at `valeur`.
    pub fn new(index: &str, valeur: impl Into<String>) -> CleIndex {
        CleIndex { index: index.to_string(), valeur: valeur.into(), unique: false, donnee: 0 }
    }

    /// An entry of `index` at `valeur` that keeps `donnee`.
    pub fn avec(index: &str, valeur: impl Into<String>, donnee: u32) -> CleIndex {
        CleIndex { donnee, ..CleIndex::new(index, valeur) }
    }

    /// An entry no other application may hold.
    pub fn unique(index: &str, valeur: impl Into<String>) -> CleIndex {
        CleIndex { unique: true, ..CleIndex::new(index, valeur) }
    }
}

/// What remains of an erased application: nothing personal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Effacement {
    /// Territory code.
    pub territoire: String,
    /// Counter that registered it.
    pub guichet: String,
    /// When it was erased.
    pub horodatage: OffsetDateTime,
    /// Why (`radiée depuis un an`, `supprimée par le guichet`...).
    pub motif: String,
}

/// A staff account of the web console. It acts as the identity it belongs to (a counter or a
/// consultant service of the configuration, by code). The password is kept only as an Argon2id
/// hash in PHC form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agent {
    /// Login, lower case.
    pub login: String,
    /// Name shown in the console and the journal.
    pub nom: String,
    /// Code of the identity it acts as.
    pub rattachement: String,
    /// `$argon2id$...` of the password.
    pub hachage: String,
    /// A deactivated account signs in no more (kept for the journal).
    pub actif: bool,
    /// Creation.
    pub cree_le: OffsetDateTime,
    /// Last change (password, deactivation).
    pub modifie_le: OffsetDateTime,
}

/// One read of nominative data, as the access journal keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Acces {
    /// The application read.
    pub num: String,
    /// When.
    pub horodatage: OffsetDateTime,
    /// Who: a counter's code, a consultant, `systeme`.
    pub qui: String,
    /// Which operation (`getDemandeLogement`, `getNumUnique/MOD`...).
    pub operation: String,
}

/// A supporting document of an application (dossier unique): its clear metadata, and the name
/// of the blob that holds its content, encrypted with the application's key. The file name and
/// the qualification's reason are personal or free text: the store seals them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    /// Opaque identifier (`PJ` + 24 hex digits).
    pub id: String,
    /// The application it belongs to.
    pub num: String,
    /// Category code.
    pub categorie: String,
    /// Whether the category is sensitive (fixed at deposit).
    pub sensible: bool,
    /// Who it concerns: `DEM`, `COT<n>`, `PAC<n>`.
    pub personne: String,
    /// File name as the depositor knows it (sealed).
    pub nom_fichier: Contenu,
    /// MIME type of the recognised format.
    pub content_type: String,
    /// Size in bytes.
    pub taille: u64,
    /// SHA-256 of the content, lowercase hex.
    pub empreinte: String,
    /// When it was deposited.
    pub deposee_le: OffsetDateTime,
    /// Code of the depositing identity (counter or scanning provider).
    pub deposant: String,
    /// Date of the document, when given.
    pub date_document: Option<Date>,
    /// `DEPOSEE`, `INEXPLOITABLE`, `HORS_PERIMETRE`, `OBSOLETE`.
    pub statut: String,
    /// Why it was qualified (sealed).
    pub motif_statut: Option<Contenu>,
    /// Last change of its record (deposit, qualification).
    pub modifiee_le: OffsetDateTime,
    /// Name of the blob holding the content ([`Depot::ecrire_blob`]).
    pub blob: String,
}

/// An event of an application (shared management: a visit, a proposal, a committee decision),
/// with its history. Its comment and the values of its characteristics are free text: the
/// store seals them with the application's key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evenement {
    /// Identifier, unique across the registry (`idEvenement`).
    pub id: u64,
    /// The application.
    pub num: String,
    /// 1 when created, one more per change; [`Ecriture::EcrireEvenement`] is conditional on it.
    pub version: u32,
    /// Type code.
    pub code_type: String,
    /// Whether its type is regulatory (fixed at creation).
    pub reglementaire: bool,
    /// Who created it (a counter's code) and when.
    pub creation: (String, OffsetDateTime),
    /// Every change after the creation, oldest first: who, when, its nature.
    pub modifications: Vec<ModificationEvenement>,
    /// When it happened.
    pub date_survenance: Option<Date>,
    /// Free comment (sealed).
    pub commentaire: Option<Contenu>,
    /// Values of its specific characteristics: (code, value sealed).
    pub valeurs: Vec<(String, Contenu)>,
}

/// One change of an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModificationEvenement {
    /// Who (a counter's code).
    pub auteur: String,
    /// When.
    pub horodatage: OffsetDateTime,
    /// Its nature (`MODIF`, `SUPPR`, or what the counter declared, 6 characters at most).
    pub nature: String,
}

/// A specific characteristic an event type asks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaracteristiqueType {
    /// Code.
    pub code: String,
    /// Label.
    pub libelle: String,
    /// Kind of value (3 characters: `TXT`, `DAT`, `NUM`, `BOO`...).
    pub type_valeur: String,
    /// Whether an event of the type must give it.
    pub obligatoire: bool,
    /// What it is.
    pub texte_descriptif: String,
    /// How to fill it in.
    pub aide_a_la_saisie: String,
    /// First day it applies.
    pub debut_validite: Option<Date>,
    /// Last day it applies.
    pub fin_validite: Option<Date>,
}

/// A type of event: national (`territoire` empty) or of one territory. Not personal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TypeEvenement {
    /// Code, 10 letters or digits at most.
    pub code: String,
    /// The territory it belongs to; `None` for a national type.
    pub territoire: Option<String>,
    /// Label.
    pub libelle: String,
    /// Description for the applicants' portal.
    pub texte_pgp: String,
    /// Description for the services.
    pub texte_sne: String,
    /// Shown on the applicants' portal.
    pub a_publier: bool,
    /// Usable for multiple allocations under conditions.
    pub multiples_attributions: bool,
    /// Usable as a search criterion by instructing services.
    pub recherche_instruction: bool,
    /// Regulatory: its events cannot be deleted.
    pub reglementaire: bool,
    /// First day events of the type may be dated.
    pub debut_validite: Option<Date>,
    /// Last day events of the type may be dated.
    pub fin_validite: Option<Date>,
    /// Characteristics its events carry.
    pub caracteristiques: Vec<CaracteristiqueType>,
}

/// A blob being written: encrypted with its application's key as the bytes come, in a temporary
/// file. Dropped without [`EcritureBlob::terminer`], it leaves nothing behind.
pub trait EcritureBlob: Send {
    /// Appends bytes.
    fn ecrire(&mut self, donnees: &[u8]) -> Result<(), DepotError>;
    /// Closes the stream (its end authenticated), syncs the file, moves it into place and syncs
    /// the directory; returns the blob's name, to be recorded by [`Ecriture::AjouterPiece`].
    /// Until that transaction is durable, a crash leaves an orphan the store removes at start.
    fn terminer(self: Box<Self>) -> Result<String, DepotError>;
}

/// One write of a [`Transaction`].
#[derive(Debug, Clone)]
pub enum Ecriture {
    /// Stores a new application at version 1; [`DepotError::Existe`] if the number exists or was
    /// erased.
    Creer {
        /// Registration number.
        num: String,
        /// Its attributes.
        attributs: Attributs,
        /// Its first version (`version` must be 1).
        info: VersionInfo,
        /// Its content.
        contenu: Contenu,
        /// Its index entries.
        index: Vec<CleIndex>,
    },
    /// Writes a new version of an application, if its current version is still `lue`
    /// ([`DepotError::Conflit`] otherwise); its index entries become `index`.
    Remplacer {
        /// Registration number.
        num: String,
        /// The version read before deciding this change.
        lue: u32,
        /// The new attributes.
        attributs: Attributs,
        /// The new version (`version` must be `lue + 1`).
        info: VersionInfo,
        /// The new content.
        contenu: Contenu,
        /// The new index entries (replacing all the old ones).
        index: Vec<CleIndex>,
    },
    /// Erases an application at version `lue`: content, versions, index entries and journal go,
    /// its key is destroyed, and `effacement` remains.
    Effacer {
        /// Registration number.
        num: String,
        /// The version read before deciding the erasure.
        lue: u32,
        /// What remains.
        effacement: Effacement,
    },
    /// Changes some index entries of a stored application without writing a version (what the
    /// application's pieces put in the search index): entries of `retirer` go (matched by index
    /// and value), those of `ajouter` come; [`DepotError::Inconnue`] if it is not stored. A later
    /// [`Ecriture::Remplacer`] replaces them with the rest, so its writer keeps what it needs.
    Indexer {
        /// Registration number.
        num: String,
        /// Entries removed.
        retirer: Vec<CleIndex>,
        /// Entries added.
        ajouter: Vec<CleIndex>,
    },
    /// Appends to the access journal.
    Journaliser(Acces),
    /// Writes an event: a new one when `lue` is `None` ([`DepotError::Existe`] if the id is
    /// taken), else a change of the stored one at version `lue` ([`DepotError::Conflit`] if it
    /// moved, [`DepotError::Inconnue`] if absent or of another application). The application
    /// must be stored.
    EcrireEvenement {
        /// The event as it is to be stored.
        evenement: Evenement,
        /// The version the writer read.
        lue: Option<u32>,
    },
    /// Removes an event at version `lue` (its history goes with it: a deleted event leaves a
    /// `SUPPR` line in the access journal instead).
    RetirerEvenement {
        /// The application.
        num: String,
        /// The event.
        id: u64,
        /// The version the writer read.
        lue: u32,
    },
    /// Adds or replaces an event type (same code and territory).
    EcrireTypeEvenement(TypeEvenement),
    /// Adds or replaces a staff account of the web console (same login).
    EcrireAgent(Agent),
    /// Sets the keyed hash of the applicant's access code of a stored application
    /// ([`DepotError::Inconnue`] otherwise), replacing the previous one; erased with it.
    DefinirCodeAcces {
        /// The application.
        num: String,
        /// Keyed hash of the code ([`Depot::empreinte`]).
        empreinte: String,
    },
    /// Records a piece whose blob is written ([`EcritureBlob::terminer`]); the application must
    /// be stored ([`DepotError::Inconnue`]) and the id new ([`DepotError::Existe`]). The
    /// application's last piece change becomes `piece.modifiee_le`.
    AjouterPiece(Piece),
    /// Replaces the record of a stored piece (same id, same application, same blob).
    RemplacerPiece(Piece),
    /// Removes a piece; its blob is destroyed once the removal is durable.
    RetirerPiece {
        /// The application.
        num: String,
        /// The piece.
        id: String,
        /// When, as the application's last piece change.
        horodatage: OffsetDateTime,
    },
}

/// Writes applied together or not at all.
#[derive(Debug, Clone, Default)]
pub struct Transaction {
    /// The writes, in order.
    pub ecritures: Vec<Ecriture>,
}

impl Transaction {
    /// A transaction of one write.
    pub fn une(ecriture: Ecriture) -> Transaction {
        Transaction { ecritures: vec![ecriture] }
    }
}

/// A position in an index, to resume a scan after it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Curseur {
    /// Value of the last entry returned.
    pub valeur: String,
    /// Number of the last entry returned.
    pub num: String,
}

/// A range of one index: values from `debut` (inclusive) to `fin` (exclusive, or to the end),
/// from the entry `depuis` on, resumed after `apres`.
#[derive(Debug, Clone, Default)]
pub struct Plage {
    /// First value included.
    pub debut: String,
    /// First value excluded; `None` scans to the end of the index.
    pub fin: Option<String>,
    /// Resume strictly after this entry.
    pub apres: Option<Curseur>,
    /// Start at this entry, included (a seek to a (value, number) position); `apres` wins.
    pub depuis: Option<Curseur>,
}

impl Plage {
    /// Exactly the entries at `valeur`.
    pub fn egale(valeur: &str) -> Plage {
        // Values hold no control character, so `valeur` + U+0001 sorts right after `valeur`
        // and before every longer value starting with it.
        Plage { debut: valeur.to_string(), fin: Some(format!("{valeur}\u{1}")), ..Plage::default() }
    }

    /// Values in `[debut, fin)`.
    pub fn entre(debut: &str, fin: &str) -> Plage {
        Plage { debut: debut.to_string(), fin: Some(fin.to_string()), ..Plage::default() }
    }
}

/// Calls `f` on every entry of `index` in `plage`, reading `lot` entries at a time: a long
/// range never sits whole in memory, and a page cut by its limit resumes where it stopped.
pub fn pour_chaque_entree<E: From<DepotError>>(
    depot: &dyn Depot,
    index: &str,
    mut plage: Plage,
    lot: usize,
    mut f: impl FnMut(EntreeIndex) -> Result<(), E>,
) -> Result<(), E> {
    loop {
        let page = depot.parcourir(index, &plage, lot)?;
        for entree in page.entrees {
            f(entree)?;
        }
        match page.suite {
            Some(c) => plage.apres = Some(c),
            None => return Ok(()),
        }
    }
}

/// One entry a scan found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntreeIndex {
    /// Its value.
    pub valeur: String,
    /// The application holding it.
    pub num: String,
    /// What the entry keeps ([`CleIndex::donnee`]).
    pub donnee: u32,
}

/// A page of index entries, in (value, number) order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// The entries.
    pub entrees: Vec<EntreeIndex>,
    /// Where the next page starts, when this one was cut by its limit.
    pub suite: Option<Curseur>,
}

/// A future answering when writes made so far are on disk.
pub type Durabilite = Pin<Box<dyn Future<Output = Result<(), DepotError>> + Send + 'static>>;

/// Storage as the registry needs it. See the module comment for the SQL reading of each method.
pub trait Depot: Send + Sync + 'static {
    /// Atomically increments the sequence `nom` and returns the new value (1 for the first).
    /// A value is never handed out twice once a later [`Depot::durable`] returned.
    fn sequence_suivante(&self, nom: &str) -> Result<u64, DepotError>;

    /// The current value of a sequence (0 if never used).
    fn sequence_actuelle(&self, nom: &str) -> Result<u64, DepotError>;

    /// The application `num` with its current content, if stored.
    fn lire(&self, num: &str) -> Result<Option<Fiche>, DepotError>;

    /// The clear part of `num`, without decrypting anything.
    fn entete(&self, num: &str) -> Result<Option<Entete>, DepotError>;

    /// Every version of `num`, oldest first (empty when not stored).
    fn versions(&self, num: &str) -> Result<Vec<VersionInfo>, DepotError>;

    /// One version's content.
    fn contenu_version(&self, num: &str, version: u32) -> Result<Option<Contenu>, DepotError>;

    /// The erasure record of `num`, if it was erased.
    fn effacement(&self, num: &str) -> Result<Option<Effacement>, DepotError>;

    /// The index entries `num` has now (empty when not stored).
    fn index_de(&self, num: &str) -> Result<Vec<CleIndex>, DepotError>;

    /// Entries of `index` in `plage`, at most `limite` of them.
    fn parcourir(&self, index: &str, plage: &Plage, limite: usize) -> Result<Page, DepotError>;

    /// Numbers of stored applications after `apres`, in order, at most `limite` of them.
    fn numeros(&self, apres: Option<&str>, limite: usize) -> Result<Vec<String>, DepotError>;

    /// What is wrong in storage (a content that does not open, an index entry without its
    /// application...), in French; empty when all is well.
    fn verifier(&self) -> Result<Vec<String>, DepotError>;

    /// The access journal of `num`, oldest first.
    fn journal(&self, num: &str) -> Result<Vec<Acces>, DepotError>;

    /// The keyed hash under which a personal value (a normalised identity) may be indexed.
    fn empreinte(&self, valeur: &str) -> String;

    /// The pieces of `num`, by id.
    fn pieces(&self, num: &str) -> Result<Vec<Piece>, DepotError>;

    /// A piece by id, whatever its application.
    fn piece(&self, id: &str) -> Result<Option<Piece>, DepotError>;

    /// When the pieces of `num` last changed (deposit, qualification, removal).
    fn modification_pieces(&self, num: &str) -> Result<Option<OffsetDateTime>, DepotError>;

    /// Starts a blob for a piece of `num`, encrypted with its key ([`DepotError::Inconnue`] if
    /// it is not stored).
    fn ecrire_blob(&self, num: &str) -> Result<Box<dyn EcritureBlob>, DepotError>;

    /// Destroys a finished blob that no piece will record (a refused or repeated deposit).
    fn abandonner_blob(&self, blob: &str) -> Result<(), DepotError>;

    /// Reads a piece's content, decrypted and authenticated chunk by chunk as it is read: a
    /// tampered or truncated blob is an error, never wrong bytes.
    fn lire_blob(&self, piece: &Piece) -> Result<Box<dyn std::io::Read + Send>, DepotError>;

    /// The events of `num`, by id.
    fn evenements(&self, num: &str) -> Result<Vec<Evenement>, DepotError>;

    /// An event by id, whatever its application.
    fn evenement(&self, id: u64) -> Result<Option<Evenement>, DepotError>;

    /// Every event type, national ones first, then by territory and code.
    fn types_evenements(&self) -> Result<Vec<TypeEvenement>, DepotError>;

    /// A staff account by login.
    fn agent(&self, login: &str) -> Result<Option<Agent>, DepotError>;

    /// Every staff account, by login.
    fn agents(&self) -> Result<Vec<Agent>, DepotError>;

    /// The keyed hash of the applicant's access code of `num`, if one was issued.
    fn code_acces(&self, num: &str) -> Result<Option<String>, DepotError>;

    /// Applies a transaction: all its conditions hold and all its writes are made, or nothing.
    /// Visible to later reads at once; on disk once a later [`Depot::durable`] returns.
    fn appliquer(&self, transaction: Transaction) -> Result<(), DepotError>;

    /// Completes when everything applied before the call is on disk. Concurrent callers share
    /// flushes.
    fn durable(&self) -> Durabilite;

    /// Records reads of nominative data in the access journal. Completes when these entries are
    /// on disk, **and every write applied before the call** (what the caller read is never
    /// newer than what is durable). Cheaper than a transaction followed by
    /// [`Depot::durable`]: the entries need not wait for a flush of the whole store. An answer
    /// carrying what was read leaves only after this completes.
    fn journaliser(&self, acces: Vec<Acces>) -> Durabilite;
}
