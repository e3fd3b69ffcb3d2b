//! Persistent store: the registry's storage port ([`crate::registry::depot::Depot`]) over an
//! embedded key-value engine (sled), sealed and durable.
//!
//! **The store knows nothing of SOAP, XML or housing rules.** It keeps what the registry hands it:
//! clear, non-personal attributes, sealed contents per version, index entries, the access
//! journal, erasure records. **No store key and no clear value holds a name, a birth date or any
//! document byte**: identities reach it already as keyed hashes ([`Depot::empreinte`]).
//!
//! Keyspace (one engine keyspace, key prefixes; `\0` separates index parts):
//!
//! | key | value |
//! |---|---|
//! | `meta/version` | format version byte |
//! | `meta/keycheck` | HMAC of the master key over a fixed label, to refuse a wrong key at open |
//! | `meta/coffre` | big-endian `u64`: vault slots handed out |
//! | `meta/effacements` | big-endian `u64`: erasures made (each erasing transaction adds its own) |
//! | `meta/purge` | big-endian `u64`: erasures the engine's files were last rewritten after (`purge.rs`) |
//! | `seq/<name>` | big-endian `u64` counter |
//! | `demande/<num>` | format byte + postcard(version, vault slot, attributes) |
//! | `version/<num>/<v: u32 BE>` | postcard(version info, sealed content) |
//! | `idx/<index>\0<value>\0<num>` | what the entry keeps: empty for 0, else `u32` BE |
//! | `idxde/<num>` | index entries of `num`, grouped by index (`index_list.rs`), to replace them on the next version |
//! | `journal/<num>/<n: u64 BE>` | postcard(access) |
//! | `efface/<num>` | postcard(erasure record) |
//! | `agent/<login>` | postcard(staff account of the web console) |
//! | `codeacces/<num>` | keyed hash of the applicant's access code |
//!
//! Data keys live in the vault file (`coffre.rs`), not in the engine, so that erasing destroys
//! them. Writes reach the disk only through [`Store::durable`], which batches concurrent callers
//! into one flush (vault first, then engine; destroyed keys are overwritten after the flush that
//! made their erasure durable).

mod backup;
mod blobs;
mod coffre;
mod comptes;
pub mod droits;
mod engine;
mod evenements;
mod failing;
mod group_commit;
mod index_list;
mod master_key;
mod memoire;
mod purge;
mod seal;
mod wal;

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use secrecy::SecretBox;
use serde::{Deserialize, Serialize};

use crate::registry::depot::{
    Acces, Agent, Attributs, CleIndex, Contenu, Depot, DepotError, Durabilite, Ecriture, EcritureBlob, Effacement,
    Entete, EntreeIndex, Evenement, Fiche, Page, Piece, Plage, Transaction, TypeEvenement, VersionInfo,
};

pub use backup::BackupReport;
pub use engine::{
    cache_par_defaut, cache_pour, Engine, EngineError, KeyValues, Reecriture, SledEngine, WriteBatch, WriteOp,
};
pub use failing::FlushFails;
pub use master_key::MasterKey;

use blobs::Blobs;
use coffre::Coffre;
use group_commit::GroupCommit;

/// Errors of the store. Messages are in French and never contain personal data.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// File-system error outside the engine (creating the directory, starting the flusher).
    #[error("erreur d'entrée/sortie du stockage: {0}")]
    Io(#[from] std::io::Error),
    /// The engine failed (sled error, failed flush, locked directory...).
    #[error("erreur du moteur de stockage: {0}")]
    Engine(#[source] EngineError),
    /// A stored value cannot be read: unknown format version, truncation or failed
    /// authentication.
    #[error("donnée corrompue sous la clé {key}: {reason}")]
    Corrupt {
        /// The store key holding the value.
        key: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The master key file or the key vault cannot be used.
    #[error("fichier de clés {}: {reason}", path.display())]
    KeyFile {
        /// Path of the file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// The master key is not the one this store was created with.
    #[error("la clé maîtresse ne correspond pas au stockage {}", .0.display())]
    WrongMasterKey(PathBuf),
    /// An argument cannot be used as (part of) a store key or field.
    #[error("argument invalide pour le stockage: {0}")]
    InvalidArgument(String),
    /// Encryption failed (should not happen with valid keys).
    #[error("erreur de chiffrement: {0}")]
    Crypto(String),
    /// The flusher stopped.
    #[error("le stockage est fermé")]
    Closed,
    /// A backup could not be written, read or restored.
    #[error("sauvegarde : {0}")]
    Backup(String),
    /// The directory of piece contents could not be opened or cleaned.
    #[error("contenus des pièces : {0}")]
    Pieces(#[source] DepotError),
}

impl From<EngineError> for StoreError {
    fn from(error: EngineError) -> StoreError {
        StoreError::Engine(error)
    }
}

impl From<StoreError> for DepotError {
    fn from(error: StoreError) -> DepotError {
        match error {
            StoreError::Corrupt { key, reason } => DepotError::Corrompue { cle: key, raison: reason },
            StoreError::InvalidArgument(why) => DepotError::Argument(why),
            other => DepotError::Moteur(Box::new(other)),
        }
    }
}

impl From<EngineError> for DepotError {
    fn from(error: EngineError) -> DepotError {
        DepotError::Moteur(Box::new(StoreError::Engine(error)))
    }
}

const META_VERSION: &[u8] = b"meta/version";
const META_KEYCHECK: &[u8] = b"meta/keycheck";
const META_COFFRE: &[u8] = b"meta/coffre";
const MAX_NUM_UNIQUE_LEN: usize = 64;

/// What `demande/<num>` holds besides the format byte.
#[derive(Serialize, Deserialize)]
struct EnteteStockee {
    version: u32,
    slot: u64,
    attributs: Attributs,
}

/// What `version/<num>/<v>` holds.
#[derive(Serialize, Deserialize)]
struct VersionStockee {
    info: VersionInfo,
    scelle: Vec<u8>,
}

/// What `piece/<num>/<id>` holds: the clear metadata, the file name and reason sealed.
#[derive(Serialize, Deserialize)]
struct PieceStockee {
    categorie: String,
    sensible: bool,
    personne: String,
    nom_scelle: Vec<u8>,
    content_type: String,
    taille: u64,
    empreinte: String,
    deposee_le: time::OffsetDateTime,
    deposant: String,
    date_document: Option<time::Date>,
    statut: String,
    motif_scelle: Option<Vec<u8>>,
    modifiee_le: time::OffsetDateTime,
    blob: String,
}

/// Handle on the store; cheap to clone, all clones share one engine, one vault and one flusher.
#[derive(Clone)]
pub struct Store {
    inner: Arc<Inner>,
}

struct Inner {
    engine: Arc<dyn Engine>,
    coffre: Arc<Coffre>,
    key: MasterKey,
    index_key: SecretBox<[u8; 32]>,
    /// Serialises transactions: checking their conditions and applying their batch must not
    /// interleave. Held only around engine calls, never across `await`.
    write_lock: Mutex<()>,
    /// Vault slots of erased applications, overwritten once their erasure is on disk.
    a_detruire: Arc<Mutex<Vec<u64>>>,
    /// Piece contents.
    blobs: Arc<Blobs>,
    /// Blobs of removed pieces, deleted once their removal is on disk.
    blobs_a_detruire: Arc<Mutex<Vec<String>>>,
    /// Held by a backup while it copies blobs: their deletion waits for the next flush.
    garde_blobs: Arc<Mutex<()>>,
    /// Rewrites the engine's files after erasures (`purge.rs`).
    purge: Arc<purge::Purge>,
    commits: GroupCommit,
}

impl Drop for Inner {
    fn drop(&mut self) {
        // A rewrite under way gives up: the engine is released when the last handle goes.
        self.purge.arreter();
    }
}

impl fmt::Debug for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Store").finish_non_exhaustive()
    }
}

impl Store {
    /// Opens (or creates) the sled store in `dir` with `key`. A store created with another key
    /// is refused ([`StoreError::WrongMasterKey`]).
    #[tracing::instrument(skip_all, fields(dir = %dir.display()))]
    pub fn open(dir: &Path, key: MasterKey) -> Result<Store, StoreError> {
        Store::open_avec_cache(dir, key, engine::cache_pour(dir))
    }

    /// As [`Store::open`], the engine keeping up to `cache_octets` of the store in memory.
    pub fn open_avec_cache(dir: &Path, key: MasterKey, cache_octets: u64) -> Result<Store, StoreError> {
        droits::creer_repertoire(dir)?;
        let engine = SledEngine::open_avec_cache(dir, cache_octets)?;
        Store::with_engine(Arc::new(engine), key, dir)
    }

    /// Opens a store over any [`Engine`], with its key vault in `dir`.
    pub fn with_engine(engine: Arc<dyn Engine>, key: MasterKey, dir: &Path) -> Result<Store, StoreError> {
        check_or_init_meta(engine.as_ref(), &key, dir)?;
        let coffre = Arc::new(Coffre::open(dir)?);
        clear_orphan_slots(engine.as_ref(), &coffre)?;
        let blobs = Arc::new(Blobs::open(dir).map_err(StoreError::Pieces)?);
        clear_orphan_blobs(engine.as_ref(), &blobs)?;
        let a_detruire = Arc::new(Mutex::new(Vec::new()));
        let blobs_a_detruire = Arc::new(Mutex::new(Vec::new()));
        let garde_blobs = Arc::new(Mutex::new(()));
        let purge = purge::Purge::new();
        let commits = GroupCommit::start({
            let (engine, coffre, a_detruire) = (Arc::clone(&engine), Arc::clone(&coffre), Arc::clone(&a_detruire));
            let pieces = Pieces {
                blobs: Arc::clone(&blobs),
                a_detruire: Arc::clone(&blobs_a_detruire),
                garde: Arc::clone(&garde_blobs),
            };
            let purge = Arc::clone(&purge);
            move || flush(engine.as_ref(), &coffre, &a_detruire, &pieces, &purge)
        })?;
        Ok(Store {
            inner: Arc::new(Inner {
                engine,
                coffre,
                index_key: seal::index_key(&key),
                key,
                write_lock: Mutex::new(()),
                a_detruire,
                blobs,
                blobs_a_detruire,
                garde_blobs,
                purge,
                commits,
            }),
        })
    }

    /// Waits until everything written before this call is on disk. Concurrent callers share
    /// one flush (group commit); the flush runs on a dedicated thread, not on the runtime.
    pub async fn durable(&self) -> Result<(), StoreError> {
        self.inner.commits.durable().await
    }

    /// Starts rewriting the engine's files after erasures, at most once per `intervalle`
    /// (`purge.rs`); a purge owed from before (a stop during one, a store of an earlier version
    /// holding erasures) starts at once. The serving gateway calls it; tools that open the store
    /// for a moment leave it to the gateway.
    pub fn activer_purge(&self, intervalle: std::time::Duration) -> Result<(), StoreError> {
        Ok(self.inner.purge.demarrer(Arc::clone(&self.inner.engine), intervalle)?)
    }

    /// Waits up to `delai` until no rewrite after erasure is owed or running: true if so (tests,
    /// and who wants to read the files right after an erasure). Before [`Store::activer_purge`],
    /// answers at once.
    pub fn attendre_purge(&self, delai: std::time::Duration) -> bool {
        self.inner.purge.attendre(delai)
    }

    /// Completes with the first failed flush, if one ever happens: from then on the store
    /// acknowledges nothing, and the process must stop (see `group_commit`).
    pub fn failure(&self) -> impl std::future::Future<Output = EngineError> + Send + 'static {
        self.inner.commits.failure()
    }

    /// True once a flush has failed: the store acknowledges nothing any more.
    pub fn has_failed(&self) -> bool {
        self.inner.commits.has_failed()
    }

    /// Waits for durability that succeeded so far (acknowledged writes, for metrics).
    pub fn acknowledged_count(&self) -> u64 {
        self.inner.commits.acknowledged_count()
    }

    /// Bytes the store occupies on disk, engine and key vault (for metrics and the scale
    /// benchmark).
    pub fn size_on_disk(&self) -> u64 {
        self.inner.engine.size_on_disk().unwrap_or(0) + self.inner.coffre.taille() + self.inner.blobs.taille()
    }

    /// Number of flushes performed so far (for tests and metrics).
    pub fn flush_count(&self) -> u64 {
        self.inner.commits.flush_count()
    }

    /// Gathers the flushes of concurrent requests: while requests counted by [`Store::suivre`]
    /// are still on their way to their first wait for the disk, a flush waits for them, at most
    /// `fenetre` (see `group_commit.rs`). Zero: each flush starts as soon as asked.
    pub fn regler_groupage(&self, fenetre: std::time::Duration) {
        self.inner.commits.regler_fenetre(fenetre);
    }

    /// Runs `requete` as a request in progress, for the gathering of flushes
    /// ([`Store::regler_groupage`]).
    pub async fn suivre<F: std::future::Future>(&self, requete: F) -> F::Output {
        self.inner.commits.suivre(requete).await
    }

    /// Journal entries recorded by readers ([`Depot::journaliser`]) and acknowledged on disk so
    /// far (for metrics).
    pub fn journal_entry_count(&self) -> u64 {
        self.inner.commits.journal_entry_count()
    }

    /// Applications stored (a full scan of their keys: for tools and tests, not for requests).
    pub fn demandes_count(&self) -> Result<usize, StoreError> {
        Ok(self.inner.engine.scan_prefix(b"demande/")?.len())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, ()> {
        self.inner.write_lock.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn entete_stockee(&self, num: &str) -> Result<Option<EnteteStockee>, StoreError> {
        let key = demande_key(num);
        self.inner.engine.get(&key)?.map(|v| decode_entete(&key, &v)).transpose()
    }

    fn data_key(&self, num: &str, slot: u64) -> Result<seal::DataKey, StoreError> {
        match self.inner.coffre.lire(slot)? {
            Some(e) if e.num == num => seal::unwrap(&self.inner.key, num, slot, &e.wrapped),
            _ => Err(StoreError::Corrupt {
                key: format!("coffre/{slot}"),
                reason: format!("la clé de données de la demande {num} est absente du coffre"),
            }),
        }
    }

    fn contenu(&self, num: &str, slot: u64, version: u32) -> Result<Option<Contenu>, StoreError> {
        let key = version_key(num, version);
        let Some(value) = self.inner.engine.get(&key)? else { return Ok(None) };
        let stored: VersionStockee = decode(&key, &value)?;
        let data_key = self.data_key(num, slot)?;
        let plain = seal::open(&data_key, num, version, &String::from_utf8_lossy(&key), &stored.scelle)?;
        Ok(Some(Contenu(plain)))
    }

    /// Checks every condition of `transaction` and turns it into one batch; vault writes to do
    /// before the batch, slots to destroy after it is durable.
    fn prepare(&self, transaction: Transaction) -> Result<Prepared, DepotError> {
        let mut prepared = Prepared::default();
        // Each number as the earlier writes of this transaction leave it (`None`: erased).
        let mut courantes: HashMap<String, Option<EnCours>> = HashMap::new();
        // Pieces as the earlier writes of this transaction leave them: (number, blob), `None` removed.
        let mut pieces: HashMap<String, Option<(String, String)>> = HashMap::new();
        // Events likewise: (number, version), `None` removed.
        let mut evenements: HashMap<u64, Option<(String, u32)>> = HashMap::new();
        let mut journal_seq = None;
        let mut effacements = 0u64;
        for ecriture in transaction.ecritures {
            match ecriture {
                Ecriture::Creer { num, attributs, info, contenu, index } => {
                    check_num_unique(&num)?;
                    check_index(&index)?;
                    if info.version != 1 {
                        return Err(DepotError::Argument(format!("création en version {} (1 attendue)", info.version)));
                    }
                    let existe = match courantes.get(&num) {
                        // Erased in this very transaction: the number stays taken.
                        Some(_) => true,
                        None => {
                            self.inner.engine.get(&demande_key(&num))?.is_some()
                                || self.inner.engine.get(&efface_key(&num))?.is_some()
                        }
                    };
                    if existe {
                        return Err(DepotError::Existe(num));
                    }
                    self.check_unique(&num, &index, &courantes)?;
                    let slot = self.inner.engine.increment(META_COFFRE)? - 1;
                    let data_key = seal::new_data_key();
                    prepared.coffre.push((slot, num.clone(), seal::wrap(&self.inner.key, &num, slot, &data_key)?));
                    self.write_version(&mut prepared.batch, &num, slot, &data_key, &attributs, &info, &contenu)?;
                    self.write_index(&mut prepared.batch, &num, &[], &index)?;
                    let en_cours = EnCours { version: 1, slot, data_key, index, versions_ecrites: vec![1] };
                    courantes.insert(num, Some(en_cours));
                }
                Ecriture::Remplacer { num, lue, attributs, info, contenu, index } => {
                    check_num_unique(&num)?;
                    check_index(&index)?;
                    let mut c = self.courante(&mut courantes, &num)?;
                    if c.version != lue {
                        return Err(DepotError::Conflit { num, lue, actuelle: c.version });
                    }
                    self.check_unique(&num, &index, &courantes)?;
                    if info.version != lue + 1 {
                        return Err(DepotError::Argument(format!(
                            "nouvelle version {} après la version {lue} ({} attendue)",
                            info.version,
                            lue + 1
                        )));
                    }
                    self.write_version(&mut prepared.batch, &num, c.slot, &c.data_key, &attributs, &info, &contenu)?;
                    self.write_index(&mut prepared.batch, &num, &c.index, &index)?;
                    c.version = info.version;
                    c.index = index;
                    c.versions_ecrites.push(info.version);
                    courantes.insert(num, Some(c));
                }
                Ecriture::Effacer { num, lue, effacement } => {
                    check_num_unique(&num)?;
                    let c = self.courante(&mut courantes, &num)?;
                    if c.version != lue {
                        return Err(DepotError::Conflit { num, lue, actuelle: c.version });
                    }
                    let batch = &mut prepared.batch;
                    for (key, _) in self.inner.engine.scan_prefix(&version_prefix(&num))? {
                        batch.delete(key);
                    }
                    for version in &c.versions_ecrites {
                        batch.delete(version_key(&num, *version));
                    }
                    self.write_index(batch, &num, &c.index, &[])?;
                    for (key, value) in self.inner.engine.scan_prefix(&piece_prefix(&num))? {
                        let stored: PieceStockee = decode(&key, &value)?;
                        let id = String::from_utf8_lossy(&key[piece_prefix(&num).len()..]).into_owned();
                        if pieces.get(&id).is_some_and(Option::is_none) {
                            continue;
                        }
                        batch.delete(key);
                        batch.delete(piece_id_key(&id));
                        batch.delete(piece_blob_key(&stored.blob));
                        prepared.blobs.push(stored.blob);
                        pieces.insert(id, None);
                    }
                    for (id, etat) in pieces.iter_mut() {
                        if let Some((n, blob)) = etat.take_if(|(n, _)| *n == num) {
                            batch.delete(piece_key(&n, id));
                            batch.delete(piece_id_key(id));
                            batch.delete(piece_blob_key(&blob));
                            prepared.blobs.push(blob);
                        }
                    }
                    for (key, _) in self.inner.engine.scan_prefix(&evenements::evenement_prefix(&num))? {
                        if let Some(id) = std::str::from_utf8(&key[evenements::evenement_prefix(&num).len()..])
                            .ok()
                            .and_then(|s| s.parse::<u64>().ok())
                        {
                            batch.delete(evenements::evenement_id_key(id));
                        }
                        batch.delete(key);
                    }
                    for (id, etat) in evenements.iter_mut() {
                        if etat.take_if(|(n, _)| *n == num).is_some() {
                            batch.delete(evenements::evenement_key(&num, *id));
                            batch.delete(evenements::evenement_id_key(*id));
                        }
                    }
                    batch.delete(piece_maj_key(&num));
                    batch.delete(comptes::code_acces_key(&num));
                    batch.delete(demande_key(&num));
                    batch.put(efface_key(&num), encode(&effacement)?);
                    prepared.detruire.push(c.slot);
                    effacements += 1;
                    courantes.insert(num, None);
                }
                Ecriture::Indexer { num, retirer, ajouter } => {
                    check_num_unique(&num)?;
                    check_index(&ajouter)?;
                    let mut c = self.courante(&mut courantes, &num)?;
                    let meme = |a: &CleIndex, b: &CleIndex| a.index == b.index && a.valeur == b.valeur;
                    let mut index: Vec<CleIndex> =
                        c.index.iter().filter(|e| !retirer.iter().any(|r| meme(e, r))).cloned().collect();
                    // An entry added again takes the new one's uniqueness and number.
                    for e in ajouter {
                        index.retain(|x| !meme(x, &e));
                        index.push(e);
                    }
                    if let Err(e) = self.check_unique(&num, &index, &courantes) {
                        courantes.insert(num, Some(c));
                        return Err(e);
                    }
                    self.write_index(&mut prepared.batch, &num, &c.index, &index)?;
                    c.index = index;
                    courantes.insert(num, Some(c));
                }
                Ecriture::Journaliser(acces) => {
                    check_num_unique(&acces.num)?;
                    // One counter read per transaction: entries of one transaction follow each other.
                    let n = match journal_seq {
                        None => self.inner.engine.increment(b"meta/journal")?,
                        Some(n) => n + 1,
                    };
                    journal_seq = Some(n);
                    prepared.batch.put(journal_key(&acces.num, n), encode(&acces)?);
                }
                Ecriture::EcrireEvenement { evenement, lue } => {
                    check_num_unique(&evenement.num)?;
                    check_name("type d'événement", &evenement.code_type)?;
                    let num = evenement.num.clone();
                    let c = self.courante(&mut courantes, &num)?;
                    courantes.insert(num.clone(), Some(c));
                    let actuelle = match evenements.get(&evenement.id) {
                        Some(etat) => etat.clone(),
                        None => self.evenement_stocke(evenement.id)?.map(|(n, e)| (n, e.version)),
                    };
                    match (lue, actuelle) {
                        (None, None) => {}
                        (None, Some(_)) => return Err(DepotError::Existe(evenement.id.to_string())),
                        (Some(lue), Some((n, version))) if n == num => {
                            if version != lue {
                                return Err(DepotError::Conflit { num, lue, actuelle: version });
                            }
                        }
                        (Some(_), _) => return Err(DepotError::Inconnue(evenement.id.to_string())),
                    }
                    let Some(Some(c)) = courantes.get(&num) else { return Err(DepotError::Inconnue(num)) };
                    self.write_evenement(&mut prepared.batch, &c.data_key, &evenement)?;
                    evenements.insert(evenement.id, Some((num, evenement.version)));
                }
                Ecriture::RetirerEvenement { num, id, lue } => {
                    check_num_unique(&num)?;
                    let actuelle = match evenements.get(&id) {
                        Some(etat) => etat.clone(),
                        None => self.evenement_stocke(id)?.map(|(n, e)| (n, e.version)),
                    };
                    match actuelle {
                        Some((n, version)) if n == num => {
                            if version != lue {
                                return Err(DepotError::Conflit { num, lue, actuelle: version });
                            }
                        }
                        _ => return Err(DepotError::Inconnue(id.to_string())),
                    }
                    prepared.batch.delete(evenements::evenement_key(&num, id));
                    prepared.batch.delete(evenements::evenement_id_key(id));
                    evenements.insert(id, None);
                }
                Ecriture::EcrireTypeEvenement(t) => {
                    check_name("type d'événement", &t.code)?;
                    if let Some(territoire) = &t.territoire {
                        check_name("territoire", territoire)?;
                    }
                    prepared.batch.put(evenements::type_key(&t), encode(&t)?);
                }
                Ecriture::EcrireAgent(agent) => {
                    check_name("identifiant d'agent", &agent.login)?;
                    prepared.batch.put(comptes::agent_key(&agent.login), encode(&agent)?);
                }
                Ecriture::DefinirCodeAcces { num, empreinte } => {
                    check_num_unique(&num)?;
                    check_name("empreinte de code d'accès", &empreinte)?;
                    let c = self.courante(&mut courantes, &num)?;
                    prepared.batch.put(comptes::code_acces_key(&num), empreinte.into_bytes());
                    courantes.insert(num, Some(c));
                }
                Ecriture::AjouterPiece(piece) => {
                    check_num_unique(&piece.num)?;
                    check_piece_id(&piece.id)?;
                    let c = self.courante(&mut courantes, &piece.num)?;
                    let existe = match pieces.get(&piece.id) {
                        Some(etat) => etat.is_some(),
                        None => self.inner.engine.get(&piece_id_key(&piece.id))?.is_some(),
                    };
                    if existe {
                        courantes.insert(piece.num.clone(), Some(c));
                        return Err(DepotError::Existe(piece.id));
                    }
                    if !self.inner.blobs.existe(&piece.blob) {
                        courantes.insert(piece.num.clone(), Some(c));
                        return Err(DepotError::Argument(format!("blob {} absent ou inachevé", piece.blob)));
                    }
                    self.write_piece(&mut prepared.batch, &c.data_key, &piece)?;
                    prepared.batch.put(piece_id_key(&piece.id), piece.num.clone().into_bytes());
                    prepared.batch.put(piece_blob_key(&piece.blob), piece.id.clone().into_bytes());
                    pieces.insert(piece.id.clone(), Some((piece.num.clone(), piece.blob.clone())));
                    courantes.insert(piece.num.clone(), Some(c));
                }
                Ecriture::RemplacerPiece(piece) => {
                    check_num_unique(&piece.num)?;
                    check_piece_id(&piece.id)?;
                    let actuelle = match pieces.get(&piece.id) {
                        Some(etat) => etat.clone(),
                        None => self.piece_stockee(&piece.id)?.map(|(num, p)| (num, p.blob)),
                    };
                    match actuelle {
                        Some((num, blob)) if num == piece.num && blob == piece.blob => {}
                        _ => return Err(DepotError::Inconnue(piece.id)),
                    }
                    let c = self.courante(&mut courantes, &piece.num)?;
                    self.write_piece(&mut prepared.batch, &c.data_key, &piece)?;
                    courantes.insert(piece.num.clone(), Some(c));
                }
                Ecriture::RetirerPiece { num, id, horodatage } => {
                    check_num_unique(&num)?;
                    check_piece_id(&id)?;
                    let actuelle = match pieces.get(&id) {
                        Some(etat) => etat.clone(),
                        None => self.piece_stockee(&id)?.map(|(num, p)| (num, p.blob)),
                    };
                    let Some((n, blob)) = actuelle.filter(|(n, _)| *n == num) else {
                        return Err(DepotError::Inconnue(id));
                    };
                    let batch = &mut prepared.batch;
                    batch.delete(piece_key(&n, &id));
                    batch.delete(piece_id_key(&id));
                    batch.delete(piece_blob_key(&blob));
                    batch.put(piece_maj_key(&num), encode(&horodatage)?);
                    prepared.blobs.push(blob);
                    pieces.insert(id, None);
                }
            }
        }
        if let Some(n) = journal_seq {
            // Entries after the first took numbers past the counter: move it to the last one.
            prepared.batch.put(b"meta/journal".to_vec(), n.to_be_bytes().to_vec());
        }
        if effacements > 0 {
            // Counted with the erasure itself: what the files still hold of it is owed a purge.
            let n = purge::compteur(self.inner.engine.as_ref(), purge::META_EFFACEMENTS)? + effacements;
            prepared.batch.put(purge::META_EFFACEMENTS.to_vec(), n.to_be_bytes().to_vec());
        }
        Ok(prepared)
    }

    /// The unique entries of `index` are held by no other application, as the earlier writes
    /// of this transaction (`courantes`) leave the engine's entries.
    fn check_unique(
        &self,
        num: &str,
        index: &[CleIndex],
        courantes: &HashMap<String, Option<EnCours>>,
    ) -> Result<(), DepotError> {
        let tient = |c: &CleIndex, e: &EnCours| e.index.iter().any(|x| x.index == c.index && x.valeur == c.valeur);
        for c in index.iter().filter(|c| c.unique) {
            let conflit = |autre: &str| DepotError::Unique { index: c.index.clone(), num: autre.to_string() };
            for (autre, etat) in courantes {
                if autre != num && etat.as_ref().is_some_and(|e| tient(c, e)) {
                    return Err(conflit(autre));
                }
            }
            let mut plage = Plage::egale(&c.valeur);
            loop {
                let page = self.parcourir(&c.index, &plage, 16)?;
                // Entries of numbers this transaction wrote are as `courantes` says, not as stored.
                if let Some(autre) = page.entrees.iter().find(|e| e.num != num && !courantes.contains_key(&e.num)) {
                    return Err(conflit(&autre.num));
                }
                match page.suite {
                    Some(s) => plage.apres = Some(s),
                    None => break,
                }
            }
        }
        Ok(())
    }

    /// `num` as the transaction sees it so far, taken out of `courantes` (the caller puts it back).
    fn courante(&self, courantes: &mut HashMap<String, Option<EnCours>>, num: &str) -> Result<EnCours, DepotError> {
        match courantes.remove(num) {
            Some(Some(c)) => Ok(c),
            Some(None) => {
                courantes.insert(num.to_string(), None);
                Err(DepotError::Inconnue(num.to_string()))
            }
            None => match self.entete_stockee(num)? {
                Some(e) => Ok(EnCours {
                    version: e.version,
                    slot: e.slot,
                    data_key: self.data_key(num, e.slot)?,
                    index: self.old_index(num)?,
                    versions_ecrites: Vec::new(),
                }),
                None => Err(DepotError::Inconnue(num.to_string())),
            },
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn write_version(
        &self,
        batch: &mut WriteBatch,
        num: &str,
        slot: u64,
        data_key: &seal::DataKey,
        attributs: &Attributs,
        info: &VersionInfo,
        contenu: &Contenu,
    ) -> Result<(), StoreError> {
        let entete = EnteteStockee { version: info.version, slot, attributs: attributs.clone() };
        let mut value = vec![seal::FORMAT_VERSION];
        value.extend_from_slice(&encode(&entete)?);
        batch.put(demande_key(num), value);
        let scelle = seal::seal(data_key, num, info.version, &contenu.0)?;
        batch.put(version_key(num, info.version), encode(&VersionStockee { info: info.clone(), scelle })?);
        Ok(())
    }

    fn write_piece(&self, batch: &mut WriteBatch, data_key: &seal::DataKey, piece: &Piece) -> Result<(), StoreError> {
        let (num, id) = (piece.num.as_str(), piece.id.as_str());
        let stored = PieceStockee {
            categorie: piece.categorie.clone(),
            sensible: piece.sensible,
            personne: piece.personne.clone(),
            nom_scelle: seal::seal_champ(data_key, num, id, "nomFichier", &piece.nom_fichier.0)?,
            content_type: piece.content_type.clone(),
            taille: piece.taille,
            empreinte: piece.empreinte.clone(),
            deposee_le: piece.deposee_le,
            deposant: piece.deposant.clone(),
            date_document: piece.date_document,
            statut: piece.statut.clone(),
            motif_scelle: piece
                .motif_statut
                .as_ref()
                .map(|m| seal::seal_champ(data_key, num, id, "motifStatut", &m.0))
                .transpose()?,
            modifiee_le: piece.modifiee_le,
            blob: piece.blob.clone(),
        };
        batch.put(piece_key(num, id), encode(&stored)?);
        batch.put(piece_maj_key(num), encode(&piece.modifiee_le)?);
        Ok(())
    }

    /// The stored record of piece `id` with its application's number.
    fn piece_stockee(&self, id: &str) -> Result<Option<(String, PieceStockee)>, StoreError> {
        let Some(num) = self.inner.engine.get(&piece_id_key(id))? else { return Ok(None) };
        let num = String::from_utf8_lossy(&num).into_owned();
        let key = piece_key(&num, id);
        match self.inner.engine.get(&key)? {
            Some(v) => Ok(Some((num, decode(&key, &v)?))),
            None => {
                Err(StoreError::Corrupt { key: format!("pieceid/{id}"), reason: "pièce sans enregistrement".into() })
            }
        }
    }

    fn ouvrir_piece(&self, num: &str, id: &str, stored: PieceStockee) -> Result<Piece, StoreError> {
        let entete = self.entete_stockee(num)?.ok_or_else(|| StoreError::Corrupt {
            key: format!("piece/{num}/{id}"),
            reason: "pièce sans demande".into(),
        })?;
        let data_key = self.data_key(num, entete.slot)?;
        Ok(Piece {
            id: id.to_string(),
            num: num.to_string(),
            categorie: stored.categorie,
            sensible: stored.sensible,
            personne: stored.personne,
            nom_fichier: Contenu(seal::open_champ(&data_key, num, id, "nomFichier", &stored.nom_scelle)?),
            content_type: stored.content_type,
            taille: stored.taille,
            empreinte: stored.empreinte,
            deposee_le: stored.deposee_le,
            deposant: stored.deposant,
            date_document: stored.date_document,
            statut: stored.statut,
            motif_statut: stored
                .motif_scelle
                .map(|m| seal::open_champ(&data_key, num, id, "motifStatut", &m).map(Contenu))
                .transpose()?,
            modifiee_le: stored.modifiee_le,
            blob: stored.blob,
        })
    }

    fn old_index(&self, num: &str) -> Result<Vec<CleIndex>, StoreError> {
        let key = index_list_key(num);
        match self.inner.engine.get(&key)? {
            Some(v) => index_list::decoder(&key, &v),
            None => Ok(Vec::new()),
        }
    }

    fn write_index(
        &self,
        batch: &mut WriteBatch,
        num: &str,
        old: &[CleIndex],
        new: &[CleIndex],
    ) -> Result<(), StoreError> {
        // Only what changes is written: an application holds a few dozen entries spread over the
        // whole key space, most of them the same from one version to the next, and every one
        // written dirties a page of the engine of its own.
        fn cle(e: &CleIndex) -> (&str, &str) {
            (e.index.as_str(), e.valeur.as_str())
        }
        let anciennes: HashMap<(&str, &str), u32> = old.iter().map(|e| (cle(e), e.donnee)).collect();
        let nouvelles: HashMap<(&str, &str), u32> = new.iter().map(|e| (cle(e), e.donnee)).collect();
        for (index, valeur) in anciennes.keys().filter(|k| !nouvelles.contains_key(*k)) {
            batch.delete(index_key(index, valeur, num));
        }
        for (&(index, valeur), &donnee) in &nouvelles {
            if anciennes.get(&(index, valeur)) != Some(&donnee) {
                batch.put(index_key(index, valeur, num), index_list::valeur_entree(donnee));
            }
        }
        if new.is_empty() {
            batch.delete(index_list_key(num));
        } else {
            batch.put(index_list_key(num), index_list::encoder(new)?);
        }
        Ok(())
    }
}

/// A number being written by a transaction.
struct EnCours {
    version: u32,
    slot: u64,
    data_key: seal::DataKey,
    index: Vec<CleIndex>,
    /// Versions this transaction wrote (not yet in the engine).
    versions_ecrites: Vec<u32>,
}

#[derive(Default)]
struct Prepared {
    batch: WriteBatch,
    coffre: Vec<(u64, String, [u8; seal::WRAPPED_LEN])>,
    detruire: Vec<u64>,
    /// Blobs whose pieces the transaction removes.
    blobs: Vec<String>,
}

impl Depot for Store {
    fn sequence_suivante(&self, nom: &str) -> Result<u64, DepotError> {
        check_name("séquence", nom)?;
        Ok(self.inner.engine.increment(&sequence_key(nom))?)
    }

    fn sequence_actuelle(&self, nom: &str) -> Result<u64, DepotError> {
        check_name("séquence", nom)?;
        let key = sequence_key(nom);
        match self.inner.engine.get(&key)? {
            None => Ok(0),
            Some(v) => Ok(u64::from_be_bytes(v.as_slice().try_into().map_err(|_| DepotError::Corrompue {
                cle: String::from_utf8_lossy(&key).into_owned(),
                raison: "compteur de 8 octets attendu".into(),
            })?)),
        }
    }

    fn lire(&self, num: &str) -> Result<Option<Fiche>, DepotError> {
        check_num_unique(num)?;
        let Some(entete) = self.entete_stockee(num)? else { return Ok(None) };
        let contenu = self.contenu(num, entete.slot, entete.version)?.ok_or_else(|| DepotError::Corrompue {
            cle: String::from_utf8_lossy(&version_key(num, entete.version)).into_owned(),
            raison: "version courante absente".into(),
        })?;
        Ok(Some(Fiche { num: num.to_string(), version: entete.version, attributs: entete.attributs, contenu }))
    }

    fn entete(&self, num: &str) -> Result<Option<Entete>, DepotError> {
        check_num_unique(num)?;
        Ok(self.entete_stockee(num)?.map(|e| Entete {
            num: num.to_string(),
            version: e.version,
            attributs: e.attributs,
        }))
    }

    fn versions(&self, num: &str) -> Result<Vec<VersionInfo>, DepotError> {
        check_num_unique(num)?;
        let mut out = Vec::new();
        for (key, value) in self.inner.engine.scan_prefix(&version_prefix(num))? {
            out.push(decode::<VersionStockee>(&key, &value)?.info);
        }
        Ok(out)
    }

    fn contenu_version(&self, num: &str, version: u32) -> Result<Option<Contenu>, DepotError> {
        check_num_unique(num)?;
        let Some(entete) = self.entete_stockee(num)? else { return Ok(None) };
        Ok(self.contenu(num, entete.slot, version)?)
    }

    fn effacement(&self, num: &str) -> Result<Option<Effacement>, DepotError> {
        check_num_unique(num)?;
        let key = efface_key(num);
        Ok(self.inner.engine.get(&key)?.map(|v| decode(&key, &v)).transpose()?)
    }

    fn index_de(&self, num: &str) -> Result<Vec<CleIndex>, DepotError> {
        check_num_unique(num)?;
        Ok(self.old_index(num)?)
    }

    fn parcourir(&self, index: &str, plage: &Plage, limite: usize) -> Result<Page, DepotError> {
        check_name("index", index)?;
        let prefix = [b"idx/", index.as_bytes(), b"\0"].concat();
        let start = match (&plage.apres, &plage.depuis) {
            // The smallest key after the entry: the entry followed by `\0`.
            (Some(c), _) => [index_key(index, &c.valeur, &c.num), vec![0]].concat(),
            (None, Some(c)) => {
                index_key(index, &c.valeur, &c.num).max([prefix.as_slice(), plage.debut.as_bytes(), b"\0"].concat())
            }
            (None, None) => [prefix.as_slice(), plage.debut.as_bytes(), b"\0"].concat(),
        };
        // Upper bound: see the ordering argument of `index_key`.
        let end = match &plage.fin {
            Some(fin) => [prefix.as_slice(), fin.as_bytes(), b"\0"].concat(),
            None => [b"idx/", index.as_bytes(), b"\x01"].concat(),
        };
        if start >= end || limite == 0 {
            return Ok(Page { entrees: Vec::new(), suite: None });
        }
        let rows = self.inner.engine.scan_range(&start, &end, limite.saturating_add(1))?;
        let mut entrees = Vec::with_capacity(rows.len().min(limite));
        for (key, value) in rows.iter().take(limite) {
            let rest = &key[prefix.len()..];
            let split = rest.iter().position(|&b| b == 0).ok_or_else(|| DepotError::Corrompue {
                cle: String::from_utf8_lossy(key).into_owned(),
                raison: "clé d'index mal formée".into(),
            })?;
            let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
            entrees.push(EntreeIndex {
                valeur: text(&rest[..split]),
                num: text(&rest[split + 1..]),
                donnee: index_list::donnee_entree(key, value)?,
            });
        }
        let suite = (rows.len() > limite)
            .then(|| {
                entrees.last().map(|e| crate::registry::depot::Curseur { valeur: e.valeur.clone(), num: e.num.clone() })
            })
            .flatten();
        Ok(Page { entrees, suite })
    }

    fn numeros(&self, apres: Option<&str>, limite: usize) -> Result<Vec<String>, DepotError> {
        let start = match apres {
            Some(num) => [demande_key(num), vec![0]].concat(),
            None => b"demande/".to_vec(),
        };
        Ok(self
            .inner
            .engine
            .scan_range(&start, b"demande0", limite)?
            .into_iter()
            .map(|(k, _)| String::from_utf8_lossy(&k["demande/".len()..]).into_owned())
            .collect())
    }

    fn verifier(&self) -> Result<Vec<String>, DepotError> {
        Ok(self.verify()?)
    }

    fn journal(&self, num: &str) -> Result<Vec<Acces>, DepotError> {
        check_num_unique(num)?;
        let mut out = Vec::new();
        for (key, value) in self.inner.engine.scan_prefix(format!("journal/{num}/").as_bytes())? {
            out.push(decode(&key, &value)?);
        }
        Ok(out)
    }

    fn evenements(&self, num: &str) -> Result<Vec<Evenement>, DepotError> {
        check_num_unique(num)?;
        Ok(self.lire_evenements(num)?)
    }

    fn evenement(&self, id: u64) -> Result<Option<Evenement>, DepotError> {
        match self.evenement_stocke(id)? {
            Some((num, s)) => Ok(Some(self.ouvrir_evenement(&num, id, s)?)),
            None => Ok(None),
        }
    }

    fn types_evenements(&self) -> Result<Vec<TypeEvenement>, DepotError> {
        Ok(self.lire_types()?)
    }

    fn agent(&self, login: &str) -> Result<Option<Agent>, DepotError> {
        check_name("identifiant d'agent", login)?;
        Ok(self.lire_agent(login)?)
    }

    fn agents(&self) -> Result<Vec<Agent>, DepotError> {
        Ok(self.lire_agents()?)
    }

    fn code_acces(&self, num: &str) -> Result<Option<String>, DepotError> {
        check_num_unique(num)?;
        Ok(self.lire_code_acces(num)?)
    }

    fn empreinte(&self, valeur: &str) -> String {
        seal::identity_hash(&self.inner.index_key, valeur)
    }

    fn appliquer(&self, transaction: Transaction) -> Result<(), DepotError> {
        let _guard = self.lock();
        let prepared = self.prepare(transaction)?;
        // Keys first: a record is never on disk without its key (the vault is synced before the
        // engine at every flush); a key without its record is cleared at the next start.
        for (slot, num, wrapped) in &prepared.coffre {
            self.inner.coffre.ecrire(*slot, num, wrapped)?;
        }
        self.inner.engine.apply(prepared.batch)?;
        if !prepared.detruire.is_empty() {
            self.inner.a_detruire.lock().unwrap_or_else(|p| p.into_inner()).extend(prepared.detruire);
        }
        if !prepared.blobs.is_empty() {
            self.inner.blobs_a_detruire.lock().unwrap_or_else(|p| p.into_inner()).extend(prepared.blobs);
        }
        Ok(())
    }

    fn pieces(&self, num: &str) -> Result<Vec<Piece>, DepotError> {
        check_num_unique(num)?;
        let prefix = piece_prefix(num);
        let mut out = Vec::new();
        for (key, value) in self.inner.engine.scan_prefix(&prefix)? {
            let id = String::from_utf8_lossy(&key[prefix.len()..]).into_owned();
            out.push(self.ouvrir_piece(num, &id, decode(&key, &value)?)?);
        }
        Ok(out)
    }

    fn piece(&self, id: &str) -> Result<Option<Piece>, DepotError> {
        if check_piece_id(id).is_err() {
            return Ok(None);
        }
        match self.piece_stockee(id)? {
            Some((num, stored)) => Ok(Some(self.ouvrir_piece(&num, id, stored)?)),
            None => Ok(None),
        }
    }

    fn modification_pieces(&self, num: &str) -> Result<Option<time::OffsetDateTime>, DepotError> {
        check_num_unique(num)?;
        let key = piece_maj_key(num);
        Ok(self.inner.engine.get(&key)?.map(|v| decode(&key, &v)).transpose()?)
    }

    fn ecrire_blob(&self, num: &str) -> Result<Box<dyn EcritureBlob>, DepotError> {
        check_num_unique(num)?;
        let entete = self.entete_stockee(num)?.ok_or_else(|| DepotError::Inconnue(num.to_string()))?;
        let data_key = self.data_key(num, entete.slot)?;
        Ok(Box::new(self.inner.blobs.ecrivain(&data_key)?))
    }

    fn abandonner_blob(&self, blob: &str) -> Result<(), DepotError> {
        // Only a blob no piece records: one recorded goes with its piece's removal.
        if self.inner.engine.get(&piece_blob_key(blob))?.is_some() {
            return Err(DepotError::Argument(format!("le blob {blob} appartient à une pièce")));
        }
        self.inner.blobs.detruire(blob)
    }

    fn lire_blob(&self, piece: &Piece) -> Result<Box<dyn std::io::Read + Send>, DepotError> {
        check_num_unique(&piece.num)?;
        let entete = self.entete_stockee(&piece.num)?.ok_or_else(|| DepotError::Inconnue(piece.num.clone()))?;
        let data_key = self.data_key(&piece.num, entete.slot)?;
        Ok(Box::new(self.inner.blobs.lecteur(&piece.blob, &data_key)?))
    }

    fn durable(&self) -> Durabilite {
        let store = self.clone();
        Box::pin(async move { Ok(store.inner.commits.durable().await?) })
    }

    fn journaliser(&self, acces: Vec<Acces>) -> Durabilite {
        // A transaction of entries: the engine's log makes it durable with the next flush, which
        // covers every write applied before (what the reader saw).
        let nombre = acces.len() as u64;
        let applique =
            self.appliquer(Transaction { ecritures: acces.into_iter().map(Ecriture::Journaliser).collect() });
        let store = self.clone();
        Box::pin(async move {
            applique?;
            Ok(store.inner.commits.journal_durable(nombre).await?)
        })
    }
}

/// What the flusher needs to delete the blobs of removed pieces.
struct Pieces {
    blobs: Arc<Blobs>,
    a_detruire: Arc<Mutex<Vec<String>>>,
    garde: Arc<Mutex<()>>,
}

/// One flush: the vault, then the engine, then the keys of erasures and the blobs of removed
/// pieces that flush made durable.
fn flush(
    engine: &dyn Engine,
    coffre: &Coffre,
    a_detruire: &Mutex<Vec<u64>>,
    pieces: &Pieces,
    purge: &purge::Purge,
) -> Result<(), EngineError> {
    let erased = std::mem::take(&mut *a_detruire.lock().unwrap_or_else(|p| p.into_inner()));
    let removed = std::mem::take(&mut *pieces.a_detruire.lock().unwrap_or_else(|p| p.into_inner()));
    let vault = |r: Result<(), StoreError>| r.map_err(|e| EngineError::msg(e.to_string()));
    vault(coffre.sync())?;
    engine.flush()?;
    if !erased.is_empty() {
        for slot in erased {
            vault(coffre.detruire(slot))?;
        }
        vault(coffre.sync())?;
        // The erasures are on disk: what the engine's files still hold of them goes next.
        purge.demander();
    }
    match pieces.garde.try_lock() {
        Ok(_garde) => {
            for blob in removed {
                // A blob left by a failure here is an orphan: the next start removes it.
                if let Err(e) = pieces.blobs.detruire(&blob) {
                    tracing::warn!(erreur = %e, "contenu de pièce retirée non supprimé");
                }
            }
        }
        // A backup is copying blobs: these go at a later flush.
        Err(_) => pieces.a_detruire.lock().unwrap_or_else(|p| p.into_inner()).extend(removed),
    }
    Ok(())
}

/// Removes blobs no piece records: written, then a crash before their piece's commit was
/// durable (or after its removal was, before the file went).
fn clear_orphan_blobs(engine: &dyn Engine, blobs: &Blobs) -> Result<(), StoreError> {
    let retires = blobs
        .nettoyer(|nom| Ok(engine.get(&piece_blob_key(nom)).map_err(DepotError::from)?.is_some()))
        .map_err(StoreError::Pieces)?;
    if retires > 0 {
        tracing::info!(fichiers = retires, "contenus de pièces orphelins supprimés");
    }
    Ok(())
}

/// Clears vault slots whose application is not stored with that slot: a creation that crashed
/// before its commit, or an erasure that crashed before its key was overwritten.
fn clear_orphan_slots(engine: &dyn Engine, coffre: &Coffre) -> Result<(), StoreError> {
    let mut cleared = 0usize;
    for e in coffre.vivants()? {
        let key = demande_key(&e.num);
        let owned = match engine.get(&key)? {
            Some(v) => decode_entete(&key, &v)?.slot == e.slot,
            None => false,
        };
        if !owned {
            coffre.detruire(e.slot)?;
            cleared += 1;
        }
    }
    if cleared > 0 {
        coffre.sync()?;
        tracing::info!(emplacements = cleared, "clés orphelines détruites dans le coffre");
    }
    Ok(())
}

fn check_or_init_meta(engine: &dyn Engine, key: &MasterKey, location: &Path) -> Result<(), StoreError> {
    let corrupt =
        |k: &[u8], reason: String| StoreError::Corrupt { key: String::from_utf8_lossy(k).into_owned(), reason };
    match engine.get(META_VERSION)? {
        Some(v) if v == [seal::FORMAT_VERSION] => {}
        Some(v) => {
            return Err(corrupt(
                META_VERSION,
                format!("version de format {v:?} inconnue (attendue {})", seal::FORMAT_VERSION),
            ))
        }
        None => {
            if !engine.scan_prefix(b"")?.is_empty() {
                return Err(corrupt(META_VERSION, "absente d'un stockage non vide".into()));
            }
            let mut batch = WriteBatch::new();
            batch.put(META_VERSION, vec![seal::FORMAT_VERSION]);
            batch.put(META_KEYCHECK, seal::key_check(key).to_vec());
            engine.apply(batch)?;
            // The key check must be on disk before any record sealed with this key can be.
            engine.flush()?;
            return Ok(());
        }
    }
    match engine.get(META_KEYCHECK)? {
        Some(stored) if seal::key_check_matches(key, &stored) => Ok(()),
        Some(_) => Err(StoreError::WrongMasterKey(location.to_path_buf())),
        None => Err(corrupt(META_KEYCHECK, "absente".into())),
    }
}

fn check_num_unique(num_unique: &str) -> Result<(), StoreError> {
    let ok = !num_unique.is_empty()
        && num_unique.len() <= MAX_NUM_UNIQUE_LEN
        && num_unique.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(StoreError::InvalidArgument(format!(
            "numéro de demande invalide ({} octets; 1 à {MAX_NUM_UNIQUE_LEN} lettres, chiffres, - ou _ attendus)",
            num_unique.len()
        )))
    }
}

/// Sequence and index names: non-empty, no `/` and no control character.
fn check_name(what: &str, name: &str) -> Result<(), StoreError> {
    if name.is_empty() || name.len() > 64 || name.chars().any(|c| c == '/' || c.is_control()) {
        return Err(StoreError::InvalidArgument(format!(
            "nom de {what} invalide ({} octets ; 1 à 64, sans / ni caractère de contrôle)",
            name.len()
        )));
    }
    Ok(())
}

fn check_index(entries: &[CleIndex]) -> Result<(), StoreError> {
    for entry in entries {
        check_name("index", &entry.index)?;
        if entry.valeur.len() > 512 || entry.valeur.chars().any(char::is_control) {
            return Err(StoreError::InvalidArgument(format!(
                "valeur d'index {} invalide ({} octets ; 512 au plus, sans caractère de contrôle)",
                entry.index,
                entry.valeur.len()
            )));
        }
    }
    Ok(())
}

fn encode<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, StoreError> {
    postcard::to_allocvec(value).map_err(|e| StoreError::InvalidArgument(format!("encodage impossible : {e}")))
}

fn decode<'a, T: Deserialize<'a>>(key: &[u8], value: &'a [u8]) -> Result<T, StoreError> {
    postcard::from_bytes(value).map_err(|e| StoreError::Corrupt {
        key: String::from_utf8_lossy(key).into_owned(),
        reason: format!("valeur illisible ({e})"),
    })
}

fn decode_entete(key: &[u8], value: &[u8]) -> Result<EnteteStockee, StoreError> {
    match value.split_first() {
        Some((&seal::FORMAT_VERSION, rest)) => decode(key, rest),
        Some((v, _)) => Err(StoreError::Corrupt {
            key: String::from_utf8_lossy(key).into_owned(),
            reason: format!("version de format {v} inconnue (attendue {})", seal::FORMAT_VERSION),
        }),
        None => {
            Err(StoreError::Corrupt { key: String::from_utf8_lossy(key).into_owned(), reason: "valeur vide".into() })
        }
    }
}

/// `PJ` + 24 lowercase hex digits.
fn check_piece_id(id: &str) -> Result<(), StoreError> {
    let ok = id.len() == 26
        && id.starts_with("PJ")
        && id[2..].bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    if ok {
        Ok(())
    } else {
        Err(StoreError::InvalidArgument("identifiant de pièce invalide (PJ + 24 chiffres hexadécimaux)".into()))
    }
}

fn piece_prefix(num: &str) -> Vec<u8> {
    format!("piece/{num}/").into_bytes()
}

fn piece_key(num: &str, id: &str) -> Vec<u8> {
    format!("piece/{num}/{id}").into_bytes()
}

fn piece_id_key(id: &str) -> Vec<u8> {
    format!("pieceid/{id}").into_bytes()
}

fn piece_blob_key(blob: &str) -> Vec<u8> {
    format!("pieceblob/{blob}").into_bytes()
}

fn piece_maj_key(num: &str) -> Vec<u8> {
    format!("piecemaj/{num}").into_bytes()
}

fn sequence_key(name: &str) -> Vec<u8> {
    format!("seq/{name}").into_bytes()
}

fn demande_key(num: &str) -> Vec<u8> {
    format!("demande/{num}").into_bytes()
}

fn efface_key(num: &str) -> Vec<u8> {
    format!("efface/{num}").into_bytes()
}

fn version_prefix(num: &str) -> Vec<u8> {
    format!("version/{num}/").into_bytes()
}

fn version_key(num: &str, version: u32) -> Vec<u8> {
    [version_prefix(num), version.to_be_bytes().to_vec()].concat()
}

fn index_list_key(num: &str) -> Vec<u8> {
    format!("idxde/{num}").into_bytes()
}

fn journal_key(num: &str, n: u64) -> Vec<u8> {
    [format!("journal/{num}/").into_bytes(), n.to_be_bytes().to_vec()].concat()
}

/// `idx/<index>\0<value>\0<num>`. Values hold no control character, so comparing keys compares
/// values first (a value that is a prefix of another ends with `\0`, below any character), then
/// numbers: the key of value `v` is below `idx/<index>\0<f>\0` exactly when `v < f`.
fn index_key(index: &str, valeur: &str, num: &str) -> Vec<u8> {
    [b"idx/", index.as_bytes(), b"\0", valeur.as_bytes(), b"\0", num.as_bytes()].concat()
}

#[cfg(test)]
mod tests;
