//! The narrow key-value engine under the store, and its sled implementation.
//!
//! The store only needs six operations; keeping the trait this small is what lets another
//! engine replace sled later without touching the encoding or the group commit.

use std::error::Error as StdError;
use std::fmt;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

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

/// One write of a [`WriteBatch`].
#[derive(Debug, Clone, PartialEq, Eq)]
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
}

/// [`Engine`] over sled 0.34, using its default tree only, so that one `Batch` covers a record
/// and its index entries.
pub struct SledEngine {
    db: sled::Db,
}

impl SledEngine {
    /// Opens (or creates) the sled database in `dir`. Background flushing is disabled: data is
    /// only made durable by [`Engine::flush`], which is what the group commit relies on to count
    /// and share flushes.
    ///
    /// sled's background IO jobs keep the directory lock for a moment after the last `Db` handle
    /// is dropped, so a reopen in the same process (tests, restart of a component) retries for
    /// up to two seconds before reporting the lock as held.
    pub fn open(dir: &Path) -> Result<SledEngine, EngineError> {
        SledEngine::open_avec_cache(dir, cache_par_defaut())
    }

    /// As [`SledEngine::open`], with a page cache of `octets` (sled keeps this much of the store
    /// deserialised in memory; what does not fit is read back from the file and decoded again).
    pub fn open_avec_cache(dir: &Path, octets: u64) -> Result<SledEngine, EngineError> {
        let config = sled::Config::new().path(dir).flush_every_ms(None).cache_capacity(octets);
        let deadline = Instant::now() + LOCK_WAIT;
        loop {
            match config.open() {
                Ok(db) => return Ok(SledEngine { db }),
                Err(e) if is_lock_error(&e) && Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(10));
                }
                Err(e) => return Err(EngineError::new(e)),
            }
        }
    }
}

/// The page cache when the configuration sets none: a quarter of the machine's memory, at
/// least 256 MiB. The registry's reads cost the same at any size only while the cache holds
/// their working set: measured at 300,000 applications, a cache of an eighth of the store made
/// `getDemandeLogement` 1.7 times slower at p99 than at 10,000, half of it kept it flat (sled's
/// own default is 1 GiB whatever the machine).
pub fn cache_par_defaut() -> u64 {
    // SAFETY: sysconf reads constants of the running system; no pointer is involved.
    let (pages, taille) = unsafe { (libc::sysconf(libc::_SC_PHYS_PAGES), libc::sysconf(libc::_SC_PAGESIZE)) };
    let memoire = if pages > 0 && taille > 0 { pages as u64 * taille as u64 } else { 0 };
    (memoire / 4).max(256 << 20)
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
        Ok(self.db.get(key).map_err(EngineError::new)?.map(|v| v.to_vec()))
    }

    fn apply(&self, batch: WriteBatch) -> Result<(), EngineError> {
        let mut sled_batch = sled::Batch::default();
        for op in batch.into_ops() {
            match op {
                WriteOp::Put(k, v) => sled_batch.insert(k, v),
                WriteOp::Delete(k) => sled_batch.remove(k),
            }
        }
        self.db.apply_batch(sled_batch).map_err(EngineError::new)
    }

    fn scan_prefix(&self, prefix: &[u8]) -> Result<KeyValues, EngineError> {
        self.db
            .scan_prefix(prefix)
            .map(|item| item.map(|(k, v)| (k.to_vec(), v.to_vec())).map_err(EngineError::new))
            .collect()
    }

    fn scan_range(&self, start: &[u8], end: &[u8], limit: usize) -> Result<KeyValues, EngineError> {
        if start >= end {
            return Ok(Vec::new());
        }
        self.db
            .range(start..end)
            .take(limit)
            .map(|item| item.map(|(k, v)| (k.to_vec(), v.to_vec())).map_err(EngineError::new))
            .collect()
    }

    fn increment(&self, key: &[u8]) -> Result<u64, EngineError> {
        // The closure may run several times (compare-and-swap retries); the flags describe
        // the run whose result was stored.
        let mut malformed = false;
        let mut overflow = false;
        let stored = self
            .db
            .update_and_fetch(key, |old| {
                malformed = false;
                overflow = false;
                let current = match old {
                    None => 0,
                    Some(bytes) => match <[u8; 8]>::try_from(bytes) {
                        Ok(array) => u64::from_be_bytes(array),
                        Err(_) => {
                            // Leave a malformed counter untouched rather than reset it,
                            // which could hand out a value twice.
                            malformed = true;
                            return Some(bytes.to_vec());
                        }
                    },
                };
                match current.checked_add(1) {
                    Some(next) => Some(next.to_be_bytes().to_vec()),
                    None => {
                        overflow = true;
                        Some(current.to_be_bytes().to_vec())
                    }
                }
            })
            .map_err(EngineError::new)?;
        let name = String::from_utf8_lossy(key);
        if malformed {
            return Err(EngineError::msg(format!("compteur illisible sous la clé {name} (8 octets attendus)")));
        }
        if overflow {
            return Err(EngineError::msg(format!("compteur épuisé sous la clé {name}")));
        }
        let bytes = stored.ok_or_else(|| EngineError::msg(format!("compteur absent sous la clé {name}")))?;
        let array = <[u8; 8]>::try_from(bytes.as_ref())
            .map_err(|_| EngineError::msg(format!("compteur illisible sous la clé {name}")))?;
        Ok(u64::from_be_bytes(array))
    }

    fn flush(&self) -> Result<(), EngineError> {
        self.db.flush().map(|_| ()).map_err(EngineError::new)
    }
    fn size_on_disk(&self) -> Result<u64, EngineError> {
        self.db.size_on_disk().map_err(EngineError::new)
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
