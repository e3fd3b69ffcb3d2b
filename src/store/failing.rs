//! An engine whose flush fails on demand: sled underneath, and a switch that makes every flush
//! fail from the moment it is set, as a disk gone read-only or full would. Tests of durability
//! (the registry's, the gateway's) inject it through `Store::with_engine`.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use super::engine::{Engine, EngineError, KeyValues, SledEngine, WriteBatch};

/// sled whose flushes fail once [`FlushFails::fail`] is called.
pub struct FlushFails {
    inner: SledEngine,
    failing: AtomicBool,
}

impl FlushFails {
    /// Opens sled in `dir`; flushes succeed until told otherwise.
    pub fn open(dir: &Path) -> Result<FlushFails, EngineError> {
        Ok(FlushFails { inner: SledEngine::open(dir)?, failing: AtomicBool::new(false) })
    }

    /// Every flush from now on fails.
    pub fn fail(&self) {
        self.failing.store(true, Ordering::SeqCst);
    }

    /// Flushes succeed again (the disk is back; the store must still refuse to acknowledge).
    pub fn heal(&self) {
        self.failing.store(false, Ordering::SeqCst);
    }
}

impl Engine for FlushFails {
    fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>, EngineError> {
        self.inner.get(key)
    }
    fn apply(&self, batch: WriteBatch) -> Result<(), EngineError> {
        self.inner.apply(batch)
    }
    fn scan_prefix(&self, prefix: &[u8]) -> Result<KeyValues, EngineError> {
        self.inner.scan_prefix(prefix)
    }
    fn scan_range(&self, start: &[u8], end: &[u8], limit: usize) -> Result<KeyValues, EngineError> {
        self.inner.scan_range(start, end, limit)
    }
    fn increment(&self, key: &[u8]) -> Result<u64, EngineError> {
        self.inner.increment(key)
    }
    fn flush(&self) -> Result<(), EngineError> {
        if self.failing.load(Ordering::SeqCst) {
            return Err(EngineError::msg("fsync : erreur d'entrée-sortie (simulée)"));
        }
        self.inner.flush()
    }
    fn size_on_disk(&self) -> Result<u64, EngineError> {
        self.inner.size_on_disk()
    }
    fn recrire(
        &self,
        marque: WriteBatch,
        arret: &std::sync::atomic::AtomicBool,
    ) -> Result<Option<super::engine::Reecriture>, EngineError> {
        self.inner.recrire(marque, arret)
    }
}
