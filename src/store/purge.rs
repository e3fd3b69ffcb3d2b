//! What an erasure leaves in the engine's files goes with a rewrite of them.
//!
//! Erasing an application removes its pairs (index entries with their keyed hashes included) in
//! the erasing transaction and destroys its data key, so its sealed bytes are noise at once. But
//! sled keeps removed keys and superseded values in its log segments until it frees a whole
//! segment, which nothing makes it do: a raw read of the data directory would still find the
//! index entries of an erased application, which tell someone holding the master key that a
//! given person had an application here. So once an erasure is on disk, a background thread
//! rewrites the engine's files ([`Engine::recrire`]): the current pairs are copied into a new
//! generation while requests go on, then the store switches to it in a short pause and the old
//! files are deleted.
//!
//! A rewrite costs a copy of the whole store, so there is at most one per interval
//! (`server.purge_intervalle_secs`), which gathers the erasures made meanwhile. The erasures to
//! purge are counted in the engine itself (`meta/effacements`, written by each erasing
//! transaction; `meta/purge`, the count the last rewrite covered, written with its new files):
//! a purge cut short by a stop or a crash is done again at the next start.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::engine::{Engine, EngineError, WriteBatch};

/// Erasures ever made (big-endian `u64`), written by each erasing transaction.
pub(super) const META_EFFACEMENTS: &[u8] = b"meta/effacements";
/// Erasures the files were last rewritten after (big-endian `u64`).
const META_PURGE: &[u8] = b"meta/purge";
/// After a failed rewrite, the next waits at least this long.
const APRES_ECHEC: Duration = Duration::from_secs(60);

#[derive(Default)]
struct Etat {
    demandee: bool,
    en_cours: bool,
    intervalle: Duration,
    /// When the last rewrite ended, and whether it failed.
    derniere: Option<(Instant, bool)>,
}

/// The thread that rewrites the engine's files after erasures, and what it waits on.
pub(super) struct Purge {
    etat: Mutex<Etat>,
    reveil: Condvar,
    arret: AtomicBool,
    thread: Mutex<Option<JoinHandle<()>>>,
}

impl Purge {
    pub(super) fn new() -> Arc<Purge> {
        Arc::new(Purge {
            etat: Mutex::new(Etat::default()),
            reveil: Condvar::new(),
            arret: AtomicBool::new(false),
            thread: Mutex::new(None),
        })
    }

    fn etat(&self) -> MutexGuard<'_, Etat> {
        self.etat.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// An erasure is on disk: its files are to be rewritten (by the thread, once started).
    pub(super) fn demander(&self) {
        self.etat().demandee = true;
        self.reveil.notify_all();
    }

    /// Starts the thread (once), rewriting at most once per `intervalle`; a purge the engine
    /// says is owed (cut short before) is asked for at once.
    pub(super) fn demarrer(self: &Arc<Self>, engine: Arc<dyn Engine>, intervalle: Duration) -> std::io::Result<()> {
        if due(engine.as_ref()).unwrap_or(true) {
            self.demander();
        }
        self.etat().intervalle = intervalle;
        let mut thread = self.thread.lock().unwrap_or_else(|p| p.into_inner());
        if thread.is_none() {
            let purge = Arc::clone(self);
            *thread =
                Some(std::thread::Builder::new().name("sne-store-purge".into()).spawn(move || boucle(&purge, engine))?);
        }
        Ok(())
    }

    /// Waits up to `delai` until no rewrite is asked for or running: true if so. Without the
    /// thread (never started), says at once whether one is owed.
    pub(super) fn attendre(&self, delai: Duration) -> bool {
        let fin = if self.thread.lock().unwrap_or_else(|p| p.into_inner()).is_some() {
            Instant::now() + delai
        } else {
            Instant::now()
        };
        let mut etat = self.etat();
        while etat.demandee || etat.en_cours {
            let reste = fin.saturating_duration_since(Instant::now());
            if reste.is_zero() {
                return false;
            }
            etat = self.reveil.wait_timeout(etat, reste).unwrap_or_else(|p| p.into_inner()).0;
        }
        true
    }

    /// Stops the thread (a rewrite under way gives up, changing nothing) and waits for it.
    pub(super) fn arreter(&self) {
        self.arret.store(true, Ordering::SeqCst);
        {
            let _etat = self.etat();
            self.reveil.notify_all();
        }
        if let Some(thread) = self.thread.lock().unwrap_or_else(|p| p.into_inner()).take() {
            let _ = thread.join();
        }
    }
}

fn boucle(purge: &Purge, engine: Arc<dyn Engine>) {
    loop {
        {
            let mut etat = purge.etat();
            loop {
                if purge.arret.load(Ordering::SeqCst) {
                    return;
                }
                if etat.demandee {
                    let attente = match etat.derniere {
                        Some((fin, echec)) => {
                            let intervalle = if echec { etat.intervalle.max(APRES_ECHEC) } else { etat.intervalle };
                            (fin + intervalle).saturating_duration_since(Instant::now())
                        }
                        None => Duration::ZERO,
                    };
                    if attente.is_zero() {
                        break;
                    }
                    etat = purge.reveil.wait_timeout(etat, attente).unwrap_or_else(|p| p.into_inner()).0;
                } else {
                    etat = purge.reveil.wait(etat).unwrap_or_else(|p| p.into_inner());
                }
            }
            etat.demandee = false;
            etat.en_cours = true;
        }
        let resultat = purger(engine.as_ref(), &purge.arret);
        let mut etat = purge.etat();
        etat.en_cours = false;
        etat.derniere = Some((Instant::now(), resultat.is_err()));
        match resultat {
            Ok(encore) => etat.demandee |= encore,
            Err(_) if purge.arret.load(Ordering::SeqCst) => {}
            Err(e) => {
                tracing::warn!(erreur = %e, "réécriture du stockage après effacement échouée : nouvel essai plus tard");
                etat.demandee = true;
            }
        }
        purge.reveil.notify_all();
    }
}

/// One rewrite: true if erasures came during it (another is owed).
fn purger(engine: &dyn Engine, arret: &AtomicBool) -> Result<bool, EngineError> {
    let couvertes = compteur(engine, META_EFFACEMENTS)?;
    let mut marque = WriteBatch::new();
    marque.put(META_PURGE, couvertes.to_be_bytes().to_vec());
    if let Some(r) = engine.recrire(marque, arret)? {
        tracing::info!(
            paires = r.paires,
            octets_avant = r.octets_avant,
            octets_apres = r.octets_apres,
            duree_ms = r.duree.as_millis() as u64,
            pause_ms = r.pause.as_millis() as u64,
            "stockage réécrit après effacement : plus rien des demandes effacées dans ses fichiers"
        );
    }
    Ok(compteur(engine, META_EFFACEMENTS)? > couvertes)
}

/// Whether erasures were made since the files were last rewritten: a store of an earlier
/// version that holds erasures was never rewritten after them.
fn due(engine: &dyn Engine) -> Result<bool, EngineError> {
    match engine.get(META_PURGE)? {
        Some(_) => Ok(compteur(engine, META_EFFACEMENTS)? > compteur(engine, META_PURGE)?),
        None => Ok(!engine.scan_range(b"efface/", b"efface0", 1)?.is_empty()),
    }
}

/// The big-endian `u64` at `key` (absent: 0).
pub(super) fn compteur(engine: &dyn Engine, key: &[u8]) -> Result<u64, EngineError> {
    match engine.get(key)? {
        None => Ok(0),
        Some(v) => <[u8; 8]>::try_from(v.as_slice())
            .map(u64::from_be_bytes)
            .map_err(|_| EngineError::msg(format!("compteur illisible sous la clé {}", String::from_utf8_lossy(key)))),
    }
}
