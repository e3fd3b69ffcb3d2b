//! The narrow key-value engine under the store, and its sled implementation.
//!
//! The store only needs six operations; keeping the trait this small is what lets another
//! engine replace sled later without touching the encoding or the group commit.

use std::error::Error as StdError;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::{Duration, Instant};

use super::{memoire, wal};

/// An error raised by an engine. Cloneable (one failed flush is reported to every caller that
/// shared it) while keeping the engine's own error as its source.
#[derive(Clone)]
pub struct EngineError(Arc<dyn StdError + Send + Sync + 'static>);

impl EngineError {
    /// Wraps an engine-specific error.
    pub fn new(error: impl StdError + Send + Sync + 'static) -> EngineError {
        EngineError(Arc::new(error))
    }

    /// An error described only by a message.
    pub fn msg(message: impl Into<String>) -> EngineError {
        let boxed: Box<dyn StdError + Send + Sync> = message.into().into();
        EngineError(Arc::from(boxed))
    }
}

impl fmt::Debug for EngineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for EngineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&*self.0, f)
    }
}

impl StdError for EngineError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.0.source()
    }
}

/// (key, value) pairs returned by [`Engine::scan_prefix`].
pub type KeyValues = Vec<(Vec<u8>, Vec<u8>)>;

/// One write of a [`WriteBatch`] (and of a record of the engine's write-ahead log, `wal.rs`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum WriteOp {
    /// Sets `key` to `value`.
    Put(Vec<u8>, Vec<u8>),
    /// Removes `key` (no error if absent).
    Delete(Vec<u8>),
}

/// Writes applied together: after a crash either all of them are visible or none.
/// When a key appears twice, the later operation wins.
#[derive(Debug, Default, Clone)]
pub struct WriteBatch {
    ops: Vec<WriteOp>,
}

impl WriteBatch {
    /// An empty batch.
    pub fn new() -> WriteBatch {
        WriteBatch::default()
    }

    /// Adds a put.
    pub fn put(&mut self, key: impl Into<Vec<u8>>, value: impl Into<Vec<u8>>) {
        self.ops.push(WriteOp::Put(key.into(), value.into()));
    }

    /// Adds a delete.
    pub fn delete(&mut self, key: impl Into<Vec<u8>>) {
        self.ops.push(WriteOp::Delete(key.into()));
    }

    /// Whether the batch holds no operation.
    pub fn is_empty(&self) -> bool {
        self.ops.is_empty()
    }

    /// The operations, in the order they were added.
    pub fn ops(&self) -> &[WriteOp] {
        &self.ops
    }

    /// Consumes the batch into its operations.
    pub fn into_ops(self) -> Vec<WriteOp> {
        self.ops
    }
}

/// The operations the store needs from a key-value engine. One keyspace of byte keys.
pub trait Engine: Send + Sync + 'static {
    /// Reads one key.
    fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>, EngineError>;

    /// Applies every operation of `batch` atomically (also across a crash).
    fn apply(&self, batch: WriteBatch) -> Result<(), EngineError>;

    /// Every (key, value) whose key starts with `prefix`, in key order.
    fn scan_prefix(&self, prefix: &[u8]) -> Result<KeyValues, EngineError>;

    /// At most `limit` (key, value) pairs with `start <= key < end`, in key order.
    fn scan_range(&self, start: &[u8], end: &[u8], limit: usize) -> Result<KeyValues, EngineError>;

    /// Atomically adds one to the big-endian `u64` counter at `key` (absent counts as 0) and
    /// returns the new value. Concurrent callers never receive the same value.
    fn increment(&self, key: &[u8]) -> Result<u64, EngineError>;

    /// Returns once every write completed before the call is on stable storage.
    fn flush(&self) -> Result<(), EngineError>;
    /// Bytes the engine occupies on disk, for metrics (0 when it cannot tell).
    fn size_on_disk(&self) -> Result<u64, EngineError> {
        Ok(0)
    }

    /// Rewrites the engine's files so that they hold the current pairs only: a value replaced or
    /// removed before the call leaves the disk (a log-structured engine keeps it otherwise).
    /// Readers and writers go on meanwhile, but for one short pause. `marque` is written with
    /// the new files, durable with them. Gives up, changing nothing, once `arret` is set.
    /// `None` when the engine has no files to rewrite.
    fn recrire(&self, marque: WriteBatch, arret: &AtomicBool) -> Result<Option<Reecriture>, EngineError> {
        let _ = (marque, arret);
        Ok(None)
    }
}

/// What a rewrite of the engine's files did ([`Engine::recrire`]).
#[derive(Debug, Clone)]
pub struct Reecriture {
    /// Pairs copied.
    pub paires: u64,
    /// Bytes on disk before.
    pub octets_avant: u64,
    /// Bytes on disk after.
    pub octets_apres: u64,
    /// From start to end.
    pub duree: Duration,
    /// How long readers and writers waited (the last changes copied, the new files flushed and
    /// put in place).
    pub pause: Duration,
}

/// [`Engine`] over sled 0.34, using its default tree only, with tables in memory above it
/// (`memoire.rs`) and a write-ahead log of its own (`wal.rs`): a batch goes into the active
/// table and is queued as one record of the log, which a flush appends and syncs once for every
/// batch queued since the last; sled only receives checkpoints, key by key.
///
/// sled keeps superseded values in its log segments until it frees a whole segment, which it
/// may never do; [`Engine::recrire`] copies the current pairs into a new sled directory (a
/// generation, `moteur-<n>/`) while requests go on, and switches to it. The data directory's
/// `moteur.actuel` names the current generation; without it (a store never rewritten), sled's
/// files are the data directory's own (`db`, `conf`, `snap.*`, `blobs/`).
pub struct SledEngine {
    /// The data directory.
    racine: PathBuf,
    cache: u64,
    /// The current generation. Every operation holds the read side; switching to a new
    /// generation takes the write side, so it waits for operations in flight and none starts on
    /// the old one after it. (A batch is seen whole or not at all through the memory tables.)
    db: RwLock<sled::Db>,
    /// Batches applied and not yet in the log.
    en_attente: wal::EnAttente,
    /// What the checkpoint thread shares with the engine.
    partage: Arc<Partage>,
    /// Past this many bytes of batches in memory, a checkpoint.
    seuil: u64,
    /// The checkpoint under way, if any.
    point: Mutex<Option<std::thread::JoinHandle<()>>>,
}

/// What a checkpoint needs, shared with its thread.
struct Partage {
    /// Batches applied since the last checkpoint; written under the write side.
    memoire: RwLock<memoire::Memoire>,
    /// The log; held by a flush, and by a checkpoint while it renames it.
    log: Mutex<wal::Log>,
    /// Held by a checkpoint and by a rewrite of the files: one of them at a time, and sled's
    /// files do not change under a rewrite's copy.
    ecriture_sled: Mutex<()>,
    /// Set by a checkpoint that failed, or a rewrite that switched generations without knowing
    /// the switch is on disk: no flush succeeds any more (the store acknowledges nothing), as
    /// after any failed fsync.
    fatale: Mutex<Option<EngineError>>,
    /// Set while a rewrite of the files holds `ecriture_sled`.
    reecriture: AtomicBool,
}

impl Partage {
    /// Writes what memory holds into `db`, flushes it, and forgets the log
    /// before: the caller holds `ecriture_sled`.
    fn point_de_controle(&self, db: &sled::Db) -> Result<(), EngineError> {
        self.log.lock().unwrap_or_else(|p| p.into_inner()).tourner()?;
        {
            let mut m = self.memoire.write().unwrap_or_else(|p| p.into_inner());
            m.octets = 0;
            m.fige = std::mem::take(&mut m.actif);
        }
        // Key by key, never as a sled batch: a sled batch holds every sled read until it is
        // applied, and rolls sled's log buffer around itself (a write and a waiting
        // `sync_file_range`), so even batches of a few hundred keys made reads wait (CRE's p99).
        // Nothing needs the frozen table to reach sled at once: readers see it in memory until
        // it is cleared below, and a crash in the middle leaves sled with part of it, which the
        // logs (both still on disk) rewrite whole at the next open: every key of the frozen
        // table is one their records write, and replaying them is idempotent.
        let mut apres: Option<Vec<u8>> = None;
        loop {
            let m = self.memoire.read().unwrap_or_else(|p| p.into_inner());
            let debut = apres.as_ref().map_or(std::ops::Bound::Unbounded, |k| std::ops::Bound::Excluded(k.clone()));
            let suite: Vec<(Vec<u8>, memoire::Etat)> = m
                .fige
                .range((debut, std::ops::Bound::Unbounded))
                .take(LOT_POINT)
                .map(|(k, e)| (k.clone(), e.clone()))
                .collect();
            drop(m);
            let Some((dernier, _)) = suite.last() else { break };
            apres = Some(dernier.clone());
            for (k, etat) in suite {
                match etat {
                    Some(v) => db.insert(k, v).map_err(EngineError::new)?,
                    None => db.remove(k).map_err(EngineError::new)?,
                };
            }
        }
        db.flush().map_err(EngineError::new)?;
        self.memoire.write().unwrap_or_else(|p| p.into_inner()).fige.clear();
        self.log.lock().unwrap_or_else(|p| p.into_inner()).oublier_ancien()
    }

    fn echouer(&self, e: EngineError) {
        tracing::error!(erreur = %e, "point de contrôle du stockage en échec : plus aucune écriture ne sera confirmée");
        self.fatale.lock().unwrap_or_else(|p| p.into_inner()).get_or_insert(e);
    }
}

/// Clears its flag when dropped (a rewrite's end, however it ends).
struct Finir<'a>(&'a AtomicBool);

impl Drop for Finir<'_> {
    fn drop(&mut self) {
        self.0.store(false, Ordering::Release);
    }
}

/// The file naming the current generation of a rewritten store.
const POINTEUR: &str = "moteur.actuel";
/// Prefix of generation directories.
const GENERATION: &str = "moteur-";
/// Keys of the frozen table copied per hold of the memory tables' read side by a checkpoint.
const LOT_POINT: usize = 256;
/// Pairs per batch of a rewrite's copy.
const LOT_COPIE: usize = 1000;

impl SledEngine {
    /// Opens (or creates) the sled database of the data directory `dir`. Background flushing
    /// is disabled: data is only made durable by [`Engine::flush`], which is what the group
    /// commit relies on to count and share flushes.
    ///
    /// sled's background IO jobs keep the directory lock for a moment after the last `Db` handle
    /// is dropped, so a reopen in the same process (tests, restart of a component) retries for
    /// up to two seconds before reporting the lock as held.
    pub fn open(dir: &Path) -> Result<SledEngine, EngineError> {
        SledEngine::open_avec_cache(dir, cache_pour(dir))
    }

    /// As [`SledEngine::open`], with a page cache of `octets` (sled keeps this much of the store
    /// deserialised in memory; what does not fit is read back from the file and decoded again).
    pub fn open_avec_cache(dir: &Path, octets: u64) -> Result<SledEngine, EngineError> {
        SledEngine::ouvrir(dir, octets, wal::SEUIL_POINT_DE_CONTROLE)
    }

    /// As [`SledEngine::open_avec_cache`], with a checkpoint past `seuil` bytes of batches in
    /// memory (tests make them frequent, to crash the process during them).
    pub fn ouvrir(dir: &Path, octets: u64, seuil: u64) -> Result<SledEngine, EngineError> {
        let deadline = Instant::now() + LOCK_WAIT;
        loop {
            let generation = lire_pointeur(dir)?;
            let chemin = match &generation {
                Some(nom) => {
                    let chemin = dir.join(nom);
                    if !chemin.is_dir() {
                        return Err(EngineError::msg(format!(
                            "{} désigne {}, absent : stockage incomplet",
                            dir.join(POINTEUR).display(),
                            chemin.display()
                        )));
                    }
                    chemin
                }
                None => dir.to_path_buf(),
            };
            match ouvrir_sled(&chemin, octets) {
                Ok(db) => {
                    // Holding its lock, the generation is ours unless a rewrite in another
                    // process switched away from it meanwhile: then that one is still open there.
                    if lire_pointeur(dir)? != generation {
                        drop(db);
                        continue;
                    }
                    nettoyer_generations(dir, generation.as_deref())?;
                    let (mut log, records) = wal::Log::ouvrir(dir)?;
                    if !records.is_empty() {
                        let n = records.len();
                        rejouer(&db, records)?;
                        tracing::info!(enregistrements = n, "journal d'écriture rejoué après un arrêt");
                    }
                    log.vider()?;
                    return Ok(SledEngine {
                        racine: dir.to_path_buf(),
                        cache: octets,
                        db: RwLock::new(db),
                        en_attente: wal::EnAttente::default(),
                        partage: Arc::new(Partage {
                            memoire: RwLock::new(memoire::Memoire::default()),
                            log: Mutex::new(log),
                            ecriture_sled: Mutex::new(()),
                            fatale: Mutex::new(None),
                            reecriture: AtomicBool::new(false),
                        }),
                        seuil,
                        point: Mutex::new(None),
                    });
                }
                Err(e) if is_lock_error(&e) && Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(10));
                }
                Err(e) => return Err(EngineError::new(e)),
            }
        }
    }

    /// The first failure that forbids acknowledging anything.
    fn fatale(&self) -> Option<EngineError> {
        self.partage.fatale.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Starts a checkpoint in its own thread unless one is under way.
    fn demarrer_point(&self) {
        let mut point = self.point.lock().unwrap_or_else(|p| p.into_inner());
        if point.as_ref().is_some_and(|t| !t.is_finished()) {
            return;
        }
        if let Some(t) = point.take() {
            let _ = t.join();
        }
        let partage = Arc::clone(&self.partage);
        let db = self.lire().clone();
        let lance = std::thread::Builder::new().name("sne-store-checkpoint".into()).spawn(move || {
            let _seul = partage.ecriture_sled.lock().unwrap_or_else(|p| p.into_inner());
            if let Err(e) = partage.point_de_controle(&db) {
                partage.echouer(e);
            }
        });
        match lance {
            Ok(t) => *point = Some(t),
            Err(e) => {
                tracing::warn!(erreur = %e, "point de contrôle du stockage non lancé (réessayé au prochain vidage)")
            }
        }
    }

    /// Waits for the checkpoint under way, if any.
    fn attendre_point(&self) {
        let t = self.point.lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(t) = t {
            let _ = t.join();
        }
    }

    fn lire(&self) -> RwLockReadGuard<'_, sled::Db> {
        self.db.read().unwrap_or_else(|p| p.into_inner())
    }

    /// The write side of the current generation, without making operations queue behind a
    /// long one (a backup's scan) for long: tried for a second, then waited for.
    fn ecrire(&self) -> RwLockWriteGuard<'_, sled::Db> {
        let jusqu_a = Instant::now() + Duration::from_secs(1);
        while Instant::now() < jusqu_a {
            match self.db.try_write() {
                Ok(g) => return g,
                Err(std::sync::TryLockError::Poisoned(p)) => return p.into_inner(),
                Err(std::sync::TryLockError::WouldBlock) => std::thread::sleep(Duration::from_micros(200)),
            }
        }
        self.db.write().unwrap_or_else(|p| p.into_inner())
    }

    /// The copy and the switch of [`Engine::recrire`]: on success, the previous generation's
    /// database, the pairs copied, the pause, and whether the switch is known to be on disk.
    /// sled's files do not change meanwhile (the caller holds `ecriture_sled`): writes go on in
    /// memory, above whichever generation is current.
    fn copier_et_basculer(
        &self,
        neuf: &sled::Db,
        nom: &str,
        marque: WriteBatch,
        arret: &AtomicBool,
    ) -> Result<(sled::Db, u64, Duration, bool), EngineError> {
        let abandon = || EngineError::msg("réécriture du stockage abandonnée (arrêt)");
        let mut paires = 0u64;
        {
            let ancien = self.lire().clone();
            let mut lot = sled::Batch::default();
            let mut dans_lot = 0;
            for item in ancien.iter() {
                let (k, v) = item.map_err(EngineError::new)?;
                lot.insert(k, v);
                dans_lot += 1;
                paires += 1;
                if dans_lot == LOT_COPIE {
                    neuf.apply_batch(std::mem::take(&mut lot)).map_err(EngineError::new)?;
                    dans_lot = 0;
                    if arret.load(Ordering::Relaxed) {
                        return Err(abandon());
                    }
                }
            }
            neuf.apply_batch(lot).map_err(EngineError::new)?;
        }
        if arret.load(Ordering::Relaxed) {
            return Err(abandon());
        }
        neuf.apply_batch(lot_sled(marque.into_ops())).map_err(EngineError::new)?;
        neuf.flush().map_err(EngineError::new)?;
        let mut courant = self.ecrire();
        let debut_pause = Instant::now();
        let sur = match ecrire_pointeur(&self.racine, nom) {
            Ok(()) => true,
            Err(Pointeur::Inchange(e)) => return Err(e),
            // Renamed, but the directory's sync failed: the new generation is the truth now
            // (it holds everything), the old one stays on disk, and nothing is acknowledged any
            // more, so that whichever a restart finds holds every acknowledged write.
            Err(Pointeur::Incertain(e)) => {
                tracing::error!(erreur = %e, "bascule du stockage incertaine sur disque : plus aucune écriture ne sera confirmée");
                self.partage.fatale.lock().unwrap_or_else(|p| p.into_inner()).get_or_insert(e);
                false
            }
        };
        let ancien = std::mem::replace(&mut *courant, neuf.clone());
        drop(courant);
        Ok((ancien, paires, debut_pause.elapsed(), sur))
    }
}

/// Opens sled in `chemin`, its files then owner-only whatever the umask (the binary's is 077 and
/// covers the files sled makes later; a library user's may not).
fn ouvrir_sled(chemin: &Path, octets: u64) -> sled::Result<sled::Db> {
    let db = sled::Config::new().path(chemin).flush_every_ms(None).cache_capacity(octets).open()?;
    for p in fichiers_sled(chemin) {
        if let Err(e) = super::droits::resserrer(&p) {
            tracing::warn!(chemin = %p.display(), erreur = %crate::text::erreur_io(&e), "droits du moteur non resserrés");
        }
    }
    Ok(db)
}

/// Applies the log's records to `db`, in order, as one sled batch, and flushes it.
fn rejouer(db: &sled::Db, records: Vec<Vec<WriteOp>>) -> Result<(), EngineError> {
    db.apply_batch(lot_sled(records.into_iter().flatten())).map_err(EngineError::new)?;
    db.flush().map_err(EngineError::new).map(drop)
}

/// `ops` as one sled batch, in order.
fn lot_sled(ops: impl IntoIterator<Item = WriteOp>) -> sled::Batch {
    let mut lot = sled::Batch::default();
    for op in ops {
        match op {
            WriteOp::Put(k, v) => lot.insert(k, v),
            WriteOp::Delete(k) => lot.remove(k),
        }
    }
    lot
}

/// The smallest key above every key starting with `prefix` (`None`: no such key).
fn successeur(prefix: &[u8]) -> Option<Vec<u8>> {
    let mut fin = prefix.to_vec();
    while let Some(dernier) = fin.pop() {
        if dernier < 0xFF {
            fin.push(dernier + 1);
            return Some(fin);
        }
    }
    None
}

impl Drop for SledEngine {
    fn drop(&mut self) {
        // Batches applied and never flushed reach the log, then sled's files: a store closed in
        // order keeps them, and its next open has nothing to replay.
        if let Err(e) = self.flush() {
            tracing::warn!(erreur = %e, "dernier vidage du stockage à la fermeture en échec");
        }
        // The checkpoint holds a handle on sled: the directory is free once it is done.
        self.attendre_point();
        if self.fatale().is_none() {
            let _seul = self.partage.ecriture_sled.lock().unwrap_or_else(|p| p.into_inner());
            if let Err(e) = self.partage.point_de_controle(&self.lire()) {
                tracing::warn!(erreur = %e, "point de contrôle du stockage à la fermeture en échec (rejoué à l'ouverture)");
            }
        }
    }
}

/// The generation `moteur.actuel` names, if the store was ever rewritten.
fn lire_pointeur(racine: &Path) -> Result<Option<String>, EngineError> {
    let chemin = racine.join(POINTEUR);
    match std::fs::read_to_string(&chemin) {
        Ok(texte) => {
            let nom = texte.trim();
            let valide =
                nom.strip_prefix(GENERATION).is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
            if !valide {
                return Err(EngineError::msg(format!(
                    "{} illisible : {:?}",
                    chemin.display(),
                    crate::text::extrait(nom, 40)
                )));
            }
            Ok(Some(nom.to_string()))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(EngineError::msg(format!("{} : {}", chemin.display(), crate::text::erreur_io(&e)))),
    }
}

/// Why the current generation could not be named.
enum Pointeur {
    /// Nothing changed: the previous generation is still the current one.
    Inchange(EngineError),
    /// The new name is in place but may not survive a crash.
    Incertain(EngineError),
}

/// Names `nom` the current generation: written beside, synced, renamed over, directory synced.
fn ecrire_pointeur(racine: &Path, nom: &str) -> Result<(), Pointeur> {
    let chemin = racine.join(POINTEUR);
    let provisoire = racine.join(format!("{POINTEUR}.provisoire"));
    let io =
        |p: &Path, e: std::io::Error| EngineError::msg(format!("{} : {}", p.display(), crate::text::erreur_io(&e)));
    let mut f = super::droits::creer_fichier(&provisoire).map_err(|e| Pointeur::Inchange(io(&provisoire, e)))?;
    std::io::Write::write_all(&mut f, format!("{nom}\n").as_bytes())
        .and_then(|()| f.sync_all())
        .map_err(|e| Pointeur::Inchange(io(&provisoire, e)))?;
    std::fs::rename(&provisoire, &chemin).map_err(|e| Pointeur::Inchange(io(&chemin, e)))?;
    std::fs::File::open(racine).and_then(|d| d.sync_all()).map_err(|e| Pointeur::Incertain(io(racine, e)))
}

/// sled's own files directly in `dir` (a store never rewritten keeps them there).
fn fichiers_sled(dir: &Path) -> Vec<PathBuf> {
    let Ok(entrees) = std::fs::read_dir(dir) else { return Vec::new() };
    entrees
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            let nom = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            nom == "db" || nom == "conf" || nom == "blobs" || nom.starts_with("snap.")
        })
        .collect()
}

/// Removes what a rewrite left behind: generations other than the current one (a copy cut short,
/// or the previous one after a crash before it went), and sled's files at the root once a
/// generation took over from them.
fn nettoyer_generations(racine: &Path, courante: Option<&str>) -> Result<(), EngineError> {
    let io =
        |p: &Path, e: std::io::Error| EngineError::msg(format!("{} : {}", p.display(), crate::text::erreur_io(&e)));
    let mut anciens = Vec::new();
    for entree in std::fs::read_dir(racine).map_err(|e| io(racine, e))? {
        let chemin = entree.map_err(|e| io(racine, e))?.path();
        let nom = chemin.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if nom.starts_with(GENERATION) && Some(nom.as_str()) != courante && chemin.is_dir() {
            anciens.push(chemin);
        }
    }
    if courante.is_some() {
        anciens.extend(fichiers_sled(racine));
    }
    for chemin in anciens {
        supprimer(&chemin).map_err(|e| io(&chemin, e))?;
    }
    Ok(())
}

fn supprimer(chemin: &Path) -> std::io::Result<()> {
    let r = if chemin.is_dir() { std::fs::remove_dir_all(chemin) } else { std::fs::remove_file(chemin) };
    match r {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        r => r,
    }
}

/// Waits (a few seconds at most) until no sled handle holds the generation in `dir` any more:
/// its background jobs may still write a snapshot there after the last `Db` is dropped.
fn attendre_liberation(dir: &Path) {
    use std::os::unix::io::AsRawFd;
    let Ok(f) = std::fs::File::open(dir.join("db")) else { return };
    let jusqu_a = Instant::now() + Duration::from_secs(5);
    while Instant::now() < jusqu_a {
        // SAFETY: flock on a descriptor this function owns; no memory is involved.
        if unsafe { libc::flock(f.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } == 0 {
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// The most page cache a store gets when the configuration sets none: a quarter of the
/// machine's memory, at least 256 MiB. The registry's reads cost the same at any size only
/// while the cache holds their working set: measured at 300,000 applications, a cache of an
/// eighth of the store made `getDemandeLogement` 1.7 times slower at p99 than at 10,000, half of
/// it kept it flat (sled's own default is 1 GiB whatever the machine).
pub fn cache_par_defaut() -> u64 {
    // SAFETY: sysconf reads constants of the running system; no pointer is involved.
    let (pages, taille) = unsafe { (libc::sysconf(libc::_SC_PHYS_PAGES), libc::sysconf(libc::_SC_PAGESIZE)) };
    let memoire = if pages > 0 && taille > 0 { pages as u64 * taille as u64 } else { 0 };
    (memoire / 4).max(256 << 20)
}

/// The page cache of the store in `dir` when the configuration sets none: half of what its
/// engine's files hold when it opens (what keeps reads flat), at least 32 MiB, at most
/// [`cache_par_defaut`]. sled fills its cache with every page written or read up to the
/// capacity: a quarter of the machine for a store of 70 MB let a test base grow to hundreds of
/// megabytes resident under load.
pub fn cache_pour(dir: &Path) -> u64 {
    fn taille(p: &Path) -> u64 {
        let Ok(entrees) = std::fs::read_dir(p) else { return 0 };
        entrees
            .filter_map(Result::ok)
            .map(|e| {
                let chemin = e.path();
                match e.file_type() {
                    // The pieces' contents are not the engine's.
                    Ok(t) if t.is_dir() && e.file_name() != "pieces" => taille(&chemin),
                    Ok(t) if t.is_file() => e.metadata().map_or(0, |m| m.len()),
                    _ => 0,
                }
            })
            .sum()
    }
    (taille(dir) / 2).clamp(32 << 20, cache_par_defaut())
}

/// How long [`SledEngine::open`] waits for a directory lock held by lingering sled jobs.
pub(crate) const LOCK_WAIT: Duration = Duration::from_secs(2);

/// sled 0.34.7 reports a held lock only as an `Io` error with this text (sled is pinned, so the
/// text cannot change under us).
fn is_lock_error(error: &sled::Error) -> bool {
    matches!(error, sled::Error::Io(io) if io.to_string().contains("could not acquire lock"))
}

impl Engine for SledEngine {
    fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>, EngineError> {
        {
            let m = self.partage.memoire.read().unwrap_or_else(|p| p.into_inner());
            if let Some(etat) = m.get(key) {
                return Ok(etat.clone());
            }
        }
        // Not above sled now: sled holds the value (a frozen table leaves memory only once sled
        // has it). Memory is not held meanwhile: writers never wait behind a read of sled.
        Ok(self.lire().get(key).map_err(EngineError::new)?.map(|v| v.to_vec()))
    }

    fn apply(&self, batch: WriteBatch) -> Result<(), EngineError> {
        // Under the write side of memory: no read sees part of the batch (the store's readers
        // rely on it: a header never without its version), and the record is queued before any
        // reader can see the batch, so a flush that starts after a reader saw it takes it.
        let mut m = self.partage.memoire.write().unwrap_or_else(|p| p.into_inner());
        let ops = batch.into_ops();
        for op in &ops {
            match op {
                WriteOp::Put(k, v) => m.ecrire(k.clone(), Some(v.clone())),
                WriteOp::Delete(k) => m.ecrire(k.clone(), None),
            }
        }
        self.en_attente.verrou().push(ops);
        Ok(())
    }

    fn scan_prefix(&self, prefix: &[u8]) -> Result<KeyValues, EngineError> {
        let fin = successeur(prefix);
        let dessus = self.partage.memoire.read().unwrap_or_else(|p| p.into_inner()).plage(prefix, fin.as_deref());
        let db = self.lire();
        let sled = db.scan_prefix(prefix).map(|item| item.map(|(k, v)| (k.to_vec(), v.to_vec())));
        memoire::fusionner(sled, dessus, usize::MAX).map_err(EngineError::new)
    }

    fn scan_range(&self, start: &[u8], end: &[u8], limit: usize) -> Result<KeyValues, EngineError> {
        if start >= end {
            return Ok(Vec::new());
        }
        let dessus = self.partage.memoire.read().unwrap_or_else(|p| p.into_inner()).plage(start, Some(end));
        let db = self.lire();
        let sled = db.range(start..end).map(|item| item.map(|(k, v)| (k.to_vec(), v.to_vec())));
        memoire::fusionner(sled, dessus, limit).map_err(EngineError::new)
    }

    fn increment(&self, key: &[u8]) -> Result<u64, EngineError> {
        let name = String::from_utf8_lossy(key);
        let mut m = self.partage.memoire.write().unwrap_or_else(|p| p.into_inner());
        let actuel = match m.get(key) {
            Some(etat) => etat.clone(),
            None => self.lire().get(key).map_err(EngineError::new)?.map(|v| v.to_vec()),
        };
        let current =
            match actuel {
                None => 0,
                // Left untouched rather than reset, which could hand out a value twice.
                Some(bytes) => u64::from_be_bytes(<[u8; 8]>::try_from(bytes.as_slice()).map_err(|_| {
                    EngineError::msg(format!("compteur illisible sous la clé {name} (8 octets attendus)"))
                })?),
            };
        let next =
            current.checked_add(1).ok_or_else(|| EngineError::msg(format!("compteur épuisé sous la clé {name}")))?;
        let valeur = next.to_be_bytes().to_vec();
        m.ecrire(key.to_vec(), Some(valeur.clone()));
        self.en_attente.verrou().push(vec![WriteOp::Put(key.to_vec(), valeur)]);
        Ok(next)
    }

    fn flush(&self) -> Result<(), EngineError> {
        if let Some(e) = self.fatale() {
            return Err(e);
        }
        {
            let mut log = self.partage.log.lock().unwrap_or_else(|p| p.into_inner());
            // Each record was queued with its batch applied: what the log holds, memory holds.
            let records = self.en_attente.prendre();
            if !records.is_empty() {
                log.ajouter(&records)?;
            }
        }
        let octets = self.partage.memoire.read().unwrap_or_else(|p| p.into_inner()).octets as u64;
        if octets > self.seuil {
            // Writes outran the checkpoint under way (a whole threshold more since it froze its
            // table): this flush, and the acknowledgements behind it, wait for it, so that memory
            // and the log stay within about twice the threshold whatever the load.
            // Not during a rewrite of the files, which may take minutes: what is written
            // meanwhile stays in memory, as it always did.
            if octets > 2 * self.seuil && !self.partage.reecriture.load(Ordering::Acquire) {
                self.attendre_point();
            }
            self.demarrer_point();
        }
        Ok(())
    }

    fn size_on_disk(&self) -> Result<u64, EngineError> {
        let log = self.partage.log.lock().unwrap_or_else(|p| p.into_inner()).octets();
        Ok(self.lire().size_on_disk().map_err(EngineError::new)? + log)
    }

    fn recrire(&self, marque: WriteBatch, arret: &AtomicBool) -> Result<Option<Reecriture>, EngineError> {
        // One rewrite at a time, no checkpoint meanwhile: sled's files first receive what memory
        // holds (erasures included: their values are then not copied), and nothing else until
        // the switch; what is written meanwhile stays in memory, above whichever generation is
        // current.
        let _sled = self.partage.ecriture_sled.lock().unwrap_or_else(|p| p.into_inner());
        self.partage.reecriture.store(true, Ordering::Release);
        let _fin = Finir(&self.partage.reecriture);
        if let Some(e) = self.fatale() {
            return Err(e);
        }
        if let Err(e) = self.partage.point_de_controle(&self.lire()) {
            self.partage.echouer(e.clone());
            return Err(e);
        }
        let debut = Instant::now();
        let octets_avant = self.size_on_disk()?;
        let actuelle = lire_pointeur(&self.racine)?;
        let numero = actuelle.as_deref().and_then(|n| n[GENERATION.len()..].parse::<u64>().ok()).unwrap_or(0) + 1;
        let nom = format!("{GENERATION}{numero}");
        let chemin = self.racine.join(&nom);
        let io = |e: std::io::Error| EngineError::msg(format!("{} : {}", chemin.display(), crate::text::erreur_io(&e)));
        supprimer(&chemin).map_err(io)?;
        super::droits::creer_repertoire(&chemin).map_err(io)?;
        let neuf = ouvrir_sled(&chemin, self.cache).map_err(EngineError::new)?;
        let (ancien, paires, pause, sur) = match self.copier_et_basculer(&neuf, &nom, marque, arret) {
            Ok(fait) => fait,
            Err(e) => {
                drop(neuf);
                attendre_liberation(&chemin);
                let _ = supprimer(&chemin);
                return Err(e);
            }
        };
        drop(neuf);
        drop(ancien);
        if !sur {
            return Err(self.fatale().unwrap_or_else(|| EngineError::msg("bascule du stockage incertaine")));
        }
        // The previous generation goes once sled has let it go.
        let precedente = match &actuelle {
            Some(n) => vec![self.racine.join(n)],
            None => fichiers_sled(&self.racine),
        };
        attendre_liberation(&actuelle.as_ref().map_or_else(|| self.racine.clone(), |n| self.racine.join(n)));
        for p in precedente {
            if let Err(e) = supprimer(&p) {
                tracing::warn!(chemin = %p.display(), erreur = %crate::text::erreur_io(&e), "ancienne génération du stockage non supprimée (elle le sera au prochain démarrage)");
            }
        }
        Ok(Some(Reecriture { paires, octets_avant, octets_apres: self.size_on_disk()?, duree: debut.elapsed(), pause }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batch_is_applied_with_last_write_winning() {
        let dir = tempfile::tempdir().unwrap();
        let engine = SledEngine::open(dir.path()).unwrap();
        let mut batch = WriteBatch::new();
        batch.put(b"a/1".to_vec(), b"x".to_vec());
        batch.put(b"a/2".to_vec(), b"y".to_vec());
        batch.put(b"b/1".to_vec(), b"z".to_vec());
        batch.delete(b"a/2".to_vec());
        engine.apply(batch).unwrap();
        assert_eq!(engine.get(b"a/1").unwrap(), Some(b"x".to_vec()));
        assert_eq!(engine.get(b"a/2").unwrap(), None);
        let scanned = engine.scan_prefix(b"a/").unwrap();
        assert_eq!(scanned, vec![(b"a/1".to_vec(), b"x".to_vec())]);
    }

    fn tout(engine: &SledEngine) -> KeyValues {
        engine.scan_prefix(b"").unwrap()
    }

    /// A rewrite while two writers go on: every pair as the last write left it (a model the
    /// writers update in the order they write), in the new generation only, also after a reopen.
    #[test]
    fn a_rewrite_keeps_every_pair_and_every_write_made_meanwhile() {
        use std::collections::BTreeMap;
        let dir = tempfile::tempdir().unwrap();
        let engine = Arc::new(SledEngine::open(dir.path()).unwrap());
        let mut modele = BTreeMap::new();
        for lot in 0..20u8 {
            let mut batch = WriteBatch::new();
            for i in 0..1000 {
                let k = format!("k/{lot:02}/{i:04}").into_bytes();
                modele.insert(k.clone(), vec![lot; 40]);
                batch.put(k, vec![lot; 40]);
            }
            engine.apply(batch).unwrap();
        }
        let modele = Arc::new(Mutex::new(modele));
        let stop = Arc::new(AtomicBool::new(false));
        let writers: Vec<_> = (0..2u32)
            .map(|w| {
                let (engine, stop, modele) = (engine.clone(), stop.clone(), modele.clone());
                std::thread::spawn(move || {
                    let mut n = 0u32;
                    while !stop.load(Ordering::SeqCst) || n < 2000 {
                        // Rewrites and removes pairs the copy may already have passed.
                        let (k1, k2) = (
                            format!("k/{:02}/{:04}", (n + w) % 20, n % 1000).into_bytes(),
                            format!("k/{:02}/{:04}", (n + 7) % 20, (n * 13 + w) % 1000).into_bytes(),
                        );
                        let v = [w.to_be_bytes(), n.to_be_bytes()].concat();
                        let mut batch = WriteBatch::new();
                        batch.put(k1.clone(), v.clone());
                        batch.delete(k2.clone());
                        let mut m = modele.lock().unwrap();
                        engine.apply(batch).unwrap();
                        m.insert(k1, v);
                        m.remove(&k2);
                        drop(m);
                        engine.increment(format!("seq/{w}").as_bytes()).unwrap();
                        n += 1;
                    }
                    n
                })
            })
            .collect();
        std::thread::sleep(Duration::from_millis(50));
        let r = engine.recrire(WriteBatch::new(), &AtomicBool::new(false)).unwrap().expect("sled se réécrit");
        stop.store(true, Ordering::SeqCst);
        let ecrits: Vec<u32> = writers.into_iter().map(|w| w.join().unwrap()).collect();
        let mut modele = modele.lock().unwrap().clone();
        for (w, n) in ecrits.into_iter().enumerate() {
            modele.insert(format!("seq/{w}").into_bytes(), u64::from(n).to_be_bytes().to_vec());
        }
        assert!(r.paires > 15_000, "{r:?}");
        let attendu: KeyValues = modele.into_iter().collect();
        assert!(tout(&engine) == attendu, "a write made during the rewrite was lost or undone");
        drop(engine);
        let engine = SledEngine::open(dir.path()).unwrap();
        assert!(tout(&engine) == attendu, "not the same after a reopen");
        let noms: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(noms.contains(&"moteur-1".to_string()) && noms.contains(&POINTEUR.to_string()), "{noms:?}");
        assert!(fichiers_sled(dir.path()).is_empty(), "the first generation's files are gone: {noms:?}");
    }

    #[test]
    fn a_rewrite_given_up_changes_nothing_and_a_second_one_replaces_the_first() {
        let dir = tempfile::tempdir().unwrap();
        let engine = SledEngine::open(dir.path()).unwrap();
        let mut batch = WriteBatch::new();
        for i in 0..3000 {
            batch.put(format!("k/{i:05}").into_bytes(), b"v".to_vec());
        }
        engine.apply(batch).unwrap();
        let avant = tout(&engine);
        assert!(engine.recrire(WriteBatch::new(), &AtomicBool::new(true)).is_err());
        assert_eq!(lire_pointeur(dir.path()).unwrap(), None);
        assert!(!dir.path().join("moteur-1").exists(), "the copy cut short is removed");
        assert_eq!(tout(&engine), avant);
        let mut marque = WriteBatch::new();
        marque.put(b"meta/marque".to_vec(), b"1".to_vec());
        engine.recrire(marque, &AtomicBool::new(false)).unwrap();
        engine.recrire(WriteBatch::new(), &AtomicBool::new(false)).unwrap();
        assert_eq!(lire_pointeur(dir.path()).unwrap().as_deref(), Some("moteur-2"));
        assert!(!dir.path().join("moteur-1").exists());
        assert_eq!(engine.get(b"meta/marque").unwrap(), Some(b"1".to_vec()), "the mark is written with the files");
        // A generation left by a crash during a copy goes at the next open.
        drop(engine);
        std::fs::create_dir(dir.path().join("moteur-3")).unwrap();
        let engine = SledEngine::open(dir.path()).unwrap();
        assert!(!dir.path().join("moteur-3").exists());
        assert_eq!(engine.scan_prefix(b"k/").unwrap(), avant);
    }

    #[test]
    fn increment_starts_at_one_and_refuses_malformed_counters() {
        let dir = tempfile::tempdir().unwrap();
        let engine = SledEngine::open(dir.path()).unwrap();
        assert_eq!(engine.increment(b"seq/a").unwrap(), 1);
        assert_eq!(engine.increment(b"seq/a").unwrap(), 2);
        assert_eq!(engine.increment(b"seq/b").unwrap(), 1);
        let mut batch = WriteBatch::new();
        batch.put(b"seq/bad".to_vec(), b"abc".to_vec());
        engine.apply(batch).unwrap();
        let err = engine.increment(b"seq/bad").unwrap_err();
        assert!(err.to_string().contains("seq/bad"), "{err}");
        assert_eq!(engine.get(b"seq/bad").unwrap(), Some(b"abc".to_vec()));

        let mut batch = WriteBatch::new();
        batch.put(b"seq/max".to_vec(), u64::MAX.to_be_bytes().to_vec());
        engine.apply(batch).unwrap();
        assert!(engine.increment(b"seq/max").is_err());
    }
}
