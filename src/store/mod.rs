//! Persistent store of applications (demandes), sequences and the identity index.
//!
//! **The store knows nothing of SOAP, XML or housing rules.** It keeps opaque application
//! contents, sealed with a per-application key wrapped by the master key, plus a few clear,
//! non-personal fields (number, territory, counter). **No store key and no clear value holds a
//! name, a birth date or any document byte**: identities are indexed by keyed hash only.
//!
//! Keyspace (one engine keyspace, key prefixes):
//!
//! | key | value |
//! |---|---|
//! | `meta/version` | format version byte |
//! | `meta/keycheck` | HMAC of the master key over a fixed label, to refuse a wrong key at open |
//! | `seq/<scope>` | big-endian `u64` counter |
//! | `demande/<num_unique>` | sealed record, see `seal.rs` |
//! | `ident/<hash hex>/<num_unique>` | empty (identity index) |
//! | `identof/<num_unique>/<hash hex>` | empty (reverse index, to re-index on replace) |
//!
//! Writes reach the disk only through [`Store::durable`], which batches concurrent callers
//! into one flush.

mod backup;
mod engine;
mod failing;
mod group_commit;
mod master_key;
mod seal;

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use secrecy::SecretBox;

pub use backup::BackupReport;
pub use engine::{Engine, EngineError, KeyValues, SledEngine, WriteBatch, WriteOp};
pub use failing::FlushFails;
pub use master_key::MasterKey;

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
    /// The application number is already stored.
    #[error("la demande {0} existe déjà")]
    Exists(String),
    /// The application number is not stored (replace of an unknown application).
    #[error("la demande {0} est inconnue")]
    NotFound(String),
    /// A stored value cannot be read: unknown format version, truncation or failed
    /// authentication.
    #[error("donnée corrompue sous la clé {key}: {reason}")]
    Corrupt {
        /// The store key holding the value.
        key: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The master key file cannot be used.
    #[error("fichier de clé maîtresse {}: {reason}", path.display())]
    KeyFile {
        /// Path of the key file.
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
}

impl From<EngineError> for StoreError {
    fn from(error: EngineError) -> StoreError {
        StoreError::Engine(error)
    }
}

/// One application as the registry hands it to the store.
#[derive(Clone, PartialEq, Eq)]
pub struct DemandeRecord {
    /// Registration number (18 characters by the contract; the store accepts 1 to 64 ASCII
    /// letters, digits, `-` or `_`).
    pub num_unique: String,
    /// Territory code (3 characters), stored in clear: it is not personal.
    pub territoire: String,
    /// Counter code, stored in clear.
    pub guichet: String,
    /// Plaintext content given by the registry; stored only sealed.
    pub contenu: Vec<u8>,
}

impl fmt::Debug for DemandeRecord {
    // The content is personal data: show its size only, so a stray `{:?}` cannot log it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DemandeRecord")
            .field("num_unique", &self.num_unique)
            .field("territoire", &self.territoire)
            .field("guichet", &self.guichet)
            .field("contenu", &format_args!("<{} octets>", self.contenu.len()))
            .finish()
    }
}

const META_VERSION: &[u8] = b"meta/version";
const META_KEYCHECK: &[u8] = b"meta/keycheck";
const MAX_NUM_UNIQUE_LEN: usize = 64;

/// Handle on the store; cheap to clone, all clones share one engine and one flusher.
#[derive(Clone)]
pub struct Store {
    inner: Arc<Inner>,
}

struct Inner {
    engine: Arc<dyn Engine>,
    key: MasterKey,
    index_key: SecretBox<[u8; 32]>,
    /// Serialises insert/replace: "absent, then write" and "read old index, then rewrite" must
    /// not interleave for the same number. Held only around engine calls, never across `await`.
    write_lock: Mutex<()>,
    commits: GroupCommit,
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
        std::fs::create_dir_all(dir)?;
        let engine = SledEngine::open(dir)?;
        Store::with_engine(Arc::new(engine), key, dir)
    }

    /// Opens a store over any [`Engine`]; `location` only names the store in errors.
    pub fn with_engine(engine: Arc<dyn Engine>, key: MasterKey, location: &Path) -> Result<Store, StoreError> {
        check_or_init_meta(engine.as_ref(), &key, location)?;
        let commits = GroupCommit::start(Arc::clone(&engine))?;
        Ok(Store {
            inner: Arc::new(Inner {
                engine,
                index_key: seal::index_key(&key),
                key,
                write_lock: Mutex::new(()),
                commits,
            }),
        })
    }

    /// Atomically increments the counter named `scope` and returns the new value (1 for the
    /// first). Durable once a later [`Store::durable`] returns. Values are never handed out
    /// twice, even across a crash after `durable()`.
    #[tracing::instrument(skip_all, fields(scope = %scope))]
    pub fn next_sequence(&self, scope: &str) -> Result<u64, StoreError> {
        if scope.is_empty() {
            return Err(StoreError::InvalidArgument("nom de séquence vide".into()));
        }
        Ok(self.inner.engine.increment(&[b"seq/", scope.as_bytes()].concat())?)
    }

    /// Inserts a new application; [`StoreError::Exists`] if the number is already stored.
    /// `identites` are plaintext identity strings (normalised by the caller); only their keyed
    /// hashes are written.
    #[tracing::instrument(skip_all, fields(num_unique = %record.num_unique))]
    pub fn insert_demande(&self, record: &DemandeRecord, identites: &[String]) -> Result<(), StoreError> {
        check_num_unique(&record.num_unique)?;
        let sealed = seal::seal(&self.inner.key, record)?;
        let key = demande_key(&record.num_unique);
        let mut batch = WriteBatch::new();
        batch.put(key.clone(), sealed);
        self.index_puts(&mut batch, &record.num_unique, identites);

        let _guard = self.inner.write_lock.lock().unwrap_or_else(|p| p.into_inner());
        if self.inner.engine.get(&key)?.is_some() {
            return Err(StoreError::Exists(record.num_unique.clone()));
        }
        self.inner.engine.apply(batch)?;
        Ok(())
    }

    /// Replaces an existing application (for later MOD/REN/RAD) and re-indexes its identities;
    /// [`StoreError::NotFound`] if the number is not stored.
    #[tracing::instrument(skip_all, fields(num_unique = %record.num_unique))]
    pub fn replace_demande(&self, record: &DemandeRecord, identites: &[String]) -> Result<(), StoreError> {
        check_num_unique(&record.num_unique)?;
        let sealed = seal::seal(&self.inner.key, record)?;
        let key = demande_key(&record.num_unique);
        let _guard = self.inner.write_lock.lock().unwrap_or_else(|p| p.into_inner());
        if self.inner.engine.get(&key)?.is_none() {
            return Err(StoreError::NotFound(record.num_unique.clone()));
        }
        let mut batch = WriteBatch::new();
        self.index_deletes(&mut batch, &record.num_unique)?;
        batch.put(key, sealed);
        // Puts come after the deletes, so identities kept by the new version survive.
        self.index_puts(&mut batch, &record.num_unique, identites);
        self.inner.engine.apply(batch)?;
        Ok(())
    }

    /// Removes an application and its index entries; `false` when it was not stored.
    /// Durable once a later `durable()` returns.
    #[tracing::instrument(skip_all, fields(num_unique = %num_unique))]
    pub fn delete_demande(&self, num_unique: &str) -> Result<bool, StoreError> {
        check_num_unique(num_unique)?;
        let key = demande_key(num_unique);
        let _guard = self.inner.write_lock.lock().unwrap_or_else(|p| p.into_inner());
        if self.inner.engine.get(&key)?.is_none() {
            return Ok(false);
        }
        let mut batch = WriteBatch::new();
        self.index_deletes(&mut batch, num_unique)?;
        batch.delete(key);
        self.inner.engine.apply(batch)?;
        Ok(true)
    }

    /// The application stored under `num_unique`, if any.
    #[tracing::instrument(skip_all, fields(num_unique = %num_unique))]
    pub fn demande(&self, num_unique: &str) -> Result<Option<DemandeRecord>, StoreError> {
        check_num_unique(num_unique)?;
        let key = demande_key(num_unique);
        match self.inner.engine.get(&key)? {
            None => Ok(None),
            Some(value) => {
                let name = String::from_utf8_lossy(&key);
                seal::open(&self.inner.key, num_unique, &name, &value).map(Some)
            }
        }
    }

    /// How many applications are stored (operators' statistics; tests prove refusals store nothing).
    pub fn demandes_count(&self) -> Result<usize, StoreError> {
        Ok(self.inner.engine.scan_prefix(b"demande/")?.len())
    }

    /// Numbers of the applications indexed under this identity string, in key order.
    #[tracing::instrument(skip_all)]
    pub fn find_by_identite(&self, identite: &str) -> Result<Vec<String>, StoreError> {
        let hash = seal::identity_hash(&self.inner.index_key, identite);
        let prefix = format!("ident/{hash}/").into_bytes();
        self.inner
            .engine
            .scan_prefix(&prefix)?
            .into_iter()
            .map(|(key, _)| {
                String::from_utf8(key[prefix.len()..].to_vec()).map_err(|_| StoreError::Corrupt {
                    key: String::from_utf8_lossy(&key).into_owned(),
                    reason: "numéro illisible dans la clé d'index".into(),
                })
            })
            .collect()
    }

    /// Waits until everything written before this call is on disk. Concurrent callers share
    /// one flush (group commit); the flush runs on a dedicated thread, not on the runtime.
    pub async fn durable(&self) -> Result<(), StoreError> {
        self.inner.commits.durable().await
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

    /// Bytes the store occupies on disk (for metrics).
    pub fn size_on_disk(&self) -> u64 {
        self.inner.engine.size_on_disk().unwrap_or(0)
    }

    /// Number of flushes performed so far (for tests and metrics).
    pub fn flush_count(&self) -> u64 {
        self.inner.commits.flush_count()
    }

    /// Deletes every index entry of `num_unique`, found through its reverse index.
    fn index_deletes(&self, batch: &mut WriteBatch, num_unique: &str) -> Result<(), StoreError> {
        let reverse_prefix = reverse_prefix(num_unique);
        for (reverse_key, _) in self.inner.engine.scan_prefix(&reverse_prefix)? {
            let hash = &reverse_key[reverse_prefix.len()..];
            batch.delete(index_key_bytes(hash, num_unique));
            batch.delete(reverse_key);
        }
        Ok(())
    }

    fn index_puts(&self, batch: &mut WriteBatch, num_unique: &str, identites: &[String]) {
        for identite in identites {
            let hash = seal::identity_hash(&self.inner.index_key, identite);
            batch.put(index_key_bytes(hash.as_bytes(), num_unique), Vec::new());
            batch.put([reverse_prefix(num_unique), hash.into_bytes()].concat(), Vec::new());
        }
    }
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

fn demande_key(num_unique: &str) -> Vec<u8> {
    format!("demande/{num_unique}").into_bytes()
}

fn reverse_prefix(num_unique: &str) -> Vec<u8> {
    format!("identof/{num_unique}/").into_bytes()
}

fn index_key_bytes(hash_hex: &[u8], num_unique: &str) -> Vec<u8> {
    [b"ident/", hash_hex, b"/", num_unique.as_bytes()].concat()
}

#[cfg(test)]
mod tests;
