//! A bounded pool for CPU-heavy work: decoding, validation, sealing, the PDF.
//!
//! The async workers (as many as cores) also run every TLS handshake, WSDL download and
//! health check. Work that holds a core for milliseconds runs here instead, so that two heavy
//! requests on two cores never stall everyone else: a permit bounds how many run at once, and
//! `block_in_place` hands the worker's other tasks to a fresh thread while the work runs.
//! Borrowed data stays usable (no `'static` copies of request bodies). **It imports nothing of
//! ours**: every layer may use it.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use tokio::runtime::{Handle, RuntimeFlavor};
use tokio::sync::Semaphore;

/// Messages up to this many bytes are decoded and read in place ([`Compute::run_selon`]).
pub const LEGER: usize = 32 * 1024;

/// Handle on the pool; cheap to clone.
#[derive(Clone, Debug)]
pub struct Compute {
    permits: Arc<Semaphore>,
    size: usize,
    waiting: Arc<AtomicUsize>,
}

impl Compute {
    /// A pool running at most `threads` jobs at once (at least one).
    pub fn new(threads: usize) -> Compute {
        let size = threads.max(1);
        Compute { permits: Arc::new(Semaphore::new(size)), size, waiting: Arc::new(AtomicUsize::new(0)) }
    }

    /// One job per core, the default.
    pub fn per_core() -> Compute {
        Compute::new(std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2))
    }

    /// How many jobs may run at once.
    pub fn size(&self) -> usize {
        self.size
    }

    /// Jobs running now.
    pub fn busy(&self) -> usize {
        self.size - self.permits.available_permits()
    }

    /// Jobs waiting for a slot now.
    pub fn waiting(&self) -> usize {
        self.waiting.load(Ordering::Relaxed)
    }

    /// Runs `f` on work proportional to `octets`: in place when that is at most [`LEGER`]
    /// bytes (decoding or reading a small message takes microseconds; handing the worker to
    /// another thread and back costs more than the work, and every hand-off left a thread
    /// behind), in the pool otherwise ([`Compute::run`]).
    pub async fn run_selon<T>(&self, octets: usize, f: impl FnOnce() -> T) -> T {
        if octets <= LEGER {
            f()
        } else {
            self.run(f).await
        }
    }

    /// Runs `f` once a slot is free, off the async workers. On a current-thread runtime (unit
    /// tests) there is no other worker to protect, and `f` runs in place.
    pub async fn run<T>(&self, f: impl FnOnce() -> T) -> T {
        self.waiting.fetch_add(1, Ordering::Relaxed);
        let permit = self.permits.acquire().await;
        self.waiting.fetch_sub(1, Ordering::Relaxed);
        let _permit = permit.expect("the semaphore is never closed");
        match Handle::try_current().map(|h| h.runtime_flavor()) {
            Ok(RuntimeFlavor::MultiThread) => tokio::task::block_in_place(f),
            _ => f(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test(flavor = "multi_thread", worker_threads = 1)]
    async fn a_busy_pool_leaves_the_async_worker_free() {
        let pool = Compute::new(2);
        let heavy = |pool: Compute| async move { pool.run(|| std::thread::sleep(Duration::from_secs(2))).await };
        let a = tokio::spawn(heavy(pool.clone()));
        let b = tokio::spawn(heavy(pool.clone()));
        let c = tokio::spawn(heavy(pool.clone()));
        tokio::time::sleep(Duration::from_millis(100)).await;
        assert_eq!(pool.busy(), 2);
        assert_eq!(pool.waiting(), 1, "the third job waits for a slot");
        // The only worker is inside a job twice over, yet a light task runs while both go on.
        tokio::spawn(async {}).await.unwrap();
        assert_eq!(pool.busy(), 2, "the light task waited for the jobs");
        a.await.unwrap();
        b.await.unwrap();
        c.await.unwrap();
        assert_eq!((pool.busy(), pool.waiting()), (0, 0));
    }
}
